//! Attendance: the learner enters the keyword the instructor gave, or a manager ticks who of their
//! organization attended on the roster (administrators see everyone; people of another organization
//! are neither shown nor accepted). Attendance plus the comprehension check completes the session.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use mist_core::fiscal::FiscalYear;
use mist_core::live::{JST, KeywordError, Status, check_keyword, is_completed};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::i18n::Lang;
use super::super::render::{Page, render};
use super::super::session::SignedIn;
use super::super::{AppError, AppState};
use super::{detail_page, found, pick, see_other};
use crate::store::Role;
use crate::store::live::records::AttendanceMode;
use crate::store::live::{LiveSession, Registration};
use crate::store::now;

/// The registrations the viewer may record: their organization's (a manager), or all (an administrator).
async fn visible_roster(
    state: &AppState,
    viewer: &SignedIn,
    session: &LiveSession,
) -> Result<Vec<Registration>, AppError> {
    let user = viewer.require(Role::Manager)?;
    let organization = if user.role == Role::Admin {
        None
    } else {
        Some(user.organization_id.ok_or(AppError::Forbidden)?)
    };
    Ok(state.store.live_roster(session.id, organization).await?)
}

async fn roster_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    session: &LiveSession,
    notice: Option<String>,
) -> Page {
    let rows: Vec<Value> = visible_roster(state, viewer, session)
        .await?
        .iter()
        .filter(|r| r.status() != Some(Status::Cancelled))
        .map(|r| {
            json!({ "id": r.user_id, "name": r.display_name, "email": r.email, "status": r.status,
                          "holds_seat": r.status().is_some_and(Status::holds_seat),
                          "attended": r.status == "attended", "mode": r.attendance_mode })
        })
        .collect();
    let page = json!({
        "session": { "id": session.id, "title": pick(lang, &session.title_ja, &session.title_en),
                     "starts": mist_core::live::jst_label(session.starts_at, lang == Lang::Ja),
                     "started": now() >= session.starts_at },
        "rows": rows, "notice": notice,
    });
    render(
        state,
        "live_roster.html",
        lang,
        &format!("/live/{}/roster", session.id),
        Some(viewer),
        page,
    )
}

/// `GET /live/{id}/roster`.
pub async fn page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let session = found(&state, id).await?;
    Ok(roster_page(&state, lang, &viewer, &session, None)
        .await?
        .into_response())
}

/// `POST /live/{id}/roster`: records attendance of every ticked person (`attended=ID`, repeated). A
/// single person outside the viewer's roster refuses the whole form, so nothing is half-recorded.
pub async fn record(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let session = found(&state, id).await?;
    let roster = visible_roster(&state, &viewer, &session).await?;
    let mut ticked = Vec::new();
    for (key, value) in &form {
        if key != "attended" {
            continue;
        }
        let person: Uuid = value.parse().map_err(|_| AppError::NotFound)?;
        let allowed = roster
            .iter()
            .any(|r| r.user_id == person && r.status().is_some_and(Status::holds_seat));
        if !allowed {
            return Err(AppError::NotFound);
        }
        ticked.push(person);
    }
    if now() < session.starts_at {
        let message = lang.pick(
            "出席は研修の開始後に記録できます。",
            "Attendance can be recorded once the session has started.",
        );
        let html = roster_page(&state, lang, &viewer, &session, Some(message.to_owned())).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    for person in &ticked {
        state
            .store
            .record_live_attendance(id, *person, AttendanceMode::Manager, viewer.0.id)
            .await?;
        complete_if_done(&state, &session, *person).await?;
    }
    Ok(see_other(format!("/live/{id}/roster")))
}

#[derive(Deserialize)]
pub struct KeywordForm {
    keyword: String,
}

/// `POST /live/{id}/attendance`: the learner enters the keyword the instructor gave.
pub async fn attend(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<KeywordForm>,
) -> Result<Response, AppError> {
    let session = found(&state, id).await?;
    let user = &viewer.0;
    let status = state.store.live_status(id, user.id).await?;
    if !status.is_some_and(Status::holds_seat) || session.cancelled_at.is_some() {
        return Err(AppError::Forbidden);
    }
    let checked = check_keyword(
        &session.schedule(),
        session.attendance_keyword.as_deref(),
        &form.keyword,
        now(),
    );
    if let Err(error) = checked {
        let message = match error {
            KeywordError::NotSet => lang.pick(
                "この研修ではキーワードによる出席確認を行いません。",
                "This session does not use an attendance keyword.",
            ),
            KeywordError::TooEarly => lang.pick(
                "キーワードは研修の開始後に入力してください。",
                "Enter the keyword once the session has started.",
            ),
            KeywordError::TooLate => lang.pick(
                "キーワードの受付時間(終了後30分まで)を過ぎました。施設の管理者に出席の記録を依頼してください。",
                "The keyword window (until 30 minutes after the end) has closed. Ask your organization's manager to record your attendance.",
            ),
            KeywordError::Wrong => lang.pick(
                "キーワードが違います。",
                "The keyword does not match.",
            ),
        };
        let html = detail_page(&state, lang, Some(&viewer), id, Some(message.to_owned())).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    state
        .store
        .record_live_attendance(id, user.id, AttendanceMode::Keyword, user.id)
        .await?;
    complete_if_done(&state, &session, user.id).await?;
    Ok(see_other(format!("/live/{id}")))
}

/// Records the session as completed training once attendance and the comprehension check (when the
/// session has one) are both done.
pub(super) async fn complete_if_done(
    state: &AppState,
    session: &LiveSession,
    user_id: Uuid,
) -> Result<(), AppError> {
    let attended = state.store.live_status(session.id, user_id).await? == Some(Status::Attended);
    let score = state.store.best_live_pass(session.id, user_id).await?;
    if is_completed(attended, session.has_quiz(), score.is_some()) {
        state
            .store
            .record_live_completion(
                session.id,
                user_id,
                &session.audience,
                // Training counts for the fiscal year of the day it took place (in Japan).
                FiscalYear::containing(session.starts_at.to_offset(JST).date()),
                score,
            )
            .await?;
    }
    Ok(())
}
