//! Helpers: the shared fixtures folder, in-memory packages and hand-made zips.

use std::collections::BTreeMap;
use std::io::{self, Cursor, Read, Write};
use std::path::PathBuf;

use mist_scorm::package::{
    Code, Limits, ListedSource, Mode, PackageSource, Report, Severity, check, check_zip,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The `shared` folder beside the checkout, or `None` (with a message) outside CI.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "shared fixtures missing at {}",
        dir.display()
    );
    eprintln!("skipped: shared fixtures not found at {}", dir.display());
    None
}

/// A package held in memory: file name to content.
pub fn memory_source(files: BTreeMap<String, Vec<u8>>) -> impl PackageSource {
    let names: Vec<(String, u64)> = files
        .iter()
        .map(|(n, c)| (n.clone(), c.len() as u64))
        .collect();
    ListedSource::new(names, move |name: &str| -> io::Result<Box<dyn Read>> {
        let content = files
            .get(name)
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        Ok(Box::new(Cursor::new(content)))
    })
}

/// Checks a manifest with the given (empty) files beside it.
pub fn check_manifest(manifest: &str, files: &[&str], mode: Mode) -> Report {
    let mut all: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|f| ((*f).to_owned(), Vec::new()))
        .collect();
    all.insert("imsmanifest.xml".into(), manifest.as_bytes().to_vec());
    check(&mut memory_source(all), mode, &Limits::default())
}

/// A deflated zip of the entries, with UTF-8 names.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Replaces every occurrence of `from` by `to` (same length) in the zip bytes, so names and
/// header fields can be set to what a zip writer would refuse to write.
pub fn patch(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let mut found = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            found += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(found > 0, "pattern not found");
}

/// Checks zip bytes.
pub fn check_bytes(bytes: Vec<u8>, mode: Mode, limits: &Limits) -> Report {
    check_zip(Cursor::new(bytes), mode, limits)
}

/// The codes of the findings at least as severe as `at_least`.
pub fn codes(report: &Report, at_least: Severity) -> Vec<Code> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= at_least)
        .map(|d| d.code)
        .collect()
}

/// A minimal valid SCORM 1.2 manifest launching `index.html`.
pub const MINIMAL_12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i" identifierref="r"><title>Lesson</title></item>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"#;
