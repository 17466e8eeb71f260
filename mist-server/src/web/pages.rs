//! Server-rendered pages: catalogue by tier, course, module with its lessons.

use axum::Extension;
use axum::extract::{Path, State};
use mist_core::{Audience, Block, Course, Module, markdown};
use serde::Serialize;
use serde_json::json;

use super::i18n::Lang;
use super::render::{Page, render, text};
use super::session::SignedIn;
use super::{AppError, AppState};

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
pub async fn catalog(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
) -> Page {
    let courses = state.courses().await?;
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
        viewer.as_ref(),
        json!({ "courses": cards, "description": description }),
    )
}

/// `/courses/{course}`: a course and its modules, with the learner's progress when signed in.
pub async fn course(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(slug): Path<String>,
) -> Page {
    let course = state.course(&slug).await?.ok_or(AppError::NotFound)?;
    let mut card = course_card(&state, lang, &course);
    if let Some(SignedIn(user)) = &viewer {
        let enrolled = state
            .store
            .enrolled_courses(user.id)
            .await?
            .contains(&course.id);
        let done = state
            .store
            .completed_modules(user.id, course.id, super::learn::current_fiscal_year())
            .await?;
        card["learner"] = json!({ "enrolled": enrolled, "done": done });
    }
    render(
        &state,
        "course.html",
        lang,
        &format!("/courses/{slug}"),
        viewer.as_ref(),
        card,
    )
}

/// `/courses/{course}/modules/{module}`: objectives, lessons and the quiz summary.
pub async fn module(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path((course_slug, module_slug)): Path<(String, String)>,
) -> Page {
    let course = state
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
        viewer.as_ref(),
        context,
    )
}

/// One content block, ready for the template (`html` is already sanitized Markdown).
fn lesson_block(state: &AppState, lang: Lang, block: &Block) -> serde_json::Value {
    match block {
        Block::Text { markdown: source } => {
            json!({ "type": "text", "html": markdown::render_nested(&text(state, lang, source), 1) })
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
    state.store.ping().await?;
    Ok("ready")
}

/// Unknown paths.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `GET /assets/player.js`: the native player's video tracking.
pub async fn player_script() -> impl axum::response::IntoResponse {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/player.js"),
    )
}
