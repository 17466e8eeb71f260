//! Issued certificates and their revocations.

use mist_core::fiscal::FiscalYear;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::{Store, StoreError, now, on_pool};

/// A certificate as stored.
#[derive(Debug, Clone, FromRow)]
pub struct StoredCertificate {
    /// Its code.
    pub code: String,
    /// The learner.
    pub user_id: Uuid,
    /// The course.
    pub course_id: Uuid,
    /// The signed certificate as JSON.
    pub signed_json: String,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// Why.
    pub revoked_reason: Option<String>,
}

impl Store {
    /// Stores a certificate unless the learner already has one for the course and fiscal year;
    /// returns whether this one was stored.
    pub async fn store_certificate(
        &self,
        id: Uuid,
        code: &str,
        user_id: Uuid,
        course_id: Uuid,
        year: FiscalYear,
        signed_json: &str,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let stored = sqlx::query(
                "INSERT INTO certificates (id, code, user_id, course_id, fiscal_year, signed_json, issued_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                .bind(id).bind(code).bind(user_id).bind(course_id).bind(i64::from(year.start_year())).bind(signed_json).bind(now())
                .execute(&mut *tx).await?.rows_affected() > 0;
            if stored {
                let organization: Option<Uuid> = sqlx::query_scalar("SELECT organization_id FROM users WHERE id = $1")
                    .bind(user_id).fetch_optional(&mut *tx).await?.flatten();
                append_audit!(tx, AuditEvent {
                    actor: None,
                    organization,
                    action: "certificate.issue",
                    subject: format!("certificate:{code}"),
                    detail: serde_json::json!({
                        "learner": user_id, "course": course_id, "fiscal_year": year.start_year(),
                    }),
                })?;
            }
            tx.commit().await?;
            Ok(stored)
        })
    }

    /// A certificate by its code.
    pub async fn certificate(&self, code: &str) -> Result<Option<StoredCertificate>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT code, user_id, course_id, signed_json, revoked_at, revoked_reason FROM certificates WHERE code = $1")
            .bind(code).fetch_optional(pool).await?))
    }

    /// A learner's certificates, newest first.
    pub async fn user_certificates(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<StoredCertificate>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT code, user_id, course_id, signed_json, revoked_at, revoked_reason FROM certificates
             WHERE user_id = $1 ORDER BY issued_at DESC")
            .bind(user_id).fetch_all(pool).await?))
    }

    /// Whether the learner has a certificate for the course in the fiscal year.
    pub async fn has_certificate(
        &self,
        user_id: Uuid,
        course_id: Uuid,
        year: FiscalYear,
    ) -> Result<bool, StoreError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM certificates WHERE user_id = $1 AND course_id = $2 AND fiscal_year = $3")
            .bind(user_id).bind(course_id).bind(i64::from(year.start_year())).fetch_one(pool).await?);
        Ok(count > 0)
    }

    /// Revokes a certificate on behalf of `actor`; returns whether it was valid until now.
    pub async fn revoke_certificate(
        &self,
        code: &str,
        reason: &str,
        actor: Uuid,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let organization: Option<Option<Uuid>> = sqlx::query_scalar(
                "UPDATE certificates SET revoked_at = $1, revoked_reason = $2 WHERE code = $3 AND revoked_at IS NULL
                 RETURNING (SELECT organization_id FROM users WHERE users.id = certificates.user_id)")
                .bind(now()).bind(reason).bind(code).fetch_optional(&mut *tx).await?;
            let Some(organization) = organization else {
                return Ok(false);
            };
            append_audit!(tx, AuditEvent {
                actor: Some(actor),
                organization,
                action: "certificate.revoke",
                subject: format!("certificate:{code}"),
                detail: serde_json::json!({ "reason": reason }),
            })?;
            tx.commit().await?;
            Ok(true)
        })
    }
}
