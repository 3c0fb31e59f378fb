//! The shopper's session (D13) and the currency: without a cart nothing is compared with it.

mod common;

use common::{assert_approved, assert_codes, reasons, Case};
use serde_json::json;

#[test]
fn session_not_found() {
    let mut case = Case::fixture("01");
    case.store("/session/found", json!(false));
    let v = case.decide();
    assert_codes(&v, &["session_missing"]);
    assert_eq!(reasons(&v, "session_missing"), ["not_found"]);
    assert_eq!(
        v.failures[0].message,
        "Your shopping session could not be found. Please try again."
    );
    assert_eq!(v.flag, Some("unable_to_process"));
    assert_eq!(
        v.response.location.as_deref(),
        Some("https://shop.example/checkout/?unable_to_process&kco_validation=session_missing")
    );
}

#[test]
fn session_expired() {
    let mut case = Case::fixture("01");
    case.store("/session/expired", json!(true));
    let v = case.decide();
    assert_codes(&v, &["session_missing"]);
    assert_eq!(reasons(&v, "session_missing"), ["expired"]);
    assert_eq!(
        v.failures[0].message,
        "Your shopping session has expired. Please try again."
    );
    // Not found wins over expired: one failure.
    case.store("/session/found", json!(false));
    assert_eq!(reasons(&case.decide(), "session_missing"), ["not_found"]);
}

#[test]
fn session_of_another_klarna_order() {
    let mut case = Case::fixture("01");
    case.store(
        "/session/klarna_order_id",
        json!("00000000-0000-5000-8000-000000000000"),
    );
    let v = case.decide();
    assert_codes(&v, &["session_mismatch"]);
    let f = v.failures[0].to_value();
    assert_eq!(
        f["message"],
        "This payment does not belong to your current cart. Please try again."
    );
    assert_eq!(f["expected"], "00000000-0000-5000-8000-000000000000");
    assert_eq!(f["actual"], "107afe44-4e7a-566e-96f9-96f73a1ebfc3");
    assert_eq!(v.flag, Some("unable_to_process"));
    // Unknown (null, empty or absent) is not a mismatch.
    case.store("/session/klarna_order_id", json!(null));
    assert_approved(&case.decide());
    case.store("/session/klarna_order_id", json!(""));
    assert_approved(&case.decide());
    case.drop_store("/session/klarna_order_id");
    assert_approved(&case.decide());
}

#[test]
fn without_a_cart_cart_comparisons_are_skipped() {
    // The restored cart is empty when the session is gone: no totals, coupon, rate or cart failures follow.
    for (pointer, value) in [("/session/found", false), ("/session/expired", true)] {
        let mut case = Case::fixture("02");
        case.store(pointer, json!(value))
            .store("/cart/lines", json!([]))
            .store("/cart/total", json!("0"))
            .store("/cart/total_tax", json!("0"))
            .store("/cart/subtotal", json!("0"))
            .store("/cart/available_shipping", json!([]))
            .store("/cart/chosen_shipping", json!([]))
            .store("/coupons/summer10/exists", json!(false));
        assert_codes(&case.decide(), &["session_missing"]);
    }
}

#[test]
fn checks_that_need_no_cart_still_run_without_one() {
    let mut case = Case::fixture("01");
    case.store("/session/found", json!(false))
        .store("/cart/lines", json!([]))
        .store("/products/KOPP-STG-01/stock_status", json!("outofstock"))
        .store("/checkout/registration_required", json!(true))
        .store("/customer/email_exists", json!(true))
        .order("/order_lines/0/total_amount", json!(1));
    let v = case.decide();
    assert_codes(
        &v,
        &[
            "session_missing",
            "out_of_stock",
            "login_required",
            "totals_mismatch",
        ],
    );
    assert_eq!(
        reasons(&v, "totals_mismatch"),
        ["line_arithmetic", "order_sum"]
    );
}

#[test]
fn currency_mismatch() {
    let mut case = Case::fixture("01");
    case.store("/currency", json!("EUR"));
    let v = case.decide();
    // Money is not compared across currencies: only the currency is reported.
    assert_codes(&v, &["currency_mismatch"]);
    let f = v.failures[0].to_value();
    assert_eq!(f["message"], "The order is in SEK but your cart is in EUR.");
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!("EUR"), json!("SEK"))
    );
    assert_eq!(
        f["params"],
        json!({"order_currency": "SEK", "cart_currency": "EUR"})
    );
    assert_eq!(v.flag, Some("unable_to_process"));
    // Case does not matter.
    case.store("/currency", json!("sek"));
    assert_approved(&case.decide());
    let mut case = Case::fixture("01");
    case.order("/purchase_currency", json!("sek"));
    assert_approved(&case.decide());
}
