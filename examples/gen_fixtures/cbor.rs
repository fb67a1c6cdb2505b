//! A minimal CBOR writer (RFC 8949). Unlike a serde-based encoder it writes exactly what it is
//! given: maps keep their order and may repeat keys, floats stay 64-bit, and raw bytes can be
//! spliced in. Malformed fixtures need all three.

/// A CBOR data item.
#[derive(Clone, Debug)]
pub(crate) enum Cbor {
    /// Major type 0.
    Uint(u64),
    /// Major type 1: the value -1 - n.
    NegMinus1(u64),
    /// Major type 2.
    Bytes(Vec<u8>),
    /// Major type 3.
    Text(String),
    /// Major type 4.
    Array(Vec<Cbor>),
    /// Major type 5, in this order, duplicates allowed.
    Map(Vec<(Cbor, Cbor)>),
    /// Major type 6.
    Tag(u64, Box<Cbor>),
    /// Major type 7, always as a 64-bit float.
    F64(f64),
    /// `null`.
    Null,
}

impl Cbor {
    /// An integer of either sign.
    pub(crate) fn int(value: i64) -> Self {
        if value >= 0 {
            Self::Uint(value as u64)
        } else {
            Self::NegMinus1((-1 - value) as u64)
        }
    }

    /// A text string.
    pub(crate) fn text(s: &str) -> Self {
        Self::Text(s.to_owned())
    }

    /// A map with integer keys.
    pub(crate) fn int_map(entries: Vec<(i64, Cbor)>) -> Self {
        Self::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Self::int(k), v))
                .collect(),
        )
    }

    /// A map with text keys.
    pub(crate) fn text_map(entries: Vec<(&str, Cbor)>) -> Self {
        Self::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Self::text(k), v))
                .collect(),
        )
    }

    /// The encoding, with the shortest argument for every head.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Uint(n) => head(out, 0, *n),
            Self::NegMinus1(n) => head(out, 1, *n),
            Self::Bytes(b) => {
                head(out, 2, b.len() as u64);
                out.extend_from_slice(b);
            }
            Self::Text(s) => {
                head(out, 3, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
            Self::Array(items) => {
                head(out, 4, items.len() as u64);
                items.iter().for_each(|item| item.write(out));
            }
            Self::Map(entries) => {
                head(out, 5, entries.len() as u64);
                for (k, v) in entries {
                    k.write(out);
                    v.write(out);
                }
            }
            Self::Tag(tag, inner) => {
                head(out, 6, *tag);
                inner.write(out);
            }
            Self::F64(f) => {
                out.push(0xFB);
                out.extend_from_slice(&f.to_be_bytes());
            }
            Self::Null => out.push(0xF6),
        }
    }
}

/// Major type and argument, in the shortest form (RFC 8949 §3, preferred serialization).
fn head(out: &mut Vec<u8>, major: u8, arg: u64) {
    let mt = major << 5;
    if arg < 24 {
        out.push(mt | arg as u8);
    } else if arg <= 0xFF {
        out.extend_from_slice(&[mt | 24, arg as u8]);
    } else if arg <= 0xFFFF {
        out.push(mt | 25);
        out.extend_from_slice(&(arg as u16).to_be_bytes());
    } else if arg <= 0xFFFF_FFFF {
        out.push(mt | 26);
        out.extend_from_slice(&(arg as u32).to_be_bytes());
    } else {
        out.push(mt | 27);
        out.extend_from_slice(&arg.to_be_bytes());
    }
}
