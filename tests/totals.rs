//! Totals, exactly, in the currency's minor units (D11): Klarna's own arithmetic, the grand total and tax against
//! the cart, each line against its cart line, and a selected shipping option counted once.

mod common;

use common::{assert_approved, assert_codes, gen, reasons, Case};
use serde_json::json;

#[test]
fn grand_total_off_by_one_unit() {
    let mut case = Case::fixture("01");
    case.store("/cart/total", json!("846.01"));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["grand_total"]);
    let f = v.failures[0].to_value();
    assert_eq!(
        f["message"],
        "The order total 846.00 SEK does not match your cart total 846.01 SEK."
    );
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!(84601), json!(84600))
    );
    assert_eq!(
        f["params"],
        json!({
            "order_total": {"minor": 84600, "currency": "SEK"},
            "cart_total": {"minor": 84601, "currency": "SEK"}
        })
    );
    assert_eq!(v.flag, Some("totals_dont_match"));
    case.store("/options/total_tolerance", json!(1));
    assert_approved(&case.decide());
    case.store("/cart/total", json!("845.99"));
    assert_approved(&case.decide());
    case.store("/cart/total", json!("845.98"));
    assert_eq!(reasons(&case.decide(), "totals_mismatch"), ["grand_total"]);
}

#[test]
fn cart_amounts_are_rounded_half_away_from_zero() {
    let mut case = Case::fixture("01");
    case.store("/cart/total", json!("846.004999"));
    assert_approved(&case.decide());
    case.store("/cart/total", json!("845.995"));
    assert_approved(&case.decide());
    case.store("/cart/total", json!("846.005"));
    assert_codes(&case.decide(), &["totals_mismatch"]);
    // An int is a whole amount.
    case.store("/cart/total", json!(846));
    assert_approved(&case.decide());
}

#[test]
fn tax_total_allows_per_line_rounding_only() {
    // Three lines: Klarna rounds per line, WooCommerce per cart, so (3 + 1) / 2 = 2 units are allowed.
    let mut case = Case::fixture("01");
    case.store("/cart/total_tax", json!("169.22"));
    assert_approved(&case.decide());
    case.store("/cart/total_tax", json!("169.18"));
    assert_approved(&case.decide());
    case.store("/cart/total_tax", json!("169.23"));
    let v = case.decide();
    assert_codes(&v, &["tax_mismatch"]);
    assert_eq!(reasons(&v, "tax_mismatch"), ["tax_total"]);
    assert_eq!(
        v.failures[0].message,
        "The order tax 169.20 SEK does not match your cart tax 169.23 SEK."
    );
    assert_eq!(v.flag, Some("totals_dont_match"));
    // The tolerance adds to it.
    case.store("/options/total_tolerance", json!(1));
    assert_approved(&case.decide());
}

#[test]
fn a_line_whose_price_differs_from_the_cart() {
    let mut case = Case::fixture("01");
    case.store("/cart/lines/0/total", json!("238.41"));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["line"]);
    let f = v.failures[0].to_value();
    assert_eq!(
        f["message"],
        "The price of \"Kaffekopp i stengods, 30 cl\" in the order (298.00 SEK) does not match your cart (298.01 SEK)."
    );
    assert_eq!(f["reference"], "KOPP-STG-01");
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!(29801), json!(29800))
    );
    case.store("/options/total_tolerance", json!(1));
    assert_approved(&case.decide());
}

#[test]
fn lines_compare_before_discount_when_the_discount_is_a_separate_line() {
    // Sample 02: Klarna's goods lines are before the 10 % discount line, the cart's totals after it.
    let mut case = Case::fixture("02");
    assert_approved(&case.decide());
    // Without the pre-discount subtotal the line cannot be matched.
    case.store("/cart/lines/0/subtotal", json!(null));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["line"]);
    assert_eq!(v.failures[0].reference.as_deref(), Some("KOPP-STG-01"));
}

#[test]
fn lines_compare_after_a_per_line_discount() {
    // Sample 04: the shoes carry total_discount_amount 1500; the cart line total is after it.
    let mut case = Case::fixture("04");
    assert_approved(&case.decide());
    case.store("/cart/lines/0/total", json!("109.20"))
        .store("/cart/lines/0/tax", json!("20.75"));
    let v = case.decide();
    assert_eq!(reasons(&v, "totals_mismatch"), ["line"]);
}

#[test]
fn klarna_line_arithmetic_broken() {
    let mut case = Case::fixture("01");
    // 2 × 150.00 is not 298.00.
    case.order("/order_lines/0/unit_price", json!(15000));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["line_arithmetic"]);
    let f = v.failures[0].to_value();
    assert_eq!(
        f["message"],
        "The amounts of \"Kaffekopp i stengods, 30 cl\" in the Klarna order do not add up."
    );
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!(30000), json!(29800))
    );
    // Within ±quantity (unit prices rounded per unit) it holds.
    case.order("/order_lines/0/unit_price", json!(14901));
    assert_approved(&case.decide());
    case.order("/order_lines/0/unit_price", json!(14902));
    assert_eq!(
        reasons(&case.decide(), "totals_mismatch"),
        ["line_arithmetic"]
    );
    // A discount that is not subtracted.
    let mut case = Case::fixture("04");
    case.order("/order_lines/0/total_discount_amount", json!(1400));
    assert_eq!(
        reasons(&case.decide(), "totals_mismatch"),
        ["line_arithmetic"]
    );
}

