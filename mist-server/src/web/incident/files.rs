//! Attachments (intake field 27): screenshots, photos of the ransom note, logs.
//!
//! Uploads are streamed to `data_dir/incidents/` under a generated name with a size limit, and kept
//! only if their bytes are a PNG, JPEG, PDF or plain text (UTF-8 or Shift_JIS, as Japanese Windows
//! writes logs). ZIP archives are refused, Office documents with them: an archive can hold anything,
//! including the malware the hospital is fighting, and nobody at the desk should have to open one.
//! Downloads are never shown in the browser: always an attachment, `nosniff`, a sandboxing CSP.

use std::io::Write;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Multipart, Path, Request, State};
use axum::http::header::{
    CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;
use uuid::Uuid;

use super::{Access, MAX_ATTACHMENT_BYTES, access, audit_ticket, ticket};
use crate::secret::token_hash;
use crate::store::incident_desk::Attachment;
use crate::store::incidents::{Change, Incident};
use crate::store::now;
use crate::web::i18n::Lang;
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// What an upload's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Png,
    Jpeg,
    Pdf,
    Text,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Pdf => "pdf",
            Kind::Text => "text",
        }
    }
}

/// The type of a whole file by its content; `None` for anything else (archives, executables, Office
/// documents, binary data).
fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if !bytes.is_empty() && is_plain_text(bytes) {
        Some(Kind::Text)
    } else {
        None
    }
}

/// UTF-8 (a BOM allowed) or Shift_JIS, without control characters other than tab, line breaks, form
/// feed and escape.
fn is_plain_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => match encoding_rs::SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(bytes)
        {
            Some(text) => text,
            None => return false,
        },
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
}

/// The uploaded name, reduced to a harmless file name (used only in the download's header).
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | ';'))
        .take(120)
        .collect();
    if clean.trim().is_empty() {
        "attachment".into()
    } else {
        clean
    }
}

/// Streams the form's `file` field into the ticket's storage and records it.
async fn receive(
    state: &AppState,
    lang: Lang,
    incident: &Incident,
    by: Option<Uuid>,
    mut form: Multipart,
) -> Result<Attachment, AppError> {
    let too_large = || {
        let mb = MAX_ATTACHMENT_BYTES / (1024 * 1024);
        AppError::FileTooLarge(match lang {
            Lang::Ja => format!("ファイルが大きすぎます（1 ファイル {mb} MB まで）。"),
            Lang::En => format!("The file is too large (up to {mb} MB each)."),
        })
    };
    // The request's own size limit (a little over one file) shows up as a multipart error.
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest(e.to_string())
        }
    };
    let dir = state.config.data_dir.join("incidents");
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Internal(e.to_string()))?;
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = clean_name(field.file_name().unwrap_or_default());
        let mut file =
            tempfile::NamedTempFile::new_in(&dir).map_err(|e| AppError::Internal(e.to_string()))?;
        let (mut size, mut hasher) = (0u64, Sha256::new());
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            size += chunk.len() as u64;
            if size > MAX_ATTACHMENT_BYTES {
                return Err(too_large());
            }
            hasher.update(&chunk);
            file.write_all(&chunk)
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        file.flush()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        // At most the size limit: read back whole, so that text is checked to the end.
        let bytes = std::fs::read(file.path()).map_err(|e| AppError::Internal(e.to_string()))?;
        let Some(kind) = sniff(&bytes) else {
            return Err(AppError::UnsupportedType(
                lang.pick(
                    "受け付けられるのは PNG・JPEG・PDF・テキスト（ログ）だけです。ZIP や Office 文書は PDF にしてください。",
                    "Only PNG, JPEG, PDF and plain text (logs) are accepted. Save ZIP archives or Office documents as PDF.",
                )
                .into(),
            ));
        };
        let attachment = Attachment {
            id: Uuid::new_v4(),
            incident_id: incident.id,
            file_name,
            kind: kind.as_str().into(),
            size: i64::try_from(size).unwrap_or(i64::MAX),
            sha256: hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            created_at: now(),
        };
        file.persist(dir.join(attachment.id.to_string()))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let change = Change {
            actor: by,
            action: "incident.attachment_upload",
            detail: json!({ "attachment": attachment.id, "sha256": attachment.sha256, "size": attachment.size }),
        };
        state.store.add_attachment(&attachment, &change).await?;
        return Ok(attachment);
    }
    Err(AppError::BadRequest(
        lang.pick("ファイルを選んでください。", "Choose a file.")
            .into(),
    ))
}

fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

/// `POST /incident/t/{token}/files`: the follow-up link's holder adds an attachment.
pub async fn upload_with_link(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
    form: Multipart,
) -> Result<Response, AppError> {
    let incident = state
        .store
        .incident_by_token(&token_hash(&token))
        .await?
        .ok_or(AppError::NotFound)?;
    audit_ticket(
        &state,
        None,
        &incident,
        "incident.followup_link_use",
        json!({ "method": "POST", "part": "attachment" }),
    )
    .await?;
    receive(&state, lang, &incident, None, form).await?;
    Ok(see_other(format!("/incident/t/{token}#attachments")))
}

/// `POST /incident/tickets/{number}/files`: a responder or a manager of the organization adds one.
pub async fn upload_signed_in(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    form: Multipart,
) -> Result<Response, AppError> {
    let (incident, access) = ticket(&state, viewer.as_ref(), &number).await?;
    receive(
        &state,
        lang,
        &incident,
        viewer.as_ref().map(|v| v.0.id),
        form,
    )
    .await?;
    Ok(see_other(match access {
        Access::Responder => format!("/desk/{number}#attachments"),
        Access::Manager => format!("/incident/tickets/{number}#attachments"),
    }))
}

/// `GET /incident/files/{id}`: for responders and the organization's managers; always a download.
pub async fn download(
    State(state): State<AppState>,
    viewer: Option<SignedIn>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let attachment = state
        .store
        .attachment(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let incident = state
        .store
        .incident(attachment.incident_id)
        .await?
        .ok_or(AppError::NotFound)?;
    access(&state, viewer.as_ref(), &incident).await?;
    audit_ticket(
        &state,
        viewer.as_ref().map(|v| v.0.id),
        &incident,
        "incident.attachment_download",
        json!({ "attachment": attachment.id }),
    )
    .await?;
    let path = state
        .config
        .data_dir
        .join("incidents")
        .join(attachment.id.to_string());
    let mut response = ServeFile::new(path)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map(Body::new);
    if response.status() == StatusCode::NOT_FOUND {
        return Err(AppError::Internal(format!(
            "attachment {id} is missing on disk"
        )));
    }
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    let ascii: String = attachment
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::web::render::url_encode(&attachment.file_name)
    );
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    Ok(response.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(
            sniff("2026-11-26 02:10 EDR: 検知\r\n".as_bytes()),
            Some(Kind::Text)
        );
        // Shift_JIS: 「暗号化」.
        assert_eq!(
            sniff(&[0x88, 0xC3, 0x8D, 0x86, 0x89, 0xBB, b'\n']),
            Some(Kind::Text)
        );
        assert_eq!(sniff(b"PK\x03\x04\x14\x00"), None, "zip");
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00"), None, "executable");
        assert_eq!(sniff(b"text with a \x00 NUL"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn uploaded_names_are_reduced_to_a_file_name() {
        assert_eq!(
            clean_name("C:\\Users\\a\\ransom \"note\".png"),
            "ransom note.png"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("\u{0007}"), "attachment");
    }
}
