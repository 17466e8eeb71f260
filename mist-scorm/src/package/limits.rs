//! Configurable limits that keep hostile packages from exhausting memory, disk or time.

use std::io::{self, Read};

/// Limits applied while listing, reading and extracting a package.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Most entries (files and folders) an archive may have.
    pub max_entries: usize,
    /// Most bytes all files may expand to, together.
    pub max_total_size: u64,
    /// Most bytes one file may expand to.
    pub max_entry_size: u64,
    /// Highest ratio of expanded to compressed size for one entry.
    pub max_compression_ratio: u64,
    /// Entries smaller than this are not held to the ratio (tiny files compress oddly).
    pub ratio_threshold: u64,
    /// Most bytes of `imsmanifest.xml`.
    pub max_manifest_size: u64,
    /// Deepest element nesting in the manifest.
    pub max_xml_depth: usize,
    /// Most elements in the manifest.
    pub max_xml_elements: usize,
    /// Longest identifier accepted without a finding (SCORM's smallest permitted maximum).
    pub max_identifier_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_total_size: 4 << 30,
            max_entry_size: 2 << 30,
            max_compression_ratio: 200,
            ratio_threshold: 1 << 20,
            max_manifest_size: 16 << 20,
            max_xml_depth: 256,
            max_xml_elements: 1_000_000,
            max_identifier_len: 4000,
        }
    }
}

impl Limits {
    /// Most bytes an entry of `compressed` bytes may expand to under the ratio limit.
    pub fn ratio_cap(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.max_compression_ratio)
            .max(self.ratio_threshold)
    }

    /// The cap for reading one entry: its declared size (never above the entry limit)
    /// or the ratio cap, whichever is lower, and which of the two it is.
    pub fn entry_cap(&self, compressed: u64, declared: u64) -> (u64, CapKind) {
        let size = self.max_entry_size.min(declared);
        let ratio = self.ratio_cap(compressed);
        if ratio < size {
            (ratio, CapKind::Ratio)
        } else {
            (size, CapKind::Size)
        }
    }
}

/// Which limit a [`CappedReader`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapKind {
    /// The entry grew past its size limit (or its declared size).
    Size,
    /// The entry expanded past the compression-ratio limit.
    Ratio,
}

/// A reader that fails once more than `cap` bytes come out, so a lying header
/// or a zip bomb is caught while reading, not after.
pub struct CappedReader<R> {
    inner: R,
    read: u64,
    cap: u64,
    kind: CapKind,
}

impl<R: Read> CappedReader<R> {
    /// Wraps `inner`, allowing at most `cap` bytes; `kind` says which limit the cap stands for.
    pub fn new(inner: R, cap: u64, kind: CapKind) -> Self {
        CappedReader {
            inner,
            read: 0,
            cap,
            kind,
        }
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }
}

/// Error payload of a [`CappedReader`] that went past its cap.
#[derive(Debug, thiserror::Error)]
#[error("entry exceeds its {kind:?} limit of {cap} bytes")]
pub struct CapExceeded {
    /// Which limit.
    pub kind: CapKind,
    /// The cap in bytes.
    pub cap: u64,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Read one byte past the cap so that reaching it exactly is not an error.
        let room = self.cap.saturating_sub(self.read).saturating_add(1);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        if self.read > self.cap {
            return Err(io::Error::other(CapExceeded {
                kind: self.kind,
                cap: self.cap,
            }));
        }
        Ok(n)
    }
}

/// The cap that an I/O error carries, when it came from a [`CappedReader`].
pub fn cap_exceeded(error: &io::Error) -> Option<&CapExceeded> {
    error
        .get_ref()
        .and_then(|e| e.downcast_ref::<CapExceeded>())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn capped_reader_allows_the_cap_and_fails_past_it() {
        let mut exact = CappedReader::new(&[7u8; 10][..], 10, CapKind::Size);
        let mut out = Vec::new();
        assert_eq!(exact.read_to_end(&mut out).unwrap(), 10);
        assert_eq!(exact.bytes_read(), 10);
        let mut over = CappedReader::new(&[7u8; 11][..], 10, CapKind::Ratio);
        let error = over.read_to_end(&mut Vec::new()).unwrap_err();
        let cap = cap_exceeded(&error).unwrap();
        assert_eq!((cap.kind, cap.cap), (CapKind::Ratio, 10));
    }

    #[test]
    fn entry_cap_is_the_lower_of_size_and_ratio() {
        let limits = Limits {
            max_compression_ratio: 10,
            ratio_threshold: 100,
            ..Limits::default()
        };
        assert_eq!(limits.entry_cap(50, 1000), (500, CapKind::Ratio));
        assert_eq!(limits.entry_cap(50, 400), (400, CapKind::Size));
        assert_eq!(limits.entry_cap(1, 90), (90, CapKind::Size));
    }
}
