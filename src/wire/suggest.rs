//! "Did you mean": the closest of some names to a word typed wrong, for the shell's
//! command words and the catalogue's message names alike.

/// The name in `names` closest to `word` (at most two edits away, or one that `word`
/// starts), if any.
pub(crate) fn closest<'a>(word: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let names: Vec<&'a str> = names.into_iter().collect();
    let best = names.iter().map(|w| (edit_distance(word, w), *w)).min();
    match best {
        Some((d, w)) if d <= 2 => Some(w),
        _ if word.is_empty() => None,
        _ => names.into_iter().find(|w| w.starts_with(word)),
    }
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_prefixes_find_their_name() {
        let names = ["ping", "pong", "open_channel"];
        assert_eq!(closest("pingg", names), Some("ping"));
        assert_eq!(closest("open", names), Some("open_channel"));
        assert_eq!(closest("xyzzy_message", names), None);
        // Nothing typed is no prefix of every name.
        assert_eq!(closest("", ["pingpong", "open_channel"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
