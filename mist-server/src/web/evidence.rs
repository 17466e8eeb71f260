//! External training evidence (a MIST certificate, a sign-in sheet): a manager records it, and it counts
//! as completion once a manager approves it.

use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use mist_core::compliance::DeliveryMode;
use mist_core::fiscal::FiscalYear;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::compliance::{YearQuery, dashboard_page};
use super::i18n::Lang;
use super::manage::managed_organization;
use super::render::Page;
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::compliance::today_in_japan;
use crate::store::roster::NewEvidence;

#[derive(Deserialize)]
pub struct EvidenceForm {
    staff: String,
    course: String,
    mode: String,
    description: String,
    held_on: String,
}

/// `POST /manage/compliance/evidence`: records external evidence, to be approved.
pub async fn add_evidence(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<EvidenceForm>,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    let bad = |ja: &str, en: &str| AppError::BadRequest(lang.pick(ja, en).to_owned());
    let roster = state.store.roster(organization.id).await?;
    let member = form
        .staff
        .parse::<Uuid>()
        .ok()
        .and_then(|id| roster.iter().find(|m| m.id == id))
        .ok_or_else(|| bad("職員を選んでください。", "Choose a member of staff."))?;
    let courses = state.courses().await?;
    let course = form
        .course
        .parse::<Uuid>()
        .ok()
        .and_then(|id| courses.iter().find(|c| c.id == id))
        .ok_or_else(|| bad("研修を選んでください。", "Choose a course."))?;
    let mode = DeliveryMode::parse(&form.mode)
        .filter(|m| *m != DeliveryMode::ELearning)
        .ok_or_else(|| {
            bad(
                "受講形態を選んでください。",
                "Choose how the training was delivered.",
            )
        })?;
    let held_on = Date::parse(
        form.held_on.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        bad(
            "実施日は YYYY-MM-DD で入力してください。",
            "Enter the date as YYYY-MM-DD.",
        )
    })?;
    let description = form.description.trim();
    if description.is_empty() || description.chars().count() > 500 {
        return Err(bad(
            "証跡の内容(修了証番号・出席簿など)を500字以内で入力してください。",
            "Describe the evidence (certificate code, sign-in sheet) in at most 500 characters.",
        ));
    }
    if held_on > today_in_japan() {
        return Err(bad(
            "実施日が未来の日付です。",
            "The date is in the future.",
        ));
    }
    let new = NewEvidence {
        organization_id: organization.id,
        staff_member_id: member.id,
        course_id: course.id,
        mode,
        description,
        held_on,
        submitted_by: viewer.0.id,
    };
    state.store.add_evidence(&new).await?;
    let notice = lang
        .pick(
            "証跡を登録しました。承認すると修了として集計されます。",
            "Evidence recorded. It counts as completion once approved.",
        )
        .to_owned();
    dashboard_page(
        &state,
        lang,
        &viewer,
        &organization,
        Some(FiscalYear::containing(held_on).start_year()),
        Some(notice),
    )
    .await
}

/// `POST /manage/compliance/evidence/{id}/approve`: a manager approves evidence.
pub async fn approve_evidence(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
    Query(query): Query<YearQuery>,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    if !state
        .store
        .approve_evidence(organization.id, id, viewer.0.id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    let notice = lang
        .pick("証跡を承認しました。", "Evidence approved.")
        .to_owned();
    dashboard_page(&state, lang, &viewer, &organization, query.fy, Some(notice)).await
}
