//! Adding our query arguments to the shop's cart or checkout URL, whatever it already carries (D16).

/// Returns `url` with the bare `flag` and `kco_validation=<codes>` in its query, as WordPress's `add_query_arg`
/// would: an existing query is kept (minus any earlier `flag`/`kco_validation`), a fragment stays last, and bytes
/// outside ASCII are percent-encoded so the result is a valid header value.
pub fn with_query(url: &str, flag: &str, codes: &str) -> String {
    with_args(url, flag, &[("kco_validation", codes)])
}

/// Like [`with_query`], with any further `name=value` pairs (values already URL-safe) after the codes; an earlier
/// argument of any of these names is dropped from the URL's own query.
pub fn with_args(url: &str, flag: &str, args: &[(&str, &str)]) -> String {
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i..])),
        None => (url, None),
    };
    let (path, query) = match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
        None => (before_fragment, None),
    };
    let extra: usize = args.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(url.len() + flag.len() + extra + 8);
    push_encoded(&mut out, path);
    out.push('?');
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let name = pair.split('=').next().unwrap_or("");
            if name == flag || args.iter().any(|(k, _)| *k == name) {
                continue;
            }
            push_encoded(&mut out, pair);
            out.push('&');
        }
    }
    out.push_str(flag);
    for (name, value) in args {
        out.push('&');
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    if let Some(f) = fragment {
        push_encoded(&mut out, f);
    }
    out
}

fn push_encoded(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii() && !b.is_ascii_control() && b != b' ' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_to_plain_and_queried_urls() {
        assert_eq!(
            with_query("https://s.se/cart/", "f", "a,b"),
            "https://s.se/cart/?f&kco_validation=a,b"
        );
        assert_eq!(
            with_query("https://s.se/?page_id=7", "f", "a"),
            "https://s.se/?page_id=7&f&kco_validation=a"
        );
        assert_eq!(
            with_query("https://s.se/?lang=sv#top", "f", "a"),
            "https://s.se/?lang=sv&f&kco_validation=a#top"
        );
        assert_eq!(
            with_query("https://s.se/?f&kco_validation=old&x=1", "f", "new"),
            "https://s.se/?x=1&f&kco_validation=new"
        );
        assert_eq!(
            with_query("https://s.se/kassa-ö/", "f", "a"),
            "https://s.se/kassa-%C3%B6/?f&kco_validation=a"
        );
        assert_eq!(
            with_args(
                "https://s.se/?kco_validation_details=old#x",
                "f",
                &[("kco_validation", "a"), ("kco_validation_details", "d.s")]
            ),
            "https://s.se/?f&kco_validation=a&kco_validation_details=d.s#x"
        );
    }
}
