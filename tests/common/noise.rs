//! BOLT 8 (Noise_XK_secp256k1_ChaChaPoly_SHA256) written out plainly, for tests that
//! must choose the keys LDK draws itself: the ephemeral key of a handshake. With it a
//! test can be the spec's own initiator (or responder) of `tests/data/bolt8.json`
//! towards the real shell, byte for byte, and corrupt exactly the byte a failing
//! vector corrupts. `tests/bolt8_vectors.rs` checks this file against every vector
//! first, so a mistake here shows as a vector failure, not as a shell bug.
//!
//! Test code only: nothing is constant-time, and ChaCha20 and Poly1305 are the
//! RFC 8439 reference algorithms, written for reading rather than speed. It depends
//! only on `bitcoin` (secp256k1 and SHA-256), so `examples/` and `fuzz/` can include it.
#![allow(dead_code)]

use bitcoin::hashes::{sha256, Hash, HashEngine, Hmac, HmacEngine};
use bitcoin::secp256k1::ecdh::SharedSecret;
use bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};

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
// ChaCha20-Poly1305 (RFC 8439)

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

fn chacha_block(key: &[u8; 32], counter: u32, nonce: &[u8; 12]) -> [u8; 64] {
    let mut s = [0u32; 16];
    s[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    for i in 0..8 {
        s[4 + i] = le32(&key[4 * i..]);
    }
    s[12] = counter;
    for i in 0..3 {
        s[13 + i] = le32(&nonce[4 * i..]);
    }
    let start = s;
    for _ in 0..10 {
        quarter(&mut s, 0, 4, 8, 12);
        quarter(&mut s, 1, 5, 9, 13);
        quarter(&mut s, 2, 6, 10, 14);
        quarter(&mut s, 3, 7, 11, 15);
        quarter(&mut s, 0, 5, 10, 15);
        quarter(&mut s, 1, 6, 11, 12);
        quarter(&mut s, 2, 7, 8, 13);
        quarter(&mut s, 3, 4, 9, 14);
    }
    let mut out = [0u8; 64];
    for i in 0..16 {
        out[4 * i..4 * i + 4].copy_from_slice(&s[i].wrapping_add(start[i]).to_le_bytes());
    }
    out
}

fn chacha_xor(key: &[u8; 32], counter: u32, nonce: &[u8; 12], data: &mut [u8]) {
    for (i, chunk) in data.chunks_mut(64).enumerate() {
        let stream = chacha_block(key, counter + i as u32, nonce);
        for (b, k) in chunk.iter_mut().zip(stream) {
            *b ^= k;
        }
    }
}

/// Poly1305 in 26-bit limbs (the "donna" layout).
fn poly1305(key: &[u8; 32], msg: &[u8]) -> [u8; 16] {
    const M: u32 = 0x3ff_ffff;
    let r0 = le32(&key[0..]) & 0x3ff_ffff;
    let r1 = (le32(&key[3..]) >> 2) & 0x3ff_ff03;
    let r2 = (le32(&key[6..]) >> 4) & 0x3ff_c0ff;
    let r3 = (le32(&key[9..]) >> 6) & 0x3f0_3fff;
    let r4 = (le32(&key[12..]) >> 8) & 0x00f_ffff;
    let (r0, r1, r2, r3, r4) = (r0 as u64, r1 as u64, r2 as u64, r3 as u64, r4 as u64);
    let (s1, s2, s3, s4) = (r1 * 5, r2 * 5, r3 * 5, r4 * 5);
    let mut h = [0u32; 5];
    for chunk in msg.chunks(16) {
        let mut block = [0u8; 17];
        block[..chunk.len()].copy_from_slice(chunk);
        block[chunk.len()] = 1;
        let t0 = le32(&block[0..]) as u64;
        let t1 = le32(&block[4..]) as u64;
        let t2 = le32(&block[8..]) as u64;
        let t3 = le32(&block[12..]) as u64;
        let t4 = block[16] as u64;
        let h0 = h[0] as u64 + (t0 & M as u64);
        let h1 = h[1] as u64 + (((t1 << 32) | t0) >> 26 & M as u64);
        let h2 = h[2] as u64 + (((t2 << 32) | t1) >> 20 & M as u64);
        let h3 = h[3] as u64 + (((t3 << 32) | t2) >> 14 & M as u64);
        let h4 = h[4] as u64 + ((t3 >> 8) | (t4 << 24));
        let d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
        let mut d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
        let mut d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
        let mut d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
        let mut d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
        h[0] = (d0 as u32) & M;
        d1 += d0 >> 26;
        h[1] = (d1 as u32) & M;
        d2 += d1 >> 26;
        h[2] = (d2 as u32) & M;
        d3 += d2 >> 26;
        h[3] = (d3 as u32) & M;
        d4 += d3 >> 26;
        h[4] = (d4 as u32) & M;
        let h0 = (h[0] as u64) + (d4 >> 26) * 5;
        h[0] = (h0 as u32) & M;
        h[1] += (h0 >> 26) as u32;
    }
    // Full carry, then h mod 2^130 - 5.
    let mut c;
    c = h[1] >> 26;
    h[1] &= M;
    h[2] += c;
    c = h[2] >> 26;
    h[2] &= M;
    h[3] += c;
    c = h[3] >> 26;
    h[3] &= M;
    h[4] += c;
    c = h[4] >> 26;
    h[4] &= M;
    h[0] += c * 5;
    c = h[0] >> 26;
    h[0] &= M;
    h[1] += c;
    let mut g = [0u32; 5];
    g[0] = h[0] + 5;
    c = g[0] >> 26;
    g[0] &= M;
    for i in 1..4 {
        g[i] = h[i] + c;
        c = g[i] >> 26;
        g[i] &= M;
    }
    let g4 = (h[4] + c).wrapping_sub(1 << 26);
    // g4's top bit set: h < p, keep h; else take g = h - p.
    let keep_g = (g4 >> 31).wrapping_sub(1);
    g[4] = g4 & M;
    for i in 0..5 {
        h[i] = (h[i] & !keep_g) | (g[i] & keep_g);
    }
    let w0 = h[0] | (h[1] << 26);
    let w1 = (h[1] >> 6) | (h[2] << 20);
    let w2 = (h[2] >> 12) | (h[3] << 14);
    let w3 = (h[3] >> 18) | (h[4] << 8);
    let mut out = [0u8; 16];
    let mut carry = 0u64;
    for (i, w) in [w0, w1, w2, w3].into_iter().enumerate() {
        let f = w as u64 + le32(&key[16 + 4 * i..]) as u64 + carry;
        out[4 * i..4 * i + 4].copy_from_slice(&(f as u32).to_le_bytes());
        carry = f >> 32;
    }
    out
}

fn nonce(n: u64) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[4..].copy_from_slice(&n.to_le_bytes());
    out
}

