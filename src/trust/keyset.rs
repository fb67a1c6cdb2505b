//! The compact key set: trusted signer keys in a small binary file that loads without parsing
//! any X.509, optionally signed by its publisher with a P-256 key the app pins.
//!
//! `dcc-verify keyset build` writes one from any trust input; [`crate::TrustStore::add_bytes`]
//! recognises it by its magic, and [`crate::TrustStore::add_key_set`] also checks the publisher
//! signature against a pinned key. The set's issue time becomes the store's
//! [clock floor](crate::TrustStore::clock_floor): the verifier never evaluates a certificate at
//! an earlier time, so a device clock set back cannot make expired certificates valid again.
//!
//! # Format, version 1
//!
//! All integers are big-endian; `i64` times are Unix seconds.
//!
//! ```text
//! header   magic "DCCKS" (5) | version u8 = 1 | flags u8 (bit 0: signed; others 0)
//!          | issued_at i64 | count u32 (at most MAX_TRUST_ENTRIES)
//! entry    flags u8 | warnings u8 | kid_len u8 | kid (kid_len bytes, at most
//!          MAX_KEY_SET_KID_BYTES) | algorithm u8 | key | [not_before i64] | [not_after i64]
//!          | [country: 2 ASCII capital letters]
//!   flags:    0x01 not_before present, 0x02 not_after present, 0x04 usage restricted to the
//!             types in 0x08 test, 0x10 vaccination, 0x20 recovery (all 0 when unrestricted),
//!             0x40 country present, 0x80 kid-less key (kid_len must be 0)
//!   warnings: 0x01 unreadable validity, 0x02 unreadable extensions (see `KeyWarning`)
//!   algorithm 1 (ES256): key = 65-byte uncompressed SEC1 P-256 point
//!   algorithm 2 (PS256): key = modulus_len u16 | modulus | exponent_len u8 | exponent
//!             (big-endian, no leading zero, at most MAX_RSA_BITS and
//!             MAX_KEY_SET_RSA_EXPONENT_BYTES)
//! trailer  if signed: 64-byte ECDSA P-256 / SHA-256 signature (r || s) over every byte before it
//! ```
//!
//! Nothing may follow the last entry (or the signature). Every reserved bit must be 0, so one
//! key set has exactly one reading. [`KeySet::build`] writes entries sorted by kid (kid-less
//! last) and signs deterministically (RFC 6979): the same store and time give the same bytes.

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::SigningKey;
use rsa::traits::PublicKeyParts as _;

use crate::crypto::{Algorithm, PublicKey};
use crate::limits::{
    MAX_KEY_SET_KID_BYTES, MAX_KEY_SET_RSA_EXPONENT_BYTES, MAX_RSA_BITS, MAX_TRUST_BYTES,
    MAX_TRUST_ENTRIES,
};
use crate::time::UnixTime;
use crate::trust::{KeyUsage, KeyWarning, LoadReport, SignerKey, TrustError, TrustStore};

/// The first bytes of every key set.
pub const MAGIC: [u8; 5] = *b"DCCKS";
/// The format version this crate writes and reads.
pub const VERSION: u8 = 1;

const HEADER_SIGNED: u8 = 0x01;
const HEADER_BYTES: usize = 19; // magic 5 + version 1 + flags 1 + issued_at 8 + count 4
const SIGNATURE_BYTES: usize = 64;
const EC_POINT_BYTES: usize = 65;
const ALG_ES256: u8 = 1;
const ALG_PS256: u8 = 2;
/// flags, warnings, kid_len, algorithm and the smallest key (an RSA key is longer than a point).
const MIN_ENTRY_BYTES: usize = 4 + EC_POINT_BYTES;
const MAX_RSA_MODULUS_BYTES: usize = MAX_RSA_BITS / 8;

const HAS_NOT_BEFORE: u8 = 0x01;
const HAS_NOT_AFTER: u8 = 0x02;
const USAGE_RESTRICTED: u8 = 0x04;
const USAGE_TEST: u8 = 0x08;
const USAGE_VACCINATION: u8 = 0x10;
const USAGE_RECOVERY: u8 = 0x20;
const HAS_COUNTRY: u8 = 0x40;
const KIDLESS: u8 = 0x80;
const WARN_VALIDITY: u8 = 0x01;
const WARN_EXTENSIONS: u8 = 0x02;

