//! The table of Lightning wire messages: for each of the 50 message types of the current BOLTs
//! its number, name, BOLT, fields in wire order (with type, count and meaning) and TLV stream,
//! plus the name of the LDK struct that reads it.
//!
//! The data itself (`catalog_data.rs`) was generated once from the BOLT text; the types that
//! describe it are here.

pub use super::catalog_data::{FAILURE_CODES, MESSAGES};

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
        matches!(self.msg_type, 256..=258)
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
        32768..=65535 => "custom",
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
}
