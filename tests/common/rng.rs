//! Generated inputs, written once for the tests, the fuzz targets and the examples
//! (which include this file with `#[path]`): the networks a message can be built for,
//! and a tiny deterministic generator for mutation tests (xorshift64*), so a failure
//! found with a seed is found again with it. Depends on nothing in lnshell, so
//! `src/` unit tests can include it too.
#![allow(dead_code)]

use bitcoin::Network;

/// Every network a chain hash can name.
pub const NETWORKS: [Network; 5] = [
    Network::Bitcoin,
    Network::Testnet,
    Network::Testnet4,
    Network::Signet,
    Network::Regtest,
];

/// xorshift64*: a tiny deterministic generator for mutation tests.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One random change to a message (type kept): a flipped bit, a cut, up to
    /// `max_push` random bytes appended, or a byte overwritten with one of `fills`.
    pub fn mutate(&mut self, m: &mut Vec<u8>, max_push: usize, fills: &[u8]) {
        match self.below(4) {
            0 => {
                let i = 2 + self.below(m.len() - 2);
                m[i] ^= 1 << self.below(8);
            }
            1 => m.truncate(2 + self.below(m.len() - 2)),
            2 => {
                for _ in 0..1 + self.below(max_push) {
                    m.push(self.next() as u8);
                }
            }
            _ => {
                let i = 2 + self.below(m.len() - 2);
                m[i] = fills[self.below(fills.len())];
            }
        }
    }
}
