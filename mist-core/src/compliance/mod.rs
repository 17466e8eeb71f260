//! Compliance with the 診療録管理体制加算 training rule: rule sets per fiscal year, the staff roster,
//! status per person × course × fiscal year, aggregates, charts and exports. Pure: the server passes
//! the facts in and stores what comes out.

pub mod chart;
pub mod csv;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod report;
pub mod roster;
pub mod rules;
pub mod signed;
pub mod status;

pub use report::{
    Aggregates, CourseInput, CourseRow, GroupRate, PersonRow, Report, ReportHeader, StaffRecord,
};
pub use roster::{EmploymentType, Problem, RosterEntry, RosterReport};
pub use rules::{DeliveryMode, Obligation, Requirement, RuleSet};
pub use status::{Completion, CourseFacts, CourseStatus, Membership, Status};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");
