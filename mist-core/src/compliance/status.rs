//! Status per person × course × fiscal year (未受講 / 受講中 / 修了 / 期限超過), from facts passed in.
//!
//! Every way of finishing a course is a [`Completion`] with a delivery mode and a date: e-learning
//! (all required modules completed), approved external evidence, and — read from one more table —
//! live-session attendance. The first completion whose mode counts under the year's rule wins.

use serde::{Deserialize, Serialize};
use time::Date;

use super::rules::{DeliveryMode, Obligation};
use crate::fiscal::FiscalYear;

/// The status of one person's course in one fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 未受講: not started.
    NotStarted,
    /// 受講中: started, not finished, the year still open.
    InProgress,
    /// 修了: finished by a mode that counts.
    Completed,
    /// 期限超過: the fiscal year ended without completion.
    Overdue,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Completed,
        Status::Overdue,
    ];

    /// The identifier used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
            Status::Overdue => "overdue",
        }
    }

    /// The status in Japanese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Status::NotStarted => ("未受講", "Not started"),
            Status::InProgress => ("受講中", "In progress"),
            Status::Completed => ("修了", "Completed"),
            Status::Overdue => ("期限超過", "Overdue"),
        }
    }
}

/// One way a course was finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// How.
    pub mode: DeliveryMode,
    /// When (date in Japan).
    #[serde(with = "super::iso_date")]
    pub on: Date,
}

/// What is known about one person's course in one fiscal year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseFacts {
    /// Whether anything was started in the year (a lesson opened, a quiz attempted, a module done).
    pub started: bool,
    /// Every way the course was finished in the year.
    pub completions: Vec<Completion>,
}

/// The computed status with the completion that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseStatus {
    /// The status.
    pub status: Status,
    /// The completion that counts, if any.
    pub completion: Option<Completion>,
}

/// The status of a course in `year`, judged on `today` under `obligation` (the year's rule).
pub fn course_status(
    facts: &CourseFacts,
    year: FiscalYear,
    today: Date,
    obligation: &Obligation,
) -> CourseStatus {
    let completion = facts
        .completions
        .iter()
        .filter(|c| year.contains(c.on) && obligation.counts(c.mode))
        .min_by_key(|c| c.on)
        .copied();
    let status = match completion {
        Some(_) => Status::Completed,
        None if year.last_day().is_some_and(|last| today > last) => Status::Overdue,
        None if facts.started => Status::InProgress,
        None => Status::NotStarted,
    };
    CourseStatus { status, completion }
}

/// Whether a person on the roster counts in a fiscal year's completion rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// Employed in the year and in scope: counted.
    Counted,
    /// Marked out of scope (a local policy decision, such as contractors).
    OutOfScope,
    /// Left during the year without completing: listed, not counted.
    LeftDuringYear,
    /// Not employed at any time in the year: not listed.
    NotInYear,
}

/// Whether a person counts in `year`: the in-scope flag and the joining and leaving dates decide.
/// A leaver who completed before leaving still counts (and counts as complete).
pub fn membership(
    year: FiscalYear,
    in_scope: bool,
    joined_on: Option<Date>,
    left_on: Option<Date>,
    completed: bool,
) -> Membership {
    let (Some(first), Some(last)) = (year.first_day(), year.last_day()) else {
        return Membership::NotInYear;
    };
    if joined_on.is_some_and(|j| j > last) || left_on.is_some_and(|l| l < first) {
        return Membership::NotInYear;
    }
    if !in_scope {
        return Membership::OutOfScope;
    }
    if left_on.is_some_and(|l| l < last) && !completed {
        return Membership::LeftDuringYear;
    }
    Membership::Counted
}

