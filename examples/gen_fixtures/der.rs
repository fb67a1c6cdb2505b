//! A minimal DER writer (X.690): just the types an X.509 certificate and a PKCS#8 key need.
//! Every function returns the complete TLV encoding, so structures nest as plain function calls.

use base64::Engine as _;

/// Tag + definite length + content.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        // Long form: 0x80 | number of length bytes, then the length big-endian, minimal.
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// SEQUENCE of already-encoded elements.
pub(crate) fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &items.concat())
}

/// SET of already-encoded elements (callers pass a single element, so no DER sorting needed).
pub(crate) fn set(items: &[Vec<u8>]) -> Vec<u8> {
    assert!(
        items.len() <= 1,
        "SET OF with several elements would need DER sorting"
    );
    tlv(0x31, &items.concat())
}

/// `[n] EXPLICIT` (constructed, context-specific).
pub(crate) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xA0 | n, inner)
}

/// NULL.
pub(crate) fn null() -> Vec<u8> {
    tlv(0x05, &[])
}

/// INTEGER from a non-negative big-endian magnitude: leading zeros stripped, and one 0x00
/// prepended when the top bit is set, so it stays positive.
pub(crate) fn uint(magnitude: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = magnitude.iter().copied().skip_while(|&b| b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0x00);
    }
    content.extend_from_slice(&trimmed);
    tlv(0x02, &content)
}

/// INTEGER from a small non-negative number.
pub(crate) fn small_uint(value: u64) -> Vec<u8> {
    uint(&value.to_be_bytes())
}

/// OBJECT IDENTIFIER from its dotted form, e.g. `1.2.840.10045.2.1`.
pub(crate) fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted
        .split('.')
        .map(|a| a.parse().expect("numeric OID arc"))
        .collect();
    assert!(arcs.len() >= 2, "an OID has at least two arcs");
    let mut content = Vec::new();
    let mut push_base128 = |mut v: u64| {
        let mut groups = vec![(v & 0x7F) as u8];
        v >>= 7;
        while v > 0 {
            groups.push(0x80 | (v & 0x7F) as u8);
            v >>= 7;
        }
        content.extend(groups.into_iter().rev());
    };
    push_base128(arcs[0] * 40 + arcs[1]);
    for &arc in &arcs[2..] {
        push_base128(arc);
    }
    tlv(0x06, &content)
}

/// BIT STRING with no unused bits.
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0x00];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
}

/// OCTET STRING.
pub(crate) fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

/// PrintableString (the caller passes printable characters only).
pub(crate) fn printable_string(s: &str) -> Vec<u8> {
    tlv(0x13, s.as_bytes())
}

/// UTF8String.
pub(crate) fn utf8_string(s: &str) -> Vec<u8> {
    tlv(0x0C, s.as_bytes())
}

/// UTCTime `YYMMDDHHMMSSZ` of a civil date at midnight UTC (years 1950-2049).
pub(crate) fn utc_time(year: u32, month: u32, day: u32) -> Vec<u8> {
    assert!(
        (1950..2050).contains(&year),
        "UTCTime covers 1950-2049 only"
    );
    let text = format!("{:02}{month:02}{day:02}000000Z", year % 100);
    tlv(0x17, text.as_bytes())
}

/// PEM armour: base64 in 64-character lines between BEGIN/END lines.
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_encodings() {
        assert_eq!(
            oid("1.2.840.10045.2.1"),
            [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
        );
        assert_eq!(uint(&[0x00, 0x80]), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(uint(&[0, 0]), [0x02, 0x01, 0x00]);
        assert_eq!(tlv(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
    }
}
