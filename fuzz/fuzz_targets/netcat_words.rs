//! Fuzz target `netcat_words`: a line a netcat peer types that is not hex, read by the
//! session's own word parser (`netcat::session_word`, then `netcat::parse_fields`), as
//! `Session::serve` calls them: the line as lossy UTF-8, trimmed.
//!
//! Input: the whole input is the line. Seeds (fuzz/examples/seed_corpus.rs) are the words
//! the session's help names (`open_channel funding_satoshis=…`, `make …`, `outbox`, each
//! message name), so mutations start from lines the parser accepts.
//!
//! Checks besides "no panic": a line is a word exactly when its first whitespace-separated
//! word is `help`, `outbox`, `make` or a BOLT message name; `help` and `outbox` take no
//! name; a message name (`make NAME` or `NAME`) comes back as the catalogue spells it;
//! every word after it is one `field=value` pair, split at its first `=`, and a refusal
//! names the word that is not one, or says `make what?`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lnshell::node::netcat::{parse_fields, session_word, Word};
use lnshell::wire::catalog;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let word = session_word(text);
    let expected = match words.first().copied() {
        None => None,
        Some("help") => Some(Word::Help),
        Some("outbox") => Some(Word::Outbox),
        Some("make") => Some(Word::Make),
        Some(w) if catalog::by_name(w).is_some() => Some(Word::Send),
        Some(_) => None,
    };
    assert_eq!(word, expected, "{text:?}");
    let Some(word) = word else {
        return;
    };
    let parsed = parse_fields(text, word);
    let (name_word, rest) = match word {
        Word::Help | Word::Outbox => {
            assert_eq!(parsed, Ok(("", Vec::new())), "{text:?}");
            return;
        }
        Word::Make => match words.get(1) {
            Some(n) => (*n, &words[2..]),
            None => {
                let e = parsed.expect_err("`make` alone is refused");
                assert!(e.starts_with("make what?"), "{e}");
                return;
            }
        },
        Word::Send => (words[0], &words[1..]),
    };
    let Some(message) = catalog::by_name(name_word) else {
        let e = parsed.expect_err("an unknown name is refused");
        assert!(e.contains(name_word), "{e}");
        return;
    };
    match rest.iter().find(|w| !w.contains('=')) {
        Some(bad) => {
            let e = parsed.expect_err("a word without `=` is refused");
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
        None => {
            let (name, fields) = parsed.expect("every word is field=value");
            assert_eq!(name, message.name);
            assert_eq!(fields.len(), rest.len());
            for ((k, v), w) in fields.iter().zip(rest) {
                assert!(!k.contains('='), "{k:?}");
                assert_eq!(format!("{k}={v}"), *w);
            }
        }
    }
});
