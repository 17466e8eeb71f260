#![allow(clippy::unwrap_used)]

use super::filetype::{
    FileType, Magic, Sniffed, TypeError, check, is_plain_text, office_type, sniff,
};
use super::inquiry::{Draft, FillTime, Problem, Status, fill_time, validate};
use super::prefecture::{PREFECTURES, Prefecture, Region};
use super::search::{PageRequest, like_pattern, normalize, search_text};
use super::vocabulary::{AudienceTag, Expertise, join_tags, split_tags};

#[test]
fn signatures_are_recognised() {
    assert_eq!(sniff(b"%PDF-1.7\n"), Magic::Type(FileType::Pdf));
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Magic::Type(FileType::Png));
    assert_eq!(
        sniff(&[0xff, 0xd8, 0xff, 0xe0]),
        Magic::Type(FileType::Jpeg)
    );
    assert_eq!(sniff(b"\0\0\0\x18ftypmp42"), Magic::Type(FileType::Mp4));
    assert_eq!(
        sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm"),
        Magic::Type(FileType::Webm)
    );
    assert_eq!(
        sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska"),
        Magic::Other
    );
    assert_eq!(sniff(b"PK\x03\x04rest"), Magic::Zip);
    assert_eq!(sniff(b"MZ\x90\0"), Magic::Other);
    assert_eq!(sniff(b""), Magic::Other);
}

