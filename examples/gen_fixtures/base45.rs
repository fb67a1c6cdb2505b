//! Base45 encoding (RFC 9285), the QR alphanumeric alphabet the HC1 text uses.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Every 2 bytes become 3 characters (least significant digit first), a final odd byte 2.
pub(crate) fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(2) * 3);
    for chunk in data.chunks(2) {
        let (mut n, digits) = match *chunk {
            [a, b] => (usize::from(a) * 256 + usize::from(b), 3),
            [a] => (usize::from(a), 2),
            _ => unreachable!("chunks(2) yields 1 or 2 bytes"),
        };
        for _ in 0..digits {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc9285_examples() {
        assert_eq!(super::encode(b"AB"), "BB8");
        assert_eq!(super::encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(super::encode(b"base-45"), "UJCLQE7W581");
    }
}
