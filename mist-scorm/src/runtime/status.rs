//! Status evaluation: what the LMS records as completion and success, and why.
//!
//! SCORM 2004: a completion threshold compared with the progress measure, and a
//! scaled passing score compared with the scaled score, override what the SCO
//! reports (4th Ed. RTE 4.2.4.1 and 4.2.22.1). SCORM 1.2: a mastery score sets
//! passed/failed from the raw score when the learner gets credit.

use serde::{Deserialize, Serialize};

use super::state::{Credit, LessonMode};
use super::types::parse_real;
use super::{Runtime, Version};

/// Normalized completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Completion {
    /// The SCO is completed.
    Completed,
    /// Started but not completed.
    Incomplete,
    /// Never started.
    NotAttempted,
    /// Nothing is known.
    Unknown,
}

impl Completion {
    /// The SCORM 2004 vocabulary word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Incomplete => "incomplete",
            Self::NotAttempted => "not attempted",
            Self::Unknown => "unknown",
        }
    }

    pub(crate) fn parse(word: &str) -> Self {
        match word {
            "completed" => Self::Completed,
            "incomplete" => Self::Incomplete,
            "not attempted" => Self::NotAttempted,
            _ => Self::Unknown,
        }
    }
}

/// Normalized success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Success {
    /// Passed.
    Passed,
    /// Failed.
    Failed,
    /// Nothing is known.
    Unknown,
}

impl Success {
    /// The SCORM 2004 vocabulary word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Unknown => "unknown",
        }
    }

    pub(crate) fn parse(word: &str) -> Self {
        match word {
            "passed" => Self::Passed,
            "failed" => Self::Failed,
            _ => Self::Unknown,
        }
    }
}

/// The evaluated status and the reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Completion as the LMS records it.
    pub completion: Completion,
    /// Success as the LMS records it.
    pub success: Success,
    /// One line per rule that decided a status, in plain words.
    pub explanation: Vec<String>,
}

impl Runtime {
    fn value(&self, name: &str) -> Option<&str> {
        self.state.values.get(name).map(String::as_str)
    }

    fn real(&self, name: &str) -> Option<f64> {
        self.value(name).and_then(parse_real)
    }

    /// Evaluates completion and success from the stored values and the launch data.
    pub fn evaluate(&self) -> Evaluation {
        match self.version {
            Version::Scorm2004 => self.evaluate_2004(),
            Version::Scorm12 => self.evaluate_12(),
        }
    }

    fn evaluate_2004(&self) -> Evaluation {
        let mut explanation = Vec::new();
        let reported_completion =
            Completion::parse(self.value("cmi.completion_status").unwrap_or("unknown"));
        let completion = match (
            self.launch.completion_threshold,
            self.real("cmi.progress_measure"),
        ) {
            (Some(threshold), Some(measure)) => {
                let done = measure >= threshold;
                explanation.push(format!(
                    "progress measure {measure} {} completion threshold {threshold}",
                    if done { "reaches" } else { "is below" }
                ));
                if done {
                    Completion::Completed
                } else {
                    Completion::Incomplete
                }
            }
            (Some(threshold), None) => {
                explanation.push(format!(
                    "completion threshold {threshold} is set but no progress measure"
                ));
                Completion::Unknown
            }
            (None, _) => {
                explanation.push(format!(
                    "completion status as reported by the SCO: {}",
                    reported_completion.as_str()
                ));
                reported_completion
            }
        };
        let reported_success =
            Success::parse(self.value("cmi.success_status").unwrap_or("unknown"));
        let success = match (
            self.launch.scaled_passing_score,
            self.real("cmi.score.scaled"),
        ) {
            (Some(passing), Some(score)) => {
                let passed = score >= passing;
                explanation.push(format!(
                    "scaled score {score} {} scaled passing score {passing}",
                    if passed { "reaches" } else { "is below" }
                ));
                if passed {
                    Success::Passed
                } else {
                    Success::Failed
                }
            }
            (Some(passing), None) => {
                explanation.push(format!(
                    "scaled passing score {passing} is set but no scaled score"
                ));
                Success::Unknown
            }
            (None, _) => {
                explanation.push(format!(
                    "success status as reported by the SCO: {}",
                    reported_success.as_str()
                ));
                reported_success
            }
        };
        Evaluation {
            completion,
            success,
            explanation,
        }
    }

    /// The 1.2 `lesson_status` after the mastery-score rule, with its reason.
    pub(crate) fn lesson_status_12(&self) -> (&str, String) {
        let reported = self
            .value("cmi.core.lesson_status")
            .unwrap_or("not attempted");
        let raw = self.real("cmi.core.score.raw");
        match (self.launch.mastery_score, raw, self.launch.credit) {
            (Some(mastery), Some(raw), Credit::Credit)
                if self.launch.mode == LessonMode::Normal =>
            {
                let passed = raw >= mastery;
                let status = if passed { "passed" } else { "failed" };
                let verb = if passed { "reaches" } else { "is below" };
                (
                    status,
                    format!("raw score {raw} {verb} mastery score {mastery} (credit given)"),
                )
            }
            _ => (
                reported,
                format!("lesson status as reported by the SCO: {reported}"),
            ),
        }
    }

    fn evaluate_12(&self) -> Evaluation {
        let (status, reason) = self.lesson_status_12();
        let (completion, success) = match status {
            "passed" => (Completion::Completed, Success::Passed),
            "failed" => (Completion::Completed, Success::Failed),
            "completed" => (Completion::Completed, Success::Unknown),
            "incomplete" | "browsed" => (Completion::Incomplete, Success::Unknown),
            _ => (Completion::NotAttempted, Success::Unknown),
        };
        Evaluation {
            completion,
            success,
            explanation: vec![reason],
        }
    }
}
