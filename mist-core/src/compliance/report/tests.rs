#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::macros::date;

use super::*;
use crate::compliance::rules::RuleSet;
use crate::compliance::status::Completion;

const FY: FiscalYear = FiscalYear::starting_in(2025);

fn staff(id: &str, department: &str, tiers: Vec<Audience>) -> StaffRecord {
    StaffRecord {
        staff_id: id.into(),
        name: format!("職員 {id}"),
        kana: None,
        department: department.into(),
        job_type: "看護師".into(),
        employment_type: EmploymentType::FullTime,
        in_scope: true,
        tiers,
        joined_on: None,
        left_on: None,
    }
}

fn course(done: bool) -> CourseInput {
    CourseInput {
        slug: "basics".into(),
        title: "基本".into(),
        modules_required: 4,
        modules_done: if done { 4 } else { 1 },
        facts: CourseFacts {
            started: true,
            completions: if done {
                vec![Completion {
                    mode: DeliveryMode::ELearning,
                    on: date!(2025 - 07 - 01),
                }]
            } else {
                vec![]
            },
        },
        quiz_best: Some(0.834),
        attempts: 2,
        certificate_code: done.then(|| "7K3M-9QX2-HD4T-R".into()),
        evidence: None,
    }
}

fn people(today: Date) -> Vec<PersonRow> {
    let obligation = RuleSet::bundled().unwrap().obligation(Some(450), today);
    let mut leaver = staff("C3", "病棟", vec![Audience::Staff]);
    leaver.left_on = Some(date!(2025 - 08 - 31));
    vec![
        person_row(
            staff("A1", "病棟", vec![Audience::Staff, Audience::Administrator]),
            vec![course(true)],
            FY,
            today,
            &obligation,
        ),
        person_row(
            staff("B2", "医事課", vec![Audience::Staff]),
            vec![course(false)],
            FY,
            today,
            &obligation,
        ),
        person_row(leaver, vec![course(false)], FY, today, &obligation),
    ]
}

#[test]
fn rows_and_aggregates() {
    let today = date!(2026 - 03 - 01);
    let rows = people(today);
    assert_eq!(rows[0].courses[0].status, Status::Completed);
    assert_eq!(
        (
            rows[1].courses[0].progress_percent,
            rows[1].courses[0].quiz_percent
        ),
        (25, Some(83))
    );
    assert_eq!(rows[2].membership, Membership::LeftDuringYear);
    let figures = aggregate(&rows, FY, today);
    assert_eq!((figures.total.counted, figures.total.complete), (2, 1));
    assert_eq!(figures.total.percent(), Some(50.0));
    assert_eq!(figures.not_counted, 1);
    let staff_tier = figures.by_tier.iter().find(|g| g.group == "staff").unwrap();
    assert_eq!((staff_tier.counted, staff_tier.complete), (2, 1));
    assert_eq!(figures.by_department.len(), 2);
    assert_eq!(figures.incomplete.len(), 1);
    assert_eq!(
        (
            figures.incomplete[0].staff_id.as_str(),
            figures.incomplete[0].days_left
        ),
        ("B2", 30)
    );
    assert_eq!(figures.statuses.get(&Status::InProgress), Some(&2));
}

#[test]
fn after_the_year_unfinished_courses_are_overdue() {
    let rows = people(date!(2026 - 04 - 01));
    assert_eq!(rows[1].courses[0].status, Status::Overdue);
    assert_eq!(
        aggregate(&rows, FY, date!(2026 - 04 - 01)).incomplete[0].days_left,
        0
    );
}

#[test]
fn csv_lines_quote_and_label() {
    let rows = people(date!(2026 - 03 - 01));
    let mut out = csv_header();
    for person in &rows {
        csv_rows(&mut out, FY, person);
    }
    let records = crate::compliance::csv::read(&out).unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(records[0].fields.len(), records[1].fields.len());
    assert_eq!(records[1].fields[13], "修了");
    assert_eq!(
        records[1].fields[9],
        "初学者・医療従事者;システム・セキュリティ管理者"
    );
    assert_eq!(records[2].fields[13], "受講中");
    assert_eq!(
        records[3].fields[8], "0",
        "the leaver is listed but not counted"
    );
}

#[test]
fn rows_survive_json() {
    let rows = people(date!(2026 - 03 - 01));
    let json = serde_json::to_string(&rows).unwrap();
    assert!(json.contains(r#""left_on":"2025-08-31""#), "{json}");
    let back: Vec<PersonRow> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rows);
}
