//! The audit trail: append-only (triggers refuse UPDATE and DELETE) and hash-chained (mist-core's
//! `audit` module), so that a changed, removed or reordered record is found by `mist audit verify`.

use futures_util::TryStreamExt;
use mist_core::audit::{AuditRecord, ChainBreak, ChainVerifier};
use sqlx::FromRow;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{Store, StoreError, now, on_pool};

/// Something worth keeping evidence of.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// Who acted; `None` for the system or an anonymous visitor.
    pub actor: Option<Uuid>,
    /// Whose data it concerns.
    pub organization: Option<Uuid>,
    /// A dotted verb: `certificate.issue`, `roster.import`, `incident.view` …
    pub action: &'a str,
    /// What it was done to: `certificate:CODE`, `incident:INC-…` …
    pub subject: String,
    /// Further facts.
    pub detail: serde_json::Value,
}

/// The outcome of checking the whole trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    /// Every record links to the one before and matches its hash; this many were checked.
    Intact(i64),
    /// The first place where the chain breaks.
    Broken(ChainBreak),
}

#[derive(FromRow)]
struct AuditRow {
    seq: i64,
    at: OffsetDateTime,
    actor: Option<Uuid>,
    organization_id: Option<Uuid>,
    action: String,
    subject: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    fn into_record(self) -> AuditRecord {
        AuditRecord {
            seq: self.seq,
            at: rfc3339(self.at),
            actor: self.actor,
            organization: self.organization_id,
            action: self.action,
            subject: self.subject,
            detail: self.detail,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// Formats a stored (whole-second, UTC) time the way the chain hashes it.
fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// The sealed record that follows the head `(prev_seq, prev_hash)`, and the time to store with it.
pub(crate) fn seal(
    event: AuditEvent<'_>,
    prev_seq: i64,
    prev_hash: &str,
) -> Result<(AuditRecord, OffsetDateTime), StoreError> {
    let at = now();
    let record = AuditRecord {
        seq: 0,
        at: rfc3339(at),
        actor: event.actor,
        organization: event.organization,
        action: event.action.to_owned(),
        subject: event.subject,
        detail: serde_json::to_string(&event.detail)?,
        prev_hash: String::new(),
        hash: String::new(),
    }
    .seal(Some((prev_seq, prev_hash)));
    Ok((record, at))
}

/// Appends an [`AuditEvent`] inside an open transaction `$tx` (either backend), so that the event and
/// its record are stored together or not at all. Evaluates to `Result<i64, StoreError>`: the record's
/// sequence number. Writers are serialized by the head row, which is locked before it is read, so the
/// chain has no gaps or forks even with several servers on one database.
macro_rules! append_audit {
    ($tx:expr, $event:expr) => {
        async {
            let (prev_seq, prev_hash): (i64, String) =
                sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                    .fetch_one(&mut *$tx)
                    .await?;
            let (record, at) = $crate::store::audit::seal($event, prev_seq, &prev_hash)?;
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, organization_id, action, subject, detail, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(record.seq)
            .bind(at)
            .bind(record.actor)
            .bind(record.organization)
            .bind(&record.action)
            .bind(&record.subject)
            .bind(&record.detail)
            .bind(&record.prev_hash)
            .bind(&record.hash)
            .execute(&mut *$tx)
            .await?;
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(record.seq)
                .bind(&record.hash)
                .execute(&mut *$tx)
                .await?;
            Ok::<i64, $crate::store::StoreError>(record.seq)
        }
        .await
    };
}
pub(crate) use append_audit;

impl Store {
    /// Appends an event to the trail on its own and returns its sequence number.
    pub async fn audit(&self, event: AuditEvent<'_>) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let seq = append_audit!(tx, event)?;
            tx.commit().await?;
            Ok(seq)
        })
    }

    /// Checks the whole trail in order, in constant memory.
    pub async fn verify_audit(&self) -> Result<AuditVerification, StoreError> {
        const ALL: &str =
            "SELECT seq, at, actor, organization_id, action, subject, detail, prev_hash, hash
                           FROM audit_log ORDER BY seq";
        let mut verifier = ChainVerifier::default();
        let head: (i64, String) = on_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, AuditRow>(ALL).fetch(pool);
            while let Some(row) = rows.try_next().await? {
                if let Err(broken) = verifier.push(&row.into_record()) {
                    return Ok(AuditVerification::Broken(broken));
                }
            }
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?
        });
        Ok(match verifier.finish(Some((head.0, &head.1))) {
            Ok(count) => AuditVerification::Intact(count),
            Err(broken) => AuditVerification::Broken(broken),
        })
    }

    /// The newest records about one subject (oldest first), for a timeline of who saw and changed it.
    pub async fn audit_trail_of(
        &self,
        subject: &str,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let rows: Vec<AuditRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, at, actor, organization_id, action, subject, detail, prev_hash, hash
             FROM (SELECT * FROM audit_log WHERE subject = $1 ORDER BY seq DESC LIMIT $2) AS newest ORDER BY seq")
            .bind(subject).bind(limit).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(AuditRow::into_record).collect())
    }
}
