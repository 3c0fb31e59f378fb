//! The HTTP answer, chosen from the reasons and the shop's response mode. Linear in the number of reasons: texts
//! and codes are made distinct with sets, never by searching what was kept.

use std::collections::HashSet;

use super::{details, texts, url::with_args, Inputs, Reason};
use crate::store::ResponseMode;
use crate::verdict::code::{flag_of, page_of, Page, FALLBACK_FLAG, KCO_FLAGS};
use crate::verdict::Response;

/// Chooses the KCO flag and builds the response: `200` for no reasons; a denial as `303` to the cart or checkout
/// page (redirect mode) or `400` with Klarna's JSON error (error_json mode).
pub fn respond(reasons: &[Reason], inputs: Inputs) -> (Option<&'static str>, Response) {
    if reasons.is_empty() {
        return (None, Response::ok());
    }
    let codes = distinct_codes(reasons);
    let flag = choose_flag(&codes);
    let response = match inputs.mode {
        ResponseMode::Redirect => redirect(reasons, &codes, flag, inputs),
        ResponseMode::ErrorJson => error_json(reasons, &codes, inputs),
    };
    (Some(flag), response)
}

fn redirect(reasons: &[Reason], codes: &[&str], flag: &'static str, inputs: Inputs) -> Response {
    let Some(urls) = inputs.urls else {
        // No pages given: the denial without its Location, for the plugin to answer again with them.
        return Response {
            status: 303,
            location: None,
            content_type: None,
            body: String::new(),
        };
    };
    let base = match page_of(flag) {
        Page::Cart => &urls.cart,
        Page::Checkout => &urls.checkout,
    };
    let list = codes.join(",");
    let signed = inputs
        .answer
        .details_key
        .as_deref()
        .filter(|k| !k.is_empty())
        .and_then(|key| details::encode(reasons, key));
    let mut args = vec![("kco_validation", list.as_str())];
    if let Some(value) = signed.as_deref() {
        args.push((details::QUERY_ARG, value));
    }
    Response {
        status: 303,
        location: Some(with_args(base, flag, &args)),
        content_type: None,
        body: String::new(),
    }
}

fn error_json(reasons: &[Reason], codes: &[&str], inputs: Inputs) -> Response {
    let error_type = if codes.iter().all(|c| *c == "shipping_unavailable") {
        "address_error"
    } else {
        "approval_failed"
    };
    let mut lines: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    match inputs.answer.texts.as_ref() {
        Some(t) => {
            for r in texts::render(reasons, t, false) {
                if seen.insert(r.text.clone()) {
                    lines.push(r.text);
                }
            }
        }
        None => {
            for r in reasons {
                if !r.message.is_empty() && seen.insert(r.message.clone()) {
                    lines.push(r.message.clone());
                }
            }
        }
    }
    #[derive(serde::Serialize)]
    struct ErrorBody<'a> {
        error_type: &'a str,
        error_text: String,
    }
    let body = serde_json::to_string(&ErrorBody {
        error_type,
        error_text: lines.join(" "),
    })
    .unwrap_or_else(|_| String::from(r#"{"error_type":"approval_failed","error_text":""}"#));
    Response {
        status: 400,
        location: None,
        content_type: Some("application/json; charset=utf-8"),
        body,
    }
}

/// Distinct codes in order of first appearance, reduced to `[a-z0-9_]` (a shop's own code is put into a URL).
fn distinct_codes(reasons: &[Reason]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for r in reasons {
        let c = r.code.as_str();
        let safe = !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if safe && seen.insert(c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        out.push(FALLBACK_FLAG);
    }
    out
}

/// KCO 1.x precedence: stock first (to the cart), then the checkout flags in [`KCO_FLAGS`] order.
fn choose_flag(codes: &[&str]) -> &'static str {
    let flags: Vec<&'static str> = codes.iter().map(|c| flag_of(c)).collect();
    KCO_FLAGS
        .iter()
        .copied()
        .find(|f| flags.contains(f))
        .unwrap_or(FALLBACK_FLAG)
}
