//! The native player: enrolment, lessons (views recorded), video heartbeats, quizzes scored by
//! mist-core, and completion per fiscal year.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use mist_core::completion::{DEFAULT_VIDEO_THRESHOLD, module_outcome};
use mist_core::fiscal::FiscalYear;
use mist_core::quiz::{Answer, AttemptPolicy, draw, normalize_text};
use mist_core::{Block, Course, Module, QuestionKind, markdown};
use serde::Deserialize;
use serde_json::{Value, json};
use time::UtcOffset;
use uuid::Uuid;

use super::api::ApiError;
use super::i18n::Lang;
use super::render::{Page, render, text};
use super::session::{ApiUser, SignedIn};
use super::{AppError, AppState};
use crate::store::learning::ModuleKey;
use crate::store::now;

/// Japan Standard Time: dates of completion and fiscal years are Japanese dates.
const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// Today's date in Japan.
pub fn today_in_japan() -> time::Date {
    now().to_offset(JST).date()
}

/// Today's fiscal year in Japan.
pub fn current_fiscal_year() -> FiscalYear {
    FiscalYear::containing(today_in_japan())
}

async fn course_and_module(
    state: &AppState,
    course: &str,
    module: &str,
) -> Result<(std::sync::Arc<Course>, Module), AppError> {
    let course = state.course(course).await?.ok_or(AppError::NotFound)?;
    let module = course.module(module).cloned().ok_or(AppError::NotFound)?;
    Ok((course, module))
}

/// `POST /courses/{course}/enroll`.
pub async fn enroll(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(course): Path<String>,
) -> Result<Response, AppError> {
    let found = state.course(&course).await?.ok_or(AppError::NotFound)?;
    state.store.enroll(user.id, found.id).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(LOCATION, format!("/courses/{course}"))],
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LessonQuery {
    lesson: Option<String>,
}

