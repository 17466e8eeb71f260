//! Who is asking: server-side sessions in a cookie, or an API bearer token.

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use time::Duration;

use super::{AppError, AppState};
use crate::secret::{new_token, token_hash};
use crate::store::{Role, User};

const SESSION_COOKIE: &str = "mist_session";
/// How long a session lasts without signing in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// The value of a named cookie, when the request carries exactly one value for it.
///
/// Several different values mean that someone planted a cookie beside ours (a page on another port
/// of the same host can set cookies for it): the request then counts as carrying none, so a planted
/// session can never be mistaken for the learner's.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    let mut values = parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='));
    let first = values.next()?;
    values.all(|other| other == first).then_some(first)
}

/// Starts a session for `user` and returns the `Set-Cookie` value: HttpOnly, SameSite=Lax, and Secure
/// when the portal is served over TLS.
pub async fn start_session(state: &AppState, user: &User) -> Result<String, AppError> {
    let token = new_token().map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .create_session(&token_hash(&token), user.id, SESSION_LIFETIME)
        .await?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    Ok(format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION_LIFETIME.whole_seconds()
    ))
}

/// Ends the session of this request, if any, and returns the `Set-Cookie` value that clears it.
pub async fn end_session(state: &AppState, parts: &Parts) -> Result<String, AppError> {
    if let Some(token) = cookie(parts, SESSION_COOKIE) {
        state.store.delete_session(&token_hash(token)).await?;
    }
    Ok(format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    ))
}

/// The signed-in person of a page request; pages that need one redirect to the sign-in page.
#[derive(Debug, Clone)]
pub struct SignedIn(pub User);

impl SignedIn {
    /// Requires at least `role` (managers may do what learners do, administrators what managers do).
    pub fn require(&self, role: Role) -> Result<&User, AppError> {
        if self.0.role >= role {
            Ok(&self.0)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

async fn session_user(parts: &Parts, state: &AppState) -> Result<Option<User>, AppError> {
    match cookie(parts, SESSION_COOKIE) {
        Some(token) => Ok(state.store.session_user(&token_hash(token)).await?),
        None => Ok(None),
    }
}

impl<S> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        match session_user(parts, &state).await? {
            Some(user) => Ok(SignedIn(user)),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "/".into());
                Err(AppError::SignInRequired { next })
            }
        }
    }
}

impl<S> OptionalFromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let state = AppState::from_ref(state);
        Ok(session_user(parts, &state).await?.map(SignedIn))
    }
}

/// The person behind a JSON API request: `Authorization: Bearer TOKEN`, or a session cookie.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl<S> FromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = super::api::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let user = match bearer {
            Some(token) => state
                .store
                .api_token_user(&token_hash(token))
                .await
                .map_err(AppError::from)?,
            None => session_user(parts, &state).await?,
        };
        user.map(ApiUser)
            .ok_or(super::api::ApiError(AppError::Unauthorized))
    }
}
