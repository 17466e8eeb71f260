//! Signed compliance reports: the report's JSON with the portal's Ed25519 signature (the key that
//! signs certificates), embedded in the printed PDF so that an inspector can check it offline.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::report::Report;
use crate::certificate::keys::{decode_hex, encode_hex};

/// The value of the `format` field.
pub const FORMAT: &str = "mist-compliance-report/1";
/// The bytes a signed report's JSON starts with (how it is found inside a PDF).
pub const PAYLOAD_MARKER: &str = r#"{"format":"mist-compliance-report/1""#;

/// A report with its signature. The signature covers [`SignedReport::canonical_bytes`]: the report's
/// JSON with object keys sorted, no spaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedReport {
    /// Always [`FORMAT`].
    pub format: String,
    /// The report.
    pub report: serde_json::Value,
    /// The Ed25519 signature, 128 hexadecimal digits.
    pub signature: String,
}

/// Why a signed report is not valid.
#[derive(Debug, thiserror::Error)]
pub enum SignedReportError {
    /// No signed report in the file.
    #[error("the file holds no embedded MIST compliance report")]
    NotFound,
    /// More than one.
    #[error("the file holds {0} embedded compliance reports; a report PDF holds one")]
    Several(usize),
    /// Not readable.
    #[error("the embedded report is not readable: {0}")]
    Json(#[from] serde_json::Error),
    /// Another format.
    #[error("unknown report format `{0}`")]
    Format(String),
    /// The signature does not match.
    #[error("the signature does not match: the report was altered or signed with a different key")]
    Signature,
}

fn canonical(value: &serde_json::Value) -> Result<Vec<u8>, serde_json::Error> {
    // serde_json's maps are sorted by key, so re-serializing a parsed value gives the same bytes.
    let sorted: serde_json::Value = serde_json::from_value(value.clone())?;
    serde_json::to_vec(&sorted)
}

impl SignedReport {
    /// Signs a report.
    pub fn sign(report: &Report, key: &SigningKey) -> Result<Self, serde_json::Error> {
        let value = serde_json::to_value(report)?;
        let signature = key.sign(&canonical(&value)?);
        Ok(Self {
            format: FORMAT.to_owned(),
            report: value,
            signature: encode_hex(&signature.to_bytes()),
        })
    }

    /// The bytes the signature covers.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        canonical(&self.report)
    }

    /// Checks the signature and returns the report.
    pub fn verify(&self, key: &VerifyingKey) -> Result<Report, SignedReportError> {
        if self.format != FORMAT {
            return Err(SignedReportError::Format(self.format.clone()));
        }
        let bytes: [u8; 64] = decode_hex(&self.signature)
            .and_then(|b| b.try_into().ok())
            .ok_or(SignedReportError::Signature)?;
        key.verify_strict(&self.canonical_bytes()?, &Signature::from_bytes(&bytes))
            .map_err(|_| SignedReportError::Signature)?;
        Ok(serde_json::from_value(self.report.clone())?)
    }

    /// Reads the signed report embedded in a report PDF (found by [`PAYLOAD_MARKER`]; a file holding
    /// it twice is refused).
    pub fn extract_from_pdf(pdf: &[u8]) -> Result<Self, SignedReportError> {
        let marker = PAYLOAD_MARKER.as_bytes();
        let starts: Vec<usize> = pdf
            .windows(marker.len())
            .enumerate()
            .filter(|(_, w)| *w == marker)
            .map(|(i, _)| i)
            .collect();
        let start = match starts.as_slice() {
            [] => return Err(SignedReportError::NotFound),
            [start] => *start,
            several => return Err(SignedReportError::Several(several.len())),
        };
        serde_json::Deserializer::from_slice(&pdf[start..])
            .into_iter::<SignedReport>()
            .next()
            .ok_or(SignedReportError::NotFound)?
            .map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use time::macros::date;

    use super::*;
    use crate::compliance::report::{ReportHeader, aggregate};
    use crate::compliance::rules::RuleSet;
    use crate::fiscal::FiscalYear;

    fn report() -> Report {
        let year = FiscalYear::starting_in(2025);
        Report {
            header: ReportHeader {
                facility: "テスト病院".into(),
                insurance_code: None,
                prefecture: "徳島県".into(),
                licensed_beds: Some(250),
                fiscal_year: year,
                fiscal_year_label: year.era_label(),
                obligation: RuleSet::bundled()
                    .unwrap()
                    .obligation(Some(250), date!(2025 - 07 - 01)),
                guideline_version: "6.0".into(),
                generated_at: "2025-07-01T00:00:00Z".into(),
                generated_by: "manager@example.jp".into(),
                frozen: false,
            },
            aggregates: aggregate(&[], year, date!(2025 - 07 - 01)),
            people: vec![],
        }
    }

    #[test]
    fn signed_reports_verify_and_tampering_shows() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let signed = SignedReport::sign(&report(), &key).unwrap();
        let json = serde_json::to_string(&signed).unwrap();
        assert!(json.starts_with(PAYLOAD_MARKER));
        let found =
            SignedReport::extract_from_pdf(format!("%PDF junk {json} trailer").as_bytes()).unwrap();
        assert_eq!(found.verify(&key.verifying_key()).unwrap(), report());
        let mut altered = found.clone();
        altered.report["header"]["facility"] = "別の病院".into();
        assert!(matches!(
            altered.verify(&key.verifying_key()),
            Err(SignedReportError::Signature)
        ));
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(matches!(
            found.verify(&other.verifying_key()),
            Err(SignedReportError::Signature)
        ));
        let twice = format!("{json}{json}");
        assert!(matches!(
            SignedReport::extract_from_pdf(twice.as_bytes()),
            Err(SignedReportError::Several(2))
        ));
    }
}
