//! Objectives shared between activities: global objectives and the maps that read and
//! write them (`imsss:mapInfo`, and `adlseq:objectives` for the SCORM 2004 4th Edition
//! score, completion and progress fields).
//!
//! This is the data-model side of the tracking model. The LMS keeps a
//! [`GlobalObjectives`] store per learner (per attempt on the course when
//! `adlseq:objectivesGlobalToSystem` is false). At launch it reads the store through
//! the activity's maps ([`GlobalObjectives::launch_values`]) into
//! [`LaunchData::objective_values`](super::LaunchData::objective_values), which fill the
//! `cmi.objectives` records of those ids. At `Terminate` the commit delta carries an
//! [`ObjectiveReport`] of what the SCO left in them, which the LMS writes back through
//! the maps of a tracked activity ([`GlobalObjectives::write_report`]). Rollup and the
//! other sequencing processes are not done here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::status::{Completion, Success};
use crate::package::manifest::{AdlMapInfo, MapInfo, Objective, Sequencing};

/// Which values of an objective a map reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ObjectiveFields {
    /// Satisfied status (`cmi.objectives.n.success_status`).
    pub satisfied: bool,
    /// Normalized measure (`score.scaled`).
    pub measure: bool,
    /// Raw score.
    pub raw: bool,
    /// Minimum score.
    pub min: bool,
    /// Maximum score.
    pub max: bool,
    /// Completion status.
    pub completion: bool,
    /// Progress measure.
    pub progress: bool,
}

/// One map from a local objective to a global objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveMap {
    /// The global objective's id (`targetObjectiveID`).
    pub target: String,
    /// Values read from the global objective at launch.
    pub read: ObjectiveFields,
    /// Values written to the global objective at the end of a session.
    pub write: ObjectiveFields,
}

impl From<&MapInfo> for ObjectiveMap {
    fn from(map: &MapInfo) -> Self {
        let fields = |satisfied, measure| ObjectiveFields {
            satisfied,
            measure,
            ..ObjectiveFields::default()
        };
        Self {
            target: map.target_objective_id.clone(),
            read: fields(map.read_satisfied_status, map.read_normalized_measure),
            write: fields(map.write_satisfied_status, map.write_normalized_measure),
        }
    }
}

impl From<&AdlMapInfo> for ObjectiveMap {
    fn from(map: &AdlMapInfo) -> Self {
        Self {
            target: map.target_objective_id.clone(),
            read: ObjectiveFields {
                raw: map.read_raw_score,
                min: map.read_min_score,
                max: map.read_max_score,
                completion: map.read_completion_status,
                progress: map.read_progress_measure,
                ..ObjectiveFields::default()
            },
            write: ObjectiveFields {
                raw: map.write_raw_score,
                min: map.write_min_score,
                max: map.write_max_score,
                completion: map.write_completion_status,
                progress: map.write_progress_measure,
                ..ObjectiveFields::default()
            },
        }
    }
}

/// One objective of an activity, as the sequencing definition declares it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveDefinition {
    /// `objectiveID` (a primary objective may have none).
    pub id: Option<String>,
    /// True for the primary objective, which `cmi.success_status`, `cmi.score.scaled`,
    /// `cmi.completion_status` and `cmi.progress_measure` also report.
    pub primary: bool,
    /// `satisfiedByMeasure`: the satisfied status follows the measure.
    pub satisfied_by_measure: bool,
    /// `minNormalizedMeasure`: the measure that satisfies it.
    pub min_normalized_measure: f64,
    /// Its maps to global objectives.
    pub maps: Vec<ObjectiveMap>,
}

impl ObjectiveDefinition {
    /// The objectives of an activity's sequencing, primary first, each with its
    /// `imsss:mapInfo` maps and the `adlseq:objectives` maps of the same id.
    pub fn from_sequencing(sequencing: &Sequencing) -> Vec<Self> {
        let Some(objectives) = &sequencing.objectives else {
            return Vec::new();
        };
        let define = |objective: &Objective, primary| {
            let mut maps: Vec<ObjectiveMap> =
                objective.map_info.iter().map(ObjectiveMap::from).collect();
            let extensions = sequencing
                .adl_objectives
                .iter()
                .filter(|adl| objective.id.as_deref() == Some(adl.objective_id.as_str()));
            maps.extend(extensions.flat_map(|adl| adl.map_info.iter().map(ObjectiveMap::from)));
            Self {
                id: objective.id.clone(),
                primary,
                satisfied_by_measure: objective.satisfied_by_measure,
                min_normalized_measure: objective.min_normalized_measure,
                maps,
            }
        };
        std::iter::once(define(&objectives.primary, true))
            .chain(objectives.others.iter().map(|o| define(o, false)))
            .collect()
    }

    /// Success from a measure, for an objective satisfied by measure.
    fn success_of(&self, measure: Option<f64>) -> Option<Success> {
        measure.map(|m| {
            if m >= self.min_normalized_measure {
                Success::Passed
            } else {
                Success::Failed
            }
        })
    }
}

