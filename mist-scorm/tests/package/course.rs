//! Into the engine: checked packages become mist-core courses.

use std::fs::File;
use std::io::BufReader;

use mist_core::{Audience, Slug};
use mist_scorm::package::{ImportError, Limits, Mode, check_zip, to_course};

use super::support::shared_dir;

fn golf(name: &str) -> Option<mist_scorm::package::Report> {
    let path = shared_dir()?.join("fixtures/golf").join(name);
    let file = BufReader::new(File::open(path).unwrap());
    Some(check_zip(file, Mode::Tolerant, &Limits::default()))
}

#[test]
fn a_multi_sco_package_becomes_one_module_per_launchable_item() {
    let Some(report) = golf("RuntimeMinimumCalls_SCORM12.zip") else {
        return;
    };
    let course = to_course(&report, Slug::parse("golf").unwrap(), Audience::Staff).unwrap();
    assert_eq!(
        course.modules.len(),
        18,
        "22 items, of which 18 launch something"
    );
    let launches: Vec<&str> = course
        .modules
        .iter()
        .filter_map(|m| m.launch.as_ref())
        .map(|l| l.launch_url.as_str())
        .collect();
    // The four quizzes share one page, told apart by their parameters.
    let quizzes: std::collections::HashSet<&&str> = launches
        .iter()
        .filter(|l| l.starts_with("shared/assessmenttemplate.html?questions="))
        .collect();
    assert_eq!(quizzes.len(), 4, "{launches:?}");
    let slugs: std::collections::HashSet<_> =
        course.modules.iter().map(|m| m.slug.clone()).collect();
    assert_eq!(slugs.len(), 18, "module slugs are unique");
    assert_eq!(
        course
            .modules
            .iter()
            .filter(|m| m.launch.as_ref().is_some_and(|l| l.is_sco))
            .count(),
        report.scos
    );
    assert!(
        course
            .modules
            .iter()
            .all(|m| m.lessons.is_empty() && m.quiz.is_none())
    );
}

#[test]
fn thresholds_and_sequencing_are_kept_for_the_player() {
    let Some(report) = golf("RuntimeBasicCalls_SCORM20043rdEdition.zip") else {
        return;
    };
    let course = to_course(
        &report,
        Slug::parse("golf-2004").unwrap(),
        Audience::Administrator,
    )
    .unwrap();
    let launch = course.modules[0].launch.as_ref().unwrap();
    assert_eq!(launch.version, "2004 3rd Edition");
    assert!(
        launch.sequencing.is_some(),
        "the 2004 golf package sequences its items"
    );
}

#[test]
fn a_rejected_package_does_not_become_a_course() {
    let Some(report) = golf("badscorm.zip") else {
        return;
    };
    assert!(matches!(
        to_course(&report, Slug::parse("bad").unwrap(), Audience::Staff),
        Err(ImportError::NotImportable(_))
    ));
}
