//! Shared by the fuzz targets: the fixture pairs (Klarna body + store snapshot), a structure-aware mutator of
//! JSON trees driven by the fuzzer's bytes, and the invariants every verdict must hold.
//!
//! A target fails (a "finding") on a panic, an abort, a timeout, an out-of-memory, or a broken invariant
//! ([`check_verdict`] panics with the reason).

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use kco_validation::{Order, Store, Verdict};
use serde_json::{Map, Number, Value};

macro_rules! pair {
    ($stem:literal) => {
        (
            include_str!(concat!("../../tests/fixtures/klarna/", $stem, ".json")),
            include_str!(concat!(
                "../../tests/fixtures/stores/",
                $stem,
                ".store.json"
            )),
        )
    };
}

/// (Klarna body, store snapshot) pairs that are approved as they are.
pub const PAIRS: [(&str, &str); 9] = [
    (
        include_str!("../../examples/order.json"),
        include_str!("../../examples/store.json"),
    ),
    pair!("01-se-sek-basic"),
    pair!("02-se-sek-percentage-discount"),
    pair!("03-no-nok-mixed-vat"),
    pair!("04-de-eur-19-7"),
    pair!("05-gb-gbp-20"),
    pair!("07-se-selected-shipping-option"),
    pair!("08-fi-eur-digital-only"),
    pair!("10-se-b2b-organization"),
];

/// The pairs as JSON trees, parsed once.
pub fn trees() -> &'static [(Value, Value)] {
    static TREES: OnceLock<Vec<(Value, Value)>> = OnceLock::new();
    TREES.get_or_init(|| {
        PAIRS
            .iter()
            .map(|(o, s)| {
                (
                    serde_json::from_str(o).expect("fixture order"),
                    serde_json::from_str(s).expect("fixture store"),
                )
            })
            .collect()
    })
}

/// The orders of the pairs, parsed once.
pub fn orders() -> &'static [Order] {
    static ORDERS: OnceLock<Vec<Order>> = OnceLock::new();
    ORDERS.get_or_init(|| {
        PAIRS
            .iter()
            .map(|(o, _)| kco_validation::parse_order(o.as_bytes()).expect("fixture order parses"))
            .collect()
    })
}

/// The stores of the pairs, read once (for deciding any order the fuzzer makes parse).
pub fn stores() -> &'static [Store] {
    static STORES: OnceLock<Vec<Store>> = OnceLock::new();
    STORES.get_or_init(|| {
        trees()
            .iter()
            .map(|(_, s)| Store::from_value(s.clone()).expect("fixture store reads"))
            .collect()
    })
}

/// Decides `order` against `store` and checks the verdict. Snapshot errors are fine; panics are findings.
pub fn decide_and_check(order: &Order, store: &Store) {
    if let Ok(verdict) = kco_validation::validate(order, store) {
        check_verdict(&verdict, store);
    }
}

