#![doc = include_str!("../README.md")]

pub mod db;
pub mod web;

pub use db::Db;
pub use web::{AppState, router};
