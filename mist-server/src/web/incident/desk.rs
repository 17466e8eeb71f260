//! The responders' desk: the triage queue, a ticket's page, and its actions (assignment, status flow,
//! triage, timeline entries, follow-up dates, the reporting organization).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use mist_core::incident::{
    Status, TransitionError, Urgency, leak_needs_reminders, ppc_deadlines, transition,
};
use serde::Deserialize;
use serde_json::{Value, json};
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
        "desk".into(),
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
async fn desk_ticket(
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

/// The intake as label/value rows for reading.
fn intake_rows(intake: &Intake) -> Vec<Value> {
    let text =
        |label: &str, value: &str| json!({ "label": format!("inc_f_{label}"), "text": value });
    let codes = |label: &str, prefix: &str, values: &[String]| json!({ "label": format!("inc_f_{label}"), "prefix": format!("inc_{prefix}_"), "codes": values });
    let one = |label: &str, prefix: &str, value: &str| {
        codes(
            label,
            prefix,
            &[value.to_owned()]
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>(),
        )
    };
    let vendors: Vec<String> = intake
        .vendors
        .iter()
        .map(|v| {
            format!(
                "{} / {} / {} / {}",
                v.name, v.system, v.connection, v.contact
            )
        })
        .collect();
    vec![
        text("facility_name", &intake.facility_name),
        json!({ "label": "inc_f_facility_kind", "prefix": "kind_", "codes": [intake.facility_kind] }),
        text("insurance_code", &intake.insurance_code),
        text(
            "prefecture",
            &format!("{} {}", intake.prefecture, intake.city),
        ),
        text("licensed_beds", &intake.licensed_beds),
        text(
            "reporter_name",
            &format!("{} ({})", intake.reporter_name, intake.reporter_role),
        ),
        text("phone", &intake.phone),
        text("alt_email", &intake.alt_email),
        text(
            "contact_hours",
            &format!("{} {}", intake.contact_hours, intake.alt_contact),
        ),
        text("discovered_at", &intake.discovered_at.replace('T', " ")),
        one("discovery", "discovery", &intake.discovery),
        text("discovery_detail", &intake.discovery_detail),
        codes("observed", "observed", &intake.observed),
        text("observed_text", &intake.observed_text),
        text("encrypted_extension", &intake.encrypted_extension),
        text("ransom_note_text", &intake.ransom_note_text),
        codes("systems", "systems", &intake.systems),
        text("systems_other", &intake.systems_other),
        text(
            "scale",
            &format!(
                "{} / {}{}",
                intake.terminals_affected,
                intake.servers_affected,
                if intake.scale_unknown { " ?" } else { "" }
            ),
        ),
        one("entry_path", "entry", &intake.entry_path),
        text("entry_device", &intake.entry_device),
        text("vendors", &vendors.join("\n")),
        codes("containment", "containment", &intake.containment),
        text("containment_detail", &intake.containment_detail),
        codes("evidence", "evidence", &intake.evidence),
        one("backups", "answer", &intake.backups),
        codes("backup_kinds", "backup", &intake.backup_kinds),
        text("backup_last_good", &intake.backup_last_good),
        one("backup_affected", "answer", &intake.backup_affected),
        one(
            "backup_restore_tested",
            "answer",
            &intake.backup_restore_tested,
        ),
        codes("care_impact", "care", &intake.care_impact),
        one("leak", "leak", &intake.leak),
        text("leak_records", &intake.leak_records),
        codes("leak_data", "leak_data", &intake.leak_data),
        one("ransom_demanded", "answer", &intake.ransom_demanded),
        text(
            "ransom_amount",
            &format!("{} {}", intake.ransom_amount, intake.ransom_contact),
        ),
        codes("notified", "notified", &intake.notified),
        text("notified_detail", &intake.notified_detail),
        codes("support", "support", &intake.support),
        one("urgency", "urgency", &intake.urgency),
        one("consent", "answer", &intake.consent),
    ]
}

/// Renders a ticket's desk page, with `error` shown beside the forms (status 422 then).
async fn ticket_view(
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
        "ticket": ticket_json(incident), "rows": intake_rows(&intake),
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
fn back(number: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, format!("/desk/{number}"))],
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct AssignForm {
    /// A responder's id, or empty for nobody.
    assignee: String,
}

/// `POST /desk/{number}/assign`: to a responder (oneself included) or to nobody.
pub async fn assign(
    State(state): State<AppState>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    let assignee = match form.assignee.trim() {
        "" => None,
        id => {
            let id: Uuid = id
                .parse()
                .map_err(|_| AppError::BadRequest("assignee".into()))?;
            // Only responders can take a ticket.
            if !state.store.is_responder(id).await? {
                return Err(AppError::BadRequest("assignee".into()));
            }
            Some(id)
        }
    };
    let name = match assignee {
        Some(id) => state
            .store
            .user(id)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => "—".into(),
    };
    state
        .store
        .assign_incident(incident.id, actor, assignee, &name)
        .await?;
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.assign",
        json!({ "assignee": assignee }),
    )
    .await?;
    Ok(back(&number))
}

#[derive(Deserialize)]
pub struct StatusForm {
    to: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    summary: String,
}

