//! BOLT 2 rules about which TLV records a message must carry: rules the bytes alone can
//! show broken, though every field reads fine.
//!
//! A broken sender MUST that receivers do not enforce (`upfront_shutdown_script` left out
//! of a channel open: LDK reads it as "no script") is the sender's violation, a note that
//! names the requirement, like BOLT 7's node id order; a missing record that BOLT 2 tells
//! the receiver to fail the channel over (`channel_type`) says that too. They are notes,
//! not errors: the message decodes, LDK's structs read it, and it can be rebuilt exactly.

use crate::wire::catalog::{self, MessageSpec};
use crate::wire::tree::Decoded;

/// What starts every note of this room: the tests find sender violations by it.
pub(crate) const SENDER_BROKE: &str = "the sender broke BOLT 2";

/// Checks the records a message carries against BOLT 2's rules for it.
pub(super) fn check(spec: &MessageSpec, d: &mut Decoded) {
    match spec.msg_type {
        catalog::OPEN_CHANNEL
        | catalog::ACCEPT_CHANNEL
        | catalog::OPEN_CHANNEL2
        | catalog::ACCEPT_CHANNEL2 => channel_open(spec, d),
        catalog::CLOSING_COMPLETE => closing_complete(d),
        catalog::CLOSING_SIG => closing_sig(d),
        _ => {}
    }
}

/// `open_channel`, `accept_channel` and their v2 forms: `upfront_shutdown_script` with the
/// stream, and `channel_type`.
fn channel_open(spec: &MessageSpec, d: &mut Decoded) {
    let stream = spec.tlv_stream.map_or("tlvs", |s| s.name);
    // "The same requirements as their counterparts in open_channel" (accept_channel) and
    // "Rationale and Requirements are the same as for open_channel" (the v2 messages):
    // the open_channel rule binds all four, and each note says how it got there.
    let whose = match spec.msg_type {
        catalog::OPEN_CHANNEL => "open_channel".to_string(),
        catalog::ACCEPT_CHANNEL => {
            "accept_channel, whose fields have the requirements of their open_channel counterparts"
                .to_string()
        }
        _ => format!("{}, whose requirements are open_channel's", spec.name),
    };
    let fail = match spec.msg_type {
        catalog::OPEN_CHANNEL | catalog::ACCEPT_CHANNEL => "fail the channel",
        _ => "fail the negotiation",
    };
    if !d.tlvs.is_empty() && d.tlv(0).is_none() {
        d.notes.push(format!(
            "{stream} has no upfront_shutdown_script (type 0): {SENDER_BROKE} ({whose}: a sender that includes {stream} MUST include upfront_shutdown_script; an empty one, 0000, commits to no script)"
        ));
    }
    if d.tlv(1).is_none() {
        // open_channel's sender rule binds only with the stream; its receiver rule always.
        let sender = if d.tlvs.is_empty() && spec.msg_type == catalog::OPEN_CHANNEL {
            "no TLV stream, so no channel_type (type 1)".to_string()
        } else {
            format!("{stream} has no channel_type (type 1): {SENDER_BROKE} (the sender MUST set channel_type)")
        };
        d.notes.push(format!(
            "{sender}; BOLT 2: a receiver of a {} without channel_type MUST {fail}",
            spec.name
        ));
    }
}

/// The signature records of `closing_tlvs`: 1 `closer_output_only`, 2 `closee_output_only`,
/// 3 `closer_and_closee_outputs`.
fn signatures(d: &Decoded) -> [bool; 3] {
    [d.tlv(1).is_some(), d.tlv(2).is_some(), d.tlv(3).is_some()]
}

/// The closer signs at least one closing transaction, and never drops both outputs' owners
/// at once (whichever balance is lower, one of `closer_output_only` and
/// `closee_output_only` MUST NOT be set).
fn closing_complete(d: &mut Decoded) {
    match signatures(d) {
        [false, false, false] => d.notes.push(format!(
            "closing_tlvs holds no signature: {SENDER_BROKE} (every case of the closer's rules sets closer_output_only, closee_output_only or closer_and_closee_outputs; the receiver MUST send a warning and close the connection, or an error and fail the channel, when the one it selects is missing)"
        )),
        [true, true, _] => d.notes.push(format!(
            "closing_tlvs holds both closer_output_only and closee_output_only: {SENDER_BROKE} (the closer with the lower balance MUST NOT set closer_output_only, otherwise it MUST NOT set closee_output_only)"
        )),
        _ => {}
    }
}

/// The closee answers with exactly one signature, in the record the closer used.
fn closing_sig(d: &mut Decoded) {
    let n = signatures(d).iter().filter(|s| **s).count();
    if n != 1 {
        d.notes.push(format!(
            "closing_tlvs holds {n} signatures: {SENDER_BROKE} (the closee MUST send closing_sig with a single signature; a receiver of any other number MUST send a warning and close the connection, or an error and fail the channel)"
        ));
    }
}
