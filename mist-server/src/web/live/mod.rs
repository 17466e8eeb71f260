//! Live training sessions (オンライン研修): the public list and pages, registration and cancellation,
//! and the calendar file. Administrators' pages are in [`admin`], attendance (the keyword and the
//! managers' roster) in [`attendance`], the comprehension check in [`quiz`].

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::response::{IntoResponse, Response};
use mist_core::live::ics::{CalendarEvent, calendar as ics_calendar};
use mist_core::live::{RegistrationError, Status, check_registration, jst_label};
use serde_json::{Value, json};
use uuid::Uuid;

use super::i18n::Lang;
use super::render::{Page, render};
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::live_mail::LiveComposer;
use crate::store::live::{LiveSession, Registered, SeatCount};
use crate::store::now;

pub mod admin;
pub mod attendance;
pub mod quiz;

/// The message composer, with links to this portal.
fn composer(state: &AppState) -> LiveComposer {
    LiveComposer {
        public_url: state.config.public_url.clone(),
    }
}

/// A session by id, or 404.
async fn found(state: &AppState, id: Uuid) -> Result<LiveSession, AppError> {
    state
        .store
        .live_session(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Text in the page's language; English falls back to Japanese when not given.
fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::En && !en.trim().is_empty() {
        en
    } else {
        ja
    }
}

/// What every page shows about a session (never the meeting URL or the keyword).
fn session_view(lang: Lang, session: &LiveSession, seats: SeatCount) -> Value {
    let at = now();
    let schedule = session.schedule();
    let (audience_ja, audience_en) = session
        .audience()
        .map_or(("", ""), mist_core::Audience::label);
    let part = session.part.map(|n| match lang {
        Lang::Ja => format!("第{n}回"),
        Lang::En => format!("Part {n}"),
    });
    json!({
        "id": session.id,
        "audience": session.audience, "audience_label": lang.pick(audience_ja, audience_en),
        "programme": session.programme, "part": part,
        "title": pick(lang, &session.title_ja, &session.title_en),
        "description": pick(lang, &session.description_ja, &session.description_en),
        "instructor": session.instructor,
        "starts": jst_label(session.starts_at, lang == Lang::Ja),
        "duration": session.duration_minutes,
        "deadline": jst_label(session.registration_deadline, lang == Lang::Ja),
        "capacity": session.capacity, "held": seats.held, "waiting": seats.waiting,
        "seats_left": (session.capacity - seats.held).max(0),
        "cancelled": session.cancelled_at.is_some(),
        "over": schedule.is_over(at),
        "open": check_registration(&schedule, session.cancelled_at.is_some(), at).is_ok(),
    })
}

/// `GET /live`: every session by audience, upcoming first.
pub async fn list(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
) -> Page {
    let counts = state.store.live_seat_counts().await?;
    let (mine, completed) = match &viewer {
        Some(SignedIn(user)) => (
            state.store.live_registrations_of(user.id).await?,
            state.store.live_completions(user.id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    // Upcoming sessions first, soonest first; then past ones, latest first.
    let (mut sessions, mut past): (Vec<LiveSession>, Vec<LiveSession>) = state
        .store
        .live_sessions()
        .await?
        .into_iter()
        .partition(|s| !s.schedule().is_over(now()));
    past.reverse();
    sessions.append(&mut past);
    let tiers: Vec<Value> = mist_core::Audience::ALL
        .into_iter()
        .map(|audience| {
            let (ja, en) = audience.label();
            let rows: Vec<Value> = sessions
                .iter()
                .filter(|s| s.audience() == Some(audience))
                .map(|s| {
                    let count = counts.get(&s.id).copied().unwrap_or_default();
                    let mut view = session_view(lang, s, count);
                    let status = mine
                        .iter()
                        .find_map(|(id, st)| (*id == s.id).then_some(*st));
                    view["status"] = json!(status.map(Status::as_str));
                    view
                })
                .collect();
            json!({ "key": audience.as_str(), "label": lang.pick(ja, en), "sessions": rows })
        })
        .collect();
    render(
        &state,
        "live_list.html",
        lang,
        "/live",
        viewer.as_ref(),
        json!({ "tiers": tiers, "mine": mine_view(lang, &sessions, &mine, &completed) }),
    )
}

/// The viewer's registrations (cancelled ones left out), in the list's order, with their completion.
fn mine_view(
    lang: Lang,
    sessions: &[LiveSession],
    mine: &[(Uuid, Status)],
    completed: &[crate::store::live::records::LiveCompletion],
) -> Vec<Value> {
    sessions
        .iter()
        .filter_map(|s| {
            let status = mine
                .iter()
                .find_map(|(id, st)| (*id == s.id).then_some(*st))
                .filter(|st| *st != Status::Cancelled)?;
            Some(json!({
                "id": s.id, "title": pick(lang, &s.title_ja, &s.title_en),
                "starts": jst_label(s.starts_at, lang == Lang::Ja), "status": status.as_str(),
                "completed": completed.iter().any(|c| c.session_id == s.id),
                "cancelled": s.cancelled_at.is_some(),
            }))
        })
        .collect()
}

/// `GET /live/{id}`: the session; people holding a seat see the meeting URL and the attendance form.
pub async fn detail(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(id): Path<Uuid>,
) -> Page {
    detail_page(&state, lang, viewer.as_ref(), id, None).await
}

/// Renders the session page, with an error shown beside the attendance form when given.
async fn detail_page(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    id: Uuid,
    error: Option<String>,
) -> Page {
    let session = found(state, id).await?;
    let mut page = session_view(lang, &session, state.store.live_seat_count(id).await?);
    let mut holds_seat = false;
    if let Some(SignedIn(user)) = viewer {
        let status = state.store.live_status(id, user.id).await?;
        holds_seat = status.is_some_and(Status::holds_seat);
        let passed = state.store.best_live_pass(id, user.id).await?;
        let completed = state
            .store
            .live_completions(user.id)
            .await?
            .iter()
            .any(|c| c.session_id == id);
        page["status"] = json!(status.map(Status::as_str));
        page["quiz_passed"] = json!(passed.is_some());
        page["completed"] = json!(completed);
        page["quiz_open"] = json!(holds_seat && session.has_quiz() && now() >= session.starts_at);
        page["keyword_form"] = json!(
            status == Some(Status::Confirmed)
                && session.attendance_keyword.is_some()
                && session.cancelled_at.is_none()
        );
    }
    if holds_seat && session.cancelled_at.is_none() {
        page["meeting_url"] = json!(session.meeting_url);
    }
    // The recording is for after the session: for people who held a seat, or every signed-in
    // person when the administrators made it public.
    let archive_visible = session.schedule().is_over(now())
        && (holds_seat || (session.archive_public && viewer.is_some()));
    if archive_visible {
        page["archive_url"] = json!(session.archive_url);
    }
    page["error"] = json!(error);
    render(
        state,
        "live_session.html",
        lang,
        &format!("/live/{id}"),
        viewer,
        page,
    )
}

fn see_other(path: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, path)]).into_response()
}

fn registration_error(lang: Lang, error: RegistrationError) -> AppError {
    AppError::BadRequest(
        match error {
            RegistrationError::SessionCancelled => lang.pick(
                "この研修は開催中止になりました。",
                "This session was cancelled.",
            ),
            RegistrationError::Closed => lang.pick(
                "申し込みの受付は締め切りました。",
                "Registration for this session has closed.",
            ),
        }
        .to_owned(),
    )
}

/// `POST /live/{id}/register`: a seat, or a place on the waiting list.
pub async fn register(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    SignedIn(user): SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let session = found(&state, id).await?;
    check_registration(&session.schedule(), session.cancelled_at.is_some(), now())
        .map_err(|e| registration_error(lang, e))?;
    match state
        .store
        .register_live(id, user.id, lang.code(), &composer(&state))
        .await?
    {
        Registered::New(_) | Registered::Already(_) => Ok(see_other(format!("/live/{id}"))),
        Registered::Unavailable => Err(registration_error(
            lang,
            RegistrationError::SessionCancelled,
        )),
    }
}

/// `POST /live/{id}/cancel`: withdraws the viewer's registration; a freed seat goes to the next in line.
pub async fn cancel(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    found(&state, id).await?;
    state
        .store
        .cancel_live_registration(id, user.id, &composer(&state))
        .await?;
    Ok(see_other(format!("/live/{id}")))
}

/// `GET /live/{id}/calendar.ics`: the session for a calendar; the meeting URL only for people holding
/// a seat, the session's page for everyone else.
pub async fn calendar(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let session = found(&state, id).await?;
    let holds_seat = match &viewer {
        Some(SignedIn(user)) => state
            .store
            .live_status(id, user.id)
            .await?
            .is_some_and(Status::holds_seat),
        None => false,
    };
    let page = format!("{}/live/{id}", state.config.public_url);
    let mut description = format!(
        "{}\n{}: {}\n{page}",
        pick(lang, &session.description_ja, &session.description_en),
        lang.pick("講師", "Instructor"),
        session.instructor
    );
    if holds_seat {
        description.push_str(&format!(
            "\n{}: {}",
            lang.pick("参加URL", "Join"),
            session.meeting_url
        ));
    }
    let uid = format!("{id}@mist-live");
    let event = CalendarEvent {
        uid: &uid,
        stamp: now(),
        start: session.starts_at,
        end: session.schedule().ends_at(),
        summary: pick(lang, &session.title_ja, &session.title_en),
        description: &description,
        url: if holds_seat {
            &session.meeting_url
        } else {
            &page
        },
        cancelled: session.cancelled_at.is_some(),
    };
    Ok((
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"mist-live-{id}.ics\""),
            ),
        ],
        ics_calendar(&event),
    )
        .into_response())
}
