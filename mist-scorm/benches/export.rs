//! Times exporting the whole built-in series (every course, one package each) as SCORM 1.2 and 2004,
//! zips included, and prints the package sizes.
//!
//! `cargo bench -p mist-scorm --bench export [-- OUT_DIR]` (the zips are written to OUT_DIR when given).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mist_scorm::export::{ExportVersion, Exporter};

const ROUNDS: u32 = 5;

fn main() {
    let out_dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(PathBuf::from);
    let series = mist_core::builtin::load_series()
        .series
        .expect("the built-in series is valid");
    let versions = [ExportVersion::Scorm12, ExportVersion::Scorm2004Fourth];

    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for version in versions {
            let exporter = Exporter::new(version, &series.languages);
            for course in &series.courses {
                let zip = exporter.course(course).unwrap().to_zip().unwrap();
                std::hint::black_box(zip);
            }
        }
        best = best.min(start.elapsed());
    }
    println!(
        "whole series ({} courses) in SCORM 1.2 and 2004: best of {ROUNDS}: {:.1} ms",
        series.courses.len(),
        best.as_secs_f64() * 1000.0
    );

    for version in versions {
        let exporter = Exporter::new(version, &series.languages);
        for course in &series.courses {
            let package = exporter.course(course).unwrap();
            let zip = package.to_zip().unwrap();
            let unpacked: usize = package.files().iter().map(|f| f.bytes.len()).sum::<usize>()
                + package.manifest().len();
            println!(
                "{:<14} SCORM {:<4} {:>2} SCOs  {:>7} bytes zipped  {:>8} bytes unpacked",
                course.slug.as_str(),
                version.as_str(),
                course.modules.len(),
                zip.len(),
                unpacked
            );
            if let Some(dir) = &out_dir {
                std::fs::create_dir_all(dir).unwrap();
                let name = format!("{}-scorm{}.zip", course.slug, version);
                std::fs::write(dir.join(name), zip).unwrap();
            }
        }
    }
}
