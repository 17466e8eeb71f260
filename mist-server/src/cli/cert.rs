//! `mist cert keygen|issue|verify|revoke`: signed completion certificates (修了証).
//!
//! Key files are text: a header line, then the raw 32-byte Ed25519 key in hexadecimal (see
//! `mist_core::certificate` for the exact form). `signing.key` is written with mode 0600.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use mist_core::authoring;
use mist_core::builtin;
use mist_core::certificate::pdf::{self, CertificateFont};
use mist_core::certificate::{
    self, Certificate, CertificateCode, CertifiedCourse, Expiry, Learner, NewCertificate,
    Revocation, RevocationList, Score, SignedCertificate, SigningKey,
};
use time::{Date, OffsetDateTime};

use super::EXIT_INVALID;

/// IPAex Gothic (IPA Font License v1.0), compiled in so that certificates render anywhere.
use mist_server::fonts::BUILTIN_FONT;

/// Issue and check signed completion certificates (修了証).
#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Create a key pair: DIR/signing.key (keep it secret) and DIR/public.key (give it to verifiers).
    Keygen {
        /// The directory to write the keys into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Replace existing key files.
        #[arg(long)]
        force: bool,
    },
    /// Issue a signed certificate as an A4 PDF; exit 1 if the certificate would not be valid.
    Issue(Box<IssueArgs>),
    /// Check a certificate PDF or JSON; exit 0 when valid, 1 with the reason when not (altered,
    /// signed with another key, revoked or expired).
    Verify {
        /// The issuer's public key file.
        #[arg(long)]
        pubkey: PathBuf,
        /// A revocation list (JSON, as written by `mist cert revoke`).
        #[arg(long)]
        revoked: Option<PathBuf>,
        /// The certificate: a PDF from `mist cert issue`, or its JSON.
        file: PathBuf,
    },
    /// Add a certificate to a revocation list (created if missing).
    Revoke {
        /// The revocation list file (JSON).
        #[arg(long)]
        list: PathBuf,
        /// Why the certificate is revoked.
        #[arg(long)]
        reason: String,
        /// The certificate code, such as 7K3M-9QX2-HD4T-R.
        code: String,
    },
}

/// Options of `mist cert issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// The signing key file (from `mist cert keygen`).
    #[arg(long)]
    key: PathBuf,
    /// The learner's name as it should be printed, usually in kanji.
    #[arg(long)]
    learner: String,
    /// The reading of the name in kana, printed above it.
    #[arg(long)]
    kana: Option<String>,
    /// The learner's organization (hospital).
    #[arg(long)]
    org: String,
    /// The course slug, looked up in the built-in series or in --series.
    #[arg(long)]
    course: String,
    /// A series or course directory to look the course up in, instead of the built-in series.
    #[arg(long)]
    series: Option<PathBuf>,
    /// The completion date, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    completed: Date,
    /// The score as a fraction from 0 to 1, such as 0.92.
    #[arg(long)]
    score: f64,
    /// The last valid day (YYYY-MM-DD) or `never`; default: the end of the next fiscal year.
    #[arg(long, value_parser = parse_expiry)]
    expires: Option<Expiry>,
    /// Where to write the PDF.
    #[arg(long)]
    pdf: PathBuf,
    /// Also print the signed certificate as JSON.
    #[arg(long)]
    json: bool,
    /// The server's base URL for the QR code; it points at BASE/verify/CODE.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    verify_base: String,
    /// A TrueType/OpenType font with Japanese glyphs, instead of the built-in IPAex Gothic.
    #[arg(long, env = "MIST_FONT")]
    font: Option<PathBuf>,
}

