//! File names: decoding zip entry names, refusing unsafe paths, and matching manifest hrefs.
//!
//! Every name inside the package is kept in one canonical form: NFC, `/`-separated, relative,
//! no `.` or `..` segments, no trailing slash. Entry names and resolved hrefs both end up in
//! this form, so matching them is plain string equality.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// How an entry name was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameEncoding {
    /// Plain ASCII (the same in every encoding).
    Ascii,
    /// UTF-8, flagged as such in the entry or unflagged but valid UTF-8.
    Utf8,
    /// IBM code page 437, the zip default.
    Cp437,
    /// Shift_JIS (Windows code page 932), from Japanese Windows tools.
    Cp932,
}

/// Decodes a raw zip entry name.
///
/// With the UTF-8 flag (bit 11) the name is UTF-8. Without it, names that are valid UTF-8
/// are taken as UTF-8 (macOS and many web tools omit the flag; a real CP437 name is
/// practically never valid UTF-8); otherwise CP437, unless the bytes read as plausible
/// Shift_JIS Japanese, which is what Japanese Windows tools write.
pub fn decode_entry_name(raw: &[u8], utf8_flag: bool) -> (String, NameEncoding) {
    if raw.is_ascii() {
        return (
            String::from_utf8_lossy(raw).into_owned(),
            NameEncoding::Ascii,
        );
    }
    if let Ok(text) = std::str::from_utf8(raw) {
        return (text.to_owned(), NameEncoding::Utf8);
    }
    if utf8_flag {
        // Flagged but broken: keep what can be read, the path check refuses the replacement char.
        return (
            String::from_utf8_lossy(raw).into_owned(),
            NameEncoding::Utf8,
        );
    }
    if let Some(japanese) = plausible_shift_jis(raw) {
        return (japanese, NameEncoding::Cp932);
    }
    (
        raw.iter().map(|&b| cp437_char(b)).collect(),
        NameEncoding::Cp437,
    )
}

/// The Shift_JIS reading of `raw` when it decodes cleanly and every non-ASCII character is
/// Japanese script or full-width punctuation.
fn plausible_shift_jis(raw: &[u8]) -> Option<String> {
    let text = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(raw)?;
    let japanese = |c: char| {
        matches!(c as u32,
            0x3000..=0x30FF      // CJK punctuation, hiragana, katakana
            | 0x4E00..=0x9FFF    // CJK unified ideographs
            | 0xFF00..=0xFFEF) // full-width and half-width forms
    };
    text.chars()
        .all(|c| c.is_ascii() || japanese(c))
        .then(|| text.into_owned())
}

/// The upper half of code page 437 (the lower half is ASCII).
const CP437_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', //
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{a0}',
];

fn cp437_char(byte: u8) -> char {
    if byte < 0x80 {
        char::from(byte)
    } else {
        CP437_HIGH[usize::from(byte - 0x80)]
    }
}

/// Why an entry name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnsafeName {
    /// A `..` segment.
    #[error("the name contains a '..' segment")]
    ParentSegment,
    /// Starts with `/`.
    #[error("the name is an absolute path")]
    Absolute,
    /// Starts with a drive letter such as `C:`.
    #[error("the name starts with a drive letter")]
    DriveLetter,
    /// Contains a backslash.
    #[error("the name contains a backslash")]
    Backslash,
    /// Contains a control character or an undecodable byte.
    #[error("the name contains a control character or an undecodable byte")]
    BadCharacter,
    /// Empty once `.` segments are removed.
    #[error("the name is empty")]
    Empty,
}

impl UnsafeName {
    /// True for the names that would write outside the target folder.
    pub fn is_traversal(self) -> bool {
        matches!(
            self,
            UnsafeName::ParentSegment | UnsafeName::Absolute | UnsafeName::DriveLetter
        )
    }
}

/// Checks an entry name and returns it in canonical form (see the module docs).
pub fn canonical_entry_name(name: &str) -> Result<String, UnsafeName> {
    if name.contains('\\') {
        return Err(UnsafeName::Backslash);
    }
    if name.chars().any(|c| c.is_control() || c == '\u{FFFD}') {
        return Err(UnsafeName::BadCharacter);
    }
    if name.starts_with('/') {
        return Err(UnsafeName::Absolute);
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(UnsafeName::DriveLetter);
    }
    let mut segments = Vec::new();
    for segment in name.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(UnsafeName::ParentSegment),
            s => segments.push(s),
        }
    }
    if segments.is_empty() {
        return Err(UnsafeName::Empty);
    }
    Ok(segments.join("/").nfc().collect())
}

/// Where a manifest href points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HrefTarget {
    /// A file of the package, in canonical form.
    Local(String),
    /// An absolute URL (`https://…`): nothing to find in the package.
    External,
    /// Resolves above the package root or to an absolute path.
    Outside,
}

/// Resolves `href` against the chain of `xml:base` values (outermost first) to a package file.
/// Query and fragment are dropped and percent-escapes decoded, so the result matches entry names.
pub fn resolve_href(bases: &[&str], href: &str) -> HrefTarget {
    let joined = join_bases(bases, href);
    if has_scheme(&joined) {
        return HrefTarget::External;
    }
    let path = split_suffix(&joined).0;
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    match normalize_dots(&decoded) {
        Some(p) if !p.is_empty() => HrefTarget::Local(p.nfc().collect()),
        _ => HrefTarget::Outside,
    }
}

