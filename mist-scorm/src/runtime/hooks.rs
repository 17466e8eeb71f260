//! Element-specific behaviour on top of the generic engine: launch-provided and
//! computed values, value validation, and the 2004 uniqueness/permission rules.

use std::borrow::Cow;

use super::error::Fault;
use super::lang::is_language;
use super::schema::{ParsedName, ValueType, concrete};
use super::state::{Credit, LessonMode};
use super::timespan::{
    format_cmi_timespan, format_iso, is_cmi_time, parse_cmi_timespan, parse_iso,
};
use super::types::{
    Check, check_identifier, check_localized, check_real, check_text, check_vocab, is_date_time,
    parse_real,
};
use super::{Mode, Runtime, Version, cmi12, cmi2004, interactions};

const REQUEST_VALID: &str = "adl.nav.request_valid.";

/// Arrays whose records come from the launch data instead of `SetValue`.
pub(crate) fn is_launch_array(pattern: &str) -> bool {
    pattern == "adl.data" || pattern == "cmi.comments_from_lms"
}

/// Record counts of launch-provided arrays.
pub(crate) fn launch_count(rt: &Runtime, pattern: &str) -> Option<usize> {
    match (rt.version, pattern) {
        (Version::Scorm2004, "adl.data") => Some(rt.shared.len()),
        (Version::Scorm2004, "cmi.comments_from_lms") => Some(rt.launch.comments_from_lms.len()),
        _ => None,
    }
}

/// `adl.nav.request_valid.*`, whose names embed `{target=..}` ids that may contain dots.
pub(crate) fn special_name_get<'a>(
    rt: &'a Runtime,
    element: &str,
) -> Option<Result<Cow<'a, str>, Fault>> {
    let request = element
        .strip_prefix(REQUEST_VALID)
        .filter(|_| rt.version == Version::Scorm2004)?;
    let known = matches!(request, "continue" | "previous")
        || ["choice.", "jump."]
            .iter()
            .any(|p| request.strip_prefix(p).is_some_and(is_target));
    if !known {
        return Some(Err(Fault::Undefined));
    }
    let answer = match rt.launch.request_valid.get(request) {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    };
    Some(Ok(Cow::Borrowed(answer)))
}

fn is_target(value: &str) -> bool {
    value
        .strip_prefix("{target=")
        .and_then(|v| v.strip_suffix('}'))
        .is_some_and(|id| check_identifier(id, 4000).is_ok())
}

/// `SetValue` on `adl.nav.request_valid.*` is a read-only violation.
pub(crate) fn special_name_set(rt: &Runtime, element: &str) -> Option<Fault> {
    let request = element
        .strip_prefix(REQUEST_VALID)
        .filter(|_| rt.version == Version::Scorm2004)?;
    Some(
        if special_name_get(rt, element).is_some_and(|r| r.is_ok()) || request.is_empty() {
            Fault::ReadOnly
        } else {
            Fault::Undefined
        },
    )
}

fn real_text(value: Option<f64>, version: Version) -> Result<Cow<'static, str>, Fault> {
    // 2004 keeps the decimal point ("1.0"), 1.2 scores read as written ("80").
    let number = value.ok_or(Fault::NotInitialized)?;
    Ok(Cow::Owned(match version {
        Version::Scorm2004 => format!("{number:?}"),
        Version::Scorm12 => format!("{number}"),
    }))
}

fn text(value: &str) -> Result<Cow<'_, str>, Fault> {
    Ok(Cow::Borrowed(value))
}

fn optional(value: Option<&String>) -> Result<Cow<'_, str>, Fault> {
    value
        .map(|v| Cow::Borrowed(v.as_str()))
        .ok_or(Fault::NotInitialized)
}

