//! The reporter's side: the urgent form at `/incident`, its confirmation, and completing the intake
//! through the follow-up link or as a manager of the reporting organization.

use axum::extract::{Path, State};
use axum::http::Extensions;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use mist_core::incident::{leak_needs_reminders, options, ppc_deadlines};
use serde_json::{Value, json};

use super::{audit_ticket, ticket_json};
use crate::secret::{new_token, token_hash};
use crate::store::incidents::{Change, Incident, IntakeUpdate, NewIncident};
use crate::store::{Role, now};
use crate::web::i18n::Lang;
use crate::web::limits::PostLimit;
use crate::web::render::render;
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState, EXAMPLE_DESK_PHONE};
use mist_core::incident::intake::{FieldError, Intake, MAX_VENDORS};

/// The posted form as name/value pairs (check boxes repeat their name).
pub(super) type Pairs = Form<Vec<(String, String)>>;

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

/// Reports filed without an account: a hospital in trouble may send a few, a flood is refused (the
/// refusal page gives the desk's phone number).
const REPORT_LIMIT: PostLimit = PostLimit {
    scope: "incident",
    per_client: 10,
    overall: 300,
    window: time::Duration::hours(1),
};

/// What the intake form shows besides the fields.
#[derive(Default)]
pub(super) struct FormPage {
    /// Where the form posts.
    pub(super) action: String,
    /// Where attachments are uploaded (none on the urgent form).
    pub(super) upload_action: Option<String>,
    /// The full intake (all fields) rather than the urgent part.
    pub(super) full: bool,
    /// Status, timeline and attachments, for a manager's view of the ticket.
    pub(super) ticket: Option<Value>,
    /// A line confirming a save.
    pub(super) notice: Option<&'static str>,
    /// Names of the files uploaded so far (the follow-up link shows names only, no downloads).
    pub(super) uploaded: Vec<String>,
    /// On the urgent form: links to the desk (responders) and to the organization's reports
    /// (managers).
    pub(super) is_responder: bool,
    pub(super) is_manager: bool,
    /// The report was not filed because too many came from the reporter's network or from everyone
    /// (the page then gives the desk's phone number).
    pub(super) limited: bool,
}

/// Renders the intake form with `problems` marked; a form with problems answers 422.
pub(super) fn intake_form(
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

pub(super) fn intake_form_with(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    intake: &Intake,
    form: FormPage,
    problems: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    // One blank vendor row after the existing ones: without JavaScript, a row is added per save.
    let vendor_rows = (intake.vendors.len() + 1).min(MAX_VENDORS);
    let form_path = form.action.clone();
    let page = json!({
        "intake": intake, "errors": problems, "options": options_json(), "action": form.action,
        "error_map": problems.iter().map(|p| (p.field, p.problem)).collect::<std::collections::HashMap<_, _>>(),
        "upload_action": form.upload_action, "full": form.full, "ticket": form.ticket, "notice": form.notice,
        "vendor_rows": vendor_rows, "uploaded": form.uploaded,
        "is_responder": form.is_responder, "is_manager": form.is_manager, "max_mb": super::MAX_ATTACHMENT_BYTES / (1024 * 1024),
        "limited": form.limited, "phone": state.config.desk_phone,
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
) -> Result<Response, AppError> {
    let is_responder = match &viewer {
        Some(SignedIn(user)) => state.store.is_responder(user.id).await?,
        None => false,
    };
    let form = FormPage {
        action: "/incident".into(),
        is_responder,
        is_manager: viewer
            .as_ref()
            .is_some_and(|v| v.0.role >= Role::Manager && v.0.organization_id.is_some()),
        ..FormPage::default()
    };
    let intake = Intake::default();
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

/// `POST /incident`: files the urgent report and shows the ticket number, the desk's phone number,
/// the follow-up link (only now: just its hash is kept) and first-response guidance.
pub async fn file(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    extensions: Extensions,
    Form(pairs): Pairs,
) -> Result<Response, AppError> {
    let intake = Intake::urgent_from(&pairs);
    let Some(limit_keys) = REPORT_LIMIT.admit(&state, &extensions).await? else {
        // A flood must not fill the desk's queue, but a real emergency still reaches the desk by phone.
        let form = FormPage {
            action: "/incident".into(),
            limited: true,
            ..FormPage::default()
        };
        return intake_form_with(
            &state,
            lang,
            viewer.as_ref(),
            &intake,
            form,
            &[],
            StatusCode::TOO_MANY_REQUESTS,
        );
    };
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
    REPORT_LIMIT.count(&state, &limit_keys).await?;
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
pub(super) fn stored_intake(incident: &Incident) -> Result<Intake, AppError> {
    Ok(crate::store::from_json(
        format!("intake of {}", incident.number),
        &incident.intake,
    )?)
}

/// Stores a completed intake (the caller has checked it).
pub(super) async fn save_intake(
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
        ..FormPage::default()
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
