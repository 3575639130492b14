//! The keys netcat sessions play "your side" with, reused across sessions.
//!
//! It stands alone (it imports nothing of the node) so that the shared state can
//! hold it and the session can use it without either importing the other.

use std::sync::Mutex;

use bitcoin::secp256k1::rand::{self, RngCore};

/// The keys (seeds) of sides whose sessions ended with no channel with the node,
/// for the sessions that come next.
///
/// Why: LDK's `ChannelManager` keeps a `PeerState` for every peer that ever had a
/// funded channel, with room for the channels it had. Its
/// `closed_channel_monitor_update_ids` are pruned only when the manager is
/// reloaded (`PeerState::ok_to_remove` in LDK 0.2.7), which this in-memory node
/// never does. With a new key per session, every channel life left one behind
/// (about 34 KiB, measured by the load tool's soak). A session that starts with a
/// key the node already knows reuses that state instead.
///
/// A key is out of the pool while its session lives, so two sessions never share
/// one; a key whose peer still has a channel with the node is not given back (a
/// new side would not know that channel). The pool never holds more keys than
/// sessions were once open at the same time, so it needs no limit of its own.
#[derive(Default)]
pub struct Identities {
    free: Mutex<Vec<[u8; 32]>>,
}

impl Identities {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<[u8; 32]>> {
        // Each critical section is one push or pop.
        self.free.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A key for a new session: the last one given back, or a fresh random one.
    pub fn take(&self) -> [u8; 32] {
        if let Some(seed) = self.lock().pop() {
            return seed;
        }
        let mut seed = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut seed);
        seed
    }

    /// Gives back the key of a session that ended with no channel.
    pub fn give_back(&self, seed: [u8; 32]) {
        self.lock().push(seed);
    }

    /// How many keys wait for a session.
    pub fn free(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_back_is_the_next_taken_and_never_twice() {
        let pool = Identities::default();
        let (a, b) = (pool.take(), pool.take());
        assert_ne!(a, b, "fresh keys are random");
        assert_eq!(pool.free(), 0);
        pool.give_back(a);
        pool.give_back(b);
        assert_eq!(pool.free(), 2);
        // Last given back, first taken; each once.
        assert_eq!(pool.take(), b);
        assert_eq!(pool.take(), a);
        assert_eq!(pool.free(), 0);
        let c = pool.take();
        assert!(c != a && c != b);
    }
}
