//! The audit trail's hash chain: each record's hash covers its own fields and the previous record's
//! hash, so changing, removing or reordering any record breaks every hash after it.
//!
//! Canonical form, version 1 (`mist-audit-v1`): SHA-256 over the domain tag, then each field as an
//! 8-byte big-endian length followed by its UTF-8 bytes, in this order: previous hash (hex), sequence
//! number (decimal), time (RFC 3339, UTC, whole seconds), actor (UUID, hyphenated, or empty),
//! organization (likewise), action, subject, detail (the JSON text exactly as stored). Length prefixes
//! keep two different records from ever producing the same bytes. The first record's previous hash is
//! [`GENESIS`].

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The previous hash of the first record: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &[u8] = b"mist-audit-v1";

/// One record of the audit trail, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it happened: RFC 3339, UTC, whole seconds (`2026-04-01T00:00:00Z`).
    pub at: String,
    /// Who acted; `None` for the system or an anonymous visitor.
    pub actor: Option<Uuid>,
    /// Whose data it concerns.
    pub organization: Option<Uuid>,
    /// What was done: a dotted verb such as `certificate.issue` or `incident.view`.
    pub action: String,
    /// What it was done to, such as `certificate:K7P2-…` or `incident:INC-2026-000001`.
    pub subject: String,
    /// Further facts as JSON text.
    pub detail: String,
    /// The previous record's hash (hex), or [`GENESIS`].
    pub prev_hash: String,
    /// This record's hash (hex).
    pub hash: String,
}

impl AuditRecord {
    /// The hash this record must carry, given its fields and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(DOMAIN);
        let seq = self.seq.to_string();
        let actor = self.actor.map(|id| id.to_string()).unwrap_or_default();
        let organization = self
            .organization
            .map(|id| id.to_string())
            .unwrap_or_default();
        for field in [
            self.prev_hash.as_str(),
            seq.as_str(),
            self.at.as_str(),
            actor.as_str(),
            organization.as_str(),
            self.action.as_str(),
            self.subject.as_str(),
            self.detail.as_str(),
        ] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Seals a new record after `prev` (or first, when `prev` is `None`): sets its sequence number,
    /// previous hash and hash.
    pub fn seal(mut self, prev: Option<(i64, &str)>) -> Self {
        let (prev_seq, prev_hash) = prev.unwrap_or((0, GENESIS));
        self.seq = prev_seq + 1;
        self.prev_hash = prev_hash.to_owned();
        self.hash = self.expected_hash();
        self
    }
}

/// Why the chain is not intact, at the first record where it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// A record's fields do not produce its hash: it was changed after it was written.
    #[error("record {seq}: its contents do not match its hash (changed after it was written)")]
    Altered {
        /// The record.
        seq: i64,
    },
    /// A record does not point at the record before it: records were removed, inserted or reordered.
    #[error(
        "record {seq}: it does not follow record {expected_prev} (records removed or reordered)"
    )]
    Unlinked {
        /// The record.
        seq: i64,
        /// The sequence number it should follow.
        expected_prev: i64,
    },
    /// The records end before the chain's recorded head: the newest records were removed.
    #[error("the chain ends at record {last} but its head says {head}: records were removed")]
    Truncated {
        /// The last record found.
        last: i64,
        /// The head's sequence number.
        head: i64,
    },
    /// The last record is not the one the head recorded: it was replaced, or records were appended
    /// without going through the log.
    #[error("the chain's last record {last} is not its recorded head {head}")]
    HeadMismatch {
        /// The last record found.
        last: i64,
        /// The head's sequence number.
        head: i64,
    },
}