/// Whether `bytes` start like a key set (any version).
pub fn is_key_set(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// What is known about a key set's publisher signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signature {
    /// The set carries no signature.
    Unsigned,
    /// The set is signed, but no publisher key was given to check it with.
    Unchecked,
    /// The signature verified with the pinned publisher key.
    Verified,
}

/// A parsed key set: its issue time, its signature status and its keys, in file order.
#[derive(Clone, Debug)]
pub struct KeySet {
    issued_at: UnixTime,
    signature: Signature,
    keys: Vec<(Option<Vec<u8>>, SignerKey)>,
}

impl KeySet {
    /// Reads a key set. With a `pin` (the publisher's P-256 key) the set must be signed and its
    /// signature must verify, and it is checked before any entry is read; without one, a
    /// signature is kept [`Signature::Unchecked`].
    ///
    /// # Errors
    /// [`TrustError::TooLarge`] beyond [`MAX_TRUST_BYTES`], [`TrustError::TooManyEntries`]
    /// beyond [`MAX_TRUST_ENTRIES`], [`TrustError::UnsupportedKeySetVersion`],
    /// [`TrustError::KeySetUnsigned`] and [`TrustError::KeySetSignatureInvalid`] with a pin,
    /// and [`TrustError::BadKeySet`] (with the byte offset) for anything malformed.
    pub fn parse(bytes: &[u8], pin: Option<&PublicKey>) -> Result<Self, TrustError> {
        if bytes.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        let mut header = Cursor::new(bytes, 0);
        if header.take(MAGIC.len())? != MAGIC {
            return Err(header.error_at(0, "not a key set (no DCCKS magic)"));
        }
        let version = header.u8()?;
        if version != VERSION {
            return Err(TrustError::UnsupportedKeySetVersion { version });
        }
        let flags = header.u8()?;
        if flags & !HEADER_SIGNED != 0 {
            return Err(header.error_at(6, "reserved header flag bits set"));
        }
        let issued_at = UnixTime::from_secs(header.i64()?);
        let count = usize::try_from(header.u32()?).unwrap_or(usize::MAX);
        if count > MAX_TRUST_ENTRIES {
            return Err(TrustError::TooManyEntries {
                limit: MAX_TRUST_ENTRIES,
            });
        }
        let (body, signature) = if flags & HEADER_SIGNED == 0 {
            (bytes, Signature::Unsigned)
        } else {
            let signed_len = bytes
                .len()
                .checked_sub(SIGNATURE_BYTES)
                .filter(|&len| len >= HEADER_BYTES)
                .ok_or_else(|| header.error_at(bytes.len(), "truncated: no room for signature"))?;
            let (signed, signature) = bytes.split_at_checked(signed_len).unwrap_or((bytes, &[]));
            match pin {
                Some(pin) => {
                    pin.verify(Algorithm::Es256, signed, signature)
                        .map_err(|_| TrustError::KeySetSignatureInvalid)?;
                    (signed, Signature::Verified)
                }
                None => (signed, Signature::Unchecked),
            }
        };
        if pin.is_some() && signature == Signature::Unsigned {
            return Err(TrustError::KeySetUnsigned);
        }
        let mut entries = Cursor::new(body, HEADER_BYTES);
        let room = body.len().saturating_sub(HEADER_BYTES) / MIN_ENTRY_BYTES;
        let mut keys = Vec::with_capacity(count.min(room));
        for _ in 0..count {
            keys.push(entries.entry()?);
        }
        if !entries.is_empty() {
            return Err(entries.error("trailing bytes after the last entry"));
        }
        Ok(Self {
            issued_at,
            signature,
            keys,
        })
    }

