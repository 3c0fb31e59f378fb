//! Generated orders: Klarna bodies whose line arithmetic holds, with a store snapshot built to match, so that
//! the pair is approved. Shared by the property tests (`tests/properties.rs`), the generator test in
//! `tests/fixtures_approve.rs` and the benchmarks (`benches/decide.rs`, through `#[path]`).
#![allow(dead_code)]

use serde_json::{json, Value};

/// One goods line.
#[derive(Clone, Debug)]
pub struct LineSpec {
    pub quantity: i64,
    /// Minor units, including tax.
    pub unit_price: i64,
    /// Basis points.
    pub tax_rate: i64,
    /// `total_discount_amount`; at most `quantity × unit_price`.
    pub discount: i64,
    /// A `digital` line on a virtual product (else `physical`).
    pub digital: bool,
}

/// How shipping travels.
#[derive(Clone, Debug)]
pub enum Shipping {
    /// None: every line is made digital, so that no shipping is needed.
    None,
    /// A `shipping_fee` order line.
    FeeLine { price: i64, tax_rate: i64 },
    /// A `selected_shipping_option`; `included` says whether `order_amount` holds its price (klarna-order.md §5.7).
    Selected {
        price: i64,
        tax_rate: i64,
        included: bool,
    },
}

#[derive(Clone, Debug)]
pub struct OrderSpec {
    pub currency: &'static str,
    pub lines: Vec<LineSpec>,
    pub shipping: Shipping,
    /// `options.total_tolerance`.
    pub tolerance: i64,
}

/// ISO 4217 exponent of the currencies the generator uses.
pub fn exponent(currency: &str) -> u32 {
    match currency {
        "JPY" | "ISK" | "KRW" => 0,
        "KWD" | "BHD" | "OMR" => 3,
        _ => 2,
    }
}

/// Minor units as the decimal string WooCommerce would store ("1234.50", "-0.05", "7").
pub fn decimal(minor: i64, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        m / scale as u64,
        m % scale as u64,
        width = exponent as usize
    )
}

/// The tax inside an amount that includes it, rounded half away from zero (Klarna's formula, exactly).
pub fn tax_of(amount: i64, tax_rate: i64) -> i64 {
    let (a, r) = (i128::from(amount), i128::from(tax_rate));
    let num = a * r;
    let den = 10_000 + r;
    let q = (2 * num.abs() + den) / (2 * den);
    (if num < 0 { -q } else { q }) as i64
}

pub fn reference(i: usize) -> String {
    format!("GEN-{i:04}")
}

pub fn product_id(i: usize) -> i64 {
    1000 + i as i64
}

/// Every fourth goods line (3, 7, …) is a variation: its cart line's `product_id` is this parent and its
/// `variation_id` is [`product_id`] (the id its `products` entry has).
pub fn is_variation(i: usize) -> bool {
    i % 4 == 3
}

pub fn parent_id(i: usize) -> i64 {
    50_000 + i as i64
}

/// A coupon with product rules (`discount_type`, `product_ids`, `excluded_product_ids`) built against the cart of
/// [`build`], whose outcome is known by construction. `line` is taken modulo the number of goods lines.
#[derive(Clone, Debug)]
pub enum ProductRule {
    /// A cart coupon listing a product of the cart (its parent when `via_parent` and it is a variation): applies.
    Listed { line: usize, via_parent: bool },
    /// A cart or product coupon listing only products not in the cart: `not_applicable`.
    NotListed { product_type: bool },
    /// A cart coupon excluding a product of the cart (or its parent): `excluded_product`.
    Excluded { line: usize, via_parent: bool },
    /// A product coupon excluding every product of the cart (variations by their parent): `not_applicable`.
    AllExcluded,
    /// A product coupon excluding every product of the cart but one: applies, to that one.
    OneEligible { line: usize },
}

/// The types WooCommerce validates as cart coupons (`fixed_cart`, and a plugin's own type) and as product coupons.
pub const CART_TYPES: [&str; 2] = ["fixed_cart", "sign_up_fee"];
pub const PRODUCT_TYPES: [&str; 3] = ["fixed_product", "percent", "percent_product"];

