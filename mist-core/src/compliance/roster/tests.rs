#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::macros::date;

use super::*;

const JAPANESE: &str = "職員番号,氏名,カナ,メール,部署,職種,雇用形態,対象,階層,入職日,退職日\n\
    A001,講師 A,コウシ エー,A@Example.jp,情報システム室,事務,常勤,対象,管理者;初学者,2020/4/1,\n\
    A002,看護師 B,,,3階病棟,看護師,委託,対象外,,2025-04-01,2025-09-30\n";

#[test]
fn japanese_headers_in_utf8_with_a_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(JAPANESE.as_bytes());
    let report = parse(&bytes);
    assert!(report.is_valid(), "{:?}", report.problems);
    assert_eq!(report.encoding, RosterEncoding::Utf8);
    let first = &report.entries[0];
    assert_eq!(first.email.as_deref(), Some("a@example.jp"));
    assert_eq!(
        first.tiers,
        BTreeSet::from([Audience::Administrator, Audience::Staff])
    );
    assert_eq!(first.joined_on, Some(date!(2020 - 04 - 01)));
    let second = &report.entries[1];
    assert_eq!(
        (second.employment_type, second.in_scope),
        (EmploymentType::Contractor, false)
    );
    assert_eq!(
        second.tiers,
        BTreeSet::from([Audience::Staff]),
        "no tier means staff"
    );
    assert_eq!(second.left_on, Some(date!(2025 - 09 - 30)));
}

#[test]
fn shift_jis_and_english_headers() {
    let text = "staff_id,name,employment_type,in_scope,tiers\r\nB7,事務 C,part_time,yes,executive、staff\r\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let report = parse(&bytes);
    assert!(report.is_valid(), "{:?}", report.problems);
    assert_eq!(report.encoding, RosterEncoding::ShiftJis);
    assert_eq!(report.entries[0].name, "事務 C");
    assert_eq!(report.entries[0].tiers.len(), 2);
}

#[test]
fn every_problem_is_reported_with_line_and_column() {
    let text = "職員番号,氏名,雇用形態,対象,階層,入職日,退職日,メール\n\
        ,名無し,常勤,対象,,,,\n\
        X1,職員 D,正社員,たぶん,院長,2025-13-01,,no-at-sign\n\
        X2,職員 E,常勤,対象,,2025-04-01,2024-04-01,\n\
        X3,職員 F,常勤,対象,,,,\n\
        X3,職員 G,常勤,対象,,,,\n";
    let report = parse(text.as_bytes());
    assert!(!report.is_valid());
    let found: Vec<(usize, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (2, Some("職員番号")),
            (3, Some("メール")),
            (3, Some("雇用形態")),
            (3, Some("対象")),
            (3, Some("階層")),
            (3, Some("入職日")),
            (4, Some("退職日")),
            (6, Some("職員番号")),
        ]
    );
    assert!(report.problems[7].message_en.contains("repeats line 5"));
}

#[test]
fn header_problems_stop_the_rows() {
    let report = parse("氏名,好きな色\n職員 H,青\n".as_bytes());
    let messages: Vec<&str> = report
        .problems
        .iter()
        .map(|p| p.message_en.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "unknown column",
            "the required column `staff_id` is missing",
            "the required column `employment_type` is missing",
            "the required column `in_scope` is missing",
        ]
    );
    assert!(report.entries.is_empty());
    assert_eq!(parse(b"").problems[0].message_en, "the file is empty");
}

#[test]
fn undecodable_bytes_name_their_line() {
    // 0x85 0x40 is unassigned in Shift_JIS and invalid in UTF-8.
    let report = parse(b"staff_id,name\nA,\x85\x40\n");
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].line, 2);
    assert!(
        parse(b"staff_id,name,employment_type,in_scope\n\"A,b\n").problems[0]
            .message_en
            .contains("not closed")
    );
}
