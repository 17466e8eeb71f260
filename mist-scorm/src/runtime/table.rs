//! The data model as data, for the browser adapter (`mist-scorm/adapter`): the
//! element and container tables, value types with their parameters, defaults, error
//! codes and texts, and what each launch gives the adapter to start from.
//!
//! The adapter interprets this JSON and answers every API call in the browser as
//! [`Runtime`] answers it; the agreement test (`tests/adapter.rs`) replays the same
//! calls on both sides.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::error::{Fault, error_string};
use super::lang::is_language;
use super::model::SESSION_ONLY;
use super::schema::{Access, Schema, ValueType, concrete};
use super::{ApiState, Runtime, Version, cmi12, cmi2004, hooks};

/// Every fault, so the table names each one (the match in [`fault_name`] keeps
/// this list complete: a new variant does not compile until it is named there).
const FAULTS: &[Fault] = &[
    Fault::General,
    Fault::AlreadyInitialized,
    Fault::InstanceTerminated,
    Fault::TerminateBeforeInit,
    Fault::TerminateAfterTerminate,
    Fault::GetBeforeInit,
    Fault::GetAfterTerminate,
    Fault::SetBeforeInit,
    Fault::SetAfterTerminate,
    Fault::CommitBeforeInit,
    Fault::CommitAfterTerminate,
    Fault::InvalidArgument,
    Fault::GetFailure,
    Fault::SetFailure,
    Fault::SpmExceeded,
    Fault::Undefined,
    Fault::UndefinedLeaf,
    Fault::NotInitialized,
    Fault::ReadOnly,
    Fault::Keyword,
    Fault::WriteOnly,
    Fault::NoChildren,
    Fault::NoCount,
    Fault::TypeMismatch,
    Fault::OutOfRange,
    Fault::Dependency,
];

/// The name the adapter uses for a fault (the Rust variant name).
fn fault_name(fault: Fault) -> &'static str {
    match fault {
        Fault::General => "General",
        Fault::AlreadyInitialized => "AlreadyInitialized",
        Fault::InstanceTerminated => "InstanceTerminated",
        Fault::TerminateBeforeInit => "TerminateBeforeInit",
        Fault::TerminateAfterTerminate => "TerminateAfterTerminate",
        Fault::GetBeforeInit => "GetBeforeInit",
        Fault::GetAfterTerminate => "GetAfterTerminate",
        Fault::SetBeforeInit => "SetBeforeInit",
        Fault::SetAfterTerminate => "SetAfterTerminate",
        Fault::CommitBeforeInit => "CommitBeforeInit",
        Fault::CommitAfterTerminate => "CommitAfterTerminate",
        Fault::InvalidArgument => "InvalidArgument",
        Fault::GetFailure => "GetFailure",
        Fault::SetFailure => "SetFailure",
        Fault::SpmExceeded => "SpmExceeded",
        Fault::Undefined => "Undefined",
        Fault::UndefinedLeaf => "UndefinedLeaf",
        Fault::NotInitialized => "NotInitialized",
        Fault::ReadOnly => "ReadOnly",
        Fault::Keyword => "Keyword",
        Fault::WriteOnly => "WriteOnly",
        Fault::NoChildren => "NoChildren",
        Fault::NoCount => "NoCount",
        Fault::TypeMismatch => "TypeMismatch",
        Fault::OutOfRange => "OutOfRange",
        Fault::Dependency => "Dependency",
    }
}

fn access_word(access: Access) -> &'static str {
    match access {
        Access::ReadOnly => "ro",
        Access::WriteOnly => "wo",
        Access::ReadWrite => "rw",
    }
}

