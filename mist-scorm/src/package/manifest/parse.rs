//! From the XML tree to the typed [`Manifest`]: the root, version detection and organizations.

use std::collections::HashMap;

use super::context::Ctx;
use super::model::*;
use super::resources::{metadata, resources};
use super::sequencing_parse::{presentation, sequencing};
use super::xml::{Node, Ns, SCORM12_URIS, SCORM2004_URIS};
use crate::package::diagnostic::{Code, Position, Severity};

/// Reads the manifest from its root element; `None` when the root is not a manifest.
pub(crate) fn manifest(ctx: &mut Ctx<'_>, root: &Node) -> Option<Manifest> {
    if !is_cp(root, "manifest") {
        ctx.report(
            root,
            Severity::Error,
            Code::ManifestRoot,
            format!(
                "the root element is <{}> ({}), not a content-packaging <manifest>",
                root.local, root.uri
            ),
        )
        .hint = Some(
            "the manifest must be one <manifest> element with <organizations> and <resources>"
                .into(),
        );
        return None;
    }
    if root.ns == Ns::None {
        ctx.violation(root, Code::ManifestNamespace, "the manifest declares no content-packaging namespace".into())
            .hint = Some("add xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" (2004) or the SCORM 1.2 namespace".into());
    }
    let mut manifest = Manifest {
        identifier: ctx.identifier(root, "identifier"),
        version: root.attr(Ns::None, "version").map(str::to_owned),
        base: root.attr(Ns::Xml, "base").map(str::to_owned),
        scorm_version: ScormVersion::Scorm12,
        metadata: None,
        default_organization: None,
        organizations: Vec::new(),
        resources_base: None,
        resources: Vec::new(),
        sequencing_collection: Vec::new(),
    };
    let mut seen_organizations = false;
    let mut seen_resources = false;
    check_order(ctx, root, |c| match (c.ns, c.local.as_str()) {
        (Ns::Cp | Ns::None, "metadata") => Some(0),
        (Ns::Cp | Ns::None, "organizations") => Some(1),
        (Ns::Cp | Ns::None, "resources") => Some(2),
        (Ns::Cp | Ns::None, "manifest") => Some(3),
        (Ns::Imsss, "sequencingCollection") => Some(4),
        _ => None,
    });
    for child in &root.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Cp | Ns::None, "metadata") => manifest.metadata = Some(metadata(ctx, child)),
            (Ns::Cp | Ns::None, "organizations") => {
                seen_organizations = true;
                manifest.default_organization =
                    child.attr(Ns::None, "default").map(|d| d.trim().to_owned());
                for org in &child.children {
                    if is_cp(org, "organization") {
                        manifest.organizations.push(organization(ctx, org));
                    } else {
                        ctx.unexpected(child, org);
                    }
                }
            }
            (Ns::Cp | Ns::None, "resources") => {
                seen_resources = true;
                manifest.resources_base = child.attr(Ns::Xml, "base").map(str::to_owned);
                manifest.resources = resources(ctx, child);
            }
            (Ns::Cp | Ns::None, "manifest") => {
                ctx.report(
                    child,
                    Severity::Error,
                    Code::ManifestSubmanifest,
                    "sub-manifests are not supported".to_owned(),
                )
                .hint = Some(
                    "merge the sub-manifest's organizations and resources into the main manifest"
                        .into(),
                );
            }
            (Ns::Imsss, "sequencingCollection") => {
                for entry in &child.children {
                    if (entry.ns, entry.local.as_str()) == (Ns::Imsss, "sequencing") {
                        manifest.sequencing_collection.push(sequencing(ctx, entry));
                    } else {
                        ctx.unexpected(child, entry);
                    }
                }
            }
            _ => ctx.unexpected(root, child),
        }
    }
    for (seen, name) in [
        (seen_organizations, "organizations"),
        (seen_resources, "resources"),
    ] {
        if !seen {
            ctx.violation(
                root,
                Code::ManifestRequiredMissing,
                format!("the manifest has no <{name}> element"),
            );
        }
    }
    manifest.scorm_version = detect_version(ctx, root, manifest.metadata.as_ref());
    check_unique_identifiers(ctx, root);
    Some(manifest)
}

/// True for a content-packaging element (tolerating a manifest with no namespace at all).
pub(crate) fn is_cp(node: &Node, local: &str) -> bool {
    matches!(node.ns, Ns::Cp | Ns::None) && node.local == local
}

/// True for an `adlcp:` element, whatever the case of its name (1.2 and 2004 differ).
pub(crate) fn is_adlcp(node: &Node, local: &str) -> bool {
    node.ns == Ns::Adlcp && node.local.eq_ignore_ascii_case(local)
}

/// Reports, once per parent, a child that comes before one the schema puts ahead of it.
pub(crate) fn check_order(ctx: &mut Ctx<'_>, parent: &Node, rank: impl Fn(&Node) -> Option<u8>) {
    let mut highest = 0;
    for child in &parent.children {
        let Some(r) = rank(child) else { continue };
        if r < highest {
            ctx.violation(
                child,
                Code::ManifestElementOrder,
                format!(
                    "<{}> is out of schema order in <{}>",
                    child.local, parent.local
                ),
            );
            return;
        }
        highest = r;
    }
}

