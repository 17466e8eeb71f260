//! Safe Markdown rendering for lesson text.
//!
//! Authors are trusted to write content, not markup: raw HTML is shown as text, and link or image
//! targets other than `http`, `https`, `mailto` and relative paths are dropped, so a lesson can never run
//! script in a learner's browser.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders Markdown (CommonMark with tables, footnotes and strikethrough) to safe HTML.
pub fn render(markdown: &str) -> String {
    render_nested(markdown, 0)
}

/// Like [`render`], with every heading `levels` deeper (`##` becomes `<h3>` for one level), for text
/// shown under a page's own headings; headings stop at `<h6>`.
pub fn render_nested(markdown: &str, levels: u8) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: deeper(level, levels),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(deeper(level, levels))),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn deeper(level: HeadingLevel, levels: u8) -> HeadingLevel {
    const ALL: [HeadingLevel; 6] = [
        HeadingLevel::H1,
        HeadingLevel::H2,
        HeadingLevel::H3,
        HeadingLevel::H4,
        HeadingLevel::H5,
        HeadingLevel::H6,
    ];
    let index = ALL.iter().position(|l| *l == level).unwrap_or(0) + usize::from(levels);
    ALL[index.min(ALL.len() - 1)]
}

/// Keeps relative URLs and the allowed schemes; anything else becomes an empty target.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("")
    }
}

/// Whether a link target is a relative reference or uses an allowed scheme.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore ASCII control characters and spaces inside a scheme (`java\tscript:`).
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    match compact.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_common_markdown() {
        let html = render("## 見出し\n\n- **強調** and [MHLW](https://www.mhlw.go.jp/)\n");
        assert!(html.contains("<h2>見出し</h2>"), "{html}");
        assert!(html.contains("<strong>強調</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://www.mhlw.go.jp/">MHLW</a>"#),
            "{html}"
        );
    }

    #[test]
    fn nested_text_has_deeper_headings() {
        assert_eq!(
            render_nested("## a\n###### b", 1),
            "<h3>a</h3>\n<h6>b</h6>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_link_targets_are_dropped() {
        for target in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let html = render(&format!("[x](<{target}>) ![y](<{target}>)"));
            assert!(
                !html.to_ascii_lowercase().contains("script:"),
                "{target}: {html}"
            );
            assert!(!html.contains("data:"), "{target}: {html}");
        }
        for target in [
            "https://a.example/",
            "mailto:desk@example.org",
            "files/a.pdf",
            "#top",
            "a/b:c",
        ] {
            assert!(is_safe_url(target), "{target}");
        }
    }
}
