//! The table of Lightning wire messages: for each of the 50 message types of the current BOLTs
//! its number, name, BOLT, fields in wire order (with type, count and meaning) and TLV stream,
//! plus the name of the LDK struct that reads it.
//!
//! The data itself (`catalog_data.rs`) was generated once from the BOLT text; the types that
//! describe it are here.

pub(crate) use super::catalog_data::FAILURE_CODES;
pub use super::catalog_data::MESSAGES;

/// The message type numbers, named as the BOLTs name the messages, so that code says
/// `catalog::PING` where it means ping and never a bare `18` (the test
/// `type_constants_match_the_table` keeps them equal to [`MESSAGES`]).
pub mod types {
    /// `warning` (BOLT 1): a complaint that fails no channel (the sender may still close the connection).
    pub const WARNING: u16 = 1;
    /// `stfu` (BOLT 2, "SomeThing Fundamental is Underway"): quiesce the channel before a splice or upgrade.
    pub const STFU: u16 = 2;
    /// `peer_storage` (BOLT 1): a blob the sender asks the peer to keep for it (a backup).
    pub const PEER_STORAGE: u16 = 7;
    /// `peer_storage_retrieval` (BOLT 1): the peer hands the stored blob back on reconnection.
    pub const PEER_STORAGE_RETRIEVAL: u16 = 9;
    /// `init` (BOLT 1): the first message on every connection, announcing feature bits.
    pub const INIT: u16 = 16;
    /// `error` (BOLT 1): something went wrong; the channel named (or all of them) is failed.
    pub const ERROR: u16 = 17;
    /// `ping` (BOLT 1): a keep-alive asking for `num_pong_bytes` of reply.
    pub const PING: u16 = 18;
    /// `pong` (BOLT 1): the answer to a `ping`, with the bytes asked for.
    pub const PONG: u16 = 19;
    /// `open_channel` (BOLT 2): the funder proposes a channel.
    pub const OPEN_CHANNEL: u16 = 32;
    /// `accept_channel` (BOLT 2): the fundee accepts, stating its own limits and keys.
    pub const ACCEPT_CHANNEL: u16 = 33;
    /// `funding_created` (BOLT 2): the funder names the funding outpoint and signs the fundee's first commitment.
    pub const FUNDING_CREATED: u16 = 34;
    /// `funding_signed` (BOLT 2): the fundee signs the funder's first commitment; now it is safe to broadcast.
    pub const FUNDING_SIGNED: u16 = 35;
    /// `channel_ready` (BOLT 2): the funding transaction is deep enough; the channel can be used.
    pub const CHANNEL_READY: u16 = 36;
    /// `shutdown` (BOLT 2): start a cooperative close, naming where my funds go.
    pub const SHUTDOWN: u16 = 38;
    /// `closing_signed` (BOLT 2): the legacy fee negotiation of a cooperative close.
    pub const CLOSING_SIGNED: u16 = 39;
    /// `closing_complete` (BOLT 2): the closer's signed closing transaction (simple close).
    pub const CLOSING_COMPLETE: u16 = 40;
    /// `closing_sig` (BOLT 2): the closee's signature on that closing transaction.
    pub const CLOSING_SIG: u16 = 41;
    /// `open_channel2` (BOLT 2): propose a dual-funded (v2) channel.
    pub const OPEN_CHANNEL2: u16 = 64;
    /// `accept_channel2` (BOLT 2): accept a dual-funded channel, possibly adding funds.
    pub const ACCEPT_CHANNEL2: u16 = 65;
    /// `tx_add_input` (BOLT 2, interactive tx): add an input to the shared transaction.
    pub const TX_ADD_INPUT: u16 = 66;
    /// `tx_add_output` (BOLT 2, interactive tx): add an output to the shared transaction.
    pub const TX_ADD_OUTPUT: u16 = 67;
    /// `tx_remove_input` (BOLT 2, interactive tx): take back an input this side added.
    pub const TX_REMOVE_INPUT: u16 = 68;
    /// `tx_remove_output` (BOLT 2, interactive tx): take back an output this side added.
    pub const TX_REMOVE_OUTPUT: u16 = 69;
    /// `tx_complete` (BOLT 2, interactive tx): nothing more to add; done when both sides send it in a row.
    pub const TX_COMPLETE: u16 = 70;
    /// `tx_signatures` (BOLT 2, interactive tx): the witnesses for this side's inputs.
    pub const TX_SIGNATURES: u16 = 71;
    /// `tx_init_rbf` (BOLT 2): restart the interactive construction to replace-by-fee the funding.
    pub const TX_INIT_RBF: u16 = 72;
    /// `tx_ack_rbf` (BOLT 2): agree to the fee bump asked by `tx_init_rbf`.
    pub const TX_ACK_RBF: u16 = 73;
    /// `tx_abort` (BOLT 2): give up the interactive construction under way.
    pub const TX_ABORT: u16 = 74;
    /// `splice_locked` (BOLT 2): the splice transaction is deep enough to use.
    pub const SPLICE_LOCKED: u16 = 77;
    /// `splice_init` (BOLT 2): propose a splice (adding or taking funds from a live channel).
    pub const SPLICE_INIT: u16 = 80;
    /// `splice_ack` (BOLT 2): accept the proposed splice.
    pub const SPLICE_ACK: u16 = 81;
    /// `start_batch` (BOLT 2): the next messages form one batch (e.g. one `commitment_signed` per splice).
    pub const START_BATCH: u16 = 127;
    /// `update_add_htlc` (BOLT 2): offer an HTLC, a payment locked to a hash and an expiry.
    pub const UPDATE_ADD_HTLC: u16 = 128;
    /// `update_fulfill_htlc` (BOLT 2): settle an HTLC by revealing its preimage.
    pub const UPDATE_FULFILL_HTLC: u16 = 130;
    /// `update_fail_htlc` (BOLT 2): fail an HTLC, with an encrypted reason for the origin.
    pub const UPDATE_FAIL_HTLC: u16 = 131;
    /// `commitment_signed` (BOLT 2): sign the peer's next commitment with the updates so far.
    pub const COMMITMENT_SIGNED: u16 = 132;
    /// `revoke_and_ack` (BOLT 2): revoke the previous commitment by giving away its secret.
    pub const REVOKE_AND_ACK: u16 = 133;
    /// `update_fee` (BOLT 2): the funder changes the commitment feerate.
    pub const UPDATE_FEE: u16 = 134;
    /// `update_fail_malformed_htlc` (BOLT 2): fail an HTLC whose onion could not be parsed.
    pub const UPDATE_FAIL_MALFORMED_HTLC: u16 = 135;
    /// `channel_reestablish` (BOLT 2): after reconnecting, agree on where each commitment stands.
    pub const CHANNEL_REESTABLISH: u16 = 136;
    /// `channel_announcement` (BOLT 7): prove to the network that a channel exists, signed by both nodes and keys.
    pub const CHANNEL_ANNOUNCEMENT: u16 = 256;
    /// `node_announcement` (BOLT 7): a node's alias, colour, features and addresses.
    pub const NODE_ANNOUNCEMENT: u16 = 257;
    /// `channel_update` (BOLT 7): one direction's fees, limits and enabled flag.
    pub const CHANNEL_UPDATE: u16 = 258;
    /// `announcement_signatures` (BOLT 7): a peer's signatures for the channel's `channel_announcement`.
    pub const ANNOUNCEMENT_SIGNATURES: u16 = 259;
    /// `query_short_channel_ids` (BOLT 7): ask for the gossip of these channels.
    pub const QUERY_SHORT_CHANNEL_IDS: u16 = 261;
    /// `reply_short_channel_ids_end` (BOLT 7): all the gossip asked for has been sent.
    pub const REPLY_SHORT_CHANNEL_IDS_END: u16 = 262;
    /// `query_channel_range` (BOLT 7): ask which channels were opened in a block range.
    pub const QUERY_CHANNEL_RANGE: u16 = 263;
    /// `reply_channel_range` (BOLT 7): the short channel ids in (part of) that range.
    pub const REPLY_CHANNEL_RANGE: u16 = 264;
    /// `gossip_timestamp_filter` (BOLT 7): only send me gossip from this time window.
    pub const GOSSIP_TIMESTAMP_FILTER: u16 = 265;
    /// `onion_message` (BOLT 4): an onion-routed message carrying no payment (e.g. for offers).
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
    /// Two-byte unsigned integer, big-endian.
    U16,
    /// Four-byte unsigned integer, big-endian.
    U32,
    /// Eight-byte unsigned integer, big-endian.
    U64,
    /// Signed 64-bit integer, two's complement.
    S64,
    /// Truncated u32: 0 to 4 bytes, minimal, only as the last field of a TLV record.
    Tu32,
    /// Truncated u64: 0 to 8 bytes, minimal, only as the last field of a TLV record.
    Tu64,
    /// BOLT 1's variable-length integer: 1, 3, 5 or 9 bytes, minimally encoded.
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
    /// An amount in satoshis (shown with its BTC value).
    Satoshis,
    /// An amount in millisatoshis, the unit of HTLCs and fees (shown also in sat).
    Millisatoshis,
    /// A feerate in satoshis per 1000 weight units (shown also in sat/vbyte).
    FeeratePerKw,
    /// `to_self_delay`: relative delay in blocks.
    DelayBlocks,
    /// `cltv_expiry_delta`.
    BlockDelta,
    /// An absolute block height (e.g. an HTLC's `cltv_expiry`).
    BlockHeight,
    /// A number of blocks (e.g. the width of a queried range).
    BlockCount,
    /// A number of confirmations (e.g. `minimum_depth` before `channel_ready`).
    Confirmations,
    /// A transaction's `nLocktime`: 0, a block height below 500 000 000, else a UNIX time.
    Locktime,
    /// A UNIX time in seconds (shown as a UTC date), e.g. a gossip message's `timestamp`.
    Timestamp,
    /// A duration in seconds (e.g. a `timestamp_range`).
    Seconds,
    /// A proportion in millionths (ppm), e.g. `fee_proportional_millionths`.
    Millionths,
    /// A length or count of the field(s) that follow.
    Length,
    /// A number of bytes (e.g. `num_pong_bytes`).
    ByteCount,
    /// Feature bits in the `init` context (BOLT 9 letter I), shown by name.
    InitFeatures,
    /// Feature bits in the `node_announcement` context (BOLT 9 letter N).
    NodeFeatures,
    /// Feature bits in the `channel_announcement` context (BOLT 9 letter C).
    ChannelFeatures,
    /// A `channel_type`: the feature bits naming the commitment format (BOLT 9 letter T).
    ChannelTypeFeatures,
    /// `open_channel`'s `channel_flags`: bit 0 is `announce_channel`.
    OpenChannelFlags,
    /// `channel_update`'s `channel_flags`: bit 0 the direction, bit 1 disabled.
    UpdateChannelFlags,
    /// `channel_update`'s `message_flags`: bit 0 must be one, bit 1 `dont_forward`.
    MessageFlags,
    /// A byte that must be 0 (false) or 1 (true), e.g. `full_information`.
    Bool,
    /// A node's 32-byte alias: UTF-8, padded with zeros (shown as text).
    Alias,
    /// A node's colour, three bytes red, green, blue (shown as `#rrggbb`).
    Rgb,
    /// `node_announcement`'s list of network addresses (IPv4, IPv6, Tor v3, DNS), each decoded.
    Addresses,
    /// One network address, as in `node_announcement` (e.g. `remote_addr` in `init`).
    Address,
    /// Bytes meant as human-readable text (e.g. an `error`'s `data`), shown when printable.
    Text,
    /// A Bitcoin output script (e.g. a `shutdown`'s `scriptpubkey`), shown by its template.
    Script,
    /// A txid, sent in internal byte order (displayed reversed).
    Txid,
    /// A list of chain hashes (`init`'s `networks`): a list in JSON however many it holds,
    /// where a lone `chain_hash` field is one name.
    Chains,
    /// A payment preimage: the secret whose SHA256 is the `payment_hash` (shown with that hash).
    Preimage,
    /// A secret (e.g. `per_commitment_secret`), shown by its length only.
    Secret,
    /// A channel id; all zeros means "every channel" in `error`, "no particular channel" in `warning`.
    ChannelIdBytes,
    /// A BOLT 4 onion packet: version, ephemeral key, hop data and HMAC, shown by parts.
    Onion,
    /// A whole consensus-encoded Bitcoin transaction (e.g. `tx_add_input`'s `prevtx`).
    Transaction,
    /// An encoded list of short channel ids (BOLT 7: one encoding byte, then the list).
    EncodedShortIds,
    /// An encoded list of `channel_update` timestamp pairs (BOLT 7 gossip queries).
    EncodedTimestamps,
    /// An encoded list of per-channel query flags (BOLT 7 gossip queries).
    EncodedQueryFlags,
    /// The encoding byte of those lists: 0 uncompressed (1, zlib, is no longer allowed).
    EncodingType,
    /// A BOLT 4 failure code (its BADONION, PERM, NODE, UPDATE bits and name).
    FailureCode,
    /// A message type number (shown with the message's name).
    MessageType,
    /// `channel_reestablish`'s `retransmit_flags`: bit 0 asks for `commitment_signed` (in
    /// `next_funding`) or `announcement_signatures` (in `my_current_funding_locked`).
    RetransmitFlags,
    /// `query_channel_range`'s options: bit 0 wants timestamps, bit 1 wants checksums.
    QueryOptionFlags,
    /// An input's `nSequence` (shown as final, no RBF, or signalling RBF).
    Sequence,
    /// An interactive-tx `serial_id`: even when added by the initiator, odd by the accepter.
    SerialId,
    /// Padding the reader must ignore (e.g. `ping`'s `ignored`), shown by its length.
    Ignored,
    /// Attribution data's 20 hold times: how long each hop held the HTLC, in 100 ms units.
    HoldTimes,
}

