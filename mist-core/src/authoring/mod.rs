//! The authoring format: a course as a directory of TOML and Markdown files (see `docs/authoring.md`).
//!
//! Loading is pure: [`read_dir`] reads a directory into a [`SourceTree`], and [`load`] checks and
//! converts it into the [course model](crate::model), reporting every problem at once as
//! [`Diagnostic`]s with file, line, column, a stable [`Code`] and a hint.

mod context;
mod diagnostic;
mod fs;
mod lesson;
mod load;
mod parse;
mod quiz;
mod raw;
mod scaffold;
mod source;
#[cfg(test)]
mod tests;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use fs::{MAX_FILES, ReadDirError, read_dir};
pub use load::{LoadOutcome, load};
pub use scaffold::starter_course;
pub use source::{MAX_TEXT_FILE_BYTES, SourceFile, SourceTree, Unreadable};