fn tag(key: &[u8; 32], n: u64, ad: &[u8], ct: &[u8]) -> [u8; 16] {
    let block = chacha_block(key, 0, &nonce(n));
    let mut poly_key = [0u8; 32];
    poly_key.copy_from_slice(&block[..32]);
    let pad = |len: usize| vec![0u8; (16 - len % 16) % 16];
    let mut data = ad.to_vec();
    data.extend(pad(ad.len()));
    data.extend(ct);
    data.extend(pad(ct.len()));
    data.extend((ad.len() as u64).to_le_bytes());
    data.extend((ct.len() as u64).to_le_bytes());
    poly1305(&poly_key, &data)
}

/// ChaCha20-Poly1305 encryption: ciphertext then 16-byte tag.
pub fn encrypt_with_ad(key: &[u8; 32], n: u64, ad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let mut ct = plaintext.to_vec();
    chacha_xor(key, 1, &nonce(n), &mut ct);
    let t = tag(key, n, ad, &ct);
    ct.extend(t);
    ct
}

/// The plaintext, or `None` if the tag does not verify.
pub fn decrypt_with_ad(key: &[u8; 32], n: u64, ad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    let split = sealed.len().checked_sub(16)?;
    let (ct, t) = sealed.split_at(split);
    if tag(key, n, ad, ct) != t {
        return None;
    }
    let mut pt = ct.to_vec();
    chacha_xor(key, 1, &nonce(n), &mut pt);
    Some(pt)
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
