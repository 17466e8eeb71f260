//! Exports of the built-in series: determinism, the official schemas (xmllint), our own strict checker,
//! re-import of the structure, and the quiz rules shared with the SCO's JavaScript.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use mist_core::model::{Lesson, Module, derived_course_id, derived_module_id};
use mist_core::quiz::Quiz;
use mist_core::{Audience, Course, Localized, PassMark, Series, Slug};
use mist_scorm::export::{ExportError, ExportVersion, Exporter, Package};
use mist_scorm::package::{Limits, Mode, ScormVersion, check_zip, to_course};

#[path = "export/media.rs"]
mod media;
#[path = "export/vectors.rs"]
mod vectors;

/// A course `lab` with one module `m` holding `lessons` and `quiz`.
fn course_with(lessons: Vec<Lesson>, quiz: Option<Quiz>) -> Course {
    let course_slug = Slug::parse("lab").unwrap();
    let module_slug = Slug::parse("m").unwrap();
    let title = Localized::ja_en("モジュール", "Module").unwrap();
    let module = Module {
        id: derived_module_id(&course_slug, &module_slug),
        slug: module_slug,
        title: title.clone(),
        summary: None,
        minutes: None,
        beginner: false,
        required: true,
        sources: Vec::new(),
        objectives: Vec::new(),
        lessons,
        quiz,
        launch: None,
    };
    Course {
        id: derived_course_id(&course_slug),
        slug: course_slug,
        audience: Audience::Staff,
        title,
        description: None,
        pass_mark: PassMark::DEFAULT,
        modules: vec![module],
    }
}

/// The `window.MIST_MODULE` data of the course's first module.
fn module_data(course: &Course, version: ExportVersion) -> serde_json::Value {
    let module = course.modules[0].slug.as_str();
    let package = Exporter::new(version, &[])
        .with_media(&media::Files)
        .single_module(course, module)
        .unwrap();
    data_of(&package, module)
}

fn data_of(package: &Package, module: &str) -> serde_json::Value {
    let script = package.file(&format!("{module}/data.js")).expect("data.js");
    let json = std::str::from_utf8(script)
        .unwrap()
        .strip_prefix("window.MIST_MODULE = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("a global assignment");
    serde_json::from_str(json).unwrap()
}

fn series() -> Series {
    mist_core::builtin::load_series()
        .series
        .expect("the built-in series is valid")
}

/// Every course of the series as a whole-course package, and its first module as a single SCO.
fn every_export(series: &Series, version: ExportVersion) -> Vec<(String, Package)> {
    let exporter = Exporter::new(version, &series.languages);
    let mut out = Vec::new();
    for course in &series.courses {
        out.push((course.slug.to_string(), exporter.course(course).unwrap()));
        let first = course.modules[0].slug.as_str();
        let single = exporter.single_module(course, first).unwrap();
        out.push((format!("{}-{first}", course.slug), single));
    }
    out
}

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing (required in CI)",
        dir.display()
    );
    eprintln!("skipping: {} is absent", dir.display());
    None
}

fn have_xmllint() -> bool {
    let found = Command::new("xmllint").arg("--version").output().is_ok();
    assert!(
        found || std::env::var_os("CI").is_none(),
        "xmllint is missing: install libxml2-utils (required in CI)"
    );
    if !found {
        eprintln!("skipping: xmllint is not installed (apt-get install libxml2-utils)");
    }
    found
}

