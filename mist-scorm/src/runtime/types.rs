//! Validators for the RTE data types of SCORM 2004 (4th Ed.) and SCORM 1.2.
//!
//! Every validator takes any string and never panics; they answer `Ok(())` or the
//! [`Fault`] the standard assigns to the value (type mismatch or out of range).

use super::error::Fault;
use super::lang::is_language;

/// Outcome of a value check.
pub type Check = Result<(), Fault>;

/// Number of characters (not bytes): SPMs are counted in characters.
pub fn char_len(value: &str) -> usize {
    value.chars().count()
}

/// A `real(10,7)` / CMIDecimal literal: optional sign, digits, optional fraction.
///
/// Exponents, `NaN` and surrounding blanks are rejected: the standard binds reals to
/// the plain decimal notation.
pub fn parse_real(value: &str) -> Option<f64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int_ok = int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.bytes().all(|b| b.is_ascii_digit());
    let has_digits = !int.is_empty() || !frac.is_empty();
    let dot_ok = !digits.ends_with('.');
    if !(int_ok && frac_ok && has_digits && dot_ok) {
        return None;
    }
    value.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Checks a real against optional inclusive bounds (406 on syntax, 407 on range).
pub fn check_real(value: &str, min: Option<f64>, max: Option<f64>) -> Check {
    let number = parse_real(value).ok_or(Fault::TypeMismatch)?;
    let below = min.is_some_and(|m| number < m);
    let above = max.is_some_and(|m| number > m);
    if below || above {
        return Err(Fault::OutOfRange);
    }
    Ok(())
}

/// `characterstring` with a smallest permitted maximum (SPM).
pub fn check_text(value: &str, spm: usize) -> Check {
    if char_len(value) > spm {
        return Err(Fault::SpmExceeded);
    }
    Ok(())
}

/// Splits an optional `{lang=xx}` delimiter off a localized string.
///
/// Returns `None` when the delimiter is present but names an invalid language.
pub fn split_lang(value: &str) -> Option<(Option<&str>, &str)> {
    let Some(rest) = value.strip_prefix("{lang=") else {
        return Some((None, value));
    };
    let Some((lang, text)) = rest.split_once('}') else {
        return Some((None, value));
    };
    is_language(lang).then_some((Some(lang), text))
}

/// `localized_string_type`: optional `{lang=..}` then at most `spm` characters.
pub fn check_localized(value: &str, spm: usize) -> Check {
    let (_, text) = split_lang(value).ok_or(Fault::TypeMismatch)?;
    check_text(text, spm)
}

/// `long_identifier_type` (SPM 4000) or `short_identifier_type` (SPM 250): a
/// non-empty URI without whitespace; a `urn:` must carry a namespace id and a
/// namespace-specific string.
pub fn check_identifier(value: &str, spm: usize) -> Check {
    if !is_identifier(value) {
        return Err(Fault::TypeMismatch);
    }
    check_text(value, spm)
}

/// A URI as `java.net.URI` (the ADL reference) accepts it: URI characters or
/// non-ASCII letters, `%` escapes, one fragment, and a scheme only with a body.
fn is_identifier(value: &str) -> bool {
    const MARKS: &str = "-_.!~*'();/?:@&=+$,%#";
    let chars_ok = value.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || MARKS.contains(c)
            || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
    });
    let escapes_ok = value.match_indices('%').all(|(at, _)| {
        value
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    let scheme_ok = match value.split_once(':') {
        Some((scheme, body)) if !scheme.contains(['/', '?', '#']) => {
            let mut bytes = scheme.bytes();
            let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
            let is_scheme =
                first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            !is_scheme || !body.is_empty()
        }
        _ => true,
    };
    !value.is_empty() && chars_ok && escapes_ok && scheme_ok && value.matches('#').count() <= 1
}

/// `time(second,10,0)`: `YYYY[-MM[-DD[Thh[:mm[:ss[.s+[TZD]]]]]]]`, years 1970–2038.
pub fn is_date_time(value: &str) -> bool {
    let b = value.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let Some(year) = num(0, 4) else { return false };
    if !(1970..=2038).contains(&year) {
        return false;
    }
    // Each optional field is introduced by a separator at a fixed position.
    let fields: [(usize, u8, u32, u32); 5] = [
        (4, b'-', 1, 12),
        (7, b'-', 1, 31),
        (10, b'T', 0, 23),
        (13, b':', 0, 59),
        (16, b':', 0, 59),
    ];
    let mut pos = 4;
    for (at, sep, lo, hi) in fields {
        if b.len() == at {
            return true;
        }
        match (b.get(at), num(at + 1, 2)) {
            (Some(&s), Some(v)) if s == sep && (lo..=hi).contains(&v) => pos = at + 3,
            _ => return false,
        }
    }
    // A time zone may only follow fractional seconds.
    let Some(frac) = value[pos..].strip_prefix('.') else {
        return pos == value.len();
    };
    let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && is_zone(&frac[digits..])
}

fn is_zone(zone: &str) -> bool {
    if zone.is_empty() || zone == "Z" {
        return true;
    }
    let Some(offset) = zone.strip_prefix('+').or_else(|| zone.strip_prefix('-')) else {
        return false;
    };
    let two = |s: &str, max: u32| s.len() == 2 && s.parse::<u32>().is_ok_and(|v| v <= max);
    match offset.split_once(':') {
        Some((h, m)) => two(h, 23) && two(m, 59),
        None => two(offset, 23),
    }
}

/// Checks an exact, case-sensitive vocabulary member.
pub fn check_vocab(value: &str, vocabulary: &[&str]) -> Check {
    if vocabulary.contains(&value) {
        Ok(())
    } else {
        Err(Fault::TypeMismatch)
    }
}

/// Parses `true`/`false` flags of the `{case_matters=..}`/`{order_matters=..}` kind.
pub fn is_bool_word(value: &str) -> bool {
    value == "true" || value == "false"
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reals_follow_the_decimal_notation() {
        assert_eq!(parse_real("0.5"), Some(0.5));
        assert_eq!(parse_real("-1"), Some(-1.0));
        assert_eq!(parse_real(".5"), Some(0.5));
        for bad in ["", "-", ".", "1e3", "NaN", " 1", "1.", "0x1", "+1"] {
            assert_eq!(parse_real(bad), None, "{bad}");
        }
        assert_eq!(
            check_real("2", Some(0.0), Some(1.0)),
            Err(Fault::OutOfRange)
        );
        assert_eq!(
            check_real("x", Some(0.0), Some(1.0)),
            Err(Fault::TypeMismatch)
        );
    }

    #[test]
    fn identifiers_and_urns() {
        assert!(check_identifier("obj-1", 4000).is_ok());
        assert!(check_identifier("urn:adl:obj", 4000).is_ok());
        assert!(check_identifier("uri.uri%20x", 4000).is_ok());
        for bad in ["", "a b", "urn:", "{}{[]}", "a[.]b", "50%", "a#b#c"] {
            assert_eq!(
                check_identifier(bad, 4000),
                Err(Fault::TypeMismatch),
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_and_languages() {
        for ok in [
            "2004",
            "2004-07-25T03:00:00",
            "2004-07-25T03:00:00.1Z",
            "1999-12-31T23:59:59.99+01:00",
            "2004-07-25T03:00:00.1+02",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "1969",
            "2004-13",
            "2004-07-25T",
            "2004-07-25T03:00:00.123",
            "04-07-25",
            "2004-04-01T09:45:58+02:30",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        assert_eq!(split_lang("{lang=fr}salut"), Some((Some("fr"), "salut")));
        assert_eq!(split_lang("{lang=?}x"), None);
    }
}
