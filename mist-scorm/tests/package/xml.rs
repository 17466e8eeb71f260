//! Manifest-level cases: XML safety, encodings, namespaces, modes and the CP rules.

use std::io::Cursor;

use mist_scorm::package::{Code, Limits, Mode, ScormVersion, Severity, check_zip, parse_manifest};
use proptest::prelude::*;

use super::support::{MINIMAL_12, check_bytes, check_manifest, codes, patch, zip_of};

const V2004: &str = r#"<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="i" identifierref="r"><title>Lesson</title>ITEM_EXTRA</item>
  </organization>COLLECTION</organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"#;

fn v2004(item_extra: &str, collection: &str) -> String {
    V2004
        .replace("ITEM_EXTRA", item_extra)
        .replace("COLLECTION", collection)
}

fn errors_and_warnings(manifest: &str, files: &[&str], mode: Mode) -> Vec<Code> {
    codes(&check_manifest(manifest, files, mode), Severity::Warning)
}

#[test]
fn dtds_and_entities_are_never_expanded() {
    let laughs = MINIMAL_12.replacen(
        "<manifest",
        "<!DOCTYPE manifest [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<manifest",
        1,
    );
    let external = MINIMAL_12.replacen(
        "<manifest",
        "<!DOCTYPE manifest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<manifest",
        1,
    );
    let undeclared = MINIMAL_12.replace("<title>Lesson</title>", "<title>&x;</title>");
    for (what, text, code) in [
        ("billion laughs", laughs, Code::XmlDoctype),
        ("external entity", external, Code::XmlDoctype),
        ("unknown entity", undeclared, Code::XmlEntity),
    ] {
        let report = check_manifest(&text, &["index.html"], Mode::Tolerant);
        assert!(!report.is_importable(), "{what}");
        assert!(
            codes(&report, Severity::Error).contains(&code),
            "{what}: {:#?}",
            report.diagnostics
        );
    }
    let plain_doctype = MINIMAL_12.replacen(
        "<manifest",
        "<!DOCTYPE manifest SYSTEM \"x.dtd\">\n<manifest",
        1,
    );
    assert_eq!(
        errors_and_warnings(&plain_doctype, &["index.html"], Mode::Tolerant),
        [Code::XmlDoctype]
    );
    assert!(!check_manifest(&plain_doctype, &["index.html"], Mode::Strict).is_importable());
}

