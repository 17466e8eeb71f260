//! Checks the schemas cannot make: references resolve, files exist, SCO and asset rules.

use std::collections::{BTreeSet, HashSet};

use super::diagnostic::{Code, Diagnostic, Mode, Severity};
use super::manifest::{Item, MANIFEST_NAME, Manifest, Metadata, Resource, ScormType};
use super::names::{HrefTarget, resolve_href};
use super::source::Listing;

/// Files that packages carry without listing them, and that nobody expects them to list:
/// schemas (SCORM asks packages to ship them) and operating-system litter.
fn is_incidental(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("__MACOSX/")
        || matches!(file, ".DS_Store" | "Thumbs.db" | "desktop.ini")
        || file.ends_with(".xsd")
        || file.ends_with(".dtd")
}

struct Checker<'a> {
    manifest: &'a Manifest,
    listing: &'a Listing,
    mode: Mode,
    findings: Vec<Diagnostic>,
    declared: BTreeSet<String>,
}

/// Runs every semantic check of `manifest` against the package files.
pub(crate) fn check(manifest: &Manifest, listing: &Listing, mode: Mode) -> Vec<Diagnostic> {
    let mut checker = Checker {
        manifest,
        listing,
        mode,
        findings: Vec::new(),
        declared: BTreeSet::from([MANIFEST_NAME.to_owned()]),
    };
    checker.organizations();
    let launched = checker.items();
    checker.resources(&launched);
    checker.metadata_files();
    checker.undeclared_files();
    checker.findings
}

