//! Hex input parsing for pasted messages: upper or lower case, an optional `0x`, and spaces,
//! colons, tabs or line breaks between bytes. Errors name the rule and the position.

/// Characters allowed between bytes.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | ':' | '\t' | '\n' | '\r')
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses hex text into bytes. Positions in errors count characters from 0, as the
/// decode tables count offsets.
pub(crate) fn parse(input: &str) -> Result<Vec<u8>, String> {
    match parse_plain(input) {
        Some(bytes) => Ok(bytes),
        None => parse_any(input, false),
    }
}

/// [`parse`] for a whole pasted message, which also takes bytes the way code and
/// documents write them: a `0x` on each byte (`0x00 0x12`) and commas between bytes
/// (`0x00, 0x12`, `00,12`). Field values in `encode` keep to [`parse`], where a comma
/// separates list items.
pub(crate) fn parse_message(input: &str) -> Result<Vec<u8>, String> {
    match parse_plain(input) {
        Some(bytes) => Ok(bytes),
        None => parse_any(input, true),
    }
}

/// Nibble values of the hex digits; 0xff for every other byte.
const NIBBLE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The common case, fast: an even number of hex digits with nothing between them (an
/// optional `0x`, leading whitespace and trailing separators allowed, as [`parse_any`]
/// allows them). `None` sends anything else to [`parse_any`], which accepts the same
/// inputs with the same result and explains the rest.
fn parse_plain(input: &str) -> Option<Vec<u8>> {
    let trimmed = input.trim_start();
    let body = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
        .unwrap_or(trimmed)
        .trim_end_matches(is_separator)
        .as_bytes();
    if body.is_empty() || !body.len().is_multiple_of(2) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 2);
    for pair in body.chunks_exact(2) {
        let (hi, lo) = (NIBBLE[pair[0] as usize], NIBBLE[pair[1] as usize]);
        if (hi | lo) > 15 {
            return None;
        }
        out.push(hi << 4 | lo);
    }
    Some(out)
}

/// Parses any hex text [`parse`] accepts (`code_style`: and [`parse_message`]), or
/// says exactly what is wrong with it.
fn parse_any(input: &str, code_style: bool) -> Result<Vec<u8>, String> {
    let trimmed = input.trim_start();
    let lead = input.len() - trimmed.len();
    let (body, skip) = match trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
    {
        Some(rest) => (rest, lead + 2),
        None => (trimmed, lead),
    };
    if body.trim().is_empty() {
        return Err("empty input: a message needs at least its 2-byte type".to_string());
    }
    let mut out = Vec::with_capacity(body.len() / 2);
    let mut high: Option<u8> = None;
    let mut digits = 0usize;
    // Character positions (from 0, like table offsets) for messages; input is usually
    // ASCII so byte index works, but count chars to stay right for any UTF-8 pasted.
    let base_chars = input[..skip].chars().count();
    let mut chars = body.chars().enumerate().peekable();
    let mut token_start = true;
    while let Some((i, c)) = chars.next() {
        let pos = base_chars + i;
        if is_separator(c) || (code_style && c == ',') {
            if high.is_some() {
                return Err(format!(
                    "separator {c:?} at position {pos} splits a byte: put spaces or colons only between whole bytes"
                ));
            }
            token_start = true;
            continue;
        }
        if code_style && token_start && c == '0' && matches!(chars.peek(), Some((_, 'x' | 'X'))) {
            chars.next();
            token_start = false;
            continue;
        }
        token_start = false;
        if c == ',' {
            return Err(format!(
                "non-hex character ',' at position {pos}: bytes go in without commas, e.g. 00 12 or 0012"
            ));
        }
        let n = if c.is_ascii() { nibble(c as u8) } else { None };
        let Some(n) = n else {
            return Err(format!("non-hex character {c:?} at position {pos}"));
        };
        digits += 1;
        match high.take() {
            None => high = Some(n),
            Some(h) => out.push(h << 4 | n),
        }
    }
    if high.is_some() {
        return Err(format!(
            "odd number of hex digits ({digits}): every byte needs two"
        ));
    }
    Ok(out)
}

