//! The trust-list formats a [`TrustStore`] reads, detected from the bytes: DGCG / national
//! JSON, the French kid map, the Swiss JWK map, PEM, DER, and the compact key set (see the
//! [module docs](super)).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::der::{self, Reader};
use crate::limits::{MAX_TRUST_BYTES, MAX_TRUST_ENTRIES};
use crate::time::UnixTime;

use super::keyset;
use super::store::{Batch, Problem};
use super::x509::{certificate_key, country_code, ec_point, rsa_key, spki_key};
use super::{
    KeyUsage, KeyWarning, LoadReport, SignerKey, SkipReason, SkippedEntry, TrustError, TrustStore,
};

impl TrustStore {
    /// A store holding the keys in `bytes` (any format [`TrustStore::add_bytes`] reads).
    ///
    /// # Errors
    /// As [`TrustStore::add_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TrustError> {
        let mut store = Self::new();
        store.add_bytes(bytes)?;
        Ok(store)
    }

    /// Adds every key in `bytes`, detecting the format (see the [module docs](super)), and
    /// returns how many were added. Entries with unsupported key types are skipped: use
    /// [`TrustStore::add_bytes_with_report`] to see them.
    ///
    /// # Errors
    /// Any [`TrustError`] except [`TrustError::UnsupportedKey`]; the store is then unchanged.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> Result<usize, TrustError> {
        self.add_bytes_with_report(bytes).map(|report| report.added)
    }

    /// As [`TrustStore::add_bytes`], also reporting the entries that were skipped because their
    /// key type is not supported (so one odd DSC does not reject a whole national list).
    ///
    /// # Errors
    /// Any [`TrustError`] except [`TrustError::UnsupportedKey`]; the store is then unchanged.
    pub fn add_bytes_with_report(&mut self, bytes: &[u8]) -> Result<LoadReport, TrustError> {
        if bytes.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        if keyset::is_key_set(bytes) {
            return self.add_key_set(bytes, None);
        }
        // serde_json reports positions after the byte order mark, which it does not accept.
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let batch = if trim_start(text).first() == Some(&b'{') {
            parse_json(text)?
        } else if bytes.first() == Some(&der::SEQUENCE) {
            parse_der(bytes)?
        } else if find(bytes, PEM_BEGIN).is_some() {
            parse_pem(bytes)?
        } else {
            return Err(TrustError::UnrecognisedFormat);
        };
        self.commit(batch)
    }

    /// Adds the key of one DER X.509 certificate under `kid`, by default the first 8 bytes of
    /// the certificate's SHA-256 (the DCC convention). A `kid` that does not match is still
    /// used as given: real lists contain such kids.
    ///
    /// # Errors
    /// [`TrustError::BadCertificate`] if the certificate or its key cannot be read,
    /// [`TrustError::UnsupportedKey`] for a key type this crate does not verify with,
    /// [`TrustError::TooLarge`] and [`TrustError::TooManyKeysForKid`] for the bounds.
    pub fn add_certificate_der(
        &mut self,
        der: &[u8],
        kid: Option<&[u8]>,
    ) -> Result<(), TrustError> {
        if der.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        let key = certificate_key(der).map_err(|problem| problem.certificate_error(0))?;
        let kid = kid.map_or_else(|| default_kid(der), <[u8]>::to_vec);
        self.commit(Batch::single(Some(kid), key)).map(drop)
    }

    /// Adds the key in one DER `SubjectPublicKeyInfo`, under `kid` or, if `None`, kid-less.
    ///
    /// # Errors
    /// [`TrustError::BadKey`] if the key cannot be read, [`TrustError::UnsupportedKey`] for a
    /// key type this crate does not verify with, [`TrustError::TooLarge`] and
    /// [`TrustError::TooManyKeysForKid`] for the bounds.
    pub fn add_spki_der(&mut self, der: &[u8], kid: Option<&[u8]>) -> Result<(), TrustError> {
        if der.len() > MAX_TRUST_BYTES {
            return Err(TrustError::TooLarge {
                limit: MAX_TRUST_BYTES,
            });
        }
        let key = spki_key(der).map_err(|problem| problem.key_error(0))?;
        self.commit(Batch::single(kid.map(<[u8]>::to_vec), SignerKey::new(key)))
            .map(drop)
    }
}

// ---------------------------------------------------------------------------------------------
// JSON formats

