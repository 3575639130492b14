//! A chain backend that is not there: what LDK's `ChannelManager` needs to run
//! with no bitcoind behind it.
//!
//! * fees: one constant feerate, so every number the learner sees is explainable;
//! * broadcasting: the transaction goes to the shell's own chain
//!   ([`super::regtest`]), and is reported as an event;
//! * persistence: channel monitors are kept in memory and forgotten on exit.
//!
//! Blocks come from [`super::regtest`]: `mine` hands them to every manager.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use bitcoin::Transaction;
use lightning::chain::chaininterface::{BroadcasterInterface, ConfirmationTarget, FeeEstimator};
use lightning::chain::chainmonitor::{self, Persist};
use lightning::chain::channelmonitor::{ChannelMonitor, ChannelMonitorUpdate};
use lightning::chain::ChannelMonitorUpdateStatus;
use lightning::sign::{InMemorySigner, KeysManager};
use lightning::util::persist::MonitorName;

use super::logger::FileLogger;
use super::regtest::{Chain, Origin, SubmitError};
use crate::events::{Event, EventSender};

/// The feerate our own transactions use: 2500 sat per 1000 weight units, about
/// 10 sat/vB.
pub const FEERATE_SAT_PER_KW: u32 = 2500;

/// The lowest feerate we accept from a peer: 253 sat/kw, the relay floor
/// (1 sat/vB, rounded up so that rounding never takes a transaction below it).
pub const MIN_PEER_FEERATE_SAT_PER_KW: u32 = 253;

/// A [`FeeEstimator`] with constant answers: [`FEERATE_SAT_PER_KW`] unless
/// [`set`](Self::set) (a netcat session's `open_channel feerate_per_kw=…` sets
/// its own side's).
pub struct ConstantFeeEstimator {
    feerate: AtomicU32,
}

impl Default for ConstantFeeEstimator {
    fn default() -> Self {
        ConstantFeeEstimator {
            feerate: AtomicU32::new(FEERATE_SAT_PER_KW),
        }
    }
}

impl ConstantFeeEstimator {
    /// The feerate our own transactions use from now on (sat per 1000 weight).
    pub fn set(&self, sat_per_kw: u32) {
        self.feerate.store(sat_per_kw, Ordering::Relaxed);
    }
}

impl FeeEstimator for ConstantFeeEstimator {
    fn get_est_sat_per_1000_weight(&self, target: ConfirmationTarget) -> u32 {
        match target {
            // What a peer may propose: anything down to the relay floor, as on regtest.
            ConfirmationTarget::MinAllowedAnchorChannelRemoteFee
            | ConfirmationTarget::MinAllowedNonAnchorChannelRemoteFee => {
                MIN_PEER_FEERATE_SAT_PER_KW
            }
            _ => self.feerate.load(Ordering::Relaxed),
        }
    }
}

/// A [`BroadcasterInterface`] that puts transactions in the shell's chain
/// ([`super::regtest`]) and tells the user; with no chain (the throwaway
/// responder's) it only tells.
pub struct ReportingBroadcaster {
    pub(crate) events: EventSender,
    pub(crate) chain: Option<Arc<Chain>>,
    pub(crate) origin: Origin,
}

impl BroadcasterInterface for ReportingBroadcaster {
    fn broadcast_transactions(&self, txs: &[&Transaction]) {
        for tx in txs {
            let txid = tx.compute_txid();
            let Some(chain) = &self.chain else {
                let _ = self.events.send(Event::WouldBroadcast {
                    txid,
                    inputs: tx.input.len(),
                    outputs: tx.output.len(),
                });
                continue;
            };
            // LDK broadcasts some transactions again (each block, for claims);
            // a copy already waiting or confirmed is not news.
            match chain.submit((*tx).clone(), self.origin.clone()) {
                Ok(_) => {
                    let _ = self.events.send(Event::Broadcast {
                        txid,
                        origin: self.origin.clone(),
                        tx_hex: bitcoin::consensus::encode::serialize_hex(*tx),
                    });
                }
                Err(SubmitError::Full) => {
                    let _ = self.events.send(Event::MempoolFull { txid });
                }
                // A conflicting transaction (the other side's commitment after a
                // force-close) is refused, as a real mempool would, and quietly:
                // LDK broadcasts its claims again on every block.
                Err(_) => {}
            }
        }
    }
}

/// A [`Persist`] that keeps nothing: monitors live in the `ChainMonitor`'s memory.
pub struct MemoryPersister;

impl Persist<InMemorySigner> for MemoryPersister {
    fn persist_new_channel(
        &self,
        _monitor_name: MonitorName,
        _monitor: &ChannelMonitor<InMemorySigner>,
    ) -> ChannelMonitorUpdateStatus {
        ChannelMonitorUpdateStatus::Completed
    }

    fn update_persisted_channel(
        &self,
        _monitor_name: MonitorName,
        _monitor_update: Option<&ChannelMonitorUpdate>,
        _monitor: &ChannelMonitor<InMemorySigner>,
    ) -> ChannelMonitorUpdateStatus {
        ChannelMonitorUpdateStatus::Completed
    }

    fn archive_persisted_channel(&self, _monitor_name: MonitorName) {}
}

/// The `ChainMonitor`, with no chain source (`None`): nothing is watched on-chain.
pub type ChainMonitor = chainmonitor::ChainMonitor<
    InMemorySigner,
    Arc<dyn lightning::chain::Filter + Send + Sync>,
    Arc<ReportingBroadcaster>,
    Arc<ConstantFeeEstimator>,
    Arc<FileLogger>,
    Arc<MemoryPersister>,
    Arc<KeysManager>,
>;
