//! Hostile archives (made here, in code) are refused, and extraction never writes outside.

use std::io::{Cursor, Write};

use mist_scorm::package::{
    ArchiveError, Code, DirSource, Limits, Mode, ScormType, Severity, check, extract,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::support::{MINIMAL_12, check_bytes, codes, patch, zip_of};

const PAGE: &[u8] = b"<html></html>";

fn package_with(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("imsmanifest.xml", MINIMAL_12.as_bytes()),
        ("index.html", PAGE),
    ];
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

/// Each hostile archive: how it is made, and the error code it must get.
fn hostile_archives() -> Vec<(&'static str, Vec<u8>, Code)> {
    let mut traversal = package_with(&[("xx/evil.txt", b"x")]);
    patch(&mut traversal, b"xx/evil.txt", b"../evil.txt");
    let mut absolute = package_with(&[("xetc/passwd", b"x")]);
    patch(&mut absolute, b"xetc/passwd", b"/etc/passwd");
    let mut drive = package_with(&[("Cx/win.ini", b"x")]);
    patch(&mut drive, b"Cx/win.ini", b"C:/win.ini");
    let mut backslash = package_with(&[("a/b.txt", b"x")]);
    patch(&mut backslash, b"a/b.txt", b"a\\b.txt");
    let mut duplicate = package_with(&[("indey.html", PAGE)]);
    patch(&mut duplicate, b"indey.html", b"index.html");
    let normalized_duplicate = package_with(&[("dir/./x.html", PAGE), ("dir/x.html", PAGE)]);
    let mut encrypted = package_with(&[]);
    set_encrypted_flags(&mut encrypted);
    vec![
        ("parent segment", traversal, Code::ArchivePathTraversal),
        ("absolute path", absolute, Code::ArchivePathTraversal),
        ("drive letter", drive, Code::ArchivePathTraversal),
        ("backslash", backslash, Code::ArchiveBadName),
        ("duplicate name", duplicate, Code::ArchiveDuplicateName),
        (
            "duplicate once normalized",
            normalized_duplicate,
            Code::ArchiveDuplicateName,
        ),
        ("symlink", with_symlink(), Code::ArchiveSymlink),
        ("encrypted", encrypted, Code::ArchiveEncrypted),
        (
            "compression ratio",
            package_with(&[("zeros.bin", &[0u8; 2 << 20])]),
            Code::ArchiveCompressionRatio,
        ),
    ]
}

fn with_symlink() -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    writer.start_file("imsmanifest.xml", options).unwrap();
    writer.write_all(MINIMAL_12.as_bytes()).unwrap();
    writer
        .add_symlink("index.html", "/etc/passwd", options)
        .unwrap();
    writer.finish().unwrap().into_inner()
}

/// Sets bit 0 (encrypted) of the general-purpose flags in every local and central header.
fn set_encrypted_flags(bytes: &mut [u8]) {
    let mut i = 0;
    while i + 4 <= bytes.len() {
        match &bytes[i..i + 4] {
            b"PK\x03\x04" => bytes[i + 6] |= 1,
            b"PK\x01\x02" => bytes[i + 8] |= 1,
            _ => {}
        }
        i += 1;
    }
}

/// Sets the uncompressed size that the central directory declares for `name`.
fn set_declared_size(bytes: &mut [u8], name: &[u8], size: u32) {
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if &bytes[i..i + 4] == b"PK\x01\x02" {
            let name_len = usize::from(u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]));
            if &bytes[i + 46..i + 46 + name_len] == name {
                bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                return;
            }
        }
        i += 1;
    }
    panic!("no central header for {name:?}");
}

fn bomb_limits() -> Limits {
    Limits {
        max_compression_ratio: 100,
        ratio_threshold: 1 << 20,
        ..Limits::default()
    }
}

#[test]
fn hostile_archives_are_refused_with_their_code() {
    for (what, bytes, code) in hostile_archives() {
        let report = check_bytes(bytes, Mode::Tolerant, &bomb_limits());
        assert!(!report.is_importable(), "{what}");
        assert!(
            codes(&report, Severity::Error).contains(&code),
            "{what}: {:#?}",
            report.diagnostics
        );
    }
}

