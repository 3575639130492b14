//! TLV streams (BOLT 1): `bigsize type || bigsize length || value`, repeated.
//!
//! [`records`] checks the structure (minimal BigSize, lengths inside the stream). The stream
//! rules (strictly increasing types, no duplicates, unknown even types rejected) and the
//! fields of known records are the decoder's job (`decode/tlv_stream.rs`), so this module
//! stays below the decoder and knows nothing of fields.

use std::fmt;

use super::bigsize::{self, BigSizeError};

/// One record as laid out in the stream (offsets relative to the slice given to [`records`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawRecord {
    /// The record's type (a BigSize): even is "must understand", odd "may ignore".
    pub tlv_type: u64,
    /// Offset of the type.
    pub offset: usize,
    /// Length of the value in bytes, as its length BigSize says.
    pub length: usize,
    /// Offset of the value.
    pub value_offset: usize,
}

/// A structural error in a TLV stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlvError {
    /// The type is not a valid BigSize.
    BadType {
        /// Where the record (its type) starts.
        offset: usize,
        /// What is wrong with the BigSize.
        error: BigSizeError,
    },
    /// The length is missing or not a valid BigSize.
    BadLength {
        /// Where the length starts (just after the type): the byte that is missing
        /// or wrong.
        offset: usize,
        /// The record's type, which was read.
        tlv_type: u64,
        /// What is wrong with the length's BigSize.
        error: BigSizeError,
    },
    /// The value runs past the end of the stream.
    ValuePastEnd {
        /// Where the record (its type) starts.
        offset: usize,
        /// The record's type.
        tlv_type: u64,
        /// The length the record claims.
        length: u64,
        /// Bytes actually left after the length.
        available: usize,
    },
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlvError::BadType { offset, error } => write!(f, "record type at offset {offset}: {error}"),
            TlvError::BadLength { offset, tlv_type, error: BigSizeError::Empty } => write!(
                f,
                "record type {tlv_type}: length missing at offset {offset}"
            ),
            TlvError::BadLength { offset, tlv_type, error } => {
                write!(f, "record type {tlv_type}, length at offset {offset}: {error}")
            }
            TlvError::ValuePastEnd { offset, tlv_type, length, available } => write!(
                f,
                "record type {tlv_type} at offset {offset}: length {length} runs past the end of the stream ({available} bytes left)"
            ),
        }
    }
}

impl std::error::Error for TlvError {}

/// Iterator over the records of a stream; yields one error and stops at the first structural fault.
pub struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    failed: bool,
}

/// Walks the records of `bytes`. Offsets in items and errors are `base + position in bytes`.
pub fn records(bytes: &[u8], base: usize) -> Records<'_> {
    Records {
        bytes,
        pos: 0,
        base,
        failed: false,
    }
}

