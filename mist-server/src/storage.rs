//! Where imported packages' files live: a small interface, so that object storage can replace the
//! file system later, and its file-system implementation.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use mist_scorm::package::{ArchiveError, Limits, extract};
use uuid::Uuid;

/// Storing a package failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The archive was refused or could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The storage directory failed.
    #[error("package storage: {0}")]
    Io(#[from] std::io::Error),
}

/// The files of imported packages, by package id.
pub trait PackageStorage: Send + Sync + std::fmt::Debug {
    /// Stores the files of the zip at `zip` as package `id`, replacing an earlier version only once the
    /// new one is complete.
    fn import(&self, id: Uuid, zip: &Path, limits: &Limits) -> Result<(), StorageError>;

    /// The local file holding `path` (relative, `/`-separated) of package `id`, if there is one.
    fn file(&self, id: Uuid, path: &str) -> Option<PathBuf>;
}

/// Packages unpacked under a directory: `ROOT/{id}/…`.
#[derive(Debug, Clone)]
pub struct FileStorage {
    root: PathBuf,
}

impl FileStorage {
    /// Storage under `root` (created when needed).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

impl PackageStorage for FileStorage {
    fn import(&self, id: Uuid, zip: &Path, limits: &Limits) -> Result<(), StorageError> {
        std::fs::create_dir_all(&self.root)?;
        let staging = self.root.join(format!(".incoming-{}", Uuid::new_v4()));
        let unpacked = extract(BufReader::new(File::open(zip)?), &staging, limits);
        if let Err(error) = unpacked {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error.into());
        }
        let target = self.root.join(id.to_string());
        let retired = self.root.join(format!(".retired-{}", Uuid::new_v4()));
        if target.exists() {
            std::fs::rename(&target, &retired)?;
        }
        std::fs::rename(&staging, &target)?;
        let _ = std::fs::remove_dir_all(&retired);
        Ok(())
    }

    fn file(&self, id: Uuid, path: &str) -> Option<PathBuf> {
        let safe = !path.is_empty()
            && !path.starts_with('/')
            && !path.contains(['\\', '\0', ':'])
            && path
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        if !safe {
            return None;
        }
        let base = self.root.join(id.to_string());
        let candidate = base.join(path);
        // Extraction refuses symlinks; checking the resolved path keeps that true whatever the disk holds.
        let resolved = candidate.canonicalize().ok()?;
        (resolved.starts_with(base.canonicalize().ok()?) && resolved.is_file()).then_some(resolved)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_package() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FileStorage::new(dir.path());
        let id = Uuid::new_v4();
        std::fs::create_dir_all(dir.path().join(id.to_string()).join("a")).unwrap();
        std::fs::write(dir.path().join(id.to_string()).join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        assert!(storage.file(id, "a/index.html").is_some());
        for bad in [
            "../secret.txt",
            "a/../../secret.txt",
            "/etc/passwd",
            "a\\index.html",
            "",
            "a//index.html",
            "a",
        ] {
            assert!(storage.file(id, bad).is_none(), "{bad}");
        }
    }
}
