//! The public portal: コンテンツ集 (`/contents`), 講師・技術者リスト (`/experts`), 関連リンク
//! (`/resources`) and お問い合わせ (`/contact`), each with its administrators' pages under `/admin/…`,
//! and the inbox of visitors' messages (`/admin/inquiries`). Public pages need no sign-in and no
//! JavaScript.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::i18n::Lang;
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::store::{Role, User};

mod contact;
/// The limits on visitors' messages.
pub mod limits {
    pub use super::contact::{MAX_OVERALL, MAX_PER_CLIENT};
}
mod contents;
mod experts;
mod inbox;
mod links;
mod staging;
mod upload;

/// The portal's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contents", get(contents::list))
        .route("/contents/{id}/download", get(contents::download))
        .route(
            "/admin/contents",
            get(upload::admin_page)
                .post(upload::create)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/admin/contents/{id}",
            get(upload::edit_page).post(upload::update),
        )
        .route("/admin/contents/{id}/delete", post(upload::delete))
        .route("/experts", get(experts::list))
        .route(
            "/experts/{id}/contact",
            get(contact::expert_form).post(contact::send_to_expert),
        )
        .route(
            "/admin/experts",
            get(experts::admin_page).post(experts::create),
        )
        .route(
            "/admin/experts/{id}",
            get(experts::edit_page).post(experts::update),
        )
        .route("/admin/experts/{id}/delete", post(experts::delete))
        .route("/resources", get(links::list))
        .route(
            "/admin/resources",
            get(links::admin_page).post(links::create),
        )
        .route(
            "/admin/resources/{id}",
            get(links::edit_page).post(links::update),
        )
        .route("/admin/resources/{id}/delete", post(links::delete))
        .route("/admin/resources/{id}/move", post(links::move_link))
        .route("/contact", get(contact::form).post(contact::send))
        .route("/admin/inquiries", get(inbox::list))
        .route(
            "/admin/inquiries/{id}",
            get(inbox::show).post(inbox::update),
        )
}

/// The administrator behind an admin page (a signed-in non-administrator gets 403).
fn admin(viewer: &SignedIn) -> Result<&User, AppError> {
    viewer.require(Role::Admin)
}

/// Records an administrator's change to the portal in the audit trail, once the change is stored
/// (`action` like `content.create`, `subject` like `content:{id}`).
async fn record(
    state: &AppState,
    viewer: &SignedIn,
    action: &str,
    subject: String,
    detail: Value,
) -> Result<(), AppError> {
    state
        .store
        .audit(crate::store::audit::AuditEvent {
            actor: Some(viewer.0.id),
            organization: None,
            action,
            subject,
            detail,
        })
        .await?;
    Ok(())
}

/// A submitted form as name–value pairs, so that repeated names (checkboxes) keep every value.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed ("" when absent).
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every value of `name`.
    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Adds a pair (multipart forms are collected field by field).
    fn push(&mut self, name: String, value: String) {
        self.0.push((name, value));
    }

    /// The values as a JSON object for refilling a form (repeated names as arrays).
    fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        for (name, value) in &self.0 {
            match map.get_mut(name) {
                Some(Value::Array(values)) => values.push(json!(value)),
                Some(existing) => *existing = json!([existing.clone(), value]),
                None => {
                    map.insert(name.clone(), json!(value));
                }
            }
        }
        Value::Object(map)
    }
}

/// Problems with a form, by field name, in the reader's language.
#[derive(Debug, Default)]
struct FormErrors(serde_json::Map<String, Value>);

impl FormErrors {
    fn add(&mut self, field: &str, lang: Lang, ja: &str, en: &str) {
        self.set(field, lang.pick(ja, en).to_owned());
    }

    /// A message already in the reader's language.
    fn set(&mut self, field: &str, message: String) {
        self.0.insert(field.to_owned(), json!(message));
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn into_json(self) -> Value {
        Value::Object(self.0)
    }
}

/// What an admin page shows besides its list: the form's values and problems, the record being
/// edited (none: the form adds a new one), and a notice about the last action.
#[derive(Debug, Default)]
struct AdminForm {
    values: Value,
    errors: Value,
    editing: Option<uuid::Uuid>,
    notice: Option<&'static str>,
}

impl AdminForm {
    /// An empty form under a notice.
    fn done(notice: &'static str) -> Self {
        Self {
            notice: Some(notice),
            ..Self::default()
        }
    }

    /// The submitted form again, with its problems.
    fn refused(form: &Fields, errors: FormErrors, editing: Option<uuid::Uuid>) -> Self {
        Self {
            values: form.to_json(),
            errors: errors.into_json(),
            editing,
            notice: None,
        }
    }

    /// Selected values of a (possibly repeated) field.
    fn selected(&self, name: &str) -> Vec<&str> {
        match &self.values[name] {
            Value::Array(values) => values.iter().filter_map(Value::as_str).collect(),
            Value::String(one) => vec![one.as_str()],
            _ => Vec::new(),
        }
    }
}

/// Choices of a closed vocabulary for a `<select>` or checkboxes: `{value, label, selected}`.
fn choices<T: Copy>(
    lang: Lang,
    all: &[T],
    id: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> (&'static str, &'static str),
    selected: &[&str],
) -> Vec<Value> {
    all.iter()
        .map(|v| {
            let (ja, en) = label(*v);
            json!({ "value": id(*v), "label": lang.pick(ja, en), "selected": selected.contains(&id(*v)) })
        })
        .collect()
}

/// The names of stored tags in the reader's language.
fn tag_labels<T: Copy>(
    lang: Lang,
    stored: &str,
    parse: impl Fn(&str) -> Option<T>,
    label: impl Fn(T) -> (&'static str, &'static str),
) -> Vec<&'static str> {
    mist_core::portal::vocabulary::split_tags(stored, parse)
        .into_iter()
        .map(|t| {
            let (ja, en) = label(t);
            lang.pick(ja, en)
        })
        .collect()
}

/// Whether `url` is an absolute http(s) address with a host (https only when `https_only`), with no
/// spaces or quotes that could break out of an attribute.
fn is_web_url(url: &str, https_only: bool) -> bool {
    let rest = match url.split_once("://") {
        Some(("https", rest)) => rest,
        Some(("http", rest)) if !https_only => rest,
        _ => return false,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && !host.contains('@')
        && url.len() <= 2000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
}

/// Pager data: current page, count and the query string without `page` for the links.
fn pager(number: u32, pages: u32, total: i64, base_query: &str) -> Value {
    let prefix = if base_query.is_empty() {
        "?".to_owned()
    } else {
        format!("?{base_query}&")
    };
    json!({
        "number": number, "pages": pages, "total": total,
        "prev": (number > 1).then(|| format!("{prefix}page={}", number - 1)),
        "next": (number < pages).then(|| format!("{prefix}page={}", number + 1)),
    })
}

/// A query string of the non-empty filters, for pager links.
fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::render::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_addresses_are_links() {
        assert!(super::is_web_url("https://www.mhlw.go.jp/stf/a.html", true));
        assert!(super::is_web_url("http://example.jp/", false));
        assert!(!super::is_web_url("http://example.jp/", true));
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https://a b",
            "https://x\"onmouseover=",
            "ftp://x",
            "https://user@evil",
        ] {
            assert!(!super::is_web_url(bad, false), "{bad}");
        }
    }
}
