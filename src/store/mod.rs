//! The shop's state as the plugin hands it over: the store snapshot of `docs/contract.md`.
//!
//! The snapshot arrives as a JSON-like tree (from a PHP array, or from a JSON file in the CLI and the tests).
//! Reading it is strict: a missing required key or a wrong type is a [`SnapshotError`] whose message starts with
//! the key path, never a silent default.

mod fields;
mod model;

pub use fields::Money;
pub use model::{
    Cart, CartLine, Checkout, Coupon, Customer, Options, Product, ResponseMode, Session, Store,
    UnknownProducts, Urls,
};

use serde::Deserialize;
use std::fmt;

/// A snapshot key that is missing or mistyped. `path` is like `products.SKU-1.stock_quantity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotError {
    pub path: String,
    pub problem: String,
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

impl std::error::Error for SnapshotError {}

impl Store {
    /// Reads a snapshot from a JSON value.
    pub fn from_value(mut value: serde_json::Value) -> Result<Store, SnapshotError> {
        require_objects(&mut value)?;
        Store::from_deserializer(&value)
    }

    /// Reads a snapshot from a deserializer that can be read twice (a borrowed JSON tree; the PHP extension reads
    /// the PHP array directly). The fast path tracks no key paths (that allocates a string per key); a failure is
    /// read again with tracking, to say where it is.
    pub fn from_deserializer<'de, D>(d: D) -> Result<Store, SnapshotError>
    where
        D: serde::Deserializer<'de> + Copy,
    {
        match Store::deserialize(d) {
            Ok(store) => {
                store.check()?;
                Ok(store)
            }
            Err(_) => Err(Store::describe(d)),
        }
    }

    /// Reads the snapshot again with key-path tracking, to say where it is wrong.
    fn describe<'de, D: serde::Deserializer<'de>>(d: D) -> SnapshotError {
        let result: Result<Store, _> = serde_path_to_error::deserialize(d);
        let Err(e) = result else {
            return SnapshotError {
                path: "store".into(),
                problem: "could not be read".into(),
            };
        };
        let path = e.path().to_string();
        let problem = e.into_inner().to_string();
        // serde reports a missing key at its parent ("products.SKU-1: missing field `held`"); the contract
        // wants the key's own path first ("products.SKU-1.held: is missing").
        let missing = problem
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'));
        match missing {
            Some(key) if path == "." => SnapshotError {
                path: key.to_string(),
                problem: "is missing".into(),
            },
            Some(key) => SnapshotError {
                path: format!("{path}.{key}"),
                problem: "is missing".into(),
            },
            None => SnapshotError {
                path: if path == "." { "store".into() } else { path },
                problem,
            },
        }
    }

    /// Reads a snapshot from JSON text (the CLI and the tests).
    pub fn from_json(text: &str) -> Result<Store, SnapshotError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| SnapshotError {
            path: "store".into(),
            problem: format!("is not valid JSON ({e})"),
        })?;
        Store::from_value(value)
    }

    /// Rules serde cannot express: ranges and URL shapes.
    fn check(&self) -> Result<(), SnapshotError> {
        let fail = |path: &str, problem: String| {
            Err(SnapshotError {
                path: path.into(),
                problem,
            })
        };
        if !(0..=8).contains(&self.price_decimals) {
            return fail(
                "price_decimals",
                format!("must be 0..8, got {}", self.price_decimals),
            );
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return fail(
                "currency",
                format!("must be 3 letters, got {:?}", self.currency),
            );
        }
        for (i, line) in self.cart.lines.iter().enumerate() {
            if line.quantity < 0 {
                return fail(
                    &format!("cart.lines[{i}].quantity"),
                    format!("is negative ({})", line.quantity),
                );
            }
        }
        for (key, p) in &self.products {
            if p.held < 0 {
                return fail(
                    &format!("products.{key}.held"),
                    format!("is negative ({})", p.held),
                );
            }
        }
        if self.options.total_tolerance < 0 {
            return fail(
                "options.total_tolerance",
                format!("is negative ({})", self.options.total_tolerance),
            );
        }
        for (path, url) in [
            ("urls.cart", &self.urls.cart),
            ("urls.checkout", &self.urls.checkout),
        ] {
            if let Err(problem) = crate::verdict::check_url(url) {
                return fail(path, problem);
            }
        }
        Ok(())
    }
}

/// Where the contract has a struct or a keyed map, the value must be an object. serde would otherwise read a JSON
/// array (a PHP list) as a struct, field by field in order. An empty array (PHP's `[]`) stands for an empty map.
fn require_objects(root: &mut serde_json::Value) -> Result<(), SnapshotError> {
    use serde_json::Value;
    fn object(v: &mut Value, path: &str) -> Result<(), SnapshotError> {
        match v {
            Value::Object(_) => Ok(()),
            Value::Array(a) if a.is_empty() => {
                *v = Value::Object(serde_json::Map::new());
                Ok(())
            }
            Value::Array(_) => Err(SnapshotError {
                path: path.into(),
                problem: "must be a map with named keys, got a list".into(),
            }),
            _ => Ok(()), // other types: serde names the problem
        }
    }
    object(root, "store")?;
    let Value::Object(top) = root else {
        return Ok(());
    };
    // Keyed maps: PHP turns keys 0, 1, 2 … into a list; read it back as a map keyed by index.
    for map in ["products", "coupons"] {
        if let Some(v) = top.get_mut(map) {
            if let Value::Array(items) = v {
                let items = std::mem::take(items);
                *v = Value::Object(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| (i.to_string(), item))
                        .collect(),
                );
            }
        }
    }
    for key in ["session", "cart", "customer", "checkout", "urls", "options"] {
        if let Some(v) = top.get_mut(key) {
            object(v, key)?;
        }
    }
    for map in ["products", "coupons"] {
        if let Some(Value::Object(entries)) = top.get_mut(map) {
            for (k, v) in entries.iter_mut() {
                object(v, &format!("{map}.{k}"))?;
            }
        }
    }
    if let Some(Value::Object(cart)) = top.get_mut("cart") {
        if let Some(Value::Array(lines)) = cart.get_mut("lines") {
            for (i, v) in lines.iter_mut().enumerate() {
                object(v, &format!("cart.lines[{i}]"))?;
            }
        }
    }
    Ok(())
}
