//! EU revocation mirrors (the distribution service's responses, built by the generator in
//! tests/common/drl_mirror.rs from fixture passes) loaded through the library: revoked and not
//! revoked as planned, by every mode and slice type, expiry judged with the clock skew, and
//! tampered slices refused whole.

mod common;

use std::path::Path;

use common::drl_mirror::{kid_of, write_mirror, MirrorKid, Scratch, Tamper};
use dcc_verifier::revocation::drl::{self, DrlError, Mirror, MirrorError};
use dcc_verifier::revocation::{FilterKind, HashType, RevocationStore};
use dcc_verifier::{danger, Check, Reason, Status, TrustStore, UnixTime, Verifier};

const ES256: &str = "valid-es256-vaccination";
const PS256: &str = "valid-ps256";
const EXPIRES: &str = "2022-01-01T00:00:00Z";

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap()
}

fn hash_of(qr: &str, hash_type: HashType) -> Vec<u8> {
    let hashes = danger::revocation_hashes(qr).unwrap();
    let first = hashes.of_type(hash_type).next().unwrap();
    first.to_vec()
}

/// A kid of a fixture pass revoking `revoked` (plus unrelated hashes in other chunks).
fn kid(pass: &str, mode: &'static str, kind: &'static str, revoked: &[Vec<u8>]) -> MirrorKid {
    let mut all: Vec<(Vec<u8>, String)> = revoked
        .iter()
        .map(|h| (h.clone(), EXPIRES.to_owned()))
        .collect();
    for filler in [0x00u8, 0x5a, 0xff] {
        all.push((vec![filler; 16], "2021-12-01T00:00:00Z".to_owned()));
    }
    MirrorKid {
        kid: kid_of(&common::pass_text(pass)),
        mode,
        hash_types: vec!["UCI", "COUNTRYCODEUCI", "SIGNATURE"],
        kind,
        revoked: all,
        expires: EXPIRES.to_owned(),
        last_updated: "2021-08-30T12:00:00Z".to_owned(),
    }
}

fn load(dir: &Path) -> Result<Mirror, MirrorError<String>> {
    Mirror::load(|path| std::fs::read(dir.join(path)).map_err(|e| e.to_string()))
}

fn verify(pass: &str, dir: &Path, at: UnixTime) -> dcc_verifier::Report {
    let trust =
        TrustStore::from_bytes(&std::fs::read(common::fixture("trust/trustlist.json")).unwrap());
    let mut store = RevocationStore::new();
    load(dir).unwrap().add_to(&mut store);
    Verifier::new(trust.unwrap())
        .with_revocation(store)
        .verify(&common::pass_text(pass), at)
}

#[test]
fn revoked_and_not_revoked_as_planned_in_every_mode_and_type() {
    let es256 = common::pass_text(ES256);
    for mode in ["POINT", "VECTOR", "COORDINATE"] {
        for kind in ["BLOOMFILTER", "VARHASHLIST"] {
            for hash_type in [HashType::Uci, HashType::CountryCodeUci, HashType::Signature] {
                let dir = Scratch::new(&format!("{mode}-{kind}-{hash_type}"));
                let revoked = kid(ES256, mode, kind, &[hash_of(&es256, hash_type)]);
                // The PS256 pass's kid is listed, with other hashes only: covered, not revoked.
                let covered = kid(PS256, mode, kind, &[vec![0x33; 16]]);
                write_mirror(&dir, &[revoked, covered], Tamper::None);
                let report = verify(ES256, &dir, now());
                assert_eq!(
                    report.reason(),
                    Some(Reason::Revoked),
                    "{mode} {kind} {hash_type}"
                );
                let found = report.revocation_match().unwrap();
                assert_eq!(found.hash_type, hash_type);
                assert!(found.source.contains("bMIm/1VFK1c="), "{}", found.source);
                let report = verify(PS256, &dir, now());
                assert!(report.is_valid(), "{mode} {kind} {hash_type}");
                assert_eq!(report.status(Check::Revocation), Status::Pass);
                assert!(report.revocation_data_age_secs().is_some());
            }
        }
    }
}

