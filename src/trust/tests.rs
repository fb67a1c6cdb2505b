//! Unit tests for the trust store and its loaders, on hand-built DER.

use base64::engine::general_purpose::STANDARD;

use super::store::*;
use super::x509::*;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::crypto::PublicKey;
use crate::der::{self, Tlv};
use crate::der::{BIT_STRING, BOOLEAN, GENERALIZED_TIME, INTEGER, OCTET_STRING, OID, SEQUENCE};
use crate::der::{SET, UTC_TIME};
use crate::limits::{MAX_KEYS_PER_KID, MAX_TRUST_BYTES, MAX_TRUST_ENTRIES};
use crate::time::UnixTime;

// --- DER builders ----------------------------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match u8::try_from(content.len()) {
        Ok(len) if len < 0x80 => out.push(len),
        _ => {
            out.push(0x82);
            out.extend(u16::try_from(content.len()).unwrap().to_be_bytes());
        }
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

fn oid(bytes: &[u8]) -> Vec<u8> {
    tlv(OID, bytes)
}

/// The P-256 base point G, uncompressed: a valid public key with no randomness.
const P256_G: [u8; 65] = [
    0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40,
    0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2,
    0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e,
    0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51,
    0xf5,
];

/// 1.3.132.0.34 secp384r1.
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// 1.3.6.1.5.5.7.3.2 id-kp-clientAuth.
const OID_CLIENT_AUTH: &[u8] = &[0x2b, 6, 1, 5, 5, 7, 3, 2];

fn bit_string(key: &[u8]) -> Vec<u8> {
    tlv(BIT_STRING, &[&[0u8][..], key].concat())
}

fn ec_spki(curve: &[u8], point: &[u8]) -> Vec<u8> {
    seq(&[
        &seq(&[&oid(OID_EC_PUBLIC_KEY), &oid(curve)]),
        &bit_string(point),
    ])
}

fn p256_spki() -> Vec<u8> {
    ec_spki(OID_P256, &P256_G)
}

/// A 2048-bit odd modulus with a leading sign byte, and e = 65537.
fn rsa_spki(algorithm: &[u8]) -> Vec<u8> {
    let mut modulus = vec![0x00, 0xc3];
    modulus.extend([0x5a; 254]);
    modulus.push(0x01);
    let rsa = seq(&[&tlv(INTEGER, &modulus), &tlv(INTEGER, &[0x01, 0x00, 0x01])]);
    seq(&[&seq(&[&oid(algorithm), &[0x05, 0x00]]), &bit_string(&rsa)])
}

fn utc(text: &str) -> Vec<u8> {
    tlv(UTC_TIME, text.as_bytes())
}

fn generalized(text: &str) -> Vec<u8> {
    tlv(GENERALIZED_TIME, text.as_bytes())
}

fn country_name(country: &str) -> Vec<u8> {
    let attribute = seq(&[&oid(OID_COUNTRY), &tlv(0x13, country.as_bytes())]);
    seq(&[&tlv(SET, &attribute)])
}

fn extension(id: &[u8], explicit_false: bool, value: &[u8]) -> Vec<u8> {
    let critical = if explicit_false {
        tlv(BOOLEAN, &[0x00])
    } else {
        Vec::new()
    };
    seq(&[&oid(id), &critical, &tlv(OCTET_STRING, value)])
}

fn eku(purposes: &[&[u8]]) -> Vec<u8> {
    let oids: Vec<Vec<u8>> = purposes.iter().map(|p| oid(p)).collect();
    let refs: Vec<&[u8]> = oids.iter().map(Vec::as_slice).collect();
    extension(OID_EXT_KEY_USAGE, true, &seq(&refs))
}

fn extensions(list: &[&[u8]]) -> Vec<u8> {
    tlv(TAG_EXTENSIONS, &seq(list))
}

/// A certificate with a negative serial, an explicit version, subject C=de, and the given
/// validity, key and extras (unique IDs or extensions) after the key.
fn certificate(validity: &[u8], spki: &[u8], extras: &[u8]) -> Vec<u8> {
    let ecdsa_sha256 = seq(&[&oid(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])]);
    let tbs = seq(&[
        &tlv(TAG_VERSION, &tlv(INTEGER, &[0x02])),
        &tlv(INTEGER, &[0xff, 0x00]), // negative serial: against RFC 5280, found in the wild
        &ecdsa_sha256,
        &seq(&[]), // empty issuer
        validity,
        &country_name("de"),
        spki,
        extras,
    ]);
    seq(&[&tbs, &ecdsa_sha256, &bit_string(&[0x30, 0x00])])
}

