//! Completion: when a module and a course count as done, and the one normalized outcome that native
//! modules and SCORM packages both produce.
//!
//! MHLW asks e-learning to check viewing *and* understanding (疑義解釈 その1 問257), so a module is
//! complete when every lesson was viewed, every video watched to the threshold (90 % by default,
//! measured over the distinct seconds watched, so skipping ahead does not count), and its quiz passed.
//! A course is complete when all its required modules are.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{Block, Course, Module, PassMark};

/// Share of a video that must be watched, unless configured otherwise.
pub const DEFAULT_VIDEO_THRESHOLD: f64 = 0.9;

/// Whether the learner went through the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// Never started.
    NotAttempted,
    /// Started, not finished.
    Incomplete,
    /// Finished.
    Completed,
}

/// Whether the learner showed understanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Success {
    /// Not assessed (yet).
    Unknown,
    /// Reached the pass mark.
    Passed,
    /// Did not reach it.
    Failed,
}

/// The normalized result of a module, a course or a SCORM package, with its reasons in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Went through the content.
    pub completion: Completion,
    /// Showed understanding.
    pub success: Success,
    /// Scaled score in `0..=1`, when assessed.
    pub score: Option<f64>,
    /// Why, one reason per line: `passed: 0.82 ≥ 0.80`, `video "intro": 95 % ≥ 90 %`.
    pub explanation: Vec<String>,
}

impl Outcome {
    /// Whether this counts as done: completed, and not failed.
    pub fn is_done(&self) -> bool {
        self.completion == Completion::Completed && self.success != Success::Failed
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.explanation.join("; "))
    }
}

/// What the learner did in a native module.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModuleProgress {
    /// Slugs of the lessons opened.
    pub lessons_viewed: BTreeSet<String>,
    /// Per lesson slug, the spans of its video watched, in seconds (`[from, to)`, from progress events).
    pub watched: BTreeMap<String, Vec<(f64, f64)>>,
    /// Scaled score of the attempt that counts, and whether it passed.
    pub quiz: Option<(f64, bool)>,
}

/// The share of `duration` covered by the union of `spans`, in `0..=1`. Spans may overlap, repeat or
/// run past the end; non-finite values are ignored.
pub fn watched_fraction(duration_seconds: f64, spans: &[(f64, f64)]) -> f64 {
    if !(duration_seconds.is_finite() && duration_seconds > 0.0) {
        return 0.0;
    }
    let mut clean: Vec<(f64, f64)> = spans
        .iter()
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|&(a, b)| {
            (
                a.min(b).clamp(0.0, duration_seconds),
                a.max(b).clamp(0.0, duration_seconds),
            )
        })
        .filter(|(a, b)| b > a)
        .collect();
    clean.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut covered = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for (start, end) in clean {
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                covered += e - s;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((s, e)) = current {
        covered += e - s;
    }
    (covered / duration_seconds).clamp(0.0, 1.0)
}

