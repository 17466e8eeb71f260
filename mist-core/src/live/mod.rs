//! Live training sessions (オンライン研修): the pure rules of registration, the waiting list, the
//! attendance keyword, reminders and completion, plus the session's calendar file ([`ics`]).
//!
//! MHLW accepts online live sessions toward the annual training requirement when attendance is checked
//! (for example with a keyword given during the session) and understanding is confirmed with a
//! comprehension check (疑義解釈 その1 問257); the server stores, these functions decide.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::quiz::normalize_text;

pub mod ics;
#[cfg(test)]
mod tests;

/// How long after the end of a session the attendance keyword is still accepted.
pub const KEYWORD_GRACE: Duration = Duration::minutes(30);

/// Where a person's registration for a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Holds a seat; sees the meeting URL.
    Confirmed,
    /// On the waiting list, promoted in registration order when a seat frees up.
    Waiting,
    /// Withdrawn by the person (or the session was cancelled).
    Cancelled,
    /// Attended: confirmed and attendance recorded.
    Attended,
}

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Waiting => "waiting",
            Status::Cancelled => "cancelled",
            Status::Attended => "attended",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        [
            Status::Confirmed,
            Status::Waiting,
            Status::Cancelled,
            Status::Attended,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// Whether the person holds a seat (and may see the meeting URL and the archive).
    pub fn holds_seat(self) -> bool {
        matches!(self, Status::Confirmed | Status::Attended)
    }

    /// What happens to a registration on `event`; an error for a move the rules do not allow.
    pub fn on(self, event: Event) -> Result<Status, TransitionError> {
        match (self, event) {
            (Status::Waiting, Event::Promote) => Ok(Status::Confirmed),
            (Status::Confirmed | Status::Waiting, Event::Cancel) => Ok(Status::Cancelled),
            (Status::Confirmed | Status::Attended, Event::Attend) => Ok(Status::Attended),
            (from, event) => Err(TransitionError { from, event }),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happens to a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A seat freed up and the person was next on the waiting list.
    Promote,
    /// The person withdrew.
    Cancel,
    /// Attendance was recorded (by keyword or by a manager).
    Attend,
}

/// A move the registration state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from} registration cannot take the event {event:?}")]
pub struct TransitionError {
    /// The state it was in.
    pub from: Status,
    /// The event refused.
    pub event: Event,
}

/// When a session takes place and until when people may register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Start, in UTC.
    pub starts_at: OffsetDateTime,
    /// Length.
    pub duration: Duration,
    /// Registration closes at this instant.
    pub registration_deadline: OffsetDateTime,
}

impl Schedule {
    /// The end of the session.
    pub fn ends_at(&self) -> OffsetDateTime {
        self.starts_at + self.duration
    }

    /// Whether the session is over.
    pub fn is_over(&self, now: OffsetDateTime) -> bool {
        now >= self.ends_at()
    }
}

/// Why a registration is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// The administrators cancelled the session.
    #[error("the session was cancelled")]
    SessionCancelled,
    /// The registration deadline has passed.
    #[error("registration has closed")]
    Closed,
}

/// Whether someone may register at `now`.
pub fn check_registration(
    schedule: &Schedule,
    session_cancelled: bool,
    now: OffsetDateTime,
) -> Result<(), RegistrationError> {
    if session_cancelled {
        Err(RegistrationError::SessionCancelled)
    } else if now > schedule.registration_deadline || now >= schedule.starts_at {
        Err(RegistrationError::Closed)
    } else {
        Ok(())
    }
}

/// The status of a new registration: a seat while fewer than `capacity` are held, else the waiting
/// list. People already waiting keep their place: a newcomer never takes a seat before them.
pub fn seat_for(seats_held: i64, waiting: i64, capacity: i64) -> Status {
    if seats_held < capacity && waiting == 0 {
        Status::Confirmed
    } else {
        Status::Waiting
    }
}

/// Someone on the waiting list, with the place they registered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingEntry<Id> {
    /// The registration.
    pub id: Id,
    /// Registration order within the session (first come, first served).
    pub position: i64,
}

/// Who moves from the waiting list to a seat: the earliest registrations, as many as seats are free.
pub fn to_promote<Id: Copy>(
    capacity: i64,
    seats_held: i64,
    waiting: &[WaitingEntry<Id>],
) -> Vec<Id> {
    let free = usize::try_from(capacity - seats_held).unwrap_or(0);
    let mut queue = waiting.to_vec();
    queue.sort_by_key(|w| w.position);
    queue.into_iter().take(free).map(|w| w.id).collect()
}

