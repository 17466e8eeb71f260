//! Starting the portal: open the database, load the built-in series, seed a first start.

use std::path::Path;

use mist_core::builtin;

use crate::seed::{FirstStart, SeedError, first_start};
use crate::store::{Origin, Store, StoreError};
use crate::web::{AppState, Config, SeriesInfo};

/// Starting failed.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The data directory could not be created.
    #[error("{path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The built-in series does not load (a build defect).
    #[error("the built-in series is invalid: {0}")]
    Series(String),
    /// Seeding failed.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// A template does not compile (a build defect).
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
}

/// Opens the database: `database_url` when given (`sqlite:…` or `postgres://…`), else `DATA_DIR/mist.db`.
pub async fn open_store(data_dir: &Path, database_url: Option<&str>) -> Result<Store, StartError> {
    match database_url {
        Some(url) => Ok(Store::open_url(url).await?),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|source| StartError::DataDir {
                path: data_dir.display().to_string(),
                source,
            })?;
            Ok(Store::open_in(data_dir).await?)
        }
    }
}

/// Stores the built-in series, seeds a first start, and builds the handlers' state.
pub async fn prepare(
    store: Store,
    admin_email: &str,
    config: Config,
) -> Result<(AppState, Option<FirstStart>), StartError> {
    let outcome = builtin::load_series();
    let series = outcome.series.ok_or_else(|| {
        StartError::Series(
            outcome
                .diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    store.upsert_series(&series, Origin::Builtin).await?;
    let first = first_start(&store, admin_email).await?;
    let info = SeriesInfo {
        title: series.title,
        description: series.description,
        languages: series.languages,
    };
    Ok((AppState::new(store, info, config)?, first))
}
