//! What the user asks of the shell's chain and of payments: `mine`, `chain`,
//! `confirm`, `keysend`.
//!
//! The chain itself is [`super::regtest`]; this room is the node's face onto it.
//! After a block, LDK may want to send (`channel_ready` once the funding is deep
//! enough), so each `mine` ends by asking the `PeerManager` to send what is queued,
//! as LDK's background processor would.

use bitcoin::secp256k1::PublicKey;
use bitcoin::Txid;
use lightning::types::payment::PaymentHash;

use super::error::{ChannelError, NodeError};
use super::regtest::{ChainView, MinedBlock, SubmitError};
use super::Node;

impl Node {
    /// Makes `n` blocks on the shell's chain and hands them to every LDK
    /// manager in the shell (the node's and each netcat session's side).
    pub fn mine(&self, n: u32) -> Vec<MinedBlock> {
        let blocks = self.chain.mine(n);
        self.shared.peer_manager.process_events();
        blocks
    }

    /// The shell's chain: height, mempool, recent blocks.
    pub fn chain(&self) -> ChainView {
        self.chain.view()
    }

    /// Puts a transaction made elsewhere (a second shell's funding) in the mempool.
    pub fn confirm(&self, tx_hex: &str) -> Result<Txid, SubmitError> {
        self.chain.submit_hex(tx_hex)
    }

    /// Pays `peer` `amount_msat` with a keysend over a usable channel.
    pub fn keysend(&self, peer: PublicKey, amount_msat: u64) -> Result<PaymentHash, NodeError> {
        let cm = self.ldk.cm();
        if !cm
            .list_usable_channels()
            .iter()
            .any(|c| c.counterparty.node_id == peer)
        {
            return Err(ChannelError::NoUsableChannel { peer }.into());
        }
        let hash = super::ldk::send_keysend(&cm, peer, amount_msat).map_err(|e| {
            ChannelError::PaymentRefused {
                reason: format!("{e:?}"),
            }
        })?;
        self.shared.peer_manager.process_events();
        Ok(hash)
    }
}