/// Applies `rule` as the coupon `gen-rule` (type chosen by `pick`) to the store built by [`build`] for `lines` goods
/// lines, and returns the `coupon_invalid` reasons the verdict must have.
pub fn product_rule_coupon(
    store: &mut Value,
    lines: usize,
    rule: &ProductRule,
    pick: usize,
) -> Vec<&'static str> {
    let n = lines.max(1);
    let id = |i: usize, via_parent: bool| {
        if via_parent && is_variation(i) {
            parent_id(i)
        } else {
            product_id(i)
        }
    };
    let cart = CART_TYPES[pick % CART_TYPES.len()];
    let product = PRODUCT_TYPES[pick % PRODUCT_TYPES.len()];
    let foreign = 999_999;
    let (ty, ids, excluded, reasons): (&str, Vec<i64>, Vec<i64>, Vec<&'static str>) = match *rule {
        ProductRule::Listed { line, via_parent } => (
            cart,
            vec![foreign, id(line % n, via_parent)],
            vec![],
            vec![],
        ),
        ProductRule::NotListed { product_type } => (
            if product_type { product } else { cart },
            vec![foreign],
            vec![],
            vec!["not_applicable"],
        ),
        ProductRule::Excluded { line, via_parent } => (
            cart,
            vec![],
            vec![id(line % n, via_parent)],
            vec!["excluded_product"],
        ),
        ProductRule::AllExcluded => (
            product,
            vec![],
            (0..n).map(|i| id(i, true)).collect(),
            vec!["not_applicable"],
        ),
        ProductRule::OneEligible { line } => (
            product,
            vec![],
            (0..n)
                .filter(|i| *i != line % n)
                .map(|i| id(i, i % 2 == 0))
                .collect(),
            vec![],
        ),
    };
    store["cart"]["coupons"] = json!(["gen-rule"]);
    store["coupons"] = json!({ "gen-rule": {
        "exists": true,
        "discount_type": ty,
        "product_ids": ids,
        "excluded_product_ids": excluded,
    }});
    reasons
}

