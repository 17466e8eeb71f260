//! Changes to a session's registrations, each in one transaction that first writes the session row
//! (see the module above for why that rules out overbooking), with the messages they cause.

use mist_core::live::{Event, Status, WaitingEntry, seat_for, to_promote};
use uuid::Uuid;

use super::{
    Composer, LiveSession, NewMessage, Notice, Recipient, Registered, SessionFields, session_event,
    split_quiz,
};
use crate::store::audit::{AuditEvent, append_audit};
use crate::store::{Store, StoreError, now, on_pool};

/// Inserts a composed [`NewMessage`] for a session within the transaction `$tx`.
macro_rules! insert_message {
    ($tx:ident, $session_id:expr, $message:expr, $at:expr) => {{
        let message: NewMessage = $message;
        sqlx::query(
            "INSERT INTO live_messages (session_id, user_id, kind, recipient, subject, body, due_at, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)")
            .bind($session_id).bind(message.user_id).bind(message.kind.as_str()).bind(&message.recipient)
            .bind(&message.subject).bind(&message.body).bind(message.due_at).bind($at)
            .execute(&mut *$tx).await?;
    }};
}

/// Within the transaction `$tx` (whose first statement wrote the session row), moves the earliest
/// waiting people into free seats and queues their messages; yields who was promoted.
macro_rules! promote_waiting {
    ($tx:ident, $session_id:expr, $composer:expr) => {{
        let session: LiveSession = sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions WHERE id = $1"))
            .bind($session_id).fetch_one(&mut *$tx).await?;
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM live_registrations WHERE session_id = $1 AND status IN ('confirmed', 'attended')")
            .bind($session_id).fetch_one(&mut *$tx).await?;
        let waiting: Vec<(Uuid, i64)> = sqlx::query_as(
            "SELECT user_id, position FROM live_registrations WHERE session_id = $1 AND status = 'waiting'")
            .bind($session_id).fetch_all(&mut *$tx).await?;
        let entries: Vec<WaitingEntry<Uuid>> =
            waiting.into_iter().map(|(id, position)| WaitingEntry { id, position }).collect();
        let promoted = if session.cancelled_at.is_some() || session.schedule().is_over(now()) {
            Vec::new()
        } else {
            to_promote(session.capacity, held, &entries)
        };
        let at = now();
        for user_id in &promoted {
            sqlx::query("UPDATE live_registrations SET status = $3, updated_at = $4 WHERE session_id = $1 AND user_id = $2 AND status = 'waiting'")
                .bind($session_id).bind(user_id).bind(Status::Confirmed.as_str()).bind(at).execute(&mut *$tx).await?;
            let to: Recipient = sqlx::query_as(
                "SELECT r.user_id, u.email, r.lang FROM live_registrations r JOIN users u ON u.id = r.user_id
                 WHERE r.session_id = $1 AND r.user_id = $2")
                .bind($session_id).bind(user_id).fetch_one(&mut *$tx).await?;
            for message in $composer.compose(&session, &to, Notice::Promoted, at) {
                insert_message!($tx, $session_id, message, at);
            }
        }
        promoted
    }};
}

impl Store {
    /// Changes a session; a larger capacity promotes people from the waiting list, and a new start
    /// time tells the people holding a seat and reschedules their reminders.
    pub async fn update_live_session(
        &self,
        actor: Option<Uuid>,
        id: Uuid,
        fields: &SessionFields,
        composer: &dyn Composer,
    ) -> Result<Vec<Uuid>, StoreError> {
        let (quiz_course, quiz_module, quiz_count) = split_quiz(fields);
        let at = now();
        let promoted = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE live_sessions SET registrations_changed_at = $2 WHERE id = $1")
                .bind(id).bind(at).execute(&mut *tx).await?;
            let before: Option<LiveSession> = sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions WHERE id = $1"))
                .bind(id).fetch_optional(&mut *tx).await?;
            sqlx::query(
                "UPDATE live_sessions SET audience = $2, programme = $3, part = $4, title_ja = $5, title_en = $6, description_ja = $7,
                   description_en = $8, instructor = $9, starts_at = $10, duration_minutes = $11, capacity = $12,
                   registration_deadline = $13, meeting_url = $14, attendance_keyword = $15, quiz_course = $16, quiz_module = $17,
                   quiz_count = $18, archive_url = $19, archive_public = $20, registrations_changed_at = $21 WHERE id = $1")
                .bind(id).bind(fields.audience.as_str()).bind(&fields.programme).bind(fields.part).bind(&fields.title.0).bind(&fields.title.1)
                .bind(&fields.description.0).bind(&fields.description.1).bind(&fields.instructor).bind(fields.starts_at)
                .bind(fields.duration_minutes).bind(fields.capacity).bind(fields.registration_deadline).bind(&fields.meeting_url)
                .bind(&fields.attendance_keyword).bind(quiz_course).bind(quiz_module).bind(quiz_count).bind(&fields.archive_url)
                .bind(fields.archive_public).bind(at).execute(&mut *tx).await?;
            if before.is_some_and(|b| b.starts_at != fields.starts_at && b.cancelled_at.is_none()) {
                sqlx::query("UPDATE live_messages SET status = 'withdrawn' WHERE session_id = $1 AND status = 'pending' AND kind IN ('reminder_24h', 'reminder_1h')")
                    .bind(id).execute(&mut *tx).await?;
                let session: LiveSession = sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions WHERE id = $1"))
                    .bind(id).fetch_one(&mut *tx).await?;
                let seated: Vec<Recipient> = sqlx::query_as("SELECT r.user_id, u.email, r.lang FROM live_registrations r JOIN users u ON u.id = r.user_id
                     WHERE r.session_id = $1 AND r.status = 'confirmed' ORDER BY r.position")
                    .bind(id).fetch_all(&mut *tx).await?;
                for to in &seated {
                    for message in composer.compose(&session, to, Notice::Rescheduled, at) {
                        insert_message!(tx, id, message, at);
                    }
                }
            }
            append_audit!(tx, session_event(actor, "live.session.update", id, fields))?;
            let promoted = promote_waiting!(tx, id, composer);
            tx.commit().await?;
            promoted
        });
        Ok(promoted)
    }

    /// Registers a person: a seat while there is one, else the waiting list. `lang` is the language
    /// their messages go out in.
    pub async fn register_live(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        lang: &str,
        composer: &dyn Composer,
    ) -> Result<Registered, StoreError> {
        let at = now();
        let outcome = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let locked = sqlx::query("UPDATE live_sessions SET registrations_changed_at = $2 WHERE id = $1 AND cancelled_at IS NULL")
                .bind(session_id).bind(at).execute(&mut *tx).await?.rows_affected();
            if locked == 0 {
                return Ok(Registered::Unavailable);
            }
            let existing: Option<String> = sqlx::query_scalar("SELECT status FROM live_registrations WHERE session_id = $1 AND user_id = $2")
                .bind(session_id).bind(user_id).fetch_optional(&mut *tx).await?;
            match existing.as_deref().and_then(Status::parse) {
                Some(Status::Cancelled) | None => {}
                Some(current) => return Ok(Registered::Already(current)),
            }
            let session: LiveSession = sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions WHERE id = $1"))
                .bind(session_id).fetch_one(&mut *tx).await?;
            let (held, waiting, last): (i64, i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN status IN ('confirmed', 'attended') THEN 1 ELSE 0 END), 0),
                        COALESCE(SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END), 0),
                        COALESCE(MAX(position), 0)
                 FROM live_registrations WHERE session_id = $1")
                .bind(session_id).fetch_one(&mut *tx).await?;
            let status = seat_for(held, waiting, session.capacity);
            sqlx::query(
                "INSERT INTO live_registrations (session_id, user_id, status, position, lang, registered_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)
                 ON CONFLICT (session_id, user_id) DO UPDATE SET status = excluded.status, position = excluded.position,
                   lang = excluded.lang, registered_at = excluded.registered_at, updated_at = excluded.updated_at,
                   attended_at = NULL, attendance_mode = NULL, attendance_by = NULL")
                .bind(session_id).bind(user_id).bind(status.as_str()).bind(last + 1).bind(lang).bind(at)
                .execute(&mut *tx).await?;
            let notice = if status == Status::Confirmed { Notice::Confirmed } else { Notice::Waiting };
            let to: Recipient = sqlx::query_as("SELECT r.user_id, u.email, r.lang FROM live_registrations r JOIN users u ON u.id = r.user_id
                 WHERE r.session_id = $1 AND r.user_id = $2")
                .bind(session_id).bind(user_id).fetch_one(&mut *tx).await?;
            for message in composer.compose(&session, &to, notice, at) {
                insert_message!(tx, session_id, message, at);
            }
            tx.commit().await?;
            Registered::New(status)
        });
        Ok(outcome)
    }

    /// Withdraws a person's registration: their pending reminders are withdrawn, and a freed seat goes
    /// to the earliest on the waiting list. Returns whether anything changed, and who was promoted.
    pub async fn cancel_live_registration(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        composer: &dyn Composer,
    ) -> Result<(bool, Vec<Uuid>), StoreError> {
        let at = now();
        let outcome = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE live_sessions SET registrations_changed_at = $2 WHERE id = $1")
                .bind(session_id).bind(at).execute(&mut *tx).await?;
            let current: Option<String> = sqlx::query_scalar("SELECT status FROM live_registrations WHERE session_id = $1 AND user_id = $2")
                .bind(session_id).bind(user_id).fetch_optional(&mut *tx).await?;
            let Some(next) = current.as_deref().and_then(Status::parse).and_then(|s| s.on(Event::Cancel).ok()) else {
                return Ok((false, Vec::new()));
            };
            sqlx::query("UPDATE live_registrations SET status = $3, updated_at = $4 WHERE session_id = $1 AND user_id = $2")
                .bind(session_id).bind(user_id).bind(next.as_str()).bind(at).execute(&mut *tx).await?;
            sqlx::query("UPDATE live_messages SET status = 'withdrawn' WHERE session_id = $1 AND user_id = $2 AND status = 'pending'")
                .bind(session_id).bind(user_id).execute(&mut *tx).await?;
            let promoted = promote_waiting!(tx, session_id, composer);
            tx.commit().await?;
            (true, promoted)
        });
        Ok(outcome)
    }

    /// Cancels a session (by the administrator `actor`, recorded in the audit trail): everyone
    /// registered is told, and their pending reminders are withdrawn. Returns how many people were
    /// told; a session already cancelled changes nothing.
    pub async fn cancel_live_session(
        &self,
        session_id: Uuid,
        actor: Uuid,
        composer: &dyn Composer,
    ) -> Result<usize, StoreError> {
        let at = now();
        let told = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE live_sessions SET cancelled_at = $2, registrations_changed_at = $2 WHERE id = $1 AND cancelled_at IS NULL")
                .bind(session_id).bind(at).execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(0);
            }
            let session: LiveSession = sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions WHERE id = $1"))
                .bind(session_id).fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE live_messages SET status = 'withdrawn' WHERE session_id = $1 AND status = 'pending'")
                .bind(session_id).execute(&mut *tx).await?;
            let people: Vec<Recipient> = sqlx::query_as("SELECT r.user_id, u.email, r.lang FROM live_registrations r JOIN users u ON u.id = r.user_id
                 WHERE r.session_id = $1 AND r.status IN ('confirmed', 'waiting') ORDER BY r.position")
                .bind(session_id).fetch_all(&mut *tx).await?;
            for to in &people {
                for message in composer.compose(&session, to, Notice::SessionCancelled, at) {
                    insert_message!(tx, session_id, message, at);
                }
            }
            append_audit!(tx, AuditEvent {
                actor: Some(actor),
                organization: None,
                action: "live.session.cancel",
                subject: format!("live:{session_id}"),
                detail: serde_json::json!({ "title": session.title_ja, "starts_at": session.starts_at.unix_timestamp(), "told": people.len() }),
            })?;
            tx.commit().await?;
            people.len()
        });
        Ok(told)
    }
}
