//! The data model's side of the tracking model: objective values from the LMS fill
//! `cmi.objectives` at launch, and `Terminate` reports what the SCO left in them.
//!
//! The rules follow ADL's reference LMS (the SCORM 2004 4th Ed. Sample RTE), which
//! initializes the objectives from the tracking model at every launch and maps the data
//! model back to it when the SCO terminates.

use std::collections::BTreeMap;

use super::objectives::{ObjectiveReport, ObjectiveValues};
use super::status::{Completion, Success};
use super::types::parse_real;
use super::{Runtime, Version};

/// The fields of an objective record and the value each holds as text.
fn record_fields(values: &ObjectiveValues) -> [(&'static str, Option<String>); 7] {
    let real = |value: Option<f64>| value.map(|n| format!("{n:?}"));
    let known_success = values.success.filter(|s| *s != Success::Unknown);
    let known_completion = values.completion.filter(|c| *c != Completion::Unknown);
    [
        (
            "success_status",
            known_success.map(|s| s.as_str().to_owned()),
        ),
        ("score.scaled", real(values.scaled)),
        ("score.raw", real(values.raw)),
        ("score.min", real(values.min)),
        ("score.max", real(values.max)),
        (
            "completion_status",
            known_completion.map(|c| c.as_str().to_owned()),
        ),
        ("progress_measure", real(values.progress)),
    ]
}

impl Runtime {
    fn stored(&self, name: &str) -> Option<&str> {
        self.state.values.get(name).map(String::as_str)
    }

    /// Fills the records of the objectives the launch gives values for. This happens at
    /// every launch, a resumed one too: the tracking model holds the current values,
    /// which other activities may have changed through global objectives.
    pub(crate) fn apply_objective_values(&mut self) {
        if self.version != Version::Scorm2004 {
            return;
        }
        let launch_values = self.launch.objective_values.clone();
        for (id, values) in &launch_values {
            let Some(index) = self.objective_index(id) else {
                continue;
            };
            for (field, value) in record_fields(values) {
                if let Some(value) = value {
                    self.put(format!("cmi.objectives.{index}.{field}"), value);
                }
            }
        }
    }

    /// The values stored in one `cmi.objectives` record.
    fn objective_record(&self, index: usize) -> ObjectiveValues {
        let field = |name: &str| self.stored(&format!("cmi.objectives.{index}.{name}"));
        let real = |name: &str| field(name).and_then(parse_real);
        ObjectiveValues {
            success: field("success_status").map(Success::parse),
            scaled: real("score.scaled"),
            raw: real("score.raw"),
            min: real("score.min"),
            max: real("score.max"),
            completion: field("completion_status").map(Completion::parse),
            progress: real("progress_measure"),
        }
    }

    /// What the session left in the objectives (see [`ObjectiveReport`]).
    ///
    /// The primary objective takes each value from the `cmi` element the SCO set, else
    /// from its own record: success from `cmi.success_status` (after the scaled passing
    /// score), measure from `cmi.score.scaled`, progress from `cmi.progress_measure`.
    /// Its completion follows the completion threshold when there is a progress
    /// measure, else `cmi.completion_status` as the SCO set it, else its record. (ADL's
    /// reference LMS prefers the record's success; but the record may hold only what
    /// the launch read from a global objective, which would then outvote the SCO.)
    /// A value counts as reported only when the SCO or the launch stored it, so an
    /// `unknown` in the report was set by the SCO.
    pub(crate) fn objective_report(&self) -> ObjectiveReport {
        let mut objectives: BTreeMap<String, ObjectiveValues> = (0..self
            .count("cmi.objectives", &[]))
            .filter_map(|index| {
                let id = self.stored(&format!("cmi.objectives.{index}.id"))?;
                Some((id.to_owned(), self.objective_record(index)))
            })
            .collect();
        let record = self
            .launch
            .primary_objective_id
            .as_ref()
            .and_then(|id| objectives.remove(id))
            .unwrap_or_default();
        ObjectiveReport {
            primary: self.primary_values(record),
            objectives,
        }
    }

    fn primary_values(&self, record: ObjectiveValues) -> ObjectiveValues {
        let real = |name: &str| self.stored(name).and_then(parse_real);
        let reported = match self.evaluate().success {
            Success::Unknown => self.stored("cmi.success_status").map(|_| Success::Unknown),
            known => Some(known),
        };
        let progress = real("cmi.progress_measure").or(record.progress);
        let completion = match (self.launch.completion_threshold, progress) {
            (Some(threshold), Some(measure)) if measure >= threshold => Some(Completion::Completed),
            (Some(_), Some(_)) => Some(Completion::Incomplete),
            _ => self
                .stored("cmi.completion_status")
                .map(Completion::parse)
                .or(record.completion),
        };
        ObjectiveValues {
            success: reported.or(record.success),
            scaled: real("cmi.score.scaled").or(record.scaled),
            completion,
            progress,
            ..record
        }
    }
}