/// The launch URL of a resource href under its `xml:base` chain with the item's `parameters`
/// appended per the content-packaging rules: a leading `?` or `&` is dropped; the rest joins
/// with `&` when the href already has a query, else with `?`; a `#fragment` parameter is only
/// added when the href has none.
pub fn launch_url(bases: &[&str], href: &str, parameters: Option<&str>) -> String {
    let joined = join_bases(bases, href);
    let mut url = if has_scheme(&joined) {
        joined
    } else {
        let (path, suffix) = split_suffix(&joined);
        let path = normalize_dots(path).unwrap_or_else(|| path.to_owned());
        format!("{path}{suffix}")
    };
    let Some(params) = parameters.map(str::trim).filter(|p| !p.is_empty()) else {
        return url;
    };
    if params.starts_with('#') {
        if !url.contains('#') {
            url.push_str(params);
        }
        return url;
    }
    let params = params.trim_start_matches(['?', '&']);
    if params.is_empty() {
        return url;
    }
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (url[..i].to_owned(), url[i..].to_owned()),
        None => (url, String::new()),
    };
    let joiner = if before_fragment.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{before_fragment}{joiner}{params}{fragment}")
}

/// Joins the `xml:base` chain and the href: an absolute base or href restarts the chain,
/// and a base is a folder even without its trailing slash (as authoring tools intend).
fn join_bases(bases: &[&str], href: &str) -> String {
    let mut joined = String::new();
    for part in bases.iter().map(|b| b.trim()).chain([href.trim()]) {
        if part.is_empty() {
            continue;
        }
        if has_scheme(part) || part.starts_with('/') {
            joined.clear();
        } else if !joined.is_empty() && !joined.ends_with('/') {
            joined.push('/');
        }
        joined.push_str(part);
    }
    joined
}

/// True for `scheme:` URLs; a single letter before `:` is a Windows drive, not a scheme.
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Splits `path?query#fragment` into the path and the rest.
fn split_suffix(s: &str) -> (&str, &str) {
    match s.find(['?', '#']) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    }
}

/// Removes `.` and `..` segments; `None` when the path is absolute or climbs above the root.
fn normalize_dots(path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    let mut joined = out.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// Canonical form of a name given by a caller (directory listings, tests).
pub fn canonical_listed_name(name: &str) -> Option<String> {
    let unified: Cow<'_, str> = if name.contains('\\') {
        Cow::Owned(name.replace('\\', "/"))
    } else {
        Cow::Borrowed(name)
    };
    canonical_entry_name(&unified).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_checked_and_canonical() {
        let cases: &[(&str, Result<&str, UnsafeName>)] = &[
            ("a/b.html", Ok("a/b.html")),
            ("./a//b.html", Ok("a/b.html")),
            ("dir/", Ok("dir")),
            ("../evil", Err(UnsafeName::ParentSegment)),
            ("a/../../evil", Err(UnsafeName::ParentSegment)),
            ("/etc/passwd", Err(UnsafeName::Absolute)),
            ("C:/win.ini", Err(UnsafeName::DriveLetter)),
            ("a\\b", Err(UnsafeName::Backslash)),
            ("a\u{0}b", Err(UnsafeName::BadCharacter)),
            ("./", Err(UnsafeName::Empty)),
            ("cafe\u{301}.html", Ok("caf\u{e9}.html")),
        ];
        for (input, expected) in cases {
            let got = canonical_entry_name(input);
            assert_eq!(got.as_deref().map_err(|e| *e), *expected, "{input}");
        }
    }

    #[test]
    fn legacy_names_decode() {
        assert_eq!(
            decode_entry_name(b"caf\x82.html", false),
            ("café.html".to_owned(), NameEncoding::Cp437)
        );
        // "テスト.html" in Shift_JIS.
        let sjis = b"\x83\x65\x83\x58\x83\x67.html";
        assert_eq!(
            decode_entry_name(sjis, false),
            ("テスト.html".to_owned(), NameEncoding::Cp932)
        );
        assert_eq!(
            decode_entry_name("é.html".as_bytes(), true).1,
            NameEncoding::Utf8
        );
    }

    #[test]
    fn hrefs_resolve_through_bases() {
        let cases: &[(&[&str], &str, HrefTarget)] = &[
            (
                &["resources/"],
                "a.htm",
                HrefTarget::Local("resources/a.htm".into()),
            ),
            (
                &["x", "y/"],
                "a%20b.htm?q=1#f",
                HrefTarget::Local("x/y/a b.htm".into()),
            ),
            (&[], "../a.htm", HrefTarget::Outside),
            (&[], "/a.htm", HrefTarget::Outside),
            (&["http://cdn.example/"], "a.js", HrefTarget::External),
            (
                &["common/"],
                "./../shared/a.js",
                HrefTarget::Local("shared/a.js".into()),
            ),
        ];
        for (bases, href, expected) in cases {
            assert_eq!(&resolve_href(bases, href), expected, "{bases:?} {href}");
        }
    }

    #[test]
    fn launch_urls_follow_parameter_rules() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            ("a.htm", Some("?tc=1&act=2"), "r/a.htm?tc=1&act=2"),
            ("a.htm?x=1", Some("&y=2"), "r/a.htm?x=1&y=2"),
            ("a.htm?x=1", Some("y=2"), "r/a.htm?x=1&y=2"),
            ("a.htm#top", Some("#other"), "r/a.htm#top"),
            ("a.htm", Some("#p"), "r/a.htm#p"),
            ("a.htm#f", Some("q=1"), "r/a.htm?q=1#f"),
            ("a.htm", Some("  "), "r/a.htm"),
        ];
        for (href, params, expected) in cases {
            assert_eq!(launch_url(&["r/"], href, *params), *expected);
        }
    }
}
