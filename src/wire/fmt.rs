//! Number, amount and date text without the formatting machinery: `push_dec`, `push_utc`,
//! `push_sat`, `push_msat`, `push_feerate`, `push_approx_duration` and their friends.
//!
//! Why a room of its own: `decode --file` renders millions of fields, and `format!` was a
//! third of its time. Each `push_*` helper appends a value's text to a `String` the caller
//! reuses, with no allocation and no `fmt::Formatter`; each has a test against the
//! `format!` it replaces, so the speed never changes a byte of the output.
//!
//! Everything here is a pure function of numbers: it knows nothing of fields or messages
//! (that is [`render::value`](super::render::value)'s job), so the decoder, the renderers
//! and the encoder can all use it without depending on each other.

use std::fmt::Write as _;

/// `v`'s decimal digits (ASCII), in `digits`.
pub(crate) fn dec(digits: &mut [u8; 20], mut v: u64) -> &[u8] {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &digits[i..]
}

/// Appends `v` in decimal.
#[inline]
pub(crate) fn push_dec(out: &mut String, v: u64) {
    // ASCII digits are always UTF-8.
    out.push_str(std::str::from_utf8(dec(&mut [0u8; 20], v)).unwrap_or_default());
}

/// Appends `v` as two lower-case hex digits (more if it needs them), as `{v:02x}`.
#[inline]
pub(crate) fn push_hex2(out: &mut String, v: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    if v > 0xff {
        let _ = write!(out, "{v:02x}");
        return;
    }
    out.push(char::from(DIGITS[(v >> 4) as usize]));
    out.push(char::from(DIGITS[(v & 15) as usize]));
}

/// Days since 1970-01-01 to (year, month, day) (proleptic Gregorian; H. Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// UNIX seconds as `YYYY-MM-DD hh:mm:ss UTC`.
#[cfg(test)]
pub(crate) fn utc(secs: u64) -> String {
    let mut s = String::with_capacity(23);
    push_utc(&mut s, secs);
    s
}

/// Appends [`utc`]'s text to `out` (no format machinery: it is in every gossip message).
pub(crate) fn push_utc(out: &mut String, secs: u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let two = |out: &mut String, n: u64| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    if (0..=9999).contains(&y) {
        two(out, y as u64 / 100);
        two(out, y as u64 % 100);
    } else {
        let _ = write!(out, "{y:04}");
    }
    out.push('-');
    two(out, u64::from(m));
    out.push('-');
    two(out, u64::from(d));
    out.push(' ');
    two(out, rem / 3600);
    out.push(':');
    two(out, rem / 60 % 60);
    out.push(':');
    two(out, rem % 60);
    out.push_str(" UTC");
}

/// `v / 10000` as `f64`'s `Display` prints it, without floating point for the values a
/// message can carry: below 10^15, `v / 10000` has at most 15 significant digits, so the
/// shortest decimal that reads back as the same `f64` is that exact decimal.
#[inline]
pub(crate) fn push_ten_thousandths(out: &mut String, v: u64) {
    if v >= 1_000_000_000_000_000 {
        let _ = write!(out, "{}", v as f64 / 10_000.0);
        return;
    }
    push_dec(out, v / 10_000);
    let frac = v % 10_000;
    if frac != 0 {
        let digits = [frac / 1000, frac / 100 % 10, frac / 10 % 10, frac % 10];
        let keep = 4 - digits.iter().rev().take_while(|d| **d == 0).count();
        out.push('.');
        for d in &digits[..keep] {
            out.push(char::from(b'0' + *d as u8));
        }
    }
}

/// A duration in words: `≈ 1.0 days`, `≈ 6.7 hours`, `≈ 40 minutes`.
#[cfg(test)]
pub(crate) fn approx_duration(secs: u64) -> String {
    let mut s = String::with_capacity(16);
    push_approx_duration(&mut s, secs);
    s
}

