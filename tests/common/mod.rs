//! Shared by the integration tests: load a Klarna fixture and its store snapshot, change either with
//! serde_json before deciding, and read the verdict.
#![allow(dead_code)]

pub mod gen;

use std::path::PathBuf;

use kco_validation::{parse_order, validate, Store, Verdict};
use serde_json::Value;

/// The fixtures, by file stem (`tests/fixtures/klarna/<stem>.json`, `tests/fixtures/stores/<stem>.store.json`).
pub const FIXTURES: [&str; 8] = [
    "01-se-sek-basic",
    "02-se-sek-percentage-discount",
    "03-no-nok-mixed-vat",
    "04-de-eur-19-7",
    "05-gb-gbp-20",
    "07-se-selected-shipping-option",
    "08-fi-eur-digital-only",
    "10-se-b2b-organization",
];

pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The stem of the fixture whose name starts with `prefix` ("01", "07-se", …).
pub fn stem(prefix: &str) -> &'static str {
    let found: Vec<&str> = FIXTURES
        .iter()
        .copied()
        .filter(|s| s.starts_with(prefix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "fixture prefix {prefix:?} matches {found:?}"
    );
    found[0]
}

/// The raw Klarna body of a fixture.
pub fn klarna_bytes(prefix: &str) -> Vec<u8> {
    let path = fixtures_dir().join(format!("klarna/{}.json", stem(prefix)));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The store snapshot of a fixture, as text.
pub fn store_text(prefix: &str) -> String {
    let path = fixtures_dir().join(format!("stores/{}.store.json", stem(prefix)));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An order body and a store snapshot, both as JSON trees that a test may change.
#[derive(Clone, Debug)]
pub struct Case {
    pub order: Value,
    pub store: Value,
}

impl Case {
    /// The fixture whose name starts with `prefix`, with its approving store.
    pub fn fixture(prefix: &str) -> Case {
        Case {
            order: serde_json::from_slice(&klarna_bytes(prefix)).unwrap(),
            store: serde_json::from_str(&store_text(prefix)).unwrap(),
        }
    }

    pub fn new(order: Value, store: Value) -> Case {
        Case { order, store }
    }

    /// Sets (or adds) the value at a JSON pointer in the order (`/order_lines/0/quantity`).
    pub fn order(&mut self, pointer: &str, value: Value) -> &mut Case {
        put(&mut self.order, pointer, value);
        self
    }

    /// Sets (or adds) the value at a JSON pointer in the store (`/products/KOPP-STG-01/held`).
    pub fn store(&mut self, pointer: &str, value: Value) -> &mut Case {
        put(&mut self.store, pointer, value);
        self
    }

    /// Removes the value at a JSON pointer in the order.
    pub fn drop_order(&mut self, pointer: &str) -> &mut Case {
        remove(&mut self.order, pointer);
        self
    }

    /// Removes the value at a JSON pointer in the store.
    pub fn drop_store(&mut self, pointer: &str) -> &mut Case {
        remove(&mut self.store, pointer);
        self
    }

    /// Parses the order (from its serialised bytes, like the extension), reads the store and validates.
    pub fn try_decide(&self) -> Result<Verdict, String> {
        let body = serde_json::to_vec(&self.order).unwrap();
        let order = parse_order(&body).map_err(|e| format!("payload: {e}"))?;
        let store = Store::from_value(self.store.clone()).map_err(|e| format!("snapshot: {e}"))?;
        validate(&order, &store).map_err(|e| format!("validate: {e}"))
    }

    pub fn decide(&self) -> Verdict {
        self.try_decide().unwrap_or_else(|e| panic!("{e}"))
    }

    /// The verdict as PHP receives it.
    pub fn verdict(&self) -> Value {
        self.decide().to_value()
    }
}

fn split(pointer: &str) -> (&str, String) {
    let i = pointer.rfind('/').expect("a JSON pointer starts with /");
    let last = pointer[i + 1..].replace("~1", "/").replace("~0", "~");
    (&pointer[..i], last)
}

/// Sets the value at `pointer`, adding the last key to an object (and missing objects on the way) or appending
/// to an array (`-`).
pub fn put(root: &mut Value, pointer: &str, value: Value) {
    let (parent, last) = split(pointer);
    if root.pointer(parent).is_none() {
        let (grand, key) = split(parent);
        put(
            root,
            &format!("{grand}/{}", key.replace('~', "~0").replace('/', "~1")),
            Value::Object(Default::default()),
        );
    }
    let parent = root
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent:?} to put {pointer:?} in"));
    match parent {
        Value::Object(map) => {
            map.insert(last, value);
        }
        Value::Array(items) if last == "-" => items.push(value),
        Value::Array(items) => {
            let i: usize = last.parse().unwrap();
            items[i] = value;
        }
        other => panic!("{pointer:?}: cannot put into {other}"),
    }
}

/// Removes the value at `pointer` (an object key or an array element).
pub fn remove(root: &mut Value, pointer: &str) {
    let (parent, last) = split(pointer);
    match root.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&last)
                .unwrap_or_else(|| panic!("no {pointer:?}"));
        }
        Some(Value::Array(items)) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        _ => panic!("no {parent:?}"),
    }
}

/// The distinct codes of a verdict, in order.
pub fn codes(v: &Verdict) -> Vec<&'static str> {
    v.codes().iter().map(|c| c.as_str()).collect()
}

/// The reasons of the failures with `code`, in order.
pub fn reasons(v: &Verdict, code: &str) -> Vec<&'static str> {
    v.failures
        .iter()
        .filter(|f| f.code.as_str() == code)
        .map(|f| f.reason.unwrap_or("-"))
        .collect()
}

/// The messages of the failures with `code`, in order.
pub fn messages(v: &Verdict, code: &str) -> Vec<String> {
    v.failures
        .iter()
        .filter(|f| f.code.as_str() == code)
        .map(|f| f.message.clone())
        .collect()
}

/// Asserts that the verdict approves, showing it otherwise.
pub fn assert_approved(v: &Verdict) {
    assert!(v.approved(), "{:#}", v.to_value());
    assert_eq!(v.response.status, 200);
    assert_eq!(v.response.body, "");
    assert_eq!(v.response.location, None);
    assert_eq!(v.flag, None);
}

/// Asserts that the verdict denies with exactly these distinct codes, in this order.
#[track_caller]
pub fn assert_codes(v: &Verdict, expected: &[&str]) {
    assert_eq!(codes(v), expected, "{:#}", v.to_value());
}

/// A generated SEK order (25 % VAT, a `shipping_fee` line) of goods lines `(quantity, unit_price)`, with a
/// matching store; products are `GEN-0000`, `GEN-0001`, … (ids 1000, 1001, …), each with enough managed stock.
pub fn simple(lines: &[(i64, i64)]) -> Case {
    let spec = gen::OrderSpec {
        currency: "SEK",
        lines: lines
            .iter()
            .map(|&(quantity, unit_price)| gen::LineSpec {
                quantity,
                unit_price,
                tax_rate: 2500,
                discount: 0,
                digital: false,
            })
            .collect(),
        shipping: gen::Shipping::FeeLine {
            price: 4900,
            tax_rate: 2500,
        },
        tolerance: 0,
    };
    let (order, mut store) = gen::build(&spec);
    for (i, &(quantity, _)) in lines.iter().enumerate() {
        let p = &mut store["products"][gen::reference(i)];
        p["manage_stock"] = true.into();
        p["stock_quantity"] = (quantity + 10).into();
    }
    Case::new(order, store)
}
