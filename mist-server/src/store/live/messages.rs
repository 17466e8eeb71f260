//! The reminder queue of live sessions: messages written in the same transaction as the registration
//! change that caused them, then claimed and sent by a background task (see `crate::live_mail`).
//!
//! Claiming is one `UPDATE … WHERE status = 'pending' AND due_at <= now … RETURNING`: on PostgreSQL a
//! second server claiming the same rows waits for the first one's row locks and then finds them no
//! longer pending; on SQLite the statement holds the single write lock. A message is never handed to
//! two senders, however many servers share the database.

use serde::Serialize;
use sqlx::FromRow;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::LiveSession;
use crate::store::{Store, StoreError, execute, now, on_pool};

/// How long a claimed message may stay unsent before another sender may take it (its sender died).
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(10);
/// After this many failed sends a message stays failed.
pub const MAX_ATTEMPTS: i64 = 5;

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A seat was taken.
    Confirmed,
    /// Put on the waiting list.
    Waiting,
    /// Moved from the waiting list to a seat.
    Promoted,
    /// The start time changed.
    Rescheduled,
    /// The day before.
    Reminder24h,
    /// An hour before.
    Reminder1h,
    /// The administrators cancelled the session.
    SessionCancelled,
}

impl MessageKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Confirmed => "confirmed",
            MessageKind::Waiting => "waiting",
            MessageKind::Promoted => "promoted",
            MessageKind::Rescheduled => "rescheduled",
            MessageKind::Reminder24h => "reminder_24h",
            MessageKind::Reminder1h => "reminder_1h",
            MessageKind::SessionCancelled => "session_cancelled",
        }
    }
}

/// The change a person is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// They took a seat.
    Confirmed,
    /// They are on the waiting list.
    Waiting,
    /// A seat freed up for them.
    Promoted,
    /// The start time of the session they hold a seat in changed.
    Rescheduled,
    /// The session was cancelled.
    SessionCancelled,
}

/// Who a message goes to, and in which language.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Recipient {
    /// The person.
    pub user_id: Uuid,
    /// Their address.
    pub email: String,
    /// `ja` or `en`: the language they registered in.
    pub lang: String,
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The person.
    pub user_id: Uuid,
    /// What it is about.
    pub kind: MessageKind,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When to send it.
    pub due_at: OffsetDateTime,
}

/// Writes the messages for a change (the texts live outside the store).
pub trait Composer: Sync {
    /// The messages telling `to` about `notice` for `session`, at `now`.
    fn compose(
        &self,
        session: &LiveSession,
        to: &Recipient,
        notice: Notice,
        now: OffsetDateTime,
    ) -> Vec<NewMessage>;
}

/// A queued message as stored.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct QueuedMessage {
    /// Identifier.
    pub id: i64,
    /// The session.
    pub session_id: Uuid,
    /// What it is about.
    pub kind: String,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Body.
    pub body: String,
    /// When it is due.
    pub due_at: OffsetDateTime,
    /// `pending`, `sending`, `sent`, `failed` or `withdrawn`.
    pub status: String,
    /// Send attempts so far.
    pub attempts: i64,
    /// The last failure.
    pub error: Option<String>,
}

/// The columns of [`QueuedMessage`], and which rows a sender may claim, as literals for `concat!`.
macro_rules! message_sql {
    (columns) => {
        "id, session_id, kind, recipient, subject, body, due_at, status, attempts, error"
    };
    (claimable) => {
        "((status = 'pending' AND due_at <= $2) OR (status = 'sending' AND claimed_at <= $3))"
    };
}

impl Store {
    /// Claims up to `limit` messages due at `at` for the sender `worker`, oldest first; also messages
    /// whose sender has not finished within [`CLAIM_TIMEOUT`].
    pub async fn claim_live_messages(
        &self,
        worker: &str,
        at: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<QueuedMessage>, StoreError> {
        let stale = at - CLAIM_TIMEOUT;
        // The outer condition repeats the inner one: on PostgreSQL it is checked again on the row a
        // concurrent claim just committed, which is then no longer claimable.
        let mut claimed: Vec<QueuedMessage> = on_pool!(self, pool => sqlx::query_as(concat!(
            "UPDATE live_messages SET status = 'sending', claimed_by = $1, claimed_at = $2, attempts = attempts + 1 WHERE ",
            message_sql!(claimable), " AND id IN (SELECT id FROM live_messages WHERE ", message_sql!(claimable),
            " ORDER BY due_at, id LIMIT $4) RETURNING ", message_sql!(columns)))
            .bind(worker).bind(at).bind(stale).bind(limit).fetch_all(pool).await?);
        claimed.sort_by_key(|m| (m.due_at, m.id));
        Ok(claimed)
    }

    /// Marks a claimed message sent.
    pub async fn mark_live_message_sent(&self, id: i64, worker: &str) -> Result<(), StoreError> {
        execute!(self, sqlx::query(
            "UPDATE live_messages SET status = 'sent', sent_at = $3, error = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'sending'")
            .bind(id).bind(worker).bind(now()))?;
        Ok(())
    }

    /// Records a failed send: the message is tried again later, or stays failed after
    /// [`MAX_ATTEMPTS`].
    pub async fn mark_live_message_failed(
        &self,
        id: i64,
        worker: &str,
        error: &str,
    ) -> Result<(), StoreError> {
        let retry_at = now() + Duration::minutes(5);
        execute!(self, sqlx::query(
            "UPDATE live_messages SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END, due_at = $3, error = $5
             WHERE id = $1 AND claimed_by = $2 AND status = 'sending'")
            .bind(id).bind(worker).bind(retry_at).bind(MAX_ATTEMPTS).bind(error))?;
        Ok(())
    }

    /// The most recent messages (by due time), for the administrators' outbox page.
    pub async fn live_messages(&self, limit: i64) -> Result<Vec<QueuedMessage>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", message_sql!(columns), " FROM live_messages ORDER BY due_at DESC, id DESC LIMIT $1"))
            .bind(limit).fetch_all(pool).await?))
    }
}
