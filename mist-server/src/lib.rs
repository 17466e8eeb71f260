#![doc = include_str!("../README.md")]

pub mod app;
pub mod compliance;
pub mod fonts;
pub mod live_mail;
pub mod secret;
pub mod seed;
pub mod storage;
pub mod store;
pub mod web;

pub use store::Store;
pub use web::{AppState, router};
