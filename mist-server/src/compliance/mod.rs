//! The compliance report of one organization and fiscal year, built from the roster and the year's
//! learning records, for the web pages and `mist report compliance` alike.
//!
//! A past fiscal year is closed the first time anything asks for it (the dashboard asks for last year
//! on every visit, so a new year opens on the first request after 1 April in Japan): its rows are
//! frozen, and later changes to the roster or the records no longer rewrite them.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use mist_core::compliance::report::{aggregate, person_row};
use mist_core::compliance::rules::RuleError;
use mist_core::compliance::{
    Completion, CourseInput, DeliveryMode, Membership, Report, ReportHeader, RuleSet,
};
use mist_core::fiscal::FiscalYear;
use mist_core::{Audience, Course};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time, UtcOffset};
use uuid::Uuid;

use crate::store::compliance::YearRecords;
use crate::store::roster::StaffMember;
use crate::store::{Organization, Store, StoreError};

pub mod export;

/// Japan Standard Time, in which fiscal years and completion dates are reckoned.
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The safety-management guideline version named in reports unless the `guideline_version` setting
/// says otherwise (a content attribute, not a constant of the law).
const DEFAULT_GUIDELINE: &str = "6.0";

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bundled rules do not parse.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// The fiscal year has not begun.
    #[error("{0} has not begun")]
    FutureYear(FiscalYear),
}

/// Today in Japan.
pub fn today_in_japan() -> Date {
    crate::store::now().to_offset(JST).date()
}

/// The fiscal year as a UTC range `[first day 00:00 JST, next first day 00:00 JST)`.
pub fn year_range(year: FiscalYear) -> (OffsetDateTime, OffsetDateTime) {
    let start = |y: FiscalYear| {
        y.first_day().map_or(OffsetDateTime::UNIX_EPOCH, |d| {
            d.with_time(Time::MIDNIGHT).assume_offset(JST)
        })
    };
    (start(year), start(year.next()))
}

/// What the report is for.
#[derive(Debug, Clone, Copy)]
pub struct ReportRequest<'a> {
    /// The organization.
    pub organization: &'a Organization,
    /// The fiscal year.
    pub year: FiscalYear,
    /// Today in Japan (statuses and days left depend on it).
    pub today: Date,
    /// Who asks (recorded in the header).
    pub generated_by: &'a str,
}

/// The report of an organization's fiscal year; a past year is read from its frozen copy, frozen
/// first if this is the first time it is asked for.
pub async fn report<C: Borrow<Course>>(
    store: &Store,
    courses: &[C],
    request: ReportRequest<'_>,
) -> Result<Report, ReportError> {
    let ReportRequest {
        organization,
        year,
        today,
        generated_by,
    } = request;
    let current = FiscalYear::containing(today);
    if year > current {
        return Err(ReportError::FutureYear(year));
    }
    let generated_at = crate::store::now().format(&Rfc3339).unwrap_or_default();
    if let Some(frozen) = store.frozen_year(organization.id, year).await? {
        let header = ReportHeader {
            generated_at,
            generated_by: generated_by.to_owned(),
            frozen: true,
            ..frozen.header
        };
        let aggregates = aggregate(&frozen.people, year, today);
        return Ok(Report {
            header,
            aggregates,
            people: frozen.people,
        });
    }
    let rules = RuleSet::bundled()?;
    let beds = organization
        .licensed_beds
        .and_then(|b| u32::try_from(b).ok());
    let judged_on = year.last_day().map_or(today, |last| today.min(last));
    let obligation = rules.obligation(beds, judged_on);
    let roster = store.roster(organization.id).await?;
    let records = store
        .year_records(organization.id, year, year_range(year))
        .await?;
    let index = RecordIndex::new(records);
    let people: Vec<_> = roster
        .into_iter()
        .map(|member| {
            let inputs = assigned(courses, &member)
                .map(|course| index.course_input(&member, course))
                .collect();
            person_row(member.record, inputs, year, today, &obligation)
        })
        // People who joined after the year or left before it are not part of its report.
        .filter(|row| row.membership != Membership::NotInYear)
        .collect();
    let mut header = ReportHeader {
        facility: organization.name.clone(),
        insurance_code: organization.insurance_code.clone(),
        prefecture: organization.prefecture.clone(),
        licensed_beds: beds,
        fiscal_year: year,
        fiscal_year_label: year.era_label(),
        obligation,
        guideline_version: store
            .setting("guideline_version")
            .await?
            .unwrap_or_else(|| DEFAULT_GUIDELINE.to_owned()),
        generated_at,
        generated_by: generated_by.to_owned(),
        frozen: false,
    };
    // A year closes with the roster it had; with no roster yet there is nothing to freeze.
    if year < current && !people.is_empty() {
        header.frozen = true;
        store.freeze_year(organization.id, &header, &people).await?;
    }
    let aggregates = aggregate(&people, year, today);
    Ok(Report {
        header,
        aggregates,
        people,
    })
}

