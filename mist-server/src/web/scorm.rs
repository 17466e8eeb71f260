//! Playing imported SCORM packages: the launch page on the portal, and the content origin that serves
//! the package, the API adapter and the commit endpoint.
//!
//! The package runs in a frame on the *content origin* (another port or host than the portal), so its
//! scripts can neither read portal pages nor send the learner's cookies to the portal's API. The
//! content frame authenticates with a per-launch token instead. Every batch of run-time calls the
//! browser reports is replayed by the mist-scorm run-time on the server, from the state the launch
//! started with, and the replayed state — not the browser's — is stored, durably, before the batch is
//! acknowledged.

use std::time::Instant;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use mist_core::completion::{outcome_from_scorm12, outcome_from_scorm2004};
use mist_core::model::ScormLaunch;
use mist_core::{Course, Module};
use mist_scorm::runtime::table::{adapter_launch, data_model_json};
use mist_scorm::runtime::{LaunchData, Mode, Runtime, RuntimeState, Version};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower::ServiceExt;
use tower_http::services::ServeFile;
use uuid::Uuid;

use super::i18n::Lang;
use super::launch_cache::OpenLaunch;
use super::learn::current_fiscal_year;
use super::render::{Page, render, text};
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::secret::{new_token, token_hash};
use crate::store::User;
use crate::store::group_commit::BatchWrite;
use crate::store::learning::ModuleKey;
use crate::store::scorm::{BatchOutcome, ScormSession};

/// One run-time call as the browser reports it: `["SetValue", element, value]`, `["Commit"]`,
/// `["Terminate"]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Call {
    /// `SetValue` / `LMSSetValue`.
    Set(String, String, String),
    /// `Commit` or `Terminate` (and their 1.2 names).
    Plain((String,)),
}

fn version_of(launch: &ScormLaunch) -> Version {
    if launch.version == "1.2" {
        Version::Scorm12
    } else {
        Version::Scorm2004
    }
}

/// The run-time's launch values for a learner and a module.
fn launch_data(user: &User, launch: &ScormLaunch) -> LaunchData {
    LaunchData {
        learner_id: user.id.to_string(),
        learner_name: user.display_name.clone(),
        launch_data: launch.data_from_lms.clone(),
        mastery_score: launch.mastery_score,
        scaled_passing_score: launch.scaled_passing_score,
        completion_threshold: launch.completion_threshold,
        max_time_allowed: launch.max_time_allowed.clone(),
        time_limit_action: launch.time_limit_action.clone(),
        ..LaunchData::default()
    }
}

/// The standard, exactly: the browser adapter answers by the same rules (its table is exported from
/// the strict run-time), so the two agree call for call.
fn mode() -> Mode {
    Mode::Strict
}

/// The run-time as a launch starts, before `Initialize`.
fn launched(user: &User, launch: &ScormLaunch, start: RuntimeState) -> Runtime {
    Runtime::resume(version_of(launch), launch_data(user, launch), mode(), start)
}

/// Replays a launch's calls from its starting state; returns the run-time after them.
fn replay(user: &User, launch: &ScormLaunch, start: RuntimeState, calls: &[Call]) -> Runtime {
    let mut runtime = launched(user, launch, start);
    runtime.initialize("");
    apply(&mut runtime, calls);
    runtime
}

/// Applies reported calls to a run-time, as the browser made them.
fn apply(runtime: &mut Runtime, calls: &[Call]) {
    for call in calls {
        match call {
            Call::Set(_, element, value) => {
                runtime.set_value(element, value);
            }
            Call::Plain((name,)) if name.ends_with("Commit") => {
                runtime.commit("");
            }
            Call::Plain((name,)) if name.ends_with("Terminate") || name.ends_with("Finish") => {
                runtime.terminate("");
            }
            Call::Plain(_) => {}
        }
    }
}

