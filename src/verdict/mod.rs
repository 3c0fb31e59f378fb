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

/// The outcome of one validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub failures: Vec<Failure>,
    /// The KCO 1.x flag chosen for the redirect (`None` when approved).
    pub flag: Option<&'static str>,
    pub response: Response,
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
        json!({
            "approved": self.approved(),
            "codes": codes,
            "failures": failures,
            "flag": self.flag,
            "response": response,
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