/// Values supplied by the launch or computed by the runtime.
pub(crate) fn read<'a>(rt: &'a Runtime, name: &ParsedName) -> Option<Result<Cow<'a, str>, Fault>> {
    let launch = &rt.launch;
    let credit = match launch.credit {
        Credit::Credit => "credit",
        Credit::NoCredit => "no-credit",
    };
    let mode = match launch.mode {
        LessonMode::Normal => "normal",
        LessonMode::Browse => "browse",
        LessonMode::Review => "review",
    };
    let index = name.indices.first().copied().unwrap_or(0);
    Some(match name.pattern.as_str() {
        "cmi.credit" | "cmi.core.credit" => text(credit),
        "cmi.mode" | "cmi.core.lesson_mode" => text(mode),
        "cmi.entry" | "cmi.core.entry" => text(rt.entry.as_str()),
        "cmi.learner_id" | "cmi.core.student_id" => text(&launch.learner_id),
        "cmi.learner_name" | "cmi.core.student_name" => text(&launch.learner_name),
        "cmi.launch_data" if rt.version == Version::Scorm12 => {
            text(launch.launch_data.as_deref().unwrap_or(""))
        }
        "cmi.launch_data" => optional(launch.launch_data.as_ref()),
        "cmi.max_time_allowed" => optional(launch.max_time_allowed.as_ref()),
        "cmi.student_data.max_time_allowed" => {
            text(launch.max_time_allowed.as_deref().unwrap_or(""))
        }
        "cmi.time_limit_action" => text(
            launch
                .time_limit_action
                .as_deref()
                .unwrap_or("continue,no message"),
        ),
        "cmi.student_data.time_limit_action" => {
            text(launch.time_limit_action.as_deref().unwrap_or(""))
        }
        "cmi.completion_threshold" => real_text(launch.completion_threshold, rt.version),
        "cmi.scaled_passing_score" => real_text(launch.scaled_passing_score, rt.version),
        "cmi.student_data.mastery_score" => {
            Ok(real_text(launch.mastery_score, rt.version).unwrap_or_default())
        }
        "cmi.total_time" => Ok(Cow::Owned(format_iso(rt.state.total_time_cs))),
        "cmi.core.total_time" => Ok(Cow::Owned(format_cmi_timespan(rt.state.total_time_cs))),
        "cmi.completion_status" => Ok(Cow::Borrowed(rt.evaluate().completion.as_str())),
        "cmi.success_status" => Ok(Cow::Borrowed(rt.evaluate().success.as_str())),
        "cmi.comments_from_lms" => text(
            launch
                .comments_from_lms
                .first()
                .map_or("", |c| c.comment.as_str()),
        ),
        "cmi.comments_from_lms.n.comment" => lms_comment(rt, index, |c| &c.comment),
        "cmi.comments_from_lms.n.location" => lms_comment(rt, index, |c| &c.location),
        "cmi.comments_from_lms.n.timestamp" => lms_comment(rt, index, |c| &c.timestamp),
        "adl.data.n.id" => text(rt.shared.get(index).map_or("", |d| d.id.as_str())),
        "adl.data.n.store" => match rt.shared.get(index) {
            Some(data) if !data.readable => Err(Fault::WriteOnly),
            // Storing "" empties a bucket.
            Some(data) => optional(data.value.as_ref().filter(|v| !v.is_empty())),
            None => Err(Fault::GetFailure),
        },
        _ => return None,
    })
}

fn lms_comment<'a>(
    rt: &'a Runtime,
    index: usize,
    field: impl Fn(&'a super::state::LmsComment) -> &'a String,
) -> Result<Cow<'a, str>, Fault> {
    let value = rt
        .launch
        .comments_from_lms
        .get(index)
        .map(field)
        .ok_or(Fault::GetFailure)?;
    if value.is_empty() {
        Err(Fault::NotInitialized)
    } else {
        text(value)
    }
}

