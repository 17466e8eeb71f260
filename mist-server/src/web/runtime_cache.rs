//! The replayed SCORM run-time of each open launch, kept between batches so that a batch costs its own
//! calls, not a replay of the whole launch.
//!
//! An entry is good only for the sequence number it was stored with: when another server process stored
//! a batch of the same launch meanwhile, the launch's sequence in the database has moved on, the entry
//! does not match, and the launch is replayed from its stored batches instead.

use std::collections::HashMap;
use std::sync::Mutex;

use mist_scorm::runtime::Runtime;
use uuid::Uuid;

/// The most launches kept; beyond it an arbitrary entry makes room (a miss only costs a replay).
const CAPACITY: usize = 4096;

/// Run-times of open launches, by launch id.
#[derive(Debug, Default)]
pub struct RuntimeCache {
    entries: Mutex<HashMap<Uuid, (i64, Runtime)>>,
}

impl RuntimeCache {
    /// Takes the run-time of `launch` if it is the state just before batch `next_sequence`.
    pub fn take(&self, launch: Uuid, next_sequence: i64) -> Option<Runtime> {
        let mut entries = self.entries.lock().ok()?;
        match entries.remove(&launch) {
            Some((sequence, runtime)) if sequence == next_sequence => Some(runtime),
            _ => None,
        }
    }

    /// Keeps the run-time of `launch` as the state before batch `next_sequence`.
    pub fn put(&self, launch: Uuid, next_sequence: i64, runtime: Runtime) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= CAPACITY
            && let Some(evicted) = entries.keys().next().copied()
        {
            entries.remove(&evicted);
        }
        entries.insert(launch, (next_sequence, runtime));
    }
}
