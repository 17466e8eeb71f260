//! The browser adapter (`mist-scorm/adapter`) agrees with the runtime call for call.
//!
//! This test writes what the runtime answers to a corpus of call sequences into
//! `adapter/test/fixtures/` (with `MIST_BLESS=1`), or checks that the committed files
//! are what the runtime answers now, so they cannot drift. The adapter's own tests
//! replay the same calls and expect the same returns and error codes. The corpus is
//! every step of the ADL SCORM 2004 suite plus generated sequences for both versions;
//! the exported data model is checked the same way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::PathBuf;

use mist_scorm::runtime::table::{adapter_launch, data_model_json};
use mist_scorm::runtime::{
    Credit, LaunchData, LessonMode, LmsComment, Mode, Runtime, SharedData, Version,
};
use serde_json::{Value, json};

/// The runtime tests' harness, for the ADL suite's launches.
#[path = "runtime.rs"]
mod harness;

use harness::Call;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("adapter/test/fixtures")
}

fn version_tag(version: Version) -> &'static str {
    match version {
        Version::Scorm12 => "12",
        Version::Scorm2004 => "2004",
    }
}

/// Writes `text` to the fixture `name` under `MIST_BLESS=1`, else requires the
/// committed file to equal it.
fn bless_or_compare(name: &str, text: &str) {
    let path = fixtures().join(name);
    if std::env::var_os("MIST_BLESS").is_some() {
        std::fs::create_dir_all(fixtures()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is not what the runtime answers now: regenerate it with MIST_BLESS=1",
        path.display()
    );
}

/// Runs `calls` on a copy of `start`; one JSON line per call:
/// `[method, arguments.., returned, error code]`.
fn replay(label: &str, start: &Runtime, calls: &[Call]) -> (String, usize) {
    let launch = adapter_launch(start);
    let mut api = start.clone();
    let mut out = String::new();
    let head = json!({"label": label, "values": launch.values, "access": launch.access});
    let head = head.to_string();
    let _ = write!(out, "{},\"calls\":[", &head[..head.len() - 1]);
    for (i, call) in calls.iter().enumerate() {
        let mut row = match call {
            Call::Initialize(p) => json!(["Initialize", p, api.initialize(p).to_string()]),
            Call::Terminate(p) => json!(["Terminate", p, api.terminate(p).to_string()]),
            Call::Commit(p) => json!(["Commit", p, api.commit(p).to_string()]),
            Call::Get(e) => json!(["GetValue", e, api.get_value(e)]),
            Call::Set(e, v) => json!(["SetValue", e, v, api.set_value(e, v).to_string()]),
            Call::LastError => json!(["GetLastError", api.get_last_error()]),
            Call::ErrorString(c) => json!(["GetErrorString", c, api.get_error_string(c)]),
            Call::Diagnostic(c) => json!(["GetDiagnostic", c, api.get_diagnostic(c)]),
        };
        if let Value::Array(items) = &mut row {
            items.push(json!(api.last_error_code()));
        }
        let comma = if i + 1 < calls.len() { "," } else { "" };
        let _ = write!(out, "\n{row}{comma}");
    }
    out.push_str("]}");
    (out, calls.len())
}

fn corpus_file(version: Version, sessions: &[(String, usize)]) -> String {
    let body: Vec<&str> = sessions.iter().map(|(text, _)| text.as_str()).collect();
    format!(
        "{{\"version\":\"{}\",\"sessions\":[\n{}\n]}}\n",
        version_tag(version),
        body.join(",\n")
    )
}

fn get(element: &str) -> Call {
    Call::Get(element.to_owned())
}

fn set(element: &str, value: &str) -> Call {
    Call::Set(element.to_owned(), value.to_owned())
}

/// Values every element is tried with: each type's valid and invalid forms.
fn samples() -> Vec<String> {
    let words = [
        "",
        "0",
        "1",
        "-1",
        "0.5",
        "-0.5",
        "100",
        "101",
        "-101",
        "1.5",
        "1e3",
        ".5",
        "1.",
        "+1",
        "007",
        "abc",
        "a b",
        "true",
        "false",
        "passed",
        "completed",
        "failed",
        "incomplete",
        "browsed",
        "not attempted",
        "unknown",
        "suspend",
        "time-out",
        "logout",
        "normal",
        "credit",
        "correct",
        "wrong",
        "incorrect",
        "neutral",
        "unanticipated",
        "choice",
        "numeric",
        "00:00:01",
        "0000:00:01.5",
        "1:00:00",
        "12:30:00",
        "25:00:00",
        "00:60:00",
        "PT1H30M",
        "P1D",
        "PT",
        "PT1.5S",
        "PT1.234S",
        "P1Y2M3DT4H5M6.7S",
        "2004-07-25T03:00:00",
        "2004-07-25T03:00:00.1Z",
        "2004-13",
        "1969",
        "en",
        "en-US",
        "xx",
        "i-klingon",
        "x-private",
        "zh-min-nan",
        "{lang=fr}bonjour",
        "{lang=zz}x",
        "{lang=en}",
        "continue",
        "previous",
        "suspendAll",
        "_none_",
        "{target=a}choice",
        "{target=a b}jump",
        "urn:adl:x",
        "urn:",
        "50%",
        "a%20b",
        "a#b#c",
        "élan",
        "-1[.]x",
    ];
    let mut all: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    for (unit, count) in [("x", 255), ("x", 256), ("é", 255), ("😀", 256)] {
        all.push(unit.repeat(count));
    }
    all
}

/// Responses tried for each interaction type.
const RESPONSES: &[&str] = &[
    "",
    "true",
    "a",
    "a[,]b",
    "a[,]a",
    "a[.]b",
    "a[.]b[,]c[.]d",
    "a[.]b[.]c",
    "1",
    "1.5[:]2",
    "[:]2",
    "3[:]1",
    "{case_matters=true}x",
    "{case_matters=false}{order_matters=true}red[,]blue",
    "{case_matters=maybe}x",
    "{order_matters=false}s1[.]5[:]7[,][.]answer",
    "[.]",
    "{lang=en}{case_matters=true}Text",
    "{case_matters=true}{lang=de}Text",
    "{lang=en}Text",
    "{lang=qq}Text",
    "{}",
    "a b",
];

/// Every element of the model read and written with every sample (twice, so array
/// records exist the second time), then keywords, and interaction responses per type.
fn element_calls(version: Version) -> Vec<Call> {
    let model = data_model_json(version);
    let elements = model["elements"].as_object().unwrap();
    let containers = model["containers"].as_object().unwrap();
    let concrete = |pattern: &str, index: &str| pattern.replace(".n.", &format!(".{index}."));
    let mut calls = vec![Call::Initialize(String::new())];
    // The first pass tries everything; the others (records exist now, or indices are
    // out of order) a few values.
    let all = samples();
    for (pass, values) in [
        ("0", &all[..]),
        ("0", &all[..24]),
        ("1", &all[..8]),
        ("3", &all[..4]),
    ] {
        for pattern in elements.keys() {
            let name = concrete(pattern, pass);
            calls.push(get(&name));
            for value in values {
                calls.push(set(&name, value));
                calls.push(get(&name));
            }
        }
    }
    for pattern in containers.keys() {
        let name = concrete(pattern, "0");
        for keyword in ["_children", "_count", "_version", "_other"] {
            calls.push(get(&format!("{name}.{keyword}")));
            calls.push(set(&format!("{name}.{keyword}"), "1"));
        }
    }
    for pattern in elements.keys().take(5) {
        calls.push(get(&format!("{pattern}._children")));
        calls.push(get(&format!("{pattern}._count")));
    }
    if version == Version::Scorm2004 {
        let types = model["maxCorrectResponses"].as_object().unwrap();
        for (i, kind) in types.keys().enumerate() {
            let at = format!("cmi.interactions.{}", i + 2);
            calls.push(set(&format!("{at}.correct_responses.0.pattern"), "a"));
            calls.push(set(&format!("{at}.id"), &format!("i{i}")));
            calls.push(set(&format!("{at}.learner_response"), "a"));
            calls.push(set(&format!("{at}.type"), kind));
            for (j, response) in RESPONSES.iter().enumerate() {
                let slot = j % 3;
                calls.push(set(
                    &format!("{at}.correct_responses.{slot}.pattern"),
                    response,
                ));
                calls.push(get(&format!("{at}.correct_responses.{slot}.pattern")));
                calls.push(set(&format!("{at}.learner_response"), response));
                calls.push(get(&format!("{at}.learner_response")));
            }
        }
    }
    let long = |length: usize| "x".repeat(length);
    for call in [
        set("cmi.suspend_data", &long(4096)),
        set("cmi.suspend_data", &long(4097)),
        set("cmi.suspend_data", &long(64_001)),
        set("cmi.comments", &long(4097)),
        set("cmi.location", &long(1001)),
        get(""),
        set("", "x"),
        get("cmi"),
        get("cmi..x"),
        get("cmi.objectives.99999999999999999999999.id"),
        get("adl.nav.request_valid.continue"),
        get("adl.nav.request_valid.choice.{target=a}"),
        get("adl.nav.request_valid.jump.{target=a b}"),
        set("adl.nav.request_valid.continue", "true"),
        set("adl.nav.request_valid.", "x"),
        Call::Commit(String::new()),
        Call::Commit("x".to_owned()),
    ] {
        calls.push(call);
    }
    calls.push(Call::Terminate(String::new()));
    calls
}

/// Every call before `Initialize`, after `Terminate`, with arguments, and the error
/// texts and diagnostics of every code.
fn state_calls() -> Vec<Call> {
    let probes = || {
        vec![
            get("cmi.location"),
            set("cmi.location", "x"),
            Call::Commit(String::new()),
            Call::Terminate(String::new()),
            Call::LastError,
            Call::Diagnostic(String::new()),
        ]
    };
    let mut calls = probes();
    calls.push(Call::Initialize("x".to_owned()));
    calls.push(Call::Initialize(String::new()));
    calls.push(Call::Initialize(String::new()));
    for code in (0..=500)
        .map(|c| c.to_string())
        .chain(["001", "+1", "x", ""].map(String::from))
    {
        calls.push(Call::ErrorString(code.clone()));
        calls.push(Call::Diagnostic(code));
    }
    calls.push(set("cmi.nothing", "x"));
    calls.push(Call::Diagnostic(String::new()));
    calls.push(Call::Diagnostic("401".to_owned()));
    calls.push(Call::Terminate("x".to_owned()));
    calls.push(Call::Terminate(String::new()));
    calls.extend(probes());
    calls.push(Call::Initialize(String::new()));
    calls
}

/// Launches that differ in what the LMS gives the SCO.
fn launches(version: Version) -> Vec<(&'static str, LaunchData)> {
    let comment = LmsComment {
        comment: "{lang=en}Welcome".into(),
        location: "intro".into(),
        timestamp: String::new(),
    };
    let bucket = |id: &str, readable, writable, value: Option<&str>| SharedData {
        id: id.into(),
        readable,
        writable,
        value: value.map(str::to_owned),
    };
    let full = LaunchData {
        learner_id: "learner-1".into(),
        learner_name: "Doe, Jane".into(),
        launch_data: Some("chapter=2".into()),
        mastery_score: Some(80.0),
        scaled_passing_score: Some(0.6),
        completion_threshold: Some(0.75),
        max_time_allowed: Some(match version {
            Version::Scorm12 => "00:30:00".into(),
            Version::Scorm2004 => "PT30M".into(),
        }),
        time_limit_action: Some("exit,message".into()),
        objective_ids: vec!["obj-1".into(), "obj-2".into()],
        comments_from_lms: vec![comment],
        shared_data: vec![
            bucket("shared-rw", true, true, Some("stored")),
            bucket("shared-ro", true, false, None),
            bucket("shared-wo", false, true, None),
            bucket("shared-none", false, false, Some("x")),
        ],
        request_valid: [
            ("continue".to_owned(), true),
            ("previous".to_owned(), false),
        ]
        .into(),
        ..LaunchData::default()
    };
    let browse = LaunchData {
        learner_id: "learner-2".into(),
        credit: Credit::NoCredit,
        mode: LessonMode::Browse,
        ..LaunchData::default()
    };
    vec![
        ("plain", LaunchData::default()),
        ("full", full),
        ("browse", browse),
    ]
}

fn generated_sessions(version: Version) -> Vec<(String, usize)> {
    let mut sessions = Vec::new();
    for (name, launch) in launches(version) {
        let start = Runtime::new(version, launch, Mode::Strict);
        sessions.push(replay(&format!("{name}: states"), &start, &state_calls()));
        if name != "browse" {
            let calls = element_calls(version);
            sessions.push(replay(&format!("{name}: elements"), &start, &calls));
        }
    }
    sessions
}

fn report(version: Version, sessions: &[(String, usize)]) {
    let calls: usize = sessions.iter().map(|(_, n)| n).sum();
    println!(
        "agreement-{}: {} sessions, {calls} calls",
        version_tag(version),
        sessions.len()
    );
}

#[test]
fn data_model_tables_are_current() {
    for version in [Version::Scorm12, Version::Scorm2004] {
        let model = data_model_json(version);
        assert!(model["elements"]["cmi._version"]["default"].is_string());
        let text = serde_json::to_string_pretty(&model).unwrap() + "\n";
        bless_or_compare(&format!("model-{}.json", version_tag(version)), &text);
    }
}

#[test]
fn scorm12_agreement_corpus_is_current() {
    let sessions = generated_sessions(Version::Scorm12);
    report(Version::Scorm12, &sessions);
    bless_or_compare(
        "agreement-12.json",
        &corpus_file(Version::Scorm12, &sessions),
    );
}

#[test]
fn scorm2004_agreement_corpus_is_current() {
    let mut sessions = generated_sessions(Version::Scorm2004);
    let generated: usize = sessions.iter().map(|(_, n)| n).sum();
    let Some(shared) = harness::shared_dir() else {
        return;
    };
    let (_, suite) = harness::adl::run_suite(&shared);
    for session in &suite.sessions {
        sessions.push(replay(&session.label, &session.start, &session.calls));
    }
    let adl: usize = sessions.iter().map(|(_, n)| n).sum::<usize>() - generated;
    println!("ADL steps replayed: {adl}");
    assert!(adl > 11_000, "every ADL API step is in the corpus");
    report(Version::Scorm2004, &sessions);
    bless_or_compare(
        "agreement-2004.json",
        &corpus_file(Version::Scorm2004, &sessions),
    );
}

#[test]
fn a_launch_gives_the_adapter_every_readable_value_and_restricted_access() {
    let (_, launch) = launches(Version::Scorm2004).remove(1);
    let runtime = Runtime::new(Version::Scorm2004, launch, Mode::Strict);
    let start = adapter_launch(&runtime);
    let value = |name: &str| start.values.get(name).map(String::as_str);
    assert_eq!(value("cmi.learner_id"), Some("learner-1"));
    assert_eq!(value("cmi.entry"), Some("ab-initio"));
    assert_eq!(value("cmi.completion_threshold"), Some("0.75"));
    assert_eq!(value("cmi.objectives._count"), Some("2"));
    assert_eq!(value("cmi.objectives.1.id"), Some("obj-2"));
    assert_eq!(value("adl.data._count"), Some("4"));
    assert_eq!(value("adl.data.0.store"), Some("stored"));
    assert_eq!(value("adl.nav.request_valid.previous"), Some("false"));
    // Write-only and unset elements are not there: the adapter answers them itself.
    assert_eq!(value("cmi.exit"), None);
    assert_eq!(value("cmi.location"), None);
    let access: Vec<(&str, &str)> = start
        .access
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        access,
        [
            ("adl.data.1.store", "ro"),
            ("adl.data.2.store", "wo"),
            ("adl.data.3.store", "none")
        ]
    );
}
