//! Benchmark: checking and importing a generated 500 MB package of 10,000 files, side by side
//! with `unzip -t`, `unzip -d` and Python's `zipfile.testzip()`.
//!
//! Run with `cargo bench -p mist-scorm --bench package` (env `MIST_BENCH_MB` and
//! `MIST_BENCH_FILES` change the size). Each of our phases runs in a child process of this
//! binary so that its peak memory (VmHWM) is measured alone.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mist_scorm::package::{Limits, Mode, PackageSource, ZipSource, check, extract};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CHILD: &str = "MIST_BENCH_CHILD";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(phase) = std::env::var(CHILD) {
        return child(&phase);
    }
    let megabytes: u64 = env_number("MIST_BENCH_MB", 500);
    let files: u64 = env_number("MIST_BENCH_FILES", 10_000);
    let dir = tempfile::tempdir()?;
    let zip_path = dir.path().join("package.zip");
    let started = Instant::now();
    generate(&zip_path, files, megabytes << 20)?;
    let size = std::fs::metadata(&zip_path)?.len();
    println!(
        "generated {} files, {} MB zip, in {:.1?}",
        files,
        size >> 20,
        started.elapsed()
    );
    let target = |name: &str| dir.path().join(name);
    let zip = zip_path.display().to_string();
    let rows: Vec<(&str, Duration, Option<u64>)> = vec![
        run_child("mist check", &zip_path, &target("unused"))?,
        run_child("mist check + read all (crc)", &zip_path, &target("unused"))?,
        run_child("mist check + extract", &zip_path, &target("mist"))?,
        external("unzip -t", Command::new("unzip").args(["-tqq", &zip]))?,
        external(
            "unzip -d",
            Command::new("unzip")
                .args(["-qq", &zip, "-d"])
                .arg(target("unzip")),
        )?,
        external(
            "python zipfile.testzip()",
            Command::new("python3").args([
                "-c",
                "import sys, zipfile; assert zipfile.ZipFile(sys.argv[1]).testzip() is None",
                &zip,
            ]),
        )?,
    ];
    println!("{:<28} {:>10} {:>14}", "tool", "seconds", "peak memory");
    for (name, elapsed, peak) in rows {
        let peak = peak.map_or("-".to_owned(), |kb| format!("{} MB", kb >> 10));
        println!("{name:<28} {:>10.2} {peak:>14}", elapsed.as_secs_f64());
    }
    Ok(())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A package of `files` files totalling about `total` bytes: a manifest listing them all,
/// four in five files incompressible (media, stored) and the rest text (deflated).
fn generate(path: &Path, files: u64, total: u64) -> std::io::Result<()> {
    let mut writer = ZipWriter::new(BufWriter::new(File::create(path)?));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(false);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let names: Vec<String> = (0..files)
        .map(|i| {
            format!(
                "content/part{:02}/file{i:05}.{}",
                i % 50,
                if i % 5 == 0 { "html" } else { "bin" }
            )
        })
        .collect();
    let mut manifest = String::from(
        "<?xml version=\"1.0\"?><manifest identifier=\"bench\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" \
         xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\"><metadata><schema>ADL SCORM</schema>\
         <schemaversion>2004 4th Edition</schemaversion></metadata><organizations default=\"o\">\
         <organization identifier=\"o\"><title>Bench</title><item identifier=\"i\" identifierref=\"r\">\
         <title>All</title></item></organization></organizations><resources><resource identifier=\"r\" \
         type=\"webcontent\" adlcp:scormType=\"sco\" href=\"content/part00/file00000.html\">",
    );
    for name in &names {
        manifest.push_str(&format!("<file href=\"{name}\"/>"));
    }
    manifest.push_str("</resource></resources></manifest>");
    writer.start_file("imsmanifest.xml", deflated)?;
    writer.write_all(manifest.as_bytes())?;
    let per_file = usize::try_from(total / files.max(1)).unwrap_or(usize::MAX);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut buffer = vec![0u8; per_file];
    for (i, name) in names.iter().enumerate() {
        if i % 5 == 0 {
            let text =
                b"<p>Hand hygiene prevents infection. Report phishing to the service desk.</p>\n";
            for (j, byte) in buffer.iter_mut().enumerate() {
                *byte = text[j % text.len()];
            }
            writer.start_file(name.as_str(), deflated)?;
        } else {
            for chunk in buffer.chunks_mut(8) {
                // xorshift: fast incompressible bytes, like the media of real packages.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
            }
            writer.start_file(name.as_str(), stored)?;
        }
        writer.write_all(&buffer)?;
    }
    writer.finish()?.flush()
}

fn run_child(
    name: &'static str,
    zip: &Path,
    target: &Path,
) -> std::io::Result<(&'static str, Duration, Option<u64>)> {
    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let output = Command::new(exe)
        .env(CHILD, name)
        .arg(zip)
        .arg(target)
        .output()?;
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        eprintln!(
            "{name} failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let peak = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb="))
        .and_then(|v| v.trim().parse().ok());
    Ok((name, elapsed, peak))
}

fn external(
    name: &'static str,
    command: &mut Command,
) -> std::io::Result<(&'static str, Duration, Option<u64>)> {
    let started = Instant::now();
    let status = command.status()?;
    if !status.success() {
        eprintln!("{name} exited with {status}");
    }
    Ok((name, started.elapsed(), None))
}

/// One measured phase, in its own process: prints its peak resident memory.
fn child(phase: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(zip), Some(target)) = (args.next(), args.next()) else {
        return Err("usage: ZIP TARGET".into());
    };
    let limits = Limits::default();
    let mut source = ZipSource::new(BufReader::new(File::open(&zip)?))?;
    let report = check(&mut source, Mode::Tolerant, &limits);
    if !report.is_importable() {
        return Err(format!("not importable: {:?}", report.diagnostics).into());
    }
    if phase.contains("read all") {
        // Reading each entry to its end makes the zip reader verify its CRC, as testzip does.
        for name in report.files.keys() {
            std::io::copy(&mut source.open(name, &limits)?, &mut std::io::sink())?;
        }
    }
    if phase.contains("extract") {
        let summary = extract(BufReader::new(File::open(&zip)?), &target, &limits)?;
        println!("extracted {} files, {} bytes", summary.files, summary.bytes);
    }
    let status = std::fs::read_to_string("/proc/self/status")?;
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().trim_end_matches("kB").trim().to_owned())
        .unwrap_or_default();
    println!("peak_kb={peak}");
    Ok(())
}
