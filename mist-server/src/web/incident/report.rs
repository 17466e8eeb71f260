//! The reporter's side: the urgent form at `/incident`, its confirmation, and completing the intake
//! through the follow-up link or as a manager of the reporting organization.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use mist_core::incident::{leak_needs_reminders, options, ppc_deadlines};
use serde_json::{Value, json};

use super::intake::{Intake, MAX_VENDORS};
use super::{Access, audit_ticket, ticket, ticket_json, timeline};
use crate::secret::{new_token, token_hash};
use crate::store::incidents::{Change, Incident, IntakeUpdate, NewIncident};
use crate::store::{Role, now};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState, EXAMPLE_DESK_PHONE};

/// The posted form as name/value pairs (check boxes repeat their name).
type Pairs = Form<Vec<(String, String)>>;

/// The option codes the form offers.
fn options_json() -> Value {
    json!({
        "facility_kinds": options::FACILITY_KINDS, "prefectures": options::PREFECTURES,
        "discovery": options::DISCOVERY, "observed": options::OBSERVED, "systems": options::SYSTEMS,
        "entry_paths": options::ENTRY_PATHS, "containment": options::CONTAINMENT, "evidence": options::EVIDENCE,
        "backups": options::BACKUPS, "backup_kinds": options::BACKUP_KINDS, "care_impact": options::CARE_IMPACT,
        "leak": options::LEAK, "leak_data": options::LEAK_DATA, "notified": options::NOTIFIED,
        "support": options::SUPPORT, "urgency": ["critical", "high", "medium", "info"],
    })
}

/// What the intake form shows besides the fields.
#[derive(Default)]
struct FormPage {
    /// Where the form posts.
    action: String,
    /// Where attachments are uploaded (none on the urgent form).
    upload_action: Option<String>,
    /// The full intake (all fields) rather than the urgent part.
    full: bool,
    /// Status, timeline and attachments, for a manager's view of the ticket.
    ticket: Option<Value>,
    /// A line confirming a save.
    notice: Option<&'static str>,
    /// Names of the files uploaded so far (the follow-up link shows names only, no downloads).
    uploaded: Vec<String>,
}

/// Renders the intake form with `problems` marked; a form with problems answers 422.
fn intake_form(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    intake: &Intake,
    form: FormPage,
) -> Result<Response, AppError> {
    let problems = intake.problems(now(), form.full);
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    intake_form_with(state, lang, viewer, intake, form, &problems, status)
}

