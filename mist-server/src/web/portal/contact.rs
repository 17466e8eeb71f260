//! `/contact` (お問い合わせ) and `/experts/{id}/contact`: messages from visitors, stored for the
//! administrators' inbox.
//!
//! Spam protection, without JavaScript or third parties:
//! - a honeypot field that people never see (off-screen, hidden from screen readers, out of the tab
//!   order, no autofill); a filled one is dropped silently behind the same success page;
//! - a signed time stamp: the form carries when it was shown, signed with a server key, and posts
//!   sooner than a person could type are refused (`mist_core::portal::inquiry::fill_time`);
//! - limits per client address and for everyone, counted with the sign-in limiter's store;
//! - the length limits of `mist_core::portal::inquiry`.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use mist_core::portal::inquiry::{self, Draft, FillTime, Problem};
use mist_core::portal::vocabulary::InquiryCategory;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::experts::expert_json;
use super::{Fields, FormErrors, choices};
use crate::secret::{hex, hmac_sha256};
use crate::store::portal::experts::Expert;
use crate::store::portal::messages::NewMessage;
use crate::web::i18n::Lang;
use crate::web::limits::PostLimit;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// Messages accepted per client address within the limit window (ten minutes).
pub const MAX_PER_CLIENT: i64 = 5;
/// Messages accepted from everyone within the limit window (a flood from many addresses).
pub const MAX_OVERALL: i64 = 60;
/// Inquiries and messages to experts: a person rarely writes twice in ten minutes.
const CONTACT_LIMIT: PostLimit = PostLimit {
    scope: "contact",
    per_client: MAX_PER_CLIENT,
    overall: MAX_OVERALL,
    window: Duration::minutes(10),
};
/// The settings key of the form-signing key.
const FORM_KEY_SETTING: &str = "portal_form_key";

/// The server's form-signing key (made on first use, shared by every server on the database).
async fn form_key(state: &AppState) -> Result<String, AppError> {
    if let Some(key) = state.store.setting(FORM_KEY_SETTING).await? {
        return Ok(key);
    }
    let fresh = crate::secret::new_token().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(state
        .store
        .setting_or_insert(FORM_KEY_SETTING, &fresh)
        .await?)
}

/// `SECONDS.SIGNATURE`: when the form was shown, signed.
fn stamp(key: &str, shown_at: i64) -> String {
    let signature = hmac_sha256(
        key.as_bytes(),
        format!("contact-form:{shown_at}").as_bytes(),
    );
    format!("{shown_at}.{}", hex(&signature))
}

