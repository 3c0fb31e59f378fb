//! The verdict: every failure the checks found, and the HTTP answer to give Klarna (built by [`crate::answer`]).
//! This module holds the data and the one table of failure codes ([`code`]).

pub mod code;
mod failure;

pub use code::{Code, CodeInfo, KCO_FLAGS};
pub use failure::{Failure, Value};

/// Exactly what the plugin sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<&'static str>,
    pub body: String,
}

impl Response {
    /// `200 OK`, empty: approved.
    pub fn ok() -> Response {
        Response {
            status: 200,
            location: None,
            content_type: None,
            body: String::new(),
        }
    }
}

/// What an approval takes from one stock owner: the quantity ordered of a product whose stock is managed and
/// allows no backorders. The plugin claims it for the Klarna order (docs/contract.md §2, `claims`), so no other
/// callback is approved against the same units before WooCommerce creates the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockClaim {
    /// `products.*.stock_owner_id` of the snapshot.
    pub stock_owner_id: i64,
    /// Summed over the order's goods lines of that owner.
    pub quantity: i64,
}

/// The outcome of one validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub failures: Vec<Failure>,
    /// The KCO 1.x flag chosen for the redirect (`None` when approved).
    pub flag: Option<&'static str>,
    pub response: Response,
    /// Per stock owner, what an approval takes (in order of first appearance; whether approved or not).
    pub claims: Vec<StockClaim>,
}

impl Verdict {
    pub fn approved(&self) -> bool {
        self.failures.is_empty()
    }

    /// Distinct codes, in order of first appearance.
    pub fn codes(&self) -> Vec<Code> {
        distinct_codes(&self.failures)
    }

    /// The verdict as the JSON-like tree that PHP receives (docs/contract.md §2).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::{json, Map};
        let failures: Vec<serde_json::Value> =
            self.failures.iter().map(Failure::to_value).collect();
        let codes: Vec<&str> = self.codes().iter().map(|c| c.as_str()).collect();
        let mut response = Map::new();
        response.insert("status".into(), json!(self.response.status));
        response.insert("location".into(), json!(self.response.location));
        response.insert("content_type".into(), json!(self.response.content_type));
        response.insert("body".into(), json!(self.response.body));
        let claims: Vec<serde_json::Value> = self
            .claims
            .iter()
            .map(|c| json!({"stock_owner_id": c.stock_owner_id, "quantity": c.quantity}))
            .collect();
        json!({
            "approved": self.approved(),
            "codes": codes,
            "failures": failures,
            "flag": self.flag,
            "response": response,
            "claims": claims,
        })
    }
}

pub(crate) fn distinct_codes(failures: &[Failure]) -> Vec<Code> {
    let mut out: Vec<Code> = Vec::new();
    for f in failures {
        if !out.contains(&f.code) {
            out.push(f.code);
        }
    }
    out
}
