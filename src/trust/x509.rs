//! Reading signer keys from X.509 certificates and `SubjectPublicKeyInfo`s, leniently: only the
//! public key must be usable (see the [module docs](super)).

use crate::crypto::PublicKey;
use crate::der::{self, Reader, Tlv};
use crate::eudcc::hcert::EntryType;
use crate::limits::MAX_RSA_BITS;
use crate::time::{seconds_of_day, UnixTime};

use super::store::Problem;
use super::{KeyUsage, KeyWarning, SignerKey};

// ---------------------------------------------------------------------------------------------
// X.509

/// 1.2.840.10045.2.1 id-ecPublicKey.
pub(super) const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.10045.3.1.7 prime256v1 (P-256).
pub(super) const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.2.840.113549.1.1.1 rsaEncryption.
pub(super) const OID_RSA_ENCRYPTION: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.2.840.113549.1.1.10 id-RSASSA-PSS.
pub(super) const OID_RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// 2.5.4.6 countryName.
pub(super) const OID_COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
/// 2.5.29.37 extKeyUsage.
pub(super) const OID_EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];

/// The DCC extended key usage OIDs (hcert spec §5.1.1, "Key usage"): 1.3.6.1.4.1.1847.2021.1.x
/// and the 1.3.6.1.4.1.0.1847.2021.1.x variant that many issuers use.
pub(super) const DCC_USAGE_OIDS: [(&[u8], EntryType); 6] = [
    (
        &[0x2b, 6, 1, 4, 1, 0x8e, 0x37, 0x8f, 0x65, 1, 1],
        EntryType::Test,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0x8e, 0x37, 0x8f, 0x65, 1, 2],
        EntryType::Vaccination,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0x8e, 0x37, 0x8f, 0x65, 1, 3],
        EntryType::Recovery,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 1],
        EntryType::Test,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 2],
        EntryType::Vaccination,
    ),
    (
        &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 3],
        EntryType::Recovery,
    ),
];

/// Tag of the `[0] EXPLICIT Version` in TBSCertificate.
pub(super) const TAG_VERSION: u8 = 0xa0;
/// Tag of the `[3] EXPLICIT Extensions` in TBSCertificate.
pub(super) const TAG_EXTENSIONS: u8 = 0xa3;

/// The signer key in a DER certificate, with its validity, country and DCC key usage.
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
/// TBSCertificate ::= SEQUENCE { version [0] OPTIONAL, serialNumber, signature, issuer,
///     validity, subject, subjectPublicKeyInfo, issuerUniqueID [1] OPTIONAL,
///     subjectUniqueID [2] OPTIONAL, extensions [3] OPTIONAL }
/// ```
pub(super) fn certificate_key(der: &[u8]) -> Result<SignerKey, Problem> {
    let certificate = der::read_single(der, der::SEQUENCE).map_err(|e| match e {
        der::DerError::TrailingData => Problem::Bad("data after the certificate"),
        _ => Problem::Bad("not a DER sequence"),
    })?;
    let tbs = Reader::new(certificate)
        .read(der::SEQUENCE)
        .map_err(|_| Problem::Bad("malformed tbsCertificate"))?;
    let mut tbs = Reader::new(tbs);
    let malformed = |_| Problem::Bad("malformed tbsCertificate");
    tbs.read_optional(TAG_VERSION).map_err(malformed)?;
    // The serial number, signature algorithm and issuer are not needed, and real DSCs get the
    // serial wrong (zero, negative, over 20 bytes): skip them whatever they hold.
    for _ in 0..3 {
        tbs.read_any().map_err(malformed)?;
    }
    let validity = tbs.read_any().map_err(malformed)?;
    let subject = tbs.read_any().map_err(malformed)?;
    let spki = tbs
        .read(der::SEQUENCE)
        .map_err(|_| Problem::Bad("no subjectPublicKeyInfo"))?;

    let mut key = SignerKey::new(spki_content_key(spki)?);
    let (not_before, not_after) = validity_times(validity);
    if not_before.is_none() || not_after.is_none() {
        key.warnings.push(KeyWarning::UnreadableValidity);
    }
    key.not_before = not_before;
    key.not_after = not_after;
    if subject.tag == der::SEQUENCE {
        key.country = name_country(subject.value);
    }
    // Unique IDs ([1], [2]) are skipped; the extensions carry the key usage.
    let mut usage = DccUsage::default();
    while !tbs.is_empty() {
        match tbs.read_any() {
            Ok(Tlv {
                tag: TAG_EXTENSIONS,
                value,
            }) => usage.read_extensions(value),
            Ok(_) => {}
            Err(_) => {
                usage.unreadable = true;
                break;
            }
        }
    }
    key.usage = usage.key_usage();
    if usage.unreadable {
        key.warnings.push(KeyWarning::UnreadableExtensions);
    }
    Ok(key)
}

