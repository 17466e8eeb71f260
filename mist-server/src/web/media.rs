//! Files of authored modules: videos, captions and downloads, served from the course directory.
//!
//! Only files that the module itself declares are served, so no request path can reach anything
//! else on disk; videos support range requests (seeking), and downloads are sent as attachments.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use mist_core::{Block, Module};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::{AppError, AppState};

/// What a declared file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    /// Shown in the page (video, captions).
    Inline,
    /// Offered for download.
    Attachment,
}

/// Whether `path` is a file the module declares, and how it is used.
fn declared(module: &Module, path: &str) -> Option<Declared> {
    module
        .lessons
        .iter()
        .flat_map(|l| &l.blocks)
        .find_map(|block| match block {
            Block::Video(video)
                if video.url == path || video.captions.iter().any(|c| c.url == path) =>
            {
                Some(Declared::Inline)
            }
            Block::Download(download) if download.file == path => Some(Declared::Attachment),
            _ => None,
        })
}

/// `GET /media/{course}/{module}/{path}`.
pub async fn module_file(
    State(state): State<AppState>,
    Path((course_slug, module_slug, path)): Path<(String, String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let root = state.media.get(&course_slug).ok_or(AppError::NotFound)?;
    let course = state
        .store
        .course(&course_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let module = course.module(&module_slug).ok_or(AppError::NotFound)?;
    let use_as = declared(module, &path).ok_or(AppError::NotFound)?;
    // The authoring loader only accepts relative paths inside the module directory.
    let file = root.join(module.slug.as_str()).join(&path);
    let mut response = ServeFile::new(file)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map(Body::new);
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if use_as == Declared::Attachment {
        let name = path
            .rsplit('/')
            .next()
            .unwrap_or("download")
            .replace(['"', '\\'], "_");
        if let Ok(value) = HeaderValue::from_str(&format!(
            "attachment; filename=\"{}\"",
            name.escape_default()
        )) {
            headers.insert(CONTENT_DISPOSITION, value);
        }
    }
    Ok(response.into_response())
}

/// The URL the page uses for a module file: web URLs as they are, module paths under `/media/`.
pub fn media_url(course: &str, module: &str, url: &str) -> String {
    if url.contains("://") {
        url.to_owned()
    } else {
        format!("/media/{course}/{module}/{url}")
    }
}
