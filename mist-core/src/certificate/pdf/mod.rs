//! Certificates as PDF: A4 landscape, Japanese and English, with a QR code to the verification page
//! and the signed certificate embedded (see [`super::extract_from_pdf`]).
//!
//! Rendering is pure: the caller supplies the font ([`CertificateFont`]) and the base URL of the
//! verification page. The font must cover every character drawn (kanji, kana and Latin); a missing
//! glyph is an error, never a silent blank box. krilla embeds only the glyphs used (a subset).

mod layout;
mod qr;

use krilla::Document;
use krilla::color::rgb;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;

use self::layout::{Align, Frame, PAGE_HEIGHT, PAGE_WIDTH, TextItem};
use super::SignedCertificate;

/// The file name of the embedded signed certificate.
pub const EMBEDDED_NAME: &str = "certificate.json";

/// A parsed font for certificates; parse once, render many.
#[derive(Clone)]
pub struct CertificateFont {
    font: Font,
    data: krilla::Data,
}

impl std::fmt::Debug for CertificateFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateFont")
            .field("bytes", &self.data.as_ref().len())
            .finish()
    }
}

/// The bytes are not a usable font.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a usable TrueType or OpenType font (a .ttf or .otf file is needed)")]
pub struct FontError;

/// Why a certificate could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The font has no glyph for a character of the certificate.
    #[error("the font has no glyph for `{character}` (U+{code:04X}) in \"{text}\"", code = u32::from(*.character))]
    MissingGlyph {
        /// The character.
        character: char,
        /// The text it appears in.
        text: String,
    },
    /// The verification URL is too long for a QR code.
    #[error("the verification URL is too long for a QR code: {0}")]
    QrCode(String),
    /// The PDF library failed.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

impl CertificateFont {
    /// Parses a font from bytes (such as `include_bytes!` of a `.ttf`).
    pub fn new(bytes: impl Into<krilla::Data>) -> Result<Self, FontError> {
        let data: krilla::Data = bytes.into();
        // Check every parser that will read the font, so that none of them can fail later.
        skrifa::FontRef::new(data.as_ref()).map_err(|_| FontError)?;
        rustybuzz::Face::from_slice(data.as_ref(), 0).ok_or(FontError)?;
        let font = Font::new(data.clone(), 0).ok_or(FontError)?;
        Ok(Self { font, data })
    }

    /// The font as krilla draws it (other documents, such as compliance reports, use it too).
    pub(crate) fn krilla_font(&self) -> Font {
        self.font.clone()
    }

    /// A view for measuring text and finding glyphs.
    pub(crate) fn metrics(&self) -> Result<FontMetrics<'_>, RenderError> {
        let font = skrifa::FontRef::new(self.data.as_ref())
            .map_err(|_| RenderError::Pdf("the font could not be read".to_owned()))?;
        Ok(FontMetrics {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: f32::from(font.head().map_or(1000, |head| head.units_per_em())),
        })
    }
}

/// What layout needs from the font.
pub(crate) struct FontMetrics<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    glyphs: skrifa::metrics::GlyphMetrics<'a>,
    units_per_em: f32,
}

impl FontMetrics<'_> {
    /// The advance width of a line at a size, in points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .filter_map(|c| self.charmap.map(c))
            .filter_map(|glyph| self.glyphs.advance_width(glyph))
            .sum();
        units * size / self.units_per_em
    }

    /// The first character without a glyph.
    pub(crate) fn missing_glyph(&self, text: &str) -> Option<char> {
        text.chars()
            .find(|&c| self.charmap.map(c).is_none_or(|glyph| glyph.to_u32() == 0))
    }
}

