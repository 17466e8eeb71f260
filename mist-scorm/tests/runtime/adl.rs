//! The ADL SCORM 2004 4th Ed. LMS test cases (`TestCases/*.properties`) replayed
//! against the runtime and judged as ADL's `TestCaseEvaluator` judges them. Every
//! `Act{N}V{visit}` block is one SCO launch, in file order (the expected delivery
//! order). The harness plays the LMS around the runtime: it keeps each activity's
//! state, the shared data and the global objectives, and the learner's attempt on each
//! course, which scopes the data that is not global to the system.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use mist_scorm::runtime::{
    ApiState, GlobalObjectives, LaunchData, Mode, ObjectiveDefinition, Runtime, RuntimeState,
    Version,
};

use super::adl_decode::{AdlStep, Block, Dictionary, blocks, parse_properties};
use super::manifest::Package;
use super::{Call, Expect, Step, run_step, shared_dir};

/// Steps fully answered by the runtime at the time of writing; raise it as the
/// figure improves (the test fails when it drops).
const MIN_PASSED: usize = 11_870;

/// API steps in the suite's 188 test cases: each is run or listed, none is dropped.
const ALL_STEPS: usize = 11_870;

/// Where the learner's attempt on a course stands.
#[derive(Clone, Copy, PartialEq, Default)]
enum CourseAttempt {
    /// No attempt yet, or the last one ended: the next launch starts a new one.
    #[default]
    Ended,
    /// Under way.
    Open,
    /// Suspended (`suspendAll`): the next launch resumes it.
    Suspended,
}

/// Shared data and global objectives of one scope: the system, or one attempt on a
/// course (`adlcp:sharedDataGlobalToSystem`, `adlseq:objectivesGlobalToSystem`).
#[derive(Default)]
struct Scope {
    shared: BTreeMap<String, String>,
    objectives: GlobalObjectives,
}

struct Course {
    package: Package,
    attempt: CourseAttempt,
}

/// The LMS running one test case. The suite runs every case with the same learner, in
/// order, so what is global to the system outlives the case (SX-11c reads the global
/// objective SX-11a wrote).
struct Lms<'a> {
    courses_dir: &'a Path,
    instructions: &'a HashMap<String, String>,
    courses: HashMap<String, Course>,
    /// The learner's system-wide scope.
    system: &'a mut Scope,
    /// Each course's scope for its current attempt.
    course_scopes: HashMap<String, Scope>,
    states: HashMap<String, RuntimeState>,
}

/// Outcome of one test case.
#[derive(Default)]
pub struct CaseOutcome {
    passed: usize,
    total: usize,
    sequencing: Vec<String>,
    /// Steps whose expected answer is the sequencer's but which ADL's evaluator
    /// accepts with any valid answer (`adl.nav.request_valid.*`: true, false or
    /// unknown).
    any_answer: Vec<String>,
    failures: Vec<String>,
    /// The launches, for replaying elsewhere.
    pub sessions: Vec<Session>,
}

/// One SCO launch of the suite, for replaying elsewhere (the browser adapter's
/// agreement test): the runtime as launched and the calls made on it, ids resolved.
pub struct Session {
    /// `{case} Act{N}V{visit}`.
    pub label: String,
    /// The runtime before `Initialize`.
    pub start: Runtime,
    /// The API calls the suite made, in order.
    pub calls: Vec<Call>,
}

/// Replaces `&id&` segments (objectives and shared data addressed by id) with the
/// index the SCO would find by scanning; an unknown id addresses the next new record.
fn resolve_ids(api: &Runtime, element: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for segment in element.split('.') {
        let id = segment.strip_prefix('&').and_then(|s| s.strip_suffix('&'));
        let resolved = match (id, out.last().map(String::as_str)) {
            (Some(id), Some("objectives")) => api
                .objective_index(id)
                .unwrap_or_else(|| objective_count(api))
                .to_string(),
            (Some(id), Some("data")) => api
                .shared_data_index(id)
                .map_or(usize::MAX, |i| i)
                .to_string(),
            _ => segment.to_owned(),
        };
        out.push(resolved);
    }
    out.join(".")
}

