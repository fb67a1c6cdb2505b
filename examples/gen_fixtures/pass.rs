//! The HC1 pipeline, written out step by step: DCC payload -> CWT claims -> COSE_Sign1 ->
//! zlib -> base45 -> `HC1:` text. Each step is a separate function so that a case can break
//! exactly one of them.

use crate::base45;
use crate::cbor::Cbor;
use crate::signers::{Date, Signer};

/// `iat` of every pass unless a case says otherwise.
pub(crate) const IAT: Date = (2021, 6, 1);
/// `exp` of every pass unless a case says otherwise.
pub(crate) const EXP: Date = (2022, 6, 1);
/// The verification time of the manifest.
pub(crate) const AT: Date = (2021, 9, 1);

/// COSE algorithm identifiers (RFC 9053).
pub(crate) const ALG_ES256: i64 = -7;
pub(crate) const ALG_PS256: i64 = -37;
pub(crate) const ALG_ES384: i64 = -35;

/// COSE header labels (RFC 9052 §3.1).
pub(crate) const HEADER_ALG: i64 = 1;
pub(crate) const HEADER_KID: i64 = 4;

/// CWT claim keys (RFC 8392) and the hcert claim (hcert spec §2.6.3).
pub(crate) const CLAIM_ISS: i64 = 1;
pub(crate) const CLAIM_EXP: i64 = 4;
pub(crate) const CLAIM_IAT: i64 = 6;
pub(crate) const CLAIM_HCERT: i64 = -260;

/// CBOR tags: COSE_Sign1 (RFC 9052) and CWT (RFC 8392).
pub(crate) const TAG_COSE_SIGN1: u64 = 18;
pub(crate) const TAG_CWT: u64 = 61;

