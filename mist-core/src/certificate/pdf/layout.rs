//! Where everything goes on the page: A4 landscape, in points, origin at the top left, text placed
//! by its baseline. Layout is a plain list of items so it can be checked (glyphs) before drawing.

use krilla::geom::Rect;
use time::Date;

use super::super::{Certificate, issued_on_in_japan};
use crate::text::{LanguageTag, Localized};

/// A4 landscape width (297 mm).
pub(super) const PAGE_WIDTH: f32 = 841.89;
/// A4 landscape height (210 mm).
pub(super) const PAGE_HEIGHT: f32 = 595.28;

type Rgb = (u8, u8, u8);
/// Body text.
pub(super) const INK: Rgb = (0x1c, 0x1c, 0x24);
/// Headings and the outer frame.
const NAVY: Rgb = (0x1f, 0x3a, 0x5f);
/// Ornament.
pub(super) const GOLD: Rgb = (0xb0, 0x8d, 0x3e);
/// Labels and secondary (English) lines.
const MUTED: Rgb = (0x5a, 0x5f, 0x6b);

/// A rectangle drawn as an outline around the page.
pub(super) struct Frame {
    /// Distance from the page edge.
    pub(super) inset: f32,
    /// Line width.
    pub(super) width: f32,
    /// Line colour.
    pub(super) color: Rgb,
}

/// The double frame: a strong outer line and a fine inner one.
pub(super) const FRAMES: &[Frame] = &[
    Frame {
        inset: 20.0,
        width: 2.5,
        color: NAVY,
    },
    Frame {
        inset: 27.0,
        width: 0.8,
        color: GOLD,
    },
];

/// The QR code's box: left, top, side.
pub(super) const QR_BOX: (f32, f32, f32) = (632.0, 300.0, 112.0);
const QR_CENTER: f32 = QR_BOX.0 + QR_BOX.2 / 2.0;
const CENTER: f32 = PAGE_WIDTH / 2.0;
const LABEL_X: f32 = 96.0;
const VALUE_X: f32 = 236.0;
const VALUE_WIDTH: f32 = 370.0;
const FIRST_ROW_Y: f32 = 312.0;
const ROW_STEP: f32 = 25.0;
const SECOND_LINE_STEP: f32 = 12.5;

/// How a line sits on its x coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    /// Starts at x.
    Left,
    /// Is centred on x.
    Center,
    /// Ends at x.
    Right,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TextItem {
    pub(super) text: String,
    pub(super) size: f32,
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) align: Align,
    /// The line is shrunk to fit this width.
    pub(super) max_width: f32,
    pub(super) color: Rgb,
}

fn line(
    text: impl Into<String>,
    size: f32,
    (x, y): (f32, f32),
    align: Align,
    color: Rgb,
) -> TextItem {
    TextItem {
        text: text.into(),
        size,
        x,
        y,
        align,
        max_width: PAGE_WIDTH - 2.0 * 60.0,
        color,
    }
}

impl TextItem {
    fn fit(mut self, max_width: f32) -> Self {
        self.max_width = max_width;
        self
    }
}

/// Thin gold rules: under the title and under the name.
pub(super) fn rules() -> impl Iterator<Item = Rect> {
    [
        Rect::from_xywh(CENTER - 60.0, 142.0, 120.0, 1.2),
        Rect::from_xywh(CENTER - 200.0, 224.0, 400.0, 0.6),
    ]
    .into_iter()
    .flatten()
}

