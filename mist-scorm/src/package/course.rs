//! Into the engine: a checked package becomes a mist-core course with one module per launchable item.

use std::collections::HashSet;

use mist_core::model::{ScormLaunch, derived_course_id, derived_module_id};
use mist_core::{Audience, Course, LanguageTag, Localized, Module, PassMark, Slug};

use super::report::Report;
use super::{Launchable, ScormType};

/// Why a package cannot become a course.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The check found errors; the report says which.
    #[error("the package is not importable: {0} errors")]
    NotImportable(usize),
    /// The package has nothing to launch.
    #[error("the package has no launchable item")]
    NothingToLaunch,
    /// An item has neither a title nor an identifier to name its module by.
    #[error("item {0} has no title or identifier")]
    Unnamed(usize),
}

/// Maps a checked package to a course: one module per launchable item of the launch organization, in
/// tree order, with its launch URL, thresholds and sequencing. Titles are filed under Japanese when they
/// contain Japanese script, else English (the fallback rule shows them in either language). The course's
/// pass mark is the first SCO's mastery score or scaled passing score, else the default.
pub fn to_course(report: &Report, slug: Slug, audience: Audience) -> Result<Course, ImportError> {
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == super::Severity::Error)
        .count();
    let manifest = match (&report.manifest, errors) {
        (Some(manifest), 0) => manifest,
        _ => return Err(ImportError::NotImportable(errors.max(1))),
    };
    let launchables = manifest.launchables();
    if launchables.is_empty() {
        return Err(ImportError::NothingToLaunch);
    }
    let version = report.scorm_version.map_or("", |v| v.as_str()).to_owned();
    let mut used = HashSet::new();
    let modules: Vec<Module> = launchables
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let module_slug =
                unique_slug(&item.item, index, &mut used).ok_or(ImportError::Unnamed(index))?;
            let title = titled(&item.title)
                .or_else(|| titled(&item.item))
                .ok_or(ImportError::Unnamed(index))?;
            Ok(Module {
                id: derived_module_id(&slug, &module_slug),
                slug: module_slug,
                title,
                summary: None,
                minutes: None,
                beginner: false,
                required: item.scorm_type == ScormType::Sco,
                sources: Vec::new(),
                objectives: Vec::new(),
                lessons: Vec::new(),
                quiz: None,
                launch: Some(launch(&version, item)),
            })
        })
        .collect::<Result<_, ImportError>>()?;
    let pass_mark = launchables
        .iter()
        .filter(|l| l.scorm_type == ScormType::Sco)
        .find_map(|l| {
            l.scaled_passing_score
                .map(|s| s * 100.0)
                .or(l.mastery_score)
        })
        .and_then(|percent| PassMark::from_percent(percent.round() as i64).ok())
        .unwrap_or(PassMark::DEFAULT);
    let title = report
        .title
        .as_deref()
        .and_then(titled)
        .or_else(|| titled(slug.as_str()))
        .ok_or(ImportError::Unnamed(0))?;
    Ok(Course {
        id: derived_course_id(&slug),
        slug,
        audience,
        title,
        description: None,
        pass_mark,
        modules,
    })
}

fn launch(version: &str, item: &Launchable) -> ScormLaunch {
    ScormLaunch {
        version: version.to_owned(),
        item: item.item.clone(),
        is_sco: item.scorm_type == ScormType::Sco,
        launch_url: item.launch_url.clone(),
        mastery_score: item.mastery_score,
        scaled_passing_score: item.scaled_passing_score,
        completion_threshold: item
            .completion_threshold
            .filter(|t| t.completed_by_measure)
            .map(|t| t.min_progress_measure),
        data_from_lms: item.data_from_lms.clone(),
        max_time_allowed: item.max_time_allowed.clone(),
        time_limit_action: item.time_limit_action.clone(),
        sequencing: item
            .sequencing
            .as_ref()
            .and_then(|s| serde_json::to_value(s).ok()),
    }
}

/// A title in the language its script suggests; `None` when blank.
fn titled(title: &str) -> Option<Localized> {
    let japanese = title.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}'));
    let lang = if japanese {
        LanguageTag::ja()
    } else {
        LanguageTag::en()
    };
    Localized::new([(lang, title.trim().to_owned())]).ok()
}

/// A slug from an item identifier (`SCO_01` → `sco-01`, `item-3` when nothing is left), unique within
/// the course.
fn unique_slug(identifier: &str, index: usize, used: &mut HashSet<String>) -> Option<Slug> {
    let words: Vec<String> = identifier
        .to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect();
    let mut base = words.join("-");
    base.truncate(56);
    let base = base.trim_end_matches('-').to_owned();
    let base = if base.is_empty() {
        format!("item-{}", index + 1)
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    Slug::parse(&candidate).ok()
}
