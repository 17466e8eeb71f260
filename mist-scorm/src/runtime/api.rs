//! The API object: the not-initialized → running → terminated state machine, the
//! last-error register, commits and launches.

use std::collections::BTreeMap;

use super::error::{Fault, error_string, parse_code};
use super::model::SESSION_ONLY;
use super::state::{CommitDelta, Exit, LaunchData, RuntimeState, SharedData};
use super::timespan::{parse_cmi_timespan, parse_iso};
use super::{Mode, Version};

/// The API methods that take a parameter accept only `""` (201 otherwise).
fn empty_parameter(parameter: &str) -> Result<(), Fault> {
    if parameter.is_empty() {
        Ok(())
    } else {
        Err(Fault::InvalidArgument)
    }
}

/// Where the API is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiState {
    /// Before `Initialize`.
    NotInitialized,
    /// Between `Initialize` and `Terminate`.
    Running,
    /// After `Terminate`.
    Terminated,
}

/// The value of `cmi.entry` for this launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// First launch of an attempt.
    AbInitio,
    /// Resuming a suspended attempt.
    Resume,
    /// 1.2: continuing an attempt that was not suspended.
    Continue,
}

impl Entry {
    /// The vocabulary word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AbInitio => "ab-initio",
            Self::Resume => "resume",
            Self::Continue => "",
        }
    }
}

/// One SCO launch: the SCORM API of SCORM 1.2 (`API`) or 2004 (`API_1484_11`).
#[derive(Debug, Clone)]
pub struct Runtime {
    pub(crate) version: Version,
    pub(crate) mode: Mode,
    pub(crate) launch: LaunchData,
    pub(crate) state: RuntimeState,
    pub(crate) entry: Entry,
    pub(crate) api: ApiState,
    pub(crate) last_error: Option<(Fault, String)>,
    /// Session-only values (exit, session time, navigation request).
    pub(crate) session: BTreeMap<String, String>,
    /// Shared data buckets as this SCO sees them.
    pub(crate) shared: Vec<SharedData>,
    /// Changes since the last commit.
    pub(crate) pending: CommitDelta,
    /// Committed changes the LMS has not taken yet.
    pub(crate) committed: Option<CommitDelta>,
    pub(crate) warnings: Vec<String>,
}

impl Runtime {
    /// Starts the first attempt of a SCO.
    pub fn new(version: Version, launch: LaunchData, mode: Mode) -> Self {
        Self::resume(version, launch, mode, RuntimeState::default())
    }

    /// Starts a launch from the persisted state of earlier launches.
    ///
    /// A suspended attempt resumes (`entry` = `resume`). In 1.2 an attempt that ended
    /// without suspending continues (`entry` = `""`) until its status is final
    /// (passed, failed or completed); in 2004 any exit other than suspend ends the
    /// attempt. A new attempt drops the stored values and the total time. Either way the
    /// launch's [`LaunchData::objective_values`] then fill the matching objectives.
    pub fn resume(
        version: Version,
        launch: LaunchData,
        mode: Mode,
        previous: RuntimeState,
    ) -> Self {
        let shared = launch.shared_data.clone();
        let mut runtime = Self {
            version,
            mode,
            launch,
            state: previous,
            entry: Entry::AbInitio,
            api: ApiState::NotInitialized,
            last_error: None,
            session: BTreeMap::new(),
            shared,
            pending: CommitDelta::default(),
            committed: None,
            warnings: Vec::new(),
        };
        runtime.entry = runtime.next_entry();
        if runtime.entry == Entry::AbInitio {
            runtime.start_attempt();
        }
        runtime.apply_objective_values();
        runtime
    }

    fn next_entry(&self) -> Entry {
        let final_12 = matches!(self.lesson_status_12().0, "passed" | "failed" | "completed");
        match (self.state.attempt, self.state.exit, self.version) {
            (0, _, _) => Entry::AbInitio,
            (_, Exit::Suspend, _) => Entry::Resume,
            (_, Exit::Normal | Exit::None, Version::Scorm12) if !final_12 => Entry::Continue,
            _ => Entry::AbInitio,
        }
    }

