//! The manager's compliance dashboard (charts drawn on the server, this year beside last year; staff
//! still to train with the days left), external evidence and its approval, and the report exports.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use mist_core::Audience;
use mist_core::compliance::chart::{BarChart, Series};
use mist_core::compliance::{DeliveryMode, GroupRate, Report};
use mist_core::fiscal::FiscalYear;
use serde::Deserialize;
use serde_json::{Value, json};
use time::Date;
use uuid::Uuid;

use super::i18n::Lang;
use super::manage::managed_organization;
use super::render::{Page, render, text};
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::compliance::export::{CsvChunks, CsvEncoding, signed_pdf};
use crate::compliance::{ReportError, ReportRequest, record_generation, report, today_in_japan};
use crate::store::Organization;
use crate::store::roster::NewEvidence;

impl From<ReportError> for AppError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Store(e) => AppError::Store(e),
            ReportError::FutureYear(_) => AppError::NotFound,
            ReportError::Rules(e) => AppError::Internal(e.to_string()),
        }
    }
}

/// The report of a year for the signed-in manager's organization.
pub(super) async fn year_report(
    state: &AppState,
    organization: &Organization,
    viewer: &SignedIn,
    year: FiscalYear,
) -> Result<Report, AppError> {
    let courses = state.courses().await?;
    let request = ReportRequest {
        organization,
        year,
        today: today_in_japan(),
        generated_by: &viewer.0.email,
    };
    Ok(report(&state.store, &courses, request).await?)
}

#[derive(Deserialize)]
pub struct YearQuery {
    fy: Option<i32>,
}

fn year_label(lang: Lang, year: FiscalYear) -> String {
    match lang {
        Lang::Ja => year.era_label(),
        Lang::En => year.to_string(),
    }
}

/// A chart of this year beside last year, and the same numbers as table rows.
fn chart(
    id: &str,
    title: &str,
    labels: &[(String, String)],
    years: [(&str, &[GroupRate]); 2],
) -> Value {
    let value = |rates: &[GroupRate], group: &str| {
        rates
            .iter()
            .find(|r| r.group == group)
            .and_then(GroupRate::percent)
    };
    let chart = BarChart {
        id: id.to_owned(),
        title: title.to_owned(),
        groups: labels.iter().map(|(_, label)| label.clone()).collect(),
        series: years
            .iter()
            .map(|(name, rates)| Series {
                name: (*name).to_owned(),
                values: labels
                    .iter()
                    .map(|(group, _)| value(rates, group))
                    .collect(),
            })
            .collect(),
    };
    let rows: Vec<Value> = labels
        .iter()
        .map(|(group, label)| {
            let cell = |rates: &[GroupRate]| rates.iter().find(|r| &r.group == group).map(|r| json!({ "complete": r.complete, "counted": r.counted, "percent": r.percent().map(|p| format!("{p:.0}%")) }));
            json!({ "label": label, "this": cell(years[0].1), "last": cell(years[1].1) })
        })
        .collect();
    json!({ "id": id, "title": title, "svg": chart.to_svg(), "rows": rows })
}

/// The groups of this year (and last year's that are gone), labelled.
fn groups(
    this: &[GroupRate],
    last: &[GroupRate],
    label: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let names: BTreeSet<&str> = this.iter().chain(last).map(|r| r.group.as_str()).collect();
    names
        .into_iter()
        .map(|g| (g.to_owned(), label(g)))
        .collect()
}

/// `GET /manage/compliance?fy=2025`: the dashboard (this fiscal year unless asked).
pub async fn dashboard(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Query(query): Query<YearQuery>,
) -> Page {
    let organization = managed_organization(&state, &viewer).await?;
    dashboard_page(&state, lang, &viewer, &organization, query.fy, None).await
}

