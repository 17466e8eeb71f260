//! Learning records: enrolments, lesson views, video spans, quiz attempts and module completions.

use std::collections::BTreeSet;

use mist_core::completion::{ModuleProgress, Outcome};
use mist_core::fiscal::FiscalYear;
use mist_core::quiz::{AttemptResult, DrawnQuestion};
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::audit::{AuditEvent, append_audit};
use super::{Store, StoreError, execute, from_json, now, on_pool};

/// Where a learner is in one module of one course.
#[derive(Debug, Clone, Copy)]
pub struct ModuleKey<'a> {
    /// The learner.
    pub user_id: Uuid,
    /// The course.
    pub course_id: Uuid,
    /// The module's slug.
    pub module: &'a str,
}

/// A quiz attempt as stored.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    /// Identifier.
    pub id: Uuid,
    /// The learner.
    pub user_id: Uuid,
    /// The questions drawn, in order, with their display order.
    pub drawn: Vec<DrawnQuestion>,
    /// When it started.
    pub started_at: OffsetDateTime,
    /// The graded result, once submitted.
    pub result: Option<AttemptResult>,
}

#[derive(FromRow)]
struct AttemptRow {
    id: Uuid,
    user_id: Uuid,
    drawn_json: String,
    started_at: OffsetDateTime,
    result_json: Option<String>,
}

impl AttemptRow {
    fn decode(self) -> Result<StoredAttempt, StoreError> {
        Ok(StoredAttempt {
            id: self.id,
            user_id: self.user_id,
            drawn: from_json(format!("attempt {} questions", self.id), &self.drawn_json)?,
            started_at: self.started_at,
            result: self
                .result_json
                .map(|json| from_json(format!("attempt {} result", self.id), &json))
                .transpose()?,
        })
    }
}

impl Store {
    /// Enrols a learner (again enrolling changes nothing).
    pub async fn enroll(&self, user_id: Uuid, course_id: Uuid) -> Result<(), StoreError> {
        execute!(self, sqlx::query("INSERT INTO enrollments (user_id, course_id, enrolled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(user_id).bind(course_id).bind(now()))?;
        Ok(())
    }

    /// The courses a learner is enrolled in.
    pub async fn enrolled_courses(&self, user_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT course_id FROM enrollments WHERE user_id = $1 ORDER BY enrolled_at")
            .bind(user_id).fetch_all(pool).await?),
        )
    }

    /// Records that a lesson was opened (the first time counts).
    pub async fn record_lesson_view(
        &self,
        key: ModuleKey<'_>,
        lesson: &str,
    ) -> Result<(), StoreError> {
        execute!(self, sqlx::query(
            "INSERT INTO lesson_views (user_id, course_id, module_slug, lesson_slug, first_viewed_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING")
            .bind(key.user_id).bind(key.course_id).bind(key.module).bind(lesson).bind(now()))?;
        Ok(())
    }

