//! Fuzzes the zip reader and the extractor: any bytes as an uploaded package.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use mist_scorm::package::{Limits, Mode, check_zip, extract};

fuzz_target!(|data: &[u8]| {
    // Small limits keep each run fast; the code paths are the same.
    let limits = Limits {
        max_entries: 64,
        max_total_size: 1 << 20,
        max_entry_size: 1 << 18,
        ..Limits::default()
    };
    let _ = check_zip(Cursor::new(data), Mode::Tolerant, &limits);
    let root = std::env::temp_dir().join(format!("mist-fuzz-archive-{}", std::process::id()));
    let target = root.join("target");
    if let Ok(summary) = extract(Cursor::new(data), &target, &limits) {
        // Everything written is inside the target, and only what the summary counts.
        let written = count_files(&root);
        assert_eq!(
            written, summary.files,
            "files outside the target or uncounted"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
});

fn count_files(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => count_files(&e.path()),
                    _ => 1,
                })
                .sum()
        })
        .unwrap_or(0)
}
