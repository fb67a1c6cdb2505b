//! The DCC payload as read, before any schema: a JSON-like tree that borrows its strings from
//! the CBOR bytes. Reading it costs a few small vectors, not a `serde_json::Value` with a
//! `String` per key and value; JSON is produced only when a caller asks for it.
//!
//! The schema ([`crate::eudcc::hcert`]), the acceptance rules and the revocation hashes all read this
//! tree. Their public entry points that take `serde_json::Value` borrow one with
//! [`Node::from_json`], so there is one implementation of each.

use std::borrow::Cow;

use serde_json::{Map, Number, Value as Json};

use super::error::{CborContext, DecodeError};
use crate::eudcc::cbor::{Head, Reader};

/// One value of the payload. Maps keep their order and have text keys, each at most once.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// `null` (CBOR null or undefined).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer within `i64::MIN..=u64::MAX` (what JSON numbers carry exactly).
    Int(i128),
    /// A finite float.
    Float(f64),
    /// A text string.
    Text(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// A map with text keys.
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
}

fn malformed(detail: &'static str) -> DecodeError {
    DecodeError::PayloadMalformed { detail }
}

/// Key equality in an inlined loop: keys are a few bytes long, and `==` on strings calls
/// `memcmp`, which costs more than comparing them (a scan compares dozens).
#[inline]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Room for a container's announced items (no regrowth while reading), within reason: the
/// count was checked against the bytes, but an hcert map never has more than a few dozen.
fn capacity_hint(count: Option<u64>) -> usize {
    count
        .and_then(|c| usize::try_from(c).ok())
        .unwrap_or(0)
        .min(32)
}

impl<'a> Node<'a> {
    /// Reads the item whose head `head` was just read, tags dropped in favour of their
    /// content (e.g. 0 or 1004 around dates). The bytes must have passed
    /// [`crate::eudcc::cbor::check_decodable`], which bounds the recursion.
    pub(crate) fn read(r: &mut Reader<'a>, head: Head) -> Result<Self, DecodeError> {
        Ok(match head {
            Head::Null => Self::Null,
            Head::Bool(b) => Self::Bool(b),
            Head::Text(len) => Self::Text(r.text(len)?),
            Head::Int(i) => {
                let in_json_range = i64::try_from(i).is_ok() || u64::try_from(i).is_ok();
                if !in_json_range {
                    return Err(malformed("integer out of range in hcert"));
                }
                Self::Int(i)
            }
            Head::Float(f) if f.is_finite() => Self::Float(f),
            Head::Float(_) => return Err(malformed("non-finite number in hcert")),
            Head::Tag(_) => {
                let inner = r.head()?;
                Self::read(r, inner)?
            }
            Head::Array(count) => {
                let mut items = Vec::with_capacity(capacity_hint(count));
                r.each(count, |r| {
                    let head = r.head()?;
                    items.push(Self::read(r, head)?);
                    Ok(())
                })?;
                Self::Array(items)
            }
            Head::Map(count) => {
                let mut entries: Vec<(Cow<'a, str>, Self)> =
                    Vec::with_capacity(capacity_hint(count));
                r.each(count, |r| {
                    let Head::Text(len) = r.head()? else {
                        return Err(malformed("non-text key in hcert"));
                    };
                    let key = r.text(len)?;
                    if entries.iter().any(|(k, _)| same_key(k, &key)) {
                        return Err(DecodeError::CborMalformed {
                            context: CborContext::Claims,
                            detail: "duplicate map key",
                        });
                    }
                    let head = r.head()?;
                    entries.push((key, Self::read(r, head)?));
                    Ok(())
                })?;
                Self::Map(entries)
            }
            Head::Bytes(_) => return Err(malformed("byte string in hcert")),
        })
    }

    /// Reads one whole item from `bytes` (which passed the CBOR check).
    pub(crate) fn from_cbor(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, CborContext::Claims);
        let head = r.head()?;
        Self::read(&mut r, head)
    }

