//! Certificates in the portal: issued when a course is complete in a fiscal year, downloaded as PDF,
//! and checked by anyone on the public verification page.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use mist_core::certificate::pdf::render as render_pdf;
use mist_core::certificate::{
    Certificate, CertificateCode, CertifiedCourse, Expiry, Learner, NewCertificate, Score,
    SignedCertificate, SigningKey, encode_verifying_key,
};
use mist_core::{Course, LanguageTag};
use serde::Deserialize;
use serde_json::json;

use super::i18n::Lang;
use super::learn::{current_fiscal_year, today_in_japan};
use super::render::{Page, render};
use super::session::SignedIn;
use super::{AppError, AppState};
use crate::store::learning::ModuleKey;
use crate::store::{Role, User};

/// Issues the learner's certificate for `course` when every required module is done in this fiscal
/// year and none was issued yet. The score is the mean of the best quiz scores of the required modules
/// that have quizzes (1.0 when none has).
pub async fn issue_if_complete(
    state: &AppState,
    user: &User,
    course: &Course,
) -> Result<Option<String>, AppError> {
    let year = current_fiscal_year();
    let done = state
        .store
        .completed_modules(user.id, course.id, year)
        .await?;
    let required: Vec<_> = course.modules.iter().filter(|m| m.required).collect();
    if required.is_empty()
        || !required.iter().all(|m| done.contains(m.slug.as_str()))
        || state
            .store
            .has_certificate(user.id, course.id, year)
            .await?
    {
        return Ok(None);
    }
    let mut scores = Vec::new();
    for module in &required {
        let key = ModuleKey {
            user_id: user.id,
            course_id: course.id,
            module: module.slug.as_str(),
        };
        scores.extend(
            state
                .store
                .module_progress(key)
                .await?
                .quiz
                .map(|(scaled, _)| scaled),
        );
    }
    let mean = if scores.is_empty() {
        1.0
    } else {
        scores.iter().sum::<f64>() / scores.len() as f64
    };
    let organization = match user.organization_id {
        Some(id) => state.store.organization(id).await?.map(|o| o.name),
        None => None,
    };
    let new = NewCertificate {
        learner: Learner {
            name: user.display_name.clone(),
            kana: user.kana.clone(),
        },
        organization: organization.unwrap_or_else(|| "MIST".to_owned()),
        course: CertifiedCourse::from(course),
        score: Score::from_fraction(mean.clamp(0.0, 1.0))
            .map_err(|e| AppError::Internal(e.to_string()))?,
        completed_on: today_in_japan(),
        expiry: Expiry::default(),
    };
    let certificate = Certificate::issue(new).map_err(|e| AppError::Internal(e.to_string()))?;
    let signed = certificate.sign(&state.signing_key);
    let json = signed
        .to_json()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let code = signed.certificate.code.to_string();
    let stored = state
        .store
        .store_certificate(
            signed.certificate.id,
            &code,
            user.id,
            course.id,
            year,
            &json,
        )
        .await?;
    Ok(stored.then_some(code))
}

/// The signed certificate of a stored record.
fn signed(json: &str) -> Result<SignedCertificate, AppError> {
    serde_json::from_str(json).map_err(|e| AppError::Internal(format!("stored certificate: {e}")))
}

