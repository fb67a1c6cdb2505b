//! Test signers: deterministic keys and their self-signed X.509 Document Signer Certificates.

use p256::ecdsa::signature::Signer as _;
use rand_chacha::rand_core::SeedableRng as _;
use rand_chacha::ChaCha20Rng;
use rsa::pkcs8::EncodePrivateKey as _;
use rsa::traits::PublicKeyParts as _;
use sha2::{Digest as _, Sha256};

use crate::der;

const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_PRIME256V1: &str = "1.2.840.10045.3.1.7";
const OID_ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_COUNTRY: &str = "2.5.4.6";
const OID_COMMON_NAME: &str = "2.5.4.3";
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";

/// DCC extended key usage OIDs (hcert spec §5.1.1): test, vaccination, recovery.
pub(crate) const EKU_TEST: &str = "1.3.6.1.4.1.1847.2021.1.1";
pub(crate) const EKU_VACCINATION_0_VARIANT: &str = "1.3.6.1.4.1.0.1847.2021.1.2";

/// A civil date, midnight UTC.
pub(crate) type Date = (u32, u32, u32);

/// What a signer's certificate says.
pub(crate) struct SignerSpec {
    pub(crate) name: &'static str,
    pub(crate) rsa: bool,
    pub(crate) not_before: Date,
    pub(crate) not_after: Date,
    pub(crate) eku: &'static [&'static str],
    /// In the trust list (false: a key nobody trusts).
    pub(crate) trusted: bool,
    /// Listed under another signer's kid instead of its own.
    pub(crate) kid_of: Option<&'static str>,
    pub(crate) about: &'static str,
}

const DEFAULT_FROM: Date = (2021, 1, 1);
const DEFAULT_UNTIL: Date = (2031, 1, 1);

/// Every signer, in trust-list order.
pub(crate) const SPECS: &[SignerSpec] = &[
    SignerSpec {
        name: "es256",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[],
        trusted: true,
        kid_of: None,
        about: "EC P-256, no extended key usage (may sign every type)",
    },
    SignerSpec {
        name: "ps256",
        rsa: true,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[],
        trusted: true,
        kid_of: None,
        about: "RSA-2048 (PS256 passes), no extended key usage",
    },
    SignerSpec {
        name: "es256-test-only",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[EKU_TEST],
        trusted: true,
        kid_of: None,
        about: "EC P-256, extended key usage: test only (1.3.6.1.4.1.1847.2021.1.1)",
    },
    SignerSpec {
        name: "es256-vacc-0variant",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[EKU_VACCINATION_0_VARIANT],
        trusted: true,
        kid_of: None,
        about: "EC P-256, extended key usage: vaccination, spelled 1.3.6.1.4.1.0.1847.2021.1.2",
    },
    SignerSpec {
        name: "es256-short",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: (2021, 7, 1),
        eku: &[],
        trusted: true,
        kid_of: None,
        about: "EC P-256, valid 2021-01-01..2021-07-01 only (expires before the passes do)",
    },
    SignerSpec {
        name: "es256-late",
        rsa: false,
        not_before: (2021, 7, 1),
        not_after: DEFAULT_UNTIL,
        eku: &[],
        trusted: true,
        kid_of: None,
        about: "EC P-256, valid from 2021-07-01 only (after the passes' iat 2021-06-01)",
    },
    SignerSpec {
        name: "es256-collide-a",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[],
        trusted: true,
        kid_of: None,
        about: "EC P-256, listed under its own kid, which es256-collide-b shares",
    },
    SignerSpec {
        name: "es256-collide-b",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[],
        trusted: true,
        kid_of: Some("es256-collide-a"),
        about: "EC P-256, a different key listed under es256-collide-a's kid (trustlist.json only)",
    },
    SignerSpec {
        name: "rogue",
        rsa: false,
        not_before: DEFAULT_FROM,
        not_after: DEFAULT_UNTIL,
        eku: &[],
        trusted: false,
        kid_of: None,
        about: "EC P-256, in no trust list: an attacker's key",
    },
];

