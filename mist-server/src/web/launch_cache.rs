//! The SCORM launches this process is taking batches for — who, what, and the replayed run-time — kept
//! between batches, so that a batch costs its own calls: no lookup of the launch, the learner and the
//! course, and no replay of the launch so far.
//!
//! The database stays the judge: a batch is stored only if the launch's sequence number there is the
//! one this entry expects (the group writer's conditional update). When another server process stored
//! a batch of the same launch meanwhile, the write is refused, the entry is dropped, and the launch is
//! read and replayed from the database. Entries are also re-read after [`MAX_AGE`], so that a person
//! deactivated meanwhile stops being recorded soon after.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mist_core::{Course, Module};
use mist_scorm::runtime::Runtime;
use uuid::Uuid;

use crate::store::User;

/// The most launches kept; beyond it an arbitrary entry makes room (a miss only costs a replay).
const CAPACITY: usize = 4096;
/// How long an entry is trusted before the launch and its learner are read again.
pub const MAX_AGE: Duration = Duration::from_secs(30);

/// A launch taking batches, as of the batch `next_sequence`.
#[derive(Debug)]
pub struct OpenLaunch {
    /// The launch.
    pub id: Uuid,
    /// The hash of its per-launch token (a batch must carry the token).
    pub token_hash: String,
    /// The learner.
    pub user: User,
    /// The course.
    pub course: Arc<Course>,
    /// The module launched.
    pub module: Module,
    /// The sequence number the next batch must carry.
    pub next_sequence: i64,
    /// The run-time after every batch before `next_sequence`.
    pub runtime: Runtime,
    /// When the launch and learner were read from the database.
    pub loaded_at: Instant,
}

/// Open launches, by launch id.
#[derive(Debug, Default)]
pub struct LaunchCache {
    entries: Mutex<HashMap<Uuid, OpenLaunch>>,
}

impl LaunchCache {
    /// Takes the launch `id` out of the cache if the token matches and the entry is fresh.
    pub fn take(&self, id: Uuid, token_hash: &str) -> Option<OpenLaunch> {
        let mut entries = self.entries.lock().ok()?;
        entries
            .remove(&id)
            .filter(|open| open.token_hash == token_hash && open.loaded_at.elapsed() < MAX_AGE)
    }

    /// Keeps a launch for its next batch.
    pub fn put(&self, open: OpenLaunch) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= CAPACITY
            && let Some(evicted) = entries.keys().next().copied()
        {
            entries.remove(&evicted);
        }
        entries.insert(open.id, open);
    }
}
