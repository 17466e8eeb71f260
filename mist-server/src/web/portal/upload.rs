//! `/admin/contents`: administrators add, edit and delete materials.
//!
//! Uploads are received and checked by [`super::staging`].

use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mist_core::portal::filetype::{self, FileType, TypeError};
use mist_core::portal::search::{PageRequest, search_text};
use mist_core::portal::vocabulary::{AudienceTag, ContentKind, join_tags};
use serde_json::json;
use uuid::Uuid;

use super::contents::item_json;
use super::staging::{Received, Staged, contents_dir, keep, receive};
use super::{AdminForm, Fields, FormErrors, admin, choices, is_web_url, pager, record};
use crate::store::portal::contents::{ContentFields, ContentQuery, ContentSource};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// Materials per admin page.
const PAGE_SIZE: u32 = 50;

/// The describing fields of a material from a form, noting problems.
fn content_fields(lang: Lang, form: &Fields, errors: &mut FormErrors) -> ContentFields {
    if ContentKind::parse(form.get("kind")).is_none() {
        errors.add("kind", lang, "種類を選んでください。", "Choose a kind.");
    }
    let audiences: Vec<AudienceTag> = form
        .all("audiences")
        .into_iter()
        .filter_map(AudienceTag::parse)
        .collect();
    if audiences.is_empty() {
        errors.add(
            "audiences",
            lang,
            "対象を一つ以上選んでください。",
            "Choose at least one audience.",
        );
    }
    for (field, max) in [
        ("title_ja", 200),
        ("title_en", 200),
        ("licence_ja", 200),
        ("licence_en", 200),
        ("description_ja", 2000),
        ("description_en", 2000),
    ] {
        let value = form.get(field);
        if value.is_empty() && !field.starts_with("description") {
            errors.add(field, lang, "入力してください。", "Required.");
        } else if value.chars().count() > max {
            errors.add(
                field,
                lang,
                &format!("{max}文字以内で入力してください。"),
                &format!("At most {max} characters."),
            );
        }
    }
    ContentFields {
        kind: form.get("kind").to_owned(),
        audiences: join_tags(&audiences, AudienceTag::as_str),
        title_ja: form.get("title_ja").to_owned(),
        title_en: form.get("title_en").to_owned(),
        description_ja: form.get("description_ja").to_owned(),
        description_en: form.get("description_en").to_owned(),
        licence_ja: form.get("licence_ja").to_owned(),
        licence_en: form.get("licence_en").to_owned(),
        search_text: search_text(&[
            form.get("title_ja"),
            form.get("title_en"),
            form.get("description_ja"),
            form.get("description_en"),
        ]),
    }
}

/// Checks what a new material is: a file whose content agrees with its name and declared type, or
/// (for a video) an https address. Returns the file's type when it is a file.
async fn check_source(
    lang: Lang,
    staged: Option<&Staged>,
    external: &str,
    kind: &str,
    errors: &mut FormErrors,
) -> Result<Option<FileType>, AppError> {
    match (staged, external.is_empty()) {
        (None, true) => errors.add(
            "file",
            lang,
            "ファイルを選ぶか、動画の URL を入力してください。",
            "Choose a file, or enter a video address.",
        ),
        (Some(_), false) => errors.add(
            "file",
            lang,
            "ファイルと動画の URL のどちらか一方だけを指定してください。",
            "Give either a file or a video address, not both.",
        ),
        (None, false) if kind != ContentKind::Video.as_str() => errors.add(
            "external_url",
            lang,
            "URL を指定できるのは動画だけです。",
            "Only videos may be an address.",
        ),
        (None, false) if !is_web_url(external, true) => errors.add(
            "external_url",
            lang,
            "https:// で始まる URL を入力してください。",
            "Enter an address starting with https://.",
        ),
        (None, false) => {}
        (Some(file), true) if file.size == 0 => {
            errors.add("file", lang, "ファイルが空です。", "The file is empty.");
        }
        (Some(file), true) => {
            let sniffed = file.sniff().await?;
            match filetype::check(sniffed, &file.file_name, &file.declared) {
                Ok(file_type) => return Ok(Some(file_type)),
                Err(e) => errors.set("file", type_message(lang, &e)),
            }
        }
    }
    Ok(None)
}