/// Validates `value` for the element `name` (type, then element-specific rules).
pub(crate) fn validate(rt: &mut Runtime, name: &ParsedName, value: &str) -> Check {
    let Some((_, ty)) = rt.schema().elements.get(name.pattern.as_str()).copied() else {
        return Err(Fault::Undefined);
    };
    let interaction_type = match ty {
        ValueType::Pattern | ValueType::Response => Some(
            interaction_type(rt, name)
                .map(str::to_owned)
                .ok_or(Fault::Dependency)?,
        ),
        _ => None,
    };
    if rt.version == Version::Scorm2004 {
        check_limits_2004(rt, name, interaction_type.as_deref())?;
    }
    match check_type(rt, &name.pattern, ty, value, interaction_type.as_deref()) {
        // ADL's reference implementation stores an over-long value and only warns.
        Err(Fault::SpmExceeded) => {
            let length = value.chars().count();
            rt.warnings.push(format!(
                "{}: {length} characters exceed the smallest permitted maximum",
                name.pattern
            ));
        }
        other => other?,
    }
    if rt.version == Version::Scorm2004 {
        check_rules_2004(rt, name, value)?;
    }
    Ok(())
}

fn check_type(
    rt: &mut Runtime,
    pattern: &str,
    ty: ValueType,
    value: &str,
    interaction: Option<&str>,
) -> Check {
    let lenient = match &rt.mode {
        Mode::Strict => None,
        Mode::Compatible(leniency) => Some(*leniency),
    };
    let blank_or = |check: &dyn Fn() -> bool| {
        if value.is_empty() || check() {
            Ok(())
        } else {
            Err(Fault::TypeMismatch)
        }
    };
    match ty {
        ValueType::Text(max) if rt.version == Version::Scorm12 => {
            let limit = match (pattern, lenient) {
                ("cmi.suspend_data", Some(l)) => l.suspend_data_limit.max(max),
                _ => max,
            };
            let length = value.chars().count();
            if length > limit {
                return Err(Fault::TypeMismatch);
            }
            if length > max {
                rt.warnings.push(format!(
                    "{pattern}: {length} characters accepted beyond the standard {max}"
                ));
            }
            Ok(())
        }
        ValueType::Text(spm) => check_text(value, spm),
        ValueType::Localized(spm) => check_localized(value, spm),
        ValueType::Identifier(spm) => check_identifier(value, spm),
        ValueType::Vocab(words) => check_vocab(value, words),
        ValueType::Real(min, max) => check_real(value, min, max),
        ValueType::Duration => parse_iso(value).map(|_| ()).ok_or(Fault::TypeMismatch),
        ValueType::DateTime => {
            if is_date_time(value) {
                Ok(())
            } else {
                Err(Fault::TypeMismatch)
            }
        }
        ValueType::Language => blank_or(&|| is_language(value)),
        ValueType::NavRequest => {
            if cmi2004::is_nav_request(value) {
                Ok(())
            } else {
                Err(Fault::TypeMismatch)
            }
        }
        ValueType::Pattern => interactions::check_pattern(interaction.unwrap_or(""), value),
        ValueType::Response => interactions::check_response(interaction.unwrap_or(""), value),
        ValueType::Result2004 => {
            const RESULTS: &[&str] = &["correct", "incorrect", "unanticipated", "neutral"];
            if RESULTS.contains(&value) || parse_real(value).is_some() {
                Ok(())
            } else {
                Err(Fault::TypeMismatch)
            }
        }
        ValueType::Id12 => {
            let ok = !value.is_empty() && value.chars().count() <= 255 && !value.contains(' ');
            if ok { Ok(()) } else { Err(Fault::TypeMismatch) }
        }
        ValueType::Score12 => {
            blank_or(&|| parse_real(value).is_some_and(|n| (0.0..=100.0).contains(&n)))
        }
        ValueType::Decimal12 => blank_or(&|| parse_real(value).is_some()),
        ValueType::Integer12(min, max) => {
            let ok = value.parse::<i32>().is_ok_and(|n| (min..=max).contains(&n))
                && !value.starts_with('+');
            if ok { Ok(()) } else { Err(Fault::TypeMismatch) }
        }
        ValueType::Timespan12 => {
            let lenient_hours = lenient.is_some_and(|l| l.timespan_any_hour_digits);
            parse_cmi_timespan(value, lenient_hours)
                .map(|_| ())
                .ok_or(Fault::TypeMismatch)
        }
        ValueType::Time12 => {
            if is_cmi_time(value) {
                Ok(())
            } else {
                Err(Fault::TypeMismatch)
            }
        }
        ValueType::LessonStatus12 => {
            if value == "not attempted" {
                Err(Fault::TypeMismatch)
            } else {
                check_vocab(value, cmi12::STATUS)
            }
        }
        ValueType::Result12 => {
            let ok = cmi12::RESULTS.contains(&value) || parse_real(value).is_some();
            if ok { Ok(()) } else { Err(Fault::TypeMismatch) }
        }
    }
}

