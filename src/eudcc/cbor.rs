//! Bounds for untrusted CBOR, checked on the raw bytes before any decoder allocates:
//! exactly one well-formed item, no trailing bytes, nesting and item count bounded, and no
//! declared length larger than the bytes that remain (so nothing pre-allocates on a lie).
//!
//! [`Reader`] then walks such bytes in place, without building a tree first: the CWT claims
//! are read straight into what the verifier keeps (the hot path of every scan).

use std::borrow::Cow;

use super::error::{CborContext, DecodeError};
use crate::limits::{MAX_CBOR_DEPTH, MAX_CBOR_ITEMS};

/// Checks that `bytes` is exactly one well-formed CBOR item within the bounds, with no simple
/// value a decoder into values refuses (anything but false, true, null and undefined: "not
/// decodable"). After it, a [`Reader`] over the same bytes is bounded in its recursion and
/// finds nothing malformed except text strings that are not UTF-8, which it refuses as "not
/// decodable" when it reads or skips them: each text is checked once, where it is read. One
/// pass: the first problem in byte order is the one reported.
pub(crate) fn check_decodable(bytes: &[u8], context: CborContext) -> Result<(), DecodeError> {
    let mut scan = Scan {
        bytes,
        pos: 0,
        items: 0,
        context,
    };
    scan.item(0)?;
    if scan.pos != bytes.len() {
        return Err(scan.malformed("trailing bytes"));
    }
    Ok(())
}

struct Scan<'a> {
    bytes: &'a [u8],
    pos: usize,
    items: usize,
    context: CborContext,
}

/// A length or count announced by a CBOR head; `None` means indefinite length.
type Argument = Option<u64>;

const BREAK: u8 = 0xff;

impl Scan<'_> {
    fn malformed(&self, detail: &'static str) -> DecodeError {
        DecodeError::CborMalformed {
            context: self.context,
            detail,
        }
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.malformed("truncated"))?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    fn skip(&mut self, len: u64) -> Result<(), DecodeError> {
        let remaining = self.bytes.len().saturating_sub(self.pos);
        let len = usize::try_from(len).ok().filter(|&l| l <= remaining);
        let len = len.ok_or_else(|| self.malformed("length exceeds the data"))?;
        self.pos = self.pos.saturating_add(len);
        Ok(())
    }

    /// Skips a string's content (a text string's UTF-8 is the [`Reader`]'s to check).
    fn string(&mut self, len: u64) -> Result<(), DecodeError> {
        self.skip(len)
    }

    /// A major type 7 item with argument `info`/`argument`: floats, and the simple values a
    /// decoder into values knows (false, true, null, undefined).
    fn simple(&self, info: u8, argument: u64) -> Result<(), DecodeError> {
        let known = match info {
            20..=23 | 25..=27 => true,
            24 => (20..=23).contains(&argument),
            _ => false,
        };
        if !known {
            return Err(self.malformed("not decodable"));
        }
        Ok(())
    }

    fn peek_break(&mut self) -> bool {
        if self.bytes.get(self.pos) == Some(&BREAK) {
            self.pos = self.pos.saturating_add(1);
            true
        } else {
            false
        }
    }

    /// Reads an item's head: its major type and argument.
    fn head(&mut self) -> Result<(u8, Argument), DecodeError> {
        let initial = self.byte()?;
        let major = initial >> 5;
        let argument = match initial & 0x1f {
            info @ 0..=23 => Some(u64::from(info)),
            24 => Some(self.uint(1)?),
            25 => Some(self.uint(2)?),
            26 => Some(self.uint(4)?),
            27 => Some(self.uint(8)?),
            31 if matches!(major, 2..=5 | 7) => None,
            _ => return Err(self.malformed("reserved additional information")),
        };
        Ok((major, argument))
    }

    fn uint(&mut self, len: usize) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for _ in 0..len {
            value = (value << 8) | u64::from(self.byte()?);
        }
        Ok(value)
    }

    fn item(&mut self, depth: usize) -> Result<(), DecodeError> {
        let info = self.bytes.get(self.pos).map_or(0, |b| b & 0x1f);
        if depth > MAX_CBOR_DEPTH {
            return Err(DecodeError::CborTooDeep {
                context: self.context,
                limit: MAX_CBOR_DEPTH,
            });
        }
        self.items = self.items.saturating_add(1);
        if self.items > MAX_CBOR_ITEMS {
            return Err(DecodeError::CborTooManyItems {
                context: self.context,
                limit: MAX_CBOR_ITEMS,
            });
        }
        let next = depth.saturating_add(1);
        match self.head()? {
            (0 | 1, Some(_)) => Ok(()),
            (2 | 3, Some(len)) => self.string(len),
            (major @ (2 | 3), None) => {
                // Indefinite strings: definite chunks of the same major type, then a break.
                while !self.peek_break() {
                    match self.head()? {
                        (m, Some(len)) if m == major => self.string(len)?,
                        _ => return Err(self.malformed("bad indefinite-length string chunk")),
                    }
                }
                Ok(())
            }
            (4, Some(count)) => self.items_of(count, next),
            (5, Some(count)) => self.items_of(count.saturating_mul(2), next),
            (4, None) => {
                while !self.peek_break() {
                    self.item(next)?;
                }
                Ok(())
            }
            (5, None) => {
                while !self.peek_break() {
                    self.item(next)?; // key
                    self.item(next)?; // value
                }
                Ok(())
            }
            (6, Some(_)) => self.item(next),
            (7, Some(argument)) => self.simple(info, argument),
            (7, None) => Err(self.malformed("unexpected break")),
            _ => Err(self.malformed("invalid item")),
        }
    }

    fn items_of(&mut self, count: u64, depth: usize) -> Result<(), DecodeError> {
        // Every item takes at least one byte: a count beyond the remaining bytes is a lie.
        let remaining = self.bytes.len().saturating_sub(self.pos);
        if usize::try_from(count).map_or(true, |c| c > remaining) {
            return Err(self.malformed("count exceeds the data"));
        }
        for _ in 0..count {
            self.item(depth)?;
        }
        Ok(())
    }
}