fn objective_count(api: &Runtime) -> usize {
    api.state()
        .values
        .get("cmi.objectives._count")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn objective_ids(api: &Runtime) -> Vec<String> {
    let mut ids: Vec<String> = (0..objective_count(api))
        .filter_map(|i| {
            api.state()
                .values
                .get(&format!("cmi.objectives.{i}.id"))
                .cloned()
        })
        .collect();
    ids.sort();
    ids
}

impl Lms<'_> {
    /// Whether the operator's instruction after a launch ends the attempt on the course.
    fn ends_attempt(&self, instruction: Option<&str>) -> bool {
        let key = instruction.and_then(|i| i.split('~').next()).unwrap_or("");
        self.instructions
            .get(key)
            .is_some_and(|text| text.contains("learner attempt should"))
    }

    /// The system's scope, or the scope of the current attempt on course `name`.
    fn scope(&mut self, name: &str, global: bool) -> &mut Scope {
        if global {
            self.system
        } else {
            self.course_scopes.entry(name.to_owned()).or_default()
        }
    }

    /// Runs one launch of activity `Act{N}{package letter}`.
    fn launch(&mut self, case: &str, dict: &Dictionary, block: &Block, outcome: &mut CaseOutcome) {
        let activity = block.act.trim_start_matches("Act");
        let activity = activity.split('V').next().unwrap_or("").to_owned();
        let letter = activity.trim_start_matches(|c: char| c.is_ascii_digit());
        let item = format!("activity_{}", &activity[..activity.len() - letter.len()]);
        let name = format!("{case}{letter}");
        let setup = self.open_course(&name, &item);
        // An activity without commands is an asset: nothing talks to the runtime.
        let request = if block.commands.is_empty() {
            None
        } else {
            let label = format!("{case} {}", block.act);
            let run = |api: &mut Runtime, outcome: &mut CaseOutcome| {
                let sequenced = |step: &Step| reads_rollup(step, &setup.objectives, &setup.rollup);
                run_commands(case, dict, block, api, &sequenced, outcome)
            };
            self.session(&label, &name, &activity, &setup, run, outcome)
        };
        let ends = self.ends_attempt(block.instruction.as_deref());
        if let Some(course) = self.courses.get_mut(&name) {
            course.attempt = match request.as_deref() {
                Some("suspendAll") => CourseAttempt::Suspended,
                Some("exitAll" | "abandonAll") => CourseAttempt::Ended,
                _ if ends => CourseAttempt::Ended,
                _ => CourseAttempt::Open,
            };
        }
    }

    /// Opens course `name` for a launch of `item`, starting a new attempt on it when the
    /// last one ended.
    fn open_course(&mut self, name: &str, item: &str) -> Setup {
        let courses_dir = self.courses_dir;
        let course = self
            .courses
            .entry(name.to_owned())
            .or_insert_with(|| Course {
                package: Package::read(courses_dir, name),
                attempt: CourseAttempt::Ended,
            });
        if course.attempt == CourseAttempt::Ended {
            self.course_scopes.remove(name);
        }
        course.attempt = CourseAttempt::Open;
        let package = &course.package;
        let (objectives, tracked) = package
            .activity(item)
            .map_or((Vec::new(), true), |a| (a.objectives.clone(), a.tracked()));
        Setup {
            launch: package.launch_data(item),
            objectives,
            tracked,
            rollup: package.rollup_targets(),
            shared_global: package.shared_data_global(),
            objectives_global: package.objectives_global(),
        }
    }

    /// One SCO session: launches the runtime with the stored state, the shared data and
    /// the global objectives, runs the commands, and persists what the commit delta
    /// says; returns the navigation request the SCO left.
    fn session(
        &mut self,
        label: &str,
        name: &str,
        activity: &str,
        setup: &Setup,
        run: impl FnOnce(&mut Runtime, &mut CaseOutcome) -> Option<String>,
        outcome: &mut CaseOutcome,
    ) -> Option<String> {
        let mut launch = setup.launch.clone();
        let shared = &self.scope(name, setup.shared_global).shared;
        for data in &mut launch.shared_data {
            data.value = shared.get(&data.id).cloned();
        }
        let globals = &self.scope(name, setup.objectives_global).objectives;
        launch.objective_values = globals.launch_values(&setup.objectives);
        let stored = self.states.get(activity).cloned().unwrap_or_default();
        let mut api = Runtime::resume(Version::Scorm2004, launch, Mode::Strict, stored.clone());
        outcome.sessions.push(Session {
            label: label.to_owned(),
            start: api.clone(),
            calls: Vec::new(),
        });
        let request = run(&mut api, outcome);
        if api.api_state() == ApiState::Running {
            api.terminate("");
        }
        // Persist through the deltas, as an LMS would, and check they are complete.
        let mut persisted = stored;
        if let Some(delta) = api.take_commit() {
            persisted.apply(&delta);
            let shared = &mut self.scope(name, setup.shared_global).shared;
            shared.extend(delta.shared_data.clone());
            // An untracked activity records nothing (`deliveryControls/@tracked`).
            if let Some(report) = delta.objectives.as_ref().filter(|_| setup.tracked) {
                let globals = &mut self.scope(name, setup.objectives_global).objectives;
                globals.write_report(&setup.objectives, report);
            }
        }
        if &persisted != api.state() {
            outcome
                .failures
                .push(format!("{label}: commit deltas do not rebuild the state"));
        }
        self.states.insert(activity.to_owned(), persisted);
        request
    }
}

