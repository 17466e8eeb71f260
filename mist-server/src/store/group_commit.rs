//! Group commit for SCORM batches: concurrent commits share one database transaction, so one disk
//! flush makes many of them durable, and none is acknowledged before its transaction committed.
//!
//! A single writer task takes the first waiting batch, then every batch that arrived meanwhile (up to
//! [`MAX_GROUP`]), and writes them in one transaction. Under light load a group is one batch and adds
//! no delay; under heavy load the groups grow while the previous flush runs.

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::scorm::BatchOutcome;
use super::{Store, StoreError, now, on_pool};

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
    /// Every call of the launch so far (JSON).
    pub calls_json: String,
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
    let now = now();
    let outcomes = on_pool!(store, pool => {
        let mut tx = pool.begin().await?;
        let mut outcomes = Vec::with_capacity(writes.len());
        for write in writes {
            let moved = sqlx::query(
                "UPDATE scorm_sessions SET calls_json = $1, state_json = $2, next_sequence = next_sequence + 1, updated_at = $3
                 WHERE id = $4 AND next_sequence = $5")
                .bind(&write.calls_json).bind(&write.state_json).bind(now).bind(write.session_id).bind(write.sequence)
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
        outcomes
    });
    Ok(outcomes)
}
