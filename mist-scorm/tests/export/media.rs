//! Module-local media (videos, captions, downloads): packaged, listed and linked relatively.

use std::io::Cursor;

use mist_core::model::{Block, Caption, Download, Lesson, Module, Video};
use mist_core::{Course, LanguageTag, Localized, Slug};
use mist_scorm::export::{ExportError, ExportVersion, Exporter, MediaSource};
use mist_scorm::package::{Limits, Mode, check_zip};

use super::{course_with, data_of, module_data};

/// Media files of the synthetic module, by path inside the module directory.
pub struct Files;

impl MediaSource for Files {
    fn read(&self, _: &Course, _: &Module, path: &str) -> std::io::Result<Vec<u8>> {
        match path {
            "media/intro.mp4" => Ok(b"video".to_vec()),
            "media/intro.ja.vtt" => Ok(b"WEBVTT".to_vec()),
            "files/checklist.pdf" => Ok(b"%PDF".to_vec()),
            _ => Err(std::io::ErrorKind::NotFound.into()),
        }
    }
}

fn lesson_with_media(video_url: &str) -> Lesson {
    let text = |s: &str| Localized::ja_en(s, s).unwrap();
    Lesson {
        slug: Slug::parse("intro").unwrap(),
        title: text("Intro"),
        blocks: vec![
            Block::Video(Video {
                url: video_url.to_owned(),
                duration_seconds: 90,
                captions: vec![Caption {
                    lang: LanguageTag::ja(),
                    url: "media/intro.ja.vtt".to_owned(),
                }],
            }),
            Block::Text {
                markdown: text("# Top\n\n## Section\n\nBody"),
            },
            Block::Download(Download {
                file: "files/checklist.pdf".to_owned(),
                title: text("Checklist"),
            }),
        ],
    }
}

#[test]
fn module_files_are_packaged_listed_and_linked_relatively() {
    let course = course_with(vec![lesson_with_media("media/intro.mp4")], None);
    let package = Exporter::new(ExportVersion::Scorm2004Fourth, &[])
        .with_media(&Files)
        .course(&course)
        .unwrap();
    for (path, bytes) in [
        ("m/media/media/intro.mp4", &b"video"[..]),
        ("m/media/media/intro.ja.vtt", b"WEBVTT"),
        ("m/media/files/checklist.pdf", b"%PDF"),
    ] {
        assert_eq!(package.file(path), Some(bytes), "{path}");
        assert!(
            package
                .manifest()
                .contains(&format!("<file href=\"{path}\"/>"))
        );
    }
    let data = data_of(&package, "m");
    let blocks = &data["lessons"][0]["blocks"];
    assert_eq!(blocks[0]["src"], "media/media/intro.mp4");
    assert_eq!(blocks[0]["remote"], false);
    assert_eq!(blocks[0]["captions"][0]["src"], "media/media/intro.ja.vtt");
    assert_eq!(blocks[2]["href"], "media/files/checklist.pdf");
    assert_eq!(
        blocks[1]["html"]["en"], "<h2>Top</h2>\n<h3>Section</h3>\n<p>Body</p>\n",
        "lesson headings sit below the lesson title (h2)"
    );
    let report = check_zip(
        Cursor::new(package.to_zip().unwrap()),
        Mode::Strict,
        &Limits::default(),
    );
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn remote_videos_stay_urls_and_missing_files_are_errors() {
    let remote = course_with(
        vec![lesson_with_media("https://video.example.org/a.mp4")],
        None,
    );
    let data = module_data(&remote, ExportVersion::Scorm12);
    assert_eq!(data["lessons"][0]["blocks"][0]["remote"], true);
    let error = Exporter::new(ExportVersion::Scorm12, &[])
        .course(&remote)
        .unwrap_err();
    assert!(
        matches!(&error, ExportError::Media { path, .. } if path == "files/checklist.pdf"),
        "without a media source the local files cannot be read: {error}"
    );
}
