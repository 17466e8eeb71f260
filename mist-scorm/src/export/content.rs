//! The files of one module's SCO: its launch page, its data file and the media it references.
//!
//! The data file is JavaScript assigning `window.MIST_MODULE`, not JSON: LMS players and browsers
//! opening the package from `file://` often block `fetch` of local JSON, while a script tag always works.

use std::collections::BTreeSet;

use mist_core::model::{Block, Video};
use mist_core::quiz::{Question, QuestionKind, Quiz};
use mist_core::{Course, Localized, Module, markdown};
use serde_json::{Map, Value, json};

use super::assets;
use super::manifest::pass_mark;
use super::{ExportError, Exporter, PackageFile};

/// The version of the data file's shape, read by the player.
const DATA_FORMAT: u32 = 1;

/// One module's SCO: the module and its files (launch page first).
pub(super) struct Sco<'m> {
    pub(super) module: &'m Module,
    pub(super) files: Vec<PackageFile>,
}

impl Sco<'_> {
    /// The launch page's path in the package.
    pub(super) fn launch(&self) -> String {
        launch_path(self.module)
    }
}

fn launch_path(module: &Module) -> String {
    format!("{}/index.html", module.slug)
}

/// Builds the SCO of `module`: launch page, `data.js` and the module-local media, in that order.
pub(super) fn sco<'m>(
    exporter: &Exporter<'_>,
    course: &Course,
    module: &'m Module,
) -> Result<Sco<'m>, ExportError> {
    let mut media = BTreeSet::new();
    let data = ModuleData {
        exporter,
        media: &mut media,
    }
    .module(course, module);
    let script = format!("window.MIST_MODULE = {};\n", serde_json::to_string(&data)?);
    let page = assets::launch_page(
        exporter.first_language().as_str(),
        exporter.first_text(&module.title),
    );
    let mut files = vec![
        PackageFile {
            path: launch_path(module),
            bytes: page.into_bytes(),
        },
        PackageFile {
            path: format!("{}/data.js", module.slug),
            bytes: script.into_bytes(),
        },
    ];
    for path in media {
        let bytes = exporter
            .media
            .read(course, module, &path)
            .map_err(|source| ExportError::Media {
                module: module.slug.to_string(),
                path: path.clone(),
                source,
            })?;
        files.push(PackageFile {
            path: format!("{}/{}", module.slug, media_href(&path)),
            bytes,
        });
    }
    Ok(Sco { module, files })
}

/// Where a module-local file goes, relative to the module's launch page.
fn media_href(path: &str) -> String {
    format!("media/{path}")
}

