//! The shell's chain: an in-memory regtest chain, so channels can confirm.
//!
//! A channel is usable only once its funding transaction is buried deep enough
//! (`minimum_depth`, 6 blocks for LDK by default). There is no bitcoind on these
//! machines, so the shell keeps a chain of its own, and says so wherever it shows:
//!
//! * transactions the shell's nodes broadcast (the node's own, and every netcat
//!   session's "your side") wait in its **mempool**; `confirm <tx hex>` adds one
//!   made elsewhere (a second shell's funding transaction);
//! * `mine [n]` makes `n` blocks. The first takes the whole mempool. Each block
//!   is handed, in order, to every `ChainMonitor` and `ChannelManager` in the
//!   shell (LDK's `Listen`), so LDK's own depth rules decide when `channel_ready`
//!   goes out.
//!
//! What it does **not** do, and why that is fine for learning the peer protocol:
//! no proof of work, no script or input checks (funding inputs here spend outputs
//! that never existed), no reorgs, no fees. LDK checks none of these itself: it
//! trusts its chain source, which is exactly what this is.
//!
//! The chain starts at **height 1**: block 1 is made, empty, before anyone follows.
//! On a test chain LDK makes up each channel's alias (`outbound_scid_alias`, a
//! short channel id that names no real output) with block height 1 until the chain
//! is a month (4320 blocks) tall (`fake_scid`, `TEST_SEGWIT_ACTIVATION_HEIGHT`), and
//! checks that no two ids it knows are equal. A funding transaction confirmed in
//! block 1 gets a real id in that same block, so it could equal another channel's
//! alias, and LDK's `ChannelManager` panics ("SCIDs should never collide"): about
//! one time in eight with 50 channels confirmed in one block (`tests/netcat_peer.rs`
//! flaked so). From block 2 on, real ids and aliases can never meet.
//!
//! The chain **forgets old transactions**, as a pruned node forgets old blocks. To
//! refuse a second copy of a confirmed transaction, or a double spend, it keeps the
//! ids of the transactions it confirmed and the outputs they spend, but only while
//! they are at most [`REMEMBER_DEPTH`] blocks deep (a day of blocks), and never more
//! than [`MAX_REMEMBERED`] of them: without a bound these tables grew all the time a
//! shell stayed open (the load tool's hour-long soak, 10 000 transactions an hour).
//! Nothing a learner does reaches that far back: LDK rebroadcasts a transaction only
//! until it is 6 blocks deep (`ANTI_REORG_DELAY`).
//!
//! Blocks must reach LDK in chain order: `Listen::filtered_block_connected`
//! panics otherwise. So one lock (`mining`) is held while a block is handed out,
//! and a manager that joins later is built at the current tip under that same
//! lock ([`Chain::attach`]), so it can neither miss a block nor see one twice.
//! The mempool has a lock of its own, because LDK broadcasts from inside those
//! very block callbacks (a close that the block made final).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bitcoin::block::{Header, Version as BlockVersion};
use bitcoin::hashes::Hash;
use bitcoin::transaction::Version;
use bitcoin::{
    absolute::LockTime, Amount, Block, BlockHash, CompactTarget, Network, OutPoint, ScriptBuf,
    Sequence, Transaction, TxIn, TxMerkleNode, TxOut, Txid, Witness,
};
use lightning::chain::{BestBlock, Listen};

/// The height the chain starts at: block 1 is made, empty, before anyone follows
/// (see the module doc).
pub const START_HEIGHT: u32 = 1;

/// The most blocks one `mine` makes (LDK's deepest rule needs far fewer).
pub const MAX_MINE: u32 = 1000;
/// The most transactions waiting in the mempool.
pub const MAX_MEMPOOL: usize = 10_000;
/// How deep a confirmed transaction may be and still be remembered (its id, and the
/// outputs it spends): deeper than this it is forgotten (see the module doc).
pub const REMEMBER_DEPTH: u32 = 144;
/// The most confirmed transactions remembered at once, whatever their depth (a
/// bound on memory: one `mine` may confirm a whole mempool).
pub const MAX_REMEMBERED: usize = 2 * MAX_MEMPOOL;
/// Blocks remembered for `chain` (older ones keep only their count).
const RECENT_BLOCKS: usize = 64;

/// Something in the shell that follows the chain: a `ChainMonitor` or a
/// `ChannelManager` (LDK implements `Listen` for both).
pub type Follower = Arc<dyn Listen + Send + Sync>;

/// Who put a transaction in the mempool (an event's data too, so it lives with
/// the events).
pub use crate::events::TxOrigin as Origin;

