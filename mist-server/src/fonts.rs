//! The certificate font, compiled into the binary so that certificates render with no files around:
//! IPAex Gothic (IPA Font License v1.0; see `assets/fonts/`).

use std::sync::OnceLock;

use mist_core::certificate::pdf::{CertificateFont, FontError};

/// The bytes of IPAex Gothic.
pub const BUILTIN_FONT: &[u8] = include_bytes!("../assets/fonts/ipaexg.ttf");

/// The built-in font, parsed once.
pub fn certificate_font() -> Result<&'static CertificateFont, FontError> {
    static FONT: OnceLock<Result<CertificateFont, FontError>> = OnceLock::new();
    FONT.get_or_init(|| CertificateFont::new(BUILTIN_FONT))
        .as_ref()
        .map_err(Clone::clone)
}