/// The values of one objective; `None` is unknown (or, in a report, not reported).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectiveValues {
    /// Success status. In a report, `Some(Unknown)` means the SCO set `unknown`, which
    /// clears the global objectives the value is written to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<Success>,
    /// Scaled score (normalized measure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scaled: Option<f64>,
    /// Raw score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<f64>,
    /// Minimum score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Maximum score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Completion status. In a report, `Some(Unknown)` clears as for success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion: Option<Completion>,
    /// Progress measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
}

impl ObjectiveValues {
    /// True when no value is known.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Takes each value of `other` that `fields` selects and `other` knows.
    fn take_known(&mut self, other: &Self, fields: ObjectiveFields) {
        fn pick<T: Copy>(on: bool, to: &mut Option<T>, from: Option<T>) {
            if on && from.is_some() {
                *to = from;
            }
        }
        pick(fields.satisfied, &mut self.success, other.success);
        pick(fields.measure, &mut self.scaled, other.scaled);
        pick(fields.raw, &mut self.raw, other.raw);
        pick(fields.min, &mut self.min, other.min);
        pick(fields.max, &mut self.max, other.max);
        pick(fields.completion, &mut self.completion, other.completion);
        pick(fields.progress, &mut self.progress, other.progress);
    }
}

/// What a session left in the objectives, reported at `Terminate`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectiveReport {
    /// The primary objective. Each value comes from the `cmi` element when the SCO set
    /// it, else from the objective's own `cmi.objectives` record: success from
    /// `cmi.success_status` (after the scaled passing score), measure from
    /// `cmi.score.scaled`, progress from `cmi.progress_measure`, and completion from
    /// the completion threshold when a progress measure is known, else from
    /// `cmi.completion_status`.
    pub primary: ObjectiveValues,
    /// Every other `cmi.objectives` record, by id.
    pub objectives: BTreeMap<String, ObjectiveValues>,
}

impl ObjectiveReport {
    /// The reported values of one declared objective, if the session reported it.
    pub fn values_for(&self, objective: &ObjectiveDefinition) -> Option<&ObjectiveValues> {
        if objective.primary {
            return Some(&self.primary);
        }
        objective
            .id
            .as_deref()
            .and_then(|id| self.objectives.get(id))
    }
}

/// Global objectives by id: what the LMS keeps for one learner (and one attempt on
/// the course when objectives are not global to the system).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GlobalObjectives {
    /// The known values of each global objective.
    pub objectives: BTreeMap<String, ObjectiveValues>,
}

impl GlobalObjectives {
    /// The values a local objective reads through its maps (when two maps read the
    /// same value, the later one that knows it wins). An objective satisfied by measure
    /// takes its success from the measure it reads, not from a status.
    pub fn read(&self, objective: &ObjectiveDefinition) -> ObjectiveValues {
        let mut values = ObjectiveValues::default();
        for map in &objective.maps {
            if let Some(global) = self.objectives.get(&map.target) {
                values.take_known(global, map.read);
            }
        }
        if objective.satisfied_by_measure {
            values.success = objective.success_of(values.scaled);
        }
        values
    }

    /// Writes reported values through the maps that write them. An objective
    /// satisfied by measure writes the success its measure gives, whatever the SCO
    /// reported; `unknown` clears; `not attempted` is stored as `incomplete` (the
    /// tracking model only knows whether an objective is completed).
    pub fn write(&mut self, objective: &ObjectiveDefinition, reported: &ObjectiveValues) {
        let mut reported = *reported;
        if objective.satisfied_by_measure {
            reported.success = objective.success_of(reported.scaled);
        }
        if reported.completion == Some(Completion::NotAttempted) {
            reported.completion = Some(Completion::Incomplete);
        }
        for map in &objective.maps {
            let global = self.objectives.entry(map.target.clone()).or_default();
            global.take_known(&reported, map.write);
            if global.success == Some(Success::Unknown) {
                global.success = None;
            }
            if global.completion == Some(Completion::Unknown) {
                global.completion = None;
            }
        }
    }

    /// [`LaunchData::objective_values`](super::LaunchData::objective_values) for an
    /// activity: what each of its objectives with an id reads, when it reads anything.
    pub fn launch_values(
        &self,
        objectives: &[ObjectiveDefinition],
    ) -> BTreeMap<String, ObjectiveValues> {
        objectives
            .iter()
            .filter_map(|objective| {
                let values = self.read(objective);
                let id = objective.id.clone()?;
                (!values.is_empty()).then_some((id, values))
            })
            .collect()
    }

    /// Writes a session's report through the maps of the activity's objectives. Call
    /// it only for a tracked activity (`deliveryControls/@tracked`).
    pub fn write_report(&mut self, objectives: &[ObjectiveDefinition], report: &ObjectiveReport) {
        for objective in objectives {
            if let Some(values) = report.values_for(objective) {
                self.write(objective, values);
            }
        }
    }
}
