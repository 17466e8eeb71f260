//! Search text: one normalisation for what is stored and what is asked, and safe `LIKE` patterns.
//!
//! Both sides are NFKC-folded and lower-cased, so that full-width `ＢＣＰ` finds `BCP`, half-width
//! katakana finds full-width, and case does not matter; a substring match then works for Japanese,
//! which has no spaces to split words on.

use unicode_normalization::UnicodeNormalization;

/// The longest query used, in characters (longer input is cut, not refused).
pub const MAX_QUERY_CHARS: usize = 100;

/// NFKC, lower case, runs of white space as one space, trimmed.
pub fn normalize(text: &str) -> String {
    let folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stored search text of a record: its searchable fields, each normalised, one per line.
pub fn search_text(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| normalize(f))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A `LIKE … ESCAPE '\'` pattern matching the normalised query anywhere, or `None` for an empty
/// query. `%`, `_` and `\` in the query match themselves.
pub fn like_pattern(query: &str) -> Option<String> {
    let query: String = normalize(query).chars().take(MAX_QUERY_CHARS).collect();
    if query.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(query.len() + 2);
    pattern.push('%');
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

/// One page of a result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The page, from 1.
    pub number: u32,
    /// Results per page.
    pub size: u32,
}

impl PageRequest {
    /// Page `number` (from 1; anything smaller, or unreadable, is page 1) of `size` results.
    pub fn new(number: Option<&str>, size: u32) -> Self {
        let number = number
            .and_then(|n| n.trim().parse::<u32>().ok())
            .filter(|n| *n >= 1)
            .unwrap_or(1);
        Self {
            number,
            size: size.max(1),
        }
    }

    /// How many results come before this page.
    pub fn offset(self) -> i64 {
        i64::from(self.number - 1) * i64::from(self.size)
    }

    /// How many pages `total` results fill (at least one, so that an empty list is page 1 of 1).
    pub fn page_count(self, total: i64) -> u32 {
        let pages = (total.max(0) + i64::from(self.size) - 1) / i64::from(self.size);
        u32::try_from(pages).unwrap_or(u32::MAX).max(1)
    }
}
