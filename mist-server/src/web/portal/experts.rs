//! `/experts`: the instructor and engineer list (search and filters), and its admin pages. Entries
//! publish no address or email; visitors write through `/experts/{id}/contact`.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mist_core::portal::prefecture::{PREFECTURES, Prefecture, Region};
use mist_core::portal::search::{PageRequest, like_pattern, search_text};
use mist_core::portal::vocabulary::{ExpertKind, Expertise, Language, join_tags};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    AdminForm, Fields, FormErrors, admin, choices, pager, query_string, record, tag_labels,
};
use crate::store::portal::experts::{Expert, ExpertFields, ExpertQuery};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// Entries per page.
const PAGE_SIZE: u32 = 10;

/// An entry for a template, in the reader's language.
pub(super) fn expert_json(lang: Lang, expert: &Expert) -> Value {
    let f = &expert.fields;
    let kind = ExpertKind::parse(&f.kind).map(|k| {
        let (ja, en) = k.label();
        lang.pick(ja, en)
    });
    let prefecture = Prefecture::by_code(&f.prefecture).map(|p| lang.pick(p.ja, p.en));
    json!({
        "id": expert.id, "name": f.name, "kind": kind, "prefecture": prefecture,
        "expertise": tag_labels(lang, &f.expertise, Expertise::parse, Expertise::label),
        "languages": tag_labels(lang, &f.languages, Language::parse, Language::label),
        "availability": lang.pick(&f.availability_ja, &f.availability_en),
        "bio": lang.pick(&f.bio_ja, &f.bio_en),
    })
}

/// Prefecture choices for a `<select>`.
fn prefecture_choices(lang: Lang, selected: &str) -> Vec<Value> {
    PREFECTURES
        .iter()
        .map(|p| json!({ "value": p.code, "label": lang.pick(p.ja, p.en), "selected": p.code == selected }))
        .collect()
}

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ExpertsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    expertise: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    language: String,
    page: Option<String>,
}

/// `GET /experts?q=&expertise=&region=&prefecture=&language=&page=`.
pub async fn list(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Query(query): Query<ExpertsQuery>,
) -> Page {
    let expertise = Expertise::parse(&query.expertise).map(Expertise::as_str);
    let region = Region::parse(&query.region).map(Region::as_str);
    let prefecture = Prefecture::by_code(&query.prefecture).map(|p| p.code);
    let language = Language::parse(&query.language).map(Language::as_str);
    let like = like_pattern(&query.q);
    let page = PageRequest::new(query.page.as_deref(), PAGE_SIZE);
    let filter = ExpertQuery {
        like: like.as_deref(),
        expertise,
        region,
        prefecture,
        language,
    };
    let (experts, total) = state
        .store
        .search_experts(&filter, i64::from(page.size), page.offset())
        .await?;
    let base = query_string(&[
        ("q", query.q.trim()),
        ("expertise", expertise.unwrap_or_default()),
        ("region", region.unwrap_or_default()),
        ("prefecture", prefecture.unwrap_or_default()),
        ("language", language.unwrap_or_default()),
    ]);
    let page_json = json!({
        "q": query.q.trim(),
        "experts": experts.iter().map(|e| expert_json(lang, e)).collect::<Vec<_>>(),
        "expertise": choices(lang, Expertise::ALL, Expertise::as_str, Expertise::label, &[expertise.unwrap_or_default()]),
        "regions": choices(lang, Region::ALL, Region::as_str, Region::label, &[region.unwrap_or_default()]),
        "prefectures": prefecture_choices(lang, prefecture.unwrap_or_default()),
        "languages": choices(lang, Language::ALL, Language::as_str, Language::label, &[language.unwrap_or_default()]),
        "pager": pager(page.number, page.page_count(total), total, &base),
    });
    render(
        &state,
        "experts.html",
        lang,
        "/experts",
        viewer.as_ref(),
        page_json,
    )
}

