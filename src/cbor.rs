//! Bounds for untrusted CBOR, checked on the raw bytes before any decoder allocates:
//! exactly one well-formed item, no trailing bytes, nesting and item count bounded, and no
//! declared length larger than the bytes that remain (so nothing pre-allocates on a lie).

use ciborium::value::Value;

use crate::error::{CborContext, Error};
use crate::limits::{MAX_CBOR_DEPTH, MAX_CBOR_ITEMS};

/// Checks that `bytes` is exactly one well-formed CBOR item within the bounds.
pub(crate) fn check_bounds(bytes: &[u8], context: CborContext) -> Result<(), Error> {
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

/// Checks the bounds, then decodes into a [`Value`].
pub(crate) fn decode(bytes: &[u8], context: CborContext) -> Result<Value, Error> {
    check_bounds(bytes, context)?;
    ciborium::de::from_reader(bytes).map_err(|_| Error::CborMalformed {
        context,
        detail: "not decodable",
    })
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
    fn malformed(&self, detail: &'static str) -> Error {
        Error::CborMalformed {
            context: self.context,
            detail,
        }
    }

    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or(self.malformed("truncated"))?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    fn skip(&mut self, len: u64) -> Result<(), Error> {
        let remaining = self.bytes.len().saturating_sub(self.pos);
        let len = usize::try_from(len).ok().filter(|&l| l <= remaining);
        let len = len.ok_or(self.malformed("length exceeds the data"))?;
        self.pos = self.pos.saturating_add(len);
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
    fn head(&mut self) -> Result<(u8, Argument), Error> {
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

    fn uint(&mut self, len: usize) -> Result<u64, Error> {
        let mut value = 0u64;
        for _ in 0..len {
            value = (value << 8) | u64::from(self.byte()?);
        }
        Ok(value)
    }

    fn item(&mut self, depth: usize) -> Result<(), Error> {
        if depth > MAX_CBOR_DEPTH {
            return Err(Error::CborTooDeep {
                context: self.context,
                limit: MAX_CBOR_DEPTH,
            });
        }
        self.items = self.items.saturating_add(1);
        if self.items > MAX_CBOR_ITEMS {
            return Err(Error::CborTooManyItems {
                context: self.context,
                limit: MAX_CBOR_ITEMS,
            });
        }
        let next = depth.saturating_add(1);
        match self.head()? {
            (0 | 1, Some(_)) => Ok(()),
            (2 | 3, Some(len)) => self.skip(len),
            (major @ (2 | 3), None) => {
                // Indefinite strings: definite chunks of the same major type, then a break.
                while !self.peek_break() {
                    match self.head()? {
                        (m, Some(len)) if m == major => self.skip(len)?,
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
            (7, Some(_)) => Ok(()),
            (7, None) => Err(self.malformed("unexpected break")),
            _ => Err(self.malformed("invalid item")),
        }
    }

    fn items_of(&mut self, count: u64, depth: usize) -> Result<(), Error> {
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

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    const CTX: CborContext = CborContext::Claims;

    fn malformed(detail: &'static str) -> Result<(), Error> {
        Err(Error::CborMalformed {
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
            assert_eq!(check_bounds(&bytes, CTX), Ok(()), "{hex}");
        }
    }

    #[test]
    fn rejects_malformed_items() {
        assert_eq!(
            check_bounds(&hex_bytes("0000"), CTX),
            malformed("trailing bytes")
        );
        assert_eq!(
            check_bounds(&hex_bytes("1c"), CTX),
            malformed("reserved additional information")
        );
        assert_eq!(
            check_bounds(&hex_bytes("1f"), CTX),
            malformed("reserved additional information")
        );
        assert_eq!(
            check_bounds(&hex_bytes("19ff"), CTX),
            malformed("truncated")
        );
        assert_eq!(
            check_bounds(&hex_bytes("45010203"), CTX),
            malformed("length exceeds the data")
        );
        assert_eq!(
            check_bounds(&hex_bytes("5bffffffffffffffff00"), CTX),
            malformed("length exceeds the data")
        );
        assert_eq!(
            check_bounds(&hex_bytes("9bffffffffffffffff00"), CTX),
            malformed("count exceeds the data")
        );
        assert_eq!(
            check_bounds(&hex_bytes("9f01"), CTX),
            malformed("truncated")
        );
        assert_eq!(
            check_bounds(&hex_bytes("ff"), CTX),
            malformed("unexpected break")
        );
        assert_eq!(
            check_bounds(&hex_bytes("5f6101ff"), CTX),
            malformed("bad indefinite-length string chunk")
        );
        assert_eq!(check_bounds(&[], CTX), malformed("truncated"));
    }

    #[test]
    fn bounds_depth_and_items() {
        let mut deep = vec![0x81; MAX_CBOR_DEPTH + 1];
        deep.push(0x00);
        assert_eq!(
            check_bounds(&deep, CTX),
            Err(Error::CborTooDeep {
                context: CTX,
                limit: MAX_CBOR_DEPTH
            })
        );
        let mut ok = vec![0x81; MAX_CBOR_DEPTH];
        ok.push(0x00);
        assert_eq!(check_bounds(&ok, CTX), Ok(()));
        let mut indefinite_deep = vec![0x9f; 1000];
        indefinite_deep.extend(vec![0xff; 1000]);
        assert!(matches!(
            check_bounds(&indefinite_deep, CTX),
            Err(Error::CborTooDeep { .. })
        ));

        let mut many = vec![0x9f];
        many.extend(vec![0x00; MAX_CBOR_ITEMS]);
        many.push(0xff);
        assert_eq!(
            check_bounds(&many, CTX),
            Err(Error::CborTooManyItems {
                context: CTX,
                limit: MAX_CBOR_ITEMS
            })
        );
    }

    fn hex_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }
}