/// One field of a message or TLV record.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    /// Name exactly as the spec spells it.
    pub name: &'static str,
    /// Its wire type, which fixes how its bytes are read.
    pub ty: FieldType,
    /// How many elements of `ty` it holds (one, fixed, counted by an earlier field, the rest).
    pub count: Count,
    /// What the value means, which decides its units and how it is shown.
    pub kind: Kind,
    /// One-line meaning.
    pub meaning: &'static str,
}

/// One record type of a TLV stream.
#[derive(Clone, Copy, Debug)]
pub struct TlvRecordSpec {
    /// The record's type number: even means a reader that does not know it must fail, odd that it may skip it.
    pub tlv_type: u64,
    /// Record name as the spec spells it (e.g. `upfront_shutdown_script`).
    pub name: &'static str,
    /// The fields of the record's value, in wire order.
    pub fields: &'static [FieldSpec],
    /// One-line meaning.
    pub meaning: &'static str,
}

/// A named TLV stream and its known records, sorted by type.
#[derive(Clone, Copy, Debug)]
pub struct TlvStreamSpec {
    /// Stream name as the spec spells it (e.g. `open_channel_tlvs`).
    pub name: &'static str,
    /// The records the spec defines, in increasing type order as they must appear on the wire.
    pub records: &'static [TlvRecordSpec],
}

