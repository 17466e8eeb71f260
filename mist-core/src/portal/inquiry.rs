//! Messages from visitors (inquiries and messages to an instructor or engineer): what a valid one is,
//! how quickly a person can fill the form in, and the status flow of the administrators' inbox.

use super::vocabulary::vocabulary;

vocabulary! {
    /// Where a message is in the administrators' inbox.
    Status {
        New = ("new", "新規", "New"),
        InProgress = ("in_progress", "対応中", "In progress"),
        Done = ("done", "完了", "Done"),
    }
}

impl Status {
    /// Whether a message may move from this status to `next`: new → in progress → done, done may be
    /// reopened (back to in progress), and nothing returns to new (someone has read it).
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (New, InProgress) | (New, Done) | (InProgress, Done) | (Done, InProgress)
        ) || self == next
    }
}

/// The longest accepted value of each field, in characters.
pub mod limits {
    /// Name.
    pub const NAME: usize = 100;
    /// Organization.
    pub const ORGANIZATION: usize = 200;
    /// Email address (RFC 5321's path limit).
    pub const EMAIL: usize = 254;
    /// Phone number.
    pub const PHONE: usize = 30;
    /// The message.
    pub const MESSAGE: usize = 4000;
}

/// A form as sent, before checking.
#[derive(Debug, Clone, Default)]
pub struct Draft<'a> {
    /// Sender's name.
    pub name: &'a str,
    /// Sender's organization.
    pub organization: &'a str,
    /// Reply address.
    pub email: &'a str,
    /// Phone number, optional.
    pub phone: &'a str,
    /// The message.
    pub message: &'a str,
}

/// A checked message, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valid {
    /// Sender's name.
    pub name: String,
    /// Sender's organization.
    pub organization: String,
    /// Reply address.
    pub email: String,
    /// Phone number, if given.
    pub phone: Option<String>,
    /// The message.
    pub message: String,
}

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Required and empty.
    Missing,
    /// Longer than the limit (in characters).
    TooLong(usize),
    /// Not an email address.
    NotEmail,
    /// Not a phone number (digits, spaces, `+`, `-`, parentheses).
    NotPhone,
}

/// A field and what is wrong with it.
pub type FieldProblem = (&'static str, Problem);

fn required(
    problems: &mut Vec<FieldProblem>,
    field: &'static str,
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        problems.push((field, Problem::Missing));
    } else if value.chars().count() > max {
        problems.push((field, Problem::TooLong(max)));
    }
    value.to_owned()
}

/// A plausible address: one `@`, something before it, a dot in the domain, no spaces or controls.
/// (Deliverability is proven only by the reply.)
fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// Digits with the usual separators (`+81 (3) 0000-0000`).
fn is_phone(value: &str) -> bool {
    value.chars().any(|c| c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
}

/// Checks a message form: every problem, per field, or the trimmed values.
pub fn validate(draft: &Draft<'_>) -> Result<Valid, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let name = required(&mut problems, "name", draft.name, limits::NAME);
    let organization = required(
        &mut problems,
        "organization",
        draft.organization,
        limits::ORGANIZATION,
    );
    let email = required(&mut problems, "email", draft.email, limits::EMAIL);
    if !email.is_empty() && email.chars().count() <= limits::EMAIL && !is_email(&email) {
        problems.push(("email", Problem::NotEmail));
    }
    let phone = draft.phone.trim();
    if phone.chars().count() > limits::PHONE {
        problems.push(("phone", Problem::TooLong(limits::PHONE)));
    } else if !phone.is_empty() && !is_phone(phone) {
        problems.push(("phone", Problem::NotPhone));
    }
    let message = required(&mut problems, "message", draft.message, limits::MESSAGE);
    if problems.is_empty() {
        Ok(Valid {
            name,
            organization,
            email,
            phone: (!phone.is_empty()).then(|| phone.to_owned()),
            message,
        })
    } else {
        Err(problems)
    }
}

/// The fewest seconds between showing a form and a person sending it; faster posts are scripts.
pub const MIN_FILL_SECONDS: i64 = 3;
/// The most seconds a shown form stays usable (a form left open longer is shown again).
pub const MAX_FILL_SECONDS: i64 = 24 * 60 * 60;

/// How the time between showing and sending a form is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillTime {
    /// A person's pace.
    Plausible,
    /// Sent too soon after the form was shown.
    TooFast,
    /// The form was shown too long ago (or claims to come from the future).
    Expired,
}

/// Judges the seconds between `shown_at` and `sent_at` (Unix seconds, both from the server's clock).
pub fn fill_time(shown_at: i64, sent_at: i64) -> FillTime {
    let elapsed = sent_at - shown_at;
    if !(0..=MAX_FILL_SECONDS).contains(&elapsed) {
        FillTime::Expired
    } else if elapsed < MIN_FILL_SECONDS {
        FillTime::TooFast
    } else {
        FillTime::Plausible
    }
}
