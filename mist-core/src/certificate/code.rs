//! Certificate codes: short, human-enterable identifiers with a check character.
//!
//! A code is 12 symbols of Crockford base32 (`0-9`, `A-Z` without `I`, `L`, `O`, `U`) taken from the
//! 60 random bits of the certificate's UUID (v4), then one check character, written in groups:
//! `XXXX-XXXX-XXXX-C`.
//!
//! **Check character.** The Damm algorithm over the field GF(32) (polynomial x⁵ + x² + 1): the
//! operation `a ∘ d = 2·a + d` is a totally antisymmetric quasigroup, so folding the 13 symbols from
//! 0 gives 0 only for a valid code, and every single wrong symbol and every swap of two adjacent
//! symbols (the check character included) is detected.
//!
//! **Parsing** accepts lower case, spaces and hyphens anywhere, and reads `I`/`L` as `1` and `O` as `0`
//! (Crockford's rule for misread symbols); `U` and other symbols are rejected.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Crockford's base32 alphabet, in value order.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols carrying the identifier, before the check character.
const PAYLOAD_LEN: usize = 12;
/// Symbols per group when written.
const GROUP_LEN: usize = 4;

/// A certificate code such as `7K3M-9QX2-HD4T-R`: 12 base32 symbols and a check character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificateCode {
    /// The 12 payload symbols as values 0–31; the check character is derived.
    symbols: [u8; PAYLOAD_LEN],
}

/// Why a text is not a certificate code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCode {
    /// Too few or too many symbols.
    #[error("a certificate code has 13 symbols (XXXX-XXXX-XXXX-C), found {0}")]
    Length(usize),
    /// A symbol outside Crockford base32.
    #[error("`{0}` cannot appear in a certificate code")]
    Character(char),
    /// The check character does not match: a symbol was mistyped or two were swapped.
    #[error("the check character does not match: check the code for a mistyped or swapped symbol")]
    CheckCharacter,
}

impl CertificateCode {
    /// The code of a certificate id: its 60 random bits (a v4 UUID's version nibble is skipped).
    pub fn from_uuid(id: Uuid) -> Self {
        let high = (id.as_u128() >> 64) as u64;
        // [48 random bits][4 version bits][12 random bits]
        let bits = ((high >> 16) << 12) | (high & 0xfff);
        let mut symbols = [0u8; PAYLOAD_LEN];
        for (index, symbol) in symbols.iter_mut().enumerate() {
            let shift = 5 * (PAYLOAD_LEN - 1 - index);
            *symbol = ((bits >> shift) & 0x1f) as u8;
        }
        Self { symbols }
    }

    /// Parses a code as a person types it (see the module documentation for what is tolerated).
    pub fn parse(text: &str) -> Result<Self, InvalidCode> {
        let values = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\t'))
            .map(|c| symbol_value(c).ok_or(InvalidCode::Character(c)))
            .collect::<Result<Vec<u8>, _>>()?;
        let Some((&check, payload)) = values.split_last() else {
            return Err(InvalidCode::Length(0));
        };
        let symbols: [u8; PAYLOAD_LEN] = payload
            .try_into()
            .map_err(|_| InvalidCode::Length(values.len()))?;
        if check_symbol(&symbols) == check {
            Ok(Self { symbols })
        } else {
            Err(InvalidCode::CheckCharacter)
        }
    }

    /// The check character.
    pub fn check_character(&self) -> char {
        char::from(ALPHABET[usize::from(check_symbol(&self.symbols))])
    }
}

/// The value of a typed symbol, with Crockford's substitutions for misread letters.
fn symbol_value(c: char) -> Option<u8> {
    let upper = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    let position = ALPHABET.iter().position(|&a| char::from(a) == upper)?;
    u8::try_from(position).ok()
}

/// Multiplication in GF(32) modulo x⁵ + x² + 1.
fn gf32_mul(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        b >>= 1;
        a <<= 1;
        if a & 0x20 != 0 {
            a ^= 0x25;
        }
    }
    product
}

/// The Damm operation `a ∘ d = 2·a + d` (addition in GF(32) is XOR).
fn damm_step(interim: u8, symbol: u8) -> u8 {
    gf32_mul(2, interim) ^ symbol
}

/// The check symbol `c` that makes `interim ∘ c = 0` after the payload.
fn check_symbol(symbols: &[u8]) -> u8 {
    let interim = symbols.iter().fold(0, |acc, &s| damm_step(acc, s));
    gf32_mul(2, interim)
}

