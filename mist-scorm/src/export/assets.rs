//! The SCO player's own files (`sco/src/`), embedded in the crate.

use super::PackageFile;

/// The folder of the shared player files in a package; `_` keeps it apart from module folders, as no
/// slug contains one.
const SHARED_DIR: &str = "mist_sco";

/// The player's files, in load order: styles, the SCORM API adapter, the quiz engine, the tracker, the
/// quiz view and the player.
const SHARED: [(&str, &str); 6] = [
    ("mist-sco.css", include_str!("../../sco/src/mist-sco.css")),
    ("scorm.js", include_str!("../../sco/src/scorm.js")),
    ("quiz.js", include_str!("../../sco/src/quiz.js")),
    ("tracker.js", include_str!("../../sco/src/tracker.js")),
    ("quizview.js", include_str!("../../sco/src/quizview.js")),
    ("player.js", include_str!("../../sco/src/player.js")),
];

/// The launch page of every SCO; `{{lang}}` and `{{title}}` are filled in per module.
const PAGE: &str = include_str!("../../sco/src/index.html");

/// The shared player files, under [`SHARED_DIR`].
pub(super) fn shared_files() -> impl Iterator<Item = PackageFile> {
    shared_paths()
        .zip(SHARED)
        .map(|(path, (_, text))| PackageFile {
            path,
            bytes: text.as_bytes().to_vec(),
        })
}

/// The paths of the shared player files.
pub(super) fn shared_paths() -> impl Iterator<Item = String> {
    SHARED
        .iter()
        .map(|(name, _)| format!("{SHARED_DIR}/{name}"))
}

/// A module's launch page.
pub(super) fn launch_page(lang: &str, title: &str) -> String {
    PAGE.replace("{{lang}}", &escape_html(lang))
        .replace("{{title}}", &escape_html(title))
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_launch_page_escapes_its_title() {
        let page = launch_page("ja", "<b>A & B</b>");
        assert!(
            page.contains("<title>&lt;b&gt;A &amp; B&lt;/b&gt;</title>"),
            "{page}"
        );
        assert!(page.contains("<html lang=\"ja\">"), "{page}");
        assert!(!page.contains("{{"), "every placeholder is filled");
    }

    #[test]
    fn the_page_loads_every_shared_script_in_order() {
        let page = launch_page("en", "t");
        let mut last = 0;
        for (name, _) in SHARED {
            let at = page
                .find(&format!("../{SHARED_DIR}/{name}"))
                .unwrap_or_else(|| panic!("{name} is not loaded"));
            assert!(at > last, "{name} is loaded out of order");
            last = at;
        }
    }
}