async fn dashboard_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    organization: &Organization,
    fy: Option<i32>,
    notice: Option<String>,
) -> Page {
    let current = FiscalYear::containing(today_in_japan());
    let year = fy.map_or(current, FiscalYear::starting_in);
    // Asking for last year closes it on the first visit after 1 April: the new year opens by itself.
    let (this, last) = (
        year_report(state, organization, viewer, year).await?,
        year_report(state, organization, viewer, year.previous()).await?,
    );
    let (this_name, last_name) = (year_label(lang, year), year_label(lang, year.previous()));
    let (a, b) = (&this.aggregates, &last.aggregates);
    let tier_label = |g: &str| {
        Audience::parse(g).map_or(g.to_owned(), |t| {
            let (ja, en) = t.label();
            lang.pick(ja, en).to_owned()
        })
    };
    let plain = |g: &str| {
        if g.is_empty() {
            lang.pick("(未設定)", "(not set)").to_owned()
        } else {
            g.to_owned()
        }
    };
    let charts = vec![
        chart(
            "by-tier",
            lang.pick("階層別の修了率", "Completion by tier"),
            &groups(&a.by_tier, &b.by_tier, tier_label),
            [(&this_name, &a.by_tier), (&last_name, &b.by_tier)],
        ),
        chart(
            "by-department",
            lang.pick("部署別の修了率", "Completion by department"),
            &groups(&a.by_department, &b.by_department, plain),
            [
                (&this_name, &a.by_department),
                (&last_name, &b.by_department),
            ],
        ),
        chart(
            "by-job",
            lang.pick("職種別の修了率", "Completion by job type"),
            &groups(&a.by_job_type, &b.by_job_type, plain),
            [(&this_name, &a.by_job_type), (&last_name, &b.by_job_type)],
        ),
    ];
    let courses = state.courses().await?;
    let roster = state.store.roster(organization.id).await?;
    let evidence: Vec<Value> = state
        .store
        .evidence(organization.id, year)
        .await?
        .into_iter()
        .map(|e| {
            let course = courses.iter().find(|c| c.id == e.course_id).map(|c| text(state, lang, &c.title)).unwrap_or_default();
            let mode = DeliveryMode::parse(&e.mode).map_or(e.mode.clone(), |m| { let (ja, en) = m.label(); lang.pick(ja, en).to_owned() });
            json!({ "id": e.id, "staff_id": e.staff_id, "name": e.name, "course": course, "mode": mode, "description": e.description, "held_on": e.held_on.to_string(), "approved": e.approved_at.is_some() })
        })
        .collect();
    let obligation = &this.header.obligation;
    let statuses: Vec<Value> = mist_core::compliance::Status::ALL
        .iter()
        .map(|s| {
            let (ja, en) = s.label();
            json!({ "label": lang.pick(ja, en), "count": a.statuses.get(s).copied().unwrap_or(0) })
        })
        .collect();
    let modes: Vec<Value> = [
        DeliveryMode::External,
        DeliveryMode::LiveOnline,
        DeliveryMode::InPerson,
    ]
    .iter()
    .map(|m| {
        let (ja, en) = m.label();
        json!({ "id": m.as_str(), "label": lang.pick(ja, en) })
    })
    .collect();
    let page = json!({
        "organization": organization, "year": year.start_year(), "year_label": this_name, "last_label": last_name,
        "years": (2022..=current.start_year()).rev().collect::<Vec<_>>(),
        "frozen": this.header.frozen, "requirement": obligation.requirement,
        "explanation": lang.pick(&obligation.explanation_ja, &obligation.explanation_en),
        "total": { "complete": a.total.complete, "counted": a.total.counted, "percent": a.total.percent().map(|p| format!("{p:.1}%")), "not_counted": a.not_counted },
        "statuses": statuses, "charts": charts, "incomplete": a.incomplete, "evidence": evidence, "notice": notice,
        "roster_size": roster.len(),
        "staff": roster.iter().map(|m| json!({ "id": m.id, "label": format!("{} {}", m.record.staff_id, m.record.name) })).collect::<Vec<_>>(),
        "courses": courses.iter().map(|c| json!({ "id": c.id, "title": text(state, lang, &c.title) })).collect::<Vec<_>>(),
        "modes": modes,
    });
    render(
        state,
        "compliance.html",
        lang,
        "/manage/compliance",
        Some(viewer),
        page,
    )
}

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

/// `GET /manage/compliance/{fy}.csv?encoding=utf-8|shift_jis`, `{fy}.json`, `{fy}.pdf`: the exports.
pub async fn export(
    State(state): State<AppState>,
    viewer: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let organization = managed_organization(&state, &viewer).await?;
    let (fy, extension) = file.split_once('.').ok_or(AppError::NotFound)?;
    let year = fy
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .map(FiscalYear::starting_in)
        .ok_or(AppError::NotFound)?;
    let report = year_report(&state, &organization, &viewer, year).await?;
    let name = format!("compliance-{}.{extension}", year.start_year());
    let disposition = format!("attachment; filename=\"{name}\"");
    let (content_type, body, sha256) = match extension {
        "csv" => {
            let encoding = CsvEncoding::parse(query.encoding.as_deref().unwrap_or("utf-8"))
                .ok_or_else(|| {
                    AppError::BadRequest("encoding must be utf-8 or shift_jis".to_owned())
                })?;
            // Streamed: the body pulls one chunk of people at a time.
            let chunks = CsvChunks::new(Arc::new(report), encoding).map(Ok::<_, Infallible>);
            let body = Body::from_stream(futures_util::stream::iter(chunks));
            (encoding.content_type(), body, None)
        }
        "json" => {
            let json = serde_json::to_vec_pretty(&report)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            ("application/json", Body::from(json), None)
        }
        "pdf" => {
            let signed = signed_pdf(&report, &state.signing_key, &state.config.public_url)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (
                "application/pdf",
                Body::from(signed.pdf),
                Some(signed.sha256),
            )
        }
        _ => return Err(AppError::NotFound),
    };
    let actor = Some(viewer.0.id);
    record_generation(
        &state.store,
        actor,
        organization.id,
        year,
        extension,
        sha256.as_deref(),
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ExportQuery {
    encoding: Option<String>,
}