impl fmt::Display for CertificateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, &symbol) in self.symbols.iter().enumerate() {
            if index > 0 && index.is_multiple_of(GROUP_LEN) {
                f.write_str("-")?;
            }
            write!(f, "{}", char::from(ALPHABET[usize::from(symbol)]))?;
        }
        write!(f, "-{}", self.check_character())
    }
}

impl std::str::FromStr for CertificateCode {
    type Err = InvalidCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for CertificateCode {
    type Error = InvalidCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CertificateCode> for String {
    fn from(code: CertificateCode) -> Self {
        code.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample_codes() -> impl Iterator<Item = CertificateCode> {
        (0..200u128).map(|n| {
            let spread = n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
            CertificateCode::from_uuid(Uuid::from_u128(spread))
        })
    }

    #[test]
    fn display_and_parse_round_trip() {
        for code in sample_codes() {
            let text = code.to_string();
            assert_eq!(text.len(), 16, "{text}");
            assert_eq!(&text[4..5], "-");
            assert_eq!(CertificateCode::parse(&text), Ok(code));
        }
    }

    #[test]
    fn parse_tolerates_case_spacing_and_misread_letters() {
        let code =
            CertificateCode::from_uuid(Uuid::from_u128(0x0123_4567_89ab_4def_8123_4567_89ab_cdef));
        let text = code.to_string();
        let sloppy = text.to_lowercase().replace('-', " ");
        assert_eq!(CertificateCode::parse(&sloppy), Ok(code));
        let squashed: String = text.chars().filter(|c| *c != '-').collect();
        assert_eq!(CertificateCode::parse(&squashed), Ok(code));
        let misread = text.replace('1', "l").replace('0', "O");
        assert_eq!(CertificateCode::parse(&misread), Ok(code));
    }

    #[test]
    fn rejects_wrong_length_and_foreign_symbols() {
        assert_eq!(CertificateCode::parse(""), Err(InvalidCode::Length(0)));
        assert_eq!(
            CertificateCode::parse("ABCD-EFGH"),
            Err(InvalidCode::Length(8))
        );
        assert_eq!(
            CertificateCode::parse("ABCD-EFGH-JKMN-PU"),
            Err(InvalidCode::Character('U'))
        );
        assert_eq!(
            CertificateCode::parse("ABCD-EFGH-JKMN-*"),
            Err(InvalidCode::Character('*'))
        );
    }

    #[test]
    fn every_single_symbol_error_is_caught() {
        for code in sample_codes().take(40) {
            let text: Vec<u8> = code.to_string().bytes().filter(|&b| b != b'-').collect();
            for position in 0..text.len() {
                for &replacement in ALPHABET {
                    if replacement == text[position] {
                        continue;
                    }
                    let mut typo = text.clone();
                    typo[position] = replacement;
                    let typo = String::from_utf8(typo).unwrap();
                    assert_eq!(
                        CertificateCode::parse(&typo),
                        Err(InvalidCode::CheckCharacter),
                        "{typo} for {code}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_adjacent_swap_is_caught() {
        for code in sample_codes() {
            let text: Vec<u8> = code.to_string().bytes().filter(|&b| b != b'-').collect();
            for position in 0..text.len() - 1 {
                if text[position] == text[position + 1] {
                    continue;
                }
                let mut swapped = text.clone();
                swapped.swap(position, position + 1);
                let swapped = String::from_utf8(swapped).unwrap();
                assert_eq!(
                    CertificateCode::parse(&swapped),
                    Err(InvalidCode::CheckCharacter),
                    "{swapped} for {code}"
                );
            }
        }
    }

    #[test]
    fn the_code_uses_the_random_bits_of_the_uuid() {
        let base = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000);
        let flipped_first = Uuid::from_u128(base.as_u128() | (1 << 127));
        let flipped_last_random = Uuid::from_u128(base.as_u128() | (1 << 64));
        let flipped_version = Uuid::from_u128(base.as_u128() ^ (0xf << 76));
        let code = CertificateCode::from_uuid(base);
        assert_ne!(CertificateCode::from_uuid(flipped_first), code);
        assert_ne!(CertificateCode::from_uuid(flipped_last_random), code);
        assert_eq!(CertificateCode::from_uuid(flipped_version), code);
    }

    #[test]
    fn gf32_multiplication_is_a_field_product() {
        // 2 generates the multiplicative group: its powers visit all 31 non-zero elements.
        let mut seen = std::collections::BTreeSet::new();
        let mut power = 1u8;
        for _ in 0..31 {
            seen.insert(power);
            power = gf32_mul(power, 2);
        }
        assert_eq!((seen.len(), power), (31, 1));
    }
}