/// A transaction in the mempool.
#[derive(Clone, Debug)]
pub struct MempoolTx {
    /// Its id.
    pub txid: Txid,
    /// Who sent it.
    pub origin: Origin,
    /// Inputs and outputs (for the view).
    pub inputs: usize,
    /// Outputs.
    pub outputs: usize,
    /// Total output value.
    pub value: Amount,
}

/// A block the shell made.
#[derive(Clone, Debug)]
pub struct MinedBlock {
    /// Its height.
    pub height: u32,
    /// Its hash.
    pub hash: BlockHash,
    /// The transactions it confirmed (the coinbase not counted), with who sent them.
    pub confirmed: Vec<(Txid, Origin)>,
}

/// What `chain` shows.
#[derive(Clone, Debug)]
pub struct ChainView {
    /// The network whose genesis the chain starts from.
    pub network: Network,
    /// The tip.
    pub height: u32,
    /// The tip's hash.
    pub tip: BlockHash,
    /// What waits to be mined.
    pub mempool: Vec<MempoolTx>,
    /// The most recent blocks, newest last.
    pub recent: Vec<MinedBlock>,
    /// Confirmed transactions still remembered (see [`REMEMBER_DEPTH`]).
    pub remembered: usize,
}

/// Why a transaction was not taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// It is already waiting.
    #[error("transaction {0} is already in the mempool")]
    AlreadyInMempool(Txid),
    /// It is already in a block.
    #[error("transaction {txid} is already confirmed, in block {height}")]
    AlreadyConfirmed {
        /// The transaction.
        txid: Txid,
        /// Its block.
        height: u32,
    },
    /// The mempool is full.
    #[error("the mempool is full ({MAX_MEMPOOL} transactions): `mine` first")]
    Full,
    /// Not a transaction.
    #[error("not a transaction: {0}")]
    NotATransaction(String),
    /// It spends an output another transaction (waiting or confirmed) spends.
    #[error("transaction {txid} spends {outpoint}, which {by} already spends: a chain takes one of two conflicting transactions, never both")]
    DoubleSpend {
        /// The transaction refused.
        txid: Txid,
        /// The output both spend.
        outpoint: OutPoint,
        /// The transaction that spent it first.
        by: Txid,
    },
}

struct State {
    tip: BestBlock,
    /// Waiting transactions, with their txids (computed once).
    mempool: Vec<(Txid, Transaction, Origin)>,
    recent: VecDeque<MinedBlock>,
    /// The txids confirmed and still remembered, with their height (to refuse a
    /// second copy).
    confirmed: std::collections::HashMap<Txid, u32>,
    /// Every output spent in the mempool or by a remembered transaction, and by
    /// whom: the one check of a real chain this one keeps, because LDK broadcasts
    /// conflicting transactions on purpose (both sides' commitments after a
    /// force-close) and only one may confirm.
    spent: std::collections::HashMap<OutPoint, Txid>,
    /// The remembered confirmed transactions, oldest first: their height, txid and
    /// the outputs they spend (what to take out of the two tables above).
    remembered: VecDeque<(u32, Txid, Vec<OutPoint>)>,
}

impl State {
    /// Forgets the confirmed transactions deeper than [`REMEMBER_DEPTH`], and the
    /// oldest beyond [`MAX_REMEMBERED`].
    fn forget_old(&mut self) {
        let tip = self.tip.height;
        while let Some((height, _, _)) = self.remembered.front() {
            let too_deep = height.saturating_add(REMEMBER_DEPTH) <= tip;
            if !too_deep && self.remembered.len() <= MAX_REMEMBERED {
                break;
            }
            let Some((_, txid, spends)) = self.remembered.pop_front() else {
                break;
            };
            self.confirmed.remove(&txid);
            for o in spends {
                // Only its own entry: the table never holds two spenders of one output.
                if self.spent.get(&o) == Some(&txid) {
                    self.spent.remove(&o);
                }
            }
        }
    }
}

/// The shell's chain (see the module doc).
pub struct Chain {
    network: Network,
    state: Mutex<State>,
    /// Held while blocks are handed out, and while a follower joins.
    followers: Mutex<Vec<(u64, Follower)>>,
    next_follower: AtomicU64,
}

/// A follower's place in the chain; dropping it stops the blocks.
pub struct Attached {
    chain: Arc<Chain>,
    ids: Vec<u64>,
}

impl Drop for Attached {
    fn drop(&mut self) {
        let mut followers = self.chain.lock_followers();
        followers.retain(|(id, _)| !self.ids.contains(id));
    }
}

