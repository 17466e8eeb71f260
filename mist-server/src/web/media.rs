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

/// Reads an authored course's module files for SCORM export, from the same directory as the pages.
struct CourseMedia<'a>(Option<&'a std::path::PathBuf>);

impl mist_scorm::export::MediaSource for CourseMedia<'_> {
    fn read(
        &self,
        _course: &mist_core::Course,
        module: &Module,
        path: &str,
    ) -> std::io::Result<Vec<u8>> {
        let root = self.0.ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the course has no module files",
            )
        })?;
        std::fs::read(root.join(module.slug.as_str()).join(path))
    }
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    scorm: Option<String>,
}

/// `GET /manage/export/{course}?scorm=1.2|2004`: a course as a SCORM package for the hospital's own
/// LMS (managers and administrators).
pub async fn export_course(
    State(state): State<AppState>,
    viewer: super::SignedIn,
    Path(course_slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
) -> Result<Response, AppError> {
    viewer.require(crate::store::Role::Manager)?;
    let version: mist_scorm::export::ExportVersion = query
        .scorm
        .as_deref()
        .unwrap_or("2004")
        .parse()
        .map_err(|_| AppError::BadRequest("scorm is 1.2, 2004 or 2004-3rd".into()))?;
    let course = state
        .course(&course_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if course.modules.iter().any(|m| m.launch.is_some()) {
        return Err(AppError::BadRequest(
            "an imported SCORM package is exported by its authoring tool, not by MIST".into(),
        ));
    }
    let media = CourseMedia(state.media.get(&course_slug));
    let zip = mist_scorm::export::Exporter::new(version, &state.series.languages)
        .with_media(&media)
        .course(&course)
        .and_then(|package| package.to_zip())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("attachment; filename=\"{course_slug}-scorm{version}.zip\"");
    let disposition =
        HeaderValue::from_str(&name).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (CONTENT_DISPOSITION, disposition),
        ],
        zip,
    )
        .into_response())
}
