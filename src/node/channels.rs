//! Channels: LDK's real `ChannelManager`, in memory, with no blockchain behind it.
//!
//! The node answers an inbound `open_channel` the way any LDK node would
//! (`accept_channel`, or an `error` with LDK's reason), and can open channels
//! itself: `open_channel` → `accept_channel` → a funding transaction built here
//! (regtest; its input is made up, which is fine because nothing is broadcast)
//! → `funding_created` → `funding_signed` → channel pending.
//!
//! This room holds the running side: LDK's events (funding, pending, closed) and
//! the waiters `openchannel` blocks on. What the user asks for (open, close) is in
//! `channel_ops`; "what would LDK answer to this `open_channel`?" is in
//! [`responder`](super::responder), re-exported here under its old path.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use bitcoin::absolute::LockTime;
use bitcoin::hashes::{sha256, Hash};
use bitcoin::transaction::Version;
use bitcoin::{Amount, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid, Witness};
use lightning::events::{Event as LdkEvent, EventsProvider, ReplayEvent};
use lightning::ln::types::ChannelId;
use tokio::sync::oneshot;

use super::ldk::{ChannelManager, Ldk};
pub use super::responder::{explain_refusal, read_open_channel, Answer, Responder};
use crate::events::{Event, EventSender};

/// Who is waiting for an `openchannel` to finish, by `user_channel_id`.
pub(crate) type OpenWaiters = Mutex<HashMap<u128, oneshot::Sender<Result<String, String>>>>;

/// Handles one LDK event: reports it, and funds channels we open.
pub(crate) fn handle_event(
    cm: &ChannelManager,
    events: &EventSender,
    waiters: &OpenWaiters,
    event: LdkEvent,
) {
    match event {
        LdkEvent::FundingGenerationReady {
            temporary_channel_id,
            counterparty_node_id,
            channel_value_satoshis,
            output_script,
            user_channel_id,
            ..
        } => {
            let tx =
                made_up_funding_tx(&temporary_channel_id, channel_value_satoshis, output_script);
            let _ = events.send(Event::FundingBuilt {
                counterparty_node_id,
                txid: tx.compute_txid(),
                channel_value_satoshis,
            });
            if let Err(e) =
                cm.funding_transaction_generated(temporary_channel_id, counterparty_node_id, tx)
            {
                let text = format!("LDK refused the funding transaction: {e:?}");
                let _ = events.send(Event::FundingRefused { error: e });
                finish(waiters, user_channel_id, Err(text));
            }
        }
        LdkEvent::ChannelPending {
            channel_id,
            user_channel_id,
            counterparty_node_id,
            funding_txo,
            ..
        } => {
            // The words for a waiting `openchannel`; the event carries the data.
            let text = format!(
                "ChannelPending: channel {channel_id} with {counterparty_node_id} is pending; funding outpoint {funding_txo} \
                 (it would be ready after confirmations; there is no chain here)"
            );
            let _ = events.send(Event::ChannelPending {
                channel_id,
                counterparty_node_id,
                funding_txo,
            });
            finish(waiters, user_channel_id, Ok(text));
        }
        LdkEvent::ChannelReady {
            channel_id,
            counterparty_node_id,
            ..
        } => {
            let _ = events.send(Event::ChannelReady {
                channel_id,
                counterparty_node_id,
            });
        }
        LdkEvent::ChannelClosed {
            channel_id,
            user_channel_id,
            reason,
            counterparty_node_id,
            ..
        } => {
            let who = counterparty_node_id
                .map(|n| format!(" with {n}"))
                .unwrap_or_default();
            let text = format!("ChannelClosed: channel {channel_id}{who}: {reason}");
            let _ = events.send(Event::ChannelClosed {
                channel_id,
                counterparty_node_id,
                reason,
            });
            finish(waiters, user_channel_id, Err(text));
        }
        LdkEvent::OpenChannelRequest {
            temporary_channel_id,
            counterparty_node_id,
            funding_satoshis,
            ..
        } => {
            let _ = events.send(Event::OpenChannelRequest {
                temporary_channel_id,
                counterparty_node_id,
                funding_satoshis,
            });
        }
        LdkEvent::DiscardFunding { channel_id, .. } => {
            let _ = events.send(Event::DiscardFunding { channel_id });
        }
        other => {
            let _ = events.send(Event::OtherLdkEvent(Box::new(other)));
        }
    }
}

fn finish(waiters: &OpenWaiters, user_channel_id: u128, result: Result<String, String>) {
    if let Some(tx) = waiters
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&user_channel_id)
    {
        let _ = tx.send(result);
    }
}

/// A funding transaction whose one input spends an output that does not exist.
///
/// LDK checks that funding inputs carry witnesses (segwit spends, so the txid
/// cannot be malleated), so the input gets a placeholder witness.
pub fn made_up_funding_tx(
    seed: &ChannelId,
    value_sat: u64,
    output_script: ScriptBuf,
) -> Transaction {
    let prev = Txid::from_byte_array(sha256::Hash::hash(&seed.0).to_byte_array());
    Transaction {
        version: Version::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint {
                txid: prev,
                vout: 0,
            },
            script_sig: ScriptBuf::new(),
            sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
            witness: Witness::from_slice(&[vec![0x30; 72], vec![0x02; 33]]),
        }],
        output: vec![TxOut {
            value: Amount::from_sat(value_sat),
            script_pubkey: output_script,
        }],
    }
}

/// Processes LDK's pending events once (both the channel manager's and the chain
/// monitor's).
pub(crate) fn process_events(ldk: &Ldk, events: &EventSender, waiters: &OpenWaiters) {
    let cm = &ldk.channel_manager;
    let handler = |ev: LdkEvent| -> Result<(), ReplayEvent> {
        handle_event(cm, events, waiters, ev);
        Ok(())
    };
    cm.process_pending_events(&handler);
    ldk.chain_monitor.process_pending_events(&handler);
    // Nothing is persisted, but the flag must be cleared or the future keeps firing.
    let _ = cm.get_and_clear_needs_persistence();
}

/// How long `openchannel` waits for the channel to become pending.
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(10);