/// What every verdict must hold, whatever the input: a status the plugin can send, a Location only on 303 and
/// built from the snapshot's own URL (never a control character or a space in any header value), and a verdict
/// that converts to the contract's tree.
pub fn check_verdict(v: &Verdict, store: &Store) {
    let r = &v.response;
    assert!(
        matches!(r.status, 200 | 303 | 400),
        "status {} is not one the plugin sends",
        r.status
    );
    assert_eq!(v.approved(), r.status == 200, "approved ⇔ 200");
    assert_eq!(v.approved(), v.flag.is_none(), "a flag only on a denial");
    assert_eq!(v.codes().is_empty(), v.approved(), "codes ⇔ denial");
    match r.status {
        303 => {
            let loc = r.location.as_deref().expect("303 without a Location");
            assert!(
                !loc.bytes()
                    .any(|b| b.is_ascii_control() || b == b' ' || b >= 0x80),
                "Location is not a safe header value: {loc:?}"
            );
            let cart = store.urls.cart.split(['?', '#']).next().unwrap_or("");
            let checkout = store.urls.checkout.split(['?', '#']).next().unwrap_or("");
            let enc = |s: &str| {
                let mut out = String::new();
                for b in s.bytes() {
                    if b.is_ascii() && !b.is_ascii_control() && b != b' ' {
                        out.push(b as char);
                    } else {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
                out
            };
            assert!(
                loc.starts_with(&enc(cart)) || loc.starts_with(&enc(checkout)),
                "Location {loc:?} is not built from the snapshot's URLs"
            );
            let query = &loc[loc.find('?').expect("Location has a query")..];
            let flag = v.flag.expect("303 with a flag");
            assert!(query.contains(flag), "Location lacks the flag {flag}");
            assert!(r.body.is_empty() && r.content_type.is_none());
        }
        400 => {
            assert!(r.location.is_none());
            let ct = r.content_type.expect("400 with a content type");
            assert!(!ct.bytes().any(|b| b.is_ascii_control()));
            let body: Value = serde_json::from_str(&r.body).expect("400 body is JSON");
            assert!(body.get("error_type").is_some_and(Value::is_string));
            assert!(body.get("error_text").is_some_and(Value::is_string));
        }
        _ => {
            assert!(r.location.is_none() && r.content_type.is_none() && r.body.is_empty());
        }
    }
    for f in &v.failures {
        assert!(
            !f.message.is_empty(),
            "failure {:?} without a message",
            f.code
        );
    }
    // The tree PHP receives (serializing it to text would only test serde_json, and costs most of the time).
    let tree = v.to_value();
    assert!(tree.get("response").is_some_and(Value::is_object));
}

// ---------------------------------------------------------------------------------------------------------------
// Structure-aware mutation of JSON trees.

/// Keys the order and the snapshot use, so inserted keys often mean something.
const KEYS: &[&str] = &[
    "order_id",
    "purchase_country",
    "purchase_currency",
    "locale",
    "status",
    "billing_address",
    "shipping_address",
    "email",
    "order_amount",
    "order_tax_amount",
    "order_lines",
    "merchant_data",
    "selected_shipping_option",
    "id",
    "name",
    "price",
    "tax_amount",
    "tax_rate",
    "type",
    "reference",
    "quantity",
    "unit_price",
    "total_amount",
    "total_discount_amount",
    "total_tax_amount",
    "coupons",
    "is_user_logged_in",
    "currency",
    "price_decimals",
    "now",
    "session",
    "found",
    "expired",
    "customer_id",
    "own_order_id",
    "klarna_order_id",
    "cart",
    "total",
    "total_tax",
    "subtotal",
    "needs_shipping",
    "shipping_enabled",
    "chosen_shipping",
    "available_shipping",
    "lines",
    "product_id",
    "variation_id",
    "tax",
    "subtotal_tax",
    "products",
    "stock_owner_id",
    "purchasable",
    "virtual",
    "manage_stock",
    "stock_quantity",
    "held",
    "stock_status",
    "backorders",
    "subscription",
    "trial_length",
    "exists",
    "expires",
    "usage_limit",
    "usage_count",
    "usage_limit_per_user",
    "used_by",
    "email_restrictions",
    "minimum_amount",
    "maximum_amount",
    "discount_type",
    "product_ids",
    "excluded_product_ids",
    "product_categories",
    "excluded_product_categories",
    "exclude_sale_items",
    "category_ids",
    "on_sale",
    "product_key",
    "customer",
    "logged_in",
    "user_id",
    "email_exists",
    "user_ids_for_email",
    "account_email",
    "checkout",
    "registration_required",
    "registration_enabled",
    "subscriptions_active",
    "urls",
    "options",
    "response_mode",
    "total_tolerance",
    "unknown_products",
];

/// Strings that mean something to one check or another, or that are hostile.
const STRINGS: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "1",
    "-1",
    "0.005",
    "-0.005",
    "1234.50",
    "1e3",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1,5",
    ".5",
    "5.",
    "--1",
    "+1",
    "0x10",
    "99999999999999999999999999999",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "0.0000000000000000000000000001",
    "92233720368547758.07",
    "-92233720368547758.08",
    "SEK",
    "sek",
    "JPY",
    "KWD",
    "XXX",
    "SE",
    "physical",
    "digital",
    "discount",
    "shipping_fee",
    "sales_tax",
    "gift_card",
    "store_credit",
    "surcharge",
    "instock",
    "outofstock",
    "onbackorder",
    "no",
    "notify",
    "yes",
    "redirect",
    "error_json",
    "deny",
    "ignore",
    "https://shop.example/cart/",
    "http://s.se/?a=1&b#frag",
    "https://s.se/kassa-ö/?x=ä",
    "https://",
    "/cart/",
    "javascript:alert(1)",
    "https://s.se/\r\nX: y",
    "a@b.se",
    "A@B.SE",
    "*@b.se",
    "*",
    "**a*",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\r\nSet-Cookie: a=b",
    "\u{0}",
    "\u{7f}",
    "😀",
    "e\u{301}",
    "\u{feff}",
    "{\"coupons\":[\"SUMMER10\",\"x\"],\"is_user_logged_in\":true}",
    "{\"coupons\":\"x\"}",
    "[1,2]",
    "not json",
    "flat_rate:3",
    "free_shipping:2",
];

/// Integers at the edges of every bound in the parser and the checks.
const INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    7,
    100,
    999,
    1000,
    1001,
    2500,
    10_000,
    10_001,
    1_000_000_000,
    1_000_000_001,
    10_000_000_000_000,
    10_000_000_000_001,
    -10_000_000_000_000,
    -10_000_000_000_001,
    i32::MAX as i64,
    i64::MAX,
    i64::MIN,
    i64::MAX - 1,
    i64::MIN + 1,
    4_611_686_018_427_387_904,
    -4_611_686_018_427_387_904,
    1_764_000_000,
];

