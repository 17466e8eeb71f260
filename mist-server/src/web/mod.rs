//! HTTP: the router, shared state, and the one mapping from errors to responses.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::http::header::{CONTENT_SECURITY_POLICY, X_FRAME_OPTIONS};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::store::{Store, StoreError};

pub mod api;
mod auth;
mod catalog;
mod certs;
mod compliance;
mod evidence;
mod i18n;
mod incident;
mod launch_cache;
mod learn;
mod limits;
mod live;
mod manage;
mod media;
mod packages;
mod pages;
mod portal;
mod render;
mod roster;
pub mod scorm;
mod session;
mod templates;

pub use certs::signing_key;
pub use i18n::Lang;
pub use portal::limits as portal_limits;
pub use session::{SignedIn, start_session};

/// Deployment settings the handlers need.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when the portal is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// The portal's address as learners reach it, for links in messages and certificates.
    pub public_url: String,
    /// Where SCORM content is served from: another origin (scheme, host or port) than the portal, so
    /// that a package's scripts cannot read the portal's pages or call its API as the learner.
    pub content_url: String,
    /// Where uploads are staged and imported packages are kept.
    pub data_dir: PathBuf,
    /// The largest package accepted, in bytes.
    pub max_package_bytes: u64,
    /// The largest contents-collection file accepted, in bytes.
    pub max_content_bytes: u64,
    /// The incident desk's phone number, shown to everyone who files a report.
    pub desk_phone: String,
}

/// The desk phone number of a deployment that has not set one: clearly an example.
pub const EXAMPLE_DESK_PHONE: &str = "03-0000-0000";

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            public_url: "http://127.0.0.1:8080".into(),
            content_url: "http://127.0.0.1:8081".into(),
            data_dir: PathBuf::from("./mist-data"),
            max_package_bytes: 1024 * 1024 * 1024,
            max_content_bytes: 200 * 1024 * 1024,
            desk_phone: EXAMPLE_DESK_PHONE.into(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Series-level texts shown on the catalogue page.
    pub series: Arc<SeriesInfo>,
    /// Deployment settings.
    pub config: Arc<Config>,
    /// Per authored course slug, the directory its module files (videos, captions, downloads) are in.
    pub media: Arc<HashMap<String, PathBuf>>,
    /// The key this portal signs certificates with.
    pub signing_key: Arc<mist_core::certificate::SigningKey>,
    /// Imported packages' files.
    pub storage: Arc<dyn crate::storage::PackageStorage>,
    /// Writes SCORM commits in groups.
    pub commits: crate::store::group_commit::GroupCommitter,
    /// Open SCORM launches with their replayed run-times.
    scorm_launches: Arc<launch_cache::LaunchCache>,
    course_cache: Arc<catalog::CourseCache>,
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
    pub fn new(
        store: Store,
        series: SeriesInfo,
        config: Config,
        media: HashMap<String, PathBuf>,
        signing_key: mist_core::certificate::SigningKey,
    ) -> Result<Self, minijinja::Error> {
        let storage = crate::storage::FileStorage::new(config.data_dir.join("packages"));
        let commits = crate::store::group_commit::GroupCommitter::start(store.clone());
        Ok(Self {
            store,
            series: Arc::new(series),
            config: Arc::new(config),
            media: Arc::new(media),
            storage: Arc::new(storage),
            commits,
            scorm_launches: Arc::default(),
            signing_key: Arc::new(signing_key),
            course_cache: Arc::default(),
            templates: Arc::new(templates::environment()?),
        })
    }
}