impl Chain {
    /// A chain holding only `network`'s genesis block.
    pub fn new(network: Network) -> Arc<Chain> {
        let chain = Arc::new(Chain {
            network,
            state: Mutex::new(State {
                tip: BestBlock::from_network(network),
                mempool: Vec::new(),
                recent: VecDeque::new(),
                confirmed: Default::default(),
                spent: Default::default(),
                remembered: VecDeque::new(),
            }),
            followers: Mutex::new(Vec::new()),
            next_follower: AtomicU64::new(1),
        });
        // Block 1, empty, so that nothing confirms where LDK's aliases are (see the
        // module doc).
        chain.mine(START_HEIGHT);
        chain
    }

    fn lock_state(&self) -> MutexGuard<'_, State> {
        // Each critical section is a few pushes or a swap: poisoning cannot leave
        // the state half-changed.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_followers(&self) -> MutexGuard<'_, Vec<(u64, Follower)>> {
        self.followers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The tip now.
    pub fn tip(&self) -> BestBlock {
        self.lock_state().tip
    }

    /// Builds something at the current tip and makes it follow the chain from
    /// there, with no block able to slip in between: `make` gets the tip and
    /// returns the thing and its followers (a `ChainMonitor`, then its
    /// `ChannelManager`: monitors first, as LDK's own sample does).
    pub fn attach<T>(
        self: &Arc<Self>,
        make: impl FnOnce(BestBlock) -> (T, Vec<Follower>),
    ) -> (T, Attached) {
        let mut followers = self.lock_followers();
        let tip = self.tip();
        let (thing, new) = make(tip);
        let mut ids = Vec::with_capacity(new.len());
        for f in new {
            let id = self.next_follower.fetch_add(1, Ordering::Relaxed);
            ids.push(id);
            followers.push((id, f));
        }
        (
            thing,
            Attached {
                chain: Arc::clone(self),
                ids,
            },
        )
    }

    /// Puts `tx` in the mempool.
    pub fn submit(&self, tx: Transaction, origin: Origin) -> Result<Txid, SubmitError> {
        let txid = tx.compute_txid();
        let mut state = self.lock_state();
        if let Some(&height) = state.confirmed.get(&txid) {
            return Err(SubmitError::AlreadyConfirmed { txid, height });
        }
        if state.mempool.iter().any(|(t, _, _)| *t == txid) {
            return Err(SubmitError::AlreadyInMempool(txid));
        }
        if state.mempool.len() >= MAX_MEMPOOL {
            return Err(SubmitError::Full);
        }
        if let Some((outpoint, by)) = tx.input.iter().find_map(|i| {
            state
                .spent
                .get(&i.previous_output)
                .map(|by| (i.previous_output, *by))
        }) {
            return Err(SubmitError::DoubleSpend { txid, outpoint, by });
        }
        for i in &tx.input {
            state.spent.insert(i.previous_output, txid);
        }
        state.mempool.push((txid, tx, origin));
        Ok(txid)
    }

    /// Reads a transaction from hex (`confirm`) and puts it in the mempool.
    pub fn submit_hex(&self, hex_tx: &str) -> Result<Txid, SubmitError> {
        let bytes = hex::decode(hex_tx.trim())
            .map_err(|e| SubmitError::NotATransaction(format!("not hex ({e})")))?;
        let tx: Transaction = bitcoin::consensus::deserialize(&bytes).map_err(|e| {
            SubmitError::NotATransaction(match e {
                bitcoin::consensus::encode::Error::Io(_) => format!(
                    "its {} end before the transaction does (a transaction is at least 60 bytes; \
                     paste the whole hex the other shell printed after `hex:`)",
                    match bytes.len() {
                        1 => "1 byte".to_string(),
                        n => format!("{n} bytes"),
                    }
                ),
                other => other.to_string(),
            })
        })?;
        self.submit(tx, Origin::Pasted)
    }

    /// Makes `n` blocks (at most [`MAX_MINE`]); the first confirms the whole
    /// mempool. Every follower gets each block, in order, before the next is made.
    pub fn mine(&self, n: u32) -> Vec<MinedBlock> {
        let followers = self.lock_followers();
        let mut made = Vec::new();
        for _ in 0..n.min(MAX_MINE) {
            let (block, height, record) = {
                let mut state = self.lock_state();
                let txs = std::mem::take(&mut state.mempool);
                let height = state.tip.height + 1;
                for (txid, tx, _) in &txs {
                    let spends = tx.input.iter().map(|i| i.previous_output).collect();
                    state.remembered.push_back((height, *txid, spends));
                }
                let (block, confirmed) = make_block(state.tip.block_hash, height, txs);
                let hash = block.block_hash();
                for (txid, _) in &confirmed {
                    state.confirmed.insert(*txid, height);
                }
                state.tip = BestBlock::new(hash, height);
                state.forget_old();
                let record = MinedBlock {
                    height,
                    hash,
                    confirmed,
                };
                if state.recent.len() == RECENT_BLOCKS {
                    state.recent.pop_front();
                }
                state.recent.push_back(record.clone());
                (block, height, record)
            };
            // The state lock is free here: LDK may broadcast from inside.
            for (_, f) in followers.iter() {
                f.block_connected(&block, height);
            }
            made.push(record);
        }
        made
    }