/// The DCC convention for a kid: the first 8 bytes of the certificate's SHA-256.
fn default_kid(certificate: &[u8]) -> Vec<u8> {
    Sha256::digest(certificate)
        .iter()
        .take(8)
        .copied()
        .collect()
}

/// A parsed JSON trust list, before key material is decoded.
enum JsonTrust {
    /// `{"certificates": [...]}`; other top-level members are metadata and ignored.
    Dgcg(Vec<DgcgEntry>),
    /// `{kid: entry}` in document order.
    KidMap(Vec<(String, KidEntry)>),
}

/// One item of a DGCG-style `certificates` array.
#[derive(Deserialize)]
struct DgcgEntry {
    kid: Option<String>,
    #[serde(rename = "rawData")]
    raw_data: String,
    country: Option<String>,
    #[serde(rename = "certificateType")]
    certificate_type: Option<String>,
}

/// The value under one kid in a kid-keyed map.
#[derive(Deserialize)]
#[serde(untagged)]
enum KidEntry {
    /// French shape.
    Spki(SpkiEntry),
    /// Swiss shape.
    Jwks(Vec<Jwk>),
    /// Anything else (a metadata member, or garbage).
    Other(IgnoredAny),
}

/// The French (TousAntiCovid) entry: a bare SPKI plus what the certificate said.
#[derive(Deserialize)]
struct SpkiEntry {
    #[serde(rename = "publicKeyPem")]
    public_key: String,
    #[serde(rename = "notBefore")]
    not_before: Option<String>,
    #[serde(rename = "notAfter")]
    not_after: Option<String>,
    subject: Option<String>,
}

/// A JWK-like key as in the Swiss lists (standard or URL-safe base64 both accepted).
#[derive(Deserialize)]
struct Jwk {
    kty: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl<'de> Deserialize<'de> for JsonTrust {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TrustVisitor;

        impl<'de> Visitor<'de> for TrustVisitor {
            type Value = JsonTrust;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a trust list object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonTrust, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "certificates" {
                        let certificates = map.next_value()?;
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        return Ok(JsonTrust::Dgcg(certificates));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(JsonTrust::KidMap(entries))
            }
        }

        deserializer.deserialize_map(TrustVisitor)
    }
}

fn parse_json(text: &[u8]) -> Result<Batch, TrustError> {
    let json: JsonTrust = serde_json::from_slice(text).map_err(|e| TrustError::InvalidJson {
        line: e.line(),
        column: e.column(),
    })?;
    match json {
        JsonTrust::Dgcg(entries) => parse_dgcg(entries),
        JsonTrust::KidMap(entries) => parse_kid_map(entries),
    }
}

fn parse_dgcg(entries: Vec<DgcgEntry>) -> Result<Batch, TrustError> {
    if entries.len() > MAX_TRUST_ENTRIES {
        return Err(TrustError::TooManyEntries {
            limit: MAX_TRUST_ENTRIES,
        });
    }
    let mut batch = Batch::default();
    for (index, entry) in entries.into_iter().enumerate() {
        if entry
            .certificate_type
            .as_deref()
            .is_some_and(|t| t != "DSC")
        {
            let skipped = SkippedEntry {
                entry: index,
                reason: SkipReason::NotDocumentSigner,
            };
            batch.skipped.push(skipped);
            continue;
        }
        let der = decode_base64(&entry.raw_data).ok_or(TrustError::InvalidBase64 {
            entry: index,
            field: "rawData",
        })?;
        let kid = match entry.kid {
            Some(kid) => decode_kid(&kid, index)?,
            None => default_kid(&der),
        };
        let key = certificate_key(&der).map(|mut key| {
            // The list's country is what the gateway vouches for; the subject's is a fallback.
            if let Some(country) = entry.country {
                key.country = Some(country);
            }
            key
        });
        batch.push(index, Some(kid), key, Problem::certificate_error)?;
    }
    Ok(batch)
}

