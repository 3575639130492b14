//! The decoded tree: what the decoder knows about one message, before any of it is words.
//!
//! A [`Decoded`] holds the message bytes once and, for every field and TLV record, only
//! where it sits (offset, length), its spec (type, kind, one-line meaning) and, for numbers,
//! the number. Everything a person reads (amounts, dates, addresses) is worked out later
//! from those bytes, by [`render`](super::render), only when something is printed.
//!
//! The tree lives in its own room so that the two sides that meet here never meet each
//! other: the decoder ([`decode`](super::decode)) builds it, the renderers and the encoder's
//! inverse ([`encode::assignments_from`](super::encode::assignments_from)) read it, and
//! neither needs to import the other.

use std::borrow::Cow;

use super::catalog::{FieldType, Kind};
use super::fmt::bytes_word;
use super::ldk::LdkCheck;

/// The value of a field, as far as decoding needs it; renderers interpret the raw bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// An unsigned number (u8/u16/u32/u64, truncated ints, BigSize).
    Uint(u64),
    /// A signed number (s64).
    Int(i64),
    /// Bytes: interpreted from the raw bytes by kind (points, hashes, text, ...).
    Bytes,
    /// The message ended inside this field.
    Truncated,
}

/// One decoded field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Name as the spec spells it; array elements get `[i]`.
    pub name: Cow<'static, str>,
    /// Offset from the start of the message (the type is at 0).
    pub offset: usize,
    /// Length in bytes (what was there, if truncated).
    pub length: usize,
    /// Its wire type (from the catalogue).
    pub ty: FieldType,
    /// What it means, which decides units and display (from the catalogue).
    pub kind: Kind,
    /// The value read from its bytes.
    pub value: Value,
    /// One-line meaning from the spec.
    pub meaning: &'static str,
    /// False when this field breaks a rule (see `Decoded::errors`).
    pub ok: bool,
}

/// How a TLV record relates to the stream's definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlvStatus {
    /// Defined by the spec for this stream.
    Known,
    /// Not defined; odd, so a reader ignores it ("it's ok to be odd").
    UnknownOdd,
    /// Not defined and even: a reader MUST fail (a violation).
    UnknownEven,
}

/// One TLV record.
#[derive(Clone, Debug)]
pub struct TlvRecord {
    /// The record's type number (even: a reader must understand it; odd: it may skip it).
    pub tlv_type: u64,
    /// Record name, if the stream defines this type.
    pub name: Option<&'static str>,
    /// Offset of the record's type byte(s) from the start of the message.
    pub offset: usize,
    /// Offset of the value.
    pub value_offset: usize,
    /// Length of the value.
    pub length: usize,
    /// Known to the stream, or unknown odd (skipped) or unknown even (a violation).
    pub status: TlvStatus,
    /// The record's fields (empty for unknown records).
    pub fields: Vec<Field>,
    /// One-line meaning from the spec (empty for unknown records).
    pub meaning: &'static str,
    /// False when this record breaks a rule.
    pub ok: bool,
}

/// Everything known about one message.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The 2-byte type, if there were at least 2 bytes.
    pub msg_type: Option<u16>,
    /// Message name, `unknown`/`custom` for unassigned types, `invalid input` without a type.
    pub name: String,
    /// The BOLT that defines the message, if the type is a known one.
    pub bolt: Option<u8>,
    /// Total size in bytes, type included.
    pub size: usize,
    /// Fields in wire order (the type itself is not listed).
    pub fields: Vec<Field>,
    /// The message's TLV stream (e.g. `open_channel_tlvs`), or `extension` when bytes follow
    /// the last field of a message that defines no stream (BOLT 1 message extension).
    pub tlv_stream: Option<&'static str>,
    /// The records of that stream, in wire order.
    pub tlvs: Vec<TlvRecord>,
    /// LDK's reading of the same bytes (when asked for and possible).
    pub ldk: Option<LdkCheck>,
    /// Broken rules, each naming the rule and the place. Empty means valid.
    pub errors: Vec<String>,
    /// Remarks that are not violations (ignorable parts, LDK-specific strictness, ...).
    pub notes: Vec<String>,
    /// The message bytes (type included).
    pub bytes: Vec<u8>,
}