/// A JSON value the fuzzer chooses, biased towards the interesting ones.
pub fn arb_value(u: &mut Unstructured, depth: u32, extra: &[String]) -> Result<Value> {
    let pick = u.int_in_range(0u8..=16)?;
    Ok(match pick {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 | 3 => Value::from(*u.choose(INTS)?),
        4 => Value::from(u.arbitrary::<i64>()?),
        5 => Value::from(u.arbitrary::<u64>()?),
        6 => {
            let f: f64 = u.arbitrary()?;
            Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        7 => Value::from(*u.choose(&[0.5, 1.5, -1.0, 846.0, 1e20, 1e300, -0.0, 8.46e4])?),
        8 | 9 => Value::from(*u.choose(STRINGS)?),
        10 => Value::from(u.arbitrary::<String>()?),
        11 => {
            // A long string (a huge merchant_data, a huge name).
            let unit = *u.choose(STRINGS)?;
            let n = if u.ratio(1u8, 32u8)? {
                u.int_in_range(1usize..=2000)?
            } else {
                u.int_in_range(1usize..=20)?
            };
            Value::from(unit.repeat(n))
        }
        12 => Value::from(format!(
            "{}.{:0>2}",
            u.arbitrary::<i64>()?,
            u.int_in_range(0u32..=999)?
        )),
        13 if depth < 4 => {
            let n = u.int_in_range(0usize..=3)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(arb_value(u, depth + 1, extra)?);
            }
            Value::Array(items)
        }
        14 if depth < 4 => {
            let n = u.int_in_range(0usize..=3)?;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(arb_key(u, extra)?, arb_value(u, depth + 1, extra)?);
            }
            Value::Object(m)
        }
        15 if !extra.is_empty() => Value::from(u.choose(extra)?.clone()),
        _ => Value::from(u.int_in_range(-3i64..=3)?),
    })
}

fn arb_key(u: &mut Unstructured, extra: &[String]) -> Result<String> {
    if !extra.is_empty() && u.ratio(1u8, 4u8)? {
        Ok(u.choose(extra)?.clone())
    } else if u.ratio(3u8, 4u8)? {
        Ok((*u.choose(KEYS)?).to_string())
    } else {
        u.arbitrary()
    }
}