#[test]
fn every_export_is_valid_against_the_official_schemas() {
    let (Some(shared), true) = (shared(), have_xmllint()) else {
        return;
    };
    let series = series();
    let temp = tempfile::tempdir().unwrap();
    for version in ExportVersion::ALL {
        let (schema_dir, wrapper) = if version.is_2004() {
            ("fixtures/xsd/scorm2004-4ed-adl", "scorm2004_4ed_all.xsd")
        } else {
            ("fixtures/xsd/scorm12", "scorm12_all.xsd")
        };
        let schema_dir = shared.join(schema_dir);
        for (name, package) in every_export(&series, version) {
            let path = temp.path().join(format!("{name}-{version}.xml"));
            std::fs::write(&path, package.manifest()).unwrap();
            let output = Command::new("xmllint")
                .current_dir(&schema_dir)
                .env("XML_CATALOG_FILES", schema_dir.join("catalog.xml"))
                .args(["--nonet", "--noout", "--schema", wrapper])
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{name} ({version}) fails the schema:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn exports_are_byte_identical_and_differ_per_version() {
    let series = series();
    let course = &series.courses[2];
    let zips: Vec<Vec<u8>> = ExportVersion::ALL
        .iter()
        .map(|version| {
            let exporter = Exporter::new(*version, &series.languages);
            let first = exporter.course(course).unwrap().to_zip().unwrap();
            let again = exporter.course(course).unwrap().to_zip().unwrap();
            assert_eq!(first, again, "{version} is not deterministic");
            first
        })
        .collect();
    assert_ne!(zips[0], zips[1]);
    assert_ne!(zips[1], zips[2]);
}

#[test]
fn the_zip_has_the_manifest_first_fixed_times_and_every_listed_file() {
    let series = series();
    let package = Exporter::new(ExportVersion::Scorm12, &series.languages)
        .course(&series.courses[0])
        .unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(package.to_zip().unwrap())).unwrap();
    assert_eq!(zip.by_index(0).unwrap().name().unwrap(), "imsmanifest.xml");
    assert_eq!(zip.len(), package.files().len() + 1);
    for index in 0..zip.len() {
        let entry = zip.by_index(index).unwrap();
        let name = entry.name().unwrap().into_owned();
        assert_eq!(entry.last_modified(), Some(zip::DateTime::default()));
        assert_eq!(entry.unix_mode(), Some(0o100644), "{name}");
        if name != "imsmanifest.xml" {
            let listed = format!("<file href=\"{name}\"/>");
            assert!(package.manifest().contains(&listed), "{name} is not listed");
        }
    }
}

#[test]
fn our_strict_checker_finds_nothing_in_any_export() {
    let series = series();
    for version in ExportVersion::ALL {
        for (name, package) in every_export(&series, version) {
            let report = check_zip(
                Cursor::new(package.to_zip().unwrap()),
                Mode::Strict,
                &Limits::default(),
            );
            assert!(
                report.diagnostics.is_empty(),
                "{name} ({version}): {:#?}",
                report.diagnostics
            );
            let expected = match version {
                ExportVersion::Scorm12 => ScormVersion::Scorm12,
                ExportVersion::Scorm2004Third => ScormVersion::Scorm2004Third,
                ExportVersion::Scorm2004Fourth => ScormVersion::Scorm2004Fourth,
            };
            assert_eq!(report.scorm_version, Some(expected));
        }
    }
}

/// (course title, [(module item title, launch URL)]) as the importer reads it back.
fn structure(course: &Course) -> (String, Vec<(String, String)>) {
    let ja = mist_core::LanguageTag::ja();
    let modules = course
        .modules
        .iter()
        .map(|m| {
            (
                m.title.resolve(&ja, &[]).to_owned(),
                format!("{}/index.html", m.slug),
            )
        })
        .collect();
    (course.title.resolve(&ja, &[]).to_owned(), modules)
}

#[test]
fn reimporting_an_export_gives_back_the_course_structure() {
    let series = series();
    for version in [ExportVersion::Scorm12, ExportVersion::Scorm2004Fourth] {
        let exporter = Exporter::new(version, &series.languages);
        for course in &series.courses {
            let zip = exporter.course(course).unwrap().to_zip().unwrap();
            let report = check_zip(Cursor::new(zip), Mode::Strict, &Limits::default());
            let [organization] = report.organizations.as_slice() else {
                panic!("one organization expected");
            };
            let items: Vec<(String, String)> = organization
                .items
                .iter()
                .map(|item| (item.title.clone(), item.launch.clone().unwrap_or_default()))
                .collect();
            assert_eq!(
                (organization.title.clone(), items),
                structure(course),
                "{version}"
            );
            assert_eq!(report.scos, course.modules.len());
            // And into the engine: the same modules in the same order, with the course's pass mark.
            let imported = to_course(&report, course.slug.clone(), course.audience).unwrap();
            let ja = mist_core::LanguageTag::ja();
            let titles = |c: &Course| {
                c.modules
                    .iter()
                    .map(|m| m.title.resolve(&ja, &[]).to_owned())
                    .collect::<Vec<_>>()
            };
            assert_eq!(titles(&imported), titles(course), "{version}");
            assert_eq!(imported.pass_mark, course.pass_mark, "{version}");
            assert!(
                imported
                    .modules
                    .iter()
                    .all(|m| m.launch.as_ref().is_some_and(|l| l.is_sco))
            );
        }
    }
}

#[test]
fn the_pass_mark_becomes_mastery_score_and_scaled_passing_score() {
    let series = series();
    let course = &series.courses[0];
    let module = &course.modules[0];
    let percent = module
        .quiz
        .as_ref()
        .and_then(|q| q.pass_mark)
        .unwrap_or(course.pass_mark)
        .percent();
    let v12 = Exporter::new(ExportVersion::Scorm12, &series.languages)
        .single_module(course, module.slug.as_str())
        .unwrap();
    assert!(v12.manifest().contains(&format!(
        "<adlcp:masteryscore>{percent}</adlcp:masteryscore>"
    )));
    let v2004 = Exporter::new(ExportVersion::Scorm2004Fourth, &series.languages)
        .single_module(course, module.slug.as_str())
        .unwrap();
    let scaled = format!("{:.2}", f64::from(percent) / 100.0);
    assert!(v2004.manifest().contains(&format!(
        "<imsss:minNormalizedMeasure>{scaled}</imsss:minNormalizedMeasure>"
    )));
    assert!(v2004.manifest().contains("satisfiedByMeasure=\"true\""));
}

#[test]
fn metadata_carries_both_languages_and_no_url_is_absolute() {
    let series = series();
    let course = &series.courses[1];
    for version in ExportVersion::ALL {
        let package = Exporter::new(version, &series.languages)
            .course(course)
            .unwrap();
        let manifest = package.manifest();
        for lang in ["ja", "en"] {
            let tag = mist_core::LanguageTag::parse(lang).unwrap();
            let title = course.title.get(&tag).unwrap();
            assert!(manifest.contains(title), "{version}: {lang} title missing");
        }
        for href in manifest.split("href=\"").skip(1) {
            let href = &href[..href.find('"').unwrap()];
            assert!(
                !href.contains(':') && !href.starts_with('/') && !href.contains(".."),
                "{version}: {href}"
            );
        }
    }
}

#[test]
fn unknown_modules_and_versions_are_errors() {
    let series = series();
    let exporter = Exporter::new(ExportVersion::Scorm12, &series.languages);
    let error = exporter
        .single_module(&series.courses[0], "no-such-module")
        .unwrap_err();
    assert!(
        matches!(error, ExportError::UnknownModule { .. }),
        "{error}"
    );
    assert!("2004-5th".parse::<ExportVersion>().is_err());
    for version in ExportVersion::ALL {
        assert_eq!(version.as_str().parse::<ExportVersion>(), Ok(version));
    }
}

#[test]
fn the_module_data_holds_rendered_lessons_and_the_quiz() {
    let series = series();
    let course = &series.courses[2];
    let module = &course.modules[0];
    let package = Exporter::new(ExportVersion::Scorm2004Fourth, &series.languages)
        .single_module(course, module.slug.as_str())
        .unwrap();
    let data = data_of(&package, module.slug.as_str());
    assert_eq!(data["scorm"], "2004");
    assert_eq!(
        data["lessons"].as_array().unwrap().len(),
        module.lessons.len()
    );
    let html = data["lessons"][0]["blocks"][0]["html"]["ja"]
        .as_str()
        .unwrap();
    assert!(html.contains("<p>"), "Markdown is rendered: {html}");
    let quiz = module.quiz.as_ref().unwrap();
    assert_eq!(
        data["quiz"]["questions"].as_array().unwrap().len(),
        quiz.questions.len()
    );
    assert_eq!(data["quiz"]["draw"], quiz.draw_count());
}

#[test]
fn the_quiz_vectors_shared_with_the_javascript_are_current() {
    vectors::check_or_bless();
}
