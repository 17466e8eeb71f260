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
use serde_json::Value;
use tower_http::set_header::SetResponseHeaderLayer;
use uuid::Uuid;

use super::session::SignedIn;
use super::{AppError, AppState};
use crate::store::audit::AuditEvent;
use crate::store::incidents::Incident;
use crate::store::{Role, User};

mod actions;
mod desk;
mod files;
pub mod intake;
mod report;
mod responders;
mod texts;
mod view;

pub use texts::TEXTS;
use view::{attachments_json, jst, ticket_json, timeline};

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
    state
        .store
        .audit(AuditEvent {
            actor,
            organization,
            action,
            subject,
            detail,
        })
        .await?;
    Ok(())
}

/// Writes one entry to the audit log about a ticket (the subject is `incident:NUMBER`).
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
        format!("incident:{}", incident.number),
        detail,
    )
    .await
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
        .route("/desk/{number}/assign", post(actions::assign))
        .route("/desk/{number}/status", post(actions::status))
        .route("/desk/{number}/triage", post(actions::triage))
        .route("/desk/{number}/events", post(actions::add_event))
        .route("/desk/{number}/followups", post(actions::add_followup))
        .route(
            "/desk/{number}/followups/{id}/done",
            post(actions::complete_followup),
        )
        .route(
            "/desk/{number}/organization",
            post(actions::set_organization),
        )
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