/// The head of one CBOR item, as a [`Reader`] meets it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Head {
    /// An integer (major types 0 and 1), widened.
    Int(i128),
    /// A byte string of this length (`None`: indefinite).
    Bytes(Option<u64>),
    /// A text string of this length (`None`: indefinite).
    Text(Option<u64>),
    /// An array of this many items (`None`: indefinite).
    Array(Option<u64>),
    /// A map of this many pairs (`None`: indefinite).
    Map(Option<u64>),
    /// A tag; its content follows.
    Tag(u64),
    /// `false` or `true`.
    Bool(bool),
    /// `null` or `undefined`.
    Null,
    /// A half, single or double precision float.
    Float(f64),
}

/// Walks bytes that passed [`check_decodable`] in place. It still fails (never panics) on
/// anything malformed, with the same "not decodable" as a decoder into values.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    context: CborContext,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], context: CborContext) -> Self {
        Self {
            bytes,
            pos: 0,
            context,
        }
    }

    /// How many bytes were read so far.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    fn bad(&self) -> DecodeError {
        DecodeError::CborMalformed {
            context: self.context,
            detail: "not decodable",
        }
    }

    fn take(&mut self, len: u64) -> Result<&'a [u8], DecodeError> {
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| self.pos.checked_add(len));
        let slice = end.and_then(|end| self.bytes.get(self.pos..end));
        let slice = slice.ok_or_else(|| self.bad())?;
        self.pos = self.pos.saturating_add(slice.len());
        Ok(slice)
    }

    fn uint(&mut self, len: u64) -> Result<u64, DecodeError> {
        Ok(self
            .take(len)?
            .iter()
            .fold(0u64, |value, &b| (value << 8) | u64::from(b)))
    }

    /// Consumes a break (`0xff`) if one comes next: the end of an indefinite-length item.
    pub(crate) fn at_break(&mut self) -> bool {
        if self.bytes.get(self.pos) == Some(&BREAK) {
            self.pos = self.pos.saturating_add(1);
            true
        } else {
            false
        }
    }

    /// Reads the head of the next item.
    pub(crate) fn head(&mut self) -> Result<Head, DecodeError> {
        let initial = *self.take(1)?.first().ok_or_else(|| self.bad())?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        let argument = match info {
            0..=23 => Some(u64::from(info)),
            24 => Some(self.uint(1)?),
            25 => Some(self.uint(2)?),
            26 => Some(self.uint(4)?),
            27 => Some(self.uint(8)?),
            31 => None,
            _ => return Err(self.bad()),
        };
        Ok(match (major, argument) {
            (0, Some(n)) => Head::Int(i128::from(n)),
            (1, Some(n)) => Head::Int((-1i128).saturating_sub(i128::from(n))),
            (2, len) => Head::Bytes(len),
            (3, len) => Head::Text(len),
            (4, len) => Head::Array(len),
            (5, len) => Head::Map(len),
            (6, Some(tag)) => Head::Tag(tag),
            (7, Some(n)) => match info {
                25 => Head::Float(f16_to_f64(u16::try_from(n).map_err(|_| self.bad())?)),
                26 => Head::Float(f64::from(f32::from_bits(
                    u32::try_from(n).map_err(|_| self.bad())?,
                ))),
                27 => Head::Float(f64::from_bits(n)),
                _ => match n {
                    20 => Head::Bool(false),
                    21 => Head::Bool(true),
                    22 | 23 => Head::Null,
                    _ => return Err(self.bad()),
                },
            },
            _ => return Err(self.bad()),
        })
    }

    /// The content of a string whose head was read: borrowed, or joined from the chunks of
    /// an indefinite-length string.
    pub(crate) fn string(
        &mut self,
        major_text: bool,
        len: Option<u64>,
    ) -> Result<Cow<'a, [u8]>, DecodeError> {
        if let Some(len) = len {
            return self.take(len).map(Cow::Borrowed);
        }
        let mut joined = Vec::new();
        while !self.at_break() {
            match (self.head()?, major_text) {
                (Head::Text(Some(len)), true) => {
                    // Each chunk must be UTF-8 on its own (RFC 8949 §3.2.3).
                    let chunk = self.take(len)?;
                    core::str::from_utf8(chunk).map_err(|_| self.bad())?;
                    joined.extend_from_slice(chunk);
                }
                (Head::Bytes(Some(len)), false) => {
                    joined.extend_from_slice(self.take(len)?);
                }
                _ => return Err(self.bad()),
            }
        }
        Ok(Cow::Owned(joined))
    }

    /// The content of a text string whose head was read.
    pub(crate) fn text(&mut self, len: Option<u64>) -> Result<Cow<'a, str>, DecodeError> {
        match self.string(true, len)? {
            Cow::Borrowed(bytes) => core::str::from_utf8(bytes)
                .map(Cow::Borrowed)
                .map_err(|_| self.bad()),
            Cow::Owned(bytes) => String::from_utf8(bytes)
                .map(Cow::Owned)
                .map_err(|_| self.bad()),
        }
    }

    /// Calls `each` for every item (or, for a map, every pair) of a container whose head
    /// announced `count` (`None`: until the break).
    pub(crate) fn each(
        &mut self,
        count: Option<u64>,
        mut each: impl FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        match count {
            Some(count) => (0..count).try_for_each(|_| each(self)),
            None => {
                while !self.at_break() {
                    each(self)?;
                }
                Ok(())
            }
        }
    }

    /// Skips the rest of an item whose head was read.
    pub(crate) fn skip(&mut self, head: Head) -> Result<(), DecodeError> {
        match head {
            Head::Bytes(len) => self.string(false, len).map(drop),
            Head::Text(len) => self.text(len).map(drop),
            Head::Array(count) => self.each(count, |r| {
                let head = r.head()?;
                r.skip(head)
            }),
            Head::Map(count) => self.each(count, |r| {
                for _ in 0..2 {
                    let head = r.head()?;
                    r.skip(head)?;
                }
                Ok(())
            }),
            Head::Tag(_) => {
                let head = self.head()?;
                self.skip(head)
            }
            Head::Int(_) | Head::Bool(_) | Head::Null | Head::Float(_) => Ok(()),
        }
    }
}

