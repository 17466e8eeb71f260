//! The portal's interface language and its fixed texts.

use mist_core::LanguageTag;
use serde::Deserialize;

/// The interface language, from `?lang=`; Japanese by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語.
    #[default]
    Ja,
    /// English.
    En,
}

/// The query string every page accepts.
#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    /// `ja` or `en`; anything else falls back to Japanese.
    #[serde(default)]
    pub lang: Option<String>,
}

impl LangQuery {
    /// The chosen language.
    pub fn lang(&self) -> Lang {
        match self.lang.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Ja,
        }
    }
}

impl Lang {
    /// The language tag used to pick localized content.
    pub fn tag(self) -> LanguageTag {
        match self {
            Lang::Ja => LanguageTag::ja(),
            Lang::En => LanguageTag::en(),
        }
    }

    /// The code used in URLs and the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Picks the text for this language.
    pub fn pick(self, ja: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
