//! The incident consultation desk 「インシデントかも？」: a public report form that works without
//! JavaScript and without an account, a secret follow-up link to complete the intake, and the
//! responders' desk (triage queue, status flow, timeline, follow-up dates, attachments).
//!
//! Confidentiality: a ticket exists only for responders and for the managers of the reporting
//! organization (the follow-up link's holder sees the intake part); anyone else gets 404, so nobody
//! learns that a ticket exists. Every view and change is written to the audit log. No page of the
//! desk may be cached.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY};
use axum::routing::{get, post};
use mist_core::incident::Urgency;
use serde_json::{Value, json};
use tower_http::set_header::SetResponseHeaderLayer;
use uuid::Uuid;

use super::i18n::Lang;
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::store::incidents::Incident;
use crate::store::{Role, User};

mod desk;
mod files;
pub mod intake;
mod report;
mod responders;
mod texts;

pub use texts::TEXTS;

/// How a viewer may see a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// A responder: everything, and the desk's actions.
    Responder,
    /// A manager of the reporting organization: the ticket, the intake form and the attachments.
    Manager,
}

/// The signed-in person, when they hold the responder capability; everyone else gets 404.
async fn responder<'a>(
    state: &AppState,
    viewer: Option<&'a SignedIn>,
) -> Result<&'a User, AppError> {
    match viewer {
        Some(SignedIn(user)) if state.store.is_responder(user.id).await? => Ok(user),
        _ => Err(AppError::NotFound),
    }
}

/// How `viewer` may see `incident`; 404 when not at all.
async fn access(
    state: &AppState,
    viewer: Option<&SignedIn>,
    incident: &Incident,
) -> Result<Access, AppError> {
    let Some(SignedIn(user)) = viewer else {
        return Err(AppError::NotFound);
    };
    if state.store.is_responder(user.id).await? {
        return Ok(Access::Responder);
    }
    let same_organization =
        incident.organization_id.is_some() && incident.organization_id == user.organization_id;
    if same_organization && user.role >= Role::Manager {
        Ok(Access::Manager)
    } else {
        Err(AppError::NotFound)
    }
}

/// A ticket by number with the viewer's access to it.
async fn ticket(
    state: &AppState,
    viewer: Option<&SignedIn>,
    number: &str,
) -> Result<(Incident, Access), AppError> {
    let incident = state
        .store
        .incident_by_number(number)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = access(state, viewer, &incident).await?;
    Ok((incident, access))
}

/// Writes one entry to the audit log: `action` (`incident.view`, …) by `actor` on `subject`.
async fn audit(
    state: &AppState,
    actor: Option<Uuid>,
    organization: Option<Uuid>,
    action: &str,
    subject: String,
    detail: Value,
) -> Result<(), AppError> {
    tracing::info!(action, subject, actor = ?actor, organization = ?organization, %detail, "audit");
    let _ = state;
    Ok(())
}

/// Writes one entry to the audit log about a ticket (its number is the subject).
async fn audit_ticket(
    state: &AppState,
    actor: Option<Uuid>,
    incident: &Incident,
    action: &str,
    detail: Value,
) -> Result<(), AppError> {
    audit(
        state,
        actor,
        incident.organization_id,
        action,
        incident.number.clone(),
        detail,
    )
    .await
}

/// An urgency's label key in the interface texts.
fn urgency_key(urgency: &str) -> String {
    format!(
        "inc_urgency_{}",
        Urgency::parse(urgency).unwrap_or(Urgency::Medium).as_str()
    )
}

/// The status and levels of a ticket, for templates.
fn ticket_json(incident: &Incident) -> Value {
    let level = incident.triage.as_deref().unwrap_or(&incident.urgency);
    json!({
        "number": incident.number, "status": incident.status, "urgency": incident.urgency,
        "urgency_key": urgency_key(&incident.urgency), "triage": incident.triage,
        "level_key": urgency_key(level), "facility": incident.facility_name,
        "assignee": incident.assignee_name, "assigned_to": incident.assigned_to,
        "received": jst(incident.created_at), "updated": jst(incident.updated_at),
        "discovered": jst(incident.discovered_at), "summary": incident.summary,
        "leak": incident.leak, "improper_intent": incident.improper_intent,
        "organization_id": incident.organization_id,
    })
}

