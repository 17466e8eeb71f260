//! Extracting a zip package into a folder without ever writing outside it.
//!
//! Never `ZipArchive::extract` an upload: it makes symlinks. Here every entry is vetted first
//! (names, symlinks, encryption, duplicates, counts, declared sizes); nothing is written if
//! any entry is refused. Each file is then streamed through a reader capped at its declared
//! size, the compression-ratio limit and what is left of the total, and created with
//! `create_new`, so an existing file or symlink in the target is never followed or replaced.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

use super::archive::{ArchiveError, ZipSource};
use super::diagnostic::{Code, Diagnostic, Severity};
use super::limits::{Limits, cap_exceeded};

/// What an extraction wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExtractSummary {
    /// Files written.
    pub files: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Extracts the zip in `reader` into `target` (created if missing; best a fresh folder).
///
/// On error, files written so far stay in `target`, all inside it: the caller removes the folder.
pub fn extract<R: Read + Seek>(
    reader: R,
    target: &Path,
    limits: &Limits,
) -> Result<ExtractSummary, ArchiveError> {
    let mut source = ZipSource::new(reader)?;
    let entries = source.vet_or_refuse(limits)?;
    fs::create_dir_all(target)?;
    let mut summary = ExtractSummary::default();
    let mut buffer = vec![0u8; 256 * 1024];
    for entry in &entries {
        let path = target_path(target, &entry.name)?;
        if entry.is_dir {
            fs::create_dir_all(&path)?;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
            refuse_symlinked_ancestors(target, parent)?;
        }
        let left = limits.max_total_size.saturating_sub(summary.bytes);
        let mut input = source.open_entry(entry, limits)?;
        let mut output = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let written = copy(&mut input, &mut output, &mut buffer, left).map_err(|e| {
            match cap_exceeded(&e).map(|cap| cap.kind) {
                Some(kind) => refused(entry.name.as_str(), kind),
                None if e.kind() == io::ErrorKind::FileTooLarge => ArchiveError::Refused(vec![
                    Diagnostic::new(
                        Severity::Error,
                        Code::ArchiveTooLarge,
                        "the files expand past the total size limit",
                    )
                    .in_file(entry.name.as_str()),
                ]),
                None => ArchiveError::Io(e),
            }
        })?;
        summary.files += 1;
        summary.bytes += written;
    }
    Ok(summary)
}

/// Copies at most `left` bytes; more is an error of kind `FileTooLarge`.
fn copy(
    input: &mut impl Read,
    output: &mut impl io::Write,
    buffer: &mut [u8],
    left: u64,
) -> io::Result<u64> {
    let mut written: u64 = 0;
    loop {
        let n = match input.read(buffer) {
            Ok(0) => return Ok(written),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        written += n as u64;
        if written > left {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                "total size limit",
            ));
        }
        output.write_all(&buffer[..n])?;
    }
}

fn refused(name: &str, kind: super::limits::CapKind) -> ArchiveError {
    let (code, message) = match kind {
        super::limits::CapKind::Size => (
            Code::ArchiveTooLarge,
            "the entry expands past its declared size or the size limit",
        ),
        super::limits::CapKind::Ratio => (
            Code::ArchiveCompressionRatio,
            "the entry expands beyond the compression-ratio limit",
        ),
    };
    ArchiveError::Refused(vec![
        Diagnostic::new(Severity::Error, code, message).in_file(name),
    ])
}

/// The path of a canonical entry name under `target`, built segment by segment.
fn target_path(target: &Path, name: &str) -> io::Result<PathBuf> {
    let mut path = target.to_path_buf();
    for segment in name.split('/') {
        // Canonical names have no empty, `.` or `..` segments; this guards against misuse.
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "unsafe entry name",
            ));
        }
        path.push(segment);
    }
    Ok(path)
}

/// Fails when a folder between `target` and `dir` is a symlink (left there by someone else).
fn refuse_symlinked_ancestors(target: &Path, dir: &Path) -> io::Result<()> {
    let mut current = dir;
    while current != target {
        if fs::symlink_metadata(current)?.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is a symlink", current.display()),
            ));
        }
        match current.parent() {
            Some(parent) => current = parent,
            None => break,
        }
    }
    Ok(())
}
