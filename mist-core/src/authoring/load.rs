//! Loading a series or a stand-alone course from a [`SourceTree`].

use std::collections::HashSet;

use toml::Spanned;
use uuid::Uuid;

use super::context::{Context, join};
use super::diagnostic::{Code, Diagnostic, FileRef, Severity};
use super::lesson::load_lesson;
use super::parse::parse_toml;
use super::quiz::load_quiz;
use super::raw::{RawCourse, RawModule, RawSeries, RawSlugList};
use super::source::SourceTree;
use crate::model::{
    Audience, Course, Module, PassMark, Series, derived_course_id, derived_module_id,
};
use crate::slug::Slug;
use crate::text::{LanguageTag, Localized};

/// The result of loading: the series when it is valid, and every finding.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The loaded series; `None` when any error was found.
    pub series: Option<Series>,
    /// Every finding, in the order the files were read.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadOutcome {
    /// Whether the directory has no errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads the series (a directory with `series.toml`) or stand-alone course (with `course.toml`) in
/// `tree`. A stand-alone course becomes a series of one course with the course's title.
pub fn load(tree: &SourceTree) -> LoadOutcome {
    let mut ctx = Context::new(tree);
    let series = if tree.contains("series.toml") {
        load_series(&mut ctx)
    } else if tree.contains("course.toml") {
        load_standalone_course(&mut ctx)
    } else {
        ctx.findings.at_path(
            &tree.display_path("series.toml"),
            Code::MissingFile,
            "neither series.toml nor course.toml found",
            Some("point the command at a series or course directory, or create one with `mist course init DIR`".to_owned()),
        );
        None
    };
    let has_errors = ctx.findings.has_errors();
    LoadOutcome {
        series: series.filter(|_| !has_errors),
        diagnostics: ctx.findings.0,
    }
}

fn load_series(ctx: &mut Context<'_>) -> Option<Series> {
    let (display, text) = ctx.text_file("series.toml", "")?;
    let file = FileRef::new(&display, text);
    let raw: RawSeries = parse_toml(file, text, &mut ctx.findings)?;
    declare_languages(ctx, file, raw.languages.as_ref());
    let title = ctx.localized(file, &raw.title, "series title");
    let description = ctx.optional_localized(file, raw.description.as_ref(), "series description");
    let listed = ctx.slug_list(file, &raw.courses, "course");
    ctx.unlisted_directories(file, "", "course.toml", &listed, "courses");
    let courses: Vec<Option<Course>> = listed
        .iter()
        .map(|(slug, span)| {
            if !ctx.tree.contains(&join(slug.as_str(), "course.toml")) {
                ctx.findings.add(
                    file,
                    Some(span.clone()),
                    Code::DanglingReference,
                    format!("course `{slug}` is listed but `{slug}/course.toml` does not exist"),
                    Some(format!(
                        "create {slug}/course.toml or remove `{slug}` from `courses`"
                    )),
                );
                return None;
            }
            load_course(ctx, slug.as_str(), slug.clone())
        })
        .collect();
    Some(Series {
        title: title?,
        description,
        languages: ctx.languages.clone(),
        courses: courses.into_iter().collect::<Option<_>>()?,
    })
}

fn load_standalone_course(ctx: &mut Context<'_>) -> Option<Series> {
    let name = ctx.tree.root_name().unwrap_or("course");
    let slug = match Slug::parse(name) {
        Ok(slug) => slug,
        Err(error) => {
            let display = ctx.tree.display_path("course.toml");
            ctx.findings.at_path(
                &display,
                Code::InvalidSlug,
                format!("the course directory's name: {error}"),
                Some("rename the directory; its name is the course's slug".to_owned()),
            );
            return None;
        }
    };
    let course = load_course(ctx, "", slug)?;
    Some(Series {
        title: course.title.clone(),
        description: course.description.clone(),
        languages: ctx.languages.clone(),
        courses: vec![course],
    })
}

fn declare_languages(ctx: &mut Context<'_>, file: FileRef<'_>, raw: Option<&RawSlugList>) {
    let Some(raw) = raw else { return };
    let mut languages = Vec::new();
    for entry in raw.get_ref() {
        match LanguageTag::parse(entry.get_ref()) {
            Ok(tag) if !languages.contains(&tag) => languages.push(tag),
            Ok(tag) => ctx.findings.add(
                file,
                Some(entry.span()),
                Code::DuplicateId,
                format!("language `{tag}` is listed twice"),
                None,
            ),
            Err(error) => ctx.findings.add(
                file,
                Some(entry.span()),
                Code::InvalidValue,
                error.to_string(),
                None,
            ),
        }
    }
    if languages.is_empty() {
        ctx.findings.add(
            file,
            Some(raw.span()),
            Code::InvalidValue,
            "`languages` lists no language",
            Some("write languages = [\"ja\", \"en\"]".to_owned()),
        );
    } else {
        ctx.languages = languages;
    }
}

