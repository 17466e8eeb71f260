//! SCORM 2004 interaction response formats: `correct_responses.n.pattern` and
//! `learner_response` per interaction type (4th Ed. RTE 4.2.9), with the `[,]`,
//! `[.]` and `[:]` delimiters and the `{case_matters=}` / `{order_matters=}` flags.

use super::error::Fault;
use super::types::{Check, check_identifier, is_bool_word, parse_real, split_lang};

/// A short identifier; its SPM (250) is a minimum to store, not a limit.
fn short_id(value: &str) -> bool {
    !matches!(
        check_identifier(value, usize::MAX),
        Err(Fault::TypeMismatch)
    )
}

fn ok_if(valid: bool) -> Check {
    if valid {
        Ok(())
    } else {
        Err(Fault::TypeMismatch)
    }
}

/// `{name=setting}` flags in order of appearance.
type Flags<'a> = Vec<(&'a str, &'a str)>;

/// Splits the leading `{flag=true|false}` delimiters (the `allowed` ones, each at
/// most once) off a pattern. Returns the flags and the rest; `None` for a bad flag.
/// A `{lang=..}` ends the flags: what follows it is the first item's text.
fn leading<'a>(
    mut value: &'a str,
    allowed: &[&'a str],
) -> Option<(Vec<(&'a str, &'a str)>, &'a str)> {
    let mut flags: Vec<(&str, &str)> = Vec::new();
    loop {
        let Some((name, after)) = value
            .strip_prefix('{')
            .and_then(|inner| inner.split_once('='))
        else {
            return Some((flags, value));
        };
        let Some(name) = allowed.iter().copied().find(|known| *known == name) else {
            return Some((flags, value));
        };
        let (setting, rest) = after.split_once('}')?;
        if flags.iter().any(|(seen, _)| *seen == name) || !is_bool_word(setting) {
            return None;
        }
        flags.push((name, setting));
        value = rest;
    }
}

/// The flags each type may lead with, and their defaults.
fn flags_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "fill-in" => &["case_matters", "order_matters"],
        "long-fill-in" => &["case_matters"],
        "performance" => &["order_matters"],
        _ => &[],
    }
}

/// A long-fill-in value may also carry its flag after the `{lang=..}`; returns the
/// flags, the language delimiter (if any) and the text.
fn long_fill_in(value: &str) -> Option<(Flags<'_>, &str, &str)> {
    let (mut flags, rest) = leading(value, flags_of("long-fill-in"))?;
    let Some(after) = rest.strip_prefix("{lang=") else {
        return Some((flags, "", rest));
    };
    let Some(end) = after.find('}') else {
        return Some((flags, "", rest));
    };
    let (lang, text) = rest.split_at(end + "{lang=".len() + 1);
    let remaining: Vec<&str> = flags_of("long-fill-in")
        .iter()
        .copied()
        .filter(|f| flags.iter().all(|(n, _)| n != f))
        .collect();
    let (more, text) = leading(text, &remaining)?;
    flags.extend(more);
    Some((flags, lang, text))
}

/// The stored form of a valid pattern or response, as the ADL reference
/// implementation keeps it: flags first, without those stating their default
/// (`{case_matters=false}`, `{order_matters=true}`), and a long-fill-in's
/// `{lang=en}` dropped.
pub(crate) fn canonical(kind: &str, value: &str) -> String {
    let parts = match kind {
        "long-fill-in" => long_fill_in(value),
        "fill-in" | "performance" => {
            leading(value, flags_of(kind)).map(|(flags, rest)| (flags, "", rest))
        }
        _ => None,
    };
    let Some((flags, lang, text)) = parts else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(value.len());
    for (name, setting) in flags {
        let default = if name == "case_matters" {
            "false"
        } else {
            "true"
        };
        if setting != default {
            out.push_str(&format!("{{{name}={setting}}}"));
        }
    }
    if lang != "{lang=en}" {
        out.push_str(lang);
    }
    out.push_str(text);
    out
}

/// A `[,]`-separated list whose items all satisfy `item`; `allow_empty` admits `""`.
fn list(value: &str, allow_empty: bool, item: impl Fn(&str) -> bool) -> bool {
    if value.is_empty() {
        return allow_empty;
    }
    value.split("[,]").all(item)
}

/// A `[,]`-separated list of distinct short identifiers, possibly empty.
fn unique_ids(value: &str) -> bool {
    let items: Vec<&str> = if value.is_empty() {
        Vec::new()
    } else {
        value.split("[,]").collect()
    };
    let distinct = items
        .iter()
        .enumerate()
        .all(|(i, item)| !items[..i].contains(item));
    list(value, true, short_id) && distinct
}

