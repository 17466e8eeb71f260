//! LOM metadata: titles and descriptions in every language of the export.
//!
//! SCORM 1.2 uses IMS Metadata 1.2.1 (`imsmd`, `langstring` with `xml:lang`); SCORM 2004 uses IEEE LOM
//! (`string` with `language`). Both are written with a prefix so that parsers which match element names
//! literally (Moodle's) never mistake a LOM `title` for a content-packaging one.

use mist_core::Localized;

use super::xml::XmlWriter;
use super::{ExportVersion, Exporter};

const IMSMD_NS: &str = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1";
const LOM_NS: &str = "http://ltsc.ieee.org/xsd/LOM";

/// What a LOM record describes.
pub(super) struct Record<'a> {
    /// Identifier of the described object (a URN).
    pub(super) identifier: String,
    /// Its title.
    pub(super) title: &'a Localized,
    /// Its description, if any.
    pub(super) description: Option<&'a Localized>,
}

/// Writes `<metadata>` with a LOM record (and, at manifest level, `schema` and `schemaversion`).
pub(super) fn metadata(
    xml: &mut XmlWriter,
    exporter: &Exporter<'_>,
    record: &Record<'_>,
    with_schema: bool,
) {
    xml.open("metadata", &[]);
    if with_schema {
        xml.text("schema", &[], "ADL SCORM");
        xml.text("schemaversion", &[], exporter.version.schema_version());
    }
    match exporter.version {
        ExportVersion::Scorm12 => imsmd(xml, exporter, record),
        ExportVersion::Scorm2004Third | ExportVersion::Scorm2004Fourth => {
            ieee_lom(xml, exporter, record)
        }
    }
    xml.close();
}

fn imsmd(xml: &mut XmlWriter, exporter: &Exporter<'_>, record: &Record<'_>) {
    xml.open("imsmd:lom", &[("xmlns:imsmd", IMSMD_NS)]);
    xml.open("imsmd:general", &[]);
    xml.text("imsmd:identifier", &[], &record.identifier);
    xml.open("imsmd:title", &[]);
    langstrings(xml, exporter, record.title, "imsmd:langstring", "xml:lang");
    xml.close();
    for lang in &exporter.languages {
        xml.text("imsmd:language", &[], lang.as_str());
    }
    if let Some(description) = record.description {
        xml.open("imsmd:description", &[]);
        langstrings(xml, exporter, description, "imsmd:langstring", "xml:lang");
        xml.close();
    }
    xml.close();
    xml.close();
}

fn ieee_lom(xml: &mut XmlWriter, exporter: &Exporter<'_>, record: &Record<'_>) {
    xml.open("lom:lom", &[("xmlns:lom", LOM_NS)]);
    xml.open("lom:general", &[]);
    xml.open("lom:identifier", &[]);
    xml.text("lom:catalog", &[], "URI");
    xml.text("lom:entry", &[], &record.identifier);
    xml.close();
    xml.open("lom:title", &[]);
    langstrings(xml, exporter, record.title, "lom:string", "language");
    xml.close();
    for lang in &exporter.languages {
        xml.text("lom:language", &[], lang.as_str());
    }
    if let Some(description) = record.description {
        xml.open("lom:description", &[]);
        langstrings(xml, exporter, description, "lom:string", "language");
        xml.close();
    }
    xml.close();
    xml.close();
}

fn langstrings(
    xml: &mut XmlWriter,
    exporter: &Exporter<'_>,
    text: &Localized,
    element: &'static str,
    attribute: &str,
) {
    for lang in &exporter.languages {
        if let Some(value) = text.get(lang) {
            xml.text(element, &[(attribute, lang.as_str())], value);
        }
    }
}