/// Why an attendance keyword is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeywordError {
    /// The administrators set no keyword for this session.
    #[error("this session has no attendance keyword")]
    NotSet,
    /// The session has not started.
    #[error("the session has not started yet")]
    TooEarly,
    /// More than [`KEYWORD_GRACE`] after the end.
    #[error("the keyword window has closed")]
    TooLate,
    /// The keyword does not match.
    #[error("the keyword does not match")]
    Wrong,
}

/// Whether `given` is the session's keyword and arrives from the start to [`KEYWORD_GRACE`] after the
/// end. Compared after NFKC normalization and ignoring case, so that ＡＢＣ, abc and ABC all match.
pub fn check_keyword(
    schedule: &Schedule,
    expected: Option<&str>,
    given: &str,
    now: OffsetDateTime,
) -> Result<(), KeywordError> {
    let expected = expected
        .map(|k| normalize_text(k, false))
        .filter(|k| !k.is_empty())
        .ok_or(KeywordError::NotSet)?;
    if now < schedule.starts_at {
        Err(KeywordError::TooEarly)
    } else if now > schedule.ends_at() + KEYWORD_GRACE {
        Err(KeywordError::TooLate)
    } else if normalize_text(given, false) != expected {
        Err(KeywordError::Wrong)
    } else {
        Ok(())
    }
}

/// Whether attendance plus the comprehension check make the session count as completed training.
/// Without a quiz, attendance alone completes it.
pub fn is_completed(attended: bool, has_quiz: bool, quiz_passed: bool) -> bool {
    attended && (!has_quiz || quiz_passed)
}

/// A reminder sent before the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The day before.
    DayBefore,
    /// An hour before.
    HourBefore,
}

impl Reminder {
    /// How long before the start it is due.
    pub fn lead(self) -> Duration {
        match self {
            Reminder::DayBefore => Duration::hours(24),
            Reminder::HourBefore => Duration::hours(1),
        }
    }
}

/// The reminders still worth sending for a seat taken at `now`, with when each is due.
pub fn reminders_due(
    starts_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Vec<(Reminder, OffsetDateTime)> {
    [Reminder::DayBefore, Reminder::HourBefore]
        .into_iter()
        .map(|r| (r, starts_at - r.lead()))
        .filter(|(_, due)| *due > now)
        .collect()
}

/// Japan Standard Time, in which sessions are announced.
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A time as the portal shows it, in JST: `2026年(令和8年)12月3日(木) 14:00` in Japanese (西暦 with the
/// 令和 year), `Thu 3 Dec 2026, 14:00 JST` in English.
pub fn jst_label(at: OffsetDateTime, japanese: bool) -> String {
    let jst = at.to_offset(JST);
    let weekday = usize::from(jst.weekday().number_days_from_monday());
    let month = u8::from(jst.month());
    let (hour, minute) = (jst.hour(), jst.minute());
    if japanese {
        let era = match jst.year() - 2018 {
            1 => "(令和元年)".to_owned(),
            n if n > 1 => format!("(令和{n}年)"),
            _ => String::new(),
        };
        format!(
            "{year}年{era}{month}月{day}日({wd}) {hour:02}:{minute:02}",
            year = jst.year(),
            day = jst.day(),
            wd = WEEKDAYS_JA.get(weekday).copied().unwrap_or_default(),
        )
    } else {
        format!(
            "{wd} {day} {month} {year}, {hour:02}:{minute:02} JST",
            wd = WEEKDAYS_EN.get(weekday).copied().unwrap_or_default(),
            day = jst.day(),
            month = MONTHS_EN
                .get(usize::from(month).saturating_sub(1))
                .copied()
                .unwrap_or_default(),
            year = jst.year(),
        )
    }
}

/// Parses a time entered in JST as a `datetime-local` input sends it (`2026-12-03T14:00`, seconds
/// optional) into UTC.
pub fn parse_jst_local(text: &str) -> Option<OffsetDateTime> {
    use time::PrimitiveDateTime;
    use time::macros::format_description;
    let text = text.trim();
    let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(text, &minutes)
        .or_else(|_| PrimitiveDateTime::parse(text, &seconds))
        .ok()
        .map(|local| local.assume_offset(JST).to_offset(UtcOffset::UTC))
}

/// A time as the value of a `datetime-local` input, in JST (`2026-12-03T14:00`).
pub fn jst_local_value(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    at.to_offset(JST).format(&format).unwrap_or_default()
}
