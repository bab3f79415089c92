//! Where `update` takes the idempotency keys of the writes it asks for, so that `update`
//! stays a function of the model and the message: the source is part of the model,
//! seeded at random when the dashboard starts and fixed by tests.

use crate::gateway::OperationKey;

/// Keys counted up from a seed. A random 128-bit seed per session keeps keys apart
/// across sessions and restarts as well as random keys did; within a session each key
/// is the next number, so none repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMint {
    seed: u128,
    minted: u64,
}

impl KeyMint {
    /// A source no other session shares.
    pub fn random() -> KeyMint {
        KeyMint::seeded(uuid::Uuid::new_v4().as_u128())
    }

    /// The same keys, in the same order, every time: for tests.
    pub fn seeded(seed: u128) -> KeyMint {
        KeyMint { seed, minted: 0 }
    }

    /// The key for the next write.
    pub fn next_key(&mut self) -> OperationKey {
        let n = self.seed.wrapping_add(u128::from(self.minted));
        self.minted += 1;
        OperationKey::from_uuid(uuid::Uuid::from_u128(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seeded_source_repeats_and_never_gives_a_key_twice() {
        let mut a = KeyMint::seeded(7);
        let mut b = KeyMint::seeded(7);
        let keys: Vec<_> = (0..3).map(|_| a.next_key()).collect();
        assert_eq!(keys, (0..3).map(|_| b.next_key()).collect::<Vec<_>>());
        assert_ne!(keys[0], keys[1]);
        assert_ne!(keys[1], keys[2]);
        assert_ne!(KeyMint::random().next_key(), KeyMint::random().next_key());
    }
}