/// Runs a `mist cert` command.
pub fn run(command: CertCommand) -> anyhow::Result<ExitCode> {
    match command {
        CertCommand::Keygen { out, force } => keygen(&out, force),
        CertCommand::Issue(args) => issue(&args),
        CertCommand::Verify {
            pubkey,
            revoked,
            file,
        } => verify(&pubkey, revoked.as_deref(), &file),
        CertCommand::Revoke { list, reason, code } => revoke(&list, reason, &code),
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

fn parse_expiry(text: &str) -> Result<Expiry, String> {
    if text == "never" {
        Ok(Expiry::Never)
    } else {
        parse_date(text).map(Expiry::On)
    }
}

fn keygen(out: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed)
        .map_err(|error| anyhow::anyhow!("the system random number generator failed: {error}"))?;
    let key = SigningKey::from_bytes(&seed);
    fs::create_dir_all(out).with_context(|| format!("{}", out.display()))?;
    let signing_path = out.join("signing.key");
    let public_path = out.join("public.key");
    write_new(
        &signing_path,
        &certificate::encode_signing_key(&key),
        0o600,
        force,
    )?;
    write_new(
        &public_path,
        &certificate::encode_verifying_key(&key.verifying_key()),
        0o644,
        force,
    )?;
    println!("wrote {} (keep it secret)", signing_path.display());
    println!("wrote {} (give it to verifiers)", public_path.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes a file that must not exist yet (unless `force`), with Unix permissions `mode`.
fn write_new(path: &Path, text: &str, mode: u32, force: bool) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).with_context(|| {
        if path.exists() {
            format!(
                "{}: already exists (use --force to replace it)",
                path.display()
            )
        } else {
            format!("{}", path.display())
        }
    })?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("{}", path.display()))?;
    #[cfg(unix)]
    if force {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .with_context(|| format!("{}", path.display()))?;
    }
    Ok(())
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    fs::read_to_string(path).with_context(|| format!("{}", path.display()))
}

/// Looks a course up; an unknown slug or an invalid series is a usage error.
fn find_course(slug: &str, series_dir: Option<&Path>) -> anyhow::Result<mist_core::Course> {
    let outcome = match series_dir {
        Some(dir) => authoring::load(&authoring::read_dir(dir)?),
        None => builtin::load_series(),
    };
    let Some(series) = outcome.series else {
        bail!("the series is invalid; run `mist course check` for details");
    };
    match series.course(slug) {
        Some(course) => Ok(course.clone()),
        None => {
            let known: Vec<&str> = series.courses.iter().map(|c| c.slug.as_str()).collect();
            bail!("unknown course `{slug}` (known: {})", known.join(", "))
        }
    }
}

fn load_font(path: Option<&Path>) -> anyhow::Result<CertificateFont> {
    match path {
        Some(path) => {
            let bytes = fs::read(path).with_context(|| format!("font {}", path.display()))?;
            CertificateFont::new(bytes).with_context(|| format!("font {}", path.display()))
        }
        None => CertificateFont::new(BUILTIN_FONT).context("the built-in font"),
    }
}

