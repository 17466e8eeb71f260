//! Shared checks used while loading: text files, localized texts, slugs and paths.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use super::diagnostic::{Code, FileRef, Findings};
use super::raw::{RawSlugList, RawText};
use super::source::{MAX_TEXT_FILE_BYTES, SourceFile, SourceTree, Unreadable};
use crate::slug::Slug;
use crate::text::{LanguageTag, Localized};

/// What the loader carries from file to file.
pub(crate) struct Context<'t> {
    pub tree: &'t SourceTree,
    pub findings: Findings,
    /// The declared languages; every text must have each of them.
    pub languages: Vec<LanguageTag>,
}

impl<'t> Context<'t> {
    pub fn new(tree: &'t SourceTree) -> Self {
        Self {
            tree,
            findings: Findings::default(),
            languages: vec![LanguageTag::ja(), LanguageTag::en()],
        }
    }

    /// The text of a file the course needs, or a finding saying why it cannot be read.
    pub fn text_file(&mut self, path: &str, hint: &str) -> Option<(String, &'t str)> {
        let display = self.tree.display_path(path);
        match self.tree.get(path) {
            Some(SourceFile::Text(text)) => Some((display, text.as_str())),
            Some(SourceFile::Asset { size, unreadable }) => {
                let (code, message) = match unreadable {
                    Some(Unreadable::TooLarge) => (
                        Code::FileTooLarge,
                        format!(
                            "file is {size} bytes; text files may have at most {MAX_TEXT_FILE_BYTES}"
                        ),
                    ),
                    _ => (
                        Code::InvalidValue,
                        "file is not valid UTF-8 text".to_owned(),
                    ),
                };
                self.findings.at_path(&display, code, message, None);
                None
            }
            None => {
                self.findings.at_path(
                    &display,
                    Code::MissingFile,
                    "file not found",
                    Some(hint.to_owned()),
                );
                None
            }
        }
    }

    /// Checks a localized text against the declared languages.
    pub fn localized(&mut self, file: FileRef<'_>, raw: &RawText, what: &str) -> Option<Localized> {
        let span = Some(raw.span());
        let mut entries = Vec::new();
        for (lang, text) in raw.get_ref() {
            match LanguageTag::parse(lang) {
                Ok(tag) if self.languages.contains(&tag) => {
                    if text.trim().is_empty() {
                        self.findings.add(
                            file,
                            span.clone(),
                            Code::EmptyText,
                            format!("{what} is empty in `{lang}`"),
                            None,
                        );
                    } else {
                        entries.push((tag, text.clone()));
                    }
                }
                _ => self.findings.add(
                    file,
                    span.clone(),
                    Code::UnknownLanguage,
                    format!("{what} has text in `{lang}`, which is not a declared language"),
                    Some(format!("declared languages: {}", self.language_list())),
                ),
            }
        }
        for lang in &self.languages {
            if !raw.get_ref().contains_key(lang.as_str()) {
                self.findings.add(
                    file,
                    span.clone(),
                    Code::MissingTranslation,
                    format!("{what} has no `{lang}` text"),
                    Some(format!(
                        "add `{lang} = \"…\"`; every text needs {}",
                        self.language_list()
                    )),
                );
            }
        }
        Localized::new(entries).ok()
    }

    /// A localized text that may be absent.
    pub fn optional_localized(
        &mut self,
        file: FileRef<'_>,
        raw: Option<&RawText>,
        what: &str,
    ) -> Option<Localized> {
        raw.and_then(|raw| self.localized(file, raw, what))
    }

