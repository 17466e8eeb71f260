//! Lessons: Markdown files with TOML front matter, one per language, plus media blocks from module.toml.

use super::context::{Context, join};
use super::diagnostic::{Code, FileRef};
use super::parse::parse_toml;
use super::raw::{RawFrontMatter, RawLesson};
use crate::markdown::is_safe_url;
use crate::model::{Block, Caption, Download, Lesson, Link, Video};
use crate::text::{LanguageTag, Localized};

/// Loads one lesson of a module: its text in every declared language and its blocks.
pub(crate) fn load_lesson(
    ctx: &mut Context<'_>,
    module_file: FileRef<'_>,
    module_dir: &str,
    raw: &RawLesson,
) -> Option<Lesson> {
    let slug = ctx.slug(module_file, &raw.slug)?;
    let mut titles = Vec::new();
    let mut bodies = Vec::new();
    for lang in ctx.languages.clone() {
        let path = join(module_dir, &format!("lessons/{slug}.{lang}.md"));
        let hint = format!("write the lesson's {lang} text in lessons/{slug}.{lang}.md");
        let Some((display, text)) = ctx.text_file(&path, &hint) else {
            continue;
        };
        if let Some((title, body)) = lesson_text(ctx, FileRef::new(&display, text)) {
            titles.push((lang.clone(), title));
            bodies.push((lang, body));
        }
    }
    let video = raw
        .video
        .as_ref()
        .and_then(|video| load_video(ctx, module_file, module_dir, video));
    let downloads: Vec<Option<Block>> = raw
        .downloads
        .iter()
        .map(|download| {
            let file = ctx.module_file(module_file, module_dir, &download.file);
            let title = ctx.localized(module_file, &download.title, "download title");
            Some(Block::Download(Download {
                file: file?,
                title: title?,
            }))
        })
        .collect();
    let links: Vec<Option<Block>> = raw
        .links
        .iter()
        .map(|link| {
            let url = web_url(ctx, module_file, &link.url);
            let title = ctx.localized(module_file, &link.title, "link title");
            Some(Block::Link(Link {
                url: url?,
                title: title?,
            }))
        })
        .collect();
    if titles.len() < ctx.languages.len() {
        return None;
    }
    let mut blocks = Vec::new();
    blocks.extend(video.map(Block::Video));
    blocks.push(Block::Text {
        markdown: Localized::new(bodies).ok()?,
    });
    blocks.extend(downloads.into_iter().collect::<Option<Vec<_>>>()?);
    blocks.extend(links.into_iter().collect::<Option<Vec<_>>>()?);
    Some(Lesson {
        slug,
        title: Localized::new(titles).ok()?,
        blocks,
    })
}

/// Splits a lesson file into its front matter's title and its Markdown body.
fn lesson_text(ctx: &mut Context<'_>, file: FileRef<'_>) -> Option<(String, String)> {
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(file.text);
    let bom = file.text.len() - text.len();
    let Some(after_open) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        ctx.findings.add(
            file,
            Some(0..0),
            Code::InvalidValue,
            "a lesson file starts with a front matter between `+++` lines",
            Some("begin the file with +++, title = \"…\", +++".to_owned()),
        );
        return None;
    };
    let front_start = bom + (text.len() - after_open.len());
    let Some(close) = find_closing_fence(after_open) else {
        ctx.findings.add(
            file,
            Some(0..3),
            Code::TomlSyntax,
            "the front matter is not closed by a `+++` line",
            None,
        );
        return None;
    };
    let front = after_open.get(..close).unwrap_or_default();
    let body = after_open
        .get(close..)
        .unwrap_or_default()
        .trim_start_matches("+++")
        .trim();
    let front_file = FileRef {
        base: front_start,
        ..file
    };
    let raw: RawFrontMatter = parse_toml(front_file, front, &mut ctx.findings)?;
    if raw.title.get_ref().trim().is_empty() {
        ctx.findings.add(
            front_file,
            Some(raw.title.span()),
            Code::EmptyText,
            "the lesson title is empty",
            None,
        );
        return None;
    }
    if body.is_empty() {
        ctx.findings.add(
            file,
            None,
            Code::EmptyText,
            "the lesson has no text after its front matter",
            None,
        );
        return None;
    }
    Some((raw.title.get_ref().clone(), body.to_owned()))
}

/// The byte offset of the `+++` line that closes the front matter.
fn find_closing_fence(after_open: &str) -> Option<usize> {
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn load_video(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    module_dir: &str,
    raw: &super::raw::RawVideo,
) -> Option<Video> {
    let url = media_url(ctx, file, module_dir, &raw.url);
    let duration = u32::try_from(*raw.duration_seconds.get_ref())
        .ok()
        .filter(|d| *d > 0);
    if duration.is_none() {
        ctx.findings.add(
            file,
            Some(raw.duration_seconds.span()),
            Code::InvalidValue,
            "`duration_seconds` must be a positive number",
            Some("watch progress is measured against it".to_owned()),
        );
    }
    let captions: Vec<Option<Caption>> = raw
        .captions
        .iter()
        .map(|caption| {
            let lang = LanguageTag::parse(caption.lang.get_ref());
            if let Err(error) = &lang {
                ctx.findings.add(
                    file,
                    Some(caption.lang.span()),
                    Code::InvalidValue,
                    error.to_string(),
                    None,
                );
            }
            let url = media_url(ctx, file, module_dir, &caption.url);
            Some(Caption {
                lang: lang.ok()?,
                url: url?,
            })
        })
        .collect();
    Some(Video {
        url: url?,
        duration_seconds: duration?,
        captions: captions.into_iter().collect::<Option<_>>()?,
    })
}

/// A media URL: `https://…` or a file inside the module directory.
fn media_url(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    module_dir: &str,
    raw: &toml::Spanned<String>,
) -> Option<String> {
    if raw.get_ref().contains("://") {
        web_url(ctx, file, raw)
    } else {
        ctx.module_file(file, module_dir, raw)
    }
}

/// An absolute `http`/`https` URL.
fn web_url(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    raw: &toml::Spanned<String>,
) -> Option<String> {
    let url = raw.get_ref();
    let lower = url.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && is_safe_url(url)
        && url.len() > "https://".len()
    {
        Some(url.clone())
    } else {
        ctx.findings.add(
            file,
            Some(raw.span()),
            Code::InvalidValue,
            format!("`{url}` is not an http or https URL"),
            None,
        );
        None
    }
}
