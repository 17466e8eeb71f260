//! Quizzes: pools of questions of seven types (the model), and the engine that draws, scores and
//! grades attempts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod attempt;
mod draw;
mod rng;
mod score;

pub use attempt::{AttemptError, AttemptPolicy, AttemptResult, Grading, QuestionOutcome, best_of};
pub use draw::{DrawnQuestion, draw};
pub use rng::SplitMix64;
pub use score::{Answer, AnswerError, QuestionScore, normalize_text, score};

use crate::model::PassMark;
use crate::text::Localized;

/// A module's pool of questions and how many to draw per attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    /// Questions drawn per attempt; `None` means the whole pool.
    pub draw: Option<u16>,
    /// Overrides the course's pass mark for this module.
    pub pass_mark: Option<PassMark>,
    /// Questions to draw from each tag first (the rest of `draw` comes from the whole pool).
    #[serde(default)]
    pub draw_by_tag: BTreeMap<String, u16>,
    /// The pool.
    pub questions: Vec<Question>,
}

impl Quiz {
    /// Questions drawn per attempt (the whole pool when `draw` is not set).
    pub fn draw_count(&self) -> usize {
        self.draw
            .map_or(self.questions.len(), usize::from)
            .min(self.questions.len())
    }
}

/// One question of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Identifier, unique within the module.
    pub id: String,
    /// Topics, for draws per tag.
    pub tags: Vec<String>,
    /// The question text (Markdown).
    pub prompt: Localized,
    /// Shown after submission: why the answer is what it is.
    pub explanation: Option<Localized>,
    /// The type and its answer key.
    pub kind: QuestionKind,
}

/// The question types and their answer keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one option is correct.
    Single {
        /// The options, one of them correct.
        options: Vec<Choice>,
    },
    /// One or more options are correct.
    Multiple {
        /// The options, at least one of them correct.
        options: Vec<Choice>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// Put the items in order.
    Ordering {
        /// The items in their correct order.
        items: Vec<Item>,
    },
    /// Match each left side to its right side.
    Matching {
        /// The pairs that belong together.
        pairs: Vec<Pair>,
    },
    /// A number, within a tolerance.
    Numeric {
        /// The correct value.
        answer: f64,
        /// Accepted absolute difference.
        tolerance: f64,
        /// Unit shown after the input.
        unit: Option<Localized>,
    },
    /// A short typed answer.
    ShortText {
        /// Accepted answers.
        accept: Vec<String>,
        /// Whether letter case must match.
        case_sensitive: bool,
    },
}

impl QuestionKind {
    /// The type's name in the authoring format.
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "true_false",
            QuestionKind::Ordering { .. } => "ordering",
            QuestionKind::Matching { .. } => "matching",
            QuestionKind::Numeric { .. } => "numeric",
            QuestionKind::ShortText { .. } => "short_text",
        }
    }
}

/// An option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Identifier, unique within the question.
    pub id: String,
    /// The option's text.
    pub text: Localized,
    /// Whether choosing it is right.
    pub correct: bool,
    /// Shown after submission when the learner chose it.
    pub feedback: Option<Localized>,
}

/// An item of an ordering question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Identifier, unique within the question.
    pub id: String,
    /// The item's text.
    pub text: Localized,
}

/// A pair of a matching question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// Identifier, unique within the question.
    pub id: String,
    /// The prompt side.
    pub left: Localized,
    /// The side to match it with.
    pub right: Localized,
}
#[cfg(test)]
mod tests;
