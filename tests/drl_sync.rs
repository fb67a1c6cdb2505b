//! Incremental sync (`revocation::drl::SyncState`) against mirrors from the generator in
//! tests/common/drl_mirror.rs: the planned requests, deltas applied, kids dropped when no
//! longer listed and wiped when their mode changes, and a bad archive changing nothing.

mod common;

use std::path::Path;

use common::drl_mirror::{kid_of, write_mirror, MirrorKid, Scratch, Tamper};
use dcc_verifier::revocation::drl::{DrlError, Request, SyncState};
use dcc_verifier::revocation::HashType;
use dcc_verifier::{danger, Check, Status, TrustStore, UnixTime, Verifier};

const ES256: &str = "valid-es256-vaccination";
const PS256: &str = "valid-ps256";
const ES256_KID: &str = "bMIm/1VFK1c=";

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2021-09-01T00:00:00Z").unwrap()
}

fn uci(pass: &str) -> Vec<u8> {
    let hashes = danger::revocation_hashes(&common::pass_text(pass)).unwrap();
    let first = hashes.of_type(HashType::Uci).next().unwrap();
    first.to_vec()
}

fn kid(pass: &str, mode: &'static str, revoked: &[Vec<u8>], updated: &str) -> MirrorKid {
    MirrorKid {
        kid: kid_of(&common::pass_text(pass)),
        mode,
        hash_types: vec!["UCI"],
        kind: "BLOOMFILTER",
        revoked: revoked
            .iter()
            .map(|h| (h.clone(), "2022-01-01T00:00:00Z".to_owned()))
            .collect(),
        expires: "2022-01-01T00:00:00Z".to_owned(),
        last_updated: updated.to_owned(),
    }
}

/// Answers a request from a mirror (a whole partition's archive answers every slice request:
/// the state takes any subset of the listing).
fn answer(dir: &Path, request: &Request) -> Vec<u8> {
    let folder = request.path().split('/').nth(2).unwrap().to_owned();
    let file = match request {
        Request::Partitions { .. } => "partitions.json".to_owned(),
        Request::PartitionSlices { partition, .. }
        | Request::Chunk { partition, .. }
        | Request::Slices { partition, .. } => format!("{partition}.tar.gz"),
        other => panic!("{other:?}"),
    };
    std::fs::read(dir.join(folder).join(file)).unwrap()
}

/// One sync against a mirror; returns the requests made, in order.
fn sync(state: &mut SyncState, dir: &Path) -> Vec<Request> {
    let lists = std::fs::read(dir.join("lists.json")).unwrap();
    let mut made = Vec::new();
    for request in state
        .apply_lists(&lists, Some("etag".into()), now())
        .unwrap()
    {
        let Request::Partitions { kid } = &request else {
            panic!("{request:?}");
        };
        let slices = state.apply_partitions(kid, &answer(dir, &request)).unwrap();
        made.push(request.clone());
        for slice_request in slices {
            let (Request::PartitionSlices { partition, .. }
            | Request::Chunk { partition, .. }
            | Request::Slices { partition, .. }) = &slice_request
            else {
                panic!("{slice_request:?}");
            };
            state
                .apply_slices(kid, partition, &answer(dir, &slice_request))
                .unwrap();
            made.push(slice_request.clone());
        }
    }
    assert_eq!(state.pending(), [], "nothing left to fetch");
    made
}

fn revocation(state: &SyncState, pass: &str) -> Status {
    let trust =
        TrustStore::from_bytes(&std::fs::read(common::fixture("trust/trustlist.json")).unwrap());
    let report = Verifier::new(trust.unwrap())
        .with_revocation(state.store().unwrap())
        .verify(&common::pass_text(pass), now());
    report.status(Check::Revocation)
}

#[test]
fn first_sync_then_deltas_drops_and_wipes() {
    let (es256, ps256) = (uci(ES256), uci(PS256));
    let filler = vec![0x42; 16];
    let v1 = Scratch::new("sync-v1");
    write_mirror(
        &v1,
        &[
            kid(
                ES256,
                "POINT",
                &[es256.clone(), filler.clone()],
                "2021-08-01T00:00:00Z",
            ),
            kid(PS256, "POINT", &[vec![0x99; 16]], "2021-08-01T00:00:00Z"),
        ],
        Tamper::None,
    );
    let mut state = SyncState::new();
    let made = sync(&mut state, &v1);
    assert_eq!(made[0].path(), "/lists/bMIm_1VFK1c/partitions");
    assert_eq!(made[0].method(), "GET");
    assert_eq!(made[1].path(), "/lists/bMIm_1VFK1c/partitions/null/slices");
    assert_eq!(made[1].method(), "POST");
    let mut cids: Vec<char> = [&es256, &filler]
        .iter()
        .map(|h| dcc_verifier::revocation::to_hex(h).chars().next().unwrap())
        .collect();
    cids.sort_unstable();
    cids.dedup();
    assert_eq!(made[1].body(), Some(serde_json::to_string(&cids).unwrap()));
    assert_eq!(made.len(), 4, "partitions and slices of two kids");
    assert_eq!(state.etag(), Some("etag"));
    assert_eq!(state.last_sync(), Some(now()));
    assert_eq!(revocation(&state, ES256), Status::Fail);
    assert_eq!(revocation(&state, PS256), Status::Pass);

    // The same lists again: nothing to fetch.
    assert_eq!(sync(&mut state, &v1), []);

    // v2: the ES256 pass is no longer revoked, another hash is; the PS256 kid is gone.
    let v2 = Scratch::new("sync-v2");
    write_mirror(
        &v2,
        &[kid(
            ES256,
            "POINT",
            &[filler.clone(), ps256.clone()],
            "2021-08-15T00:00:00Z",
        )],
        Tamper::None,
    );
    let made = sync(&mut state, &v2);
    assert_eq!(
        made[0],
        Request::Partitions {
            kid: ES256_KID.into()
        }
    );
    assert!(
        made[1..]
            .iter()
            .all(|r| matches!(r, Request::Chunk { .. } | Request::Slices { .. })),
        "a known partition fetches only its changed chunks: {made:?}"
    );
    assert_eq!(revocation(&state, ES256), Status::Pass);
    assert_eq!(revocation(&state, PS256), Status::Skipped, "kid dropped");

    // v3: the kid changes mode: wiped, then fetched again whole.
    let v3 = Scratch::new("sync-v3");
    write_mirror(
        &v3,
        &[kid(
            ES256,
            "VECTOR",
            std::slice::from_ref(&es256),
            "2021-08-20T00:00:00Z",
        )],
        Tamper::None,
    );
    let lists = std::fs::read(v3.join("lists.json")).unwrap();
    let mut cut_short = state.clone();
    let requests = cut_short.apply_lists(&lists, None, now()).unwrap();
    assert_eq!(
        requests,
        [Request::Partitions {
            kid: ES256_KID.into()
        }]
    );
    assert_eq!(
        revocation(&cut_short, ES256),
        Status::Skipped,
        "wiped until re-fetched"
    );
    assert_eq!(
        cut_short.pending(),
        requests,
        "asked again after a sync cut short"
    );
    let made = sync(&mut cut_short, &v3);
    assert!(
        matches!(made[1], Request::PartitionSlices { .. }),
        "{made:?}"
    );
    let fresh = cut_short;
    assert_eq!(revocation(&fresh, ES256), Status::Fail);
}

