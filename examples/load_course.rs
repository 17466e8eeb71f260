//! Loads a course or series directory and prints its findings, or the built-in series' outline.
//!
//! Run with `cargo run --example load_course -- path/to/course` (no argument: the built-in series).

use std::path::PathBuf;

use mist::core::authoring::{self, LoadOutcome};
use mist::core::{LanguageTag, builtin};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let outcome: LoadOutcome = match std::env::args_os().nth(1).map(PathBuf::from) {
        Some(dir) => authoring::load(&authoring::read_dir(&dir)?),
        None => builtin::load_series(),
    };
    for diagnostic in &outcome.diagnostics {
        eprintln!("{diagnostic}");
    }
    let Some(series) = outcome.series else {
        return Err("the course has errors".into());
    };
    let en = LanguageTag::en();
    for course in &series.courses {
        println!(
            "{} ({}): {}",
            course.slug,
            course.audience,
            course.title.resolve(&en, &series.languages)
        );
        for module in &course.modules {
            println!("  - {}", module.title.resolve(&en, &series.languages));
        }
    }
    Ok(())
}
