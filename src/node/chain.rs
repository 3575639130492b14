//! A chain backend that is not there: what LDK's `ChannelManager` needs to run
//! with no bitcoind behind it.
//!
//! * fees: one constant feerate, so every number the learner sees is explainable;
//! * broadcasting: the transaction is reported as an event, not sent anywhere;
//! * persistence: channel monitors are kept in memory and forgotten on exit.
//!
//! That is enough for everything up to "channel pending": opening needs no block.

use std::sync::Arc;

use bitcoin::Transaction;
use lightning::chain::chaininterface::{BroadcasterInterface, ConfirmationTarget, FeeEstimator};
use lightning::chain::chainmonitor::{self, Persist};
use lightning::chain::channelmonitor::{ChannelMonitor, ChannelMonitorUpdate};
use lightning::chain::ChannelMonitorUpdateStatus;
use lightning::sign::{InMemorySigner, KeysManager};
use lightning::util::persist::MonitorName;

use super::logger::FileLogger;
use crate::events::{Event, EventSender};

/// The feerate our own transactions use: 2500 sat per 1000 weight units, about
/// 10 sat/vB.
pub const FEERATE_SAT_PER_KW: u32 = 2500;

/// The lowest feerate we accept from a peer: 253 sat/kw, the relay floor
/// (1 sat/vB, rounded up so that rounding never takes a transaction below it).
pub const MIN_PEER_FEERATE_SAT_PER_KW: u32 = 253;

/// A [`FeeEstimator`] with constant answers.
pub struct ConstantFeeEstimator;

impl FeeEstimator for ConstantFeeEstimator {
    fn get_est_sat_per_1000_weight(&self, target: ConfirmationTarget) -> u32 {
        match target {
            // What a peer may propose: anything down to the relay floor, as on regtest.
            ConfirmationTarget::MinAllowedAnchorChannelRemoteFee
            | ConfirmationTarget::MinAllowedNonAnchorChannelRemoteFee => {
                MIN_PEER_FEERATE_SAT_PER_KW
            }
            _ => FEERATE_SAT_PER_KW,
        }
    }
}

/// A [`BroadcasterInterface`] that tells the user what it would broadcast.
pub struct ReportingBroadcaster {
    pub(crate) events: EventSender,
}

impl BroadcasterInterface for ReportingBroadcaster {
    fn broadcast_transactions(&self, txs: &[&Transaction]) {
        for tx in txs {
            let _ = self.events.send(Event::WouldBroadcast {
                txid: tx.compute_txid(),
                inputs: tx.input.len(),
                outputs: tx.output.len(),
            });
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
