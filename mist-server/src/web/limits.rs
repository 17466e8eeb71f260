//! Limits on the forms anyone may post without an account (inquiries, incident reports): per client
//! address and for everyone, counted in the sign-in limiter's table, so that every server process on
//! one database counts together.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::Extensions;
use time::Duration;

use super::{AppError, AppState};

/// How many posts of one form are accepted within a window.
#[derive(Debug, Clone, Copy)]
pub struct PostLimit {
    /// Names the form in the limiter's keys.
    pub scope: &'static str,
    /// Posts accepted from one client address.
    pub per_client: i64,
    /// Posts accepted from everyone (a flood from many addresses).
    pub overall: i64,
    /// The window both count over.
    pub window: Duration,
}

impl PostLimit {
    /// The keys a post counts under — everyone, and its client address when known — or `None` when
    /// either has had its fill within the window.
    pub async fn admit(
        &self,
        state: &AppState,
        extensions: &Extensions,
    ) -> Result<Option<Vec<String>>, AppError> {
        let mut keys = vec![format!("{}:all", self.scope)];
        if let Some(ConnectInfo(address)) = extensions.get::<ConnectInfo<SocketAddr>>() {
            keys.push(format!("{}:ip:{}", self.scope, address.ip()));
        }
        for (key, max) in keys.iter().zip([self.overall, self.per_client]) {
            if state.store.recent_limited_events(key, self.window).await? >= max {
                return Ok(None);
            }
        }
        Ok(Some(keys))
    }

    /// Counts a post under its keys.
    pub async fn count(&self, state: &AppState, keys: &[String]) -> Result<(), AppError> {
        state.store.record_limited_event(keys).await?;
        Ok(())
    }
}
