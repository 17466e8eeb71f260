//! The comprehension check after a live session (確認テスト): questions drawn from a built-in module's
//! pool by mist-core's quiz engine; passing it with attendance completes the session.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Form};
use mist_core::Course;
use mist_core::quiz::{AttemptPolicy, draw};
use serde_json::json;
use uuid::Uuid;

use super::super::i18n::Lang;
use super::super::learn::{answers_from_form, new_seed, pass_mark, question_views, result_views};
use super::super::render::{Page, render};
use super::super::session::SignedIn;
use super::super::{AppError, AppState};
use super::attendance::complete_if_done;
use super::{found, pick};
use crate::store::live::LiveSession;
use crate::store::now;

/// The session's question pool (the named module's, drawing the session's count) and pass mark.
async fn pool(
    state: &AppState,
    session: &LiveSession,
) -> Result<(mist_core::Quiz, mist_core::PassMark), AppError> {
    let (Some(course), Some(module)) = (&session.quiz_course, &session.quiz_module) else {
        return Err(AppError::NotFound);
    };
    let course: Arc<Course> = state.course(course).await?.ok_or(AppError::NotFound)?;
    let module = course.module(module).ok_or(AppError::NotFound)?;
    let mut quiz = module.quiz.clone().ok_or(AppError::NotFound)?;
    if let Some(count) = session.quiz_count.and_then(|n| u16::try_from(n).ok()) {
        quiz.draw = Some(count);
        // The session's count replaces the module's per-topic quotas.
        quiz.draw_by_tag.clear();
    }
    Ok((quiz, pass_mark(&course, module)))
}

/// The session, for a viewer who holds a seat once it has started.
async fn open_to(state: &AppState, viewer: &SignedIn, id: Uuid) -> Result<LiveSession, AppError> {
    let session = found(state, id).await?;
    let holds_seat = state
        .store
        .live_status(id, viewer.0.id)
        .await?
        .is_some_and(mist_core::live::Status::holds_seat);
    if !holds_seat || now() < session.starts_at || session.cancelled_at.is_some() {
        return Err(AppError::Forbidden);
    }
    Ok(session)
}

/// `GET /live/{id}/quiz`: resumes the open attempt or draws a new one.
pub async fn start(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    let session = open_to(&state, &viewer, id).await?;
    let (quiz, mark) = pool(&state, &session).await?;
    let attempt = match state.store.open_live_attempt(id, viewer.0.id).await? {
        Some(open) => open,
        None => {
            let drawn = draw(&quiz, new_seed(), &HashSet::new());
            state
                .store
                .create_live_attempt(id, viewer.0.id, &drawn)
                .await?
        }
    };
    let page = json!({
        "session": { "id": id, "title": pick(lang, &session.title_ja, &session.title_en) },
        "attempt": attempt.id,
        "questions": question_views(&state, lang, &quiz, &attempt.drawn),
        "pass_mark": mark.percent(),
    });
    render(
        &state,
        "live_quiz.html",
        lang,
        &format!("/live/{id}/quiz"),
        Some(&viewer),
        page,
    )
}

/// `POST /live/{id}/quiz/{attempt}`: grades once, and completes the session when attendance is
/// recorded too. Submitting the same attempt again shows the stored result.
pub async fn submit(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path((id, attempt_id)): Path<(Uuid, Uuid)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Page {
    let session = open_to(&state, &viewer, id).await?;
    let (quiz, mark) = pool(&state, &session).await?;
    let attempt = state
        .store
        .live_attempt(attempt_id)
        .await?
        .filter(|a| a.user_id == viewer.0.id && a.session_id == id)
        .ok_or(AppError::NotFound)?;
    let result = match attempt.result {
        Some(stored) => stored,
        None => {
            let answers = answers_from_form(&quiz, &attempt.drawn, &form);
            let elapsed = u64::try_from((now() - attempt.started_at).whole_seconds()).ok();
            let result = AttemptPolicy::with_pass_mark(mark)
                .grade(&quiz, &attempt.drawn, &answers, elapsed)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            state.store.submit_live_attempt(attempt.id, &result).await?;
            result
        }
    };
    complete_if_done(&state, &session, viewer.0.id).await?;
    let completed = state
        .store
        .live_completions(viewer.0.id)
        .await?
        .iter()
        .any(|c| c.session_id == id);
    let page = json!({
        "session": { "id": id, "title": pick(lang, &session.title_ja, &session.title_en) },
        "passed": result.passed, "score": format!("{:.0}", result.scaled * 100.0),
        "questions": result_views(&state, lang, &quiz, &result), "completed": completed,
    });
    render(
        &state,
        "live_quiz_result.html",
        lang,
        &format!("/live/{id}"),
        Some(&viewer),
        page,
    )
}
