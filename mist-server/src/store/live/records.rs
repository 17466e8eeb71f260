//! What learners did in live sessions: attendance, comprehension-check attempts and completions.
//!
//! `live_completions` is the record other features read: one row per person and session, with the
//! fiscal year, the date, the mode (`live`) and the quiz score, once attendance and the comprehension
//! check (when the session has one) are both done.

use mist_core::fiscal::FiscalYear;
use mist_core::quiz::{AttemptResult, DrawnQuestion};
use serde::Serialize;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::audit::{AuditEvent, append_audit};
use crate::store::{Store, StoreError, execute, from_json, now, on_pool};

/// How attendance was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceMode {
    /// The learner entered the keyword given during the session.
    Keyword,
    /// A manager of their organization, or an administrator, ticked them on the roster.
    Manager,
}

impl AttendanceMode {
    fn as_str(self) -> &'static str {
        match self {
            AttendanceMode::Keyword => "keyword",
            AttendanceMode::Manager => "manager",
        }
    }
}

/// A comprehension-check attempt of a live session.
#[derive(Debug, Clone)]
pub struct LiveAttempt {
    /// Identifier.
    pub id: Uuid,
    /// The learner.
    pub user_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// The questions drawn, in order.
    pub drawn: Vec<DrawnQuestion>,
    /// When it started.
    pub started_at: OffsetDateTime,
    /// The graded result, once submitted.
    pub result: Option<AttemptResult>,
}

#[derive(FromRow)]
struct AttemptRow {
    id: Uuid,
    user_id: Uuid,
    session_id: Uuid,
    drawn_json: String,
    started_at: OffsetDateTime,
    result_json: Option<String>,
}

impl AttemptRow {
    fn decode(self) -> Result<LiveAttempt, StoreError> {
        Ok(LiveAttempt {
            id: self.id,
            user_id: self.user_id,
            session_id: self.session_id,
            drawn: from_json(
                format!("live attempt {} questions", self.id),
                &self.drawn_json,
            )?,
            started_at: self.started_at,
            result: self
                .result_json
                .map(|json| from_json(format!("live attempt {} result", self.id), &json))
                .transpose()?,
        })
    }
}

/// A completed live session, as other features read it.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct LiveCompletion {
    /// The person.
    pub user_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// The session's tier.
    pub audience: String,
    /// Always `live`.
    pub mode: String,
    /// The fiscal year it counts for (its starting calendar year).
    pub fiscal_year: i64,
    /// When it was completed.
    pub completed_at: OffsetDateTime,
    /// The passing quiz score (0–1), without a quiz `None`.
    pub score: Option<f64>,
}