/// Lower-case hex of `bytes`.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Hex of `bytes`, shortened to the first and last few bytes when longer than `max_bytes`.
pub(crate) fn to_hex_short(bytes: &[u8], max_bytes: usize) -> String {
    if bytes.len() <= max_bytes {
        return to_hex(bytes);
    }
    let head = max_bytes.saturating_sub(2).max(1);
    format!(
        "{}…{} ({} bytes)",
        to_hex(&bytes[..head]),
        to_hex(&bytes[bytes.len() - 2..]),
        bytes.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A separator is no hex digit, in the fast path or the slow one.
    #[test]
    fn a_colon_is_no_digit() {
        assert_eq!(parse("1:2a"), parse_any("1:2a", false));
        assert_ne!(parse("1:2a"), Ok(vec![0x1a, 0x2a]));
    }

    #[test]
    fn accepts_case_prefix_and_separators() {
        assert_eq!(
            parse("0x00 12:AB\ncd").unwrap(),
            vec![0x00, 0x12, 0xab, 0xcd]
        );
        assert_eq!(parse("  0012").unwrap(), vec![0x00, 0x12]);
    }

    #[test]
    fn odd_length() {
        let e = parse("001").unwrap_err();
        assert!(e.contains("odd number of hex digits (3)"), "{e}");
    }

    #[test]
    fn non_hex_with_position() {
        // Positions count from 0, as the tables' offsets do.
        let e = parse("00g1").unwrap_err();
        assert!(e.contains("'g' at position 2"), "{e}");
        let e = parse("0x00zz").unwrap_err();
        assert!(e.contains("'z' at position 4"), "{e}");
        let e = parse("g").unwrap_err();
        assert!(e.contains("'g' at position 0"), "{e}");
    }

    #[test]
    fn a_message_may_be_written_as_code_writes_bytes() {
        let want = vec![0x00, 0x12, 0x00, 0x04];
        for text in [
            "0x00 0x12 0x00 0x04",
            "0x00, 0x12, 0x00, 0x04",
            "00,12,00,04",
            "0X00,0x12 0004",
            "0x0012 0x0004",
        ] {
            assert_eq!(parse_message(text), Ok(want.clone()), "{text:?}");
        }
        // A 0x inside a byte is still an error, with its position.
        let e = parse_message("00x2").unwrap_err();
        assert!(e.contains("'x' at position 2"), "{e}");
        let e = parse_message("0x0, 012").unwrap_err();
        assert!(e.contains("splits a byte"), "{e}");
        // Field values keep commas for lists, and say so.
        let e = parse("00,12").unwrap_err();
        assert!(e.contains("without commas"), "{e}");
    }

    #[test]
    fn empty() {
        assert!(parse("").unwrap_err().contains("empty input"));
        assert!(parse(" 0x ").unwrap_err().contains("empty input"));
    }

    #[test]
    fn separator_inside_byte() {
        assert!(parse("0 012").unwrap_err().contains("splits a byte"));
    }

    #[test]
    fn fast_path_agrees_with_the_general_parser() {
        let mut x: u64 = 0x1234_5678_9abc_def1;
        let alphabet = b"0123456789abcdefABCDEF  ::\t\n\rxXg\x0b";
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 12) as usize;
            let mut s: String = (0..len)
                .map(|i| alphabet[((x >> (i * 5)) % alphabet.len() as u64) as usize] as char)
                .collect();
            if x & 1 == 0 {
                s.insert_str(0, "0x");
            }
            if x & 2 == 0 {
                s.insert(0, ' ');
            }
            if let Some(fast) = parse_plain(&s) {
                assert_eq!(Ok(fast.clone()), parse_any(&s, false), "{s:?}");
                assert_eq!(Ok(fast), parse_any(&s, true), "{s:?}");
            }
            assert_eq!(parse(&s), parse_any(&s, false), "{s:?}");
            assert_eq!(parse_message(&s), parse_any(&s, true), "{s:?}");
        }
        assert_eq!(parse_plain("0x0012\r\n"), Some(vec![0x00, 0x12]));
        assert_eq!(parse_plain("00 12"), None);
        assert_eq!(parse_plain("0012\x0b"), None);
    }

    #[test]
    fn short_hex() {
        assert_eq!(to_hex_short(&[1, 2, 3], 8), "010203");
        assert_eq!(to_hex_short(&[0u8; 40], 8), "000000000000…0000 (40 bytes)");
    }

    /// The fast path takes every digit pair, `f` and `F` included, and leaves a `:` inside
    /// a byte to the general parser, which explains it.
    #[test]
    fn fast_path_takes_every_digit_and_nothing_else() {
        assert_eq!(
            parse_plain("0123456789abcdefABCDEF"),
            Some(vec![
                0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef
            ])
        );
        assert_eq!(parse_plain("ff"), Some(vec![0xff]));
        assert_eq!(parse_plain("0:12"), None);
        assert_eq!(parse_plain("gg"), None);
        assert_eq!(parse_plain("0g"), None);
        assert_eq!(parse_plain(""), None);
        assert_eq!(parse_plain("001"), None);
    }

    /// Only [`parse_message`] takes a `0x` on each byte; in a field value it is an error.
    #[test]
    fn a_0x_inside_a_field_value_is_an_error() {
        assert_eq!(
            parse("00 0x12"),
            Err("non-hex character 'x' at position 4".to_string())
        );
        assert_eq!(parse_message("00 0x12"), Ok(vec![0x00, 0x12]));
        assert_eq!(
            parse("  0x0 12"),
            Err("separator ' ' at position 5 splits a byte: put spaces or colons only between whole bytes".to_string())
        );
    }
}
