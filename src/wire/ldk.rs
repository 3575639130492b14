//! Cross-check with LDK: read the same payload with LDK 0.2.7's own message struct.
//!
//! `lightning::ln::wire::read` is private, so we dispatch on the type ourselves and call
//! `LengthReadable::read_from_fixed_length_buffer` of the matching `lightning::ln::msgs`
//! struct. LDK is stricter than the BOLTs in a few places (UTF-8 `error` text, `must_be_one`
//! in `channel_update`, only uncompressed short-id encodings) and laxer in others (it ignores
//! bytes after the last field of some messages); disagreements are worth a look, not a bug.

use lightning::ln::msgs::{self, DecodeError};
use lightning::util::ser::LengthReadable;

use super::catalog::types::*;

/// LDK's verdict on one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LdkCheck {
    /// LDK reads it (or, for an unknown odd type, would ignore it without closing).
    pub ok: bool,
    /// LDK's `DecodeError` (variant and text), when it rejects the bytes.
    pub error: Option<String>,
    /// The `lightning::ln::msgs` struct used, if LDK has one for the type.
    pub decoder: Option<&'static str>,
    /// Extra remarks (e.g. no decoder for the type).
    pub note: Option<String>,
}

fn read<T: LengthReadable>(payload: &[u8]) -> Result<(), DecodeError> {
    let mut reader = payload;
    T::read_from_fixed_length_buffer(&mut reader).map(|_| ())
}

fn describe(e: &DecodeError) -> String {
    format!("{e:?}: {e}")
}

macro_rules! dispatch {
    ($t:expr, $payload:expr, { $($n:literal => $ty:ident),* $(,)? }) => {
        match $t {
            $($n => Some((concat!("lightning::ln::msgs::", stringify!($ty)), read::<msgs::$ty>($payload))),)*
            _ => None,
        }
    };
}

/// Reads `payload` (the bytes after the 2-byte type) with LDK's struct for `msg_type`.
pub fn check(msg_type: u16, payload: &[u8]) -> LdkCheck {
    let result = dispatch!(msg_type, payload, {
        1 => WarningMessage,
        2 => Stfu,
        7 => PeerStorage,
        9 => PeerStorageRetrieval,
        16 => Init,
        17 => ErrorMessage,
        18 => Ping,
        19 => Pong,
        32 => OpenChannel,
        33 => AcceptChannel,
        34 => FundingCreated,
        35 => FundingSigned,
        36 => ChannelReady,
        38 => Shutdown,
        39 => ClosingSigned,
        40 => ClosingComplete,
        41 => ClosingSig,
        64 => OpenChannelV2,
        65 => AcceptChannelV2,
        66 => TxAddInput,
        67 => TxAddOutput,
        68 => TxRemoveInput,
        69 => TxRemoveOutput,
        70 => TxComplete,
        71 => TxSignatures,
        72 => TxInitRbf,
        73 => TxAckRbf,
        74 => TxAbort,
        77 => SpliceLocked,
        80 => SpliceInit,
        81 => SpliceAck,
        127 => StartBatch,
        128 => UpdateAddHTLC,
        130 => UpdateFulfillHTLC,
        131 => UpdateFailHTLC,
        132 => CommitmentSigned,
        133 => RevokeAndACK,
        134 => UpdateFee,
        135 => UpdateFailMalformedHTLC,
        136 => ChannelReestablish,
        256 => ChannelAnnouncement,
        257 => NodeAnnouncement,
        258 => ChannelUpdate,
        259 => AnnouncementSignatures,
        261 => QueryShortChannelIds,
        262 => ReplyShortChannelIdsEnd,
        263 => QueryChannelRange,
        264 => ReplyChannelRange,
        265 => GossipTimestampFilter,
        513 => OnionMessage,
    });
    match result {
        Some((decoder, Ok(()))) => LdkCheck { ok: true, error: None, decoder: Some(decoder), note: None },
        Some((decoder, Err(e))) => LdkCheck {
            ok: false,
            error: Some(describe(&e)),
            decoder: Some(decoder),
            note: None,
        },
        None if msg_type % 2 == 1 => LdkCheck {
            ok: true,
            error: None,
            decoder: None,
            note: Some(format!(
                "LDK has no decoder for type {msg_type}; it is odd, so LDK's PeerManager ignores it"
            )),
        },
        None => LdkCheck {
            ok: false,
            error: Some("UnknownRequiredFeature: unknown even message type".to_string()),
            decoder: None,
            note: Some(format!(
                "LDK has no decoder for type {msg_type}; it is even, so LDK's PeerManager closes the connection (without sending an error)"
            )),
        },
    }
}

