//! The authoring files as written, before checking: every value that a finding may point at keeps its
//! position (`Spanned`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A localized text as written: language → text.
pub(crate) type RawText = Spanned<BTreeMap<String, String>>;
/// A list of slugs as written.
pub(crate) type RawSlugList = Spanned<Vec<Spanned<String>>>;

#[derive(Deserialize)]
pub(crate) struct RawSeries {
    pub languages: Option<RawSlugList>,
    pub courses: RawSlugList,
    pub title: RawText,
    pub description: Option<RawText>,
}

#[derive(Deserialize)]
pub(crate) struct RawCourse {
    pub id: Option<Spanned<String>>,
    pub audience: Spanned<String>,
    pub pass_mark: Option<Spanned<i64>>,
    pub modules: RawSlugList,
    pub title: RawText,
    pub description: Option<RawText>,
    pub languages: Option<RawSlugList>,
}

#[derive(Deserialize)]
pub(crate) struct RawModule {
    pub id: Option<Spanned<String>>,
    pub title: RawText,
    pub summary: Option<RawText>,
    pub minutes: Option<Spanned<i64>>,
    #[serde(default)]
    pub beginner: bool,
    pub required: Option<bool>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<RawText>,
    pub lessons: Spanned<Vec<RawLesson>>,
}

#[derive(Deserialize)]
pub(crate) struct RawLesson {
    pub slug: Spanned<String>,
    pub video: Option<RawVideo>,
    #[serde(default)]
    pub downloads: Vec<RawDownload>,
    #[serde(default)]
    pub links: Vec<RawLink>,
}

#[derive(Deserialize)]
pub(crate) struct RawVideo {
    pub url: Spanned<String>,
    pub duration_seconds: Spanned<i64>,
    #[serde(default)]
    pub captions: Vec<RawCaption>,
}

#[derive(Deserialize)]
pub(crate) struct RawCaption {
    pub lang: Spanned<String>,
    pub url: Spanned<String>,
}

#[derive(Deserialize)]
pub(crate) struct RawDownload {
    pub file: Spanned<String>,
    pub title: RawText,
}

#[derive(Deserialize)]
pub(crate) struct RawLink {
    pub url: Spanned<String>,
    pub title: RawText,
}

#[derive(Deserialize)]
pub(crate) struct RawFrontMatter {
    pub title: Spanned<String>,
}

#[derive(Deserialize)]
pub(crate) struct RawQuiz {
    pub draw: Option<Spanned<i64>>,
    pub draw_by_tag: Option<Spanned<BTreeMap<String, Spanned<i64>>>>,
    pub pass_mark: Option<Spanned<i64>>,
    pub questions: Spanned<Vec<RawQuestion>>,
}

/// A question as written. The keys of every type sit side by side, so that a key that does not belong
/// to the question's type is reported with its position instead of failing the whole file.
#[derive(Deserialize)]
pub(crate) struct RawQuestion {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub prompt: RawText,
    pub explanation: Option<RawText>,
    pub options: Option<Spanned<Vec<RawChoice>>>,
    pub answer: Option<Spanned<toml::Value>>,
    pub tolerance: Option<Spanned<f64>>,
    pub unit: Option<RawText>,
    pub items: Option<Spanned<Vec<RawItem>>>,
    pub pairs: Option<Spanned<Vec<RawPair>>>,
    pub accept: Option<Spanned<Vec<Spanned<String>>>>,
    pub case_sensitive: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
pub(crate) struct RawChoice {
    pub id: Spanned<String>,
    pub text: RawText,
    #[serde(default)]
    pub correct: bool,
    pub feedback: Option<RawText>,
}

#[derive(Deserialize)]
pub(crate) struct RawItem {
    pub id: Spanned<String>,
    pub text: RawText,
}

#[derive(Deserialize)]
pub(crate) struct RawPair {
    pub id: Spanned<String>,
    pub left: RawText,
    pub right: RawText,
}