/// What a launch takes from its package.
struct Setup {
    launch: LaunchData,
    objectives: Vec<ObjectiveDefinition>,
    tracked: bool,
    /// Global objectives that clusters write.
    rollup: Vec<String>,
    shared_global: bool,
    objectives_global: bool,
}

/// A GET of an objective value the activity reads from a global objective that a
/// cluster writes: rollup, the sequencer's work, decides it. (No ADL case has one.)
fn reads_rollup(step: &Step, objectives: &[ObjectiveDefinition], rollup: &[String]) -> bool {
    let Call::Get(element) = &step.call else {
        return false;
    };
    let Some((id, field)) = element
        .strip_prefix("cmi.objectives.&")
        .and_then(|rest| rest.split_once("&."))
    else {
        return false;
    };
    let maps = objectives
        .iter()
        .filter(|o| o.id.as_deref() == Some(id))
        .flat_map(|o| &o.maps);
    field != "id"
        && maps
            .into_iter()
            .any(|m| m.read != Default::default() && rollup.contains(&m.target))
}

/// Runs a launch's commands, listing those `sequenced` says the sequencer answers;
/// returns the navigation request the SCO left.
fn run_commands(
    case: &str,
    dict: &Dictionary,
    block: &Block,
    api: &mut Runtime,
    sequenced: &dyn Fn(&Step) -> bool,
    outcome: &mut CaseOutcome,
) -> Option<String> {
    let mut request = None;
    for raw in &block.commands {
        let label = format!("{case} {}: {raw}", block.act);
        match dict.decode(raw) {
            None => outcome.failures.push(format!("{label}: undecodable")),
            Some(AdlStep::CompareObjectiveIds(mut expected)) => {
                outcome.total += 1;
                expected.sort();
                let actual = objective_ids(api);
                if actual == expected {
                    outcome.passed += 1;
                } else {
                    outcome
                        .failures
                        .push(format!("{label}: objective ids {actual:?}"));
                }
            }
            Some(AdlStep::Api(step)) if sequenced(&step) => outcome.sequencing.push(label),
            Some(AdlStep::Api(mut step)) => {
                outcome.total += 1;
                step.call = match step.call {
                    Call::Get(e) => Call::Get(resolve_ids(api, &e)),
                    Call::Set(e, v) => Call::Set(resolve_ids(api, &e), v),
                    other => other,
                };
                if let Some(session) = outcome.sessions.last_mut() {
                    session.calls.push(step.call.clone());
                }
                if matches!(step.expect, Expect::OneOf(_)) {
                    outcome.any_answer.push(label.clone());
                }
                match run_step(api, &step) {
                    Ok(()) => outcome.passed += 1,
                    Err(why) => outcome.failures.push(format!("{label}: {why}")),
                }
                note_request(&step, api, &mut request);
            }
        }
    }
    request
}