impl Checker<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: Code,
        message: String,
        line: Option<u32>,
    ) -> &mut Diagnostic {
        let mut finding = Diagnostic::new(severity, code, message).in_file(MANIFEST_NAME);
        finding.line = line;
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    fn violation(&mut self, code: Code, message: String, line: Option<u32>) -> &mut Diagnostic {
        self.push(self.mode.violation(), code, message, line)
    }

    fn organizations(&mut self) {
        let manifest = self.manifest;
        if manifest.organizations.is_empty() {
            self.push(
                Severity::Info,
                Code::OrganizationNone,
                "the manifest has no organization: every resource with an href becomes a SCO"
                    .into(),
                None,
            );
        }
        if let Some(default) = manifest.default_organization.as_deref() {
            let exists = manifest
                .organizations
                .iter()
                .any(|o| o.identifier == default);
            if !exists && let Some(first) = manifest.organizations.first() {
                let message = format!(
                    "the default organization {default:?} does not exist; the first one, {:?}, is used",
                    first.identifier
                );
                self.violation(Code::OrganizationDefaultMissing, message, Some(first.line))
                    .hint = Some("set organizations/@default to an organization identifier".into());
            }
        }
        if manifest.launchables().is_empty() {
            self.push(
                Severity::Error,
                Code::PackageNothingToLaunch,
                "no item or resource of the package can be launched".into(),
                None,
            );
        }
    }

    /// Checks every item of every organization; returns the identifiers of launched resources.
    fn items(&mut self) -> HashSet<String> {
        let manifest = self.manifest;
        let mut launched: HashSet<String> = manifest
            .launchables()
            .into_iter()
            .map(|l| l.resource)
            .collect();
        for org in &manifest.organizations {
            for item in org.items.iter().flat_map(Item::walk) {
                let Some(target) = item.identifierref.as_deref() else {
                    continue;
                };
                self.sequencing_reference(item);
                let Some(resource) = manifest.resource(target) else {
                    let message = format!(
                        "item {:?} references {target:?}, which is not a resource",
                        item.identifier
                    );
                    self.violation(Code::ItemUnresolvedReference, message, Some(item.line));
                    continue;
                };
                launched.insert(resource.identifier.clone());
                if resource.href.is_none() {
                    let message = format!(
                        "item {:?} launches resource {target:?}, which has no href",
                        item.identifier
                    );
                    self.violation(Code::ItemResourceWithoutHref, message, Some(item.line));
                }
                if !item.items.is_empty() {
                    let message = format!(
                        "item {:?} has children and also launches {target:?}",
                        item.identifier
                    );
                    let severity = if manifest.scorm_version.is_2004() {
                        self.mode.violation()
                    } else {
                        Severity::Warning
                    };
                    self.push(severity, Code::ItemParentWithResource, message, Some(item.line))
                        .hint = Some("only leaf items may reference resources; move the launch into a child item".into());
                }
            }
        }
        launched
    }

    fn sequencing_reference(&mut self, item: &Item) {
        let Some(id_ref) = item.sequencing.as_ref().and_then(|s| s.id_ref.as_deref()) else {
            return;
        };
        if !self
            .manifest
            .sequencing_collection
            .iter()
            .any(|s| s.id.as_deref() == Some(id_ref))
        {
            let message = format!(
                "item {:?} uses sequencing {id_ref:?}, which the sequencing collection lacks",
                item.identifier
            );
            self.violation(
                Code::SequencingUnresolvedReference,
                message,
                Some(item.line),
            );
        }
    }

    fn resources(&mut self, launched: &HashSet<String>) {
        let manifest = self.manifest;
        let depended: HashSet<&str> = manifest
            .resources
            .iter()
            .flat_map(|r| r.dependencies.iter().map(String::as_str))
            .collect();
        for resource in &manifest.resources {
            let line = Some(resource.line);
            if resource.scorm_type == Some(ScormType::Sco) && resource.href.is_none() {
                let message = format!("SCO resource {:?} has no href", resource.identifier);
                self.violation(Code::ResourceScoWithoutHref, message, line);
            }
            for dependency in &resource.dependencies {
                if manifest.resource(dependency).is_none() {
                    let message = format!(
                        "resource {:?} depends on {dependency:?}, which is not a resource",
                        resource.identifier
                    );
                    self.violation(Code::ResourceUnresolvedDependency, message, line);
                }
            }
            let is_launched = launched.contains(&resource.identifier);
            if !is_launched && !depended.contains(resource.identifier.as_str()) {
                let message = format!(
                    "resource {:?} is used by no item and no dependency",
                    resource.identifier
                );
                self.push(Severity::Warning, Code::ResourceUnreachable, message, line);
            }
            self.resource_files(resource, is_launched);
        }
    }

    fn resource_files(&mut self, resource: &Resource, is_launched: bool) {
        let bases = self.manifest.bases(resource);
        let mut listed = HashSet::new();
        for file in &resource.files {
            if !listed.insert(file.href.as_str()) {
                let message = format!(
                    "resource {:?} lists {:?} twice",
                    resource.identifier, file.href
                );
                self.push(
                    Severity::Warning,
                    Code::FileDuplicate,
                    message,
                    Some(file.line),
                );
                continue;
            }
            self.file_exists(&bases, &file.href, false, Some(file.line));
        }
        if let Some(href) = resource.href.as_deref() {
            self.file_exists(&bases, href, is_launched, Some(resource.line));
        }
    }

    fn file_exists(&mut self, bases: &[&str], href: &str, is_launch: bool, line: Option<u32>) {
        match resolve_href(bases, href) {
            HrefTarget::External => {}
            HrefTarget::Outside => {
                let message = format!("{href:?} resolves outside the package");
                self.push(Severity::Error, Code::ResourceHrefOutside, message, line);
            }
            HrefTarget::Local(path) => {
                if self.listing.contains(&path) {
                    self.declared.insert(path);
                } else if is_launch {
                    let message = format!("the launch file {path} is not in the package");
                    self.push(Severity::Error, Code::FileLaunchMissing, message, line);
                } else {
                    let message = format!("the listed file {path} is not in the package");
                    self.violation(Code::FileMissing, message, line);
                }
            }
        }
    }

    fn metadata_files(&mut self) {
        let manifest = self.manifest;
        let mut all: Vec<&Metadata> = manifest.metadata.iter().collect();
        for org in &manifest.organizations {
            all.extend(org.metadata.iter());
            all.extend(
                org.items
                    .iter()
                    .flat_map(Item::walk)
                    .filter_map(|i| i.metadata.as_ref()),
            );
        }
        for resource in &manifest.resources {
            all.extend(resource.metadata.iter());
            all.extend(resource.files.iter().filter_map(|f| f.metadata.as_ref()));
        }
        for location in all.iter().flat_map(|m| m.locations.iter()) {
            match resolve_href(&[], location) {
                HrefTarget::Local(path) if self.listing.contains(&path) => {
                    self.declared.insert(path);
                }
                HrefTarget::External => {}
                _ => {
                    let message = format!("the metadata file {location} is not in the package");
                    self.violation(Code::FileMetadataMissing, message, None);
                }
            }
        }
    }

    fn undeclared_files(&mut self) {
        let undeclared: Vec<&String> = self
            .listing
            .files
            .keys()
            .filter(|name| !self.declared.contains(*name) && !is_incidental(name))
            .collect();
        if undeclared.is_empty() {
            return;
        }
        let examples: Vec<&str> = undeclared.iter().take(5).map(|s| s.as_str()).collect();
        let message = format!(
            "{} files are listed by no resource (e.g. {})",
            undeclared.len(),
            examples.join(", ")
        );
        self.push(Severity::Warning, Code::FileUndeclared, message, None)
            .hint = Some("list every file of a resource in a <file> element".into());
    }
}
