//! Live training sessions: the sessions, and registrations with a waiting list that can never be
//! overbooked.
//!
//! Every change to a session's registrations runs in one transaction that first writes the session
//! row (`registrations_changed_at`). On PostgreSQL that write takes the row lock, as `SELECT … FOR
//! UPDATE` would, so concurrent registrations for one session queue behind each other; on SQLite a
//! transaction whose first statement writes takes the database's single write lock before it reads
//! anything. Either way the seat count read next cannot change before the transaction commits.

use mist_core::Audience;
use mist_core::live::{Event, Schedule, Status, WaitingEntry, seat_for, to_promote};
use serde::Serialize;
use sqlx::FromRow;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{Store, StoreError, execute, now, on_pool};

pub mod messages;
pub mod records;

pub use messages::{Composer, MessageKind, NewMessage, Notice, Recipient};

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct LiveSession {
    /// Identifier.
    pub id: Uuid,
    /// The tier it is for (`executive`, `administrator`, `staff`).
    pub audience: String,
    /// Sessions of one programme share this name.
    pub programme: Option<String>,
    /// 第N回 of a numbered series of different content; `None` for one date of repeated content.
    pub part: Option<i64>,
    /// Title in Japanese.
    pub title_ja: String,
    /// Title in English.
    pub title_en: String,
    /// Description in Japanese.
    pub description_ja: String,
    /// Description in English.
    pub description_en: String,
    /// Who teaches it.
    pub instructor: String,
    /// Start, UTC.
    pub starts_at: OffsetDateTime,
    /// Length in minutes.
    pub duration_minutes: i64,
    /// Seats.
    pub capacity: i64,
    /// Registration closes at this instant.
    pub registration_deadline: OffsetDateTime,
    /// The video-meeting link, for people holding a seat only.
    pub meeting_url: String,
    /// The word the instructor gives during the session for attendance.
    pub attendance_keyword: Option<String>,
    /// Comprehension check: the course of the built-in module whose pool is used.
    pub quiz_course: Option<String>,
    /// Comprehension check: the module.
    pub quiz_module: Option<String>,
    /// Comprehension check: questions drawn.
    pub quiz_count: Option<i64>,
    /// Recording of the session, set afterwards.
    pub archive_url: Option<String>,
    /// Whether every signed-in person may watch the recording (else registered people only).
    pub archive_public: bool,
    /// When the administrators cancelled it.
    pub cancelled_at: Option<OffsetDateTime>,
}

/// The columns of [`LiveSession`], as a literal for `concat!`.
macro_rules! session_columns {
    () => {
        "id, audience, programme, part, title_ja, title_en, description_ja, description_en, instructor, starts_at,
         duration_minutes, capacity, registration_deadline, meeting_url, attendance_keyword, quiz_course, quiz_module,
         quiz_count, archive_url, archive_public, cancelled_at"
    };
}

impl LiveSession {
    /// The tier.
    pub fn audience(&self) -> Option<Audience> {
        Audience::parse(&self.audience)
    }

    /// When it takes place and until when people may register.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            starts_at: self.starts_at,
            duration: Duration::minutes(self.duration_minutes),
            registration_deadline: self.registration_deadline,
        }
    }

    /// Whether it has a comprehension check.
    pub fn has_quiz(&self) -> bool {
        self.quiz_course.is_some() && self.quiz_module.is_some()
    }
}

/// What administrators set on a session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFields {
    /// The tier.
    pub audience: Audience,
    /// Programme name.
    pub programme: Option<String>,
    /// 第N回.
    pub part: Option<i64>,
    /// Title (Japanese, English).
    pub title: (String, String),
    /// Description (Japanese, English).
    pub description: (String, String),
    /// Instructor.
    pub instructor: String,
    /// Start, UTC at whole seconds.
    pub starts_at: OffsetDateTime,
    /// Length in minutes.
    pub duration_minutes: i64,
    /// Seats.
    pub capacity: i64,
    /// Registration deadline, UTC at whole seconds.
    pub registration_deadline: OffsetDateTime,
    /// Meeting link.
    pub meeting_url: String,
    /// Attendance keyword.
    pub attendance_keyword: Option<String>,
    /// Comprehension check: (course slug, module slug, questions drawn).
    pub quiz: Option<(String, String, i64)>,
    /// Recording link.
    pub archive_url: Option<String>,
    /// Recording open to every signed-in person.
    pub archive_public: bool,
}

/// Seats held and people waiting, per session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeatCount {
    /// Confirmed or attended.
    pub held: i64,
    /// On the waiting list.
    pub waiting: i64,
}

/// The result of a registration attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// A new registration with this status.
    New(Status),
    /// The person already had a live registration.
    Already(Status),
    /// No such session, or it was cancelled.
    Unavailable,
}

/// A person's registration, for rosters and pages.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct Registration {
    /// The person.
    pub user_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Their address.
    pub email: String,
    /// Their organization.
    pub organization_id: Option<Uuid>,
    /// `confirmed`, `waiting`, `cancelled` or `attended`.
    pub status: String,
    /// Registration order.
    pub position: i64,
    /// How attendance was recorded (`keyword`, `manager`).
    pub attendance_mode: Option<String>,
}

