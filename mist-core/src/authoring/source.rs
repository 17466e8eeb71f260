//! The files of an authoring directory, held in memory so that loading is pure.

use std::collections::BTreeMap;

/// Text files (`.toml`, `.md`) above this size are refused rather than read.
pub const MAX_TEXT_FILE_BYTES: u64 = 1024 * 1024;

/// The files of a series or course directory, keyed by `/`-separated paths relative to its root.
///
/// Text files carry their content; other files (downloads, captions) only their size, which is all the
/// checker needs. Build one with [`SourceTree::insert_text`] and [`SourceTree::insert_asset`], from
/// [`crate::authoring::read_dir`], or from the built-in series.
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    display_root: String,
    root_name: Option<String>,
    files: BTreeMap<String, SourceFile>,
}

/// One file of a [`SourceTree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceFile {
    /// A UTF-8 text file that the loader parses.
    Text(String),
    /// A file that is only checked for presence (or a text file that could not be read as text).
    Asset {
        /// Size in bytes.
        size: u64,
        /// Why the file is not text when the loader expected text: too large or not UTF-8.
        unreadable: Option<Unreadable>,
    },
}

/// Why a text file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Larger than [`MAX_TEXT_FILE_BYTES`].
    TooLarge,
    /// Not valid UTF-8.
    NotUtf8,
}

impl SourceTree {
    /// An empty tree whose files are shown as `display_root/path` in diagnostics.
    pub fn new(display_root: impl Into<String>) -> Self {
        Self {
            display_root: display_root.into(),
            root_name: None,
            files: BTreeMap::new(),
        }
    }

    /// Names the root directory (a stand-alone course's slug is its directory's name).
    pub fn with_root_name(mut self, name: impl Into<String>) -> Self {
        self.root_name = Some(name.into());
        self
    }

    /// The root directory's name, when known.
    pub fn root_name(&self) -> Option<&str> {
        self.root_name.as_deref()
    }

    /// Adds a text file.
    pub fn insert_text(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files
            .insert(path.into(), SourceFile::Text(text.into()));
    }

    /// Adds a file given as bytes: text files must be UTF-8 and at most [`MAX_TEXT_FILE_BYTES`].
    pub fn insert_bytes(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        let path = path.into();
        let size = bytes.len() as u64;
        let entry = if !is_text_path(&path) {
            SourceFile::Asset {
                size,
                unreadable: None,
            }
        } else if size > MAX_TEXT_FILE_BYTES {
            SourceFile::Asset {
                size,
                unreadable: Some(Unreadable::TooLarge),
            }
        } else {
            match String::from_utf8(bytes) {
                Ok(text) => SourceFile::Text(text),
                Err(_) => SourceFile::Asset {
                    size,
                    unreadable: Some(Unreadable::NotUtf8),
                },
            }
        };
        self.files.insert(path, entry);
    }

    /// Adds a file that is only checked for presence.
    pub fn insert_asset(&mut self, path: impl Into<String>, size: u64) {
        self.files.insert(
            path.into(),
            SourceFile::Asset {
                size,
                unreadable: None,
            },
        );
    }

    /// The file at a relative path.
    pub fn get(&self, path: &str) -> Option<&SourceFile> {
        self.files.get(path)
    }

    /// Whether a file exists at a relative path.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Every relative path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The path as shown in diagnostics.
    pub fn display_path(&self, path: &str) -> String {
        if self.display_root.is_empty() || self.display_root == "." {
            path.to_owned()
        } else {
            format!("{}/{path}", self.display_root.trim_end_matches('/'))
        }
    }

    /// The names of the directories directly below `dir` ("" for the root).
    pub fn subdirectories(&self, dir: &str) -> Vec<String> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter_map(|path| path.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once('/').map(|(name, _)| name.to_owned()))
            .collect();
        names.dedup();
        names
    }
}

/// Files the loader reads as text.
pub(crate) fn is_text_path(path: &str) -> bool {
    path.ends_with(".toml") || path.ends_with(".md")
}