/// Checks a chain one record at a time, in order, so that a log of any length is verified in constant
/// memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            last_seq: 0,
            last_hash: GENESIS.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks that `record` follows the records seen so far and matches its hash.
    pub fn push(&mut self, record: &AuditRecord) -> Result<(), ChainBreak> {
        if record.seq != self.last_seq + 1 || record.prev_hash != self.last_hash {
            return Err(ChainBreak::Unlinked {
                seq: record.seq,
                expected_prev: self.last_seq,
            });
        }
        if record.expected_hash() != record.hash {
            return Err(ChainBreak::Altered { seq: record.seq });
        }
        self.last_seq = record.seq;
        self.last_hash.clone_from(&record.hash);
        Ok(())
    }

    /// Checks that the last record seen is the recorded head `(seq, hash)`, if there is one, and returns
    /// how many records were checked.
    pub fn finish(self, head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
        match head {
            Some((seq, _)) if seq > self.last_seq => Err(ChainBreak::Truncated {
                last: self.last_seq,
                head: seq,
            }),
            Some((seq, hash)) if seq != self.last_seq || hash != self.last_hash => {
                Err(ChainBreak::HeadMismatch {
                    last: self.last_seq,
                    head: seq,
                })
            }
            _ => Ok(self.last_seq),
        }
    }
}

/// Checks a whole chain held in memory (see [`ChainVerifier`] for streaming).
pub fn verify_chain(
    records: impl IntoIterator<Item = AuditRecord>,
    head: Option<(i64, &str)>,
) -> Result<i64, ChainBreak> {
    let mut verifier = ChainVerifier::default();
    for record in records {
        verifier.push(&record)?;
    }
    verifier.finish(head)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn record(action: &str) -> AuditRecord {
        AuditRecord {
            seq: 0,
            at: "2026-04-01T00:00:00Z".into(),
            actor: Some(Uuid::nil()),
            organization: None,
            action: action.into(),
            subject: "certificate:ABC".into(),
            detail: r#"{"course":"exec"}"#.into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn chain(n: usize) -> Vec<AuditRecord> {
        let mut records: Vec<AuditRecord> = Vec::new();
        for i in 0..n {
            let prev = records.last().map(|r| (r.seq, r.hash.as_str()));
            let sealed = record(&format!("action.{i}")).seal(prev);
            records.push(sealed);
        }
        records
    }

    fn head(records: &[AuditRecord]) -> Option<(i64, &str)> {
        records.last().map(|r| (r.seq, r.hash.as_str()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let records = chain(5);
        assert_eq!(records[0].prev_hash, GENESIS);
        assert_eq!(verify_chain(records.clone(), head(&records)), Ok(5));
        assert_eq!(verify_chain(Vec::new(), None), Ok(0));
    }

    #[test]
    fn a_changed_field_is_named() {
        let mut records = chain(5);
        let head = (records[4].seq, records[4].hash.clone());
        records[2].detail = r#"{"course":"staff"}"#.into();
        assert_eq!(
            verify_chain(records, Some((head.0, &head.1))),
            Err(ChainBreak::Altered { seq: 3 })
        );
    }

    #[test]
    fn a_rehashed_record_breaks_the_next_link() {
        let mut records = chain(4);
        records[1].subject = "certificate:FORGED".into();
        records[1].hash = records[1].expected_hash();
        assert_eq!(
            verify_chain(records, None),
            Err(ChainBreak::Unlinked {
                seq: 3,
                expected_prev: 2
            })
        );
    }

    #[test]
    fn removed_records_are_found_in_the_middle_and_at_the_end() {
        let mut records = chain(5);
        let full_head = (records[4].seq, records[4].hash.clone());
        let mut middle = records.clone();
        middle.remove(2);
        assert!(matches!(
            verify_chain(middle, None),
            Err(ChainBreak::Unlinked { seq: 4, .. })
        ));
        records.truncate(3);
        assert_eq!(
            verify_chain(records, Some((full_head.0, &full_head.1))),
            Err(ChainBreak::Truncated { last: 3, head: 5 })
        );
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = record("ab");
        a.subject = "c".into();
        let mut b = record("a");
        b.subject = "bc".into();
        assert_ne!(a.seal(None).hash, b.seal(None).hash);
    }
}
