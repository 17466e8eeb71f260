//! Integration tests of SCORM package reading and checking: Moodle's golf packages, the ADL
//! test-suite manifests, real authoring-tool manifests, hostile archives and encodings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "package/adl.rs"]
mod adl;
#[path = "package/course.rs"]
mod course;
#[path = "package/golf.rs"]
mod golf;
#[path = "package/hostile.rs"]
mod hostile;
#[path = "package/manifests.rs"]
mod manifests;
#[path = "package/support.rs"]
mod support;
#[path = "package/xml.rs"]
mod xml;