fn default_validity() -> Vec<u8> {
    seq(&[&utc("210601000000Z"), &utc("230601000000Z")])
}

fn p256_certificate(extras: &[u8]) -> Vec<u8> {
    certificate(&default_validity(), &p256_spki(), extras)
}

fn at(text: &str) -> Option<UnixTime> {
    UnixTime::parse_rfc3339(text)
}

fn dgcg_json(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let items: Vec<String> = entries
        .iter()
        .map(|(kid, der)| format!(r#"{{"kid":"{kid}","rawData":"{}"}}"#, STANDARD.encode(der)))
        .collect();
    format!(r#"{{"certificates":[{}]}}"#, items.join(",")).into_bytes()
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| core::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn only(test: bool, vaccination: bool, recovery: bool) -> KeyUsage {
    KeyUsage::Only {
        test,
        vaccination,
        recovery,
    }
}

fn kids_of(store: &TrustStore, kid: &[u8]) -> usize {
    store.candidates(kid).count()
}

// --- Certificates ----------------------------------------------------------------------------

#[test]
fn reads_a_lenient_p256_certificate() {
    let dcc_test_variant: &[u8] = &[0x2b, 6, 1, 4, 1, 0, 0x8e, 0x37, 0x8f, 0x65, 1, 1];
    let der = p256_certificate(&extensions(&[&eku(&[OID_CLIENT_AUTH, dcc_test_variant])]));
    let key = certificate_key(&der).unwrap();
    assert!(matches!(key.key, PublicKey::EcP256(_)));
    assert_eq!(key.usage, only(true, false, false));
    assert_eq!(key.not_before, at("2021-06-01T00:00:00Z"));
    assert_eq!(key.not_after, at("2023-06-01T00:00:00Z"));
    assert_eq!(key.country.as_deref(), Some("DE"));
    assert!(key.warnings.is_empty());
}

#[test]
fn dcc_oids_of_both_families_restrict_usage() {
    let [t, v, r, t0, v0, r0] = DCC_USAGE_OIDS.map(|(oid, _)| oid);
    let cases: [(&[&[u8]], KeyUsage); 6] = [
        (&[t, v, r], only(true, true, true)),
        (&[v], only(false, true, false)),
        (&[r0], only(false, false, true)),
        (&[t0, v0, OID_CLIENT_AUTH], only(true, true, false)),
        (&[OID_CLIENT_AUTH], KeyUsage::Any),
        (&[], KeyUsage::Any),
    ];
    for (purposes, expected) in cases {
        let der = p256_certificate(&extensions(&[&eku(purposes)]));
        assert_eq!(
            certificate_key(&der).unwrap().usage,
            expected,
            "{purposes:?}"
        );
    }
    // No extensions at all, and unique IDs before the extensions.
    assert_eq!(
        certificate_key(&p256_certificate(&[])).unwrap().usage,
        KeyUsage::Any
    );
    let unique_ids = [
        tlv(0x81, &[0, 1]),
        tlv(0x82, &[0, 2]),
        extensions(&[&eku(&[r])]),
    ]
    .concat();
    assert_eq!(
        certificate_key(&p256_certificate(&unique_ids))
            .unwrap()
            .usage,
        only(false, false, true)
    );
}

#[test]
fn the_dcc_oid_table_encodes_the_spec_oids() {
    fn dotted(bytes: &[u8]) -> String {
        let mut arcs = vec![1u64, 3]; // first byte 0x2b = 1.3
        let mut value = 0u64;
        for &b in &bytes[1..] {
            value = value * 128 + u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                arcs.push(value);
                value = 0;
            }
        }
        arcs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
    let names: Vec<String> = DCC_USAGE_OIDS.iter().map(|(oid, _)| dotted(oid)).collect();
    assert_eq!(
        names,
        [
            "1.3.6.1.4.1.1847.2021.1.1",
            "1.3.6.1.4.1.1847.2021.1.2",
            "1.3.6.1.4.1.1847.2021.1.3",
            "1.3.6.1.4.1.0.1847.2021.1.1",
            "1.3.6.1.4.1.0.1847.2021.1.2",
            "1.3.6.1.4.1.0.1847.2021.1.3",
        ]
    );
}

#[test]
fn unreadable_extensions_warn_but_load() {
    let t = DCC_USAGE_OIDS[0].0;
    let broken_eku = extension(OID_EXT_KEY_USAGE, false, &[0x30, 0x05, 0x06]);
    let cases: [(Vec<u8>, KeyUsage); 4] = [
        // Garbage where the extension list should be.
        (tlv(TAG_EXTENSIONS, &[0x30, 0x03, 0x01]), KeyUsage::Any),
        (tlv(TAG_EXTENSIONS, &[0x04, 0x00]), KeyUsage::Any),
        // A broken EKU value next to a readable one: the readable one still counts.
        (
            extensions(&[&broken_eku, &eku(&[t])]),
            only(true, false, false),
        ),
        // Some other extension that is not even a SEQUENCE.
        (
            extensions(&[&tlv(OCTET_STRING, &[1]), &eku(&[t])]),
            only(true, false, false),
        ),
    ];
    for (extras, usage) in cases {
        let key = certificate_key(&p256_certificate(&extras)).unwrap();
        assert_eq!(key.usage, usage);
        assert_eq!(key.warnings, [KeyWarning::UnreadableExtensions]);
    }
    // Trailing garbage after the extensions framing.
    let key = certificate_key(&p256_certificate(&[0x30, 0x84, 0x7f])).unwrap();
    assert_eq!(key.warnings, [KeyWarning::UnreadableExtensions]);
}

#[test]
fn other_extensions_are_not_read() {
    // A basicConstraints whose content breaks DER (an explicit default) must not matter.
    let basic_constraints = extension(&[0x55, 0x1d, 0x13], true, &[0x30, 0x03, 0x01, 0x01, 0x00]);
    let junk_value = extension(&[0x55, 0x1d, 0x0f], false, &[0xff, 0xff]);
    let key = certificate_key(&p256_certificate(&extensions(&[
        &basic_constraints,
        &junk_value,
    ])));
    assert!(key.unwrap().warnings.is_empty());
}

#[test]
fn reads_validity_leniently() {
    let cases = [
        (utc("210601000000Z"), "2021-06-01T00:00:00Z"),
        (utc("2106010000Z"), "2021-06-01T00:00:00Z"),
        (utc("991231235959Z"), "1999-12-31T23:59:59Z"),
        (utc("500101000000Z"), "1950-01-01T00:00:00Z"),
        (utc("490101000000Z"), "2049-01-01T00:00:00Z"),
        (utc("210601020000+0200"), "2021-06-01T00:00:00Z"),
        (utc("210531220000-0200"), "2021-06-01T00:00:00Z"),
        (generalized("20210601000000Z"), "2021-06-01T00:00:00Z"),
        (generalized("20210601000000.123Z"), "2021-06-01T00:00:00Z"),
        (generalized("202106010000Z"), "2021-06-01T00:00:00Z"),
        (generalized("2021060100Z"), "2021-06-01T00:00:00Z"),
        (generalized("20210601000000"), "2021-06-01T00:00:00Z"),
        (generalized("20210601010000+01"), "2021-06-01T00:00:00Z"),
        (generalized("20991231235960Z"), "2100-01-01T00:00:00Z"),
    ];
    for (time, expected) in cases {
        let tlv = der::read_single(&time, time[0]).map(|value| Tlv {
            tag: time[0],
            value,
        });
        assert_eq!(asn1_time(tlv.unwrap()), at(expected), "{time:?}");
    }
    for bad in [
        utc(""),
        utc("2106"),
        utc("210631000000Z"),
        utc("210601240000Z"),
        utc("210601006000Z"),
        utc("210601000000Y"),
        utc("21060100000aZ"),
        utc("210601000000+2"),
        utc("210601000000+0260"),
        generalized("2021060100000Z"),
        tlv(0x13, b"210601000000Z"),
    ] {
        let tag = bad[0];
        let value = der::read_single(&bad, tag).unwrap();
        assert_eq!(asn1_time(Tlv { tag, value }), None, "{bad:?}");
    }
}

#[test]
fn unreadable_validity_warns_but_loads() {
    for validity in [
        seq(&[&utc("210601000000Z"), &utc("nonsense")]),
        seq(&[]),
        tlv(0x31, &utc("210601000000Z")),
    ] {
        let key = certificate_key(&certificate(&validity, &p256_spki(), &[])).unwrap();
        assert_eq!(key.warnings, [KeyWarning::UnreadableValidity]);
        assert_eq!(key.not_after, None);
    }
    let half = seq(&[&utc("210601000000Z"), &utc("nonsense")]);
    let key = certificate_key(&certificate(&half, &p256_spki(), &[])).unwrap();
    assert_eq!(key.not_before, at("2021-06-01T00:00:00Z"));
}

#[test]
fn reads_rsa_keys() {
    for algorithm in [OID_RSA_ENCRYPTION, OID_RSASSA_PSS] {
        let key = certificate_key(&certificate(&default_validity(), &rsa_spki(algorithm), &[]));
        assert_eq!(format!("{:?}", key.unwrap().key), "PublicKey(RSA-2048)");
    }
}

#[test]
fn key_problems() {
    let mut off_curve = P256_G;
    off_curve[64] ^= 1;
    let with_key = |spki: &[u8]| certificate_key(&certificate(&default_validity(), spki, &[]));
    assert_eq!(
        with_key(&ec_spki(OID_P384, &P256_G)).unwrap_err(),
        Problem::Unsupported
    );
    assert_eq!(
        with_key(&ec_spki(OID_P256, &off_curve)).unwrap_err(),
        Problem::Bad("invalid P-256 point")
    );
    // Explicit curve parameters, and an unknown algorithm (Ed25519).
    let explicit = seq(&[
        &seq(&[&oid(OID_EC_PUBLIC_KEY), &seq(&[])]),
        &bit_string(&P256_G),
    ]);
    assert_eq!(with_key(&explicit).unwrap_err(), Problem::Unsupported);
    let ed25519 = seq(&[&seq(&[&oid(&[0x2b, 0x65, 0x70])]), &bit_string(&[0; 32])]);
    assert_eq!(with_key(&ed25519).unwrap_err(), Problem::Unsupported);
    // Unused bits in the key's bit string; an RSA key that is not a SEQUENCE.
    let unused_bits = seq(&[
        &seq(&[&oid(OID_EC_PUBLIC_KEY), &oid(OID_P256)]),
        &tlv(BIT_STRING, &[1, 4]),
    ]);
    assert!(matches!(with_key(&unused_bits), Err(Problem::Bad(_))));
    let rsa_junk = seq(&[
        &seq(&[&oid(OID_RSA_ENCRYPTION)]),
        &bit_string(&[0x02, 0x01, 0x03]),
    ]);
    assert_eq!(
        with_key(&rsa_junk).unwrap_err(),
        Problem::Bad("malformed RSA public key")
    );
    // An 8192-bit modulus is well-formed, just beyond MAX_RSA_BITS.
    let mut big = vec![0x80];
    big.extend([1u8; 1023]);
    let rsa = seq(&[&tlv(INTEGER, &big), &tlv(INTEGER, &[3])]);
    let big_spki = seq(&[&seq(&[&oid(OID_RSA_ENCRYPTION)]), &bit_string(&rsa)]);
    assert_eq!(with_key(&big_spki).unwrap_err(), Problem::Unsupported);
    // A missing key.
    let tbs_without_key = seq(&[&seq(&[
        &tlv(INTEGER, &[1]),
        &seq(&[]),
        &seq(&[]),
        &seq(&[]),
        &seq(&[]),
    ])]);
    assert_eq!(
        certificate_key(&tbs_without_key).unwrap_err(),
        Problem::Bad("no subjectPublicKeyInfo")
    );
}

#[test]
fn truncated_or_mutated_certificates_never_panic() {
    let der = p256_certificate(&extensions(&[&eku(&[DCC_USAGE_OIDS[1].0])]));
    for len in 0..der.len() {
        assert!(
            certificate_key(&der[..len]).is_err(),
            "prefix of {len} bytes"
        );
        let _ = TrustStore::new().add_bytes(&der[..len]);
    }
    for i in 0..der.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut mutated = der.clone();
            mutated[i] ^= flip;
            let _ = certificate_key(&mutated);
            let _ = TrustStore::new().add_bytes(&mutated);
        }
    }
}

// --- Store -----------------------------------------------------------------------------------

fn p256_key() -> SignerKey {
    SignerKey::new(PublicKey::ec_p256_from_sec1(&P256_G).unwrap())
}

/// Another P-256 point for each `k` (the public key of the scalar `k k ... k`).
fn p256_point(k: u8) -> Vec<u8> {
    let secret = p256::ecdsa::SigningKey::from_slice(&[k; 32]).unwrap();
    secret
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec()
}

fn p256_key_number(k: u8) -> SignerKey {
    SignerKey::new(PublicKey::ec_p256_from_sec1(&p256_point(k)).unwrap())
}

#[test]
fn candidates_keep_order_and_append_kidless_keys() {
    let mut store = TrustStore::new();
    assert!(store.is_empty());
    let mut first = p256_key_number(1);
    first.country = Some("AA".into());
    let mut second = p256_key_number(2);
    second.country = Some("BB".into());
    let mut kidless = p256_key_number(3);
    kidless.country = Some("ZZ".into());
    store.add_key(b"kid".to_vec(), first);
    store.add_kidless_key(kidless);
    store.add_key(b"kid".to_vec(), second);
    store.add_key(b"other".to_vec(), p256_key());
    let countries: Vec<_> = store
        .candidates(b"kid")
        .map(|k| k.country.as_deref())
        .collect();
    assert_eq!(countries, [Some("AA"), Some("BB"), Some("ZZ")]);
    let unknown: Vec<_> = store
        .candidates(b"unknown")
        .map(|k| k.country.as_deref())
        .collect();
    assert_eq!(unknown, [Some("ZZ")]);
    assert_eq!(store.len(), 4);
    assert_eq!(store.iter().count(), 4);
    assert_eq!(store.iter().filter(|(kid, _)| kid.is_none()).count(), 1);
}

#[test]
fn certificate_kid_defaults_to_its_hash() {
    let der = p256_certificate(&[]);
    let mut store = TrustStore::new();
    store.add_certificate_der(&der, None).unwrap();
    let kid = &Sha256::digest(&der)[..8];
    assert_eq!(kids_of(&store, kid), 1);
    // A kid that is not the hash is used as given.
    store.add_certificate_der(&der, Some(b"given")).unwrap();
    assert_eq!(kids_of(&store, b"given"), 1);
    assert_eq!(kids_of(&store, kid), 1);
}

#[test]
fn single_key_loaders_report_problems() {
    let mut store = TrustStore::new();
    let p384 = certificate(&default_validity(), &ec_spki(OID_P384, &P256_G), &[]);
    assert_eq!(
        store.add_certificate_der(&p384, None),
        Err(TrustError::UnsupportedKey { entry: 0 })
    );
    assert_eq!(
        store.add_certificate_der(b"\x30\x00", None),
        Err(TrustError::BadCertificate {
            entry: 0,
            detail: "malformed tbsCertificate"
        })
    );
    assert_eq!(
        store.add_spki_der(&ec_spki(OID_P384, &P256_G), None),
        Err(TrustError::UnsupportedKey { entry: 0 })
    );
    assert_eq!(
        store.add_certificate_der(&[p256_certificate(&[]), vec![0]].concat(), None),
        Err(TrustError::BadCertificate {
            entry: 0,
            detail: "data after the certificate"
        })
    );
    assert!(matches!(
        store.add_spki_der(b"\x04\x00", None),
        Err(TrustError::BadKey { .. })
    ));
    assert!(store.is_empty());
    store.add_spki_der(&p256_spki(), None).unwrap();
    store
        .add_spki_der(&rsa_spki(OID_RSA_ENCRYPTION), Some(b"rsa"))
        .unwrap();
    assert_eq!(kids_of(&store, b"rsa"), 2);
    assert_eq!(kids_of(&store, b"any"), 1);
}

#[test]
fn keys_per_kid_are_bounded() {
    let mut store = TrustStore::new();
    for _ in 0..MAX_KEYS_PER_KID {
        store.add_spki_der(&p256_spki(), Some(b"k")).unwrap();
    }
    let too_many = TrustError::TooManyKeysForKid {
        limit: MAX_KEYS_PER_KID,
    };
    assert_eq!(
        store.add_spki_der(&p256_spki(), Some(b"k")),
        Err(too_many.clone())
    );
    let der = p256_certificate(&[]);
    let list: Vec<(&str, &[u8])> = vec![("aw==", &der); MAX_KEYS_PER_KID.checked_add(1).unwrap()];
    assert_eq!(
        TrustStore::new().add_bytes(&dgcg_json(&list)),
        Err(too_many)
    );
}

// --- Formats ---------------------------------------------------------------------------------

#[test]
fn loads_dgcg_json() {
    let cert = p256_certificate(&[]);
    let rsa = certificate(&default_validity(), &rsa_spki(OID_RSA_ENCRYPTION), &[]);
    let json = dgcg_json(&[
        ("AAECAwQFBgc=", &cert),
        ("AAECAwQFBgc", &rsa),
        ("_-8", &cert),
    ]);
    let mut store = TrustStore::new();
    assert_eq!(store.add_bytes(&json), Ok(3));
    assert_eq!(kids_of(&store, &[0, 1, 2, 3, 4, 5, 6, 7]), 2); // padding is optional
    assert_eq!(kids_of(&store, &[0xff, 0xef]), 1); // URL-safe alphabet
                                                   // Metadata members, an explicit country, a missing kid, a non-DSC entry.
    let json = format!(
        r#"{{"updated":"2024-01-01","certificates":[
            {{"country":"XY","rawData":"{0}","certificateType":"DSC"}},
            {{"kid":"AA==","rawData":"{0}","certificateType":"CSCA"}}],"signature":"x"}}"#,
        STANDARD.encode(&cert)
    );
    let mut store = TrustStore::new();
    let report = store.add_bytes_with_report(json.as_bytes()).unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(
        report.skipped,
        [SkippedEntry {
            entry: 1,
            reason: SkipReason::NotDocumentSigner
        }]
    );
    let key = store
        .candidates(&Sha256::digest(&cert)[..8])
        .next()
        .unwrap();
    assert_eq!(key.country.as_deref(), Some("XY"));
}

