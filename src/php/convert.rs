//! The verdict → a PHP array, built straight from the Rust value with the contract's key order (docs/contract.md
//! §2). (The snapshot goes the other way without an intermediate tree: `de.rs`.)

use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::verdict::{Failure, Response, Value, Verdict};

pub fn put(ht: &mut ZendHashTable, key: &str, value: impl IntoZval) -> Result<(), String> {
    ht.insert(key, value).map_err(|e| format!("{key}: {e}"))
}

/// A failure parameter: an int, a string, or an amount as `['minor' => 31026, 'currency' => 'SEK']`.
pub fn fact(v: &Value) -> Result<Zval, String> {
    match v {
        Value::Int(n) => n.into_zval(false),
        Value::Text(s) => s.as_str().into_zval(false),
        Value::Money { minor, currency } => {
            let mut ht = ZendHashTable::new();
            put(&mut ht, "minor", *minor)?;
            put(&mut ht, "currency", currency.as_str())?;
            ht.into_zval(false)
        }
    }
    .map_err(|e| e.to_string())
}

fn failure(f: &Failure) -> Result<ZBox<ZendHashTable>, String> {
    let mut ht = ZendHashTable::new();
    put(&mut ht, "code", f.code.as_str())?;
    put(&mut ht, "message", f.message.as_str())?;
    if let Some(r) = &f.reference {
        put(&mut ht, "reference", r.as_str())?;
    }
    if let Some(v) = &f.expected {
        put(&mut ht, "expected", fact(v)?)?;
    }
    if let Some(v) = &f.actual {
        put(&mut ht, "actual", fact(v)?)?;
    }
    put(&mut ht, "reason", f.reason)?;
    let mut params = ZendHashTable::new();
    for (k, v) in &f.params {
        put(&mut params, k, fact(v)?)?;
    }
    put(&mut ht, "params", params)?;
    put(&mut ht, "product_id", f.product_id)?;
    Ok(ht)
}

/// The verdict as PHP receives it.
pub fn verdict_to_array(v: &Verdict) -> Result<ZBox<ZendHashTable>, String> {
    let mut ht = ZendHashTable::new();
    put(&mut ht, "approved", v.approved())?;
    let mut codes = ZendHashTable::new();
    for c in v.codes() {
        codes.push(c.as_str()).map_err(|e| e.to_string())?;
    }
    put(&mut ht, "codes", codes)?;
    let mut failures = ZendHashTable::new();
    for f in &v.failures {
        failures.push(failure(f)?).map_err(|e| e.to_string())?;
    }
    put(&mut ht, "failures", failures)?;
    put(&mut ht, "flag", v.flag)?;
    put(&mut ht, "response", response_to_array(&v.response)?)?;
    let mut claims = ZendHashTable::new();
    for c in &v.claims {
        let mut claim = ZendHashTable::new();
        put(&mut claim, "stock_owner_id", c.stock_owner_id)?;
        put(&mut claim, "quantity", c.quantity)?;
        claims.push(claim).map_err(|e| e.to_string())?;
    }
    put(&mut ht, "claims", claims)?;
    Ok(ht)
}

/// The HTTP answer as PHP receives it: `status`, `location`, `content_type`, `body`.
pub fn response_to_array(r: &Response) -> Result<ZBox<ZendHashTable>, String> {
    let mut response = ZendHashTable::new();
    put(&mut response, "status", i64::from(r.status))?;
    put(&mut response, "location", r.location.as_deref())?;
    put(&mut response, "content_type", r.content_type)?;
    put(&mut response, "body", r.body.as_str())?;
    Ok(response)
}
