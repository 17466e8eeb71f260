#![allow(clippy::unwrap_used, clippy::expect_used)]

use time::macros::{date, datetime};

use super::*;
use crate::text::LanguageTag;

pub(crate) fn sample_new() -> NewCertificate {
    NewCertificate {
        learner: Learner {
            name: " 山田 花子 ".to_owned(),
            kana: Some("やまだ はなこ".to_owned()),
        },
        organization: "みすと総合病院".to_owned(),
        course: CertifiedCourse {
            slug: Slug::parse("staff").unwrap(),
            title: Localized::ja_en(
                "初学者・医療従事者向け研修",
                "Training for beginners and medical staff",
            )
            .unwrap(),
            audience: Audience::Staff,
        },
        score: Score::from_fraction(0.92).unwrap(),
        completed_on: date!(2025 - 06 - 01),
        expiry: Expiry::default(),
    }
}

pub(crate) fn sample_id() -> Uuid {
    Uuid::from_u128(0x0f6c_2a1e_93b4_4c7d_a5e2_7b19_d0c4_8e3f)
}

pub(crate) fn sample() -> Certificate {
    Certificate::issue_with(
        sample_new(),
        sample_id(),
        datetime!(2025-06-02 09:30:15.25 UTC),
    )
    .unwrap()
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

#[test]
fn issuing_derives_code_fiscal_year_and_expiry() {
    let certificate = sample();
    assert_eq!(certificate.code, CertificateCode::from_uuid(sample_id()));
    assert_eq!(certificate.fiscal_year.era_label(), "令和7年度");
    assert_eq!(certificate.expires_on, Some(date!(2027 - 03 - 31)));
    assert_eq!(certificate.learner.name, "山田 花子");
    assert_eq!(certificate.issued_at, datetime!(2025-06-02 09:30:15 UTC));
    assert!(!certificate.is_expired(date!(2027 - 03 - 31)));
    assert!(certificate.is_expired(date!(2027 - 04 - 01)));
    assert_eq!(
        certificate.verify_url("https://lms.example.jp/"),
        format!("https://lms.example.jp/verify/{}", certificate.code)
    );

    let never = NewCertificate {
        expiry: Expiry::Never,
        completed_on: date!(2026 - 03 - 31),
        ..sample_new()
    };
    let certificate =
        Certificate::issue_with(never, sample_id(), datetime!(2026-04-01 0:00 UTC)).unwrap();
    assert_eq!(
        (certificate.fiscal_year.start_year(), certificate.expires_on),
        (2025, None)
    );
}

#[test]
fn issuing_refuses_fields_that_cannot_be_printed_or_do_not_fit() {
    let issue = |new: NewCertificate| {
        Certificate::issue_with(new, sample_id(), datetime!(2025-06-02 09:30 UTC)).unwrap_err()
    };
    let mut new = sample_new();
    new.learner.name = "  ".to_owned();
    assert_eq!(issue(new), InvalidCertificate::Blank("learner name"));
    let mut new = sample_new();
    new.organization = "病院\n二行目".to_owned();
    assert_eq!(
        issue(new),
        InvalidCertificate::ControlCharacter("organization")
    );
    let mut new = sample_new();
    new.learner.name = "あ".repeat(65);
    assert!(matches!(
        issue(new),
        InvalidCertificate::TooLong { chars: 65, .. }
    ));
    let mut new = sample_new();
    new.completed_on = date!(2025 - 06 - 03);
    assert!(matches!(
        issue(new),
        InvalidCertificate::CompletedAfterIssue { .. }
    ));
    let mut new = sample_new();
    new.expiry = Expiry::On(date!(2025 - 05 - 31));
    assert!(matches!(
        issue(new),
        InvalidCertificate::ExpiresBeforeCompletion { .. }
    ));
}

#[test]
fn canonical_bytes_follow_the_documented_form() {
    let text = String::from_utf8(sample().canonical_bytes()).unwrap();
    let code = sample().code;
    let expected = format!(
        "mist-certificate/1\n\
         id=36:0f6c2a1e-93b4-4c7d-a5e2-7b19d0c48e3f\n\
         code=16:{code}\n\
         learner.name=13:山田 花子\n\
         learner.kana=19:やまだ はなこ\n\
         organization=21:みすと総合病院\n\
         course.slug=5:staff\n\
         course.title.en=40:Training for beginners and medical staff\n\
         course.title.ja=39:初学者・医療従事者向け研修\n\
         course.audience=5:staff\n\
         score=4:0.92\n\
         completed_on=10:2025-06-01\n\
         fiscal_year=4:2025\n\
         issued_at=20:2025-06-02T09:30:15Z\n\
         expires_on=10:2027-03-31\n"
    );
    assert_eq!(text, expected);
}

#[test]
fn a_signed_certificate_verifies_and_survives_json() {
    let signed = sample().sign(&key());
    assert_eq!(signed.verify(&key().verifying_key()), Ok(()));
    let json = signed.to_json().unwrap();
    assert!(json.starts_with(PAYLOAD_MARKER), "{json}");
    let back: SignedCertificate = serde_json::from_str(&json).unwrap();
    assert_eq!(back, signed);
    assert_eq!(back.verify(&key().verifying_key()), Ok(()));
}

#[test]
fn another_key_fails() {
    let signed = sample().sign(&key());
    let other = SigningKey::from_bytes(&[43; 32]).verifying_key();
    assert_eq!(signed.verify(&other), Err(VerifyError::Signature));
}

#[test]
fn tampering_with_any_field_fails() {
    let signed = sample().sign(&key());
    let public = key().verifying_key();
    type Tamper = fn(&mut Certificate);
    let tampers: [(&str, Tamper); 14] = [
        ("id", |c| c.id = Uuid::from_u128(c.id.as_u128() ^ 1)),
        ("code", |c| c.code = CertificateCode::from_uuid(Uuid::nil())),
        ("name", |c| c.learner.name.push('子')),
        ("kana", |c| c.learner.kana = None),
        ("organization", |c| c.organization = "別の病院".to_owned()),
        ("slug", |c| {
            c.course.slug = Slug::parse("executive").unwrap()
        }),
        ("title", |c| {
            c.course.title = Localized::ja_en("経営者向け研修", "Executive training").unwrap();
        }),
        ("audience", |c| c.course.audience = Audience::Executive),
        ("score", |c| c.score = Score::from_fraction(0.99).unwrap()),
        ("completed", |c| c.completed_on = date!(2025 - 06 - 02)),
        ("fiscal year", |c| c.fiscal_year = c.fiscal_year.next()),
        ("issued", |c| c.issued_at += time::Duration::SECOND),
        ("expires", |c| c.expires_on = None),
        ("title language", |c| {
            c.course.title =
                Localized::new([(LanguageTag::ja(), "初学者・医療従事者向け研修".to_owned())])
                    .unwrap();
        }),
    ];
    for (field, tamper) in tampers {
        let mut forged = signed.clone();
        tamper(&mut forged.certificate);
        assert_ne!(forged.certificate, signed.certificate, "{field}");
        assert_eq!(
            forged.verify(&public),
            Err(VerifyError::Signature),
            "{field}"
        );
    }
}

#[test]
fn a_signed_but_inconsistent_certificate_is_reported() {
    let mut certificate = sample();
    certificate.fiscal_year = certificate.fiscal_year.next();
    let signed = certificate.sign(&key());
    assert!(matches!(
        signed.verify(&key().verifying_key()),
        Err(VerifyError::Inconsistent(
            InvalidCertificate::FiscalYearMismatch { .. }
        ))
    ));
}

#[test]
fn json_with_unknown_fields_or_format_is_refused() {
    let json = sample().sign(&key()).to_json().unwrap();
    let extra = json.replacen(r#""organization""#, r#""note":"x","organization""#, 1);
    assert!(serde_json::from_str::<SignedCertificate>(&extra).is_err());
    let format = json.replacen("mist-certificate/1", "mist-certificate/9", 1);
    let error = serde_json::from_str::<SignedCertificate>(&format).unwrap_err();
    assert!(
        error.to_string().contains("unknown certificate format"),
        "{error}"
    );
    let short = json.replacen(r#""signature":""#, r#""signature":"00"#, 1);
    assert!(serde_json::from_str::<SignedCertificate>(&short).is_err());
}

#[test]
fn the_payload_is_found_in_surrounding_bytes() {
    let signed = sample().sign(&key());
    let json = signed.to_json().unwrap();
    let pdf = [
        b"%PDF-1.7\n1 0 obj\n<< >>\nstream\n".as_slice(),
        json.as_bytes(),
        b"\nendstream",
    ]
    .concat();
    assert_eq!(extract_from_pdf(&pdf).unwrap(), signed);
    assert!(matches!(
        extract_from_pdf(b"%PDF-1.7 nothing here"),
        Err(ExtractError::NotFound)
    ));
    let twice = [pdf.as_slice(), json.as_bytes()].concat();
    assert!(matches!(
        extract_from_pdf(&twice),
        Err(ExtractError::Several(2))
    ));
    let cut = &pdf[..pdf.len() - 40];
    assert!(matches!(extract_from_pdf(cut), Err(ExtractError::Json(_))));
}

#[test]
fn revocation_list() {
    let code = sample().code;
    let other = CertificateCode::from_uuid(Uuid::from_u128(99));
    let mut list = RevocationList::new();
    assert_eq!(list.status(&code, true), Status::Genuine);
    assert_eq!(list.status(&other, false), Status::Unknown);
    let revocation = Revocation {
        code,
        reason: "issued in error".to_owned(),
        revoked_on: date!(2025 - 07 - 01),
    };
    assert_eq!(list.revoke(revocation.clone()), None);
    let again = Revocation {
        reason: "again".to_owned(),
        ..revocation.clone()
    };
    assert_eq!(list.revoke(again), Some(&revocation));
    assert_eq!(list.status(&code, true), Status::Revoked(&revocation));
    assert_eq!(list.status(&code, false), Status::Revoked(&revocation));
    assert_eq!(list.len(), 1);

    let json = serde_json::to_string(&list).unwrap();
    assert_eq!(
        json,
        format!(
            r#"{{"revoked":[{{"code":"{code}","reason":"issued in error","revoked_on":"2025-07-01"}}]}}"#
        )
    );
    assert_eq!(serde_json::from_str::<RevocationList>(&json).unwrap(), list);
    let doubled = json.replace(
        "}]}",
        &format!(r#"}},{{"code":"{code}","reason":"x","revoked_on":"2025-07-02"}}]}}"#),
    );
    assert!(serde_json::from_str::<RevocationList>(&doubled).is_err());
}

proptest::proptest! {
    #[test]
    fn reading_untrusted_input_never_panics(
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        text in "\\PC{0,40}",
    ) {
        let with_marker = [PAYLOAD_MARKER.as_bytes(), &tail].concat();
        proptest::prop_assert!(extract_from_pdf(&with_marker).is_err());
        let _ = extract_from_pdf(&tail);
        let _ = serde_json::from_slice::<SignedCertificate>(&tail);
        let _ = serde_json::from_slice::<RevocationList>(&tail);
        let _ = decode_signing_key(&text);
        let _ = decode_verifying_key(&text);
        if let Ok(code) = CertificateCode::parse(&text) {
            proptest::prop_assert_eq!(CertificateCode::parse(&code.to_string()), Ok(code));
        }
    }
}
