//! What the user asks of channels: open, list, close, force-close.
//!
//! Opening is a conversation, not a call: `create_channel` only queues an
//! `open_channel` for the peer, and the rest (`accept_channel`, the funding
//! transaction, `funding_created`, `funding_signed`) happens in LDK's event loop
//! ([`super::channels`]). So [`Node::open_channel`] registers a waiter under its
//! `user_channel_id` and sleeps on it until the event loop reports the channel
//! pending, or closed, or [`OPEN_TIMEOUT`] passes.
//!
//! Closing needs no wait: LDK sends `shutdown` (or force-closes) at once, and what
//! follows is reported as events.

use std::sync::atomic::Ordering;

use bitcoin::secp256k1::PublicKey;
use lightning::ln::channel_state::ChannelDetails;
use tokio::sync::oneshot;

use super::channels::OPEN_TIMEOUT;
use super::error::{ChannelError, NodeError};
use super::{ChannelOpening, ClosingChannel, ForceClosed, Node};

impl Node {
    /// Opens a channel of `sats` to a connected peer and waits until it is pending
    /// (or refused, or [`OPEN_TIMEOUT`] passes).
    pub async fn open_channel(
        &self,
        peer: PublicKey,
        sats: u64,
        push_msat: u64,
    ) -> Result<ChannelOpening, NodeError> {
        if self.shared.peer_manager.peer_by_node_id(&peer).is_none() {
            return Err(ChannelError::NotConnected { peer }.into());
        }
        // A guest is unknown to the ChannelManager until it is handed over; the
        // user asking for a channel is reason enough (LDK's limit is for strangers).
        self.admission.admit(&peer, false);
        let user_channel_id = u128::from(self.next_user_channel_id.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = oneshot::channel();
        self.waiters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user_channel_id, tx);
        let created =
            self.ldk
                .cm()
                .create_channel(peer, sats, push_msat, user_channel_id, None, None);
        let temp_id = match created {
            Ok(id) => id,
            Err(e) => {
                self.waiters
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&user_channel_id);
                return Err(ChannelError::OpenRefused(e.into()).into());
            }
        };
        self.shared.peer_manager.process_events();
        match tokio::time::timeout(OPEN_TIMEOUT, rx).await {
            Ok(Ok(Ok(pending))) => Ok(ChannelOpening {
                temporary_channel_id: temp_id,
                pending,
            }),
            Ok(Ok(Err(failure))) => Err(ChannelError::OpenFailed(Box::new(failure)).into()),
            Ok(Err(_)) => Err(ChannelError::Stopped.into()),
            Err(_) => {
                self.waiters
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&user_channel_id);
                Err(ChannelError::OpenTimeout {
                    temporary_channel_id: temp_id,
                    timeout: OPEN_TIMEOUT,
                }
                .into())
            }
        }
    }

    /// Every channel LDK knows.
    pub fn channels(&self) -> Vec<ChannelDetails> {
        self.ldk.cm().list_channels()
    }

    /// Finds a channel by id or a unique prefix of it.
    fn find_channel(&self, id: &str) -> Result<ChannelDetails, NodeError> {
        let id = id.trim().to_ascii_lowercase();
        let mut found: Vec<_> = self
            .channels()
            .into_iter()
            .filter(|c| c.channel_id.to_string().starts_with(&id))
            .collect();
        match found.len() {
            0 => Err(ChannelError::NoChannel { id }.into()),
            1 => Ok(found.remove(0)),
            n => Err(ChannelError::Ambiguous { id, matches: n }.into()),
        }
    }

    /// Starts a cooperative close (`shutdown`).
    pub fn close_channel(&self, id: &str) -> Result<ClosingChannel, NodeError> {
        let c = self.find_channel(id)?;
        self.ldk
            .cm()
            .close_channel(&c.channel_id, &c.counterparty.node_id)
            .map_err(|e| ChannelError::Ldk(e.into()))?;
        self.shared.peer_manager.process_events();
        Ok(ClosingChannel {
            channel_id: c.channel_id,
            counterparty: c.counterparty.node_id,
        })
    }

    /// Force-closes a channel (our latest commitment would be broadcast).
    pub fn force_close(&self, id: &str) -> Result<ForceClosed, NodeError> {
        let c = self.find_channel(id)?;
        self.ldk
            .cm()
            .force_close_broadcasting_latest_txn(
                &c.channel_id,
                &c.counterparty.node_id,
                "force-closed from lnshell".into(),
            )
            .map_err(|e| ChannelError::Ldk(e.into()))?;
        self.shared.peer_manager.process_events();
        Ok(ForceClosed {
            channel_id: c.channel_id,
        })
    }
}
