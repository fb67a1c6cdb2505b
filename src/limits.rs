//! Every numeric bound on untrusted input, with where its number comes from.

/// Longest QR text accepted: the alphanumeric capacity of a version 40-L QR code
/// (ISO/IEC 18004, table 7). No real health certificate comes close: the longest
/// dgc-testdata `PREFIX` is 1,093 characters.
pub const MAX_QR_CHARS: usize = 4_296;

/// Largest decompressed COSE message. The largest COSE in dgc-testdata is 870 bytes and a
/// QR code carries at most 2,953 bytes; 64 KiB leaves room for any legitimate zlib ratio
/// while capping a zip bomb's expansion (the JVM peers cap at 5 MiB, most others not at all).
pub const MAX_COSE_BYTES: usize = 64 * 1024;

/// Deepest CBOR nesting accepted. A DCC nests 5 levels (claims > hcert > dcc > v > entry);
/// 16 leaves room for extensions and stays far from stack exhaustion.
pub const MAX_CBOR_DEPTH: usize = 16;

/// Most CBOR data items in one message. A DCC has fewer than 100; a 64 KiB message of
/// one-byte items would hold 65,536, so this also bounds the work on hostile input.
pub const MAX_CBOR_ITEMS: usize = 4_096;

/// Largest RSA modulus accepted in a signer key, in bits. DSCs use 2048 or 3072 bits;
/// 4096 covers every key in the EU trust lists and bounds the cost of one verification.
pub const MAX_RSA_BITS: usize = 4_096;

/// Default tolerance, in seconds, between the caller's clock and the issuer's: a phone's clock
/// a few minutes behind must not make a freshly issued certificate "issued in the future".
/// 300 s matches the Swiss SDK's tolerance on `iat`, the only peer with one.
pub const DEFAULT_CLOCK_SKEW_SECS: i64 = 300;

/// Largest picture file read by [`crate::image::decode_qr`]: a phone photo is a few MiB.
#[cfg(feature = "image")]
pub const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// Most pixels decoded from a picture (a 64-megapixel photo); bounds the decoder's memory.
#[cfg(feature = "image")]
pub const MAX_IMAGE_PIXELS: usize = 64 * 1024 * 1024;

/// Largest trust data accepted by one load, in bytes. The biggest real list in ../shared (the
/// German DSC list, 832 certificates, pretty-printed with signatures and thumbprints) is 4.1 MB;
/// 16 MiB leaves four times that for growth and still bounds the memory a hostile list can take.
pub const MAX_TRUST_BYTES: usize = 16 * 1024 * 1024;

/// Most entries (certificates, map entries, JWKs or PEM blocks) in one load. Real lists hold
/// under 1,000 DSCs; 100,000 is generous, and 16 MiB of the smallest possible entries could not
/// reach much further anyway.
pub const MAX_TRUST_ENTRIES: usize = 100_000;

/// Most keys under one kid (and, separately, most kid-less keys), because verification tries
/// every candidate. Real lists share a kid between at most 2 keys (4 kids in the Swiss list);
/// 16 leaves room while capping one verification at 16 signature checks.
pub const MAX_KEYS_PER_KID: usize = 16;