/// Starts a launch of a SCORM module from the learner's latest state, and renders the player page.
pub async fn launch_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    course: &Course,
    module: &Module,
) -> Page {
    let launch = module.launch.as_ref().ok_or(AppError::NotFound)?;
    let key = ModuleKey {
        user_id: viewer.0.id,
        course_id: course.id,
        module: module.slug.as_str(),
    };
    state.store.enroll(viewer.0.id, course.id).await?;
    let start = state
        .store
        .latest_scorm_state(key)
        .await?
        .unwrap_or_else(|| "{}".to_owned());
    let token = new_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let id = Uuid::new_v4();
    state
        .store
        .create_scorm_session(id, &token_hash(&token), key, &start)
        .await?;
    let index = course
        .modules
        .iter()
        .position(|m| m.slug == module.slug)
        .unwrap_or(0);
    let items: Vec<Value> = course
        .modules
        .iter()
        .map(|m| json!({ "slug": m.slug, "title": text(state, lang, &m.title), "current": m.slug == module.slug }))
        .collect();
    let page = json!({
        "course": { "slug": course.slug, "title": text(state, lang, &course.title) },
        "module": { "slug": module.slug, "title": text(state, lang, &module.title) },
        "frame": format!("{}/attempts/{token}/launch", state.config.content_url.trim_end_matches('/')),
        "items": items,
        "previous": index.checked_sub(1).and_then(|i| course.modules.get(i)).map(|m| m.slug.to_string()),
        "next": course.modules.get(index + 1).map(|m| m.slug.to_string()),
        "sequencing": launch.sequencing.is_some(),
    });
    let path = format!("/learn/{}/{}", course.slug, module.slug);
    render(state, "scorm_player.html", lang, &path, Some(viewer), page)
}

/// The content origin's routes.
pub fn content_router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/attempts/{token}/launch", get(content_launch))
        .route("/attempts/{token}/files/{*path}", get(content_file))
        .route("/api/v1/attempts/{id}/commit", post(commit))
        .route("/adapter.js", get(adapter_script))
        .with_state(state);
    super::observed(routes)
}

