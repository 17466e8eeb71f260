//! The JSON API under `/api/v1`, its OpenAPI document, and errors as `application/problem+json`.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::session::ApiUser;
use super::{AppError, AppState};

/// An [`AppError`] answered as RFC 9457 problem details.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self.0 {
            AppError::SignInRequired { .. } => axum::http::StatusCode::UNAUTHORIZED,
            ref other => other.status(),
        };
        let body = json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or_default(),
            "status": status.as_u16(),
            "detail": self.0.public_message(),
        });
        (
            status,
            [(CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

/// The routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/courses", get(courses))
        .route(
            "/progress/video",
            axum::routing::post(super::learn::video_progress),
        )
        .route(
            "/packages",
            axum::routing::post(super::packages::upload_api)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
}

/// `GET /api/v1/me`: the caller.
async fn me(ApiUser(user): ApiUser) -> Json<Value> {
    Json(
        json!({ "id": user.id, "email": user.email, "name": user.display_name, "role": user.role, "organization_id": user.organization_id }),
    )
}

/// `GET /api/v1/courses`: the catalogue.
async fn courses(State(state): State<AppState>, _caller: ApiUser) -> Result<Json<Value>, ApiError> {
    let courses = state.courses().await?;
    let list: Vec<Value> = courses
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "slug": c.slug, "audience": c.audience, "title": c.title, "pass_mark": c.pass_mark,
                "modules": c.modules.iter().map(|m| json!({ "slug": m.slug, "title": m.title })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({ "courses": list })))
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The OpenAPI 3.1 description of `/api/v1`; a test checks it against the router.
pub const OPENAPI: &str = include_str!("openapi.json");