/// The DCC types found in extended key usage extensions.
#[derive(Default)]
struct DccUsage {
    test: bool,
    vaccination: bool,
    recovery: bool,
    unreadable: bool,
}

impl DccUsage {
    /// `[3] EXPLICIT SEQUENCE OF Extension`, where `Extension ::= SEQUENCE { extnID,
    /// critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. One unreadable extension
    /// does not hide the others.
    fn read_extensions(&mut self, explicit: &[u8]) {
        let Ok(list) = der::read_single(explicit, der::SEQUENCE) else {
            self.unreadable = true;
            return;
        };
        let mut list = Reader::new(list);
        while !list.is_empty() {
            let Ok(extension) = list.read_any() else {
                self.unreadable = true;
                return;
            };
            if extension.tag != der::SEQUENCE || self.read_extension(extension.value).is_err() {
                self.unreadable = true;
            }
        }
    }

    fn read_extension(&mut self, extension: &[u8]) -> Result<(), der::DerError> {
        let mut extension = Reader::new(extension);
        if extension.read(der::OID)? != OID_EXT_KEY_USAGE {
            return Ok(()); // Other extensions' contents are not read.
        }
        // `critical` is often encoded explicitly even when FALSE, against DER; accept it.
        extension.read_optional(der::BOOLEAN)?;
        let value = extension.read(der::OCTET_STRING)?;
        let mut purposes = Reader::new(der::read_single(value, der::SEQUENCE)?);
        while !purposes.is_empty() {
            let purpose = purposes.read(der::OID)?;
            for (oid, entry) in DCC_USAGE_OIDS {
                if purpose == oid {
                    match entry {
                        EntryType::Test => self.test = true,
                        EntryType::Vaccination => self.vaccination = true,
                        EntryType::Recovery => self.recovery = true,
                    }
                }
            }
        }
        Ok(())
    }

