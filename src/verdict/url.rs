//! Adding our query arguments to the shop's cart or checkout URL, whatever it already carries (D16).

/// Whether a URL from the snapshot may become a `Location`: absolute http(s), a host, and nothing that could end
/// a header line (no control characters or spaces).
pub fn check_url(url: &str) -> Result<(), String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(format!("must be an absolute http(s) URL, got {url:?}"));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("has no host: {url:?}"));
    }
    if let Some(c) = url.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "contains the character {c:?}, which cannot stand in a header"
        ));
    }
    Ok(())
}

/// Returns `url` with the bare `flag` and `kco_validation=<codes>` in its query, as WordPress's `add_query_arg`
/// would: an existing query is kept (minus any earlier `flag`/`kco_validation`), a fragment stays last, and bytes
/// outside ASCII are percent-encoded so the result is a valid header value.
pub fn with_query(url: &str, flag: &str, codes: &str) -> String {
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i..])),
        None => (url, None),
    };
    let (path, query) = match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
        None => (before_fragment, None),
    };
    let mut out = String::with_capacity(url.len() + flag.len() + codes.len() + 20);
    push_encoded(&mut out, path);
    out.push('?');
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let name = pair.split('=').next().unwrap_or("");
            if name == flag || name == "kco_validation" {
                continue;
            }
            push_encoded(&mut out, pair);
            out.push('&');
        }
    }
    out.push_str(flag);
    out.push_str("&kco_validation=");
    out.push_str(codes);
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
    }

    #[test]
    fn refuses_urls_that_cannot_be_headers() {
        assert!(check_url("https://s.se/cart/").is_ok());
        assert!(check_url("HTTP://s.se").is_ok());
        assert!(check_url("/cart/").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://s.se/\r\nSet-Cookie: x").is_err());
        assert!(check_url("https://s.se/a b").is_err());
    }
}
