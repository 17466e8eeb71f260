//! What an ADL test package gives each activity at launch, from its manifest: the
//! package reader's typed model for the items and their sequencing, and a text scan for
//! the shared data maps (the ADL suite treats a map without `writeSharedData` as
//! writable — DDMb writes through such maps — where the adlcp XSD, and so the package
//! reader, defaults it to false).

use std::fs;
use std::path::Path;

use mist_scorm::package::manifest::{Item, Manifest, Sequencing};
use mist_scorm::package::{Limits, Mode, parse_manifest};
use mist_scorm::runtime::{LaunchData, ObjectiveDefinition, SharedData};
use percent_encoding::percent_decode_str;

/// One test package: its parsed manifest and its text.
pub struct Package {
    manifest: Option<Manifest>,
    xml: String,
}

/// One activity of a package, as the launch needs it.
pub struct Activity<'a> {
    /// The `<item>`.
    pub item: &'a Item,
    /// Its sequencing, with the sequencing collection entry it refers to merged in.
    pub sequencing: Sequencing,
    /// Its objectives (ids percent-decoded, see [`Package::activity`]).
    pub objectives: Vec<ObjectiveDefinition>,
}

impl Activity<'_> {
    /// `deliveryControls/@tracked` (default true).
    pub fn tracked(&self) -> bool {
        self.sequencing
            .delivery_controls
            .as_ref()
            .is_none_or(|d| d.tracked)
    }
}

impl Package {
    /// Reads `LMSTestPackage_{name}/imsmanifest.xml` under `courses`.
    pub fn read(courses: &Path, name: &str) -> Self {
        let path = courses.join(format!("LMSTestPackage_{name}/imsmanifest.xml"));
        let xml = fs::read_to_string(path).unwrap_or_default();
        let (manifest, _) = parse_manifest(xml.as_bytes(), Mode::Tolerant, &Limits::default());
        Self { manifest, xml }
    }

    fn organization_flag(
        &self,
        flag: impl Fn(&mist_scorm::package::manifest::Organization) -> bool,
    ) -> bool {
        let organization = self
            .manifest
            .as_ref()
            .and_then(Manifest::launch_organization);
        organization.is_none_or(flag)
    }

    /// `adlseq:objectivesGlobalToSystem` (default true).
    pub fn objectives_global(&self) -> bool {
        self.organization_flag(|o| o.objectives_global_to_system)
    }

    /// `adlcp:sharedDataGlobalToSystem` (default true).
    pub fn shared_data_global(&self) -> bool {
        self.organization_flag(|o| o.shared_data_global_to_system)
    }

    /// Every item of the launch organization.
    fn items(&self) -> Vec<&Item> {
        let organization = self
            .manifest
            .as_ref()
            .and_then(Manifest::launch_organization);
        organization
            .map(|o| o.items.iter().flat_map(Item::walk).collect())
            .unwrap_or_default()
    }

    /// The sequencing of an item, merged over the collection entry its `IDRef` names.
    fn sequencing_of(&self, own: Option<&Sequencing>) -> Sequencing {
        let own = own.cloned().unwrap_or_default();
        let shared = own.id_ref.as_ref().and_then(|id| {
            let collection = &self.manifest.as_ref()?.sequencing_collection;
            collection.iter().find(|s| s.id.as_ref() == Some(id))
        });
        shared.map_or_else(|| own.clone(), |shared| own.merged_over(shared))
    }

