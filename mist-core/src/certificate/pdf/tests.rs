#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use super::*;
use crate::certificate::tests::sample;
use crate::certificate::{SigningKey, extract_from_pdf};

/// The font the `mist` binary ships (IPAex Gothic), kept in the repository.
fn font() -> CertificateFont {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mist-server/assets/fonts/ipaexg.ttf");
    CertificateFont::new(std::fs::read(path).expect("the shipped font")).unwrap()
}

#[test]
fn the_pdf_carries_the_signed_certificate() {
    let key = SigningKey::from_bytes(&[5; 32]);
    let signed = sample().sign(&key);
    let pdf = render(&signed, &font(), "https://lms.example.jp").unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let back = extract_from_pdf(&pdf).unwrap();
    assert_eq!(back, signed);
    assert_eq!(back.verify(&key.verifying_key()), Ok(()));
    // Only a subset of the 6 MB font is embedded.
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
}

#[test]
fn a_character_the_font_lacks_is_an_error_not_a_blank() {
    let mut certificate = sample();
    certificate.learner.name = "山田 😀".to_owned();
    let signed = certificate.sign(&SigningKey::from_bytes(&[5; 32]));
    let error = render(&signed, &font(), "http://127.0.0.1:8080").unwrap_err();
    assert!(
        matches!(
            &error,
            RenderError::MissingGlyph {
                character: '😀',
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("U+1F600"), "{error}");
}

#[test]
fn bytes_that_are_not_a_font_are_refused() {
    assert_eq!(
        CertificateFont::new(b"not a font".to_vec()).unwrap_err(),
        FontError
    );
    assert_eq!(CertificateFont::new(Vec::new()).unwrap_err(), FontError);
}

#[test]
fn long_names_shrink_to_fit() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let certificate = {
        let mut c = sample();
        c.learner.name =
            "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処".to_owned();
        c
    };
    let items = layout::text_items(&certificate, "http://127.0.0.1:8080/verify/x");
    let name = items.iter().find(|i| i.text.starts_with("寿限無")).unwrap();
    assert!(metrics.width(&name.text, name.size) > name.max_width);
    let signed = certificate.sign(&SigningKey::from_bytes(&[5; 32]));
    assert!(render(&signed, &font, "http://127.0.0.1:8080").is_ok());
}
