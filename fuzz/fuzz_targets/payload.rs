//! Arbitrary CWT payload bytes (the CBOR claims with the hcert JSON inside), wrapped in a
//! COSE_Sign1 whose signature no key verifies: the claims, expiry, schema/shape and revocation
//! checks all run (they run whether or not the signature verified). Must never panic, and an
//! unverified payload must never be `valid`.
#![no_main]

use std::sync::OnceLock;

use dcc_verifier::revocation::HashType;
use dcc_verifier::{Check, Status, Verifier};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

static VERIFIER: OnceLock<Verifier> = OnceLock::new();

/// The fixture verifier plus a one-hash blocklist covering every hash type, so that the
/// revocation lookup runs on each decoded payload.
fn verifier() -> Verifier {
    let store = common::one_hash_revocation([
        HashType::Uci,
        HashType::CountryCodeUci,
        HashType::Signature,
        HashType::FrDcc,
    ]);
    common::verifier().with_revocation(store)
}

/// CBOR byte string header for `len` bytes (major type 2).
fn bstr_header(len: usize, out: &mut Vec<u8>) {
    match len {
        0..=23 => out.push(0x40 | len as u8),
        24..=0xff => out.extend([0x58, len as u8]),
        0x100..=0xffff => {
            out.push(0x59);
            out.extend((len as u16).to_be_bytes());
        }
        _ => {
            out.push(0x5a);
            out.extend((len as u32).to_be_bytes());
        }
    }
}

/// `18([<<{1: -7}>>, {4: h'00'}, payload, 64 zero bytes])`: ES256 with an untrusted kid.
fn sign1(payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa1, 0x04, 0x41, 0x00];
    bstr_header(payload.len(), &mut out);
    out.extend_from_slice(payload);
    out.extend([0x58, 64]);
    out.extend([0u8; 64]);
    out
}

fuzz_target!(|data: &[u8]| {
    let verifier = VERIFIER.get_or_init(verifier);
    let report = verifier.verify_cose(&sign1(data), common::NOW);
    assert!(!report.is_valid());
    assert!(report.verified().is_none());
    assert_ne!(report.status(Check::Signature), Status::Pass);
    // The schema check runs exactly when the claims decoded.
    let claims_ok = report.status(Check::Payload) == Status::Pass;
    assert_eq!(claims_ok, report.status(Check::Schema) != Status::Skipped);
});
