//! One failure: a code, a sentence for the shopper, and the facts behind it.

use super::Code;
use serde_json::{json, Map};

/// A fact attached to a failure: a count, a text (a name, a code), or an amount of money in its currency's ISO 4217
/// minor units. Amounts stay numbers until a text is rendered, so the shopper reads them in the shop's own price
/// format (answer::texts), and PHP receives them as `['minor' => 31026, 'currency' => 'SEK']`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
    Money { minor: i64, currency: String },
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
    /// An amount in minor units of `currency`.
    pub fn money(minor: i64, currency: &str) -> Value {
        Value::Money {
            minor,
            currency: currency.to_owned(),
        }
    }

    /// The value as JSON (the CLI, the tests; PHP gets the same shape from src/php/convert.rs).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Int(n) => json!(n),
            Value::Text(s) => json!(s),
            Value::Money { minor, currency } => json!({ "minor": minor, "currency": currency }),
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
    /// The product or variation the failure is about (0: none), from the snapshot entry its reference names; set
    /// when the verdict is built, so the shopper's page can name the product in its own language.
    pub product_id: i64,
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
            product_id: 0,
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
        m.insert("product_id".into(), json!(self.product_id));
        serde_json::Value::Object(m)
    }
}
