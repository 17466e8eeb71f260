//! Signing in and out, one-time links, sign-up by invitation or organization code, passwords.
//!
//! One-time links are opened with GET (which only shows a form) and used with POST, so that mail
//! scanners and link previews that fetch a URL cannot use it up.

use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use time::Duration;

use super::i18n::Lang;
use super::render::{Page, render};
use super::session::{SignedIn, end_session, start_session};
use super::{AppError, AppState};
use crate::secret::{MIN_PASSWORD_CHARS, hash_password, token_hash, verify_password};
use crate::store::{LinkPurpose, Role, User};

/// Failed sign-ins allowed per address within [`FAILURE_WINDOW`].
const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed sign-ins allowed per client address within [`FAILURE_WINDOW`].
const MAX_FAILURES_PER_CLIENT: i64 = 30;
const FAILURE_WINDOW: Duration = Duration::minutes(15);

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, to.to_owned()), (SET_COOKIE, cookie.to_owned())],
    )
        .into_response()
}

/// `GET /login`.
pub async fn login_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Query(q): Query<NextQuery>,
) -> Page {
    render(
        &state,
        "login.html",
        lang,
        "/login",
        None,
        json!({ "next": safe_next(q.next.as_deref()), "error": null }),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: checks the password, limits failures per address and per client.
pub async fn login(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let email = form.email.trim().to_lowercase();
    let keys = failure_keys(&parts, &email);
    let limited = state
        .store
        .recent_limited_events(&keys[0], FAILURE_WINDOW)
        .await?
        >= MAX_FAILURES_PER_EMAIL
        || match keys.get(1) {
            Some(client) => {
                state
                    .store
                    .recent_limited_events(client, FAILURE_WINDOW)
                    .await?
                    >= MAX_FAILURES_PER_CLIENT
            }
            None => false,
        };
    if limited {
        return Err(AppError::TooManyRequests);
    }
    let user = state.store.user_with_password(&email).await?;
    let signed_in = match &user {
        Some((user, Some(hash))) if user.active && verify_password(&form.password, hash) => {
            Some(user)
        }
        _ => None,
    };
    let Some(user) = signed_in else {
        state.store.record_limited_event(&keys).await?;
        let message = lang.pick(
            "メールアドレスまたはパスワードが違います。",
            "Wrong email address or password.",
        );
        let page =
            json!({ "next": safe_next(form.next.as_deref()), "error": message, "email": email });
        let html = render(&state, "login.html", lang, "/login", None, page)?;
        return Ok((StatusCode::UNAUTHORIZED, html).into_response());
    };
    let cookie = start_session(&state, user).await?;
    Ok(redirect_with_cookie(
        &safe_next(form.next.as_deref()),
        &cookie,
    ))
}

fn failure_keys(parts: &Parts, email: &str) -> Vec<String> {
    let mut keys = vec![format!("email:{email}")];
    if let Some(axum::extract::ConnectInfo(addr)) = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
    {
        keys.push(format!("ip:{}", addr.ip()));
    }
    keys
}

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, parts: Parts) -> Result<Response, AppError> {
    let cookie = end_session(&state, &parts).await?;
    Ok(redirect_with_cookie("/", &cookie))
}

/// `GET /links/{token}`: a one-time sign-in link shows a button; `POST` uses it.
pub async fn use_sign_in_link(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
) -> Page {
    let valid = state
        .store
        .peek_link(&token_hash(&token), LinkPurpose::SignIn)
        .await?
        .is_some();
    render(
        &state,
        "link.html",
        lang,
        &format!("/links/{token}"),
        None,
        json!({ "valid": valid, "action": format!("/links/{token}") }),
    )
}

/// `POST /links/{token}`: signs the person in once and asks them to set a password.
pub async fn sign_in_with_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let link = state
        .store
        .use_link(&token_hash(&token), LinkPurpose::SignIn)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = active_user(&state, link.user_id).await?;
    let cookie = start_session(&state, &user).await?;
    Ok(redirect_with_cookie("/account/password", &cookie))
}

async fn active_user(state: &AppState, id: Option<uuid::Uuid>) -> Result<User, AppError> {
    let id = id.ok_or(AppError::NotFound)?;
    state
        .store
        .user(id)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)
}

/// `GET /join`: sign-up with an organization code.
pub async fn join_page(State(state): State<AppState>, Extension(lang): Extension<Lang>) -> Page {
    render(
        &state,
        "join.html",
        lang,
        "/join",
        None,
        json!({ "action": "/join", "with_code": true, "email": null, "organization": null }),
    )
}

#[derive(Deserialize)]
pub struct JoinForm {
    join_code: Option<String>,
    email: Option<String>,
    name: String,
    kana: Option<String>,
    password: String,
}