/// An entry's fields from a form, noting problems.
fn expert_fields(lang: Lang, form: &Fields, errors: &mut FormErrors) -> ExpertFields {
    if ExpertKind::parse(form.get("kind")).is_none() {
        errors.add("kind", lang, "種別を選んでください。", "Choose a kind.");
    }
    let prefecture = Prefecture::by_code(form.get("prefecture"));
    if prefecture.is_none() {
        errors.add(
            "prefecture",
            lang,
            "都道府県を選んでください。",
            "Choose a prefecture.",
        );
    }
    let expertise: Vec<Expertise> = form
        .all("expertise")
        .into_iter()
        .filter_map(Expertise::parse)
        .collect();
    if expertise.is_empty() {
        errors.add(
            "expertise",
            lang,
            "専門分野を一つ以上選んでください。",
            "Choose at least one field of expertise.",
        );
    }
    let languages: Vec<Language> = form
        .all("languages")
        .into_iter()
        .filter_map(Language::parse)
        .collect();
    if languages.is_empty() {
        errors.add(
            "languages",
            lang,
            "対応言語を一つ以上選んでください。",
            "Choose at least one language.",
        );
    }
    for (field, max, required) in [
        ("name", 100, true),
        ("bio_ja", 2000, true),
        ("bio_en", 2000, true),
        ("availability_ja", 200, false),
        ("availability_en", 200, false),
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
    ExpertFields {
        kind: form.get("kind").to_owned(),
        name: form.get("name").to_owned(),
        expertise: join_tags(&expertise, Expertise::as_str),
        prefecture: prefecture.map(|p| p.code).unwrap_or_default().to_owned(),
        region: prefecture
            .map(|p| p.region.as_str())
            .unwrap_or_default()
            .to_owned(),
        languages: join_tags(&languages, Language::as_str),
        availability_ja: form.get("availability_ja").to_owned(),
        availability_en: form.get("availability_en").to_owned(),
        bio_ja: form.get("bio_ja").to_owned(),
        bio_en: form.get("bio_en").to_owned(),
        search_text: search_text(&[form.get("name"), form.get("bio_ja"), form.get("bio_en")]),
    }
}

/// The admin page: the form and every entry.
async fn admin_view(state: &AppState, lang: Lang, viewer: &SignedIn, form: AdminForm) -> Page {
    let (experts, _) = state
        .store
        .search_experts(&ExpertQuery::default(), 500, 0)
        .await?;
    let prefecture = form
        .selected("prefecture")
        .first()
        .copied()
        .unwrap_or_default();
    let page_json = json!({
        "experts": experts.iter().map(|e| expert_json(lang, e)).collect::<Vec<_>>(),
        "kinds": choices(lang, ExpertKind::ALL, ExpertKind::as_str, ExpertKind::label, &form.selected("kind")),
        "expertise": choices(lang, Expertise::ALL, Expertise::as_str, Expertise::label, &form.selected("expertise")),
        "languages": choices(lang, Language::ALL, Language::as_str, Language::label, &form.selected("languages")),
        "prefectures": prefecture_choices(lang, prefecture),
        "form": form.values, "errors": form.errors, "editing": form.editing, "notice": form.notice,
    });
    render(
        state,
        "admin_experts.html",
        lang,
        "/admin/experts",
        Some(viewer),
        page_json,
    )
}

/// `GET /admin/experts`.
pub async fn admin_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    admin(&viewer)?;
    admin_view(&state, lang, &viewer, AdminForm::default()).await
}

/// Stores a checked form as a new entry (`id` none) or over an existing one.
async fn save(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    id: Option<Uuid>,
    form: &Fields,
) -> Result<Response, AppError> {
    admin(viewer)?;
    let mut errors = FormErrors::default();
    let fields = expert_fields(lang, form, &mut errors);
    if !errors.is_empty() {
        let html = admin_view(state, lang, viewer, AdminForm::refused(form, errors, id)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let (id, action, notice) = match id {
        Some(id) if state.store.update_expert(id, &fields).await? => {
            (id, "expert.update", lang.pick("保存しました。", "Saved."))
        }
        Some(_) => return Err(AppError::NotFound),
        None => (
            state.store.create_expert(&fields).await?,
            "expert.create",
            lang.pick("登録しました。", "Added."),
        ),
    };
    let detail = json!({ "name": fields.name });
    record(state, viewer, action, format!("expert:{id}"), detail).await?;
    Ok(admin_view(state, lang, viewer, AdminForm::done(notice))
        .await?
        .into_response())
}

/// `POST /admin/experts`: a new entry.
pub async fn create(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    save(&state, lang, &viewer, None, &form).await
}

/// `GET /admin/experts/{id}`: the edit form.
pub async fn edit_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    let expert = state.store.expert(id).await?.ok_or(AppError::NotFound)?;
    let f = &expert.fields;
    let tags = |s: &str| {
        s.split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let values = json!({
        "kind": f.kind, "name": f.name, "expertise": tags(&f.expertise), "prefecture": f.prefecture,
        "languages": tags(&f.languages), "availability_ja": f.availability_ja, "availability_en": f.availability_en,
        "bio_ja": f.bio_ja, "bio_en": f.bio_en,
    });
    let form = AdminForm {
        values,
        editing: Some(id),
        ..AdminForm::default()
    };
    admin_view(&state, lang, &viewer, form).await
}

/// `POST /admin/experts/{id}`: changes an entry.
pub async fn update(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    save(&state, lang, &viewer, Some(id), &form).await
}

/// `POST /admin/experts/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    if !state.store.delete_expert(id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &state,
        &viewer,
        "expert.delete",
        format!("expert:{id}"),
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