/// An IEEE 754 half-precision float, widened (exactly).
fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let mantissa = f64::from(bits & 0x3ff);
    let magnitude = match exponent {
        0 => mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (mantissa + 1024.0) * 2f64.powi(exponent.saturating_sub(25)),
    };
    sign * magnitude
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    const CTX: CborContext = CborContext::Claims;

    fn malformed(detail: &'static str) -> Result<(), DecodeError> {
        Err(DecodeError::CborMalformed {
            context: CTX,
            detail,
        })
    }

    #[test]
    fn accepts_well_formed_items() {
        for hex in [
            "00",
            "1bffffffffffffffff",
            "3bffffffffffffffff",
            "4401020304",
            "6161",
            "a201020304",
            "bf0102ff",
            "9f01ff",
            "5f4101ff",
            "c24101",
            "f97e00",
            "fb3ff0000000000000",
            "d83dd28440a0f640",
        ] {
            let bytes = hex_bytes(hex);
            assert_eq!(check_decodable(&bytes, CTX), Ok(()), "{hex}");
        }
    }

    #[test]
    fn rejects_malformed_items() {
        assert_eq!(
            check_decodable(&hex_bytes("0000"), CTX),
            malformed("trailing bytes")
        );
        assert_eq!(
            check_decodable(&hex_bytes("1c"), CTX),
            malformed("reserved additional information")
        );
        assert_eq!(
            check_decodable(&hex_bytes("1f"), CTX),
            malformed("reserved additional information")
        );
        assert_eq!(
            check_decodable(&hex_bytes("19ff"), CTX),
            malformed("truncated")
        );
        assert_eq!(
            check_decodable(&hex_bytes("45010203"), CTX),
            malformed("length exceeds the data")
        );
        assert_eq!(
            check_decodable(&hex_bytes("5bffffffffffffffff00"), CTX),
            malformed("length exceeds the data")
        );
        assert_eq!(
            check_decodable(&hex_bytes("9bffffffffffffffff00"), CTX),
            malformed("count exceeds the data")
        );
        assert_eq!(
            check_decodable(&hex_bytes("9f01"), CTX),
            malformed("truncated")
        );
        assert_eq!(
            check_decodable(&hex_bytes("ff"), CTX),
            malformed("unexpected break")
        );
        assert_eq!(
            check_decodable(&hex_bytes("5f6101ff"), CTX),
            malformed("bad indefinite-length string chunk")
        );
        assert_eq!(check_decodable(&[], CTX), malformed("truncated"));
    }

    #[test]
    fn bounds_depth_and_items() {
        let mut deep = vec![0x81; MAX_CBOR_DEPTH + 1];
        deep.push(0x00);
        assert_eq!(
            check_decodable(&deep, CTX),
            Err(DecodeError::CborTooDeep {
                context: CTX,
                limit: MAX_CBOR_DEPTH
            })
        );
        let mut ok = vec![0x81; MAX_CBOR_DEPTH];
        ok.push(0x00);
        assert_eq!(check_decodable(&ok, CTX), Ok(()));
        let mut indefinite_deep = vec![0x9f; 1000];
        indefinite_deep.extend(vec![0xff; 1000]);
        assert!(matches!(
            check_decodable(&indefinite_deep, CTX),
            Err(DecodeError::CborTooDeep { .. })
        ));

        let mut many = vec![0x9f];
        many.extend(vec![0x00; MAX_CBOR_ITEMS]);
        many.push(0xff);
        assert_eq!(
            check_decodable(&many, CTX),
            Err(DecodeError::CborTooManyItems {
                context: CTX,
                limit: MAX_CBOR_ITEMS
            })
        );
    }

    #[test]
    fn decodable_refuses_what_a_value_decoder_refuses() {
        for hex in ["f0", "f818"] {
            // simple values 16 and 24
            assert_eq!(
                check_decodable(&hex_bytes(hex), CTX),
                malformed("not decodable"),
                "{hex}"
            );
        }
        // Invalid UTF-8, whole, in a chunk, and split across chunks: the reader refuses it,
        // whether it reads or skips the text.
        for hex in ["62c328", "7f61c3ff", "7f61c361a9ff", "8162c328"] {
            let bytes = hex_bytes(hex);
            assert_eq!(check_decodable(&bytes, CTX), Ok(()), "{hex}");
            let skipped = {
                let mut r = Reader::new(&bytes, CTX);
                r.head().and_then(|head| r.skip(head))
            };
            assert_eq!(skipped, malformed("not decodable"), "{hex}");
        }
        let mut r = Reader::new(&[0x62, 0xc3, 0x28], CTX);
        assert_eq!(r.head(), Ok(Head::Text(Some(2))));
        assert_eq!(
            r.text(Some(2)),
            malformed("not decodable").map(|()| Cow::Borrowed(""))
        );
        // The first problem in byte order wins.
        assert_eq!(
            check_decodable(&hex_bytes("82f000"), CTX),
            malformed("not decodable")
        );
        for hex in ["f4", "f5", "f6", "f7", "f93c00", "7f6161626263ff"] {
            assert_eq!(check_decodable(&hex_bytes(hex), CTX), Ok(()), "{hex}");
        }
    }

    #[test]
    fn reader_reads_heads_strings_and_floats() {
        let read = |hex: &str| Reader::new(&hex_bytes(hex), CTX).head().unwrap();
        assert_eq!(read("3bffffffffffffffff"), Head::Int(-(1i128 << 64)));
        assert_eq!(read("1bffffffffffffffff"), Head::Int(i128::from(u64::MAX)));
        assert_eq!(read("f93c00"), Head::Float(1.0));
        assert_eq!(read("f9c400"), Head::Float(-4.0));
        assert_eq!(read("f90001"), Head::Float(2f64.powi(-24)));
        assert_eq!(read("f97c00"), Head::Float(f64::INFINITY));
        assert!(matches!(read("f97e00"), Head::Float(f) if f.is_nan()));
        assert_eq!(read("fa47c35000"), Head::Float(100000.0));
        assert_eq!(read("f6"), Head::Null);
        assert_eq!(read("f5"), Head::Bool(true));

        let bytes = hex_bytes("7f6261626163ff");
        let mut r = Reader::new(&bytes, CTX);
        let Head::Text(len) = r.head().unwrap() else {
            panic!("not text")
        };
        assert_eq!(r.text(len).unwrap(), "abc");

        let bytes = hex_bytes("a2616182010261620300");
        let mut r = Reader::new(&bytes, CTX);
        let head = r.head().unwrap();
        r.skip(head).unwrap();
        assert_eq!(r.head().unwrap(), Head::Int(0)); // right after the map
        assert!(Reader::new(&hex_bytes("c328"), CTX).text(Some(2)).is_err());
    }

    fn hex_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }
}
