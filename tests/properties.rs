//! Properties over generated orders (tests/common/gen.rs): consistent orders are approved, a perturbed amount is
//! always caught, the verdict does not depend on the order of the lines (D6), and nothing panics on any input.

mod common;

use common::{gen, Case, FIXTURES};
use kco_validation::{parse_order, validate, Store, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

const RATES: [i64; 9] = [0, 600, 1200, 1400, 1500, 1900, 2000, 2500, 2550];
const CURRENCIES: [&str; 4] = ["SEK", "EUR", "JPY", "KWD"];

fn line_spec() -> impl Strategy<Value = gen::LineSpec> {
    (
        1i64..=20,
        0i64..=500_000,
        0usize..RATES.len(),
        any::<bool>(),
        0i64..=100,
        0u8..5,
    )
        .prop_map(|(quantity, unit_price, rate, discounted, percent, kind)| {
            let gross = quantity * unit_price;
            // Discounts are 0 or at least 3 units, so that a discounted line never passes as undiscounted
            // within the tolerance (0..=2).
            let discount = if discounted && gross >= 3 {
                (gross * percent / 100).max(3)
            } else {
                0
            };
            gen::LineSpec {
                quantity,
                unit_price,
                tax_rate: RATES[rate],
                discount,
                digital: kind == 0,
            }
        })
}

fn shipping() -> impl Strategy<Value = gen::Shipping> {
    prop_oneof![
        1 => Just(gen::Shipping::None),
        2 => (0i64..=20_000, 0usize..RATES.len())
            .prop_map(|(price, r)| gen::Shipping::FeeLine { price, tax_rate: RATES[r] }),
        2 => (0i64..=20_000, 0usize..RATES.len(), any::<bool>())
            .prop_map(|(price, r, included)| gen::Shipping::Selected { price, tax_rate: RATES[r], included }),
    ]
}

fn order_spec() -> impl Strategy<Value = gen::OrderSpec> {
    order_spec_of(1..=12)
}

fn order_spec_of(lines: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = gen::OrderSpec> {
    (
        0usize..CURRENCIES.len(),
        prop::collection::vec(line_spec(), lines),
        shipping(),
        0i64..=2,
    )
        .prop_map(|(c, lines, shipping, tolerance)| gen::OrderSpec {
            currency: CURRENCIES[c],
            lines,
            shipping,
            tolerance,
        })
}

fn decide(order: &Value, store: &Value) -> Verdict {
    Case::new(order.clone(), store.clone()).decide()
}

fn has_money_failure(v: &Verdict) -> bool {
    v.failures
        .iter()
        .any(|f| matches!(f.code.as_str(), "totals_mismatch" | "tax_mismatch"))
}

/// The verdict with everything that may legitimately follow the order of the lines taken out: failures as a
/// sorted multiset of (code, reason, expected, actual), distinct codes sorted, flag and status.
fn normalised(
    v: &Verdict,
) -> (
    bool,
    Vec<String>,
    Vec<&'static str>,
    Option<&'static str>,
    u16,
) {
    let mut failures: Vec<String> = v
        .failures
        .iter()
        .map(|f| {
            let j = f.to_value();
            format!(
                "{} {} {} {}",
                j["code"], j["reason"], j["expected"], j["actual"]
            )
        })
        .collect();
    failures.sort();
    let mut codes = common::codes(v);
    codes.sort();
    (v.approved(), failures, codes, v.flag, v.response.status)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn consistent_orders_with_a_matching_cart_are_approved(spec in order_spec()) {
        let (order, store) = gen::build(&spec);
        let v = decide(&order, &store);
        prop_assert!(v.approved(), "{:#}", v.to_value());
    }

    #[test]
    fn a_perturbed_amount_is_always_a_totals_or_tax_mismatch(
        spec in order_spec(),
        target in 0usize..7,
        pick in any::<prop::sample::Index>(),
        extra in 0i64..1000,
        negative in any::<bool>(),
    ) {
        let (mut order, mut store) = gen::build(&spec);
        let exp = gen::exponent(spec.currency);
        let lines = order["order_lines"].as_array().unwrap().len();
        let goods = spec.lines.len();
        let tax_tolerance = spec.tolerance + (lines as i64 + 1) / 2;
        let d = spec.tolerance + 1 + extra;
        let signed = if negative { -d } else { d };
        let amount = |v: &Value| v.as_i64().unwrap();
        match target {
            0 => {
                // order_amount; with an excluded selected option, the option's price would read as "included".
                let mut d = d;
                if let gen::Shipping::Selected { price, included: false, .. } = spec.shipping {
                    if d == price { d += 1; }
                }
                order["order_amount"] = json!(amount(&order["order_amount"]) + d);
            }
            1 => order["order_tax_amount"] = json!(amount(&order["order_tax_amount"]) + d),
            2 => {
                let k = pick.index(lines);
                order["order_lines"][k]["total_amount"] = json!(amount(&order["order_lines"][k]["total_amount"]) + d);
            }
            3 => {
                let k = pick.index(lines);
                let u = amount(&order["order_lines"][k]["unit_price"]);
                order["order_lines"][k]["unit_price"] = json!(u + 2 + extra);
            }
            4 => {
                let total = amount(&order["order_amount"]) + shipping_not_in_order(&spec);
                store["cart"]["total"] = json!(gen::decimal(total + signed, exp));
            }
            5 => {
                let tax = amount(&order["order_tax_amount"]) + shipping_tax_not_in_order(&spec);
                let d = tax_tolerance + 1 + extra;
                store["cart"]["total_tax"] = json!(gen::decimal(tax + if negative { -d } else { d }, exp));
            }
            _ => {
                let k = pick.index(goods);
                let line = &order["order_lines"][k];
                let (total, tax) = (amount(&line["total_amount"]), amount(&line["total_tax_amount"]));
                store["cart"]["lines"][k]["total"] = json!(gen::decimal(total - tax + signed, exp));
            }
        }
        let v = decide(&order, &store);
        prop_assert!(has_money_failure(&v), "target {}: {:#}", target, v.to_value());
    }

    #[test]
    fn the_verdict_does_not_depend_on_the_order_of_the_lines(
        // Few lines, many troubles: interactions between lines (shared stock, trials) are what matters.
        spec in order_spec_of(1..=4),
        troubles in prop::collection::vec((0u8..10, any::<prop::sample::Index>()), 0..8),
        keys in prop::collection::vec(any::<u32>(), 13),
        cart_keys in prop::collection::vec(any::<u32>(), 12),
    ) {
        let (mut order, mut store) = gen::build(&spec);
        make_trouble(&spec, &mut order, &mut store, &troubles);
        let before = decide(&order, &store);

        let lines = order["order_lines"].as_array().unwrap().clone();
        let mut idx: Vec<usize> = (0..lines.len()).collect();
        idx.sort_by_key(|&i| (keys[i], i));
        order["order_lines"] = Value::Array(idx.iter().map(|&i| lines[i].clone()).collect());
        let cart = store["cart"]["lines"].as_array().unwrap().clone();
        let mut idx: Vec<usize> = (0..cart.len()).collect();
        idx.sort_by_key(|&i| (cart_keys[i], i));
        store["cart"]["lines"] = Value::Array(idx.iter().map(|&i| cart[i].clone()).collect());
        let after = decide(&order, &store);

        prop_assert_eq!(normalised(&before), normalised(&after), "before {:#}\nafter {:#}", before.to_value(), after.to_value());
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_order(&body);
    }

    #[test]
    fn parse_never_panics_on_json_like_text(body in "[{}\\[\\]\",:0-9a-z_ .eE+-]{0,300}") {
        let _ = parse_order(body.as_bytes());
    }

    #[test]
    fn parse_and_validate_never_panic_on_mutated_fixtures(
        which in 0usize..FIXTURES.len(),
        mutations in prop::collection::vec((0u8..4, any::<prop::sample::Index>(), any::<u8>(), 1usize..40), 1..8),
    ) {
        let mut body = common::klarna_bytes(FIXTURES[which]);
        for (kind, at, byte, len) in mutations {
            let i = at.index(body.len() + 1);
            match kind {
                0 if i < body.len() => body[i] = byte,
                1 => { let end = (i + len).min(body.len()); body.drain(i..end); }
                2 => body.splice(i..i, std::iter::repeat_n(byte, len % 4 + 1)).for_each(drop),
                _ => {
                    let end = (i + len).min(body.len());
                    let slice = body[i..end].to_vec();
                    body.splice(i..i, slice).for_each(drop);
                }
            }
        }
        if let Ok(order) = parse_order(&body) {
            let store = Store::from_json(&common::store_text(FIXTURES[which])).unwrap();
            let _ = validate(&order, &store);
        }
    }

}

proptest! {
    // Extreme values in exactly the wrong place are rare: many cases.
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn validate_never_panics_on_snapshots_with_random_values_in_random_places(
        which in 0usize..FIXTURES.len(),
        store_changes in prop::collection::vec(change(), 1..6),
        order_changes in prop::collection::vec(change(), 0..3),
    ) {
        let mut case = Case::fixture(FIXTURES[which]);
        for c in &store_changes {
            c.apply(&mut case.store);
        }
        for c in &order_changes {
            c.apply(&mut case.order);
        }
        let body = serde_json::to_vec(&case.order).unwrap();
        if let (Ok(order), Ok(store)) = (parse_order(&body), Store::from_value(case.store.clone())) {
            if let Ok(v) = validate(&order, &store) {
                // A verdict is always consistent with itself.
                prop_assert_eq!(v.approved(), v.response.status == 200);
                prop_assert_eq!(v.approved(), v.flag.is_none());
            }
        }
    }
}

/// One change to a JSON tree: at a pointer (mostly a leaf), either an extreme of the same type or any value.
#[derive(Debug, Clone)]
struct Change {
    at: prop::sample::Index,
    leaf: bool,
    same_type: bool,
    extreme: prop::sample::Index,
    value: Value,
}

fn change() -> impl Strategy<Value = Change> {
    (
        any::<prop::sample::Index>(),
        prop::bool::weighted(0.8),
        any::<bool>(),
        any::<prop::sample::Index>(),
        any_value(),
    )
        .prop_map(|(at, leaf, same_type, extreme, value)| Change {
            at,
            leaf,
            same_type,
            extreme,
            value,
        })
}

const EXTREME_INTS: [i64; 10] = [
    i64::MIN,
    i64::MAX,
    i64::MIN + 1,
    i64::MAX - 1,
    -1,
    0,
    1,
    1_000_000_000,
    10_000_000_000_000,
    -10_000_000_000_000,
];
const EXTREME_MONEY: [&str; 8] = [
    "92233720368547758.07",
    "-92233720368547758.08",
    "92233720368547.758",
    "-9223372036854775.8",
    "99999999999999999999999999",
    "0.005",
    "-0.005",
    "0",
];

impl Change {
    fn apply(&self, root: &mut Value) {
        let all = pointers(root);
        let leaves: Vec<&String> = all
            .iter()
            .filter(|p| {
                !root
                    .pointer(p)
                    .is_some_and(|v| v.is_object() || v.is_array())
            })
            .collect();
        let p = if self.leaf && !leaves.is_empty() {
            leaves[self.at.index(leaves.len())].clone()
        } else {
            all[self.at.index(all.len())].clone()
        };
        if p.is_empty() {
            return;
        }
        let value = match root.pointer(&p) {
            Some(Value::Number(_)) if self.same_type => json!(*self.extreme.get(&EXTREME_INTS)),
            Some(Value::String(_)) if self.same_type => json!(*self.extreme.get(&EXTREME_MONEY)),
            Some(Value::Bool(b)) if self.same_type => json!(!b),
            _ => self.value.clone(),
        };
        common::put(root, &p, value);
    }
}

/// The selected option's price when Klarna's `order_amount` leaves it out (the cart's total holds it).
fn shipping_not_in_order(spec: &gen::OrderSpec) -> i64 {
    match spec.shipping {
        gen::Shipping::Selected {
            price,
            included: false,
            ..
        } => price,
        _ => 0,
    }
}

fn shipping_tax_not_in_order(spec: &gen::OrderSpec) -> i64 {
    match spec.shipping {
        gen::Shipping::Selected {
            price,
            tax_rate,
            included: false,
        } => gen::tax_of(price, tax_rate),
        _ => 0,
    }
}

/// Store (and order) changes that make the decision interesting: stock, shared stock owners, unknown products,
/// subscriptions with trials, virtual products, missing shipping. Products that share a stock owner keep the
/// owner's stock fields consistent, as the contract says they describe the owner.
fn make_trouble(
    spec: &gen::OrderSpec,
    order: &mut Value,
    store: &mut Value,
    troubles: &[(u8, prop::sample::Index)],
) {
    let n = spec.lines.len();
    for (kind, at) in troubles {
        let i = at.index(n);
        let r = gen::reference(i);
        let q = spec.lines[i].quantity;
        let Some(p) = store["products"].get_mut(&r) else {
            continue;
        };
        match kind {
            0 => {
                p["manage_stock"] = json!(true);
                p["stock_quantity"] = json!(0);
            }
            1 => p["stock_status"] = json!("outofstock"),
            2 => p["purchasable"] = json!(false),
            3 => {
                store["products"].as_object_mut().unwrap().remove(&r);
            }
            4 => {
                p["subscription"] = json!(true);
                p["trial_length"] = json!(7);
                store["checkout"]["subscriptions_active"] = json!(true);
            }
            5 => {
                // Share the stock of line 0's product (two variations of one parent).
                p["stock_owner_id"] = json!(gen::product_id(0));
            }
            6 => {
                p["manage_stock"] = json!(true);
                p["stock_quantity"] = json!(q - 1);
            }
            7 => p["held"] = json!(q),
            8 => p["virtual"] = json!(true),
            _ => {
                // Drop the shipping from the order (a shipping_fee line or the selected option).
                let lines = order["order_lines"].as_array_mut().unwrap();
                lines.retain(|l| l["type"] != "shipping_fee");
                order
                    .as_object_mut()
                    .unwrap()
                    .remove("selected_shipping_option");
            }
        }
    }
    // Stock fields describe the owner: copy them from the first product (in key order) of each owner.
    let products = store["products"].as_object_mut().unwrap();
    let mut owners: std::collections::BTreeMap<i64, Value> = Default::default();
    for p in products.values_mut() {
        let owner = p["stock_owner_id"].as_i64().unwrap();
        let fields = owners.entry(owner).or_insert_with(|| {
            json!({"manage_stock": p["manage_stock"], "stock_quantity": p["stock_quantity"],
                   "held": p["held"], "backorders": p["backorders"]})
        });
        for (k, v) in fields.as_object().unwrap() {
            p[k] = v.clone();
        }
    }
}

/// Every JSON pointer inside a value ("" for the root).
fn pointers(v: &Value) -> Vec<String> {
    fn walk(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    walk(
                        child,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

/// Values a plugin bug or a hostile snapshot might hold: extremes, wrong types, near-valid strings.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            i64::MIN,
            i64::MAX,
            i64::MIN + 1,
            i64::MAX - 1,
            -1,
            0,
            1,
            2,
            1_000_000_000,
            10_000_000_000_000,
        ])
        .prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e20f64..1e20).prop_map(Value::from),
        "-?[0-9]{1,22}(\\.[0-9]{1,8})?".prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "0",
            "-0",
            "1e3",
            "outofstock",
            "instock",
            "onbackorder",
            "yes",
            "notify",
            "no",
            "redirect",
            "error_json",
            "ignore",
            "deny",
            "SEK",
            "JPY",
            "KWD",
            "https://x.example/?a#b",
            "92233720368547758.07",
            "-92233720368547758.08",
            "99999999999999999999999999",
        ])
        .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
