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

/// Most pixels handed to the QR and DataMatrix detectors; a larger picture is scaled down to
/// fit first. Their work grows with the pixel count (and, in rxing's finder-pattern search, with
/// the square of the patterns found: see [`MAX_QR_FINDER_HITS`]), so this caps the cost of the
/// largest picture at that of a 2048 x 2048 one. The EU corpus pictures are at most 445 x 445, a DCC QR code (version
/// 10 to 25, 57 to 117 modules) filling a third of a 12-megapixel photo keeps over 4 pixels per
/// module once scaled to this size, and the detectors read 2.
#[cfg(feature = "image")]
pub const MAX_DECODE_PIXELS: usize = 2048 * 2048;

/// Most finder-like runs (dark, light, dark, light, dark in the ratio 1:1:3:1:1 along a scanned
/// row) before a picture is searched for QR finder patterns; past it the QR search is skipped
/// (`ImageError::TooManyCandidates` unless a DataMatrix code is found). rxing's search compares
/// each run with every pattern found so far, so its cost grows with the square of this count:
/// 10 s for a 2048 x 2048 picture tiled with 65,536 patterns, about 0.2 s at this bound (a
/// 720 x 720 picture of 8,100 patterns, `benches/image.rs` pictures). A QR code's three finder
/// patterns cross 7 scanned rows per pixel of module size (every third row is scanned), so any
/// QR code within [`MAX_DECODE_PIXELS`] stays far below; the most in the EU corpus pictures is
/// 352 runs, and 8,192 leaves room for textured backgrounds.
#[cfg(feature = "image")]
pub const MAX_QR_FINDER_HITS: usize = 8_192;

/// Most QR finder patterns (the three nested squares in a QR code's corners), largest first,
/// combined into candidate symbols. A picture holds 3 per QR code plus a few false matches in
/// the background; a crafted picture can hold thousands (rxing's reader builds up to 105
/// triples per pattern and samples them all, and its fallback reader compares every triple:
/// cubic work). 64 keeps 21 whole QR codes.
#[cfg(feature = "image")]
pub const MAX_QR_FINDER_PATTERNS: usize = 64;

/// Most triples of finder patterns sampled as a QR symbol and decoded, most plausible first
/// (64 samples took under 0.5 ms on tiled finder patterns). The right triple of a lone QR code
/// comes first; 64 leaves room for many false matches.
#[cfg(feature = "image")]
pub const MAX_QR_FINDER_SETS: usize = 64;

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
pub const MAX_TWODDOC_CHARS: usize = 3_116;

/// Most keys in one [`crate::trust::twoddoc_keys::TwoDDocKeys`]. The ANTS TSL lists a few dozen CAs, each
/// with a handful of signer certificates; the pass sanitaire used 5 keys. 10,000 bounds the
/// memory of hostile key material with ample room.
pub const MAX_TWODDOC_KEYS: usize = 10_000;

/// Longest kid in a compact key set ([`crate::trust::keyset`]), in bytes. DCC kids are 8 bytes (the
/// first 8 of the signer certificate's SHA-256) and no national list uses longer ones; 64 leaves
/// room for other conventions while keeping one entry small.
pub const MAX_KEY_SET_KID_BYTES: usize = 64;

/// Longest RSA public exponent in a compact key set, in bytes. Real keys use 65,537 (3 bytes);
/// 8 bytes covers any exponent the `rsa` crate accepts (it caps `e` below 2^33).
pub const MAX_KEY_SET_RSA_EXPONENT_BYTES: usize = 8;

/// Deepest JSON nesting of one CertLogic expression (arrays and operation objects each count a
/// level). The deepest rule of the production EU, booster and domestic sets nests 45 levels;
/// 64 leaves room and bounds the evaluator's recursion, which follows the expression's depth.
pub const MAX_LOGIC_DEPTH: usize = 64;

/// Most JSON values in one CertLogic expression. The largest production rule has 203; 4,096
/// leaves room for long inline code lists while bounding a rule's memory and validation time.
pub const MAX_LOGIC_NODES: usize = 4_096;

