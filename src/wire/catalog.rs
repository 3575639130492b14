//! The table of Lightning wire messages: for each of the 50 message types of the current BOLTs
//! its number, name, BOLT, fields in wire order (with type, count and meaning) and TLV stream,
//! plus the name of the LDK struct that reads it.
//!
//! The data itself (`catalog_data.rs`) was generated once from the BOLT text; the types that
//! describe it are here.

pub use super::catalog_data::{FAILURE_CODES, MESSAGES};

/// The message type numbers, named as the BOLTs name the messages, so that code says
/// `catalog::PING` where it means ping and never a bare `18` (the test
/// `type_constants_match_the_table` keeps them equal to [`MESSAGES`]).
pub mod types {
    pub const WARNING: u16 = 1;
    pub const STFU: u16 = 2;
    pub const PEER_STORAGE: u16 = 7;
    pub const PEER_STORAGE_RETRIEVAL: u16 = 9;
    pub const INIT: u16 = 16;
    pub const ERROR: u16 = 17;
    pub const PING: u16 = 18;
    pub const PONG: u16 = 19;
    pub const OPEN_CHANNEL: u16 = 32;
    pub const ACCEPT_CHANNEL: u16 = 33;
    pub const FUNDING_CREATED: u16 = 34;
    pub const FUNDING_SIGNED: u16 = 35;
    pub const CHANNEL_READY: u16 = 36;
    pub const SHUTDOWN: u16 = 38;
    pub const CLOSING_SIGNED: u16 = 39;
    pub const CLOSING_COMPLETE: u16 = 40;
    pub const CLOSING_SIG: u16 = 41;
    pub const OPEN_CHANNEL2: u16 = 64;
    pub const ACCEPT_CHANNEL2: u16 = 65;
    pub const TX_ADD_INPUT: u16 = 66;
    pub const TX_ADD_OUTPUT: u16 = 67;
    pub const TX_REMOVE_INPUT: u16 = 68;
    pub const TX_REMOVE_OUTPUT: u16 = 69;
    pub const TX_COMPLETE: u16 = 70;
    pub const TX_SIGNATURES: u16 = 71;
    pub const TX_INIT_RBF: u16 = 72;
    pub const TX_ACK_RBF: u16 = 73;
    pub const TX_ABORT: u16 = 74;
    pub const SPLICE_LOCKED: u16 = 77;
    pub const SPLICE_INIT: u16 = 80;
    pub const SPLICE_ACK: u16 = 81;
    pub const START_BATCH: u16 = 127;
    pub const UPDATE_ADD_HTLC: u16 = 128;
    pub const UPDATE_FULFILL_HTLC: u16 = 130;
    pub const UPDATE_FAIL_HTLC: u16 = 131;
    pub const COMMITMENT_SIGNED: u16 = 132;
    pub const REVOKE_AND_ACK: u16 = 133;
    pub const UPDATE_FEE: u16 = 134;
    pub const UPDATE_FAIL_MALFORMED_HTLC: u16 = 135;
    pub const CHANNEL_REESTABLISH: u16 = 136;
    pub const CHANNEL_ANNOUNCEMENT: u16 = 256;
    pub const NODE_ANNOUNCEMENT: u16 = 257;
    pub const CHANNEL_UPDATE: u16 = 258;
    pub const ANNOUNCEMENT_SIGNATURES: u16 = 259;
    pub const QUERY_SHORT_CHANNEL_IDS: u16 = 261;
    pub const REPLY_SHORT_CHANNEL_IDS_END: u16 = 262;
    pub const QUERY_CHANNEL_RANGE: u16 = 263;
    pub const REPLY_CHANNEL_RANGE: u16 = 264;
    pub const GOSSIP_TIMESTAMP_FILTER: u16 = 265;
    pub const ONION_MESSAGE: u16 = 513;

    /// The first type of the custom range (BOLT 1: 32768-65535, for experiments).
    pub const CUSTOM_START: u16 = 32768;
}
pub use types::*;

