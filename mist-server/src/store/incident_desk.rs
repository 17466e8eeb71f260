//! The desk's side of incident tickets: follow-up dates, attachments' records, and who holds the
//! responder capability.

use serde::Serialize;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::incidents::{Change, audit_change, log_event};
use super::{Store, StoreError, execute, now, on_pool};

/// A follow-up date the desk set on a ticket.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Followup {
    /// Identifier.
    pub id: i64,
    /// The JST date it is due.
    pub due_on: Date,
    /// What to follow up.
    pub what: String,
    /// When it was marked done.
    pub done_at: Option<OffsetDateTime>,
}

/// An attachment's record (the file itself is under `data_dir/incidents/`, named by the id).
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Attachment {
    /// Identifier, and the stored file's name.
    pub id: Uuid,
    /// The ticket.
    pub incident_id: Uuid,
    /// The name it was uploaded under (used only as the download's name).
    pub file_name: String,
    /// Content type found by its bytes: `png`, `jpeg`, `pdf`, `text`.
    pub kind: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A person holding the responder capability.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Responder {
    /// The person.
    pub user_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Their sign-in address.
    pub email: String,
    /// Since when.
    pub granted_at: OffsetDateTime,
}

impl Store {
    /// Adds a follow-up date (and its timeline line).
    pub async fn add_followup(
        &self,
        incident: Uuid,
        due_on: Date,
        what: &str,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO incident_followups (incident_id, due_on, what, created_by) VALUES ($1, $2, $3, $4)")
                .bind(incident).bind(due_on).bind(what).bind(change.actor).execute(&mut *tx).await?;
            log_event!(tx, incident, change.actor, "followup", format!("{due_on}: {what}"));
            audit_change!(tx, incident, change);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A ticket's follow-up dates, earliest first.
    pub async fn followups(&self, incident: Uuid) -> Result<Vec<Followup>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, due_on, what, done_at FROM incident_followups WHERE incident_id = $1 ORDER BY due_on, id")
            .bind(incident).fetch_all(pool).await?))
    }

    /// Marks a follow-up of this ticket done; `false` if there is no such open follow-up.
    pub async fn complete_followup(
        &self,
        incident: Uuid,
        id: i64,
        change: &Change<'_>,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE incident_followups SET done_at = $3 WHERE incident_id = $1 AND id = $2 AND done_at IS NULL")
                .bind(incident).bind(id).bind(now()).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_change!(tx, incident, change);
            }
            tx.commit().await?;
            done
        }))
    }

    /// Records an attachment stored on disk (and its timeline line).
    pub async fn add_attachment(
        &self,
        attachment: &Attachment,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        let line = format!(
            "{} ({}, {} bytes, SHA-256 {})",
            attachment.file_name, attachment.kind, attachment.size, attachment.sha256
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO incident_attachments (id, incident_id, file_name, kind, size, sha256, uploaded_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(attachment.id).bind(attachment.incident_id).bind(&attachment.file_name).bind(&attachment.kind)
                .bind(attachment.size).bind(&attachment.sha256).bind(change.actor).bind(attachment.created_at)
                .execute(&mut *tx).await?;
            log_event!(tx, attachment.incident_id, change.actor, "attachment", &line);
            audit_change!(tx, attachment.incident_id, change);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A ticket's attachments, oldest first.
    pub async fn attachments(&self, incident: Uuid) -> Result<Vec<Attachment>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, incident_id, file_name, kind, size, sha256, created_at FROM incident_attachments
             WHERE incident_id = $1 ORDER BY created_at, id")
            .bind(incident).fetch_all(pool).await?))
    }

    /// An attachment by id.
    pub async fn attachment(&self, id: Uuid) -> Result<Option<Attachment>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, incident_id, file_name, kind, size, sha256, created_at FROM incident_attachments WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// Grants the responder capability; granting twice changes nothing.
    pub async fn grant_responder(&self, user: Uuid, by: Uuid) -> Result<(), StoreError> {
        execute!(self, sqlx::query(
            "INSERT INTO incident_responders (user_id, granted_by, granted_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO NOTHING")
            .bind(user).bind(by).bind(now()))?;
        Ok(())
    }

    /// Revokes the responder capability; `false` if the person did not hold it.
    pub async fn revoke_responder(&self, user: Uuid) -> Result<bool, StoreError> {
        Ok(execute!(
            self,
            sqlx::query("DELETE FROM incident_responders WHERE user_id = $1").bind(user)
        )? == 1)
    }

    /// Whether an active person holds the responder capability.
    pub async fn is_responder(&self, user: Uuid) -> Result<bool, StoreError> {
        let found: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM incident_responders r JOIN users u ON u.id = r.user_id WHERE r.user_id = $1 AND u.active")
            .bind(user).fetch_one(pool).await?);
        Ok(found > 0)
    }

    /// Everyone holding the responder capability, by name.
    pub async fn responders(&self) -> Result<Vec<Responder>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT r.user_id, u.display_name, u.email, r.granted_at
             FROM incident_responders r JOIN users u ON u.id = r.user_id ORDER BY u.display_name, u.email")
            .fetch_all(pool).await?))
    }
}
