//! The compliance report: a header, one row per person with their courses, and aggregates (by tier,
//! department and job type; incomplete staff with the days left), plus its CSV form.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::csv::write_record;
use super::iso_date;
use super::roster::EmploymentType;
use super::rules::{DeliveryMode, Obligation};
use super::status::{CourseFacts, Membership, Status, course_status, days_left, membership};
use crate::fiscal::FiscalYear;
use crate::model::Audience;

/// The report's header (MIST-facts §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportHeader {
    /// Facility name.
    pub facility: String,
    /// 保険医療機関コード.
    pub insurance_code: Option<String>,
    /// 都道府県.
    pub prefecture: String,
    /// 許可病床数.
    pub licensed_beds: Option<u32>,
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// Its era label, e.g. 令和7年度.
    pub fiscal_year_label: String,
    /// The rule's verdict for the year.
    pub obligation: Obligation,
    /// The safety-management guideline version referenced (configurable, never hard-coded in text).
    pub guideline_version: String,
    /// When generated (RFC 3339).
    pub generated_at: String,
    /// By whom.
    pub generated_by: String,
    /// Whether the year is closed and these rows were read from its frozen copy.
    pub frozen: bool,
}

/// A person of the roster, as of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRecord {
    /// 職員番号.
    pub staff_id: String,
    /// 氏名.
    pub name: String,
    /// カナ.
    pub kana: Option<String>,
    /// 部署.
    pub department: String,
    /// 職種.
    pub job_type: String,
    /// 雇用形態.
    pub employment_type: EmploymentType,
    /// 対象.
    pub in_scope: bool,
    /// 階層.
    pub tiers: Vec<Audience>,
    /// 入職日.
    #[serde(with = "iso_date::option")]
    pub joined_on: Option<Date>,
    /// 退職日.
    #[serde(with = "iso_date::option")]
    pub left_on: Option<Date>,
}

/// What the server knows about one assigned course of one person in the year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CourseInput {
    /// The course's slug.
    pub slug: String,
    /// Its title in Japanese.
    pub title: String,
    /// Required modules.
    pub modules_required: u32,
    /// Required modules completed in the year.
    pub modules_done: u32,
    /// Started and completions (e-learning, evidence, live attendance).
    pub facts: CourseFacts,
    /// The best quiz score in the year, `0..=1`.
    pub quiz_best: Option<f64>,
    /// Quiz attempts submitted in the year.
    pub attempts: u32,
    /// 修了証番号.
    pub certificate_code: Option<String>,
    /// The approved evidence's description (sign-in sheet, MIST certificate …).
    pub evidence: Option<String>,
}

/// One course of one person in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseRow {
    /// The course's slug.
    pub course: String,
    /// Its title.
    pub title: String,
    /// 未受講 / 受講中 / 修了 / 期限超過.
    pub status: Status,
    /// 修了日.
    #[serde(with = "iso_date::option")]
    pub completed_on: Option<Date>,
    /// How it was completed.
    pub mode: Option<DeliveryMode>,
    /// Share of required modules done, in percent (each done module was viewed and watched to the
    /// threshold, so this stands for viewing progress).
    pub progress_percent: u32,
    /// Best quiz score in percent.
    pub quiz_percent: Option<u32>,
    /// Quiz attempts.
    pub attempts: u32,
    /// 修了証番号.
    pub certificate_code: Option<String>,
    /// Approved evidence.
    pub evidence: Option<String>,
}

/// One person with their courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    /// Who.
    pub staff: StaffRecord,
    /// Whether they count in the year's rate.
    pub membership: Membership,
    /// Their assigned courses (by tier).
    pub courses: Vec<CourseRow>,
}

impl PersonRow {
    /// Whether every assigned course is completed (someone with no assigned course is not).
    pub fn complete(&self) -> bool {
        !self.courses.is_empty() && self.courses.iter().all(|c| c.status == Status::Completed)
    }
}

/// Builds a person's row: each course's status under the year's obligation, and their membership.
pub fn person_row(
    staff: StaffRecord,
    courses: Vec<CourseInput>,
    year: FiscalYear,
    today: Date,
    obligation: &Obligation,
) -> PersonRow {
    let rows: Vec<CourseRow> = courses
        .into_iter()
        .map(|input| {
            let status = course_status(&input.facts, year, today, obligation);
            CourseRow {
                course: input.slug,
                title: input.title,
                status: status.status,
                completed_on: status.completion.map(|c| c.on),
                mode: status.completion.map(|c| c.mode),
                progress_percent: (input.modules_done * 100)
                    .checked_div(input.modules_required)
                    .unwrap_or(0)
                    .min(100),
                quiz_percent: input
                    .quiz_best
                    .map(|s| (s.clamp(0.0, 1.0) * 100.0).round() as u32),
                attempts: input.attempts,
                certificate_code: input.certificate_code,
                evidence: input.evidence,
            }
        })
        .collect();
    let complete = !rows.is_empty() && rows.iter().all(|c| c.status == Status::Completed);
    let membership = membership(
        year,
        staff.in_scope,
        staff.joined_on,
        staff.left_on,
        complete,
    );
    PersonRow {
        staff,
        membership,
        courses: rows,
    }
}

/// Completion in one group: people counted and people complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRate {
    /// The group (a tier's identifier, a department, a job type).
    pub group: String,
    /// People counted.
    pub counted: u32,
    /// Of them, complete.
    pub complete: u32,
}

impl GroupRate {
    /// The completion rate in percent, `None` for an empty group.
    pub fn percent(&self) -> Option<f64> {
        (self.counted > 0).then(|| f64::from(self.complete) * 100.0 / f64::from(self.counted))
    }
}