/// Wire type of one field (BOLT 1 "Fundamental Types", plus the few subtypes messages use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One byte (`byte` or `u8`).
    Byte,
    U16,
    U32,
    U64,
    /// Signed 64-bit integer, two's complement.
    S64,
    /// Truncated u32: 0 to 4 bytes, minimal, only as the last field of a TLV record.
    Tu32,
    /// Truncated u64: 0 to 8 bytes, minimal, only as the last field of a TLV record.
    Tu64,
    BigSize,
    /// 32-byte genesis block hash.
    ChainHash,
    /// 32-byte channel id.
    ChannelId,
    /// 32-byte hash (also txids in wire byte order).
    Sha256,
    /// First 4 bytes of a SHA256.
    Sha256Trunc4,
    /// 33-byte compressed secp256k1 point.
    Point,
    /// 64-byte compact ECDSA signature.
    Signature,
    /// 8 bytes: 3-byte block height, 3-byte transaction index, 2-byte output index.
    ShortChannelId,
    /// Subtype `witness`: u16 length then that many bytes (a consensus-encoded witness).
    Witness,
    /// Subtype `channel_update_checksums`: two u32.
    ChannelUpdateChecksums,
    /// The message's TLV stream (always the last field).
    Tlvs,
}

impl FieldType {
    /// Size in bytes of one element, when fixed.
    pub const fn fixed_size(self) -> Option<usize> {
        match self {
            FieldType::Byte => Some(1),
            FieldType::U16 => Some(2),
            FieldType::U32 | FieldType::Sha256Trunc4 => Some(4),
            FieldType::U64 | FieldType::S64 | FieldType::ShortChannelId => Some(8),
            FieldType::ChannelUpdateChecksums => Some(8),
            FieldType::ChainHash | FieldType::ChannelId | FieldType::Sha256 => Some(32),
            FieldType::Point => Some(33),
            FieldType::Signature => Some(64),
            FieldType::Tu32
            | FieldType::Tu64
            | FieldType::BigSize
            | FieldType::Witness
            | FieldType::Tlvs => None,
        }
    }

    /// The type as the BOLTs spell it.
    pub const fn spec_name(self) -> &'static str {
        match self {
            FieldType::Byte => "byte",
            FieldType::U16 => "u16",
            FieldType::U32 => "u32",
            FieldType::U64 => "u64",
            FieldType::S64 => "s64",
            FieldType::Tu32 => "tu32",
            FieldType::Tu64 => "tu64",
            FieldType::BigSize => "bigsize",
            FieldType::ChainHash => "chain_hash",
            FieldType::ChannelId => "channel_id",
            FieldType::Sha256 => "sha256",
            FieldType::Sha256Trunc4 => "sha256[..4]",
            FieldType::Point => "point",
            FieldType::Signature => "signature",
            FieldType::ShortChannelId => "short_channel_id",
            FieldType::Witness => "witness",
            FieldType::ChannelUpdateChecksums => "channel_update_checksums",
            FieldType::Tlvs => "tlv_stream",
        }
    }
}

/// How many elements of the type a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Exactly one.
    One,
    /// A fixed number (e.g. `32*byte`).
    Fixed(usize),
    /// As many as an earlier field of the same list says (e.g. `len*byte`).
    Field(&'static str),
    /// The rest of the TLV record (`...*byte`).
    Rest,
}

/// What a field means beyond its wire type: drives units and human-readable values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing beyond the type.
    Plain,
    Satoshis,
    Millisatoshis,
    FeeratePerKw,
    /// `to_self_delay`: relative delay in blocks.
    DelayBlocks,
    /// `cltv_expiry_delta`.
    BlockDelta,
    BlockHeight,
    BlockCount,
    Confirmations,
    Locktime,
    Timestamp,
    Seconds,
    Millionths,
    /// A length or count of the field(s) that follow.
    Length,
    ByteCount,
    InitFeatures,
    NodeFeatures,
    ChannelFeatures,
    ChannelTypeFeatures,
    OpenChannelFlags,
    UpdateChannelFlags,
    MessageFlags,
    Bool,
    Alias,
    Rgb,
    Addresses,
    Address,
    Text,
    Script,
    /// A txid, sent in internal byte order (displayed reversed).
    Txid,
    Preimage,
    Secret,
    ChannelIdBytes,
    Onion,
    Transaction,
    EncodedShortIds,
    EncodedTimestamps,
    EncodedQueryFlags,
    EncodingType,
    FailureCode,
    MessageType,
    RetransmitFlags,
    QueryOptionFlags,
    Sequence,
    SerialId,
    Ignored,
    HoldTimes,
}