    fn start_attempt(&mut self) {
        let attempt = self.state.attempt.saturating_add(1);
        self.state = RuntimeState {
            attempt,
            ..RuntimeState::default()
        };
        self.pending = CommitDelta {
            reset: true,
            attempt: Some(attempt),
            ..CommitDelta::default()
        };
        let ids = self.launch.objective_ids.clone();
        for id in ids {
            let index = self.count("cmi.objectives", &[]);
            self.put(format!("cmi.objectives.{index}.id"), id);
            self.put("cmi.objectives._count".to_owned(), (index + 1).to_string());
        }
    }

    /// The SCORM version of this API.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The life-cycle state.
    pub fn api_state(&self) -> ApiState {
        self.api
    }

    /// How this launch entered the SCO.
    pub fn entry(&self) -> Entry {
        self.entry
    }

    /// The state to persist (all values, committed or not).
    pub fn state(&self) -> &RuntimeState {
        &self.state
    }

    /// Compatible-mode leniencies that were used, one line each.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The index of the objective whose id is `id` (objectives addressed by id).
    pub fn objective_index(&self, id: &str) -> Option<usize> {
        (0..self.count("cmi.objectives", &[])).find(|i| {
            self.state
                .values
                .get(&format!("cmi.objectives.{i}.id"))
                .is_some_and(|v| v == id)
        })
    }

    /// The index of the shared data bucket whose target id is `id` (`adl.data` by id).
    pub fn shared_data_index(&self, id: &str) -> Option<usize> {
        self.shared.iter().position(|data| data.id == id)
    }

    /// Takes the changes committed since the last call, if any.
    pub fn take_commit(&mut self) -> Option<CommitDelta> {
        self.committed.take()
    }

    fn finish(&mut self, outcome: Result<(), Fault>) -> bool {
        match outcome {
            Ok(()) => {
                self.last_error = None;
                true
            }
            Err(fault) => {
                self.last_error = Some((fault, String::new()));
                false
            }
        }
    }

    fn require_running(&self, before: Fault, after: Fault) -> Result<(), Fault> {
        match self.api {
            ApiState::NotInitialized => Err(before),
            ApiState::Running => Ok(()),
            ApiState::Terminated => Err(after),
        }
    }

    /// `Initialize("")` / `LMSInitialize("")`.
    pub fn initialize(&mut self, parameter: &str) -> bool {
        let outcome = match self.api {
            _ if !parameter.is_empty() => empty_parameter(parameter),
            ApiState::NotInitialized => {
                self.api = ApiState::Running;
                Ok(())
            }
            ApiState::Running => Err(Fault::AlreadyInitialized),
            ApiState::Terminated => Err(Fault::InstanceTerminated),
        };
        self.finish(outcome)
    }

    /// `Terminate("")` / `LMSFinish("")`: ends the session and commits.
    pub fn terminate(&mut self, parameter: &str) -> bool {
        let outcome = self
            .require_running(Fault::TerminateBeforeInit, Fault::TerminateAfterTerminate)
            .and(empty_parameter(parameter))
            .map(|()| self.end_session());
        self.finish(outcome)
    }

    fn end_session(&mut self) {
        let session = |name: &str| self.session.get(name).map(String::as_str);
        let (exit_word, session_time) = match self.version {
            Version::Scorm2004 => {
                let suspend_all = session("adl.nav.request") == Some("suspendAll");
                let exit = if suspend_all {
                    Some("suspend")
                } else {
                    session("cmi.exit")
                };
                (exit, session("cmi.session_time").and_then(parse_iso))
            }
            Version::Scorm12 => (
                session("cmi.core.exit"),
                session("cmi.core.session_time").and_then(|t| parse_cmi_timespan(t, true)),
            ),
        };
        let exit = match exit_word {
            Some("suspend") => Exit::Suspend,
            Some("time-out") => Exit::TimeOut,
            _ => Exit::Normal,
        };
        let total = self
            .state
            .total_time_cs
            .saturating_add(session_time.unwrap_or(0));
        if self.version == Version::Scorm12 {
            self.settle_lesson_status();
        }
        self.state.total_time_cs = total;
        self.state.exit = exit;
        self.pending.total_time_cs = Some(total);
        self.pending.exit = Some(exit);
        if self.version == Version::Scorm2004 {
            self.pending.objectives = Some(self.objective_report());
        }
        self.state
            .values
            .retain(|name, _| !SESSION_ONLY.contains(&name.as_str()));
        self.flush();
        self.api = ApiState::Terminated;
    }