fn check_new_password(lang: Lang, password: &str) -> Result<(), AppError> {
    if password.chars().count() >= MIN_PASSWORD_CHARS {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            lang.pick(
                "パスワードは10文字以上にしてください。",
                "Use a password of at least 10 characters.",
            )
            .to_owned(),
        ))
    }
}

fn check_name(lang: Lang, name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            lang.pick("氏名を入力してください。", "Enter your name.")
                .to_owned(),
        ));
    }
    Ok(name.to_owned())
}

fn check_email(lang: Lang, email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let plausible = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if plausible {
        Ok(email)
    } else {
        Err(AppError::BadRequest(
            lang.pick(
                "メールアドレスが正しくありません。",
                "The email address is not valid.",
            )
            .to_owned(),
        ))
    }
}

async fn create_account(
    state: &AppState,
    lang: Lang,
    organization: uuid::Uuid,
    email: &str,
    form: &JoinForm,
    role: Role,
) -> Result<Response, AppError> {
    let name = check_name(lang, &form.name)?;
    check_new_password(lang, &form.password)?;
    let hash = hash_password(&form.password).map_err(|e| AppError::Internal(e.to_string()))?;
    let kana = form
        .kana
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let user = state
        .store
        .create_user(Some(organization), email, &name, kana, role, Some(&hash))
        .await
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::BadRequest(
                    lang.pick(
                        "このメールアドレスは登録済みです。",
                        "This email address already has an account.",
                    )
                    .to_owned(),
                )
            } else {
                e.into()
            }
        })?;
    let cookie = start_session(state, &user).await?;
    Ok(redirect_with_cookie("/", &cookie))
}

/// `POST /join`: creates a learner account in the organization whose code was given.
pub async fn join(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    let code = form
        .join_code
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    let organization = state
        .store
        .organization_by_join_code(&code)
        .await?
        .ok_or_else(|| {
            AppError::BadRequest(
                lang.pick("施設コードが見つかりません。", "Unknown organization code.")
                    .to_owned(),
            )
        })?;
    let email = check_email(lang, form.email.as_deref().unwrap_or_default())?;
    create_account(&state, lang, organization.id, &email, &form, Role::Learner).await
}

/// `GET /join/{token}`: the invitation form, with the invited address.
pub async fn invitation_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
) -> Page {
    let link = state
        .store
        .peek_link(&token_hash(&token), LinkPurpose::Invitation)
        .await?
        .ok_or(AppError::NotFound)?;
    let organization = match link.organization_id {
        Some(id) => state.store.organization(id).await?.map(|o| o.name),
        None => None,
    };
    let page = json!({ "action": format!("/join/{token}"), "with_code": false, "email": link.email, "organization": organization });
    render(
        &state,
        "join.html",
        lang,
        &format!("/join/{token}"),
        None,
        page,
    )
}

/// `POST /join/{token}`: accepts an invitation once.
pub async fn accept_invitation(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    // Validate before using the link, so a typo does not burn the invitation.
    check_name(lang, &form.name)?;
    check_new_password(lang, &form.password)?;
    let link = state
        .store
        .use_link(&token_hash(&token), LinkPurpose::Invitation)
        .await?
        .ok_or(AppError::NotFound)?;
    let organization = link.organization_id.ok_or(AppError::NotFound)?;
    let role = link
        .role
        .as_deref()
        .and_then(Role::parse)
        .filter(|r| *r != Role::Admin)
        .unwrap_or(Role::Learner);
    let email = check_email(lang, link.email.as_deref().unwrap_or_default())?;
    create_account(&state, lang, organization, &email, &form, role).await
}

/// `GET /reset/{token}`.
pub async fn reset_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
) -> Page {
    state
        .store
        .peek_link(&token_hash(&token), LinkPurpose::PasswordReset)
        .await?
        .ok_or(AppError::NotFound)?;
    render(
        &state,
        "password.html",
        lang,
        &format!("/reset/{token}"),
        None,
        json!({ "action": format!("/reset/{token}") }),
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

/// `POST /reset/{token}`: sets a new password once and signs the person in.
pub async fn reset(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    check_new_password(lang, &form.password)?;
    let link = state
        .store
        .use_link(&token_hash(&token), LinkPurpose::PasswordReset)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = active_user(&state, link.user_id).await?;
    let hash = hash_password(&form.password).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.set_password_hash(user.id, &hash).await?;
    let cookie = start_session(&state, &user).await?;
    Ok(redirect_with_cookie("/", &cookie))
}

/// `GET /account/password`.
pub async fn password_page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    render(
        &state,
        "password.html",
        lang,
        "/account/password",
        Some(&viewer),
        json!({ "action": "/account/password" }),
    )
}

/// `POST /account/password`.
pub async fn set_password(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    SignedIn(user): SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    check_new_password(lang, &form.password)?;
    let hash = hash_password(&form.password).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.set_password_hash(user.id, &hash).await?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, "/")]).into_response())
}