/// Applies up to `max_ops` mutations chosen by the fuzzer to `root`: replace a value, delete a key or an element,
/// insert a key, duplicate or drop an array element, rename a map key (for instance to a reference the order
/// uses), or copy one node over another.
///
/// `extra` holds strings worth reusing as keys and values (the order's references, the store's coupon codes).
pub fn mutate(
    u: &mut Unstructured,
    root: &mut Value,
    max_ops: usize,
    extra: &[String],
) -> Result<()> {
    let ops = u.int_in_range(1..=max_ops)?;
    for _ in 0..ops {
        if u.is_empty() {
            break;
        }
        let op = u.int_in_range(0u8..=7)?;
        // Only the copy operation needs a donor; cloning one for every operation cost a fifth of the time.
        let donor = if op == 5 {
            Some(pick_node(u, root)?.clone())
        } else {
            None
        };
        let node = pick_node_mut(u, root)?;
        match op {
            0 | 1 => *node = arb_value(u, 0, extra)?,
            2 => match node {
                Value::Object(m) if !m.is_empty() => {
                    let i = u.choose_index(m.len())?;
                    if let Some(k) = m.keys().nth(i).cloned() {
                        m.shift_remove(&k);
                    }
                }
                Value::Array(a) if !a.is_empty() => {
                    let i = u.choose_index(a.len())?;
                    a.remove(i);
                }
                _ => *node = Value::Null,
            },
            3 => match node {
                Value::Object(m) => {
                    let k = arb_key(u, extra)?;
                    let v = arb_value(u, 1, extra)?;
                    m.insert(k, v);
                }
                Value::Array(a) => {
                    let v = if !a.is_empty() && u.arbitrary()? {
                        a[u.choose_index(a.len())?].clone()
                    } else {
                        arb_value(u, 1, extra)?
                    };
                    // Rarely, many copies (the 1000-line bound); usually one.
                    let n = if u.ratio(1u8, 255u8)? {
                        u.int_in_range(1usize..=1100)?
                    } else {
                        1
                    };
                    for _ in 0..n {
                        a.push(v.clone());
                    }
                }
                _ => *node = arb_value(u, 0, extra)?,
            },
            4 => {
                if let Value::Object(m) = node {
                    if !m.is_empty() {
                        let i = u.choose_index(m.len())?;
                        let old = m.keys().nth(i).cloned().unwrap_or_default();
                        if let Some(v) = m.shift_remove(&old) {
                            let k = arb_key(u, extra)?;
                            m.insert(k, v);
                        }
                    }
                }
            }
            5 => *node = donor.unwrap_or(Value::Null),
            6 => {
                // Retype a scalar: number ↔ string, the commonest mistake a caller makes.
                *node = match node.take() {
                    Value::Number(n) => Value::from(n.to_string()),
                    Value::String(s) => s
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| {
                            s.parse::<f64>()
                                .map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number))
                        })
                        .unwrap_or(Value::String(s)),
                    Value::Array(a) => Value::Object(
                        a.into_iter()
                            .enumerate()
                            .map(|(i, v)| (i.to_string(), v))
                            .collect(),
                    ),
                    Value::Object(m) => Value::Array(m.into_iter().map(|(_, v)| v).collect()),
                    other => other,
                }
            }
            _ => {
                // Nudge an integer by a small amount (off-by-one at every bound).
                if let Some(n) = node.as_i64() {
                    let d = u.int_in_range(-2i64..=2)?;
                    *node = Value::from(n.wrapping_add(d));
                } else {
                    *node = arb_value(u, 0, extra)?;
                }
            }
        }
    }
    Ok(())
}

fn pick_node<'a>(u: &mut Unstructured, mut v: &'a Value) -> Result<&'a Value> {
    loop {
        let stop = u.ratio(1u8, 4u8)?;
        let next = match v {
            Value::Object(m) if !stop && !m.is_empty() => m.values().nth(u.choose_index(m.len())?),
            Value::Array(a) if !stop && !a.is_empty() => a.get(u.choose_index(a.len())?),
            _ => None,
        };
        match next {
            Some(n) => v = n,
            None => return Ok(v),
        }
    }
}

fn pick_node_mut<'a>(u: &mut Unstructured, v: &'a mut Value) -> Result<&'a mut Value> {
    let stop = u.ratio(1u8, 5u8)?;
    let idx = match &*v {
        Value::Object(m) if !stop && !m.is_empty() => Some(u.choose_index(m.len())?),
        Value::Array(a) if !stop && !a.is_empty() => Some(u.choose_index(a.len())?),
        _ => None,
    };
    match (idx, v) {
        (Some(i), Value::Object(m)) => {
            let child = m.values_mut().nth(i).expect("index in range");
            pick_node_mut(u, child)
        }
        (Some(i), Value::Array(a)) => pick_node_mut(u, &mut a[i]),
        (_, v) => Ok(v),
    }
}