    /// 1.2 end of session: the mastery score decides passed/failed, and a status the
    /// SCO never set becomes `completed` (`browsed` in browse mode).
    fn settle_lesson_status(&mut self) {
        let (status, _) = self.lesson_status_12();
        let settled = match status {
            "not attempted" if self.launch.mode == super::state::LessonMode::Browse => "browsed",
            "not attempted" => "completed",
            other => other,
        }
        .to_owned();
        if self.state.values.get("cmi.core.lesson_status") != Some(&settled) {
            self.put("cmi.core.lesson_status".to_owned(), settled);
        }
    }

    fn flush(&mut self) {
        let delta = std::mem::take(&mut self.pending);
        match &mut self.committed {
            Some(committed) => committed.merge(delta),
            None if delta.is_empty() => {}
            None => self.committed = Some(delta),
        }
    }

    /// `Commit("")` / `LMSCommit("")`.
    pub fn commit(&mut self, parameter: &str) -> bool {
        let outcome = self
            .require_running(Fault::CommitBeforeInit, Fault::CommitAfterTerminate)
            .and(empty_parameter(parameter))
            .map(|()| self.flush());
        self.finish(outcome)
    }

    /// `GetValue` / `LMSGetValue`: the value, or `""` with the error recorded.
    pub fn get_value(&mut self, element: &str) -> String {
        let outcome = self
            .require_running(Fault::GetBeforeInit, Fault::GetAfterTerminate)
            .and_then(|()| self.dm_get(element).map(|v| v.into_owned()));
        match outcome {
            Ok(value) => {
                self.last_error = None;
                value
            }
            Err(fault) => {
                self.last_error = Some((fault, element.chars().take(200).collect()));
                String::new()
            }
        }
    }

    /// `SetValue` / `LMSSetValue`.
    pub fn set_value(&mut self, element: &str, value: &str) -> bool {
        let outcome = self
            .require_running(Fault::SetBeforeInit, Fault::SetAfterTerminate)
            .and_then(|()| self.dm_set(element, value));
        let ok = self.finish(outcome);
        if let Some((_, diagnostic)) = &mut self.last_error {
            *diagnostic = element.chars().take(200).collect();
        }
        ok
    }

    /// The last error code (0 when the last call succeeded).
    pub fn last_error_code(&self) -> u16 {
        self.last_error
            .as_ref()
            .map_or(0, |(fault, _)| fault.code(self.version))
    }

    /// `GetLastError` / `LMSGetLastError`: the last error code as a string.
    pub fn get_last_error(&self) -> String {
        self.last_error_code().to_string()
    }

    /// `GetErrorString(code)`: the standard text, `""` for undefined codes.
    pub fn get_error_string(&self, code: &str) -> String {
        parse_code(code)
            .map_or("", |c| error_string(self.version, c))
            .to_owned()
    }

    /// `GetDiagnostic(code)`: details of the last error when `code` is it or `""`,
    /// otherwise the code's text; `""` for undefined codes. At most 255 characters.
    pub fn get_diagnostic(&self, code: &str) -> String {
        let last = self.last_error_code();
        let requested = if code.is_empty() {
            Some(last)
        } else {
            parse_code(code)
        };
        let Some(requested) = requested else {
            return String::new();
        };
        let text = error_string(self.version, requested);
        let detail = match &self.last_error {
            Some((fault, element)) if requested == last => format!("{text}: {fault} ({element})"),
            _ => text.to_owned(),
        };
        detail.chars().take(255).collect()
    }
}
