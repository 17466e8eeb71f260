//! Reading `resources` and `metadata`.

use super::context::Ctx;
use super::model::{Metadata, Resource, ResourceFile, ScormType, XmlElement};
use super::parse::{check_order, is_adlcp, is_cp};
use super::xml::{Node, Ns};
use crate::package::diagnostic::Code;

/// Reads every `resource` of `resources`.
pub(crate) fn resources(ctx: &mut Ctx<'_>, node: &Node) -> Vec<Resource> {
    let mut out = Vec::new();
    for child in &node.children {
        if is_cp(child, "resource") {
            out.push(resource(ctx, child));
        } else {
            ctx.unexpected(node, child);
        }
    }
    out
}

fn resource(ctx: &mut Ctx<'_>, node: &Node) -> Resource {
    let identifier = ctx.identifier(node, "identifier");
    let kind = ctx.required_attr(node, "type").unwrap_or_default();
    let scorm_type =
        match node.attr(Ns::Adlcp, "scormType").map(str::trim) {
            Some(t) if t.eq_ignore_ascii_case("sco") => Some(ScormType::Sco),
            Some(t) if t.eq_ignore_ascii_case("asset") => Some(ScormType::Asset),
            Some(other) => {
                ctx.violation(
                    node,
                    Code::ManifestInvalidValue,
                    format!(
                        "resource {identifier:?} has an invalid scormType {other:?}; read as asset"
                    ),
                );
                None
            }
            None => {
                ctx.violation(node, Code::ResourceScormTypeMissing, format!(
                "resource {identifier:?} has no adlcp:scormType; the LMS treats it as an asset"
            ))
            .hint = Some("add adlcp:scormType=\"sco\" to resources that call the SCORM API".into());
                None
            }
        };
    let mut resource = Resource {
        identifier,
        kind,
        scorm_type,
        href: node
            .attr(Ns::None, "href")
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned),
        base: node.attr(Ns::Xml, "base").map(str::to_owned),
        files: Vec::new(),
        dependencies: Vec::new(),
        metadata: None,
        line: node.pos.line,
    };
    check_order(ctx, node, |c| match (c.ns, c.local.as_str()) {
        (Ns::Cp | Ns::None, "metadata") => Some(0),
        (Ns::Cp | Ns::None, "file") => Some(1),
        (Ns::Cp | Ns::None, "dependency") => Some(2),
        _ => None,
    });
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Cp | Ns::None, "metadata") => resource.metadata = Some(metadata(ctx, child)),
            (Ns::Cp | Ns::None, "file") => {
                let href = ctx.required_attr(child, "href").unwrap_or_default();
                let metadata = child
                    .children
                    .iter()
                    .find(|c| is_cp(c, "metadata"))
                    .map(|m| metadata(ctx, m));
                resource.files.push(ResourceFile {
                    href,
                    metadata,
                    line: child.pos.line,
                });
            }
            (Ns::Cp | Ns::None, "dependency") => {
                if let Some(target) = ctx.required_attr(child, "identifierref") {
                    resource.dependencies.push(target);
                }
            }
            _ => ctx.unexpected(node, child),
        }
    }
    resource
}

/// Reads a `metadata` element: schema, schemaversion, `adlcp:location` and inline LOM.
pub(crate) fn metadata(ctx: &mut Ctx<'_>, node: &Node) -> Metadata {
    let mut metadata = Metadata::default();
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Cp | Ns::None, "schema") => {
                metadata.schema = Some(child.trimmed_text().to_owned())
            }
            (Ns::Cp | Ns::None, "schemaversion") => {
                metadata.schema_version = Some(child.trimmed_text().to_owned());
            }
            (Ns::Adlcp, _) if is_adlcp(child, "location") => {
                metadata.locations.push(child.trimmed_text().to_owned());
            }
            (Ns::Lom, _) | (Ns::Other, _) => metadata.lom.push(generic(child)),
            _ => ctx.unexpected(node, child),
        }
    }
    metadata
}

/// Keeps an element as generic XML.
fn generic(node: &Node) -> XmlElement {
    XmlElement {
        namespace: node.uri.clone(),
        name: node.local.clone(),
        attributes: node
            .attrs
            .iter()
            .map(|a| (a.local.clone(), a.value.clone()))
            .collect(),
        text: node.trimmed_text().to_owned(),
        children: node.children.iter().map(generic).collect(),
    }
}
