//! BOLT 9 feature bits: names, and turning a wire feature vector into words.
//!
//! Feature vectors travel big-endian: bit 0 is the lowest bit of the *last* byte. Each feature
//! has a pair of bits; the even one means "required" (a peer that does not know it must not
//! go on), the odd one "optional" ("it's ok to be odd").

/// One feature of the BOLT 9 table.
#[derive(Clone, Copy, Debug)]
pub struct Feature {
    /// The even ("required") bit; the optional bit is `bit + 1`.
    pub bit: usize,
    /// Name as BOLT 9 spells it (e.g. `option_static_remotekey`).
    pub name: &'static str,
    /// BOLT 9 context letters: I init, N node_announcement, C channel_announcement,
    /// 9 BOLT 11 invoice, B blinded path, T channel_type. Empty for ASSUMED features.
    pub context: &'static str,
    /// ASSUMED: every node supports it (nodes still commonly set the bits).
    pub assumed: bool,
}

/// The BOLT 9 table (lightning/bolts a3772650, `09-features.md`).
pub static FEATURES: &[Feature] = &[
    Feature {
        bit: 0,
        name: "option_data_loss_protect",
        context: "",
        assumed: true,
    },
    Feature {
        bit: 4,
        name: "option_upfront_shutdown_script",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 6,
        name: "gossip_queries",
        context: "",
        assumed: false,
    },
    Feature {
        bit: 8,
        name: "var_onion_optin",
        context: "",
        assumed: true,
    },
    Feature {
        bit: 10,
        name: "gossip_queries_ex",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 12,
        name: "option_static_remotekey",
        context: "",
        assumed: true,
    },
    Feature {
        bit: 14,
        name: "payment_secret",
        context: "",
        assumed: true,
    },
    Feature {
        bit: 16,
        name: "basic_mpp",
        context: "IN9",
        assumed: false,
    },
    Feature {
        bit: 18,
        name: "option_support_large_channel",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 22,
        name: "option_anchors",
        context: "INT",
        assumed: false,
    },
    Feature {
        bit: 24,
        name: "option_route_blinding",
        context: "IN9",
        assumed: false,
    },
    Feature {
        bit: 26,
        name: "option_shutdown_anysegwit",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 28,
        name: "option_dual_fund",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 34,
        name: "option_quiesce",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 36,
        name: "option_attribution_data",
        context: "IN9",
        assumed: false,
    },
    Feature {
        bit: 38,
        name: "option_onion_messages",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 42,
        name: "option_provide_storage",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 44,
        name: "option_channel_type",
        context: "",
        assumed: true,
    },
    Feature {
        bit: 46,
        name: "option_scid_alias",
        context: "INT",
        assumed: false,
    },
    Feature {
        bit: 48,
        name: "option_payment_metadata",
        context: "9",
        assumed: false,
    },
    Feature {
        bit: 50,
        name: "option_zeroconf",
        context: "INT",
        assumed: false,
    },
    Feature {
        bit: 60,
        name: "option_simple_close",
        context: "IN",
        assumed: false,
    },
    Feature {
        bit: 62,
        name: "option_splice",
        context: "IN",
        assumed: false,
    },
];

/// Bits that had a name before and were removed from the table.
static REMOVED: &[(usize, &str)] = &[
    (3, "initial_routing_sync"),
    (20, "option_anchor_outputs"),
    (21, "option_anchor_outputs"),
];

/// The feature that owns `bit` (either of its pair).
pub fn feature_of(bit: usize) -> Option<&'static Feature> {
    FEATURES.iter().find(|f| f.bit == bit & !1)
}

/// Name of the feature that owns `bit`.
pub fn name_of(bit: usize) -> Option<&'static str> {
    feature_of(bit).map(|f| f.name)
}

/// The even bit of the feature called `name` (with or without the `option_` prefix).
pub fn bit_by_name(name: &str) -> Option<usize> {
    FEATURES
        .iter()
        .find(|f| f.name == name || f.name.strip_prefix("option_") == Some(name))
        .map(|f| f.bit)
}

/// Set bits of a big-endian feature vector, lowest first.
pub(crate) fn set_bits(be_bytes: &[u8]) -> Vec<usize> {
    let mut bits = Vec::new();
    for (i, byte) in be_bytes.iter().rev().enumerate() {
        for k in 0..8 {
            if byte & (1 << k) != 0 {
                bits.push(i * 8 + k);
            }
        }
    }
    bits
}