    /// Records a span of a lesson's video that was watched.
    pub async fn record_video_span(
        &self,
        key: ModuleKey<'_>,
        lesson: &str,
        from: f64,
        to: f64,
    ) -> Result<(), StoreError> {
        execute!(self, sqlx::query(
            "INSERT INTO video_spans (user_id, course_id, module_slug, lesson_slug, from_second, to_second, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(key.user_id).bind(key.course_id).bind(key.module).bind(lesson).bind(from).bind(to).bind(now()))?;
        Ok(())
    }

    /// What the learner did in a module: lessons viewed, video spans, and the best passed-or-not quiz
    /// result (highest scaled score).
    pub async fn module_progress(&self, key: ModuleKey<'_>) -> Result<ModuleProgress, StoreError> {
        let viewed: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT lesson_slug FROM lesson_views WHERE user_id = $1 AND course_id = $2 AND module_slug = $3")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_all(pool).await?);
        let spans: Vec<(String, f64, f64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT lesson_slug, from_second, to_second FROM video_spans WHERE user_id = $1 AND course_id = $2 AND module_slug = $3")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_all(pool).await?);
        let best: Option<(f64, bool)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT scaled, passed FROM quiz_attempts WHERE user_id = $1 AND course_id = $2 AND module_slug = $3
               AND submitted_at IS NOT NULL ORDER BY scaled DESC, submitted_at LIMIT 1")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_optional(pool).await?);
        let mut progress = ModuleProgress {
            lessons_viewed: viewed.into_iter().collect(),
            quiz: best,
            ..ModuleProgress::default()
        };
        for (lesson, from, to) in spans {
            progress.watched.entry(lesson).or_default().push((from, to));
        }
        Ok(progress)
    }

    /// Starts a quiz attempt with the questions drawn for it.
    pub async fn create_attempt(
        &self,
        key: ModuleKey<'_>,
        seed: u64,
        drawn: &[DrawnQuestion],
    ) -> Result<StoredAttempt, StoreError> {
        let id = Uuid::new_v4();
        let started_at = now();
        let json = serde_json::to_string(drawn)?;
        // The seed is kept for reproducibility; its bits are stored as a signed integer.
        let seed = i64::from_ne_bytes(seed.to_ne_bytes());
        execute!(self, sqlx::query(
            "INSERT INTO quiz_attempts (id, user_id, course_id, module_slug, seed, drawn_json, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(key.user_id).bind(key.course_id).bind(key.module).bind(seed).bind(&json).bind(started_at))?;
        Ok(StoredAttempt {
            id,
            user_id: key.user_id,
            drawn: drawn.to_vec(),
            started_at,
            result: None,
        })
    }

    /// The learner's unsubmitted attempt of a module, if any.
    pub async fn open_attempt(
        &self,
        key: ModuleKey<'_>,
    ) -> Result<Option<StoredAttempt>, StoreError> {
        let row: Option<AttemptRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, user_id, drawn_json, started_at, result_json FROM quiz_attempts
             WHERE user_id = $1 AND course_id = $2 AND module_slug = $3 AND submitted_at IS NULL ORDER BY started_at DESC LIMIT 1")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_optional(pool).await?);
        row.map(AttemptRow::decode).transpose()
    }

    /// An attempt by id.
    pub async fn attempt(&self, id: Uuid) -> Result<Option<StoredAttempt>, StoreError> {
        let row: Option<AttemptRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, user_id, drawn_json, started_at, result_json FROM quiz_attempts WHERE id = $1")
            .bind(id).fetch_optional(pool).await?);
        row.map(AttemptRow::decode).transpose()
    }

    /// Stores an attempt's result once; a second submission of the same attempt changes nothing and
    /// returns `false`.
    pub async fn submit_attempt(
        &self,
        id: Uuid,
        result: &AttemptResult,
    ) -> Result<bool, StoreError> {
        let json = serde_json::to_string(result)?;
        let updated = execute!(self, sqlx::query(
            "UPDATE quiz_attempts SET submitted_at = $1, scaled = $2, passed = $3, result_json = $4 WHERE id = $5 AND submitted_at IS NULL")
            .bind(now()).bind(result.scaled).bind(result.passed).bind(&json).bind(id))?;
        Ok(updated > 0)
    }

    /// The ids of every question the learner was shown in this module, in any attempt or year.
    pub async fn seen_questions(
        &self,
        key: ModuleKey<'_>,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let rows: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT drawn_json FROM quiz_attempts WHERE user_id = $1 AND course_id = $2 AND module_slug = $3")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_all(pool).await?);
        let mut seen = std::collections::HashSet::new();
        for json in rows {
            let drawn: Vec<DrawnQuestion> = from_json("attempt questions", &json)?;
            seen.extend(drawn.into_iter().map(|d| d.id));
        }
        Ok(seen)
    }

    /// How many attempts the learner submitted in this module.
    pub async fn submitted_attempts(&self, key: ModuleKey<'_>) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM quiz_attempts WHERE user_id = $1 AND course_id = $2 AND module_slug = $3 AND submitted_at IS NOT NULL")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_one(pool).await?))
    }

    /// Records a module as completed in a fiscal year; the first completion of the year counts.
    pub async fn record_module_completion(
        &self,
        key: ModuleKey<'_>,
        year: FiscalYear,
        outcome: &Outcome,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(outcome)?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let first = sqlx::query(
                "INSERT INTO module_completions (user_id, course_id, module_slug, fiscal_year, completed_at, outcome_json)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
                .bind(key.user_id).bind(key.course_id).bind(key.module).bind(i64::from(year.start_year())).bind(now()).bind(&json)
                .execute(&mut *tx).await?.rows_affected() > 0;
            if first {
                let organization: Option<Uuid> = sqlx::query_scalar("SELECT organization_id FROM users WHERE id = $1")
                    .bind(key.user_id).fetch_optional(&mut *tx).await?.flatten();
                append_audit!(tx, AuditEvent {
                    actor: Some(key.user_id),
                    organization,
                    action: "module.complete",
                    subject: format!("module:{}/{}", key.course_id, key.module),
                    detail: serde_json::json!({ "fiscal_year": year.start_year(), "outcome": outcome }),
                })?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The modules of a course the learner completed in a fiscal year.
    pub async fn completed_modules(
        &self,
        user_id: Uuid,
        course_id: Uuid,
        year: FiscalYear,
    ) -> Result<BTreeSet<String>, StoreError> {
        let rows: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT module_slug FROM module_completions WHERE user_id = $1 AND course_id = $2 AND fiscal_year = $3")
            .bind(user_id).bind(course_id).bind(i64::from(year.start_year())).fetch_all(pool).await?);
        Ok(rows.into_iter().collect())
    }
}

impl Store {
    /// Per person of an organization and course: modules completed in a fiscal year.
    pub async fn organization_completions(
        &self,
        organization_id: Uuid,
        year: FiscalYear,
    ) -> Result<Vec<(Uuid, Uuid, i64)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT c.user_id, c.course_id, COUNT(*) FROM module_completions c JOIN users u ON u.id = c.user_id
             WHERE u.organization_id = $1 AND c.fiscal_year = $2 GROUP BY c.user_id, c.course_id")
            .bind(organization_id).bind(i64::from(year.start_year())).fetch_all(pool).await?))
    }

    /// Per person of an organization: the courses they are enrolled in.
    pub async fn organization_enrollments(
        &self,
        organization_id: Uuid,
    ) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT e.user_id, e.course_id FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.organization_id = $1")
            .bind(organization_id).fetch_all(pool).await?))
    }
}
