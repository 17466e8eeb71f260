//! Completion certificates (修了証): signed, verifiable offline, revocable.
//!
//! A [`Certificate`] records who completed which course, when and with what score. The issuer signs
//! its [canonical serialization](Certificate::canonical_bytes) with Ed25519, giving a
//! [`SignedCertificate`] that anyone holding the public key can [verify](SignedCertificate::verify);
//! changing any field breaks the signature. A short [`CertificateCode`] with a check character
//! identifies the certificate on paper and in the verification URL, and a [`RevocationList`] can
//! revoke it.
//!
//! **Expiry rule.** Hospitals train every staff member every fiscal year (4月–3月), so by default a
//! certificate is valid until the last day of the fiscal year after the one it was earned in: a
//! completion on 2025-06-01 (FY2025) expires on 2027-03-31, leaving the whole of FY2026 to retrain.
//! The issuer may set another date or none ([`Expiry`]).
//!
//! With the `pdf` feature, `pdf::render` draws the certificate as an A4 landscape PDF with the
//! signed certificate embedded; [`extract_from_pdf`] reads it back.

mod canonical;
mod code;
mod embed;
pub(crate) mod keys;
#[cfg(feature = "pdf")]
pub mod pdf;
mod revocation;
mod score;
mod sign;
#[cfg(test)]
pub(crate) mod tests;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

pub use code::{CertificateCode, InvalidCode};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use embed::{ExtractError, PAYLOAD_MARKER, extract_from_pdf};
pub use keys::{
    KeyFileError, decode_signing_key, decode_verifying_key, encode_signing_key,
    encode_verifying_key,
};
pub use revocation::{Revocation, RevocationList, Status};
pub use score::{InvalidScore, Score};
pub use sign::{FORMAT, SignedCertificate, VerifyError};

use crate::fiscal::FiscalYear;
use crate::model::{Audience, Course};
use crate::slug::Slug;
use crate::text::Localized;

/// The longest learner name, in characters (names are drawn on one line).
pub const MAX_NAME_CHARS: usize = 64;
/// The longest organization name, in characters.
pub const MAX_ORGANIZATION_CHARS: usize = 128;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A completion certificate, before or after signing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Its unique id (a random UUID).
    pub id: Uuid,
    /// Its short code, derived from the id.
    pub code: CertificateCode,
    /// Who completed the course.
    pub learner: Learner,
    /// The learner's organization, such as the hospital.
    pub organization: String,
    /// The course completed.
    pub course: CertifiedCourse,
    /// The score achieved.
    pub score: Score,
    /// The day the course was completed.
    #[serde(with = "iso_date")]
    pub completed_on: Date,
    /// The fiscal year of the completion (derived from `completed_on`).
    pub fiscal_year: FiscalYear,
    /// When the certificate was issued, to the second.
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    /// The last day the certificate is valid; `None` for no expiry.
    #[serde(with = "iso_date::option")]
    pub expires_on: Option<Date>,
}

/// The person a certificate is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learner {
    /// The name as written, usually in kanji (山田 花子).
    pub name: String,
    /// The reading in kana (やまだ はなこ), printed above the name.
    pub kana: Option<String>,
}

/// The course a certificate is for, copied from the course so the certificate stands alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertifiedCourse {
    /// The course's slug.
    pub slug: Slug,
    /// The course's title in each of its languages.
    pub title: Localized,
    /// The audience tier the course is for.
    pub audience: Audience,
}

impl From<&Course> for CertifiedCourse {
    fn from(course: &Course) -> Self {
        Self {
            slug: course.slug.clone(),
            title: course.title.clone(),
            audience: course.audience,
        }
    }
}

/// When a new certificate expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expiry {
    /// The last day of the fiscal year after the completion's (the module's expiry rule).
    #[default]
    EndOfNextFiscalYear,
    /// On this day.
    On(Date),
    /// Never.
    Never,
}

/// What the issuer supplies for a new certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCertificate {
    /// Who completed the course.
    pub learner: Learner,
    /// The learner's organization.
    pub organization: String,
    /// The course completed.
    pub course: CertifiedCourse,
    /// The score achieved.
    pub score: Score,
    /// The day the course was completed.
    pub completed_on: Date,
    /// When the certificate expires.
    pub expiry: Expiry,
}

