//! Receiving a material's upload: streamed to a temporary file beside the stored materials, counted
//! against the size limit and hashed on the way; recognised by its content; kept under a generated
//! name only once checked. A refused upload is deleted with its temporary file.
//!
//! Sniffing lives here rather than in mist-core because it reads files (and zip archives); the
//! decisions on the bytes read are mist-core's (`portal::filetype`).

use std::io::{Read, Write};
use std::path::{Path as FsPath, PathBuf};

use axum::extract::Multipart;
use mist_core::portal::filetype::{self, FileType, Magic, SNIFF_BYTES, Sniffed};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Fields;
use crate::store::portal::contents::ContentSource;
use crate::web::{AppError, AppState};

/// The largest text field of the upload form, in bytes (the longest description is 2,000 characters).
const MAX_TEXT_FIELD_BYTES: usize = 64 * 1024;

/// The directory of stored materials.
pub(super) fn contents_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("contents")
}

/// An uploaded file in its temporary place; deleted when dropped unless kept.
pub(super) struct Staged {
    temp: tempfile::NamedTempFile,
    pub(super) file_name: String,
    pub(super) declared: String,
    pub(super) size: u64,
    sha256: String,
}

/// What the upload form carried.
pub(super) enum Received {
    /// Every field, and the file if one was chosen.
    Complete(Fields, Option<Staged>),
    /// The file passed the size limit; reading stopped there.
    TooLarge(Fields),
}

pub(super) fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// Reads the multipart form, streaming field `file` to disk within the size limit.
pub(super) async fn receive(state: &AppState, mut form: Multipart) -> Result<Received, AppError> {
    let dir = contents_dir(state);
    std::fs::create_dir_all(&dir).map_err(internal)?;
    let limit = state.config.max_content_bytes;
    let mut fields = Fields::default();
    let mut staged = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            // Descriptions are short; a huge text field is refused before it fills memory.
            let mut value = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?
            {
                value.extend_from_slice(&chunk);
                if value.len() > MAX_TEXT_FIELD_BYTES {
                    return Err(AppError::BadRequest(format!(
                        "the form field `{name}` is too long"
                    )));
                }
            }
            let value = String::from_utf8(value).map_err(|_| {
                AppError::BadRequest(format!("the form field `{name}` is not UTF-8"))
            })?;
            fields.push(name, value);
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let declared = field.content_type().unwrap_or_default().to_owned();
        let mut temp = tempfile::Builder::new()
            .prefix(".upload-")
            .tempfile_in(&dir)
            .map_err(internal)?;
        let (mut size, mut hash) = (0u64, Sha256::new());
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?
        {
            size += chunk.len() as u64;
            if size > limit {
                return Ok(Received::TooLarge(fields));
            }
            hash.update(&chunk);
            temp.write_all(&chunk).map_err(internal)?;
        }
        // A file input left empty still sends a part, with no name and no bytes.
        if !(file_name.is_empty() && size == 0) {
            let sha256 = crate::secret::hex(&hash.finalize());
            staged = Some(Staged {
                temp,
                file_name,
                declared,
                size,
                sha256,
            });
        }
    }
    Ok(Received::Complete(fields, staged))
}

/// Recognises a file from its content: signature, then a zip's `[Content_Types].xml`, then text.
fn sniff_file(path: &FsPath) -> std::io::Result<Sniffed> {
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)?;
    Ok(match filetype::sniff(&prefix) {
        Magic::Type(t) => Sniffed::Type(t),
        Magic::Zip => {
            let office = zip::ZipArchive::new(std::fs::File::open(path)?)
                .ok()
                .and_then(|mut archive| {
                    let mut xml = String::new();
                    let entry = archive.by_name("[Content_Types].xml").ok()?;
                    // The declaration is small; a huge one is not an Office document.
                    entry.take(1024 * 1024).read_to_string(&mut xml).ok()?;
                    filetype::office_type(&xml)
                });
            office.map_or(Sniffed::Unknown, Sniffed::Type)
        }
        Magic::Other if filetype::is_plain_text(&std::fs::read(path)?) => Sniffed::Text,
        Magic::Other => Sniffed::Unknown,
    })
}

impl Staged {
    /// What the file's content is.
    pub(super) async fn sniff(&self) -> Result<Sniffed, AppError> {
        let path = self.temp.path().to_owned();
        tokio::task::spawn_blocking(move || sniff_file(&path))
            .await
            .map_err(internal)?
            .map_err(internal)
    }
}

/// Moves a checked upload to its generated name.
pub(super) fn keep(
    state: &AppState,
    file: Staged,
    file_type: FileType,
) -> Result<ContentSource, AppError> {
    let stored_name = Uuid::new_v4().simple().to_string();
    file.temp
        .persist(contents_dir(state).join(&stored_name))
        .map_err(internal)?;
    Ok(ContentSource::File {
        stored_name,
        media_type: file_type.media_type().to_owned(),
        byte_size: i64::try_from(file.size).map_err(internal)?,
        sha256: file.sha256,
    })
}
