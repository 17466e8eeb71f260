//! `mist cert`: keys, issuing, verifying (PDF and JSON), tampering, revocation, and the PDF read
//! back with poppler's `pdftotext` and `pdffonts` (required when CI is set; skipped otherwise).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mist_core::fiscal::FiscalYear;
use tempfile::TempDir;

fn mist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(args)
        .env_remove("MIST_FONT")
        .output()
        .expect("run mist")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A completion date that is always in the past and never expired: yesterday.
fn yesterday() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    today.previous_day().unwrap().to_string()
}

struct Issued {
    dir: TempDir,
    json: String,
}

impl Issued {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_owned()
    }
}

fn keygen(dir: &Path) {
    let out = mist(&["cert", "keygen", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Keys in `keys/`, a certificate in `cert.pdf` and its JSON in `cert.json`.
fn issue() -> Issued {
    let dir = tempfile::tempdir().unwrap();
    keygen(&dir.path().join("keys"));
    let key = dir.path().join("keys/signing.key");
    let pdf = dir.path().join("cert.pdf");
    let out = mist(&[
        "cert",
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--learner",
        "山田 花子",
        "--kana",
        "やまだ はなこ",
        "--org",
        "みすと総合病院",
        "--course",
        "staff",
        "--completed",
        &yesterday(),
        "--score",
        "0.92",
        "--pdf",
        pdf.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    std::fs::write(dir.path().join("cert.json"), &json).unwrap();
    Issued { dir, json }
}

fn verify(pubkey: &str, file: &str) -> Output {
    mist(&["cert", "verify", "--pubkey", pubkey, file])
}

#[test]
fn keygen_writes_a_private_signing_key_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    let signing = std::fs::read_to_string(dir.path().join("signing.key")).unwrap();
    assert!(signing.starts_with("mist-certificate signing-key ed25519 v1\n"));
    let public = std::fs::read_to_string(dir.path().join("public.key")).unwrap();
    assert!(public.starts_with("mist-certificate public-key ed25519 v1\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("signing.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = mist(&["cert", "keygen", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn issue_then_verify_the_pdf_and_the_json() {
    let issued = issue();
    let json: serde_json::Value = serde_json::from_str(&issued.json).unwrap();
    assert_eq!(json["format"], "mist-certificate/1");
    let certificate = &json["certificate"];
    assert_eq!(certificate["learner"]["name"], "山田 花子");
    assert_eq!(certificate["learner"]["kana"], "やまだ はなこ");
    assert_eq!(certificate["course"]["slug"], "staff");
    assert_eq!(certificate["course"]["audience"], "staff");
    assert_eq!(certificate["score"], 0.92);
    assert!(certificate["code"].as_str().unwrap().len() == 16);
    assert_eq!(json["signature"].as_str().unwrap().len(), 128);

    let pubkey = issued.arg("keys/public.key");
    for file in ["cert.pdf", "cert.json"] {
        let out = verify(&pubkey, &issued.arg(file));
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stdout));
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with("valid: certificate "), "{stdout}");
        assert!(stdout.contains("山田 花子 (みすと総合病院)"), "{stdout}");
    }
}

#[test]
fn tampered_json_and_a_wrong_key_fail_with_the_reason() {
    let issued = issue();
    let forged = issued.json.replace("\"score\": 0.92", "\"score\": 1.0");
    assert_ne!(forged, issued.json);
    std::fs::write(issued.path("forged.json"), forged).unwrap();
    let out = verify(&issued.arg("keys/public.key"), &issued.arg("forged.json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("invalid: the signature does not match"),
        "{}",
        text(&out.stdout)
    );

    // The same edit inside the PDF's embedded certificate (same length, so the PDF stays intact).
    let pdf = std::fs::read(issued.path("cert.pdf")).unwrap();
    let needle = b"\"score\":0.92";
    let at = pdf.windows(needle.len()).position(|w| w == needle).unwrap();
    let mut forged = pdf.clone();
    forged[at..at + needle.len()].copy_from_slice(b"\"score\":0.99");
    std::fs::write(issued.path("forged.pdf"), forged).unwrap();
    let out = verify(&issued.arg("keys/public.key"), &issued.arg("forged.pdf"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("signature does not match"));

    keygen(&issued.path("other"));
    let out = verify(&issued.arg("other/public.key"), &issued.arg("cert.pdf"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("signed with a different key"));

    // A signing key where the public key belongs is a usage error, not a verdict.
    let out = verify(&issued.arg("keys/signing.key"), &issued.arg("cert.pdf"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_revoked_certificate_fails() {
    let issued = issue();
    let code =
        serde_json::from_str::<serde_json::Value>(&issued.json).unwrap()["certificate"]["code"]
            .as_str()
            .unwrap()
            .to_owned();
    let list = issued.arg("revoked.json");
    let out = mist(&[
        "cert",
        "revoke",
        "--list",
        &list,
        "--reason",
        "issued in error",
        &code.to_lowercase(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = mist(&[
        "cert",
        "verify",
        "--pubkey",
        &issued.arg("keys/public.key"),
        "--revoked",
        &list,
        &issued.arg("cert.pdf"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("issued in error"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn bad_requests_are_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    let key = dir.path().join("signing.key");
    let pdf = dir.path().join("out.pdf");
    let run = |learner: &str, course: &str, score: &str, extra: &[&str]| {
        let mut args = vec![
            "cert",
            "issue",
            "--key",
            key.to_str().unwrap(),
            "--learner",
            learner,
            "--org",
            "病院",
            "--course",
            course,
            "--completed",
            "2025-06-01",
            "--score",
            score,
            "--pdf",
            pdf.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        mist(&args)
    };
    let unknown = run("佐藤 一郎", "no-such-course", "0.9", &[]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("unknown course `no-such-course`"));
    let failed = run("佐藤 一郎", "staff", "0.5", &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(text(&failed.stderr).contains("below the pass mark"));
    let no_font = run(
        "佐藤 一郎",
        "staff",
        "0.9",
        &["--font", "/nonexistent/font.ttf"],
    );
    assert_eq!(no_font.status.code(), Some(2));
    assert!(
        text(&no_font.stderr).contains("font /nonexistent/font.ttf"),
        "{}",
        text(&no_font.stderr)
    );
    let expires_first = run("佐藤 一郎", "staff", "0.9", &["--expires", "2025-05-31"]);
    assert_eq!(expires_first.status.code(), Some(1));
    assert!(text(&expires_first.stderr).contains("before the completion date"));
    // 𠮷 (a variant of 吉 found in real names) is not in IPAex Gothic: a clear refusal.
    let no_glyph = run("𠮷田 一郎", "staff", "0.9", &[]);
    assert_eq!(no_glyph.status.code(), Some(1));
    assert!(
        text(&no_glyph.stderr).contains("no glyph for `𠮷` (U+20BB7)"),
        "{}",
        text(&no_glyph.stderr)
    );
    let not_a_font = run(
        "佐藤 一郎",
        "staff",
        "0.9",
        &["--font", key.to_str().unwrap()],
    );
    assert_eq!(not_a_font.status.code(), Some(2));
    assert!(text(&not_a_font.stderr).contains("not a usable TrueType"));
    assert!(!pdf.exists());

    // A genuine certificate past its expiry date is reported, with exit 1.
    let expired = run("佐藤 一郎", "staff", "0.9", &["--expires", "2025-06-02"]);
    assert_eq!(expired.status.code(), Some(0), "{}", text(&expired.stderr));
    let public = dir.path().join("public.key");
    let out = verify(public.to_str().unwrap(), pdf.to_str().unwrap());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("is genuine but expired on 2025-06-02"),
        "{}",
        text(&out.stdout)
    );
}

/// Runs a poppler tool; `None` when it is not installed (allowed only outside CI).
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) => {
            assert!(out.status.success(), "{tool}: {}", text(&out.stderr));
            Some(text(&out.stdout))
        }
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{tool} is required in CI (install poppler-utils): {error}"
            );
            eprintln!("skipping the PDF read-back: {tool} is not installed (poppler-utils)");
            None
        }
    }
}

#[test]
fn the_pdf_has_the_japanese_name_as_text_in_an_embedded_subset_font() {
    let issued = issue();
    let pdf = issued.arg("cert.pdf");
    let Some(page) = poppler("pdftotext", &["-layout", &pdf, "-"]) else {
        return;
    };
    let completed: time::Date = serde_json::from_str::<serde_json::Value>(&issued.json).unwrap()
        ["certificate"]["completed_on"]
        .as_str()
        .map(|d| time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).unwrap())
        .unwrap();
    let fiscal_year = FiscalYear::containing(completed);
    for expected in [
        "山田 花子",
        "やまだ はなこ",
        "みすと総合病院",
        "初学者・医療従事者向け研修",
        "CERTIFICATE OF COMPLETION",
        "92%",
        &fiscal_year.era_label(),
        &format!("({fiscal_year})"),
        "/verify/",
    ] {
        assert!(page.contains(expected), "`{expected}` not in:\n{page}");
    }
    let fonts = poppler("pdffonts", &[&pdf]).unwrap();
    let row = fonts
        .lines()
        .find(|line| line.contains("IPAexGothic"))
        .unwrap_or_else(|| panic!("no IPAexGothic in:\n{fonts}"));
    // A subset is named ABCDEF+IPAexGothic; the emb and sub columns both say yes.
    assert!(
        row.split_whitespace().next().unwrap().contains('+'),
        "{row}"
    );
    assert!(row.contains("yes yes"), "{row}");
}