    /// Writes `store` as a key set issued at `issued_at`, signed with `signer` if given.
    ///
    /// # Errors
    /// [`TrustError::TooManyEntries`] beyond [`MAX_TRUST_ENTRIES`] keys, and
    /// [`TrustError::BadEntry`] (entry = position in the written order) for a kid longer than
    /// [`MAX_KEY_SET_KID_BYTES`] or a country that is not two ASCII letters.
    pub fn build(
        store: &TrustStore,
        issued_at: UnixTime,
        signer: Option<&SigningKey>,
    ) -> Result<Vec<u8>, TrustError> {
        let mut entries: Vec<(Option<&[u8]>, &SignerKey)> = store.iter().collect();
        // Stable: the keys of one kid keep their order, which is the order they are tried in.
        entries.sort_by(|(a, _), (b, _)| match (a, b) {
            (Some(a), Some(b)) => a.cmp(b),
            (a, b) => b.is_some().cmp(&a.is_some()),
        });
        let count = u32::try_from(entries.len())
            .ok()
            .filter(|_| entries.len() <= MAX_TRUST_ENTRIES)
            .ok_or(TrustError::TooManyEntries {
                limit: MAX_TRUST_ENTRIES,
            })?;
        let mut out =
            Vec::with_capacity(HEADER_BYTES.saturating_add(entries.len().saturating_mul(96)));
        out.extend_from_slice(&MAGIC);
        out.push(VERSION);
        out.push(if signer.is_some() { HEADER_SIGNED } else { 0 });
        out.extend_from_slice(&issued_at.secs().to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        for (index, (kid, key)) in entries.into_iter().enumerate() {
            write_entry(&mut out, kid, key).map_err(|detail| TrustError::BadEntry {
                entry: index,
                detail,
            })?;
        }
        if let Some(signer) = signer {
            let signature: p256::ecdsa::Signature = signer.sign(&out);
            out.extend_from_slice(&signature.to_bytes());
        }
        Ok(out)
    }

    /// When the set was issued: the floor for the verification clock.
    pub fn issued_at(&self) -> UnixTime {
        self.issued_at
    }

    /// Whether the set is signed, and whether that signature was checked.
    pub fn signature(&self) -> Signature {
        self.signature
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every key with its kid (`None` for kid-less keys), in file order.
    pub fn keys(&self) -> impl Iterator<Item = (Option<&[u8]>, &SignerKey)> + '_ {
        self.keys.iter().map(|(kid, key)| (kid.as_deref(), key))
    }
}

impl TrustStore {
    /// Adds the keys of a key set (see [`KeySet::parse`] for `pin`) and raises the
    /// [clock floor](TrustStore::clock_floor) to its issue time: all or nothing.
    ///
    /// # Errors
    /// As [`KeySet::parse`], and [`TrustError::TooManyKeysForKid`].
    pub fn add_key_set(
        &mut self,
        bytes: &[u8],
        pin: Option<&PublicKey>,
    ) -> Result<LoadReport, TrustError> {
        let set = KeySet::parse(bytes, pin)?;
        self.commit_key_set(set.keys, set.issued_at)
    }