/// Days from `today` to the last day of `year` (0 once it has ended).
pub fn days_left(year: FiscalYear, today: Date) -> i64 {
    year.last_day()
        .map_or(0, |last| (last - today).whole_days().max(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use time::macros::date;

    use super::*;
    use crate::compliance::rules::RuleSet;

    const FY: FiscalYear = FiscalYear::starting_in(2025);

    fn status(facts: &CourseFacts, today: Date) -> CourseStatus {
        let obligation = RuleSet::bundled()
            .unwrap()
            .obligation(Some(500), today.min(date!(2026 - 03 - 31)));
        course_status(facts, FY, today, &obligation)
    }

    #[test]
    fn statuses_through_the_year() {
        let mut facts = CourseFacts::default();
        assert_eq!(
            status(&facts, date!(2025 - 05 - 01)).status,
            Status::NotStarted
        );
        facts.started = true;
        assert_eq!(
            status(&facts, date!(2026 - 03 - 31)).status,
            Status::InProgress
        );
        assert_eq!(
            status(&facts, date!(2026 - 04 - 01)).status,
            Status::Overdue
        );
        facts.completions.push(Completion {
            mode: DeliveryMode::ELearning,
            on: date!(2026 - 03 - 31),
        });
        let done = status(&facts, date!(2026 - 04 - 01));
        assert_eq!(done.status, Status::Completed);
        assert_eq!(done.completion.unwrap().on, date!(2026 - 03 - 31));
    }

    #[test]
    fn the_earliest_completion_in_the_year_counts() {
        let facts = CourseFacts {
            started: true,
            completions: vec![
                Completion {
                    mode: DeliveryMode::ELearning,
                    on: date!(2025 - 10 - 01),
                },
                Completion {
                    mode: DeliveryMode::External,
                    on: date!(2025 - 06 - 01),
                },
                // Last year's completion does not count this year.
                Completion {
                    mode: DeliveryMode::ELearning,
                    on: date!(2025 - 03 - 31),
                },
            ],
        };
        let done = status(&facts, date!(2025 - 12 - 01));
        assert_eq!(done.completion.unwrap().mode, DeliveryMode::External);
        let last_year_only = CourseFacts {
            started: false,
            completions: vec![facts.completions[2]],
        };
        assert_eq!(
            status(&last_year_only, date!(2025 - 12 - 01)).status,
            Status::NotStarted
        );
    }

    #[test]
    fn a_mode_the_rule_does_not_count_is_ignored() {
        let rules = RuleSet::parse("[[rule]]\nfrom_fiscal_year = 2022\nrevision_ja = \"a\"\nrevision_en = \"a\"\nmin_beds = 1\nannual_training = true\ncomprehension_check_required = true\ncounts = [\"e_learning\"]\n").unwrap();
        let obligation = rules.obligation(Some(10), date!(2025 - 12 - 01));
        let facts = CourseFacts {
            started: true,
            completions: vec![Completion {
                mode: DeliveryMode::External,
                on: date!(2025 - 06 - 01),
            }],
        };
        assert_eq!(
            course_status(&facts, FY, date!(2025 - 12 - 01), &obligation).status,
            Status::InProgress
        );
    }

    #[test]
    fn membership_by_dates_and_scope() {
        let m = |scope, joined, left, completed| membership(FY, scope, joined, left, completed);
        assert_eq!(m(true, None, None, false), Membership::Counted);
        assert_eq!(m(false, None, None, false), Membership::OutOfScope);
        assert_eq!(
            m(true, Some(date!(2026 - 04 - 01)), None, false),
            Membership::NotInYear
        );
        assert_eq!(
            m(true, Some(date!(2026 - 03 - 31)), None, false),
            Membership::Counted
        );
        assert_eq!(
            m(true, None, Some(date!(2025 - 03 - 31)), false),
            Membership::NotInYear
        );
        assert_eq!(
            m(true, None, Some(date!(2025 - 09 - 30)), false),
            Membership::LeftDuringYear
        );
        assert_eq!(
            m(true, None, Some(date!(2025 - 09 - 30)), true),
            Membership::Counted
        );
        assert_eq!(
            m(true, None, Some(date!(2026 - 03 - 31)), false),
            Membership::Counted
        );
    }

    #[test]
    fn days_left_in_the_year() {
        assert_eq!(days_left(FY, date!(2026 - 03 - 31)), 0);
        assert_eq!(days_left(FY, date!(2026 - 03 - 01)), 30);
        assert_eq!(days_left(FY, date!(2026 - 05 - 01)), 0);
    }
}
