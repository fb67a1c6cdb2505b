//! Unit tests for the key set: round trips, the signature and pin, and every malformation.

use super::*;

const ISSUED: UnixTime = UnixTime::from_secs(1_700_000_000);

fn signing_key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

fn ec_key(seed: u8) -> PublicKey {
    PublicKey::EcP256(*signing_key(seed).verifying_key())
}

/// A store using every field: validity, restricted usage, country, warnings, RSA, kid-less.
fn sample_store() -> TrustStore {
    let mut store = TrustStore::new();
    store.add_key(
        b"kid-0001".to_vec(),
        SignerKey {
            key: ec_key(1),
            not_before: Some(UnixTime::from_secs(1_600_000_000)),
            not_after: Some(UnixTime::from_secs(1_800_000_000)),
            usage: KeyUsage::Only {
                test: false,
                vaccination: true,
                recovery: true,
            },
            country: Some("DE".into()),
            warnings: vec![KeyWarning::UnreadableExtensions],
        },
    );
    store.add_key(b"kid-0001".to_vec(), SignerKey::new(ec_key(2)));
    store
        .add_certificate_der(
            include_bytes!("../../../fixtures/trust/ps256.der"),
            Some(b"rsa"),
        )
        .unwrap();
    store.add_kidless_key(SignerKey::new(ec_key(3)));
    store
}

/// The store's content as comparable text, in a fixed order.
fn describe(keys: impl Iterator<Item = (Option<Vec<u8>>, SignerKey)>) -> Vec<String> {
    let mut out: Vec<String> = keys
        .map(|(kid, key)| {
            let spki = match &key.key {
                PublicKey::EcP256(k) => format!("{:?}", k.to_encoded_point(false)),
                PublicKey::Rsa(k) => format!("{:?}", k.n()),
            };
            format!(
                "{kid:?} {spki} {:?} {:?} {:?} {:?} {:?}",
                key.not_before, key.not_after, key.usage, key.country, key.warnings
            )
        })
        .collect();
    out.sort();
    out
}

fn store_keys(store: &TrustStore) -> Vec<String> {
    describe(
        store
            .iter()
            .map(|(k, v)| (k.map(<[u8]>::to_vec), v.clone())),
    )
}

#[test]
fn round_trip_keeps_every_field() {
    let store = sample_store();
    let bytes = KeySet::build(&store, ISSUED, None).unwrap();
    let set = KeySet::parse(&bytes, None).unwrap();
    assert_eq!(set.issued_at(), ISSUED);
    assert_eq!(set.signature(), Signature::Unsigned);
    assert_eq!(set.len(), 4);
    let loaded = TrustStore::from_bytes(&bytes).unwrap();
    assert_eq!(store_keys(&loaded), store_keys(&store));
    assert_eq!(loaded.clock_floor(), Some(ISSUED));
    assert_eq!(store.clock_floor(), None);
}

#[test]
fn build_is_deterministic_and_keeps_key_order_within_a_kid() {
    let store = sample_store();
    let signer = signing_key(9);
    let a = KeySet::build(&store, ISSUED, Some(&signer)).unwrap();
    let b = KeySet::build(&store.clone(), ISSUED, Some(&signer)).unwrap();
    assert_eq!(a, b);
    let set = KeySet::parse(&a, None).unwrap();
    let kids: Vec<Option<&[u8]>> = set.keys().map(|(kid, _)| kid).collect();
    assert_eq!(
        kids,
        [
            Some(&b"kid-0001"[..]),
            Some(b"kid-0001"),
            Some(b"rsa"),
            None
        ]
    );
    let first = set.keys().next().unwrap().1;
    assert_eq!(first.key, ec_key(1));
}