/// When a stamp says the form was shown, if the signature is ours.
fn shown_at(key: &str, stamp_value: &str) -> Option<i64> {
    let (seconds, _) = stamp_value.split_once('.')?;
    let shown_at: i64 = seconds.parse().ok()?;
    let expected = stamp(key, shown_at);
    // Compare without stopping at the first difference.
    let same = expected.len() == stamp_value.len()
        && expected
            .bytes()
            .zip(stamp_value.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then_some(shown_at)
}

/// The form page: empty, refilled with problems, or the thank-you page (`sent`).
async fn page(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    expert: Option<&Expert>,
    form: Value,
    errors: Value,
    sent: bool,
) -> Page {
    let key = form_key(state).await?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let category = form["category"].as_str().unwrap_or_default().to_owned();
    let path = expert.map_or_else(
        || "/contact".to_owned(),
        |e| format!("/experts/{}/contact", e.id),
    );
    let page_json = json!({
        "action": path, "sent": sent, "stamp": stamp(&key, now),
        "expert": expert.map(|e| expert_json(lang, e)),
        "categories": choices(lang, InquiryCategory::ALL, InquiryCategory::as_str, InquiryCategory::label, &[category.as_str()]),
        "form": form, "errors": errors,
        "limits": { "name": inquiry::limits::NAME, "organization": inquiry::limits::ORGANIZATION, "email": inquiry::limits::EMAIL, "phone": inquiry::limits::PHONE, "message": inquiry::limits::MESSAGE },
    });
    render(state, "contact.html", lang, &path, viewer, page_json)
}

/// `GET /contact`.
pub async fn form(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
) -> Page {
    page(
        &state,
        lang,
        viewer.as_ref(),
        None,
        json!({}),
        json!({}),
        false,
    )
    .await
}

/// `GET /experts/{id}/contact`.
pub async fn expert_form(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(id): Path<Uuid>,
) -> Page {
    let expert = state.store.expert(id).await?.ok_or(AppError::NotFound)?;
    page(
        &state,
        lang,
        viewer.as_ref(),
        Some(&expert),
        json!({}),
        json!({}),
        false,
    )
    .await
}

/// `POST /contact`.
pub async fn send(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    parts: Parts,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    receive(&state, lang, viewer.as_ref(), &parts, None, &form).await
}

/// `POST /experts/{id}/contact`.
pub async fn send_to_expert(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(id): Path<Uuid>,
    parts: Parts,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let expert = state.store.expert(id).await?.ok_or(AppError::NotFound)?;
    receive(&state, lang, viewer.as_ref(), &parts, Some(&expert), &form).await
}

/// Problems of a checked message, in the reader's language.
fn describe(lang: Lang, problems: &[(&'static str, Problem)], errors: &mut FormErrors) {
    for (field, problem) in problems {
        match problem {
            Problem::Missing => errors.add(field, lang, "入力してください。", "Required."),
            Problem::TooLong(max) => errors.add(
                field,
                lang,
                &format!("{max}文字以内で入力してください。"),
                &format!("At most {max} characters."),
            ),
            Problem::NotEmail => errors.add(
                field,
                lang,
                "メールアドレスの形式が正しくありません。",
                "This is not an email address.",
            ),
            Problem::NotPhone => errors.add(
                field,
                lang,
                "電話番号は数字と + - ( ) で入力してください。",
                "Use digits and + - ( ) for the phone number.",
            ),
        }
    }
}

/// The message to store, or every problem of the form (including one sent too fast or too late).
fn check(
    lang: Lang,
    form: &Fields,
    expert: Option<&Expert>,
    form_key: &str,
) -> Result<NewMessage, FormErrors> {
    let mut errors = FormErrors::default();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    match shown_at(form_key, form.get("stamp")).map(|shown| inquiry::fill_time(shown, now)) {
        Some(FillTime::Plausible) => {}
        Some(FillTime::TooFast) => errors.add(
            "form",
            lang,
            "送信が早すぎます。内容を確認して、もう一度送信してください。",
            "That was sent too quickly. Check the message and send it again.",
        ),
        Some(FillTime::Expired) | None => errors.add(
            "form",
            lang,
            "フォームの有効期限が切れました。もう一度送信してください。",
            "The form has expired. Please send it again.",
        ),
    }
    // Inquiries say what they are about; a message to an entry is about that entry.
    let category = match expert {
        Some(_) => None,
        None => {
            let category = InquiryCategory::parse(form.get("category"));
            if category.is_none() {
                errors.add(
                    "category",
                    lang,
                    "種別を選んでください。",
                    "Choose what the inquiry is about.",
                );
            }
            category
        }
    };
    let draft = Draft {
        name: form.get("name"),
        organization: form.get("organization"),
        email: form.get("email"),
        phone: form.get("phone"),
        message: form.get("message"),
    };
    match inquiry::validate(&draft) {
        Ok(valid) if errors.is_empty() => Ok(NewMessage {
            expert_id: expert.map(|e| e.id),
            expert_name: expert.map(|e| e.fields.name.clone()),
            category: category.map(|c| c.as_str().to_owned()),
            name: valid.name,
            organization: valid.organization,
            email: valid.email,
            phone: valid.phone,
            message: valid.message,
        }),
        Ok(_) => Err(errors),
        Err(problems) => {
            describe(lang, &problems, &mut errors);
            Err(errors)
        }
    }
}

/// Limits, checks and stores a message; answers with the thank-you page or the form with problems.
async fn receive(
    state: &AppState,
    lang: Lang,
    viewer: Option<&SignedIn>,
    parts: &Parts,
    expert: Option<&Expert>,
    form: &Fields,
) -> Result<Response, AppError> {
    let keys = CONTACT_LIMIT
        .admit(state, &parts.extensions)
        .await?
        .ok_or(AppError::TooManyRequests)?;
    if !form.get("website").is_empty() {
        // A robot filled the field people never see: it counts against the limits and is told nothing.
        CONTACT_LIMIT.count(state, &keys).await?;
    } else {
        match check(lang, form, expert, &form_key(state).await?) {
            Ok(message) => {
                state.store.create_message(&message).await?;
                CONTACT_LIMIT.count(state, &keys).await?;
            }
            Err(errors) => {
                let (values, errors) = (form.to_json(), errors.into_json());
                let html = page(state, lang, viewer, expert, values, errors, false).await?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
            }
        }
    }
    let thanks = page(state, lang, viewer, expert, json!({}), json!({}), true).await?;
    Ok(thanks.into_response())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stamps_verify_only_with_their_key_and_time() {
        let s = stamp("key", 1000);
        assert_eq!(shown_at("key", &s), Some(1000));
        assert_eq!(shown_at("other", &s), None);
        assert_eq!(shown_at("key", &s.replacen("1000", "900", 1)), None);
        assert_eq!(shown_at("key", "garbage"), None);
    }
}
