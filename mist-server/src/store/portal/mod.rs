//! The public portal's records: contents collection, instructor and engineer list, related links,
//! and visitors' messages. Searches match the stored `search_text` (folded by
//! [`mist_core::portal::search`]) with an escaped `LIKE` pattern, identically on both databases.

pub mod contents;
pub mod experts;
pub mod links;
pub mod messages;

/// A search filter value: the empty string means "any" (an absent filter binds as `''`, so that one
/// query text serves every combination on both databases).
pub(crate) fn any(value: Option<&str>) -> &str {
    value.unwrap_or_default()
}

/// The `LIKE` pattern of one tag in a `,a,b,` column, or `''` for no filter.
pub(crate) fn tag_pattern(tag: Option<&str>) -> String {
    tag.map(|t| format!("%,{t},%")).unwrap_or_default()
}
