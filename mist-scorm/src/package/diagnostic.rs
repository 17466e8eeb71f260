//! Findings about a package: severity, stable code, message, location and hint.

use serde::Serialize;

/// How hard the checker is on schema and reference violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Accept what real LMSs (Moodle, SCORM Cloud) accept, with warnings.
    #[default]
    Tolerant,
    /// Schema and reference violations are errors.
    Strict,
}

impl Mode {
    /// Severity of a schema or reference violation in this mode.
    pub fn violation(self) -> Severity {
        match self {
            Mode::Tolerant => Severity::Warning,
            Mode::Strict => Severity::Error,
        }
    }
}

/// How serious a finding is; any error rejects the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, changes nothing.
    Info,
    /// Accepted, but something is off.
    Warning,
    /// The package cannot be imported.
    Error,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// Stable identifier of a kind of finding (the text never changes once released).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text of the code, e.g. `file.missing`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// The archive could not be read as a zip file.
    ArchiveUnreadable = "archive.unreadable",
    /// An entry name escapes the package (`..`, absolute path, drive letter).
    ArchivePathTraversal = "archive.path_traversal",
    /// An entry name uses backslashes or control characters.
    ArchiveBadName = "archive.bad_name",
    /// An entry is a symbolic link.
    ArchiveSymlink = "archive.symlink",
    /// Two entries have the same (normalized) name.
    ArchiveDuplicateName = "archive.duplicate_name",
    /// An entry is encrypted.
    ArchiveEncrypted = "archive.encrypted",
    /// More entries than the limit allows.
    ArchiveTooManyEntries = "archive.too_many_entries",
    /// The package or one entry is larger than the limit.
    ArchiveTooLarge = "archive.too_large",
    /// An entry expands far more than real content does (zip bomb).
    ArchiveCompressionRatio = "archive.compression_ratio",
    /// An entry name was not UTF-8 and was decoded from a legacy code page.
    ArchiveNameEncoding = "archive.name_encoding",
    /// A file of the package could not be read.
    ArchiveReadFailed = "archive.read_failed",
    /// No `imsmanifest.xml` at the root of the package.
    PackageManifestMissing = "package.manifest_missing",
    /// The manifest sits in a folder instead of at the root.
    PackageManifestNested = "package.manifest_nested",
    /// The manifest name has the wrong case.
    PackageManifestCase = "package.manifest_case",
    /// The package is an AICC package, not SCORM.
    PackageAicc = "package.aicc",
    /// No item or resource can be launched.
    PackageNothingToLaunch = "package.nothing_to_launch",
    /// The manifest is not well-formed XML.
    XmlMalformed = "xml.malformed",
    /// The manifest has a document type declaration.
    XmlDoctype = "xml.doctype",
    /// The manifest uses an entity that is not predefined.
    XmlEntity = "xml.entity",
    /// The manifest is too large, too deep or has too many elements.
    XmlTooLarge = "xml.too_large",
    /// The manifest bytes do not match their declared encoding.
    XmlEncoding = "xml.encoding",
    /// The manifest has no root element or the root is not `manifest`.
    ManifestRoot = "manifest.root",
    /// The SCORM version could not be recognized.
    ManifestVersion = "manifest.version",
    /// CP elements are not in a content-packaging namespace.
    ManifestNamespace = "manifest.namespace",
    /// An element is not allowed where it appears.
    ManifestUnexpectedElement = "manifest.unexpected_element",
    /// Elements are not in the order the schema requires.
    ManifestElementOrder = "manifest.element_order",
    /// An element of an unknown namespace was ignored.
    ManifestExtensionIgnored = "manifest.extension_ignored",
    /// A required element or attribute is missing.
    ManifestRequiredMissing = "manifest.required_missing",
    /// An attribute or element value is not valid for its type.
    ManifestInvalidValue = "manifest.invalid_value",
    /// Sub-manifests are not supported.
    ManifestSubmanifest = "manifest.submanifest",
    /// Two elements share one identifier.
    ManifestDuplicateIdentifier = "manifest.duplicate_identifier",
    /// An identifier is longer than the limit.
    ManifestIdentifierTooLong = "manifest.identifier_too_long",
    /// The default organization does not exist.
    OrganizationDefaultMissing = "organization.default_missing",
    /// The manifest has no organization: every resource with an href is a SCO.
    OrganizationNone = "organization.none",
    /// An organization has no items.
    OrganizationEmpty = "organization.empty",
    /// An item's `identifierref` names no resource.
    ItemUnresolvedReference = "item.unresolved_reference",
    /// An item references a resource that has no `href`.
    ItemResourceWithoutHref = "item.resource_without_href",
    /// An item with children also references a resource.
    ItemParentWithResource = "item.parent_with_resource",
    /// A resource has no `scormType`: it is an asset.
    ResourceScormTypeMissing = "resource.scorm_type_missing",
    /// A SCO resource has no `href`.
    ResourceScoWithoutHref = "resource.sco_without_href",
    /// A resource is used by no item and no dependency.
    ResourceUnreachable = "resource.unreachable",
    /// A dependency names no resource.
    ResourceUnresolvedDependency = "resource.unresolved_dependency",
    /// An href resolves outside the package.
    ResourceHrefOutside = "resource.href_outside",
    /// A listed file is not in the package.
    FileMissing = "file.missing",
    /// A launch file is not in the package.
    FileLaunchMissing = "file.launch_missing",
    /// A resource lists the same file twice.
    FileDuplicate = "file.duplicate",
    /// Files in the package are listed by no resource.
    FileUndeclared = "file.undeclared",
    /// A metadata file named by `adlcp:location` is not in the package.
    FileMetadataMissing = "file.metadata_missing",
    /// A sequencing `IDRef` names nothing in the sequencing collection.
    SequencingUnresolvedReference = "sequencing.unresolved_reference",
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about a package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// What is wrong, for a person.
    pub message: String,
    /// The package file it is about (`imsmanifest.xml` for manifest findings).
    pub file: Option<String>,
    /// 1-based line in `file`.
    pub line: Option<u32>,
    /// 1-based column in `file` (in characters).
    pub column: Option<u32>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A finding without location or hint.
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            hint: None,
        }
    }

    /// Sets the file the finding is about.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets file, line and column.
    pub fn at(mut self, file: impl Into<String>, position: Position) -> Self {
        self.file = Some(file.into());
        self.line = Some(position.line);
        self.column = Some(position.column);
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A 1-based line and column in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// True when any finding is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_dotted_and_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.contains('.') && text == text.to_ascii_lowercase(),
                "{text}"
            );
        }
    }
}