    /// For apps that pin a key set publisher: `bytes` must be a key set signed with `pin`.
    ///
    /// # Errors
    /// [`TrustError::KeySetRequired`] for any other trust format, else as
    /// [`TrustStore::add_key_set`].
    pub fn add_pinned_key_set(
        &mut self,
        bytes: &[u8],
        pin: &PublicKey,
    ) -> Result<LoadReport, TrustError> {
        if !is_key_set(bytes) {
            return Err(TrustError::KeySetRequired);
        }
        self.add_key_set(bytes, Some(pin))
    }
}

/// The publisher key to pin, from a PEM or DER public key (or certificate): exactly one key,
/// EC P-256.
///
/// # Errors
/// Any [`TrustError`] reading `bytes`, and [`TrustError::BadKey`] if they hold several keys or
/// one that is not P-256.
pub fn publisher_key(bytes: &[u8]) -> Result<PublicKey, TrustError> {
    let store = TrustStore::from_bytes(bytes)?;
    let mut keys = store.iter().map(|(_, key)| &key.key);
    match (keys.next(), keys.next()) {
        (Some(key @ PublicKey::EcP256(_)), None) => Ok(key.clone()),
        (Some(_), None) => Err(TrustError::BadKey {
            entry: 0,
            detail: "the publisher key must be EC P-256",
        }),
        _ => Err(TrustError::BadKey {
            entry: 0,
            detail: "expected exactly one publisher key",
        }),
    }
}

fn write_entry(out: &mut Vec<u8>, kid: Option<&[u8]>, key: &SignerKey) -> Result<(), &'static str> {
    let mut flags = 0;
    if key.not_before.is_some() {
        flags |= HAS_NOT_BEFORE;
    }
    if key.not_after.is_some() {
        flags |= HAS_NOT_AFTER;
    }
    if let KeyUsage::Only {
        test,
        vaccination,
        recovery,
    } = key.usage
    {
        flags |= USAGE_RESTRICTED;
        for (allowed, bit) in [
            (test, USAGE_TEST),
            (vaccination, USAGE_VACCINATION),
            (recovery, USAGE_RECOVERY),
        ] {
            if allowed {
                flags |= bit;
            }
        }
    }
    let country = match &key.country {
        Some(country) if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) => {
            flags |= HAS_COUNTRY;
            Some(country.as_bytes())
        }
        Some(_) => return Err("country is not two ASCII capital letters"),
        None => None,
    };
    if kid.is_none() {
        flags |= KIDLESS;
    }
    let mut warnings = 0;
    for warning in &key.warnings {
        warnings |= match warning {
            KeyWarning::UnreadableValidity => WARN_VALIDITY,
            KeyWarning::UnreadableExtensions => WARN_EXTENSIONS,
        };
    }
    let kid = kid.unwrap_or_default();
    let kid_len = u8::try_from(kid.len())
        .ok()
        .filter(|_| kid.len() <= MAX_KEY_SET_KID_BYTES)
        .ok_or("kid longer than MAX_KEY_SET_KID_BYTES")?;
    out.extend_from_slice(&[flags, warnings, kid_len]);
    out.extend_from_slice(kid);
    match &key.key {
        PublicKey::EcP256(point) => {
            out.push(ALG_ES256);
            out.extend_from_slice(point.to_encoded_point(false).as_bytes());
        }
        PublicKey::Rsa(rsa) => {
            let (n, e) = (rsa.n().to_bytes_be(), rsa.e().to_bytes_be());
            let n_len = u16::try_from(n.len()).map_err(|_| "RSA modulus too long")?;
            let e_len = u8::try_from(e.len()).map_err(|_| "RSA exponent too long")?;
            out.push(ALG_PS256);
            out.extend_from_slice(&n_len.to_be_bytes());
            out.extend_from_slice(&n);
            out.push(e_len);
            out.extend_from_slice(&e);
        }
    }
    for time in [key.not_before, key.not_after].into_iter().flatten() {
        out.extend_from_slice(&time.secs().to_be_bytes());
    }
    out.extend_from_slice(country.unwrap_or_default());
    Ok(())
}

