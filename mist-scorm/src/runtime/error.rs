//! Error conditions of the RTE API and their numeric codes in each SCORM version.

use serde::{Deserialize, Serialize};

use super::Version;

/// A failed API call, independent of the SCORM version it is reported in.
///
/// The same condition has different numbers in 1.2 and 2004 (read-only is 403 in
/// 1.2 and 404 in 2004); [`Fault::code`] does the mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
pub enum Fault {
    /// An unexpected condition (101).
    #[error("general exception")]
    General,
    /// `Initialize` while running (2004: 103).
    #[error("already initialized")]
    AlreadyInitialized,
    /// `Initialize` after `Terminate` (2004: 104).
    #[error("content instance terminated")]
    InstanceTerminated,
    /// `Terminate` before `Initialize` (2004: 112).
    #[error("termination before initialization")]
    TerminateBeforeInit,
    /// `Terminate` after `Terminate` (2004: 113).
    #[error("termination after termination")]
    TerminateAfterTerminate,
    /// `GetValue` before `Initialize` (2004: 122).
    #[error("retrieve data before initialization")]
    GetBeforeInit,
    /// `GetValue` after `Terminate` (2004: 123).
    #[error("retrieve data after termination")]
    GetAfterTerminate,
    /// `SetValue` before `Initialize` (2004: 132).
    #[error("store data before initialization")]
    SetBeforeInit,
    /// `SetValue` after `Terminate` (2004: 133).
    #[error("store data after termination")]
    SetAfterTerminate,
    /// `Commit` before `Initialize` (2004: 142).
    #[error("commit before initialization")]
    CommitBeforeInit,
    /// `Commit` after `Terminate` (2004: 143).
    #[error("commit after termination")]
    CommitAfterTerminate,
    /// A non-empty parameter where `""` is required (201).
    #[error("general argument error")]
    InvalidArgument,
    /// `GetValue` that cannot be answered: empty name, index out of range, keyword on
    /// the wrong element (2004: 301).
    #[error("general get failure")]
    GetFailure,
    /// `SetValue` that cannot be applied: empty name, index out of order, duplicate id
    /// (2004: 351).
    #[error("general set failure")]
    SetFailure,
    /// A value longer than the element's smallest permitted maximum (2004: 351).
    #[error("smallest permitted maximum exceeded")]
    SpmExceeded,
    /// The element is not part of the data model (401).
    #[error("undefined data model element")]
    Undefined,
    /// An unknown leaf inside a known 1.2 category (1.2: 201, 2004: 401).
    #[error("undefined data model element")]
    UndefinedLeaf,
    /// The element has no value yet (2004: 403; 1.2 answers "" instead).
    #[error("data model element value not initialized")]
    NotInitialized,
    /// `SetValue` on a read-only element (1.2: 403, 2004: 404).
    #[error("data model element is read only")]
    ReadOnly,
    /// `SetValue` on `_children`, `_count` or `_version` (1.2: 402, 2004: 404).
    #[error("data model element is a keyword")]
    Keyword,
    /// `GetValue` on a write-only element (1.2: 404, 2004: 405).
    #[error("data model element is write only")]
    WriteOnly,
    /// `_children` on an element without children (1.2: 202, 2004: 301).
    #[error("element cannot have children")]
    NoChildren,
    /// `_count` on an element that is not an array (1.2: 203, 2004: 301).
    #[error("element is not an array")]
    NoCount,
    /// The value does not have the element's type (1.2: 405, 2004: 406).
    #[error("data model element type mismatch")]
    TypeMismatch,
    /// The value is outside the element's range (1.2: 405, 2004: 407).
    #[error("data model element value out of range")]
    OutOfRange,
    /// A prerequisite element is not set yet (1.2: 201, 2004: 408).
    #[error("data model dependency not established")]
    Dependency,
}