impl TlvStreamSpec {
    /// The record definition for `tlv_type`, if the spec defines one.
    pub fn record(&self, tlv_type: u64) -> Option<&'static TlvRecordSpec> {
        self.records.iter().find(|r| r.tlv_type == tlv_type)
    }
}

/// The BOLT 1 message extension of a message that defines no TLV records of its own.
pub(crate) static EXTENSION: TlvStreamSpec = TlvStreamSpec {
    name: "extension",
    records: &[],
};

/// One wire message.
#[derive(Clone, Copy, Debug)]
pub struct MessageSpec {
    /// The 2-byte type that starts the message (see [`types`]).
    pub msg_type: u16,
    /// Name as the spec spells it (e.g. `open_channel`).
    pub name: &'static str,
    /// The BOLT that defines it (1, 2, 4 or 7).
    pub bolt: u8,
    /// Section of the BOLT that defines it.
    pub section: &'static str,
    /// Feature the message depends on, if the type line names one.
    pub option: Option<&'static str>,
    /// The TLV stream that may follow the last field, if the message defines one.
    pub tlv_stream: Option<&'static TlvStreamSpec>,
    /// The `lightning::ln::msgs` struct that reads it.
    pub ldk_struct: &'static str,
    /// The fixed fields after the type, in wire order (a TLV stream, if any, is the last).
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
pub(crate) fn failure_code_name(code: u16) -> Option<&'static str> {
    FAILURE_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// The BOLT 1 group a type number falls in.
pub(crate) fn type_group(msg_type: u16) -> &'static str {
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

