//! mist-server's integration tests, in one binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod audit;
mod cert;
mod certs;
mod cli;
mod compliance;
mod incident;
mod learn;
mod live;
mod manage;
mod media;
mod portal;
mod processes;
mod scorm;
mod store;
mod support;
mod web;