/// A bounds-checked reader that knows its offset in the whole key set, for precise errors.
struct Cursor<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Cursor<'a> {
    /// Reads `bytes`, which start at `offset` in the key set.
    fn new(bytes: &'a [u8], offset: usize) -> Self {
        Self {
            rest: bytes.get(offset..).unwrap_or_default(),
            offset,
        }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn error(&self, detail: &'static str) -> TrustError {
        self.error_at(self.offset, detail)
    }

    #[allow(clippy::unused_self)] // an error constructor beside `error`, for explicit offsets
    fn error_at(&self, offset: usize, detail: &'static str) -> TrustError {
        TrustError::BadKeySet { offset, detail }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], TrustError> {
        let (taken, rest) = self
            .rest
            .split_at_checked(len)
            .ok_or_else(|| self.error("truncated"))?;
        self.rest = rest;
        self.offset = self.offset.saturating_add(len);
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], TrustError> {
        let bytes = self.take(N)?;
        <[u8; N]>::try_from(bytes).map_err(|_| self.error("truncated"))
    }

    fn u8(&mut self) -> Result<u8, TrustError> {
        self.array::<1>().map(u8::from_be_bytes)
    }

    fn u16(&mut self) -> Result<u16, TrustError> {
        self.array().map(u16::from_be_bytes)
    }

    fn u32(&mut self) -> Result<u32, TrustError> {
        self.array().map(u32::from_be_bytes)
    }

    fn i64(&mut self) -> Result<i64, TrustError> {
        self.array().map(i64::from_be_bytes)
    }

    fn entry(&mut self) -> Result<(Option<Vec<u8>>, SignerKey), TrustError> {
        let start = self.offset;
        let flags = self.u8()?;
        let restricted = flags & USAGE_RESTRICTED != 0;
        let usage_bits = flags & (USAGE_TEST | USAGE_VACCINATION | USAGE_RECOVERY);
        if !restricted && usage_bits != 0 {
            return Err(self.error_at(start, "usage bits set on an unrestricted key"));
        }
        let warning_bits = self.u8()?;
        if warning_bits & !(WARN_VALIDITY | WARN_EXTENSIONS) != 0 {
            return Err(self.error_at(start.saturating_add(1), "reserved warning bits set"));
        }
        let kid_len = usize::from(self.u8()?);
        if kid_len > MAX_KEY_SET_KID_BYTES {
            return Err(self.error_at(start.saturating_add(2), "kid longer than 64 bytes"));
        }
        let kid = self.take(kid_len)?;
        let kid = if flags & KIDLESS == 0 {
            Some(kid.to_vec())
        } else if kid.is_empty() {
            None
        } else {
            return Err(self.error_at(start, "kid-less key with a kid"));
        };
        let key = self.key()?;
        let not_before = self.time_if(flags & HAS_NOT_BEFORE != 0)?;
        let not_after = self.time_if(flags & HAS_NOT_AFTER != 0)?;
        let country = if flags & HAS_COUNTRY == 0 {
            None
        } else {
            let at = self.offset;
            let code = self.take(2)?;
            if !code.iter().all(u8::is_ascii_uppercase) {
                return Err(self.error_at(at, "country is not two ASCII capital letters"));
            }
            Some(String::from_utf8_lossy(code).into_owned())
        };
        let usage = if restricted {
            KeyUsage::Only {
                test: flags & USAGE_TEST != 0,
                vaccination: flags & USAGE_VACCINATION != 0,
                recovery: flags & USAGE_RECOVERY != 0,
            }
        } else {
            KeyUsage::Any
        };
        let warnings = [
            (WARN_VALIDITY, KeyWarning::UnreadableValidity),
            (WARN_EXTENSIONS, KeyWarning::UnreadableExtensions),
        ]
        .into_iter()
        .filter(|(bit, _)| warning_bits & bit != 0)
        .map(|(_, warning)| warning)
        .collect();
        Ok((
            kid,
            SignerKey {
                key,
                not_before,
                not_after,
                usage,
                country,
                warnings,
            },
        ))
    }

    fn key(&mut self) -> Result<PublicKey, TrustError> {
        let at = self.offset;
        match self.u8()? {
            ALG_ES256 => {
                let point = self.take(EC_POINT_BYTES)?;
                if point.first() != Some(&0x04) {
                    return Err(self.error_at(at.saturating_add(1), "P-256 point not uncompressed"));
                }
                PublicKey::ec_p256_from_sec1(point)
                    .map_err(|_| self.error_at(at.saturating_add(1), "invalid P-256 point"))
            }
            ALG_PS256 => {
                let n_len = usize::from(self.u16()?);
                if n_len > MAX_RSA_MODULUS_BYTES {
                    return Err(self.error_at(at.saturating_add(1), "RSA modulus too long"));
                }
                let n = self.take(n_len)?;
                let e_at = self.offset;
                let e_len = usize::from(self.u8()?);
                if e_len > MAX_KEY_SET_RSA_EXPONENT_BYTES {
                    return Err(self.error_at(e_at, "RSA exponent too long"));
                }
                let e = self.take(e_len)?;
                if n.first().is_none_or(|&b| b == 0) || e.first().is_none_or(|&b| b == 0) {
                    return Err(self.error_at(at.saturating_add(1), "RSA integer not minimal"));
                }
                PublicKey::rsa_from_components(n, e)
                    .map_err(|_| self.error_at(at.saturating_add(1), "invalid RSA key"))
            }
            _ => Err(self.error_at(at, "unknown algorithm")),
        }
    }

    fn time_if(&mut self, present: bool) -> Result<Option<UnixTime>, TrustError> {
        if present {
            self.i64().map(|secs| Some(UnixTime::from_secs(secs)))
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests;
