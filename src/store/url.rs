//! The shape of a URL the snapshot may hand over for a `Location`: checked when the snapshot is read, so no answer
//! is ever built from a URL that could not stand in a header.

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

#[cfg(test)]
mod tests {
    use super::*;

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