#[test]
fn lists_skip_unsupported_keys() {
    let p384 = certificate(&default_validity(), &ec_spki(OID_P384, &P256_G), &[]);
    let cert = p256_certificate(&[]);
    let json = dgcg_json(&[("AQ==", &cert), ("Ag==", &p384), ("Aw==", &cert)]);
    let mut store = TrustStore::new();
    let report = store.add_bytes_with_report(&json).unwrap();
    assert_eq!(report.added, 2);
    assert_eq!(
        report.skipped,
        [SkippedEntry {
            entry: 1,
            reason: SkipReason::UnsupportedKey
        }]
    );
    assert_eq!(store.len(), 2);
}

#[test]
fn failed_loads_leave_the_store_unchanged() {
    let cert = p256_certificate(&[]);
    let mut store = TrustStore::new();
    store.add_bytes(&dgcg_json(&[("AQ==", &cert)])).unwrap();
    let bad_cert = dgcg_json(&[("Ag==", &cert), ("Aw==", b"\x30\x03\x02\x01\x01")]);
    assert_eq!(
        store.add_bytes(&bad_cert),
        Err(TrustError::BadCertificate {
            entry: 1,
            detail: "malformed tbsCertificate"
        })
    );
    let bad_base64 = br#"{"certificates":[{"kid":"Ag==","rawData":"!!"}]}"#;
    assert_eq!(
        store.add_bytes(bad_base64),
        Err(TrustError::InvalidBase64 {
            entry: 0,
            field: "rawData"
        })
    );
    let bad_kid = format!(
        r#"{{"certificates":[{{"kid":"%","rawData":"{}"}}]}}"#,
        STANDARD.encode(&cert)
    );
    assert_eq!(
        store.add_bytes(bad_kid.as_bytes()),
        Err(TrustError::InvalidBase64 {
            entry: 0,
            field: "kid"
        })
    );
    assert_eq!(store.len(), 1);
    assert_eq!(kids_of(&store, &[2]), 0);
}

