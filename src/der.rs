//! A small, lenient DER reader: just enough to walk X.509 certificates and public keys.
//!
//! Real signer certificates break DER's canonical-encoding rules (non-minimal lengths, explicitly
//! encoded defaults, odd integers), so this reader accepts any well-formed BER definite-length
//! TLV. It rejects what it cannot frame safely: indefinite lengths, multi-byte tags, and lengths
//! that run past the input. It never recurses: callers step into nested values one level at a
//! time along the fixed X.509 shape, so nesting depth is bounded by the code, not the input.

/// `SEQUENCE` (constructed).
pub(crate) const SEQUENCE: u8 = 0x30;
/// `SET` (constructed).
pub(crate) const SET: u8 = 0x31;
/// `BOOLEAN`.
pub(crate) const BOOLEAN: u8 = 0x01;
/// `INTEGER`.
pub(crate) const INTEGER: u8 = 0x02;
/// `BIT STRING`.
pub(crate) const BIT_STRING: u8 = 0x03;
/// `OCTET STRING`.
pub(crate) const OCTET_STRING: u8 = 0x04;
/// `OBJECT IDENTIFIER`.
pub(crate) const OID: u8 = 0x06;
/// `UTCTime`.
pub(crate) const UTC_TIME: u8 = 0x17;
/// `GeneralizedTime`.
pub(crate) const GENERALIZED_TIME: u8 = 0x18;

/// Longest length field accepted, in bytes after the `0x8N` prefix. Four bytes (up to 4 GiB)
/// is far beyond any certificate, and non-minimal encodings padded with leading zeros still fit.
const MAX_LENGTH_BYTES: usize = 4;

/// Why a TLV could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DerError {
    /// The input ends inside a tag, length or value.
    Truncated,
    /// Indefinite length (`0x80`), which DER forbids and X.509 never needs.
    IndefiniteLength,
    /// A high tag number (`0x1f` form), which X.509 never uses.
    HighTag,
    /// A length field longer than [`MAX_LENGTH_BYTES`] or not fitting `usize`.
    LengthTooLong,
    /// A value has a different tag than the structure requires.
    UnexpectedTag,
    /// Bytes left over after a value that should have been the last one.
    TrailingData,
}

/// One tag-length-value element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (class, constructed bit and tag number).
    pub(crate) tag: u8,
    /// The content octets.
    pub(crate) value: &'a [u8],
}

/// Reads consecutive TLVs from a byte slice.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`.
    pub(crate) const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether every byte has been read.
    pub(crate) const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, without consuming it.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element, whatever its tag.
    pub(crate) fn read_any(&mut self) -> Result<Tlv<'a>, DerError> {
        let (&tag, after_tag) = self.rest.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::HighTag);
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerError::Truncated)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else if first == 0x80 {
            return Err(DerError::IndefiniteLength);
        } else {
            // Long form: the low 7 bits count the length bytes. Leading zero bytes are
            // non-minimal but harmless, so they are accepted.
            let count = usize::from(first & 0x7f);
            if count > MAX_LENGTH_BYTES {
                return Err(DerError::LengthTooLong);
            }
            let (len_bytes, rest) = after_len
                .split_at_checked(count)
                .ok_or(DerError::Truncated)?;
            after_len = rest;
            len_bytes.iter().try_fold(0usize, |acc, &b| {
                acc.checked_mul(256)
                    .and_then(|v| v.checked_add(usize::from(b)))
                    .ok_or(DerError::LengthTooLong)
            })?
        };
        let (value, rest) = after_len.split_at_checked(len).ok_or(DerError::Truncated)?;
        self.rest = rest;
        Ok(Tlv { tag, value })
    }

    /// The content of the next element, which must have tag `tag`.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8], DerError> {
        let tlv = self.read_any()?;
        if tlv.tag == tag {
            Ok(tlv.value)
        } else {
            Err(DerError::UnexpectedTag)
        }
    }

    /// The content of the next element if it has tag `tag`; otherwise nothing is consumed.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails unless every byte has been read.
    pub(crate) fn finish(&self) -> Result<(), DerError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingData)
        }
    }
}

/// The content of the single element in `bytes`, which must have tag `tag` and nothing after it.
pub(crate) fn read_single(bytes: &[u8], tag: u8) -> Result<&[u8], DerError> {
    let mut reader = Reader::new(bytes);
    let value = reader.read(tag)?;
    reader.finish()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut r = Reader::new(&[0x04, 0x02, 0xaa, 0xbb, 0x30, 0x81, 0x01, 0x05]);
        assert_eq!(r.read(OCTET_STRING), Ok(&[0xaa, 0xbb][..]));
        assert_eq!(r.peek_tag(), Some(SEQUENCE));
        assert_eq!(r.read(SEQUENCE), Ok(&[0x05][..]));
        assert!(r.is_empty());
        assert_eq!(r.read_any(), Err(DerError::Truncated));
    }

    #[test]
    fn accepts_non_minimal_lengths() {
        // 0x82 0x00 0x01: a one-byte length written in two bytes.
        assert_eq!(
            read_single(&[0x02, 0x82, 0x00, 0x01, 0x07], INTEGER),
            Ok(&[0x07][..])
        );
        assert_eq!(read_single(&[0x02, 0x84, 0, 0, 0, 0], INTEGER), Ok(&[][..]));
    }

    #[test]
    fn rejects_what_it_cannot_frame() {
        assert_eq!(read_single(&[], SEQUENCE), Err(DerError::Truncated));
        assert_eq!(read_single(&[0x30], SEQUENCE), Err(DerError::Truncated));
        assert_eq!(
            read_single(&[0x30, 0x80, 0, 0], SEQUENCE),
            Err(DerError::IndefiniteLength)
        );
        assert_eq!(
            read_single(&[0x1f, 0x01, 0x00], 0x1f),
            Err(DerError::HighTag)
        );
        assert_eq!(
            read_single(&[0x30, 0x85, 1, 0, 0, 0, 0], SEQUENCE),
            Err(DerError::LengthTooLong)
        );
        assert_eq!(
            read_single(&[0x30, 0x82, 0x01], SEQUENCE),
            Err(DerError::Truncated)
        );
        assert_eq!(
            read_single(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], SEQUENCE),
            Err(DerError::Truncated)
        );
        assert_eq!(
            read_single(&[0x30, 0x03, 0x00], SEQUENCE),
            Err(DerError::Truncated)
        );
        assert_eq!(
            read_single(&[0x30, 0x00, 0x00], SEQUENCE),
            Err(DerError::TrailingData)
        );
        assert_eq!(
            read_single(&[0x31, 0x00], SEQUENCE),
            Err(DerError::UnexpectedTag)
        );
    }

    #[test]
    fn optional_elements() {
        let mut r = Reader::new(&[0xa0, 0x00, 0x02, 0x01, 0x01]);
        assert_eq!(r.read_optional(0xa3), Ok(None));
        assert_eq!(r.read_optional(0xa0), Ok(Some(&[][..])));
        assert_eq!(r.read_optional(0xa0), Ok(None));
        assert_eq!(r.read(INTEGER), Ok(&[0x01][..]));
        assert_eq!(r.finish(), Ok(()));
    }

    #[test]
    fn never_panics_on_short_garbage() {
        // Every input up to three bytes: reading must return, never panic.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let _ = Reader::new(&[a, b]).read_any();
                let _ = Reader::new(&[a, b, a]).read_any();
                let _ = Reader::new(&[a, 0x84, b, 0, 0, 0]).read_any();
            }
        }
    }
}