/// `POST /desk/{number}/status`: one step of the flow (closing needs a summary).
pub async fn status(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    let from = Status::parse(&incident.status).unwrap_or(Status::Received);
    let to = Status::parse(&form.to).ok_or_else(|| AppError::BadRequest("status".into()))?;
    let summary = form.summary.trim();
    let summary = (!summary.is_empty()).then_some(summary);
    match transition(from, to, summary) {
        Ok(to) => {
            let stored_summary = (to == Status::Closed).then_some(summary).flatten();
            if state
                .store
                .set_incident_status(
                    incident.id,
                    actor,
                    from.as_str(),
                    to.as_str(),
                    stored_summary,
                    form.note.trim(),
                )
                .await?
            {
                audit_ticket(
                    &state,
                    Some(actor),
                    &incident,
                    "incident.status",
                    json!({ "from": from.as_str(), "to": to.as_str() }),
                )
                .await?;
                return Ok(back(&number));
            }
            let message = lang.pick(
                "他の対応者が先に状態を変更しました。",
                "Another responder changed the status first.",
            );
            ticket_view(
                &state,
                lang,
                viewer.as_ref(),
                &incident,
                Some(message.into()),
            )
            .await
        }
        Err(TransitionError::SummaryRequired) => {
            let message = lang.pick(
                "終了するには対応結果のまとめを入力してください。",
                "Enter the outcome summary to close the ticket.",
            );
            ticket_view(
                &state,
                lang,
                viewer.as_ref(),
                &incident,
                Some(message.into()),
            )
            .await
        }
        Err(TransitionError::NotAllowed { .. }) => {
            let message = lang.pick(
                "この状態には変更できません。",
                "The ticket cannot move to that status.",
            );
            ticket_view(
                &state,
                lang,
                viewer.as_ref(),
                &incident,
                Some(message.into()),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct TriageForm {
    level: String,
    #[serde(default)]
    improper_intent: Option<String>,
}

/// `POST /desk/{number}/triage`: the desk's level (re-triage of the reporter's urgency) and whether a
/// leak was likely caused with improper intent (the PPC final report is then due in 60 days).
pub async fn triage(
    State(state): State<AppState>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(form): Form<TriageForm>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    let level = Urgency::parse(&form.level).ok_or_else(|| AppError::BadRequest("level".into()))?;
    let improper = form.improper_intent.is_some();
    state
        .store
        .triage_incident(incident.id, actor, level.as_str(), level.rank(), improper)
        .await?;
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.triage",
        json!({ "level": level.as_str(), "improper_intent": improper }),
    )
    .await?;
    Ok(back(&number))
}

#[derive(Deserialize)]
pub struct EventForm {
    kind: String,
    body: String,
}

/// `POST /desk/{number}/events`: a note or a contact (phone call, email, on-site visit).
pub async fn add_event(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    let body = form.body.trim();
    if !["note", "phone", "email", "onsite"].contains(&form.kind.as_str()) || body.is_empty() {
        let message = lang.pick(
            "記録の種類と内容を入力してください。",
            "Choose the kind of entry and enter its text.",
        );
        return ticket_view(
            &state,
            lang,
            viewer.as_ref(),
            &incident,
            Some(message.into()),
        )
        .await;
    }
    state
        .store
        .add_incident_event(incident.id, Some(actor), &form.kind, body)
        .await?;
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.note",
        json!({ "kind": form.kind }),
    )
    .await?;
    Ok(back(&number))
}

#[derive(Deserialize)]
pub struct FollowupForm {
    due_on: String,
    what: String,
}

/// `POST /desk/{number}/followups`: a follow-up date.
pub async fn add_followup(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(form): Form<FollowupForm>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let due = time::Date::parse(form.due_on.trim(), format).ok();
    let what = form.what.trim();
    let Some(due) = due.filter(|_| !what.is_empty()) else {
        let message = lang.pick(
            "期日と内容を入力してください。",
            "Enter the due date and what to follow up.",
        );
        return ticket_view(
            &state,
            lang,
            viewer.as_ref(),
            &incident,
            Some(message.into()),
        )
        .await;
    };
    state
        .store
        .add_followup(incident.id, due, what, actor)
        .await?;
    state
        .store
        .add_incident_event(
            incident.id,
            Some(actor),
            "followup",
            &format!("{due}: {what}"),
        )
        .await?;
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.followup_add",
        json!({ "due_on": due.to_string() }),
    )
    .await?;
    Ok(back(&number))
}

/// `POST /desk/{number}/followups/{id}/done`.
pub async fn complete_followup(
    State(state): State<AppState>,
    viewer: Option<SignedIn>,
    Path((number, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    if !state.store.complete_followup(incident.id, id).await? {
        return Err(AppError::NotFound);
    }
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.followup_done",
        json!({ "followup": id }),
    )
    .await?;
    Ok(back(&number))
}

#[derive(Deserialize)]
pub struct OrganizationForm {
    /// An organization's id, or empty for none.
    organization: String,
}

/// `POST /desk/{number}/organization`: attaches the reporting organization (its managers then see
/// the ticket) or detaches it.
pub async fn set_organization(
    State(state): State<AppState>,
    viewer: Option<SignedIn>,
    Path(number): Path<String>,
    Form(form): Form<OrganizationForm>,
) -> Result<Response, AppError> {
    let (incident, actor) = desk_ticket(&state, viewer.as_ref(), &number).await?;
    let organization = match form.organization.trim() {
        "" => None,
        id => {
            let id: Uuid = id
                .parse()
                .map_err(|_| AppError::BadRequest("organization".into()))?;
            Some(
                state
                    .store
                    .organization(id)
                    .await?
                    .ok_or_else(|| AppError::BadRequest("organization".into()))?,
            )
        }
    };
    let line = organization
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_else(|| "—".into());
    state
        .store
        .set_incident_organization(
            incident.id,
            actor,
            organization.as_ref().map(|o| o.id),
            &line,
        )
        .await?;
    audit_ticket(
        &state,
        Some(actor),
        &incident,
        "incident.organization",
        json!({ "organization": organization.map(|o| o.id) }),
    )
    .await?;
    Ok(back(&number))
}
