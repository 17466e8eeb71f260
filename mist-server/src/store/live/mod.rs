//! Live training sessions: the sessions, and registrations with a waiting list that can never be
//! overbooked.
//!
//! Every change to a session's registrations runs in one transaction that first writes the session
//! row (`registrations_changed_at`). On PostgreSQL that write takes the row lock, as `SELECT … FOR
//! UPDATE` would, so concurrent registrations for one session queue behind each other; on SQLite a
//! transaction whose first statement writes takes the database's single write lock before it reads
//! anything. Either way the seat count read next cannot change before the transaction commits.

use std::collections::HashMap;

use mist_core::Audience;
use mist_core::live::{Schedule, Status};
use serde::Serialize;
use sqlx::FromRow;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::{Store, StoreError, now, on_pool};

/// The columns of [`LiveSession`], as a literal for `concat!`.
macro_rules! session_columns {
    () => {
        "id, audience, programme, part, title_ja, title_en, description_ja, description_en, instructor, starts_at,
         duration_minutes, capacity, registration_deadline, meeting_url, attendance_keyword, quiz_course, quiz_module,
         quiz_count, archive_url, archive_public, cancelled_at"
    };
}

/// Seats held (confirmed or attended) and people waiting, per session, as a literal for `concat!`.
macro_rules! seat_count_sql {
    () => {
        "SELECT session_id, SUM(CASE WHEN status IN ('confirmed', 'attended') THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END) FROM live_registrations"
    };
}

pub mod messages;
pub mod records;
mod registrations;

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

impl Store {
    /// Creates a session; `actor` (the administrator, or `None` for the demo data) goes into the audit
    /// trail with it.
    pub async fn create_live_session(
        &self,
        actor: Option<Uuid>,
        fields: &SessionFields,
    ) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        let (quiz_course, quiz_module, quiz_count) = split_quiz(fields);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO live_sessions (id, audience, programme, part, title_ja, title_en, description_ja, description_en, instructor,
                   starts_at, duration_minutes, capacity, registration_deadline, meeting_url, attendance_keyword, quiz_course, quiz_module,
                   quiz_count, archive_url, archive_public, registrations_changed_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)")
                .bind(id).bind(fields.audience.as_str()).bind(&fields.programme).bind(fields.part).bind(&fields.title.0).bind(&fields.title.1)
                .bind(&fields.description.0).bind(&fields.description.1).bind(&fields.instructor).bind(fields.starts_at)
                .bind(fields.duration_minutes).bind(fields.capacity).bind(fields.registration_deadline).bind(&fields.meeting_url)
                .bind(&fields.attendance_keyword).bind(quiz_course).bind(quiz_module).bind(quiz_count).bind(&fields.archive_url)
                .bind(fields.archive_public).bind(now()).execute(&mut *tx).await?;
            append_audit!(tx, session_event(actor, "live.session.create", id, fields))?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
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

    /// Seats held and people waiting, per session (sessions without registrations are absent).
    pub async fn live_seat_counts(&self) -> Result<HashMap<Uuid, SeatCount>, StoreError> {
        let rows: Vec<(Uuid, i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            concat!(seat_count_sql!(), " GROUP BY session_id")).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, held, waiting)| (id, SeatCount { held, waiting }))
            .collect())
    }

    /// Seats held and people waiting for one session.
    pub async fn live_seat_count(&self, session_id: Uuid) -> Result<SeatCount, StoreError> {
        let row: Option<(Uuid, i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            concat!(seat_count_sql!(), " WHERE session_id = $1 GROUP BY session_id"))
            .bind(session_id).fetch_optional(pool).await?);
        Ok(
            row.map_or_else(SeatCount::default, |(_, held, waiting)| SeatCount {
                held,
                waiting,
            }),
        )
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

/// The audit record of an administrator's change to a session.
fn session_event<'a>(
    actor: Option<Uuid>,
    action: &'a str,
    id: Uuid,
    fields: &SessionFields,
) -> AuditEvent<'a> {
    AuditEvent {
        actor,
        organization: None,
        action,
        subject: format!("live:{id}"),
        detail: serde_json::json!({
            "title": fields.title.0, "starts_at": fields.starts_at.unix_timestamp(), "capacity": fields.capacity,
            "meeting_url": fields.meeting_url, "archive_url": fields.archive_url, "archive_public": fields.archive_public,
        }),
    }
}

fn split_quiz(fields: &SessionFields) -> (Option<&str>, Option<&str>, Option<i64>) {
    match &fields.quiz {
        Some((course, module, count)) => (Some(course), Some(module), Some(*count)),
        None => (None, None, None),
    }
}
