//! The content-packaging model of a SCORM manifest.

use serde::Serialize;

use super::sequencing::Sequencing;
use super::vocabulary::HideLmsUi;

/// Which SCORM a package is, from `schemaversion` and the namespaces it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScormVersion {
    /// SCORM 1.2.
    Scorm12,
    /// SCORM 2004 1st or 2nd Edition (`CAM 1.3` or `1.3`).
    Scorm2004Cam13,
    /// SCORM 2004 3rd Edition.
    Scorm2004Third,
    /// SCORM 2004 4th Edition.
    Scorm2004Fourth,
}

impl ScormVersion {
    /// True for every SCORM 2004 edition.
    pub fn is_2004(self) -> bool {
        self != ScormVersion::Scorm12
    }

    /// The canonical `schemaversion` text.
    pub fn as_str(self) -> &'static str {
        match self {
            ScormVersion::Scorm12 => "1.2",
            ScormVersion::Scorm2004Cam13 => "CAM 1.3",
            ScormVersion::Scorm2004Third => "2004 3rd Edition",
            ScormVersion::Scorm2004Fourth => "2004 4th Edition",
        }
    }
}

impl Serialize for ScormVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A parsed `imsmanifest.xml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// `manifest/@identifier`.
    pub identifier: String,
    /// `manifest/@version`.
    pub version: Option<String>,
    /// `manifest/@xml:base`.
    pub base: Option<String>,
    /// The SCORM version detected.
    pub scorm_version: ScormVersion,
    /// `manifest/metadata`.
    pub metadata: Option<Metadata>,
    /// `organizations/@default` as written (it may name nothing).
    pub default_organization: Option<String>,
    /// The organizations, in document order.
    pub organizations: Vec<Organization>,
    /// `resources/@xml:base`.
    pub resources_base: Option<String>,
    /// The resources, in document order.
    pub resources: Vec<Resource>,
    /// `imsss:sequencingCollection`: shared sequencing referenced by `IDRef`.
    pub sequencing_collection: Vec<Sequencing>,
}

/// `metadata`: schema, version, inline LOM and external metadata files.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Metadata {
    /// `schema` (normally `ADL SCORM`).
    pub schema: Option<String>,
    /// `schemaversion` as written.
    pub schema_version: Option<String>,
    /// `adlcp:location`: metadata files in the package.
    pub locations: Vec<String>,
    /// Inline LOM (`lom`) elements, kept as generic XML.
    pub lom: Vec<XmlElement>,
}

/// A generic XML element kept as written (inline LOM metadata).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XmlElement {
    /// Namespace URI (empty for none).
    pub namespace: String,
    /// Local name.
    pub name: String,
    /// Attributes as (local name, value).
    pub attributes: Vec<(String, String)>,
    /// Trimmed text content.
    pub text: String,
    /// Child elements.
    pub children: Vec<XmlElement>,
}

/// An `organization`: one tree of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    /// `@identifier`.
    pub identifier: String,
    /// `@structure` (default `hierarchical`).
    pub structure: Option<String>,
    /// `title`.
    pub title: String,
    /// Top-level items.
    pub items: Vec<Item>,
    /// `metadata`.
    pub metadata: Option<Metadata>,
    /// `imsss:sequencing` of the root activity.
    pub sequencing: Option<Sequencing>,
    /// `adlseq:objectivesGlobalToSystem` (default true).
    pub objectives_global_to_system: bool,
    /// `adlcp:sharedDataGlobalToSystem` (default true).
    pub shared_data_global_to_system: bool,
    /// `adlcp:completionThreshold` of the root activity.
    pub completion_threshold: Option<CompletionThreshold>,
    /// 1-based line of the element in the manifest.
    pub line: u32,
}

/// An `item`: an aggregation (children) or a launchable activity (`identifierref`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// `@identifier`.
    pub identifier: String,
    /// `@identifierref`: the resource it launches.
    pub identifierref: Option<String>,
    /// `@parameters`, appended to the launch URL.
    pub parameters: Option<String>,
    /// `@isvisible` (default true).
    pub is_visible: bool,
    /// `title`.
    pub title: String,
    /// Child items.
    pub items: Vec<Item>,
    /// `metadata`.
    pub metadata: Option<Metadata>,
    /// SCORM 1.2 `adlcp:prerequisites`.
    pub prerequisites: Option<Prerequisites>,
    /// `adlcp:maxtimeallowed` (1.2, CMITimespan).
    pub max_time_allowed: Option<String>,
    /// `adlcp:timelimitaction` (1.2 and 2004).
    pub time_limit_action: Option<String>,
    /// `adlcp:datafromlms` / `adlcp:dataFromLMS`: the launch data.
    pub data_from_lms: Option<String>,
    /// `adlcp:masteryscore` (1.2, 0–100).
    pub mastery_score: Option<f64>,
    /// `adlcp:completionThreshold` (2004).
    pub completion_threshold: Option<CompletionThreshold>,
    /// `adlcp:data/adlcp:map` (2004 4th Edition shared data).
    pub data_maps: Vec<DataMap>,
    /// `imsss:sequencing`.
    pub sequencing: Option<Sequencing>,
    /// `adlnav:presentation/navigationInterface/hideLMSUI`.
    pub hide_lms_ui: Vec<HideLmsUi>,
    /// 1-based line of the element in the manifest.
    pub line: u32,
}

/// SCORM 1.2 `adlcp:prerequisites`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prerequisites {
    /// `@type` (`aicc_script`).
    pub kind: String,
    /// The script.
    pub script: String,
}

/// `adlcp:completionThreshold`: 4th Edition attributes, or the 3rd Edition text value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompletionThreshold {
    /// `@completedByMeasure` (default false).
    pub completed_by_measure: bool,
    /// `@minProgressMeasure` or the text value (default 1.0).
    pub min_progress_measure: f64,
    /// `@progressWeight` (default 1.0).
    pub progress_weight: f64,
}

/// `adlcp:map`: access to one shared data bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataMap {
    /// `@targetID`.
    pub target_id: String,
    /// `@readSharedData` (default true).
    pub read_shared_data: bool,
    /// `@writeSharedData` (default false).
    pub write_shared_data: bool,
}

/// Whether a resource talks to the LMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScormType {
    /// A sharable content object: it calls the runtime API.
    Sco,
    /// Plain content.
    Asset,
}

/// A `resource`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// `@identifier`.
    pub identifier: String,
    /// `@type` (normally `webcontent`).
    pub kind: String,
    /// `@adlcp:scormType` / `@adlcp:scormtype`; `None` when absent (an asset for the LMS).
    pub scorm_type: Option<ScormType>,
    /// `@href`: the launch file.
    pub href: Option<String>,
    /// `@xml:base`.
    pub base: Option<String>,
    /// `file` elements, in order.
    pub files: Vec<ResourceFile>,
    /// `dependency/@identifierref`, in order.
    pub dependencies: Vec<String>,
    /// `metadata`.
    pub metadata: Option<Metadata>,
    /// 1-based line of the element in the manifest.
    pub line: u32,
}

impl Resource {
    /// The SCORM type the LMS uses: absent means asset.
    pub fn effective_type(&self) -> ScormType {
        self.scorm_type.unwrap_or(ScormType::Asset)
    }
}

/// A `file` of a resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceFile {
    /// `@href`.
    pub href: String,
    /// `metadata`.
    pub metadata: Option<Metadata>,
    /// 1-based line of the element in the manifest.
    pub line: u32,
}

impl Manifest {
    /// The organization the LMS launches: the default one, or the first when the default
    /// names none (as Moodle and SCORM Cloud do).
    pub fn launch_organization(&self) -> Option<&Organization> {
        self.default_organization
            .as_deref()
            .and_then(|id| self.organizations.iter().find(|o| o.identifier == id))
            .or_else(|| self.organizations.first())
    }

    /// The resource with this identifier.
    pub fn resource(&self, identifier: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.identifier == identifier)
    }

    /// The title of the package: the launch organization's, else the manifest identifier.
    pub fn title(&self) -> &str {
        self.launch_organization()
            .map(|o| o.title.as_str())
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.identifier)
    }
}

impl Item {
    /// This item and all its descendants, in document (tree) order.
    pub fn walk(&self) -> Vec<&Item> {
        let mut out = vec![self];
        for child in &self.items {
            out.extend(child.walk());
        }
        out
    }
}