fn issue(args: &IssueArgs) -> anyhow::Result<ExitCode> {
    let key = certificate::decode_signing_key(&read_text(&args.key)?)
        .with_context(|| format!("{}", args.key.display()))?;
    let course = find_course(&args.course, args.series.as_deref())?;
    let font = load_font(args.font.as_deref())?;
    let score = Score::from_fraction(args.score)?;
    if score.fraction() < course.pass_mark.fraction() {
        return refused(format!(
            "the score {} is below the pass mark of `{}` ({}%)",
            score.percent(),
            course.slug,
            course.pass_mark.percent()
        ));
    }
    let new = NewCertificate {
        learner: Learner {
            name: args.learner.clone(),
            kana: args.kana.clone(),
        },
        organization: args.org.clone(),
        course: CertifiedCourse::from(&course),
        score,
        completed_on: args.completed,
        expiry: args.expires.unwrap_or_default(),
    };
    let certificate = match Certificate::issue(new) {
        Ok(certificate) => certificate,
        Err(error) => return refused(error),
    };
    let signed = certificate.sign(&key);
    let bytes = match pdf::render(&signed, &font, &args.verify_base) {
        Ok(bytes) => bytes,
        Err(error @ pdf::RenderError::MissingGlyph { .. }) => {
            return refused(format!(
                "{error}; give --font a font that has it, or write the character's common form"
            ));
        }
        Err(error) => return Err(error.into()),
    };
    fs::write(&args.pdf, bytes).with_context(|| format!("{}", args.pdf.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&signed)?);
    } else {
        println!(
            "issued {} to {} → {}",
            signed.certificate.code,
            signed.certificate.learner.name,
            args.pdf.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses to issue a certificate that would not be valid (exit 1).
fn refused(reason: impl std::fmt::Display) -> anyhow::Result<ExitCode> {
    eprintln!("invalid: {reason}");
    Ok(ExitCode::from(EXIT_INVALID))
}

/// Reads a signed certificate from a PDF or JSON file: `Ok(Err(reason))` when the file was read
/// but holds no readable certificate.
fn read_signed(path: &Path) -> anyhow::Result<Result<SignedCertificate, String>> {
    let bytes = fs::read(path).with_context(|| format!("{}", path.display()))?;
    Ok(if bytes.starts_with(b"%PDF-") {
        certificate::extract_from_pdf(&bytes).map_err(|error| error.to_string())
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|error| format!("not a readable certificate JSON: {error}"))
    })
}

fn verify(pubkey: &Path, revoked: Option<&Path>, file: &Path) -> anyhow::Result<ExitCode> {
    let key = certificate::decode_verifying_key(&read_text(pubkey)?)
        .with_context(|| format!("{}", pubkey.display()))?;
    let revocations = match revoked {
        Some(path) => read_revocations(path)?,
        None => RevocationList::new(),
    };
    let invalid = |reason: String| {
        println!("invalid: {reason}");
        Ok(ExitCode::from(EXIT_INVALID))
    };
    let signed = match read_signed(file)? {
        Ok(signed) => signed,
        Err(reason) => return invalid(reason),
    };
    if let Err(error) = signed.verify(&key) {
        return invalid(error.to_string());
    }
    let c = &signed.certificate;
    if let Some(revocation) = revocations.get(&c.code) {
        return invalid(format!(
            "certificate {} was revoked on {}: {}",
            c.code, revocation.revoked_on, revocation.reason
        ));
    }
    let today = OffsetDateTime::now_utc().date();
    if let Some(expired) = c.expires_on.filter(|_| c.is_expired(today)) {
        return invalid(format!(
            "certificate {} is genuine but expired on {expired}",
            c.code
        ));
    }
    let ja = mist_core::LanguageTag::ja();
    println!("valid: certificate {}", c.code);
    println!("  learner       {} ({})", c.learner.name, c.organization);
    println!(
        "  course        {} [{}] {}",
        c.course.slug,
        c.course.audience,
        c.course.title.resolve(&ja, &[])
    );
    println!("  score         {}", c.score.percent());
    println!(
        "  completed on  {} ({}, {})",
        c.completed_on,
        c.fiscal_year.era_label(),
        c.fiscal_year
    );
    let expiry = c.expires_on.map_or("never".to_owned(), |d| d.to_string());
    println!("  valid until   {expiry}");
    Ok(ExitCode::SUCCESS)
}

fn read_revocations(path: &Path) -> anyhow::Result<RevocationList> {
    if !path.exists() {
        return Ok(RevocationList::new());
    }
    serde_json::from_str(&read_text(path)?)
        .with_context(|| format!("{}: not a revocation list", path.display()))
}

fn revoke(list_path: &Path, reason: String, code: &str) -> anyhow::Result<ExitCode> {
    let code = CertificateCode::parse(code).with_context(|| format!("`{code}`"))?;
    let mut list = read_revocations(list_path)?;
    let revocation = Revocation {
        code,
        reason,
        revoked_on: OffsetDateTime::now_utc().date(),
    };
    if let Some(earlier) = list.revoke(revocation) {
        println!("{code} was already revoked on {}", earlier.revoked_on);
        return Ok(ExitCode::SUCCESS);
    }
    let text = serde_json::to_string_pretty(&list)?;
    fs::write(list_path, text + "\n").with_context(|| format!("{}", list_path.display()))?;
    println!("revoked {code} ({} in {})", list.len(), list_path.display());
    Ok(ExitCode::SUCCESS)
}
