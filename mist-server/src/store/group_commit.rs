//! Group commit for SCORM batches: concurrent commits share one database transaction, so one disk
//! flush makes many of them durable, and none is acknowledged before its transaction committed.
//!
//! A single writer task takes the first waiting batch, then every batch that arrived meanwhile (up to
//! [`MAX_GROUP`]), and writes them in one transaction. Under light load a group is one batch and adds
//! no delay; under heavy load the groups grow while the previous flush runs.

use std::collections::HashSet;

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::scorm::BatchOutcome;
use super::{Store, StoreError, now};

/// The most batches written in one transaction.
pub const MAX_GROUP: usize = 512;

/// One batch of a SCORM launch to store.
#[derive(Debug, Clone)]
pub struct BatchWrite {
    /// The launch.
    pub session_id: Uuid,
    /// The batch's sequence number; stored only if the launch expects it.
    pub sequence: i64,
    /// The batch's calls (JSON).
    pub batch_json: String,
    /// The replayed state (JSON).
    pub state_json: String,
}

type Reply = oneshot::Sender<Result<BatchOutcome, String>>;

/// Hands batches to the writer task.
#[derive(Debug, Clone)]
pub struct GroupCommitter {
    queue: mpsc::Sender<(BatchWrite, Reply)>,
}

impl GroupCommitter {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(store: Store) -> Self {
        let (queue, mut incoming) = mpsc::channel::<(BatchWrite, Reply)>(MAX_GROUP * 8);
        tokio::spawn(async move {
            while let Some(first) = incoming.recv().await {
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match incoming.try_recv() {
                        Ok(next) => group.push(next),
                        Err(_) => break,
                    }
                }
                let writes: Vec<&BatchWrite> = group.iter().map(|(w, _)| w).collect();
                match write_group(&store, &writes).await {
                    Ok(outcomes) => {
                        for ((_, reply), outcome) in group.into_iter().zip(outcomes) {
                            let _ = reply.send(Ok(outcome));
                        }
                    }
                    Err(error) => {
                        let message = error.to_string();
                        for (_, reply) in group {
                            let _ = reply.send(Err(message.clone()));
                        }
                    }
                }
            }
        });
        Self { queue }
    }

    /// Stores a batch with others waiting at the same time; returns once its transaction committed.
    pub async fn apply(&self, write: BatchWrite) -> Result<BatchOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((write, reply))
            .await
            .map_err(|_| StoreError::Closed)?;
        answer
            .await
            .map_err(|_| StoreError::Closed)?
            .map_err(StoreError::Group)
    }
}

/// Writes a group in one transaction; each batch is stored only if its launch expects its sequence.
async fn write_group(
    store: &Store,
    writes: &[&BatchWrite],
) -> Result<Vec<BatchOutcome>, StoreError> {
    match store {
        Store::Sqlite(pool) => write_group_sqlite(pool, writes).await,
        Store::Postgres(pool) => write_group_postgres(pool, writes).await,
    }
}

/// SQLite runs in-process: a statement per batch costs microseconds.
async fn write_group_sqlite(
    pool: &SqlitePool,
    writes: &[&BatchWrite],
) -> Result<Vec<BatchOutcome>, StoreError> {
    let now = now();
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(writes.len());
    for write in writes {
        let moved = sqlx::query(
            "UPDATE scorm_sessions SET state_json = $1, next_sequence = next_sequence + 1, updated_at = $2
             WHERE id = $3 AND next_sequence = $4")
            .bind(&write.state_json).bind(now).bind(write.session_id).bind(write.sequence)
            .execute(&mut *tx).await?.rows_affected();
        if moved == 1 {
            sqlx::query("INSERT INTO scorm_commits (session_id, sequence, calls_json, received_at) VALUES ($1, $2, $3, $4)")
                .bind(write.session_id).bind(write.sequence).bind(&write.batch_json).bind(now).execute(&mut *tx).await?;
            outcomes.push(BatchOutcome::Applied);
        } else {
            outcomes.push(BatchOutcome::Conflict);
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// PostgreSQL is a network round trip away: the whole group is one statement over arrays, so a group
/// of hundreds of batches costs one round trip (plus the commit), not two per batch. This is the one
/// query written per backend; it does what the SQLite loop does.
async fn write_group_postgres(
    pool: &PgPool,
    writes: &[&BatchWrite],
) -> Result<Vec<BatchOutcome>, StoreError> {
    let ids: Vec<Uuid> = writes.iter().map(|w| w.session_id).collect();
    let sequences: Vec<i64> = writes.iter().map(|w| w.sequence).collect();
    let states: Vec<&str> = writes.iter().map(|w| w.state_json.as_str()).collect();
    let batches: Vec<&str> = writes.iter().map(|w| w.batch_json.as_str()).collect();
    let mut tx = pool.begin().await?;
    let stored: Vec<(Uuid, i64)> = sqlx::query_as(
        "WITH batch AS (
             SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[])
                 AS b(id, sequence, state_json, batch_json)),
         moved AS (
             UPDATE scorm_sessions s SET state_json = batch.state_json,
                 next_sequence = s.next_sequence + 1, updated_at = $5
             FROM batch WHERE s.id = batch.id AND s.next_sequence = batch.sequence
             RETURNING s.id, batch.sequence, batch.batch_json)
         INSERT INTO scorm_commits (session_id, sequence, calls_json, received_at)
         SELECT id, sequence, batch_json, $5 FROM moved RETURNING session_id, sequence",
    )
    .bind(&ids)
    .bind(&sequences)
    .bind(&states)
    .bind(&batches)
    .bind(now())
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    // A launch moves on once per statement, so of two batches with the same sequence (a retry racing
    // its original) only the first is reported stored; the other looks again and is acknowledged.
    let mut stored: HashSet<(Uuid, i64)> = stored.into_iter().collect();
    Ok(writes
        .iter()
        .map(|w| {
            if stored.remove(&(w.session_id, w.sequence)) {
                BatchOutcome::Applied
            } else {
                BatchOutcome::Conflict
            }
        })
        .collect())
}
