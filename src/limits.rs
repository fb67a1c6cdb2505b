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

/// Largest clock skew tolerance a policy may set: one day. A larger one would quietly switch
/// the expiry and issue-time checks off (a skew of years makes every certificate current).
pub const MAX_CLOCK_SKEW_SECS: i64 = 86_400;

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

/// Most 32-bit data words in one EU revocation Bloom filter (32 MiB, 2^28 bits). A filter of
/// 1,000,000 hashes at p = 1e-6 takes 898,601 words (3.4 MiB), and 4.6 million hashes fit at the
/// reference server's p = 1e-12 (57.5 bits each), while the reference service already splits a
/// kid into 4,096 chunks past 1.6 million hashes. The Java reader's `int` indices break at 2^31
/// bits (revocation SPEC §2.7), far above this.
pub const MAX_BLOOM_WORDS: usize = 1 << 23;

/// Most hash rounds (`k`) in one Bloom filter: the header stores `k` in a signed byte. Each
/// round costs one SHA-256 of 17 bytes (about 0.07 µs), so the worst lookup stays under 10 µs.
pub const MAX_BLOOM_HASH_ROUNDS: u8 = 127;

/// Most entries in one EU partial variable hash list (VARHASHLIST). The reference service moves
/// a kid to 4,096-chunk partitions past 1,600,000 hashes, so no server slice comes near this;
/// 4,000,000 entries also fit an unpartitioned list of every hash of a large issuer (16 MiB at
/// the usual 4 bytes per entry).
pub const MAX_HASH_LIST_ENTRIES: usize = 4_000_000;

/// Longest entry in a hash list or blocklist, in bytes: a whole SHA-256 digest. EU entries are
/// prefixes of the 16-byte revocation hashes (4 to 7 bytes in practice); French fingerprints
/// are whole 32-byte digests.
pub const MAX_REVOCATION_ENTRY_BYTES: usize = 32;

/// Most fingerprints in one exact-set blocklist. The French TAC-Verif list held 5,186 in
/// February 2022 (the largest national list we know of); 1,000,000 is 32 MiB of digests.
pub const MAX_BLOCKLIST_ENTRIES: usize = 1_000_000;

/// Longest 2D-DOC text accepted. The largest DataMatrix (ISO/IEC 16022, 144x144) holds 3,116
/// numeric digits or 2,335 C40 characters, so no genuine 2D-DOC exceeds 3,116 bytes; the
/// pass-sanitaire ones are under 300.
pub const MAX_2DDOC_CHARS: usize = 3_116;

/// Most keys in one [`crate::twoddoc::TwoDDocKeys`]. The ANTS TSL lists a few dozen CAs, each
/// with a handful of signer certificates; the pass sanitaire used 5 keys. 10,000 bounds the
/// memory of hostile key material with ample room.
pub const MAX_2DDOC_KEYS: usize = 10_000;

/// Longest kid in a compact key set ([`crate::keyset`]), in bytes. DCC kids are 8 bytes (the
/// first 8 of the signer certificate's SHA-256) and no national list uses longer ones; 64 leaves
/// room for other conventions while keeping one entry small.
pub const MAX_KEY_SET_KID_BYTES: usize = 64;

/// Longest RSA public exponent in a compact key set, in bytes. Real keys use 65,537 (3 bytes);
/// 8 bytes covers any exponent the `rsa` crate accepts (it caps `e` below 2^33).
pub const MAX_KEY_SET_RSA_EXPONENT_BYTES: usize = 8;
