//! The course model: series → courses → modules → lessons and a quiz.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::quiz::Quiz;
use crate::slug::Slug;
use crate::text::{LanguageTag, Localized};

/// A collection of courses, one per audience tier in the MIST series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The series' name.
    pub title: Localized,
    /// What the series is about.
    pub description: Option<Localized>,
    /// Declared languages, in order of preference: the first is the fallback for missing texts.
    pub languages: Vec<LanguageTag>,
    /// The courses in catalogue order.
    pub courses: Vec<Course>,
}

impl Series {
    /// The course with this slug.
    pub fn course(&self, slug: &str) -> Option<&Course> {
        self.courses
            .iter()
            .find(|course| course.slug.as_str() == slug)
    }
}

/// The audience tier a course is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 経営者: hospital directors and boards.
    Executive,
    /// システム・セキュリティ管理者: the people who run and secure the systems.
    Administrator,
    /// 初学者・医療従事者: every member of staff.
    Staff,
}

impl Audience {
    /// Every tier, in catalogue order.
    pub const ALL: [Audience; 3] = [
        Audience::Executive,
        Audience::Administrator,
        Audience::Staff,
    ];

    /// The identifier used in files and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Executive => "executive",
            Audience::Administrator => "administrator",
            Audience::Staff => "staff",
        }
    }

    /// Parses the identifier used in files and URLs.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|tier| tier.as_str() == value)
    }

    /// The tier's name in Japanese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Audience::Executive => ("経営者", "Executives"),
            Audience::Administrator => (
                "システム・セキュリティ管理者",
                "System and security administrators",
            ),
            Audience::Staff => ("初学者・医療従事者", "Beginners and medical staff"),
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The share of the maximum quiz score needed to pass, in whole percent (1–100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct PassMark(u8);

/// The pass mark was outside 1–100 percent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a pass mark is a percentage from 1 to 100, not {0}")]
pub struct InvalidPassMark(pub i64);

impl PassMark {
    /// The default for staff and administrators.
    pub const DEFAULT: PassMark = PassMark(80);

    /// Checks a percentage.
    pub fn from_percent(percent: i64) -> Result<Self, InvalidPassMark> {
        u8::try_from(percent)
            .ok()
            .filter(|p| (1..=100).contains(p))
            .map(Self)
            .ok_or(InvalidPassMark(percent))
    }

    /// The pass mark in percent.
    pub fn percent(self) -> u8 {
        self.0
    }

    /// The pass mark as a fraction of 1 (SCORM's scaled passing score).
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl TryFrom<u8> for PassMark {
    type Error = InvalidPassMark;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::from_percent(i64::from(value))
    }
}

impl From<PassMark> for u8 {
    fn from(mark: PassMark) -> Self {
        mark.0
    }
}

/// A course for one audience tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    /// Stable UUID (written by the author or derived from the slug).
    pub id: Uuid,
    /// Stable identifier, the course directory's name.
    pub slug: Slug,
    /// The tier the course is written for.
    pub audience: Audience,
    /// The course's name.
    pub title: Localized,
    /// What the course covers.
    pub description: Option<Localized>,
    /// Pass mark for the module quizzes unless a quiz sets its own.
    pub pass_mark: PassMark,
    /// The modules in order.
    pub modules: Vec<Module>,
}

impl Course {
    /// The module with this slug.
    pub fn module(&self, slug: &str) -> Option<&Module> {
        self.modules
            .iter()
            .find(|module| module.slug.as_str() == slug)
    }
}

/// A unit of study: lessons and a quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Module {
    /// Stable UUID (written by the author or derived from the slugs).
    pub id: Uuid,
    /// Stable identifier, the module directory's name.
    pub slug: Slug,
    /// The module's name.
    pub title: Localized,
    /// One or two sentences on what the module covers.
    pub summary: Option<Localized>,
    /// Estimated study time in minutes.
    pub minutes: Option<u16>,
    /// Marked as the beginner level of its tier (初級).
    pub beginner: bool,
    /// Needed to complete the course.
    pub required: bool,
    /// Source tags of the facts the module relies on.
    pub sources: Vec<String>,
    /// What a learner can do after the module.
    pub objectives: Vec<Localized>,
    /// The lessons in order.
    pub lessons: Vec<Lesson>,
    /// The comprehension check, if the module has one.
    pub quiz: Option<Quiz>,
    /// For a module imported from a SCORM package: what to launch and the package's rules. Its
    /// lessons are then empty and the SCO reports completion and score itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch: Option<ScormLaunch>,
}

