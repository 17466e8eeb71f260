//! The SCORM 1.2 data model (`cmi._version` 3.4).

use std::sync::LazyLock;

use super::schema::{Access, ArrayRule, Schema, ValueType};

use Access::{ReadOnly as RO, ReadWrite as RW, WriteOnly as WO};
use ValueType::*;

/// Every `lesson_status` / objective `status` value.
pub(crate) const STATUS: &[&str] = &[
    "passed",
    "completed",
    "failed",
    "incomplete",
    "browsed",
    "not attempted",
];
const INTERACTION_TYPES: &[&str] = &[
    "true-false",
    "choice",
    "fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
];

const ELEMENTS: &[(&str, Access, ValueType)] = &[
    ("cmi._version", RO, Text(10)),
    ("cmi.core.student_id", RO, Id12),
    ("cmi.core.student_name", RO, Text(255)),
    ("cmi.core.lesson_location", RW, Text(255)),
    ("cmi.core.credit", RO, Vocab(&["credit", "no-credit"])),
    ("cmi.core.lesson_status", RW, LessonStatus12),
    ("cmi.core.entry", RO, Vocab(&["ab-initio", "resume", ""])),
    ("cmi.core.score.raw", RW, Score12),
    ("cmi.core.score.min", RW, Score12),
    ("cmi.core.score.max", RW, Score12),
    ("cmi.core.total_time", RO, Timespan12),
    (
        "cmi.core.lesson_mode",
        RO,
        Vocab(&["browse", "normal", "review"]),
    ),
    (
        "cmi.core.exit",
        WO,
        Vocab(&["time-out", "suspend", "logout", ""]),
    ),
    ("cmi.core.session_time", WO, Timespan12),
    ("cmi.suspend_data", RW, Text(4096)),
    ("cmi.launch_data", RO, Text(4096)),
    ("cmi.comments", RW, Text(4096)),
    ("cmi.comments_from_lms", RO, Text(4096)),
    ("cmi.objectives.n.id", RW, Id12),
    ("cmi.objectives.n.score.raw", RW, Score12),
    ("cmi.objectives.n.score.min", RW, Score12),
    ("cmi.objectives.n.score.max", RW, Score12),
    ("cmi.objectives.n.status", RW, Vocab(STATUS)),
    ("cmi.student_data.mastery_score", RO, Score12),
    ("cmi.student_data.max_time_allowed", RO, Timespan12),
    (
        "cmi.student_data.time_limit_action",
        RO,
        Vocab(&[
            "exit,message",
            "exit,no message",
            "continue,message",
            "continue,no message",
        ]),
    ),
    ("cmi.student_preference.audio", RW, Integer12(-1, 100)),
    ("cmi.student_preference.language", RW, Text(255)),
    ("cmi.student_preference.speed", RW, Integer12(-100, 100)),
    ("cmi.student_preference.text", RW, Integer12(-1, 1)),
    ("cmi.interactions.n.id", WO, Id12),
    ("cmi.interactions.n.objectives.n.id", WO, Id12),
    ("cmi.interactions.n.time", WO, Time12),
    ("cmi.interactions.n.type", WO, Vocab(INTERACTION_TYPES)),
    (
        "cmi.interactions.n.correct_responses.n.pattern",
        WO,
        Text(255),
    ),
    ("cmi.interactions.n.weighting", WO, Decimal12),
    ("cmi.interactions.n.student_response", WO, Text(255)),
    ("cmi.interactions.n.result", WO, Result12),
    ("cmi.interactions.n.latency", WO, Timespan12),
];

const fn array(spm: usize) -> Option<ArrayRule> {
    Some(ArrayRule { spm, key: None })
}

const CONTAINERS: &[(&str, &str, Option<ArrayRule>)] = &[
    (
        "cmi",
        "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
        None,
    ),
    (
        "cmi.core",
        "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
        None,
    ),
    ("cmi.core.score", "raw,min,max", None),
    ("cmi.objectives", "id,score,status", array(100)),
    ("cmi.objectives.n.score", "raw,min,max", None),
    (
        "cmi.student_data",
        "mastery_score,max_time_allowed,time_limit_action",
        None,
    ),
    ("cmi.student_preference", "audio,language,speed,text", None),
    (
        "cmi.interactions",
        "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
        array(250),
    ),
    ("cmi.interactions.n.objectives", "id", array(10)),
    (
        "cmi.interactions.n.correct_responses",
        "pattern",
        array(250),
    ),
];

/// The 1.2 schema, built once.
pub(crate) static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::new(ELEMENTS, CONTAINERS));

/// Defaults of read/write elements a SCO reads before writing them.
pub(crate) fn default_value(pattern: &str) -> Option<&'static str> {
    Some(match pattern {
        "cmi._version" => "3.4",
        "cmi.core.lesson_status" | "cmi.objectives.n.status" => "not attempted",
        "cmi.student_preference.audio"
        | "cmi.student_preference.speed"
        | "cmi.student_preference.text" => "0",
        _ => return None,
    })
}

/// The 1.2 interaction result vocabulary (a decimal is also accepted).
pub(crate) const RESULTS: &[&str] = &["correct", "wrong", "unanticipated", "neutral"];
