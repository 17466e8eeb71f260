//! Incident tickets of the consultation desk and their timeline. Every change of a ticket is written
//! together with its timeline entry and its audit record, in one transaction.

use serde::Serialize;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::{Store, StoreError, now, on_pool};

/// Who changed a ticket and how: the audit record written in the change's own transaction.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// Who (none: the reporter through the follow-up link, or an anonymous report).
    pub actor: Option<Uuid>,
    /// The dotted verb, `incident.status` …
    pub action: &'a str,
    /// Further facts.
    pub detail: serde_json::Value,
}

/// A ticket as stored, with its assignee's name.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Incident {
    /// Identifier.
    pub id: Uuid,
    /// Human-readable number, `INC-2026-000123`.
    pub number: String,
    /// The reporting organization, when known.
    pub organization_id: Option<Uuid>,
    /// The signed-in person who filed it, if any.
    pub reporter_id: Option<Uuid>,
    /// Stored name of the status (see `mist_core::incident::Status`).
    pub status: String,
    /// The reporter's own urgency.
    pub urgency: String,
    /// The desk's triage level, once set.
    pub triage: Option<String>,
    /// The responder in charge.
    pub assigned_to: Option<Uuid>,
    /// Their name.
    pub assignee_name: Option<String>,
    /// Facility name as reported.
    pub facility_name: String,
    /// The answer on a personal-data leak (`suspected`, `not_suspected`, `unknown`).
    pub leak: String,
    /// Whether the desk judged the leak likely caused with improper intent.
    pub improper_intent: bool,
    /// When the reporter first observed it.
    pub discovered_at: OffsetDateTime,
    /// Every intake field, JSON.
    pub intake: String,
    /// The outcome summary, once closed.
    pub summary: Option<String>,
    /// When it was filed.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// The columns of [`Incident`], as a literal for `concat!`.
macro_rules! incident_columns {
    () => {
        "i.id, i.number, i.organization_id, i.reporter_id, i.status, i.urgency, i.triage, i.assigned_to, \
         a.display_name AS assignee_name, i.facility_name, i.leak, i.improper_intent, i.discovered_at, \
         i.intake, i.summary, i.created_at, i.updated_at \
         FROM incidents i LEFT JOIN users a ON a.id = i.assigned_to"
    };
}

/// Appends the audit record of a [`Change`] to ticket `$incident` inside a transaction (subject
/// `incident:NUMBER`, organization as the ticket has it now).
macro_rules! audit_change {
    ($tx:expr, $incident:expr, $change:expr) => {{
        let (number, organization): (String, Option<Uuid>) =
            sqlx::query_as("SELECT number, organization_id FROM incidents WHERE id = $1")
                .bind($incident)
                .fetch_one(&mut *$tx)
                .await?;
        let change: &Change<'_> = $change;
        append_audit!(
            $tx,
            AuditEvent {
                actor: change.actor,
                organization,
                action: change.action,
                subject: format!("incident:{number}"),
                detail: change.detail.clone(),
            }
        )?;
    }};
}
pub(crate) use audit_change;

/// Appends a timeline entry inside a transaction.
macro_rules! log_event {
    ($tx:expr, $incident:expr, $author:expr, $kind:expr, $body:expr) => {
        sqlx::query(
            "INSERT INTO incident_events (incident_id, author_id, kind, body, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($incident)
        .bind($author)
        .bind($kind)
        .bind($body)
        .bind(now())
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use log_event;

/// The fields of a new ticket.
#[derive(Debug, Clone)]
pub struct NewIncident<'a> {
    /// The reporting organization (the signed-in reporter's), if any.
    pub organization_id: Option<Uuid>,
    /// The signed-in reporter, if any.
    pub reporter_id: Option<Uuid>,
    /// Hash of the follow-up link's token.
    pub followup_token_hash: &'a str,
    /// The reporter's urgency.
    pub urgency: &'a str,
    /// Its sort rank (0 most urgent).
    pub urgency_rank: i64,
    /// Facility name.
    pub facility_name: &'a str,
    /// Leak answer.
    pub leak: &'a str,
    /// First observed.
    pub discovered_at: OffsetDateTime,
    /// Every intake field, JSON.
    pub intake: &'a str,
}

/// The intake part of a ticket, as the reporter updates it.
#[derive(Debug, Clone)]
pub struct IntakeUpdate<'a> {
    /// Facility name.
    pub facility_name: &'a str,
    /// The reporter's urgency.
    pub urgency: &'a str,
    /// Its sort rank.
    pub urgency_rank: i64,
    /// Leak answer.
    pub leak: &'a str,
    /// First observed.
    pub discovered_at: OffsetDateTime,
    /// Every intake field, JSON.
    pub intake: &'a str,
}

/// The triage queue's filters.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// `open` (all but closed), `all`, or one stored status name.
    pub status: String,
    /// Only this triage rank (the desk's level when set, else the reporter's).
    pub rank: Option<i64>,
    /// Only tickets nobody is assigned to.
    pub unassigned: bool,
}