/// The outcome of a native module from the learner's progress.
pub fn module_outcome(
    module: &Module,
    progress: &ModuleProgress,
    video_threshold: f64,
    pass_mark: PassMark,
) -> Outcome {
    let mut explanation = Vec::new();
    let mut content_done = true;
    for lesson in &module.lessons {
        let viewed = progress.lessons_viewed.contains(lesson.slug.as_str());
        if !viewed {
            content_done = false;
            explanation.push(format!("lesson \"{}\" not viewed", lesson.slug));
        }
        for block in &lesson.blocks {
            if let Block::Video(video) = block {
                let spans = progress
                    .watched
                    .get(lesson.slug.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let share = watched_fraction(f64::from(video.duration_seconds), spans);
                let enough = share + 1e-9 >= video_threshold;
                content_done &= enough;
                let sign = if enough { "≥" } else { "<" };
                explanation.push(format!(
                    "video \"{}\": {:.0} % {sign} {:.0} %",
                    lesson.slug,
                    share * 100.0,
                    video_threshold * 100.0
                ));
            }
        }
    }
    let started = !progress.lessons_viewed.is_empty()
        || !progress.watched.is_empty()
        || progress.quiz.is_some();
    let (success, score) = match (&module.quiz, progress.quiz) {
        (None, _) => (Success::Unknown, None),
        (Some(_), None) => {
            explanation.push("quiz not taken".to_owned());
            (Success::Unknown, None)
        }
        (Some(_), Some((scaled, passed))) => {
            let mark = pass_mark.fraction();
            explanation.push(if passed {
                format!("passed: {scaled:.2} ≥ {mark:.2}")
            } else {
                format!("failed: {scaled:.2} < {mark:.2}")
            });
            (
                if passed {
                    Success::Passed
                } else {
                    Success::Failed
                },
                Some(scaled),
            )
        }
    };
    let quiz_done = module.quiz.is_none() || success == Success::Passed;
    let completion = match (started, content_done && quiz_done) {
        (false, _) => Completion::NotAttempted,
        (true, true) => Completion::Completed,
        (true, false) => Completion::Incomplete,
    };
    Outcome {
        completion,
        success,
        score,
        explanation,
    }
}

/// The outcome of a course from its modules' outcomes (keyed by module slug): complete when every
/// required module is done; its score is the mean of the required modules' scores.
pub fn course_outcome(course: &Course, modules: &BTreeMap<String, Outcome>) -> Outcome {
    let required: Vec<_> = course.modules.iter().filter(|m| m.required).collect();
    let mut explanation = Vec::new();
    let mut all_done = true;
    let mut any_started = false;
    let mut any_failed = false;
    let mut scores = Vec::new();
    for module in &required {
        match modules.get(module.slug.as_str()) {
            Some(outcome) => {
                any_started |= outcome.completion != Completion::NotAttempted;
                any_failed |= outcome.success == Success::Failed
                    && outcome.completion != Completion::Completed;
                scores.extend(outcome.score);
                if !outcome.is_done() {
                    all_done = false;
                    explanation.push(format!("module \"{}\" not done", module.slug));
                }
            }
            None => {
                all_done = false;
                explanation.push(format!("module \"{}\" not started", module.slug));
            }
        }
    }
    let done = required.len() - explanation.len();
    explanation.insert(
        0,
        format!("{done}/{} required modules done", required.len()),
    );
    let completion = if all_done {
        Completion::Completed
    } else if any_started {
        Completion::Incomplete
    } else {
        Completion::NotAttempted
    };
    let success = if all_done {
        Success::Passed
    } else if any_failed {
        Success::Failed
    } else {
        Success::Unknown
    };
    let score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
    Outcome {
        completion,
        success,
        score,
        explanation,
    }
}

/// Maps SCORM 1.2 `cmi.core.lesson_status` (after the runtime's mastery-score evaluation) and the raw
/// score on its `min..max` range into an outcome. `failed` means the learner finished but did not pass,
/// as SCORM 1.2 intends; `browsed` counts as incomplete, since it is a review mode without credit.
pub fn outcome_from_scorm12(
    lesson_status: &str,
    raw: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
) -> Outcome {
    let score = raw.filter(|r| r.is_finite()).map(|r| {
        let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
        if hi > lo {
            ((r - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            (r / 100.0).clamp(0.0, 1.0)
        }
    });
    let (completion, success) = match lesson_status {
        "passed" => (Completion::Completed, Success::Passed),
        "completed" => (Completion::Completed, Success::Unknown),
        "failed" => (Completion::Completed, Success::Failed),
        "incomplete" | "browsed" => (Completion::Incomplete, Success::Unknown),
        _ => (Completion::NotAttempted, Success::Unknown),
    };
    Outcome {
        completion,
        success,
        score,
        explanation: vec![format!("SCORM 1.2 lesson_status \"{lesson_status}\"")],
    }
}

/// Maps SCORM 2004 `cmi.completion_status`, `cmi.success_status` (after the runtime's threshold
/// evaluation) and `cmi.score.scaled` into an outcome.
pub fn outcome_from_scorm2004(
    completion_status: &str,
    success_status: &str,
    scaled: Option<f64>,
) -> Outcome {
    let completion = match completion_status {
        "completed" => Completion::Completed,
        "incomplete" => Completion::Incomplete,
        _ => Completion::NotAttempted,
    };
    let success = match success_status {
        "passed" => Success::Passed,
        "failed" => Success::Failed,
        _ => Success::Unknown,
    };
    Outcome {
        completion,
        success,
        score: scaled.filter(|s| s.is_finite()).map(|s| s.clamp(0.0, 1.0)),
        explanation: vec![format!(
            "SCORM 2004 completion \"{completion_status}\", success \"{success_status}\""
        )],
    }
}

#[cfg(test)]
mod tests;