/// A private key.
pub(crate) enum Key {
    Ec(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::RsaPrivateKey>),
}

/// A signer with its key and certificate.
pub(crate) struct Signer {
    pub(crate) spec: &'static SignerSpec,
    pub(crate) key: Key,
    pub(crate) cert_der: Vec<u8>,
    /// The kid this signer is listed under (and signs with).
    pub(crate) kid: Vec<u8>,
}

/// The standard DCC kid: the first 8 bytes of the SHA-256 of the certificate (hcert spec §3.3.1).
pub(crate) fn kid_of_cert(cert_der: &[u8]) -> Vec<u8> {
    Sha256::digest(cert_der)[..8].to_vec()
}

fn seed(label: &str) -> [u8; 32] {
    Sha256::digest(format!("dcc-verifier fixtures: {label}")).into()
}

impl Key {
    fn derive(spec: &SignerSpec) -> Self {
        if spec.rsa {
            let mut rng = ChaCha20Rng::from_seed(seed(&format!("RSA-2048 key {}", spec.name)));
            let key = rsa::RsaPrivateKey::new(&mut rng, 2048).expect("RSA key generation");
            Self::Rsa(Box::new(key))
        } else {
            let scalar = seed(&format!("P-256 key {}", spec.name));
            let key = p256::ecdsa::SigningKey::from_bytes(&scalar.into())
                .expect("a SHA-256 output is a valid P-256 scalar (with overwhelming probability)");
            Self::Ec(key)
        }
    }

    /// Uncompressed SEC1 point or PKCS#1 RSAPublicKey, wrapped as SubjectPublicKeyInfo.
    fn spki(&self) -> Vec<u8> {
        match self {
            Self::Ec(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                der::seq(&[
                    der::seq(&[der::oid(OID_EC_PUBLIC_KEY), der::oid(OID_PRIME256V1)]),
                    der::bit_string(point.as_bytes()),
                ])
            }
            Self::Rsa(key) => {
                let rsa_public_key = der::seq(&[
                    der::uint(&key.n().to_bytes_be()),
                    der::uint(&key.e().to_bytes_be()),
                ]);
                der::seq(&[
                    der::seq(&[der::oid(OID_RSA_ENCRYPTION), der::null()]),
                    der::bit_string(&rsa_public_key),
                ])
            }
        }
    }

    /// PKCS#8 PrivateKeyInfo (RFC 5208; RFC 5915 ECPrivateKey inside for EC).
    pub(crate) fn pkcs8_der(&self) -> Vec<u8> {
        match self {
            Self::Ec(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                let ec_private_key = der::seq(&[
                    der::small_uint(1),
                    der::octet_string(&key.to_bytes()),
                    der::explicit(1, &der::bit_string(point.as_bytes())),
                ]);
                der::seq(&[
                    der::small_uint(0),
                    der::seq(&[der::oid(OID_EC_PUBLIC_KEY), der::oid(OID_PRIME256V1)]),
                    der::octet_string(&ec_private_key),
                ])
            }
            Self::Rsa(key) => key
                .to_pkcs8_der()
                .expect("PKCS#8 encoding")
                .as_bytes()
                .to_vec(),
        }
    }

    fn cert_signature_algorithm(&self) -> Vec<u8> {
        match self {
            Self::Ec(_) => der::seq(&[der::oid(OID_ECDSA_WITH_SHA256)]),
            Self::Rsa(_) => der::seq(&[der::oid(OID_SHA256_WITH_RSA), der::null()]),
        }
    }

    /// An X.509 signature over `tbs`: DER ECDSA-Sig-Value, or RSASSA-PKCS1-v1_5 with SHA-256.
    fn sign_cert(&self, tbs: &[u8]) -> Vec<u8> {
        match self {
            Self::Ec(key) => {
                let sig: p256::ecdsa::Signature = key.sign(tbs);
                let (r, s) = sig.split_bytes();
                der::seq(&[der::uint(&r), der::uint(&s)])
            }
            Self::Rsa(key) => {
                // DigestInfo by hand: the unprefixed PKCS#1 v1.5 mode signs exactly these bytes.
                let digest_info = der::seq(&[
                    der::seq(&[der::oid(OID_SHA256), der::null()]),
                    der::octet_string(&Sha256::digest(tbs)),
                ]);
                key.sign(rsa::Pkcs1v15Sign::new_unprefixed(), &digest_info)
                    .expect("RSA PKCS#1 v1.5 signature")
            }
        }
    }