/// Longest string literal or `var` path in an expression, in bytes. Codes, dates and paths are
/// a few dozen bytes; 4 KiB is generous.
pub const MAX_LOGIC_STRING_BYTES: usize = 4_096;

/// Most items in one array literal of an expression (inline code lists hold a few dozen).
pub const MAX_LOGIC_ARRAY_ITEMS: usize = 1_024;

/// Most operations evaluated in one evaluation, `reduce` lambdas included. A production rule
/// evaluates a few hundred at most (a `reduce` over a DCC's one to a few entries); 100,000
/// bounds the work of a hostile rule on hostile data to about a millisecond.
pub const MAX_LOGIC_EVAL_STEPS: u32 = 100_000;

/// Most rules in one EU rule set. The production download holds 271 rules of 24 countries;
/// 10,000 leaves room for every country's history of versions.
pub const MAX_RULES: usize = 10_000;

/// Largest rules or value-sets document read at once, in bytes (the production rules are
/// 517 kB, the value sets 167 kB).
pub const MAX_RULES_BYTES: usize = 16 * 1024 * 1024;

/// Longest text field of a rule or value set (identifier, type, description, code), in bytes.
/// The longest production description is under 1 kB.
pub const MAX_RULE_TEXT_BYTES: usize = 4_096;

/// Most descriptions (languages) of one rule; the EU template rules carry 24.
pub const MAX_RULE_DESCRIPTIONS: usize = 64;

/// Most value sets; the EU publishes 9.
pub const MAX_VALUE_SETS: usize = 256;

/// Most codes in one value set; the largest (test devices) has 299.
pub const MAX_VALUE_SET_CODES: usize = 100_000;

/// Largest `/lists` or `/lists/{kid}/partitions` JSON response read, in bytes. A kid in
/// COORDINATE mode has at most 256 partitions of 16 chunks, each listing one slice per minute
/// of batch expiry; a few hundred bytes per slice puts a large issuer's partitions at a few
/// MiB. 16 MiB, like the trust lists, bounds the memory of a hostile response.
pub const MAX_DRL_JSON_BYTES: usize = 16 * 1024 * 1024;

/// Most kids in one `/lists` response. The EU gateway holds a few thousand signer keys (the
/// DE list has 829 DSCs); 100,000 matches [`MAX_TRUST_ENTRIES`].
pub const MAX_DRL_KIDS: usize = 100_000;

/// Most partitions of one kid: COORDINATE mode splits a kid by its first two hex digits
/// (16 x 16 = 256; revocation SPEC §4.1), POINT and VECTOR use 1 and 16.
pub const MAX_DRL_PARTITIONS: usize = 256;

/// Most slices listed under one chunk: one per distinct batch expiry (truncated to the
/// minute). A member state uploads batches of at most 1,000 hashes (SPEC §0), so 100,000
/// hashes of one kid in one chunk span at most 100 batches; 4,096 leaves ample room.
pub const MAX_DRL_SLICES_PER_CHUNK: usize = 4_096;

/// Largest inflated slice archive (the tar of one partition), in bytes. A kid's partition
/// stays below 1,600,000 hashes (past that the service splits it 256 ways), about 11 MiB of
/// Bloom filters at the service's p = 1e-12 (57.5 bits a hash) or 6.4 MiB of 4-byte hash list
/// entries; 64 MiB leaves room for tar padding and many small slices while capping a gzip
/// bomb's expansion.
pub const MAX_DRL_ARCHIVE_BYTES: usize = 64 * 1024 * 1024;

/// Most entries in one slice archive: 16 chunks of at most [`MAX_DRL_SLICES_PER_CHUNK`]
/// slices would be 65,536; real partitions hold a few dozen. Each entry costs a 512-byte
/// header, so [`MAX_DRL_ARCHIVE_BYTES`] alone would allow 131,072 empty ones.
pub const MAX_DRL_ARCHIVE_ENTRIES: usize = 65_536;

/// Largest single entry of a slice archive: the largest Bloom filter accepted (a 20-byte
/// header and [`MAX_BLOOM_WORDS`] words), which is also far above any hash list a partition
/// needs.
pub const MAX_DRL_SLICE_BYTES: usize = 20 + 4 * MAX_BLOOM_WORDS;