fn organization(ctx: &mut Ctx<'_>, node: &Node) -> Organization {
    let mut org = Organization {
        identifier: ctx.identifier(node, "identifier"),
        structure: node.attr(Ns::None, "structure").map(str::to_owned),
        title: String::new(),
        items: Vec::new(),
        metadata: None,
        sequencing: None,
        objectives_global_to_system: ctx.bool_attr(
            node,
            Ns::Adlseq,
            "objectivesGlobalToSystem",
            true,
        ),
        shared_data_global_to_system: ctx.bool_attr(
            node,
            Ns::Adlcp,
            "sharedDataGlobalToSystem",
            true,
        ),
        completion_threshold: None,
        line: node.pos.line,
    };
    let mut title = None;
    check_order(ctx, node, item_child_rank);
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Cp | Ns::None, "title") => title = Some(child.trimmed_text().to_owned()),
            (Ns::Cp | Ns::None, "item") => org.items.push(item(ctx, child)),
            (Ns::Cp | Ns::None, "metadata") => org.metadata = Some(metadata(ctx, child)),
            (Ns::Imsss, "sequencing") => org.sequencing = Some(sequencing(ctx, child)),
            (Ns::Adlcp, _) if is_adlcp(child, "completionThreshold") => {
                org.completion_threshold = completion_threshold(ctx, child);
            }
            _ => ctx.unexpected(node, child),
        }
    }
    org.title = required_title(ctx, node, title);
    if org.items.is_empty() {
        ctx.violation(
            node,
            Code::OrganizationEmpty,
            format!("organization {:?} has no items", org.identifier),
        );
    }
    org
}

/// Schema order of the children of `organization` and `item`: extension elements come
/// last, in any order among themselves.
fn item_child_rank(child: &Node) -> Option<u8> {
    match (child.ns, child.local.as_str()) {
        (Ns::Cp | Ns::None, "title") => Some(0),
        (Ns::Cp | Ns::None, "item") => Some(1),
        (Ns::Cp | Ns::None, "metadata") => Some(2),
        (Ns::Adlcp | Ns::Imsss | Ns::Adlnav, _) => Some(3),
        _ => None,
    }
}

fn required_title(ctx: &mut Ctx<'_>, node: &Node, title: Option<String>) -> String {
    title.unwrap_or_else(|| {
        ctx.violation(
            node,
            Code::ManifestRequiredMissing,
            format!("<{}> has no <title>", node.local),
        );
        String::new()
    })
}

fn item(ctx: &mut Ctx<'_>, node: &Node) -> Item {
    let mut item = Item {
        identifier: ctx.identifier(node, "identifier"),
        identifierref: node
            .attr(Ns::None, "identifierref")
            .map(|r| r.trim().to_owned()),
        parameters: node.attr(Ns::None, "parameters").map(str::to_owned),
        is_visible: ctx.bool_attr(node, Ns::None, "isvisible", true),
        title: String::new(),
        items: Vec::new(),
        metadata: None,
        prerequisites: None,
        max_time_allowed: None,
        time_limit_action: None,
        data_from_lms: None,
        mastery_score: None,
        completion_threshold: None,
        data_maps: Vec::new(),
        sequencing: None,
        hide_lms_ui: Vec::new(),
        line: node.pos.line,
    };
    let mut title = None;
    check_order(ctx, node, item_child_rank);
    for child in &node.children {
        let text = || Some(child.trimmed_text().to_owned());
        match (child.ns, child.local.as_str()) {
            (Ns::Cp | Ns::None, "title") => title = text(),
            (Ns::Cp | Ns::None, "item") => item.items.push(self::item(ctx, child)),
            (Ns::Cp | Ns::None, "metadata") => item.metadata = Some(metadata(ctx, child)),
            (Ns::Imsss, "sequencing") => item.sequencing = Some(sequencing(ctx, child)),
            (Ns::Adlnav, "presentation") => item.hide_lms_ui = presentation(ctx, child),
            (Ns::Adlcp, _) if is_adlcp(child, "prerequisites") => {
                item.prerequisites = Some(Prerequisites {
                    kind: child
                        .attr(Ns::None, "type")
                        .unwrap_or("aicc_script")
                        .to_owned(),
                    script: child.trimmed_text().to_owned(),
                });
            }
            (Ns::Adlcp, _) if is_adlcp(child, "maxtimeallowed") => item.max_time_allowed = text(),
            (Ns::Adlcp, _) if is_adlcp(child, "timelimitaction") => item.time_limit_action = text(),
            (Ns::Adlcp, _) if is_adlcp(child, "datafromlms") => item.data_from_lms = text(),
            (Ns::Adlcp, _) if is_adlcp(child, "masteryscore") => {
                item.mastery_score =
                    ctx.number(child, "mastery score", child.trimmed_text(), (0.0, 100.0));
            }
            (Ns::Adlcp, _) if is_adlcp(child, "completionThreshold") => {
                item.completion_threshold = completion_threshold(ctx, child);
            }
            (Ns::Adlcp, _) if is_adlcp(child, "data") => {
                for map in &child.children {
                    if !is_adlcp(map, "map") {
                        ctx.unexpected(child, map);
                        continue;
                    }
                    let target_id = ctx.required_attr(map, "targetID").unwrap_or_default();
                    item.data_maps.push(DataMap {
                        target_id,
                        read_shared_data: ctx.bool_attr(map, Ns::None, "readSharedData", true),
                        write_shared_data: ctx.bool_attr(map, Ns::None, "writeSharedData", false),
                    });
                }
            }
            _ => ctx.unexpected(node, child),
        }
    }
    item.title = required_title(ctx, node, title);
    item
}

