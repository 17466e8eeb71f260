//! An exported package in memory, and its deterministic zip.

use std::io::{Cursor, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::ExportError;
use crate::package::MANIFEST_NAME;

/// One file of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Path inside the package, `/`-separated and relative.
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// The files of an exported package: `imsmanifest.xml` first, then every file the manifest lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    manifest: String,
    files: Vec<PackageFile>,
}

impl Package {
    pub(super) fn new(manifest: String, files: Vec<PackageFile>) -> Self {
        Self { manifest, files }
    }

    /// The manifest's text.
    pub fn manifest(&self) -> &str {
        &self.manifest
    }

    /// Every file except the manifest, in zip order.
    pub fn files(&self) -> &[PackageFile] {
        &self.files
    }

    /// The content of one file (the manifest included).
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        if path == MANIFEST_NAME {
            return Some(self.manifest.as_bytes());
        }
        self.files
            .iter()
            .find(|file| file.path == path)
            .map(|file| file.bytes.as_slice())
    }

    /// Writes the zip: fixed order, the DOS epoch (1980-01-01 00:00) as every timestamp and fixed
    /// permissions, so the same course always gives the same bytes.
    pub fn write_zip<W: Write + Seek>(&self, writer: W) -> Result<W, ExportError> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9))
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        let mut zip = ZipWriter::new(writer);
        zip.start_file(MANIFEST_NAME, options)?;
        zip.write_all(self.manifest.as_bytes())
            .map_err(zip::result::ZipError::Io)?;
        for file in &self.files {
            zip.start_file(file.path.as_str(), options)?;
            zip.write_all(&file.bytes)
                .map_err(zip::result::ZipError::Io)?;
        }
        Ok(zip.finish()?)
    }

    /// The zip as bytes.
    pub fn to_zip(&self) -> Result<Vec<u8>, ExportError> {
        Ok(self.write_zip(Cursor::new(Vec::new()))?.into_inner())
    }
}