/// `left[.]right` with exactly one delimiter.
fn pair(value: &str, left: impl Fn(&str) -> bool, right: impl Fn(&str) -> bool) -> bool {
    value.matches("[.]").count() == 1
        && value
            .split_once("[.]")
            .is_some_and(|(l, r)| left(l) && right(r))
}

/// `min[:]max` where either bound may be empty and `min <= max`.
fn numeric_range(value: &str) -> bool {
    let Some((min, max)) = value.split_once("[:]") else {
        return parse_real(value).is_some();
    };
    let bound = |b: &str| {
        if b.is_empty() {
            Some(None)
        } else {
            parse_real(b).map(Some)
        }
    };
    match (bound(min), bound(max)) {
        (Some(Some(lo)), Some(Some(hi))) => lo <= hi,
        (Some(_), Some(_)) => true,
        _ => false,
    }
}

/// Texts inside responses only need a valid `{lang=..}`: like every SPM, their
/// lengths are minimums an LMS must store, not limits (ADL warns, never fails).
fn localized_ok(value: &str) -> bool {
    split_lang(value).is_some()
}

/// Checks a correct-response pattern for an interaction of `kind`.
pub(crate) fn check_pattern(kind: &str, value: &str) -> Check {
    ok_if(match kind {
        "true-false" => value == "true" || value == "false",
        "choice" => unique_ids(value),
        "sequencing" => list(value, false, short_id),
        "likert" => short_id(value),
        "matching" => list(value, false, |item| pair(item, short_id, short_id)),
        "fill-in" => {
            leading(value, flags_of(kind)).is_some_and(|(_, rest)| list(rest, true, localized_ok))
        }
        "long-fill-in" => long_fill_in(value)
            .is_some_and(|(_, lang, text)| localized_ok(&format!("{lang}{text}"))),
        "performance" => leading(value, flags_of(kind)).is_some_and(|(_, rest)| {
            list(rest, false, |item| {
                pair(item, |name| name.is_empty() || short_id(name), |_| true) && item != "[.]"
            })
        }),
        "numeric" => numeric_range(value),
        "other" => true,
        _ => false,
    })
}

/// Checks a learner response for an interaction of `kind`.
pub(crate) fn check_response(kind: &str, value: &str) -> Check {
    ok_if(match kind {
        "true-false" => value == "true" || value == "false",
        "choice" => unique_ids(value),
        "sequencing" => list(value, false, short_id),
        "likert" => short_id(value),
        "matching" => list(value, false, |item| pair(item, short_id, short_id)),
        "fill-in" => list(value, true, localized_ok),
        "long-fill-in" => localized_ok(value),
        "performance" => list(value, false, |item| {
            pair(item, |name| name.is_empty() || short_id(name), |_| true) && item != "[.]"
        }),
        "numeric" => parse_real(value).is_some(),
        "other" => true,
        _ => false,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn patterns_follow_their_type() {
        let ok = [
            ("true-false", "true"),
            ("choice", "a[,]b"),
            ("choice", ""),
            (
                "fill-in",
                "{case_matters=true}{order_matters=false}{lang=en}red[,]blue",
            ),
            ("long-fill-in", "{case_matters=false}{lang=de}Text"),
            ("matching", "a[.]b[,]c[.]d"),
            (
                "performance",
                "{order_matters=true}step1[.]5[:]7[,][.]answer",
            ),
            ("numeric", "1.5[:]2"),
            ("numeric", "[:]2"),
            ("sequencing", "a[,]b[,]a"),
            ("long-fill-in", "{lang=en}{case_matters=true}Text"),
            ("likert", "agree"),
            ("other", "anything"),
        ];
        for (kind, value) in ok {
            assert_eq!(check_pattern(kind, value), Ok(()), "{kind}: {value}");
        }
        let bad = [
            ("true-false", "yes"),
            ("choice", "a[,]a"),
            ("fill-in", "{case_matters=maybe}x"),
            ("matching", "a"),
            ("numeric", "3[:]1"),
            ("sequencing", ""),
            ("matching", "a[.]b[.]c"),
            ("choice", "{}"),
            ("likert", "a b"),
            ("performance", "[.]"),
        ];
        for (kind, value) in bad {
            assert_eq!(
                check_pattern(kind, value),
                Err(Fault::TypeMismatch),
                "{kind}: {value}"
            );
        }
    }

    #[test]
    fn responses_follow_their_type() {
        assert_eq!(check_response("numeric", "2.5"), Ok(()));
        assert_eq!(check_response("numeric", "1[:]2"), Err(Fault::TypeMismatch));
        assert_eq!(check_response("fill-in", "{case_matters=true}x"), Ok(()));
        assert_eq!(check_response("performance", "s1[.]answer"), Ok(()));
    }
}