fn intake_form_with(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    intake: &Intake,
    form: FormPage,
    problems: &[super::intake::FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    // One blank vendor row after the existing ones: without JavaScript, a row is added per save.
    let vendor_rows = (intake.vendors.len() + 1).min(MAX_VENDORS);
    let form_path = form.action.clone();
    let page = json!({
        "intake": intake, "errors": problems, "options": options_json(), "action": form.action,
        "error_map": problems.iter().map(|p| (p.field, p.problem)).collect::<std::collections::HashMap<_, _>>(),
        "upload_action": form.upload_action, "full": form.full, "ticket": form.ticket, "notice": form.notice,
        "vendor_rows": vendor_rows, "uploaded": form.uploaded, "max_mb": super::MAX_ATTACHMENT_BYTES / (1024 * 1024),
    });
    // The page's own path, so that the language switch stays on it.
    let html = render(state, "incident_form.html", lang, &form_path, viewer, page)?;
    Ok((status, html).into_response())
}

/// `GET /incident`: the urgent form, open to everyone.
pub async fn form(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
) -> Page {
    let is_responder = match &viewer {
        Some(SignedIn(user)) => state.store.is_responder(user.id).await?,
        None => false,
    };
    let page = json!({
        "intake": Intake::default(), "errors": [], "error_map": {}, "options": options_json(), "action": "/incident",
        "full": false, "is_responder": is_responder, "is_manager": viewer.as_ref().is_some_and(|v| v.0.role >= Role::Manager && v.0.organization_id.is_some()),
    });
    render(
        &state,
        "incident_form.html",
        lang,
        "/incident",
        viewer.as_ref(),
        page,
    )
}

/// `POST /incident`: files the urgent report and shows the ticket number, the desk's phone number,
/// the follow-up link (only now: just its hash is kept) and first-response guidance.
pub async fn file(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    let intake = Intake::urgent_from(&pairs);
    let problems = intake.problems(now(), false);
    let discovered = intake.discovered();
    let Some(discovered) = discovered.filter(|_| problems.is_empty()) else {
        let form = FormPage {
            action: "/incident".into(),
            ..FormPage::default()
        };
        return intake_form_with(
            &state,
            lang,
            viewer.as_ref(),
            &intake,
            form,
            &problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let token = new_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let json = serde_json::to_string(&intake).map_err(crate::store::StoreError::from)?;
    let reporter = viewer.as_ref().map(|v| &v.0);
    let new = NewIncident {
        organization_id: reporter.and_then(|u| u.organization_id),
        reporter_id: reporter.map(|u| u.id),
        followup_token_hash: &token_hash(&token),
        urgency: intake.urgency().as_str(),
        urgency_rank: intake.urgency().rank(),
        facility_name: &intake.facility_name,
        leak: &intake.leak,
        discovered_at: discovered,
        intake: &json,
    };
    let incident = state.store.create_incident(&new).await?;
    // The final report's deadline depends on improper intent, which the desk judges later: show both.
    let ppc = leak_needs_reminders(&incident.leak)
        .then(|| {
            Some((
                ppc_deadlines(discovered, false)?,
                ppc_deadlines(discovered, true)?,
            ))
        })
        .flatten();
    let page = json!({
        "ticket": ticket_json(&incident), "phone": state.config.desk_phone,
        "phone_is_example": state.config.desk_phone == EXAMPLE_DESK_PHONE,
        "link": format!("{}/incident/t/{token}", state.config.public_url),
        "ppc": ppc.map(|(plain, improper)| json!({ "aware_on": plain.aware_on.to_string(),
            "preliminary_from": plain.preliminary_from.to_string(), "preliminary_by": plain.preliminary_by.to_string(),
            "final_30": plain.final_by.to_string(), "final_60": improper.final_by.to_string() })),
    });
    let html = render(
        &state,
        "incident_filed.html",
        lang,
        "/incident",
        viewer.as_ref(),
        page,
    )?;
    Ok(html.into_response())
}

/// The ticket a follow-up link opens; a wrong token is a missing page.
async fn by_link(state: &AppState, token: &str) -> Result<Incident, AppError> {
    state
        .store
        .incident_by_token(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)
}

/// The stored intake of a ticket.
fn stored_intake(incident: &Incident) -> Result<Intake, AppError> {
    Ok(crate::store::from_json(
        format!("intake of {}", incident.number),
        &incident.intake,
    )?)
}

/// Stores a completed intake (the caller has checked it).
async fn save_intake(
    state: &AppState,
    incident: &Incident,
    author: Option<uuid::Uuid>,
    intake: &Intake,
) -> Result<(), AppError> {
    let Some(discovered) = intake.discovered() else {
        return Err(AppError::BadRequest("discovered_at".into()));
    };
    let json = serde_json::to_string(intake).map_err(crate::store::StoreError::from)?;
    let update = IntakeUpdate {
        facility_name: &intake.facility_name,
        urgency: intake.urgency().as_str(),
        urgency_rank: intake.urgency().rank(),
        leak: &intake.leak,
        discovered_at: discovered,
        intake: &json,
    };
    let change = Change {
        actor: author,
        action: "incident.intake_update",
        detail: json!({ "via": if author.is_some() { "account" } else { "followup_link" } }),
    };
    Ok(state
        .store
        .update_intake(incident.id, &update, &change)
        .await?)
}

/// The follow-up link's form.
async fn link_form(
    state: &AppState,
    incident: &Incident,
    token: &str,
    notice: Option<&'static str>,
) -> Result<FormPage, AppError> {
    let attachments = state.store.attachments(incident.id).await?;
    Ok(FormPage {
        action: format!("/incident/t/{token}"),
        upload_action: Some(format!("/incident/t/{token}/files")),
        full: true,
        ticket: None,
        notice,
        uploaded: attachments.into_iter().map(|a| a.file_name).collect(),
    })
}

/// `GET /incident/t/{token}`: the full intake, through the follow-up link.
pub async fn followup_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let incident = by_link(&state, &token).await?;
    audit_ticket(
        &state,
        None,
        &incident,
        "incident.followup_link_use",
        json!({ "method": "GET" }),
    )
    .await?;
    let intake = stored_intake(&incident)?;
    let form = link_form(&state, &incident, &token, None).await?;
    intake_form_with(&state, lang, None, &intake, form, &[], StatusCode::OK)
}

/// `POST /incident/t/{token}`: saves the full intake (problems are shown on the form, nothing lost).
pub async fn followup_save(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    let incident = by_link(&state, &token).await?;
    audit_ticket(
        &state,
        None,
        &incident,
        "incident.followup_link_use",
        json!({ "method": "POST" }),
    )
    .await?;
    let intake = Intake::full_from(&pairs);
    if intake.problems(now(), true).is_empty() {
        save_intake(&state, &incident, None, &intake).await?;
        return intake_form(
            &state,
            lang,
            None,
            &intake,
            link_form(&state, &incident, &token, Some("inc_saved")).await?,
        );
    }
    intake_form(
        &state,
        lang,
        None,
        &intake,
        link_form(&state, &incident, &token, None).await?,
    )
}

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
        uploaded: Vec::new(),
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