    /// A COSE signature over the Sig_structure `tbs`, of this key's type whatever the header
    /// says: ES256 as the 64-byte r || s (RFC 6979 nonces), PS256 with a 32-byte salt drawn
    /// from a ChaCha20 stream seeded by `salt_label`.
    pub(crate) fn sign_cose(&self, tbs: &[u8], salt_label: &str) -> Vec<u8> {
        match self {
            Self::Ec(key) => {
                let sig: p256::ecdsa::Signature = key.sign(tbs);
                sig.to_bytes().to_vec()
            }
            Self::Rsa(key) => {
                let mut rng = ChaCha20Rng::from_seed(seed(&format!("PSS salt {salt_label}")));
                let digest = Sha256::digest(tbs);
                key.sign_with_rng(&mut rng, rsa::Pss::new::<Sha256>(), &digest)
                    .expect("RSA PSS signature")
            }
        }
    }
}

/// A name with C=XX and a CN.
fn name(common_name: &str) -> Vec<u8> {
    der::seq(&[
        der::set(&[der::seq(&[
            der::oid(OID_COUNTRY),
            der::printable_string("XX"),
        ])]),
        der::set(&[der::seq(&[
            der::oid(OID_COMMON_NAME),
            der::utf8_string(common_name),
        ])]),
    ])
}

/// A self-signed X.509 v3 certificate (RFC 5280 §4.1).
fn certificate(spec: &SignerSpec, key: &Key) -> Vec<u8> {
    let serial = &Sha256::digest(format!("serial {}", spec.name))[..8];
    let subject = name(&format!("DCC test signer {}", spec.name));
    let (nb, na) = (spec.not_before, spec.not_after);
    let mut tbs = vec![
        der::explicit(0, &der::small_uint(2)),  // v3
        der::uint(&[&[0x01], serial].concat()), // positive, 9 bytes
        key.cert_signature_algorithm(),
        subject.clone(), // issuer: self-signed
        der::seq(&[
            der::utc_time(nb.0, nb.1, nb.2),
            der::utc_time(na.0, na.1, na.2),
        ]),
        subject,
        key.spki(),
    ];
    if !spec.eku.is_empty() {
        let usages: Vec<Vec<u8>> = spec.eku.iter().map(|o| der::oid(o)).collect();
        let extension = der::seq(&[
            der::oid(OID_EXT_KEY_USAGE), // not critical: DER omits the default FALSE
            der::octet_string(&der::seq(&usages)),
        ]);
        tbs.push(der::explicit(3, &der::seq(&[extension])));
    }
    let tbs = der::seq(&tbs);
    let signature = key.sign_cert(&tbs);
    der::seq(&[
        tbs,
        key.cert_signature_algorithm(),
        der::bit_string(&signature),
    ])
}

/// Builds every signer of [`SPECS`], in order.
pub(crate) fn all() -> Vec<Signer> {
    let mut signers: Vec<Signer> = Vec::new();
    for spec in SPECS {
        let key = Key::derive(spec);
        let cert_der = certificate(spec, &key);
        let kid = match spec.kid_of {
            None => kid_of_cert(&cert_der),
            Some(other) => signers
                .iter()
                .find(|s| s.spec.name == other)
                .expect("kid_of names an earlier signer")
                .kid
                .clone(),
        };
        signers.push(Signer {
            spec,
            key,
            cert_der,
            kid,
        });
    }
    signers
}

/// The signer called `name`.
pub(crate) fn by_name<'a>(signers: &'a [Signer], name: &str) -> &'a Signer {
    signers
        .iter()
        .find(|s| s.spec.name == name)
        .unwrap_or_else(|| panic!("no signer {name}"))
}