    /// The activity of item `identifier`. Objective ids are `anyURI`s, so blanks
    /// around them do not count, and ADL's LMS gives the SCO their percent-decoded form
    /// (OB-12a declares `" ob%20j%201     "` and addresses `ob j 1`).
    pub fn activity(&self, identifier: &str) -> Option<Activity<'_>> {
        let item = self
            .items()
            .into_iter()
            .find(|item| item.identifier == identifier)?;
        let sequencing = self.sequencing_of(item.sequencing.as_ref());
        let mut objectives = ObjectiveDefinition::from_sequencing(&sequencing);
        for objective in &mut objectives {
            objective.id = objective.id.as_deref().map(|id| {
                percent_decode_str(id.trim())
                    .decode_utf8_lossy()
                    .into_owned()
            });
        }
        Some(Activity {
            item,
            sequencing,
            objectives,
        })
    }

    /// Global objectives that clusters write: their values come from rollup.
    pub fn rollup_targets(&self) -> Vec<String> {
        let organization = self
            .manifest
            .as_ref()
            .and_then(Manifest::launch_organization);
        let root = organization.and_then(|o| o.sequencing.as_ref());
        let clusters = self
            .items()
            .into_iter()
            .filter(|item| !item.items.is_empty());
        let sequencings = root
            .into_iter()
            .cloned()
            .chain(clusters.map(|item| self.sequencing_of(item.sequencing.as_ref())));
        sequencings
            .flat_map(|s| ObjectiveDefinition::from_sequencing(&s))
            .flat_map(|o| o.maps)
            .filter(|map| map.write != Default::default())
            .map(|map| map.target)
            .collect()
    }

    /// Launch data of item `identifier` for learner `m` (the ADL operator's learner).
    pub fn launch_data(&self, identifier: &str) -> LaunchData {
        let mut launch = LaunchData {
            learner_id: "m".into(),
            ..LaunchData::default()
        };
        launch.shared_data = self.shared_data_maps(identifier);
        let Some(activity) = self.activity(identifier) else {
            return launch;
        };
        let item = activity.item;
        launch.launch_data = item.data_from_lms.clone();
        launch.time_limit_action = item.time_limit_action.clone();
        launch.max_time_allowed = activity
            .sequencing
            .limit_conditions
            .as_ref()
            .and_then(|l| l.attempt_absolute_duration_limit.clone());
        launch.completion_threshold = item
            .completion_threshold
            .filter(|t| t.completed_by_measure)
            .map(|t| t.min_progress_measure);
        launch.scaled_passing_score = activity.sequencing.scaled_passing_score();
        launch.primary_objective_id = activity
            .objectives
            .iter()
            .find(|o| o.primary)
            .and_then(|o| o.id.clone());
        launch.objective_ids = activity
            .objectives
            .iter()
            .filter_map(|o| o.id.clone())
            .collect();
        launch
    }

    /// The shared data maps of item `identifier`, scanned from the manifest text.
    fn shared_data_maps(&self, identifier: &str) -> Vec<SharedData> {
        let Some(item) = item_section(&self.xml, identifier) else {
            return Vec::new();
        };
        tags(item, "adlcp:map")
            .filter_map(|tag| {
                Some(SharedData {
                    id: attribute(tag, "targetID")?,
                    readable: attribute(tag, "readSharedData").as_deref() != Some("false"),
                    writable: attribute(tag, "writeSharedData").as_deref() != Some("false"),
                    value: None,
                })
            })
            .collect()
    }
}

/// The value of attribute `name` in the start tag `tag` (tolerates ` = ` spacing).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at].ends_with(|c: char| c.is_whitespace());
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if let Some(value) = after
            .strip_prefix('=')
            .map(str::trim_start)
            .filter(|_| before_ok)
        {
            let quote = value.chars().next()?;
            let body = &value[1..];
            return body.find(quote).map(|end| body[..end].trim().to_owned());
        }
    }
    None
}

/// Start tags named `name` in `xml`, each as the text between `<` and `>`.
fn tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    xml.match_indices('<').filter_map(move |(at, _)| {
        let tag = &xml[at..];
        tag[1..].starts_with(name).then_some(())?;
        let next = tag.as_bytes().get(name.len() + 1).copied();
        let whole_name = matches!(next, Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'));
        tag.find('>').filter(|_| whole_name).map(|end| &tag[..end])
    })
}

/// The part of the manifest that belongs to item `identifier` (up to its first
/// child item or its end tag).
fn item_section<'a>(xml: &'a str, identifier: &str) -> Option<&'a str> {
    let tag = tags(xml, "item")
        .find(|tag| attribute(tag, "identifier").as_deref() == Some(identifier))?;
    let start = xml.find(tag)?;
    let body = &xml[start + tag.len()..];
    let end = [body.find("<item"), body.find("</item>")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    Some(&body[..end])
}
