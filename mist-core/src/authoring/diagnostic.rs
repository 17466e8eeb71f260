//! Findings of the course checker: severity, stable code, location and a fix hint.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the course is valid.
    Warning,
    /// The course cannot be used until it is fixed.
    Error,
}

/// The stable code of a finding; see `docs/authoring.md` for the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // each variant is its kebab-case code, documented in docs/authoring.md
pub enum Code {
    TomlSyntax,
    InvalidValue,
    UnknownKey,
    UnknownLanguage,
    MissingFile,
    InvalidSlug,
    DuplicateId,
    DanglingReference,
    MissingTranslation,
    EmptyText,
    NoCorrectAnswer,
    InvalidQuestion,
    InvalidDraw,
    InvalidPassMark,
    UnsafePath,
    FileTooLarge,
    NoQuiz,
    MissingExplanation,
}

impl Code {
    /// The code as printed and serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TomlSyntax => "toml-syntax",
            Code::InvalidValue => "invalid-value",
            Code::UnknownKey => "unknown-key",
            Code::UnknownLanguage => "unknown-language",
            Code::MissingFile => "missing-file",
            Code::InvalidSlug => "invalid-slug",
            Code::DuplicateId => "duplicate-id",
            Code::DanglingReference => "dangling-reference",
            Code::MissingTranslation => "missing-translation",
            Code::EmptyText => "empty-text",
            Code::NoCorrectAnswer => "no-correct-answer",
            Code::InvalidQuestion => "invalid-question",
            Code::InvalidDraw => "invalid-draw",
            Code::InvalidPassMark => "invalid-pass-mark",
            Code::UnsafePath => "unsafe-path",
            Code::FileTooLarge => "file-too-large",
            Code::NoQuiz => "no-quiz",
            Code::MissingExplanation => "missing-explanation",
        }
    }

    /// Findings of these codes do not make a course invalid.
    fn severity(self) -> Severity {
        match self {
            Code::NoQuiz | Code::MissingExplanation => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, located in a file (line and column are 1-based; column counts characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// The file, as the checker was given it.
    pub file: String,
    /// Line of the problem, or 1 for a problem with the whole file.
    pub line: u32,
    /// Column of the problem.
    pub column: u32,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}[{}]: {}",
            self.file, self.line, self.column, self.code, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A file being checked: its display path and text, so byte offsets become lines and columns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileRef<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// Where the parsed part starts in `text` (the TOML front matter of a lesson file).
    pub base: usize,
}

impl<'a> FileRef<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Self {
            path,
            text,
            base: 0,
        }
    }

    /// Line and column of a byte offset into the parsed part.
    fn position(&self, offset: usize) -> (u32, u32) {
        let offset = (self.base + offset).min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (saturate(line), saturate(column))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Collects findings while a course is loaded.
#[derive(Debug, Default)]
pub(crate) struct Findings(pub Vec<Diagnostic>);

impl Findings {
    /// Records a finding at a byte span of a file (`None`: the whole file).
    pub fn add(
        &mut self,
        file: FileRef<'_>,
        span: Option<Range<usize>>,
        code: Code,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        let (line, column) = span.map_or((1, 1), |span| file.position(span.start));
        self.0.push(Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            file: file.path.to_owned(),
            line,
            column,
            hint: hint.into(),
        });
    }

    /// Records a finding about a file that could not be read as text.
    pub fn at_path(
        &mut self,
        path: &str,
        code: Code,
        message: impl Into<String>,
        hint: impl Into<Option<String>>,
    ) {
        self.add(FileRef::new(path, ""), None, code, message, hint);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "a = 1\nタイトル = \"x\"\n";
        let file = FileRef::new("f.toml", text);
        assert_eq!(file.position(0), (1, 1));
        assert_eq!(file.position(6), (2, 1));
        let offset = text
            .find('=')
            .map(|_| text.rfind('=').unwrap_or(0))
            .unwrap_or(0);
        assert_eq!(file.position(offset), (2, 6));
        assert_eq!(file.position(10_000), (3, 1));
    }
}