#[test]
fn order_amount_is_not_the_sum_of_its_lines() {
    let mut case = Case::fixture("01");
    case.order("/order_amount", json!(84700));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["order_sum", "grand_total"]);
    assert_eq!(
        v.failures[0].message,
        "The Klarna order total does not equal the sum of its lines."
    );
    assert_eq!(v.failures[0].to_value()["expected"], 84600);
    assert_eq!(v.failures[0].to_value()["actual"], 84700);

    let mut case = Case::fixture("01");
    case.order("/order_tax_amount", json!(16921));
    let v = case.decide();
    assert_codes(&v, &["tax_mismatch"]);
    assert_eq!(reasons(&v, "tax_mismatch"), ["order_sum"]);
    assert_eq!(
        v.failures[0].message,
        "The Klarna order tax does not equal the sum of its lines."
    );
}

#[test]
fn a_discount_line_counts_in_the_sum() {
    let mut case = Case::fixture("02");
    case.drop_order("/order_lines/3");
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch", "tax_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["order_sum"]);
}

fn one_line(currency: &'static str, unit_price: i64) -> Case {
    let spec = gen::OrderSpec {
        currency,
        lines: vec![gen::LineSpec {
            quantity: 3,
            unit_price,
            tax_rate: 1000,
            discount: 0,
            digital: true,
        }],
        shipping: gen::Shipping::None,
        tolerance: 0,
    };
    let (order, store) = gen::build(&spec);
    Case::new(order, store)
}

#[test]
fn zero_decimal_currency_compares_whole_units() {
    // JPY: 3 × 1 500 = 4 500 yen; Klarna's minor unit is the yen.
    let mut case = one_line("JPY", 1500);
    assert_eq!(case.store["cart"]["total"], "4500");
    assert_approved(&case.decide());
    // A shop that writes two decimals means the same amount.
    case.store("/cart/total", json!("4500.00"));
    assert_approved(&case.decide());
    case.store("/cart/total", json!("4501"));
    let v = case.decide();
    assert_eq!(reasons(&v, "totals_mismatch"), ["grand_total"]);
    assert_eq!(
        v.failures[0].message,
        "The order total 4500 JPY does not match your cart total 4501 JPY."
    );
    // Half a yen rounds up to a whole one.
    case.store("/cart/total", json!("4500.5"));
    assert_eq!(reasons(&case.decide(), "totals_mismatch"), ["grand_total"]);
    case.store("/cart/total", json!("4500.49"));
    assert_approved(&case.decide());
}

#[test]
fn three_decimal_currency_compares_fils() {
    // KWD: 3 × 12.345 = 37.035 dinar = 37035 fils.
    let mut case = one_line("KWD", 12345);
    assert_eq!(case.store["cart"]["total"], "37.035");
    assert_approved(&case.decide());
    case.store("/cart/total", json!("37.04"));
    let v = case.decide();
    assert_eq!(reasons(&v, "totals_mismatch"), ["grand_total"]);
    assert_eq!(v.failures[0].to_value()["expected"], 37040);
    assert_eq!(
        v.failures[0].message,
        "The order total 37.035 KWD does not match your cart total 37.040 KWD."
    );
    case.store("/options/total_tolerance", json!(5));
    assert_approved(&case.decide());
}

#[test]
fn selected_shipping_option_is_counted_once_under_both_conventions() {
    // Excludes (as sent): 139700 + 5900 = the cart's 1456.00.
    let mut case = Case::fixture("07");
    assert_approved(&case.decide());
    // Includes: 145600 already holds it.
    case.order("/order_amount", json!(145600))
        .order("/order_tax_amount", json!(29120));
    assert_approved(&case.decide());
    // Shipping is never dropped: a cart without it does not match either way.
    case.store("/cart/total", json!("1397.00"))
        .store("/cart/total_tax", json!("279.40"));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch", "tax_mismatch"]);
    assert_eq!(
        v.failures[0].message,
        "The order total 1456.00 SEK does not match your cart total 1397.00 SEK."
    );
    let mut case = Case::fixture("07");
    case.store("/cart/total", json!("1397.00"))
        .store("/cart/total_tax", json!("279.40"));
    assert_eq!(reasons(&case.decide(), "totals_mismatch"), ["grand_total"]);
    // Nor counted twice: a cart total with shipping twice does not match.
    let mut case = Case::fixture("07");
    case.order("/order_amount", json!(145600))
        .order("/order_tax_amount", json!(29120))
        .store("/cart/total", json!("1515.00"));
    assert_eq!(reasons(&case.decide(), "totals_mismatch"), ["grand_total"]);
}

