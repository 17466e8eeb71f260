//! Reading the ADL test cases as ADL's own test suite reads them: the test-case files
//! as `LMSTestCaseGenerator` does, each command as `LMSParser` does, and what each
//! answer must be as `TestCaseEvaluator` decides.

use std::collections::HashMap;

use super::{Call, Expect, Step};

/// Parses Java `.properties` text (the command dictionary, which ADL loads as a
/// resource bundle) into key/value pairs in file order.
pub fn parse_properties(text: &str) -> Vec<(String, String)> {
    let mut logical = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let piece = line.trim_start();
        let trailing = piece.len() - piece.trim_end_matches('\\').len();
        if trailing % 2 == 1 {
            current.push_str(&piece[..piece.len() - 1]);
            continue;
        }
        current.push_str(piece);
        logical.push(std::mem::take(&mut current));
    }
    logical
        .into_iter()
        .filter(|line| !line.is_empty() && !line.starts_with('#') && !line.starts_with('!'))
        .filter_map(|line| {
            let split = line.find(['=', ':'])?;
            Some((
                line[..split].trim().to_owned(),
                unescape(&line[split + 1..]),
            ))
        })
        .collect()
}

/// Java properties escapes: `\uXXXX`, `\t`, `\n`, `\r`, `\f`, and `\x` for `x`.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The `Act{N}V{visit}` entries of a test case in file order, read as ADL's
/// `LMSTestCaseGenerator` reads them (not as Java properties): a line ending in `\`
/// goes on with the next line as it is, lines holding `####` are skipped, the key ends
/// at the first `=`, and values keep every backslash but valid `\uXXXX` escapes.
fn read_test_case(text: &str) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    let mut lines = text.lines();
    while let Some(first) = lines.next() {
        let mut line = first.to_owned();
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some(next) => line.push_str(next),
                None => break,
            }
        }
        if line.contains("####") {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            entries.push((key.to_owned(), unicode_escapes(value)));
        }
    }
    entries
}

/// One launch: its `Act{N}V{visit}` name, commands and instruction to the operator.
#[derive(Default)]
pub struct Block {
    /// `Act{N}V{visit}`.
    pub act: String,
    /// The encoded commands, in order.
    pub commands: Vec<String>,
    /// The `CUI` instruction key, with its `~` arguments.
    pub instruction: Option<String>,
}

/// Groups a test case's entries into launches, as `LMSTestCaseGenerator` does: a new
/// launch starts where the `Act…V…` prefix changes.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (key, value) in read_test_case(text) {
        let Some((act, field)) = key.split_once('.') else {
            continue;
        };
        if !act.starts_with("Act") {
            continue;
        }
        if blocks.last().is_none_or(|b| b.act != act) {
            blocks.push(Block {
                act: act.to_owned(),
                ..Block::default()
            });
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        if field.starts_with("commands") {
            block.commands.push(value);
        } else if field == "CUI" {
            block.instruction = Some(value);
        }
    }
    blocks
}

