//! Reading and checking SCORM packages (1.2 and 2004, every edition).
//!
//! - [`check`] / [`check_zip`]: list a package, read and parse its manifest, run the semantic
//!   checks, and return a [`Report`] (never panics; problems are [`Diagnostic`]s).
//! - [`PackageSource`]: where files come from — [`ZipSource`] over any `Read + Seek`,
//!   [`ListedSource`] for names given by the caller, [`DirSource`] for a folder.
//! - [`extract`]: unpack a zip into a folder, refusing hostile archives before writing.
//! - [`Manifest`]: the typed content-packaging and sequencing model;
//!   [`Manifest::launchables`] lists what the engine launches, with resolved URLs.
//! - [`Limits`] and [`Mode`] configure how hard the checks are.
//!
//! Architecture invariant: only [`fs`] and [`extract`] touch the file system.

mod archive;
mod check;
mod course;
mod diagnostic;
mod extract;
pub mod fs;
mod limits;
pub mod manifest;
pub mod names;
mod report;
mod semantic;
mod source;

pub use archive::{ArchiveError, ZipSource};
pub use check::{check, check_zip};
pub use course::{ImportError, to_course};
pub use diagnostic::{Code, Diagnostic, Mode, Position, Severity, has_errors};
pub use extract::{ExtractSummary, extract};
pub use fs::DirSource;
pub use limits::{CapExceeded, CapKind, CappedReader, Limits, cap_exceeded};
pub use manifest::{Launchable, MANIFEST_NAME, Manifest, ScormType, ScormVersion, parse_manifest};
pub use report::{ItemSummary, OrganizationSummary, Report};
pub use source::{ListedSource, Listing, PackageSource};
