//! Rendering pages: the shared context every template gets, and small escaping helpers.

use axum::response::Html;
use mist_core::Localized;
use serde_json::{Value, json};

use super::i18n::Lang;
use super::session::SignedIn;
use super::{AppError, AppState};

/// A rendered page or an error.
pub type Page = Result<Html<String>, AppError>;

/// Text in the page's language, following the series' fallback rule.
pub fn text(state: &AppState, lang: Lang, localized: &Localized) -> String {
    localized
        .resolve(&lang.tag(), &state.series.languages)
        .to_owned()
}

/// Renders `template` with the shared context (`lang`, `t`, `viewer`, `site_title`, `path`) and `page`.
pub fn render(
    state: &AppState,
    template: &str,
    lang: Lang,
    path: &str,
    viewer: Option<&SignedIn>,
    page: Value,
) -> Page {
    let viewer = viewer.map(|SignedIn(user)| {
        json!({ "name": user.display_name, "role": user.role, "is_manager": user.role >= crate::store::Role::Manager,
                "is_admin": user.role == crate::store::Role::Admin })
    });
    let context = json!({
        "lang": lang.code(),
        "other_lang": lang.other().code(),
        "other_lang_label": lang.pick("English", "日本語"),
        "path": path,
        "site_title": text(state, lang, &state.series.title),
        "t": lang.texts(),
        "viewer": viewer,
        "page": page,
    });
    let html = state
        .templates
        .get_template(template)?
        .render(minijinja::value::Serde(&context))?;
    Ok(Html(html))
}

/// Escapes text for HTML.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Percent-encodes a query value.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
