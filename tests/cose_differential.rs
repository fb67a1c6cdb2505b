//! Our in-place COSE_Sign1 reader against coset 0.4 (with ciborium), the reference decoder it
//! replaced: on every message of the fixtures and of the EU conformance corpus, and on every
//! single-byte change and truncation of them, both must agree on whether the message is a
//! usable COSE_Sign1 and, when it is, on its kid and algorithm.
//!
//! "Usable" is what the verifier needs: a COSE_Sign1 (at most one CWT tag, then at most one
//! COSE tag), an ES256 or PS256 `alg` in the protected header, a kid, and an attached payload.
//! Where coset refuses a header value only because its number is not in an IANA registry (an
//! algorithm or a CoAP content format), the message is not compared: we read such an `alg` as
//! `unsupported_algorithm` (unusable too) and ignore the content type, which the verifier does
//! not use.

mod common;

use ciborium::Value;
use coset::{AsCborValue as _, CborSerializable as _, CoseSign1};
use dcc_verifier::crypto::Algorithm;
use dcc_verifier::{Check, Status, TrustStore, UnixTime, Verifier};

/// What both sides must agree on: `None` for a message that is not usable.
type Usable = Option<(Vec<u8>, Algorithm)>;

/// coset's view, or `Err` when it refused an unregistered number (see the module docs).
fn coset_view(cose: &[u8]) -> Result<Usable, ()> {
    let Ok(mut value) = Value::from_slice(cose) else {
        return Ok(None);
    };
    if let Value::Tag(61, inner) = value {
        value = *inner;
    }
    if let Value::Tag(18, inner) = value {
        value = *inner;
    }
    match CoseSign1::from_cbor_value(value) {
        Ok(sign1) => Ok(usable(sign1)),
        Err(
            coset::CoseError::UnregisteredIanaValue
            | coset::CoseError::UnregisteredIanaNonPrivateValue,
        ) => Err(()),
        Err(_) => Ok(None),
    }
}

fn usable(sign1: CoseSign1) -> Usable {
    sign1.payload.as_ref()?;
    let (alg, kid) = common::coset_alg_and_kid(&sign1)?;
    (!kid.is_empty()).then_some((kid, alg))
}

fn our_view(verifier: &Verifier, cose: &[u8]) -> Usable {
    let report = verifier.verify_cose(cose, UnixTime::from_secs(1_600_000_000));
    if report.status(Check::Cose) != Status::Pass {
        return None;
    }
    Some((report.kid()?.to_vec(), report.algorithm()?))
}

/// Counts of one comparison run.
#[derive(Default)]
struct Tally {
    compared: usize,
    /// Left out: coset refused an unregistered number.
    unregistered: usize,
}

impl Tally {
    fn compare(&mut self, verifier: &Verifier, cose: &[u8], what: &dyn Fn() -> String) {
        match coset_view(cose) {
            Ok(expected) => {
                assert_eq!(our_view(verifier, cose), expected, "{}", what());
                self.compared += 1;
            }
            Err(()) => self.unregistered += 1,
        }
    }

    /// `cose` itself, single-byte changes of its first `mutate` bytes, and its truncations
    /// there.
    fn with_mutations(&mut self, verifier: &Verifier, name: &str, cose: &[u8], mutate: usize) {
        self.compare(verifier, cose, &|| name.to_owned());
        let mut mutated = cose.to_vec();
        for i in 0..cose.len().min(mutate) {
            for flip in [0x01u8, 0x02, 0x20, 0x80] {
                mutated[i] ^= flip;
                self.compare(verifier, &mutated, &|| {
                    format!("{name}: byte {i} ^ {flip:#04x}")
                });
                mutated[i] ^= flip;
            }
            self.compare(verifier, &cose[..i], &|| format!("{name}: cut at {i}"));
        }
    }
}

#[test]
fn agrees_with_coset_on_fixtures_and_their_mutations() {
    let verifier = Verifier::new(TrustStore::new());
    let (mut messages, mut usable, mut tally) = (0, 0, Tally::default());
    for entry in std::fs::read_dir(common::fixture("passes"))
        .unwrap()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let Ok(cose) = common::cose_from_qr(std::fs::read_to_string(&path).unwrap().trim_end())
        else {
            continue;
        };
        messages += 1;
        usable += usize::from(coset_view(&cose).is_ok_and(|u| u.is_some()));
        let name = path.display().to_string();
        tally.with_mutations(&verifier, &name, &cose, cose.len());
    }
    eprintln!(
        "fixtures: {messages} messages ({usable} usable), {} comparisons, {} left out",
        tally.compared, tally.unregistered
    );
    assert!(
        messages >= 40 && usable >= 25,
        "{messages} messages, {usable} usable"
    );
    assert!(
        tally.compared > 1000 * messages,
        "{} comparisons",
        tally.compared
    );
}

#[test]
fn agrees_with_coset_on_the_conformance_corpus() {
    let Some(root) = common::shared_dir("dgc-testdata") else {
        return;
    };
    let verifier = Verifier::new(TrustStore::new());
    let (mut messages, mut usable, mut tally) = (0, 0, Tally::default());
    for path in common::dgc_raw_files(&root) {
        let case: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let Some(hex) = case["COSE"].as_str().filter(|h| h.len() % 2 == 0) else {
            continue;
        };
        let cose = common::hex_decode(hex);
        messages += 1;
        usable += usize::from(coset_view(&cose).is_ok_and(|u| u.is_some()));
        // The structure and headers sit in the first bytes; the rest is payload and signature.
        let name = path.display().to_string();
        tally.with_mutations(&verifier, &name, &cose, 48);
    }
    eprintln!(
        "dgc-testdata: {messages} messages ({usable} usable), {} comparisons, {} left out",
        tally.compared, tally.unregistered
    );
    assert!(
        messages >= 300 && usable >= 250,
        "{messages} messages, {usable} usable"
    );
    assert!(
        tally.compared > 200 * messages,
        "{} comparisons",
        tally.compared
    );
}
