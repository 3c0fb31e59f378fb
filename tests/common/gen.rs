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
        let mut cart_line = json!({
            "product_id": product_id(i),
            "variation_id": 0,
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
