//! Storage: one `Store` over SQLite (the embedded default) or PostgreSQL (several stateless servers on
//! one database), with embedded migrations per backend.
//!
//! Every query is written once, with `$1`-style parameters that both drivers accept, and run on either
//! pool through `on_pool!`; only the DDL differs, in `migrations/sqlite` and `migrations/postgres`.
//! Timestamps are stored in UTC at whole seconds (see [`now`]), so SQLite's text timestamps compare in
//! time order.

use std::path::Path;
use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use time::OffsetDateTime;

pub mod audit;
mod catalog;
pub mod certificates;
pub mod compliance;
pub mod group_commit;
pub mod incident_desk;
pub mod incidents;
pub mod learning;
pub mod live;
pub mod people;
pub mod portal;
pub mod roster;
pub mod scorm;

pub use catalog::Origin;
pub use people::{LinkPurpose, NewOrganization, Organization, Role, User};

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a query.
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed at start.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value no longer deserializes (written by an incompatible version).
    #[error("stored {what} is unreadable: {source}")]
    Corrupt {
        /// What was being read.
        what: String,
        /// Why.
        source: serde_json::Error,
    },
    /// A value could not be serialized for storage.
    #[error("value cannot be stored: {0}")]
    Serialize(#[from] serde_json::Error),
    /// The group-commit writer has stopped (the server is shutting down).
    #[error("the commit writer has stopped")]
    Closed,
    /// A group's transaction failed.
    #[error("group commit: {0}")]
    Group(String),
    /// The database URL names no supported backend.
    #[error("unsupported database URL `{0}`: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
}

impl StoreError {
    /// Whether the error is a unique-constraint violation (a duplicate the caller should report).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// The database shared by all requests (and by all server processes on PostgreSQL).
#[derive(Debug, Clone)]
pub enum Store {
    /// SQLite in WAL mode with foreign keys on.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// Runs the same code on whichever pool the store has. The body is type-checked once per backend.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Executes a statement on whichever pool the store has; yields the number of rows affected.
macro_rules! execute {
    ($store:expr, $query:expr) => {
        match $store {
            $crate::store::Store::Sqlite(pool) => {
                $query.execute(pool).await.map(|r| r.rows_affected())
            }
            $crate::store::Store::Postgres(pool) => {
                $query.execute(pool).await.map(|r| r.rows_affected())
            }
        }
    };
}
pub(crate) use execute;

impl Store {
    /// Opens (creating if needed) `mist.db` in `data_dir`.
    pub async fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join("mist.db"))
            .create_if_missing(true);
        Self::sqlite(options).await
    }

    /// Opens a database from a URL: `sqlite:PATH` or `postgres://…`.
    pub async fn open_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Self::sqlite(SqliteConnectOptions::from_str(url)?.create_if_missing(true)).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(32)
                .connect_with(PgConnectOptions::from_str(url)?)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    async fn sqlite(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        // WAL with synchronous=FULL: a commit that returned is on disk, even after a power cut.
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Store::Sqlite(pool))
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The backend's name, for logs.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }
}

/// The current time in UTC at whole seconds, the form every stored timestamp takes.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

/// Decodes a JSON column, naming what it was on failure.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: impl Into<String>,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
        what: what.into(),
        source,
    })
}