/// Appends [`approx_duration`]'s text.
pub(crate) fn push_approx_duration(out: &mut String, secs: u64) {
    let s = secs as f64;
    if secs >= 86_400 {
        let _ = write!(out, "≈ {:.1} days", s / 86_400.0);
    } else if secs >= 2 * 3600 {
        let _ = write!(out, "≈ {:.1} hours", s / 3600.0);
    } else {
        out.push_str("≈ ");
        push_dec(out, secs / 60);
        out.push_str(" minutes");
    }
}

/// `200000 sat (0.002 BTC)`.
pub(crate) fn sat(v: u64) -> String {
    let mut s = String::with_capacity(32);
    push_sat(&mut s, v);
    s
}

/// Appends [`sat`]'s text.
pub(crate) fn push_sat(out: &mut String, v: u64) {
    push_dec(out, v);
    out.push_str(" sat (");
    push_btc(out, u128::from(v) * 1000);
    out.push_str(" BTC)");
}

/// `1500 msat (1.5 sat)`.
#[cfg(test)]
pub(crate) fn msat(v: u64) -> String {
    let mut s = String::with_capacity(32);
    push_msat(&mut s, v);
    s
}

/// Appends [`msat`]'s text.
#[inline]
pub(crate) fn push_msat(out: &mut String, v: u64) {
    push_dec(out, v);
    if v == u64::MAX {
        out.push_str(" msat (no limit)");
        return;
    }
    out.push_str(" msat (");
    push_dec(out, v / 1000);
    push_fraction(out, v % 1000, 3);
    out.push_str(" sat)");
}

/// Appends `.` and `frac` as a `width`-digit fraction without its trailing zeros
/// (nothing when `frac` is 0).
fn push_fraction(out: &mut String, frac: u64, width: usize) {
    if frac == 0 {
        return;
    }
    let mut digits = [0u8; 20];
    let text = std::str::from_utf8(dec(&mut digits, frac)).unwrap_or_default();
    out.push('.');
    for _ in text.len()..width {
        out.push('0');
    }
    out.push_str(text.trim_end_matches('0'));
}

/// Appends msat as a BTC decimal without float error.
fn push_btc(out: &mut String, msats: u128) {
    let whole = msats / 100_000_000_000;
    // Below 10^11 by construction.
    let frac = (msats % 100_000_000_000) as u64;
    match u64::try_from(whole) {
        Ok(w) => push_dec(out, w),
        Err(_) => {
            let _ = write!(out, "{whole}");
        }
    }
    push_fraction(out, frac, 11);
}

/// A feerate in sat per 1000 weight units, with its sat/vB equivalent.
#[cfg(test)]
pub(crate) fn feerate(v: u64) -> String {
    let mut s = String::with_capacity(32);
    push_feerate(&mut s, v);
    s
}

/// Appends [`feerate`]'s text.
pub(crate) fn push_feerate(out: &mut String, v: u64) {
    push_dec(out, v);
    out.push_str(" sat/kw ≈ ");
    // v sat/kw is 4v/1000 sat/vB: an exact decimal with 3 places whose last digit is
    // even, so rounding it to 2 places has no ties and integers give what `{:.2}`
    // gives for the float (below 2^50, where the float is exact enough).
    if v < 1 << 50 {
        let hundredths = (4 * v + 5) / 10;
        push_dec(out, hundredths / 100);
        out.push('.');
        let frac = hundredths % 100;
        out.push(char::from(b'0' + (frac / 10) as u8));
        out.push(char::from(b'0' + (frac % 10) as u8));
    } else {
        let _ = write!(out, "{:.2}", v as f64 * 4.0 / 1000.0);
    }
    out.push_str(" sat/vB");
}

