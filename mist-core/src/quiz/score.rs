//! Scoring one answer against its question.
//!
//! Every question is worth 1 point. The rules, as shown to learners and inspectors:
//! - `single`, `true_false`, `numeric`, `short_text`, `ordering`: all or nothing. An ordering is right
//!   only when every item is in its place.
//! - `multiple`: partial credit, `max(0, (right choices − wrong choices) / correct options)`; so picking
//!   everything scores 0 unless every option is correct, and the answer counts as correct only when the
//!   chosen set is exactly the correct set.
//! - `matching`: partial credit, the share of pairs matched correctly; correct when all are.
//! - `numeric`: right when `|answer − key| ≤ tolerance` (plus 1e-9 for decimal rounding).
//! - `short_text`: both sides are normalized with [`normalize_text`] (NFKC, so full-width and
//!   half-width forms match; surrounding space trimmed and inner runs of space collapsed; letter case
//!   ignored unless the question is `case_sensitive`), then compared for equality with any accepted
//!   answer.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::{Question, QuestionKind};

/// A learner's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Chosen option ids (`single`: exactly one; `multiple`: any number).
    Choices(Vec<String>),
    /// `true_false`.
    Bool(bool),
    /// Item ids in the learner's order (`ordering`).
    Order(Vec<String>),
    /// For each pair id on the left, the pair id whose right side the learner chose (`matching`).
    Matches(BTreeMap<String, String>),
    /// `numeric`.
    Number(f64),
    /// `short_text`.
    Text(String),
}

/// The answer does not fit its question; nothing is scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    /// The answer is for another question type.
    #[error("a `{question}` question cannot take a `{answer}` answer")]
    WrongType {
        /// The question's type.
        question: &'static str,
        /// The kind of answer given.
        answer: &'static str,
    },
    /// An id that the question does not have.
    #[error("`{0}` is not an option of this question")]
    UnknownId(String),
    /// The same id given twice.
    #[error("`{0}` is given twice")]
    DuplicateId(String),
    /// A `single` question needs exactly one choice.
    #[error("choose exactly one option, not {0}")]
    NotOneChoice(usize),
    /// An ordering must place every item once.
    #[error("place all {expected} items, not {given}")]
    IncompleteOrder {
        /// Items in the question.
        expected: usize,
        /// Items in the answer.
        given: usize,
    },
    /// A number that is not finite.
    #[error("the answer is not a finite number")]
    NotFinite,
}

/// The score of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuestionScore {
    /// Points in `0..=1`.
    pub points: f64,
    /// Whether the answer is fully right.
    pub correct: bool,
}

impl QuestionScore {
    fn all_or_nothing(correct: bool) -> Self {
        Self {
            points: if correct { 1.0 } else { 0.0 },
            correct,
        }
    }
}

const NUMERIC_EPSILON: f64 = 1e-9;