/// A module that is one launchable item (SCO or asset) of an imported SCORM package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScormLaunch {
    /// The package's `schemaversion`, such as `1.2` or `2004 4th Edition`.
    pub version: String,
    /// The item's identifier in the manifest.
    pub item: String,
    /// Whether the item is a SCO (it talks to the run-time) or an asset.
    pub is_sco: bool,
    /// The launch URL relative to the package root (`xml:base`, href and parameters resolved).
    pub launch_url: String,
    /// SCORM 1.2 `masteryscore` (0–100).
    pub mastery_score: Option<f64>,
    /// SCORM 2004 scaled passing score.
    pub scaled_passing_score: Option<f64>,
    /// SCORM 2004 completion threshold (minimum progress measure) when completion is by measure.
    pub completion_threshold: Option<f64>,
    /// Launch data (`datafromlms`).
    pub data_from_lms: Option<String>,
    /// Time allowed (`maxtimeallowed`), as written.
    pub max_time_allowed: Option<String>,
    /// What happens when time runs out (`timelimitaction`).
    pub time_limit_action: Option<String>,
    /// The item's IMS Simple Sequencing rules, as the package parser models them (kept for the
    /// player and a sequencing engine; `None` when the item has none).
    pub sequencing: Option<serde_json::Value>,
}

/// One page of a module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// Stable identifier within the module.
    pub slug: Slug,
    /// The lesson's heading.
    pub title: Localized,
    /// The content, in display order.
    pub blocks: Vec<Block>,
}

/// A piece of lesson content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Markdown text; render it with [`crate::markdown::render`].
    Text {
        /// The Markdown source per language.
        markdown: Localized,
    },
    /// A video whose watching is tracked.
    Video(Video),
    /// A file the learner can download.
    Download(Download),
    /// A link to a page elsewhere.
    Link(Link),
}

/// A video block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Video {
    /// An `https` URL or a path inside the module directory.
    pub url: String,
    /// Length, used for watch-progress tracking.
    pub duration_seconds: u32,
    /// Caption tracks (WebVTT).
    pub captions: Vec<Caption>,
}

/// A caption track of a video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Caption {
    /// Language of the captions.
    pub lang: LanguageTag,
    /// An `https` URL or a path inside the module directory.
    pub url: String,
}

/// A downloadable file shipped with the module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Download {
    /// Path inside the module directory, with `/` separators.
    pub file: String,
    /// What the file is.
    pub title: Localized,
}

/// A link to an external page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// An `http` or `https` URL.
    pub url: String,
    /// What the page is.
    pub title: Localized,
}

/// The namespace of the UUIDs MIST derives from slugs (UUID v5).
pub const ID_NAMESPACE: Uuid = Uuid::from_u128(0x6d15_7a00_c0de_4b1d_9a1e_2b0f_5e55_0001);

/// The stable UUID of a course whose author wrote none.
pub fn derived_course_id(course: &Slug) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, format!("course/{course}").as_bytes())
}

/// The stable UUID of a module whose author wrote none.
pub fn derived_module_id(course: &Slug, module: &Slug) -> Uuid {
    Uuid::new_v5(
        &ID_NAMESPACE,
        format!("module/{course}/{module}").as_bytes(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pass_mark_is_a_percentage() {
        assert_eq!(PassMark::from_percent(75).unwrap().fraction(), 0.75);
        for bad in [0, 101, -5, 1000] {
            assert_eq!(PassMark::from_percent(bad), Err(InvalidPassMark(bad)));
        }
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let staff = Slug::parse("staff").unwrap();
        let exec = Slug::parse("executive").unwrap();
        let intro = Slug::parse("intro").unwrap();
        assert_eq!(derived_course_id(&staff), derived_course_id(&staff));
        assert_ne!(derived_course_id(&staff), derived_course_id(&exec));
        assert_ne!(
            derived_module_id(&staff, &intro),
            derived_module_id(&exec, &intro)
        );
    }

    #[test]
    fn audiences_round_trip() {
        for tier in Audience::ALL {
            assert_eq!(Audience::parse(tier.as_str()), Some(tier));
        }
        assert_eq!(Audience::parse("doctor"), None);
    }
}