/// A value type as `{"kind": .., parameters..}`.
fn type_json(ty: ValueType) -> Value {
    match ty {
        ValueType::Text(spm) => json!({"kind": "text", "spm": spm}),
        ValueType::Localized(spm) => json!({"kind": "localized", "spm": spm}),
        ValueType::Identifier(spm) => json!({"kind": "identifier", "spm": spm}),
        ValueType::Vocab(words) => json!({"kind": "vocab", "words": words}),
        ValueType::Real(min, max) => json!({"kind": "real", "min": min, "max": max}),
        ValueType::Duration => json!({"kind": "duration"}),
        ValueType::DateTime => json!({"kind": "dateTime"}),
        ValueType::Language => json!({"kind": "language"}),
        ValueType::NavRequest => json!({"kind": "navRequest"}),
        ValueType::Pattern => json!({"kind": "pattern"}),
        ValueType::Response => json!({"kind": "response"}),
        ValueType::Result2004 => json!({"kind": "result2004"}),
        ValueType::Id12 => json!({"kind": "id12"}),
        ValueType::Score12 => json!({"kind": "score12", "min": 0.0, "max": 100.0}),
        ValueType::Decimal12 => json!({"kind": "decimal12"}),
        ValueType::Integer12(min, max) => json!({"kind": "integer12", "min": min, "max": max}),
        ValueType::Timespan12 => json!({"kind": "timespan12"}),
        ValueType::Time12 => json!({"kind": "time12"}),
        ValueType::LessonStatus12 => {
            let words: Vec<&str> = cmi12::STATUS
                .iter()
                .copied()
                .filter(|w| *w != "not attempted")
                .collect();
            json!({"kind": "vocab", "words": words})
        }
        ValueType::Result12 => json!({"kind": "result12", "words": cmi12::RESULTS}),
    }
}

fn schema_of(version: Version) -> &'static Schema {
    match version {
        Version::Scorm12 => &cmi12::SCHEMA,
        Version::Scorm2004 => &cmi2004::SCHEMA,
    }
}

fn default_of(version: Version, pattern: &str) -> Option<&'static str> {
    match version {
        Version::Scorm12 => cmi12::default_value(pattern),
        Version::Scorm2004 => cmi2004::default_value(pattern),
    }
}

/// Language codes as the validator accepts them, found by asking it: every two- and
/// three-letter primary tag, and every two-letter country after a valid primary tag.
fn language_json() -> Value {
    let letters = || b'a'..=b'z';
    let pairs: Vec<String> = letters()
        .flat_map(|a| letters().map(move |b| String::from_utf8_lossy(&[a, b]).into_owned()))
        .collect();
    let triples: Vec<String> = pairs
        .iter()
        .flat_map(|p| letters().map(move |c| format!("{p}{}", char::from(c))))
        .collect();
    let primary2: Vec<&String> = pairs.iter().filter(|p| is_language(p)).collect();
    let primary3: Vec<&String> = triples.iter().filter(|p| is_language(p)).collect();
    let countries: Vec<&String> = pairs
        .iter()
        .filter(|c| is_language(&format!("fr-{c}")))
        .collect();
    json!({"primary2": primary2, "primary3": primary3, "countries": countries})
}

