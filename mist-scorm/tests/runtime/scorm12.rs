//! SCORM 1.2 (`cmi._version` 3.4): every element, type, vocabulary and error code,
//! table-driven, including the probes of scorm-again's 1.2 coverage notes (P1–P6).

use mist_scorm::runtime::{
    Completion, Credit, LaunchData, Leniency, LmsComment, Mode, Runtime, Success, Version,
};

use super::{Call, Expect, Step, run_step};

fn launch() -> LaunchData {
    LaunchData {
        learner_id: "student-1".into(),
        learner_name: "Doe, Jane".into(),
        launch_data: Some("chapter=2".into()),
        mastery_score: Some(80.0),
        max_time_allowed: Some("00:30:00".into()),
        time_limit_action: Some("exit,message".into()),
        comments_from_lms: vec![LmsComment {
            comment: "Welcome".into(),
            ..LmsComment::default()
        }],
        ..LaunchData::default()
    }
}

/// `(method, element, value, expected return, expected error)`; `G` GetValue,
/// `S` SetValue. A value `x*N` stands for N characters.
const TABLE: &[(&str, &str, &str, &str, &str)] = &[
    ("G", "cmi._version", "", "3.4", "0"),
    ("S", "cmi._version", "4", "false", "402"),
    (
        "G",
        "cmi._children",
        "",
        "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
        "0",
    ),
    (
        "G",
        "cmi.core._children",
        "",
        "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
        "0",
    ),
    ("S", "cmi.core._children", "x", "false", "402"),
    ("G", "cmi.core.score._children", "", "raw,min,max", "0"),
    ("G", "cmi.core._count", "", "", "203"),
    ("G", "cmi.core.student_id._children", "", "", "202"),
    ("G", "cmi.core.student_id", "", "student-1", "0"),
    ("S", "cmi.core.student_id", "other", "false", "403"),
    ("G", "cmi.core.student_name", "", "Doe, Jane", "0"),
    ("S", "cmi.core.student_name", "x", "false", "403"),
    ("G", "cmi.core.lesson_location", "", "", "0"),
    ("S", "cmi.core.lesson_location", "page-2", "true", "0"),
    ("G", "cmi.core.lesson_location", "", "page-2", "0"),
    ("S", "cmi.core.lesson_location", "x*256", "false", "405"),
    ("G", "cmi.core.credit", "", "credit", "0"),
    ("S", "cmi.core.credit", "no-credit", "false", "403"),
    ("G", "cmi.core.lesson_status", "", "not attempted", "0"),
    (
        "S",
        "cmi.core.lesson_status",
        "not attempted",
        "false",
        "405",
    ),
    ("S", "cmi.core.lesson_status", "Passed", "false", "405"),
    ("S", "cmi.core.lesson_status", "complete", "false", "405"),
    ("S", "cmi.core.lesson_status", "browsed", "true", "0"),
    ("S", "cmi.core.lesson_status", "incomplete", "true", "0"),
    ("G", "cmi.core.lesson_status", "", "incomplete", "0"),
    ("G", "cmi.core.entry", "", "ab-initio", "0"),
    ("S", "cmi.core.entry", "resume", "false", "403"),
    ("S", "cmi.core.score.raw", "85", "true", "0"),
    ("S", "cmi.core.score.raw", "150", "false", "405"),
    ("S", "cmi.core.score.raw", "-1", "false", "405"),
    ("S", "cmi.core.score.raw", "abc", "false", "405"),
    ("S", "cmi.core.score.raw", "100", "true", "0"),
    ("S", "cmi.core.score.raw", "", "true", "0"),
    ("S", "cmi.core.score.raw", "0", "true", "0"),
    ("S", "cmi.core.score.min", "0", "true", "0"),
    ("S", "cmi.core.score.max", "100", "true", "0"),
    ("G", "cmi.core.score.max", "", "100", "0"),
    ("G", "cmi.core.total_time", "", "0000:00:00.00", "0"),
    ("S", "cmi.core.total_time", "00:01:00", "false", "403"),
    ("G", "cmi.core.lesson_mode", "", "normal", "0"),
    ("S", "cmi.core.lesson_mode", "browse", "false", "403"),
    ("S", "cmi.core.exit", "suspend", "true", "0"),
    ("S", "cmi.core.exit", "normal", "false", "405"),
    ("G", "cmi.core.exit", "", "", "404"),
    ("S", "cmi.core.session_time", "00:30:00", "true", "0"),
    ("S", "cmi.core.session_time", "0000:00:01.5", "true", "0"),
    ("S", "cmi.core.session_time", "30 minutes", "false", "405"),
    ("S", "cmi.core.session_time", "99:99:99", "false", "405"),
    ("G", "cmi.core.session_time", "", "", "404"),
    ("G", "cmi.core.bogus", "", "", "201"),
    ("S", "cmi.bogus.x", "1", "false", "401"),
    ("G", "cmi.suspend_data", "", "", "0"),
    ("S", "cmi.suspend_data", "x*4096", "true", "0"),
    ("S", "cmi.suspend_data", "x*4097", "false", "405"),
    ("G", "cmi.launch_data", "", "chapter=2", "0"),
    ("S", "cmi.launch_data", "x", "false", "403"),
    ("S", "cmi.comments", "Nice", "true", "0"),
    ("G", "cmi.comments", "", "Nice", "0"),
    ("G", "cmi.comments_from_lms", "", "Welcome", "0"),
    ("S", "cmi.comments_from_lms", "x", "false", "403"),
    (
        "G",
        "cmi.student_data._children",
        "",
        "mastery_score,max_time_allowed,time_limit_action",
        "0",
    ),
    ("G", "cmi.student_data.mastery_score", "", "80", "0"),
    ("S", "cmi.student_data.mastery_score", "90", "false", "403"),
    (
        "G",
        "cmi.student_data.max_time_allowed",
        "",
        "00:30:00",
        "0",
    ),
    (
        "G",
        "cmi.student_data.time_limit_action",
        "",
        "exit,message",
        "0",
    ),
    (
        "S",
        "cmi.student_data.time_limit_action",
        "continue,message",
        "false",
        "403",
    ),
    (
        "G",
        "cmi.student_preference._children",
        "",
        "audio,language,speed,text",
        "0",
    ),
    ("G", "cmi.student_preference.audio", "", "0", "0"),
    ("S", "cmi.student_preference.audio", "-1", "true", "0"),
    ("S", "cmi.student_preference.audio", "101", "false", "405"),
    ("S", "cmi.student_preference.language", "fr", "true", "0"),
    ("S", "cmi.student_preference.speed", "-100", "true", "0"),
    ("S", "cmi.student_preference.speed", "101", "false", "405"),
    ("S", "cmi.student_preference.text", "1", "true", "0"),
    ("S", "cmi.student_preference.text", "2", "false", "405"),
    ("G", "cmi.objectives._children", "", "id,score,status", "0"),
    ("G", "cmi.objectives._count", "", "0", "0"),
    ("S", "cmi.objectives._count", "1", "false", "402"),
    ("S", "cmi.objectives.1.id", "obj-2", "false", "201"),
    ("S", "cmi.objectives.0.id", "obj 1", "false", "405"),
    ("S", "cmi.objectives.0.id", "", "false", "405"),
    ("S", "cmi.objectives.0.id", "obj-1", "true", "0"),
    ("G", "cmi.objectives._count", "", "1", "0"),
    ("S", "cmi.objectives.0.score.raw", "150", "false", "405"),
    ("S", "cmi.objectives.0.score.raw", "50", "true", "0"),
    (
        "G",
        "cmi.objectives.0.score._children",
        "",
        "raw,min,max",
        "0",
    ),
    ("S", "cmi.objectives.0.status", "not attempted", "true", "0"),
    ("S", "cmi.objectives.0.status", "done", "false", "405"),
    ("G", "cmi.objectives.0.status", "", "not attempted", "0"),
    ("G", "cmi.objectives.5.id", "", "", "201"),
    (
        "G",
        "cmi.interactions._children",
        "",
        "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
        "0",
    ),
    ("G", "cmi.interactions._count", "", "0", "0"),
    ("S", "cmi.interactions.0.id", "q1", "true", "0"),
    ("G", "cmi.interactions.0.id", "", "", "404"),
    (
        "S",
        "cmi.interactions.0.objectives.0.id",
        "obj-1",
        "true",
        "0",
    ),
    ("G", "cmi.interactions.0.objectives._count", "", "1", "0"),
    ("S", "cmi.interactions.0.time", "13:45:00", "true", "0"),
    ("S", "cmi.interactions.0.time", "24:00:00", "false", "405"),
    ("S", "cmi.interactions.0.type", "choice", "true", "0"),
    (
        "S",
        "cmi.interactions.0.type",
        "long-fill-in",
        "false",
        "405",
    ),
    (
        "S",
        "cmi.interactions.0.correct_responses.0.pattern",
        "a",
        "true",
        "0",
    ),
    (
        "G",
        "cmi.interactions.0.correct_responses._count",
        "",
        "1",
        "0",
    ),
    ("S", "cmi.interactions.0.weighting", "-2.5", "true", "0"),
    ("S", "cmi.interactions.0.weighting", "heavy", "false", "405"),
    ("S", "cmi.interactions.0.student_response", "a", "true", "0"),
    ("S", "cmi.interactions.0.result", "wrong", "true", "0"),
    (
        "S",
        "cmi.interactions.0.result",
        "incorrect",
        "false",
        "405",
    ),
    ("S", "cmi.interactions.0.result", "0.5", "true", "0"),
    ("S", "cmi.interactions.0.latency", "00:00:05", "true", "0"),
    ("S", "cmi.interactions.0.latency", "5s", "false", "405"),
    ("G", "cmi.interactions._count", "", "1", "0"),
    ("S", "", "x", "false", "201"),
    ("G", "", "", "", "201"),
];

