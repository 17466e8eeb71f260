//! File-system adapter: a package laid out in a folder.
//!
//! This is the only part of the package module that opens paths itself; everything else
//! works on [`PackageSource`]. Symlinks are reported and never followed.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::diagnostic::{Code, Diagnostic, Severity};
use super::limits::{CapKind, CappedReader, Limits};
use super::names::canonical_entry_name;
use super::source::{Listing, PackageSource};

/// A package unpacked in a folder.
pub struct DirSource {
    root: PathBuf,
    /// Canonical (NFC) name to the path on disk, which may be in another normalization form.
    paths: BTreeMap<String, PathBuf>,
}

impl DirSource {
    /// A package whose root (where `imsmanifest.xml` should be) is `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSource {
            root: root.into(),
            paths: BTreeMap::new(),
        }
    }

    fn walk(&mut self, dir: &Path, prefix: &str, limits: &Limits, listing: &mut Listing) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                listing.findings.push(read_failed(prefix, &e));
                return;
            }
        };
        for entry in entries {
            if listing.files.len() >= limits.max_entries {
                listing.findings.push(Diagnostic::new(
                    Severity::Error,
                    Code::ArchiveTooManyEntries,
                    format!("the folder has more than {} files", limits.max_entries),
                ));
                return;
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    listing.findings.push(read_failed(prefix, &e));
                    continue;
                }
            };
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let Ok(canonical) = canonical_entry_name(&name) else {
                listing.findings.push(
                    Diagnostic::new(Severity::Error, Code::ArchiveBadName, "unsafe file name")
                        .in_file(name),
                );
                continue;
            };
            match entry.file_type() {
                Ok(kind) if kind.is_symlink() => listing.findings.push(
                    Diagnostic::new(
                        Severity::Error,
                        Code::ArchiveSymlink,
                        "the file is a symbolic link",
                    )
                    .in_file(canonical),
                ),
                Ok(kind) if kind.is_dir() => {
                    self.walk(&entry.path(), &format!("{canonical}/"), limits, listing);
                }
                Ok(_) => {
                    let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    self.paths.insert(canonical.clone(), entry.path());
                    listing.files.insert(canonical, size);
                }
                Err(e) => listing.findings.push(read_failed(&canonical, &e)),
            }
        }
    }
}

fn read_failed(name: &str, error: &io::Error) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        Code::ArchiveReadFailed,
        format!("cannot read the folder: {error}"),
    )
    .in_file(name)
}

impl PackageSource for DirSource {
    fn list(&mut self, limits: &Limits) -> Listing {
        let mut listing = Listing::default();
        self.paths.clear();
        self.walk(&self.root.clone(), "", limits, &mut listing);
        listing
    }

    fn open(&mut self, name: &str, limits: &Limits) -> io::Result<Box<dyn Read + '_>> {
        let path = self.paths.get(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("{name} is not in the listing"),
            )
        })?;
        let file = fs::File::open(path)?;
        Ok(Box::new(CappedReader::new(
            file,
            limits.max_entry_size,
            CapKind::Size,
        )))
    }
}
