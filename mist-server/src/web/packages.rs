//! Uploading SCORM packages: streamed to disk with a size limit, checked, and imported as a course.

use std::io::Write;
use std::path::PathBuf;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use mist_core::{Audience, Series, Slug};
use mist_scorm::package::{Limits, Mode, Report, check_zip, to_course};
use serde_json::json;

use super::api::ApiError;
use super::i18n::Lang;
use super::render::{Page, render};
use super::session::{ApiUser, SignedIn};
use super::{AppError, AppState};
use crate::store::{Origin, Role, User};

/// An upload on disk, removed when dropped.
struct Upload {
    file: tempfile::NamedTempFile,
    file_name: String,
    slug: Option<String>,
    audience: Option<String>,
}

/// Reads the multipart form: field `file` streamed to a temporary file with the size limit, and the
/// optional fields `slug` and `audience`.
async fn receive(state: &AppState, mut form: Multipart) -> Result<Upload, AppError> {
    let staging = state.config.data_dir.join("uploads");
    std::fs::create_dir_all(&staging).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut upload: Option<(tempfile::NamedTempFile, String)> = None;
    let (mut slug, mut audience) = (None, None);
    let limit = state.config.max_package_bytes;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("package.zip").to_owned();
                let mut file = tempfile::NamedTempFile::new_in(&staging)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                let mut written: u64 = 0;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?
                {
                    written += chunk.len() as u64;
                    if written > limit {
                        return Err(AppError::TooLarge(limit / (1024 * 1024)));
                    }
                    file.write_all(&chunk)
                        .map_err(|e| AppError::Internal(e.to_string()))?;
                }
                upload = Some((file, name));
            }
            Some("slug") => {
                slug = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| AppError::BadRequest(e.to_string()))?,
                )
            }
            Some("audience") => {
                audience = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| AppError::BadRequest(e.to_string()))?,
                )
            }
            _ => {}
        }
    }
    let (file, file_name) =
        upload.ok_or_else(|| AppError::BadRequest("no file in the form field `file`".into()))?;
    Ok(Upload {
        file,
        file_name,
        slug: slug.filter(|s| !s.trim().is_empty()),
        audience,
    })
}

/// What an import produced.
enum Imported {
    /// A new or replaced course.
    Course {
        id: uuid::Uuid,
        slug: String,
        report: Report,
    },
    /// The package was rejected; the report says why.
    Rejected(Report),
}

/// Checks an upload and, when importable, stores its files and adds it to the catalogue.
async fn import(state: &AppState, upload: Upload, by: &User) -> Result<Imported, AppError> {
    if by.role < Role::Manager {
        return Err(AppError::Forbidden);
    }
    let path: PathBuf = upload.file.path().to_owned();
    let check_path = path.clone();
    let report = tokio::task::spawn_blocking(move || {
        std::fs::File::open(&check_path).map(|f| {
            check_zip(
                std::io::BufReader::new(f),
                Mode::Tolerant,
                &Limits::default(),
            )
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    if !report.is_importable() {
        return Ok(Imported::Rejected(report));
    }
    let slug_text = upload
        .slug
        .clone()
        .unwrap_or_else(|| slug_from(&upload.file_name));
    let slug = Slug::parse(slug_text.trim()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let audience = upload
        .audience
        .as_deref()
        .and_then(Audience::parse)
        .unwrap_or(Audience::Staff);
    let existing = state.course(slug.as_str()).await?;
    if existing
        .as_ref()
        .is_some_and(|c| c.modules.iter().any(|m| m.launch.is_none()))
    {
        return Err(AppError::BadRequest(format!(
            "`{slug}` is a MIST course; choose another slug"
        )));
    }
    let course =
        to_course(&report, slug, audience).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let storage = std::sync::Arc::clone(&state.storage);
    let id = course.id;
    tokio::task::spawn_blocking(move || storage.import(id, &path, &Limits::default()))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let position = state.courses().await?.len();
    let slug = course.slug.to_string();
    let series = Series {
        title: course.title.clone(),
        description: None,
        languages: state.series.languages.clone(),
        courses: vec![course],
    };
    state
        .store
        .upsert_series(&series, Origin::Scorm, position)
        .await?;
    state.catalogue_changed();
    drop(upload);
    Ok(Imported::Course { id, slug, report })
}

/// A slug from an uploaded file's name: `Golf Explained (v2).zip` → `golf-explained-v2`.
fn slug_from(file_name: &str) -> String {
    let stem = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .trim_end_matches(".zip");
    let words: Vec<String> = stem
        .to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut slug = words.join("-");
    slug.truncate(60);
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "package".to_owned()
    } else {
        slug
    }
}

/// `GET /manage/packages`: the upload form.
pub async fn upload_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    viewer.require(Role::Manager)?;
    render(
        &state,
        "package.html",
        lang,
        "/manage/packages",
        Some(&viewer),
        json!({ "report": null, "max_mb": state.config.max_package_bytes / (1024 * 1024) }),
    )
}

/// `POST /manage/packages`: uploads, checks and imports; shows the check report either way.
pub async fn upload(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    form: Multipart,
) -> Result<Response, AppError> {
    viewer.require(Role::Manager)?;
    let upload = receive(&state, form).await?;
    let (status, page) = match import(&state, upload, &viewer.0).await? {
        Imported::Course { slug, report, .. } => (
            StatusCode::OK,
            json!({ "imported": slug, "report": report }),
        ),
        Imported::Rejected(report) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "imported": null, "report": report }),
        ),
    };
    let mut page = page;
    page["max_mb"] = json!(state.config.max_package_bytes / (1024 * 1024));
    let html = render(
        &state,
        "package.html",
        lang,
        "/manage/packages",
        Some(&viewer),
        page,
    )?;
    Ok((status, html).into_response())
}

/// `POST /api/v1/packages`: 201 with the course and the report, 422 with the report, 413 when too large.
pub async fn upload_api(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    form: Multipart,
) -> Result<Response, ApiError> {
    let upload = receive(&state, form).await?;
    Ok(match import(&state, upload, &user).await? {
        Imported::Course { id, slug, report } => (
            StatusCode::CREATED,
            Json(json!({ "course": { "id": id, "slug": slug }, "report": report })),
        )
            .into_response(),
        Imported::Rejected(report) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "report": report })),
        )
            .into_response(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_come_from_file_names() {
        assert_eq!(
            super::slug_from("Golf Explained (v2).zip"),
            "golf-explained-v2"
        );
        assert_eq!(super::slug_from("C:\\\\tmp\\\\研修.zip"), "package");
    }
}
