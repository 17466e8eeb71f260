//! The attendance roster: a manager ticks who of their organization attended (administrators see
//! everyone). People of another organization are neither shown nor accepted.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::i18n::Lang;
use super::super::render::{Page, render};
use super::super::session::SignedIn;
use super::super::{AppError, AppState};
use super::{complete_if_done, found, pick, see_other};
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
        .filter(|r| r.status() != Some(mist_core::live::Status::Cancelled))
        .map(|r| {
            json!({ "id": r.user_id, "name": r.display_name, "email": r.email, "status": r.status,
                          "holds_seat": r.status().is_some_and(mist_core::live::Status::holds_seat),
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
        let allowed = roster.iter().any(|r| {
            r.user_id == person && r.status().is_some_and(mist_core::live::Status::holds_seat)
        });
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
