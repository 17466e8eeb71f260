#![doc = include_str!("../README.md")]

pub mod export;
pub mod package;
pub mod runtime;
