//! Messages from visitors: inquiries (お問い合わせ) and messages to an instructor or engineer, in one
//! inbox for administrators with a status and an internal note.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::any;
use crate::store::audit::{AuditEvent, append_audit};
use crate::store::{Store, StoreError, execute, now, on_pool};

/// A message to store (already checked).
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    /// The entry it is for; `None` for an inquiry.
    pub expert_id: Option<Uuid>,
    /// That entry's name, kept if the entry is deleted later.
    pub expert_name: Option<String>,
    /// The inquiry category identifier (inquiries only).
    pub category: Option<String>,
    /// Sender's name.
    pub name: String,
    /// Sender's organization.
    pub organization: String,
    /// Reply address.
    pub email: String,
    /// Phone, if given.
    pub phone: Option<String>,
    /// The message.
    pub message: String,
}

/// A message as stored.
#[derive(Debug, Clone, FromRow)]
pub struct PortalMessage {
    /// Identifier.
    pub id: Uuid,
    /// The entry it was for, while that entry exists.
    pub expert_id: Option<Uuid>,
    /// The entry's name when the message was sent.
    pub expert_name: Option<String>,
    /// Inquiry category identifier.
    pub category: Option<String>,
    /// Sender's name.
    pub name: String,
    /// Sender's organization.
    pub organization: String,
    /// Reply address.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// The message.
    pub message: String,
    /// `new`, `in_progress` or `done`.
    pub status: String,
    /// Administrators' internal note.
    pub note: String,
    /// When it was sent.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

macro_rules! message_columns {
    () => {
        "id, expert_id, expert_name, category, name, organization, email, phone, message, status, note,
         created_at, updated_at"
    };
}

impl Store {
    /// Stores a message as new; returns its id.
    pub async fn create_message(&self, message: &NewMessage) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        execute!(self, sqlx::query(
            "INSERT INTO portal_messages (id, expert_id, expert_name, category, name, organization, email, phone,
                message, status, note, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', '', $10, $10)")
            .bind(id).bind(message.expert_id).bind(&message.expert_name).bind(&message.category)
            .bind(&message.name).bind(&message.organization).bind(&message.email).bind(&message.phone)
            .bind(&message.message).bind(now()))?;
        Ok(id)
    }

    /// A message by id.
    pub async fn message(&self, id: Uuid) -> Result<Option<PortalMessage>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", message_columns!(), " FROM portal_messages WHERE id = $1"))
            .bind(id).fetch_optional(pool).await?))
    }

    /// Messages with `status` (`None`: all), newest first, at most `limit`.
    pub async fn messages(
        &self,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PortalMessage>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", message_columns!(), " FROM portal_messages
             WHERE CAST($1 AS TEXT) = '' OR status = $1 ORDER BY created_at DESC, id LIMIT $2"))
            .bind(any(status)).bind(limit).fetch_all(pool).await?))
    }

    /// How many messages have each status (statuses without messages are absent).
    pub async fn message_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT status, COUNT(*) FROM portal_messages GROUP BY status")
            .fetch_all(pool).await?))
    }

    /// Sets a message's status and note, only if its status is still `expected` (two administrators
    /// changing one message at once cannot skip the status flow), and records the change in the audit
    /// trail in the same transaction; returns whether it changed.
    pub async fn update_message(
        &self,
        id: Uuid,
        change: &MessageChange<'_>,
        actor: Uuid,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE portal_messages SET status = $1, note = $2, updated_at = $3 WHERE id = $4 AND status = $5")
                .bind(change.status).bind(change.note).bind(now()).bind(id).bind(change.expected)
                .execute(&mut *tx).await?.rows_affected() > 0;
            if changed {
                append_audit!(tx, AuditEvent {
                    actor: Some(actor),
                    organization: None,
                    action: "inquiry.status",
                    subject: format!("message:{id}"), // as web::portal::inbox names it
                    detail: serde_json::json!({ "from": change.expected, "to": change.status }),
                })?;
            }
            tx.commit().await?;
            Ok(changed)
        })
    }
}

/// A status change of a message.
#[derive(Debug, Clone, Copy)]
pub struct MessageChange<'a> {
    /// The status the administrator saw.
    pub expected: &'a str,
    /// The new status.
    pub status: &'a str,
    /// The internal note.
    pub note: &'a str,
}