/// `GET /learn/{course}/{module}?lesson=SLUG`: one lesson of the player; opening it records the view.
pub async fn player(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path((course_slug, module_slug)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<LessonQuery>,
) -> Page {
    let (course, module) = course_and_module(&state, &course_slug, &module_slug).await?;
    if module.launch.is_some() {
        return super::scorm::launch_page(&state, lang, &viewer, &course, &module).await;
    }
    let index = match &query.lesson {
        Some(slug) => module
            .lessons
            .iter()
            .position(|l| l.slug.as_str() == slug)
            .ok_or(AppError::NotFound)?,
        None => 0,
    };
    let lesson = module.lessons.get(index).ok_or(AppError::NotFound)?;
    let user = &viewer.0;
    state.store.enroll(user.id, course.id).await?;
    let key = ModuleKey {
        user_id: user.id,
        course_id: course.id,
        module: module.slug.as_str(),
    };
    state
        .store
        .record_lesson_view(key, lesson.slug.as_str())
        .await?;
    let progress = state.store.module_progress(key).await?;
    let outcome = module_outcome(
        &module,
        &progress,
        DEFAULT_VIDEO_THRESHOLD,
        pass_mark(&course, &module),
    );
    let lessons: Vec<Value> = module
        .lessons
        .iter()
        .map(|l| json!({ "slug": l.slug, "title": text(&state, lang, &l.title), "viewed": progress.lessons_viewed.contains(l.slug.as_str()), "current": l.slug == lesson.slug }))
        .collect();
    let media =
        |url: &str| super::media::media_url(course.slug.as_str(), module.slug.as_str(), url);
    let blocks: Vec<Value> = lesson
        .blocks
        .iter()
        .map(|block| match block {
            Block::Text { markdown: source } => json!({ "type": "text", "html": markdown::render(&text(&state, lang, source)) }),
            Block::Video(video) => json!({ "type": "video", "url": media(&video.url), "duration_seconds": video.duration_seconds,
                "captions": video.captions.iter().map(|c| json!({ "lang": c.lang, "url": media(&c.url) })).collect::<Vec<_>>() }),
            Block::Download(d) => json!({ "type": "download", "file": media(&d.file), "title": text(&state, lang, &d.title) }),
            Block::Link(l) => json!({ "type": "link", "url": l.url, "title": text(&state, lang, &l.title) }),
        })
        .collect();
    let page = json!({
        "course": { "slug": course.slug, "title": text(&state, lang, &course.title) },
        "module": { "slug": module.slug, "title": text(&state, lang, &module.title) },
        "lesson": { "slug": lesson.slug, "title": text(&state, lang, &lesson.title), "blocks": blocks },
        "lessons": lessons,
        "previous": index.checked_sub(1).and_then(|i| module.lessons.get(i)).map(|l| l.slug.to_string()),
        "next": module.lessons.get(index + 1).map(|l| l.slug.to_string()),
        "has_quiz": module.quiz.is_some(),
        "outcome": outcome.explanation,
        "completed": outcome.is_done(),
    });
    render(
        &state,
        "player.html",
        lang,
        &format!("/learn/{course_slug}/{module_slug}?lesson={}", lesson.slug),
        Some(&viewer),
        page,
    )
}

pub(super) fn pass_mark(course: &Course, module: &Module) -> mist_core::PassMark {
    module
        .quiz
        .as_ref()
        .and_then(|q| q.pass_mark)
        .unwrap_or(course.pass_mark)
}

/// A video heartbeat: a span of a lesson's video that was just watched.
#[derive(Deserialize)]
pub struct VideoProgress {
    course: String,
    module: String,
    lesson: String,
    from: f64,
    to: f64,
}

/// The longest span one heartbeat may report; the player sends one every few seconds.
const MAX_SPAN_SECONDS: f64 = 30.0;

/// `POST /api/v1/progress/video`.
pub async fn video_progress(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(beat): Json<VideoProgress>,
) -> Result<StatusCode, ApiError> {
    let (course, module) = course_and_module(&state, &beat.course, &beat.module).await?;
    let lesson = module
        .lessons
        .iter()
        .find(|l| l.slug.as_str() == beat.lesson)
        .ok_or(AppError::NotFound)?;
    let duration = lesson
        .blocks
        .iter()
        .find_map(|b| {
            if let Block::Video(v) = b {
                Some(f64::from(v.duration_seconds))
            } else {
                None
            }
        })
        .ok_or_else(|| AppError::BadRequest("the lesson has no video".into()))?;
    let valid = beat.from.is_finite()
        && beat.to.is_finite()
        && beat.from >= 0.0
        && beat.to > beat.from
        && beat.to <= duration + 1.0
        && beat.to - beat.from <= MAX_SPAN_SECONDS;
    if !valid {
        return Err(AppError::BadRequest(format!(
            "a span is 0 ≤ from < to ≤ {duration} seconds, at most {MAX_SPAN_SECONDS} long"
        ))
        .into());
    }
    let key = ModuleKey {
        user_id: user.id,
        course_id: course.id,
        module: module.slug.as_str(),
    };
    state
        .store
        .record_video_span(key, lesson.slug.as_str(), beat.from, beat.to)
        .await?;
    update_completion(&state, key, &course, &module).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Evaluates a module after progress and records its completion in this fiscal year when it is done.
async fn update_completion(
    state: &AppState,
    key: ModuleKey<'_>,
    course: &Course,
    module: &Module,
) -> Result<mist_core::completion::Outcome, AppError> {
    let progress = state.store.module_progress(key).await?;
    let outcome = module_outcome(
        module,
        &progress,
        DEFAULT_VIDEO_THRESHOLD,
        pass_mark(course, module),
    );
    if outcome.is_done() {
        state
            .store
            .record_module_completion(key, current_fiscal_year(), &outcome)
            .await?;
        if let Some(user) = state.store.user(key.user_id).await? {
            super::certs::issue_if_complete(state, &user, course).await?;
        }
    }
    Ok(outcome)
}

/// `GET /learn/{course}/{module}/quiz`: resumes the open attempt or draws a new one (unseen questions
/// first).
pub async fn quiz(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path((course_slug, module_slug)): Path<(String, String)>,
) -> Page {
    let (course, module) = course_and_module(&state, &course_slug, &module_slug).await?;
    let quiz = module.quiz.as_ref().ok_or(AppError::NotFound)?;
    let key = ModuleKey {
        user_id: viewer.0.id,
        course_id: course.id,
        module: module.slug.as_str(),
    };
    let attempt = match state.store.open_attempt(key).await? {
        Some(open) => open,
        None => {
            let seen = state.store.seen_questions(key).await?;
            let seed = new_seed();
            state
                .store
                .create_attempt(key, seed, &draw(quiz, seed, &seen))
                .await?
        }
    };
    let questions = question_views(&state, lang, quiz, &attempt.drawn);
    let page = json!({
        "course": { "slug": course.slug, "title": text(&state, lang, &course.title) },
        "module": { "slug": module.slug, "title": text(&state, lang, &module.title) },
        "attempt": attempt.id,
        "questions": questions,
        "pass_mark": pass_mark(&course, &module).percent(),
    });
    render(
        &state,
        "quiz.html",
        lang,
        &format!("/learn/{course_slug}/{module_slug}/quiz"),
        Some(&viewer),
        page,
    )
}

/// A fresh seed for drawing questions.
pub(super) fn new_seed() -> u64 {
    u64::from_le_bytes(
        Uuid::new_v4().as_bytes()[..8]
            .try_into()
            .unwrap_or_default(),
    )
}

/// The drawn questions of an attempt as the quiz template shows them (options in display order).
pub(super) fn question_views(
    state: &AppState,
    lang: Lang,
    quiz: &mist_core::Quiz,
    drawn: &[mist_core::quiz::DrawnQuestion],
) -> Vec<Value> {
    drawn
        .iter()
        .filter_map(|d| quiz.questions.iter().find(|q| q.id == d.id).map(|q| (d, q)))
        .map(|(drawn, q)| {
            let label = |l: &mist_core::Localized| text(state, lang, l);
            let in_display_order = |len: usize| if drawn.display_order.len() == len { drawn.display_order.clone() } else { (0..len).collect() };
            let (choices, rights): (Vec<Value>, Vec<Value>) = match &q.kind {
                QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                    (in_display_order(options.len()).into_iter().filter_map(|i| options.get(i)).map(|o| json!({ "id": o.id, "text": label(&o.text) })).collect(), vec![])
                }
                QuestionKind::Ordering { items } => {
                    (in_display_order(items.len()).into_iter().filter_map(|i| items.get(i)).map(|o| json!({ "id": o.id, "text": label(&o.text) })).collect(), vec![])
                }
                QuestionKind::Matching { pairs } => (
                    pairs.iter().map(|p| json!({ "id": p.id, "text": label(&p.left) })).collect(),
                    in_display_order(pairs.len()).into_iter().filter_map(|i| pairs.get(i)).map(|p| json!({ "id": p.id, "text": label(&p.right) })).collect(),
                ),
                _ => (vec![], vec![]),
            };
            let unit = if let QuestionKind::Numeric { unit: Some(u), .. } = &q.kind { Some(label(u)) } else { None };
            json!({ "id": q.id, "type": q.kind.type_name(), "prompt": markdown::render(&label(&q.prompt)), "choices": choices, "rights": rights, "unit": unit })
        })
        .collect()
}

/// A graded attempt's questions with feedback and explanations, as the result template shows them.
pub(super) fn result_views(
    state: &AppState,
    lang: Lang,
    quiz: &mist_core::Quiz,
    result: &mist_core::quiz::AttemptResult,
) -> Vec<Value> {
    result
        .questions
        .iter()
        .filter_map(|r| quiz.questions.iter().find(|q| q.id == r.id).map(|q| (r, q)))
        .map(|(r, q)| {
            json!({
                "prompt": markdown::render(&text(state, lang, &q.prompt)),
                "correct": r.correct, "answered": r.answered, "points": r.points,
                "feedback": r.feedback.iter().map(|f| text(state, lang, f)).collect::<Vec<_>>(),
                "explanation": r.explanation.as_ref().map(|e| text(state, lang, e)),
            })
        })
        .collect()
}

/// Turns the submitted form into answers: `q.ID` for single values, repeated `q.ID` for multiple
/// response, `q.ID.N` for the item placed N-th, `q.ID.LEFT` for the right side matched to LEFT.
pub(super) fn answers_from_form(
    quiz: &mist_core::Quiz,
    drawn: &[mist_core::quiz::DrawnQuestion],
    form: &[(String, String)],
) -> BTreeMap<String, Answer> {
    let mut answers = BTreeMap::new();
    for d in drawn {
        let Some(question) = quiz.questions.iter().find(|q| q.id == d.id) else {
            continue;
        };
        let plain = format!("q.{}", d.id);
        let nested = format!("q.{}.", d.id);
        let values: Vec<&str> = form
            .iter()
            .filter(|(k, _)| *k == plain)
            .map(|(_, v)| v.as_str())
            .collect();
        let parts: Vec<(&str, &str)> = form
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(&nested)?, v.as_str())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let answer = match &question.kind {
            QuestionKind::Single { .. } | QuestionKind::Multiple { .. } if !values.is_empty() => {
                Some(Answer::Choices(
                    values.iter().map(|v| (*v).to_owned()).collect(),
                ))
            }
            QuestionKind::TrueFalse { .. } => values
                .first()
                .and_then(|v| v.parse().ok())
                .map(Answer::Bool),
            QuestionKind::Ordering { items } if parts.len() == items.len() => {
                let mut placed: Vec<(usize, &str)> = parts
                    .iter()
                    .filter_map(|(pos, id)| Some((pos.parse().ok()?, *id)))
                    .collect();
                placed.sort_unstable();
                Some(Answer::Order(
                    placed.into_iter().map(|(_, id)| id.to_owned()).collect(),
                ))
            }
            QuestionKind::Matching { .. } if !parts.is_empty() => Some(Answer::Matches(
                parts
                    .iter()
                    .map(|(l, r)| ((*l).to_owned(), (*r).to_owned()))
                    .collect(),
            )),
            QuestionKind::Numeric { .. } => values
                .first()
                .and_then(|v| normalize_text(v, true).replace(',', "").parse().ok())
                .map(Answer::Number),
            QuestionKind::ShortText { .. } => values
                .first()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Answer::Text((*v).to_owned())),
            _ => None,
        };
        if let Some(answer) = answer {
            answers.insert(d.id.clone(), answer);
        }
    }
    answers
}

