//! Fuzzes the manifest reader and the semantic checks: any bytes as `imsmanifest.xml`.
#![no_main]

use std::io::{Cursor, Read};

use libfuzzer_sys::fuzz_target;
use mist_scorm::package::{Limits, ListedSource, Mode, check, parse_manifest};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for mode in [Mode::Tolerant, Mode::Strict] {
        if let (Some(manifest), _) = parse_manifest(data, mode, &limits) {
            let _ = manifest.launchables();
        }
    }
    let manifest = data.to_vec();
    let names = [
        ("imsmanifest.xml".to_owned(), data.len() as u64),
        ("index.html".to_owned(), 0),
    ];
    let mut source =
        ListedSource::new(names, move |name: &str| -> std::io::Result<Box<dyn Read>> {
            let bytes = if name == "imsmanifest.xml" {
                manifest.clone()
            } else {
                Vec::new()
            };
            Ok(Box::new(Cursor::new(bytes)))
        });
    let report = check(&mut source, Mode::Tolerant, &limits);
    let _ = report.is_importable();
});