/// The data model of `version` as JSON, for the browser adapter to interpret.
pub fn data_model_json(version: Version) -> Value {
    let schema = schema_of(version);
    let elements: BTreeMap<&str, Value> = schema
        .elements
        .iter()
        .map(|(pattern, (access, ty))| {
            let mut element = json!({"access": access_word(*access), "type": type_json(*ty)});
            if let Some(default) = default_of(version, pattern) {
                element["default"] = json!(default);
            }
            (*pattern, element)
        })
        .collect();
    let containers: BTreeMap<&str, Value> = schema
        .containers
        .iter()
        .map(|(pattern, container)| {
            let array = container.array.map(
                |a| json!({"spm": a.spm, "key": a.key, "launch": hooks::is_launch_array(pattern)}),
            );
            (
                *pattern,
                json!({"children": container.children, "array": array}),
            )
        })
        .collect();
    let faults: BTreeMap<&str, Value> = FAULTS
        .iter()
        .map(|f| {
            let entry = json!({"code": f.code(version), "message": f.to_string()});
            (fault_name(*f), entry)
        })
        .collect();
    let error_strings: BTreeMap<String, &str> = (0..1000)
        .map(|code| (code.to_string(), error_string(version, code)))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    let interaction_types: Vec<&str> = match schema.elements.get("cmi.interactions.n.type") {
        Some((_, ValueType::Vocab(words))) => words.to_vec(),
        _ => Vec::new(),
    };
    let max_correct: BTreeMap<&str, usize> = interaction_types
        .iter()
        .map(|kind| (*kind, cmi2004::max_correct_responses(kind)))
        .collect();
    json!({
        "version": match version { Version::Scorm12 => "1.2", Version::Scorm2004 => "2004" },
        "elements": elements,
        "containers": containers,
        // 1.2 reads an unset element as "", 2004 answers 403.
        "unsetReadsEmpty": version == Version::Scorm12,
        "sessionOnly": SESSION_ONLY,
        "faults": faults,
        "errorStrings": error_strings,
        "maxCorrectResponses": max_correct,
        "language": language_json(),
    })
}

/// What the adapter starts a launch from: every value `GetValue` would answer right
/// after `Initialize`, and the access of shared data buckets that differs from the
/// table's (`ro`, `wo` or `none`), by concrete element name.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct AdapterLaunch {
    /// Concrete element name → the value `GetValue` answers (array counts included).
    pub values: BTreeMap<String, String>,
    /// Concrete element name → `ro`, `wo` or `none` where a launch restricts access.
    pub access: BTreeMap<String, String>,
}

/// Every concrete name of `pattern` that exists in `runtime` (arrays expanded by
/// their counts).
fn concrete_names(runtime: &Runtime, pattern: &str) -> Vec<String> {
    let mut index_sets: Vec<Vec<usize>> = vec![Vec::new()];
    let segments: Vec<&str> = pattern.split('.').collect();
    for (at, segment) in segments.iter().enumerate() {
        if *segment != "n" {
            continue;
        }
        let level = segments[..at].join(".");
        index_sets = index_sets
            .into_iter()
            .flat_map(|outer| {
                (0..runtime.count(&level, &outer)).map(move |i| {
                    let mut indices = outer.clone();
                    indices.push(i);
                    indices
                })
            })
            .collect();
    }
    index_sets
        .iter()
        .map(|indices| concrete(pattern, indices))
        .collect()
}

/// The starting point of the browser adapter for this launch (see [`AdapterLaunch`]).
///
/// Call it on a runtime that is not yet initialized, as the LMS launches it.
pub fn adapter_launch(runtime: &Runtime) -> AdapterLaunch {
    let mut reader = runtime.clone();
    reader.api = ApiState::Running;
    let schema = reader.schema();
    let mut names: Vec<String> = Vec::new();
    for (pattern, (access, _)) in &schema.elements {
        if *access != Access::WriteOnly {
            names.extend(concrete_names(&reader, pattern));
        }
    }
    for (pattern, container) in &schema.containers {
        if container.array.is_some() {
            let outer = concrete_names(&reader, &format!("{pattern}._count"));
            names.extend(outer);
        }
    }
    let mut launch = AdapterLaunch::default();
    for name in names {
        if let Ok(value) = reader.dm_get(&name) {
            launch.values.insert(name, value.into_owned());
        }
    }
    for key in reader.launch.request_valid.keys() {
        let name = format!("adl.nav.request_valid.{key}");
        if let Some(Ok(value)) = hooks::special_name_get(&reader, &name) {
            launch.values.insert(name, value.into_owned());
        }
    }
    for (index, data) in reader.shared.iter().enumerate() {
        let access = match (data.readable, data.writable) {
            (true, true) => continue,
            (true, false) => "ro",
            (false, true) => "wo",
            (false, false) => "none",
        };
        launch
            .access
            .insert(format!("adl.data.{index}.store"), access.to_owned());
    }
    launch
}