impl Fault {
    /// The numeric code this fault is reported as in `version`.
    pub fn code(self, version: Version) -> u16 {
        let v12 = version == Version::Scorm12;
        match self {
            Self::General => 101,
            Self::AlreadyInitialized | Self::InstanceTerminated if v12 => 101,
            Self::AlreadyInitialized => 103,
            Self::InstanceTerminated => 104,
            Self::TerminateBeforeInit
            | Self::GetBeforeInit
            | Self::SetBeforeInit
            | Self::CommitBeforeInit
                if v12 =>
            {
                301
            }
            Self::TerminateAfterTerminate
            | Self::GetAfterTerminate
            | Self::SetAfterTerminate
            | Self::CommitAfterTerminate
                if v12 =>
            {
                101
            }
            Self::TerminateBeforeInit => 112,
            Self::TerminateAfterTerminate => 113,
            Self::GetBeforeInit => 122,
            Self::GetAfterTerminate => 123,
            Self::SetBeforeInit => 132,
            Self::SetAfterTerminate => 133,
            Self::CommitBeforeInit => 142,
            Self::CommitAfterTerminate => 143,
            Self::InvalidArgument => 201,
            Self::GetFailure | Self::SetFailure | Self::SpmExceeded | Self::Dependency if v12 => {
                201
            }
            Self::NoChildren if v12 => 202,
            Self::NoCount if v12 => 203,
            Self::GetFailure | Self::NoChildren | Self::NoCount => 301,
            Self::SetFailure | Self::SpmExceeded => 351,
            Self::Undefined => 401,
            Self::UndefinedLeaf if v12 => 201,
            Self::UndefinedLeaf => 401,
            Self::Keyword if v12 => 402,
            Self::NotInitialized | Self::ReadOnly if v12 => 403,
            Self::NotInitialized => 403,
            Self::ReadOnly | Self::Keyword => 404,
            Self::WriteOnly if v12 => 404,
            Self::WriteOnly => 405,
            Self::TypeMismatch | Self::OutOfRange if v12 => 405,
            Self::TypeMismatch => 406,
            Self::OutOfRange => 407,
            Self::Dependency => 408,
        }
    }
}

/// Codes defined by SCORM 2004 and their `GetErrorString` texts.
const STRINGS_2004: &[(u16, &str)] = &[
    (0, "No Error"),
    (101, "General Exception"),
    (102, "General Initialization Failure"),
    (103, "Already Initialized"),
    (104, "Content Instance Terminated"),
    (111, "General Termination Failure"),
    (112, "Termination Before Initialization"),
    (113, "Termination After Termination"),
    (122, "Retrieve Data Before Initialization"),
    (123, "Retrieve Data After Termination"),
    (132, "Store Data Before Initialization"),
    (133, "Store Data After Termination"),
    (142, "Commit Before Initialization"),
    (143, "Commit After Termination"),
    (201, "General Argument Error"),
    (301, "General Get Failure"),
    (351, "General Set Failure"),
    (391, "General Commit Failure"),
    (401, "Undefined Data Model Element"),
    (402, "Unimplemented Data Model Element"),
    (403, "Data Model Element Value Not Initialized"),
    (404, "Data Model Element Is Read Only"),
    (405, "Data Model Element Is Write Only"),
    (406, "Data Model Element Type Mismatch"),
    (407, "Data Model Element Value Out Of Range"),
    (408, "Data Model Dependency Not Established"),
];

/// Codes defined by SCORM 1.2 and their `LMSGetErrorString` texts.
const STRINGS_12: &[(u16, &str)] = &[
    (0, "No error"),
    (101, "General exception"),
    (201, "Invalid argument error"),
    (202, "Element cannot have children"),
    (203, "Element not an array - cannot have count"),
    (301, "Not initialized"),
    (401, "Not implemented error"),
    (402, "Invalid set value, element is a keyword"),
    (403, "Element is read only"),
    (404, "Element is write only"),
    (405, "Incorrect data type"),
];

/// The standard's text for `code` in `version`, or `""` for a code it does not define.
pub fn error_string(version: Version, code: u16) -> &'static str {
    let table = match version {
        Version::Scorm12 => STRINGS_12,
        Version::Scorm2004 => STRINGS_2004,
    };
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, text)| text)
}

/// Parses a `GetErrorString`/`GetDiagnostic` argument: a canonical decimal code.
///
/// `"001"` is not the code `1`'s canonical form, so it is unknown (ADL API test).
pub fn parse_code(text: &str) -> Option<u16> {
    let code: u16 = text.parse().ok()?;
    (code.to_string() == text).then_some(code)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_same_fault_has_version_specific_numbers() {
        assert_eq!(Fault::ReadOnly.code(Version::Scorm12), 403);
        assert_eq!(Fault::ReadOnly.code(Version::Scorm2004), 404);
        assert_eq!(Fault::OutOfRange.code(Version::Scorm12), 405);
        assert_eq!(Fault::OutOfRange.code(Version::Scorm2004), 407);
        assert_eq!(Fault::GetBeforeInit.code(Version::Scorm12), 301);
        assert_eq!(Fault::NoCount.code(Version::Scorm12), 203);
    }

    #[test]
    fn every_code_has_a_string_and_unknown_codes_do_not() {
        for fault in [
            Fault::Dependency,
            Fault::Keyword,
            Fault::WriteOnly,
            Fault::General,
        ] {
            for version in [Version::Scorm12, Version::Scorm2004] {
                assert!(!error_string(version, fault.code(version)).is_empty());
            }
        }
        assert_eq!(error_string(Version::Scorm2004, 1444), "");
        assert_eq!(parse_code("001"), None);
        assert_eq!(parse_code("402"), Some(402));
    }
}
