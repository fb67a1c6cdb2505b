//! Signature verification: ES256 (ECDSA P-256, SHA-256) and PS256 (RSASSA-PSS, SHA-256, MGF1,
//! 32-byte salt), with RustCrypto's pure-Rust `p256` and `rsa`, which build for every mobile target.

use core::fmt;

use p256::ecdsa::signature::Verifier as _;
use rsa::traits::PublicKeyParts as _;
use sha2::{Digest as _, Sha256};

use crate::limits::MAX_RSA_BITS;

/// A COSE signature algorithm this crate verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (COSE -7).
    Es256,
    /// RSASSA-PSS with SHA-256 (COSE -37).
    Ps256,
}

impl Algorithm {
    /// The algorithm with this COSE identifier, if supported.
    pub const fn from_cose(id: i64) -> Option<Self> {
        match id {
            -7 => Some(Self::Es256),
            -37 => Some(Self::Ps256),
            _ => None,
        }
    }

    /// `ES256` or `PS256`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::Ps256 => "PS256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A signer's public key, parsed once when trust material is loaded.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An EC P-256 key.
    EcP256(p256::ecdsa::VerifyingKey),
    /// An RSA key.
    Rsa(rsa::RsaPublicKey),
}

/// Why a signature was refused by one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The algorithm does not fit the key type (e.g. PS256 with an EC key).
    #[error("algorithm {alg} does not match the signer's {key} key")]
    AlgorithmKeyMismatch {
        /// The algorithm named by the signed data.
        alg: &'static str,
        /// The key type.
        key: &'static str,
    },
    /// The signature has the wrong length for its algorithm and key.
    #[error("signature of {actual} bytes, expected {expected}")]
    Length {
        /// The length the algorithm requires.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// An RSA signature whose value is not below the key's modulus (RFC 8017 §5.2.2): no valid
    /// signature has that encoding.
    #[error("signature value not below the signer's RSA modulus")]
    OutOfRange,
    /// The signature does not verify.
    #[error("signature does not verify")]
    Invalid,
}

impl SignatureError {
    /// How informative this refusal is when several keys share a kid and all refuse: the
    /// highest rank is reported (webpki's `most_specific`). The key that matched the algorithm
    /// and length but not the signature says the most.
    pub(crate) const fn rank(self) -> u8 {
        match self {
            Self::Invalid => 3,
            Self::Length { .. } | Self::OutOfRange => 2,
            Self::AlgorithmKeyMismatch { .. } => 1,
        }
    }
}

/// Why key material could not be turned into a [`PublicKey`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a valid point on P-256.
    #[error("invalid P-256 public key")]
    InvalidEcPoint,
    /// Not a usable RSA public key (bad modulus or exponent, or too large).
    #[error("invalid or oversized RSA public key")]
    InvalidRsaKey,
    /// A key type or curve this crate does not verify with.
    #[error("unsupported key type")]
    Unsupported,
}

impl PublicKey {
    /// A P-256 key from its SEC1 encoding (usually the uncompressed `04 || x || y`).
    ///
    /// # Errors
    /// [`KeyError::InvalidEcPoint`] if the bytes are not a point on the curve.
    pub fn ec_p256_from_sec1(sec1: &[u8]) -> Result<Self, KeyError> {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
            .map(Self::EcP256)
            .map_err(|_| KeyError::InvalidEcPoint)
    }