#[test]
fn encodings_are_honoured() {
    let titled = MINIMAL_12.replace("<title>T</title>", "<title>Pr\u{e9}vention</title>");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(titled.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        titled
            .replace("UTF-8", "UTF-16")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let latin1: Vec<u8> = titled
        .replace("UTF-8", "ISO-8859-1")
        .chars()
        .map(|c| c as u8)
        .collect();
    for (what, bytes) in [
        ("utf-8 bom", bom),
        ("utf-16 bom", utf16),
        ("latin-1", latin1),
    ] {
        let (manifest, findings) = parse_manifest(&bytes, Mode::Strict, &Limits::default());
        assert_eq!(findings, [], "{what}");
        assert_eq!(manifest.unwrap().title(), "Pr\u{e9}vention", "{what}");
    }
    let mislabelled: Vec<u8> = titled.chars().map(|c| c as u8).collect();
    let (manifest, findings) = parse_manifest(&mislabelled, Mode::Tolerant, &Limits::default());
    assert_eq!(manifest.unwrap().title(), "Pr\u{e9}vention");
    assert_eq!(
        findings.iter().map(|d| d.code).collect::<Vec<_>>(),
        [Code::XmlEncoding]
    );
    let (manifest, _) = parse_manifest(&mislabelled, Mode::Strict, &Limits::default());
    assert!(manifest.is_none());
}

#[test]
fn namespaces_match_by_uri_not_prefix() {
    let prefixed = MINIMAL_12
        .replace(
            "xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"",
            "xmlns:cp=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"",
        )
        .replace("xmlns:adlcp", "xmlns:x")
        .replace("adlcp:scormtype", "x:scormtype")
        .replace('<', "<cp:")
        .replace("<cp:/", "</cp:")
        .replace("<cp:?", "<?");
    let report = check_manifest(&prefixed, &["index.html"], Mode::Strict);
    assert!(report.is_importable(), "{:#?}", report.diagnostics);
    assert_eq!(report.scos, 1);
    let wrong_uri = MINIMAL_12.replace(
        "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "http://example.com/not-adlcp",
    );
    let report = check_manifest(&wrong_uri, &["index.html"], Mode::Tolerant);
    assert!(codes(&report, Severity::Warning).contains(&Code::ResourceScormTypeMissing));
    assert_eq!((report.scos, report.assets), (0, 1));
}

#[test]
fn version_comes_from_schemaversion_and_namespaces() {
    let cases = [
        ("1.2", ScormVersion::Scorm12),
        ("CAM 1.3", ScormVersion::Scorm2004Cam13),
        ("2004 3rd Edition", ScormVersion::Scorm2004Third),
        ("2004 4th edition", ScormVersion::Scorm2004Fourth),
    ];
    for (text, expected) in cases {
        let manifest = v2004("", "").replace("2004 4th Edition", text);
        let report = check_manifest(&manifest, &["index.html"], Mode::Tolerant);
        assert_eq!(report.scorm_version, Some(expected), "{text}");
    }
    let unknown = v2004("", "").replace("2004 4th Edition", "SCORM 2004");
    let report = check_manifest(&unknown, &["index.html"], Mode::Tolerant);
    assert_eq!(report.scorm_version, Some(ScormVersion::Scorm2004Fourth));
    assert_eq!(codes(&report, Severity::Warning), [Code::ManifestVersion]);
}

#[test]
fn xml_base_applies_at_every_level_and_parameters_append() {
    let manifest = MINIMAL_12
        .replace(
            "<manifest identifier=\"m\"",
            "<manifest xml:base=\"course/\" identifier=\"m\"",
        )
        .replace("<resources>", "<resources xml:base=\"content\">")
        .replace("identifier=\"r\"", "identifier=\"r\" xml:base=\"sco1/\"")
        .replace(
            "identifierref=\"r\"",
            "identifierref=\"r\" parameters=\"?lang=fr\"",
        )
        .replace("href=\"index.html\"", "href=\"index.html?x=1\"");
    let report = check_manifest(&manifest, &["course/content/sco1/index.html"], Mode::Strict);
    assert!(report.is_importable(), "{:#?}", report.diagnostics);
    let launchables = report.manifest.as_ref().unwrap().launchables();
    assert_eq!(
        launchables[0].launch_url,
        "course/content/sco1/index.html?x=1&lang=fr"
    );
}

#[test]
fn strict_mode_turns_violations_into_errors() {
    let cases: &[(&str, String, Code)] = &[
        ("missing scormType", MINIMAL_12.replace(" adlcp:scormtype=\"sco\"", ""), Code::ResourceScormTypeMissing),
        ("xsd order", MINIMAL_12.replace("<title>Lesson</title>", "<item identifier=\"c\"><title>C</title></item><title>Lesson</title>"), Code::ManifestElementOrder),
        ("unknown cp element", MINIMAL_12.replace("<title>T</title>", "<title>T</title><colour/>"), Code::ManifestUnexpectedElement),
        ("default organization", MINIMAL_12.replace("default=\"o\"", "default=\"nope\""), Code::OrganizationDefaultMissing),
        ("unresolved identifierref", MINIMAL_12.replace("</organization>", "<item identifier=\"j\" identifierref=\"nope\"><title>J</title></item></organization>"), Code::ItemUnresolvedReference),
        ("duplicate identifier", MINIMAL_12.replace("identifier=\"i\"", "identifier=\"o\""), Code::ManifestDuplicateIdentifier),
        ("missing listed file", MINIMAL_12.replace("<file href=\"index.html\"/>", "<file href=\"index.html\"/><file href=\"gone.js\"/>"), Code::FileMissing),
        ("unresolved dependency", MINIMAL_12.replace("<file href=\"index.html\"/>", "<file href=\"index.html\"/><dependency identifierref=\"nope\"/>"), Code::ResourceUnresolvedDependency),
    ];
    for (what, manifest, code) in cases {
        let tolerant = check_manifest(manifest, &["index.html"], Mode::Tolerant);
        assert!(
            tolerant.is_importable(),
            "{what}: {:#?}",
            tolerant.diagnostics
        );
        assert!(
            codes(&tolerant, Severity::Warning).contains(code),
            "{what}: {:#?}",
            tolerant.diagnostics
        );
        let strict = check_manifest(manifest, &["index.html"], Mode::Strict);
        assert!(
            codes(&strict, Severity::Error).contains(code),
            "{what}: {:#?}",
            strict.diagnostics
        );
    }
}

#[test]
fn tolerant_mode_accepts_what_lms_accept_but_not_broken_launches() {
    let duplicate_files = MINIMAL_12.replace(
        "<file href=\"index.html\"/>",
        "<file href=\"index.html\"/><file href=\"index.html\"/>",
    );
    assert_eq!(
        errors_and_warnings(&duplicate_files, &["index.html"], Mode::Strict),
        [Code::FileDuplicate]
    );
    let unreachable = MINIMAL_12.replace("</resources>", "<resource identifier=\"r2\" type=\"webcontent\" adlcp:scormtype=\"asset\" href=\"index.html\"/></resources>");
    assert_eq!(
        errors_and_warnings(&unreachable, &["index.html"], Mode::Strict),
        [Code::ResourceUnreachable]
    );
    let launch_missing = check_manifest(MINIMAL_12, &[], Mode::Tolerant);
    assert_eq!(
        codes(&launch_missing, Severity::Error),
        [Code::FileLaunchMissing]
    );
    let outside = MINIMAL_12.replace("href=\"index.html\">", "href=\"../index.html\">");
    assert!(
        codes(
            &check_manifest(&outside, &["index.html"], Mode::Tolerant),
            Severity::Error
        )
        .contains(&Code::ResourceHrefOutside)
    );
    let submanifest =
        MINIMAL_12.replace("</resources>", "</resources><manifest identifier=\"sub\"/>");
    assert_eq!(
        codes(
            &check_manifest(&submanifest, &["index.html"], Mode::Tolerant),
            Severity::Error
        ),
        [Code::ManifestSubmanifest]
    );
    let long_id = Limits {
        max_identifier_len: 3,
        ..Limits::default()
    };
    let (_, findings) = parse_manifest(
        MINIMAL_12
            .replace("identifier=\"i\"", "identifier=\"item-1\"")
            .as_bytes(),
        Mode::Tolerant,
        &long_id,
    );
    assert_eq!(
        findings.iter().map(|d| d.code).collect::<Vec<_>>(),
        [Code::ManifestIdentifierTooLong]
    );
}

#[test]
fn sequencing_collection_is_merged_by_idref() {
    let collection = r#"<imsss:sequencingCollection><imsss:sequencing ID="shared">
        <imsss:controlMode choice="false" flow="true"/>
        <imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
          <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>
      </imsss:sequencing></imsss:sequencingCollection>"#;
    let item = r#"<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>
      <imsss:sequencing IDRef="shared"><imsss:deliveryControls tracked="false"/></imsss:sequencing>"#;
    let manifest = v2004(item, "").replace("</manifest>", &format!("{collection}</manifest>"));
    let report = check_manifest(&manifest, &["index.html"], Mode::Strict);
    assert!(report.is_importable(), "{:#?}", report.diagnostics);
    let sco = report.manifest.as_ref().unwrap().launchables().remove(0);
    let sequencing = sco.sequencing.unwrap();
    assert!(
        !sequencing.control_mode.unwrap().choice && !sequencing.delivery_controls.unwrap().tracked
    );
    assert_eq!(sco.scaled_passing_score, Some(0.8));
    let threshold = sco.completion_threshold.unwrap();
    assert!(threshold.completed_by_measure && threshold.min_progress_measure == 0.75);
    let dangling = v2004(r#"<imsss:sequencing IDRef="nowhere"/>"#, "");
    assert_eq!(
        errors_and_warnings(&dangling, &["index.html"], Mode::Tolerant),
        [Code::SequencingUnresolvedReference]
    );
}

#[test]
fn malformed_and_oversize_manifests_are_rejected_with_a_position() {
    let broken = MINIMAL_12.replace("</organization>", "</organisation>");
    let report = check_manifest(&broken, &["index.html"], Mode::Tolerant);
    let finding = report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::XmlMalformed)
        .unwrap();
    assert_eq!(
        (finding.file.as_deref(), finding.line),
        (Some("imsmanifest.xml"), Some(7))
    );
    let shallow = Limits {
        max_xml_depth: 3,
        ..Limits::default()
    };
    let (_, findings) = parse_manifest(MINIMAL_12.as_bytes(), Mode::Tolerant, &shallow);
    assert_eq!(findings.last().unwrap().code, Code::XmlTooLarge);
    let small = Limits {
        max_manifest_size: 100,
        ..Limits::default()
    };
    let (manifest, findings) = parse_manifest(MINIMAL_12.as_bytes(), Mode::Tolerant, &small);
    assert!(manifest.is_none() && findings[0].code == Code::XmlTooLarge);
}

#[test]
fn package_level_mistakes_have_their_own_codes() {
    let misnamed = zip_of(&[
        ("IMSManifest.xml", MINIMAL_12.as_bytes()),
        ("index.html", b""),
    ]);
    let report = check_bytes(misnamed, Mode::Tolerant, &Limits::default());
    assert_eq!(codes(&report, Severity::Error), [Code::PackageManifestCase]);
    let not_a_zip = check_zip(
        Cursor::new(b"PK but not really".to_vec()),
        Mode::Tolerant,
        &Limits::default(),
    );
    assert_eq!(
        codes(&not_a_zip, Severity::Error),
        [Code::ArchiveUnreadable]
    );
}

#[test]
fn legacy_and_decomposed_zip_names_match_manifest_hrefs() {
    let href = |name: &str| MINIMAL_12.replace("index.html", name);
    // CP437 "café.html" and CP932 "テスト.html", written without the UTF-8 flag.
    let cases: [(&str, &[u8], &[u8], &str); 2] = [
        ("caf%C3%A9.html", b"cafX.html", b"caf\x82.html", "CP437"),
        (
            "%E3%83%86%E3%82%B9%E3%83%88.html",
            b"XXXXXX.html",
            b"\x83\x65\x83\x58\x83\x67.html",
            "CP932",
        ),
    ];
    for (manifest_href, placeholder, legacy, label) in cases {
        let manifest = href(manifest_href);
        let mut bytes = zip_of(&[
            ("imsmanifest.xml", manifest.as_bytes()),
            (std::str::from_utf8(placeholder).unwrap(), b""),
        ]);
        patch(&mut bytes, placeholder, legacy);
        let report = check_bytes(bytes, Mode::Strict, &Limits::default());
        assert!(report.is_importable(), "{label}: {:#?}", report.diagnostics);
        let info = report.with_code(Code::ArchiveNameEncoding).next().unwrap();
        assert!(info.message.contains(label), "{}", info.message);
    }
    // A UTF-8 name in decomposed form (as macOS writes it) matches a composed href.
    let manifest = href("caf\u{e9}.html");
    let bytes = zip_of(&[
        ("imsmanifest.xml", manifest.as_bytes()),
        ("cafe\u{301}.html", b""),
    ]);
    let report = check_bytes(bytes, Mode::Strict, &Limits::default());
    assert!(report.is_importable(), "{:#?}", report.diagnostics);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = check_zip(Cursor::new(bytes.clone()), Mode::Tolerant, &Limits::default());
        let _ = parse_manifest(&bytes, Mode::Strict, &Limits::default());
    }

    #[test]
    fn mutated_manifests_never_panic(cut in 0usize..1200, insert in "[<>&;\"/a-z =]{0,12}") {
        let mut text = MINIMAL_12.to_owned();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % MINIMAL_12.len()).unwrap_or(0);
        text.insert_str(at, &insert);
        let _ = check_manifest(&text, &["index.html"], Mode::Tolerant);
    }
}
