//! Trusted signer keys, by kid. (Being written: see the interface in verify.rs.)

use crate::crypto::PublicKey;
use crate::hcert::EntryType;
use crate::time::UnixTime;

/// Which certificate types a signer may sign, from its extended key usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// No DCC-specific extended key usage: any type.
    Any,
    /// Only the types whose OID the signer certificate lists.
    Only {
        /// 1.3.6.1.4.1.1847.2021.1.1 (or the .0. variant).
        test: bool,
        /// 1.3.6.1.4.1.1847.2021.1.2 (or the .0. variant).
        vaccination: bool,
        /// 1.3.6.1.4.1.1847.2021.1.3 (or the .0. variant).
        recovery: bool,
    },
}

impl KeyUsage {
    /// Whether a certificate of type `entry` may be signed.
    pub const fn allows(self, entry: EntryType) -> bool {
        match self {
            Self::Any => true,
            Self::Only { test, vaccination, recovery } => match entry {
                EntryType::Test => test,
                EntryType::Vaccination => vaccination,
                EntryType::Recovery => recovery,
            },
        }
    }
}

/// One trusted signer key with what its certificate says about it.
#[derive(Clone, Debug)]
pub struct SignerKey {
    /// The public key.
    pub key: PublicKey,
    /// Signer certificate notBefore, if known.
    pub not_before: Option<UnixTime>,
    /// Signer certificate notAfter, if known.
    pub not_after: Option<UnixTime>,
    /// Allowed certificate types.
    pub usage: KeyUsage,
}

/// Trusted signer keys, by kid; several keys may share one kid.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    keys: Vec<(Vec<u8>, SignerKey)>,
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key` under `kid`.
    pub fn add_key(&mut self, kid: Vec<u8>, key: SignerKey) {
        self.keys.push((kid, key));
    }

    /// The keys to try for `kid`, in the order they were added.
    pub fn candidates<'a>(&'a self, kid: &'a [u8]) -> impl Iterator<Item = &'a SignerKey> + 'a {
        self.keys.iter().filter(move |(k, _)| k == kid).map(|(_, key)| key)
    }
}
