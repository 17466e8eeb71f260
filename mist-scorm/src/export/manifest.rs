//! `imsmanifest.xml` for SCORM 1.2 and 2004.
//!
//! Written to pass the official schemas and Moodle's parser: content-packaging elements unprefixed in the
//! default namespace, extensions with exactly the `adlcp`, `adlseq` and `imsss` prefixes, the exact
//! `schemaversion`, every file listed, and only relative `href`s without `..` or a leading `/`.

use mist_core::{Course, Module, PassMark};

use super::assets;
use super::content::Sco;
use super::lom::{self, Record};
use super::xml::XmlWriter;
use super::{ExportVersion, Exporter};

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The namespaces of each version: (prefix attribute, URI, schema file).
const NAMESPACES_12: [(&str, &str, &str); 2] = [
    (
        "xmlns",
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "imscp_rootv1p1p2.xsd",
    ),
    (
        "xmlns:adlcp",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "adlcp_rootv1p2.xsd",
    ),
];
const NAMESPACES_2004: [(&str, &str, &str); 4] = [
    (
        "xmlns",
        "http://www.imsglobal.org/xsd/imscp_v1p1",
        "imscp_v1p1.xsd",
    ),
    (
        "xmlns:adlcp",
        "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlcp_v1p3.xsd",
    ),
    (
        "xmlns:adlseq",
        "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlseq_v1p3.xsd",
    ),
    (
        "xmlns:imsss",
        "http://www.imsglobal.org/xsd/imsss",
        "imsss_v1p0.xsd",
    ),
];

/// The identifier of the shared player resource (`_` never occurs in the slugs of module resources).
const SHARED_RESOURCE: &str = "res_mist_sco";

/// Writes the manifest of a package holding `scos` (one, when `single`) of `course`.
pub(super) fn write(
    exporter: &Exporter<'_>,
    course: &Course,
    scos: &[Sco<'_>],
    single: bool,
) -> String {
    let version = exporter.version;
    let only = scos.first().map(|sco| sco.module).filter(|_| single);
    let identifier = match only {
        Some(module) => format!("mist-{}", module.id),
        None => format!("mist-{}", course.id),
    };
    let namespaces: &[(&str, &str, &str)] = if version.is_2004() {
        &NAMESPACES_2004
    } else {
        &NAMESPACES_12
    };
    let schema_location = namespaces
        .iter()
        .map(|(_, uri, file)| format!("{uri} {file}"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut attributes: Vec<(&str, &str)> = vec![("identifier", &identifier), ("version", "1")];
    attributes.extend(namespaces.iter().map(|(attr, uri, _)| (*attr, *uri)));
    attributes.push(("xmlns:xsi", XSI_NS));
    attributes.push(("xsi:schemaLocation", &schema_location));

    let mut xml = XmlWriter::new();
    xml.open("manifest", &attributes);
    let record = match only {
        Some(module) => Record {
            identifier: format!("urn:uuid:{}", module.id),
            title: &module.title,
            description: module.summary.as_ref(),
        },
        None => Record {
            identifier: format!("urn:uuid:{}", course.id),
            title: &course.title,
            description: course.description.as_ref(),
        },
    };
    lom::metadata(&mut xml, exporter, &record, true);

    let organization = format!("org-{}", course.slug);
    xml.open("organizations", &[("default", &organization)]);
    let mut org_attributes = vec![("identifier", organization.as_str())];
    if version.is_2004() {
        // Objective ids are per module; keep them from meeting another package's in the LMS.
        org_attributes.push(("adlseq:objectivesGlobalToSystem", "false"));
    }
    xml.open("organization", &org_attributes);
    let title = only.map_or(&course.title, |module| &module.title);
    xml.text("title", &[], exporter.first_text(title));
    for sco in scos {
        item(&mut xml, exporter, course, sco.module);
    }
    if version.is_2004() {
        xml.open("imsss:sequencing", &[]);
        xml.empty("imsss:controlMode", &[("choice", "true"), ("flow", "true")]);
        xml.close();
    }
    xml.close();
    xml.close();

    xml.open("resources", &[]);
    for sco in scos {
        resource(&mut xml, version, sco);
    }
    shared_resource(&mut xml, version);
    xml.close();
    xml.finish()
}

/// The pass mark of a module's quiz, if it has one.
pub(super) fn pass_mark(course: &Course, module: &Module) -> Option<PassMark> {
    module
        .quiz
        .as_ref()
        .map(|quiz| quiz.pass_mark.unwrap_or(course.pass_mark))
}

fn item(xml: &mut XmlWriter, exporter: &Exporter<'_>, course: &Course, module: &Module) {
    let identifier = format!("item-{}", module.slug);
    let resource = format!("res-{}", module.slug);
    xml.open(
        "item",
        &[
            ("identifier", &identifier),
            ("identifierref", &resource),
            ("isvisible", "true"),
        ],
    );
    xml.text("title", &[], exporter.first_text(&module.title));
    let record = Record {
        identifier: format!("urn:uuid:{}", module.id),
        title: &module.title,
        description: module.summary.as_ref(),
    };
    lom::metadata(xml, exporter, &record, false);
    let mark = pass_mark(course, module);
    match exporter.version {
        ExportVersion::Scorm12 => {
            if let Some(mark) = mark {
                xml.text("adlcp:masteryscore", &[], &mark.percent().to_string());
            }
        }
        ExportVersion::Scorm2004Third | ExportVersion::Scorm2004Fourth => {
            xml.open("imsss:sequencing", &[]);
            if let Some(mark) = mark {
                let objective = format!("obj-{}", module.slug);
                xml.open("imsss:objectives", &[]);
                xml.open(
                    "imsss:primaryObjective",
                    &[("objectiveID", &objective), ("satisfiedByMeasure", "true")],
                );
                // The scaled passing score the LMS hands the SCO (cmi.scaled_passing_score).
                xml.text(
                    "imsss:minNormalizedMeasure",
                    &[],
                    &format!("{:.2}", mark.fraction()),
                );
                xml.close();
                xml.close();
            }
            xml.empty(
                "imsss:deliveryControls",
                &[
                    ("completionSetByContent", "true"),
                    ("objectiveSetByContent", "true"),
                ],
            );
            xml.close();
        }
    }
    xml.close();
}

fn scorm_type_attribute(version: ExportVersion) -> &'static str {
    if version.is_2004() {
        "adlcp:scormType"
    } else {
        "adlcp:scormtype"
    }
}

fn resource(xml: &mut XmlWriter, version: ExportVersion, sco: &Sco<'_>) {
    let identifier = format!("res-{}", sco.module.slug);
    let launch = sco.launch();
    xml.open(
        "resource",
        &[
            ("identifier", &identifier),
            ("type", "webcontent"),
            (scorm_type_attribute(version), "sco"),
            ("href", &launch),
        ],
    );
    for file in &sco.files {
        xml.empty("file", &[("href", &file.path)]);
    }
    xml.empty("dependency", &[("identifierref", SHARED_RESOURCE)]);
    xml.close();
}

fn shared_resource(xml: &mut XmlWriter, version: ExportVersion) {
    xml.open(
        "resource",
        &[
            ("identifier", SHARED_RESOURCE),
            ("type", "webcontent"),
            (scorm_type_attribute(version), "asset"),
        ],
    );
    for path in assets::shared_paths() {
        xml.empty("file", &[("href", &path)]);
    }
    xml.close();
}
