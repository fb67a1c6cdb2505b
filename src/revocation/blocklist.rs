//! Exact-set blocklists, such as the French one: whole hashes, one per line in hex, looked up
//! exactly (no false positives).

use core::fmt;

use super::{from_hex, FilterKind, RevocationError};
use crate::limits::{MAX_BLOCKLIST_ENTRIES, MAX_REVOCATION_ENTRY_BYTES};

const KIND: FilterKind = FilterKind::Blocklist;

/// A set of hashes of one length (32 bytes for the French fingerprints).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Blocklist {
    /// Bytes per entry; 0 while empty.
    len: usize,
    /// The entries back to back, sorted, without duplicates.
    entries: Vec<u8>,
}

impl Blocklist {
    /// Reads one hex hash per line (either case). Blank lines, surrounding whitespace and `\r`
    /// are ignored; every entry must have the same length.
    ///
    /// # Errors
    /// [`RevocationError::InvalidHex`] for a line that is not hex,
    /// [`RevocationError::InvalidEntrySize`] for an entry longer than
    /// [`MAX_REVOCATION_ENTRY_BYTES`], [`RevocationError::MixedEntryLengths`],
    /// [`RevocationError::TooManyEntries`] beyond [`MAX_BLOCKLIST_ENTRIES`].
    pub fn from_hex_lines(text: &[u8]) -> Result<Self, RevocationError> {
        let mut rows: Vec<Vec<u8>> = Vec::new();
        for (number, line) in text.split(|&b| b == b'\n').enumerate() {
            let line_no = number.saturating_add(1);
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            let hash = core::str::from_utf8(line)
                .ok()
                .and_then(from_hex)
                .filter(|h| !h.is_empty())
                .ok_or(RevocationError::InvalidHex { line: line_no })?;
            if let Some(first) = rows.first() {
                if first.len() != hash.len() {
                    return Err(RevocationError::MixedEntryLengths {
                        line: line_no,
                        len: hash.len(),
                        expected: first.len(),
                    });
                }
            }
            if rows.len() >= MAX_BLOCKLIST_ENTRIES {
                return Err(RevocationError::TooManyEntries {
                    kind: KIND,
                    limit: MAX_BLOCKLIST_ENTRIES,
                });
            }
            rows.push(hash);
        }
        Self::from_hashes(rows.iter().map(Vec::as_slice))
    }

    /// A set of the given hashes, which must all have the same length.
    ///
    /// # Errors
    /// As [`Blocklist::from_hex_lines`] (line numbers count the hashes from 1).
    pub fn from_hashes<'a>(
        hashes: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, RevocationError> {
        let mut rows: Vec<&[u8]> = Vec::new();
        for (number, hash) in hashes.into_iter().enumerate() {
            let expected = rows.first().map_or(hash.len(), |h| h.len());
            if hash.len() != expected {
                return Err(RevocationError::MixedEntryLengths {
                    line: number.saturating_add(1),
                    len: hash.len(),
                    expected,
                });
            }
            if rows.len() >= MAX_BLOCKLIST_ENTRIES {
                return Err(RevocationError::TooManyEntries {
                    kind: KIND,
                    limit: MAX_BLOCKLIST_ENTRIES,
                });
            }
            rows.push(hash);
        }
        let len = rows.first().map_or(0, |h| h.len());
        if len > MAX_REVOCATION_ENTRY_BYTES || rows.first().is_some_and(|h| h.is_empty()) {
            return Err(RevocationError::InvalidEntrySize {
                kind: KIND,
                size: i64::try_from(len).unwrap_or(i64::MAX),
                max: MAX_REVOCATION_ENTRY_BYTES,
            });
        }
        rows.sort_unstable();
        rows.dedup();
        Ok(Self {
            len,
            entries: rows.concat(),
        })
    }

    /// Whether the hash is in the set (exactly, whole length).
    pub fn contains(&self, hash: &[u8]) -> bool {
        if hash.len() != self.len {
            return false;
        }
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low.midpoint(high);
            let entry = mid
                .checked_mul(self.len)
                .and_then(|start| self.entries.get(start..start.checked_add(self.len)?));
            match entry.map(|e| e.cmp(hash)) {
                Some(core::cmp::Ordering::Less) => low = mid.saturating_add(1),
                Some(core::cmp::Ordering::Greater) => high = mid,
                Some(core::cmp::Ordering::Equal) => return true,
                None => return false,
            }
        }
        false
    }

    /// The number of distinct hashes.
    pub fn len(&self) -> usize {
        self.entries.len().checked_div(self.len).unwrap_or(0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes per entry (0 when empty).
    pub const fn entry_len(&self) -> usize {
        self.len
    }
}

impl fmt::Debug for Blocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocklist")
            .field("entry_len", &self.len)
            .field("entries", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hex_lines() {
        let list = Blocklist::from_hex_lines(b"\nABCD\r\n  0102 \n\nabcd\n").unwrap();
        assert_eq!(list.len(), 2, "duplicates (any case) count once");
        assert!(list.contains(&[0xab, 0xcd]) && list.contains(&[0x01, 0x02]));
        assert!(!list.contains(&[0x01, 0x03]) && !list.contains(&[0x01]));
    }

    #[test]
    fn rejects_bad_lines() {
        assert_eq!(
            Blocklist::from_hex_lines(b"abcd\nxyz0\n"),
            Err(RevocationError::InvalidHex { line: 2 })
        );
        assert_eq!(
            Blocklist::from_hex_lines(b"abcd\nabcdef\n"),
            Err(RevocationError::MixedEntryLengths {
                line: 2,
                len: 3,
                expected: 2
            })
        );
        assert!(matches!(
            Blocklist::from_hex_lines("00".repeat(33).as_bytes()),
            Err(RevocationError::InvalidEntrySize { size: 33, .. })
        ));
        assert!(Blocklist::from_hex_lines(b"").unwrap().is_empty());
    }
}