fn parse_kid_map(entries: Vec<(String, KidEntry)>) -> Result<Batch, TrustError> {
    let mut batch = Batch::default();
    let mut index = 0usize;
    let mut recognised = false;
    for (kid_text, entry) in entries {
        if index >= MAX_TRUST_ENTRIES {
            return Err(TrustError::TooManyEntries {
                limit: MAX_TRUST_ENTRIES,
            });
        }
        match entry {
            KidEntry::Spki(spki) => {
                let kid = decode_kid(&kid_text, index)?;
                let key = spki_entry_key(&spki, index)?;
                batch.push(index, Some(kid), key, Problem::key_error)?;
                index = index.saturating_add(1);
            }
            KidEntry::Jwks(jwks) => {
                let kid = decode_kid(&kid_text, index)?;
                for jwk in &jwks {
                    if index >= MAX_TRUST_ENTRIES {
                        return Err(TrustError::TooManyEntries {
                            limit: MAX_TRUST_ENTRIES,
                        });
                    }
                    let key = jwk_key(jwk, index)?;
                    batch.push(index, Some(kid.clone()), key, Problem::key_error)?;
                    index = index.saturating_add(1);
                }
            }
            KidEntry::Other(_) => {
                if recognised {
                    return Err(TrustError::BadEntry {
                        entry: index,
                        detail: "not a key entry",
                    });
                }
                return Err(TrustError::UnrecognisedFormat);
            }
        }
        recognised = true;
    }
    Ok(batch)
}

fn decode_kid(text: &str, entry: usize) -> Result<Vec<u8>, TrustError> {
    let kid = decode_base64(text).ok_or(TrustError::InvalidBase64 {
        entry,
        field: "kid",
    })?;
    if kid.is_empty() {
        return Err(TrustError::BadEntry {
            entry,
            detail: "empty kid",
        });
    }
    Ok(kid)
}

/// A French entry's key; the dates and subject are as the list states them.
fn spki_entry_key(
    entry: &SpkiEntry,
    index: usize,
) -> Result<Result<SignerKey, Problem>, TrustError> {
    // The field is named "Pem" and holds bare base64; tolerate real PEM armour too.
    let body: String = entry
        .public_key
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = decode_base64(&body).ok_or(TrustError::InvalidBase64 {
        entry: index,
        field: "publicKeyPem",
    })?;
    Ok(spki_key(&der).map(|key| {
        let mut key = SignerKey::new(key);
        let not_before = entry.not_before.as_deref().map(UnixTime::parse_rfc3339);
        let not_after = entry.not_after.as_deref().map(UnixTime::parse_rfc3339);
        if not_before == Some(None) || not_after == Some(None) {
            key.warnings.push(KeyWarning::UnreadableValidity);
        }
        key.not_before = not_before.flatten();
        key.not_after = not_after.flatten();
        key.country = entry.subject.as_deref().and_then(country_in_dn_text);
        key
    }))
}

/// `C=XX` in an RFC 4514-style subject string such as `C=AD, O=SAAS, CN=DSC03`.
fn country_in_dn_text(subject: &str) -> Option<String> {
    subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("C="))
        .and_then(country_code)
}

/// A Swiss JWK. `use` is `sig` (any type) or letters naming the allowed types: `t`est,
/// `v`accination, `r`ecovery (any other letter, such as `l` for Swiss light certificates, adds
/// nothing). `alg` is not used: the COSE header names the algorithm, the key only its type.
fn jwk_key(jwk: &Jwk, index: usize) -> Result<Result<SignerKey, Problem>, TrustError> {
    let field = |value: &Option<String>, name: &'static str| match value {
        Some(text) => decode_base64(text)
            .map(Some)
            .ok_or(TrustError::InvalidBase64 {
                entry: index,
                field: name,
            }),
        None => Ok(None),
    };
    let is_ec = jwk.kty.as_deref() == Some("EC") || jwk.crv.is_some() || jwk.x.is_some();
    let is_rsa = jwk.kty.as_deref() == Some("RSA") || jwk.n.is_some();
    let key = if is_ec {
        if jwk.crv.as_deref().is_some_and(|crv| crv != "P-256") {
            Err(Problem::Unsupported)
        } else {
            match (field(&jwk.x, "x")?, field(&jwk.y, "y")?) {
                (Some(x), Some(y)) => ec_point(&x, &y),
                _ => Err(Problem::Bad("EC key without x and y")),
            }
        }
    } else if is_rsa {
        match (field(&jwk.n, "n")?, field(&jwk.e, "e")?) {
            (Some(n), Some(e)) => rsa_key(&n, &e),
            _ => Err(Problem::Bad("RSA key without n and e")),
        }
    } else if jwk.kty.is_some() {
        Err(Problem::Unsupported)
    } else {
        Err(Problem::Bad("no key type"))
    };
    Ok(key.map(|key| {
        let mut key = SignerKey::new(key);
        key.usage = match jwk.usage.as_deref() {
            None | Some("sig") => KeyUsage::Any,
            Some(letters) => KeyUsage::Only {
                test: letters.contains('t'),
                vaccination: letters.contains('v'),
                recovery: letters.contains('r'),
            },
        };
        key
    }))
}