/// One field of a message or TLV record.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    /// Name exactly as the spec spells it.
    pub name: &'static str,
    pub ty: FieldType,
    pub count: Count,
    pub kind: Kind,
    /// One-line meaning.
    pub meaning: &'static str,
}

/// One record type of a TLV stream.
#[derive(Clone, Copy, Debug)]
pub struct TlvRecordSpec {
    pub tlv_type: u64,
    pub name: &'static str,
    pub fields: &'static [FieldSpec],
    pub meaning: &'static str,
}

/// A named TLV stream and its known records, sorted by type.
#[derive(Clone, Copy, Debug)]
pub struct TlvStreamSpec {
    pub name: &'static str,
    pub records: &'static [TlvRecordSpec],
}

impl TlvStreamSpec {
    /// The record definition for `tlv_type`, if the spec defines one.
    pub fn record(&self, tlv_type: u64) -> Option<&'static TlvRecordSpec> {
        self.records.iter().find(|r| r.tlv_type == tlv_type)
    }
}

/// The BOLT 1 message extension of a message that defines no TLV records of its own.
pub static EXTENSION: TlvStreamSpec = TlvStreamSpec {
    name: "extension",
    records: &[],
};

/// One wire message.
#[derive(Clone, Copy, Debug)]
pub struct MessageSpec {
    pub msg_type: u16,
    pub name: &'static str,
    pub bolt: u8,
    /// Section of the BOLT that defines it.
    pub section: &'static str,
    /// Feature the message depends on, if the type line names one.
    pub option: Option<&'static str>,
    pub tlv_stream: Option<&'static TlvStreamSpec>,
    /// The `lightning::ln::msgs` struct that reads it.
    pub ldk_struct: &'static str,
    pub fields: &'static [FieldSpec],
}

impl MessageSpec {
    /// Gossip messages whose signature covers extra data appended after the last field.
    pub fn allows_excess_data(&self) -> bool {
        matches!(self.msg_type, CHANNEL_ANNOUNCEMENT..=CHANNEL_UPDATE)
    }
}

/// The message with this type number.
pub fn by_type(msg_type: u16) -> Option<&'static MessageSpec> {
    MESSAGES
        .binary_search_by_key(&msg_type, |m| m.msg_type)
        .ok()
        .and_then(|i| MESSAGES.get(i))
}

/// The message with this name (as the spec spells it).
pub fn by_name(name: &str) -> Option<&'static MessageSpec> {
    MESSAGES.iter().find(|m| m.name == name)
}

/// All 50 message names, in type order (for tab completion and `example`).
pub fn message_names() -> Vec<&'static str> {
    MESSAGES.iter().map(|m| m.name).collect()
}

/// Name of a BOLT 4 failure code.
pub fn failure_code_name(code: u16) -> Option<&'static str> {
    FAILURE_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// The BOLT 1 group a type number falls in.
