#![doc = include_str!("../README.md")]

pub mod audit;
pub mod authoring;
#[cfg(feature = "builtin-series")]
pub mod builtin;
pub mod certificate;
pub mod completion;
pub mod compliance;
pub mod fiscal;
pub mod incident;
pub mod live;
pub mod markdown;
pub mod model;
pub mod portal;
pub mod quiz;
pub mod slug;
pub mod text;

pub use model::{Audience, Block, Course, Lesson, Module, PassMark, Series};
pub use quiz::{Question, QuestionKind, Quiz};
pub use slug::Slug;
pub use text::{LanguageTag, Localized};
