//! QR text to COSE bytes: length cap, `HC1:` prefix, strict base45, bounded zlib.

use super::error::DecodeError;
use crate::limits::{MAX_COSE_BYTES, MAX_QR_CHARS};

/// The context identifier of an EU DCC (hcert spec §4.1). `HC2:` or a bare string is refused.
pub(crate) const PREFIX: &str = "HC1:";

/// Checks the length and strips the `HC1:` prefix.
pub(crate) fn strip_prefix(qr: &str) -> Result<&str, DecodeError> {
    if qr.len() > MAX_QR_CHARS {
        return Err(DecodeError::InputTooLarge {
            len: qr.len(),
            limit: MAX_QR_CHARS,
        });
    }
    qr.strip_prefix(PREFIX).ok_or(DecodeError::MissingPrefix)
}

/// The base45 alphabet of RFC 9285 §4.
const BASE45_ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Each byte's base45 value, or `NOT_BASE45`: one lookup per character.
static BASE45_VALUES: [u8; 256] = {
    let mut values = [NOT_BASE45; 256];
    let mut i = 0;
    while i < BASE45_ALPHABET.len() {
        // safe: i < 45, and the alphabet is ASCII
        #[allow(clippy::as_conversions, clippy::indexing_slicing)]
        {
            values[BASE45_ALPHABET[i] as usize] = i as u8;
        }
        #[allow(clippy::arithmetic_side_effects)]
        {
            i += 1;
        }
    }
    values
};
const NOT_BASE45: u8 = 0xff;

/// A character's base45 value, or `NOT_BASE45`.
fn base45_value(c: u8) -> u8 {
    BASE45_VALUES
        .get(usize::from(c))
        .copied()
        .unwrap_or(NOT_BASE45)
}

/// Strict RFC 9285 base45: only the 45 characters, no dangling single character, and no
/// chunk whose value exceeds what its bytes can hold.
pub(crate) fn base45_decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let bytes = text.as_bytes();
    let chunks = bytes.chunks_exact(3);
    let tail = chunks.remainder();
    let mut out = vec![0u8; (bytes.len() / 3).saturating_mul(2)];
    for (index, (chunk, pair)) in chunks.zip(out.chunks_exact_mut(2)).enumerate() {
        let (&[c, d, e], [high, low]) = (chunk, pair) else {
            continue; // chunks of exactly 3 and 2
        };
        // Three separate lookups: an array `map` here went through the stack byte by byte.
        let (c, d, e) = (base45_value(c), base45_value(d), base45_value(e));
        // At most 44 + 44·45 + 44·45² = 91,124: no overflow, so plain wrapping arithmetic.
        let value = u32::from(c)
            .wrapping_add(u32::from(d).wrapping_mul(45))
            .wrapping_add(u32::from(e).wrapping_mul(45 * 45));
        // Values are below 45 (bit 7 clear); NOT_BASE45 has bit 7 set.
        if (c | d | e) & 0x80 != 0 || value > 0xffff {
            return Err(DecodeError::Base45 {
                offset: index.saturating_mul(3),
            });
        }
        let [_, _, h, l] = value.to_be_bytes();
        (*high, *low) = (h, l);
    }
    let tail_error = DecodeError::Base45 {
        offset: bytes.len().saturating_sub(tail.len()),
    };
    match *tail {
        [] => {}
        [c, d] => {
            let (c, d) = (base45_value(c), base45_value(d));
            let value = u32::from(c).wrapping_add(u32::from(d).wrapping_mul(45));
            if (c | d) & 0x80 != 0 || value > 0xff {
                return Err(tail_error);
            }
            let [_, _, _, byte] = value.to_be_bytes();
            out.push(byte);
        }
        _ => return Err(tail_error),
    }
    Ok(out)
}