    fn language_list(&self) -> String {
        self.languages
            .iter()
            .map(LanguageTag::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks a slug written in a file.
    pub fn slug(&mut self, file: FileRef<'_>, raw: &Spanned<String>) -> Option<Slug> {
        match Slug::parse(raw.get_ref()) {
            Ok(slug) => Some(slug),
            Err(error) => {
                self.findings.add(
                    file,
                    Some(raw.span()),
                    Code::InvalidSlug,
                    error.to_string(),
                    None,
                );
                None
            }
        }
    }

    /// Checks a list of slugs (courses of a series, modules of a course): valid and unique.
    pub fn slug_list(
        &mut self,
        file: FileRef<'_>,
        raw: &RawSlugList,
        what: &str,
    ) -> Vec<(Slug, Range<usize>)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for entry in raw.get_ref() {
            let Some(slug) = self.slug(file, entry) else {
                continue;
            };
            if seen.insert(slug.clone()) {
                out.push((slug, entry.span()));
            } else {
                self.findings.add(
                    file,
                    Some(entry.span()),
                    Code::DuplicateId,
                    format!("{what} `{slug}` is listed twice"),
                    None,
                );
            }
        }
        if raw.get_ref().is_empty() {
            self.findings.add(
                file,
                Some(raw.span()),
                Code::InvalidValue,
                format!("no {what} listed"),
                None,
            );
        }
        out
    }

    /// Reports an id already seen among its siblings; returns whether it was new.
    pub fn unique_id(
        &mut self,
        file: FileRef<'_>,
        seen: &mut HashSet<String>,
        id: &Spanned<String>,
        what: &str,
    ) -> bool {
        let new = seen.insert(id.get_ref().clone());
        if !new {
            self.findings.add(
                file,
                Some(id.span()),
                Code::DuplicateId,
                format!("{what} id `{}` is used twice", id.get_ref()),
                None,
            );
        }
        if id.get_ref().trim().is_empty() {
            self.findings.add(
                file,
                Some(id.span()),
                Code::InvalidValue,
                format!("{what} id is empty"),
                None,
            );
        }
        new
    }

    /// Reports sub-directories holding `marker` that `listed` does not name.
    pub fn unlisted_directories(
        &mut self,
        file: FileRef<'_>,
        dir: &str,
        marker: &str,
        listed: &[(Slug, Range<usize>)],
        list_key: &str,
    ) {
        for name in self.tree.subdirectories(dir) {
            let path = join(dir, &format!("{name}/{marker}"));
            if self.tree.contains(&path) && !listed.iter().any(|(slug, _)| slug.as_str() == name) {
                self.findings.add(
                    file,
                    None,
                    Code::DanglingReference,
                    format!("directory `{name}` has a {marker} but is not listed in `{list_key}`"),
                    Some(format!(
                        "add \"{name}\" to `{list_key}`, or remove the directory"
                    )),
                );
            }
        }
    }

    /// Checks a file path written in a module: relative, inside the module, and present.
    pub fn module_file(
        &mut self,
        file: FileRef<'_>,
        module_dir: &str,
        raw: &Spanned<String>,
    ) -> Option<String> {
        let path = raw.get_ref();
        if !is_safe_relative_path(path) {
            self.findings.add(
                file,
                Some(raw.span()),
                Code::UnsafePath,
                format!("`{path}` is not a relative path inside the module directory"),
                Some(
                    "use a path such as files/checklist.pdf, with `/` and without `..`".to_owned(),
                ),
            );
            return None;
        }
        if !self.tree.contains(&join(module_dir, path)) {
            self.findings.add(
                file,
                Some(raw.span()),
                Code::MissingFile,
                format!("`{path}` does not exist in the module directory"),
                None,
            );
            return None;
        }
        Some(path.clone())
    }
}

/// `dir/name`, or `name` at the root.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// A relative path with `/` separators that cannot leave its directory.
pub(crate) fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_module() {
        for ok in ["files/a.pdf", "a.vtt", "captions/ja/intro.vtt"] {
            assert!(is_safe_relative_path(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "files/../../x",
            "C:/x",
            "files\\x",
            "a//b",
            "./a",
        ] {
            assert!(!is_safe_relative_path(bad), "{bad}");
        }
    }
}
