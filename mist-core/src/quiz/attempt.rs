//! Grading attempts: pass mark, attempt limit, grading method and time limit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::score::{Answer, AnswerError, score};
use super::{DrawnQuestion, QuestionKind, Quiz};
use crate::model::PassMark;
use crate::text::Localized;

/// Which attempt counts when a learner has several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grading {
    /// The best attempt counts.
    #[default]
    Highest,
    /// The latest attempt counts.
    Last,
}

/// The rules of a module's quiz attempts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptPolicy {
    /// Share of the maximum score needed to pass.
    pub pass_mark: PassMark,
    /// Attempts allowed; `None` for unlimited (the MIST default: retakes are part of learning).
    pub max_attempts: Option<u32>,
    /// Which attempt counts.
    pub grading: Grading,
    /// Seconds allowed from start to submission.
    pub time_limit_seconds: Option<u32>,
}

impl AttemptPolicy {
    /// Unlimited, untimed attempts graded by the highest score.
    pub fn with_pass_mark(pass_mark: PassMark) -> Self {
        Self {
            pass_mark,
            max_attempts: None,
            grading: Grading::Highest,
            time_limit_seconds: None,
        }
    }
}

/// An attempt cannot be started or graded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttemptError {
    /// Every allowed attempt was used.
    #[error("all {limit} attempts are used")]
    LimitReached {
        /// The limit.
        limit: u32,
    },
    /// An answer for a question that is not part of the attempt.
    #[error("question `{0}` is not part of this attempt")]
    NotDrawn(String),
    /// An answer that does not fit its question.
    #[error("question `{question}`: {source}")]
    Answer {
        /// The question.
        question: String,
        /// Why.
        source: AnswerError,
    },
}

/// What a learner sees about one question after submitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionOutcome {
    /// The question.
    pub id: String,
    /// Points in `0..=1`.
    pub points: f64,
    /// Fully right.
    pub correct: bool,
    /// Whether the learner answered at all.
    pub answered: bool,
    /// Feedback of the options the learner chose.
    pub feedback: Vec<Localized>,
    /// Why the answer is what it is.
    pub explanation: Option<Localized>,
}

/// A graded attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// Points scored.
    pub raw: f64,
    /// Points possible (the number of questions drawn).
    pub max: f64,
    /// `raw / max`, in `0..=1`.
    pub scaled: f64,
    /// Whether the attempt passed.
    pub passed: bool,
    /// Submitted after the time limit.
    pub timed_out: bool,
    /// Per question, in the attempt's order.
    pub questions: Vec<QuestionOutcome>,
    /// The verdict in words, e.g. `passed: 0.80 ≥ 0.80 (4/5)`.
    pub explanation: String,
}

/// Scores within this of the pass mark count as reaching it (decimal fractions are inexact).
const PASS_EPSILON: f64 = 1e-9;

impl AttemptPolicy {
    /// Whether a learner with `attempts_used` attempts may start another.
    pub fn check_can_start(&self, attempts_used: u32) -> Result<(), AttemptError> {
        match self.max_attempts {
            Some(limit) if attempts_used >= limit => Err(AttemptError::LimitReached { limit }),
            _ => Ok(()),
        }
    }

    /// Grades an attempt: unanswered questions score 0; answers to questions outside the attempt and
    /// answers that do not fit are errors. A submission after the time limit is graded but not passed.
    pub fn grade(
        &self,
        quiz: &Quiz,
        drawn: &[DrawnQuestion],
        answers: &BTreeMap<String, Answer>,
        elapsed_seconds: Option<u64>,
    ) -> Result<AttemptResult, AttemptError> {
        if let Some(stray) = answers
            .keys()
            .find(|id| !drawn.iter().any(|d| &d.id == *id))
        {
            return Err(AttemptError::NotDrawn(stray.clone()));
        }
        let mut questions = Vec::with_capacity(drawn.len());
        for drawn_question in drawn {
            let question = quiz
                .questions
                .iter()
                .find(|q| q.id == drawn_question.id)
                .ok_or_else(|| AttemptError::NotDrawn(drawn_question.id.clone()))?;
            let answer = answers.get(&question.id);
            let result = answer
                .map(|a| score(question, a))
                .transpose()
                .map_err(|source| AttemptError::Answer {
                    question: question.id.clone(),
                    source,
                })?;
            questions.push(QuestionOutcome {
                id: question.id.clone(),
                points: result.map_or(0.0, |r| r.points),
                correct: result.is_some_and(|r| r.correct),
                answered: answer.is_some(),
                feedback: chosen_feedback(&question.kind, answer),
                explanation: question.explanation.clone(),
            });
        }
        let raw: f64 = questions.iter().map(|q| q.points).sum();
        let max = questions.len() as f64;
        let scaled = if max > 0.0 {
            (raw / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mark = self.pass_mark.fraction();
        let timed_out = matches!((self.time_limit_seconds, elapsed_seconds), (Some(limit), Some(elapsed)) if elapsed > u64::from(limit));
        let reached = scaled + PASS_EPSILON >= mark;
        let passed = reached && !timed_out && max > 0.0;
        let explanation = if timed_out {
            format!(
                "failed: submitted after the time limit of {} s (score {scaled:.2})",
                self.time_limit_seconds.unwrap_or_default()
            )
        } else if passed {
            format!(
                "passed: {scaled:.2} ≥ {mark:.2} ({}/{})",
                fmt_points(raw),
                fmt_points(max)
            )
        } else {
            format!(
                "failed: {scaled:.2} < {mark:.2} ({}/{})",
                fmt_points(raw),
                fmt_points(max)
            )
        };
        Ok(AttemptResult {
            raw,
            max,
            scaled,
            passed,
            timed_out,
            questions,
            explanation,
        })
    }
}

fn fmt_points(points: f64) -> String {
    if points.fract() == 0.0 {
        format!("{points:.0}")
    } else {
        format!("{points:.2}")
    }
}

fn chosen_feedback(kind: &QuestionKind, answer: Option<&Answer>) -> Vec<Localized> {
    match (kind, answer) {
        (
            QuestionKind::Single { options } | QuestionKind::Multiple { options },
            Some(Answer::Choices(chosen)),
        ) => options
            .iter()
            .filter(|o| chosen.contains(&o.id))
            .filter_map(|o| o.feedback.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// The attempt that counts under `grading`: the highest scaled score (the earliest among equals), or the
/// last one.
pub fn best_of(results: &[AttemptResult], grading: Grading) -> Option<&AttemptResult> {
    match grading {
        Grading::Last => results.last(),
        Grading::Highest => {
            results
                .iter()
                .fold(None, |best: Option<&AttemptResult>, r| match best {
                    Some(b) if b.scaled >= r.scaled => Some(b),
                    _ => Some(r),
                })
        }
    }
}