/// Inflates a zlib stream (RFC 1950, checksum verified), refusing output over
/// [`MAX_COSE_BYTES`] before it is produced.
///
/// The decompressor state (about 11 KB of tables) lives on the stack: the crate's
/// `decompress_to_vec` boxes it, and that allocation cost more than inflating a pass.
pub(crate) fn inflate(compressed: &[u8]) -> Result<Vec<u8>, DecodeError> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;

    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        | inflate_flags::TINFL_FLAG_COMPUTE_ADLER32
        | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut state = DecompressorOxide::new();
    // Passes compress about 1.5:1; twice the input rarely needs a second round.
    let mut out = vec![0u8; compressed.len().saturating_mul(2).clamp(64, MAX_COSE_BYTES)];
    let (mut input, mut produced) = (compressed, 0);
    loop {
        let (status, consumed, written) = decompress(&mut state, input, &mut out, produced, flags);
        produced = produced.saturating_add(written);
        input = input.get(consumed..).unwrap_or_default();
        let detail = match status {
            TINFLStatus::Done => {
                out.truncate(produced);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput if out.len() >= MAX_COSE_BYTES => {
                return Err(DecodeError::DecompressedTooLarge {
                    limit: MAX_COSE_BYTES,
                })
            }
            TINFLStatus::HasMoreOutput => {
                let grown = out.len().saturating_mul(2).min(MAX_COSE_BYTES);
                out.resize(grown, 0);
                continue;
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                "truncated stream"
            }
            TINFLStatus::Adler32Mismatch => "checksum mismatch",
            _ => "invalid zlib header or deflate data",
        };
        return Err(DecodeError::DecompressFailed { detail });
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn base45_rfc9285_vectors() {
        assert_eq!(base45_decode("BB8").unwrap(), b"AB");
        assert_eq!(base45_decode("%69 VD92EX0").unwrap(), b"Hello!!");
        assert_eq!(base45_decode("UJCLQE7W581").unwrap(), b"base-45");
        assert_eq!(base45_decode("QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(base45_decode("").unwrap(), b"");
        assert_eq!(base45_decode("FGW").unwrap(), [0xff, 0xff]);
        assert_eq!(base45_decode("U5").unwrap(), [0xff]);
    }

    #[test]
    fn base45_rejects_bad_input() {
        assert_eq!(base45_decode("GGW"), Err(DecodeError::Base45 { offset: 0 })); // 65536
        assert_eq!(base45_decode("V5"), Err(DecodeError::Base45 { offset: 0 })); // 256
        assert_eq!(
            base45_decode("BB8A"),
            Err(DecodeError::Base45 { offset: 3 })
        ); // dangling
        assert_eq!(
            base45_decode("BB8bb8"),
            Err(DecodeError::Base45 { offset: 3 })
        ); // lowercase
        assert_eq!(
            base45_decode("BB8\n"),
            Err(DecodeError::Base45 { offset: 3 })
        );
        assert_eq!(base45_decode(":::"), Err(DecodeError::Base45 { offset: 0 }));
    }

    #[test]
    fn prefix_is_required_and_length_capped() {
        assert_eq!(strip_prefix("HC1:ABC"), Ok("ABC"));
        assert_eq!(strip_prefix("HC2:ABC"), Err(DecodeError::MissingPrefix));
        assert_eq!(strip_prefix("ABC"), Err(DecodeError::MissingPrefix));
        assert_eq!(strip_prefix("hc1:ABC"), Err(DecodeError::MissingPrefix));
        let long = "A".repeat(MAX_QR_CHARS + 1);
        assert_eq!(
            strip_prefix(&long),
            Err(DecodeError::InputTooLarge {
                len: MAX_QR_CHARS + 1,
                limit: MAX_QR_CHARS
            })
        );
    }

    #[test]
    fn inflate_is_bounded_and_requires_zlib() {
        let data = b"hello hello hello";
        let z = miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
        assert_eq!(inflate(&z).unwrap(), data);
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; MAX_COSE_BYTES + 1], 10);
        assert!(bomb.len() < 1000);
        assert_eq!(
            inflate(&bomb),
            Err(DecodeError::DecompressedTooLarge {
                limit: MAX_COSE_BYTES
            })
        );
        assert!(matches!(
            inflate(data),
            Err(DecodeError::DecompressFailed { .. })
        ));
        assert!(matches!(
            inflate(&z[..z.len() - 5]),
            Err(DecodeError::DecompressFailed { .. })
        ));
        let mut bad_sum = z.clone();
        *bad_sum.last_mut().unwrap() ^= 1;
        assert!(matches!(
            inflate(&bad_sum),
            Err(DecodeError::DecompressFailed { .. })
        ));
    }
}
