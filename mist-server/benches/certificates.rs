//! Certificate throughput: issue, sign and render 1,000 certificates (a large hospital's year) with
//! the shipped font, report wall time and peak memory, then run the ReportLab script drawing the
//! same certificate 1,000 times for a side-by-side ratio.
//!
//! ```sh
//! python3 -m venv /tmp/mist-reportlab-venv && /tmp/mist-reportlab-venv/bin/pip install reportlab
//! cargo bench -p mist-server --bench certificates
//! ```
//!
//! `MIST_REPORTLAB_PYTHON` names another Python with ReportLab; without one the comparison is skipped.
//! Targets (issue 3): 1,000 in under 5 s, peak RSS under 200 MB, at least 5× ReportLab.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use mist_core::certificate::pdf::{self, CertificateFont};
use mist_core::certificate::{
    Certificate, CertifiedCourse, Expiry, Learner, NewCertificate, Score, SigningKey,
};
use mist_core::{Audience, Localized, Slug};
use time::macros::{date, datetime};
use uuid::Uuid;

const COUNT: usize = 1_000;
const FAMILY: [&str; 8] = [
    "山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村",
];
const GIVEN: [&str; 5] = ["花子", "太郎", "一郎", "美咲", "健"];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/ipaexg.ttf")
}

fn new_certificate(index: usize) -> Result<NewCertificate, String> {
    Ok(NewCertificate {
        learner: Learner {
            name: format!(
                "{} {}",
                FAMILY[index % FAMILY.len()],
                GIVEN[index % GIVEN.len()]
            ),
            kana: Some("やまだ はなこ".to_owned()),
        },
        organization: "みすと総合病院".to_owned(),
        course: CertifiedCourse {
            slug: Slug::parse("staff").map_err(|e| e.to_string())?,
            title: Localized::ja_en(
                "初学者・医療従事者向け研修",
                "Training for beginners and medical staff",
            )
            .map_err(|e| e.to_string())?,
            audience: Audience::Staff,
        },
        score: Score::from_basis_points(8000 + (index % 2001) as u16).ok_or("score")?,
        completed_on: date!(2025 - 06 - 01),
        expiry: Expiry::default(),
    })
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Issues, signs and renders the certificates numbered `range`; returns the bytes of PDF made.
fn render_range(
    font: &CertificateFont,
    key: &SigningKey,
    range: std::ops::Range<usize>,
) -> Result<usize, String> {
    let mut total_bytes = 0;
    for index in range {
        let id = Uuid::from_u128(((index as u128) << 96) | 0x4000_8000_0000_0000);
        let certificate =
            Certificate::issue_with(new_certificate(index)?, id, datetime!(2025-06-02 9:00 UTC))
                .map_err(|e| e.to_string())?;
        let signed = certificate.sign(key);
        let pdf =
            pdf::render(&signed, font, "https://lms.example.jp").map_err(|e| e.to_string())?;
        total_bytes += pdf.len();
    }
    Ok(total_bytes)
}

fn run() -> Result<(), String> {
    let bytes = std::fs::read(assets()).map_err(|e| format!("{}: {e}", assets().display()))?;
    let font = CertificateFont::new(bytes).map_err(|e| e.to_string())?;
    let key = SigningKey::from_bytes(&[7; 32]);

    let start = Instant::now();
    let total_bytes = render_range(&font, &key, 0..COUNT)?;
    let rust_seconds = start.elapsed().as_secs_f64();
    let peak = peak_rss_mb().map_or("unknown".to_owned(), |mb| format!("{mb:.1} MB"));
    println!(
        "mist (krilla), 1 thread: {COUNT} certificates issued, signed and rendered in \
         {rust_seconds:.3} s ({:.2} ms each, {} KB average), peak RSS {peak}",
        rust_seconds * 1000.0 / COUNT as f64,
        total_bytes / COUNT / 1024
    );

    // A batch job may use both cores: two threads, half each.
    let start = Instant::now();
    std::thread::scope(|scope| {
        let halves = [0..COUNT / 2, COUNT / 2..COUNT]
            .map(|range| scope.spawn(|| render_range(&font, &key, range)));
        halves.into_iter().try_for_each(|half| match half.join() {
            Ok(result) => result.map(drop),
            Err(_) => Err("a render thread panicked".to_owned()),
        })
    })?;
    let parallel_seconds = start.elapsed().as_secs_f64();
    let peak = peak_rss_mb().map_or("unknown".to_owned(), |mb| format!("{mb:.1} MB"));
    println!(
        "mist (krilla), 2 threads: {COUNT} certificates in {parallel_seconds:.3} s, peak RSS {peak}"
    );

    let python = std::env::var_os("MIST_REPORTLAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/mist-reportlab-venv/bin/python"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reportlab_certificate.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(assets())
        .arg(COUNT.to_string())
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let report = String::from_utf8_lossy(&out.stdout);
            print!("{report}");
            let seconds: Option<f64> = report
                .lines()
                .find_map(|line| line.strip_prefix("seconds="))
                .and_then(|s| s.trim().parse().ok());
            if let Some(seconds) = seconds {
                println!(
                    "ratio (1 thread each): mist is {:.1}x faster than ReportLab",
                    seconds / rust_seconds
                );
            }
        }
        Ok(out) => eprintln!(
            "ReportLab comparison failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(error) => eprintln!(
            "ReportLab comparison skipped ({}: {error}); see this file's header",
            python.display()
        ),
    }
    Ok(())
}