    /// What `chain` shows.
    pub fn view(&self) -> ChainView {
        let state = self.lock_state();
        ChainView {
            network: self.network,
            height: state.tip.height,
            tip: state.tip.block_hash,
            mempool: state
                .mempool
                .iter()
                .map(|(txid, tx, origin)| MempoolTx {
                    txid: *txid,
                    origin: origin.clone(),
                    inputs: tx.input.len(),
                    outputs: tx.output.len(),
                    value: tx.output.iter().map(|o| o.value).sum(),
                })
                .collect(),
            recent: state.recent.iter().cloned().collect(),
            remembered: state.remembered.len(),
        }
    }

    /// How many followers (chain monitors and channel managers) get blocks.
    pub fn followers(&self) -> usize {
        self.lock_followers().len()
    }
}

/// A block at `height` on top of `prev`: a coinbase (with the height, as BIP 34
/// asks), then `txs`.
fn make_block(
    prev: BlockHash,
    height: u32,
    txs: Vec<(Txid, Transaction, Origin)>,
) -> (Block, Vec<(Txid, Origin)>) {
    let mut script_sig = ScriptBuf::builder()
        .push_int(i64::from(height))
        .into_script()
        .into_bytes();
    script_sig.extend_from_slice(b"lnshell");
    let coinbase = Transaction {
        version: Version::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint::null(),
            script_sig: ScriptBuf::from_bytes(script_sig),
            sequence: Sequence::MAX,
            witness: Witness::new(),
        }],
        output: vec![TxOut {
            value: Amount::ZERO,
            script_pubkey: ScriptBuf::new_op_return([]),
        }],
    };
    let confirmed: Vec<(Txid, Origin)> = txs.iter().map(|(t, _, o)| (*t, o.clone())).collect();
    let mut txdata = vec![coinbase];
    txdata.extend(txs.into_iter().map(|(_, tx, _)| tx));
    let mut block = Block {
        header: Header {
            version: BlockVersion::TWO,
            prev_blockhash: prev,
            merkle_root: TxMerkleNode::all_zeros(),
            // Regtest-like: a fixed start, ten minutes a block, easiest target.
            time: 1_296_688_602u32.wrapping_add(height.wrapping_mul(600)),
            bits: CompactTarget::from_consensus(0x207f_ffff),
            nonce: 0,
        },
        txdata,
    };
    if let Some(root) = block.compute_merkle_root() {
        block.header.merkle_root = root;
    }
    (block, confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    struct Counter {
        last: AtomicU32,
        prev: Mutex<BlockHash>,
    }
    impl Listen for Counter {
        fn filtered_block_connected(
            &self,
            header: &Header,
            _txdata: &lightning::chain::transaction::TransactionData,
            height: u32,
        ) {
            let mut prev = self.prev.lock().unwrap();
            assert_eq!(header.prev_blockhash, *prev, "blocks out of order");
            *prev = header.block_hash();
            assert_eq!(self.last.swap(height, Ordering::SeqCst) + 1, height);
        }
        fn blocks_disconnected(&self, _fork_point_block: BestBlock) {}
    }

    #[test]
    fn blocks_chain_from_genesis_and_take_the_mempool() {
        let chain = Chain::new(Network::Regtest);
        // The chain starts at block 1, empty (see the module doc).
        let start = chain.tip();
        assert_eq!(start.height, 1);
        assert!(chain.view().recent[0].confirmed.is_empty());
        let counter = Arc::new(Counter {
            last: AtomicU32::new(1),
            prev: Mutex::new(start.block_hash),
        });
        let (_, attached) = chain.attach(|tip| {
            assert_eq!(tip.height, 1);
            ((), vec![Arc::clone(&counter) as Follower])
        });
        let tx = crate::node::channels::made_up_funding_tx(
            &lightning::ln::types::ChannelId([7; 32]),
            50_000,
            ScriptBuf::new(),
        );
        let txid = chain.submit(tx.clone(), Origin::Node).unwrap();
        assert_eq!(
            chain.submit(tx.clone(), Origin::Node),
            Err(SubmitError::AlreadyInMempool(txid))
        );
        let blocks = chain.mine(3);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].confirmed, vec![(txid, Origin::Node)]);
        assert!(blocks[1].confirmed.is_empty());
        assert_eq!(counter.last.load(Ordering::SeqCst), 4);
        assert_eq!(
            chain.submit(tx, Origin::Node),
            Err(SubmitError::AlreadyConfirmed { txid, height: 2 })
        );
        drop(attached);
        assert_eq!(chain.followers(), 0);
        chain.mine(1);
        assert_eq!(counter.last.load(Ordering::SeqCst), 4);
        assert_eq!(chain.view().height, 5);
        assert!(matches!(
            chain.submit_hex("zz"),
            Err(SubmitError::NotATransaction(_))
        ));
        let short = chain.submit_hex("00").unwrap_err().to_string();
        assert!(short.contains("end before the transaction does"), "{short}");
        // A second spend of the same output is refused, as any chain would.
        let first = crate::node::channels::made_up_funding_tx(
            &lightning::ln::types::ChannelId([8; 32]),
            1000,
            ScriptBuf::new(),
        );
        let mut second = first.clone();
        second.output[0].value = bitcoin::Amount::from_sat(999);
        let by = chain.submit(first.clone(), Origin::Node).unwrap();
        assert!(matches!(
            chain.submit(second, Origin::Pasted),
            Err(SubmitError::DoubleSpend { by: b, outpoint, .. }) if b == by && outpoint == first.input[0].previous_output
        ));
    }

    #[test]
    fn a_transaction_is_remembered_for_a_day_of_blocks_then_forgotten() {
        let chain = Chain::new(Network::Regtest);
        let made = |n: u8, sat: u64| {
            crate::node::channels::made_up_funding_tx(
                &lightning::ln::types::ChannelId([n; 32]),
                sat,
                ScriptBuf::new(),
            )
        };
        let (tx, other) = (made(1, 1000), made(2, 1000));
        let txid = chain.submit(tx.clone(), Origin::Node).unwrap();
        chain.submit(other.clone(), Origin::Node).unwrap();
        let height = chain.mine(1)[0].height;
        assert_eq!(chain.view().remembered, 2);
        let mut conflict = tx.clone();
        conflict.output[0].value = bitcoin::Amount::from_sat(999);
        // At REMEMBER_DEPTH blocks deep (the confirming block counts as one) it is
        // still known: a copy and a double spend are refused.
        chain.mine(REMEMBER_DEPTH - 1);
        assert_eq!(chain.tip().height, height + REMEMBER_DEPTH - 1);
        assert_eq!(
            chain.submit(tx.clone(), Origin::Pasted),
            Err(SubmitError::AlreadyConfirmed { txid, height })
        );
        assert!(matches!(
            chain.submit(conflict.clone(), Origin::Pasted),
            Err(SubmitError::DoubleSpend { by, .. }) if by == txid
        ));
        assert_eq!(chain.view().remembered, 2);
        // One block deeper, both are forgotten, and their outputs with them.
        chain.mine(1);
        assert_eq!(chain.view().remembered, 0);
        let again = chain.submit(conflict, Origin::Pasted).unwrap();
        assert_ne!(again, txid);
        chain.mine(1);
        assert_eq!(chain.view().remembered, 1);
        // The output the new one spends is its own now: the old copy conflicts.
        assert!(matches!(
            chain.submit(tx, Origin::Pasted),
            Err(SubmitError::DoubleSpend { by, .. }) if by == again
        ));
    }

    #[test]
    fn the_oldest_are_forgotten_beyond_max_remembered_whatever_their_depth() {
        let chain = Chain::new(Network::Regtest);
        let mut first = None;
        for block in 0..3u32 {
            let n = if block == 2 { 1 } else { MAX_MEMPOOL };
            for i in 0..n {
                let k = block as usize * MAX_MEMPOOL + i;
                let mut tx = crate::node::channels::made_up_funding_tx(
                    &lightning::ln::types::ChannelId([0; 32]),
                    1000,
                    ScriptBuf::new(),
                );
                tx.input[0].previous_output.vout = k as u32;
                let txid = chain.submit(tx.clone(), Origin::Node).unwrap();
                first.get_or_insert((tx, txid));
            }
            chain.mine(1);
        }
        assert_eq!(chain.view().remembered, MAX_REMEMBERED);
        // The very first one went, and only it.
        let (tx, txid) = first.unwrap();
        assert_eq!(chain.submit(tx, Origin::Pasted), Ok(txid));
    }
}
