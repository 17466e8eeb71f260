//! Revoking certificates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::CertificateCode;
use super::iso_date;

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// The certificate's code.
    pub code: CertificateCode,
    /// Why it was revoked (for people; free text).
    pub reason: String,
    /// The day it was revoked.
    #[serde(with = "iso_date")]
    pub revoked_on: Date,
}

/// The certificates an issuer has revoked.
///
/// In JSON: `{"revoked":[{"code":"…","reason":"…","revoked_on":"2026-01-15"}, …]}`, in code order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RevocationJson", into = "RevocationJson")]
pub struct RevocationList {
    revoked: BTreeMap<CertificateCode, Revocation>,
}

/// The standing of a certificate code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    /// Issued and not revoked.
    Genuine,
    /// Issued, then revoked.
    Revoked(&'a Revocation),
    /// Not a code the issuer knows.
    Unknown,
}

impl RevocationList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Revokes a certificate; returns the earlier revocation, which is kept, if it was revoked
    /// already.
    pub fn revoke(&mut self, revocation: Revocation) -> Option<&Revocation> {
        use std::collections::btree_map::Entry;
        match self.revoked.entry(revocation.code) {
            Entry::Occupied(earlier) => Some(earlier.into_mut()),
            Entry::Vacant(slot) => {
                slot.insert(revocation);
                None
            }
        }
    }

    /// The revocation of a code, if revoked.
    pub fn get(&self, code: &CertificateCode) -> Option<&Revocation> {
        self.revoked.get(code)
    }

    /// The standing of a code. `issued` says whether the issuer's records know the code (the list
    /// only knows what was revoked); a revoked code counts as issued.
    pub fn status(&self, code: &CertificateCode, issued: bool) -> Status<'_> {
        match self.get(code) {
            Some(revocation) => Status::Revoked(revocation),
            None if issued => Status::Genuine,
            None => Status::Unknown,
        }
    }

    /// The revocations in code order.
    pub fn iter(&self) -> impl Iterator<Item = &Revocation> {
        self.revoked.values()
    }

    /// How many certificates are revoked.
    pub fn len(&self) -> usize {
        self.revoked.len()
    }

    /// Whether no certificate is revoked.
    pub fn is_empty(&self) -> bool {
        self.revoked.is_empty()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RevocationJson {
    revoked: Vec<Revocation>,
}

impl TryFrom<RevocationJson> for RevocationList {
    type Error = String;
    fn try_from(json: RevocationJson) -> Result<Self, Self::Error> {
        let mut list = Self::new();
        for revocation in json.revoked {
            let code = revocation.code;
            if list.revoke(revocation).is_some() {
                return Err(format!("certificate {code} is listed twice"));
            }
        }
        Ok(list)
    }
}

impl From<RevocationList> for RevocationJson {
    fn from(list: RevocationList) -> Self {
        Self {
            revoked: list.revoked.into_values().collect(),
        }
    }
}
