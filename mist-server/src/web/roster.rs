//! The staff roster: CSV upload (UTF-8 or Shift_JIS, Japanese or English headers) with a validation
//! report; nothing is imported while any row has a problem.

use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mist_core::compliance::roster::{self, RosterEncoding};
use serde_json::{Value, json};

use super::i18n::Lang;
use super::manage::managed_organization;
use super::render::{Page, render};
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::store::Organization;

/// The largest roster file accepted (a 5,000-person roster is about 600 kB).
pub const MAX_ROSTER_BYTES: usize = 8 * 1024 * 1024;

/// Rows of the roster shown on the page (the exports have everyone).
const SHOWN: usize = 300;

/// `GET /manage/roster`: the upload form and the current roster.
pub async fn roster_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    page(&state, lang, &viewer, &organization, json!(null)).await
}

async fn page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    organization: &Organization,
    result: Value,
) -> Page {
    let roster = state.store.roster(organization.id).await?;
    let people: Vec<Value> = roster
        .iter()
        .take(SHOWN)
        .map(|m| {
            let r = &m.record;
            let (ja, en) = r.employment_type.label();
            json!({
                "staff_id": r.staff_id, "name": r.name, "department": r.department, "job_type": r.job_type,
                "employment_type": lang.pick(ja, en), "in_scope": r.in_scope, "linked": m.user_id.is_some(),
                "tiers": r.tiers.iter().map(|t| { let (ja, en) = t.label(); lang.pick(ja, en) }).collect::<Vec<_>>().join("、"),
                "joined_on": r.joined_on.map(|d| d.to_string()), "left_on": r.left_on.map(|d| d.to_string()),
            })
        })
        .collect();
    render(
        state,
        "roster.html",
        lang,
        "/manage/roster",
        Some(viewer),
        json!({ "organization": organization, "people": people, "total": roster.len(), "shown": people.len(), "result": result }),
    )
}

/// `POST /manage/roster`: reads the uploaded CSV; imports it when valid, else lists every problem.
pub async fn upload(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let organization = managed_organization(&state, &viewer).await?;
    let mut bytes = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        if field.name() == Some("file") {
            bytes = Some(
                field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?,
            );
        }
    }
    let bytes = bytes.filter(|b| !b.is_empty()).ok_or_else(|| {
        AppError::BadRequest(
            lang.pick("CSVファイルを選んでください。", "Choose a CSV file.")
                .to_owned(),
        )
    })?;
    let report = roster::parse(&bytes);
    let encoding = match report.encoding {
        RosterEncoding::Utf8 => "UTF-8",
        RosterEncoding::ShiftJis => "Shift_JIS",
    };
    let problems: Vec<Value> = report
        .problems
        .iter()
        .map(|p| json!({ "line": p.line, "column": p.column, "message": lang.pick(&p.message_ja, &p.message_en) }))
        .collect();
    let (status, result) = if report.is_valid() {
        let counts = state
            .store
            .import_roster(organization.id, &report.entries, Some(viewer.0.id))
            .await?;
        (
            StatusCode::OK,
            json!({ "ok": true, "encoding": encoding, "rows": report.entries.len(), "added": counts.added, "updated": counts.updated, "problems": [] }),
        )
    } else {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "ok": false, "encoding": encoding, "rows": report.entries.len(), "problems": problems }),
        )
    };
    let html = page(&state, lang, &viewer, &organization, result).await?;
    Ok((status, html).into_response())
}
