//! The record: every conversation the node has had, kept whether or not `trace` is on.
//!
//! `trace` shows a message once, as it goes by; a picture of a conversation
//! (`diagram`, `trace save`) needs the messages afterwards, in order, with the time
//! each was seen and which way it went. So the [`Tracer`](super::trace::Tracer)
//! hands every message it sees, in or out, BOLT 8 peer or netcat session, to a
//! [`Record`] as well, and the record keeps its bytes (type || payload, as on the
//! wire).
//!
//! A node can talk for days, so the record is bounded twice, and says so:
//!
//! * per peer: the last [`Limits::per_peer`] messages (512 by default), so one busy
//!   peer cannot crowd the others out;
//! * in all: [`Limits::total`] messages (20 000) and [`Limits::bytes`] bytes (16 MiB;
//!   an `update_add_htlc` is 1452 bytes, its onion inline). When either is passed,
//!   the oldest message of the whole record goes first.
//!
//! Each peer's [`Conversation`] counts what was dropped from it, so a drawing can
//! say "42 earlier messages are not shown". A peer's conversation stays after it
//! disconnects (that is when one wants to look at it); it leaves only by being the
//! oldest.
//!
//! What the record cannot hold is what the tracer cannot see (see
//! [`super::trace`]): `ping`/`pong` and the peer's `warning`s, which LDK's
//! `PeerManager` answers or logs itself, our own `init`, and gossip LDK relays on
//! its own; for a netcat session, the pings it answers and the warnings it reports
//! without handing them to the node.
//!
//! The record is data: the node returns [`Conversation`]s, and the shell draws them.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::SystemTime;

use bitcoin::secp256k1::PublicKey;

use crate::events::Direction;

/// How much the record keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most messages kept for one peer.
    pub per_peer: usize,
    /// The most messages kept in all.
    pub total: usize,
    /// The most message bytes kept in all.
    pub bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            per_peer: 512,
            total: 20_000,
            bytes: 16 << 20,
        }
    }
}

/// One message, as the node saw it go by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// Its place in the whole record: messages of different peers sort by it.
    pub seq: u64,
    /// When the tracer saw it.
    pub at: SystemTime,
    /// `Inbound`: the peer sent it; `Outbound`: this node did.
    pub direction: Direction,
    /// Type || payload, as on the wire.
    pub bytes: Vec<u8>,
}

/// What the record holds of one peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// The peer.
    pub peer: PublicKey,
    /// The messages kept, oldest first.
    pub messages: Vec<Recorded>,
    /// How many older messages with this peer were dropped to stay within the limits.
    pub dropped: u64,
}

#[derive(Default)]
struct PeerLog {
    messages: VecDeque<Recorded>,
    dropped: u64,
}

#[derive(Default)]
struct Inner {
    peers: HashMap<PublicKey, PeerLog>,
    /// Every message kept, by `(seq, peer)`, oldest first: so the oldest of the whole
    /// record is found at once, not by looking at every peer (the tracer pushes on
    /// every message, and a netcat load has 100 peers and a full record). A message
    /// its peer's own limit dropped leaves a stale entry here, skipped when met and
    /// swept out by [`Inner::compact`].
    order: VecDeque<(u64, PublicKey)>,
    next_seq: u64,
    total: usize,
    bytes: usize,
}

impl Inner {
    /// Whether `(seq, peer)` of `order` is still kept: a peer drops its oldest first,
    /// so its kept messages are those from its first kept one on.
    fn kept(&self, seq: u64, peer: &PublicKey) -> bool {
        self.peers
            .get(peer)
            .and_then(|log| log.messages.front())
            .is_some_and(|m| m.seq <= seq)
    }

    /// Drops the oldest message of the whole record; a peer left with none is
    /// forgotten, count and all: its conversation is gone, and the record does not
    /// grow with peers long gone. False if the record holds nothing.
    fn drop_oldest(&mut self) -> bool {
        while let Some((seq, id)) = self.order.pop_front() {
            let Some(log) = self.peers.get_mut(&id) else {
                continue;
            };
            if log.messages.front().is_none_or(|m| m.seq != seq) {
                continue;
            }
            if let Some(m) = log.messages.pop_front() {
                log.dropped += 1;
                self.total -= 1;
                self.bytes -= m.bytes.len();
            }
            if log.messages.is_empty() {
                self.peers.remove(&id);
            }
            return true;
        }
        false
    }

