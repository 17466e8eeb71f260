//! `mist scorm check PATH [--json] [--strict]`.

use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use mist_scorm::package::{self, DirSource, ItemSummary, Limits, Mode, Report, Severity};

use super::EXIT_INVALID;

/// Checks a package and prints the report; the exit status says whether it is importable.
pub fn check(path: &Path, json: bool, strict: bool) -> anyhow::Result<ExitCode> {
    let mode = if strict { Mode::Strict } else { Mode::Tolerant };
    let limits = Limits::default();
    let report = with_progress(path, || -> anyhow::Result<Report> {
        if path.is_dir() {
            Ok(package::check(&mut DirSource::new(path), mode, &limits))
        } else {
            let file = File::open(path).with_context(|| format!("{}", path.display()))?;
            Ok(package::check_zip(BufReader::new(file), mode, &limits))
        }
    })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(path, &report);
    }
    Ok(if report.is_importable() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    })
}

/// Runs `work`, showing a spinner with the elapsed time on a terminal when it takes a while.
fn with_progress<T>(path: &Path, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&done);
    let name = path.display().to_string();
    let spinner = std::thread::spawn(move || {
        let start = Instant::now();
        let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        let mut frame = 0;
        std::thread::sleep(Duration::from_millis(300));
        while !flag.load(Ordering::Relaxed) {
            eprint!(
                "\r{} checking {name} ({:.1} s)",
                frames[frame % frames.len()],
                start.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
            frame += 1;
            std::thread::sleep(Duration::from_millis(100));
        }
        if frame > 0 {
            eprint!("\r\x1b[2K");
        }
    });
    let result = work();
    done.store(true, Ordering::Relaxed);
    let _ = spinner.join();
    result
}

fn print_report(path: &Path, report: &Report) {
    let version = report
        .scorm_version
        .map_or("unknown version", |v| v.as_str());
    println!(
        "{}: SCORM {version}, {}",
        path.display(),
        report.title.as_deref().unwrap_or("(no title)")
    );
    println!("{} SCOs, {} assets", report.scos, report.assets);
    for organization in &report.organizations {
        println!(
            "organization {} \"{}\"",
            organization.identifier, organization.title
        );
        print_items(&organization.items, 1);
    }
    for d in &report.diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let position = match (d.line, d.column) {
            (Some(line), Some(column)) => format!(":{line}:{column}"),
            (Some(line), None) => format!(":{line}"),
            _ => String::new(),
        };
        println!(
            "{}{position}: {severity}[{}]: {}",
            d.file.as_deref().unwrap_or("package"),
            d.code,
            d.message
        );
        if let Some(hint) = &d.hint {
            println!("  hint: {hint}");
        }
    }
    println!(
        "{}",
        if report.is_importable() {
            "importable"
        } else {
            "rejected"
        }
    );
}

fn print_items(items: &[ItemSummary], depth: usize) {
    for item in items {
        let launch = item
            .launch
            .as_deref()
            .map(|l| format!(" → {l}"))
            .unwrap_or_default();
        println!(
            "{}- {} \"{}\"{launch}",
            "  ".repeat(depth),
            item.identifier,
            item.title
        );
        print_items(&item.items, depth + 1);
    }
}