#[test]
fn expiry_follows_the_slices_and_the_clock_skew() {
    let es256 = common::pass_text(ES256);
    let dir = Scratch::new("expiry");
    write_mirror(
        &dir,
        &[kid(
            ES256,
            "POINT",
            "BLOOMFILTER",
            &[hash_of(&es256, HashType::Uci)],
        )],
        Tamper::None,
    );
    let expires = UnixTime::parse_rfc3339(EXPIRES).unwrap();
    // Within the 300 s skew after expiry the slice still applies (as for a certificate's exp)...
    let just_after = expires.checked_add_secs(200).unwrap();
    let report = verify(ES256, &dir, just_after);
    assert_eq!(report.status(Check::Revocation), Status::Fail);
    // ...and past it, nothing covers the kid any more.
    let later = expires.checked_add_secs(400).unwrap();
    let report = verify(ES256, &dir, later);
    assert_eq!(report.status(Check::Revocation), Status::Skipped);
}

#[test]
fn every_slice_carries_its_scope() {
    let es256 = common::pass_text(ES256);
    let dir = Scratch::new("scope");
    write_mirror(
        &dir,
        &[kid(
            ES256,
            "COORDINATE",
            "VARHASHLIST",
            &[hash_of(&es256, HashType::Uci)],
        )],
        Tamper::None,
    );
    let mirror = load(&dir).unwrap();
    assert_eq!(mirror.kids.len(), 1);
    assert_eq!(
        mirror.slices.len(),
        4,
        "one slice per (partition, chunk, expiry)"
    );
    for slice in &mirror.slices {
        assert_eq!(slice.filter().kind(), FilterKind::HashList);
        assert!(slice.source().starts_with("bMIm/1VFK1c=/"));
    }
    assert_eq!(
        mirror.last_updated(),
        UnixTime::parse_rfc3339("2021-08-30T12:00:00Z")
    );
}

/// The error a tampered mirror is refused with.
fn refused(tamper: Tamper, kind: &'static str) -> DrlError {
    let es256 = common::pass_text(ES256);
    let dir = Scratch::new(&format!("{tamper:?}-{kind}"));
    write_mirror(
        &dir,
        &[kid(ES256, "POINT", kind, &[hash_of(&es256, HashType::Uci)])],
        tamper,
    );
    match load(&dir) {
        Err(MirrorError::Invalid { path, error }) => {
            assert_eq!(path, "bMIm_1VFK1c/null.tar.gz");
            error
        }
        other => panic!("{tamper:?}: {other:?}"),
    }
}

#[test]
fn tampered_slices_are_refused_whole() {
    for kind in ["BLOOMFILTER", "VARHASHLIST"] {
        assert!(matches!(
            refused(Tamper::FlipSliceByte, kind),
            DrlError::SliceHashMismatch { .. }
        ));
        assert!(matches!(
            refused(Tamper::WrongListedHash, kind),
            DrlError::SliceNotListed { .. }
        ));
    }
    assert!(matches!(
        refused(Tamper::TypeMismatch, "VARHASHLIST"),
        DrlError::SliceTypeMismatch {
            listed: FilterKind::Bloom,
            found: FilterKind::HashList,
            ..
        }
    ));
    // Bloom bytes listed as a hash list do not read as one either.
    assert!(matches!(
        refused(Tamper::TypeMismatch, "BLOOMFILTER"),
        DrlError::SliceTypeMismatch { .. } | DrlError::BadSlice { .. }
    ));
}

#[test]
fn a_missing_response_is_a_fetch_error() {
    let dir = Scratch::new("missing");
    write_mirror(
        &dir,
        &[kid(ES256, "VECTOR", "BLOOMFILTER", &[])],
        Tamper::None,
    );
    std::fs::remove_file(dir.join("bMIm_1VFK1c/0.tar.gz")).unwrap();
    match load(&dir) {
        Err(MirrorError::Fetch { path, .. }) => assert_eq!(path, "bMIm_1VFK1c/0.tar.gz"),
        other => panic!("{other:?}"),
    }
}

