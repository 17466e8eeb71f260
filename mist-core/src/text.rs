//! Localized text and language tags.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A language tag such as `ja` or `en` (lower-case primary subtag, optional `-` subtags).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageTag(String);

/// The input was not a language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a language tag (expected a code such as `ja` or `en`)")]
pub struct InvalidLanguageTag(pub String);

impl LanguageTag {
    /// Parses a tag: 2–3 lower-case letters, then optional `-` subtags of 1–8 letters or digits.
    pub fn parse(tag: &str) -> Result<Self, InvalidLanguageTag> {
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
        let rest_ok = parts.all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if primary_ok && rest_ok {
            Ok(Self(tag.to_owned()))
        } else {
            Err(InvalidLanguageTag(tag.to_owned()))
        }
    }

    /// Japanese, the first language of the MIST series.
    pub fn ja() -> Self {
        Self("ja".to_owned())
    }

    /// English.
    pub fn en() -> Self {
        Self("en".to_owned())
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LanguageTag {
    type Error = InvalidLanguageTag;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LanguageTag> for String {
    fn from(tag: LanguageTag) -> Self {
        tag.0
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A text in one or more languages, never empty.
///
/// **Fallback rule:** [`Localized::resolve`] returns the wanted language when present, otherwise the
/// first of the preferred languages that is present (the series' declared languages, Japanese first for
/// MIST), otherwise the first language the text has in tag order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<LanguageTag, String>",
    into = "BTreeMap<LanguageTag, String>"
)]
pub struct Localized(BTreeMap<LanguageTag, String>);

/// The text had no language with content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a localized text needs at least one non-empty language")]
pub struct EmptyLocalized;

impl Localized {
    /// Builds a text from `(language, text)` pairs; blank entries are dropped.
    pub fn new(
        entries: impl IntoIterator<Item = (LanguageTag, String)>,
    ) -> Result<Self, EmptyLocalized> {
        let map: BTreeMap<_, _> = entries
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .collect();
        if map.is_empty() {
            Err(EmptyLocalized)
        } else {
            Ok(Self(map))
        }
    }

    /// A Japanese and English text, the common case of the MIST series.
    pub fn ja_en(ja: impl Into<String>, en: impl Into<String>) -> Result<Self, EmptyLocalized> {
        Self::new([
            (LanguageTag::ja(), ja.into()),
            (LanguageTag::en(), en.into()),
        ])
    }

    /// The text in exactly this language, if present.
    pub fn get(&self, lang: &LanguageTag) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// The text for a reader of `wanted`, following the fallback rule of this type.
    pub fn resolve(&self, wanted: &LanguageTag, preferred: &[LanguageTag]) -> &str {
        std::iter::once(wanted)
            .chain(preferred)
            .find_map(|lang| self.get(lang))
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or_default()
    }

    /// The languages present.
    pub fn languages(&self) -> impl Iterator<Item = &LanguageTag> {
        self.0.keys()
    }

    /// Every `(language, text)` pair in tag order.
    pub fn iter(&self) -> impl Iterator<Item = (&LanguageTag, &str)> {
        self.0.iter().map(|(lang, text)| (lang, text.as_str()))
    }
}

impl TryFrom<BTreeMap<LanguageTag, String>> for Localized {
    type Error = EmptyLocalized;
    fn try_from(map: BTreeMap<LanguageTag, String>) -> Result<Self, Self::Error> {
        Self::new(map)
    }
}

impl From<Localized> for BTreeMap<LanguageTag, String> {
    fn from(text: Localized) -> Self {
        text.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked() {
        for ok in ["ja", "en", "fil", "ja-JP", "zh-Hant"] {
            assert!(LanguageTag::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "j", "JA", "english", "ja_JP", "ja-", "ja-toolongtag"] {
            assert!(LanguageTag::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolve_falls_back_to_the_preferred_language_then_any() {
        let prefs = [LanguageTag::ja(), LanguageTag::en()];
        let both = Localized::ja_en("こんにちは", "hello").unwrap();
        assert_eq!(both.resolve(&LanguageTag::en(), &prefs), "hello");
        assert_eq!(
            both.resolve(&LanguageTag::parse("fr").unwrap(), &prefs),
            "こんにちは"
        );

        let english_only = Localized::ja_en("", "hello").unwrap();
        assert_eq!(english_only.resolve(&LanguageTag::ja(), &prefs), "hello");
        let german = Localized::new([(LanguageTag::parse("de").unwrap(), "Hallo".into())]).unwrap();
        assert_eq!(german.resolve(&LanguageTag::ja(), &prefs), "Hallo");
    }

    #[test]
    fn empty_text_is_refused() {
        assert_eq!(Localized::ja_en(" ", ""), Err(EmptyLocalized));
        let json = r#"{"ja":""}"#;
        assert!(serde_json::from_str::<Localized>(json).is_err());
    }
}