#[test]
fn pinned_signature_is_required_and_checked() {
    let store = sample_store();
    let signer = signing_key(9);
    let pin = PublicKey::EcP256(*signer.verifying_key());
    let signed = KeySet::build(&store, ISSUED, Some(&signer)).unwrap();
    let unsigned = KeySet::build(&store, ISSUED, None).unwrap();

    let set = KeySet::parse(&signed, Some(&pin)).unwrap();
    assert_eq!(set.signature(), Signature::Verified);
    assert_eq!(
        KeySet::parse(&signed, None).unwrap().signature(),
        Signature::Unchecked
    );
    assert_eq!(
        KeySet::parse(&signed, Some(&ec_key(8))).unwrap_err(),
        TrustError::KeySetSignatureInvalid
    );
    assert_eq!(
        KeySet::parse(&unsigned, Some(&pin)).unwrap_err(),
        TrustError::KeySetUnsigned
    );
    let mut store = TrustStore::new();
    assert_eq!(
        store
            .add_pinned_key_set(include_bytes!("../../../fixtures/trust/es256.pem"), &pin)
            .unwrap_err(),
        TrustError::KeySetRequired
    );
    assert_eq!(store.add_pinned_key_set(&signed, &pin).unwrap().added, 4);
}

#[test]
fn any_changed_byte_of_a_signed_set_fails_the_pin() {
    let signer = signing_key(9);
    let pin = PublicKey::EcP256(*signer.verifying_key());
    let signed = KeySet::build(&sample_store(), ISSUED, Some(&signer)).unwrap();
    for index in 0..signed.len() {
        let mut tampered = signed.clone();
        tampered[index] ^= 0x01;
        assert!(
            KeySet::parse(&tampered, Some(&pin)).is_err(),
            "byte {index} flipped still verifies"
        );
    }
}

#[test]
fn every_truncation_is_an_error() {
    for signer in [None, Some(signing_key(9))] {
        let bytes = KeySet::build(&sample_store(), ISSUED, signer.as_ref()).unwrap();
        for len in 0..bytes.len() {
            let cut = &bytes[..len];
            match KeySet::parse(cut, None) {
                Err(TrustError::BadKeySet { offset, .. }) => assert!(offset <= len.max(6)),
                other if signer.is_some() => assert!(other.is_err(), "{len}: {other:?}"),
                other => panic!("{len}: {other:?}"),
            }
        }
    }
}

fn bad(bytes: &[u8]) -> (usize, &'static str) {
    match KeySet::parse(bytes, None) {
        Err(TrustError::BadKeySet { offset, detail }) => (offset, detail),
        other => panic!("expected BadKeySet, got {other:?}"),
    }
}

/// One unsigned ES256 entry with no optional fields; the entry starts at byte 19.
fn one_entry() -> Vec<u8> {
    let mut store = TrustStore::new();
    store.add_key(b"k".to_vec(), SignerKey::new(ec_key(1)));
    KeySet::build(&store, ISSUED, None).unwrap()
}