/// Why LDK accepts bytes our decoder rejects, for the known cases (`None` if unexplained).
pub fn explain_acceptance(msg_type: u16, our_errors: &[String]) -> Option<&'static str> {
    let all = |pred: fn(&String) -> bool| !our_errors.is_empty() && our_errors.iter().all(pred);
    match msg_type {
        WARNING | ERROR | PING | PONG | QUERY_SHORT_CHANNEL_IDS | REPLY_CHANNEL_RANGE
        | ONION_MESSAGE
            if all(|e| e.starts_with("trailing bytes") || e.contains("_tlvs:")) =>
        {
            Some("LDK's reader for this message stops after the fields it knows and never looks at the bytes that follow")
        }
        CHANNEL_ANNOUNCEMENT | NODE_ANNOUNCEMENT if all(|e| e.contains("not a valid secp256k1 point")) => Some(
            "LDK reads these keys as raw NodeId bytes and checks them only when it processes the announcement",
        ),
        _ => None,
    }
}

/// Every type LDK 0.2.7 decodes, in order.
#[cfg(test)]
pub const LDK_TYPES: [u16; 50] = [
    1, 2, 7, 9, 16, 17, 18, 19, 32, 33, 34, 35, 36, 38, 39, 40, 41, 64, 65, 66, 67, 68, 69, 70, 71,
    72, 73, 74, 77, 80, 81, 127, 128, 130, 131, 132, 133, 134, 135, 136, 256, 257, 258, 259, 261,
    262, 263, 264, 265, 513,
];

/// Encodes one of LDK's typed messages as it is on the wire: type (2 bytes,
/// big-endian) || payload.
///
/// The other direction of this module's check: LDK hands the node typed messages,
/// never bytes, so the tracer and the responder turn them back into bytes with
/// LDK's own `Writeable`, and those bytes are what [`crate::wire::decode`] explains.
/// (It lives here, with the wire, because it is a codec: nothing in it knows about
/// peers.)
pub fn wire_bytes<M: lightning::ln::wire::Type>(msg: &M) -> Vec<u8> {
    let mut bytes = msg.type_id().to_be_bytes().to_vec();
    bytes.extend(msg.encode());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `type || LDK's serialization`: a ping with 4 pong bytes asked and none ignored.
    #[test]
    fn wire_bytes_put_the_type_first() {
        let ping = lightning::ln::msgs::Ping {
            ponglen: 4,
            byteslen: 2,
        };
        assert_eq!(hex::encode(wire_bytes(&ping)), "0012000400020000");
    }

    #[test]
    fn every_catalog_type_has_an_ldk_decoder() {
        let ours: Vec<u16> = crate::wire::catalog::MESSAGES
            .iter()
            .map(|m| m.msg_type)
            .collect();
        assert_eq!(ours, LDK_TYPES);
        for t in LDK_TYPES {
            assert!(check(t, &[]).decoder.is_some(), "{t}");
        }
    }

    #[test]
    fn ping_and_unknown() {
        assert!(check(18, &[0, 4, 0, 0]).ok);
        let short = check(18, &[0, 4, 0, 2]);
        assert!(!short.ok);
        assert!(short.error.unwrap().starts_with("ShortRead"));
        assert!(check(99, &[]).ok);
        assert!(!check(100, &[]).ok);
    }
}

#[cfg(test)]
mod explain_tests {
    use super::*;

    #[test]
    fn acceptance_is_explained_only_when_every_error_is_of_the_known_kind() {
        let errs = |e: &[&str]| e.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(explain_acceptance(PING, &errs(&["trailing bytes: 2 after the fields"])).is_some());
        // No error: nothing to explain.
        assert_eq!(explain_acceptance(PING, &[]), None);
        // One error of another kind is enough to leave it unexplained.
        assert_eq!(
            explain_acceptance(
                PING,
                &errs(&["trailing bytes: 2", "num_pong_bytes too large"])
            ),
            None
        );
        assert_eq!(
            explain_acceptance(PING, &errs(&["num_pong_bytes too large"])),
            None
        );
        // Gossip's keys: only invalid points are what LDK leaves for later.
        let point = "node_id_1 at offset 300: not a valid secp256k1 point";
        for t in [CHANNEL_ANNOUNCEMENT, NODE_ANNOUNCEMENT] {
            assert!(explain_acceptance(t, &errs(&[point])).is_some());
            assert_eq!(
                explain_acceptance(t, &errs(&[point, "flen truncated"])),
                None
            );
        }
    }
}