/// Seconds since the epoch of midnight UTC on a civil date (H. Hinnant's days_from_civil).
pub(crate) fn unix((year, month, day): Date) -> i64 {
    let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// `YYYY-MM-DDT00:00:00Z`.
pub(crate) fn rfc3339((year, month, day): Date) -> String {
    format!("{year:04}-{month:02}-{day:02}T00:00:00Z")
}

/// A NumericDate as a CBOR integer.
pub(crate) fn time(date: Date) -> Cbor {
    Cbor::int(unix(date))
}

/// A UVCI unique to the case, e.g. `URN:UVCI:01:XX:VALID/ES256/TEST`.
pub(crate) fn uvci(case: &str) -> String {
    format!("URN:UVCI:01:XX:{}", case.to_uppercase().replace('-', "/"))
}

/// The person: synthetic names and a fixed date of birth.
pub(crate) fn name() -> Cbor {
    Cbor::text_map(vec![
        ("fn", Cbor::text("Testperson")),
        ("fnt", Cbor::text("TESTPERSON")),
        ("gn", Cbor::text("Erika")),
        ("gnt", Cbor::text("ERIKA")),
    ])
}

/// A DCC (schema 1.3.0) with one group (`v`, `t` or `r`) holding `entries`.
pub(crate) fn dcc_with(nam: Cbor, group: &str, entries: Vec<Cbor>) -> Cbor {
    Cbor::text_map(vec![
        ("ver", Cbor::text("1.3.0")),
        ("nam", nam),
        ("dob", Cbor::text("1990-01-01")),
        (group, Cbor::Array(entries)),
    ])
}

/// A vaccination entry: dose `dn` of 2 of Comirnaty.
pub(crate) fn vaccination_entry(case: &str, dn: i64) -> Cbor {
    Cbor::text_map(vec![
        ("tg", Cbor::text("840539006")),
        ("vp", Cbor::text("1119349007")),
        ("mp", Cbor::text("EU/1/20/1528")),
        ("ma", Cbor::text("ORG-100030215")),
        ("dn", Cbor::int(dn)),
        ("sd", Cbor::int(2)),
        ("dt", Cbor::text("2021-05-20")),
        ("co", Cbor::text("XX")),
        ("is", Cbor::text("Test Issuer XX")),
        ("ci", Cbor::Text(uvci(case))),
    ])
}

/// A vaccination DCC.
pub(crate) fn vaccination(case: &str) -> Cbor {
    dcc_with(name(), "v", vec![vaccination_entry(case, 2)])
}

/// A negative NAA (PCR) test DCC.
pub(crate) fn test(case: &str) -> Cbor {
    let entry = Cbor::text_map(vec![
        ("tg", Cbor::text("840539006")),
        ("tt", Cbor::text("LP6464-4")),
        ("nm", Cbor::text("Roche LightCycler qPCR")),
        ("sc", Cbor::text("2021-05-31T08:00:00Z")),
        ("tr", Cbor::text("260415000")),
        ("tc", Cbor::text("Test Centre XX")),
        ("co", Cbor::text("XX")),
        ("is", Cbor::text("Test Issuer XX")),
        ("ci", Cbor::Text(uvci(case))),
    ]);
    dcc_with(name(), "t", vec![entry])
}

/// A recovery DCC, valid 2021-05-01..2021-10-31.
pub(crate) fn recovery(case: &str) -> Cbor {
    let entry = Cbor::text_map(vec![
        ("tg", Cbor::text("840539006")),
        ("fr", Cbor::text("2021-04-10")),
        ("co", Cbor::text("XX")),
        ("is", Cbor::text("Test Issuer XX")),
        ("df", Cbor::text("2021-05-01")),
        ("du", Cbor::text("2021-10-31")),
        ("ci", Cbor::Text(uvci(case))),
    ]);
    dcc_with(name(), "r", vec![entry])
}

/// The CWT claims set: `{1: iss, 4: exp, 6: iat, -260: {1: dcc}}`, with either time left out
/// when `None`.
pub(crate) fn claims(iat: Option<Cbor>, exp: Option<Cbor>, dcc: Cbor) -> Cbor {
    let mut entries = vec![(CLAIM_ISS, Cbor::text("XX"))];
    if let Some(exp) = exp {
        entries.push((CLAIM_EXP, exp));
    }
    if let Some(iat) = iat {
        entries.push((CLAIM_IAT, iat));
    }
    entries.push((CLAIM_HCERT, hcert_claim(dcc)));
    Cbor::int_map(entries)
}

/// The hcert claim's value: `{1: dcc}` (1 = EU DCC v1).
pub(crate) fn hcert_claim(dcc: Cbor) -> Cbor {
    Cbor::int_map(vec![(1, dcc)])
}

/// The usual claims: `iat` 2021-06-01, `exp` 2022-06-01.
pub(crate) fn standard_claims(dcc: Cbor) -> Vec<u8> {
    claims(Some(time(IAT)), Some(time(EXP)), dcc).encode()
}

/// The COSE algorithm of a signer's key type.
pub(crate) fn alg_of(signer: &Signer) -> i64 {
    if signer.spec.rsa {
        ALG_PS256
    } else {
        ALG_ES256
    }
}

/// A COSE_Sign1 before signing: its headers (integer labels) and the payload.
pub(crate) struct Message {
    pub(crate) protected: Vec<(i64, Cbor)>,
    pub(crate) unprotected: Vec<(i64, Cbor)>,
    pub(crate) payload: Vec<u8>,
}

impl Message {
    /// The usual headers: protected `{1: alg, 4: kid}` for the signer, unprotected `{}`.
    pub(crate) fn new(signer: &Signer, payload: Vec<u8>) -> Self {
        Self {
            protected: vec![
                (HEADER_ALG, Cbor::int(alg_of(signer))),
                (HEADER_KID, Cbor::Bytes(signer.kid.clone())),
            ],
            unprotected: Vec::new(),
            payload,
        }
    }

    /// Signs with `signer`'s key, whatever the headers say. `label` seeds the PSS salt.
    pub(crate) fn sign(&self, signer: &Signer, label: &str) -> Sign1 {
        let protected = Cbor::int_map(self.protected.clone()).encode();
        let signature = signer
            .key
            .sign_cose(&sig_structure(&protected, &self.payload), label);
        Sign1 {
            protected,
            unprotected: Cbor::int_map(self.unprotected.clone()),
            payload: Cbor::Bytes(self.payload.clone()),
            signature,
        }
    }
}

/// `Sig_structure = ["Signature1", protected, external_aad = h'', payload]` (RFC 9052 §4.4).
pub(crate) fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    Cbor::Array(vec![
        Cbor::text("Signature1"),
        Cbor::Bytes(protected.to_vec()),
        Cbor::Bytes(Vec::new()),
        Cbor::Bytes(payload.to_vec()),
    ])
    .encode()
}

/// A signed COSE_Sign1, whose parts a case may still alter.
pub(crate) struct Sign1 {
    pub(crate) protected: Vec<u8>,
    pub(crate) unprotected: Cbor,
    pub(crate) payload: Cbor,
    pub(crate) signature: Vec<u8>,
}

impl Sign1 {
    /// `[protected, unprotected, payload, signature]`, without a tag.
    pub(crate) fn untagged(&self) -> Cbor {
        Cbor::Array(vec![
            Cbor::Bytes(self.protected.clone()),
            self.unprotected.clone(),
            self.payload.clone(),
            Cbor::Bytes(self.signature.clone()),
        ])
    }

    /// The usual form: tag 18.
    pub(crate) fn tagged(&self) -> Cbor {
        Cbor::Tag(TAG_COSE_SIGN1, Box::new(self.untagged()))
    }

    /// The encoded tagged message.
    pub(crate) fn encode(&self) -> Vec<u8> {
        self.tagged().encode()
    }
}

/// zlib at the best compression level (deterministic for a given miniz_oxide version).
pub(crate) fn zlib(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 9)
}

/// `HC1:` + base45(zlib(cose)).
pub(crate) fn hc1(cose: &[u8]) -> String {
    format!("HC1:{}", base45::encode(&zlib(cose)))
}
