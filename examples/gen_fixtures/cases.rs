//! The signed passes: one function call per case, each changing one thing from a valid pass,
//! and the verdict the verifier must reach for it at 2021-09-01T00:00:00Z.

use crate::cbor::Cbor;
use crate::pass::{self, Message, HEADER_ALG, HEADER_KID};
use crate::signers::{self, Signer};

/// The checks a report names, in pipeline order (`Check::name` in src/error.rs). Revocation is
/// left out of the manifest: the fixtures carry no revocation data, so it is always skipped
/// here (tests/revocation_e2e.rs builds revocation data from these passes).
pub(crate) const CHECKS: [&str; 10] = [
    "prefix",
    "base45",
    "decompress",
    "cose",
    "payload",
    "signature",
    "key_usage",
    "signer_validity",
    "expiry",
    "schema",
];

/// What the verifier must conclude.
pub(crate) enum Expect {
    /// Every check from `prefix` to `schema` passes.
    Valid,
    /// `check` fails with `reason` (a `Reason::code`), and every earlier check passes except
    /// those in `unsure`, which the manifest leaves out.
    Invalid {
        check: &'static str,
        reason: &'static str,
        unsure: &'static [&'static str],
    },
}

/// One pass file.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) text: String,
    pub(crate) expect: Expect,
    pub(crate) about: &'static str,
}

fn invalid(check: &'static str, reason: &'static str) -> Expect {
    Expect::Invalid {
        check,
        reason,
        unsure: &[],
    }
}