impl Store {
    /// Records attendance for a person holding a seat (the first record counts, and goes into the
    /// audit trail with who recorded it); `false` if they hold no seat.
    pub async fn record_live_attendance(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        mode: AttendanceMode,
        by: Uuid,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let first = sqlx::query(
                "UPDATE live_registrations SET status = 'attended', attended_at = $3, updated_at = $3, attendance_mode = $4,
                   attendance_by = $5 WHERE session_id = $1 AND user_id = $2 AND status = 'confirmed'")
                .bind(session_id).bind(user_id).bind(now()).bind(mode.as_str()).bind(by)
                .execute(&mut *tx).await?.rows_affected() > 0;
            if first {
                let organization: Option<Uuid> = sqlx::query_scalar("SELECT organization_id FROM users WHERE id = $1")
                    .bind(user_id).fetch_optional(&mut *tx).await?.flatten();
                append_audit!(tx, AuditEvent {
                    actor: Some(by),
                    organization,
                    action: "live.attend",
                    subject: format!("live:{session_id}"),
                    detail: serde_json::json!({ "user": user_id, "mode": mode.as_str() }),
                })?;
            }
            let attended: Option<String> = sqlx::query_scalar(
                "SELECT status FROM live_registrations WHERE session_id = $1 AND user_id = $2 AND status = 'attended'")
                .bind(session_id).bind(user_id).fetch_optional(&mut *tx).await?;
            tx.commit().await?;
            Ok(attended.is_some())
        })
    }

    /// Starts a comprehension-check attempt.
    pub async fn create_live_attempt(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        drawn: &[DrawnQuestion],
    ) -> Result<LiveAttempt, StoreError> {
        let id = Uuid::new_v4();
        let started_at = now();
        execute!(self, sqlx::query(
            "INSERT INTO live_quiz_attempts (id, session_id, user_id, drawn_json, started_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(session_id).bind(user_id).bind(serde_json::to_string(drawn)?).bind(started_at))?;
        Ok(LiveAttempt {
            id,
            user_id,
            session_id,
            drawn: drawn.to_vec(),
            started_at,
            result: None,
        })
    }

    /// The learner's unsubmitted attempt, if any.
    pub async fn open_live_attempt(
        &self,
        session_id: Uuid,
        user_id: Uuid,
    ) -> Result<Option<LiveAttempt>, StoreError> {
        let row: Option<AttemptRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, user_id, session_id, drawn_json, started_at, result_json FROM live_quiz_attempts
             WHERE session_id = $1 AND user_id = $2 AND submitted_at IS NULL ORDER BY started_at DESC LIMIT 1")
            .bind(session_id).bind(user_id).fetch_optional(pool).await?);
        row.map(AttemptRow::decode).transpose()
    }

    /// An attempt by id.
    pub async fn live_attempt(&self, id: Uuid) -> Result<Option<LiveAttempt>, StoreError> {
        let row: Option<AttemptRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, user_id, session_id, drawn_json, started_at, result_json FROM live_quiz_attempts WHERE id = $1")
            .bind(id).fetch_optional(pool).await?);
        row.map(AttemptRow::decode).transpose()
    }

    /// Stores an attempt's result once; a second submission changes nothing and returns `false`.
    pub async fn submit_live_attempt(
        &self,
        id: Uuid,
        result: &AttemptResult,
    ) -> Result<bool, StoreError> {
        let updated = execute!(self, sqlx::query(
            "UPDATE live_quiz_attempts SET submitted_at = $1, scaled = $2, passed = $3, result_json = $4 WHERE id = $5 AND submitted_at IS NULL")
            .bind(now()).bind(result.scaled).bind(result.passed).bind(serde_json::to_string(result)?).bind(id))?;
        Ok(updated > 0)
    }

    /// The learner's best passing score in a session's comprehension check.
    pub async fn best_live_pass(
        &self,
        session_id: Uuid,
        user_id: Uuid,
    ) -> Result<Option<f64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(scaled) FROM live_quiz_attempts WHERE session_id = $1 AND user_id = $2 AND passed = $3")
            .bind(session_id).bind(user_id).bind(true).fetch_one(pool).await?))
    }

    /// Records a completed session once (the first completion counts).
    pub async fn record_live_completion(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        audience: &str,
        year: FiscalYear,
        score: Option<f64>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let first = sqlx::query(
                "INSERT INTO live_completions (user_id, session_id, audience, mode, fiscal_year, completed_at, score)
                 VALUES ($1, $2, $3, 'live', $4, $5, $6) ON CONFLICT DO NOTHING")
                .bind(user_id).bind(session_id).bind(audience).bind(i64::from(year.start_year())).bind(now()).bind(score)
                .execute(&mut *tx).await?.rows_affected() > 0;
            if first {
                let organization: Option<Uuid> = sqlx::query_scalar("SELECT organization_id FROM users WHERE id = $1")
                    .bind(user_id).fetch_optional(&mut *tx).await?.flatten();
                append_audit!(tx, AuditEvent {
                    actor: Some(user_id),
                    organization,
                    action: "live.complete",
                    subject: format!("live:{session_id}"),
                    detail: serde_json::json!({ "fiscal_year": year.start_year(), "audience": audience, "score": score }),
                })?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// A person's completed live sessions, newest first.
    pub async fn live_completions(&self, user_id: Uuid) -> Result<Vec<LiveCompletion>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT user_id, session_id, audience, mode, fiscal_year, completed_at, score FROM live_completions
             WHERE user_id = $1 ORDER BY completed_at DESC")
            .bind(user_id).fetch_all(pool).await?))
    }
}
