//! scorm-again's ADL conformance fixtures (`shared/fixtures/scorm-again-adl/`):
//! every step must give the ADL/standard answer recorded in `expectedReturn` /
//! `expectedErrorCode`. Where scorm-again itself diverges (its `knownDivergence`
//! notes), the standard wins and the note is ignored.

use std::fs;

use mist_scorm::runtime::{Exit, LaunchData, Mode, Runtime, RuntimeState, Version, parse_iso};
use serde_json::Value;

use super::{Call, Expect, Step, run_step, shared_dir};

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn step(raw: &Value) -> Step {
    let value = text(raw, "value");
    let element = text(raw, "element");
    let call = match raw
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or_default()
    {
        "Initialize" => Call::Initialize(value),
        "Terminate" => Call::Terminate(value),
        "Commit" => Call::Commit(value),
        "GetValue" => Call::Get(element),
        "SetValue" => Call::Set(element, value),
        "GetLastError" => Call::LastError,
        "GetErrorString" => Call::ErrorString(value),
        "GetDiagnostic" => Call::Diagnostic(value),
        other => panic!("unknown method {other}"),
    };
    let expect = match raw.get("expectedReturn") {
        None => Expect::Any,
        Some(Value::String(s)) => Expect::Exact(s.clone()),
        Some(_) => Expect::NonEmptyMax255,
    };
    Step {
        call,
        expect,
        error: text(raw, "expectedErrorCode"),
    }
}

/// Flattens `{"cmi": {"score": {"scaled": "0.5"}}}` into `cmi.score.scaled`.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&name, inner, out);
            }
        }
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// Turns a fixture's `initialState` into launch data plus the state an LMS would
/// have persisted from earlier launches.
fn seed(initial: Option<&Value>) -> (LaunchData, RuntimeState) {
    let mut launch = LaunchData {
        learner_id: "learner-1".into(),
        ..LaunchData::default()
    };
    let mut state = RuntimeState::default();
    let mut pairs = Vec::new();
    if let Some(initial) = initial {
        flatten("", initial, &mut pairs);
    }
    let mut resumed = false;
    for (name, value) in pairs {
        match name.as_str() {
            "cmi.completion_threshold" => launch.completion_threshold = value.parse().ok(),
            "cmi.scaled_passing_score" => launch.scaled_passing_score = value.parse().ok(),
            "cmi.max_time_allowed" => launch.max_time_allowed = Some(value),
            "cmi.entry" => resumed |= value == "resume",
            "cmi.total_time" => state.total_time_cs = parse_iso(&value).unwrap(),
            _ => {
                state.values.insert(name, value);
                resumed = true;
            }
        }
    }
    if resumed {
        state.attempt = 1;
        state.exit = Exit::Suspend;
    }
    (launch, state)
}

#[test]
fn scorm_again_adl_fixtures() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("fixtures/scorm-again-adl/test/conformance/adl/fixtures");
    let mut files: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .chain(fs::read_dir(root.join("generated")).unwrap())
        .flatten()
        .map(|e| e.path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
    for path in &files {
        let fixture: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let version = if text(&fixture, "scormVersion") == "1.2" {
            Version::Scorm12
        } else {
            Version::Scorm2004
        };
        for activity in fixture["activities"].as_array().unwrap() {
            let initial = activity
                .get("initialState")
                .or_else(|| fixture.get("initialState"));
            let (launch, state) = seed(initial);
            let mut api = Runtime::resume(version, launch, Mode::Strict, state);
            for raw in activity["steps"].as_array().unwrap() {
                total += 1;
                match run_step(&mut api, &step(raw)) {
                    Ok(()) => passed += 1,
                    Err(why) => failures.push(format!(
                        "{} {}: {why}",
                        text(&fixture, "id"),
                        text(activity, "id")
                    )),
                }
            }
        }
    }
    println!(
        "scorm-again fixtures: {passed}/{total} steps passed in {} files",
        files.len()
    );
    assert!(
        files.len() >= 39,
        "expected the 39 scorm-again fixture files"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
