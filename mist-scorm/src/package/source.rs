//! Where a package's files come from: a zip archive, a folder, or a list given by the caller.

use std::collections::BTreeMap;
use std::io::{self, Read};

use super::diagnostic::{Code, Diagnostic, Severity};
use super::limits::{CapKind, CappedReader, Limits};
use super::names::canonical_listed_name;

/// The files of a package, by canonical name (see [`super::names`]), with what listing found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// Canonical file name to size in bytes (folders are not listed).
    pub files: BTreeMap<String, u64>,
    /// Problems found while listing (hostile names, limits, encodings).
    pub findings: Vec<Diagnostic>,
}

impl Listing {
    /// True when the package has this canonical file.
    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }
}

/// A package to check: something that can list its files and open one of them.
///
/// Implemented by [`super::archive::ZipSource`] (any `Read + Seek`), [`ListedSource`]
/// (names and an opener given by the caller) and [`super::fs::DirSource`] (a folder).
pub trait PackageSource {
    /// Lists every file. Never fails: unreadable or hostile entries become findings.
    fn list(&mut self, limits: &Limits) -> Listing;

    /// Opens a file named as in the listing; the reader stops at the limits.
    fn open(&mut self, name: &str, limits: &Limits) -> io::Result<Box<dyn Read + '_>>;
}

/// A package whose file names the caller lists, and whose files an opener function reads.
pub struct ListedSource<F> {
    names: Vec<(String, u64)>,
    opener: F,
}

impl<F> ListedSource<F>
where
    F: FnMut(&str) -> io::Result<Box<dyn Read>>,
{
    /// A source of `names` (with sizes, `/`-separated, relative) opened by `opener`.
    pub fn new(names: impl IntoIterator<Item = (String, u64)>, opener: F) -> Self {
        ListedSource {
            names: names.into_iter().collect(),
            opener,
        }
    }
}

impl<F> PackageSource for ListedSource<F>
where
    F: FnMut(&str) -> io::Result<Box<dyn Read>>,
{
    fn list(&mut self, limits: &Limits) -> Listing {
        let mut listing = Listing::default();
        if self.names.len() > limits.max_entries {
            listing.findings.push(Diagnostic::new(
                Severity::Error,
                Code::ArchiveTooManyEntries,
                format!(
                    "the package has {} files, more than the limit of {}",
                    self.names.len(),
                    limits.max_entries
                ),
            ));
            return listing;
        }
        for (name, size) in &self.names {
            match canonical_listed_name(name) {
                Some(canonical) => {
                    listing.files.insert(canonical, *size);
                }
                None => listing.findings.push(
                    Diagnostic::new(
                        Severity::Error,
                        Code::ArchiveBadName,
                        format!("the file name {name:?} is not a safe relative path"),
                    )
                    .in_file(name.clone()),
                ),
            }
        }
        listing
    }

    fn open(&mut self, name: &str, limits: &Limits) -> io::Result<Box<dyn Read + '_>> {
        let reader = (self.opener)(name)?;
        Ok(Box::new(CappedReader::new(
            reader,
            limits.max_entry_size,
            CapKind::Size,
        )))
    }
}
