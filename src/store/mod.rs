//! The shop's state as the plugin hands it over: the store snapshot of `docs/contract.md`.
//!
//! The snapshot arrives as a JSON-like tree (from a PHP array, or from a JSON file in the CLI and the tests).
//! Reading it is strict: a missing required key or a wrong type is a [`SnapshotError`] whose message starts with
//! the key path, never a silent default.

mod answer;
mod fields;
mod model;
pub(crate) mod shape;
mod url;

pub use answer::{AnswerSection, PriceFormat, Template, Texts};
pub use fields::Money;
pub use model::{
    Cart, CartLine, Checkout, Coupon, Customer, Options, Product, ResponseMode, Session,
    ShippingPackage, Store, UnknownProducts, Urls,
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
    /// Reads a snapshot from a JSON value, by the shape rules of [`shape`] (the same as for a PHP array).
    pub fn from_value(value: serde_json::Value) -> Result<Store, SnapshotError> {
        Store::from_deserializer(shape::Reader::new(&value))
    }

    /// Reads a snapshot from a deserializer that can be read twice: a [`shape::Reader`] over a JSON tree or (the
    /// PHP extension) over the PHP array itself. The fast path tracks no key paths (that allocates a string per
    /// key); a failure is read again with tracking, to say where it is.
    pub(crate) fn from_deserializer<'de, D>(d: D) -> Result<Store, SnapshotError>
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
        match &self.urls {
            Some(urls) => check_urls(urls),
            None => Ok(()),
        }
    }
}

/// The page URLs must be able to stand in a `Location` header.
pub fn check_urls(urls: &Urls) -> Result<(), SnapshotError> {
    for (path, u) in [("urls.cart", &urls.cart), ("urls.checkout", &urls.checkout)] {
        if let Err(problem) = url::check_url(u) {
            return Err(SnapshotError {
                path: path.into(),
                problem,
            });
        }
    }
    Ok(())
}
