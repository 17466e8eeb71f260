//! `/admin/inquiries`: inquiries and messages to instructors and engineers, with a status
//! (新規 → 対応中 → 完了) and an internal note.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mist_core::portal::inquiry::Status;
use mist_core::portal::vocabulary::InquiryCategory;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{Fields, admin, choices};
use crate::store::audit::AuditEvent;
use crate::store::portal::messages::{MessageChange, PortalMessage};
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// The most messages listed at once.
const LIST_LIMIT: i64 = 200;
/// The most history entries shown for one message.
const HISTORY_LIMIT: i64 = 50;

fn label(lang: Lang, pair: (&'static str, &'static str)) -> &'static str {
    lang.pick(pair.0, pair.1)
}

/// A stored (UTC) time as people in Japan read it: `2026-11-26 18:40 JST`.
fn japan_time(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] JST");
    at.to_offset(time::macros::offset!(+9))
        .format(&format)
        .unwrap_or_default()
}

fn message_json(lang: Lang, m: &PortalMessage) -> Value {
    let status = Status::parse(&m.status);
    json!({
        "id": m.id, "name": m.name, "organization": m.organization, "email": m.email, "phone": m.phone,
        "message": m.message, "note": m.note, "status": m.status,
        "status_label": status.map(|s| label(lang, s.label())),
        "category": m.category.as_deref().and_then(InquiryCategory::parse).map(|c| label(lang, c.label())),
        "expert_name": m.expert_name, "expert_id": m.expert_id,
        // Shown in Japan's time; stored in UTC.
        "received": japan_time(m.created_at),
    })
}

/// The inbox's query string.
#[derive(Debug, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    status: String,
}

/// `GET /admin/inquiries?status=`.
pub async fn list(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Query(query): Query<InboxQuery>,
) -> Page {
    admin(&viewer)?;
    let status = Status::parse(&query.status).map(Status::as_str);
    let messages = state.store.messages(status, LIST_LIMIT).await?;
    // Each status with how many messages have it, so the filter shows where work waits.
    let counts = state.store.message_counts().await?;
    let mut statuses = choices(
        lang,
        Status::ALL,
        Status::as_str,
        Status::label,
        &[status.unwrap_or_default()],
    );
    for choice in &mut statuses {
        let count = counts
            .iter()
            .find(|(s, _)| Some(s.as_str()) == choice["value"].as_str())
            .map_or(0, |(_, n)| *n);
        choice["label"] = json!(format!(
            "{} ({count})",
            choice["label"].as_str().unwrap_or_default()
        ));
    }
    let page = json!({
        "messages": messages.iter().map(|m| message_json(lang, m)).collect::<Vec<_>>(),
        "statuses": statuses,
        "status": status,
    });
    render(
        &state,
        "inbox.html",
        lang,
        "/admin/inquiries",
        Some(&viewer),
        page,
    )
}

async fn detail(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    id: Uuid,
    notice: Option<&str>,
    error: Option<&str>,
) -> Page {
    let message = state.store.message(id).await?.ok_or(AppError::NotFound)?;
    let current = Status::parse(&message.status).unwrap_or(Status::New);
    let next: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| current.can_become(*s))
        .collect();
    let page = json!({
        "message": message_json(lang, &message),
        "statuses": choices(lang, &next, Status::as_str, Status::label, &[current.as_str()]),
        "history": history(state, lang, id).await?,
        "notice": notice, "error": error,
    });
    render(
        state,
        "inbox_item.html",
        lang,
        &format!("/admin/inquiries/{id}"),
        Some(viewer),
        page,
    )
}

/// Who opened and changed a message, from the audit trail, oldest first.
async fn history(state: &AppState, lang: Lang, id: Uuid) -> Result<Vec<Value>, AppError> {
    let mut rows = Vec::new();
    for record in state
        .store
        .audit_trail_of(&subject(id), HISTORY_LIMIT)
        .await?
    {
        let who = match record.actor {
            Some(actor) => state.store.user(actor).await?.map(|u| u.display_name),
            None => None,
        };
        let detail: Value = serde_json::from_str(&record.detail).unwrap_or_default();
        let status = |key: &str| {
            detail[key]
                .as_str()
                .and_then(Status::parse)
                .map(|s| label(lang, s.label()))
        };
        let what = match record.action.as_str() {
            "inquiry.view" => lang.pick("閲覧", "Viewed").to_owned(),
            "inquiry.status" => format!(
                "{} → {}",
                status("from").unwrap_or_default(),
                status("to").unwrap_or_default()
            ),
            other => other.to_owned(),
        };
        let at = OffsetDateTime::parse(&record.at, &Rfc3339).map_or(record.at, japan_time);
        rows.push(json!({ "at": at, "who": who, "what": what }));
    }
    Ok(rows)
}

/// The audit subject of a message.
fn subject(id: Uuid) -> String {
    format!("message:{id}")
}

/// `GET /admin/inquiries/{id}`: the message; opening it is recorded (it holds personal data).
pub async fn show(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Page {
    admin(&viewer)?;
    if state.store.message(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    state
        .store
        .audit(AuditEvent {
            actor: Some(viewer.0.id),
            organization: None,
            action: "inquiry.view",
            subject: subject(id),
            detail: json!({}),
        })
        .await?;
    detail(&state, lang, &viewer, id, None, None).await
}

/// `POST /admin/inquiries/{id}` with `status` and `note`: follows the status flow; a change made by
/// someone else in between is reported rather than overwritten.
pub async fn update(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    let message = state.store.message(id).await?.ok_or(AppError::NotFound)?;
    let current = Status::parse(&message.status).unwrap_or(Status::New);
    let note = form.get("note");
    let Some(next) = Status::parse(form.get("status")).filter(|n| current.can_become(*n)) else {
        return refused(
            &state,
            lang,
            &viewer,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.pick(
                "その状態には変更できません。",
                "The status cannot change that way.",
            ),
        )
        .await;
    };
    if note.chars().count() > 4000 {
        return refused(
            &state,
            lang,
            &viewer,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.pick(
                "メモは4000文字以内で入力してください。",
                "The note has at most 4000 characters.",
            ),
        )
        .await;
    }
    let expected = form.get("expected");
    if (!expected.is_empty() && expected != current.as_str())
        || !state
            .store
            .update_message(
                id,
                &MessageChange {
                    expected: current.as_str(),
                    status: next.as_str(),
                    note,
                },
                viewer.0.id,
            )
            .await?
    {
        return refused(
            &state,
            lang,
            &viewer,
            id,
            StatusCode::CONFLICT,
            lang.pick(
                "他の管理者が先に更新しました。内容を確認してください。",
                "Another administrator changed this message first; check it again.",
            ),
        )
        .await;
    }
    let html = detail(
        &state,
        lang,
        &viewer,
        id,
        Some(lang.pick("保存しました。", "Saved.")),
        None,
    )
    .await?;
    Ok(html.into_response())
}

/// The message again with why the change was refused.
async fn refused(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    id: Uuid,
    status: StatusCode,
    why: &str,
) -> Result<Response, AppError> {
    let html = detail(state, lang, viewer, id, None, Some(why)).await?;
    Ok((status, html).into_response())
}
