//! What `encode` puts in a field the user leaves out, and so what `example` sends: amounts
//! and delays a node would really use, the network's `chain_hash`, keys and ECDSA
//! signatures derived from fixed secrets (deterministic, so examples are the same on every
//! run), well-formed scripts, witnesses, transactions and onions, and the TLV records a real
//! node would send.

use bitcoin::absolute::LockTime;
use bitcoin::constants::ChainHash;
use bitcoin::hashes::{hash160, sha256, Hash};
use bitcoin::secp256k1::{ecdsa::Signature, Message, PublicKey, Secp256k1, SecretKey, SignOnly};
use bitcoin::{
    transaction, Amount, Network, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid,
    Witness,
};

use super::syntax::{built, minimal_be, parse_address, parse_scid, Built};
use crate::wire::catalog::{Count, FieldSpec, FieldType, Kind, MessageSpec};
use crate::wire::{bigsize, features, values};

/// A valid example of the message `name` (`type || payload`) for `network`: [`encode`]
/// with no assignments, so every field gets its default.
///
/// [`encode`]: super::encode
pub fn example(name: &str, network: Network) -> Result<Vec<u8>, String> {
    super::encode(name, &[], network)
}

/// Key material and the network, for defaults.
pub(super) struct Ctx {
    secp: Secp256k1<SignOnly>,
    network: Network,
    pub(super) msg: &'static MessageSpec,
}

impl Ctx {
    pub(super) fn new(network: Network, msg: &'static MessageSpec) -> Ctx {
        Ctx {
            secp: Secp256k1::signing_only(),
            network,
            msg,
        }
    }

    pub(super) fn secret(&self, tag: &str) -> Result<SecretKey, String> {
        let h = sha256::Hash::hash(format!("lnshell example key: {tag}").as_bytes());
        SecretKey::from_slice(h.as_byte_array())
            .map_err(|e| format!("deriving a key for {tag}: {e}"))
    }

    pub(super) fn pubkey(&self, tag: &str) -> Result<PublicKey, String> {
        Ok(PublicKey::from_secret_key(&self.secp, &self.secret(tag)?))
    }

    pub(super) fn point(&self, tag: &str) -> Result<Vec<u8>, String> {
        Ok(self.pubkey(tag)?.serialize().to_vec())
    }

    pub(super) fn sign(&self, tag: &str) -> Result<Signature, String> {
        let digest = sha256::Hash::hash(format!("lnshell example signature: {tag}").as_bytes());
        let msg = Message::from_digest(digest.to_byte_array());
        Ok(self.secp.sign_ecdsa(&msg, &self.secret(tag)?))
    }

    pub(super) fn signature(&self, tag: &str) -> Result<Vec<u8>, String> {
        Ok(self.sign(tag)?.serialize_compact().to_vec())
    }

    pub(super) fn chain_hash(&self) -> [u8; 32] {
        ChainHash::using_genesis_block_const(self.network).to_bytes()
    }

    /// P2WPKH script of a derived key.
    pub(super) fn p2wpkh(&self, tag: &str) -> Result<Vec<u8>, String> {
        let key = self.pubkey(tag)?;
        let mut s = vec![0x00, 0x14];
        s.extend(hash160::Hash::hash(&key.serialize()).to_byte_array());
        Ok(s)
    }
}

/// TLV records examples carry unless told otherwise.
pub(super) fn default_record(msg: &str, record: &str) -> bool {
    matches!(
        (msg, record),
        ("init", "networks")
            | (
                "open_channel" | "accept_channel" | "open_channel2" | "accept_channel2",
                "channel_type" | "upfront_shutdown_script"
            )
            | (
                "closing_complete" | "closing_sig",
                "closer_and_closee_outputs"
            )
            | ("start_batch", "message_type")
    )
}

