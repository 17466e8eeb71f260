//! Slugs: the stable, human-readable identifiers of courses, modules, lessons and questions.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable identifier: 1–64 characters of `a-z`, `0-9` and `-`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// The input was not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a slug: use 1–64 characters of a-z, 0-9 and `-`, not starting or ending with `-`"
)]
pub struct InvalidSlug(pub String);

impl Slug {
    /// The longest slug accepted.
    pub const MAX_LEN: usize = 64;

    /// Checks and wraps a slug.
    pub fn parse(value: &str) -> Result<Self, InvalidSlug> {
        let chars_ok = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let ok = chars_ok
            && (1..=Self::MAX_LEN).contains(&value.len())
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidSlug(value.to_owned()))
        }
    }

    /// The slug as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidSlug;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked() {
        for ok in ["a", "staff", "b1-what-happens", "2024", &"x".repeat(64)] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "Staff",
            "a_b",
            "a b",
            "日本",
            "a/b",
            "..",
            &"x".repeat(65),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }
}
