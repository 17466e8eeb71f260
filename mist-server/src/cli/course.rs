//! `mist course init|check|list`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use mist_core::authoring::{self, LoadOutcome, Severity};
use mist_core::{Series, builtin};
use serde_json::json;

use super::{EXIT_INVALID, EXIT_USAGE_OR_IO};

/// Author and check courses.
#[derive(Debug, Subcommand)]
pub enum CourseCommand {
    /// Write a small, valid example course into DIR (which must not exist or be empty).
    Init {
        /// Where to create the course.
        dir: PathBuf,
    },
    /// Check a series or course directory; exit 0 when valid, 1 when not, 2 on usage or I/O errors.
    Check {
        /// The series or course directory.
        dir: PathBuf,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the courses and modules of a directory, or of the built-in series.
    List {
        /// The series or course directory; the built-in MIST series when omitted.
        dir: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `mist course` command.
pub fn run(command: CourseCommand) -> anyhow::Result<ExitCode> {
    match command {
        CourseCommand::Init { dir } => init(&dir),
        CourseCommand::Check { dir, json } => check(&dir, json),
        CourseCommand::List { dir, json } => list(dir.as_deref(), json),
    }
}

fn init(dir: &Path) -> anyhow::Result<ExitCode> {
    if dir.exists()
        && fs::read_dir(dir)
            .with_context(|| format!("{}", dir.display()))?
            .next()
            .is_some()
    {
        anyhow::bail!(
            "{}: directory is not empty; choose a new directory",
            dir.display()
        );
    }
    for (relative, text) in authoring::starter_course() {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("{}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("{}", path.display()))?;
    }
    println!("created a course in {}", dir.display());
    println!("check it with: mist course check {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

fn load_dir(dir: &Path) -> anyhow::Result<LoadOutcome> {
    let tree = authoring::read_dir(dir)?;
    Ok(authoring::load(&tree))
}

fn check(dir: &Path, as_json: bool) -> anyhow::Result<ExitCode> {
    let outcome = load_dir(dir)?;
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = outcome.diagnostics.len() - errors;
    if as_json {
        let report = json!({
            "valid": outcome.is_valid(),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": outcome.diagnostics,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for diagnostic in &outcome.diagnostics {
            println!("{diagnostic}");
        }
        match &outcome.series {
            Some(series) => println!("ok: {} ({warnings} warnings)", summary(series)),
            None => println!("invalid: {errors} errors, {warnings} warnings"),
        }
    }
    Ok(if outcome.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    })
}

fn summary(series: &Series) -> String {
    let modules: usize = series.courses.iter().map(|c| c.modules.len()).sum();
    let questions: usize = series
        .courses
        .iter()
        .flat_map(|c| &c.modules)
        .filter_map(|m| m.quiz.as_ref())
        .map(|q| q.questions.len())
        .sum();
    format!(
        "{} courses, {modules} modules, {questions} questions",
        series.courses.len()
    )
}

fn list(dir: Option<&Path>, as_json: bool) -> anyhow::Result<ExitCode> {
    let outcome = match dir {
        Some(dir) => load_dir(dir)?,
        None => builtin::load_series(),
    };
    let Some(series) = outcome.series else {
        for diagnostic in &outcome.diagnostics {
            eprintln!("{diagnostic}");
        }
        eprintln!("the course is invalid; run `mist course check` for details");
        return Ok(ExitCode::from(if dir.is_some() {
            EXIT_INVALID
        } else {
            EXIT_USAGE_OR_IO
        }));
    };
    if as_json {
        println!("{}", serde_json::to_string_pretty(&listing(&series))?);
    } else {
        let ja = mist_core::LanguageTag::ja();
        let prefs = &series.languages;
        println!("{}", series.title.resolve(&ja, prefs));
        for course in &series.courses {
            println!(
                "\n{} [{}] {}",
                course.slug,
                course.audience,
                course.title.resolve(&ja, prefs)
            );
            for module in &course.modules {
                let questions = module.quiz.as_ref().map_or(0, |q| q.questions.len());
                println!(
                    "  {:<40} {:>3} questions  {}",
                    module.slug.as_str(),
                    questions,
                    module.title.resolve(&ja, prefs)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON listing: series title, and per course its slug, audience, title and modules.
fn listing(series: &Series) -> serde_json::Value {
    let courses: Vec<_> = series
        .courses
        .iter()
        .map(|course| {
            let modules: Vec<_> = course
                .modules
                .iter()
                .map(|module| {
                    json!({
                        "slug": module.slug,
                        "title": module.title,
                        "beginner": module.beginner,
                        "questions": module.quiz.as_ref().map_or(0, |q| q.questions.len()),
                    })
                })
                .collect();
            json!({
                "slug": course.slug,
                "audience": course.audience,
                "title": course.title,
                "pass_mark": course.pass_mark,
                "modules": modules,
            })
        })
        .collect();
    json!({ "series": { "title": series.title }, "courses": courses })
}