/// Remembers the navigation request a step stored.
fn note_request(step: &Step, api: &Runtime, request: &mut Option<String>) {
    if let Call::Set(element, value) = &step.call
        && element == "adl.nav.request"
        && api.last_error_code() == 0
    {
        *request = Some(value.clone());
    }
}

fn run_case(
    courses: &Path,
    dict: &Dictionary,
    instructions: &HashMap<String, String>,
    system: &mut Scope,
    case: &str,
    text: &str,
) -> CaseOutcome {
    let mut outcome = CaseOutcome::default();
    let mut lms = Lms {
        courses_dir: courses,
        instructions,
        courses: HashMap::new(),
        system,
        course_scopes: HashMap::new(),
        states: HashMap::new(),
    };
    for block in blocks(text) {
        lms.launch(case, dict, &block, &mut outcome);
    }
    outcome
}

/// Runs every ADL test case in order (printing each case's figures); returns the
/// number of cases and what they added up to.
pub fn run_suite(shared: &Path) -> (usize, CaseOutcome) {
    let root = shared.join("fixtures/adl-cts/software_development");
    let resources = root.join("resources/org/adl/testsuite/rte/lms/util/resources");
    let table = |name: &str| -> HashMap<String, String> {
        parse_properties(&fs::read_to_string(resources.join(name)).unwrap())
            .into_iter()
            .collect()
    };
    let dict = Dictionary(table("Commands.properties"));
    let instructions = table("Instructions.properties");
    let courses = root.join("TestSuite/LMSRTE/Courses");
    let mut cases: Vec<_> = fs::read_dir(courses.join("TestCases"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    let mut all = CaseOutcome::default();
    let mut learner = Scope::default();
    for path in cases
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "properties"))
    {
        let case = path.file_stem().unwrap().to_string_lossy().into_owned();
        // ADL reads its test cases in the platform encoding of its Windows hosts.
        let bytes = fs::read(path).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        let outcome = run_case(&courses, &dict, &instructions, &mut learner, &case, &text);
        println!(
            "{case}: {}/{} steps passed, {} sequencing",
            outcome.passed,
            outcome.total,
            outcome.sequencing.len()
        );
        all.passed += outcome.passed;
        all.total += outcome.total;
        all.sequencing.extend(outcome.sequencing);
        all.any_answer.extend(outcome.any_answer);
        all.failures.extend(outcome.failures);
        all.sessions.extend(outcome.sessions);
    }
    (cases.len(), all)
}

#[test]
fn adl_conformance_cases() {
    let Some(shared) = shared_dir() else { return };
    let (cases, outcome) = run_suite(&shared);
    let CaseOutcome {
        passed,
        total,
        sequencing,
        any_answer,
        failures,
        ..
    } = outcome;
    for label in &sequencing {
        println!("sequencing step: {label}");
    }
    for label in &any_answer {
        println!("any valid answer: {label}");
    }
    for failure in &failures {
        println!(
            "FAILED {}",
            failure
                .chars()
                .take(if std::env::var_os("ADL_FULL").is_some() {
                    100_000
                } else {
                    400
                })
                .collect::<String>()
        );
    }
    println!(
        "ADL conformance: {passed}/{total} steps passed, {} sequencing steps listed",
        sequencing.len()
    );
    println!(
        "({} of them adl.nav.request_valid reads that ADL accepts as true, false or unknown)",
        any_answer.len()
    );
    assert!(cases >= 188, "expected the 188 ADL test cases");
    assert_eq!(
        total + sequencing.len(),
        ALL_STEPS,
        "every step is run or listed"
    );
    assert!(
        passed >= MIN_PASSED,
        "ADL conformance regressed: {passed} < {MIN_PASSED}"
    );
}