/// Why a file's type was refused, in the reader's language.
fn type_message(lang: Lang, error: &TypeError) -> String {
    match error {
        TypeError::Unsupported => lang.pick(
            "受け付けられない形式です(PDF, PNG, JPEG, MP4, WebM, PPTX, DOCX, XLSX, UTF-8 のテキスト・CSV のみ)。",
            "This type is not accepted (only PDF, PNG, JPEG, MP4, WebM, PPTX, DOCX, XLSX, UTF-8 text or CSV).",
        ).to_owned(),
        TypeError::Extension { file_name, content } => match lang {
            Lang::Ja => format!("ファイル名「{file_name}」の拡張子が内容({content})と一致しません。"),
            Lang::En => format!("The extension of “{file_name}” does not match its content ({content})."),
        },
        TypeError::MediaType { declared, content } => match lang {
            Lang::Ja => format!("送信された形式 {declared} が内容({content})と一致しません。"),
            Lang::En => format!("The file was sent as {declared}, but its content is {content}."),
        },
    }
}

/// The admin page: the form and the list.
async fn admin_view(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    form: AdminForm,
    page_number: Option<&str>,
) -> Page {
    let page = PageRequest::new(page_number, PAGE_SIZE);
    let (items, total) = state
        .store
        .search_contents(
            &ContentQuery::default(),
            i64::from(page.size),
            page.offset(),
        )
        .await?;
    let page_json = json!({
        "items": items.iter().map(|i| item_json(lang, i)).collect::<Vec<_>>(),
        "kinds": choices(lang, ContentKind::ALL, ContentKind::as_str, ContentKind::label, &form.selected("kind")),
        "audiences": choices(lang, AudienceTag::ALL, AudienceTag::as_str, AudienceTag::label, &form.selected("audiences")),
        "max_mb": state.config.max_content_bytes / (1024 * 1024),
        "pager": pager(page.number, page.page_count(total), total, ""),
        "form": form.values, "errors": form.errors, "editing": form.editing, "notice": form.notice,
    });
    render(
        state,
        "admin_contents.html",
        lang,
        "/admin/contents",
        Some(viewer),
        page_json,
    )
}

/// Renders the admin page again with the form's problems, and the given status.
async fn refused(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    status: StatusCode,
    form: AdminForm,
) -> Result<Response, AppError> {
    let html = admin_view(state, lang, viewer, form, None).await?;
    Ok((status, html).into_response())
}

/// The admin page's query string.
#[derive(Debug, serde::Deserialize)]
pub struct AdminQuery {
    page: Option<String>,
}

/// `GET /admin/contents`.
pub async fn admin_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Query(query): Query<AdminQuery>,
) -> Page {
    admin(&viewer)?;
    let defaults = json!({ "licence_ja": "院内研修での利用可・改変不可", "licence_en": "May be used for in-house training; do not modify" });
    let form = AdminForm {
        values: defaults,
        ..AdminForm::default()
    };
    admin_view(&state, lang, &viewer, form, query.page.as_deref()).await
}