#[test]
fn selected_shipping_option_under_neither_convention() {
    let mut case = Case::fixture("07");
    case.order("/order_amount", json!(140000));
    let v = case.decide();
    assert_eq!(reasons(&v, "totals_mismatch"), ["order_sum", "grand_total"]);
    assert_eq!(v.failures[0].to_value()["expected"], 139700);
}

#[test]
fn us_style_sales_tax_line() {
    // Every line at 0 %, the tax in a sales_tax line; order_tax_amount is that line's amount.
    let mut case = Case::fixture("05");
    let lines = json!([
        {"type": "physical", "reference": "SCARF-MER-GRY", "name": "Scarf", "quantity": 1, "unit_price": 3750,
         "tax_rate": 0, "total_amount": 3750, "total_tax_amount": 0},
        {"type": "physical", "reference": "BK-9780141439600", "name": "Book", "quantity": 2, "unit_price": 799,
         "tax_rate": 0, "total_amount": 1598, "total_tax_amount": 0},
        {"type": "shipping_fee", "reference": "royal_mail_tracked_48", "name": "Shipping", "quantity": 1,
         "unit_price": 329, "tax_rate": 0, "total_amount": 329, "total_tax_amount": 0},
        {"type": "sales_tax", "reference": "tax", "name": "Sales Tax", "quantity": 1, "unit_price": 816,
         "tax_rate": 0, "total_amount": 816, "total_tax_amount": 0}
    ]);
    case.order("/order_lines", lines)
        .order("/order_amount", json!(6493))
        .order("/order_tax_amount", json!(816))
        .store("/cart/lines/0/tax", json!("0"))
        .store("/cart/lines/0/total", json!("37.50"));
    assert_approved(&case.decide());
    // Off by more than the rounding allowance ((4 + 1) / 2 = 2).
    case.order("/order_tax_amount", json!(819));
    assert_eq!(
        reasons(&case.decide(), "tax_mismatch"),
        ["order_sum", "tax_total"]
    );
}

#[test]
fn totals_are_not_compared_across_currencies() {
    let mut case = Case::fixture("01");
    case.store("/currency", json!("NOK"))
        .store("/cart/total", json!("1"));
    assert_codes(&case.decide(), &["currency_mismatch"]);
}

#[test]
fn extreme_cart_figures_neither_panic_nor_wrap() {
    // Found by properties.rs: differences and sums of snapshot amounts overflowed i64.
    let mut case = Case::fixture("01");
    case.store("/cart/total", json!("-92233720368547758.08"));
    assert_eq!(reasons(&case.decide(), "totals_mismatch"), ["grand_total"]);
    let mut case = Case::fixture("01");
    case.store("/cart/total_tax", json!("-92233720368547758.08"));
    assert_eq!(reasons(&case.decide(), "tax_mismatch"), ["tax_total"]);
    let mut case = Case::fixture("01");
    case.store("/options/total_tolerance", json!(i64::MAX))
        .store("/cart/total", json!("0"));
    assert_approved(&case.decide());
    // Two cart lines of one item whose amounts add up beyond i64.
    let mut case = Case::fixture("01");
    let mut line = case.store["cart"]["lines"][0].clone();
    line["quantity"] = json!(i64::MAX);
    line["total"] = json!("92233720368547758.00");
    line["tax"] = json!("0");
    case.store("/cart/lines/-", line.clone())
        .store("/cart/lines/-", line);
    let v = case.decide();
    assert_eq!(reasons(&v, "cart_mismatch"), ["quantity"]);
    assert_eq!(v.failures[0].to_value()["expected"], i64::MAX);
}

/// A product whose stored price changed since WooCommerce last calculated the cart (the plugin records the price
/// then): WooCommerce's checkout would calculate the cart again and not match Klarna's order.
#[test]
fn a_price_changed_since_the_cart_was_calculated_is_a_totals_mismatch() {
    let mut case = Case::fixture("01");
    case.store("/cart/lines/0/price_then", json!("149"))
        .store("/products/KOPP-STG-01/price", json!("169.00"));
    let v = case.decide();
    assert_codes(&v, &["totals_mismatch"]);
    assert_eq!(reasons(&v, "totals_mismatch"), ["price_changed"]);
    let f = v.failures[0].to_value();
    assert_eq!(f["reference"], "KOPP-STG-01");
    assert_eq!(
        f["params"]["price_then"],
        json!({"minor": 14900, "currency": "SEK"})
    );
    assert_eq!(
        f["params"]["price_now"],
        json!({"minor": 16900, "currency": "SEK"})
    );
    assert!(f["params"]["name"].is_string());
    assert_eq!(v.flag, Some("totals_dont_match"));

    // The same price written otherwise, no price recorded, or no price now: nothing to say.
    for (then, now) in [
        (json!("149"), json!("149.00")),
        (json!(null), json!("169")),
        (json!("149"), json!(null)),
    ] {
        let mut case = Case::fixture("01");
        case.store("/cart/lines/0/price_then", then)
            .store("/products/KOPP-STG-01/price", now);
        assert_approved(&case.decide());
    }
}
