//! A fast non-cryptographic hash (rustc's Fx: rotate, xor, multiply per 8 bytes) for the maps
//! a verification looks up several times: kid to keys, kid to revocation slices, and hash
//! type and prefix to slices. Their keys come from the trust and revocation data, not from
//! the scanned code, so nobody can choose colliding keys; SipHash's protection would only
//! cost time on every scan.

use core::hash::{BuildHasherDefault, Hasher};
use std::collections::HashMap;

/// A `HashMap` with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// See the module docs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            if let Some(prefix) = word.get_mut(..chunk.len()) {
                prefix.copy_from_slice(chunk);
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(u64::try_from(i).unwrap_or(u64::MAX));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_what_they_hold_and_hashes_differ() {
        let mut map: FastMap<Vec<u8>, u32> = FastMap::default();
        for i in 0..1000u32 {
            map.insert(i.to_be_bytes().repeat(3), i);
        }
        for i in 0..1000u32 {
            assert_eq!(map.get(&i.to_be_bytes().repeat(3)), Some(&i));
        }
        assert_eq!(map.get(b"absent".as_slice()), None);
        let hash = |bytes: &[u8]| {
            let mut h = FxHasher::default();
            h.write(bytes);
            h.finish()
        };
        assert_ne!(hash(b"12345678"), hash(b"12345679"));
        assert_ne!(hash(b"123456789"), hash(b"12345678"));
    }
}