/// `POST /learn/{course}/{module}/quiz/{attempt}`: grades once, records the result and completion, and
/// shows feedback and explanations. Submitting the same attempt again shows the stored result.
pub async fn submit_quiz(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path((course_slug, module_slug, attempt_id)): Path<(String, String, Uuid)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (course, module) = course_and_module(&state, &course_slug, &module_slug).await?;
    let quiz = module.quiz.as_ref().ok_or(AppError::NotFound)?;
    let attempt = state
        .store
        .attempt(attempt_id)
        .await?
        .filter(|a| a.user_id == viewer.0.id)
        .ok_or(AppError::NotFound)?;
    let key = ModuleKey {
        user_id: viewer.0.id,
        course_id: course.id,
        module: module.slug.as_str(),
    };
    let result = match attempt.result {
        Some(stored) => stored,
        None => {
            let policy = AttemptPolicy::with_pass_mark(pass_mark(&course, &module));
            let answers = answers_from_form(quiz, &attempt.drawn, &form);
            let elapsed = u64::try_from((now() - attempt.started_at).whole_seconds()).ok();
            let result = policy
                .grade(quiz, &attempt.drawn, &answers, elapsed)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            state.store.submit_attempt(attempt.id, &result).await?;
            result
        }
    };
    let outcome = update_completion(&state, key, &course, &module).await?;
    let questions = result_views(&state, lang, quiz, &result);
    let page = json!({
        "course": { "slug": course.slug, "title": text(&state, lang, &course.title) },
        "module": { "slug": module.slug, "title": text(&state, lang, &module.title) },
        "passed": result.passed, "score": format!("{:.0}", result.scaled * 100.0), "explanation": result.explanation,
        "questions": questions, "module_done": outcome.is_done(), "outcome": outcome.explanation,
    });
    let html = render(
        &state,
        "quiz_result.html",
        lang,
        &format!("/learn/{course_slug}/{module_slug}"),
        Some(&viewer),
        page,
    )?;
    Ok(html.into_response())
}

