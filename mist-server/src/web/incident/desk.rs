//! The responders' desk: the triage queue and a ticket's page (its actions are in `actions`).

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use mist_core::incident::{Status, Urgency, leak_needs_reminders, ppc_deadlines};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::intake::Intake;
use super::{Access, audit, audit_ticket, responder, ticket, ticket_json, timeline};
use crate::store::incidents::{Incident, QueueFilter};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// The queue's filters, from the query string.
#[derive(Deserialize, Default)]
pub struct QueueQuery {
    status: Option<String>,
    level: Option<String>,
    unassigned: Option<String>,
}

/// `GET /desk`: open tickets, most urgent first, then oldest.
pub async fn queue(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Query(query): Query<QueueQuery>,
) -> Page {
    let user = responder(&state, viewer.as_ref()).await?;
    let status = query
        .status
        .filter(|s| s == "all" || Status::parse(s).is_some())
        .unwrap_or_else(|| "open".into());
    let level = query.level.as_deref().and_then(Urgency::parse);
    let filter = QueueFilter {
        status,
        rank: level.map(Urgency::rank),
        unassigned: query.unassigned.is_some(),
    };
    let tickets = state.store.incident_queue(&filter).await?;
    audit(
        &state,
        Some(user.id),
        None,
        "incident.queue_view",
        "incident:queue".into(),
        json!({ "status": filter.status, "count": tickets.len() }),
    )
    .await?;
    let page = json!({
        "tickets": tickets.iter().map(ticket_json).collect::<Vec<_>>(),
        "filter": { "status": filter.status, "level": level.map(Urgency::as_str), "unassigned": filter.unassigned },
        "statuses": Status::ALL.map(Status::as_str), "levels": Urgency::ALL.map(Urgency::as_str),
    });
    render(
        &state,
        "desk_queue.html",
        lang,
        "/desk",
        viewer.as_ref(),
        page,
    )
}

/// A ticket the viewer may act on as a responder.
pub(super) async fn desk_ticket(
    state: &AppState,
    viewer: Option<&SignedIn>,
    number: &str,
) -> Result<(Incident, Uuid), AppError> {
    let (incident, access) = ticket(state, viewer, number).await?;
    match (access, viewer) {
        (Access::Responder, Some(SignedIn(user))) => Ok((incident, user.id)),
        _ => Err(AppError::NotFound),
    }
}

/// Renders a ticket's desk page, with `error` shown beside the forms (status 422 then).
pub(super) async fn ticket_view(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    incident: &Incident,
    error: Option<String>,
) -> Result<Response, AppError> {
    let intake: Intake =
        crate::store::from_json(format!("intake of {}", incident.number), &incident.intake)?;
    let ppc = leak_needs_reminders(&incident.leak)
        .then(|| ppc_deadlines(incident.discovered_at, incident.improper_intent))
        .flatten();
    let status = Status::parse(&incident.status).unwrap_or(Status::Received);
    let code = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = json!({
        "ticket": ticket_json(incident), "rows": super::view::intake_rows(&intake),
        "next": status.next().iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "levels": Urgency::ALL.map(Urgency::as_str),
        "events": timeline(state, incident, lang).await?,
        "followups": state.store.followups(incident.id).await?.iter().map(|f| json!({ "id": f.id, "due_on": f.due_on.to_string(), "what": f.what, "done": f.done_at.is_some() })).collect::<Vec<_>>(),
        "ppc": ppc.map(|d| json!({ "aware_on": d.aware_on.to_string(), "preliminary_from": d.preliminary_from.to_string(),
            "preliminary_by": d.preliminary_by.to_string(), "final_by": d.final_by.to_string() })),
        "attachments": super::attachments_json(state, incident).await?,
        "responders": state.store.responders().await?.iter().map(|r| json!({ "user_id": r.user_id, "display_name": r.display_name })).collect::<Vec<_>>(),
        "organizations": state.store.organizations().await?,
        "error": error, "max_mb": super::MAX_ATTACHMENT_BYTES / (1024 * 1024),
    });
    let html = render(
        state,
        "desk_ticket.html",
        lang,
        &format!("/desk/{}", incident.number),
        viewer,
        page,
    )?;
    Ok((code, html).into_response())
}

/// `GET /desk/{number}`.
pub async fn ticket_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.view",
        json!({ "as": "responder" }),
    )
    .await?;
    ticket_view(&state, lang, viewer.as_ref(), &incident, None).await
}

/// Back to the ticket's page after a change.
pub(super) fn back(number: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, format!("/desk/{number}"))],
    )
        .into_response()
}
