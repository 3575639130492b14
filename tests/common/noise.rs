//! BOLT 8 (Noise_XK_secp256k1_ChaChaPoly_SHA256) written out as a state machine, for
//! tests that must choose the keys LDK draws itself: the ephemeral key of a handshake.
//! With it a test can be the spec's own initiator (or responder) of
//! `tests/data/bolt8.json` towards the real shell, byte for byte, and corrupt exactly
//! the byte a failing vector corrupts. `tests/vectors/bolt8.rs` checks this file
//! against every vector first, so a mistake here shows as a vector failure, not as a
//! shell bug.
//!
//! What is written here is only the protocol: the three acts, the chaining key and
//! handshake hash, the transport's length-then-body framing and its key rotation
//! every 1000 nonces. The cryptography under it comes from well-kept crates, never by
//! hand: SHA-256 and HMAC from `bitcoin::hashes`, ECDH from `bitcoin::secp256k1`, and
//! the ChaCha20-Poly1305 AEAD from RustCrypto's `chacha20poly1305` (a dev-dependency).
//! HKDF is the two HMACs BOLT 8 itself spells out, because `bitcoin::hashes` 0.14 has
//! no HKDF. Test code only: keys live in plain arrays and are never wiped.
#![allow(dead_code)]

use bitcoin::hashes::{sha256, Hash, HashEngine, Hmac, HmacEngine};
use bitcoin::secp256k1::ecdh::SharedSecret;
use bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// BOLT 8's protocol name and prologue.
const PROTOCOL_NAME: &[u8] = b"Noise_XK_secp256k1_ChaChaPoly_SHA256";
const PROLOGUE: &[u8] = b"lightning";
/// A key is rotated once its nonce reaches this.
const ROTATION_NONCE: u64 = 1000;

pub const ACT_ONE_LEN: usize = 50;
pub const ACT_TWO_LEN: usize = 50;
pub const ACT_THREE_LEN: usize = 66;

/// Why an act was refused, as the spec's vectors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActError {
    /// Fewer bytes than the act needs (`ACTn_READ_FAILED`).
    Short,
    /// A version byte other than 0 (`ACTn_BAD_VERSION`).
    BadVersion,
    /// A key that is not a valid point (`ACTn_BAD_PUBKEY`).
    BadPubkey,
    /// A MAC that does not verify (`ACTn_BAD_TAG`; `ACT3_BAD_CIPHERTEXT` for act three's
    /// encrypted key).
    BadTag,
}

