//! The course catalogue.

use mist_core::{Course, Series};
use sqlx::Row;
use uuid::Uuid;

use super::{Store, StoreError, from_json, now, on_pool};

/// Where a catalogue course came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The series compiled into the binary.
    Builtin,
    /// A course directory in the authoring format.
    Authored,
    /// An imported SCORM package.
    Scorm,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::Authored => "authored",
            Origin::Scorm => "scorm",
        }
    }
}

const UPSERT_COURSE: &str = "INSERT INTO courses (id, slug, audience, origin, position, model_json, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, audience = excluded.audience, origin = excluded.origin,
       position = excluded.position, model_json = excluded.model_json, updated_at = excluded.updated_at,
       revision = courses.revision + 1";

impl Store {
    /// Stores every course of a series in catalogue order from `first_position`, replacing earlier
    /// versions of the same courses.
    pub async fn upsert_series(
        &self,
        series: &Series,
        origin: Origin,
        first_position: usize,
    ) -> Result<(), StoreError> {
        let now = now();
        let rows: Vec<(usize, &Course, String)> = series
            .courses
            .iter()
            .enumerate()
            .map(|(position, course)| {
                Ok((
                    first_position + position,
                    course,
                    serde_json::to_string(course)?,
                ))
            })
            .collect::<Result<_, serde_json::Error>>()?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (position, course, json) in &rows {
                sqlx::query(UPSERT_COURSE)
                    .bind(course.id)
                    .bind(course.slug.as_str())
                    .bind(course.audience.as_str())
                    .bind(origin.as_str())
                    .bind(i64::try_from(*position).unwrap_or(i64::MAX))
                    .bind(json)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Every course of the catalogue, in catalogue order.
    pub async fn courses(&self) -> Result<Vec<Course>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(self, pool => {
            sqlx::query("SELECT slug, model_json FROM courses ORDER BY position, slug")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| (row.get("slug"), row.get("model_json")))
                .collect()
        });
        rows.iter()
            .map(|(slug, json)| from_json(format!("course {slug}"), json))
            .collect()
    }

    /// The course with this slug.
    pub async fn course(&self, slug: &str) -> Result<Option<Course>, StoreError> {
        let json: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT model_json FROM courses WHERE slug = $1").bind(slug).fetch_optional(pool).await?
        });
        json.map(|json| from_json(format!("course {slug}"), &json))
            .transpose()
    }

    /// Every course's id, slug and revision, in catalogue order: cheap, for caches.
    pub async fn course_revisions(&self) -> Result<Vec<(Uuid, String, i64)>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as("SELECT id, slug, revision FROM courses ORDER BY position, slug")
            .fetch_all(pool).await?),
        )
    }

    /// The course with this id.
    pub async fn course_by_id(&self, id: Uuid) -> Result<Option<Course>, StoreError> {
        let json: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT model_json FROM courses WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        json.map(|json| from_json(format!("course {id}"), &json))
            .transpose()
    }
}
