//! The manifest: a safe XML reader and the typed content-packaging and sequencing model.

mod context;
mod launch;
mod model;
mod parse;
mod resources;
mod sequencing;
mod sequencing_parse;
mod vocabulary;
mod xml;

pub use launch::Launchable;
pub use model::*;
pub use sequencing::*;
pub use vocabulary::*;

use super::diagnostic::{Code, Diagnostic, Mode, Severity};
use super::limits::Limits;

/// The name of the manifest at the package root.
pub const MANIFEST_NAME: &str = "imsmanifest.xml";

/// Parses manifest bytes. The manifest is `None` when they are not a readable manifest
/// (an error finding then says why); findings are in document order.
pub fn parse_manifest(
    bytes: &[u8],
    mode: Mode,
    limits: &Limits,
) -> (Option<Manifest>, Vec<Diagnostic>) {
    if bytes.len() as u64 > limits.max_manifest_size {
        let finding = Diagnostic::new(
            Severity::Error,
            Code::XmlTooLarge,
            format!(
                "the manifest is larger than {} bytes",
                limits.max_manifest_size
            ),
        )
        .in_file(MANIFEST_NAME);
        return (None, vec![finding]);
    }
    let (text, mut findings) = match xml::decode(bytes, mode) {
        Ok(decoded) => decoded,
        Err(finding) => return (None, vec![finding]),
    };
    let root = match xml::parse_tree(&text, mode, limits, &mut findings) {
        Ok(root) => root,
        Err(finding) => {
            findings.push(finding);
            return (None, findings);
        }
    };
    let mut ctx = context::Ctx::new(mode, limits);
    let manifest = parse::manifest(&mut ctx, &root);
    findings.append(&mut ctx.findings);
    (manifest, findings)
}
