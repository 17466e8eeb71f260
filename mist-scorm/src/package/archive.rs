//! Reading a zip package safely: every entry is vetted before anything is read or written.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Seek};

use zip::ZipArchive;
use zip::read::ZipFileEntry;
use zip::result::ZipError;

use super::diagnostic::{Code, Diagnostic, Severity, has_errors};
use super::limits::{CappedReader, Limits};
use super::names::{NameEncoding, canonical_entry_name, decode_entry_name};
use super::source::{Listing, PackageSource};

/// Why an archive could not be opened or extracted.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Not a zip file, or a broken one.
    #[error("not a readable zip archive: {0}")]
    Zip(#[from] ZipError),
    /// Reading the archive or writing the target failed.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    /// The archive is hostile or over a limit; the findings say why.
    #[error("the archive was refused: {}", .0.first().map_or("", |d| d.message.as_str()))]
    Refused(Vec<Diagnostic>),
}

/// A vetted entry of the archive.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VettedEntry {
    pub index: usize,
    pub name: String,
    pub is_dir: bool,
    pub size: u64,
    pub compressed: u64,
}

/// A package read from a zip archive in any `Read + Seek` (a file, a buffer).
pub struct ZipSource<R> {
    archive: ZipArchive<R>,
    index: BTreeMap<String, VettedEntry>,
}

impl<R: Read + Seek> ZipSource<R> {
    /// Opens the archive (reads its central directory only).
    pub fn new(reader: R) -> Result<Self, ArchiveError> {
        Ok(ZipSource {
            archive: ZipArchive::new(reader)?,
            index: BTreeMap::new(),
        })
    }

    /// Vets every entry against the limits; hostile entries become error findings.
    pub(crate) fn vet(&mut self, limits: &Limits) -> (Vec<VettedEntry>, Vec<Diagnostic>) {
        let mut findings = Vec::new();
        let count = self.archive.len();
        if count > limits.max_entries {
            findings.push(error(
                Code::ArchiveTooManyEntries,
                format!(
                    "the archive has {count} entries, more than the limit of {}",
                    limits.max_entries
                ),
                None,
            ));
            return (Vec::new(), findings);
        }
        if self.archive.has_duplicate_names() {
            findings.push(error(
                Code::ArchiveDuplicateName,
                "the archive lists two entries with the same name".to_owned(),
                None,
            ));
        }
        let mut seen = BTreeSet::new();
        let mut legacy_names: BTreeMap<&'static str, (usize, String)> = BTreeMap::new();
        let mut total: u64 = 0;
        let mut entries = Vec::with_capacity(count);
        for index in 0..count {
            let entry = match self.archive.by_index_data(index) {
                Ok(entry) => entry,
                Err(e) => {
                    findings.push(error(
                        Code::ArchiveUnreadable,
                        format!("entry {index} cannot be read: {e}"),
                        None,
                    ));
                    continue;
                }
            };
            let utf8_flag = entry.flags().as_u16() & 0x0800 != 0;
            let (name, encoding) = decode_entry_name(entry.name_raw(), utf8_flag);
            if let Some(label) = legacy_label(encoding) {
                legacy_names
                    .entry(label)
                    .or_insert_with(|| (0, name.clone()))
                    .0 += 1;
            }
            let canonical = match canonical_entry_name(&name) {
                Ok(canonical) => canonical,
                Err(problem) => {
                    let code = if problem.is_traversal() {
                        Code::ArchivePathTraversal
                    } else {
                        Code::ArchiveBadName
                    };
                    findings.push(error(
                        code,
                        format!("unsafe entry name: {problem}"),
                        Some(&name),
                    ));
                    continue;
                }
            };
            if let Some(finding) = vet_entry(&entry, &canonical, limits) {
                findings.push(finding);
                continue;
            }
            if !seen.insert(canonical.clone()) {
                findings.push(error(
                    Code::ArchiveDuplicateName,
                    "two entries have this name once normalized".to_owned(),
                    Some(&canonical),
                ));
                continue;
            }
            total = total.saturating_add(entry.size());
            entries.push(VettedEntry {
                index,
                name: canonical,
                is_dir: entry.is_dir(),
                size: entry.size(),
                compressed: entry.compressed_size(),
            });
        }
        if total > limits.max_total_size {
            findings.push(error(
                Code::ArchiveTooLarge,
                format!(
                    "the files expand to {total} bytes, more than the limit of {}",
                    limits.max_total_size
                ),
                None,
            ));
        }
        for (label, (n, example)) in legacy_names {
            findings.push(
                Diagnostic::new(
                    Severity::Info,
                    Code::ArchiveNameEncoding,
                    format!("{n} entry names without the UTF-8 flag were decoded as {label}"),
                )
                .in_file(example),
            );
        }
        self.index = entries
            .iter()
            .filter(|e| !e.is_dir)
            .map(|e| (e.name.clone(), e.clone()))
            .collect();
        (entries, findings)
    }

