//! Matching an email against a coupon's allowed-email pattern, where `*` stands for any run of characters
//! (`WC_Cart::is_coupon_emails_allowed()`).
//!
//! In time linear in the email and the pattern, whatever either holds: the pattern is cut at its stars into
//! literal pieces; the first must start the email, the last must end it, and each piece between is found, left to
//! right, after the previous one with [`str::find`] (a linear substring search). Taking the leftmost place for
//! each middle piece is never wrong: it leaves the most room for the pieces after it. (A backtracking glob
//! matcher costs the product of the two lengths on a pattern like `*a*a*…b` against a long email.)

/// Whether `text` matches `pattern` (`*` = any run of characters, including none; every other character stands
/// for itself). Both are compared as given (the caller lower-cases them).
pub(super) fn matches(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    // split() always yields at least one piece.
    let first = pieces.next().unwrap_or("");
    let Some(rest) = text.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = pieces.collect();
    let Some((last, middle)) = middle.split_last() else {
        // No star: the whole text is the pattern.
        return rest.is_empty();
    };
    // The last piece must end the text and may not overlap what the first piece took.
    if rest.len() < last.len() || !rest.ends_with(last) {
        return false;
    }
    let mut window = &rest[..rest.len() - last.len()];
    for piece in middle.iter().filter(|p| !p.is_empty()) {
        match window.find(piece) {
            Some(at) => window = &window[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_stand_for_any_run() {
        assert!(matches("*@b.se", "a@b.se"));
        assert!(matches("a@b.se", "a@b.se"));
        assert!(matches("*", ""));
        assert!(matches("**", "x"));
        assert!(matches("a*c*e", "abcde"));
        assert!(matches("a*c*e", "ace"));
        assert!(matches("*a*", "bab"));
        assert!(matches("ö*@å.se", "öla@å.se"));
        assert!(!matches("*@b.se", "a@b.see"));
        assert!(!matches("*@b.se", "a@bxse"));
        assert!(!matches("a@b.se", "x@b.se"));
        assert!(!matches("a@b.se", "a@b.se2"));
        assert!(
            !matches("ab*ba", "aba"),
            "the first and last pieces may not overlap"
        );
        assert!(matches("ab*ba", "abba"));
        assert!(!matches("a*b*c", "acb"));
        assert!(!matches("", "x"));
        assert!(matches("", ""));
    }

    /// The same answers as the backtracking matcher it replaces, on every pattern and text over a small alphabet.
    #[test]
    fn agrees_with_backtracking_on_every_small_case() {
        fn backtrack(p: &[u8], t: &[u8]) -> bool {
            match p.split_first() {
                None => t.is_empty(),
                Some((b'*', rest)) => (0..=t.len()).any(|i| backtrack(rest, &t[i..])),
                Some((c, rest)) => t.first() == Some(c) && backtrack(rest, &t[1..]),
            }
        }
        fn all(alphabet: &[u8], max: usize) -> Vec<Vec<u8>> {
            let mut out = vec![Vec::new()];
            let mut level = vec![Vec::new()];
            for _ in 0..max {
                let mut next = Vec::new();
                for w in &level {
                    for &c in alphabet {
                        let mut v = w.clone();
                        v.push(c);
                        next.push(v);
                    }
                }
                out.extend(next.iter().cloned());
                level = next;
            }
            out
        }
        for p in all(b"ab*", 5) {
            for t in all(b"ab", 5) {
                let (ps, ts) = (
                    String::from_utf8(p.clone()).unwrap(),
                    String::from_utf8(t.clone()).unwrap(),
                );
                assert_eq!(matches(&ps, &ts), backtrack(&p, &t), "{ps:?} vs {ts:?}");
            }
        }
    }
}
