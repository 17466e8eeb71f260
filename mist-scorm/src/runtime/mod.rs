//! The SCORM run-time environment: data models, API state machine and error codes.
//!
//! [`Runtime`] is one SCO launch. It answers the SCORM API calls exactly as the
//! standard says (values, `"true"`/`"false"`, error codes), keeps the values in a
//! [`RuntimeState`] that serializes for storage, and hands each commit's changes to
//! the LMS as a small, idempotent [`CommitDelta`].
//!
//! Objectives shared between activities go through [`GlobalObjectives`]: the LMS reads
//! them into [`LaunchData::objective_values`] at launch and writes the
//! [`ObjectiveReport`] a SCORM 2004 terminate leaves in the delta.
//!
//! ```
//! use mist_scorm::runtime::{LaunchData, Mode, Runtime, Version};
//!
//! let launch = LaunchData { learner_id: "learner-1".into(), ..LaunchData::default() };
//! let mut api = Runtime::new(Version::Scorm2004, launch, Mode::Strict);
//! assert!(api.initialize(""));
//! assert!(api.set_value("cmi.location", "page-3"));
//! assert_eq!(api.get_value("cmi.location"), "page-3");
//! assert!(!api.set_value("cmi.credit", "no-credit"));
//! assert_eq!(api.get_last_error(), "404");
//! assert!(api.terminate(""));
//! let delta = api.take_commit().expect("terminate commits");
//! assert_eq!(delta.values.get("cmi.location").map(String::as_str), Some("page-3"));
//! ```

use serde::{Deserialize, Serialize};

mod api;
mod cmi12;
mod cmi2004;
mod error;
mod hooks;
mod interactions;
mod lang;
mod model;
mod objectives;
mod schema;
mod state;
mod status;
pub mod table;
mod timespan;
mod tracking;
mod types;

pub use api::{ApiState, Entry, Runtime};
pub use error::{Fault, error_string};
pub use objectives::{
    GlobalObjectives, ObjectiveDefinition, ObjectiveFields, ObjectiveMap, ObjectiveReport,
    ObjectiveValues,
};
pub use state::{
    CommitDelta, Credit, Exit, LaunchData, LessonMode, LmsComment, RuntimeState, SharedData,
};
pub use status::{Completion, Evaluation, Success};
pub use timespan::{format_cmi_timespan, format_iso, parse_cmi_timespan, parse_iso};

/// The SCORM edition a SCO talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Version {
    /// SCORM 1.2 (`cmi._version` 3.4, the `API` object).
    Scorm12,
    /// SCORM 2004 4th Edition (`cmi._version` 1.0, the `API_1484_11` object).
    Scorm2004,
}

/// How strictly values are checked.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Mode {
    /// Exactly the standard.
    #[default]
    Strict,
    /// The standard plus documented leniencies that real content needs; each use
    /// is recorded in [`Runtime::warnings`].
    Compatible(Leniency),
}

/// The leniencies of [`Mode::Compatible`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leniency {
    /// Longest 1.2 `cmi.suspend_data` accepted (the standard says 4,096).
    pub suspend_data_limit: usize,
    /// Accept 1.2 `CMITimespan` values with any number of hour digits (the
    /// standard says 2 to 4).
    pub timespan_any_hour_digits: bool,
}

impl Default for Leniency {
    /// 64,000 characters of suspend data (the 2004 limit) and any hour digits.
    fn default() -> Self {
        Self {
            suspend_data_limit: 64_000,
            timespan_any_hour_digits: true,
        }
    }
}