impl Decoded {
    /// No errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// One line: `ping (type 18, 8 bytes): ok` or `...: error: funding_satoshis truncated, ...`.
    pub fn summary(&self) -> String {
        let head = match self.msg_type {
            Some(t) => format!("{} (type {t}, {})", self.name, bytes_word(self.size)),
            None if self.size == 0 => self.name.clone(),
            None => format!("{} ({})", self.name, bytes_word(self.size)),
        };
        let mut line = match self.errors.first() {
            None => format!("{head}: ok"),
            Some(first) if self.errors.len() == 1 => format!("{head}: error: {first}"),
            Some(first) => format!("{head}: error: {first} (+{} more)", self.errors.len() - 1),
        };
        if let Some(ldk) = &self.ldk {
            if ldk.ok != self.is_ok() && ldk.decoder.is_some() {
                match &ldk.error {
                    Some(e) if !ldk.ok => line.push_str(&format!("; LDK rejects it: {e}")),
                    _ => line.push_str("; LDK accepts it"),
                }
            }
        }
        line
    }

    /// Raw bytes of a field (empty if out of range).
    pub fn field_bytes(&self, f: &Field) -> &[u8] {
        self.bytes.get(f.offset..f.offset + f.length).unwrap_or(&[])
    }

    /// The first field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The TLV record of this type.
    pub fn tlv(&self, tlv_type: u64) -> Option<&TlvRecord> {
        self.tlvs.iter().find(|r| r.tlv_type == tlv_type)
    }

    /// Whether LDK's verdict matches ours (true when LDK was not asked or has no decoder).
    pub fn ldk_agrees(&self) -> bool {
        match &self.ldk {
            Some(l) if l.decoder.is_some() => l.ok == self.is_ok(),
            _ => true,
        }
    }

    /// A decode with nothing read yet: the message's type (if it has one) and size,
    /// and empty fields, TLVs, errors and notes for the decoder to fill.
    pub(crate) fn empty(msg_type: Option<u16>, size: usize) -> Decoded {
        Decoded {
            msg_type,
            name: String::new(),
            bolt: None,
            size,
            fields: Vec::new(),
            tlv_stream: None,
            tlvs: Vec::new(),
            ldk: None,
            errors: Vec::new(),
            notes: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// A message without a type (fewer than 2 bytes, or input that is not hex): a name,
    /// a size and the one error that says why.
    pub(crate) fn without_type(bytes: Vec<u8>, error: String) -> Decoded {
        let size = bytes.len();
        Decoded {
            name: "invalid input".to_string(),
            errors: vec![error],
            bytes,
            ..Decoded::empty(None, size)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldk_agrees_unless_its_decoder_says_otherwise() {
        // (An empty decode has no name yet: the decoder fills it.)
        let mut d = Decoded::empty(Some(18), 8);
        assert!(d.is_ok());
        // Not asked: nothing to disagree with.
        assert!(d.ldk_agrees());
        let check = |ok, decoder| LdkCheck {
            ok,
            error: None,
            decoder,
            note: None,
        };
        d.ldk = Some(check(true, Some("Ping")));
        assert!(d.ldk_agrees());
        d.ldk = Some(check(false, Some("Ping")));
        assert!(!d.ldk_agrees());
        d.ldk = Some(LdkCheck {
            error: Some("InvalidValue".into()),
            ..check(false, Some("Ping"))
        });
        assert_eq!(
            d.summary(),
            " (type 18, 8 bytes): ok; LDK rejects it: InvalidValue"
        );
        // No decoder for the type: LDK's "ok" is only that it would not close.
        d.ldk = Some(check(false, None));
        assert!(d.ldk_agrees());
    }
}