// ---------------------------------------------------------------------------------------------
// PEM and DER

const PEM_BEGIN: &[u8] = b"-----BEGIN ";
const PEM_END: &[u8] = b"-----END ";
const PEM_DASHES: &[u8] = b"-----";

/// PEM blocks in order; text around them (such as `openssl x509 -text` output) is ignored.
fn parse_pem(text: &[u8]) -> Result<Batch, TrustError> {
    let mut batch = Batch::default();
    let mut rest = text;
    let mut index = 0usize;
    while let Some(begin) = find(rest, PEM_BEGIN) {
        if index >= MAX_TRUST_ENTRIES {
            return Err(TrustError::TooManyEntries {
                limit: MAX_TRUST_ENTRIES,
            });
        }
        let unterminated = TrustError::BadEntry {
            entry: index,
            detail: "unterminated PEM block",
        };
        let after_begin = rest
            .get(begin.saturating_add(PEM_BEGIN.len())..)
            .unwrap_or_default();
        let (label, after_label) =
            split_at_needle(after_begin, PEM_DASHES).ok_or(unterminated.clone())?;
        let (body, after_end) =
            split_at_needle(after_label, PEM_END).ok_or(unterminated.clone())?;
        let (_, after_block) = split_at_needle(after_end, PEM_DASHES).ok_or(unterminated)?;
        rest = after_block;

        let base64: Vec<u8> = body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let der = core::str::from_utf8(&base64)
            .ok()
            .and_then(decode_base64)
            .ok_or(TrustError::InvalidBase64 {
                entry: index,
                field: "PEM block",
            })?;
        match label {
            b"CERTIFICATE" => {
                let kid = default_kid(&der);
                batch.push(
                    index,
                    Some(kid),
                    certificate_key(&der),
                    Problem::certificate_error,
                )?;
            }
            b"PUBLIC KEY" => {
                let key = spki_key(&der).map(SignerKey::new);
                batch.push(index, None, key, Problem::key_error)?;
            }
            _ => {
                return Err(TrustError::BadEntry {
                    entry: index,
                    detail: "unsupported PEM block",
                })
            }
        }
        index = index.saturating_add(1);
    }
    Ok(batch)
}

/// A single DER certificate (kid from its hash) or SubjectPublicKeyInfo (kid-less).
fn parse_der(bytes: &[u8]) -> Result<Batch, TrustError> {
    let mut batch = Batch::default();
    if is_spki(bytes) {
        batch.push(
            0,
            None,
            spki_key(bytes).map(SignerKey::new),
            Problem::key_error,
        )?;
    } else {
        let key = certificate_key(bytes);
        batch.push(0, Some(default_kid(bytes)), key, Problem::certificate_error)?;
    }
    Ok(batch)
}

/// An SPKI starts `SEQUENCE { SEQUENCE { OID ...`; a certificate starts `SEQUENCE { SEQUENCE {
/// [0] version` or `INTEGER serial`.
fn is_spki(bytes: &[u8]) -> bool {
    let mut outer = Reader::new(bytes);
    let first = outer
        .read(der::SEQUENCE)
        .and_then(|v| Reader::new(v).read(der::SEQUENCE));
    first.is_ok_and(|inner| Reader::new(inner).peek_tag() == Some(der::OID))
}

// ---------------------------------------------------------------------------------------------
// X.509

// ---------------------------------------------------------------------------------------------
// Helpers

/// Padding-indifferent engines: lists differ in padding, and some use the URL-safe alphabet.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    STANDARD_LENIENT
        .decode(text)
        .or_else(|_| URL_SAFE_LENIENT.decode(text))
        .ok()
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let spaces = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    bytes.get(spaces..).unwrap_or_default()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The bytes before the first `needle`, and those after it.
fn split_at_needle<'a>(haystack: &'a [u8], needle: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let at = find(haystack, needle)?;
    Some((
        haystack.get(..at)?,
        haystack.get(at.checked_add(needle.len())?..)?,
    ))
}