/// Default numbers, by field name.
pub(super) fn default_number(msg: &str, name: &str) -> u64 {
    match name {
        "funding_satoshis" => 100_000,
        "dust_limit_satoshis" => 546,
        "max_htlc_value_in_flight_msat" => 100_000_000,
        "channel_reserve_satoshis" => 1_000,
        "htlc_minimum_msat" => 1_000,
        "feerate_per_kw" | "funding_feerate_perkw" | "commitment_feerate_perkw" => 253,
        "feerate" => 506,
        "to_self_delay" => 144,
        "max_accepted_htlcs" => 483,
        "minimum_depth" => 3,
        "fee_satoshis" => 1_000,
        "min_fee_satoshis" => 500,
        "max_fee_satoshis" => 2_000,
        "locktime" => 800_000,
        "sequence" => 0xffff_fffd,
        "sats" => 99_000,
        "initiator" | "sync_complete" | "full_information" => 1,
        "batch_size" => 2,
        "message_type" => 132,
        "amount_msat" => 10_000,
        "cltv_expiry" => 800_144,
        "failure_code" => 0xc005,
        "next_commitment_number" => 1,
        "timestamp" | "first_timestamp" => 1_700_000_000,
        "message_flags" => 1,
        "cltv_expiry_delta" => 40,
        "htlc_maximum_msat" => 99_000_000,
        "fee_base_msat" => 1_000,
        "fee_proportional_millionths" => 100,
        "first_blocknum" => 800_000,
        "number_of_blocks" => 2_016,
        "timestamp_range" => 86_400,
        "num_pong_bytes" => 4,
        "funding_contribution_satoshis" | "satoshis" => 50_000,
        "serial_id" if msg == "tx_add_output" => 2,
        _ => 0,
    }
}

/// The bytes a placeholder `witness` carries: a DER signature with SIGHASH_ALL and a key.
pub(super) fn default_witness(ctx: &Ctx, tag: &str) -> Result<Vec<u8>, String> {
    let mut sig = ctx.sign(tag)?.serialize_der().to_vec();
    sig.push(0x01);
    let key = ctx.point(tag)?;
    let data = values::witness_bytes(&[sig, key]);
    let mut out = (data.len() as u16).to_be_bytes().to_vec();
    out.extend(data);
    Ok(out)
}

pub(super) fn default_transaction(ctx: &Ctx) -> Result<Vec<u8>, String> {
    let prev = sha256::Hash::hash(b"lnshell example previous transaction");
    let tx = Transaction {
        version: transaction::Version::TWO,
        lock_time: LockTime::ZERO,
        input: vec![TxIn {
            previous_output: OutPoint {
                txid: Txid::from_byte_array(prev.to_byte_array()),
                vout: 0,
            },
            script_sig: ScriptBuf::new(),
            sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
            witness: Witness::new(),
        }],
        output: vec![TxOut {
            value: Amount::from_sat(100_000),
            script_pubkey: ScriptBuf::from_bytes(ctx.p2wpkh("prevtx output")?),
        }],
    };
    Ok(values::transaction_bytes(&tx))
}

pub(super) fn default_onion(ctx: &Ctx, tag: &str, hop_data: usize) -> Result<Vec<u8>, String> {
    let mut out = vec![0u8];
    out.extend(ctx.point(tag)?);
    out.resize(1 + 33 + hop_data, 0);
    out.extend(sha256::Hash::hash(tag.as_bytes()).to_byte_array());
    Ok(out)
}

pub(super) fn hash_of(tag: &str) -> Vec<u8> {
    sha256::Hash::hash(format!("lnshell example: {tag}").as_bytes())
        .to_byte_array()
        .to_vec()
}

/// The example preimage, and its hash as the default `payment_hash`.
pub(super) const PREIMAGE: [u8; 32] = [0x42; 32];