/// `GET /me`: the learner's courses and the modules done this fiscal year.
pub async fn me(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    let year = current_fiscal_year();
    let mut courses = Vec::new();
    for course_id in state.store.enrolled_courses(viewer.0.id).await? {
        let Some(course) = state.store.course_by_id(course_id).await? else {
            continue;
        };
        let done = state
            .store
            .completed_modules(viewer.0.id, course.id, year)
            .await?;
        let required: Vec<&Module> = course.modules.iter().filter(|m| m.required).collect();
        let done_required = required
            .iter()
            .filter(|m| done.contains(m.slug.as_str()))
            .count();
        courses.push(json!({
            "slug": course.slug, "title": text(&state, lang, &course.title),
            "done": done_required, "of": required.len(), "completed": done_required == required.len(),
            "modules": course.modules.iter().map(|m| json!({ "slug": m.slug, "title": text(&state, lang, &m.title), "done": done.contains(m.slug.as_str()) })).collect::<Vec<_>>(),
        }));
    }
    let fiscal_year = match lang {
        Lang::Ja => year.era_label(),
        Lang::En => year.to_string(),
    };
    let certificates = super::certs::listing(&state, lang, &viewer.0).await?;
    let page = json!({ "name": viewer.0.display_name, "fiscal_year": fiscal_year, "courses": courses, "certificates": certificates });
    render(&state, "me.html", lang, "/me", Some(&viewer), page)
}
