//! mist-server's integration tests, in one binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod web;
