//! Signing and verifying certificates with Ed25519.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::keys::{decode_hex, encode_hex};
use super::{Certificate, InvalidCertificate};

/// The value of the `format` field of a signed certificate's JSON.
pub const FORMAT: &str = "mist-certificate/1";

/// A certificate with the issuer's Ed25519 signature over its canonical bytes.
///
/// In JSON: `{"format":"mist-certificate/1","certificate":{…},"signature":"<128 hex digits>"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SignedJson", into = "SignedJson")]
pub struct SignedCertificate {
    /// The certificate.
    pub certificate: Certificate,
    /// The issuer's signature over [`Certificate::canonical_bytes`].
    pub signature: Signature,
}

/// Why a signed certificate is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The signature does not cover these fields under this key.
    #[error(
        "the signature does not match: the certificate was altered or signed with a different key"
    )]
    Signature,
    /// The signature is genuine but the fields do not hold together.
    #[error("the certificate is signed but inconsistent: {0}")]
    Inconsistent(#[from] InvalidCertificate),
}

impl Certificate {
    /// Signs the certificate.
    pub fn sign(self, key: &SigningKey) -> SignedCertificate {
        let signature = key.sign(&self.canonical_bytes());
        SignedCertificate {
            certificate: self,
            signature,
        }
    }
}

impl SignedCertificate {
    /// Checks the signature against the issuer's public key, then the consistency of the fields.
    /// Expiry and revocation are separate questions: see [`Certificate::is_expired`] and
    /// [`super::RevocationList`].
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), VerifyError> {
        key.verify_strict(&self.certificate.canonical_bytes(), &self.signature)
            .map_err(|_| VerifyError::Signature)?;
        self.certificate.check()?;
        Ok(())
    }

    /// The compact JSON form, as embedded in PDFs; fails only for an issue time RFC 3339 cannot
    /// express, which [`Certificate::check`] rejects.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

/// The JSON form of a signed certificate.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedJson {
    format: String,
    certificate: Certificate,
    signature: String,
}

impl From<SignedCertificate> for SignedJson {
    fn from(signed: SignedCertificate) -> Self {
        Self {
            format: FORMAT.to_owned(),
            certificate: signed.certificate,
            signature: encode_hex(&signed.signature.to_bytes()),
        }
    }
}

impl TryFrom<SignedJson> for SignedCertificate {
    type Error = String;
    fn try_from(json: SignedJson) -> Result<Self, Self::Error> {
        if json.format != FORMAT {
            return Err(format!(
                "unknown certificate format `{}` (expected `{FORMAT}`)",
                json.format
            ));
        }
        let bytes: [u8; 64] = decode_hex(&json.signature)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or("the signature must be 128 hexadecimal digits")?;
        Ok(Self {
            certificate: json.certificate,
            signature: Signature::from_bytes(&bytes),
        })
    }
}
