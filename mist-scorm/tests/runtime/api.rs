//! The 2004 API state machine in every state, commits, persistence across
//! launches and status evaluation.

use mist_scorm::runtime::{
    ApiState, CommitDelta, Completion, Exit, LaunchData, Mode, Runtime, RuntimeState, Success,
    Version,
};

fn api() -> Runtime {
    Runtime::new(
        Version::Scorm2004,
        LaunchData {
            learner_id: "l-1".into(),
            ..LaunchData::default()
        },
        Mode::Strict,
    )
}

/// Every call in every state: (state, expected error of each call in the order
/// Initialize, GetValue, SetValue, Commit, Terminate).
#[test]
fn every_call_in_every_state() {
    let rows: [(&str, [&str; 5]); 3] = [
        ("not initialized", ["0", "122", "132", "142", "112"]),
        ("running", ["103", "0", "0", "0", "0"]),
        ("terminated", ["104", "123", "133", "143", "113"]),
    ];
    for (state, codes) in rows {
        let prepare = |api: &mut Runtime| match state {
            "running" => assert!(api.initialize("")),
            "terminated" => assert!(api.initialize("") && api.terminate("")),
            _ => {}
        };
        let calls: [fn(&mut Runtime) -> bool; 5] = [
            |a| a.initialize(""),
            |a| !a.get_value("cmi.learner_id").is_empty(),
            |a| a.set_value("cmi.location", "x"),
            |a| a.commit(""),
            |a| a.terminate(""),
        ];
        for (call, code) in calls.iter().zip(codes) {
            let mut api = api();
            prepare(&mut api);
            let ok = call(&mut api);
            assert_eq!(api.get_last_error(), code, "{state}");
            assert_eq!(ok, code == "0", "{state}");
        }
    }
}

#[test]
fn arguments_and_error_texts() {
    let mut api = api();
    assert!(!api.initialize("x"));
    assert_eq!(api.get_last_error(), "201");
    assert_eq!(api.api_state(), ApiState::NotInitialized);
    assert!(api.initialize(""));
    assert_eq!(api.get_value(""), "");
    assert_eq!(api.get_last_error(), "301");
    let diagnostic = api.get_diagnostic("");
    assert!(
        diagnostic.starts_with("General Get Failure") && diagnostic.chars().count() <= 255,
        "{diagnostic}"
    );
    assert_eq!(api.get_error_string("001"), "");
    assert_eq!(
        api.get_error_string("408"),
        "Data Model Dependency Not Established"
    );
    assert!(!api.set_value("cmi.objectives.0.score.scaled", "0.5"));
    assert_eq!(api.get_last_error(), "408", "objective id first");
    assert!(!api.terminate("x"));
    assert_eq!(api.get_last_error(), "201");
}

#[test]
fn commits_are_small_idempotent_deltas_that_rebuild_the_state() {
    let mut api = api();
    api.initialize("");
    api.set_value("cmi.location", "p1");
    api.commit("");
    let first = api.take_commit().unwrap();
    api.set_value("cmi.suspend_data", "s");
    api.set_value("cmi.session_time", "PT5M");
    api.set_value("cmi.exit", "suspend");
    api.terminate("");
    let second = api.take_commit().unwrap();
    assert_eq!(
        second.values.keys().collect::<Vec<_>>(),
        ["cmi.suspend_data"],
        "only the change"
    );
    assert_eq!(second.exit, Some(Exit::Suspend));
    let json = serde_json::to_string(&second).unwrap();
    assert!(json.len() < 120, "{json}");
    let decoded: CommitDelta = serde_json::from_str(&json).unwrap();

    let mut stored = RuntimeState::default();
    for delta in [&first, &decoded, &decoded, &first, &decoded] {
        stored.apply(delta);
    }
    let mut once = RuntimeState::default();
    once.apply(&first);
    once.apply(&decoded);
    assert_eq!(stored, once, "applying a commit twice changes nothing");
    assert_eq!(&once, api.state());
    let state: RuntimeState = serde_json::from_str(&serde_json::to_string(&once).unwrap()).unwrap();
    assert_eq!(state, once);

    let mut next = Runtime::resume(
        Version::Scorm2004,
        LaunchData::default(),
        Mode::Strict,
        state,
    );
    next.initialize("");
    assert_eq!(next.get_value("cmi.entry"), "resume");
    assert_eq!(next.get_value("cmi.total_time"), "PT5M");
    assert_eq!(next.get_value("cmi.location"), "p1");
    next.set_value("cmi.exit", "normal");
    next.terminate("");
    let after = Runtime::resume(
        Version::Scorm2004,
        LaunchData::default(),
        Mode::Strict,
        next.state().clone(),
    );
    assert_eq!(after.entry().as_str(), "ab-initio");
    assert!(
        !after.state().values.contains_key("cmi.location"),
        "a new attempt starts empty"
    );
}

#[test]
fn thresholds_override_reported_status_with_an_explanation() {
    let launch = LaunchData {
        completion_threshold: Some(0.8),
        scaled_passing_score: Some(0.6),
        ..LaunchData::default()
    };
    let mut api = Runtime::new(Version::Scorm2004, launch, Mode::Strict);
    api.initialize("");
    assert_eq!(api.get_value("cmi.completion_status"), "unknown");
    api.set_value("cmi.completion_status", "completed");
    api.set_value("cmi.progress_measure", "0.5");
    api.set_value("cmi.success_status", "failed");
    api.set_value("cmi.score.scaled", "0.75");
    let evaluation = api.evaluate();
    assert_eq!(
        (evaluation.completion, evaluation.success),
        (Completion::Incomplete, Success::Passed)
    );
    assert_eq!(api.get_value("cmi.completion_status"), "incomplete");
    assert_eq!(api.get_value("cmi.success_status"), "passed");
    assert_eq!(evaluation.explanation.len(), 2);
    assert!(evaluation.explanation[0].contains("completion threshold 0.8"));
}

#[test]
fn objectives_by_id_and_navigation_requests() {
    let launch = LaunchData {
        objective_ids: vec!["primary".into(), "obj-2".into()],
        ..LaunchData::default()
    };
    let mut api = Runtime::new(Version::Scorm2004, launch, Mode::Strict);
    api.initialize("");
    assert_eq!(api.get_value("cmi.objectives._count"), "2");
    assert_eq!(api.objective_index("obj-2"), Some(1));
    assert!(
        !api.set_value("cmi.objectives.1.id", "other"),
        "ids are write-once"
    );
    assert!(
        !api.set_value("cmi.objectives.2.id", "primary"),
        "ids are unique"
    );
    assert!(api.set_value("adl.nav.request", "{target=act.1}choice"));
    assert!(!api.set_value("adl.nav.request", "{target=}choice"));
    assert_eq!(api.get_value("adl.nav.request_valid.continue"), "unknown");
    assert!(!api.set_value("adl.nav.request_valid.continue", "true"));
    assert_eq!(api.get_last_error(), "404");
}