#[test]
fn loads_the_french_map() {
    let json = format!(
        r#"{{"AQIDBAUGBwg=": {{"serialNumber":"01","subject":"C=fr, O=Test, CN=DSC",
              "notBefore":"2021-06-01T00:00:00.000Z","notAfter":"2023-06-01T00:00:00.000Z",
              "publicKeyAlgorithm":{{"name":"ECDSA"}},"publicKeyPem":"{}"}},
            "CQ==": {{"notBefore":"someday","publicKeyPem":"{}"}}}}"#,
        STANDARD.encode(p256_spki()),
        pem("PUBLIC KEY", &rsa_spki(OID_RSA_ENCRYPTION)).replace('\n', "\\n"),
    );
    let store = TrustStore::from_bytes(json.as_bytes()).unwrap();
    assert_eq!(store.len(), 2);
    let key = store.candidates(&[1, 2, 3, 4, 5, 6, 7, 8]).next().unwrap();
    assert_eq!(key.not_before, at("2021-06-01T00:00:00Z"));
    assert_eq!(key.not_after, at("2023-06-01T00:00:00Z"));
    assert_eq!(key.country.as_deref(), Some("FR"));
    assert_eq!(key.usage, KeyUsage::Any);
    let rsa = store.candidates(&[9]).next().unwrap();
    assert_eq!(rsa.warnings, [KeyWarning::UnreadableValidity]);
    assert_eq!((rsa.not_before, rsa.not_after), (None, None));
}

