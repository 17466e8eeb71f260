//! TOML parsing that reports syntax errors, wrong values and unknown keys with their positions.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Code, FileRef, Findings};

/// Parses a TOML document into `T`, recording every problem; `None` when `T` could not be built.
///
/// Unknown keys are reported (all of them) but do not stop the parse, so that one typo does not hide
/// the rest of the file's findings.
pub(crate) fn parse_toml<T: DeserializeOwned>(
    file: FileRef<'_>,
    toml_text: &str,
    findings: &mut Findings,
) -> Option<T> {
    let table = match DeTable::parse(toml_text) {
        Ok(table) => table,
        Err(error) => {
            findings.add(
                file,
                error.span(),
                Code::TomlSyntax,
                first_line(error.message()),
                Some("fix the TOML syntax; strings need double quotes, and inline tables stay on one line".to_owned()),
            );
            return None;
        }
    };
    let deserializer = toml::de::Deserializer::from(table.clone());
    let mut unknown: Vec<Vec<Segment>> = Vec::new();
    let result = serde_ignored::deserialize(deserializer, |path| unknown.push(segments(&path)));
    let mut located: Vec<_> = unknown
        .iter()
        .map(|path| key_span(table.get_ref(), path))
        .collect();
    located.sort_by_key(|(span, _)| span.as_ref().map(|span| span.start));
    for (span, name) in located {
        findings.add(
            file,
            span,
            Code::UnknownKey,
            format!("unknown key `{name}`"),
            Some("check the spelling; docs/authoring.md lists the keys of each file".to_owned()),
        );
    }
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            findings.add(
                file,
                error.span(),
                Code::InvalidValue,
                first_line(error.message()),
                None,
            );
            None
        }
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

/// One step of a path to a value.
#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    use serde_ignored::Path;
    let mut out = match path {
        Path::Root => return Vec::new(),
        Path::Seq { parent, .. } | Path::Map { parent, .. } => segments(parent),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => {
            return segments(parent);
        }
    };
    match path {
        Path::Seq { index, .. } => out.push(Segment::Index(*index)),
        // `toml::Spanned` shows up as a map with private keys; it is not part of the document's path.
        Path::Map { key, .. } if key.starts_with("$__serde_spanned_private") => {}
        Path::Map { key, .. } => out.push(Segment::Key(key.clone())),
        _ => {}
    }
    out
}

/// The span of the last key of `path` in the document, and its dotted name.
fn key_span(root: &DeTable<'_>, path: &[Segment]) -> (Option<std::ops::Range<usize>>, String) {
    let name = path
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => key.clone(),
            Segment::Index(index) => index.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".");
    let mut table = root;
    let mut span = None;
    let mut rest = path;
    while let Some((Segment::Key(key), tail)) = rest.split_first() {
        let Some((found_key, value)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == key)
        else {
            break;
        };
        span = Some(found_key.span());
        let mut value = value.get_ref();
        rest = tail;
        while let Some((Segment::Index(index), tail)) = rest.split_first() {
            match value {
                DeValue::Array(array) => match array.get(*index) {
                    Some(item) => value = item.get_ref(),
                    None => break,
                },
                _ => break,
            }
            rest = tail;
        }
        match value {
            DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    (span, name)
}