impl Registration {
    /// The status as the domain type.
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.status)
    }
}

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
    /// Creates a session.
    pub async fn create_live_session(&self, fields: &SessionFields) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        let (quiz_course, quiz_module, quiz_count) = split_quiz(fields);
        execute!(self, sqlx::query(
            "INSERT INTO live_sessions (id, audience, programme, part, title_ja, title_en, description_ja, description_en, instructor,
               starts_at, duration_minutes, capacity, registration_deadline, meeting_url, attendance_keyword, quiz_course, quiz_module,
               quiz_count, archive_url, archive_public, registrations_changed_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)")
            .bind(id).bind(fields.audience.as_str()).bind(&fields.programme).bind(fields.part).bind(&fields.title.0).bind(&fields.title.1)
            .bind(&fields.description.0).bind(&fields.description.1).bind(&fields.instructor).bind(fields.starts_at)
            .bind(fields.duration_minutes).bind(fields.capacity).bind(fields.registration_deadline).bind(&fields.meeting_url)
            .bind(&fields.attendance_keyword).bind(quiz_course).bind(quiz_module).bind(quiz_count).bind(&fields.archive_url)
            .bind(fields.archive_public).bind(now()))?;
        Ok(id)
    }

    /// A session by id.
    pub async fn live_session(&self, id: Uuid) -> Result<Option<LiveSession>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions WHERE id = $1"))
            .bind(id).fetch_optional(pool).await?),
        )
    }

    /// Every session, in start order.
    pub async fn live_sessions(&self) -> Result<Vec<LiveSession>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", session_columns!(), " FROM live_sessions ORDER BY starts_at, part, id"))
            .fetch_all(pool).await?),
        )
    }

    /// Seats held and people waiting, per session.
    pub async fn live_seat_counts(&self) -> Result<Vec<(Uuid, SeatCount)>, StoreError> {
        let rows: Vec<(Uuid, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT session_id, status, COUNT(*) FROM live_registrations GROUP BY session_id, status")
            .fetch_all(pool).await?);
        let mut counts: Vec<(Uuid, SeatCount)> = Vec::new();
        for (session, status, n) in rows {
            let index = match counts.iter().position(|(s, _)| *s == session) {
                Some(i) => i,
                None => {
                    counts.push((session, SeatCount::default()));
                    counts.len() - 1
                }
            };
            if let Some((_, count)) = counts.get_mut(index) {
                match Status::parse(&status) {
                    Some(s) if s.holds_seat() => count.held += n,
                    Some(Status::Waiting) => count.waiting += n,
                    _ => {}
                }
            }
        }
        Ok(counts)
    }

    /// Changes a session; a larger capacity promotes people from the waiting list.
    pub async fn update_live_session(
        &self,
        id: Uuid,
        fields: &SessionFields,
        composer: &dyn Composer,
    ) -> Result<Vec<Uuid>, StoreError> {
        let (quiz_course, quiz_module, quiz_count) = split_quiz(fields);
        let promoted = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE live_sessions SET audience = $2, programme = $3, part = $4, title_ja = $5, title_en = $6, description_ja = $7,
                   description_en = $8, instructor = $9, starts_at = $10, duration_minutes = $11, capacity = $12,
                   registration_deadline = $13, meeting_url = $14, attendance_keyword = $15, quiz_course = $16, quiz_module = $17,
                   quiz_count = $18, archive_url = $19, archive_public = $20, registrations_changed_at = $21 WHERE id = $1")
                .bind(id).bind(fields.audience.as_str()).bind(&fields.programme).bind(fields.part).bind(&fields.title.0).bind(&fields.title.1)
                .bind(&fields.description.0).bind(&fields.description.1).bind(&fields.instructor).bind(fields.starts_at)
                .bind(fields.duration_minutes).bind(fields.capacity).bind(fields.registration_deadline).bind(&fields.meeting_url)
                .bind(&fields.attendance_keyword).bind(quiz_course).bind(quiz_module).bind(quiz_count).bind(&fields.archive_url)
                .bind(fields.archive_public).bind(now()).execute(&mut *tx).await?;
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

    /// Cancels a session: everyone registered is told, and their pending reminders are withdrawn.
    /// Returns how many people were told; a session already cancelled changes nothing.
    pub async fn cancel_live_session(
        &self,
        session_id: Uuid,
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
            tx.commit().await?;
            people.len()
        });
        Ok(told)
    }

    /// A person's registration status for a session.
    pub async fn live_status(
        &self,
        session_id: Uuid,
        user_id: Uuid,
    ) -> Result<Option<Status>, StoreError> {
        let status: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT status FROM live_registrations WHERE session_id = $1 AND user_id = $2")
            .bind(session_id).bind(user_id).fetch_optional(pool).await?);
        Ok(status.as_deref().and_then(Status::parse))
    }

    /// A person's registrations: (session, status).
    pub async fn live_registrations_of(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<(Uuid, Status)>, StoreError> {
        let rows: Vec<(Uuid, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT session_id, status FROM live_registrations WHERE user_id = $1")
            .bind(user_id).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .filter_map(|(s, status)| Some((s, Status::parse(&status)?)))
            .collect())
    }

    /// A session's registrations in registration order; only one organization's when given.
    pub async fn live_roster(
        &self,
        session_id: Uuid,
        organization_id: Option<Uuid>,
    ) -> Result<Vec<Registration>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT r.user_id, u.display_name, u.email, u.organization_id, r.status, r.position, r.attendance_mode
             FROM live_registrations r JOIN users u ON u.id = r.user_id
             WHERE r.session_id = $1 AND ($2 IS NULL OR u.organization_id = $2) ORDER BY r.position")
            .bind(session_id).bind(organization_id).fetch_all(pool).await?))
    }
}

fn split_quiz(fields: &SessionFields) -> (Option<&str>, Option<&str>, Option<i64>) {
    match &fields.quiz {
        Some((course, module, count)) => (Some(course), Some(module), Some(*count)),
        None => (None, None, None),
    }
}
