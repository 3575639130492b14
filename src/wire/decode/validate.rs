//! The rules a single field's content must follow, beyond its length: points on the
//! curve, valid signatures, witnesses and transactions that parse, booleans that are 0 or
//! 1, known encodings, the BADONION bit, UTF-8 aliases, well-formed address lists.
//!
//! A broken MUST is an error (the field is marked not ok); a remark a learner should see
//! but that a reader may accept (unknown required features, LDK's extra strictness) is a
//! note. The value parsers come from [`values`](crate::wire::values), the same ones the
//! renderers print with, so a value is judged and shown by one piece of code.

use bitcoin::secp256k1::{ecdsa::Signature, PublicKey};

use crate::wire::catalog::{FieldSpec, FieldType, Kind};
use crate::wire::values::be_uint;
use crate::wire::{features, values};

/// Where a field sits, for the messages about it.
pub(super) struct At<'a> {
    /// Its offset in the message.
    pub(super) pos: usize,
    /// Prefix of the messages (the TLV record it is in, if any).
    pub(super) place: &'a str,
    /// LDK read the message, so its `point` fields are on the curve.
    pub(super) points_checked: bool,
}

/// Checks one field's content; records problems. Returns false on a rule violation.
#[inline]
pub(super) fn field(
    raw: &[u8],
    spec: &FieldSpec,
    name: &str,
    at: At<'_>,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> bool {
    let At {
        pos,
        place,
        points_checked,
    } = at;
    let mut fail = |msg: String| {
        errors.push(format!("{place}{name} at offset {pos}: {msg}"));
        false
    };
    match spec.ty {
        FieldType::Point if !points_checked && PublicKey::from_slice(raw).is_err() => {
            return fail("not a valid secp256k1 point (BOLT 1: a point is a 33-byte compressed public key on the curve)".to_string());
        }
        FieldType::Signature if Signature::from_compact(raw).is_err() => {
            return fail(
                "not a valid compact signature (r and s must each be below the curve order)"
                    .to_string(),
            );
        }
        FieldType::Witness => {
            if let Err(e) = values::parse_witness(raw) {
                return fail(format!("witness_data is not a valid Bitcoin witness: {e}"));
            }
            return true;
        }
        _ => {}
    }
    match spec.kind {
        Kind::Bool if raw.first().is_some_and(|b| *b > 1) => {
            fail(format!("must be 0 or 1, got {}", raw[0]))
        }
        Kind::Addresses => match values::parse_addresses(raw) {
            (_, Some(problem)) => fail(problem),
            (addrs, None) => {
                if let Some(t) = addrs.iter().find_map(|a| a.unknown_type()) {
                    notes.push(format!(
                        "{place}{name}: unknown address type {t}; readers ignore it and what follows"
                    ));
                }
                true
            }
        },
        Kind::Address => {
            match values::parse_addresses(raw) {
                (addrs, None) if addrs.len() == 1 && addrs[0].unknown_type().is_none() => {}
                _ => notes.push(format!(
                    "{place}{name}: not one known address descriptor (LDK rejects this)"
                )),
            }
            true
        }
        Kind::Transaction if !raw.is_empty() => match values::parse_transaction(raw) {
            Ok(_) => true,
            Err(e) => fail(format!("not a valid Bitcoin transaction: {e}")),
        },
        Kind::EncodedShortIds => match raw.split_first() {
            None => fail("empty: the first byte must be the encoding type".to_string()),
            Some((0, rest)) if rest.len() % 8 != 0 => fail(format!(
                "{} bytes after the encoding type is not a whole number of short_channel_ids (8 bytes each)",
                rest.len()
            )),
            Some((0, _)) => true,
            Some((t, _)) => fail(encoding_type_error(*t)),
        },
        Kind::EncodingType if raw.first().is_some_and(|b| *b != 0) => fail(encoding_type_error(raw[0])),
        Kind::FailureCode if be_uint(raw) & 0x8000 == 0 => fail(format!(
            "failure code 0x{:04x} lacks the BADONION bit 0x8000 (BOLT 2: the receiver MUST fail the channel)",
            be_uint(raw)
        )),
        Kind::InitFeatures | Kind::NodeFeatures | Kind::ChannelFeatures | Kind::ChannelTypeFeatures => {
            let unknown = features::unknown_required(raw);
            if !unknown.is_empty() {
                notes.push(format!(
                    "{place}{name}: unknown required (even) feature bit(s) {unknown:?}: a peer that does not know them must not proceed"
                ));
            }
            for both in features::both_bits_set(raw) {
                notes.push(format!(
                    "{place}{name}: both bits of {both} are set (BOLT 9: MUST NOT; read as required)"
                ));
            }
            true
        }
        Kind::MessageFlags => {
            if raw.first().is_some_and(|b| b & 1 == 0) {
                notes.push(format!(
                    "{place}{name}: must_be_one is 0 (senders MUST set it; BOLT 7 receivers ignore it, LDK rejects the message)"
                ));
            }
            true
        }
        Kind::Alias if std::str::from_utf8(values::trim_zeros(raw)).is_err() => {
            notes.push(format!("{place}{name}: alias is not valid UTF-8 (BOLT 7: MUST be)"));
            true
        }
        Kind::Text if !raw.is_empty() && std::str::from_utf8(raw).is_err() => {
            notes.push(format!(
                "{place}{name}: not UTF-8 text (allowed by the BOLTs; LDK rejects the message)"
            ));
            true
        }
        Kind::Onion if raw.len() < 66 => {
            notes.push(format!(
                "{place}{name}: {} bytes is too short for an onion (version, 33-byte key and 32-byte HMAC take 66; LDK rejects this)",
                raw.len()
            ));
            true
        }
        Kind::Onion if PublicKey::from_slice(&raw[1..34]).is_err() => {
            notes.push(if spec.name == "onion_routing_packet" {
                format!("{place}{name}: the onion's ephemeral key is not a valid point (the HTLC fails with invalid_onion_key)")
            } else {
                format!("{place}{name}: the onion's ephemeral key is not a valid point (the message gets dropped; LDK rejects it)")
            });
            true
        }
        _ => true,
    }
}

/// Why an encoding type other than 0 is refused, in one wording wherever it is met (a
/// list of short_channel_ids, or the encoding_type of query flags and timestamps).
fn encoding_type_error(t: u8) -> String {
    match t {
        1 => "encoding type 1 (zlib) MUST NOT be used any more (BOLT 7)".to_string(),
        t => format!("unknown encoding type {t} (BOLT 7 knows only 0)"),
    }
}