    /// Restricted only if at least one DCC OID is listed: an EKU naming only unrelated purposes
    /// (e.g. TLS client) says nothing about DCC types.
    const fn key_usage(&self) -> KeyUsage {
        if self.test || self.vaccination || self.recovery {
            KeyUsage::Only {
                test: self.test,
                vaccination: self.vaccination,
                recovery: self.recovery,
            }
        } else {
            KeyUsage::Any
        }
    }
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }`; each bound is read on its own.
fn validity_times(validity: Tlv<'_>) -> (Option<UnixTime>, Option<UnixTime>) {
    if validity.tag != der::SEQUENCE {
        return (None, None);
    }
    let mut times = Reader::new(validity.value);
    let not_before = times.read_any().ok().and_then(asn1_time);
    let not_after = times.read_any().ok().and_then(asn1_time);
    (not_before, not_after)
}

/// `UTCTime` (`YYMMDDHHMM[SS]`, years 50..99 are 19xx) or `GeneralizedTime`
/// (`YYYYMMDDHH[MM[SS[.fff]]]`), then `Z`, `+hhmm`, `-hhmm` or nothing (read as UTC). Leniency
/// beyond RFC 5280 (missing seconds, fractions, offsets) because real DSCs have all of these.
pub(super) fn asn1_time(time: Tlv<'_>) -> Option<UnixTime> {
    let text = time.value;
    let (year, rest) = match time.tag {
        der::UTC_TIME => {
            let (yy, rest) = digits(text, 2)?;
            (
                if yy >= 50 {
                    yy.checked_add(1900)?
                } else {
                    yy.checked_add(2000)?
                },
                rest,
            )
        }
        der::GENERALIZED_TIME => digits(text, 4)?,
        _ => return None,
    };
    let (month, rest) = digits(rest, 2)?;
    let (day, rest) = digits(rest, 2)?;
    let (hour, rest) = digits(rest, 2)?;
    let (minute, rest) = digits(rest, 2).unwrap_or((0, rest));
    let (second, mut rest) = digits(rest, 2).unwrap_or((0, rest));
    if let Some(fraction) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = fraction.get(count..)?;
    }
    let offset = match rest {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (oh, tail) = digits(tail, 2)?;
            let (om, tail) = digits(tail, 2).unwrap_or((0, tail));
            if !tail.is_empty() || oh > 23 || om > 59 {
                return None;
            }
            let magnitude = seconds_of_day(oh, om, 0)?;
            if *sign == b'-' {
                magnitude.checked_neg()?
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let date = UnixTime::from_date(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    date.checked_add_secs(seconds_of_day(hour, minute, second)?.checked_sub(offset)?)
}

/// The value of `count` leading ASCII digits (at most 4), and the rest.
fn digits(bytes: &[u8], count: usize) -> Option<(i64, &[u8])> {
    let (head, rest) = bytes.split_at_checked(count)?;
    let value = head.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then_some(())?;
        acc.checked_mul(10)?
            .checked_add(i64::from(b.checked_sub(b'0')?))
    })?;
    Some((value, rest))
}

/// The countryName in a `Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }`, if it
/// is two ASCII letters.
fn name_country(name: &[u8]) -> Option<String> {
    let mut rdns = Reader::new(name);
    while !rdns.is_empty() {
        let mut set = Reader::new(rdns.read(der::SET).ok()?);
        while !set.is_empty() {
            let mut attribute = Reader::new(set.read(der::SEQUENCE).ok()?);
            if attribute.read(der::OID).ok()? == OID_COUNTRY {
                let value = attribute.read_any().ok()?.value;
                return core::str::from_utf8(value).ok().and_then(country_code);
            }
        }
    }
    None
}

pub(super) fn country_code(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| text.to_ascii_uppercase())
}

/// The key in a DER `SubjectPublicKeyInfo`.
pub(super) fn spki_key(der: &[u8]) -> Result<PublicKey, Problem> {
    let content = der::read_single(der, der::SEQUENCE)
        .map_err(|_| Problem::Bad("not a DER SubjectPublicKeyInfo"))?;
    spki_content_key(content)
}

/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, parameters ANY OPTIONAL },
///     subjectPublicKey BIT STRING }
/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
/// ```
/// EC keys must name the P-256 curve: explicit curve parameters count as unsupported.
fn spki_content_key(spki: &[u8]) -> Result<PublicKey, Problem> {
    let malformed = |_| Problem::Bad("malformed subjectPublicKeyInfo");
    let mut spki = Reader::new(spki);
    let mut algorithm = Reader::new(spki.read(der::SEQUENCE).map_err(malformed)?);
    let algorithm_oid = algorithm.read(der::OID).map_err(malformed)?;
    let bits = spki.read(der::BIT_STRING).map_err(malformed)?;
    // The first content byte counts unused bits, which a key never has.
    let key = match bits.split_first() {
        Some((0, key)) => key,
        _ => return Err(Problem::Bad("malformed public key bit string")),
    };
    match algorithm_oid {
        OID_EC_PUBLIC_KEY => match algorithm.read(der::OID) {
            Ok(OID_P256) => Ok(PublicKey::ec_p256_from_sec1(key)?),
            _ => Err(Problem::Unsupported),
        },
        OID_RSA_ENCRYPTION | OID_RSASSA_PSS => {
            let malformed = |_| Problem::Bad("malformed RSA public key");
            let mut rsa = Reader::new(Reader::new(key).read(der::SEQUENCE).map_err(malformed)?);
            let modulus = rsa.read(der::INTEGER).map_err(malformed)?;
            let exponent = rsa.read(der::INTEGER).map_err(malformed)?;
            rsa_key(modulus, exponent)
        }
        _ => Err(Problem::Unsupported),
    }
}

/// `04 || x || y`, restoring leading zeros some encoders drop.
pub(super) fn ec_point(x: &[u8], y: &[u8]) -> Result<PublicKey, Problem> {
    const COORDINATE: usize = 32;
    let mut sec1 = Vec::with_capacity(65);
    sec1.push(0x04);
    for coordinate in [x, y] {
        let pad = COORDINATE
            .checked_sub(coordinate.len())
            .ok_or(Problem::Bad("EC coordinate too long"))?;
        sec1.extend(core::iter::repeat_n(0, pad));
        sec1.extend_from_slice(coordinate);
    }
    Ok(PublicKey::ec_p256_from_sec1(&sec1)?)
}

/// An RSA key from big-endian integers; leading zero bytes (sign padding) are ignored.
pub(super) fn rsa_key(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey, Problem> {
    let modulus = strip_leading_zeros(modulus);
    // A larger modulus is well-formed, just beyond what we verify with: unsupported, not bad.
    if modulus.len() > MAX_RSA_BITS.div_ceil(8) {
        return Err(Problem::Unsupported);
    }
    Ok(PublicKey::rsa_from_components(
        modulus,
        strip_leading_zeros(exponent),
    )?)
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}