fn load_course(ctx: &mut Context<'_>, dir: &str, slug: Slug) -> Option<Course> {
    let (display, text) = ctx.text_file(&join(dir, "course.toml"), "")?;
    let file = FileRef::new(&display, text);
    let raw: RawCourse = parse_toml(file, text, &mut ctx.findings)?;
    if dir.is_empty() {
        declare_languages(ctx, file, raw.languages.as_ref());
    } else if let Some(languages) = &raw.languages {
        ctx.findings.add(
            file,
            Some(languages.span()),
            Code::UnknownKey,
            "`languages` belongs in series.toml for a course inside a series",
            Some("remove it; the series' languages apply".to_owned()),
        );
    }
    let id = uuid_or_derived(ctx, file, raw.id.as_ref(), || derived_course_id(&slug));
    let audience = Audience::parse(raw.audience.get_ref());
    if audience.is_none() {
        ctx.findings.add(
            file,
            Some(raw.audience.span()),
            Code::InvalidValue,
            format!("unknown audience `{}`", raw.audience.get_ref()),
            Some("use executive, administrator or staff".to_owned()),
        );
    }
    let pass_mark = pass_mark(ctx, file, raw.pass_mark.as_ref()).unwrap_or(Some(PassMark::DEFAULT));
    let title = ctx.localized(file, &raw.title, "course title");
    let description = ctx.optional_localized(file, raw.description.as_ref(), "course description");
    let listed = ctx.slug_list(file, &raw.modules, "module");
    ctx.unlisted_directories(file, dir, "module.toml", &listed, "modules");
    let modules: Vec<Option<Module>> = listed
        .iter()
        .map(|(module, span)| {
            let module_dir = join(dir, module.as_str());
            if !ctx.tree.contains(&join(&module_dir, "module.toml")) {
                ctx.findings.add(
                    file,
                    Some(span.clone()),
                    Code::DanglingReference,
                    format!(
                        "module `{module}` is listed but `{module}/module.toml` does not exist"
                    ),
                    Some(format!(
                        "create {module}/module.toml or remove `{module}` from `modules`"
                    )),
                );
                return None;
            }
            load_module(ctx, &module_dir, &slug, module.clone())
        })
        .collect();
    Some(Course {
        id,
        slug,
        audience: audience?,
        title: title?,
        description,
        pass_mark: pass_mark?,
        modules: modules.into_iter().collect::<Option<_>>()?,
    })
}

/// A pass mark as written: `None` when absent, `Some(None)` when invalid (already reported).
pub(crate) fn pass_mark(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    raw: Option<&Spanned<i64>>,
) -> Option<Option<PassMark>> {
    let raw = raw?;
    let mark = PassMark::from_percent(*raw.get_ref());
    if let Err(error) = &mark {
        ctx.findings.add(
            file,
            Some(raw.span()),
            Code::InvalidPassMark,
            error.to_string(),
            Some("write a whole percentage such as 80".to_owned()),
        );
    }
    Some(mark.ok())
}

fn uuid_or_derived(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    raw: Option<&Spanned<String>>,
    derive: impl FnOnce() -> Uuid,
) -> Uuid {
    match raw.map(|id| (id, Uuid::parse_str(id.get_ref()))) {
        Some((_, Ok(id))) => id,
        Some((id, Err(_))) => {
            ctx.findings.add(
                file,
                Some(id.span()),
                Code::InvalidValue,
                format!("`{}` is not a UUID", id.get_ref()),
                Some("remove `id` to use a UUID derived from the slug".to_owned()),
            );
            derive()
        }
        None => derive(),
    }
}

fn load_module(ctx: &mut Context<'_>, dir: &str, course: &Slug, slug: Slug) -> Option<Module> {
    let (display, text) = ctx.text_file(&join(dir, "module.toml"), "")?;
    let file = FileRef::new(&display, text);
    let raw: RawModule = parse_toml(file, text, &mut ctx.findings)?;
    let id = uuid_or_derived(ctx, file, raw.id.as_ref(), || {
        derived_module_id(course, &slug)
    });
    let title = ctx.localized(file, &raw.title, "module title");
    let summary = ctx.optional_localized(file, raw.summary.as_ref(), "module summary");
    let minutes = raw.minutes.as_ref().and_then(|minutes| {
        let value = u16::try_from(*minutes.get_ref()).ok().filter(|m| *m > 0);
        if value.is_none() {
            ctx.findings.add(
                file,
                Some(minutes.span()),
                Code::InvalidValue,
                "`minutes` must be a positive number of minutes",
                None,
            );
        }
        value
    });
    let objectives: Vec<Option<Localized>> = raw
        .objectives
        .iter()
        .map(|objective| ctx.localized(file, objective, "objective"))
        .collect();
    if raw.lessons.get_ref().is_empty() {
        ctx.findings.add(
            file,
            Some(raw.lessons.span()),
            Code::InvalidValue,
            "a module needs at least one lesson",
            Some("add a [[lessons]] table".to_owned()),
        );
    }
    let mut seen = HashSet::new();
    let lessons: Vec<_> = raw
        .lessons
        .get_ref()
        .iter()
        .map(|lesson| {
            if !ctx.unique_id(file, &mut seen, &lesson.slug, "lesson") {
                return None;
            }
            load_lesson(ctx, file, dir, lesson)
        })
        .collect();
    let quiz_path = join(dir, "quiz.toml");
    let quiz = if ctx.tree.contains(&quiz_path) {
        Some(load_quiz(ctx, &quiz_path)?)
    } else {
        ctx.findings.add(
            file,
            None,
            Code::NoQuiz,
            "module has no quiz.toml",
            Some(
                "MHLW asks e-learning to check understanding as well as viewing; add a quiz"
                    .to_owned(),
            ),
        );
        None
    };
    Some(Module {
        id,
        slug,
        title: title?,
        summary,
        minutes,
        beginner: raw.beginner,
        required: raw.required.unwrap_or(true),
        sources: raw.sources,
        objectives: objectives.into_iter().collect::<Option<_>>()?,
        lessons: lessons.into_iter().collect::<Option<_>>()?,
        quiz,
        launch: None,
    })
}