impl Iterator for Records<'_> {
    type Item = Result<RawRecord, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.bytes[start..];
        let item = (|| {
            let (tlv_type, tn) = bigsize::read(rest).map_err(|error| TlvError::BadType {
                offset: self.base + start,
                error,
            })?;
            let (length, ln) = bigsize::read(&rest[tn..]).map_err(|error| TlvError::BadLength {
                offset: self.base + start + tn,
                tlv_type,
                error,
            })?;
            let available = rest.len() - tn - ln;
            if length > available as u64 {
                return Err(TlvError::ValuePastEnd {
                    offset: self.base + start,
                    tlv_type,
                    length,
                    available,
                });
            }
            Ok(RawRecord {
                tlv_type,
                offset: self.base + start,
                length: length as usize,
                value_offset: self.base + start + tn + ln,
            })
        })();
        match &item {
            Ok(r) => self.pos = r.value_offset - self.base + r.length,
            Err(_) => self.failed = true,
        }
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_records() {
        let recs: Vec<_> = records(&[0x01, 0x00, 0x03, 0x01, 0x2a], 10).collect();
        assert_eq!(
            recs,
            vec![
                Ok(RawRecord {
                    tlv_type: 1,
                    offset: 10,
                    length: 0,
                    value_offset: 12
                }),
                Ok(RawRecord {
                    tlv_type: 3,
                    offset: 12,
                    length: 1,
                    value_offset: 14
                }),
            ]
        );
    }

    /// Every offset is `base` plus the position in the slice, for records after the first
    /// too, and the iterator stops after the first error: the decoder reports these offsets
    /// for TLV streams that start deep inside a message.
    #[test]
    fn error_offsets_count_from_base() {
        // Record 1 (type 1, empty) at 10; then a type whose BigSize is cut off at 12.
        let got: Vec<_> = records(&[0x01, 0x00, 0xfd, 0x01], 10).collect();
        assert_eq!(
            got[1],
            Err(TlvError::BadType {
                offset: 12,
                error: BigSizeError::Truncated {
                    needed: 3,
                    available: 2
                }
            })
        );
        assert_eq!(got.len(), 2);

        // Type 5 at 102 with no length: the error points at where the length should be.
        let got: Vec<_> = records(&[0x01, 0x00, 0x05], 100).collect();
        assert_eq!(
            got,
            vec![
                Ok(RawRecord {
                    tlv_type: 1,
                    offset: 100,
                    length: 0,
                    value_offset: 102
                }),
                Err(TlvError::BadLength {
                    offset: 103,
                    tlv_type: 5,
                    error: BigSizeError::Empty
                }),
            ]
        );
        assert_eq!(
            got[1].as_ref().unwrap_err().to_string(),
            "record type 5: length missing at offset 103"
        );

        // A non-minimal length after a 3-byte type: the length starts at 7 + 2 + 3.
        let got: Vec<_> = records(&[0x03, 0x00, 0xfd, 0x01, 0x00, 0xfd, 0x00, 0x01], 7).collect();
        assert_eq!(
            got[1],
            Err(TlvError::BadLength {
                offset: 12,
                tlv_type: 256,
                error: BigSizeError::NotMinimal {
                    value: 1,
                    encoded_len: 3
                }
            })
        );
        assert_eq!(
            got[1].as_ref().unwrap_err().to_string(),
            "record type 256, length at offset 12: non-minimal BigSize: 1 encoded in 3 bytes but fits in 1 (BOLT 1: MUST be minimal)"
        );

        // Type 7 at 12 claims 5 bytes; 1 is left.
        let bytes = [0x01, 0x00, 0x07, 0x05, 0xaa];
        let mut it = records(&bytes, 10);
        assert!(it.next().is_some_and(|r| r.is_ok()));
        let err = it.next().expect("an item").expect_err("past the end");
        assert_eq!(
            err,
            TlvError::ValuePastEnd {
                offset: 12,
                tlv_type: 7,
                length: 5,
                available: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "record type 7 at offset 12: length 5 runs past the end of the stream (1 bytes left)"
        );
        assert_eq!(it.next(), None, "no item after an error");

        let err = records(&[0xfe, 0x00], 3)
            .next()
            .expect("an item")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "record type at offset 3: BigSize truncated: needs 5 bytes, only 2 left"
        );
    }

    /// A value that ends exactly at the end of the stream is whole, with a multi-byte
    /// type and length, and the next record starts right after it.
    #[test]
    fn values_may_end_at_the_end() {
        let mut bytes = vec![0xfd, 0x01, 0x00, 0xfd, 0x00, 0xfd];
        bytes.extend(std::iter::repeat_n(0x11, 0xfd));
        bytes.extend([0xfd, 0x01, 0x01, 0x02, 0xbe, 0xef]);
        let got: Vec<_> = records(&bytes, 50).collect();
        assert_eq!(
            got,
            vec![
                Ok(RawRecord {
                    tlv_type: 256,
                    offset: 50,
                    length: 0xfd,
                    value_offset: 56
                }),
                Ok(RawRecord {
                    tlv_type: 257,
                    offset: 56 + 0xfd,
                    length: 2,
                    value_offset: 60 + 0xfd
                }),
            ]
        );
        assert_eq!(records(&[], 4).next(), None);
    }
}
