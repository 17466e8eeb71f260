//! MIST: an e-learning engine for hospital cybersecurity training.
//!
//! This facade re-exports the library crates so that examples and integration tests can use one name.

pub use mist_core as core;
pub use mist_scorm as scorm;
