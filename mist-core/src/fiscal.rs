//! The Japanese fiscal year (年度): 1 April to 31 March, named by the year it starts in.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// A Japanese fiscal year, named by its starting calendar year: FY2025 (令和7年度) runs from
/// 2025-04-01 to 2026-03-31. Completions count for the fiscal year they fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FiscalYear(i32);

impl FiscalYear {
    /// The fiscal year starting on 1 April of `year`.
    pub const fn starting_in(year: i32) -> Self {
        Self(year)
    }

    /// The fiscal year a date falls in.
    pub fn containing(date: Date) -> Self {
        if date.month() >= Month::April {
            Self(date.year())
        } else {
            Self(date.year() - 1)
        }
    }

    /// The calendar year it starts in (the number in "FY2025").
    pub const fn start_year(self) -> i32 {
        self.0
    }

    /// Its first day, 1 April.
    pub fn first_day(self) -> Option<Date> {
        Date::from_calendar_date(self.0, Month::April, 1).ok()
    }

    /// Its last day, 31 March of the next calendar year.
    pub fn last_day(self) -> Option<Date> {
        Date::from_calendar_date(self.0 + 1, Month::March, 31).ok()
    }

    /// Whether a date falls in it.
    pub fn contains(self, date: Date) -> bool {
        Self::containing(date) == self
    }

    /// The next fiscal year.
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }

    /// The previous fiscal year.
    pub const fn previous(self) -> Self {
        Self(self.0 - 1)
    }

    /// The Japanese era label, e.g. `令和7年度`; `令和元年度` for FY2019 and `平成30年度` for FY2018.
    ///
    /// A fiscal year takes the era in force for most of it: FY2019 began in Heisei 31 (April 2019) but is
    /// called 令和元年度, as ministries do.
    pub fn era_label(self) -> String {
        let (era, year) = if self.0 >= 2019 {
            ("令和", self.0 - 2018)
        } else {
            ("平成", self.0 - 1988)
        };
        if year == 1 {
            format!("{era}元年度")
        } else {
            format!("{era}{year}年度")
        }
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_year_turns_on_1_april() {
        assert_eq!(
            FiscalYear::containing(date!(2026 - 03 - 31)),
            FiscalYear::starting_in(2025)
        );
        assert_eq!(
            FiscalYear::containing(date!(2026 - 04 - 01)),
            FiscalYear::starting_in(2026)
        );
        assert_eq!(
            FiscalYear::containing(date!(2025 - 01 - 01)),
            FiscalYear::starting_in(2024)
        );
        assert_eq!(
            FiscalYear::containing(date!(2024 - 12 - 31)),
            FiscalYear::starting_in(2024)
        );
        let fy = FiscalYear::starting_in(2025);
        assert_eq!(
            (fy.first_day(), fy.last_day()),
            (Some(date!(2025 - 04 - 01)), Some(date!(2026 - 03 - 31)))
        );
        assert!(fy.contains(date!(2026 - 03 - 31)) && !fy.contains(date!(2026 - 04 - 01)));
        assert_eq!(
            (fy.next().start_year(), fy.previous().start_year()),
            (2026, 2024)
        );
    }

    #[test]
    fn era_labels() {
        assert_eq!(FiscalYear::starting_in(2025).era_label(), "令和7年度");
        assert_eq!(FiscalYear::starting_in(2022).era_label(), "令和4年度");
        assert_eq!(FiscalYear::starting_in(2019).era_label(), "令和元年度");
        assert_eq!(FiscalYear::starting_in(2018).era_label(), "平成30年度");
        assert_eq!(FiscalYear::starting_in(2025).to_string(), "FY2025");
    }
}