#[test]
fn a_bad_archive_changes_nothing() {
    let es256 = uci(ES256);
    let good = Scratch::new("sync-good");
    write_mirror(
        &good,
        &[kid(
            ES256,
            "POINT",
            std::slice::from_ref(&es256),
            "2021-08-01T00:00:00Z",
        )],
        Tamper::None,
    );
    let bad = Scratch::new("sync-bad");
    write_mirror(
        &bad,
        &[kid(
            ES256,
            "POINT",
            std::slice::from_ref(&es256),
            "2021-08-01T00:00:00Z",
        )],
        Tamper::FlipSliceByte,
    );
    let mut state = SyncState::new();
    let lists = std::fs::read(good.join("lists.json")).unwrap();
    let requests = state.apply_lists(&lists, None, now()).unwrap();
    let slices = state
        .apply_partitions(ES256_KID, &answer(&good, &requests[0]))
        .unwrap();
    let error = state.apply_slices(ES256_KID, "null", &answer(&bad, &slices[0]));
    assert!(
        matches!(error, Err(DrlError::SliceHashMismatch { .. })),
        "{error:?}"
    );
    assert_eq!(state.pending(), slices, "still to fetch");
    assert_eq!(revocation(&state, ES256), Status::Skipped);
    assert!(matches!(
        state.apply_slices(ES256_KID, "0", &answer(&good, &slices[0])),
        Err(DrlError::UnknownPartition { .. })
    ));
    assert!(matches!(
        state.apply_partitions("AAAAAAAAAAA=", b"[]"),
        Err(DrlError::UnknownKid(_))
    ));
    // A broken /lists leaves the state as it was.
    assert!(state.apply_lists(b"{", Some("x".into()), now()).is_err());
    assert_eq!(state.etag(), None);
    state
        .apply_slices(ES256_KID, "null", &answer(&good, &slices[0]))
        .unwrap();
    assert_eq!(revocation(&state, ES256), Status::Fail);
}

#[test]
fn an_older_lists_is_refused() {
    let newer = Scratch::new("sync-newer");
    write_mirror(
        &newer,
        &[kid(ES256, "POINT", &[uci(ES256)], "2021-08-15T00:00:00Z")],
        Tamper::None,
    );
    let older = Scratch::new("sync-older");
    write_mirror(
        &older,
        &[kid(ES256, "POINT", &[], "2021-08-01T00:00:00Z")],
        Tamper::None,
    );
    let mut state = SyncState::new();
    sync(&mut state, &newer);
    let lists = std::fs::read(older.join("lists.json")).unwrap();
    let error = state.apply_lists(&lists, Some("old".into()), now());
    assert!(matches!(error, Err(DrlError::Rollback { .. })), "{error:?}");
    assert_eq!(state.etag(), Some("etag"), "unchanged");
    assert_eq!(revocation(&state, ES256), Status::Fail);
}

#[test]
fn expired_data_is_pruned_at_the_time_the_verifier_judges() {
    let dir = Scratch::new("sync-prune");
    let mut early = kid(ES256, "POINT", &[uci(ES256)], "2021-08-01T00:00:00Z");
    early
        .revoked
        .push((vec![0x11; 16], "2021-10-01T00:00:00Z".to_owned()));
    write_mirror(&dir, &[early], Tamper::None);
    let mut state = SyncState::new();
    sync(&mut state, &dir);
    let october = UnixTime::parse_rfc3339("2021-10-01T00:00:00Z").unwrap();
    assert_eq!(state.prune_expired(october.checked_sub_secs(1).unwrap()), 0);
    assert_eq!(
        state.prune_expired(october),
        1,
        "the slice expiring in October"
    );
    assert_eq!(
        revocation(&state, ES256),
        Status::Fail,
        "the other slice stays"
    );
    let kid_expiry = UnixTime::parse_rfc3339("2022-01-01T00:00:00Z").unwrap();
    assert_eq!(state.prune_expired(kid_expiry), 1);
    assert_eq!(state.pending(), [], "an expired kid is not asked for again");
    assert_eq!(revocation(&state, ES256), Status::Skipped);
}
