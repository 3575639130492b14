//! The decoder's cursor: a [`Reader`] walks a list of field specs over one stretch of a
//! message and appends a [`Field`] per field.
//!
//! Like mini-redis's `Parse`, the cursor owns the state every read needs (the bytes, the
//! position, where the stretch ends, the `place` that prefixes its messages) and borrows
//! the diagnostics it adds to, so each read is a method with one or two arguments instead
//! of a function with nine. The message's fields are read by one reader over
//! `bytes[2..]`; each known TLV record by its own reader over the record's value.
//!
//! A read that runs out of bytes records the error and returns `Err(())`: the caller has
//! nothing to add, it only stops reading.

use std::borrow::Cow;

use crate::wire::bigsize;
use crate::wire::catalog::{Count, FieldSpec, FieldType, Kind};
use crate::wire::tree::{Field, Value};
use crate::wire::values::be_uint;

/// A cursor over `bytes[pos..end]`, collecting errors and notes.
pub(crate) struct Reader<'a> {
    /// The whole message: offsets are positions in it.
    bytes: &'a [u8],
    /// Where the next field starts.
    pub(crate) pos: usize,
    /// Where this stretch (the message, or one TLV record's value) ends.
    end: usize,
    /// Prefix of error texts (e.g. `"open_channel_tlvs.upfront_shutdown_script."`).
    place: &'a str,
    /// The `point` fields are known to be valid (LDK read them), so their curve check is
    /// skipped.
    pub(crate) points_checked: bool,
    errors: &'a mut Vec<String>,
    notes: &'a mut Vec<String>,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes[pos..end]`.
    pub(crate) fn new(
        bytes: &'a [u8],
        pos: usize,
        end: usize,
        place: &'a str,
        errors: &'a mut Vec<String>,
        notes: &'a mut Vec<String>,
    ) -> Reader<'a> {
        Reader {
            bytes,
            pos,
            end,
            place,
            points_checked: false,
            errors,
            notes,
        }
    }

    /// Reads `specs` in order, appending a [`Field`] per field to `out`. Returns the
    /// position after the last field, or `Err(())` when the bytes ran out (the error is
    /// already recorded).
    #[allow(clippy::result_unit_err)]
    pub(crate) fn read_fields(
        &mut self,
        specs: &'static [FieldSpec],
        out: &mut Vec<Field>,
    ) -> Result<usize, ()> {
        let list_start = out.len();
        for spec in specs {
            let count = match spec.count {
                Count::One => 1,
                Count::Fixed(n) => n,
                Count::Field(len_name) => {
                    match out[list_start..].iter().rev().find(|f| f.name == len_name) {
                        Some(Field {
                            value: Value::Uint(n),
                            ..
                        }) => *n as usize,
                        _ => 0,
                    }
                }
                Count::Rest => usize::MAX,
            };
            match spec.ty {
                FieldType::Witness => {
                    for i in 0..count {
                        self.read_witness(spec, i, out)?;
                    }
                }
                FieldType::Point | FieldType::Signature if spec.count != Count::One => {
                    let size = spec.ty.fixed_size().unwrap_or(1);
                    let n = if count == usize::MAX {
                        (self.end - self.pos) / size
                    } else {
                        count
                    };
                    for i in 0..n {
                        let name = Cow::Owned(format!("{}[{i}]", spec.name));
                        self.read_one(spec, name, size, out)?;
                    }
                }
                _ => {
                    let size = self.field_size(spec, count)?;
                    self.read_one(spec, Cow::Borrowed(spec.name), size, out)?;
                }
            }
        }
        Ok(self.pos)
    }

    /// Byte length of a (non-array-of-rows) field starting here.
    fn field_size(&mut self, spec: &FieldSpec, count: usize) -> Result<usize, ()> {
        let (pos, end, place) = (self.pos, self.end, self.place);
        let left = end - pos;
        match (spec.ty, spec.ty.fixed_size()) {
            (FieldType::Tu32, _) | (FieldType::Tu64, _) => Ok(left),
            (FieldType::BigSize, _) => match bigsize::read(&self.bytes[pos..end]) {
                Ok((_, n)) => Ok(n),
                Err(e) => {
                    self.errors
                        .push(format!("{place}{} at offset {pos}: {e}", spec.name));
                    Err(())
                }
            },
            (_, Some(size)) if count == usize::MAX => {
                if !left.is_multiple_of(size) {
                    self.errors.push(format!(
                        "{place}{} at offset {pos}: {left} bytes is not a whole number of {}-byte {} elements",
                        spec.name,
                        size,
                        spec.ty.spec_name()
                    ));
                    return Err(());
                }
                Ok(left)
            }
            (_, Some(size)) => Ok(size.saturating_mul(count)),
            (_, None) => Ok(left),
        }
    }

    /// Reads one row of `size` bytes here, validating it, and moves past it.
    fn read_one(
        &mut self,
        spec: &FieldSpec,
        name: Cow<'static, str>,
        size: usize,
        out: &mut Vec<Field>,
    ) -> Result<(), ()> {
        let (bytes, pos, place) = (self.bytes, self.pos, self.place);
        let left = self.end - pos;
        if size > left {
            self.errors
                .push(truncation_error(place, &name, spec, size, left, pos));
            out.push(Field {
                name,
                offset: pos,
                length: left,
                ty: spec.ty,
                kind: spec.kind,
                value: Value::Truncated,
                meaning: spec.meaning,
                ok: false,
            });
            return Err(());
        }
        let raw = &bytes[pos..pos + size];
        let value = match spec.ty {
            FieldType::Byte | FieldType::U16 | FieldType::U32 | FieldType::U64
                if spec.count == Count::One =>
            {
                Value::Uint(be_uint(raw))
            }
            FieldType::S64 => Value::Int(be_uint(raw) as i64),
            FieldType::Tu32 | FieldType::Tu64 => {
                let max = if spec.ty == FieldType::Tu32 { 4 } else { 8 };
                if size > max {
                    self.errors.push(format!(
                        "{place}{name} at offset {pos}: {size} bytes is longer than a {} ({max} bytes at most)",
                        spec.ty.spec_name()
                    ));
                    push_bytes(out, name, pos, size, spec, false);
                    return Err(());
                }
                if raw.first() == Some(&0) {
                    self.errors.push(format!(
                        "{place}{name} at offset {pos}: {} is not minimal (leading zero byte; BOLT 1: MUST be minimal)",
                        spec.ty.spec_name()
                    ));
                    push_bytes(out, name, pos, size, spec, false);
                    self.pos = pos + size;
                    return Ok(());
                }
                Value::Uint(be_uint(raw))
            }
            FieldType::BigSize => match bigsize::read(raw) {
                Ok((v, _)) => Value::Uint(v),
                Err(_) => Value::Bytes,
            },
            _ => Value::Bytes,
        };
        let ok = self.validate(raw, spec, &name);
        push_field(out, name, pos, size, spec, value, ok);
        self.pos = pos + size;
        Ok(())
    }

    /// One `witness` subtype element: `u16 len || len bytes`, as two rows.
    fn read_witness(
        &mut self,
        spec: &FieldSpec,
        index: usize,
        out: &mut Vec<Field>,
    ) -> Result<(), ()> {
        static LEN: FieldSpec = FieldSpec {
            name: "len",
            ty: FieldType::U16,
            count: Count::One,
            kind: Kind::Length,
            meaning: "length of witness_data",
        };
        static DATA: FieldSpec = FieldSpec {
            name: "witness_data",
            ty: FieldType::Witness,
            count: Count::Field("len"),
            kind: Kind::Plain,
            meaning: "the witness: item count, then each item with its length (Bitcoin encoding)",
        };
        // Neither row can add a note (a u16 length, and a witness whose only rule is an
        // error), and neither is a point: the reader's settings do not matter for them.
        let len_name = Cow::Owned(format!("{}[{index}].len", spec.name));
        self.read_one(&LEN, len_name, 2, out)?;
        let len = match out.last() {
            Some(Field {
                value: Value::Uint(n),
                ..
            }) => *n as usize,
            _ => 0,
        };
        let data_name = Cow::Owned(format!("{}[{index}].witness_data", spec.name));
        self.read_one(&DATA, data_name, len, out)
    }

    /// Checks one field's content; records problems. Returns false on a rule violation.
    fn validate(&mut self, raw: &[u8], spec: &FieldSpec, name: &str) -> bool {
        super::validate::field(
            raw,
            spec,
            name,
            super::validate::At {
                pos: self.pos,
                place: self.place,
                points_checked: self.points_checked,
            },
            self.errors,
            self.notes,
        )
    }
}

/// A field of `spec` read at `pos`, holding `value`, with no value of its own
/// (`push_bytes`) or one (`push_field`).
fn push_bytes(
    out: &mut Vec<Field>,
    name: Cow<'static, str>,
    pos: usize,
    size: usize,
    spec: &FieldSpec,
    ok: bool,
) {
    push_field(out, name, pos, size, spec, Value::Bytes, ok);
}

fn push_field(
    out: &mut Vec<Field>,
    name: Cow<'static, str>,
    pos: usize,
    size: usize,
    spec: &FieldSpec,
    value: Value,
    ok: bool,
) {
    out.push(Field {
        name,
        offset: pos,
        length: size,
        ty: spec.ty,
        kind: spec.kind,
        value,
        meaning: spec.meaning,
        ok,
    });
}

fn truncation_error(
    place: &str,
    name: &str,
    spec: &FieldSpec,
    size: usize,
    left: usize,
    pos: usize,
) -> String {
    match spec.count {
        Count::Field(len_name) => format!(
            "{place}{name} at offset {pos}: {len_name} says {size} bytes but only {left} remain (a length field runs past the end)"
        ),
        _ => format!(
            "{place}{name} truncated, {} of {size} bytes missing at offset {pos}",
            size - left
        ),
    }
}
