//! Reading an authoring directory from disk into a [`SourceTree`].

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::source::{MAX_TEXT_FILE_BYTES, SourceTree, is_text_path};

/// Reading a directory failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadDirError {
    /// The path is not a directory.
    #[error("{0}: not a directory")]
    NotADirectory(PathBuf),
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The directory holds more files than a course can sensibly have.
    #[error("{0}: more than {MAX_FILES} files; is this really a course directory?")]
    TooManyFiles(PathBuf),
}

/// A course directory holding more files than this is refused.
pub const MAX_FILES: usize = 20_000;

/// Reads a series or course directory: text files (`.toml`, `.md`) with their content, other files by
/// size. Hidden entries (`.git`, editor files) are skipped, and symbolic links are not followed, so a
/// course cannot reach outside its directory.
pub fn read_dir(root: &Path) -> Result<SourceTree, ReadDirError> {
    if !root.is_dir() {
        return Err(ReadDirError::NotADirectory(root.to_owned()));
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ReadDirError::Io { path, source }
    };
    let name = fs::canonicalize(root)
        .map_err(io(root))?
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tree = SourceTree::new(root.display().to_string()).with_root_name(name);
    let mut pending = vec![(root.to_owned(), String::new())];
    let mut count = 0usize;
    while let Some((dir, relative)) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let relative_path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            let kind = entry.file_type().map_err(io(&path))?;
            if kind.is_dir() {
                pending.push((path, relative_path));
            } else if kind.is_file() {
                count += 1;
                if count > MAX_FILES {
                    return Err(ReadDirError::TooManyFiles(root.to_owned()));
                }
                let size = entry.metadata().map_err(io(&path))?.len();
                if is_text_path(&relative_path) {
                    let mut bytes = Vec::new();
                    fs::File::open(&path)
                        .and_then(|file| file.take(MAX_TEXT_FILE_BYTES + 1).read_to_end(&mut bytes))
                        .map_err(io(&path))?;
                    tree.insert_bytes(relative_path, bytes);
                } else {
                    tree.insert_asset(relative_path, size);
                }
            }
        }
    }
    Ok(tree)
}
