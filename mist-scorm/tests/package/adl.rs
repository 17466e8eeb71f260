//! The 189 manifests of the ADL SCORM 2004 4th Edition LMS test suite.

use std::collections::BTreeMap;
use std::path::PathBuf;

use mist_scorm::package::names::{HrefTarget, resolve_href};
use mist_scorm::package::{Code, Limits, Manifest, Mode, Report, ScormVersion, Severity, check};

use super::support::{codes, memory_source, shared_dir};

fn adl_manifests() -> Option<Vec<(String, Vec<u8>)>> {
    let courses =
        shared_dir()?.join("fixtures/adl-cts/software_development/TestSuite/LMSRTE/Courses");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&courses)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("imsmanifest.xml").is_file())
        .map(|p: PathBuf| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(p.join("imsmanifest.xml")).unwrap())
        })
        .collect();
    out.sort();
    Some(out)
}

fn check_with(manifest: &[u8], files: &[String]) -> Report {
    let mut all: BTreeMap<String, Vec<u8>> =
        files.iter().map(|f| (f.clone(), Vec::new())).collect();
    all.insert("imsmanifest.xml".into(), manifest.to_vec());
    check(&mut memory_source(all), Mode::Strict, &Limits::default())
}

/// Every file the manifest lists or launches, resolved through the `xml:base` chain.
fn listed_files(manifest: &Manifest) -> Vec<String> {
    let mut files = Vec::new();
    for resource in &manifest.resources {
        let bases = manifest.bases(resource);
        let hrefs = resource
            .files
            .iter()
            .map(|f| f.href.as_str())
            .chain(resource.href.as_deref());
        for href in hrefs {
            if let HrefTarget::Local(path) = resolve_href(&bases, href) {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn every_adl_manifest_parses_and_only_misses_its_files() {
    let Some(manifests) = adl_manifests() else {
        return;
    };
    assert_eq!(manifests.len(), 189);
    for (name, bytes) in &manifests {
        let bare = check_with(bytes, &[]);
        let manifest = bare
            .manifest
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: {:#?}", bare.diagnostics));
        assert!(manifest.scorm_version.is_2004(), "{name}");
        let unexpected: Vec<_> = bare
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .filter(|d| !matches!(d.code, Code::FileMissing | Code::FileLaunchMissing))
            .collect();
        assert!(unexpected.is_empty(), "{name}: {unexpected:#?}");
        assert!(
            bare.with_code(Code::FileLaunchMissing).count() > 0,
            "{name}"
        );

        let files = listed_files(manifest);
        let complete = check_with(bytes, &files);
        assert!(
            complete.is_importable(),
            "{name}: {:#?}",
            complete.diagnostics
        );
        assert_eq!(codes(&complete, Severity::Warning), [], "{name}");
        assert!(!manifest.launchables().is_empty(), "{name}");
    }
}

#[test]
fn adl_launch_urls_resolve_base_and_parameters() {
    let Some(manifests) = adl_manifests() else {
        return;
    };
    let (_, bytes) = manifests
        .iter()
        .find(|(n, _)| n == "LMSTestPackage_CM-05")
        .unwrap();
    let report = check_with(bytes, &[]);
    let manifest = report.manifest.as_ref().unwrap();
    assert_eq!(manifest.scorm_version, ScormVersion::Scorm2004Fourth);
    let launchables = manifest.launchables();
    let urls: Vec<&str> = launchables.iter().map(|l| l.launch_url.as_str()).collect();
    assert_eq!(urls[0], "resources/SequencingTest.htm?tc=CM-05&act=1");
    assert_eq!(urls.len(), 7);
    let nested = launchables.iter().find(|l| l.item == "activity_4").unwrap();
    assert_eq!(nested.parents, ["activity_2", "activity_3"]);
    assert_eq!(manifest.organizations[0].items[0].hide_lms_ui.len(), 3);
    let files = listed_files(manifest);
    assert!(
        files.contains(&"common/LMSTest.jar".to_owned()),
        "{files:?}"
    );
}

#[test]
fn adl_sequencing_collections_resolve_by_idref() {
    let Some(manifests) = adl_manifests() else {
        return;
    };
    let mut merged = 0;
    for (name, bytes) in &manifests {
        let report = check_with(bytes, &[]);
        let manifest = report.manifest.as_ref().unwrap();
        if manifest.sequencing_collection.is_empty() {
            continue;
        }
        for launchable in manifest.launchables() {
            let Some(sequencing) = launchable.sequencing.as_ref() else {
                continue;
            };
            let Some(id_ref) = sequencing.id_ref.as_deref() else {
                continue;
            };
            let shared = manifest
                .sequencing_collection
                .iter()
                .find(|s| s.id.as_deref() == Some(id_ref));
            let shared = shared.unwrap_or_else(|| panic!("{name}: {id_ref}"));
            if shared.control_mode.is_some() {
                assert!(
                    sequencing.control_mode.is_some(),
                    "{name}: {id_ref} not merged"
                );
            }
            merged += 1;
        }
    }
    assert!(
        merged > 10,
        "only {merged} items use the sequencing collection"
    );
}

#[test]
fn adl_sequencing_model_is_typed() {
    let Some(manifests) = adl_manifests() else {
        return;
    };
    let (mut rules, mut rollups, mut objectives, mut thresholds) = (0, 0, 0, 0);
    for (_, bytes) in &manifests {
        let report = check_with(bytes, &[]);
        for launchable in report.manifest.as_ref().unwrap().launchables() {
            thresholds += usize::from(launchable.completion_threshold.is_some());
            let Some(seq) = launchable.sequencing else {
                continue;
            };
            rules += seq.pre_condition_rules.len()
                + seq.exit_condition_rules.len()
                + seq.post_condition_rules.len();
            rollups += seq.rollup_rules.map_or(0, |r| r.rules.len());
            objectives += seq.objectives.map_or(0, |o| 1 + o.others.len());
        }
    }
    assert!(
        rules > 100 && objectives > 100 && thresholds > 10,
        "{rules} {objectives} {thresholds}"
    );
    assert!(rollups > 0);
}