/// Checks made before the value: single-answer interaction types take one correct
/// response, and shared data must be writable.
fn check_limits_2004(rt: &Runtime, name: &ParsedName, interaction: Option<&str>) -> Check {
    let first = name.indices.first().copied().unwrap_or(0);
    match name.pattern.as_str() {
        "cmi.interactions.n.correct_responses.n.pattern" => {
            let index = name.indices.get(1).copied().unwrap_or(0);
            let limit = cmi2004::max_correct_responses(interaction.unwrap_or(""));
            if index >= limit {
                Err(Fault::SetFailure)
            } else {
                Ok(())
            }
        }
        "adl.data.n.store" => match rt.shared.get(first) {
            Some(data) if !data.writable => Err(Fault::ReadOnly),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Identity rules: objective ids are unique and write-once; an interaction's
/// objective ids, and a choice interaction's correct-response patterns, are unique.
fn check_rules_2004(rt: &Runtime, name: &ParsedName, value: &str) -> Check {
    let Some((array, field)) = name.pattern.rsplit_once(".n.") else {
        return Ok(());
    };
    let unique = match name.pattern.as_str() {
        "cmi.objectives.n.id" | "cmi.interactions.n.objectives.n.id" => true,
        "cmi.interactions.n.correct_responses.n.pattern" => {
            interaction_type(rt, name) == Some("choice")
        }
        _ => false,
    };
    if !unique {
        return Ok(());
    }
    let (own, outer) = name.indices.split_last().unwrap_or((&0, &[]));
    let current = rt.state.values.get(&concrete(&name.pattern, &name.indices));
    if name.pattern == "cmi.objectives.n.id" && current.is_some_and(|c| c != value) {
        return Err(Fault::SetFailure);
    }
    let taken = (0..rt.count(array, outer)).filter(|i| i != own).any(|i| {
        let mut indices = outer.to_vec();
        indices.push(i);
        let key = format!("{}.{field}", concrete(&format!("{array}.n"), &indices));
        rt.state
            .values
            .get(&key)
            .is_some_and(|other| other == value)
    });
    if taken {
        Err(Fault::SetFailure)
    } else {
        Ok(())
    }
}

/// The form in which a valid value is stored: 2004 responses drop default delimiters.
pub(crate) fn stored_form(rt: &Runtime, name: &ParsedName, value: &str) -> String {
    let is_response = matches!(
        name.pattern.as_str(),
        "cmi.interactions.n.correct_responses.n.pattern" | "cmi.interactions.n.learner_response"
    );
    match interaction_type(rt, name) {
        Some(kind) if is_response && rt.version == Version::Scorm2004 => {
            interactions::canonical(kind, value)
        }
        _ => value.to_owned(),
    }
}

fn interaction_type<'a>(rt: &'a Runtime, name: &ParsedName) -> Option<&'a str> {
    let key = concrete("cmi.interactions.n.type", name.indices.get(..1)?);
    rt.state.values.get(&key).map(String::as_str)
}

/// Stores values that do not live in the per-SCO state; returns true when handled.
pub(crate) fn store_special(rt: &mut Runtime, name: &ParsedName, value: &str) -> bool {
    if name.pattern != "adl.data.n.store" {
        return false;
    }
    let index = name.indices.first().copied().unwrap_or(0);
    if let Some(data) = rt.shared.get_mut(index) {
        data.value = Some(value.to_owned());
        rt.pending
            .shared_data
            .insert(data.id.clone(), value.to_owned());
    }
    true
}
