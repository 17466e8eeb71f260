//! The SCORM 2004 4th Edition data model (`cmi._version` 1.0) and `adl.*` elements.

use std::sync::LazyLock;

use super::schema::{Access, ArrayRule, Schema, ValueType};

use Access::{ReadOnly as RO, ReadWrite as RW, WriteOnly as WO};
use ValueType::*;

/// `cmi.completion_status` vocabulary.
pub(crate) const COMPLETION: &[&str] = &["completed", "incomplete", "not attempted", "unknown"];
/// `cmi.success_status` vocabulary.
pub(crate) const SUCCESS: &[&str] = &["passed", "failed", "unknown"];
const EXIT: &[&str] = &["time-out", "suspend", "logout", "normal", ""];
const INTERACTION_TYPES: &[&str] = &[
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "likert",
    "matching",
    "performance",
    "sequencing",
    "numeric",
    "other",
];
const NEG_ONE_TO_ONE: ValueType = Real(Some(-1.0), Some(1.0));
const ZERO_TO_ONE: ValueType = Real(Some(0.0), Some(1.0));
const ANY_REAL: ValueType = Real(None, None);

const ELEMENTS: &[(&str, Access, ValueType)] = &[
    ("cmi._version", RO, Text(10)),
    ("cmi.comments_from_learner.n.comment", RW, Localized(4000)),
    ("cmi.comments_from_learner.n.location", RW, Text(250)),
    ("cmi.comments_from_learner.n.timestamp", RW, DateTime),
    ("cmi.comments_from_lms.n.comment", RO, Localized(4000)),
    ("cmi.comments_from_lms.n.location", RO, Text(250)),
    ("cmi.comments_from_lms.n.timestamp", RO, DateTime),
    ("cmi.completion_status", RW, Vocab(COMPLETION)),
    ("cmi.completion_threshold", RO, ZERO_TO_ONE),
    ("cmi.credit", RO, Vocab(&["credit", "no-credit"])),
    ("cmi.entry", RO, Vocab(&["ab-initio", "resume", ""])),
    ("cmi.exit", WO, Vocab(EXIT)),
    ("cmi.interactions.n.id", RW, Identifier(4000)),
    ("cmi.interactions.n.type", RW, Vocab(INTERACTION_TYPES)),
    ("cmi.interactions.n.objectives.n.id", RW, Identifier(4000)),
    ("cmi.interactions.n.timestamp", RW, DateTime),
    (
        "cmi.interactions.n.correct_responses.n.pattern",
        RW,
        Pattern,
    ),
    ("cmi.interactions.n.weighting", RW, ANY_REAL),
    ("cmi.interactions.n.learner_response", RW, Response),
    ("cmi.interactions.n.result", RW, Result2004),
    ("cmi.interactions.n.latency", RW, Duration),
    ("cmi.interactions.n.description", RW, Localized(250)),
    ("cmi.launch_data", RO, Text(4000)),
    ("cmi.learner_id", RO, Identifier(4000)),
    ("cmi.learner_name", RO, Localized(250)),
    (
        "cmi.learner_preference.audio_level",
        RW,
        Real(Some(0.0), None),
    ),
    ("cmi.learner_preference.language", RW, Language),
    (
        "cmi.learner_preference.delivery_speed",
        RW,
        Real(Some(0.0), None),
    ),
    (
        "cmi.learner_preference.audio_captioning",
        RW,
        Vocab(&["-1", "0", "1"]),
    ),
    ("cmi.location", RW, Text(1000)),
    ("cmi.max_time_allowed", RO, Duration),
    ("cmi.mode", RO, Vocab(&["browse", "normal", "review"])),
    ("cmi.objectives.n.id", RW, Identifier(4000)),
    ("cmi.objectives.n.score.scaled", RW, NEG_ONE_TO_ONE),
    ("cmi.objectives.n.score.raw", RW, ANY_REAL),
    ("cmi.objectives.n.score.min", RW, ANY_REAL),
    ("cmi.objectives.n.score.max", RW, ANY_REAL),
    ("cmi.objectives.n.success_status", RW, Vocab(SUCCESS)),
    ("cmi.objectives.n.completion_status", RW, Vocab(COMPLETION)),
    ("cmi.objectives.n.progress_measure", RW, ZERO_TO_ONE),
    ("cmi.objectives.n.description", RW, Localized(250)),
    ("cmi.progress_measure", RW, ZERO_TO_ONE),
    ("cmi.scaled_passing_score", RO, NEG_ONE_TO_ONE),
    ("cmi.score.scaled", RW, NEG_ONE_TO_ONE),
    ("cmi.score.raw", RW, ANY_REAL),
    ("cmi.score.min", RW, ANY_REAL),
    ("cmi.score.max", RW, ANY_REAL),
    ("cmi.session_time", WO, Duration),
    ("cmi.success_status", RW, Vocab(SUCCESS)),
    ("cmi.suspend_data", RW, Text(64000)),
    (
        "cmi.time_limit_action",
        RO,
        Vocab(&[
            "exit,message",
            "continue,message",
            "exit,no message",
            "continue,no message",
        ]),
    ),
    ("cmi.total_time", RO, Duration),
    ("adl.nav.request", RW, NavRequest),
    ("adl.data.n.id", RO, Identifier(4000)),
    ("adl.data.n.store", RW, Text(64000)),
];