#[test]
fn loads_the_swiss_jwk_map() {
    let y = STANDARD.encode(&P256_G[33..]);
    // A distinct key per entry: entries of one key would share their usages.
    let ec = |usage: &str| {
        let point = p256_point(usage.as_bytes()[0]);
        let (x, y) = (
            STANDARD.encode(&point[1..33]),
            STANDARD.encode(&point[33..]),
        );
        format!(
            r#"{{"use":"{usage}","alg":"ES256","n":null,"e":null,"crv":"P-256","x":"{x}","y":"{y}"}}"#
        )
    };
    let modulus = STANDARD.encode([&[0u8, 0xc3][..], &[0x5a; 254], &[1]].concat());
    let rsa = format!(
        r#"{{"use":"l","alg":"RS256","n":"{modulus}","e":"AQAB","crv":null,"x":null,"y":null}}"#
    );
    let p384 = r#"{"use":"sig","crv":"P-384","x":"AA==","y":"AA=="}"#;
    let json = format!(
        r#"{{"AQ==":[{}],"Ag==":[{},{}],"Aw==":[{}],"BA==":[{}],"BQ==":[{p384}]}}"#,
        ec("sig"),
        ec("tvr"),
        ec("v"),
        rsa,
        ec("rt"),
    );
    let mut store = TrustStore::new();
    let report = store.add_bytes_with_report(json.as_bytes()).unwrap();
    assert_eq!(report.added, 5);
    assert_eq!(
        report.skipped,
        [SkippedEntry {
            entry: 5,
            reason: SkipReason::UnsupportedKey
        }]
    );
    let usages = |kid: &[u8]| store.candidates(kid).map(|k| k.usage).collect::<Vec<_>>();
    assert_eq!(usages(&[1]), [KeyUsage::Any]);
    assert_eq!(
        usages(&[2]),
        [only(true, true, true), only(false, true, false)]
    );
    assert_eq!(usages(&[3]), [only(false, false, false)]); // Swiss light certificates only
    assert_eq!(usages(&[4]), [only(true, false, true)]);
    assert!(matches!(
        store.candidates(&[3]).next().unwrap().key,
        PublicKey::Rsa(_)
    ));
    // Short coordinates are left-padded; missing ones are an error.
    let short = format!(
        r#"{{"AQ==":[{{"crv":"P-256","x":"{}","y":"{y}"}}]}}"#,
        STANDARD.encode([0u8; 31])
    );
    assert_eq!(
        TrustStore::from_bytes(short.as_bytes()).unwrap_err(),
        TrustError::BadKey {
            entry: 0,
            detail: "invalid P-256 point"
        }
    );
    let missing = r#"{"AQ==":[{"kty":"EC","crv":"P-256","x":"AA=="}]}"#;
    assert!(matches!(
        TrustStore::from_bytes(missing.as_bytes()),
        Err(TrustError::BadKey { entry: 0, .. })
    ));
}