/// Builds every case, in manifest order.
pub(crate) fn all(signers: &[Signer]) -> Vec<Case> {
    let s = |name: &str| signers::by_name(signers, name);
    let es256 = s("es256");
    let rogue = s("rogue");
    let mut cases = Vec::new();
    let mut add = |name: &'static str, text: String, expect: Expect, about: &'static str| {
        cases.push(Case {
            name,
            text,
            expect,
            about,
        });
    };

    // --- Valid passes -------------------------------------------------------------------
    let n = "valid-es256-vaccination";
    add(
        n,
        standard(es256, n, pass::vaccination(n)),
        Expect::Valid,
        "vaccination, ES256",
    );
    let n = "valid-es256-test";
    add(
        n,
        standard(es256, n, pass::test(n)),
        Expect::Valid,
        "negative PCR test, ES256",
    );
    let n = "valid-es256-recovery";
    add(
        n,
        standard(es256, n, pass::recovery(n)),
        Expect::Valid,
        "recovery, ES256",
    );
    let n = "valid-ps256";
    add(
        n,
        standard(s("ps256"), n, pass::vaccination(n)),
        Expect::Valid,
        "vaccination, PS256 (RSA-2048)",
    );
    let n = "valid-test-by-test-only";
    add(
        n,
        standard(s("es256-test-only"), n, pass::test(n)),
        Expect::Valid,
        "test signed by a signer whose extended key usage allows tests only",
    );
    let n = "key-usage-0variant";
    add(
        n,
        standard(s("es256-vacc-0variant"), n, pass::vaccination(n)),
        Expect::Valid,
        "vaccination signed by a signer whose EKU uses the 1.3.6.1.4.1.0.1847.2021.1.2 spelling",
    );
    let n = "untagged-cose";
    let sign1 = Message::new(es256, pass::standard_claims(pass::vaccination(n))).sign(es256, n);
    add(
        n,
        pass::hc1(&sign1.untagged().encode()),
        Expect::Valid,
        "COSE_Sign1 without tag 18",
    );
    let n = "cwt-tag-61";
    let sign1 = Message::new(es256, pass::standard_claims(pass::vaccination(n))).sign(es256, n);
    let cwt = Cbor::Tag(pass::TAG_CWT, Box::new(sign1.tagged()));
    add(
        n,
        pass::hc1(&cwt.encode()),
        Expect::Valid,
        "CWT tag 61 around COSE_Sign1 tag 18",
    );
    let n = "float-timestamps";
    let times = |date| Some(Cbor::F64(pass::unix(date) as f64));
    let claims = pass::claims(times(pass::IAT), times(pass::EXP), pass::vaccination(n)).encode();
    add(
        n,
        sign(es256, n, claims),
        Expect::Valid,
        "iat and exp as 64-bit CBOR floats",
    );

    // --- Where the kid and alg are ------------------------------------------------------
    let n = "kid-unprotected-only";
    let mut message = Message::new(es256, pass::standard_claims(pass::vaccination(n)));
    message.protected.retain(|(label, _)| *label != HEADER_KID);
    message
        .unprotected
        .push((HEADER_KID, Cbor::Bytes(es256.kid.clone())));
    add(
        n,
        pass::hc1(&message.sign(es256, n).encode()),
        Expect::Valid,
        "kid in the unprotected header only",
    );
    let n = "kid-protected-wins";
    let mut message = Message::new(es256, pass::standard_claims(pass::vaccination(n)));
    message
        .unprotected
        .push((HEADER_KID, Cbor::Bytes(rogue.kid.clone())));
    add(
        n,
        pass::hc1(&message.sign(es256, n).encode()),
        Expect::Valid,
        "right kid in the protected header, an unknown kid in the unprotected one",
    );
    let n = "colliding-kid-first-key";
    add(
        n,
        standard(s("es256-collide-a"), n, pass::vaccination(n)),
        Expect::Valid,
        "signed by es256-collide-a, whose kid es256-collide-b shares",
    );
    let n = "colliding-kid-second-key";
    add(
        n,
        standard(s("es256-collide-b"), n, pass::vaccination(n)),
        Expect::Valid,
        "signed by es256-collide-b, listed second under the shared kid: every key must be tried",
    );
    let n = "wrong-protected-kid";
    add(
        n,
        standard(rogue, n, pass::vaccination(n)),
        invalid("signature", "unknown_signer"),
        "signed by a key in no trust list, under its own kid",
    );
    let n = "colliding-kid-no-key-verifies";
    let mut message = Message::new(rogue, pass::standard_claims(pass::vaccination(n)));
    message.protected = protected(pass::ALG_ES256, &s("es256-collide-a").kid);
    add(
        n,
        pass::hc1(&message.sign(rogue, n).encode()),
        invalid("signature", "signature_invalid"),
        "signed by an untrusted key under the shared kid: neither listed key verifies",
    );
    let n = "kid-missing";
    let mut message = Message::new(es256, pass::standard_claims(pass::vaccination(n)));
    message.protected.retain(|(label, _)| *label != HEADER_KID);
    add(
        n,
        pass::hc1(&message.sign(es256, n).encode()),
        invalid("cose", "cose_malformed"),
        "no kid in either header",
    );
    let n = "alg-unprotected-only";
    let mut message = Message::new(es256, pass::standard_claims(pass::vaccination(n)));
    message.protected.retain(|(label, _)| *label != HEADER_ALG);
    message
        .unprotected
        .push((HEADER_ALG, Cbor::int(pass::ALG_ES256)));
    add(
        n,
        pass::hc1(&message.sign(es256, n).encode()),
        invalid("cose", "unsupported_algorithm"),
        "ES256 named in the unprotected header only, where the signature does not cover it",
    );
    let n = "alg-es384";
    let mut message = Message::new(es256, pass::standard_claims(pass::vaccination(n)));
    message.protected = protected(pass::ALG_ES384, &es256.kid);
    add(
        n,
        pass::hc1(&message.sign(es256, n).encode()),
        invalid("cose", "unsupported_algorithm"),
        "protected alg ES384 (-35), which DCCs do not use (signed with the ES256 key)",
    );
    let n = "alg-mismatch";
    let mut message = Message::new(es256, pass::standard_claims(pass::vaccination(n)));
    message.protected = protected(pass::ALG_PS256, &es256.kid);
    add(
        n,
        pass::hc1(&message.sign(es256, n).encode()),
        invalid("signature", "algorithm_key_mismatch"),
        "protected alg PS256 with the kid of the EC signer es256 (ES256 signature)",
    );

    // --- Signatures ---------------------------------------------------------------------
    let n = "es256-signature-63-bytes";
    let mut sign1 = Message::new(es256, pass::standard_claims(pass::vaccination(n))).sign(es256, n);
    sign1.signature.truncate(63);
    add(
        n,
        pass::hc1(&sign1.encode()),
        invalid("signature", "signature_malformed"),
        "ES256 signature cut to 63 bytes",
    );
    let n = "ps256-signature-255-bytes";
    let ps256 = s("ps256");
    let mut sign1 = Message::new(ps256, pass::standard_claims(pass::vaccination(n))).sign(ps256, n);
    sign1.signature.truncate(255);
    add(
        n,
        pass::hc1(&sign1.encode()),
        invalid("signature", "signature_malformed"),
        "PS256 signature cut to 255 bytes (the RSA-2048 modulus is 256)",
    );
    let n = "bad-signature";
    let mut sign1 = Message::new(es256, pass::standard_claims(pass::vaccination(n))).sign(es256, n);
    *sign1.signature.last_mut().expect("non-empty signature") ^= 0x01;
    add(
        n,
        pass::hc1(&sign1.encode()),
        invalid("signature", "signature_invalid"),
        "one bit of the ES256 signature flipped",
    );
    let n = "ps256-bad-signature";
    let mut sign1 = Message::new(ps256, pass::standard_claims(pass::vaccination(n))).sign(ps256, n);
    *sign1.signature.last_mut().expect("non-empty signature") ^= 0x01;
    add(
        n,
        pass::hc1(&sign1.encode()),
        invalid("signature", "signature_invalid"),
        "one bit of the PS256 signature flipped",
    );
    let n = "tampered-payload";
    let mut sign1 = Message::new(es256, pass::standard_claims(pass::vaccination(n))).sign(es256, n);
    let forged = pass::dcc_with(pass::name(), "v", vec![pass::vaccination_entry(n, 3)]);
    sign1.payload = Cbor::Bytes(pass::standard_claims(forged));
    add(
        n,
        pass::hc1(&sign1.encode()),
        invalid("signature", "signature_invalid"),
        "payload changed after signing (dose 2 became 3)",
    );

    // --- Signer certificate: key usage and validity -------------------------------------
    let n = "key-usage-mismatch";
    add(
        n,
        standard(s("es256-test-only"), n, pass::vaccination(n)),
        invalid("key_usage", "key_usage_mismatch"),
        "vaccination signed by a signer allowed to sign tests only",
    );
    let n = "signer-expired";
    add(
        n,
        standard(s("es256-short"), n, pass::vaccination(n)),
        invalid("signer_validity", "signer_expired"),
        "signer valid until 2021-07-01, pass valid until 2022-06-01 and checked 2021-09-01",
    );
    let n = "signer-not-yet-valid";
    add(
        n,
        standard(s("es256-late"), n, pass::vaccination(n)),
        invalid("signer_validity", "signer_not_yet_valid"),
        "signer valid from 2021-07-01, pass issued 2021-06-01",
    );

    // --- Time ---------------------------------------------------------------------------
    let n = "expired";
    let claims = pass::claims(
        Some(pass::time(pass::IAT)),
        Some(pass::time((2021, 8, 1))),
        pass::vaccination(n),
    );
    add(
        n,
        sign(es256, n, claims.encode()),
        invalid("expiry", "expired"),
        "exp 2021-08-01, a month before the check",
    );
    let n = "issued-in-future";
    let claims = pass::claims(
        Some(pass::time((2021, 10, 1))),
        Some(pass::time(pass::EXP)),
        pass::vaccination(n),
    );
    add(
        n,
        sign(es256, n, claims.encode()),
        invalid("expiry", "issued_in_future"),
        "iat 2021-10-01, a month after the check",
    );
    let n = "missing-exp";
    let claims = pass::claims(Some(pass::time(pass::IAT)), None, pass::vaccination(n));
    add(
        n,
        sign(es256, n, claims.encode()),
        // Whether signer validity passes or is skipped without an exp is the verifier's call.
        Expect::Invalid {
            check: "expiry",
            reason: "expired",
            unsure: &["signer_validity"],
        },
        "no exp claim: a pass without an end of validity is not accepted",
    );

    // --- Schema -------------------------------------------------------------------------
    let n = "schema-invalid";
    let nam = Cbor::text_map(vec![
        ("fn", Cbor::text("Testperson")),
        ("gnt", Cbor::text("ERIKA")),
    ]);
    let dcc = pass::dcc_with(nam, "v", vec![pass::vaccination_entry(n, 2)]);
    add(
        n,
        standard(es256, n, dcc),
        invalid("schema", "schema_invalid"),
        "nam without the required fnt",
    );
    let n = "schema-dose-zero";
    let dcc = pass::dcc_with(pass::name(), "v", vec![pass::vaccination_entry(n, 0)]);
    add(
        n,
        standard(es256, n, dcc),
        invalid("schema", "schema_invalid"),
        "dn = 0 (the schema's minimum is 1)",
    );
    let n = "multiple-entries";
    let dcc = pass::dcc_with(
        pass::name(),
        "v",
        vec![pass::vaccination_entry(n, 1), pass::vaccination_entry(n, 2)],
    );
    add(
        n,
        standard(es256, n, dcc),
        invalid("schema", "schema_invalid"),
        "two v entries (the schema allows exactly one)",
    );

    // --- The QR text layers: prefix, base45, zlib ---------------------------------------
    let valid = standard(
        es256,
        "valid-es256-vaccination",
        pass::vaccination("valid-es256-vaccination"),
    );
    let body = valid.strip_prefix("HC1:").expect("HC1 prefix").to_owned();
    add(
        "missing-prefix",
        body.clone(),
        invalid("prefix", "missing_prefix"),
        "valid-es256-vaccination without HC1:",
    );
    add(
        "other-prefix",
        format!("HC2:{body}"),
        invalid("prefix", "missing_prefix"),
        "valid-es256-vaccination with HC2:",
    );
    add(
        "input-too-large",
        format!("HC1:{}", "0".repeat(5_000)),
        invalid("prefix", "input_too_large"),
        "5,004 characters: more than a version 40 QR code holds (4,296)",
    );
    let mut chars: Vec<char> = body.chars().collect();
    let first = chars[0];
    chars[0] = if first.is_ascii_uppercase() {
        first.to_ascii_lowercase()
    } else {
        'a'
    };
    let lowered: String = chars.into_iter().collect();
    add(
        "base45-invalid",
        format!("HC1:{lowered}"),
        invalid("base45", "base45_invalid"),
        "a lowercase letter, outside the base45 alphabet",
    );
    let n = "not-compressed";
    let cose = Message::new(es256, pass::standard_claims(pass::vaccination(n)))
        .sign(es256, n)
        .encode();
    add(
        n,
        format!("HC1:{}", crate::base45::encode(&cose)),
        invalid("decompress", "decompress_failed"),
        "a valid COSE_Sign1 base45-encoded without zlib",
    );
    add(
        "zip-bomb",
        format!(
            "HC1:{}",
            crate::base45::encode(&pass::zlib(&vec![0; 1 << 20]))
        ),
        invalid("decompress", "decompressed_too_large"),
        "a zlib stream of 1 MiB of zeros (the bound is 64 KiB)",
    );

    // --- COSE structure ------------------------------------------------------------------
    let n = "trailing-bytes";
    let mut cose = Message::new(es256, pass::standard_claims(pass::vaccination(n)))
        .sign(es256, n)
        .encode();
    cose.push(0x00);
    add(
        n,
        pass::hc1(&cose),
        invalid("cose", "cbor_malformed"),
        "a valid COSE_Sign1 followed by one more CBOR item (0)",
    );
    let n = "truncated-cose";
    let mut cose = Message::new(es256, pass::standard_claims(pass::vaccination(n)))
        .sign(es256, n)
        .encode();
    cose.truncate(cose.len() - 10);
    add(
        n,
        pass::hc1(&cose),
        invalid("cose", "cbor_malformed"),
        "a COSE_Sign1 missing its last 10 bytes",
    );
    let n = "wrong-cose-tag";
    let sign1 = Message::new(es256, pass::standard_claims(pass::vaccination(n))).sign(es256, n);
    let cose = Cbor::Tag(98, Box::new(sign1.untagged())).encode();
    add(
        n,
        pass::hc1(&cose),
        invalid("cose", "cose_malformed"),
        "the COSE_Sign1 array under tag 98 (COSE_Sign)",
    );
    let n = "payload-nil";
    let mut sign1 = Message::new(es256, Vec::new()).sign(es256, n);
    sign1.payload = Cbor::Null;
    add(
        n,
        pass::hc1(&sign1.encode()),
        invalid("cose", "cose_malformed"),
        "payload nil (detached), which a DCC cannot be",
    );

    // --- CWT claims -----------------------------------------------------------------------
    let n = "duplicate-claim-key";
    let claims = Cbor::int_map(vec![
        (pass::CLAIM_ISS, Cbor::text("XX")),
        (pass::CLAIM_EXP, pass::time(pass::EXP)),
        (pass::CLAIM_IAT, pass::time(pass::IAT)),
        (pass::CLAIM_EXP, pass::time((2021, 8, 1))),
        (pass::CLAIM_HCERT, pass::hcert_claim(pass::vaccination(n))),
    ]);
    add(
        n,
        sign(es256, n, claims.encode()),
        invalid("payload", "cbor_malformed"),
        "claims map with key 4 (exp) twice, 2022-06-01 then 2021-08-01",
    );
    let n = "deep-cbor";
    let deep = (0..100).fold(Cbor::Array(Vec::new()), |inner, _| Cbor::Array(vec![inner]));
    let claims = pass::claims(
        Some(pass::time(pass::IAT)),
        Some(pass::time(pass::EXP)),
        deep,
    );
    add(
        n,
        sign(es256, n, claims.encode()),
        invalid("payload", "cbor_limit_exceeded"),
        "the hcert payload is 100 nested arrays",
    );
    let n = "huge-exp";
    let claims = pass::claims(
        Some(pass::time(pass::IAT)),
        Some(Cbor::Uint(u64::MAX)),
        pass::vaccination(n),
    );
    add(
        n,
        sign(es256, n, claims.encode()),
        invalid("payload", "payload_malformed"),
        "exp = 2^64 - 1, beyond any signed 64-bit time",
    );
    let n = "missing-hcert";
    let claims = Cbor::int_map(vec![
        (pass::CLAIM_ISS, Cbor::text("XX")),
        (pass::CLAIM_EXP, pass::time(pass::EXP)),
        (pass::CLAIM_IAT, pass::time(pass::IAT)),
    ]);
    add(
        n,
        sign(es256, n, claims.encode()),
        invalid("payload", "payload_malformed"),
        "claims without -260",
    );

    cases
}

/// Protected header `{1: alg, 4: kid}`.
fn protected(alg: i64, kid: &[u8]) -> Vec<(i64, Cbor)> {
    vec![
        (HEADER_ALG, Cbor::int(alg)),
        (HEADER_KID, Cbor::Bytes(kid.to_vec())),
    ]
}

/// The usual pass: standard claims around `dcc`, usual headers, signed by `signer`.
fn standard(signer: &Signer, case: &str, dcc: Cbor) -> String {
    sign(signer, case, pass::standard_claims(dcc))
}

/// The usual headers and pipeline around an already-encoded claims set.
fn sign(signer: &Signer, case: &str, claims: Vec<u8>) -> String {
    pass::hc1(&Message::new(signer, claims).sign(signer, case).encode())
}