/// Lesson Markdown as HTML, its headings one level down: the page's `h1` is the module and its `h2` the
/// lesson, so a lesson's `## Section` becomes an `h3`.
fn lesson_html(markdown: &str) -> String {
    let mut html = markdown::render(markdown);
    // pulldown-cmark writes headings as bare `<hN>` tags, and raw HTML in lessons is escaped, so these
    // tags can only be headings. Deepest first, so that no heading moves twice.
    for level in (1..=5).rev() {
        html = html
            .replace(&format!("<h{level}>"), &format!("<h{}>", level + 1))
            .replace(&format!("<h{level} "), &format!("<h{} ", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    html
}

/// Whether a media URL points outside the package (the authoring loader allows `https` or a local path).
fn is_remote(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Builds the module's data as JSON, collecting the module-local files it references.
struct ModuleData<'e, 'x> {
    exporter: &'e Exporter<'x>,
    media: &'e mut BTreeSet<String>,
}

impl ModuleData<'_, '_> {
    fn module(&mut self, course: &Course, module: &Module) -> Value {
        let exporter = self.exporter;
        let lessons: Vec<Value> = module
            .lessons
            .iter()
            .map(|lesson| {
                let blocks: Vec<Value> = lesson.blocks.iter().map(|b| self.block(b)).collect();
                json!({ "slug": lesson.slug, "title": self.text(&lesson.title), "blocks": blocks })
            })
            .collect();
        json!({
            "format": DATA_FORMAT,
            "scorm": if exporter.version.is_2004() { "2004" } else { "1.2" },
            "languages": exporter.languages,
            "course": { "slug": course.slug, "title": self.text(&course.title) },
            "module": {
                "id": module.id,
                "slug": module.slug,
                "title": self.text(&module.title),
                "summary": module.summary.as_ref().map(|s| self.text(s)),
                "minutes": module.minutes,
                "objectives": module.objectives.iter().map(|o| self.text(o)).collect::<Vec<_>>(),
            },
            "lessons": lessons,
            "quiz": module.quiz.as_ref().zip(pass_mark(course, module))
                .map(|(quiz, mark)| self.quiz(quiz, mark.fraction())),
        })
    }

    fn block(&mut self, block: &Block) -> Value {
        match block {
            Block::Text { markdown } => {
                json!({ "type": "html", "html": self.per_language(markdown, lesson_html) })
            }
            Block::Video(video) => self.video(video),
            Block::Download(download) => json!({
                "type": "download",
                "href": self.local(&download.file),
                "title": self.text(&download.title),
            }),
            Block::Link(link) => json!({
                "type": "link",
                "href": link.url,
                "title": self.text(&link.title),
            }),
        }
    }

    fn video(&mut self, video: &Video) -> Value {
        let captions: Vec<Value> = video
            .captions
            .iter()
            .map(|caption| json!({ "lang": caption.lang, "src": self.media_url(&caption.url) }))
            .collect();
        json!({
            "type": "video",
            "src": self.media_url(&video.url),
            "remote": is_remote(&video.url),
            "duration": video.duration_seconds,
            "captions": captions,
        })
    }

    fn media_url(&mut self, url: &str) -> String {
        if is_remote(url) {
            url.to_owned()
        } else {
            self.local(url)
        }
    }

    fn local(&mut self, path: &str) -> String {
        self.media.insert(path.to_owned());
        media_href(path)
    }

    fn quiz(&self, quiz: &Quiz, pass_mark: f64) -> Value {
        let questions: Vec<Value> = quiz.questions.iter().map(|q| self.question(q)).collect();
        json!({
            "draw": quiz.draw_count(),
            "drawByTag": quiz.draw_by_tag.iter().collect::<Vec<_>>(),
            "passMark": pass_mark,
            "questions": questions,
        })
    }

    fn question(&self, question: &Question) -> Value {
        let mut value = json!({
            "id": question.id,
            "type": question.kind.type_name(),
            "tags": question.tags,
            "prompt": self.markdown(&question.prompt),
            "explanation": question.explanation.as_ref().map(|e| self.markdown(e)),
        });
        let key = match &question.kind {
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                let options: Vec<Value> = options
                    .iter()
                    .map(|o| {
                        json!({
                            "id": o.id,
                            "text": self.text(&o.text),
                            "correct": o.correct,
                            "feedback": o.feedback.as_ref().map(|f| self.text(f)),
                        })
                    })
                    .collect();
                json!({ "options": options })
            }
            QuestionKind::TrueFalse { answer } => json!({ "answer": answer }),
            QuestionKind::Ordering { items } => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|i| json!({ "id": i.id, "text": self.text(&i.text) }))
                    .collect();
                json!({ "items": items })
            }
            QuestionKind::Matching { pairs } => {
                let pairs: Vec<Value> = pairs
                    .iter()
                    .map(|p| {
                        json!({ "id": p.id, "left": self.text(&p.left), "right": self.text(&p.right) })
                    })
                    .collect();
                json!({ "pairs": pairs })
            }
            QuestionKind::Numeric {
                answer,
                tolerance,
                unit,
            } => json!({
                "answer": answer,
                "tolerance": tolerance,
                "unit": unit.as_ref().map(|u| self.text(u)),
            }),
            QuestionKind::ShortText {
                accept,
                case_sensitive,
            } => json!({ "accept": accept, "caseSensitive": case_sensitive }),
        };
        if let (Value::Object(target), Value::Object(fields)) = (&mut value, key) {
            target.extend(fields);
        }
        value
    }

    /// The text in every language of the export, missing ones filled by the fallback rule.
    fn text(&self, text: &Localized) -> Value {
        self.per_language(text, str::to_owned)
    }

    /// Markdown rendered to safe HTML in every language of the export.
    fn markdown(&self, text: &Localized) -> Value {
        self.per_language(text, markdown::render)
    }

    fn per_language(&self, text: &Localized, convert: impl Fn(&str) -> String) -> Value {
        let languages = &self.exporter.languages;
        let map: Map<String, Value> = languages
            .iter()
            .map(|lang| {
                let value = convert(text.resolve(lang, languages));
                (lang.to_string(), Value::String(value))
            })
            .collect();
        Value::Object(map)
    }
}
