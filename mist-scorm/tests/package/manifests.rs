//! Manifests of real authoring-tool exports, checked against the file listings of their repos.

use std::collections::BTreeMap;

use mist_scorm::package::{Code, Limits, Mode, Report, ScormVersion, Severity, check};

use super::support::{codes, memory_source, shared_dir};

/// Checks `fixtures/manifests/<dir>` with every file of its `FILE_LISTING.tsv` present.
fn check_listed(dir: &str) -> Option<Report> {
    let root = shared_dir()?.join("fixtures/manifests").join(dir);
    let listing = std::fs::read_to_string(root.join("FILE_LISTING.tsv")).unwrap();
    let mut files: BTreeMap<String, Vec<u8>> = listing
        .lines()
        .filter_map(|line| line.splitn(3, '\t').nth(2))
        .map(|path| (path.to_owned(), Vec::new()))
        .collect();
    files.insert(
        "imsmanifest.xml".into(),
        std::fs::read(root.join("imsmanifest.xml")).unwrap(),
    );
    Some(check(
        &mut memory_source(files),
        Mode::Tolerant,
        &Limits::default(),
    ))
}

#[test]
fn authoring_tool_manifests_parse_and_report_what_their_listings_lack() {
    // (folder, importable, version, launch URL, the codes of warnings and errors, deduplicated)
    let table: &[(&str, bool, ScormVersion, &str, &[Code])] = &[
        (
            "adapt-12",
            true,
            ScormVersion::Scorm12,
            "index_lms.html",
            &[Code::FileUndeclared],
        ),
        (
            "captivate-12-incomplete",
            true,
            ScormVersion::Scorm12,
            "multiscreen.html",
            &[Code::FileMissing, Code::FileUndeclared],
        ),
        (
            "captivate11-2004-3rd-bloodculture",
            false,
            ScormVersion::Scorm2004Third,
            "index_scorm.html",
            &[
                Code::FileMissing,
                Code::FileDuplicate,
                Code::FileLaunchMissing,
                Code::FileUndeclared,
            ],
        ),
        (
            "rise360-12",
            true,
            ScormVersion::Scorm12,
            "scormdriver/indexAPI.html",
            &[Code::FileUndeclared],
        ),
        (
            "storyline-12-cardiac-emergency",
            true,
            ScormVersion::Scorm12,
            "index_lms.html",
            &[],
        ),
    ];
    for (dir, importable, version, launch, expected) in table {
        let Some(report) = check_listed(dir) else {
            return;
        };
        assert_eq!(
            report.is_importable(),
            *importable,
            "{dir}: {:#?}",
            report.diagnostics
        );
        assert_eq!(report.scorm_version, Some(*version), "{dir}");
        let mut found = codes(&report, Severity::Warning);
        found.dedup();
        assert_eq!(found, *expected, "{dir}");
        let launchables = report.manifest.as_ref().unwrap().launchables();
        assert_eq!(launchables.len(), 1, "{dir}");
        assert_eq!(launchables[0].launch_url, *launch, "{dir}");
    }
}

#[test]
fn incomplete_captivate_upload_names_each_missing_file() {
    let Some(report) = check_listed("captivate-12-incomplete") else {
        return;
    };
    let missing: Vec<_> = report.with_code(Code::FileMissing).collect();
    assert!(missing.len() > 100, "{}", missing.len());
    assert!(
        missing
            .iter()
            .all(|d| d.line.is_some() && d.file.as_deref() == Some("imsmanifest.xml"))
    );
    assert!(
        missing
            .iter()
            .any(|d| d.message.contains("assets/htmlimages/Graph.jpg"))
    );
}

#[test]
fn tool_extensions_reach_the_launchable() {
    let Some(storyline) = check_listed("storyline-12-cardiac-emergency") else {
        return;
    };
    let sco = &storyline.manifest.as_ref().unwrap().launchables()[0];
    assert_eq!(
        (sco.title.as_str(), sco.mastery_score),
        ("Cardiac Emergency", Some(80.0))
    );
    let Some(rise) = check_listed("rise360-12") else {
        return;
    };
    let sco = &rise.manifest.as_ref().unwrap().launchables()[0];
    assert_eq!(
        sco.data_from_lms.as_deref(),
        Some("eyJjcHYiOiJ3Y256RkIwYSJ9")
    );
    let Some(adapt) = check_listed("adapt-12") else {
        return;
    };
    assert_eq!(adapt.title.as_deref(), Some("Solar PV — Unit 2"));
    let lom = &adapt
        .manifest
        .as_ref()
        .unwrap()
        .metadata
        .as_ref()
        .unwrap()
        .lom;
    assert_eq!(lom[0].name, "lom");
}
