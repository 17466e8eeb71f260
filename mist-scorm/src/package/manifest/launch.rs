//! What the engine launches: the launchable items of a manifest with resolved URLs.

use serde::Serialize;

use super::model::{CompletionThreshold, Item, Manifest, Resource, ScormType};
use super::sequencing::Sequencing;
use crate::package::names::launch_url;

/// One launchable item (a module for the engine), in tree order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Launchable {
    /// The organization it belongs to (empty when the manifest has none).
    pub organization: String,
    /// The item identifier (the resource identifier when the manifest has no organization).
    pub item: String,
    /// The item title (the resource identifier when the manifest has no organization).
    pub title: String,
    /// Nesting depth: 0 for a top-level item.
    pub depth: usize,
    /// Identifiers of the enclosing items, outermost first.
    pub parents: Vec<String>,
    /// The resource launched.
    pub resource: String,
    /// SCO or asset (a resource without `scormType` is an asset).
    pub scorm_type: ScormType,
    /// The launch URL relative to the package root: `xml:base` chain + href + parameters.
    pub launch_url: String,
    /// `isvisible`.
    pub is_visible: bool,
    /// SCORM 1.2 mastery score (0–100).
    pub mastery_score: Option<f64>,
    /// SCORM 2004 scaled passing score (primary objective satisfied by measure).
    pub scaled_passing_score: Option<f64>,
    /// SCORM 2004 completion threshold.
    pub completion_threshold: Option<CompletionThreshold>,
    /// Launch data (`adlcp:datafromlms` / `adlcp:dataFromLMS`).
    pub data_from_lms: Option<String>,
    /// `adlcp:maxtimeallowed`.
    pub max_time_allowed: Option<String>,
    /// `adlcp:timelimitaction`.
    pub time_limit_action: Option<String>,
    /// The item's sequencing, with its `IDRef` collection entry merged in.
    pub sequencing: Option<Sequencing>,
}

impl Manifest {
    /// The `xml:base` chain of a resource, outermost first.
    pub fn bases<'a>(&'a self, resource: &'a Resource) -> Vec<&'a str> {
        [
            self.base.as_deref(),
            self.resources_base.as_deref(),
            resource.base.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The launch URL of a resource for an item's parameters; `None` without an href.
    pub fn launch_url(&self, resource: &Resource, parameters: Option<&str>) -> Option<String> {
        let href = resource.href.as_deref()?;
        Some(launch_url(&self.bases(resource), href, parameters))
    }

    /// The sequencing of an item or organization with its `IDRef` resolved.
    pub fn resolved_sequencing(&self, sequencing: Option<&Sequencing>) -> Option<Sequencing> {
        let local = sequencing?;
        let shared = local.id_ref.as_deref().and_then(|id| {
            self.sequencing_collection
                .iter()
                .find(|s| s.id.as_deref() == Some(id))
        });
        Some(match shared {
            Some(shared) => local.merged_over(shared),
            None => local.clone(),
        })
    }

    /// The items of the launch organization that launch a resource with an href, in tree order.
    ///
    /// Without any organization or item, every resource with an href becomes a SCO, as Moodle
    /// does with such packages.
    pub fn launchables(&self) -> Vec<Launchable> {
        match self.launch_organization().filter(|o| !o.items.is_empty()) {
            Some(org) => {
                let mut out = Vec::new();
                let mut parents = Vec::new();
                for item in &org.items {
                    self.collect(&org.identifier, item, &mut parents, &mut out);
                }
                out
            }
            None => self
                .resources
                .iter()
                .filter_map(|r| self.flat_launchable(r))
                .collect(),
        }
    }

    fn collect(
        &self,
        org: &str,
        item: &Item,
        parents: &mut Vec<String>,
        out: &mut Vec<Launchable>,
    ) {
        let resource = item
            .identifierref
            .as_deref()
            .and_then(|id| self.resource(id));
        if let Some((resource, url)) =
            resource.and_then(|r| Some((r, self.launch_url(r, item.parameters.as_deref())?)))
        {
            let sequencing = self.resolved_sequencing(item.sequencing.as_ref());
            out.push(Launchable {
                organization: org.to_owned(),
                item: item.identifier.clone(),
                title: item.title.clone(),
                depth: parents.len(),
                parents: parents.clone(),
                resource: resource.identifier.clone(),
                scorm_type: resource.effective_type(),
                launch_url: url,
                is_visible: item.is_visible,
                mastery_score: item.mastery_score,
                scaled_passing_score: sequencing
                    .as_ref()
                    .and_then(Sequencing::scaled_passing_score),
                completion_threshold: item.completion_threshold,
                data_from_lms: item.data_from_lms.clone(),
                max_time_allowed: item.max_time_allowed.clone(),
                time_limit_action: item.time_limit_action.clone(),
                sequencing,
            });
        }
        parents.push(item.identifier.clone());
        for child in &item.items {
            self.collect(org, child, parents, out);
        }
        parents.pop();
    }

    fn flat_launchable(&self, resource: &Resource) -> Option<Launchable> {
        Some(Launchable {
            organization: String::new(),
            item: resource.identifier.clone(),
            title: resource.identifier.clone(),
            depth: 0,
            parents: Vec::new(),
            resource: resource.identifier.clone(),
            scorm_type: ScormType::Sco,
            launch_url: self.launch_url(resource, None)?,
            is_visible: true,
            mastery_score: None,
            scaled_passing_score: None,
            completion_threshold: None,
            data_from_lms: None,
            max_time_allowed: None,
            time_limit_action: None,
            sequencing: None,
        })
    }
}
