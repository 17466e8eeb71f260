//! Shared helpers for turning the XML tree into the typed model while recording findings.

use std::str::FromStr;

use super::MANIFEST_NAME;
use super::xml::{Node, Ns};
use crate::package::diagnostic::{Code, Diagnostic, Mode, Severity};
use crate::package::limits::Limits;

/// Findings, mode and limits while reading one manifest.
pub(crate) struct Ctx<'a> {
    pub mode: Mode,
    pub limits: &'a Limits,
    pub findings: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(mode: Mode, limits: &'a Limits) -> Self {
        Ctx {
            mode,
            limits,
            findings: Vec::new(),
        }
    }

    /// Records a finding at the element.
    pub fn report(
        &mut self,
        node: &Node,
        severity: Severity,
        code: Code,
        message: String,
    ) -> &mut Diagnostic {
        self.findings
            .push(Diagnostic::new(severity, code, message).at(MANIFEST_NAME, node.pos));
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Records a schema or reference violation (warning when tolerant, error when strict).
    pub fn violation(&mut self, node: &Node, code: Code, message: String) -> &mut Diagnostic {
        let severity = self.mode.violation();
        self.report(node, severity, code, message)
    }

    /// Records a child element that the schema does not allow here.
    pub fn unexpected(&mut self, parent: &Node, child: &Node) {
        match child.ns {
            // Any foreign namespace is allowed by the CP schema's extension points.
            Ns::Other | Ns::Lom => {
                self.report(
                    child,
                    Severity::Info,
                    Code::ManifestExtensionIgnored,
                    format!(
                        "extension element <{}> ({}) ignored",
                        child.local, child.uri
                    ),
                );
            }
            _ => {
                self.violation(
                    child,
                    Code::ManifestUnexpectedElement,
                    format!(
                        "<{}> is not allowed in <{}>; ignored",
                        child.local, parent.local
                    ),
                );
            }
        }
    }

    /// A boolean attribute (`true`/`false`, also `1`/`0` as XML Schema allows).
    pub fn bool_attr(&mut self, node: &Node, ns: Ns, name: &str, default: bool) -> bool {
        match node.attr(ns, name).map(str::trim) {
            None => default,
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                self.invalid(node, name, other);
                default
            }
        }
    }

    /// A numeric attribute, checked against an inclusive range.
    pub fn number_attr<T>(&mut self, node: &Node, name: &str, range: (T, T)) -> Option<T>
    where
        T: FromStr + PartialOrd + Copy,
    {
        let raw = node.attr(Ns::None, name)?;
        self.number(node, name, raw, range)
    }

    /// A number written in an attribute or element, checked against an inclusive range.
    pub fn number<T>(&mut self, node: &Node, what: &str, raw: &str, range: (T, T)) -> Option<T>
    where
        T: FromStr + PartialOrd + Copy,
    {
        match raw.trim().parse::<T>() {
            Ok(value) if value >= range.0 && value <= range.1 => Some(value),
            _ => {
                self.invalid(node, what, raw);
                None
            }
        }
    }

    /// A vocabulary attribute; `None` when absent or invalid (invalid is reported).
    pub fn token_attr<T>(
        &mut self,
        node: &Node,
        name: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let raw = node.attr(Ns::None, name)?;
        let parsed = parse(raw.trim());
        if parsed.is_none() {
            self.invalid(node, name, raw);
        }
        parsed
    }

    /// A required, unqualified attribute; reports it when missing.
    pub fn required_attr(&mut self, node: &Node, name: &str) -> Option<String> {
        let value = node.attr(Ns::None, name).map(|v| v.trim().to_owned());
        if value.as_deref().is_none_or(str::is_empty) {
            self.violation(
                node,
                Code::ManifestRequiredMissing,
                format!("<{}> has no {name} attribute", node.local),
            );
            return None;
        }
        value
    }

    /// An identifier attribute: required, and checked for its length.
    pub fn identifier(&mut self, node: &Node, name: &str) -> String {
        let Some(id) = self.required_attr(node, name) else {
            return String::new();
        };
        if id.chars().count() > self.limits.max_identifier_len {
            self.violation(
                node,
                Code::ManifestIdentifierTooLong,
                format!(
                    "the {name} of <{}> is longer than {} characters",
                    node.local, self.limits.max_identifier_len
                ),
            );
        }
        id
    }

    fn invalid(&mut self, node: &Node, what: &str, raw: &str) {
        self.violation(
            node,
            Code::ManifestInvalidValue,
            format!(
                "<{}> has an invalid {what}: {raw:?}; default used",
                node.local
            ),
        );
    }
}
