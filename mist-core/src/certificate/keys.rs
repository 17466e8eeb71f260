//! The text files that hold the issuer's keys.
//!
//! Each file is two lines: a header naming what it holds, then the raw 32-byte Ed25519 key in
//! lower-case hexadecimal (64 digits):
//!
//! ```text
//! mist-certificate signing-key ed25519 v1
//! 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
//! ```
//!
//! The public key file starts with `mist-certificate public-key ed25519 v1`. The header stops a
//! signing key being published by mistake where a public key is expected, and the reverse.

use ed25519_dalek::{SigningKey, VerifyingKey};

/// The header line of a signing-key file.
const SIGNING_HEADER: &str = "mist-certificate signing-key ed25519 v1";
/// The header line of a public-key file.
const PUBLIC_HEADER: &str = "mist-certificate public-key ed25519 v1";

/// Why a key file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileError {
    /// The first line is not the expected header.
    #[error("expected a file starting with `{expected}`, found `{found}`")]
    Header {
        /// The header this kind of key file has.
        expected: &'static str,
        /// The first line found (shortened).
        found: String,
    },
    /// The key line is not 64 hexadecimal digits, or more lines follow.
    #[error("the key must be one line of 64 hexadecimal digits after the header")]
    Encoding,
    /// The bytes are not a valid Ed25519 public key.
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPoint,
}

/// The signing-key file text for a key.
pub fn encode_signing_key(key: &SigningKey) -> String {
    format!("{SIGNING_HEADER}\n{}\n", encode_hex(&key.to_bytes()))
}

/// The public-key file text for a key.
pub fn encode_verifying_key(key: &VerifyingKey) -> String {
    format!("{PUBLIC_HEADER}\n{}\n", encode_hex(key.as_bytes()))
}

/// Reads a signing-key file.
pub fn decode_signing_key(text: &str) -> Result<SigningKey, KeyFileError> {
    decode_key_bytes(text, SIGNING_HEADER).map(|bytes| SigningKey::from_bytes(&bytes))
}

/// Reads a public-key file.
pub fn decode_verifying_key(text: &str) -> Result<VerifyingKey, KeyFileError> {
    let bytes = decode_key_bytes(text, PUBLIC_HEADER)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyFileError::InvalidPoint)
}

fn decode_key_bytes(text: &str, header: &'static str) -> Result<[u8; 32], KeyFileError> {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let first = lines.next().unwrap_or_default();
    if first != header {
        return Err(KeyFileError::Header {
            expected: header,
            found: first.chars().take(60).collect(),
        });
    }
    let key = lines.next().ok_or(KeyFileError::Encoding)?;
    if lines.next().is_some() {
        return Err(KeyFileError::Encoding);
    }
    decode_hex(key)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(KeyFileError::Encoding)
}

/// Lower-case hexadecimal.
pub(crate) fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|&b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

/// Bytes from hexadecimal of either case; `None` for an odd length or a non-hex digit.
pub(crate) fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    digits
        .chunks_exact(2)
        .map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip() {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let text = encode_signing_key(&signing);
        assert!(text.starts_with("mist-certificate signing-key ed25519 v1\n0707"));
        assert_eq!(decode_signing_key(&text).unwrap(), signing);
        let public = encode_verifying_key(&signing.verifying_key());
        assert_eq!(
            decode_verifying_key(
                &public
                    .to_uppercase()
                    .replace("MIST-CERTIFICATE PUBLIC-KEY ED25519 V1", PUBLIC_HEADER)
            )
            .unwrap(),
            signing.verifying_key()
        );
    }

    #[test]
    fn the_wrong_kind_of_key_file_is_refused() {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let error = decode_verifying_key(&encode_signing_key(&signing)).unwrap_err();
        assert!(
            matches!(&error, KeyFileError::Header { found, .. } if found.contains("signing-key")),
            "{error}"
        );
        let truncated = format!("{SIGNING_HEADER}\n0707\n");
        assert_eq!(decode_signing_key(&truncated), Err(KeyFileError::Encoding));
        let extra = format!("{}junk\n", encode_signing_key(&signing));
        assert_eq!(decode_signing_key(&extra), Err(KeyFileError::Encoding));
    }

    #[test]
    fn hex_round_trips_and_rejects_non_hex() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(decode_hex(&encode_hex(&bytes)), Some(bytes));
        assert_eq!(decode_hex("0g"), None);
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("é1"), None);
    }
}
