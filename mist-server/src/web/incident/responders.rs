//! Granting the responder capability: administrators only, beside the person's role (the users'
//! role stays learner, manager or admin).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::audit;
use crate::store::Role;
use crate::web::i18n::Lang;
use crate::web::render::{Page, render};
use crate::web::session::SignedIn;
use crate::web::{AppError, AppState};

/// `GET /admin/responders`.
pub async fn page(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
) -> Page {
    viewer.require(Role::Admin)?;
    responders_page(&state, lang, &viewer, None).await
}

async fn responders_page(
    state: &AppState,
    lang: Lang,
    viewer: &SignedIn,
    error: Option<&str>,
) -> Page {
    let responders: Vec<_> = state.store.responders().await?.into_iter()
        .map(|r| json!({ "user_id": r.user_id, "display_name": r.display_name, "email": r.email, "granted_at": super::jst(r.granted_at) }))
        .collect();
    render(
        state,
        "responders.html",
        lang,
        "/admin/responders",
        Some(viewer),
        json!({ "responders": responders, "error": error }),
    )
}

#[derive(Deserialize)]
pub struct GrantForm {
    email: String,
}

/// `POST /admin/responders`: grants the capability to the person with this sign-in address.
pub async fn grant(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<GrantForm>,
) -> Result<Response, AppError> {
    let admin = viewer.require(Role::Admin)?;
    let Some((user, _)) = state.store.user_with_password(&form.email).await? else {
        let message = lang.pick(
            "そのメールアドレスのアカウントはありません。",
            "No account has that email address.",
        );
        let html = responders_page(&state, lang, &viewer, Some(message)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    };
    state.store.grant_responder(user.id, admin.id).await?;
    audit(
        &state,
        Some(admin.id),
        user.organization_id,
        "incident.responder_grant",
        format!("user:{}", user.id),
        json!({ "email": user.email }),
    )
    .await?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, "/admin/responders")]).into_response())
}

/// `POST /admin/responders/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    viewer: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let admin = viewer.require(Role::Admin)?;
    if !state.store.revoke_responder(id).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &state,
        Some(admin.id),
        None,
        "incident.responder_revoke",
        format!("user:{id}"),
        json!({}),
    )
    .await?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, "/admin/responders")]).into_response())
}