#[test]
fn hostile_archives_extract_nothing_anywhere() {
    for (what, bytes, code) in hostile_archives() {
        let outer = tempfile::tempdir().unwrap();
        let target = outer.path().join("target");
        let error = extract(Cursor::new(bytes), &target, &bomb_limits()).unwrap_err();
        let ArchiveError::Refused(findings) = error else {
            panic!("{what}: {error}")
        };
        assert!(
            findings.iter().any(|f| f.code == code),
            "{what}: {findings:#?}"
        );
        assert_eq!(
            std::fs::read_dir(outer.path()).unwrap().count(),
            0,
            "{what}: something was written"
        );
    }
}

#[test]
fn limits_on_entries_and_total_size_are_configurable() {
    let bytes = package_with(&[("a.txt", b"aaaa"), ("b.txt", b"bbbb")]);
    let few = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let report = check_bytes(bytes.clone(), Mode::Tolerant, &few);
    assert_eq!(
        codes(&report, Severity::Error),
        [Code::ArchiveTooManyEntries]
    );
    let small = Limits {
        max_total_size: 100,
        ..Limits::default()
    };
    let report = check_bytes(bytes.clone(), Mode::Tolerant, &small);
    assert_eq!(codes(&report, Severity::Error), [Code::ArchiveTooLarge]);
    let tiny_entry = Limits {
        max_entry_size: 5,
        ..Limits::default()
    };
    let report = check_bytes(bytes, Mode::Tolerant, &tiny_entry);
    assert!(codes(&report, Severity::Error).contains(&Code::ArchiveTooLarge));
}

#[test]
fn a_lying_size_header_is_caught_while_extracting() {
    // Declares 13 bytes for a file of 26: reading stops at the declared size.
    let content = b"0123456789abcdefghijklmnop";
    let mut bytes = zip_of(&[
        ("imsmanifest.xml", MINIMAL_12.as_bytes()),
        ("index.html", content),
    ]);
    set_declared_size(&mut bytes, b"index.html", 13);
    let target = tempfile::tempdir().unwrap();
    let error = extract(Cursor::new(bytes), target.path(), &Limits::default()).unwrap_err();
    let ArchiveError::Io(io) = &error else {
        panic!("{error}")
    };
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData, "{error}");
}

#[test]
fn a_clean_package_extracts_and_checks_as_a_folder() {
    let bytes = package_with(&[("media/clip.txt", b"hello")]);
    let target = tempfile::tempdir().unwrap();
    let summary = extract(Cursor::new(bytes), target.path(), &Limits::default()).unwrap();
    assert_eq!(
        (summary.files, summary.bytes),
        (3, (MINIMAL_12.len() + PAGE.len() + 5) as u64)
    );
    assert_eq!(
        std::fs::read(target.path().join("media/clip.txt")).unwrap(),
        b"hello"
    );
    let report = check(
        &mut DirSource::new(target.path()),
        Mode::Strict,
        &Limits::default(),
    );
    assert!(report.is_importable(), "{:#?}", report.diagnostics);
    assert_eq!(codes(&report, Severity::Warning), [Code::FileUndeclared]);
    assert_eq!(
        report.manifest.unwrap().launchables()[0].scorm_type,
        ScormType::Sco
    );
}

#[test]
fn extraction_never_replaces_an_existing_file_or_follows_a_planted_symlink() {
    let outer = tempfile::tempdir().unwrap();
    let target = outer.path().join("target");
    std::fs::create_dir_all(&target).unwrap();
    let elsewhere = outer.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, target.join("media")).unwrap();
    let bytes = package_with(&[("media/clip.txt", b"hello")]);
    let error = extract(Cursor::new(bytes), &target, &Limits::default()).unwrap_err();
    assert!(error.to_string().contains("is a symlink"), "{error}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}
