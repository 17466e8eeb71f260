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
        json!({ "name": user.display_name, "role": user.role, "is_manager": user.role >= crate::store::Role::Manager && user.organization_id.is_some(), "id": user.id,
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

/// The message of an error response, for [`error_pages`] to render in the portal's page.
#[derive(Debug, Clone)]
pub struct ErrorPage(pub String);

/// Renders error responses as portal pages in the request's language (header, navigation, the message
/// and a way back); API errors (problem+json) pass through untouched.
pub async fn error_pages(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let lang = request
        .extensions()
        .get::<Lang>()
        .copied()
        .unwrap_or_default();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let Some(ErrorPage(message)) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let status = response.status();
    let page =
        json!({ "status": status.as_u16(), "message": localized_error(lang, status, &message) });
    match render(&state, "error.html", lang, &path, None, page) {
        Ok(html) => (status, html).into_response(),
        Err(_) => response,
    }
}

/// Fixed messages of the common statuses in the page's language; other messages are already localized.
fn localized_error(lang: Lang, status: axum::http::StatusCode, message: &str) -> String {
    use axum::http::StatusCode;
    match status {
        StatusCode::NOT_FOUND => lang
            .pick("ページが見つかりません。", "Page not found.")
            .to_owned(),
        StatusCode::FORBIDDEN => lang
            .pick(
                "このページを表示する権限がありません。",
                "You do not have access to this page.",
            )
            .to_owned(),
        StatusCode::TOO_MANY_REQUESTS => lang
            .pick(
                "試行回数が多すぎます。しばらくしてから再度お試しください。",
                "Too many attempts; try again later.",
            )
            .to_owned(),
        StatusCode::INTERNAL_SERVER_ERROR => lang
            .pick(
                "サーバーでエラーが発生しました。",
                "Something went wrong on the server.",
            )
            .to_owned(),
        _ => message.to_owned(),
    }
}