/// Default value of field `f` (`tag` tells keys apart).
pub(super) fn default_value(
    ctx: &Ctx,
    f: &FieldSpec,
    tag: &str,
    count: Option<usize>,
) -> Result<Built, String> {
    let msg = ctx.msg.name;
    let b = match f.ty {
        FieldType::Point => {
            // BOLT 7 wants channel_announcement's node_id_1 below node_id_2: the "node" key
            // (03 0279…) is below the "peer" key (03 4991…), so the defaults are in order
            // as they are (tests/wire_api.rs checks it).
            let key_tag = match (msg, f.name) {
                (_, "node_id" | "node_id_1") => "node",
                (_, "node_id_2") => "peer",
                _ => tag,
            };
            ctx.point(key_tag)?
        }
        FieldType::Signature if f.count == Count::One => ctx.signature(tag)?,
        FieldType::Signature => {
            let n = count.unwrap_or(0);
            let mut out = Vec::new();
            for i in 0..n {
                out.extend(ctx.signature(&format!("{tag}[{i}]"))?);
            }
            return Ok(Built {
                bytes: out,
                count: n,
            });
        }
        FieldType::Witness => {
            let n = count.unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..n {
                out.extend(default_witness(ctx, &format!("{tag}[{i}]"))?);
            }
            return Ok(Built {
                bytes: out,
                count: n,
            });
        }
        FieldType::ChainHash => ctx.chain_hash().to_vec(),
        FieldType::ShortChannelId => parse_scid(tag, "800000x1x0")?,
        FieldType::ChannelId => hash_of("channel_id"),
        FieldType::Sha256 if f.name == "payment_hash" => {
            sha256::Hash::hash(&PREIMAGE).to_byte_array().to_vec()
        }
        FieldType::Sha256 => hash_of(tag),
        FieldType::Byte | FieldType::U16 | FieldType::U32 | FieldType::U64
            if f.count == Count::One =>
        {
            let n = default_number(msg, f.name);
            let size = f.ty.fixed_size().unwrap_or(8);
            n.to_be_bytes()[8 - size..].to_vec()
        }
        FieldType::S64 => (default_number(msg, f.name) as i64).to_be_bytes().to_vec(),
        FieldType::Tu32 | FieldType::Tu64 => minimal_be(default_number(msg, f.name)),
        FieldType::BigSize => bigsize::encode(default_number(msg, f.name)),
        FieldType::Tlvs => Vec::new(),
        _ => default_bytes(ctx, f, tag)?,
    };
    Ok(built(b))
}

/// Defaults of byte-array fields.
pub(super) fn default_bytes(ctx: &Ctx, f: &FieldSpec, tag: &str) -> Result<Vec<u8>, String> {
    let msg = ctx.msg.name;
    let fixed = match (f.count, f.ty.fixed_size()) {
        (Count::Fixed(n), Some(size)) => Some(n * size),
        _ => None,
    };
    let b = match f.kind {
        Kind::InitFeatures | Kind::NodeFeatures if f.name == "features" => {
            features::from_bits(&[0, 8, 12, 14, 17, 44])
        }
        Kind::ChannelTypeFeatures => features::from_bits(&[12]),
        Kind::Text => format!("lnshell example {msg}").into_bytes(),
        Kind::Alias => {
            let mut a = b"lnshell".to_vec();
            a.resize(32, 0);
            a
        }
        Kind::Rgb => vec![0x33, 0x99, 0xff],
        Kind::Addresses => parse_address(tag, "127.0.0.1:9735")?,
        // BOLT 2: a channel open that carries its TLV stream MUST carry this record; empty
        // (`0000`) is how a sender commits to no script, and what LDK sends without one.
        Kind::Script if f.name == "shutdown_scriptpubkey" => Vec::new(),
        Kind::Script => ctx.p2wpkh(tag)?,
        Kind::Preimage => PREIMAGE.to_vec(),
        Kind::Secret if f.name == "your_last_per_commitment_secret" => vec![0u8; 32],
        Kind::Secret | Kind::ChannelIdBytes => hash_of(tag),
        Kind::Onion => default_onion(ctx, tag, 1300)?,
        Kind::Transaction => default_transaction(ctx)?,
        Kind::EncodedShortIds => {
            let mut out = vec![0u8];
            out.extend(parse_scid(tag, "800000x1x0")?);
            out.extend(parse_scid(tag, "800001x2x1")?);
            out
        }
        Kind::Ignored if msg == "pong" => {
            vec![0u8; default_number("ping", "num_pong_bytes") as usize]
        }
        _ if f.name == "blob" => hash_of(tag),
        _ if f.name == "reason" => vec![0u8; 256],
        _ => Vec::new(),
    };
    match fixed {
        Some(n) if b.len() != n => {
            let mut b = b;
            b.resize(n, 0);
            Ok(b)
        }
        _ => Ok(b),
    }
}