/// Renders a signed certificate as a one-page PDF. `verify_base` is the server's base URL (such as
/// `https://lms.example.jp`); the QR code points at `{verify_base}/verify/{code}`.
pub fn render(
    signed: &SignedCertificate,
    font: &CertificateFont,
    verify_base: &str,
) -> Result<Vec<u8>, RenderError> {
    let certificate = &signed.certificate;
    let url = certificate.verify_url(verify_base);
    let items = layout::text_items(certificate, &url);
    let metrics = font.metrics()?;
    for item in &items {
        if let Some(character) = metrics.missing_glyph(&item.text) {
            return Err(RenderError::MissingGlyph {
                character,
                text: item.text.clone(),
            });
        }
    }
    let qr = qr::modules(&url).map_err(|error| RenderError::QrCode(error.to_string()))?;
    let json = signed
        .to_json()
        .map_err(|error| RenderError::Pdf(error.to_string()))?;

    let mut document = Document::new();
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| RenderError::Pdf("bad page size".to_owned()))?;
    let mut page = document.start_page_with(page_settings);
    let mut surface = page.surface();
    for frame in layout::FRAMES {
        stroke_frame(&mut surface, frame);
    }
    for rule in layout::rules() {
        fill_rect(&mut surface, rule, layout::GOLD);
    }
    for item in &items {
        draw_text(&mut surface, font, &metrics, item);
    }
    draw_qr(&mut surface, &qr);
    surface.finish();
    page.finish();

    document.set_metadata(metadata(signed));
    let embedded = EmbeddedFile {
        path: EMBEDDED_NAME.to_owned(),
        mime_type: MimeType::new("application/json"),
        description: Some("MIST signed certificate: check with `mist cert verify`".to_owned()),
        association_kind: AssociationKind::Data,
        data: json.into_bytes().into(),
        modification_date: Some(pdf_date(certificate.issued_at)),
        // Uncompressed so that `extract_from_pdf` can find it without a PDF parser.
        compress: Some(false),
        location: None,
    };
    document
        .embed_file(embedded)
        .ok_or_else(|| RenderError::Pdf("the certificate could not be attached".to_owned()))?;
    document
        .finish()
        .map_err(|error| RenderError::Pdf(format!("{error:?}")))
}

fn metadata(signed: &SignedCertificate) -> Metadata {
    let certificate = &signed.certificate;
    Metadata::new()
        .title(format!(
            "修了証 Certificate of Completion — {} — {}",
            certificate.learner.name, certificate.code
        ))
        .creator("MIST".to_owned())
        .language("ja".to_owned())
        .creation_date(pdf_date(certificate.issued_at))
}

pub(crate) fn pdf_date(at: time::OffsetDateTime) -> DateTime {
    let utc = at.to_offset(time::UtcOffset::UTC);
    DateTime::new(u16::try_from(utc.year()).unwrap_or(0))
        .month(u8::from(utc.month()))
        .day(utc.day())
        .hour(utc.hour())
        .minute(utc.minute())
        .second(utc.second())
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

pub(crate) fn rgb_fill(color: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke_frame(surface: &mut Surface<'_>, frame: &Frame) {
    let mut path = PathBuilder::new();
    let (inset, width) = (frame.inset, PAGE_WIDTH - 2.0 * frame.inset);
    if let Some(rect) = Rect::from_xywh(inset, inset, width, PAGE_HEIGHT - 2.0 * frame.inset) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(frame.color.0, frame.color.1, frame.color.2).into(),
            width: frame.width,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn fill_rect(surface: &mut Surface<'_>, rect: Rect, color: (u8, u8, u8)) {
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    if let Some(path) = path.finish() {
        surface.set_fill(Some(rgb_fill(color)));
        surface.draw_path(&path);
    }
}

fn draw_text(
    surface: &mut Surface<'_>,
    font: &CertificateFont,
    metrics: &FontMetrics<'_>,
    item: &TextItem,
) {
    let natural = metrics.width(&item.text, item.size);
    // Shrink a line that would overflow its box rather than wrap or clip it.
    let size = if natural > item.max_width {
        item.size * item.max_width / natural
    } else {
        item.size
    };
    let width = natural * size / item.size;
    let x = match item.align {
        Align::Left => item.x,
        Align::Center => item.x - width / 2.0,
        Align::Right => item.x - width,
    };
    surface.set_fill(Some(rgb_fill(item.color)));
    surface.draw_text(
        Point::from_xy(x, item.y),
        font.font.clone(),
        size,
        &item.text,
        false,
        TextDirection::Auto,
    );
}

fn draw_qr(surface: &mut Surface<'_>, qr: &qr::QrModules) {
    let (x0, y0, side) = layout::QR_BOX;
    let module = side / qr.width as f32;
    let mut path = PathBuilder::new();
    for (row, start, length) in qr.dark_runs() {
        let rect = Rect::from_xywh(
            x0 + start as f32 * module,
            y0 + row as f32 * module,
            length as f32 * module,
            module,
        );
        if let Some(rect) = rect {
            path.push_rect(rect);
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(rgb_fill(layout::INK)));
        surface.draw_path(&path);
    }
}

#[cfg(test)]
mod tests;