#[test]
fn loads_pem_bundles() {
    let cert = p256_certificate(&[]);
    let text = format!(
        "Certificate:\n    Data: ...\n{}\nsome text\n{}{}",
        pem("CERTIFICATE", &cert),
        pem("PUBLIC KEY", &rsa_spki(OID_RSASSA_PSS)),
        pem("PUBLIC KEY", &ec_spki(OID_P384, &P256_G)),
    );
    let mut store = TrustStore::new();
    let report = store.add_bytes_with_report(text.as_bytes()).unwrap();
    assert_eq!(report.added, 2);
    assert_eq!(
        report.skipped,
        [SkippedEntry {
            entry: 2,
            reason: SkipReason::UnsupportedKey
        }]
    );
    assert_eq!(kids_of(&store, &Sha256::digest(&cert)[..8]), 2); // its own key, then the kid-less one
    assert_eq!(kids_of(&store, b"anything"), 1);

    let private = pem("PRIVATE KEY", &[0x30, 0x00]);
    assert_eq!(
        TrustStore::from_bytes(private.as_bytes()).unwrap_err(),
        TrustError::BadEntry {
            entry: 0,
            detail: "unsupported PEM block"
        }
    );
    let unterminated = "-----BEGIN CERTIFICATE-----\nMAA=\n";
    assert_eq!(
        TrustStore::from_bytes(unterminated.as_bytes()).unwrap_err(),
        TrustError::BadEntry {
            entry: 0,
            detail: "unterminated PEM block"
        }
    );
    let bad_body = "-----BEGIN CERTIFICATE-----\nM*A=\n-----END CERTIFICATE-----\n";
    assert_eq!(
        TrustStore::from_bytes(bad_body.as_bytes()).unwrap_err(),
        TrustError::InvalidBase64 {
            entry: 0,
            field: "PEM block"
        }
    );
}