    /// The same tree over a JSON value, borrowing its strings. A JSON number that is neither
    /// an `i64` nor a `u64` is a float.
    pub(crate) fn from_json(json: &'a Json) -> Self {
        match json {
            Json::Null => Self::Null,
            Json::Bool(b) => Self::Bool(*b),
            Json::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Self::Int(i128::from(u)),
                (None, Some(i)) => Self::Int(i128::from(i)),
                (None, None) => n.as_f64().map_or(Self::Null, Self::Float),
            },
            Json::String(s) => Self::Text(Cow::Borrowed(s)),
            Json::Array(items) => Self::Array(items.iter().map(Self::from_json).collect()),
            Json::Object(map) => Self::Map(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Self::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// As JSON, with the issuer's field names and values.
    pub(crate) fn to_json(&self) -> Json {
        match self {
            Self::Null => Json::Null,
            Self::Bool(b) => Json::Bool(*b),
            Self::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
                (Ok(n), _) => Json::from(n),
                (_, Ok(n)) => Json::from(n),
                _ => Json::Null, // not built by `read` or `from_json`
            },
            Self::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Self::Text(s) => Json::String(s.clone().into_owned()),
            Self::Array(items) => Json::Array(items.iter().map(Self::to_json).collect()),
            Self::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone().into_owned(), v.to_json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// The value of `key` in a map.
    pub(crate) fn get(&self, key: &str) -> Option<&Self> {
        self.as_map()?
            .iter()
            .find_map(|(k, v)| same_key(k, key).then_some(v))
    }

    /// The entries of a map.
    pub(crate) fn as_map(&self) -> Option<&[(Cow<'a, str>, Self)]> {
        match self {
            Self::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of an array.
    pub(crate) fn as_array(&self) -> Option<&[Self]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A text string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A non-negative integer (not a float, even a whole one).
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trip_keeps_names_and_values() {
        let json = json!({"ver": "1.3.0", "v": [{"dn": 2, "sd": 2.0, "x": -3, "big": u64::MAX}],
                          "nam": {"fnt": "A<B"}, "none": null, "yes": true});
        let node = Node::from_json(&json);
        assert_eq!(node.to_json(), json);
        assert_eq!(node.get("ver").and_then(Node::as_str), Some("1.3.0"));
        let entry = &node.get("v").and_then(Node::as_array).unwrap()[0];
        assert_eq!(entry.get("dn").and_then(Node::as_u64), Some(2));
        assert_eq!(entry.get("sd").and_then(Node::as_u64), None); // a float
        assert_eq!(entry.get("x"), Some(&Node::Int(-3)));
        assert_eq!(node.get("missing"), None);
    }

    #[test]
    fn reads_cbor_and_refuses_what_json_cannot_carry() {
        // {"a": [1, -1, 1.5, null, true, "x"]}, with a tag 1004 around "x"
        let bytes = [
            0xa1, 0x61, b'a', 0x86, 0x01, 0x20, 0xf9, 0x3e, 0x00, 0xf6, 0xf5, 0xd9, 0x03, 0xec,
            0x61, b'x',
        ];
        let node = Node::from_cbor(&bytes).unwrap();
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": [1, -1, 1.5, null, true, "x"]})
        );
        let refused = |bytes: &[u8]| Node::from_cbor(bytes).unwrap_err();
        assert_eq!(refused(&[0x41, 0x00]), malformed("byte string in hcert"));
        assert_eq!(
            refused(&[0xa1, 0x01, 0x01]),
            malformed("non-text key in hcert")
        );
        assert_eq!(
            refused(&[0xf9, 0x7c, 0x00]),
            malformed("non-finite number in hcert")
        );
        // -2^64, below i64::MIN
        let below = [0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        assert_eq!(refused(&below), malformed("integer out of range in hcert"));
        assert!(matches!(
            refused(&[0xa2, 0x61, b'a', 0x01, 0x61, b'a', 0x02]),
            DecodeError::CborMalformed {
                detail: "duplicate map key",
                ..
            }
        ));
    }
}
