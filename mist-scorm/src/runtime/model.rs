//! The data-model engine shared by both versions: resolves an element name against
//! the version's schema, enforces access, array order, dependencies and types, and
//! reads or stores the value.

use std::borrow::Cow;

use super::error::Fault;
use super::schema::{Access, ParsedName, Schema, concrete, parse_name};
use super::{Runtime, Version, cmi12, cmi2004, hooks};

/// Elements that only live for one session and are never persisted.
pub(crate) const SESSION_ONLY: &[&str] = &[
    "cmi.exit",
    "cmi.session_time",
    "adl.nav.request",
    "cmi.core.exit",
    "cmi.core.session_time",
];

const KEYWORDS: &[&str] = &["_children", "_count", "_version"];

/// Prefixes of `pattern` that are arrays, each paired with the number of indices
/// before it (`cmi.interactions.n.objectives.n.id` has two).
fn array_levels(pattern: &str) -> impl Iterator<Item = &str> {
    pattern.match_indices(".n").filter_map(move |(at, _)| {
        let after = pattern.as_bytes().get(at + 2);
        matches!(after, None | Some(b'.')).then(|| &pattern[..at])
    })
}

impl Runtime {
    pub(crate) fn schema(&self) -> &'static Schema {
        match self.version {
            Version::Scorm12 => &cmi12::SCHEMA,
            Version::Scorm2004 => &cmi2004::SCHEMA,
        }
    }

    /// Number of records in the array `pattern` (whose outer indices are `outer`).
    pub(crate) fn count(&self, pattern: &str, outer: &[usize]) -> usize {
        if let Some(count) = hooks::launch_count(self, pattern) {
            return count;
        }
        let key = format!("{}._count", concrete(pattern, outer));
        self.state
            .values
            .get(&key)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    /// Checks that every array index of `name` addresses an existing record; the
    /// innermost may also equal the count when `append` is allowed. Returns whether
    /// the innermost index appends a new record.
    fn check_indices(
        &self,
        name: &ParsedName,
        append: bool,
        failure: Fault,
    ) -> Result<bool, Fault> {
        let levels: Vec<&str> = array_levels(&name.pattern).collect();
        let mut appends = false;
        for (depth, level) in levels.iter().enumerate() {
            let index = name.indices.get(depth).copied().unwrap_or(usize::MAX);
            let count = self.count(level, &name.indices[..depth]);
            let innermost = depth + 1 == levels.len();
            if index < count {
                continue;
            }
            if !(append && innermost && index == count) || hooks::is_launch_array(level) {
                // Writing below a record that does not exist yet: its id comes first.
                let parent_missing = append && !innermost && index == count;
                return Err(if parent_missing {
                    Fault::Dependency
                } else {
                    failure
                });
            }
            let spm = self
                .schema()
                .containers
                .get(level)
                .and_then(|c| c.array)
                .map_or(0, |a| a.spm);
            if count >= spm {
                return Err(Fault::SetFailure);
            }
            appends = true;
        }
        Ok(appends)
    }

    /// Answers a `_children` / `_count` / `_version` request, if `name` is one.
    fn keyword_get(&self, name: &ParsedName) -> Option<Result<Cow<'static, str>, Fault>> {
        let (prefix, keyword) = name.pattern.rsplit_once('.')?;
        if !KEYWORDS.contains(&keyword) || name.pattern == "cmi._version" {
            return None;
        }
        let schema = self.schema();
        let Some(container) = schema.containers.get(prefix) else {
            let known = schema.knows(prefix);
            return Some(Err(match keyword {
                "_children" if known => Fault::NoChildren,
                "_count" if known => Fault::NoCount,
                _ => Fault::Undefined,
            }));
        };
        let outer_ok = self.check_indices(
            &ParsedName {
                pattern: prefix.to_owned(),
                indices: name.indices.clone(),
            },
            false,
            Fault::GetFailure,
        );
        Some(outer_ok.and_then(|_| match (keyword, container.array) {
            ("_children", _) => Ok(Cow::Borrowed(container.children)),
            ("_count", Some(_)) => Ok(Cow::Owned(self.count(prefix, &name.indices).to_string())),
            ("_count", None) => Err(Fault::NoCount),
            _ => Err(Fault::Undefined),
        }))
    }

    /// `GetValue` once the API state allows it.
    pub(crate) fn dm_get(&self, element: &str) -> Result<Cow<'_, str>, Fault> {
        if element.is_empty() {
            return Err(Fault::GetFailure);
        }
        if let Some(answer) = hooks::special_name_get(self, element) {
            return answer;
        }
        let name = parse_name(element).ok_or(Fault::Undefined)?;
        if let Some(answer) = self.keyword_get(&name) {
            return answer;
        }
        let access = self.element_access(&name.pattern)?;
        if access == Access::WriteOnly {
            return Err(Fault::WriteOnly);
        }
        self.check_indices(&name, false, Fault::GetFailure)?;
        if let Some(answer) = hooks::read(self, &name) {
            return answer;
        }
        let key = concrete(&name.pattern, &name.indices);
        if let Some(value) = self
            .state
            .values
            .get(&key)
            .or_else(|| self.session.get(&key))
        {
            return Ok(Cow::Borrowed(value));
        }
        let default = match self.version {
            Version::Scorm12 => cmi12::default_value(&name.pattern).or(Some("")),
            Version::Scorm2004 => cmi2004::default_value(&name.pattern),
        };
        default.map(Cow::Borrowed).ok_or(Fault::NotInitialized)
    }

    fn element_access(&self, pattern: &str) -> Result<Access, Fault> {
        let schema = self.schema();
        if let Some((access, _)) = schema.elements.get(pattern) {
            return Ok(*access);
        }
        let parent_known = pattern
            .rsplit_once('.')
            .is_some_and(|(parent, _)| schema.containers.contains_key(parent));
        Err(if parent_known {
            Fault::UndefinedLeaf
        } else {
            Fault::Undefined
        })
    }

    /// `SetValue` once the API state allows it.
    pub(crate) fn dm_set(&mut self, element: &str, value: &str) -> Result<(), Fault> {
        if element.is_empty() {
            return Err(Fault::SetFailure);
        }
        if let Some(fault) = hooks::special_name_set(self, element) {
            return Err(fault);
        }
        let name = parse_name(element).ok_or(Fault::Undefined)?;
        if let Some((prefix, keyword)) = name.pattern.rsplit_once('.')
            && KEYWORDS.contains(&keyword)
        {
            let known = self.schema().knows(prefix) || name.pattern == "cmi._version";
            return Err(if known {
                Fault::Keyword
            } else {
                Fault::Undefined
            });
        }
        let access = self.element_access(&name.pattern)?;
        if access == Access::ReadOnly {
            return Err(Fault::ReadOnly);
        }
        let appends = self.check_indices(&name, true, Fault::SetFailure)?;
        if appends {
            self.check_new_record(&name)?;
        }
        hooks::validate(self, &name, value)?;
        let stored = hooks::stored_form(self, &name, value);
        self.store(&name, &stored, appends);
        Ok(())
    }

    /// A new record of an array with a key field must start with that field (408).
    fn check_new_record(&self, name: &ParsedName) -> Result<(), Fault> {
        let Some(level) = array_levels(&name.pattern).last() else {
            return Ok(());
        };
        let key = self
            .schema()
            .containers
            .get(level)
            .and_then(|c| c.array)
            .and_then(|a| a.key);
        let field = name.pattern.get(level.len() + 3..).unwrap_or("");
        match key {
            Some(key) if key != field => Err(Fault::Dependency),
            _ => Ok(()),
        }
    }

    fn store(&mut self, name: &ParsedName, value: &str, appends: bool) {
        if hooks::store_special(self, name, value) {
            return;
        }
        let key = concrete(&name.pattern, &name.indices);
        if SESSION_ONLY.contains(&key.as_str()) {
            self.session.insert(key, value.to_owned());
            return;
        }
        if appends && let Some(level) = array_levels(&name.pattern).last() {
            let depth = name.indices.len().saturating_sub(1);
            let outer = &name.indices[..depth];
            let count_key = format!("{}._count", concrete(level, outer));
            let count = (self.count(level, outer) + 1).to_string();
            self.put(count_key, count);
        }
        self.put(key, value.to_owned());
    }

    /// Stores a persisted value and records it for the next commit.
    pub(crate) fn put(&mut self, key: String, value: String) {
        self.pending.values.insert(key.clone(), value.clone());
        self.state.values.insert(key, value);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn array_levels_are_the_prefixes_before_each_index() {
        let levels: Vec<&str> = array_levels("cmi.interactions.n.objectives.n.id").collect();
        assert_eq!(
            levels,
            vec!["cmi.interactions", "cmi.interactions.n.objectives"]
        );
        assert_eq!(array_levels("cmi.learner_name").count(), 0);
    }
}
