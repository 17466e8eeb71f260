//! The printable compliance summary: A4 portrait pages of the header, the figures with bars, and the
//! staff still to train; the signed report is embedded (`compliance-report.json`) and its hash and
//! signature printed, with how to check them.

use krilla::Document;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::TextDirection;

use super::report::{GroupRate, Report};
use super::rules::Requirement;
use super::signed::SignedReport;
use super::status::Status;
use crate::certificate::pdf::{CertificateFont, RenderError, pdf_date, rgb_fill};
use crate::model::Audience;

/// The file name of the embedded signed report.
pub const EMBEDDED_NAME: &str = "compliance-report.json";

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 48.0;
const BAR_X: f32 = 330.0;
const BAR_WIDTH: f32 = 200.0;
const INK: (u8, u8, u8) = (0x1c, 0x1c, 0x24);
const NAVY: (u8, u8, u8) = (0x1f, 0x3a, 0x5f);
const PALE: (u8, u8, u8) = (0xdd, 0xe3, 0xea);
/// Staff still to train listed by name in the summary; the CSV and JSON list everyone.
const MAX_LISTED: usize = 200;

/// One line of the summary: text, its size, and optionally a bar (a share in `0..=1`).
struct Line {
    text: String,
    size: f32,
    bar: Option<f32>,
}

fn line(text: impl Into<String>, size: f32) -> Line {
    Line {
        text: text.into(),
        size,
        bar: None,
    }
}

fn rate_line(label: &str, rate: &GroupRate) -> Line {
    let percent = rate.percent();
    Line {
        text: format!(
            "  {label}: {}/{} 人 ({})",
            rate.complete,
            rate.counted,
            percent.map_or("—".to_owned(), |p| format!("{p:.1}%"))
        ),
        size: 9.5,
        bar: percent.map(|p| (p / 100.0) as f32),
    }
}

fn lines(report: &Report, signed: &SignedReport, sha256: &str, verify_hint: &str) -> Vec<Line> {
    let h = &report.header;
    let a = &report.aggregates;
    let requirement = match h.obligation.requirement {
        Requirement::Required => "研修義務あり (training required)",
        Requirement::Transitional => "経過措置中 (transitional)",
        Requirement::NotRequired => "義務対象外 (not required)",
    };
    let period = match (h.fiscal_year.first_day(), h.fiscal_year.last_day()) {
        (Some(first), Some(last)) => format!("{first}〜{last}"),
        _ => String::new(),
    };
    let mut out = vec![
        line("診療録管理体制加算 職員研修 実施状況報告書", 17.0),
        line("Staff security training compliance report (MIST)", 10.0),
        line("", 6.0),
        line(format!("施設名 Facility: {}", h.facility), 11.0),
        line(
            format!(
                "保険医療機関コード: {}    都道府県: {}    許可病床数: {}",
                h.insurance_code.as_deref().unwrap_or("—"),
                h.prefecture,
                h.licensed_beds
                    .map_or("—".to_owned(), |b| format!("{b} 床"))
            ),
            9.5,
        ),
        line(
            format!(
                "年度 Fiscal year: {} ({}) {period}{}",
                h.fiscal_year_label,
                h.fiscal_year,
                if h.frozen {
                    "  [締め済み closed]"
                } else {
                    ""
                }
            ),
            11.0,
        ),
        line(format!("判定 Obligation: {requirement}"), 10.0),
        line(format!("  {}", h.obligation.explanation_ja), 8.5),
        line(
            format!(
                "参照ガイドライン: 医療情報システムの安全管理に関するガイドライン 第{}版",
                h.guideline_version
            ),
            8.5,
        ),
        line("", 6.0),
        line(
            format!(
                "修了率 Completion: {}/{} 人 ({})  集計外 not counted: {} 人",
                a.total.complete,
                a.total.counted,
                a.total
                    .percent()
                    .map_or("—".to_owned(), |p| format!("{p:.1}%")),
                a.not_counted
            ),
            11.0,
        ),
        line(
            Status::ALL
                .iter()
                .map(|s| {
                    format!(
                        "{} {}",
                        s.label().0,
                        a.statuses.get(s).copied().unwrap_or(0)
                    )
                })
                .collect::<Vec<_>>()
                .join("  /  ")
                + "  (研修ごとの件数)",
            9.0,
        ),
        line("階層別 By tier", 11.0),
    ];
    for rate in &a.by_tier {
        let label = Audience::parse(&rate.group).map_or(rate.group.as_str(), |t| t.label().0);
        out.push(rate_line(label, rate));
    }
    out.push(line("部署別 By department", 11.0));
    out.extend(a.by_department.iter().map(|r| rate_line(&r.group, r)));
    out.push(line("職種別 By job type", 11.0));
    out.extend(a.by_job_type.iter().map(|r| rate_line(&r.group, r)));
    out.push(line(
        format!("未修了者 Staff still to train: {} 人", a.incomplete.len()),
        11.0,
    ));
    for person in a.incomplete.iter().take(MAX_LISTED) {
        out.push(line(
            format!(
                "  {}  {}  {}  残り {} 日  {}",
                person.staff_id,
                person.name,
                person.department,
                person.days_left,
                person.courses.join("、")
            ),
            8.5,
        ));
    }
    let more = a.incomplete.len().saturating_sub(MAX_LISTED);
    if more > 0 {
        out.push(line(
            format!(
                "  … ほか {more} 人(全員の明細は CSV・JSON に) and {more} more: see the CSV or JSON"
            ),
            8.5,
        ));
    }
    out.extend([
        line("", 6.0),
        line(
            format!("作成 Generated: {}  by {}", h.generated_at, h.generated_by),
            8.5,
        ),
        line(format!("報告書ハッシュ SHA-256: {sha256}"), 8.0),
        line(
            format!(
                "署名 Ed25519: {}",
                &signed.signature[..64.min(signed.signature.len())]
            ),
            8.0,
        ),
        line(
            format!(
                "              {}",
                signed.signature.get(64..).unwrap_or_default()
            ),
            8.0,
        ),
        line(format!("検証 Verify: {verify_hint}"), 8.0),
        line("", 14.0),
        line(
            "医療情報システム安全管理責任者 署名: ______________________    日付: ____________",
            10.0,
        ),
    ]);
    out
}