fn table_step(&(method, element, value, expected, error): &(&str, &str, &str, &str, &str)) -> Step {
    let value = match value.strip_prefix("x*").and_then(|n| n.parse().ok()) {
        Some(length) => "x".repeat(length),
        None => value.to_owned(),
    };
    let call = if method == "G" {
        Call::Get(element.into())
    } else {
        Call::Set(element.into(), value)
    };
    Step {
        call,
        expect: Expect::Exact(expected.into()),
        error: error.into(),
    }
}

#[test]
fn scorm12_elements_types_vocabularies_and_codes() {
    let mut api = Runtime::new(Version::Scorm12, launch(), Mode::Strict);
    assert!(!api.set_value("cmi.core.lesson_location", "x"));
    assert_eq!(api.get_last_error(), "301", "SetValue before LMSInitialize");
    assert!(api.initialize(""));
    assert!(!api.initialize(""));
    assert_eq!(api.get_last_error(), "101", "second LMSInitialize");
    let failures: Vec<String> = TABLE
        .iter()
        .filter_map(|row| {
            run_step(&mut api, &table_step(row))
                .err()
                .map(|e| format!("{row:?}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(api.terminate(""));
    assert!(!api.commit(""));
    assert_eq!(api.get_last_error(), "101", "LMSCommit after LMSFinish");
    assert_eq!(api.get_error_string("405"), "Incorrect data type");
    assert_eq!(
        api.get_error_string("407"),
        "",
        "407 is not a SCORM 1.2 code"
    );
}

#[test]
fn scorm12_mastery_score_decides_passed_or_failed_with_credit() {
    let mut api = Runtime::new(Version::Scorm12, launch(), Mode::Strict);
    api.initialize("");
    api.set_value("cmi.core.lesson_status", "completed");
    api.set_value("cmi.core.score.raw", "79");
    let evaluation = api.evaluate();
    assert_eq!(
        (evaluation.completion, evaluation.success),
        (Completion::Completed, Success::Failed)
    );
    assert!(
        evaluation.explanation[0].contains("mastery score 80"),
        "{:?}",
        evaluation.explanation
    );
    api.terminate("");
    assert_eq!(
        api.state()
            .values
            .get("cmi.core.lesson_status")
            .map(String::as_str),
        Some("failed")
    );

    let no_credit = LaunchData {
        credit: Credit::NoCredit,
        ..launch()
    };
    let mut api = Runtime::new(Version::Scorm12, no_credit, Mode::Strict);
    api.initialize("");
    api.set_value("cmi.core.lesson_status", "completed");
    api.set_value("cmi.core.score.raw", "95");
    assert_eq!(
        api.evaluate().success,
        Success::Unknown,
        "no credit: the SCO's status stands"
    );
}

#[test]
fn scorm12_sessions_resume_accumulate_and_finish() {
    let mut api = Runtime::new(Version::Scorm12, launch(), Mode::Strict);
    api.initialize("");
    api.set_value("cmi.core.session_time", "00:10:00");
    api.set_value("cmi.core.exit", "suspend");
    api.set_value("cmi.suspend_data", "p=3");
    api.terminate("");
    let mut next = Runtime::resume(
        Version::Scorm12,
        launch(),
        Mode::Strict,
        api.state().clone(),
    );
    next.initialize("");
    assert_eq!(next.get_value("cmi.core.entry"), "resume");
    assert_eq!(next.get_value("cmi.suspend_data"), "p=3");
    assert_eq!(next.get_value("cmi.core.total_time"), "0000:10:00.00");
    next.set_value("cmi.core.session_time", "0001:00:00.5");
    next.terminate("");
    assert_eq!(next.state().total_time_cs, 70 * 60 * 100 + 50);
    // No status set and no score: finishing marks the lesson completed.
    assert_eq!(
        next.state()
            .values
            .get("cmi.core.lesson_status")
            .map(String::as_str),
        Some("completed")
    );
    let third = Runtime::resume(
        Version::Scorm12,
        launch(),
        Mode::Strict,
        next.state().clone(),
    );
    assert_eq!(
        third.entry().as_str(),
        "ab-initio",
        "a completed attempt is over"
    );
}

#[test]
fn scorm12_compatible_mode_accepts_long_suspend_data_with_a_warning() {
    let mode = Mode::Compatible(Leniency {
        suspend_data_limit: 10_000,
        ..Leniency::default()
    });
    let mut api = Runtime::new(Version::Scorm12, launch(), mode);
    api.initialize("");
    assert!(api.set_value("cmi.suspend_data", &"x".repeat(9_000)));
    assert_eq!(api.warnings().len(), 1);
    assert!(!api.set_value("cmi.suspend_data", &"x".repeat(10_001)));
    assert!(
        api.set_value("cmi.core.session_time", "100000:00:00"),
        "any hour digits"
    );
    let mut strict = Runtime::new(Version::Scorm12, launch(), Mode::Strict);
    strict.initialize("");
    assert!(!strict.set_value("cmi.suspend_data", &"x".repeat(9_000)));
}