    /// Sweeps the stale entries out of `order` once they outnumber the kept ones,
    /// so it stays within twice the record and costs O(1) a message over time.
    fn compact(&mut self) {
        if self.order.len() <= 2 * self.total + 16 {
            return;
        }
        let mut order = std::mem::take(&mut self.order);
        order.retain(|(seq, peer)| self.kept(*seq, peer));
        self.order = order;
    }
}

/// Every peer's conversation, bounded (see the module doc).
pub struct Record {
    limits: Limits,
    inner: Mutex<Inner>,
}

impl Record {
    /// An empty record that keeps at most `limits`.
    pub fn new(limits: Limits) -> Record {
        Record {
            limits: Limits {
                per_peer: limits.per_peer.max(1),
                total: limits.total.max(1),
                bytes: limits.bytes,
            },
            inner: Mutex::new(Inner::default()),
        }
    }

    /// What it keeps.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Each critical section is a push or a copy; a panic cannot leave it half done.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps one message, dropping the oldest ones the limits leave no room for.
    pub fn push(&self, peer: PublicKey, direction: Direction, at: SystemTime, bytes: Vec<u8>) {
        let mut inner = self.lock();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.total += 1;
        inner.bytes += bytes.len();
        inner.order.push_back((seq, peer));
        let log = inner.peers.entry(peer).or_default();
        log.messages.push_back(Recorded {
            seq,
            at,
            direction,
            bytes,
        });
        if log.messages.len() > self.limits.per_peer {
            if let Some(old) = log.messages.pop_front() {
                log.dropped += 1;
                inner.total -= 1;
                inner.bytes -= old.bytes.len();
            }
        }
        // The message just kept is never dropped: the record always shows the latest.
        while inner.total > self.limits.total
            || (inner.bytes > self.limits.bytes && inner.total > 1)
        {
            if !inner.drop_oldest() {
                break;
            }
        }
        inner.compact();
    }

