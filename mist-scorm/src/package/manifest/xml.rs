//! A small, safe XML tree for the manifest: decoded text, resolved namespaces, positions.
//!
//! No DTD is processed and no entity other than the five predefined ones and character
//! references is expanded, so billion-laughs and external-entity attacks have nothing to use.
//! Depth and element count are capped; the input size is capped by the caller.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use crate::package::diagnostic::{Code, Diagnostic, Mode, Position, Severity};
use crate::package::limits::Limits;

/// The namespaces a manifest uses, matched by URI (never by prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// IMS Content Packaging (1.1.2 for SCORM 1.2, 1.1.3/1.1.4 for 2004).
    Cp,
    /// ADL content packaging extensions (1.2 or 2004).
    Adlcp,
    /// IMS Simple Sequencing.
    Imsss,
    /// ADL sequencing extensions.
    Adlseq,
    /// ADL navigation extensions.
    Adlnav,
    /// IEEE LOM or IMS metadata.
    Lom,
    /// The `xml:` namespace.
    Xml,
    /// No namespace at all.
    None,
    /// Anything else.
    Other,
}

/// Namespace URIs of SCORM 1.2 packages (CP 1.1.2 and ADL CP 1.2).
pub(crate) const SCORM12_URIS: [&str; 2] = [
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "http://www.adlnet.org/xsd/adlcp_rootv1p2",
];

/// Namespace URIs of SCORM 2004 packages.
pub(crate) const SCORM2004_URIS: [&str; 5] = [
    "http://www.imsglobal.org/xsd/imscp_v1p1",
    "http://www.adlnet.org/xsd/adlcp_v1p3",
    "http://www.imsglobal.org/xsd/imsss",
    "http://www.adlnet.org/xsd/adlseq_v1p3",
    "http://www.adlnet.org/xsd/adlnav_v1p3",
];

const NAMESPACES: &[(&str, Ns)] = &[
    ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", Ns::Cp),
    ("http://www.imsglobal.org/xsd/imscp_v1p1", Ns::Cp),
    ("http://www.imsglobal.org/xsd/imscp_v1p2", Ns::Cp),
    ("http://www.adlnet.org/xsd/adlcp_rootv1p2", Ns::Adlcp),
    ("http://www.adlnet.org/xsd/adlcp_v1p3", Ns::Adlcp),
    ("http://www.imsglobal.org/xsd/imsss", Ns::Imsss),
    ("http://www.adlnet.org/xsd/adlseq_v1p3", Ns::Adlseq),
    ("http://www.adlnet.org/xsd/adlnav_v1p3", Ns::Adlnav),
    ("http://ltsc.ieee.org/xsd/LOM", Ns::Lom),
    ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", Ns::Lom),
    ("http://www.imsproject.org/xsd/imsmd_rootv1p2p1", Ns::Lom),
    ("http://www.imsglobal.org/xsd/imsmd_v1p2", Ns::Lom),
    ("http://www.w3.org/XML/1998/namespace", Ns::Xml),
];

fn classify(uri: &str) -> Ns {
    let uri = uri.trim().trim_end_matches('/');
    NAMESPACES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(uri))
        .map_or(Ns::Other, |(_, ns)| *ns)
}

/// An attribute with its namespace resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attr {
    pub ns: Ns,
    pub local: String,
    pub value: String,
}

/// An element with its namespace resolved, its attributes, children and text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub ns: Ns,
    pub uri: String,
    pub local: String,
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
    pub text: String,
    pub pos: Position,
}

impl Node {
    /// The value of an attribute of namespace `ns` whose local name matches `local`,
    /// ignoring ASCII case (real packages write `scormtype`, `scormType`, `SCORMTYPE`).
    pub fn attr(&self, ns: Ns, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns == ns && a.local.eq_ignore_ascii_case(local))
            .map(|a| a.value.as_str())
    }

    /// The trimmed text content.
    pub fn trimmed_text(&self) -> &str {
        self.text.trim()
    }
}

/// The manifest text as UTF-8, decoded from its BOM or declared encoding.
pub(crate) fn decode(bytes: &[u8], mode: Mode) -> Result<(String, Vec<Diagnostic>), Diagnostic> {
    let mut findings = Vec::new();
    let (encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None => {
            let declared = declared_encoding(bytes);
            let encoding = match declared.as_deref() {
                None => encoding_rs::UTF_8,
                Some(label) => {
                    encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or_else(|| {
                        findings.push(
                            Diagnostic::new(
                                mode.violation(),
                                Code::XmlEncoding,
                                format!("unknown encoding {label:?} declared; read as UTF-8"),
                            )
                            .in_file(super::MANIFEST_NAME),
                        );
                        encoding_rs::UTF_8
                    })
                }
            };
            (encoding, bytes)
        }
    };
    if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(body) {
        return Ok((text.into_owned(), findings));
    }
    let message = format!("the manifest is not valid {}", encoding.name());
    if mode == Mode::Strict || encoding != encoding_rs::UTF_8 {
        return Err(Diagnostic::new(Severity::Error, Code::XmlEncoding, message)
            .in_file(super::MANIFEST_NAME));
    }
    // Tools that write Latin-1 and declare UTF-8 are common; read it the way browsers would.
    findings.push(
        Diagnostic::new(
            Severity::Warning,
            Code::XmlEncoding,
            format!("{message}; read as windows-1252"),
        )
        .in_file(super::MANIFEST_NAME)
        .with_hint("save the manifest as UTF-8"),
    );
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
    Ok((text.into_owned(), findings))
}

/// The `encoding="…"` of the XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_owned())
}

/// Maps byte offsets of the text to lines and columns.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    pub fn position(&self, offset: u64) -> Position {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