/// The portal's routes with language, CSRF protection, request ids and tracing.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(pages::catalog))
        .route("/courses/{course}", get(pages::course))
        .route("/courses/{course}/modules/{module}", get(pages::module))
        .route("/courses/{course}/enroll", post(learn::enroll))
        .route("/learn/{course}/{module}", get(learn::player))
        .route("/learn/{course}/{module}/quiz", get(learn::quiz))
        .route(
            "/learn/{course}/{module}/quiz/{attempt}",
            post(learn::submit_quiz),
        )
        .route("/assets/player.js", get(pages::player_script))
        .route("/me", get(learn::me))
        .route("/certificates/{file}", get(certs::download))
        .route("/verify/public-key", get(certs::public_key))
        .route("/verify/{code}", get(certs::verify))
        .route("/admin/certificates/revoke", post(certs::revoke))
        .route("/media/{course}/{module}/{*path}", get(media::module_file))
        .route("/manage", get(manage::manage))
        .route("/manage/invitations", post(manage::invite))
        .route("/manage/assignments", post(manage::assign))
        .route(
            "/manage/packages",
            get(packages::upload_page)
                .post(packages::upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/manage/export/{course}", get(media::export_course))
        .route("/manage/compliance", get(compliance::dashboard))
        .route("/manage/compliance/evidence", post(evidence::add_evidence))
        .route(
            "/manage/compliance/evidence/{id}/approve",
            post(evidence::approve_evidence),
        )
        .route("/manage/compliance/{file}", get(compliance::export))
        .route(
            "/manage/roster",
            get(roster::roster_page).post(roster::upload).layer(
                axum::extract::DefaultBodyLimit::max(roster::MAX_ROSTER_BYTES),
            ),
        )
        .route("/manage/users/{id}/active", post(manage::set_active))
        .route("/manage/users/{id}/reset", post(manage::reset_link))
        .route("/admin", get(manage::admin))
        .route("/admin/organizations", post(manage::create_organization))
        .route("/live", get(live::list))
        .route("/live/{id}", get(live::detail))
        .route("/live/{id}/register", post(live::register))
        .route("/live/{id}/cancel", post(live::cancel))
        .route("/live/{id}/calendar.ics", get(live::calendar))
        .route("/live/{id}/attendance", post(live::attendance::attend))
        .route("/live/{id}/quiz", get(live::quiz::start))
        .route("/live/{id}/quiz/{attempt}", post(live::quiz::submit))
        .route(
            "/live/{id}/roster",
            get(live::attendance::page).post(live::attendance::record),
        )
        .route(
            "/admin/live",
            get(live::admin::list).post(live::admin::create),
        )
        .route(
            "/admin/live/{id}",
            get(live::admin::edit).post(live::admin::update),
        )
        .route("/admin/live/{id}/cancel", post(live::admin::cancel))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/links/{token}",
            get(auth::use_sign_in_link).post(auth::sign_in_with_link),
        )
        .route("/join", get(auth::join_page).post(auth::join))
        .route(
            "/join/{token}",
            get(auth::invitation_page).post(auth::accept_invitation),
        )
        .route("/reset/{token}", get(auth::reset_page).post(auth::reset))
        .route(
            "/account/password",
            get(auth::password_page).post(auth::set_password),
        )
        .merge(portal::routes())
        .merge(incident::routes())
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", get(api::openapi))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(pages::ready))
        .fallback(pages::not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            render::error_pages,
        ))
        .layer(axum::middleware::from_fn(i18n::language))
        // Token-less CSRF protection (Sec-Fetch-Site / Origin): cross-site form posts are refused.
        .layer(CsrfLayer::new())
        // No other page — a SCORM package on the content origin included — may frame the portal.
        .layer(SetResponseHeaderLayer::if_not_present(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ));
    observed(routes)
}

/// Request ids (taken from `x-request-id` or made, and echoed) and a trace span per request.
pub(crate) fn observed(router: Router) -> Router {
    router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Everything a handler can fail with; [`IntoResponse`] is the one mapping to pages.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or record (also used when a record exists but belongs to someone else).
    #[error("not found")]
    NotFound,
    /// The page needs a signed-in person.
    #[error("sign in required")]
    SignInRequired {
        /// Where to return after signing in.
        next: String,
    },
    /// The API needs credentials.
    #[error("authentication required")]
    Unauthorized,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The upload is larger than the configured limit.
    #[error("the package is larger than {0} MB")]
    TooLarge(u64),
    /// The request is malformed or breaks a rule; the message is shown to the person.
    #[error("{0}")]
    BadRequest(String),
    /// An uploaded file is over its limit; the message (in the person's language) says which.
    #[error("{0}")]
    FileTooLarge(String),
    /// An uploaded file's content is of a refused type; the message says which types are accepted.
    #[error("{0}")]
    UnsupportedType(String),
    /// Too many failed attempts.
    #[error("too many attempts; try again later")]
    TooManyRequests,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A template failed to render.
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) | AppError::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Store(e) if e.is_unique_violation() => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Template(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The message a person may see: internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self.status() {
            StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = %self, "request failed");
                "internal server error".to_owned()
            }
            StatusCode::CONFLICT => "already exists".to_owned(),
            _ => self.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired { next } = &self {
            let target = format!("/login?next={}", render::url_encode(next));
            return (StatusCode::SEE_OTHER, [(LOCATION, target)]).into_response();
        }
        let status = self.status();
        let message = self.public_message();
        let body = format!(
            "<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{code}</title>\
             <main><h1>{code} {reason}</h1><p>{message}</p><p><a href=\"/\">MIST</a></p></main></html>",
            code = status.as_u16(),
            reason = status.canonical_reason().unwrap_or_default(),
            message = render::html_escape(&message),
        );
        let mut response = (
            status,
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
        // `render::error_pages` renders the portal page around the message in the reader's language.
        response.extensions_mut().insert(render::ErrorPage(message));
        response
    }
}