    /// (messages, peers) the record holds now: what `info --json` reports, so a
    /// long run can see the limits hold.
    pub fn size(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.total, inner.peers.len())
    }

    /// `peer`'s conversation (empty if the record holds none).
    pub fn conversation(&self, peer: &PublicKey) -> Conversation {
        let inner = self.lock();
        match inner.peers.get(peer) {
            Some(log) => Conversation {
                peer: *peer,
                messages: log.messages.iter().cloned().collect(),
                dropped: log.dropped,
            },
            None => Conversation {
                peer: *peer,
                messages: Vec::new(),
                dropped: 0,
            },
        }
    }

    /// Every conversation the record holds, the one that started first first.
    pub fn conversations(&self) -> Vec<Conversation> {
        let inner = self.lock();
        let mut all: Vec<Conversation> = inner
            .peers
            .iter()
            .map(|(peer, log)| Conversation {
                peer: *peer,
                messages: log.messages.iter().cloned().collect(),
                dropped: log.dropped,
            })
            .collect();
        all.sort_by_key(|c| c.messages.first().map(|m| m.seq));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitcoin::secp256k1::{Secp256k1, SecretKey};

    fn key(n: u8) -> PublicKey {
        let secret = SecretKey::from_slice(&[n; 32]).expect("a valid secret");
        PublicKey::from_secret_key(&Secp256k1::new(), &secret)
    }

    fn ping(n: u8) -> Vec<u8> {
        vec![0x00, 0x12, 0x00, 0x00, 0x00, n]
    }

    #[test]
    fn a_peer_keeps_its_last_messages_and_counts_the_dropped() {
        let r = Record::new(Limits {
            per_peer: 3,
            total: 100,
            bytes: 1 << 20,
        });
        let now = SystemTime::now();
        for n in 0..5 {
            r.push(key(1), Direction::Inbound, now, ping(n));
        }
        r.push(key(2), Direction::Outbound, now, ping(9));
        let c = r.conversation(&key(1));
        assert_eq!(c.dropped, 2);
        let kept: Vec<u8> = c.messages.iter().map(|m| m.bytes[5]).collect();
        assert_eq!(kept, [2, 3, 4]);
        assert_eq!(r.conversation(&key(2)).dropped, 0);
        assert_eq!(r.conversation(&key(2)).messages.len(), 1);
        assert!(r.conversation(&key(3)).messages.is_empty());
    }

    #[test]
    fn the_total_cap_drops_the_oldest_of_any_peer() {
        let r = Record::new(Limits {
            per_peer: 10,
            total: 4,
            bytes: 1 << 20,
        });
        let now = SystemTime::now();
        r.push(key(1), Direction::Inbound, now, ping(0));
        r.push(key(2), Direction::Inbound, now, ping(1));
        r.push(key(1), Direction::Outbound, now, ping(2));
        r.push(key(2), Direction::Outbound, now, ping(3));
        r.push(key(2), Direction::Inbound, now, ping(4));
        // ping 0 (key 1's first) was the oldest of all.
        let one = r.conversation(&key(1));
        assert_eq!(one.dropped, 1);
        assert_eq!(one.messages.len(), 1);
        assert_eq!(one.messages[0].bytes[5], 2);
        r.push(key(2), Direction::Inbound, now, ping(5));
        // Then ping 1, key 2's first.
        assert_eq!(r.conversation(&key(2)).dropped, 1);
        let all = r.conversations();
        assert_eq!(all.iter().map(|c| c.messages.len()).sum::<usize>(), 4);
        // Sorted by first message kept: key 1's ping 2 comes before key 2's ping 3.
        assert_eq!(all[0].peer, key(1));
    }

    #[test]
    fn the_byte_cap_keeps_at_least_the_latest_message() {
        let r = Record::new(Limits {
            per_peer: 10,
            total: 10,
            bytes: 10,
        });
        let now = SystemTime::now();
        r.push(key(1), Direction::Inbound, now, ping(0));
        r.push(key(1), Direction::Inbound, now, ping(1));
        let c = r.conversation(&key(1));
        assert_eq!((c.messages.len(), c.dropped), (1, 1));
        r.push(key(1), Direction::Inbound, now, vec![0; 100]);
        assert_eq!(r.conversation(&key(1)).messages.len(), 1);
        // A peer whose messages all went is forgotten.
        r.push(key(2), Direction::Inbound, now, vec![0; 100]);
        assert!(r.conversation(&key(1)).messages.is_empty());
        assert_eq!(r.conversations().len(), 1);
    }

    #[test]
    fn the_oldest_of_all_skips_what_a_peer_already_dropped() {
        let r = Record::new(Limits {
            per_peer: 3,
            total: 4,
            bytes: 1 << 20,
        });
        let now = SystemTime::now();
        for n in 0..4 {
            r.push(key(1), Direction::Inbound, now, ping(n));
        }
        // Key 1 dropped ping 0 itself; the whole record's oldest is now its ping 1.
        r.push(key(2), Direction::Inbound, now, ping(4));
        r.push(key(2), Direction::Inbound, now, ping(5));
        let one = r.conversation(&key(1));
        assert_eq!(one.dropped, 2);
        let kept: Vec<u8> = one.messages.iter().map(|m| m.bytes[5]).collect();
        assert_eq!(kept, [2, 3]);
        assert_eq!(r.conversation(&key(2)).messages.len(), 2);
    }

    #[test]
    fn the_order_of_all_stays_within_the_record() {
        let r = Record::new(Limits {
            per_peer: 4,
            total: 1000,
            bytes: 1 << 20,
        });
        let now = SystemTime::now();
        for n in 0..10_000u32 {
            r.push(
                key(1 + (n % 3) as u8),
                Direction::Inbound,
                now,
                ping(n as u8),
            );
        }
        let inner = r.lock();
        assert_eq!(inner.total, 12);
        assert!(inner.order.len() <= 2 * 12 + 16, "{}", inner.order.len());
        assert!(
            inner
                .order
                .iter()
                .filter(|(s, p)| inner.kept(*s, p))
                .count()
                == 12
        );
    }
}
