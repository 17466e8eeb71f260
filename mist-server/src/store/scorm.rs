//! SCORM launches: the state each started from, the calls reported, the replayed state.

use sqlx::FromRow;
use uuid::Uuid;

use super::learning::ModuleKey;
use super::{Store, StoreError, execute, now, on_pool};

/// One launch of a SCO as stored.
#[derive(Debug, Clone, FromRow)]
pub struct ScormSession {
    /// Identifier.
    pub id: Uuid,
    /// The learner.
    pub user_id: Uuid,
    /// The course.
    pub course_id: Uuid,
    /// The module (one launchable item).
    pub module_slug: String,
    /// The run-time state the launch started from (JSON).
    pub start_state_json: String,
    /// The state those calls lead to (JSON).
    pub state_json: String,
    /// The sequence number the next batch must carry.
    pub next_sequence: i64,
}

/// What became of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutcome {
    /// Stored; the launch moved on.
    Applied,
    /// Another request stored a batch first; read the session again.
    Conflict,
}

impl Store {
    /// Records a new launch.
    pub async fn create_scorm_session(
        &self,
        id: Uuid,
        token_hash: &str,
        key: ModuleKey<'_>,
        start_state_json: &str,
    ) -> Result<(), StoreError> {
        let now = now();
        execute!(self, sqlx::query(
            "INSERT INTO scorm_sessions (id, token_hash, user_id, course_id, module_slug, start_state_json, state_json,
               next_sequence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, 1, $7, $7)")
            .bind(id).bind(token_hash).bind(key.user_id).bind(key.course_id).bind(key.module).bind(start_state_json).bind(now))?;
        Ok(())
    }

    /// The launch a per-attempt token belongs to.
    pub async fn scorm_session_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<ScormSession>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, user_id, course_id, module_slug, start_state_json, state_json, next_sequence
             FROM scorm_sessions WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(pool).await?))
    }

    /// The batches a launch stored, in order (each a JSON array of calls): replayed from the launch's
    /// start state, they give its current state.
    pub async fn scorm_calls(&self, id: Uuid) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT calls_json FROM scorm_commits WHERE session_id = $1 ORDER BY sequence")
            .bind(id).fetch_all(pool).await?))
    }

    /// A launch by id.
    pub async fn scorm_session(&self, id: Uuid) -> Result<Option<ScormSession>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, user_id, course_id, module_slug, start_state_json, state_json, next_sequence
             FROM scorm_sessions WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// The state the learner's latest launch of a SCO reached (the next launch starts from it): the
    /// launch that stored a batch most recently.
    pub async fn latest_scorm_state(
        &self,
        key: ModuleKey<'_>,
    ) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT state_json FROM scorm_sessions WHERE user_id = $1 AND course_id = $2 AND module_slug = $3
               AND next_sequence > 1 ORDER BY updated_at DESC, created_at DESC LIMIT 1")
            .bind(key.user_id).bind(key.course_id).bind(key.module).fetch_optional(pool).await?))
    }

    /// Sets the starting state of a launch that has stored no batch yet.
    pub async fn restart_scorm_session(
        &self,
        id: Uuid,
        start_state_json: &str,
    ) -> Result<(), StoreError> {
        execute!(self, sqlx::query(
            "UPDATE scorm_sessions SET start_state_json = $1, state_json = $1 WHERE id = $2 AND next_sequence = 1")
            .bind(start_state_json).bind(id))?;
        Ok(())
    }
}