/// `POST /admin/contents` (multipart): a new material, from a checked file or an https video address.
pub async fn create(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    form: Multipart,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    let (form, staged) = match receive(&state, form).await? {
        Received::Complete(form, staged) => (form, staged),
        Received::TooLarge(form) => {
            let mut errors = FormErrors::default();
            let mb = state.config.max_content_bytes / (1024 * 1024);
            errors.add(
                "file",
                lang,
                &format!("ファイルが大きすぎます(最大 {mb} MB)。"),
                &format!("The file is too large (at most {mb} MB)."),
            );
            return refused(
                &state,
                lang,
                &viewer,
                StatusCode::PAYLOAD_TOO_LARGE,
                AdminForm::refused(&form, errors, None),
            )
            .await;
        }
    };
    let mut errors = FormErrors::default();
    let fields = content_fields(lang, &form, &mut errors);
    let external = form.get("external_url");
    let checked = check_source(lang, staged.as_ref(), external, &fields.kind, &mut errors).await?;
    if !errors.is_empty() {
        return refused(
            &state,
            lang,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            AdminForm::refused(&form, errors, None),
        )
        .await;
    }
    let source = match (staged, checked) {
        (Some(file), Some(file_type)) => keep(&state, file, file_type)?,
        _ => ContentSource::External(external.to_owned()),
    };
    let id = match state.store.create_content(&fields, &source).await {
        Ok(id) => id,
        Err(e) => {
            if let ContentSource::File { stored_name, .. } = &source {
                let _ = std::fs::remove_file(contents_dir(&state).join(stored_name));
            }
            return Err(e.into());
        }
    };
    let detail = match &source {
        ContentSource::File {
            media_type,
            byte_size,
            sha256,
            ..
        } => {
            json!({ "title": fields.title_ja, "media_type": media_type, "bytes": byte_size, "sha256": sha256 })
        }
        ContentSource::External(url) => json!({ "title": fields.title_ja, "url": url }),
    };
    record(
        &state,
        &viewer,
        "content.create",
        format!("content:{id}"),
        detail,
    )
    .await?;
    let done = AdminForm::done(lang.pick("登録しました。", "Added."));
    let html = admin_view(&state, lang, &viewer, done, None).await?;
    Ok((StatusCode::CREATED, html).into_response())
}

/// `GET /admin/contents/{id}`: the edit form.
pub async fn edit_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    let item = state.store.content(id).await?.ok_or(AppError::NotFound)?;
    let audiences: Vec<&str> = item
        .audiences
        .split(',')
        .filter(|a| !a.is_empty())
        .collect();
    let form = json!({
        "kind": item.kind, "audiences": audiences, "title_ja": item.title_ja, "title_en": item.title_en,
        "description_ja": item.description_ja, "description_en": item.description_en,
        "licence_ja": item.licence_ja, "licence_en": item.licence_en,
    });
    let form = AdminForm {
        values: form,
        editing: Some(id),
        ..AdminForm::default()
    };
    admin_view(&state, lang, &viewer, form, None).await
}

/// `POST /admin/contents/{id}`: changes the describing fields (the file stays).
pub async fn update(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    let mut errors = FormErrors::default();
    let fields = content_fields(lang, &form, &mut errors);
    if !errors.is_empty() {
        return refused(
            &state,
            lang,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            AdminForm::refused(&form, errors, Some(id)),
        )
        .await;
    }
    if !state.store.update_content(id, &fields).await? {
        return Err(AppError::NotFound);
    }
    let detail = json!({ "title": fields.title_ja });
    record(
        &state,
        &viewer,
        "content.update",
        format!("content:{id}"),
        detail,
    )
    .await?;
    let done = AdminForm::done(lang.pick("保存しました。", "Saved."));
    Ok(admin_view(&state, lang, &viewer, done, None)
        .await?
        .into_response())
}

/// `POST /admin/contents/{id}/delete`: removes the material and its file.
pub async fn delete(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    let item = state
        .store
        .delete_content(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(name) = item.stored_name
        && let Err(e) = std::fs::remove_file(contents_dir(&state).join(&name))
    {
        // The record is gone, so nobody can reach the file; say so in the log for clean-up.
        tracing::warn!(file = %name, error = %e, "could not delete a material's file");
    }
    let detail = json!({ "title": item.title_ja, "sha256": item.sha256 });
    record(
        &state,
        &viewer,
        "content.delete",
        format!("content:{id}"),
        detail,
    )
    .await?;
    let done = AdminForm::done(lang.pick("削除しました。", "Deleted."));
    admin_view(&state, lang, &viewer, done, None).await
}
