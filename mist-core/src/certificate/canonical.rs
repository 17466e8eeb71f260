//! The canonical byte form of a certificate, which the signature covers.
//!
//! It is UTF-8 text: the line `mist-certificate/1`, then one line per field in this fixed order,
//! each `name=LENGTH:value` followed by `\n`, where LENGTH is the value's length in bytes (decimal).
//! The length prefix keeps the form unambiguous whatever a value contains.
//!
//! | name | value |
//! |---|---|
//! | `id` | the UUID, hyphenated lower case |
//! | `code` | `XXXX-XXXX-XXXX-C` |
//! | `learner.name` | as stored |
//! | `learner.kana` | as stored; the line is absent when there is no kana |
//! | `organization` | as stored |
//! | `course.slug` | the slug |
//! | `course.title.LANG` | one line per language, in language-tag order |
//! | `course.audience` | `executive`, `administrator` or `staff` |
//! | `score` | exact decimal, no trailing zeros: `0.92`, `1`, `0` |
//! | `completed_on` | `YYYY-MM-DD` |
//! | `fiscal_year` | the starting year, such as `2025` |
//! | `issued_at` | RFC 3339, such as `2025-06-02T09:30:00Z` |
//! | `expires_on` | `YYYY-MM-DD`; the line is absent when the certificate does not expire |

use std::fmt::Display;

use time::format_description::well_known::Rfc3339;

use super::Certificate;

/// The first line of the canonical form, naming its version.
const HEADER: &str = "mist-certificate/1\n";

impl Certificate {
    /// The canonical serialization the signature covers (see the module documentation above).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = String::with_capacity(512);
        out.push_str(HEADER);
        let mut field = |name: &str, value: &dyn Display| {
            let value = value.to_string();
            out.push_str(&format!("{name}={}:{value}\n", value.len()));
        };
        field("id", &self.id.hyphenated());
        field("code", &self.code);
        field("learner.name", &self.learner.name);
        if let Some(kana) = &self.learner.kana {
            field("learner.kana", kana);
        }
        field("organization", &self.organization);
        field("course.slug", &self.course.slug);
        for (lang, title) in self.course.title.iter() {
            field(&format!("course.title.{lang}"), &title);
        }
        field("course.audience", &self.course.audience);
        field("score", &self.score);
        field("completed_on", &self.completed_on);
        field("fiscal_year", &self.fiscal_year.start_year());
        // Formatting fails only for years outside 0–9999 or a sub-minute offset, which RFC 3339 cannot
        // express; fall back to the debug form so the bytes stay deterministic.
        let issued_at = self
            .issued_at
            .format(&Rfc3339)
            .unwrap_or_else(|_| format!("{:?}", self.issued_at));
        field("issued_at", &issued_at);
        if let Some(expires_on) = self.expires_on {
            field("expires_on", &expires_on);
        }
        out.into_bytes()
    }
}