    /// An RSA key from its big-endian modulus and public exponent.
    ///
    /// # Errors
    /// [`KeyError::InvalidRsaKey`] if the modulus exceeds [`MAX_RSA_BITS`] or the exponent
    /// is out of range.
    pub fn rsa_from_components(modulus: &[u8], exponent: &[u8]) -> Result<Self, KeyError> {
        let n = rsa::BigUint::from_bytes_be(modulus);
        let e = rsa::BigUint::from_bytes_be(exponent);
        rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS)
            .map(Self::Rsa)
            .map_err(|_| KeyError::InvalidRsaKey)
    }

    /// An encoding that identifies the key: the uncompressed SEC1 point, or the RSA modulus
    /// and exponent with their lengths. Two entries of a trust store hold the same key exactly
    /// when their identities are equal.
    pub(crate) fn identity(&self) -> Vec<u8> {
        match self {
            Self::EcP256(key) => key.to_encoded_point(false).as_bytes().to_vec(),
            Self::Rsa(key) => {
                let (n, e) = (key.n().to_bytes_be(), key.e().to_bytes_be());
                let mut out = Vec::with_capacity(n.len().saturating_add(e.len()).saturating_add(8));
                for part in [n, e] {
                    out.extend_from_slice(
                        &u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes(),
                    );
                    out.extend_from_slice(&part);
                }
                out
            }
        }
    }

    /// `EC P-256` or `RSA-<bits>`-style key type name, for reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::EcP256(_) => "EC P-256",
            Self::Rsa(_) => "RSA",
        }
    }

    /// Checks `signature` over `message` with algorithm `alg`, with the [`Backend::DEFAULT`]
    /// implementation.
    ///
    /// # Errors
    /// [`SignatureError::AlgorithmKeyMismatch`] if `alg` does not fit this key,
    /// [`SignatureError::Length`] if an ES256 signature is not 64 bytes or a PS256 one not the
    /// modulus length, [`SignatureError::OutOfRange`] if a PS256 signature is not below the
    /// modulus, and [`SignatureError::Invalid`] if it does not verify.
    pub fn verify(
        &self,
        alg: Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        self.verify_with(Backend::DEFAULT, alg, message, signature)
    }

    /// [`PublicKey::verify`] with a chosen implementation (to compare backends).
    ///
    /// # Errors
    /// As [`PublicKey::verify`].
    pub fn verify_with(
        &self,
        backend: Backend,
        alg: Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let expected = match (self, alg) {
            // COSE ES256 is the fixed 64-byte r || s (RFC 9053 §2.1), never DER.
            (Self::EcP256(_), Algorithm::Es256) => 64,
            (Self::Rsa(key), Algorithm::Ps256) => key.size(),
            (key, alg) => {
                return Err(SignatureError::AlgorithmKeyMismatch {
                    alg: alg.name(),
                    key: key.type_name(),
                })
            }
        };
        if signature.len() != expected {
            return Err(SignatureError::Length {
                expected,
                actual: signature.len(),
            });
        }
        // RFC 8017 §5.2.2: an RSA signature representative must be below the modulus. rsa 0.9's
        // PSS path does not check it, so `s + n` (same length) would verify too: a second
        // signature for one message, which escapes revocation by SIGNATURE hash.
        if let Self::Rsa(key) = self {
            if signature >= key.n().to_bytes_be().as_slice() {
                return Err(SignatureError::OutOfRange);
            }
        }
        let verified = match backend {
            Backend::RustCrypto => self.verify_rust_crypto(message, signature),
            #[cfg(feature = "ring")]
            Backend::Ring => self.verify_ring(message, signature),
            #[cfg(feature = "bench-internals")]
            Backend::NoArithmetic => true,
        };
        if verified {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }

    /// The key type was matched to the algorithm and the signature length checked.
    fn verify_rust_crypto(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::EcP256(key) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok()),
            Self::Rsa(key) => key
                .verify(
                    rsa::Pss::new::<Sha256>(),
                    &Sha256::digest(message),
                    signature,
                )
                .is_ok(),
        }
    }

    #[cfg(feature = "ring")]
    fn verify_ring(&self, message: &[u8], signature: &[u8]) -> bool {
        use ring::signature::{self as ring_sig, UnparsedPublicKey};
        match self {
            Self::EcP256(key) => {
                let point = key.to_encoded_point(false);
                UnparsedPublicKey::new(&ring_sig::ECDSA_P256_SHA256_FIXED, point.as_bytes())
                    .verify(message, signature)
                    .is_ok()
            }
            Self::Rsa(key) => ring_sig::RsaPublicKeyComponents {
                n: key.n().to_bytes_be(),
                e: key.e().to_bytes_be(),
            }
            .verify(&ring_sig::RSA_PSS_2048_8192_SHA256, message, signature)
            .is_ok(),
        }
    }
}

/// An implementation of the signature arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// RustCrypto `p256` and `rsa`: pure Rust, builds for every target without a C toolchain.
    RustCrypto,
    /// `ring` (feature `ring`): assembly-optimised, about 4x faster for ES256, but needs a C
    /// compiler for the target (the NDK or Xcode on mobile).
    #[cfg(feature = "ring")]
    Ring,
    /// Benchmarks only (feature `bench-internals`, never in a shipped build): every check
    /// runs, key/algorithm match and signature length included, but the signature arithmetic
    /// is skipped and taken as passing, so that a benchmark can time everything else.
    #[cfg(feature = "bench-internals")]
    NoArithmetic,
}

impl Backend {
    /// `ring` when the `ring` feature is on, RustCrypto otherwise.
    #[cfg(feature = "ring")]
    pub const DEFAULT: Self = Self::Ring;
    /// `ring` when the `ring` feature is on, RustCrypto otherwise.
    #[cfg(not(feature = "ring"))]
    pub const DEFAULT: Self = Self::RustCrypto;

    /// Every backend compiled in that checks signatures.
    pub const ALL: &'static [Self] = &[
        Self::RustCrypto,
        #[cfg(feature = "ring")]
        Self::Ring,
    ];
}

impl Default for Backend {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EcP256(_) => f.write_str("PublicKey(EC P-256)"),
            Self::Rsa(key) => write!(f, "PublicKey(RSA-{})", key.n().bits()),
        }
    }
}
