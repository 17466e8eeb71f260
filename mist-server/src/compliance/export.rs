//! Report exports: CSV in chunks (UTF-8 with a byte-order mark for Excel, or Shift_JIS), JSON, and
//! the signed PDF summary.

use std::sync::Arc;

use mist_core::certificate::SigningKey;
use mist_core::compliance::Report;
use mist_core::compliance::csv::to_shift_jis;
use mist_core::compliance::report::{csv_header, csv_rows};
use mist_core::compliance::signed::SignedReport;
use sha2::{Digest, Sha256};

/// The CSV's character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark, so that Excel reads it as UTF-8.
    Utf8,
    /// Shift_JIS, for older Excel and other tools in Japan.
    ShiftJis,
}

impl CsvEncoding {
    /// Parses `utf-8` or `shift_jis` (also `sjis`).
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().replace('-', "_").as_str() {
            "utf_8" | "utf8" => Some(CsvEncoding::Utf8),
            "shift_jis" | "sjis" => Some(CsvEncoding::ShiftJis),
            _ => None,
        }
    }

    /// The `Content-Type` of the CSV.
    pub fn content_type(self) -> &'static str {
        match self {
            CsvEncoding::Utf8 => "text/csv; charset=utf-8",
            CsvEncoding::ShiftJis => "text/csv; charset=shift_jis",
        }
    }
}

/// People per chunk: a chunk is a few tens of kilobytes, so memory stays bounded by the chunk, not
/// the file.
const PEOPLE_PER_CHUNK: usize = 200;

/// The CSV of a report in encoded chunks, made as they are asked for (an HTTP body or a file writer
/// pulls them one at a time).
#[derive(Debug)]
pub struct CsvChunks {
    report: Arc<Report>,
    encoding: CsvEncoding,
    next: Option<usize>,
}

impl CsvChunks {
    /// The chunks of a report's CSV.
    pub fn new(report: Arc<Report>, encoding: CsvEncoding) -> Self {
        Self {
            report,
            encoding,
            next: None,
        }
    }
}

impl Iterator for CsvChunks {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        let text = match self.next {
            None => {
                self.next = Some(0);
                csv_header()
            }
            Some(start) if start < self.report.people.len() => {
                let end = (start + PEOPLE_PER_CHUNK).min(self.report.people.len());
                self.next = Some(end);
                let mut text = String::with_capacity(PEOPLE_PER_CHUNK * 300);
                for person in &self.report.people[start..end] {
                    csv_rows(&mut text, self.report.header.fiscal_year, person);
                }
                text
            }
            Some(_) => return None,
        };
        Some(match (self.encoding, self.next) {
            (CsvEncoding::Utf8, Some(0)) => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            (CsvEncoding::Utf8, _) => text.into_bytes(),
            (CsvEncoding::ShiftJis, _) => to_shift_jis(&text),
        })
    }
}

/// The signed report, the SHA-256 of the signed bytes (hex), and the summary PDF.
pub struct SignedPdf {
    /// The signed report embedded in the PDF.
    pub signed: SignedReport,
    /// SHA-256 of the signed bytes, in hexadecimal: the report hash printed on the page.
    pub sha256: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// Why the PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The report could not be serialized.
    #[error("report: {0}")]
    Json(#[from] serde_json::Error),
    /// The font is unusable.
    #[error(transparent)]
    Font(#[from] mist_core::certificate::pdf::FontError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] mist_core::certificate::pdf::RenderError),
}

/// Signs a report with the portal's certificate key and renders the summary; `public_url` goes into
/// the verification hint.
pub fn signed_pdf(
    report: &Report,
    key: &SigningKey,
    public_url: &str,
) -> Result<SignedPdf, PdfError> {
    let signed = SignedReport::sign(report, key)?;
    let sha256: String = Sha256::digest(signed.canonical_bytes()?)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let hint = format!(
        "添付 compliance-report.json の署名を公開鍵 {public_url}/verify/public-key で確認: mist report verify --pubkey public.key FILE.pdf"
    );
    let font = crate::fonts::certificate_font()?;
    let pdf = mist_core::compliance::pdf::render(report, &signed, &sha256, &hint, font)?;
    Ok(SignedPdf {
        signed,
        sha256,
        pdf,
    })
}