/// The derived slices of the revocation vectors (`../shared/revocation/vectors/derived`, built
/// by the SPEC's check.py): packed into a service archive under their own sids, each finds its
/// hash at its POINT coordinates, and the sid the vectors give is the one checked.
#[test]
fn the_shared_derived_slices_load_as_served() {
    let Some(dir) = common::shared_dir("revocation/vectors/derived") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("e2e-slices.json")).unwrap();
    let cases: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    for case in cases["cases"].as_array().unwrap() {
        let kid_text = case["kid_base64"].as_str().unwrap();
        let hash = common::hex_decode(case["hash_hex"].as_str().unwrap());
        let cid = case["coords"]["POINT"]["chunk"].as_str().unwrap();
        for (slice_key, sid_key, kind) in [
            (
                "bloom_slice_n1_p1e-12_hex",
                "bloom_slice_sha256_sid",
                "BLOOMFILTER",
            ),
            (
                "varhashlist_slice_n1_p1e-12_minsize4_hex",
                "varhashlist_slice_sha256_sid",
                "VARHASHLIST",
            ),
        ] {
            let data = common::hex_decode(case[slice_key].as_str().unwrap());
            let sid = case[sid_key].as_str().unwrap();
            let hash_type = case["hashType"].as_str().unwrap();
            let slices = one_slice_partition(kid_text, hash_type, kind, cid, sid, data)
                .unwrap_or_else(|e| panic!("{kind} {sid}: {e}"));
            assert_eq!(slices.len(), 1);
            assert!(slices[0].filter().might_contain(&hash), "{kind} {sid}");
            checked += 1;
        }
    }
    assert!(checked >= 2, "{checked} slices");
}

/// A POINT partition of one slice, served and loaded.
fn one_slice_partition(
    kid_text: &str,
    hash_type: &str,
    kind: &str,
    cid: &str,
    sid: &str,
    data: Vec<u8>,
) -> Result<Vec<dcc_verifier::revocation::Slice>, DrlError> {
    let lists = serde_json::json!([{"kid": kid_text, "mode": "POINT",
        "hashTypes": [hash_type], "expires": EXPIRES, "lastUpdated": EXPIRES}]);
    let partitions = serde_json::json!([{"kid": kid_text, "id": null, "x": null, "y": null,
        "lastUpdated": "2021-08-30T12:00:00.000001Z", "expired": EXPIRES,
        "chunks": {cid: {EXPIRES: {"type": kind, "version": "1.0", "hash": sid}}}}]);
    let archive = common::tar_gz::gzip(&common::tar_gz::tar(&[(
        format!("{kid_text}/null/{cid}/{sid}"),
        data,
    )]));
    let kids = drl::parse_lists(lists.to_string().as_bytes())?;
    let partition = drl::parse_partitions(&kids[0], partitions.to_string().as_bytes())?;
    drl::load_partition(&kids[0], &partition[0], &archive)
}

/// Batches uploaded without a kid (`UNKNOWN_KID`, SPEC §6.14) apply to every certificate.
#[test]
fn unknown_kid_slices_apply_to_every_kid() {
    let es256 = common::pass_text(ES256);
    let hash = hash_of(&es256, HashType::Uci);
    let mut filter = dcc_verifier::revocation::BloomFilter::new(1, 1e-12).unwrap();
    filter.add(&hash);
    let data = filter.into_bytes();
    let sid = dcc_verifier::revocation::to_hex(&<sha2::Sha256 as sha2::Digest>::digest(&data));
    let cid = &dcc_verifier::revocation::to_hex(&hash)[..1];
    let slices =
        one_slice_partition(drl::UNKNOWN_KID, "UCI", "BLOOMFILTER", cid, &sid, data).unwrap();
    let mut store = RevocationStore::new();
    for slice in slices {
        store.add(slice);
    }
    let trust =
        TrustStore::from_bytes(&std::fs::read(common::fixture("trust/trustlist.json")).unwrap());
    let report = Verifier::new(trust.unwrap())
        .with_revocation(store)
        .verify(&es256, now());
    assert_eq!(report.reason(), Some(Reason::Revoked));
}