/// `2025年6月1日 (2025-06-01)`.
fn both_dates(date: Date) -> String {
    format!(
        "{}年{}月{}日 ({date})",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The Japanese and English lines of a localized text (one line if it has only one of them).
fn ja_en_lines(text: &Localized) -> Vec<String> {
    let (ja, en) = (LanguageTag::ja(), LanguageTag::en());
    match (text.get(&ja), text.get(&en)) {
        (Some(ja), Some(en)) => vec![ja.to_owned(), en.to_owned()],
        (Some(one), None) | (None, Some(one)) => vec![one.to_owned()],
        (None, None) => vec![text.resolve(&ja, &[]).to_owned()],
    }
}

/// Every line of text on the certificate.
pub(super) fn text_items(certificate: &Certificate, url: &str) -> Vec<TextItem> {
    let mut items = vec![
        line("修　了　証", 40.0, (CENTER, 104.0), Align::Center, NAVY),
        line(
            "CERTIFICATE OF COMPLETION",
            12.0,
            (CENTER, 132.0),
            Align::Center,
            GOLD,
        ),
    ];
    if let Some(kana) = &certificate.learner.kana {
        items.push(line(kana.as_str(), 11.0, (CENTER, 174.0), Align::Center, MUTED).fit(400.0));
    }
    items.push(
        line(
            format!("{}　殿", certificate.learner.name),
            30.0,
            (CENTER, 214.0),
            Align::Center,
            INK,
        )
        .fit(400.0),
    );
    items.push(line(
        "あなたは下記の研修を修了したことをここに証します。",
        12.5,
        (CENTER, 254.0),
        Align::Center,
        INK,
    ));
    items.push(line(
        "This certifies that the person named above has completed the course below.",
        10.0,
        (CENTER, 272.0),
        Align::Center,
        MUTED,
    ));

    let (audience_ja, audience_en) = certificate.course.audience.label();
    let expiry = certificate
        .expires_on
        .map_or_else(|| "なし (does not expire)".to_owned(), both_dates);
    let rows: [(&str, Vec<String>); 7] = [
        ("所属  Organization", vec![certificate.organization.clone()]),
        ("研修  Course", ja_en_lines(&certificate.course.title)),
        (
            "対象  Audience",
            vec![audience_ja.to_owned(), audience_en.to_owned()],
        ),
        ("得点  Score", vec![certificate.score.percent()]),
        (
            "修了日  Completed",
            vec![both_dates(certificate.completed_on)],
        ),
        (
            "年度  Fiscal year",
            vec![format!(
                "{} ({})",
                certificate.fiscal_year.era_label(),
                certificate.fiscal_year
            )],
        ),
        ("有効期限  Valid until", vec![expiry]),
    ];
    let mut y = FIRST_ROW_Y;
    for (label, values) in rows {
        items.push(line(label, 9.5, (LABEL_X, y), Align::Left, MUTED).fit(VALUE_X - LABEL_X - 8.0));
        for (index, value) in values.into_iter().enumerate() {
            let item = if index == 0 {
                line(value, 12.5, (VALUE_X, y), Align::Left, INK)
            } else {
                y += SECOND_LINE_STEP;
                line(value, 9.5, (VALUE_X, y), Align::Left, MUTED)
            };
            items.push(item.fit(VALUE_WIDTH));
        }
        y += ROW_STEP;
    }

    let qr_caption_y = QR_BOX.1 + QR_BOX.2 + 14.0;
    items.push(
        line(
            "検証用QRコード  Scan to verify",
            8.0,
            (QR_CENTER, qr_caption_y),
            Align::Center,
            MUTED,
        )
        .fit(170.0),
    );
    items.push(
        line(
            url,
            6.5,
            (QR_CENTER, qr_caption_y + 11.0),
            Align::Center,
            MUTED,
        )
        .fit(170.0),
    );

    let bottom_y = 516.0;
    items.push(line(
        format!("証明書番号  Certificate No.  {}", certificate.code),
        10.0,
        (LABEL_X, bottom_y),
        Align::Left,
        INK,
    ));
    items.push(line(
        format!(
            "発行日  Issued  {}",
            both_dates(issued_on_in_japan(certificate))
        ),
        10.0,
        (PAGE_WIDTH - LABEL_X, bottom_y),
        Align::Right,
        INK,
    ));
    items.push(line(
        "MIST 医療機関向けセキュリティ教育  Medical Information Security Training — Ed25519 署名付き  digitally signed",
        8.0,
        (CENTER, 546.0),
        Align::Center,
        MUTED,
    ));
    items
}