/// ADL's `doUnicode`: a valid `\uXXXX` becomes its character, anything else stays.
fn unicode_escapes(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("\\u") {
        out.push_str(&rest[..at]);
        let escaped = rest
            .get(at + 2..at + 6)
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match escaped {
            Some(c) => {
                out.push(c);
                rest = &rest[at + 6..];
            }
            None => {
                out.push_str("\\u");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One decoded command.
#[derive(Debug)]
pub enum AdlStep {
    /// An RTE call the runtime answers on its own.
    Api(Step),
    /// `compareObjIds`: the objective ids the LMS initialized from the manifest.
    CompareObjectiveIds(Vec<String>),
}

/// The command methods `LMSParser` knows.
const METHODS: &[&str] = &["GET", "I", "C", "SET", "GES", "GeDi", "GLE", "T", "COI"];

/// The suite's abbreviation dictionary (`Commands.properties`).
pub struct Dictionary(pub HashMap<String, String>);

impl Dictionary {
    fn word<'a>(&'a self, token: &'a str) -> &'a str {
        self.0.get(token).map_or(token, String::as_str)
    }

    /// Resolves `~`-joined tokens; `tar` (`{target=%s}`) takes the next raw token.
    fn tokens(&self, token: &str, separator: &str) -> String {
        let mut parts = Vec::new();
        let mut segments = token.split('~');
        while let Some(segment) = segments.next() {
            let word = self.word(segment);
            parts.push(if word.contains("%s") {
                word.replace("%s", segments.next().unwrap_or(""))
            } else {
                word.to_owned()
            });
        }
        parts.join(separator)
    }

    /// How ADL's `TestCaseEvaluator` judges a `GetValue(element)` expecting
    /// `expected`: the expectation and the accepted error codes (`""`: any).
    fn judge_get(&self, element: &str, tag: &str, expected: &str, error: &str) -> (Expect, String) {
        let error = error.to_owned();
        let request_valid =
            || Expect::OneOf(["true", "false", "unknown"].map(str::to_owned).into());
        if element.contains("learner_name") {
            // The operator typed the name: only the error code is checked.
            return (Expect::Any, error);
        }
        if element.contains("request_valid.choice") || element.contains("request_valid.jump") {
            return (request_valid(), String::new());
        }
        if element.contains("comments_from_lms") && !element.contains("_children") {
            let codes = if element == "cmi.comments_from_lms" {
                "0,301,403,401"
            } else {
                "0,301,403"
            };
            return (Expect::Any, codes.to_owned());
        }
        if !expected.is_empty() && !element.contains("_count") {
            // Compared by ADL's own data model element, so as a value of its type.
            let expect = if element.contains("request_valid") {
                request_valid()
            } else if !tag.is_empty() {
                Expect::Response {
                    kind: self.word(tag).to_owned(),
                    pattern: self.word(expected).to_owned(),
                }
            } else {
                Expect::Exact(self.word(expected).to_owned())
            };
            return (expect, error);
        }
        // An objective's id read by id must be that id.
        let by_id = element
            .contains(".id")
            .then(|| element.split('&').nth(1))
            .flatten();
        (
            Expect::Exact(by_id.unwrap_or(self.word(expected)).to_owned()),
            error,
        )
    }

    /// Decodes one command the way `LMSParser` splits it on `->`: the element (and
    /// value) is the second field, the error code the last, and the expected value the
    /// last field before it; `GES`, `GeDi` and `GLE` take fields 2 and 3.
    pub fn decode(&self, raw: &str) -> Option<AdlStep> {
        let mut fields: Vec<&str> = raw.split("->").collect();
        // `LMSParser` skips a command without a known method. The one such line in the
        // suite (DMI `Act3V2.commands.47`) is a GET that lost its `GET->`: its
        // `!TY.m` type tag only occurs in GETs. It is run as that GET.
        if !METHODS.contains(&fields[0]) && fields[0].contains('~') {
            fields.insert(0, "GET");
        }
        let method = fields[0];
        let field = |i: usize| fields.get(i).copied();
        if method == "COI" {
            let ids = field(1)?.split(',').map(str::to_owned).collect();
            return Some(AdlStep::CompareObjectiveIds(ids));
        }
        let arg = field(1).unwrap_or("");
        let (expected, error) = match method {
            "GES" | "GeDi" | "GLE" => (field(2)?, field(3)?),
            _ => {
                let last = fields.len() - 1;
                let expected = if last >= 3 { fields[last - 1] } else { "" };
                (expected, fields[last])
            }
        };
        let (call, expect, error) = match method {
            "GET" => {
                // A GET of a response pattern tags it with the interaction type (`P!TY.c`).
                let (element, tag) = arg.split_once('!').unwrap_or((arg, ""));
                let element = self.tokens(element, ".");
                let (expect, error) = self.judge_get(&element, tag, expected, error);
                (Call::Get(element), expect, error)
            }
            "SET" => {
                let (element, value) = arg.split_once('!').unwrap_or((arg, ""));
                let value = if value.contains('~') {
                    self.tokens(value, "")
                } else {
                    self.word(value).to_owned()
                };
                let call = Call::Set(self.tokens(element, "."), value);
                (
                    call,
                    Expect::Exact(self.word(expected).to_owned()),
                    error.to_owned(),
                )
            }
            // ADL checks GetErrorString against `less255`, `emptyCS` or the text, and
            // GetDiagnostic only for its length.
            "GES" | "GeDi" => {
                let expect = match (method, expected) {
                    ("GeDi", _) | (_, "less255") => Expect::Below255,
                    (_, "emptyCS") => Expect::Exact(String::new()),
                    (_, other) => Expect::Exact(self.word(other).to_owned()),
                };
                let call = if method == "GES" {
                    Call::ErrorString(arg.to_owned())
                } else {
                    Call::Diagnostic(arg.to_owned())
                };
                (call, expect, error.to_owned())
            }
            _ => {
                let call = match method {
                    "I" => Call::Initialize(arg.to_owned()),
                    "T" => Call::Terminate(arg.to_owned()),
                    "C" => Call::Commit(arg.to_owned()),
                    "GLE" => Call::LastError,
                    _ => return None,
                };
                (
                    call,
                    Expect::Exact(self.word(expected).to_owned()),
                    error.to_owned(),
                )
            }
        };
        Some(AdlStep::Api(Step {
            call,
            expect,
            error,
        }))
    }
}
