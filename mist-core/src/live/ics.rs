//! A calendar file for one session (RFC 5545): one VEVENT in a VCALENDAR, times in UTC, text escaped,
//! lines ended with CRLF and folded at 75 octets.

use time::OffsetDateTime;
use time::macros::format_description;

/// One event of a calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent<'a> {
    /// A globally unique identifier that stays the same when the event changes (RFC 5545 §3.8.4.7).
    pub uid: &'a str,
    /// When the file was made.
    pub stamp: OffsetDateTime,
    /// Start.
    pub start: OffsetDateTime,
    /// End.
    pub end: OffsetDateTime,
    /// Title.
    pub summary: &'a str,
    /// Details, in plain text.
    pub description: &'a str,
    /// A link for the event (the meeting URL for registered people, else the session's page).
    pub url: &'a str,
    /// Whether the event was cancelled (`STATUS:CANCELLED`).
    pub cancelled: bool,
}

/// The calendar file, as text with CRLF line endings.
pub fn calendar(event: &CalendarEvent<'_>) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//MIST//Live training sessions//JA".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", escape(event.uid)),
        format!("DTSTAMP:{}", utc(event.stamp)),
        format!("DTSTART:{}", utc(event.start)),
        format!("DTEND:{}", utc(event.end)),
        format!("SUMMARY:{}", escape(event.summary)),
        format!("DESCRIPTION:{}", escape(event.description)),
        // URL is a URI value, not TEXT: it is not escaped (RFC 5545 §3.3.13).
        format!("URL:{}", event.url),
        format!(
            "STATUS:{}",
            if event.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|line| fold(line) + "\r\n").collect()
}

/// A time in the UTC "Z" form, e.g. `20261203T050000Z`.
pub fn utc(at: OffsetDateTime) -> String {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so that no line is longer than 75 octets: a CRLF and one space start each
/// continuation, and a multi-byte character is never split.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / LIMIT * 3);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            // The leading space counts toward the continuation line's 75 octets.
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out
}
