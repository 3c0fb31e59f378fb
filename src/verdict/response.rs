//! The HTTP answer to Klarna, chosen from the failures and the shop's response mode.

use super::{distinct_codes, url::with_query, Code, Failure};
use crate::store::{ResponseMode, Store};

/// The flags KCO 1.x put on the checkout URL, in its precedence order (after `stock_validate_failed`, which goes
/// to the cart). `unable_to_process` is the fallback.
pub const KCO_FLAGS: [&str; 7] = [
    "stock_validate_failed",
    "no_shipping",
    "invalid_coupon",
    "needs_login",
    "email_exists",
    "totals_dont_match",
    "unable_to_process",
];

/// Exactly what the plugin sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<&'static str>,
    pub body: String,
}

/// Chooses the KCO flag and builds the response.
pub fn respond(failures: &[Failure], store: &Store) -> (Option<&'static str>, Response) {
    if failures.is_empty() {
        return (
            None,
            Response {
                status: 200,
                location: None,
                content_type: None,
                body: String::new(),
            },
        );
    }
    let codes = distinct_codes(failures);
    let flag = choose_flag(&codes);
    let response = match store.options.response_mode {
        ResponseMode::Redirect => {
            let base = if flag == "stock_validate_failed" {
                &store.urls.cart
            } else {
                &store.urls.checkout
            };
            let list: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
            Response {
                status: 303,
                location: Some(with_query(base, flag, &list.join(","))),
                content_type: None,
                body: String::new(),
            }
        }
        ResponseMode::ErrorJson => {
            let error_type = if codes.iter().all(|c| *c == Code::ShippingUnavailable) {
                "address_error"
            } else {
                "approval_failed"
            };
            let text: Vec<&str> = failures.iter().map(|f| f.message.as_str()).collect();
            #[derive(serde::Serialize)]
            struct ErrorBody<'a> {
                error_type: &'a str,
                error_text: String,
            }
            let body = serde_json::to_string(&ErrorBody {
                error_type,
                error_text: text.join(" "),
            })
            .unwrap_or_else(|_| {
                String::from(r#"{"error_type":"approval_failed","error_text":""}"#)
            });
            Response {
                status: 400,
                location: None,
                content_type: Some("application/json; charset=utf-8"),
                body,
            }
        }
    };
    (Some(flag), response)
}

/// KCO 1.x precedence: stock first (to the cart), then the checkout flags in [`KCO_FLAGS`] order.
fn choose_flag(codes: &[Code]) -> &'static str {
    let flags: Vec<&'static str> = codes.iter().map(|c| c.kco_flag()).collect();
    KCO_FLAGS
        .iter()
        .copied()
        .find(|f| flags.contains(f))
        .unwrap_or("unable_to_process")
}
