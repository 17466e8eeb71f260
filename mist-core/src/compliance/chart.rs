//! Horizontal bar charts as SVG, drawn on the server so that they read without JavaScript.
//!
//! Each group has one bar per series (this year, last year). Every bar carries its value as text and
//! the series' name, so nothing depends on telling colours apart; the SVG has `role="img"`, a
//! `<title>` and a `<desc>` summarizing every value, and pages put the same numbers in a table.

use std::fmt::Write as _;

/// A series of values, one per group, in percent (`None`: no data for that group).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The series' name (e.g. 令和7年度).
    pub name: String,
    /// One value per group, `0..=100`.
    pub values: Vec<Option<f64>>,
}

/// A chart: groups down the side, one bar per series in each.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// An id unique in the page (for `aria-labelledby`).
    pub id: String,
    /// The chart's title.
    pub title: String,
    /// The group labels.
    pub groups: Vec<String>,
    /// The series; the first is drawn dark, the others lighter and hatched.
    pub series: Vec<Series>,
}

const LABEL_WIDTH: f64 = 190.0;
const BAR_AREA: f64 = 330.0;
const VALUE_WIDTH: f64 = 150.0;
const BAR_HEIGHT: f64 = 16.0;
const GROUP_GAP: f64 = 12.0;
const TOP: f64 = 34.0;
/// Fills with at least 4.5:1 contrast against white for the text drawn beside them.
const FILLS: [&str; 2] = ["#1f3a5f", "#6b7f99"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(
        || "—".to_owned(),
        |v| format!("{:.0}%", v.clamp(0.0, 100.0)),
    )
}

impl BarChart {
    /// The sentence a screen reader hears: every group with every series' value.
    pub fn description(&self) -> String {
        self.groups
            .iter()
            .enumerate()
            .map(|(i, group)| {
                let values: Vec<String> = self
                    .series
                    .iter()
                    .map(|s| format!("{} {}", s.name, percent(s.values.get(i).copied().flatten())))
                    .collect();
                format!("{group}: {}", values.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The chart as an inline `<svg>` element.
    pub fn to_svg(&self) -> String {
        let per_group = self.series.len().max(1) as f64 * BAR_HEIGHT + GROUP_GAP;
        let height = TOP + per_group * self.groups.len() as f64 + 8.0;
        let width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
        let id = escape(&self.id);
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" font-family="sans-serif" font-size="12">"#
        );
        let _ = write!(
            svg,
            r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(&self.title),
            escape(&self.description())
        );
        svg.push_str(r##"<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="#6b7f99"/><path d="M0,6 l6,-6" stroke="#ffffff" stroke-width="1.5"/></pattern></defs>"##);
        // Legend: a swatch and the series' name.
        for (s, series) in self.series.iter().enumerate() {
            let x = LABEL_WIDTH + s as f64 * 150.0;
            let fill = if s == 0 { FILLS[0] } else { "url(#hatch)" };
            let _ = write!(
                svg,
                r##"<rect x="{x}" y="6" width="14" height="14" fill="{fill}"/><text x="{}" y="18" fill="#1c1c24">{}</text>"##,
                x + 20.0,
                escape(&series.name)
            );
        }
        let _ = write!(
            svg,
            r##"<line x1="{LABEL_WIDTH}" y1="{}" x2="{LABEL_WIDTH}" y2="{}" stroke="#1c1c24"/>"##,
            TOP - 4.0,
            height - 8.0
        );
        for (g, group) in self.groups.iter().enumerate() {
            let y0 = TOP + g as f64 * per_group;
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="end" fill="#1c1c24">{}</text>"##,
                LABEL_WIDTH - 8.0,
                y0 + BAR_HEIGHT * self.series.len() as f64 / 2.0 + 4.0,
                escape(group)
            );
            for (s, series) in self.series.iter().enumerate() {
                let value = series.values.get(g).copied().flatten();
                let y = y0 + s as f64 * BAR_HEIGHT;
                let length = value.map_or(0.0, |v| v.clamp(0.0, 100.0) / 100.0 * BAR_AREA);
                let fill = if s == 0 { FILLS[0] } else { "url(#hatch)" };
                let _ = write!(
                    svg,
                    r##"<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1}" height="{}" fill="{fill}"/><text x="{:.1}" y="{}" fill="#1c1c24">{} {}</text>"##,
                    BAR_HEIGHT - 3.0,
                    LABEL_WIDTH + length + 6.0,
                    y + BAR_HEIGHT - 5.0,
                    percent(value),
                    escape(&series.name)
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn chart() -> BarChart {
        BarChart {
            id: "by-tier".into(),
            title: "階層別の修了率 <tiers>".into(),
            groups: vec!["経営者".into(), "初学者・医療従事者".into()],
            series: vec![
                Series {
                    name: "令和7年度".into(),
                    values: vec![Some(50.0), Some(100.0)],
                },
                Series {
                    name: "令和6年度".into(),
                    values: vec![None, Some(82.4)],
                },
            ],
        }
    }

    #[test]
    fn the_svg_is_labelled_and_escaped() {
        let svg = chart().to_svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"<title id="by-tier-title">階層別の修了率 &lt;tiers&gt;</title>"#));
        assert!(svg.contains(
            "経営者: 令和7年度 50%, 令和6年度 —; 初学者・医療従事者: 令和7年度 100%, 令和6年度 82%"
        ));
        // Bars are proportional: 100 % fills the bar area, 50 % half of it.
        assert!(svg.contains(r#"width="330.0""#) && svg.contains(r#"width="165.0""#));
        assert_eq!(
            svg.matches("<rect").count(),
            2 + 4 + 1,
            "legend swatches, bars, hatch pattern"
        );
    }
}