pub fn type_group(msg_type: u16) -> &'static str {
    match msg_type {
        0..=31 => "setup & control",
        32..=127 => "channel",
        128..=255 => "commitment",
        256..=511 => "routing",
        CUSTOM_START..=u16::MAX => "custom",
        _ => "unassigned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_messages_sorted_and_unique() {
        assert_eq!(MESSAGES.len(), 50);
        assert!(MESSAGES.windows(2).all(|w| w[0].msg_type < w[1].msg_type));
        let mut names = message_names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 50);
    }

    #[test]
    fn lookups() {
        assert_eq!(by_type(18).map(|m| m.name), Some("ping"));
        assert_eq!(by_name("open_channel").map(|m| m.msg_type), Some(32));
        assert!(by_type(99).is_none());
        assert_eq!(failure_code_name(0xc005), Some("invalid_onion_hmac"));
    }

    #[test]
    fn length_fields_come_first() {
        // Every `Count::Field` names an earlier field of the same list.
        let check = |fields: &[FieldSpec]| {
            for (i, f) in fields.iter().enumerate() {
                if let Count::Field(len) = f.count {
                    assert!(fields[..i].iter().any(|g| g.name == len), "{}", f.name);
                }
            }
        };
        for m in MESSAGES {
            check(m.fields);
            if let Some(s) = m.tlv_stream {
                assert!(s.records.windows(2).all(|w| w[0].tlv_type < w[1].tlv_type));
                for r in s.records {
                    check(r.fields);
                }
            }
        }
    }

    #[test]
    fn five_streams_by_name() {
        let by_name: Vec<_> = MESSAGES
            .iter()
            .filter(|m| m.tlv_stream.is_some() && !m.fields.iter().any(|f| f.ty == FieldType::Tlvs))
            .map(|m| m.name)
            .collect();
        assert_eq!(
            by_name,
            [
                "start_batch",
                "update_add_htlc",
                "update_fulfill_htlc",
                "update_fail_htlc",
                "channel_reestablish"
            ]
        );
    }

    #[test]
    fn type_constants_match_the_table() {
        let named = [
            (WARNING, "warning"),
            (STFU, "stfu"),
            (PEER_STORAGE, "peer_storage"),
            (PEER_STORAGE_RETRIEVAL, "peer_storage_retrieval"),
            (INIT, "init"),
            (ERROR, "error"),
            (PING, "ping"),
            (PONG, "pong"),
            (OPEN_CHANNEL, "open_channel"),
            (ACCEPT_CHANNEL, "accept_channel"),
            (FUNDING_CREATED, "funding_created"),
            (FUNDING_SIGNED, "funding_signed"),
            (CHANNEL_READY, "channel_ready"),
            (SHUTDOWN, "shutdown"),
            (CLOSING_SIGNED, "closing_signed"),
            (CLOSING_COMPLETE, "closing_complete"),
            (CLOSING_SIG, "closing_sig"),
            (OPEN_CHANNEL2, "open_channel2"),
            (ACCEPT_CHANNEL2, "accept_channel2"),
            (TX_ADD_INPUT, "tx_add_input"),
            (TX_ADD_OUTPUT, "tx_add_output"),
            (TX_REMOVE_INPUT, "tx_remove_input"),
            (TX_REMOVE_OUTPUT, "tx_remove_output"),
            (TX_COMPLETE, "tx_complete"),
            (TX_SIGNATURES, "tx_signatures"),
            (TX_INIT_RBF, "tx_init_rbf"),
            (TX_ACK_RBF, "tx_ack_rbf"),
            (TX_ABORT, "tx_abort"),
            (SPLICE_LOCKED, "splice_locked"),
            (SPLICE_INIT, "splice_init"),
            (SPLICE_ACK, "splice_ack"),
            (START_BATCH, "start_batch"),
            (UPDATE_ADD_HTLC, "update_add_htlc"),
            (UPDATE_FULFILL_HTLC, "update_fulfill_htlc"),
            (UPDATE_FAIL_HTLC, "update_fail_htlc"),
            (COMMITMENT_SIGNED, "commitment_signed"),
            (REVOKE_AND_ACK, "revoke_and_ack"),
            (UPDATE_FEE, "update_fee"),
            (UPDATE_FAIL_MALFORMED_HTLC, "update_fail_malformed_htlc"),
            (CHANNEL_REESTABLISH, "channel_reestablish"),
            (CHANNEL_ANNOUNCEMENT, "channel_announcement"),
            (NODE_ANNOUNCEMENT, "node_announcement"),
            (CHANNEL_UPDATE, "channel_update"),
            (ANNOUNCEMENT_SIGNATURES, "announcement_signatures"),
            (QUERY_SHORT_CHANNEL_IDS, "query_short_channel_ids"),
            (REPLY_SHORT_CHANNEL_IDS_END, "reply_short_channel_ids_end"),
            (QUERY_CHANNEL_RANGE, "query_channel_range"),
            (REPLY_CHANNEL_RANGE, "reply_channel_range"),
            (GOSSIP_TIMESTAMP_FILTER, "gossip_timestamp_filter"),
            (ONION_MESSAGE, "onion_message"),
        ];
        assert_eq!(named.len(), MESSAGES.len());
        for (t, name) in named {
            assert_eq!(by_type(t).map(|m| m.name), Some(name));
        }
    }
}
