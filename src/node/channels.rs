//! Channels: LDK's real `ChannelManager`, in memory, on the shell's own chain.
//!
//! The node answers an inbound `open_channel` the way any LDK node would
//! (`accept_channel`, or an `error` with LDK's reason), and can open channels
//! itself: `open_channel` → `accept_channel` → a funding transaction built here
//! (regtest; its input is made up, which the shell's chain, checking no inputs,
//! accepts: [`super::regtest`])
//! → `funding_created` → `funding_signed` → channel pending.
//!
//! This room holds the running side: LDK's events (funding, pending, closed) and
//! the waiters `openchannel` blocks on. What the user asks for (open, close) is in
//! `channel_ops`; "what would LDK answer to this `open_channel`?" is in
//! [`responder`](super::responder).
//!
//! A waiting `openchannel` gets typed data, not a sentence: a [`PendingChannel`],
//! or an [`OpenFailure`] (the channel closed, or LDK refused the funding). Their
//! words are written once, here (`impl Display`) and in `OpenFailure`'s
//! `#[error]`, because two readers say the same happening: the shell's
//! `openchannel` view, and the event printer (`repl::printer`), which prints
//! LDK's `ChannelPending` and `ChannelClosed` with an `[ldk]` prefix. Both sit
//! above the node, so both can import these words without an import running up;
//! the events stay plain data, as with `NetcatAnswer`, whose words the netcat
//! session writes because it also says them to its client.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use bitcoin::absolute::LockTime;
use bitcoin::hashes::{sha256, Hash};
use bitcoin::secp256k1::PublicKey;
use bitcoin::transaction::Version;
use bitcoin::{Amount, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid, Witness};
use lightning::events::{Event as LdkEvent, EventsProvider, ReplayEvent};
use lightning::ln::types::ChannelId;
use tokio::sync::oneshot;

use super::error::{ClosedChannel, OpenFailure};
use super::ldk::{ChannelManager, Ldk};
use crate::events::{Event, EventSender};

/// Who is waiting for an `openchannel` to finish, by `user_channel_id`.
pub(crate) type OpenWaiters = Mutex<HashMap<u128, OpenWaiter>>;

/// One waiting `openchannel`.
pub(crate) type OpenWaiter = oneshot::Sender<Result<PendingChannel, OpenFailure>>;

/// LDK's `ChannelPending`: funding is signed on both sides, so the channel is
/// ready once the funding transaction has enough confirmations (`mine 6`). The fields keep LDK's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingChannel {
    /// The channel's id, now derived from the funding outpoint.
    pub channel_id: ChannelId,
    /// The peer the channel is with.
    pub counterparty_node_id: PublicKey,
    /// The funding transaction's output the channel lives in.
    pub funding_txo: OutPoint,
}