/// `GET /certificates/{code}.pdf`: for the learner, their organization's managers and administrators.
pub async fn download(
    State(state): State<AppState>,
    viewer: SignedIn,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let code = file.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    let stored = state
        .store
        .certificate(code)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = state
        .store
        .user(stored.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let me = &viewer.0;
    let allowed = me.id == owner.id
        || me.role == Role::Admin
        || (me.role == Role::Manager
            && me.organization_id.is_some()
            && me.organization_id == owner.organization_id);
    if !allowed {
        return Err(AppError::NotFound);
    }
    let font = crate::fonts::certificate_font().map_err(|e| AppError::Internal(e.to_string()))?;
    let pdf = render_pdf(
        &signed(&stored.signed_json)?,
        font,
        &state.config.public_url,
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"mist-certificate-{code}.pdf\"");
    Ok((
        [
            (CONTENT_TYPE, "application/pdf".to_owned()),
            (CONTENT_DISPOSITION, disposition),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

/// `GET /verify/{code}`: whether a certificate is genuine, revoked or unknown, showing no more than the
/// certificate itself says.
pub async fn verify(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: Option<SignedIn>,
    Path(code): Path<String>,
) -> Page {
    let parsed = CertificateCode::parse(&code);
    let stored = match &parsed {
        Ok(code) => state.store.certificate(&code.to_string()).await?,
        Err(_) => None,
    };
    let page = match stored {
        None => json!({ "status": "unknown", "code": code }),
        Some(stored) => {
            let signed = signed(&stored.signed_json)?;
            let verifying = state.signing_key.verifying_key();
            let genuine = signed.verify(&verifying).is_ok();
            let c = &signed.certificate;
            let prefs = [LanguageTag::ja(), LanguageTag::en()];
            let status = match (genuine, stored.revoked_at) {
                (false, _) => "invalid",
                (true, Some(_)) => "revoked",
                (true, None) if c.is_expired(today_in_japan()) => "expired",
                (true, None) => "genuine",
            };
            json!({
                "status": status, "code": c.code.to_string(),
                "name": c.learner.name, "organization": c.organization,
                "course": c.course.title.resolve(&lang.tag(), &prefs),
                "completed_on": c.completed_on.to_string(),
                "fiscal_year": match lang { Lang::Ja => c.fiscal_year.era_label(), Lang::En => c.fiscal_year.to_string() },
                "expires_on": c.expires_on.map(|d| d.to_string()),
                "revoked_reason": stored.revoked_reason,
            })
        }
    };
    render(
        &state,
        "verify.html",
        lang,
        &format!("/verify/{code}"),
        viewer.as_ref(),
        page,
    )
}

/// `GET /verify/public-key`: the key that verifies this portal's certificates offline
/// (`mist cert verify --pubkey`).
pub async fn public_key(State(state): State<AppState>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        encode_verifying_key(&state.signing_key.verifying_key()),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct RevokeForm {
    code: String,
    reason: String,
}

/// `POST /admin/certificates/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(lang): Extension<Lang>,
    viewer: SignedIn,
    Form(form): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let admin = viewer.require(Role::Admin)?;
    let code = CertificateCode::parse(&form.code)
        .map_err(|e| AppError::BadRequest(e.to_string()))?
        .to_string();
    let reason = form.reason.trim();
    if reason.is_empty() {
        return Err(AppError::BadRequest(
            lang.pick(
                "取り消しの理由を入力してください。",
                "Give the reason for revoking.",
            )
            .into(),
        ));
    }
    if !state
        .store
        .revoke_certificate(&code, reason, admin.id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok((
        axum::http::StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, format!("/verify/{code}"))],
    )
        .into_response())
}

/// The signing key of this portal's certificates, kept in the database so that every server process
/// signs with the same key; created on the first start.
pub async fn signing_key(store: &crate::store::Store) -> Result<SigningKey, AppError> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| AppError::Internal(e.to_string()))?;
    let fresh = mist_core::certificate::encode_signing_key(&SigningKey::from_bytes(&seed));
    let stored = store
        .setting_or_insert("certificate_signing_key", &fresh)
        .await?;
    mist_core::certificate::decode_signing_key(&stored)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The learner's certificates for `/me`.
pub async fn listing(
    state: &AppState,
    lang: Lang,
    user: &User,
) -> Result<Vec<serde_json::Value>, AppError> {
    let mut out = Vec::new();
    for stored in state.store.user_certificates(user.id).await? {
        let c = signed(&stored.signed_json)?.certificate;
        let prefs = &state.series.languages;
        out.push(json!({
            "code": stored.code, "course": c.course.title.resolve(&lang.tag(), prefs),
            "fiscal_year": match lang { Lang::Ja => c.fiscal_year.era_label(), Lang::En => c.fiscal_year.to_string() },
            "revoked": stored.revoked_at.is_some(),
        }));
    }
    Ok(out)
}