/// Builds the Klarna body and the approving store snapshot.
pub fn build(spec: &OrderSpec) -> (Value, Value) {
    let exp = exponent(spec.currency);
    let all_digital = matches!(spec.shipping, Shipping::None);
    let mut order_lines = Vec::new();
    let mut cart_lines = Vec::new();
    let mut products = serde_json::Map::new();
    let (mut lines_total, mut lines_tax, mut subtotal_ex) = (0i64, 0i64, 0i64);
    for (i, l) in spec.lines.iter().enumerate() {
        let digital = l.digital || all_digital;
        let gross = l.quantity * l.unit_price;
        let total = gross - l.discount;
        let tax = tax_of(total, l.tax_rate);
        lines_total += total;
        lines_tax += tax;
        order_lines.push(json!({
            "type": if digital { "digital" } else { "physical" },
            "reference": reference(i),
            "name": format!("Generated product {i}"),
            "quantity": l.quantity,
            "quantity_unit": "pcs",
            "unit_price": l.unit_price,
            "tax_rate": l.tax_rate,
            "total_amount": total,
            "total_discount_amount": l.discount,
            "total_tax_amount": tax,
        }));
        let (parent, variation) = if is_variation(i) {
            (parent_id(i), product_id(i))
        } else {
            (product_id(i), 0)
        };
        let mut cart_line = json!({
            "product_id": parent,
            "variation_id": variation,
            "reference": reference(i),
            "quantity": l.quantity,
            "total": decimal(total - tax, exp),
            "tax": decimal(tax, exp),
        });
        if l.discount > 0 {
            let gross_tax = tax_of(gross, l.tax_rate);
            cart_line["subtotal"] = json!(decimal(gross - gross_tax, exp));
            cart_line["subtotal_tax"] = json!(decimal(gross_tax, exp));
            subtotal_ex += gross - gross_tax;
        } else {
            subtotal_ex += total - tax;
        }
        cart_lines.push(cart_line);
        let managed = i % 3 != 2;
        products.insert(
            reference(i),
            json!({
                "id": product_id(i),
                "stock_owner_id": product_id(i),
                "purchasable": true,
                "virtual": digital,
                "manage_stock": managed,
                "stock_quantity": if managed { json!(l.quantity + (i as i64 % 4)) } else { Value::Null },
                "held": 0,
                "stock_status": "instock",
                "backorders": "no",
                "name": format!("Generated product {i}"),
            }),
        );
    }
    let (mut cart_total, mut cart_tax) = (lines_total, lines_tax);
    let (mut order_amount, mut order_tax) = (lines_total, lines_tax);
    let mut rates: Vec<&str> = Vec::new();
    let mut selected = Value::Null;
    match spec.shipping {
        Shipping::None => {}
        Shipping::FeeLine { price, tax_rate } => {
            let tax = tax_of(price, tax_rate);
            order_lines.push(json!({
                "type": "shipping_fee",
                "reference": "flat_rate:1",
                "name": "Flat rate",
                "quantity": 1,
                "unit_price": price,
                "tax_rate": tax_rate,
                "total_amount": price,
                "total_discount_amount": 0,
                "total_tax_amount": tax,
            }));
            order_amount += price;
            order_tax += tax;
            cart_total += price;
            cart_tax += tax;
            rates.push("flat_rate:1");
        }
        Shipping::Selected {
            price,
            tax_rate,
            included,
        } => {
            let tax = tax_of(price, tax_rate);
            selected = json!({
                "id": "ksa-pickup",
                "name": "Pickup point",
                "price": price,
                "tax_amount": tax,
                "tax_rate": tax_rate,
            });
            if included {
                order_amount += price;
                order_tax += tax;
            }
            cart_total += price;
            cart_tax += tax;
            rates.push("ksa-pickup");
        }
    }
    let mut order = json!({
        "order_id": "9b2c6d0e-1f2a-5b3c-8d4e-5f6a7b8c9d0e",
        "status": "checkout_incomplete",
        "purchase_country": "se",
        "purchase_currency": spec.currency,
        "locale": "sv-SE",
        "billing_address": { "email": "gen@example.se", "country": "se", "postal_code": "11728" },
        "order_amount": order_amount,
        "order_tax_amount": order_tax,
        "order_lines": order_lines,
        "merchant_data": "{\"is_user_logged_in\":false}",
    });
    if !selected.is_null() {
        order["selected_shipping_option"] = selected;
    }
    let store = json!({
        "currency": spec.currency,
        "price_decimals": exp,
        "now": 1764000000,
        "session": { "found": true, "expired": false, "customer_id": "t_0123456789abcdef0123456789abcd" },
        "cart": {
            "total": decimal(cart_total, exp),
            "total_tax": decimal(cart_tax, exp),
            "subtotal": decimal(subtotal_ex, exp),
            "needs_shipping": !rates.is_empty(),
            "chosen_shipping": rates,
            "available_shipping": rates,
            "lines": cart_lines,
            "coupons": [],
        },
        "products": products,
        "coupons": {},
        "customer": { "logged_in": false, "user_id": 0, "email_exists": false },
        "checkout": { "registration_required": false, "registration_enabled": true, "subscriptions_active": false },
        "urls": { "cart": "https://shop.example/cart/", "checkout": "https://shop.example/checkout/" },
        "options": { "total_tolerance": spec.tolerance },
    });
    (order, store)
}

/// A deterministic order of exactly `lines` order lines (a small xorshift generator seeded with `seed`), for
/// benchmarks: `lines − 1` goods lines and a `shipping_fee` line, or one digital line alone.
pub fn spec_for(lines: usize, seed: u64) -> OrderSpec {
    let n = if lines > 1 { lines - 1 } else { lines };
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |bound: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % bound
    };
    const RATES: [i64; 4] = [2500, 1200, 600, 0];
    let goods = (0..n)
        .map(|_| {
            let quantity = 1 + next(5) as i64;
            let unit_price = 100 * (10 + next(2000) as i64);
            let discount = if next(4) == 0 {
                quantity * unit_price / 10
            } else {
                0
            };
            LineSpec {
                quantity,
                unit_price,
                tax_rate: RATES[next(4) as usize],
                discount,
                digital: next(6) == 0,
            }
        })
        .collect();
    OrderSpec {
        currency: "SEK",
        lines: goods,
        shipping: if lines > 1 {
            Shipping::FeeLine {
                price: 4900,
                tax_rate: 2500,
            }
        } else {
            Shipping::None
        },
        tolerance: 0,
    }
}