#[test]
fn loads_single_der_items() {
    let cert = p256_certificate(&[]);
    let store = TrustStore::from_bytes(&cert).unwrap();
    assert_eq!(kids_of(&store, &Sha256::digest(&cert)[..8]), 1);
    assert_eq!(kids_of(&store, b"other"), 0);
    let store = TrustStore::from_bytes(&p256_spki()).unwrap();
    assert_eq!(kids_of(&store, b"other"), 1);
    let report = TrustStore::new().add_bytes_with_report(&ec_spki(OID_P384, &P256_G));
    assert_eq!(report, Err(TrustError::NoKeys), "nothing usable: an error");
}

#[test]
fn rejects_unknown_and_oversized_input() {
    for garbage in [&b""[..], b"   ", b"hello", b"[1,2]", b"\x00\x01"] {
        assert_eq!(
            TrustStore::from_bytes(garbage).unwrap_err(),
            TrustError::UnrecognisedFormat
        );
    }
    assert_eq!(
        TrustStore::from_bytes(br#"{"a": 1}"#).unwrap_err(),
        TrustError::UnrecognisedFormat
    );
    assert_eq!(
        TrustStore::from_bytes(b"{}").unwrap_err(),
        TrustError::NoKeys
    );
    assert_eq!(
        TrustStore::from_bytes(b"\xef\xbb\xbf {\"certificates\": 3}").unwrap_err(),
        TrustError::InvalidJson {
            line: 1,
            column: 19
        }
    );
    assert!(matches!(
        TrustStore::from_bytes(b"{\"certificates\": ["),
        Err(TrustError::InvalidJson { .. })
    ));
    let mixed = format!(
        r#"{{"AQ==":{{"publicKeyPem":"{}"}},"x":5}}"#,
        STANDARD.encode(p256_spki())
    );
    assert_eq!(
        TrustStore::from_bytes(mixed.as_bytes()).unwrap_err(),
        TrustError::BadEntry {
            entry: 1,
            detail: "not a key entry"
        }
    );
    let huge = vec![b' '; MAX_TRUST_BYTES.checked_add(1).unwrap()];
    assert_eq!(
        TrustStore::from_bytes(&huge).unwrap_err(),
        TrustError::TooLarge {
            limit: MAX_TRUST_BYTES
        }
    );
}

#[test]
fn error_messages_are_lowercase_and_carry_no_key_material() {
    let errors = [
        TrustError::UnrecognisedFormat,
        TrustError::InvalidJson { line: 1, column: 2 },
        TrustError::InvalidBase64 {
            entry: 3,
            field: "rawData",
        },
        TrustError::BadCertificate {
            entry: 4,
            detail: "malformed tbsCertificate",
        },
        TrustError::BadKey {
            entry: 5,
            detail: "invalid P-256 point",
        },
        TrustError::BadEntry {
            entry: 6,
            detail: "empty kid",
        },
        TrustError::UnsupportedKey { entry: 7 },
        TrustError::TooLarge {
            limit: MAX_TRUST_BYTES,
        },
        TrustError::TooManyEntries {
            limit: MAX_TRUST_ENTRIES,
        },
        TrustError::TooManyKeysForKid {
            limit: MAX_KEYS_PER_KID,
        },
    ];
    for error in errors {
        let message = error.to_string();
        assert!(
            message.starts_with(|c: char| c.is_ascii_lowercase()),
            "{message}"
        );
        assert!(!message.ends_with('.'), "{message}");
    }
}
