//! What the compliance report reads — an organization's learning records of one fiscal year, in a few
//! set-based queries (not one per person) — and closed years, whose rows are frozen.

use mist_core::compliance::{PersonRow, ReportHeader};
use mist_core::fiscal::FiscalYear;
use time::OffsetDateTime;
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::{Store, StoreError, from_json, now, on_pool};

/// An organization's learning records in one fiscal year, keyed by account and course.
#[derive(Debug, Clone, Default)]
pub struct YearRecords {
    /// Module completions: account, course, module slug, when.
    pub modules: Vec<(Uuid, Uuid, String, OffsetDateTime)>,
    /// Courses with a lesson first opened in the year: account, course.
    pub opened: Vec<(Uuid, Uuid)>,
    /// Submitted quiz attempts: account, course, best scaled score, attempts.
    pub quizzes: Vec<(Uuid, Uuid, Option<f64>, i64)>,
    /// Valid certificates of the year: account, course, code.
    pub certificates: Vec<(Uuid, Uuid, String)>,
    /// Approved evidence: roster id, course, mode, description, date held.
    pub evidence: Vec<(Uuid, Uuid, String, String, time::Date)>,
    /// Live sessions attended (and their comprehension check passed): account, the session's
    /// audience tier, when.
    pub live: Vec<(Uuid, String, OffsetDateTime)>,
}

/// A closed year as frozen.
#[derive(Debug, Clone)]
pub struct FrozenYear {
    /// The header as it was when the year closed.
    pub header: ReportHeader,
    /// One row per person, in report order.
    pub people: Vec<PersonRow>,
}

impl Store {
    /// The learning records of an organization's accounts in a fiscal year (`from..to` is the year
    /// in UTC).
    pub async fn year_records(
        &self,
        organization_id: Uuid,
        year: FiscalYear,
        (from, to): (OffsetDateTime, OffsetDateTime),
    ) -> Result<YearRecords, StoreError> {
        let fy = i64::from(year.start_year());
        let modules = on_pool!(self, pool => sqlx::query_as(
            "SELECT c.user_id, c.course_id, c.module_slug, c.completed_at FROM module_completions c JOIN users u ON u.id = c.user_id
             WHERE u.organization_id = $1 AND c.fiscal_year = $2")
            .bind(organization_id).bind(fy).fetch_all(pool).await?);
        let opened = on_pool!(self, pool => sqlx::query_as(
            "SELECT DISTINCT v.user_id, v.course_id FROM lesson_views v JOIN users u ON u.id = v.user_id
             WHERE u.organization_id = $1 AND v.first_viewed_at >= $2 AND v.first_viewed_at < $3")
            .bind(organization_id).bind(from).bind(to).fetch_all(pool).await?);
        let quizzes = on_pool!(self, pool => sqlx::query_as(
            "SELECT q.user_id, q.course_id, MAX(q.scaled), COUNT(*) FROM quiz_attempts q JOIN users u ON u.id = q.user_id
             WHERE u.organization_id = $1 AND q.submitted_at IS NOT NULL AND q.started_at >= $2 AND q.started_at < $3
             GROUP BY q.user_id, q.course_id")
            .bind(organization_id).bind(from).bind(to).fetch_all(pool).await?);
        let certificates = on_pool!(self, pool => sqlx::query_as(
            "SELECT c.user_id, c.course_id, c.code FROM certificates c JOIN users u ON u.id = c.user_id
             WHERE u.organization_id = $1 AND c.fiscal_year = $2 AND c.revoked_at IS NULL")
            .bind(organization_id).bind(fy).fetch_all(pool).await?);
        let evidence = on_pool!(self, pool => sqlx::query_as(
            "SELECT staff_member_id, course_id, mode, description, held_on FROM training_evidence
             WHERE organization_id = $1 AND fiscal_year = $2 AND approved_at IS NOT NULL")
            .bind(organization_id).bind(fy).fetch_all(pool).await?);
        let live = on_pool!(self, pool => sqlx::query_as(
            "SELECT l.user_id, l.audience, l.completed_at FROM live_completions l JOIN users u ON u.id = l.user_id
             WHERE u.organization_id = $1 AND l.fiscal_year = $2")
            .bind(organization_id).bind(fy).fetch_all(pool).await?);
        Ok(YearRecords {
            modules,
            opened,
            quizzes,
            certificates,
            evidence,
            live,
        })
    }

    /// A closed year's frozen report, if the year is closed.
    pub async fn frozen_year(
        &self,
        organization_id: Uuid,
        year: FiscalYear,
    ) -> Result<Option<FrozenYear>, StoreError> {
        let fy = i64::from(year.start_year());
        let header: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT header_json FROM compliance_years WHERE organization_id = $1 AND fiscal_year = $2")
            .bind(organization_id).bind(fy).fetch_optional(pool).await?);
        let Some(header) = header else {
            return Ok(None);
        };
        let rows: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT row_json FROM compliance_frozen_rows WHERE organization_id = $1 AND fiscal_year = $2 ORDER BY position")
            .bind(organization_id).bind(fy).fetch_all(pool).await?);
        let what = format!("frozen compliance rows of {year}");
        Ok(Some(FrozenYear {
            header: from_json(format!("frozen compliance header of {year}"), &header)?,
            people: rows
                .iter()
                .map(|row| from_json(what.clone(), row))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// Closes a fiscal year: its header and rows are frozen in one transaction with its audit record
    /// (`compliance.close_year`). Returns `false` when the year was already closed (by another request
    /// or process), leaving the first copy.
    pub async fn freeze_year(
        &self,
        organization_id: Uuid,
        header: &ReportHeader,
        people: &[PersonRow],
    ) -> Result<bool, StoreError> {
        let fy = i64::from(header.fiscal_year.start_year());
        let header_json = serde_json::to_string(header)?;
        let rows: Vec<(String, String)> = people
            .iter()
            .map(|p| Ok((p.staff.staff_id.clone(), serde_json::to_string(p)?)))
            .collect::<Result<_, serde_json::Error>>()?;
        let closed = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO compliance_years (organization_id, fiscal_year, closed_at, header_json) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING")
                .bind(organization_id).bind(fy).bind(now()).bind(&header_json)
                .execute(&mut *tx).await?.rows_affected();
            if inserted == 1 {
                for (position, (staff_id, json)) in rows.iter().enumerate() {
                    sqlx::query("INSERT INTO compliance_frozen_rows (organization_id, fiscal_year, position, staff_id, row_json) VALUES ($1, $2, $3, $4, $5)")
                        .bind(organization_id).bind(fy).bind(i64::try_from(position).unwrap_or(i64::MAX)).bind(staff_id).bind(json)
                        .execute(&mut *tx).await?;
                }
                append_audit!(tx, AuditEvent {
                    actor: None,
                    organization: Some(organization_id),
                    action: "compliance.close_year",
                    subject: format!("compliance:{organization_id}:{fy}"),
                    detail: serde_json::json!({ "people": rows.len() }),
                })?;
            }
            tx.commit().await?;
            inserted == 1
        });
        Ok(closed)
    }

    /// The fiscal years of the organization that are closed, oldest first.
    pub async fn closed_years(&self, organization_id: Uuid) -> Result<Vec<i64>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT fiscal_year FROM compliance_years WHERE organization_id = $1 ORDER BY fiscal_year")
            .bind(organization_id).fetch_all(pool).await?))
    }
}
