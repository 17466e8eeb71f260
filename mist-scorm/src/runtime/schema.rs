//! Table-driven description of a data model: elements, containers and arrays, and
//! the parsing of dotted element names into a pattern (`n` for indices) plus indices.

use std::collections::HashMap;

/// Who may read and write an element through the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// `GetValue` only.
    ReadOnly,
    /// `SetValue` only.
    WriteOnly,
    /// Both.
    ReadWrite,
}

/// The value type of an element, which decides how `SetValue` validates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ValueType {
    /// `characterstring` with an SPM (2004) or `CMIString` of a maximum length (1.2).
    Text(usize),
    /// `localized_string_type` with an SPM.
    Localized(usize),
    /// `long_identifier_type` / `short_identifier_type` with an SPM.
    Identifier(usize),
    /// A fixed vocabulary.
    Vocab(&'static [&'static str]),
    /// `real(10,7)` with optional inclusive bounds.
    Real(Option<f64>, Option<f64>),
    /// ISO 8601 `timeinterval(second,10,2)`.
    Duration,
    /// `time(second,10,0)`.
    DateTime,
    /// A language code or `""`.
    Language,
    /// `adl.nav.request` values.
    NavRequest,
    /// An interaction's correct-response pattern (format depends on its type).
    Pattern,
    /// An interaction's learner response (format depends on its type).
    Response,
    /// 2004 interaction result: vocabulary or a real.
    Result2004,
    /// 1.2 `CMIIdentifier`: 1–255 characters without blanks.
    Id12,
    /// 1.2 score: blank or a decimal in 0..=100.
    Score12,
    /// 1.2 `CMIDecimal`: blank or any decimal.
    Decimal12,
    /// 1.2 `CMISInteger` with inclusive bounds.
    Integer12(i32, i32),
    /// 1.2 `CMITimespan`.
    Timespan12,
    /// 1.2 `CMITime`.
    Time12,
    /// 1.2 `lesson_status` as written by a SCO (no `not attempted`).
    LessonStatus12,
    /// 1.2 interaction result: vocabulary or a decimal.
    Result12,
}

/// An array's rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArrayRule {
    /// Smallest permitted maximum number of records.
    pub(crate) spm: usize,
    /// The field that must be set before any other field of a new record (2004 ids).
    pub(crate) key: Option<&'static str>,
}

/// An element that has `_children` (and, for arrays, `_count`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Container {
    /// The comma-separated `_children` answer.
    pub(crate) children: &'static str,
    /// `Some` when the container is an array.
    pub(crate) array: Option<ArrayRule>,
}

/// One data model, indexed by element pattern.
pub(crate) struct Schema {
    pub(crate) elements: HashMap<&'static str, (Access, ValueType)>,
    pub(crate) containers: HashMap<&'static str, Container>,
}

impl Schema {
    /// Builds a schema from its element and container tables.
    pub(crate) fn new(
        elements: &[(&'static str, Access, ValueType)],
        containers: &[(&'static str, &'static str, Option<ArrayRule>)],
    ) -> Self {
        Self {
            elements: elements.iter().map(|(p, a, t)| (*p, (*a, *t))).collect(),
            containers: containers
                .iter()
                .map(|(p, children, array)| {
                    (
                        *p,
                        Container {
                            children,
                            array: *array,
                        },
                    )
                })
                .collect(),
        }
    }

    /// True when `pattern` names an element or container of this model.
    pub(crate) fn knows(&self, pattern: &str) -> bool {
        self.elements.contains_key(pattern) || self.containers.contains_key(pattern)
    }
}

/// At most this many array indices appear in one element name.
pub(crate) const MAX_DEPTH: usize = 2;

/// An element name split into its pattern and its array indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedName {
    /// The name with every index replaced by `n`.
    pub(crate) pattern: String,
    /// The indices in order of appearance.
    pub(crate) indices: Vec<usize>,
}

/// Parses `cmi.interactions.3.objectives.0.id` into
/// `cmi.interactions.n.objectives.n.id` and `[3, 0]`.
///
/// Returns `None` for names that cannot belong to any data model (empty segments,
/// too many indices). Oversized indices saturate, so they are simply out of range.
pub(crate) fn parse_name(name: &str) -> Option<ParsedName> {
    let mut pattern = String::with_capacity(name.len());
    let mut indices = Vec::new();
    for (i, segment) in name.split('.').enumerate() {
        if segment.is_empty() {
            return None;
        }
        if i > 0 {
            pattern.push('.');
        }
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            if indices.len() == MAX_DEPTH {
                return None;
            }
            indices.push(segment.parse().unwrap_or(usize::MAX));
            pattern.push('n');
        } else {
            pattern.push_str(segment);
        }
    }
    Some(ParsedName { pattern, indices })
}

/// Rebuilds a concrete name from a pattern and indices (the inverse of [`parse_name`]).
pub(crate) fn concrete(pattern: &str, indices: &[usize]) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut next = indices.iter();
    for (i, segment) in pattern.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        match (segment, next.clone().next()) {
            ("n", Some(index)) => {
                out.push_str(&index.to_string());
                next.next();
            }
            _ => out.push_str(segment),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_patterns() {
        let parsed = parse_name("cmi.interactions.3.objectives.0.id").unwrap();
        assert_eq!(parsed.pattern, "cmi.interactions.n.objectives.n.id");
        assert_eq!(parsed.indices, vec![3, 0]);
        assert_eq!(
            concrete(&parsed.pattern, &parsed.indices),
            "cmi.interactions.3.objectives.0.id"
        );
        assert_eq!(parse_name("cmi..x"), None);
        assert_eq!(parse_name("a.1.2.3"), None);
        assert_eq!(
            parse_name("cmi.objectives.99999999999999999999999.id")
                .unwrap()
                .indices,
            vec![usize::MAX]
        );
    }
}
