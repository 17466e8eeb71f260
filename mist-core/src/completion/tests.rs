//! Completion rules, watched shares and the SCORM mapping.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::{Audience, Lesson, Video, derived_course_id, derived_module_id};
use crate::quiz::Quiz;
use crate::slug::Slug;
use crate::text::Localized;

fn module(slug: &str, with_video: bool, with_quiz: bool) -> Module {
    let course = Slug::parse("c").unwrap();
    let slug = Slug::parse(slug).unwrap();
    let mut blocks = vec![Block::Text {
        markdown: Localized::ja_en("本文", "text").unwrap(),
    }];
    if with_video {
        blocks.insert(
            0,
            Block::Video(Video {
                url: "https://v.example/a.mp4".into(),
                duration_seconds: 100,
                captions: vec![],
            }),
        );
    }
    Module {
        id: derived_module_id(&course, &slug),
        title: Localized::ja_en("t", "t").unwrap(),
        summary: None,
        minutes: None,
        beginner: false,
        required: true,
        sources: vec![],
        objectives: vec![],
        lessons: vec![Lesson {
            slug: Slug::parse("intro").unwrap(),
            title: Localized::ja_en("t", "t").unwrap(),
            blocks,
        }],
        quiz: with_quiz.then(|| Quiz {
            draw: None,
            pass_mark: None,
            draw_by_tag: Default::default(),
            questions: vec![],
        }),
        launch: None,
        slug,
    }
}

fn progress(viewed: bool, spans: Vec<(f64, f64)>, quiz: Option<(f64, bool)>) -> ModuleProgress {
    ModuleProgress {
        lessons_viewed: if viewed {
            ["intro".to_owned()].into()
        } else {
            BTreeSet::new()
        },
        watched: if spans.is_empty() {
            BTreeMap::new()
        } else {
            [("intro".to_owned(), spans)].into()
        },
        quiz,
    }
}

#[test]
fn watched_share_counts_distinct_seconds() {
    assert_eq!(watched_fraction(100.0, &[(0.0, 50.0), (25.0, 75.0)]), 0.75);
    assert_eq!(
        watched_fraction(100.0, &[(0.0, 10.0), (0.0, 10.0), (0.0, 10.0)]),
        0.1
    );
    assert_eq!(watched_fraction(100.0, &[(90.0, 500.0), (-5.0, 5.0)]), 0.15);
    assert_eq!(
        watched_fraction(100.0, &[(f64::NAN, 50.0), (60.0, 40.0)]),
        0.2
    );
    assert_eq!(watched_fraction(0.0, &[(0.0, 10.0)]), 0.0);
}

#[test]
fn a_module_needs_viewing_video_and_a_passed_quiz() {
    let m = module("m", true, true);
    let mark = PassMark::DEFAULT;
    let done = module_outcome(
        &m,
        &progress(true, vec![(0.0, 91.0)], Some((0.8, true))),
        DEFAULT_VIDEO_THRESHOLD,
        mark,
    );
    assert_eq!(
        (done.completion, done.success, done.score),
        (Completion::Completed, Success::Passed, Some(0.8))
    );
    assert_eq!(
        done.explanation,
        ["video \"intro\": 91 % ≥ 90 %", "passed: 0.80 ≥ 0.80"]
    );
    assert!(done.is_done());

    let skipped = module_outcome(
        &m,
        &progress(true, vec![(0.0, 10.0), (85.0, 100.0)], Some((1.0, true))),
        DEFAULT_VIDEO_THRESHOLD,
        mark,
    );
    assert_eq!(skipped.completion, Completion::Incomplete, "{skipped}");
    let failed = module_outcome(
        &m,
        &progress(true, vec![(0.0, 100.0)], Some((0.6, false))),
        DEFAULT_VIDEO_THRESHOLD,
        mark,
    );
    assert_eq!(
        (failed.completion, failed.success),
        (Completion::Incomplete, Success::Failed)
    );
    assert!(
        failed
            .explanation
            .contains(&"failed: 0.60 < 0.80".to_owned())
    );
    let untouched = module_outcome(
        &m,
        &ModuleProgress::default(),
        DEFAULT_VIDEO_THRESHOLD,
        mark,
    );
    assert_eq!(untouched.completion, Completion::NotAttempted);
    let reading_only = module_outcome(
        &module("r", false, false),
        &progress(true, vec![], None),
        DEFAULT_VIDEO_THRESHOLD,
        mark,
    );
    assert_eq!(
        (reading_only.completion, reading_only.success),
        (Completion::Completed, Success::Unknown)
    );
}

#[test]
fn a_course_needs_every_required_module() {
    let mut optional = module("b", false, false);
    optional.required = false;
    let course = Course {
        id: derived_course_id(&Slug::parse("c").unwrap()),
        slug: Slug::parse("c").unwrap(),
        audience: Audience::Staff,
        title: Localized::ja_en("c", "c").unwrap(),
        description: None,
        pass_mark: PassMark::DEFAULT,
        modules: vec![module("a", false, true), optional],
    };
    let passed = Outcome {
        completion: Completion::Completed,
        success: Success::Passed,
        score: Some(0.9),
        explanation: vec![],
    };
    let outcomes: BTreeMap<String, Outcome> = [("a".to_owned(), passed)].into();
    let done = course_outcome(&course, &outcomes);
    assert_eq!(
        (done.completion, done.score),
        (Completion::Completed, Some(0.9))
    );
    assert_eq!(done.explanation, ["1/1 required modules done"]);
    let none = course_outcome(&course, &BTreeMap::new());
    assert_eq!(none.completion, Completion::NotAttempted);
    assert_eq!(
        none.explanation,
        ["0/1 required modules done", "module \"a\" not started"]
    );
}

#[test]
fn scorm_results_map_into_the_same_model() {
    let passed = outcome_from_scorm12("passed", Some(85.0), Some(0.0), Some(100.0));
    assert_eq!(
        (passed.completion, passed.success, passed.score),
        (Completion::Completed, Success::Passed, Some(0.85))
    );
    let failed = outcome_from_scorm12("failed", Some(4.0), None, Some(10.0));
    assert_eq!(
        (failed.success, failed.score, failed.is_done()),
        (Success::Failed, Some(0.4), false)
    );
    assert_eq!(
        outcome_from_scorm12("browsed", None, None, None).completion,
        Completion::Incomplete
    );
    assert_eq!(
        outcome_from_scorm12("not attempted", None, None, None).completion,
        Completion::NotAttempted
    );
    let done = outcome_from_scorm2004("completed", "passed", Some(0.92));
    assert!(done.is_done() && done.score == Some(0.92));
    assert_eq!(
        outcome_from_scorm2004("unknown", "unknown", Some(7.0)).score,
        Some(1.0)
    );
}
