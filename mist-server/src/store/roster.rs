//! The staff roster (keyed by organization and staff ID) and external training evidence.

use std::collections::HashMap;

use mist_core::Audience;
use mist_core::compliance::{DeliveryMode, EmploymentType, RosterEntry, StaffRecord};
use mist_core::fiscal::FiscalYear;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::{Store, StoreError, now, on_pool};

/// A person of an organization's roster.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffMember {
    /// Identifier.
    pub id: Uuid,
    /// The portal account linked by email, if there is one in the same organization.
    pub user_id: Option<Uuid>,
    /// Email (lower-case).
    pub email: Option<String>,
    /// Everything the report shows about the person.
    pub record: StaffRecord,
}

#[derive(FromRow)]
struct StaffRow {
    id: Uuid,
    user_id: Option<Uuid>,
    staff_id: String,
    name: String,
    kana: Option<String>,
    email: Option<String>,
    department: String,
    job_type: String,
    employment_type: String,
    in_scope: bool,
    joined_on: Option<Date>,
    left_on: Option<Date>,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// People new to the roster.
    pub added: u32,
    /// People already on it whose details were rewritten (unchanged rows count here too).
    pub updated: u32,
}

/// Evidence of training outside the portal's e-learning.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Evidence {
    /// Identifier.
    pub id: Uuid,
    /// The person (roster id).
    pub staff_member_id: Uuid,
    /// Their staff ID and name, for listings.
    pub staff_id: String,
    /// Name.
    pub name: String,
    /// The course it stands for.
    pub course_id: Uuid,
    /// How the training was delivered (`live_online`, `in_person` or `external`).
    pub mode: String,
    /// What it is: a certificate code, a sign-in sheet reference.
    pub description: String,
    /// When the training was held.
    pub held_on: Date,
    /// When a manager approved it.
    pub approved_at: Option<OffsetDateTime>,
}

/// New evidence, as a manager records it.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    /// The organization.
    pub organization_id: Uuid,
    /// The person (roster id).
    pub staff_member_id: Uuid,
    /// The course.
    pub course_id: Uuid,
    /// How it was delivered.
    pub mode: DeliveryMode,
    /// What it is.
    pub description: &'a str,
    /// When it was held (its fiscal year is the evidence's).
    pub held_on: Date,
    /// Who recorded it.
    pub submitted_by: Uuid,
}

impl Store {
    /// Imports validated roster rows in one transaction with its audit record (`roster.import`): new
    /// staff IDs are added, known ones rewritten with their tiers replaced; people absent from the file
    /// are kept.
    pub async fn import_roster(
        &self,
        organization_id: Uuid,
        entries: &[RosterEntry],
        actor: Option<Uuid>,
    ) -> Result<ImportCounts, StoreError> {
        let mut counts = ImportCounts::default();
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for entry in entries {
                let existing: Option<Uuid> = sqlx::query_scalar("SELECT id FROM staff_members WHERE organization_id = $1 AND staff_id = $2")
                    .bind(organization_id).bind(&entry.staff_id).fetch_optional(&mut *tx).await?;
                let id = existing.unwrap_or_else(Uuid::new_v4);
                if existing.is_some() {
                    counts.updated += 1;
                    sqlx::query("UPDATE staff_members SET name = $1, kana = $2, email = $3, department = $4, job_type = $5, employment_type = $6,
                                 in_scope = $7, joined_on = $8, left_on = $9, updated_at = $10 WHERE id = $11")
                        .bind(&entry.name).bind(&entry.kana).bind(&entry.email).bind(&entry.department).bind(&entry.job_type)
                        .bind(entry.employment_type.as_str()).bind(entry.in_scope).bind(entry.joined_on).bind(entry.left_on).bind(at).bind(id)
                        .execute(&mut *tx).await?;
                    sqlx::query("DELETE FROM staff_tiers WHERE staff_member_id = $1").bind(id).execute(&mut *tx).await?;
                } else {
                    counts.added += 1;
                    sqlx::query("INSERT INTO staff_members (id, organization_id, staff_id, name, kana, email, department, job_type, employment_type, in_scope, joined_on, left_on, updated_at)
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                        .bind(id).bind(organization_id).bind(&entry.staff_id).bind(&entry.name).bind(&entry.kana).bind(&entry.email)
                        .bind(&entry.department).bind(&entry.job_type).bind(entry.employment_type.as_str()).bind(entry.in_scope)
                        .bind(entry.joined_on).bind(entry.left_on).bind(at)
                        .execute(&mut *tx).await?;
                }
                for tier in &entry.tiers {
                    sqlx::query("INSERT INTO staff_tiers (staff_member_id, tier) VALUES ($1, $2)")
                        .bind(id).bind(tier.as_str()).execute(&mut *tx).await?;
                }
            }
            append_audit!(tx, AuditEvent {
                actor,
                organization: Some(organization_id),
                action: "roster.import",
                subject: format!("organization:{organization_id}"),
                detail: serde_json::json!({ "rows": entries.len(), "added": counts.added, "updated": counts.updated }),
            })?;
            tx.commit().await?;
        });
        Ok(counts)
    }