/// The one wording of LDK's `ChannelPending` (the printer adds `[ldk] `).
impl fmt::Display for PendingChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ChannelPending: channel {} with {} is pending; funding outpoint {} \
             (it is ready after confirmations: `mine 6` on the shell's chain)",
            self.channel_id, self.counterparty_node_id, self.funding_txo
        )
    }
}

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
                // The event goes out first, then the waiter is woken, as for
                // every outcome below: the `[ldk]` line comes before the answer.
                let failure = OpenFailure::FundingRefused { error: e.clone() };
                let waiter = take_waiter(waiters, user_channel_id);
                let _ = events.send(Event::FundingRefused {
                    error: e,
                    answered: is_waiting(&waiter),
                });
                finish(waiter, Err(failure));
            }
        }
        LdkEvent::ChannelPending {
            channel_id,
            user_channel_id,
            counterparty_node_id,
            funding_txo,
            ..
        } => {
            let waiter = take_waiter(waiters, user_channel_id);
            let _ = events.send(Event::ChannelPending {
                channel_id,
                counterparty_node_id,
                funding_txo,
                answered: is_waiting(&waiter),
            });
            let pending = PendingChannel {
                channel_id,
                counterparty_node_id,
                funding_txo,
            };
            finish(waiter, Ok(pending));
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
            channel_funding_txo,
            ..
        } => {
            let funded = channel_funding_txo.is_some();
            // Most closes have no waiter (`closechannel`, a peer's `error`); only
            // an open that never got to pending copies LDK's reason for its caller.
            let waiter = take_waiter(waiters, user_channel_id);
            let failure = waiter.as_ref().map(|_| {
                OpenFailure::Closed(ClosedChannel {
                    channel_id,
                    counterparty_node_id,
                    reason: reason.clone(),
                    funded,
                })
            });
            let _ = events.send(Event::ChannelClosed {
                channel_id,
                counterparty_node_id,
                reason,
                funded,
                answered: is_waiting(&waiter),
            });
            if let (Some(waiter), Some(failure)) = (waiter, failure) {
                let _ = waiter.send(Err(failure));
            }
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
        LdkEvent::PaymentClaimable {
            purpose,
            payment_hash,
            ..
        } => match purpose.preimage() {
            // A keysend (or an invoice we made) carries its preimage: claim it.
            Some(preimage) => cm.claim_funds(preimage),
            // Nothing to claim with: LDK fails the HTLC back after a while.
            None => cm.fail_htlc_backwards(&payment_hash),
        },
        LdkEvent::PaymentClaimed {
            payment_hash,
            amount_msat,
            htlcs,
            ..
        } => {
            let _ = events.send(Event::PaymentReceived {
                counterparty_node_id: htlcs.first().and_then(|h| h.counterparty_node_id),
                amount_msat,
                payment_hash,
            });
        }
        LdkEvent::PaymentSent {
            payment_hash,
            fee_paid_msat,
            ..
        } => {
            let _ = events.send(Event::PaymentSent {
                payment_hash,
                fee_paid_msat,
            });
        }
        LdkEvent::PaymentFailed {
            payment_hash,
            reason,
            ..
        } => {
            let _ = events.send(Event::PaymentFailed {
                payment_hash,
                reason,
            });
        }
        LdkEvent::PaymentPathSuccessful { .. } | LdkEvent::PaymentPathFailed { .. } => {}
        LdkEvent::DiscardFunding { channel_id, .. } => {
            let _ = events.send(Event::DiscardFunding { channel_id });
        }
        other => {
            let _ = events.send(Event::OtherLdkEvent(Box::new(other)));
        }
    }
}

/// Wakes the `openchannel` waiting on `user_channel_id`, if one waits.
fn finish(waiter: Option<OpenWaiter>, result: Result<PendingChannel, OpenFailure>) {
    if let Some(waiter) = waiter {
        let _ = waiter.send(result);
    }
}

/// Whether an `openchannel` still waits on `waiter` (it will print the outcome, so
/// the event printer need not).
fn is_waiting(waiter: &Option<OpenWaiter>) -> bool {
    waiter.as_ref().is_some_and(|w| !w.is_closed())
}

/// The waiter of the `openchannel` that gave this `user_channel_id`, if one waits.
fn take_waiter(waiters: &OpenWaiters, user_channel_id: u128) -> Option<OpenWaiter> {
    waiters
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&user_channel_id)
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
    let cm = ldk.cm();
    let handler = |ev: LdkEvent| -> Result<(), ReplayEvent> {
        match &ev {
            LdkEvent::ChannelClosed { .. } => ldk.channel_manager.channel_closed(),
            // A manager rebuilt in memory replays the payments its closed channels'
            // monitors remember: said once, when they were claimed (`rebuild`).
            LdkEvent::PaymentClaimed {
                payment_hash,
                payment_id,
                ..
            } if !ldk
                .channel_manager
                .first_claim((*payment_hash, *payment_id)) =>
            {
                return Ok(());
            }
            _ => {}
        }
        handle_event(&cm, events, waiters, ev);
        Ok(())
    };
    cm.process_pending_events(&handler);
    ldk.chain_monitor.process_pending_events(&handler);
    // Received HTLCs wait here until processed (LDK's background processor does
    // this on a timer; we do it as soon as there is something to do).
    if cm.needs_pending_htlc_processing() {
        cm.process_pending_htlc_forwards();
        cm.process_pending_events(&handler);
    }
    // Nothing is persisted, but the flag must be cleared or the future keeps firing.
    let _ = cm.get_and_clear_needs_persistence();
}

/// How long `openchannel` waits for the channel to become pending.
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(10);
