//! HTTP: the router, shared state, and the one mapping from errors to responses.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::db::{Db, DbError};

mod i18n;
mod pages;
mod templates;

pub use i18n::Lang;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Series-level texts shown on the catalogue page.
    pub series: Arc<SeriesInfo>,
    templates: Arc<minijinja::Environment<'static>>,
}

/// The series' own texts (the courses themselves come from the database).
#[derive(Debug, Clone)]
pub struct SeriesInfo {
    /// Title and description.
    pub title: mist_core::Localized,
    /// What the series is about.
    pub description: Option<mist_core::Localized>,
    /// Declared languages, for the fallback rule.
    pub languages: Vec<mist_core::LanguageTag>,
}

impl AppState {
    /// Builds the state; fails only if a bundled template does not compile.
    pub fn new(db: Db, series: SeriesInfo) -> Result<Self, minijinja::Error> {
        Ok(Self {
            db,
            series: Arc::new(series),
            templates: Arc::new(templates::environment()?),
        })
    }
}

/// The portal's routes with request ids and tracing.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::catalog))
        .route("/courses/{course}", get(pages::course))
        .route("/courses/{course}/modules/{module}", get(pages::module))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(pages::ready))
        .fallback(pages::not_found)
        .with_state(state)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page.
    #[error("not found")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A template failed to render.
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, Html("<!doctype html><title>404</title><h1>404 Not Found / ページが見つかりません</h1><p><a href=\"/\">MIST</a></p>")).into_response(),
            internal => {
                // Details go to the log only; the learner sees a plain message.
                tracing::error!(error = %internal, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><title>500</title><h1>500 Internal Server Error</h1>")).into_response()
            }
        }
    }
}