/// `adlcp:completionThreshold`: 4th Edition attributes or a 3rd Edition text value.
fn completion_threshold(ctx: &mut Ctx<'_>, node: &Node) -> Option<CompletionThreshold> {
    let text = node.trimmed_text();
    let from_text = if text.is_empty() {
        None
    } else {
        ctx.number(node, "threshold", text, (0.0, 1.0))
    };
    Some(CompletionThreshold {
        completed_by_measure: ctx.bool_attr(node, Ns::None, "completedByMeasure", false),
        min_progress_measure: from_text
            .or_else(|| ctx.number_attr(node, "minProgressMeasure", (0.0, 1.0)))
            .unwrap_or(1.0),
        progress_weight: ctx
            .number_attr(node, "progressWeight", (0.0, 1.0))
            .unwrap_or(1.0),
    })
}

/// The version from `schemaversion`, checked against (and completed by) the namespaces.
fn detect_version(ctx: &mut Ctx<'_>, root: &Node, metadata: Option<&Metadata>) -> ScormVersion {
    let declared = metadata
        .and_then(|m| m.schema_version.as_deref())
        .map(str::trim);
    let from_text = declared.and_then(|v| {
        let v = v.to_ascii_lowercase();
        match v.as_str() {
            "1.2" => Some(ScormVersion::Scorm12),
            "1.3" | "cam 1.3" => Some(ScormVersion::Scorm2004Cam13),
            "2004 3rd edition" => Some(ScormVersion::Scorm2004Third),
            "2004 4th edition" => Some(ScormVersion::Scorm2004Fourth),
            _ => None,
        }
    });
    let uses = |uris: &[&str]| any_element_in(root, uris);
    let from_namespaces = if uses(&SCORM2004_URIS) {
        Some(ScormVersion::Scorm2004Fourth)
    } else if uses(&SCORM12_URIS) {
        Some(ScormVersion::Scorm12)
    } else {
        None
    };
    match (from_text, from_namespaces) {
        (Some(version), Some(ns)) if version.is_2004() != ns.is_2004() => {
            ctx.violation(
                root,
                Code::ManifestVersion,
                format!(
                    "schemaversion says {} but the namespaces are those of SCORM {}",
                    version.as_str(),
                    ns.as_str()
                ),
            );
            version
        }
        (Some(version), _) => version,
        (None, detected) => {
            let version = detected.unwrap_or(ScormVersion::Scorm12);
            let said = declared.map_or("no schemaversion".to_owned(), |d| {
                format!("schemaversion {d:?} is unknown")
            });
            ctx.violation(
                root,
                Code::ManifestVersion,
                format!("{said}; read as SCORM {}", version.as_str()),
            )
            .hint = Some("use schemaversion 1.2, 2004 3rd Edition or 2004 4th Edition".into());
            version
        }
    }
}

fn any_element_in(node: &Node, uris: &[&str]) -> bool {
    uris.iter()
        .any(|u| u.eq_ignore_ascii_case(node.uri.trim_end_matches('/')))
        || node.children.iter().any(|c| any_element_in(c, uris))
}

/// Identifiers of the manifest, organizations, items and resources must be unique.
fn check_unique_identifiers(ctx: &mut Ctx<'_>, root: &Node) {
    let mut seen: HashMap<&str, Position> = HashMap::new();
    let mut duplicates = Vec::new();
    collect_identifiers(root, &mut |node, id| {
        if let Some(first) = seen.insert(id, node.pos) {
            duplicates.push((node, id, first));
        }
    });
    for (node, id, first) in duplicates {
        ctx.violation(
            node,
            Code::ManifestDuplicateIdentifier,
            format!("identifier {id:?} is already used on line {}", first.line),
        );
    }
}

fn collect_identifiers<'n>(node: &'n Node, visit: &mut impl FnMut(&'n Node, &'n str)) {
    let has_identity = matches!(node.ns, Ns::Cp | Ns::None)
        && matches!(
            node.local.as_str(),
            "manifest" | "organization" | "item" | "resource"
        );
    if has_identity
        && let Some(id) = node
            .attr(Ns::None, "identifier")
            .map(str::trim)
            .filter(|id| !id.is_empty())
    {
        visit(node, id);
    }
    for child in &node.children {
        collect_identifiers(child, visit);
    }
}
