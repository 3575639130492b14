//! BigSize (BOLT 1): the variable-length unsigned integer used for TLV types and lengths.
//!
//! `x < 0xfd` is one byte; otherwise a marker byte `0xfd`/`0xfe`/`0xff` is followed by a
//! big-endian u16/u32/u64. Decoders must reject encodings that are not minimal.

use std::fmt;

/// Why a BigSize could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BigSizeError {
    /// No byte at all.
    Empty,
    /// The marker promised `needed` bytes in total but only `available` were there.
    Truncated {
        /// Bytes the marker calls for, marker included (3, 5 or 9).
        needed: usize,
        /// Bytes left in the input.
        available: usize,
    },
    /// The value fits in a shorter encoding, which BOLT 1 requires.
    NotMinimal {
        /// The value read.
        value: u64,
        /// Bytes it took, marker included (longer than its minimal encoding).
        encoded_len: usize,
    },
}

impl fmt::Display for BigSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BigSizeError::Empty => write!(f, "BigSize missing (no bytes left)"),
            BigSizeError::Truncated { needed, available } => write!(
                f,
                "BigSize truncated: needs {needed} bytes, only {available} left"
            ),
            BigSizeError::NotMinimal { value, encoded_len } => write!(
                f,
                "non-minimal BigSize: {value} encoded in {encoded_len} bytes but fits in {} (BOLT 1: MUST be minimal)",
                encoded_len_of(*value)
            ),
        }
    }
}

impl std::error::Error for BigSizeError {}

/// Reads one BigSize from the start of `bytes`: the value and how many bytes it took.
pub fn read(bytes: &[u8]) -> Result<(u64, usize), BigSizeError> {
    let first = *bytes.first().ok_or(BigSizeError::Empty)?;
    let (len, min) = match first {
        0xfd => (3, 0xfd),
        0xfe => (5, 0x1_0000),
        0xff => (9, 0x1_0000_0000),
        b => return Ok((u64::from(b), 1)),
    };
    let body = bytes.get(1..len).ok_or(BigSizeError::Truncated {
        needed: len,
        available: bytes.len(),
    })?;
    let value = body.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
    if value < min {
        return Err(BigSizeError::NotMinimal {
            value,
            encoded_len: len,
        });
    }
    Ok((value, len))
}

/// Number of bytes the minimal encoding of `value` takes.
pub fn encoded_len_of(value: u64) -> usize {
    match value {
        0..=0xfc => 1,
        0xfd..=0xffff => 3,
        0x1_0000..=0xffff_ffff => 5,
        _ => 9,
    }
}

/// Appends the minimal encoding of `value` to `out`.
pub fn write(value: u64, out: &mut Vec<u8>) {
    match encoded_len_of(value) {
        1 => out.push(value as u8),
        3 => {
            out.push(0xfd);
            out.extend_from_slice(&(value as u16).to_be_bytes());
        }
        5 => {
            out.push(0xfe);
            out.extend_from_slice(&(value as u32).to_be_bytes());
        }
        _ => {
            out.push(0xff);
            out.extend_from_slice(&value.to_be_bytes());
        }
    }
}

/// The minimal encoding of `value`.
pub fn encode(value: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(9);
    write(value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/bigsize.json"
    ));

    fn vectors() -> serde_json::Value {
        serde_json::from_str(VECTORS).expect("bigsize.json is valid JSON")
    }

    #[test]
    fn bolt1_decoding_vectors() {
        let v = vectors();
        let cases = v["decoding"].as_array().expect("decoding list");
        assert_eq!(cases.len(), 18);
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let bytes = hex::decode(case["bytes"].as_str().unwrap()).unwrap();
            let got = read(&bytes);
            if case.get("exp_error").is_some() {
                assert!(got.is_err(), "{name}: expected an error, got {got:?}");
            } else {
                let value = case["value"].as_u64().unwrap();
                assert_eq!(got, Ok((value, bytes.len())), "{name}");
            }
        }
    }

    #[test]
    fn bolt1_encoding_vectors() {
        let v = vectors();
        let cases = v["encoding"].as_array().expect("encoding list");
        assert_eq!(cases.len(), 8);
        for case in cases {
            let value = case["value"].as_u64().unwrap();
            let bytes = case["bytes"].as_str().unwrap();
            assert_eq!(hex::encode(encode(value)), bytes, "{}", case["name"]);
            assert_eq!(encoded_len_of(value), bytes.len() / 2);
        }
    }

    #[test]
    fn error_texts() {
        assert_eq!(read(&[]), Err(BigSizeError::Empty));
        assert!(read(&[0xfd, 0x00, 0xfc])
            .unwrap_err()
            .to_string()
            .contains("non-minimal"));
        assert!(read(&[0xfe, 0x01])
            .unwrap_err()
            .to_string()
            .contains("needs 5 bytes"));
    }

    /// The errors carry what the reader saw, and say it in full.
    #[test]
    fn error_fields_and_words() {
        let cases: [(&[u8], BigSizeError, &str); 4] = [
            (&[], BigSizeError::Empty, "BigSize missing (no bytes left)"),
            (
                &[0xff, 0x00, 0x00],
                BigSizeError::Truncated { needed: 9, available: 3 },
                "BigSize truncated: needs 9 bytes, only 3 left",
            ),
            (
                &[0xfe, 0x00, 0x00, 0xff, 0xff],
                BigSizeError::NotMinimal { value: 0xffff, encoded_len: 5 },
                "non-minimal BigSize: 65535 encoded in 5 bytes but fits in 3 (BOLT 1: MUST be minimal)",
            ),
            (
                &[0xff, 0, 0, 0, 0, 0, 0, 0, 0xfc],
                BigSizeError::NotMinimal { value: 0xfc, encoded_len: 9 },
                "non-minimal BigSize: 252 encoded in 9 bytes but fits in 1 (BOLT 1: MUST be minimal)",
            ),
        ];
        for (bytes, error, words) in cases {
            assert_eq!(read(bytes), Err(error.clone()));
            assert_eq!(error.to_string(), words);
        }
    }

    /// Each marker's smallest value reads back; the byte after the BigSize is not part of it.
    #[test]
    fn smallest_of_each_length_and_trailing_bytes() {
        for (value, len) in [(0xfc, 1), (0xfd, 3), (0x1_0000, 5), (0x1_0000_0000, 9)] {
            let mut bytes = encode(value);
            assert_eq!(bytes.len(), len);
            bytes.push(0x42);
            assert_eq!(read(&bytes), Ok((value, len)));
        }
    }
}