/// Whether `bit` is set in a big-endian feature vector.
pub(crate) fn has_bit(be_bytes: &[u8], bit: usize) -> bool {
    let idx = bit / 8;
    idx < be_bytes.len() && be_bytes[be_bytes.len() - 1 - idx] & (1 << (bit % 8)) != 0
}

/// Minimal big-endian feature vector with these bits set.
pub fn from_bits(bits: &[usize]) -> Vec<u8> {
    let Some(max) = bits.iter().max() else {
        return Vec::new();
    };
    let len = max / 8 + 1;
    let mut out = vec![0u8; len];
    for bit in bits {
        out[len - 1 - bit / 8] |= 1 << (bit % 8);
    }
    out
}

/// Describes one set bit: `"var_onion_optin (required)"` or `"unknown bit 101 (optional)"`.
pub fn describe_bit(bit: usize) -> String {
    let level = if bit.is_multiple_of(2) {
        "required"
    } else {
        "optional"
    };
    if let Some(name) = name_of(bit) {
        return format!("{name} ({level})");
    }
    match REMOVED.iter().find(|(b, _)| *b == bit) {
        Some((_, old)) => format!("unknown bit {bit} ({level}; formerly {old})"),
        None => format!("unknown bit {bit} ({level})"),
    }
}

/// Wire-order (big-endian) feature bytes to words, lowest bit first, e.g.
/// `["option_data_loss_protect (required)", "var_onion_optin (required)", "unknown bit 101 (optional)"]`.
pub fn describe(be_bytes: &[u8]) -> Vec<String> {
    set_bits(be_bytes).into_iter().map(describe_bit).collect()
}

/// Set even bits that the BOLT 9 table does not name: a peer that sees them must not proceed.
pub(crate) fn unknown_required(be_bytes: &[u8]) -> Vec<usize> {
    set_bits(be_bytes)
        .into_iter()
        .filter(|b| b % 2 == 0 && name_of(*b).is_none())
        .collect()
}

/// Features with both their required and optional bit set (BOLT 9: MUST NOT).
pub(crate) fn both_bits_set(be_bytes: &[u8]) -> Vec<&'static str> {
    FEATURES
        .iter()
        .filter(|f| has_bit(be_bytes, f.bit) && has_bit(be_bytes, f.bit + 1))
        .map(|f| f.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_wire_order_bits() {
        // 0x0100 0000 ... bit 0 and bit 8 set, bit 101 (odd, unknown).
        let mut bytes = from_bits(&[0, 8, 101]);
        assert_eq!(bytes.len(), 13);
        assert_eq!(
            describe(&bytes),
            [
                "option_data_loss_protect (required)",
                "var_onion_optin (required)",
                "unknown bit 101 (optional)"
            ]
        );
        bytes[0] = 0;
        assert_eq!(describe(&bytes).len(), 2);
    }

    #[test]
    fn init_example_bits() {
        // The features of `00100000000580082a6aa2`: bits 1 5 7 9 11 13 14 17 19 21 27 39.
        let f = hex::decode("80082a6aa2").unwrap();
        assert_eq!(set_bits(&f), [1, 5, 7, 9, 11, 13, 14, 17, 19, 21, 27, 39]);
        let d = describe(&f);
        assert_eq!(d[0], "option_data_loss_protect (optional)");
        assert_eq!(d[6], "payment_secret (required)");
        assert_eq!(
            d[9],
            "unknown bit 21 (optional; formerly option_anchor_outputs)"
        );
        assert_eq!(d[11], "option_onion_messages (optional)");
        assert!(unknown_required(&f).is_empty());
    }

    #[test]
    fn names_and_lookup() {
        assert_eq!(bit_by_name("static_remotekey"), Some(12));
        assert_eq!(bit_by_name("option_anchors"), Some(22));
        assert_eq!(
            describe_bit(21),
            "unknown bit 21 (optional; formerly option_anchor_outputs)"
        );
        assert_eq!(unknown_required(&from_bits(&[100, 9])), vec![100]);
        assert_eq!(
            both_bits_set(&from_bits(&[12, 13])),
            vec!["option_static_remotekey"]
        );
        assert!(describe(&[]).is_empty());
    }
}
