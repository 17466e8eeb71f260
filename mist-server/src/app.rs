//! Starting the portal: open the database, load the built-in series, seed a first start.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use mist_core::{authoring, builtin};

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
    /// An authored course directory could not be read.
    #[error(transparent)]
    ReadCourses(#[from] mist_core::authoring::ReadDirError),
    /// An authored course directory has errors.
    #[error("{dir}: the course has errors:\n{findings}")]
    InvalidCourses {
        /// The directory.
        dir: String,
        /// The findings, one per line.
        findings: String,
    },
    /// Two courses share a slug.
    #[error("course `{0}` exists twice (built-in and authored, or in two directories)")]
    DuplicateCourse(String),
    /// The certificate signing key could not be loaded or created.
    #[error("certificate signing key: {0}")]
    Key(String),
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

/// Stores the built-in series and the authored course directories (series or stand-alone courses,
/// checked with the authoring rules), seeds a first start, and builds the handlers' state.
pub async fn prepare(
    store: Store,
    admin_email: &str,
    config: Config,
    course_dirs: &[PathBuf],
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
    store.upsert_series(&series, Origin::Builtin, 0).await?;
    let mut slugs: HashSet<String> = series.courses.iter().map(|c| c.slug.to_string()).collect();
    let mut media = HashMap::new();
    for dir in course_dirs {
        let tree = authoring::read_dir(dir)?;
        let outcome = authoring::load(&tree);
        let authored = outcome.series.ok_or_else(|| StartError::InvalidCourses {
            dir: dir.display().to_string(),
            findings: outcome
                .diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        })?;
        let is_series = tree.contains("series.toml");
        for course in &authored.courses {
            if !slugs.insert(course.slug.to_string()) {
                return Err(StartError::DuplicateCourse(course.slug.to_string()));
            }
            let root = if is_series {
                dir.join(course.slug.as_str())
            } else {
                dir.clone()
            };
            media.insert(course.slug.to_string(), root);
        }
        store
            .upsert_series(&authored, Origin::Authored, slugs.len())
            .await?;
    }
    let first = first_start(&store, admin_email).await?;
    if first.is_some() {
        crate::seed::portal::seed_portal(&store, &config.data_dir).await?;
    }
    let signing_key = crate::web::signing_key(&store)
        .await
        .map_err(|e| StartError::Key(e.to_string()))?;
    let info = SeriesInfo {
        title: series.title,
        description: series.description,
        languages: series.languages,
    };
    Ok((
        AppState::new(store, info, config, media, signing_key)?,
        first,
    ))
}
