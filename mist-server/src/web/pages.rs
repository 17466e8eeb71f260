//! Server-rendered pages: catalogue by tier, course, module with its lessons.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use mist_core::{Audience, Block, Course, Localized, Module, markdown};
use serde::Serialize;
use serde_json::json;

use super::i18n::{Lang, LangQuery};
use super::{AppError, AppState};

type Page = Result<Html<String>, AppError>;

/// Text in the page's language, following the series' fallback rule.
fn text(state: &AppState, lang: Lang, localized: &Localized) -> String {
    localized
        .resolve(&lang.tag(), &state.series.languages)
        .to_owned()
}

fn render(
    state: &AppState,
    template: &str,
    lang: Lang,
    path: &str,
    context: serde_json::Value,
) -> Page {
    let page = json!({
        "lang": lang.code(),
        "other_lang": lang.other().code(),
        "other_lang_label": lang.pick("English", "日本語"),
        "path": path,
        "site_title": text(state, lang, &state.series.title),
        "t": ui_texts(lang),
        "page": context,
    });
    Ok(Html(
        state
            .templates
            .get_template(template)?
            .render(minijinja::value::Serde(&page))?,
    ))
}

fn ui_texts(lang: Lang) -> serde_json::Value {
    json!({
        "catalog": lang.pick("研修一覧", "Courses"),
        "modules": lang.pick("モジュール", "Modules"),
        "minutes": lang.pick("分", "min"),
        "beginner": lang.pick("初級", "Beginner"),
        "optional": lang.pick("任意", "Optional"),
        "objectives": lang.pick("学習目標", "Learning objectives"),
        "questions": lang.pick("確認テスト", "Comprehension check"),
        "quiz_summary": lang.pick("問題プールから出題", "questions drawn from a pool of"),
        "pass_mark": lang.pick("合格基準", "Pass mark"),
        "audience": lang.pick("対象", "Audience"),
        "skip": lang.pick("本文へ移動", "Skip to content"),
        "download": lang.pick("ダウンロード", "Download"),
    })
}

#[derive(Serialize)]
struct ModuleCard {
    slug: String,
    title: String,
    summary: String,
    minutes: Option<u16>,
    beginner: bool,
    required: bool,
}

fn module_card(state: &AppState, lang: Lang, module: &Module) -> ModuleCard {
    ModuleCard {
        slug: module.slug.to_string(),
        title: text(state, lang, &module.title),
        summary: module
            .summary
            .as_ref()
            .map(|s| text(state, lang, s))
            .unwrap_or_default(),
        minutes: module.minutes,
        beginner: module.beginner,
        required: module.required,
    }
}

fn audience_label(lang: Lang, audience: Audience) -> &'static str {
    let (ja, en) = audience.label();
    lang.pick(ja, en)
}

fn course_card(state: &AppState, lang: Lang, course: &Course) -> serde_json::Value {
    json!({
        "slug": course.slug,
        "audience": audience_label(lang, course.audience),
        "title": text(state, lang, &course.title),
        "description": course.description.as_ref().map(|d| text(state, lang, d)),
        "pass_mark": course.pass_mark.percent(),
        "modules": course.modules.iter().map(|m| module_card(state, lang, m)).collect::<Vec<_>>(),
    })
}

/// `/`: the catalogue, one section per audience tier.
pub async fn catalog(State(state): State<AppState>, Query(query): Query<LangQuery>) -> Page {
    let lang = query.lang();
    let courses = state.db.courses().await?;
    let cards: Vec<_> = courses
        .iter()
        .map(|course| course_card(&state, lang, course))
        .collect();
    let description = state
        .series
        .description
        .as_ref()
        .map(|d| text(&state, lang, d));
    render(
        &state,
        "catalog.html",
        lang,
        "/",
        json!({ "courses": cards, "description": description }),
    )
}

/// `/courses/{course}`: a course and its modules.
pub async fn course(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<LangQuery>,
) -> Page {
    let lang = query.lang();
    let course = state.db.course(&slug).await?.ok_or(AppError::NotFound)?;
    let card = course_card(&state, lang, &course);
    render(
        &state,
        "course.html",
        lang,
        &format!("/courses/{slug}"),
        card,
    )
}

/// `/courses/{course}/modules/{module}`: objectives, lessons and the quiz summary.
pub async fn module(
    State(state): State<AppState>,
    Path((course_slug, module_slug)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
) -> Page {
    let lang = query.lang();
    let course = state
        .db
        .course(&course_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let module = course.module(&module_slug).ok_or(AppError::NotFound)?;
    let lessons: Vec<_> = module
        .lessons
        .iter()
        .map(|lesson| {
            let blocks: Vec<_> = lesson.blocks.iter().map(|block| lesson_block(&state, lang, block)).collect();
            json!({ "slug": lesson.slug, "title": text(&state, lang, &lesson.title), "blocks": blocks })
        })
        .collect();
    let quiz = module.quiz.as_ref().map(|quiz| {
        json!({
            "draw": quiz.draw_count(),
            "pool": quiz.questions.len(),
            "pass_mark": quiz.pass_mark.unwrap_or(course.pass_mark).percent(),
        })
    });
    let context = json!({
        "course": { "slug": course.slug, "title": text(&state, lang, &course.title), "audience": audience_label(lang, course.audience) },
        "module": module_card(&state, lang, module),
        "objectives": module.objectives.iter().map(|o| text(&state, lang, o)).collect::<Vec<_>>(),
        "lessons": lessons,
        "quiz": quiz,
    });
    render(
        &state,
        "module.html",
        lang,
        &format!("/courses/{course_slug}/modules/{module_slug}"),
        context,
    )
}

/// One content block, ready for the template (`html` is already sanitized Markdown).
fn lesson_block(state: &AppState, lang: Lang, block: &Block) -> serde_json::Value {
    match block {
        Block::Text { markdown: source } => {
            json!({ "type": "text", "html": markdown::render(&text(state, lang, source)) })
        }
        Block::Video(video) => {
            json!({ "type": "video", "url": video.url, "duration_seconds": video.duration_seconds })
        }
        Block::Download(download) => {
            json!({ "type": "download", "file": download.file, "title": text(state, lang, &download.title) })
        }
        Block::Link(link) => {
            json!({ "type": "link", "url": link.url, "title": text(state, lang, &link.title) })
        }
    }
}

/// `/readyz`: ready when the database answers.
pub async fn ready(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.db.ping().await?;
    Ok("ready")
}

/// Unknown paths.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