/// One entry of a ticket's timeline.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct IncidentEvent {
    /// `filed`, `intake`, `note`, `phone`, `email`, `onsite`, `status`, `assignment`, …
    pub kind: String,
    /// What happened, in the author's words or a short generated line.
    pub body: String,
    /// Who (none: the reporter through the follow-up link, or an anonymous report).
    pub author_name: Option<String>,
    /// When.
    pub at: OffsetDateTime,
}

impl Store {
    /// Files a ticket under the next number of the JST year (`INC-2026-000123`). The yearly counter is
    /// bumped by one atomic upsert in the same transaction, so concurrent reports never share a number.
    pub async fn create_incident(&self, new: &NewIncident<'_>) -> Result<Incident, StoreError> {
        let id = Uuid::new_v4();
        let at = now();
        let year = i64::from(at.to_offset(mist_core::incident::JST).year());
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO incident_counters (year, last) VALUES ($1, 1)
                 ON CONFLICT (year) DO UPDATE SET last = incident_counters.last + 1 RETURNING last")
                .bind(year).fetch_one(&mut *tx).await?;
            let number = format!("INC-{year}-{last:06}");
            sqlx::query(
                "INSERT INTO incidents (id, number, organization_id, reporter_id, followup_token_hash, status, urgency,
                     triage_rank, facility_name, leak, improper_intent, discovered_at, intake, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9, $10, $11, $12, $13, $13)")
                .bind(id).bind(&number).bind(new.organization_id).bind(new.reporter_id).bind(new.followup_token_hash)
                .bind(new.urgency).bind(new.urgency_rank).bind(new.facility_name).bind(new.leak).bind(false)
                .bind(new.discovered_at).bind(new.intake).bind(at)
                .execute(&mut *tx).await?;
            log_event!(tx, id, new.reporter_id, "filed", new.urgency);
            let change = Change { actor: new.reporter_id, action: "incident.create", detail: serde_json::json!({ "urgency": new.urgency }) };
            audit_change!(tx, id, &change);
            tx.commit().await?;
        });
        self.incident(id)
            .await?
            .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))
    }

    /// A ticket by id.
    pub async fn incident(&self, id: Uuid) -> Result<Option<Incident>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", incident_columns!(), " WHERE i.id = $1"))
            .bind(id).fetch_optional(pool).await?),
        )
    }

    /// A ticket by its number.
    pub async fn incident_by_number(&self, number: &str) -> Result<Option<Incident>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", incident_columns!(), " WHERE i.number = $1"))
            .bind(number).fetch_optional(pool).await?),
        )
    }

    /// The ticket a follow-up link's token (hash) belongs to.
    pub async fn incident_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Incident>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", incident_columns!(), " WHERE i.followup_token_hash = $1"))
            .bind(token_hash).fetch_optional(pool).await?),
        )
    }

    /// An organization's tickets, newest first.
    pub async fn organization_incidents(
        &self,
        organization_id: Uuid,
    ) -> Result<Vec<Incident>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", incident_columns!(),
            " WHERE i.organization_id = $1 ORDER BY i.created_at DESC, i.number DESC"))
            .bind(organization_id).fetch_all(pool).await?),
        )
    }

    /// The triage queue: most urgent first (the desk's level when set, else the reporter's), then
    /// oldest first.
    pub async fn incident_queue(&self, filter: &QueueFilter) -> Result<Vec<Incident>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", incident_columns!(),
            " WHERE ($1 = 'all' OR ($1 = 'open' AND i.status <> 'closed') OR i.status = $1)
                AND ($2 IS NULL OR i.triage_rank = $2)
                AND ($3 = FALSE OR i.assigned_to IS NULL)
              ORDER BY i.triage_rank, i.created_at, i.number"))
            .bind(&filter.status).bind(filter.rank).bind(filter.unassigned).fetch_all(pool).await?),
        )
    }

    /// Replaces the intake part; the queue follows a new urgency unless the desk has triaged.
    pub async fn update_intake(
        &self,
        id: Uuid,
        update: &IntakeUpdate<'_>,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE incidents SET facility_name = $2, urgency = $3, leak = $4, discovered_at = $5, intake = $6,
                     triage_rank = CASE WHEN triage IS NULL THEN $7 ELSE triage_rank END, updated_at = $8
                 WHERE id = $1")
                .bind(id).bind(update.facility_name).bind(update.urgency).bind(update.leak)
                .bind(update.discovered_at).bind(update.intake).bind(update.urgency_rank).bind(now())
                .execute(&mut *tx).await?;
            log_event!(tx, id, change.actor, "intake", "");
            audit_change!(tx, id, change);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves a ticket from `from` to `to` (checked by the caller against the flow); `false` when the
    /// ticket was no longer in `from` (someone else moved it first).
    pub async fn set_incident_status(
        &self,
        id: Uuid,
        from: &str,
        to: &str,
        summary: Option<&str>,
        note: &str,
        change: &Change<'_>,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE incidents SET status = $3, summary = COALESCE($4, summary), updated_at = $5
                 WHERE id = $1 AND status = $2")
                .bind(id).bind(from).bind(to).bind(summary).bind(now())
                .execute(&mut *tx).await?.rows_affected() == 1;
            if changed {
                log_event!(tx, id, change.actor, "status", format!("{from} → {to}\n{note}").trim_end());
                audit_change!(tx, id, change);
            }
            tx.commit().await?;
            changed
        }))
    }

    /// Assigns a responder (or nobody).
    pub async fn assign_incident(
        &self,
        id: Uuid,
        assignee: Option<Uuid>,
        line: &str,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE incidents SET assigned_to = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(assignee).bind(now()).execute(&mut *tx).await?;
            log_event!(tx, id, change.actor, "assignment", line);
            audit_change!(tx, id, change);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets the desk's triage level and whether a leak was likely caused with improper intent.
    pub async fn triage_incident(
        &self,
        id: Uuid,
        level: &str,
        rank: i64,
        improper_intent: bool,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE incidents SET triage = $2, triage_rank = $3, improper_intent = $4, updated_at = $5 WHERE id = $1")
                .bind(id).bind(level).bind(rank).bind(improper_intent).bind(now()).execute(&mut *tx).await?;
            let line = if improper_intent { format!("{level} (improper_intent)") } else { level.to_owned() };
            log_event!(tx, id, change.actor, "triage", line);
            audit_change!(tx, id, change);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Attaches a ticket to an organization (an anonymous report whose facility the desk identified).
    pub async fn set_incident_organization(
        &self,
        id: Uuid,
        organization: Option<Uuid>,
        line: &str,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE incidents SET organization_id = $2, updated_at = $3 WHERE id = $1")
                .bind(id).bind(organization).bind(now()).execute(&mut *tx).await?;
            log_event!(tx, id, change.actor, "organization", line);
            audit_change!(tx, id, change);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a timeline entry: a note or a contact (`note`, `phone`, `email`, `onsite`).
    pub async fn add_incident_event(
        &self,
        id: Uuid,
        kind: &str,
        body: &str,
        change: &Change<'_>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            log_event!(tx, id, change.actor, kind, body);
            audit_change!(tx, id, change);
            sqlx::query("UPDATE incidents SET updated_at = $2 WHERE id = $1").bind(id).bind(now()).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A ticket's timeline, oldest first.
    pub async fn incident_events(&self, id: Uuid) -> Result<Vec<IncidentEvent>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT e.kind, e.body, u.display_name AS author_name, e.at
             FROM incident_events e LEFT JOIN users u ON u.id = e.author_id
             WHERE e.incident_id = $1 ORDER BY e.id")
            .bind(id).fetch_all(pool).await?))
    }
}