/// Why a certificate's fields do not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCertificate {
    /// A required text is empty.
    #[error("the {0} is empty")]
    Blank(&'static str),
    /// A text is longer than a certificate can print.
    #[error("the {field} has {chars} characters; at most {max} fit on a certificate")]
    TooLong {
        /// Which text.
        field: &'static str,
        /// Its length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// A text contains a control character such as a line break.
    #[error("the {0} contains a control character such as a line break")]
    ControlCharacter(&'static str),
    /// The code is not the one derived from the id.
    #[error("the code {code} does not belong to certificate id {id}")]
    CodeMismatch {
        /// The code found.
        code: CertificateCode,
        /// The id found.
        id: Uuid,
    },
    /// The fiscal year is not the one the completion date falls in.
    #[error("the fiscal year {fiscal_year} does not contain the completion date {completed_on}")]
    FiscalYearMismatch {
        /// The fiscal year found.
        fiscal_year: FiscalYear,
        /// The completion date found.
        completed_on: Date,
    },
    /// The completion is dated after the issue.
    #[error("the completion date {completed_on} is after the issue date {issued_on}")]
    CompletedAfterIssue {
        /// The completion date.
        completed_on: Date,
        /// The issue date.
        issued_on: Date,
    },
    /// The certificate would expire before the completion.
    #[error("the expiry date {expires_on} is before the completion date {completed_on}")]
    ExpiresBeforeCompletion {
        /// The expiry date.
        expires_on: Date,
        /// The completion date.
        completed_on: Date,
    },
    /// The issue time cannot be written in RFC 3339 (a year outside 0–9999 or a sub-minute offset).
    #[error("the issue time {0} cannot be written as an RFC 3339 timestamp")]
    IssuedAtUnrepresentable(OffsetDateTime),
    /// The expiry rule gives a date beyond the calendar (year 9999).
    #[error("no expiry date can be computed for a completion on {0}")]
    NoExpiryDate(Date),
}

impl Certificate {
    /// Makes a certificate with a fresh random id, issued now (UTC, whole seconds).
    pub fn issue(new: NewCertificate) -> Result<Self, InvalidCertificate> {
        Self::issue_with(new, Uuid::new_v4(), OffsetDateTime::now_utc())
    }

    /// Makes a certificate with the given id and issue time (truncated to whole seconds); the code,
    /// fiscal year and expiry date are derived, and every field is checked.
    pub fn issue_with(
        new: NewCertificate,
        id: Uuid,
        issued_at: OffsetDateTime,
    ) -> Result<Self, InvalidCertificate> {
        let fiscal_year = FiscalYear::containing(new.completed_on);
        let expires_on = match new.expiry {
            Expiry::EndOfNextFiscalYear => Some(
                fiscal_year
                    .next()
                    .last_day()
                    .ok_or(InvalidCertificate::NoExpiryDate(new.completed_on))?,
            ),
            Expiry::On(date) => Some(date),
            Expiry::Never => None,
        };
        let certificate = Self {
            id,
            code: CertificateCode::from_uuid(id),
            learner: Learner {
                name: new.learner.name.trim().to_owned(),
                kana: new
                    .learner
                    .kana
                    .map(|kana| kana.trim().to_owned())
                    .filter(|kana| !kana.is_empty()),
            },
            organization: new.organization.trim().to_owned(),
            course: new.course,
            score: new.score,
            completed_on: new.completed_on,
            fiscal_year,
            issued_at: issued_at.replace_nanosecond(0).unwrap_or(issued_at),
            expires_on,
        };
        certificate.check()?;
        Ok(certificate)
    }

    /// Checks that the fields hold together: texts present and printable, the code and fiscal year
    /// derived correctly, the dates in order.
    pub fn check(&self) -> Result<(), InvalidCertificate> {
        check_text("learner name", &self.learner.name, MAX_NAME_CHARS)?;
        if let Some(kana) = &self.learner.kana {
            check_text("learner kana", kana, MAX_NAME_CHARS)?;
        }
        check_text("organization", &self.organization, MAX_ORGANIZATION_CHARS)?;
        for (_, title) in self.course.title.iter() {
            check_text("course title", title, MAX_ORGANIZATION_CHARS)?;
        }
        if self.code != CertificateCode::from_uuid(self.id) {
            return Err(InvalidCertificate::CodeMismatch {
                code: self.code,
                id: self.id,
            });
        }
        if !self.fiscal_year.contains(self.completed_on) {
            return Err(InvalidCertificate::FiscalYearMismatch {
                fiscal_year: self.fiscal_year,
                completed_on: self.completed_on,
            });
        }
        if self.issued_at.format(&Rfc3339).is_err() {
            return Err(InvalidCertificate::IssuedAtUnrepresentable(self.issued_at));
        }
        let issued_on = issued_on_in_japan(self);
        if self.completed_on > issued_on {
            return Err(InvalidCertificate::CompletedAfterIssue {
                completed_on: self.completed_on,
                issued_on,
            });
        }
        match self.expires_on {
            Some(expires_on) if expires_on < self.completed_on => {
                Err(InvalidCertificate::ExpiresBeforeCompletion {
                    expires_on,
                    completed_on: self.completed_on,
                })
            }
            _ => Ok(()),
        }
    }

    /// Whether the certificate has expired on `today` (it is still valid on its expiry date).
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires_on.is_some_and(|last_day| today > last_day)
    }

    /// The verification page for this certificate under `base` (such as `https://lms.example.jp`):
    /// `{base}/verify/{code}`.
    pub fn verify_url(&self, base: &str) -> String {
        format!("{}/verify/{}", base.trim_end_matches('/'), self.code)
    }
}

/// Japan Standard Time (UTC+9), the time zone certificate dates are read in.
const JAPAN: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The issue date as printed: the calendar day in Japan when the certificate was issued.
pub(crate) fn issued_on_in_japan(certificate: &Certificate) -> Date {
    certificate
        .issued_at
        .checked_to_offset(JAPAN)
        .unwrap_or(certificate.issued_at)
        .date()
}

fn check_text(field: &'static str, text: &str, max: usize) -> Result<(), InvalidCertificate> {
    if text.trim().is_empty() {
        return Err(InvalidCertificate::Blank(field));
    }
    if text.chars().any(char::is_control) {
        return Err(InvalidCertificate::ControlCharacter(field));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(InvalidCertificate::TooLong { field, chars, max });
    }
    Ok(())
}