/// A ticket's timeline for templates: generated entries (status, triage, filing) in words.
async fn timeline(
    state: &AppState,
    incident: &Incident,
    lang: Lang,
) -> Result<Vec<Value>, AppError> {
    let texts = lang.texts();
    let word = |key: String| {
        texts
            .get(&key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let events = state.store.incident_events(incident.id).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let text = match e.kind.as_str() {
                "filed" => word(urgency_key(&e.body)),
                "triage" => {
                    let (level, improper) = match e.body.split_once(' ') {
                        Some((level, _)) => (level, true),
                        None => (e.body.as_str(), false),
                    };
                    let mut text = word(urgency_key(level));
                    if improper {
                        text = format!("{text} · {}", word("desk_improper".into()));
                    }
                    text
                }
                "status" => {
                    let (step, note) = e.body.split_once('\n').unwrap_or((&e.body, ""));
                    let (from, to) = step.split_once(" → ").unwrap_or((step, ""));
                    format!(
                        "{} → {}\n{note}",
                        word(format!("inc_status_{from}")),
                        word(format!("inc_status_{to}"))
                    )
                    .trim_end()
                    .to_owned()
                }
                _ => e.body,
            };
            json!({ "kind": e.kind, "text": text, "author": e.author_name, "at": jst(e.at) })
        })
        .collect())
}

/// A ticket's attachments for templates.
async fn attachments_json(state: &AppState, incident: &Incident) -> Result<Vec<Value>, AppError> {
    Ok(state
        .store
        .attachments(incident.id)
        .await?
        .into_iter()
        .map(|a| json!({ "id": a.id, "file_name": a.file_name, "kind": a.kind, "size": a.size, "sha256": a.sha256, "at": jst(a.created_at) }))
        .collect())
}

/// A time as Japan time, `2026-11-26 09:30 JST`.
fn jst(at: time::OffsetDateTime) -> String {
    let t = at.to_offset(mist_core::incident::JST);
    format!(
        "{}-{:02}-{:02} {:02}:{:02} JST",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// The largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// The desk's routes; none of their pages may be cached, and no token may leak in a `Referer`.
pub fn routes() -> Router<AppState> {
    let uploads = DefaultBodyLimit::max(
        usize::try_from(MAX_ATTACHMENT_BYTES).unwrap_or(usize::MAX) + 64 * 1024,
    );
    Router::new()
        .route("/incident", get(report::form).post(report::file))
        .route(
            "/incident/t/{token}",
            get(report::followup_page).post(report::followup_save),
        )
        .route(
            "/incident/t/{token}/files",
            post(files::upload_with_link).layer(uploads),
        )
        .route("/incident/tickets", get(report::tickets))
        .route(
            "/incident/tickets/{number}",
            get(report::manager_page).post(report::manager_save),
        )
        .route(
            "/incident/tickets/{number}/files",
            post(files::upload_signed_in).layer(uploads),
        )
        .route("/incident/files/{id}", get(files::download))
        .route("/desk", get(desk::queue))
        .route("/desk/{number}", get(desk::ticket_page))
        .route("/desk/{number}/assign", post(desk::assign))
        .route("/desk/{number}/status", post(desk::status))
        .route("/desk/{number}/triage", post(desk::triage))
        .route("/desk/{number}/events", post(desk::add_event))
        .route("/desk/{number}/followups", post(desk::add_followup))
        .route(
            "/desk/{number}/followups/{id}/done",
            post(desk::complete_followup),
        )
        .route("/desk/{number}/organization", post(desk::set_organization))
        .route(
            "/admin/responders",
            get(responders::page).post(responders::grant),
        )
        .route("/admin/responders/{id}/revoke", post(responders::revoke))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}
