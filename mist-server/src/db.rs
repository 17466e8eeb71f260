//! Storage: SQLite through sqlx, with embedded migrations.

use std::path::Path;
use std::str::FromStr;

use mist_core::{Course, Series};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database refused or failed a query.
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed at start.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored course no longer deserializes (written by an incompatible version).
    #[error("stored course {slug} is unreadable: {source}")]
    CorruptCourse {
        /// The course.
        slug: String,
        /// Why.
        source: serde_json::Error,
    },
    /// A course could not be serialized for storage.
    #[error("course cannot be stored: {0}")]
    Serialize(#[from] serde_json::Error),
}

/// Where a catalogue course came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The series compiled into the binary.
    Builtin,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
        }
    }
}

/// The database handle shared by all requests.
#[derive(Debug, Clone)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) `mist.db` in `data_dir`: WAL journal, foreign keys on, migrations run.
    pub async fn open_in(data_dir: &Path) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join("mist.db"))
            .create_if_missing(true);
        Self::connect(options).await
    }

    /// Opens a database from a `sqlite:` URL (`sqlite::memory:` for tests).
    pub async fn open_url(url: &str) -> Result<Self, DbError> {
        Self::connect(SqliteConnectOptions::from_str(url)?.create_if_missing(true)).await
    }

    async fn connect(options: SqliteConnectOptions) -> Result<Self, DbError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Stores every course of a series in catalogue order, replacing earlier versions of the same courses.
    pub async fn upsert_series(&self, series: &Series, origin: Origin) -> Result<(), DbError> {
        let now = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        let mut tx = self.pool.begin().await?;
        for (position, course) in series.courses.iter().enumerate() {
            sqlx::query(
                "INSERT INTO courses (id, slug, audience, origin, position, model_json, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, audience = excluded.audience,
                   position = excluded.position, model_json = excluded.model_json, updated_at = excluded.updated_at",
            )
            .bind(course.id.to_string())
            .bind(course.slug.as_str())
            .bind(course.audience.as_str())
            .bind(origin.as_str())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(serde_json::to_string(course)?)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every course of the catalogue, in catalogue order.
    pub async fn courses(&self) -> Result<Vec<Course>, DbError> {
        let rows = sqlx::query("SELECT slug, model_json FROM courses ORDER BY position, slug")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| decode_course(row.get("slug"), row.get("model_json")))
            .collect()
    }

    /// The course with this slug.
    pub async fn course(&self, slug: &str) -> Result<Option<Course>, DbError> {
        let row = sqlx::query("SELECT slug, model_json FROM courses WHERE slug = ?")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| decode_course(row.get("slug"), row.get("model_json")))
            .transpose()
    }
}

fn decode_course(slug: String, json: String) -> Result<Course, DbError> {
    serde_json::from_str(&json).map_err(|source| DbError::CorruptCourse { slug, source })
}
