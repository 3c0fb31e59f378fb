//! One failure: a code, a sentence for the shopper, and the facts behind it.

use super::Code;
use serde_json::{json, Map};

/// A fact attached to a failure (an amount, a quantity, a code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl Value {
    fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Int(n) => json!(n),
            Value::Text(s) => json!(s),
        }
    }
}

/// Why the order cannot be approved, in one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: Code,
    /// A plain sentence a shopper understands.
    pub message: String,
    pub reference: Option<String>,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
    /// The sub-case, for codes that have several (`coupon_invalid`: `expired`, …).
    pub reason: Option<&'static str>,
    /// Values a translated message needs (`name`, `available`, …).
    pub params: Vec<(&'static str, Value)>,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
            reference: None,
            expected: None,
            actual: None,
            reason: None,
            params: Vec::new(),
        }
    }

    pub fn reference(mut self, r: impl Into<String>) -> Failure {
        self.reference = Some(r.into());
        self
    }

    pub fn expected(mut self, v: impl Into<Value>) -> Failure {
        self.expected = Some(v.into());
        self
    }

    pub fn actual(mut self, v: impl Into<Value>) -> Failure {
        self.actual = Some(v.into());
        self
    }

    pub fn reason(mut self, r: &'static str) -> Failure {
        self.reason = Some(r);
        self
    }

    pub fn param(mut self, key: &'static str, v: impl Into<Value>) -> Failure {
        self.params.push((key, v.into()));
        self
    }

    /// The failure as PHP sees it (docs/contract.md §2).
    pub fn to_value(&self) -> serde_json::Value {
        let mut m = Map::new();
        m.insert("code".into(), json!(self.code.as_str()));
        m.insert("message".into(), json!(self.message));
        if let Some(r) = &self.reference {
            m.insert("reference".into(), json!(r));
        }
        if let Some(v) = &self.expected {
            m.insert("expected".into(), v.to_json());
        }
        if let Some(v) = &self.actual {
            m.insert("actual".into(), v.to_json());
        }
        m.insert("reason".into(), json!(self.reason));
        let params: Map<String, serde_json::Value> = self
            .params
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.to_json()))
            .collect();
        m.insert("params".into(), serde_json::Value::Object(params));
        serde_json::Value::Object(m)
    }
}