    /// The roster of an organization, by staff ID, each person linked to their account when the
    /// email matches one in the same organization.
    pub async fn roster(&self, organization_id: Uuid) -> Result<Vec<StaffMember>, StoreError> {
        let rows: Vec<StaffRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.id, u.id AS user_id, s.staff_id, s.name, s.kana, s.email, s.department, s.job_type, s.employment_type,
                    s.in_scope, s.joined_on, s.left_on
             FROM staff_members s LEFT JOIN users u ON u.email = s.email AND u.organization_id = s.organization_id
             WHERE s.organization_id = $1 ORDER BY s.staff_id")
            .bind(organization_id).fetch_all(pool).await?);
        let tiers: Vec<(Uuid, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT t.staff_member_id, t.tier FROM staff_tiers t JOIN staff_members s ON s.id = t.staff_member_id
             WHERE s.organization_id = $1")
            .bind(organization_id).fetch_all(pool).await?);
        let mut by_member: HashMap<Uuid, Vec<Audience>> = HashMap::new();
        for (member, tier) in tiers {
            if let Some(tier) = Audience::parse(&tier) {
                by_member.entry(member).or_default().push(tier);
            }
        }
        rows.into_iter()
            .map(|row| {
                let mut tiers = by_member.remove(&row.id).unwrap_or_default();
                tiers.sort();
                let employment_type: EmploymentType =
                    serde_json::from_value(serde_json::Value::String(row.employment_type))
                        .map_err(|source| StoreError::Corrupt {
                            what: format!("employment type of {}", row.staff_id),
                            source,
                        })?;
                Ok(StaffMember {
                    id: row.id,
                    user_id: row.user_id,
                    email: row.email,
                    record: StaffRecord {
                        staff_id: row.staff_id,
                        name: row.name,
                        kana: row.kana,
                        department: row.department,
                        job_type: row.job_type,
                        employment_type,
                        in_scope: row.in_scope,
                        tiers,
                        joined_on: row.joined_on,
                        left_on: row.left_on,
                    },
                })
            })
            .collect()
    }

    /// Records evidence, waiting for a manager's approval, with its audit record (`evidence.submit`).
    pub async fn add_evidence(&self, new: &NewEvidence<'_>) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        let year = FiscalYear::containing(new.held_on);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO training_evidence (id, organization_id, staff_member_id, course_id, fiscal_year, mode, description, held_on, submitted_by, submitted_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(id).bind(new.organization_id).bind(new.staff_member_id).bind(new.course_id).bind(i64::from(year.start_year()))
                .bind(new.mode.as_str()).bind(new.description).bind(new.held_on).bind(new.submitted_by).bind(now())
                .execute(&mut *tx).await?;
            append_audit!(tx, AuditEvent {
                actor: Some(new.submitted_by),
                organization: Some(new.organization_id),
                action: "evidence.submit",
                subject: format!("evidence:{id}"),
                detail: serde_json::json!({ "staff_member": new.staff_member_id, "course": new.course_id, "mode": new.mode, "held_on": new.held_on.to_string() }),
            })?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Approves pending evidence of the organization, with its audit record (`evidence.approve`);
    /// `false` if there is no such pending evidence.
    pub async fn approve_evidence(
        &self,
        organization_id: Uuid,
        id: Uuid,
        approved_by: Uuid,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE training_evidence SET approved_by = $1, approved_at = $2 WHERE id = $3 AND organization_id = $4 AND approved_at IS NULL")
                .bind(approved_by).bind(now()).bind(id).bind(organization_id)
                .execute(&mut *tx).await?.rows_affected() > 0;
            if updated {
                append_audit!(tx, AuditEvent {
                    actor: Some(approved_by),
                    organization: Some(organization_id),
                    action: "evidence.approve",
                    subject: format!("evidence:{id}"),
                    detail: serde_json::json!({}),
                })?;
            }
            tx.commit().await?;
            Ok(updated)
        })
    }

    /// The organization's evidence in a fiscal year, newest first.
    pub async fn evidence(
        &self,
        organization_id: Uuid,
        year: FiscalYear,
    ) -> Result<Vec<Evidence>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT e.id, e.staff_member_id, s.staff_id, s.name, e.course_id, e.mode, e.description, e.held_on, e.approved_at
             FROM training_evidence e JOIN staff_members s ON s.id = e.staff_member_id
             WHERE e.organization_id = $1 AND e.fiscal_year = $2 ORDER BY e.submitted_at DESC, s.staff_id")
            .bind(organization_id).bind(i64::from(year.start_year())).fetch_all(pool).await?))
    }
}
