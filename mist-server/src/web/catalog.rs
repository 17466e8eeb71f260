//! The course catalogue as handlers see it: parsed courses cached per process and re-read only when
//! their revision in the database changes (another process may have imported a new version).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mist_core::Course;
use uuid::Uuid;

use super::{AppError, AppState};

/// Parsed courses by id, with the revision they were read at.
#[derive(Debug, Default)]
pub struct CourseCache(Mutex<HashMap<Uuid, (i64, Arc<Course>)>>);

impl AppState {
    /// Every course in catalogue order.
    pub async fn courses(&self) -> Result<Vec<Arc<Course>>, AppError> {
        let revisions = self.store.course_revisions().await?;
        let mut courses = Vec::with_capacity(revisions.len());
        for (id, _, revision) in revisions {
            let cached = self.course_cache.0.lock().ok().and_then(|cache| {
                cache
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
                        cache.insert(id, (revision, Arc::clone(&course)));
                    }
                    course
                }
            };
            courses.push(course);
        }
        Ok(courses)
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