impl ActError {
    /// The vector's `expected_error` (`"ACT2_BAD_VERSION 1"` → `BadVersion`).
    pub fn from_vector(name: &str) -> Option<ActError> {
        let kind = name.split_whitespace().next()?.get(5..)?;
        match kind {
            "READ_FAILED" => Some(ActError::Short),
            "BAD_VERSION" => Some(ActError::BadVersion),
            "BAD_PUBKEY" => Some(ActError::BadPubkey),
            "BAD_TAG" | "BAD_CIPHERTEXT" => Some(ActError::BadTag),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// SHA-256, HKDF, ECDH

fn sha(parts: &[&[u8]]) -> [u8; 32] {
    let mut e = sha256::Hash::engine();
    for p in parts {
        e.input(p);
    }
    sha256::Hash::from_engine(e).to_byte_array()
}

fn hmac(key: &[u8], data: &[&[u8]]) -> [u8; 32] {
    let mut e = HmacEngine::<sha256::Hash>::new(key);
    for d in data {
        e.input(d);
    }
    Hmac::<sha256::Hash>::from_engine(e).to_byte_array()
}

/// HKDF-SHA256 with `salt`, `ikm` and an empty info, two 32-byte outputs.
pub fn hkdf(salt: &[u8; 32], ikm: &[u8]) -> ([u8; 32], [u8; 32]) {
    let prk = hmac(salt, &[ikm]);
    let t1 = hmac(&prk, &[&[1]]);
    let t2 = hmac(&prk, &[&t1, &[2]]);
    (t1, t2)
}

/// SHA-256 of the compressed shared point, as BOLT 8's ECDH is defined.
fn ecdh(pk: &PublicKey, sk: &SecretKey) -> [u8; 32] {
    SharedSecret::new(pk, sk).secret_bytes()
}

// ---------------------------------------------------------------------------------------
// ChaCha20-Poly1305 (RFC 8439), from RustCrypto's `chacha20poly1305`

/// BOLT 8's 96-bit nonce: 32 zero bits, then the 64-bit counter little-endian.
fn nonce(n: u64) -> Nonce {
    let mut out = [0u8; 12];
    out[4..].copy_from_slice(&n.to_le_bytes());
    Nonce::from(out)
}

/// ChaCha20-Poly1305 encryption: ciphertext then 16-byte tag.
pub fn encrypt_with_ad(key: &[u8; 32], n: u64, ad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = ChaCha20Poly1305::new(&Key::from(*key));
    let payload = Payload {
        msg: plaintext,
        aad: ad,
    };
    // The AEAD refuses only inputs of 2^38 bytes or more; BOLT 8 seals at most 65535.
    cipher
        .encrypt(&nonce(n), payload)
        .expect("a BOLT 8 plaintext is far below the AEAD's limit")
}

/// The plaintext, or `None` if the tag does not verify (or `sealed` is shorter
/// than a tag).
pub fn decrypt_with_ad(key: &[u8; 32], n: u64, ad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    let cipher = ChaCha20Poly1305::new(&Key::from(*key));
    let payload = Payload {
        msg: sealed,
        aad: ad,
    };
    cipher.decrypt(&nonce(n), payload).ok()
}

// ---------------------------------------------------------------------------------------
// The handshake

/// The handshake state both sides keep: chaining key and handshake hash.
#[derive(Clone)]
struct State {
    ck: [u8; 32],
    h: [u8; 32],
    temp_k2: [u8; 32],
}

impl State {
    /// Initialised with the responder's static key, as both sides do.
    fn new(responder_static: &PublicKey) -> State {
        let h = sha(&[PROTOCOL_NAME]);
        let ck = h;
        let h = sha(&[&h, PROLOGUE]);
        let h = sha(&[&h, &responder_static.serialize()]);
        State {
            ck,
            h,
            temp_k2: [0; 32],
        }
    }
    fn mix_hash(&mut self, data: &[u8]) {
        self.h = sha(&[&self.h, data]);
    }
    fn mix_key(&mut self, ss: [u8; 32]) -> [u8; 32] {
        let (ck, k) = hkdf(&self.ck, &ss);
        self.ck = ck;
        k
    }
}

/// Checks an act's length and version byte; splits off the rest.
fn act_body(act: &[u8], len: usize) -> Result<&[u8], ActError> {
    if act.len() < len {
        return Err(ActError::Short);
    }
    if act[0] != 0 {
        return Err(ActError::BadVersion);
    }
    Ok(&act[1..len])
}

fn point(bytes: &[u8]) -> Result<PublicKey, ActError> {
    PublicKey::from_slice(bytes).map_err(|_| ActError::BadPubkey)
}

/// The side that opens the connection and knows the responder's node id.
pub struct Initiator {
    state: State,
    rs: PublicKey,
    ls: SecretKey,
    e: SecretKey,
    re: Option<PublicKey>,
}

impl Initiator {
    /// `ls`: our static (node) key; `e`: the ephemeral key; `rs`: the responder's node id.
    pub fn new(ls: SecretKey, e: SecretKey, rs: &PublicKey) -> Initiator {
        Initiator {
            state: State::new(rs),
            rs: *rs,
            ls,
            e,
            re: None,
        }
    }

    /// Our node id.
    pub fn node_id(&self) -> PublicKey {
        PublicKey::from_secret_key(&Secp256k1::new(), &self.ls)
    }

    /// Act one: `0 || e.pub || c`.
    pub fn act_one(&mut self) -> Vec<u8> {
        let rs = self.rs;
        let e_pub = PublicKey::from_secret_key(&Secp256k1::new(), &self.e).serialize();
        self.state.mix_hash(&e_pub);
        let k1 = self.state.mix_key(ecdh(&rs, &self.e));
        let c = encrypt_with_ad(&k1, 0, &self.state.h, &[]);
        self.state.mix_hash(&c);
        [&[0u8][..], &e_pub, &c].concat()
    }

    /// Reads the responder's act two.
    pub fn read_act_two(&mut self, act: &[u8]) -> Result<(), ActError> {
        let body = act_body(act, ACT_TWO_LEN)?;
        let re = point(&body[..33])?;
        let c = &body[33..49];
        self.state.mix_hash(&body[..33]);
        let k2 = self.state.mix_key(ecdh(&re, &self.e));
        decrypt_with_ad(&k2, 0, &self.state.h, c).ok_or(ActError::BadTag)?;
        self.state.mix_hash(c);
        self.state.temp_k2 = k2;
        self.re = Some(re);
        Ok(())
    }

    /// Act three, claiming our own static key; then the transport keys.
    pub fn act_three(self) -> (Vec<u8>, Transport) {
        let claim = self.node_id().serialize();
        self.act_three_claiming(&claim)
    }

    /// Act three with `claim` encrypted where our static key belongs (a test can claim
    /// bytes that are no point, with a valid MAC), finished with our real static key.
    /// Call after [`Initiator::read_act_two`] succeeded.
    pub fn act_three_claiming(mut self, claim: &[u8]) -> (Vec<u8>, Transport) {
        let re = self
            .re
            .expect("act three follows a good act two (read_act_two)");
        let c = encrypt_with_ad(&self.state.temp_k2, 1, &self.state.h, claim);
        self.state.mix_hash(&c);
        let k3 = self.state.mix_key(ecdh(&re, &self.ls));
        let t = encrypt_with_ad(&k3, 0, &self.state.h, &[]);
        let (sk, rk) = hkdf(&self.state.ck, &[]);
        let act = [&[0u8][..], &c, &t].concat();
        (act, Transport::new(self.state.ck, sk, rk))
    }
}

/// The side that accepts the connection.
pub struct Responder {
    state: State,
    ls: SecretKey,
    e: SecretKey,
    re: Option<PublicKey>,
}

impl Responder {
    /// `ls`: our static (node) key; `e`: the ephemeral key.
    pub fn new(ls: SecretKey, e: SecretKey) -> Responder {
        let ls_pub = PublicKey::from_secret_key(&Secp256k1::new(), &ls);
        Responder {
            state: State::new(&ls_pub),
            ls,
            e,
            re: None,
        }
    }

    /// Reads the initiator's act one.
    pub fn read_act_one(&mut self, act: &[u8]) -> Result<(), ActError> {
        let body = act_body(act, ACT_ONE_LEN)?;
        let re = point(&body[..33])?;
        let c = &body[33..49];
        self.state.mix_hash(&body[..33]);
        let k1 = self.state.mix_key(ecdh(&re, &self.ls));
        decrypt_with_ad(&k1, 0, &self.state.h, c).ok_or(ActError::BadTag)?;
        self.state.mix_hash(c);
        self.re = Some(re);
        Ok(())
    }

    /// Act two: `0 || e.pub || c`. Call after [`Responder::read_act_one`] succeeded.
    pub fn act_two(&mut self) -> Vec<u8> {
        let re = self.re.expect("act two follows a good act one");
        let e_pub = PublicKey::from_secret_key(&Secp256k1::new(), &self.e).serialize();
        self.state.mix_hash(&e_pub);
        let k2 = self.state.mix_key(ecdh(&re, &self.e));
        let c = encrypt_with_ad(&k2, 0, &self.state.h, &[]);
        self.state.mix_hash(&c);
        self.state.temp_k2 = k2;
        [&[0u8][..], &e_pub, &c].concat()
    }

    /// Reads act three: the initiator's node id and the transport keys.
    pub fn read_act_three(mut self, act: &[u8]) -> Result<(PublicKey, Transport), ActError> {
        let body = act_body(act, ACT_THREE_LEN)?;
        let (c, t) = body.split_at(49);
        let rs =
            decrypt_with_ad(&self.state.temp_k2, 1, &self.state.h, c).ok_or(ActError::BadTag)?;
        let rs = point(&rs)?;
        self.state.mix_hash(c);
        let k3 = self.state.mix_key(ecdh(&rs, &self.e));
        decrypt_with_ad(&k3, 0, &self.state.h, t).ok_or(ActError::BadTag)?;
        let (rk, sk) = hkdf(&self.state.ck, &[]);
        Ok((rs, Transport::new(self.state.ck, sk, rk)))
    }
}

// ---------------------------------------------------------------------------------------
// Messages after the handshake

/// One direction's key, nonce and chaining key (keys rotate every 1000 nonces).
#[derive(Clone, Debug)]
pub struct CipherState {
    pub ck: [u8; 32],
    pub k: [u8; 32],
    pub n: u64,
}

impl CipherState {
    fn seal(&mut self, plaintext: &[u8]) -> Vec<u8> {
        let out = encrypt_with_ad(&self.k, self.n, &[], plaintext);
        self.step();
        out
    }
    fn open(&mut self, sealed: &[u8]) -> Option<Vec<u8>> {
        let out = decrypt_with_ad(&self.k, self.n, &[], sealed)?;
        self.step();
        Some(out)
    }
    fn step(&mut self) {
        self.n += 1;
        if self.n == ROTATION_NONCE {
            let (ck, k) = hkdf(&self.ck, &self.k);
            self.ck = ck;
            self.k = k;
            self.n = 0;
        }
    }
}

/// Both directions of an established connection.
#[derive(Clone, Debug)]
pub struct Transport {
    pub send: CipherState,
    pub recv: CipherState,
}

impl Transport {
    fn new(ck: [u8; 32], sk: [u8; 32], rk: [u8; 32]) -> Transport {
        Transport {
            send: CipherState { ck, k: sk, n: 0 },
            recv: CipherState { ck, k: rk, n: 0 },
        }
    }

    /// One message on the wire: the sealed 2-byte length, then the sealed body.
    pub fn encrypt(&mut self, msg: &[u8]) -> Vec<u8> {
        let len = u16::try_from(msg.len()).expect("a BOLT 8 message is at most 65535 bytes");
        let mut out = self.send.seal(&len.to_be_bytes());
        out.extend(self.send.seal(msg));
        out
    }

    /// The length of the next message, from its 18-byte sealed header.
    pub fn decrypt_length(&mut self, header: &[u8]) -> Option<usize> {
        let len = self.recv.open(header)?;
        Some(u16::from_be_bytes([len[0], len[1]]) as usize)
    }

    /// The next message's body (its length + 16 bytes).
    pub fn decrypt_body(&mut self, sealed: &[u8]) -> Option<Vec<u8>> {
        self.recv.open(sealed)
    }
}

/// A secret key from 32 bytes of hex (a vector's `ls.priv` or `e.priv`).
pub fn secret(hex_key: &str) -> SecretKey {
    let bytes = hex::decode(hex_key).expect("hex key");
    SecretKey::from_slice(&bytes).expect("a valid secret key")
}

/// A public key from hex.
pub fn public(hex_key: &str) -> PublicKey {
    PublicKey::from_slice(&hex::decode(hex_key).expect("hex key")).expect("a valid point")
}