const fn array(spm: usize, key: Option<&'static str>) -> Option<ArrayRule> {
    Some(ArrayRule { spm, key })
}

const CONTAINERS: &[(&str, &str, Option<ArrayRule>)] = &[
    (
        "cmi.comments_from_learner",
        "comment,location,timestamp",
        array(250, None),
    ),
    (
        "cmi.comments_from_lms",
        "comment,location,timestamp",
        array(100, None),
    ),
    (
        "cmi.interactions",
        "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
        array(250, Some("id")),
    ),
    ("cmi.interactions.n.objectives", "id", array(10, None)),
    (
        "cmi.interactions.n.correct_responses",
        "pattern",
        array(250, None),
    ),
    (
        "cmi.learner_preference",
        "audio_level,language,delivery_speed,audio_captioning",
        None,
    ),
    (
        "cmi.objectives",
        "id,score,success_status,completion_status,progress_measure,description",
        array(100, Some("id")),
    ),
    ("cmi.objectives.n.score", "scaled,raw,min,max", None),
    ("cmi.score", "scaled,raw,min,max", None),
    ("adl.data", "id,store", array(0, None)),
];

/// The 2004 schema, built once.
pub(crate) static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::new(ELEMENTS, CONTAINERS));

/// Defaults of read/write elements a SCO reads before writing them.
pub(crate) fn default_value(pattern: &str) -> Option<&'static str> {
    Some(match pattern {
        "cmi._version" => "1.0",
        "cmi.completion_status" | "cmi.success_status" => "unknown",
        "cmi.objectives.n.success_status" | "cmi.objectives.n.completion_status" => "unknown",
        "cmi.learner_preference.audio_level" | "cmi.learner_preference.delivery_speed" => "1",
        "cmi.learner_preference.language" => "",
        "cmi.learner_preference.audio_captioning" => "0",
        "cmi.time_limit_action" => "continue,no message",
        "adl.nav.request" => "_none_",
        _ => return None,
    })
}

/// Checks an `adl.nav.request` value: a request word, or `{target=ID}choice|jump`.
pub(crate) fn is_nav_request(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "continue",
        "previous",
        "exit",
        "exitAll",
        "abandon",
        "abandonAll",
        "suspendAll",
        "_none_",
    ];
    if WORDS.contains(&value) {
        return true;
    }
    nav_target(value).is_some()
}

/// The target of a `{target=ID}choice` / `{target=ID}jump` request.
pub(crate) fn nav_target(value: &str) -> Option<&str> {
    let rest = value.strip_prefix("{target=")?;
    let (target, request) = rest.split_once('}')?;
    let valid = (request == "choice" || request == "jump")
        && super::types::check_identifier(target, 4000).is_ok();
    valid.then_some(target)
}

/// Correct-response count limits per interaction type (4th Ed. RTE table 4.2.9.1a).
pub(crate) fn max_correct_responses(interaction_type: &str) -> usize {
    match interaction_type {
        "true-false" | "likert" | "numeric" | "other" => 1,
        "long-fill-in" => 5,
        _ => 250,
    }
}