/// Scores an answer; an answer that does not fit the question is an error, never a panic.
pub fn score(question: &Question, answer: &Answer) -> Result<QuestionScore, AnswerError> {
    match (&question.kind, answer) {
        (QuestionKind::Single { options }, Answer::Choices(chosen)) => {
            let ids = known_unique(chosen, options.iter().map(|o| o.id.as_str()))?;
            let [only] = ids.as_slice() else {
                return Err(AnswerError::NotOneChoice(ids.len()));
            };
            Ok(QuestionScore::all_or_nothing(
                options.iter().any(|o| o.correct && o.id == *only),
            ))
        }
        (QuestionKind::Multiple { options }, Answer::Choices(chosen)) => {
            let ids = known_unique(chosen, options.iter().map(|o| o.id.as_str()))?;
            let correct_total = options.iter().filter(|o| o.correct).count();
            let right = options
                .iter()
                .filter(|o| o.correct && ids.contains(&o.id.as_str()))
                .count();
            let wrong = ids.len() - right;
            let points = if correct_total == 0 {
                0.0
            } else {
                (right as f64 - wrong as f64).max(0.0) / correct_total as f64
            };
            Ok(QuestionScore {
                points,
                correct: wrong == 0 && right == correct_total,
            })
        }
        (QuestionKind::TrueFalse { answer: key }, Answer::Bool(given)) => {
            Ok(QuestionScore::all_or_nothing(key == given))
        }
        (QuestionKind::Ordering { items }, Answer::Order(order)) => {
            let ids = known_unique(order, items.iter().map(|i| i.id.as_str()))?;
            if ids.len() != items.len() {
                return Err(AnswerError::IncompleteOrder {
                    expected: items.len(),
                    given: ids.len(),
                });
            }
            Ok(QuestionScore::all_or_nothing(
                items.iter().zip(&ids).all(|(item, id)| item.id == *id),
            ))
        }
        (QuestionKind::Matching { pairs }, Answer::Matches(matches)) => {
            let lefts: Vec<&str> = matches.keys().map(String::as_str).collect();
            known_unique(&lefts, pairs.iter().map(|p| p.id.as_str()))?;
            let rights: Vec<&str> = matches.values().map(String::as_str).collect();
            known_unique(&rights, pairs.iter().map(|p| p.id.as_str()))?;
            let right = matches
                .iter()
                .filter(|(left, chosen)| left == chosen)
                .count();
            let points = right as f64 / pairs.len().max(1) as f64;
            Ok(QuestionScore {
                points,
                correct: right == pairs.len(),
            })
        }
        (
            QuestionKind::Numeric {
                answer: key,
                tolerance,
                ..
            },
            Answer::Number(given),
        ) => {
            if !given.is_finite() {
                return Err(AnswerError::NotFinite);
            }
            Ok(QuestionScore::all_or_nothing(
                (given - key).abs() <= tolerance + NUMERIC_EPSILON,
            ))
        }
        (
            QuestionKind::ShortText {
                accept,
                case_sensitive,
            },
            Answer::Text(given),
        ) => {
            let given = normalize_text(given, *case_sensitive);
            Ok(QuestionScore::all_or_nothing(
                accept
                    .iter()
                    .any(|a| normalize_text(a, *case_sensitive) == given),
            ))
        }
        (kind, answer) => Err(AnswerError::WrongType {
            question: kind.type_name(),
            answer: answer_name(answer),
        }),
    }
}

fn answer_name(answer: &Answer) -> &'static str {
    match answer {
        Answer::Choices(_) => "choices",
        Answer::Bool(_) => "bool",
        Answer::Order(_) => "order",
        Answer::Matches(_) => "matches",
        Answer::Number(_) => "number",
        Answer::Text(_) => "text",
    }
}

/// Checks that every given id is one of `known` and none repeats; returns them in the given order.
fn known_unique<'a, S: AsRef<str>>(
    given: &'a [S],
    known: impl Iterator<Item = &'a str> + Clone,
) -> Result<Vec<&'a str>, AnswerError> {
    let mut seen = HashSet::with_capacity(given.len());
    given
        .iter()
        .map(|id| {
            let id = id.as_ref();
            if !known.clone().any(|k| k == id) {
                Err(AnswerError::UnknownId(id.to_owned()))
            } else if !seen.insert(id) {
                Err(AnswerError::DuplicateId(id.to_owned()))
            } else {
                Ok(id)
            }
        })
        .collect()
}

/// Normalizes a typed answer: NFKC (full-width ＶＰＮ and half-width ｶﾀｶﾅ become VPN and カタカナ),
/// trimmed, inner whitespace collapsed to one space, and lower-cased unless `case_sensitive`.
pub fn normalize_text(text: &str, case_sensitive: bool) -> String {
    let nfkc: String = text.nfkc().collect();
    let collapsed = nfkc.split_whitespace().collect::<Vec<_>>().join(" ");
    if case_sensitive {
        collapsed
    } else {
        collapsed.to_lowercase()
    }
}
