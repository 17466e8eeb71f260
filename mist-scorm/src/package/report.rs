//! The outcome of checking a package, shaped for `mist scorm check --json`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::diagnostic::{Diagnostic, has_errors};
use super::manifest::{Item, Manifest, ScormType, ScormVersion};

/// What checking a package found: its structure (when the manifest could be read) and findings.
///
/// Serializes to `{"scorm_version", "title", "organizations": [{"identifier", "title", "items"}],
/// "scos", "assets", "diagnostics": [{"severity", "code", "message", "file", "line", "column",
/// "hint"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The SCORM version, when the manifest could be read.
    pub scorm_version: Option<ScormVersion>,
    /// The package title (launch organization's title).
    pub title: Option<String>,
    /// Every organization with its item tree.
    pub organizations: Vec<OrganizationSummary>,
    /// Launchable items that are SCOs.
    pub scos: usize,
    /// Launchable items that are assets.
    pub assets: usize,
    /// Every finding, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed manifest, when it could be read.
    #[serde(skip)]
    pub manifest: Option<Manifest>,
    /// The package files by canonical name, with their sizes.
    #[serde(skip)]
    pub files: BTreeMap<String, u64>,
}

/// An organization in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganizationSummary {
    /// Its identifier.
    pub identifier: String,
    /// Its title.
    pub title: String,
    /// Its top-level items.
    pub items: Vec<ItemSummary>,
}

/// An item in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSummary {
    /// Its identifier.
    pub identifier: String,
    /// Its title.
    pub title: String,
    /// Whether it shows in the table of contents.
    pub visible: bool,
    /// SCO or asset, for a launchable item.
    pub scorm_type: Option<ScormType>,
    /// The launch URL, for a launchable item.
    pub launch: Option<String>,
    /// Child items.
    pub items: Vec<ItemSummary>,
}

impl Report {
    /// A report of findings only (the manifest could not be read).
    pub(crate) fn findings_only(
        diagnostics: Vec<Diagnostic>,
        files: BTreeMap<String, u64>,
    ) -> Self {
        Report {
            scorm_version: None,
            title: None,
            organizations: Vec::new(),
            scos: 0,
            assets: 0,
            diagnostics,
            manifest: None,
            files,
        }
    }

    /// A report for a parsed manifest.
    pub(crate) fn for_manifest(
        manifest: Manifest,
        diagnostics: Vec<Diagnostic>,
        files: BTreeMap<String, u64>,
    ) -> Self {
        let launchables = manifest.launchables();
        let count = |kind| launchables.iter().filter(|l| l.scorm_type == kind).count();
        Report {
            scorm_version: Some(manifest.scorm_version),
            title: Some(manifest.title().to_owned()),
            organizations: manifest
                .organizations
                .iter()
                .map(|o| OrganizationSummary {
                    identifier: o.identifier.clone(),
                    title: o.title.clone(),
                    items: o.items.iter().map(|i| summarize(&manifest, i)).collect(),
                })
                .collect(),
            scos: count(ScormType::Sco),
            assets: count(ScormType::Asset),
            diagnostics,
            manifest: Some(manifest),
            files,
        }
    }

    /// True when the package can be imported (warnings allowed, no error).
    pub fn is_importable(&self) -> bool {
        !has_errors(&self.diagnostics)
    }

    /// The findings with this code.
    pub fn with_code(&self, code: super::diagnostic::Code) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.code == code)
    }
}

fn summarize(manifest: &Manifest, item: &Item) -> ItemSummary {
    let resource = item
        .identifierref
        .as_deref()
        .and_then(|id| manifest.resource(id));
    ItemSummary {
        identifier: item.identifier.clone(),
        title: item.title.clone(),
        visible: item.is_visible,
        scorm_type: resource.map(|r| r.effective_type()),
        launch: resource.and_then(|r| manifest.launch_url(r, item.parameters.as_deref())),
        items: item.items.iter().map(|i| summarize(manifest, i)).collect(),
    }
}
