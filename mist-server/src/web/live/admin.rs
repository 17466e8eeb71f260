//! Administrators' pages for live sessions: the list with the reminder queue, creating, editing and
//! cancelling sessions. Invalid forms come back with their values and the reasons.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use mist_core::Audience;
use mist_core::live::{jst_label, jst_local_value, parse_jst_local};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::i18n::Lang;
use super::super::render::{Page, render, text};
use super::super::session::SignedIn;
use super::super::{AppError, AppState};
use super::{composer, found, see_other, session_view};
use crate::store::Role;
use crate::store::live::{LiveSession, SessionFields};

/// The session form as submitted (every field text, so that a rejected form comes back as typed).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SessionForm {
    audience: String,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    part: String,
    title_ja: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description_ja: String,
    #[serde(default)]
    description_en: String,
    instructor: String,
    starts_at: String,
    duration_minutes: String,
    capacity: String,
    registration_deadline: String,
    meeting_url: String,
    #[serde(default)]
    attendance_keyword: String,
    /// `COURSE/MODULE` of a built-in module with a quiz, or empty.
    #[serde(default)]
    quiz: String,
    #[serde(default)]
    quiz_count: String,
    #[serde(default)]
    archive_url: String,
    /// Present when the box is ticked.
    archive_public: Option<String>,
}

impl SessionForm {
    fn from_session(session: &LiveSession) -> Self {
        let quiz = match (&session.quiz_course, &session.quiz_module) {
            (Some(course), Some(module)) => format!("{course}/{module}"),
            _ => String::new(),
        };
        Self {
            audience: session.audience.clone(),
            programme: session.programme.clone().unwrap_or_default(),
            part: session.part.map(|n| n.to_string()).unwrap_or_default(),
            title_ja: session.title_ja.clone(),
            title_en: session.title_en.clone(),
            description_ja: session.description_ja.clone(),
            description_en: session.description_en.clone(),
            instructor: session.instructor.clone(),
            starts_at: jst_local_value(session.starts_at),
            duration_minutes: session.duration_minutes.to_string(),
            capacity: session.capacity.to_string(),
            registration_deadline: jst_local_value(session.registration_deadline),
            meeting_url: session.meeting_url.clone(),
            attendance_keyword: session.attendance_keyword.clone().unwrap_or_default(),
            quiz,
            quiz_count: session
                .quiz_count
                .map(|n| n.to_string())
                .unwrap_or_default(),
            archive_url: session.archive_url.clone().unwrap_or_default(),
            archive_public: session.archive_public.then(|| "on".to_owned()),
        }
    }