#[test]
fn office_documents_are_told_apart_by_their_main_part() {
    let pptx = r#"<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>"#;
    assert_eq!(office_type(pptx), Some(FileType::Pptx));
    assert_eq!(
        office_type(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        Some(FileType::Docx)
    );
    assert_eq!(office_type("<Types/>"), None);
}

#[test]
fn text_is_utf8_without_controls() {
    assert!(is_plain_text(
        "項目,確認日\nVPN機器の更新,2024-05-13\r\n".as_bytes()
    ));
    assert!(is_plain_text(b"\xef\xbb\xbfa,b\n"));
    assert!(!is_plain_text(b"\xff\xfe a"));
    assert!(!is_plain_text(b"a\0b"));
    assert!(!is_plain_text(&[0x82, 0xa0])); // Shift_JIS あ
}

#[test]
fn name_type_and_content_must_agree() {
    let pdf = Sniffed::Type(FileType::Pdf);
    assert_eq!(
        check(pdf, "checklist.PDF", "application/pdf"),
        Ok(FileType::Pdf)
    );
    assert_eq!(check(pdf, "checklist.pdf", ""), Ok(FileType::Pdf));
    assert_eq!(
        check(pdf, "checklist.pdf", "application/octet-stream"),
        Ok(FileType::Pdf)
    );
    assert!(matches!(
        check(pdf, "checklist.png", "image/png"),
        Err(TypeError::Extension { .. })
    ));
    assert!(matches!(
        check(pdf, "checklist", "application/pdf"),
        Err(TypeError::Extension { .. })
    ));
    assert!(matches!(
        check(pdf, "checklist.pdf", "text/html"),
        Err(TypeError::MediaType { .. })
    ));
    assert_eq!(
        check(Sniffed::Text, "list.csv", "application/vnd.ms-excel"),
        Ok(FileType::Csv)
    );
    assert_eq!(
        check(Sniffed::Text, "notes.txt", "text/plain; charset=utf-8"),
        Ok(FileType::Text)
    );
    assert!(check(Sniffed::Text, "page.html", "text/html").is_err());
    assert_eq!(
        check(Sniffed::Unknown, "a.exe", ""),
        Err(TypeError::Unsupported)
    );
    // A renamed executable is refused by its content, whatever its name says.
    assert_eq!(
        check(Sniffed::Unknown, "slides.pptx", ""),
        Err(TypeError::Unsupported)
    );
}

#[test]
fn search_folds_width_and_case_and_escapes_wildcards() {
    assert_eq!(normalize("  ＢＣＰ　策定 "), "bcp 策定");
    assert_eq!(normalize("ﾗﾝｻﾑｳｪｱ"), "ランサムウェア");
    assert_eq!(like_pattern("ランサム"), Some("%ランサム%".into()));
    assert_eq!(like_pattern("100%_a\\"), Some("%100\\%\\_a\\\\%".into()));
    assert_eq!(like_pattern("   "), None);
    assert_eq!(search_text(&["ＶＰＮ", "Checklist"]), "vpn\nchecklist");
    let long = "あ".repeat(500);
    assert_eq!(like_pattern(&long).unwrap().chars().count(), 102);
}

#[test]
fn pages_count_from_one() {
    let page = PageRequest::new(Some("3"), 10);
    assert_eq!(page.offset(), 20);
    assert_eq!(page.page_count(21), 3);
    assert_eq!(PageRequest::new(Some("0"), 10).number, 1);
    assert_eq!(PageRequest::new(Some("x"), 10).number, 1);
    assert_eq!(PageRequest::new(None, 10).page_count(0), 1);
}

#[test]
fn tags_round_trip_through_one_column() {
    let stored = join_tags(
        &[AudienceTag::Executive, AudienceTag::MedicalStaff],
        AudienceTag::as_str,
    );
    assert_eq!(stored, ",executive,medical_staff,");
    assert_eq!(
        split_tags(&stored, AudienceTag::parse),
        vec![AudienceTag::Executive, AudienceTag::MedicalStaff]
    );
    assert_eq!(
        split_tags(",bcp,gone,", Expertise::parse),
        vec![Expertise::Bcp]
    );
}

#[test]
fn forty_seven_prefectures_in_eight_regions() {
    assert_eq!(PREFECTURES.len(), 47);
    for (i, p) in PREFECTURES.iter().enumerate() {
        assert_eq!(p.code, format!("{:02}", i + 1));
    }
    assert_eq!(Prefecture::by_code("36").unwrap().ja, "徳島県");
    assert_eq!(Prefecture::by_code("27").unwrap().region, Region::Kinki);
    assert!(Prefecture::by_code("48").is_none());
    for region in Region::ALL {
        assert!(
            PREFECTURES.iter().any(|p| p.region == *region),
            "{region:?}"
        );
    }
}

#[test]
fn a_valid_message_is_trimmed() {
    let draft = Draft {
        name: " 山田 ",
        organization: "デモ病院",
        email: "yamada@example.jp",
        phone: "",
        message: " 研修について ",
    };
    let valid = validate(&draft).unwrap();
    assert_eq!((valid.name.as_str(), valid.phone), ("山田", None));
    assert_eq!(valid.message, "研修について");
}

#[test]
fn every_problem_is_reported_by_field() {
    let long = "x".repeat(4001);
    let draft = Draft {
        name: "",
        organization: "病院",
        email: "not-an-address",
        phone: "03-0000-abcd",
        message: &long,
    };
    let problems = validate(&draft).unwrap_err();
    assert_eq!(
        problems,
        vec![
            ("name", Problem::Missing),
            ("email", Problem::NotEmail),
            ("phone", Problem::NotPhone),
            ("message", Problem::TooLong(4000)),
        ]
    );
    for email in ["a@b", "@b.jp", "a b@c.jp", "a@.jp", "a@b.jp."] {
        let draft = Draft {
            email,
            ..Draft {
                name: "n",
                organization: "o",
                message: "m",
                ..Draft::default()
            }
        };
        assert!(validate(&draft).is_err(), "{email}");
    }
    let draft = Draft {
        name: "n",
        organization: "o",
        email: "a@b.jp",
        phone: "+81 (3) 0000-0000",
        message: "m",
    };
    assert!(validate(&draft).is_ok());
}

#[test]
fn fill_time_tells_people_from_scripts() {
    assert_eq!(fill_time(1000, 1001), FillTime::TooFast);
    assert_eq!(fill_time(1000, 1003), FillTime::Plausible);
    assert_eq!(fill_time(1000, 999), FillTime::Expired);
    assert_eq!(fill_time(0, 24 * 3600 + 1), FillTime::Expired);
}

#[test]
fn status_flows_forward_and_done_can_reopen() {
    use Status::*;
    assert!(New.can_become(InProgress) && New.can_become(Done));
    assert!(InProgress.can_become(Done) && Done.can_become(InProgress));
    assert!(!InProgress.can_become(New) && !Done.can_become(New));
    assert_eq!(Status::parse("in_progress"), Some(InProgress));
    assert_eq!(InProgress.label(), ("対応中", "In progress"));
}
