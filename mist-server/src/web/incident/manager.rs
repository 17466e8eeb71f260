//! Managers of the reporting organization (and responders) on a ticket's intake: the organization's
//! list of reports and the full intake form with the ticket's status, timeline and attachments.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use mist_core::incident::intake::Intake;
use serde_json::{Value, json};

use super::report::{FormPage, Pairs, intake_form, intake_form_with, save_intake, stored_intake};
use super::{Access, audit_ticket, ticket, ticket_json, timeline};
use crate::store::incidents::Incident;
use crate::store::{Role, now};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// `GET /incident/tickets`: the tickets of the manager's organization.
pub async fn tickets(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    let manager = viewer.require(Role::Manager)?;
    let organization = manager.organization_id.ok_or(AppError::NotFound)?;
    let tickets: Vec<Value> = state
        .store
        .organization_incidents(organization)
        .await?
        .iter()
        .map(ticket_json)
        .collect();
    let detail = json!({ "count": tickets.len() });
    let subject = format!("organization:{organization}");
    super::audit(
        &state,
        Some(manager.id),
        Some(organization),
        "incident.list_view",
        subject,
        detail,
    )
    .await?;
    render(
        &state,
        "incident_tickets.html",
        lang,
        "/incident/tickets",
        Some(&viewer),
        json!({ "tickets": tickets }),
    )
}

/// A manager's view of a ticket: the intake form, status, timeline and attachments.
async fn manager_form(
    state: &AppState,
    lang: Lang,
    incident: &Incident,
    notice: Option<&'static str>,
) -> Result<FormPage, AppError> {
    let ticket = json!({
        "info": ticket_json(incident),
        "events": timeline(state, incident, lang).await?,
        "attachments": super::attachments_json(state, incident).await?,
    });
    Ok(FormPage {
        action: format!("/incident/tickets/{}", incident.number),
        upload_action: Some(format!("/incident/tickets/{}/files", incident.number)),
        full: true,
        ticket: Some(ticket),
        notice,
        ..FormPage::default()
    })
}

/// `GET /incident/tickets/{number}`: the intake form of a ticket, for managers of the reporting
/// organization and responders (who may fill it in while on the phone with the reporter).
pub async fn manager_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
) -> Result<Response, AppError> {
    let (incident, access) = ticket(&state, viewer.as_ref(), &number).await?;
    let actor = viewer.as_ref().map(|v| v.0.id);
    let role = if access == Access::Responder {
        "responder"
    } else {
        "manager"
    };
    audit_ticket(
        &state,
        actor,
        &incident,
        "incident.view",
        json!({ "as": role, "part": "intake" }),
    )
    .await?;
    let intake = stored_intake(&incident)?;
    let form = manager_form(&state, lang, &incident, None).await?;
    intake_form_with(
        &state,
        lang,
        viewer.as_ref(),
        &intake,
        form,
        &[],
        StatusCode::OK,
    )
}

/// `POST /incident/tickets/{number}`: a manager (or responder) completes the intake.
pub async fn manager_save(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    let (incident, _) = ticket(&state, viewer.as_ref(), &number).await?;
    let actor = viewer.as_ref().map(|v| v.0.id);
    let intake = Intake::full_from(&pairs);
    let saved = intake.problems(now(), true).is_empty();
    if saved {
        save_intake(&state, &incident, actor, &intake).await?;
    }
    let incident = state
        .store
        .incident(incident.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = manager_form(&state, lang, &incident, saved.then_some("inc_saved")).await?;
    intake_form(&state, lang, viewer.as_ref(), &intake, form)
}