    /// The fields, or every reason the form is not valid (in the page's language). `quizzes`: the
    /// `COURSE/MODULE` values a comprehension check may name.
    fn validate(&self, lang: Lang, quizzes: &[Value]) -> Result<SessionFields, Vec<String>> {
        let mut errors = Vec::new();
        let mut fail = |ja: &str, en: &str| errors.push(lang.pick(ja, en).to_owned());
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let number = |s: &str, range: std::ops::RangeInclusive<i64>| {
            s.trim().parse::<i64>().ok().filter(|n| range.contains(n))
        };
        let is_url = |s: &str| s.starts_with("https://") || s.starts_with("http://");
        let audience = Audience::parse(&self.audience);
        if audience.is_none() {
            fail("対象を選んでください。", "Choose an audience.");
        }
        if self.title_ja.trim().is_empty() || self.instructor.trim().is_empty() {
            fail(
                "研修名(日本語)と講師を入力してください。",
                "Enter the Japanese title and the instructor.",
            );
        }
        let part = if self.part.trim().is_empty() {
            None
        } else {
            let part = number(&self.part, 1..=99);
            if part.is_none() {
                fail("回数は 1〜99 の数字です。", "The part number is 1 to 99.");
            }
            part
        };
        let starts_at = parse_jst_local(&self.starts_at);
        let deadline = parse_jst_local(&self.registration_deadline);
        if starts_at.is_none() || deadline.is_none() {
            fail(
                "開始日時と申込締切を入力してください。",
                "Enter the start and the registration deadline.",
            );
        }
        if let (Some(start), Some(deadline)) = (starts_at, deadline)
            && deadline > start
        {
            fail(
                "申込締切は開始日時より前にしてください。",
                "The registration deadline must be before the start.",
            );
        }
        let duration = number(&self.duration_minutes, 10..=600);
        if duration.is_none() {
            fail(
                "所要時間は 10〜600 分です。",
                "The duration is 10 to 600 minutes.",
            );
        }
        let capacity = number(&self.capacity, 1..=10_000);
        if capacity.is_none() {
            fail(
                "定員は 1〜10000 人です。",
                "The capacity is 1 to 10,000 people.",
            );
        }
        let meeting_url = self.meeting_url.trim().to_owned();
        if !is_url(&meeting_url) {
            fail(
                "参加URLは https:// で始まるアドレスです。",
                "The meeting URL must start with https://.",
            );
        }
        let archive_url = optional(&self.archive_url);
        if archive_url.as_deref().is_some_and(|u| !is_url(u)) {
            fail(
                "アーカイブ動画のURLは https:// で始まるアドレスです。",
                "The recording URL must start with https://.",
            );
        }
        let known_quiz = quizzes.iter().any(|q| q["value"] == self.quiz.as_str());
        let quiz = match self.quiz.split_once('/') {
            None if self.quiz.is_empty() => None,
            Some((course, module)) if known_quiz => match number(&self.quiz_count, 1..=50) {
                Some(count) => Some((course.to_owned(), module.to_owned(), count)),
                None => {
                    fail(
                        "確認テストの出題数は 1〜50 問です。",
                        "The comprehension check draws 1 to 50 questions.",
                    );
                    None
                }
            },
            _ => {
                fail(
                    "確認テストの指定が正しくありません。",
                    "Unknown comprehension check.",
                );
                None
            }
        };
        match (audience, starts_at, deadline, duration, capacity) {
            (
                Some(audience),
                Some(starts_at),
                Some(registration_deadline),
                Some(duration_minutes),
                Some(capacity),
            ) if errors.is_empty() => Ok(SessionFields {
                audience,
                programme: optional(&self.programme),
                part,
                title: (
                    self.title_ja.trim().to_owned(),
                    self.title_en.trim().to_owned(),
                ),
                description: (
                    self.description_ja.trim().to_owned(),
                    self.description_en.trim().to_owned(),
                ),
                instructor: self.instructor.trim().to_owned(),
                starts_at,
                duration_minutes,
                capacity,
                registration_deadline,
                meeting_url,
                attendance_keyword: optional(&self.attendance_keyword),
                quiz,
                archive_url,
                archive_public: self.archive_public.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

/// Built-in modules with a quiz, as choices for the comprehension check.
async fn quiz_choices(state: &AppState, lang: Lang) -> Result<Vec<Value>, AppError> {
    Ok(state
        .courses()
        .await?
        .iter()
        .flat_map(|course| {
            course.modules.iter().filter(|m| m.quiz.is_some()).map(|m| {
                json!({ "value": format!("{}/{}", course.slug, m.slug),
                        "label": format!("{} — {}", text(state, lang, &course.title), text(state, lang, &m.title)) })
            })
        })
        .collect())
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    form: &SessionForm,
    errors: &[String],
) -> Page {
    let counts = state.store.live_seat_counts().await?;
    let sessions: Vec<Value> = state
        .store
        .live_sessions()
        .await?
        .iter()
        .map(|s| session_view(lang, s, counts.get(&s.id).copied().unwrap_or_default()))
        .collect();
    let outbox: Vec<Value> = state
        .store
        .live_messages(100)
        .await?
        .iter()
        .map(|m| json!({ "due": jst_label(m.due_at, lang == Lang::Ja), "to": m.recipient, "subject": m.subject,
                         "kind": m.kind, "status": m.status, "attempts": m.attempts, "error": m.error }))
        .collect();
    let page = json!({ "sessions": sessions, "outbox": outbox, "form": form, "errors": errors,
                       "quizzes": quiz_choices(state, lang).await? });
    render(
        state,
        "live_admin.html",
        lang,
        "/admin/live",
        Some(viewer),
        page,
    )
}

/// `GET /admin/live`: every session, the form for a new one, and the reminder queue.
pub async fn list(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    viewer.require(Role::Admin)?;
    let form = SessionForm {
        duration_minutes: "90".into(),
        capacity: "100".into(),
        quiz_count: "5".into(),
        ..SessionForm::default()
    };
    list_page(&state, lang, &viewer, &form, &[]).await
}

/// `POST /admin/live`: creates a session.
pub async fn create(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<SessionForm>,
) -> Result<Response, AppError> {
    let admin = viewer.require(Role::Admin)?.id;
    match form.validate(lang, &quiz_choices(&state, lang).await?) {
        Ok(fields) => {
            let id = state
                .store
                .create_live_session(Some(admin), &fields)
                .await?;
            Ok(see_other(format!("/admin/live/{id}")))
        }
        Err(errors) => {
            let html = list_page(&state, lang, &viewer, &form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

async fn edit_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    session: &LiveSession,
    form: &SessionForm,
    errors: &[String],
) -> Page {
    let count = state.store.live_seat_count(session.id).await?;
    let page = json!({ "session": session_view(lang, session, count), "form": form, "errors": errors,
                       "quizzes": quiz_choices(state, lang).await? });
    render(
        state,
        "live_edit.html",
        lang,
        &format!("/admin/live/{}", session.id),
        Some(viewer),
        page,
    )
}

/// `GET /admin/live/{id}`: the session's form.
pub async fn edit(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    viewer.require(Role::Admin)?;
    let session = found(&state, id).await?;
    edit_page(
        &state,
        lang,
        &viewer,
        &session,
        &SessionForm::from_session(&session),
        &[],
    )
    .await
}

/// `POST /admin/live/{id}`: saves changes; a larger capacity promotes people from the waiting list.
pub async fn update(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<SessionForm>,
) -> Result<Response, AppError> {
    let admin = viewer.require(Role::Admin)?.id;
    let session = found(&state, id).await?;
    match form.validate(lang, &quiz_choices(&state, lang).await?) {
        Ok(fields) => {
            state
                .store
                .update_live_session(Some(admin), id, &fields, &composer(&state))
                .await?;
            Ok(see_other(format!("/admin/live/{id}")))
        }
        Err(errors) => {
            let html = edit_page(&state, lang, &viewer, &session, &form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// `POST /admin/live/{id}/cancel`: cancels the session and tells everyone registered.
pub async fn cancel(
    State(state): State<AppState>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let admin = viewer.require(Role::Admin)?;
    found(&state, id).await?;
    state
        .store
        .cancel_live_session(id, admin.id, &composer(&state))
        .await?;
    Ok(see_other(format!("/admin/live/{id}")))
}