/// Renders the summary. `sha256` is the hash of the signed bytes; `verify_hint` tells the reader how
/// to check the embedded report (the public key's address and the command).
pub fn render(
    report: &Report,
    signed: &SignedReport,
    sha256: &str,
    verify_hint: &str,
    font: &CertificateFont,
) -> Result<Vec<u8>, RenderError> {
    let metrics = font.metrics()?;
    let krilla_font = font.krilla_font();
    let settings = || {
        PageSettings::from_wh(WIDTH, HEIGHT)
            .ok_or_else(|| RenderError::Pdf("bad page size".to_owned()))
    };
    let mut document = Document::new();
    let all = lines(report, signed, sha256, verify_hint);
    let mut pages: Vec<&[Line]> = Vec::new();
    let (mut start, mut y) = (0, MARGIN);
    for (i, l) in all.iter().enumerate() {
        y += l.size * 1.5;
        if y > HEIGHT - MARGIN {
            pages.push(&all[start..i]);
            (start, y) = (i, MARGIN + l.size * 1.5);
        }
    }
    pages.push(&all[start..]);
    let count = pages.len();
    for (number, page_lines) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        let mut y = MARGIN;
        for l in page_lines {
            y += l.size * 1.5;
            // A character the font lacks is printed as 〓 (the customary mark) rather than lost.
            let text: String = l
                .text
                .chars()
                .map(|c| {
                    if metrics.missing_glyph(&c.to_string()).is_some() && !c.is_whitespace() {
                        '〓'
                    } else {
                        c
                    }
                })
                .collect();
            let size = if metrics.width(&text, l.size) > WIDTH - 2.0 * MARGIN && l.bar.is_none() {
                l.size * (WIDTH - 2.0 * MARGIN) / metrics.width(&text, l.size)
            } else {
                l.size
            };
            surface.set_fill(Some(rgb_fill(INK)));
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                krilla_font.clone(),
                size,
                &text,
                false,
                TextDirection::Auto,
            );
            if let Some(share) = l.bar {
                for (width, color) in [(BAR_WIDTH, PALE), (BAR_WIDTH * share.clamp(0.0, 1.0), NAVY)]
                {
                    let mut path = PathBuilder::new();
                    if let Some(rect) =
                        Rect::from_xywh(BAR_X, y - l.size * 0.8, width.max(0.1), l.size * 0.9)
                    {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(rgb_fill(color)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.set_fill(Some(rgb_fill(INK)));
        surface.draw_text(
            Point::from_xy(WIDTH - MARGIN - 40.0, HEIGHT - MARGIN / 2.0),
            krilla_font.clone(),
            8.0,
            &format!("{} / {count}", number + 1),
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    let json = serde_json::to_vec(signed).map_err(|e| RenderError::Pdf(e.to_string()))?;
    let now = time::OffsetDateTime::now_utc();
    document.set_metadata(
        Metadata::new()
            .title(format!(
                "診療録管理体制加算 職員研修 実施状況報告書 — {} — {}",
                report.header.facility, report.header.fiscal_year_label
            ))
            .creator("MIST".to_owned())
            .language("ja".to_owned())
            .creation_date(pdf_date(now)),
    );
    document
        .embed_file(EmbeddedFile {
            path: EMBEDDED_NAME.to_owned(),
            mime_type: MimeType::new("application/json"),
            description: Some(
                "MIST signed compliance report: check with `mist report verify`".to_owned(),
            ),
            association_kind: AssociationKind::Data,
            data: json.into(),
            modification_date: Some(pdf_date(now)),
            // Uncompressed so that `SignedReport::extract_from_pdf` finds it without a PDF parser.
            compress: Some(false),
            location: None,
        })
        .ok_or_else(|| RenderError::Pdf("the report could not be attached".to_owned()))?;
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}
