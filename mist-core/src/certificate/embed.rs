//! Reading the signed certificate back out of a certificate PDF.
//!
//! The renderer attaches the signed certificate's compact JSON to the PDF as an uncompressed
//! embedded file `certificate.json` (visible in a viewer's attachments pane, extractable with
//! `pdfdetach`). Its JSON always begins with [`PAYLOAD_MARKER`], so reading it back needs no PDF
//! parser: find the marker in the file's bytes and parse one JSON value from there. A file holding
//! the marker more than once is refused, so a second certificate appended to a PDF cannot go unseen.
//!
//! What this proves is the embedded certificate; the verifier should compare the fields it reports
//! with the printed page.

use super::SignedCertificate;

/// The bytes a signed certificate's JSON starts with.
pub const PAYLOAD_MARKER: &str = r#"{"format":"mist-certificate/1""#;

/// Why no signed certificate could be read from a PDF.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The file holds no MIST certificate.
    #[error("the file holds no embedded MIST certificate")]
    NotFound,
    /// The file holds more than one.
    #[error("the file holds {0} embedded MIST certificates; a certificate PDF holds one")]
    Several(usize),
    /// The embedded JSON is damaged.
    #[error("the embedded certificate is not readable: {0}")]
    Json(#[from] serde_json::Error),
}

/// Reads the signed certificate embedded in a certificate PDF (see the module documentation).
pub fn extract_from_pdf(pdf: &[u8]) -> Result<SignedCertificate, ExtractError> {
    let marker = PAYLOAD_MARKER.as_bytes();
    let starts: Vec<usize> = pdf
        .windows(marker.len())
        .enumerate()
        .filter(|(_, window)| *window == marker)
        .map(|(start, _)| start)
        .collect();
    let start = match starts.as_slice() {
        [] => return Err(ExtractError::NotFound),
        [start] => *start,
        several => return Err(ExtractError::Several(several.len())),
    };
    let mut values =
        serde_json::Deserializer::from_slice(&pdf[start..]).into_iter::<SignedCertificate>();
    values
        .next()
        .ok_or(ExtractError::NotFound)?
        .map_err(Into::into)
}