    /// Opens a vetted entry for reading, capped by its size and compression ratio.
    pub(crate) fn open_entry(
        &mut self,
        entry: &VettedEntry,
        limits: &Limits,
    ) -> io::Result<CappedReader<zip::read::ZipFile<'_, R>>> {
        let (cap, kind) = limits.entry_cap(entry.compressed, entry.size);
        let file = self
            .archive
            .by_index(entry.index)
            .map_err(io::Error::other)?;
        Ok(CappedReader::new(file, cap, kind))
    }

    /// Vets the archive and fails with every error finding, if any.
    pub(crate) fn vet_or_refuse(
        &mut self,
        limits: &Limits,
    ) -> Result<Vec<VettedEntry>, ArchiveError> {
        let (entries, findings) = self.vet(limits);
        if has_errors(&findings) {
            let errors = findings
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            return Err(ArchiveError::Refused(errors));
        }
        Ok(entries)
    }
}

/// Refuses symlinks, encrypted entries, unsupported compression and oversize entries.
fn vet_entry(entry: &ZipFileEntry<'_>, name: &str, limits: &Limits) -> Option<Diagnostic> {
    let (code, message) = if entry.is_symlink() {
        (
            Code::ArchiveSymlink,
            "the entry is a symbolic link".to_owned(),
        )
    } else if entry.encrypted() {
        (Code::ArchiveEncrypted, "the entry is encrypted".to_owned())
    } else if !zip::SUPPORTED_COMPRESSION_METHODS.contains(&entry.compression()) {
        (
            Code::ArchiveReadFailed,
            format!(
                "the entry uses an unsupported compression method ({:?})",
                entry.compression()
            ),
        )
    } else if entry.size() > limits.max_entry_size {
        (
            Code::ArchiveTooLarge,
            format!(
                "the entry expands to {} bytes, more than the limit of {}",
                entry.size(),
                limits.max_entry_size
            ),
        )
    } else if entry.size() > limits.ratio_cap(entry.compressed_size()) {
        (
            Code::ArchiveCompressionRatio,
            format!(
                "the entry expands from {} to {} bytes, beyond the compression-ratio limit of {}",
                entry.compressed_size(),
                entry.size(),
                limits.max_compression_ratio
            ),
        )
    } else {
        return None;
    };
    Some(error(code, message, Some(name)))
}

fn legacy_label(encoding: NameEncoding) -> Option<&'static str> {
    match encoding {
        NameEncoding::Cp437 => Some("CP437"),
        NameEncoding::Cp932 => Some("CP932 (Shift_JIS)"),
        NameEncoding::Ascii | NameEncoding::Utf8 => None,
    }
}

fn error(code: Code, message: String, file: Option<&str>) -> Diagnostic {
    let diagnostic = Diagnostic::new(Severity::Error, code, message);
    match file {
        Some(file) => diagnostic.in_file(file),
        None => diagnostic,
    }
}

impl<R: Read + Seek> PackageSource for ZipSource<R> {
    fn list(&mut self, limits: &Limits) -> Listing {
        let (entries, findings) = self.vet(limits);
        let files = entries
            .into_iter()
            .filter(|e| !e.is_dir)
            .map(|e| (e.name, e.size))
            .collect();
        Listing { files, findings }
    }

    fn open(&mut self, name: &str, limits: &Limits) -> io::Result<Box<dyn Read + '_>> {
        let entry =
            self.index.get(name).cloned().ok_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, format!("no entry {name}"))
            })?;
        Ok(Box::new(self.open_entry(&entry, limits)?))
    }
}
