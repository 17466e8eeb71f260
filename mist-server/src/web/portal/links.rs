//! `/resources`: related links by category (the route `/links/{token}` is taken by one-time sign-in
//! links), and their admin pages with ordering.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mist_core::portal::vocabulary::LinkCategory;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{AdminForm, Fields, FormErrors, admin, choices, is_web_url, record};
use crate::store::portal::links::{LinkFields, Move, RelatedLink};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// The links grouped by category, in category order, each group in list order.
fn grouped(lang: Lang, links: &[RelatedLink]) -> Vec<Value> {
    LinkCategory::ALL
        .iter()
        .map(|category| {
            let (ja, en) = category.label();
            let items: Vec<Value> = links
                .iter()
                .filter(|l| l.fields.category == category.as_str())
                .map(|l| {
                    let f = &l.fields;
                    json!({ "id": l.id, "url": f.url, "title": lang.pick(&f.title_ja, &f.title_en), "note": lang.pick(&f.note_ja, &f.note_en) })
                })
                .collect();
            json!({ "id": category.as_str(), "label": lang.pick(ja, en), "links": items })
        })
        .filter(|group| group["links"].as_array().is_some_and(|l| !l.is_empty()))
        .collect()
}

/// `GET /resources`.
pub async fn list(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
) -> Page {
    let links = state.store.link_entries().await?;
    render(
        &state,
        "resources.html",
        lang,
        "/resources",
        viewer.as_ref(),
        json!({ "groups": grouped(lang, &links) }),
    )
}

/// A link's fields from a form, noting problems.
fn link_fields(lang: Lang, form: &Fields, errors: &mut FormErrors) -> LinkFields {
    if LinkCategory::parse(form.get("category")).is_none() {
        errors.add(
            "category",
            lang,
            "分類を選んでください。",
            "Choose a category.",
        );
    }
    if !is_web_url(form.get("url"), false) {
        errors.add(
            "url",
            lang,
            "http:// または https:// で始まる URL を入力してください。",
            "Enter an address starting with http:// or https://.",
        );
    }
    for (field, max, required) in [
        ("title_ja", 200, true),
        ("title_en", 200, true),
        ("note_ja", 1000, false),
        ("note_en", 1000, false),
    ] {
        let value = form.get(field);
        if required && value.is_empty() {
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
    LinkFields {
        category: form.get("category").to_owned(),
        title_ja: form.get("title_ja").to_owned(),
        title_en: form.get("title_en").to_owned(),
        note_ja: form.get("note_ja").to_owned(),
        note_en: form.get("note_en").to_owned(),
        url: form.get("url").to_owned(),
    }
}

/// The admin page: the form and every link by category.
async fn admin_view(state: &AppState, lang: Lang, viewer: &SignedIn, form: AdminForm) -> Page {
    let links = state.store.link_entries().await?;
    let page_json = json!({
        "groups": grouped(lang, &links),
        "categories": choices(lang, LinkCategory::ALL, LinkCategory::as_str, LinkCategory::label, &form.selected("category")),
        "form": form.values, "errors": form.errors, "editing": form.editing, "notice": form.notice,
    });
    render(
        state,
        "admin_resources.html",
        lang,
        "/admin/resources",
        Some(viewer),
        page_json,
    )
}

/// `GET /admin/resources`.
pub async fn admin_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    admin(&viewer)?;
    admin_view(&state, lang, &viewer, AdminForm::default()).await
}

/// Stores a checked form as a new link (`id` none) or over an existing one.
async fn save(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    id: Option<Uuid>,
    form: &Fields,
) -> Result<Response, AppError> {
    admin(viewer)?;
    let mut errors = FormErrors::default();
    let fields = link_fields(lang, form, &mut errors);
    if !errors.is_empty() {
        let html = admin_view(state, lang, viewer, AdminForm::refused(form, errors, id)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let (id, action, notice) = match id {
        Some(id) if state.store.update_link_entry(id, &fields).await? => {
            (id, "link.update", lang.pick("保存しました。", "Saved."))
        }
        Some(_) => return Err(AppError::NotFound),
        None => (
            state.store.create_link_entry(&fields).await?,
            "link.create",
            lang.pick("登録しました。", "Added."),
        ),
    };
    let detail = json!({ "url": fields.url });
    record(state, viewer, action, format!("link:{id}"), detail).await?;
    Ok(admin_view(state, lang, viewer, AdminForm::done(notice))
        .await?
        .into_response())
}

/// `POST /admin/resources`: a new link at the end of its category.
pub async fn create(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    save(&state, lang, &viewer, None, &form).await
}

/// `GET /admin/resources/{id}`: the edit form.
pub async fn edit_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    let link = state
        .store
        .link_entry(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = &link.fields;
    let values = json!({ "category": f.category, "title_ja": f.title_ja, "title_en": f.title_en, "note_ja": f.note_ja, "note_en": f.note_en, "url": f.url });
    admin_view(
        &state,
        lang,
        &viewer,
        AdminForm {
            values,
            editing: Some(id),
            ..AdminForm::default()
        },
    )
    .await
}

/// `POST /admin/resources/{id}`: changes a link.
pub async fn update(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    save(&state, lang, &viewer, Some(id), &form).await
}

/// `POST /admin/resources/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    if !state.store.delete_link_entry(id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &state,
        &viewer,
        "link.delete",
        format!("link:{id}"),
        json!({}),
    )
    .await?;
    admin_view(
        &state,
        lang,
        &viewer,
        AdminForm::done(lang.pick("削除しました。", "Deleted.")),
    )
    .await
}

/// `POST /admin/resources/{id}/move` with `direction=up|down`: swaps the link with its neighbour.
pub async fn move_link(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(form): axum::Form<Fields>,
) -> Page {
    admin(&viewer)?;
    let direction = match form.get("direction") {
        "up" => Move::Up,
        "down" => Move::Down,
        _ => {
            return Err(AppError::BadRequest(
                lang.pick("移動方向が正しくありません。", "Unknown direction.")
                    .into(),
            ));
        }
    };
    if state.store.link_entry(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let moved = state.store.move_link_entry(id, direction).await?;
    if moved {
        let detail = json!({ "direction": form.get("direction") });
        record(&state, &viewer, "link.move", format!("link:{id}"), detail).await?;
    }
    let notice = if moved {
        lang.pick("並び順を変更しました。", "Moved.")
    } else {
        lang.pick("これ以上移動できません。", "Already at the end.")
    };
    admin_view(&state, lang, &viewer, AdminForm::done(notice)).await
}