async fn session_for(
    state: &AppState,
    token_hash: &str,
) -> Result<(ScormSession, User, std::sync::Arc<Course>, Module), AppError> {
    let session = state
        .store
        .scorm_session_by_token(token_hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = state
        .store
        .user(session.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)?;
    let course = state
        .store
        .course_by_id(session.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let module = course
        .module(&session.module_slug)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((session, user, std::sync::Arc::new(course), module))
}

/// `GET /attempts/{token}/launch` (content origin): the frame that holds the API adapter and the SCO.
async fn content_launch(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (session, user, course, module) = session_for(&state, &token_hash(&token)).await?;
    let launch = module.launch.as_ref().ok_or(AppError::NotFound)?;
    // The state is read when the frame loads — after the previous page unloaded and sent its last
    // batch — not when the player page was rendered; once this launch stored a batch, it is fixed.
    let start_json = if session.next_sequence == 1 {
        let key = ModuleKey {
            user_id: user.id,
            course_id: course.id,
            module: module.slug.as_str(),
        };
        let latest = state
            .store
            .latest_scorm_state(key)
            .await?
            .unwrap_or_else(|| "{}".to_owned());
        state
            .store
            .restart_scorm_session(session.id, &latest)
            .await?;
        latest
    } else {
        session.start_state_json.clone()
    };
    let start: RuntimeState = serde_json::from_str(&start_json).unwrap_or_default();
    let runtime = launched(&user, launch, start);
    let adapter = adapter_launch(&runtime);
    if session.next_sequence == 1 {
        // The frame's first batch follows shortly: have the launch ready for it.
        let mut ready = runtime.clone();
        ready.initialize("");
        state.scorm_launches.put(OpenLaunch {
            id: session.id,
            token_hash: token_hash(&token),
            user: user.clone(),
            course: course.clone(),
            module: module.clone(),
            next_sequence: 1,
            runtime: ready,
            loaded_at: Instant::now(),
        });
    }
    let version = if version_of(launch) == Version::Scorm12 {
        "1.2"
    } else {
        "2004"
    };
    let attempt = json!({
        "version": version,
        "commitUrl": format!("/api/v1/attempts/{}/commit", session.id),
        "token": token,
        "nextSequence": session.next_sequence,
        "values": adapter.values,
        "access": adapter.access,
        "model": data_model_json(runtime.version()),
        "launch": {
            "entry": runtime.entry().as_str(),
            "learner_id": user.id, "learner_name": user.display_name,
            "launch_data": launch.data_from_lms, "mastery_score": launch.mastery_score,
            "scaled_passing_score": launch.scaled_passing_score, "completion_threshold": launch.completion_threshold,
        },
    });
    // `</` cannot end the script element inside a JSON string.
    let attempt = attempt.to_string().replace("</", "<\\/");
    let frame = format!("files/{}", launch.launch_url);
    let title = module
        .title
        .resolve(&mist_core::LanguageTag::ja(), &state.series.languages);
    let html = format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>html,body,iframe{{margin:0;border:0;width:100%;height:100%;display:block}}</style>\
         <script>window.MIST_ATTEMPT = {attempt};</script><script src=\"/adapter.js\"></script></head>\
         <body><iframe src=\"{frame}\" title=\"{title}\" allow=\"fullscreen\"></iframe></body></html>",
        frame = super::render::html_escape(&frame),
        title = super::render::html_escape(title),
    );
    // Only the portal's player page may frame the launch.
    let ancestors = format!(
        "frame-ancestors {}",
        state.config.public_url.trim_end_matches('/')
    );
    let csp = axum::http::HeaderValue::from_str(&ancestors)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            ),
            (axum::http::header::CONTENT_SECURITY_POLICY, csp),
        ],
        Html(html),
    )
        .into_response())
}

/// `GET /attempts/{token}/files/{path}` (content origin): a file of the launch's package.
async fn content_file(
    State(state): State<AppState>,
    Path((token, path)): Path<(String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let session = state
        .store
        .scorm_session_by_token(&token_hash(&token))
        .await?
        .ok_or(AppError::NotFound)?;
    let file = state
        .storage
        .file(session.course_id, &path)
        .ok_or(AppError::NotFound)?;
    let mut response = ServeFile::new(file)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map(axum::body::Body::new);
    response.headers_mut().insert(
        X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    Ok(response.into_response())
}

/// `GET /adapter.js` (content origin).
async fn adapter_script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        ADAPTER_JS,
    )
        .into_response()
}

/// The browser API adapter (`window.API`, `window.API_1484_11`).
const ADAPTER_JS: &str = include_str!("../../../mist-scorm/adapter/mist-scorm-api.js");

/// A batch of run-time calls.
#[derive(Debug, Deserialize)]
pub struct Batch {
    token: String,
    sequence: i64,
    calls: Vec<Call>,
}

