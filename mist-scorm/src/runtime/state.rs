//! What the runtime receives at launch, what it keeps between launches, and the
//! deltas a commit produces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::objectives::{ObjectiveReport, ObjectiveValues};

/// Whether the learner's results count (`cmi.credit` / `cmi.core.credit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credit {
    /// Results count (the default).
    #[default]
    Credit,
    /// Results are recorded but do not count.
    NoCredit,
}

/// The launch mode (`cmi.mode` / `cmi.core.lesson_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonMode {
    /// Normal learning (the default).
    #[default]
    Normal,
    /// Browsing without credit.
    Browse,
    /// Reviewing a finished attempt.
    Review,
}

/// A comment the LMS shows to the SCO (`cmi.comments_from_lms`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LmsComment {
    /// Localized comment text.
    pub comment: String,
    /// Where in the SCO the comment applies.
    pub location: String,
    /// ISO 8601 date-time, or empty.
    pub timestamp: String,
}

/// A shared data bucket mapped into the SCO (`adl.data.n`, from `adlcp:data/map`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedData {
    /// The target id of the bucket.
    pub id: String,
    /// `readSharedData` (default true).
    pub readable: bool,
    /// `writeSharedData` (default true).
    pub writable: bool,
    /// The bucket's current value, if any SCO stored one.
    pub value: Option<String>,
}

/// Values the LMS and the package supply at launch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LaunchData {
    /// `cmi.learner_id` / `cmi.core.student_id`.
    pub learner_id: String,
    /// `cmi.learner_name` / `cmi.core.student_name`.
    pub learner_name: String,
    /// Credit or no-credit.
    pub credit: Credit,
    /// Normal, browse or review.
    pub mode: LessonMode,
    /// `adlcp:dataFromLMS` / `adlcp:datafromlms`.
    pub launch_data: Option<String>,
    /// 1.2 `adlcp:masteryscore` (0–100).
    pub mastery_score: Option<f64>,
    /// 2004 `imsss:minNormalizedMeasure` when `satisfiedByMeasure` (−1..1).
    pub scaled_passing_score: Option<f64>,
    /// 2004 `adlcp:completionThreshold` (0..1).
    pub completion_threshold: Option<f64>,
    /// Maximum time allowed, in the version's own duration syntax.
    pub max_time_allowed: Option<String>,
    /// `adlcp:timeLimitAction`.
    pub time_limit_action: Option<String>,
    /// Objective ids declared for the activity; they pre-populate `cmi.objectives`.
    pub objective_ids: Vec<String>,
    /// The id of the activity's primary objective, if it has one: its record and
    /// `cmi.success_status`, `cmi.score.scaled`, `cmi.completion_status` and
    /// `cmi.progress_measure` report the same objective.
    pub primary_objective_id: Option<String>,
    /// Values of the declared objectives that the tracking model knows at launch (read
    /// through global objective maps, see [`super::GlobalObjectives::launch_values`]),
    /// by objective id. They fill the matching `cmi.objectives` records at every
    /// launch, a resumed one too.
    pub objective_values: BTreeMap<String, ObjectiveValues>,
    /// Comments from the LMS.
    pub comments_from_lms: Vec<LmsComment>,
    /// Shared data buckets (`adl.data`).
    pub shared_data: Vec<SharedData>,
    /// Navigation request validity from the LMS's sequencer, keyed `continue`,
    /// `previous`, `choice.{target=ID}` or `jump.{target=ID}`; absent is `unknown`.
    pub request_valid: BTreeMap<String, bool>,
}

/// How the last session ended, which decides how the next launch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exit {
    /// No session has ended yet.
    #[default]
    None,
    /// Suspended: the next launch resumes the attempt.
    Suspend,
    /// Logged out, normal or empty exit: the attempt is over (2004), or the session
    /// is over and the attempt may continue (1.2, see [`super::Runtime::resume`]).
    Normal,
    /// The time limit ran out.
    TimeOut,
}

/// What the LMS persists for one learner and one SCO between launches.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimeState {
    /// Data-model values stored by concrete element name (e.g. `cmi.location`,
    /// `cmi.objectives.0.id`, `cmi.objectives._count`).
    pub values: BTreeMap<String, String>,
    /// Accumulated `total_time` of the current attempt, in centiseconds.
    pub total_time_cs: u64,
    /// Attempt number, starting at 1.
    pub attempt: u32,
    /// How the last session ended.
    pub exit: Exit,
}

impl RuntimeState {
    /// Applies a commit delta. Deltas carry absolute values, so applying the same
    /// delta twice leaves the state as applying it once.
    pub fn apply(&mut self, delta: &CommitDelta) {
        if delta.reset {
            // A reset delta starts a new attempt; its values then describe it fully.
            self.values.clear();
        }
        for (name, value) in &delta.values {
            self.values.insert(name.clone(), value.clone());
        }
        if let Some(total) = delta.total_time_cs {
            self.total_time_cs = total;
        }
        if let Some(attempt) = delta.attempt {
            self.attempt = attempt;
        }
        if let Some(exit) = delta.exit {
            self.exit = exit;
        }
    }
}

/// The changes of one commit: absolute new values only, so it is small and
/// applying it twice changes nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitDelta {
    /// Changed data-model values by concrete element name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    /// New accumulated total time (set on terminate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_time_cs: Option<u64>,
    /// New attempt number (set when a launch starts a new attempt).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    /// How the session ended (set on terminate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit: Option<Exit>,
    /// True when this delta starts a new attempt: values not in it are dropped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    /// Shared data buckets written (`adl.data.n.store`), by target id; the LMS
    /// stores these globally, not per SCO. An empty value empties the bucket.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub shared_data: BTreeMap<String, String>,
    /// SCORM 2004, set on terminate: what the SCO left in its objectives, for the LMS
    /// to write through the activity's global objective maps
    /// ([`super::GlobalObjectives::write_report`]). It is not state:
    /// [`RuntimeState::apply`] ignores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objectives: Option<ObjectiveReport>,
}

impl CommitDelta {
    /// True when the delta changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Folds a later delta into this one (later values win).
    pub fn merge(&mut self, later: Self) {
        if later.reset {
            *self = later;
            return;
        }
        self.values.extend(later.values);
        self.shared_data.extend(later.shared_data);
        self.total_time_cs = later.total_time_cs.or(self.total_time_cs);
        self.attempt = later.attempt.or(self.attempt);
        self.exit = later.exit.or(self.exit);
        self.objectives = later.objectives.or(self.objectives.take());
    }
}