/// Parses the decoded manifest into a tree. Errors are fatal findings (the package is rejected).
pub(crate) fn parse_tree(
    text: &str,
    mode: Mode,
    limits: &Limits,
    findings: &mut Vec<Diagnostic>,
) -> Result<Node, Diagnostic> {
    let lines = Lines::new(text);
    let at = |offset: u64, severity: Severity, code: Code, message: String| {
        Diagnostic::new(severity, code, message).at(super::MANIFEST_NAME, lines.position(offset))
    };
    let mut reader = NsReader::from_str(text);
    reader.config_mut().allow_dangling_amp = mode == Mode::Tolerant;
    reader.resolver_mut().set_max_namespace_bindings(1024);
    let mut stack: Vec<Node> = Vec::new();
    let mut elements = 0usize;
    loop {
        let offset = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            at(
                reader.error_position(),
                Severity::Error,
                Code::XmlMalformed,
                e.to_string(),
            )
        })?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                elements += 1;
                if elements > limits.max_xml_elements || stack.len() >= limits.max_xml_depth {
                    return Err(at(
                        offset,
                        Severity::Error,
                        Code::XmlTooLarge,
                        format!(
                            "the manifest is deeper than {} or has more than {} elements",
                            limits.max_xml_depth, limits.max_xml_elements
                        ),
                    ));
                }
                let (resolved, local) = reader.resolver().resolve_element(start.name());
                let uri = match resolved {
                    ResolveResult::Bound(ns) => ns.0.to_owned(),
                    ResolveResult::Unbound => String::new(),
                    ResolveResult::Unknown(prefix) => {
                        return Err(at(
                            offset,
                            Severity::Error,
                            Code::XmlMalformed,
                            format!("the prefix {prefix:?} is not declared"),
                        ));
                    }
                };
                let mut node = Node {
                    ns: if uri.is_empty() {
                        Ns::None
                    } else {
                        classify(&uri)
                    },
                    uri,
                    local: local.as_ref().to_owned(),
                    attrs: Vec::new(),
                    children: Vec::new(),
                    text: String::new(),
                    pos: lines.position(offset),
                };
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| {
                        at(offset, Severity::Error, Code::XmlMalformed, e.to_string())
                    })?;
                    let key = attr.key;
                    if key.as_ref() == "xmlns" || key.as_ref().starts_with("xmlns:") {
                        continue;
                    }
                    let (resolved, local) = reader.resolver().resolve_attribute(key);
                    let ns = match resolved {
                        ResolveResult::Bound(ns) => classify(ns.0),
                        ResolveResult::Unbound => Ns::None,
                        ResolveResult::Unknown(_) if key.as_ref().starts_with("xml:") => Ns::Xml,
                        ResolveResult::Unknown(prefix) => {
                            return Err(at(
                                offset,
                                Severity::Error,
                                Code::XmlMalformed,
                                format!("the prefix {prefix:?} is not declared"),
                            ));
                        }
                    };
                    let value = match attr.normalized_value(XmlVersion::Implicit1_0) {
                        Ok(value) => value.into_owned(),
                        Err(e) if mode == Mode::Tolerant => {
                            findings.push(at(
                                offset,
                                Severity::Warning,
                                Code::XmlEntity,
                                format!("attribute value kept as written: {e}"),
                            ));
                            attr.value.clone().into_owned()
                        }
                        Err(e) => {
                            return Err(at(
                                offset,
                                Severity::Error,
                                Code::XmlEntity,
                                e.to_string(),
                            ));
                        }
                    };
                    node.attrs.push(Attr {
                        ns,
                        local: local.as_ref().to_owned(),
                        value,
                    });
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(node);
                } else if let Some(root) = attach(&mut stack, node) {
                    return Ok(root);
                }
            }
            Event::End(_) => {
                if let Some(node) = stack.pop()
                    && let Some(root) = attach(&mut stack, node)
                {
                    return Ok(root);
                }
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content()),
            Event::CData(data) => push_text(&mut stack, &data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference).ok_or_else(|| {
                    at(
                        offset,
                        Severity::Error,
                        Code::XmlEntity,
                        format!(
                            "the entity &{}; is not one of the predefined ones",
                            &*reference
                        ),
                    )
                })?;
                push_text(&mut stack, &resolved);
            }
            Event::DocType(doctype) => {
                let internal_subset = doctype.xml10_content().contains('[');
                let severity = if internal_subset {
                    Severity::Error
                } else {
                    mode.violation()
                };
                let finding = at(
                    offset,
                    severity,
                    Code::XmlDoctype,
                    "document type declarations are not processed".into(),
                )
                .with_hint("remove the <!DOCTYPE> declaration");
                if internal_subset {
                    return Err(finding);
                }
                findings.push(finding);
            }
            Event::Eof => {
                return Err(at(offset, Severity::Error, Code::ManifestRoot, if stack.is_empty() {
                    "the manifest has no root element".to_owned()
                } else {
                    "the manifest ends before its root element is closed".to_owned()
                }).with_hint("the manifest must be one <manifest> element with <organizations> and <resources>"));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

/// Appends a finished node to its parent; returns it when it is the root.
fn attach(stack: &mut [Node], node: Node) -> Option<Node> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(node);
            None
        }
        None => Some(node),
    }
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
}

fn resolve_reference(reference: &BytesRef<'_>) -> Option<Cow<'static, str>> {
    if reference.is_char_ref() {
        let c = reference.resolve_char_ref().ok()??;
        return Some(Cow::Owned(c.to_string()));
    }
    let name: &str = reference;
    quick_xml::escape::resolve_predefined_entity(name).map(Cow::Borrowed)
}
