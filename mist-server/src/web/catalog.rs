//! The course catalogue as handlers see it: parsed courses cached per process, re-read only when their
//! revision in the database changes (another process may have imported a new version). The revisions
//! themselves are checked at most once per [`REVISION_CHECK`], so a busy server does not ask the
//! database on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mist_core::Course;
use uuid::Uuid;

use super::{AppError, AppState};

/// How stale the catalogue may be: another process's import shows within this time.
pub const REVISION_CHECK: Duration = Duration::from_secs(1);

/// Parsed courses by id with the revision they were read at, and the catalogue as last checked.
#[derive(Debug, Default)]
pub struct CourseCache(Mutex<CacheState>);

#[derive(Debug, Default)]
struct CacheState {
    parsed: HashMap<Uuid, (i64, Arc<Course>)>,
    /// The catalogue (in order) and when its revisions were read.
    checked: Option<(Instant, Vec<Arc<Course>>)>,
}

impl AppState {
    /// Every course in catalogue order.
    pub async fn courses(&self) -> Result<Vec<Arc<Course>>, AppError> {
        if let Ok(cache) = self.course_cache.0.lock()
            && let Some((at, courses)) = &cache.checked
            && at.elapsed() < REVISION_CHECK
        {
            return Ok(courses.clone());
        }
        let revisions = self.store.course_revisions().await?;
        let mut courses = Vec::with_capacity(revisions.len());
        for (id, _, revision) in revisions {
            let cached = self.course_cache.0.lock().ok().and_then(|cache| {
                cache
                    .parsed
                    .get(&id)
                    .filter(|(r, _)| *r == revision)
                    .map(|(_, c)| Arc::clone(c))
            });
            let course = match cached {
                Some(course) => course,
                None => {
                    let Some(course) = self.store.course_by_id(id).await? else {
                        continue;
                    };
                    let course = Arc::new(course);
                    if let Ok(mut cache) = self.course_cache.0.lock() {
                        cache.parsed.insert(id, (revision, Arc::clone(&course)));
                    }
                    course
                }
            };
            courses.push(course);
        }
        if let Ok(mut cache) = self.course_cache.0.lock() {
            cache.checked = Some((Instant::now(), courses.clone()));
        }
        Ok(courses)
    }

    /// Forgets when the catalogue was checked, so this process sees its own import at once.
    pub fn catalogue_changed(&self) {
        if let Ok(mut cache) = self.course_cache.0.lock() {
            cache.checked = None;
        }
    }

    /// The course with this id.
    pub async fn course_by_id(&self, id: Uuid) -> Result<Option<Arc<Course>>, AppError> {
        Ok(self.courses().await?.into_iter().find(|c| c.id == id))
    }

    /// The course with this slug.
    pub async fn course(&self, slug: &str) -> Result<Option<Arc<Course>>, AppError> {
        Ok(self
            .courses()
            .await?
            .into_iter()
            .find(|c| c.slug.as_str() == slug))
    }
}