/// A counted person who has not finished, with the days left in the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incomplete {
    /// 職員番号.
    pub staff_id: String,
    /// 氏名.
    pub name: String,
    /// 部署.
    pub department: String,
    /// Courses not completed (titles).
    pub courses: Vec<String>,
    /// Days left in the fiscal year.
    pub days_left: i64,
}

/// The report's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregates {
    /// Everyone counted.
    pub total: GroupRate,
    /// By tier (a person counts in each of their tiers).
    pub by_tier: Vec<GroupRate>,
    /// By department.
    pub by_department: Vec<GroupRate>,
    /// By job type.
    pub by_job_type: Vec<GroupRate>,
    /// Counted people not finished.
    pub incomplete: Vec<Incomplete>,
    /// People listed but not counted (out of scope, or left without completing).
    pub not_counted: u32,
    /// Course rows per status.
    pub statuses: BTreeMap<Status, u32>,
}

/// Computes the figures of a report's rows on `today`.
pub fn aggregate(people: &[PersonRow], year: FiscalYear, today: Date) -> Aggregates {
    let mut total = GroupRate {
        group: String::new(),
        counted: 0,
        complete: 0,
    };
    let mut tiers: BTreeMap<Audience, (u32, u32)> = BTreeMap::new();
    let mut departments: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut jobs: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut incomplete = Vec::new();
    let mut not_counted = 0;
    let mut statuses = BTreeMap::new();
    for person in people {
        for course in &person.courses {
            *statuses.entry(course.status).or_insert(0) += 1;
        }
        if person.membership != Membership::Counted {
            not_counted += 1;
            continue;
        }
        let done = u32::from(person.complete());
        let add = |entry: &mut (u32, u32)| {
            entry.0 += 1;
            entry.1 += done;
        };
        for tier in &person.staff.tiers {
            add(tiers.entry(*tier).or_default());
        }
        add(departments
            .entry(person.staff.department.as_str())
            .or_default());
        add(jobs.entry(person.staff.job_type.as_str()).or_default());
        total.counted += 1;
        total.complete += done;
        if done == 0 {
            incomplete.push(Incomplete {
                staff_id: person.staff.staff_id.clone(),
                name: person.staff.name.clone(),
                department: person.staff.department.clone(),
                courses: person
                    .courses
                    .iter()
                    .filter(|c| c.status != Status::Completed)
                    .map(|c| c.title.clone())
                    .collect(),
                days_left: days_left(year, today),
            });
        }
    }
    let rates = |map: BTreeMap<&str, (u32, u32)>| -> Vec<GroupRate> {
        map.into_iter()
            .map(|(group, (counted, complete))| GroupRate {
                group: group.to_owned(),
                counted,
                complete,
            })
            .collect()
    };
    Aggregates {
        total,
        by_tier: tiers
            .into_iter()
            .map(|(tier, (counted, complete))| GroupRate {
                group: tier.as_str().to_owned(),
                counted,
                complete,
            })
            .collect(),
        by_department: rates(departments),
        by_job_type: rates(jobs),
        incomplete,
        not_counted,
        statuses,
    }
}

/// A complete report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Header.
    pub header: ReportHeader,
    /// Figures.
    pub aggregates: Aggregates,
    /// One row per person.
    pub people: Vec<PersonRow>,
}

/// The CSV header line (Japanese names with the English identifier in brackets).
pub fn csv_header() -> String {
    let mut out = String::new();
    write_record(
        &mut out,
        &[
            "年度(fiscal_year)",
            "職員番号(staff_id)",
            "氏名(name)",
            "カナ(kana)",
            "部署(department)",
            "職種(job_type)",
            "雇用形態(employment_type)",
            "対象(in_scope)",
            "集計(counted)",
            "階層(tiers)",
            "入職日(joined_on)",
            "退職日(left_on)",
            "研修(course)",
            "状況(status)",
            "修了日(completed_on)",
            "受講形態(mode)",
            "進捗率%(progress_percent)",
            "確認テスト%(quiz_percent)",
            "受験回数(attempts)",
            "修了証番号(certificate_code)",
            "証跡(evidence)",
        ],
    );
    out
}

/// The CSV lines of one person (one per course; one line with empty course fields if none).
pub fn csv_rows(out: &mut String, year: FiscalYear, person: &PersonRow) {
    let staff = &person.staff;
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let base = [
        year.start_year().to_string(),
        staff.staff_id.clone(),
        staff.name.clone(),
        staff.kana.clone().unwrap_or_default(),
        staff.department.clone(),
        staff.job_type.clone(),
        staff.employment_type.label().0.to_owned(),
        if staff.in_scope {
            "対象"
        } else {
            "対象外"
        }
        .to_owned(),
        if person.membership == Membership::Counted {
            "1"
        } else {
            "0"
        }
        .to_owned(),
        staff
            .tiers
            .iter()
            .map(|t| t.label().0)
            .collect::<Vec<_>>()
            .join(";"),
        date(staff.joined_on),
        date(staff.left_on),
    ];
    if person.courses.is_empty() {
        let mut fields = base.to_vec();
        fields.extend(std::iter::repeat_n(String::new(), 9));
        write_record(out, &fields);
    }
    for course in &person.courses {
        let mut fields = base.to_vec();
        fields.extend([
            course.title.clone(),
            course.status.label().0.to_owned(),
            date(course.completed_on),
            course
                .mode
                .map(|m| m.label().0.to_owned())
                .unwrap_or_default(),
            course.progress_percent.to_string(),
            course
                .quiz_percent
                .map(|p| p.to_string())
                .unwrap_or_default(),
            course.attempts.to_string(),
            course.certificate_code.clone().unwrap_or_default(),
            course.evidence.clone().unwrap_or_default(),
        ]);
        write_record(out, &fields);
    }
}

#[cfg(test)]
mod tests;