/// `POST /api/v1/attempts/{id}/commit` (content origin): stores a batch once, in order. A repeated
/// batch is acknowledged again without effect; a batch that skips ahead is refused with the sequence
/// the server expects, so the browser resends what is missing.
pub async fn commit(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    // sendBeacon may send the JSON as text/plain; the body is parsed whatever its declared type.
    let batch: Batch =
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    if batch.calls.len() > 10_000 {
        return Err(AppError::BadRequest("too many calls in one batch".into()));
    }
    let hash = token_hash(&batch.token);
    let mut remembered = state.scorm_launches.take(id, &hash);
    for _ in 0..3 {
        let (mut open, from_memory) = match remembered.take() {
            Some(open) => (open, true),
            None => (open_launch(&state, id, &hash).await?, false),
        };
        if batch.sequence < open.next_sequence {
            state.scorm_launches.put(open);
            return Ok(ack(batch.sequence));
        }
        if batch.sequence > open.next_sequence {
            if from_memory {
                // Another process may have stored batches since: ask the database.
                continue;
            }
            return Ok((
                StatusCode::CONFLICT,
                Json(json!({ "expected": open.next_sequence })),
            )
                .into_response());
        }
        apply(&mut open.runtime, &batch.calls);
        let state_json = serde_json::to_string(open.runtime.state())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let batch_json =
            serde_json::to_string(&batch.calls).map_err(|e| AppError::Internal(e.to_string()))?;
        let write = BatchWrite {
            session_id: open.id,
            sequence: batch.sequence,
            batch_json,
            state_json,
        };
        match state.commits.apply(write).await? {
            BatchOutcome::Applied => {
                record_outcome(
                    &state,
                    &open.user,
                    &open.course,
                    &open.module,
                    &open.runtime,
                )
                .await?;
                open.next_sequence += 1;
                state.scorm_launches.put(open);
                return Ok(ack(batch.sequence));
            }
            // Another request or process stored this sequence first: look again.
            BatchOutcome::Conflict => continue,
        }
    }
    Err(AppError::Internal(
        "the launch kept changing under this batch".into(),
    ))
}

/// Reads a launch, its learner and course from the database, and replays its stored batches.
async fn open_launch(state: &AppState, id: Uuid, token_hash: &str) -> Result<OpenLaunch, AppError> {
    let loaded_at = Instant::now();
    let (session, user, course, module) = session_for(state, token_hash).await?;
    if session.id != id {
        return Err(AppError::NotFound);
    }
    let launch = module.launch.as_ref().ok_or(AppError::NotFound)?;
    let calls: Vec<Call> = state
        .store
        .scorm_calls(session.id)
        .await?
        .iter()
        .filter_map(|batch| serde_json::from_str::<Vec<Call>>(batch).ok())
        .flatten()
        .collect();
    let start: RuntimeState = serde_json::from_str(&session.start_state_json).unwrap_or_default();
    let runtime = replay(&user, launch, start, &calls);
    Ok(OpenLaunch {
        id: session.id,
        token_hash: token_hash.to_owned(),
        user,
        course,
        module,
        next_sequence: session.next_sequence,
        runtime,
        loaded_at,
    })
}

fn ack(sequence: i64) -> Response {
    (StatusCode::OK, Json(json!({ "acknowledged": sequence }))).into_response()
}

/// Maps the run-time's evaluated status into mist-core's outcome, and records a completed module (and
/// a certificate when the course is complete) exactly as for native modules.
async fn record_outcome(
    state: &AppState,
    user: &User,
    course: &Course,
    module: &Module,
    runtime: &Runtime,
) -> Result<(), AppError> {
    let evaluation = runtime.evaluate();
    let values = &runtime.state().values;
    let real = |name: &str| values.get(name).and_then(|v| v.parse::<f64>().ok());
    let outcome = match runtime.version() {
        Version::Scorm12 => {
            let status = match (evaluation.completion.as_str(), evaluation.success.as_str()) {
                (_, "passed") => "passed",
                (_, "failed") => "failed",
                ("completed", _) => "completed",
                ("incomplete", _) => "incomplete",
                _ => "not attempted",
            };
            outcome_from_scorm12(
                status,
                real("cmi.core.score.raw"),
                real("cmi.core.score.min"),
                real("cmi.core.score.max"),
            )
        }
        Version::Scorm2004 => outcome_from_scorm2004(
            evaluation.completion.as_str(),
            evaluation.success.as_str(),
            real("cmi.score.scaled"),
        ),
    };
    if outcome.is_done() {
        let key = ModuleKey {
            user_id: user.id,
            course_id: course.id,
            module: module.slug.as_str(),
        };
        state
            .store
            .record_module_completion(key, current_fiscal_year(), &outcome)
            .await?;
        super::certs::issue_if_complete(state, user, course).await?;
    }
    Ok(())
}