/// `1 byte`, `8 bytes`: sizes in messages and headers read as words.
pub(crate) fn bytes_word(n: usize) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(4_294_967_295), "2106-02-07 06:28:15 UTC");
    }

    /// Day after day from 1970 to 2243, each date is the one after the last: month lengths,
    /// leap years, and the century rule (2100 and 2200 are not leap years, 2000 is) with it.
    #[test]
    fn each_day_is_the_day_after_the_last() {
        let leap = |y: i64| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let month_days = |y: i64, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut last = civil_from_days(0);
        assert_eq!(last, (1970, 1, 1));
        for days in 1..100_000 {
            let (y, m, d) = last;
            let next = if d < month_days(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            last = civil_from_days(days);
            assert_eq!(last, next, "day {days}");
        }
        assert_eq!(last, (2243, 10, 16));
    }

    #[test]
    fn fast_formatters_match_the_formatting_machinery() {
        for v in test_values() {
            let mut fast = String::new();
            push_ten_thousandths(&mut fast, v);
            assert_eq!(fast, format!("{}", v as f64 / 10_000.0), "{v}");
            let (days, rem) = ((v / 86_400) as i64, v % 86_400);
            let (y, m, d) = civil_from_days(days);
            let slow = format!(
                "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
                rem / 3600,
                rem / 60 % 60,
                rem % 60
            );
            assert_eq!(utc(v), slow, "{v}");
        }
        // The `format!`s the push_* helpers replaced.
        let btc = |msats: u128| {
            let (whole, frac) = (msats / 100_000_000_000, msats % 100_000_000_000);
            if frac == 0 {
                whole.to_string()
            } else {
                format!("{whole}.{}", format!("{frac:011}").trim_end_matches('0'))
            }
        };
        for v in test_values() {
            assert_eq!(
                feerate(v),
                format!("{v} sat/kw ≈ {:.2} sat/vB", v as f64 * 4.0 / 1000.0),
                "{v}"
            );
            assert_eq!(
                sat(v),
                format!("{v} sat ({} BTC)", btc(u128::from(v) * 1000))
            );
            let (sats, frac) = (v / 1000, v % 1000);
            let old_msat = if v == u64::MAX {
                format!("{v} msat (no limit)")
            } else if frac == 0 {
                format!("{v} msat ({sats} sat)")
            } else {
                format!(
                    "{v} msat ({sats}.{} sat)",
                    format!("{frac:03}").trim_end_matches('0')
                )
            };
            assert_eq!(msat(v), old_msat);
            let mut dec = String::new();
            push_dec(&mut dec, v);
            assert_eq!(dec, v.to_string());
            let mut hex = String::new();
            push_hex2(&mut hex, v);
            assert_eq!(hex, format!("{v:02x}"));
        }
    }

    /// Small, round, random and extreme values, for the fast formatters (here and in the
    /// rooms that build on them: scids in `values`, flags in `render::value`).
    pub(crate) fn test_values() -> Vec<u64> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut values: Vec<u64> = (0..20_000u64).collect();
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x % 10_000_000_000);
            values.push(x >> (x % 64));
            values.push((x % 1000) * 10u64.pow((x % 16) as u32));
        }
        values.extend([
            u64::from(u32::MAX),
            999_999_999_999_999,
            1_000_000_000_000_000,
            (1 << 50) - 1,
            1 << 50,
            u64::MAX - 1,
            u64::MAX,
        ]);
        values
    }

    #[test]
    fn amounts() {
        assert_eq!(sat(200_000), "200000 sat (0.002 BTC)");
        assert_eq!(sat(100_000_000), "100000000 sat (1 BTC)");
        assert_eq!(msat(1500), "1500 msat (1.5 sat)");
        assert_eq!(approx_duration(144 * 600), "≈ 1.0 days");
        assert_eq!(approx_duration(4 * 3600), "≈ 4.0 hours");
        assert_eq!(approx_duration(600), "≈ 10 minutes");
        // Minutes up to two hours, then hours.
        assert_eq!(approx_duration(5400), "≈ 90 minutes");
        assert_eq!(approx_duration(2 * 3600), "≈ 2.0 hours");
        assert_eq!(msat(1000), "1000 msat (1 sat)");
        assert_eq!(feerate(253), "253 sat/kw ≈ 1.01 sat/vB");
    }
}
