//! Workspace integration tests: one test binary for the whole facade (each binary is a slow link).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod builtin_series;
mod shared;