#[test]
fn malformations_have_precise_errors() {
    let good = one_entry();
    assert_eq!(good.len(), HEADER_BYTES + 4 + 1 + EC_POINT_BYTES);

    let mut v = good.clone();
    v[5] = 2;
    assert_eq!(
        KeySet::parse(&v, None).unwrap_err(),
        TrustError::UnsupportedKeySetVersion { version: 2 }
    );
    let mut v = good.clone();
    v[6] = 0x02;
    assert_eq!(bad(&v), (6, "reserved header flag bits set"));
    let mut v = good.clone();
    v[15..19].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        KeySet::parse(&v, None).unwrap_err(),
        TrustError::TooManyEntries {
            limit: MAX_TRUST_ENTRIES
        }
    );
    let mut v = good.clone();
    v[15..19].copy_from_slice(&2u32.to_be_bytes());
    assert_eq!(bad(&v), (good.len(), "truncated"));
    let mut v = good.clone();
    v.push(0);
    assert_eq!(bad(&v), (good.len(), "trailing bytes after the last entry"));
    let mut v = good.clone();
    v[19] = USAGE_TEST;
    assert_eq!(bad(&v), (19, "usage bits set on an unrestricted key"));
    let mut v = good.clone();
    v[19] = KIDLESS;
    assert_eq!(bad(&v), (19, "kid-less key with a kid"));
    let mut v = good.clone();
    v[20] = 0x80;
    assert_eq!(bad(&v), (20, "reserved warning bits set"));
    let mut v = good.clone();
    v[21] = 65;
    assert_eq!(bad(&v), (21, "kid longer than 64 bytes"));
    let mut v = good.clone();
    v[23] = 7;
    assert_eq!(bad(&v), (23, "unknown algorithm"));
    let mut v = good.clone();
    v[24] = 0x02;
    assert_eq!(bad(&v), (24, "P-256 point not uncompressed"));
    let mut v = good.clone();
    v[30] ^= 0x01;
    assert_eq!(bad(&v), (24, "invalid P-256 point"));
    assert_eq!(bad(b"DCCKX"), (0, "not a key set (no DCCKS magic)"));
    assert_eq!(bad(b"DCCKS"), (5, "truncated"));
}

#[test]
fn bad_country_and_rsa_fields_are_rejected() {
    let mut store = TrustStore::new();
    let mut key = SignerKey::new(ec_key(1));
    key.country = Some("DE".into());
    store.add_key(b"k".to_vec(), key);
    let mut v = KeySet::build(&store, ISSUED, None).unwrap();
    let at = v.len() - 2;
    v[at] = b'd';
    assert_eq!(bad(&v), (at, "country is not two ASCII capital letters"));

    let mut store = TrustStore::new();
    let mut key = SignerKey::new(ec_key(1));
    key.country = Some("Germany".into());
    store.add_key(b"k".to_vec(), key);
    assert!(matches!(
        KeySet::build(&store, ISSUED, None),
        Err(TrustError::BadEntry { entry: 0, .. })
    ));

    let mut store = TrustStore::new();
    store
        .add_certificate_der(
            include_bytes!("../../../fixtures/trust/ps256.der"),
            Some(b"r"),
        )
        .unwrap();
    let good = KeySet::build(&store, ISSUED, None).unwrap();
    // entry at 19: flags, warnings, kid_len 1, kid, algorithm at 23, modulus length at 24.
    let mut v = good.clone();
    v[24..26].copy_from_slice(&513u16.to_be_bytes());
    assert_eq!(bad(&v), (24, "RSA modulus too long"));
    let mut v = good.clone();
    v[26] = 0;
    assert_eq!(bad(&v), (24, "RSA integer not minimal"));
    let n_len = usize::from(u16::from_be_bytes([good[24], good[25]]));
    let mut v = good;
    v[26 + n_len] = 9;
    assert_eq!(bad(&v), (26 + n_len, "RSA exponent too long"));
}

#[test]
fn clock_floor_only_rises() {
    let mut store = TrustStore::new();
    let later = KeySet::build(&sample_store(), ISSUED, None).unwrap();
    let earlier = KeySet::build(&sample_store(), UnixTime::from_secs(1_000_000_000), None).unwrap();
    store.add_key_set(&later, None).unwrap();
    store.add_bytes(&earlier).unwrap();
    assert_eq!(store.len(), 8);
    assert_eq!(store.clock_floor(), Some(ISSUED));
}

#[test]
fn publisher_key_reads_one_p256_key() {
    let pem = include_bytes!("../../../fixtures/trust/es256.pem");
    assert!(matches!(publisher_key(pem), Ok(PublicKey::EcP256(_))));
    assert!(matches!(
        publisher_key(include_bytes!("../../../fixtures/trust/ps256.pem")),
        Err(TrustError::BadKey { .. })
    ));
    assert!(matches!(
        publisher_key(include_bytes!("../../../fixtures/trust/signers.pem")),
        Err(TrustError::BadKey { .. })
    ));
}
