//! `/contents`: the contents collection, searchable and filtered; downloads as attachments.

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use mist_core::portal::search::{PageRequest, like_pattern};
use mist_core::portal::vocabulary::{AudienceTag, ContentKind};
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt;
use tower_http::services::ServeFile;
use uuid::Uuid;

use super::{choices, pager, query_string, tag_labels};
use crate::store::portal::contents::{ContentItem, ContentQuery};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// Materials per page.
const PAGE_SIZE: u32 = 10;

/// The contents collection's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ContentsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    kind: String,
    page: Option<String>,
}

/// A material for a template, in the reader's language.
pub(super) fn item_json(lang: Lang, item: &ContentItem) -> Value {
    let kind = ContentKind::parse(&item.kind).map(ContentKind::label);
    json!({
        "id": item.id,
        "kind": item.kind,
        "kind_label": kind.map(|(ja, en)| lang.pick(ja, en)),
        "audiences": tag_labels(lang, &item.audiences, AudienceTag::parse, AudienceTag::label),
        "title": lang.pick(&item.title_ja, &item.title_en),
        "description": lang.pick(&item.description_ja, &item.description_en),
        "licence": lang.pick(&item.licence_ja, &item.licence_en),
        "external_url": item.external_url,
        "media_type": item.media_type.as_deref().map(|t| t.split(';').next().unwrap_or(t)),
        "size_kb": item.byte_size.map(|b| (b + 1023) / 1024),
        "sha256": item.sha256,
    })
}

/// `GET /contents?q=&audience=&kind=&page=`.
pub async fn list(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Query(query): Query<ContentsQuery>,
) -> Page {
    // Unknown filter values (hand-edited URLs) are ignored rather than matching nothing.
    let audience = AudienceTag::parse(&query.audience).map(AudienceTag::as_str);
    let kind = ContentKind::parse(&query.kind).map(ContentKind::as_str);
    let like = like_pattern(&query.q);
    let page = PageRequest::new(query.page.as_deref(), PAGE_SIZE);
    let (items, total) = state
        .store
        .search_contents(
            &ContentQuery {
                like: like.as_deref(),
                audience,
                kind,
            },
            i64::from(page.size),
            page.offset(),
        )
        .await?;
    let base = query_string(&[
        ("q", query.q.trim()),
        ("audience", audience.unwrap_or_default()),
        ("kind", kind.unwrap_or_default()),
    ]);
    let page_json = json!({
        "q": query.q.trim(),
        "items": items.iter().map(|i| item_json(lang, i)).collect::<Vec<_>>(),
        "audiences": choices(lang, AudienceTag::ALL, AudienceTag::as_str, AudienceTag::label, &[audience.unwrap_or_default()]),
        "kinds": choices(lang, ContentKind::ALL, ContentKind::as_str, ContentKind::label, &[kind.unwrap_or_default()]),
        "pager": pager(page.number, page.page_count(total), total, &base),
    });
    render(
        &state,
        "contents.html",
        lang,
        "/contents",
        viewer.as_ref(),
        page_json,
    )
}

/// The download's file name: the title (without characters that file systems or headers refuse)
/// and the extension of the checked type.
fn download_name(item: &ContentItem) -> String {
    let stem: String = item
        .title_ja
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .take(80)
        .collect();
    let extension = item
        .media_type
        .as_deref()
        .and_then(mist_core::portal::filetype::FileType::from_media_type)
        .map_or("bin", |f| f.extension());
    format!(
        "{}.{extension}",
        if stem.trim().is_empty() {
            "material"
        } else {
            stem.trim()
        }
    )
}

/// `GET /contents/{id}/download`: the stored file as an attachment with its checked type.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    request: Request,
) -> Result<Response, AppError> {
    let item = state.store.content(id).await?.ok_or(AppError::NotFound)?;
    let (Some(stored_name), Some(media_type)) = (&item.stored_name, &item.media_type) else {
        return Err(AppError::NotFound);
    };
    let file = state.config.data_dir.join("contents").join(stored_name);
    let mut response = ServeFile::new(file)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map(Body::new);
    if !response.status().is_success() {
        return Err(AppError::NotFound);
    }
    let name = download_name(&item);
    // An ASCII fallback name, and the real one in RFC 5987 form for browsers that read it.
    let disposition = format!(
        "attachment; filename=\"material.{}\"; filename*=UTF-8''{}",
        name.rsplit('.').next().unwrap_or("bin"),
        crate::web::render::url_encode(&name).replace('/', "%2F"),
    );
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(media_type).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    Ok(response.into_response())
}
