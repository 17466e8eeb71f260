//! Integration tests of the SCORM runtime: the ADL SCORM 2004 4th Ed. conformance
//! cases, scorm-again's ADL fixtures, a SCORM 1.2 table test, API behaviour, global
//! objectives and property tests of the data types.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use mist_scorm::runtime::Runtime;

#[path = "runtime/adl.rs"]
pub mod adl;
#[path = "runtime/adl_decode.rs"]
mod adl_decode;
#[path = "runtime/again.rs"]
mod again;
#[path = "runtime/api.rs"]
mod api;
#[path = "runtime/manifest.rs"]
mod manifest;
#[path = "runtime/objectives.rs"]
mod objectives;
#[path = "runtime/props.rs"]
mod props;
#[path = "runtime/scorm12.rs"]
mod scorm12;

/// The `shared` folder beside the checkout, or `None` (with a message) when it is
/// absent outside CI. In CI a missing folder fails the test.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "shared fixtures missing at {}",
        dir.display()
    );
    eprintln!("skipping: shared fixtures not found at {}", dir.display());
    None
}

/// One API call of a scripted test.
#[derive(Debug, Clone)]
pub enum Call {
    /// `Initialize(param)`.
    Initialize(String),
    /// `Terminate(param)`.
    Terminate(String),
    /// `Commit(param)`.
    Commit(String),
    /// `GetValue(element)`.
    Get(String),
    /// `SetValue(element, value)`.
    Set(String, String),
    /// `GetLastError()`.
    LastError,
    /// `GetErrorString(code)`.
    ErrorString(String),
    /// `GetDiagnostic(code)`.
    Diagnostic(String),
}

/// What a call must return.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Exactly this string (`"true"`/`"false"` for the boolean methods).
    Exact(String),
    /// A non-empty string of at most 255 characters (implementation-defined texts).
    NonEmptyMax255,
    /// Fewer than 255 characters, possibly none (ADL's `less255`).
    Below255,
    /// Any of these strings.
    OneOf(Vec<String>),
    /// A response pattern of this interaction type, compared as a pattern, as ADL's
    /// evaluator compares it through its own data model: a leading delimiter that has
    /// its default value says the same as no delimiter.
    Response {
        /// The interaction type.
        kind: String,
        /// The expected pattern.
        pattern: String,
    },
    /// Anything.
    Any,
}

/// A scripted call with its expected return and error code.
#[derive(Debug, Clone)]
pub struct Step {
    /// The call.
    pub call: Call,
    /// The expected return.
    pub expect: Expect,
    /// The expected `GetLastError` afterwards, or several separated by commas; empty
    /// accepts any code.
    pub error: String,
}

/// Runs one step; `Err` describes the mismatch.
pub fn run_step(api: &mut Runtime, step: &Step) -> Result<(), String> {
    let returned = match &step.call {
        Call::Initialize(p) => api.initialize(p).to_string(),
        Call::Terminate(p) => api.terminate(p).to_string(),
        Call::Commit(p) => api.commit(p).to_string(),
        Call::Get(element) => api.get_value(element),
        Call::Set(element, value) => api.set_value(element, value).to_string(),
        Call::LastError => api.get_last_error(),
        Call::ErrorString(code) => api.get_error_string(code),
        Call::Diagnostic(code) => api.get_diagnostic(code),
    };
    let error = api.get_last_error();
    let return_ok = match &step.expect {
        Expect::Exact(expected) => {
            returned == *expected
                || same_children(&step.call, expected, &returned)
                || same_real(expected, &returned)
        }
        Expect::NonEmptyMax255 => !returned.is_empty() && returned.chars().count() <= 255,
        Expect::Below255 => returned.chars().count() < 255,
        Expect::OneOf(accepted) => accepted.contains(&returned),
        Expect::Response { kind, pattern } => {
            without_defaults(kind, pattern) == without_defaults(kind, &returned)
        }
        Expect::Any => true,
    };
    if return_ok && (step.error.is_empty() || step.error.split(',').any(|e| e == error)) {
        return Ok(());
    }
    let shown: String = returned.chars().take(80).collect();
    Err(format!(
        "{:?} returned {shown:?} / {error}, expected {:?} / {}",
        step.call, step.expect, step.error
    ))
}

/// Reals compare by value, as the ADL test driver does ("0" equals "0.0").
fn same_real(expected: &str, returned: &str) -> bool {
    let real = |text: &str| {
        text.parse::<f64>().ok().filter(|_| {
            !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        })
    };
    matches!((real(expected), real(returned)), (Some(a), Some(b)) if a == b)
}

/// `_children` lists are sets: the ADL suite lists them in its own order.
fn same_children(call: &Call, expected: &str, returned: &str) -> bool {
    let Call::Get(element) = call else {
        return false;
    };
    fn sorted(list: &str) -> Vec<&str> {
        let mut items: Vec<&str> = list.split(',').collect();
        items.sort_unstable();
        items
    }
    element.ends_with("._children") && sorted(expected) == sorted(returned)
}

/// A response pattern without its leading delimiters that have their default value,
/// read as ADL's data model reads them: known delimiters in any order, each at most
/// once, up to the first one that is not defined for the type (the rest is text).
fn without_defaults(kind: &str, pattern: &str) -> String {
    let defaults: &[(&str, &str)] = match kind {
        "fill-in" => &[("case_matters", "false"), ("order_matters", "true")],
        "long-fill-in" => &[("case_matters", "false"), ("lang", "en")],
        "performance" => &[("order_matters", "true")],
        _ => &[],
    };
    let mut kept = String::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut rest = pattern;
    while let Some((name, value, after)) = rest
        .strip_prefix('{')
        .and_then(|r| r.split_once('}'))
        .and_then(|(inside, after)| inside.split_once('=').map(|(n, v)| (n, v, after)))
    {
        let Some(default) = defaults.iter().find(|(known, _)| *known == name) else {
            break;
        };
        if seen.contains(&name) {
            break;
        }
        seen.push(name);
        if default.1 != value {
            kept.push_str(&format!("{{{name}={value}}}"));
        }
        rest = after;
    }
    kept + rest
}