    /// JSON writes a chain_hash field as one name and a list of them as a list, and tells
    /// them apart by `Kind::Chains`: every array of chain hashes must have that kind.
    #[test]
    fn every_array_of_chain_hashes_is_of_kind_chains() {
        let mut fields: Vec<&FieldSpec> = Vec::new();
        for m in MESSAGES {
            fields.extend(m.fields);
            for r in m.tlv_stream.map_or(&[][..], |t| t.records) {
                fields.extend(r.fields);
            }
        }
        let mut arrays = 0;
        for f in fields.into_iter().filter(|f| f.ty == FieldType::ChainHash) {
            assert_eq!(f.count == Count::One, f.kind != Kind::Chains, "{}", f.name);
            arrays += usize::from(f.count != Count::One);
        }
        // init's networks, today the only one.
        assert_eq!(arrays, 1);
    }

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

    /// BOLT 1's type ranges, at both ends of each.
    #[test]
    fn type_groups_at_their_edges() {
        let cases = [
            (0, "setup & control"),
            (31, "setup & control"),
            (32, "channel"),
            (127, "channel"),
            (128, "commitment"),
            (255, "commitment"),
            (256, "routing"),
            (511, "routing"),
            (512, "unassigned"),
            (32767, "unassigned"),
            (32768, "custom"),
            (u16::MAX, "custom"),
        ];
        for (t, group) in cases {
            assert_eq!(type_group(t), group, "type {t}");
        }
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

    /// Meanings that once said what holds only for some messages (issue 16, item 6):
    /// each now says what BOLTs 1, 2 and 7 say of the field where it stands.
    #[test]
    fn meanings_hold_for_the_message_they_stand_in() {
        let meaning = |msg: &str, field: &str| {
            let m = by_name(msg).unwrap_or_else(|| panic!("{msg}"));
            m.fields
                .iter()
                .find(|f| f.name == field)
                .map(|f| f.meaning)
                .unwrap_or_else(|| panic!("{msg}.{field}"))
        };
        let record = |msg: &str, tlv_type: u64| {
            by_name(msg)
                .and_then(|m| m.tlv_stream)
                .and_then(|s| s.record(tlv_type))
                .unwrap_or_else(|| panic!("{msg} record {tlv_type}"))
        };
        // BOLT 1: zeros mean every channel in error, no particular channel in warning.
        assert!(meaning("error", "channel_id").contains("every channel"));
        assert!(!meaning("warning", "channel_id").contains("every channel"));
        // BOLT 1: no pong at all for 65532 or more.
        assert!(meaning("ping", "num_pong_bytes").contains("65532"));
        // The closer pays the closing fee; in closing_sig the sender is the closee.
        assert!(meaning("closing_sig", "fee_satoshis").contains("closer"));
        assert!(meaning("closing_signed", "fee_satoshis").contains("funder"));
        // The blob comes back to its owner.
        assert!(meaning("peer_storage_retrieval", "blob").contains("receiver"));
        // BOLT 7: htlc_minimum_msat is what the channel peer accepts; full_information
        // says whether the sender keeps up-to-date information, not that it knows all.
        assert!(meaning("channel_update", "htlc_minimum_msat").contains("peer"));
        assert!(meaning("reply_short_channel_ids_end", "full_information").contains("up-to-date"));
        assert!(meaning("reply_channel_range", "first_blocknum").contains("this reply"));
        // BOLT 2: the two retransmit_flags name different messages.
        let flags = |t: u64| record("channel_reestablish", t).fields[1].meaning;
        assert!(flags(1).contains("commitment_signed") && !flags(1).contains("announcement"));
        assert!(flags(5).contains("announcement_signatures") && !flags(5).contains("commitment"));
        // The upfront script binds a mutual close only.
        for msg in [
            "open_channel",
            "accept_channel",
            "open_channel2",
            "accept_channel2",
        ] {
            assert!(
                record(msg, 0).fields[0].meaning.contains("mutual close"),
                "{msg}"
            );
        }
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