/// Records that a report was generated (`report.generate`): which organization, year and format, by
/// whom, and for a signed PDF the hash of what was signed.
pub async fn record_generation(
    store: &Store,
    actor: Option<Uuid>,
    organization: Uuid,
    year: FiscalYear,
    format: &str,
    sha256: Option<&str>,
) -> Result<i64, StoreError> {
    store
        .audit(crate::store::audit::AuditEvent {
            actor,
            organization: Some(organization),
            action: "report.generate",
            subject: format!("compliance:{organization}:{}", year.start_year()),
            detail: serde_json::json!({ "format": format, "sha256": sha256 }),
        })
        .await
}

/// The courses a person is assigned: those written for one of their tiers, in catalogue order.
fn assigned<'c, C: Borrow<Course>>(
    courses: &'c [C],
    member: &StaffMember,
) -> impl Iterator<Item = &'c Course> {
    let tiers = member.record.tiers.clone();
    courses
        .iter()
        .map(Borrow::borrow)
        .filter(move |c| tiers.contains(&c.audience))
}

type Key = (Uuid, Uuid);

/// The year's records, indexed by (account or roster id, course).
struct RecordIndex {
    modules: HashMap<Key, Vec<(String, OffsetDateTime)>>,
    opened: HashSet<Key>,
    quizzes: HashMap<Key, (Option<f64>, i64)>,
    certificates: HashMap<Key, String>,
    evidence: HashMap<Key, Vec<(String, String, Date)>>,
    /// The first live session of each tier an account completed in the year (Japan date).
    live: HashMap<(Uuid, Audience), Date>,
}

impl RecordIndex {
    fn new(records: YearRecords) -> Self {
        let mut modules: HashMap<Key, Vec<_>> = HashMap::new();
        for (user, course, slug, at) in records.modules {
            modules.entry((user, course)).or_default().push((slug, at));
        }
        let mut evidence: HashMap<Key, Vec<_>> = HashMap::new();
        for (member, course, mode, description, held_on) in records.evidence {
            evidence
                .entry((member, course))
                .or_default()
                .push((mode, description, held_on));
        }
        let mut live: HashMap<(Uuid, Audience), Date> = HashMap::new();
        for (user, audience, at) in records.live {
            let Some(audience) = Audience::parse(&audience) else {
                continue;
            };
            let on = at.to_offset(JST).date();
            live.entry((user, audience))
                .and_modify(|first| *first = (*first).min(on))
                .or_insert(on);
        }
        Self {
            live,
            modules,
            opened: records.opened.into_iter().collect(),
            quizzes: records
                .quizzes
                .into_iter()
                .map(|(u, c, best, n)| ((u, c), (best, n)))
                .collect(),
            certificates: records
                .certificates
                .into_iter()
                .map(|(u, c, code)| ((u, c), code))
                .collect(),
            evidence,
        }
    }

    fn course_input(&self, member: &StaffMember, course: &Course) -> CourseInput {
        let required: HashSet<&str> = course
            .modules
            .iter()
            .filter(|m| m.required)
            .map(|m| m.slug.as_str())
            .collect();
        let mut input = CourseInput {
            slug: course.slug.as_str().to_owned(),
            title: course
                .title
                .resolve(&mist_core::LanguageTag::ja(), &[])
                .to_owned(),
            modules_required: u32::try_from(required.len()).unwrap_or(u32::MAX),
            ..CourseInput::default()
        };
        if let Some(user) = member.user_id {
            let key = (user, course.id);
            let done: Vec<&(String, OffsetDateTime)> = self
                .modules
                .get(&key)
                .map(|m| {
                    m.iter()
                        .filter(|(slug, _)| required.contains(slug.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            input.modules_done = u32::try_from(done.len()).unwrap_or(u32::MAX);
            if !required.is_empty()
                && done.len() >= required.len()
                && let Some(last) = done.iter().map(|(_, at)| *at).max()
            {
                input.facts.completions.push(Completion {
                    mode: DeliveryMode::ELearning,
                    on: last.to_offset(JST).date(),
                });
            }
            let quiz = self.quizzes.get(&key);
            input.quiz_best = quiz.and_then(|q| q.0);
            input.attempts = quiz.map_or(0, |q| u32::try_from(q.1).unwrap_or(u32::MAX));
            input.certificate_code = self.certificates.get(&key).cloned();
            input.facts.started =
                self.opened.contains(&key) || quiz.is_some() || self.modules.contains_key(&key);
            // A live session for the course's tier, attended with its comprehension check passed,
            // completes the course the way the e-learning does (whether it counts is the year's rule).
            if let Some(on) = self.live.get(&(user, course.audience)) {
                input.facts.completions.push(Completion {
                    mode: DeliveryMode::LiveOnline,
                    on: *on,
                });
                input.facts.started = true;
            }
        }
        let mut descriptions = Vec::new();
        for (mode, description, held_on) in self
            .evidence
            .get(&(member.id, course.id))
            .into_iter()
            .flatten()
        {
            if let Some(mode) = DeliveryMode::parse(mode) {
                input
                    .facts
                    .completions
                    .push(Completion { mode, on: *held_on });
                input.facts.started = true;
                descriptions.push(description.clone());
            }
        }
        input.evidence = (!descriptions.is_empty()).then(|| descriptions.join("; "));
        input
    }
}
