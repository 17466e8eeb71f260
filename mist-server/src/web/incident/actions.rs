//! The desk's actions on a ticket: assignment, the status flow, triage, timeline entries, follow-up
//! dates and the reporting organization. Each answers with a redirect to the ticket's page, or the
//! page again with the problem shown.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Form};
use mist_core::incident::{Status, TransitionError, Urgency, transition};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::desk::{back, desk_ticket, ticket_view};
use crate::store::incidents::Change;
use crate::web::i18n::Lang;
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// A responder's change of a ticket, for its audit record.
fn change(actor: Uuid, action: &str, detail: serde_json::Value) -> Change<'_> {
    Change {
        actor: Some(actor),
        action,
        detail,
    }
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
    let change = change(actor, "incident.assign", json!({ "assignee": assignee }));
    state
        .store
        .assign_incident(incident.id, assignee, &name, &change)
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
            let change = change(
                actor,
                "incident.status",
                json!({ "from": from.as_str(), "to": to.as_str() }),
            );
            let (from, to) = (from.as_str(), to.as_str());
            let note = form.note.trim();
            if state
                .store
                .set_incident_status(incident.id, from, to, stored_summary, note, &change)
                .await?
            {
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
        .triage_incident(
            incident.id,
            level.as_str(),
            level.rank(),
            improper,
            &change(
                actor,
                "incident.triage",
                json!({ "level": level.as_str(), "improper_intent": improper }),
            ),
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
        .add_incident_event(
            incident.id,
            &form.kind,
            body,
            &change(actor, "incident.note", json!({ "kind": form.kind })),
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
        .add_followup(
            incident.id,
            due,
            what,
            &change(
                actor,
                "incident.followup_add",
                json!({ "due_on": due.to_string() }),
            ),
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
    let change = change(actor, "incident.followup_done", json!({ "followup": id }));
    if !state
        .store
        .complete_followup(incident.id, id, &change)
        .await?
    {
        return Err(AppError::NotFound);
    }
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
            organization.as_ref().map(|o| o.id),
            &line,
            &change(
                actor,
                "incident.organization",
                json!({ "organization": organization.as_ref().map(|o| o.id) }),
            ),
        )
        .await?;
    Ok(back(&number))
}
