//! `mist report compliance|verify`: the compliance report from the command line, and checking a
//! signed report.

use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use mist_core::certificate::decode_verifying_key;
use mist_core::compliance::signed::SignedReport;
use mist_core::fiscal::FiscalYear;
use mist_server::compliance::export::{CsvChunks, CsvEncoding, signed_pdf};
use mist_server::compliance::{ReportRequest, record_generation, report, today_in_japan};
use uuid::Uuid;

use super::{DatabaseArgs, EXIT_INVALID};

/// Compliance reports (診療録管理体制加算: annual staff training).
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Write an organization's compliance report of a fiscal year as CSV, JSON or a signed PDF.
    Compliance(Box<ComplianceArgs>),
    /// Check a signed report (a PDF from `compliance --format pdf`, or its embedded JSON); exit 0
    /// when the signature matches the public key, 1 with the reason when not.
    Verify {
        /// The portal's public key file (from /verify/public-key or `mist cert keygen`).
        #[arg(long)]
        pubkey: PathBuf,
        /// The report PDF or JSON.
        file: PathBuf,
    },
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per person and course.
    Csv,
    /// The whole report.
    Json,
    /// The printable summary, signed with the portal's certificate key.
    Pdf,
}

/// Options of `mist report compliance`.
#[derive(Debug, Args)]
pub struct ComplianceArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The organization's id.
    #[arg(long)]
    org: Uuid,
    /// The fiscal year, by the calendar year it starts in (2025 = 令和7年度).
    #[arg(long)]
    fy: i32,
    /// The output format.
    #[arg(long, value_enum)]
    format: Format,
    /// The CSV's encoding: utf-8 (with a byte-order mark) or shift_jis.
    #[arg(long, default_value = "utf-8")]
    encoding: String,
    /// The portal's address, for the PDF's verification hint.
    #[arg(long, env = "MIST_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    public_url: String,
    /// The file to write.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

/// Runs a `mist report` command.
pub fn run(command: ReportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ReportCommand::Compliance(args) => {
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            runtime.block_on(compliance(*args))
        }
        ReportCommand::Verify { pubkey, file } => verify(&pubkey, &file),
    }
}

async fn compliance(args: ComplianceArgs) -> anyhow::Result<ExitCode> {
    let encoding = CsvEncoding::parse(&args.encoding).with_context(|| {
        format!(
            "unknown encoding `{}`: use utf-8 or shift_jis",
            args.encoding
        )
    })?;
    let store = args.database.open().await?;
    let organization = store
        .organization(args.org)
        .await?
        .with_context(|| format!("no organization {}", args.org))?;
    let courses = store.courses().await?;
    let request = ReportRequest {
        organization: &organization,
        year: FiscalYear::starting_in(args.fy),
        today: today_in_japan(),
        generated_by: "mist report compliance",
    };
    let year = request.year;
    let report = report(&store, &courses, request).await?;
    let file = fs::File::create(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let mut out = BufWriter::new(file);
    let (format, sha256) = match args.format {
        Format::Csv => {
            for chunk in CsvChunks::new(Arc::new(report), encoding) {
                out.write_all(&chunk)?;
            }
            ("csv", None)
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            ("json", None)
        }
        Format::Pdf => {
            let key = mist_server::web::signing_key(&store)
                .await
                .map_err(|e| anyhow::anyhow!("the signing key: {e}"))?;
            let signed = signed_pdf(&report, &key, &args.public_url)?;
            out.write_all(&signed.pdf)?;
            eprintln!("report SHA-256 {}", signed.sha256);
            ("pdf", Some(signed.sha256))
        }
    };
    out.flush()?;
    record_generation(
        &store,
        None,
        organization.id,
        year,
        format,
        sha256.as_deref(),
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

fn verify(pubkey: &std::path::Path, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let key_text =
        fs::read_to_string(pubkey).with_context(|| format!("reading {}", pubkey.display()))?;
    let key = decode_verifying_key(&key_text)
        .with_context(|| format!("{} is not a public key", pubkey.display()))?;
    let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let signed = if bytes.first() == Some(&b'{') {
        serde_json::from_slice::<SignedReport>(&bytes).map_err(Into::into)
    } else {
        SignedReport::extract_from_pdf(&bytes)
    };
    let checked = signed.and_then(|signed| signed.verify(&key));
    match checked {
        Ok(report) => {
            let h = &report.header;
            println!(
                "valid: {} {} ({}), {} of {} staff complete, generated {} by {}",
                h.facility,
                h.fiscal_year_label,
                h.fiscal_year,
                report.aggregates.total.complete,
                report.aggregates.total.counted,
                h.generated_at,
                h.generated_by
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("invalid: {error}");
            Ok(ExitCode::from(EXIT_INVALID))
        }
    }
}
