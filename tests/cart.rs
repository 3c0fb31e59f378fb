//! The Klarna goods lines must be the WooCommerce cart (the "two tabs" case).

mod common;

use common::{assert_approved, assert_codes, reasons, simple, Case};
use serde_json::json;

#[test]
fn an_item_in_the_order_but_not_in_the_cart() {
    // The shopper removed the tablecloth in another tab: the cart (and its totals) no longer hold it.
    let mut case = Case::fixture("01");
    case.drop_store("/cart/lines/1")
        .store("/cart/total", json!("347.00"))
        .store("/cart/total_tax", json!("69.40"));
    let v = case.decide();
    assert_eq!(reasons(&v, "cart_mismatch"), ["extra_item"]);
    let f = v
        .failures
        .iter()
        .find(|f| f.code.as_str() == "cart_mismatch")
        .unwrap();
    assert_eq!(
        f.message,
        "\"Linneduk 150x250 cm, naturvit\" is in the order but not in your cart."
    );
    assert_eq!(f.reference.as_deref(), Some("LINNE-150x250"));
    let j = f.to_value();
    assert_eq!(
        (j["expected"].clone(), j["actual"].clone()),
        (json!(0), json!(1))
    );
    // The totals differ too, and say so.
    assert_codes(&v, &["totals_mismatch", "tax_mismatch", "cart_mismatch"]);
    assert_eq!(v.flag, Some("totals_dont_match"));
}

#[test]
fn an_item_in_the_cart_but_not_in_the_order() {
    let mut case = Case::fixture("01");
    case.store(
        "/cart/lines/-",
        json!({"product_id": 103, "variation_id": 0, "reference": "VAS-01", "quantity": 1, "total": "0", "tax": "0"}),
    );
    let v = case.decide();
    assert_codes(&v, &["cart_mismatch"]);
    assert_eq!(reasons(&v, "cart_mismatch"), ["missing_item"]);
    // Without a product entry the reference names it.
    assert_eq!(
        v.failures[0].message,
        "\"VAS-01\" is in your cart but not in the order."
    );
    // The cart line's own name, when the snapshot gives it, names it rather than the SKU.
    case.store("/cart/lines/2/name", json!("Glasvas, blå"));
    assert_eq!(
        case.decide().failures[0].message,
        "\"Glasvas, blå\" is in your cart but not in the order."
    );
    case.store(
        "/products/VAS-01",
        json!({"id": 103, "stock_owner_id": 103, "purchasable": true, "virtual": false, "manage_stock": false,
               "stock_quantity": null, "held": 0, "stock_status": "instock", "backorders": "no", "name": "Glasvas"}),
    );
    let v = case.decide();
    assert_eq!(
        v.failures[0].message,
        "\"Glasvas\" is in your cart but not in the order."
    );
    assert_eq!(v.failures[0].to_value()["expected"], 1);
    assert_eq!(v.failures[0].to_value()["actual"], 0);
}

#[test]
fn a_quantity_changed_in_another_tab() {
    let mut case = Case::fixture("01");
    case.store("/cart/lines/0/quantity", json!(3));
    let v = case.decide();
    // The per-line price comparison leaves differing quantities to the cart check.
    assert_codes(&v, &["cart_mismatch"]);
    assert_eq!(reasons(&v, "cart_mismatch"), ["quantity"]);
    let f = v.failures[0].to_value();
    assert_eq!(
        f["message"],
        "The order has 2 of \"Kaffekopp i stengods, 30 cl\" but your cart has 3."
    );
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!(3), json!(2))
    );
    assert_eq!(f["reference"], "KOPP-STG-01");
    assert_eq!(v.flag, Some("totals_dont_match"));
}

#[test]
fn two_tabs_every_difference_in_order_of_appearance() {
    let mut case = simple(&[(1, 100), (2, 100), (3, 100)]);
    case.store("/cart/lines/0/quantity", json!(4))
        .drop_store("/cart/lines/1")
        .store(
            "/cart/lines/-",
            json!({"product_id": 77, "variation_id": 78, "reference": "NEW", "quantity": 1, "total": "1", "tax": "0"}),
        );
    let v = case.decide();
    let cart: Vec<_> = v
        .failures
        .iter()
        .filter(|f| f.code.as_str() == "cart_mismatch")
        .map(|f| (f.reason.unwrap(), f.reference.clone().unwrap()))
        .collect();
    assert_eq!(
        cart,
        [
            ("quantity", "GEN-0000".to_string()),
            ("extra_item", "GEN-0001".to_string()),
            ("missing_item", "NEW".to_string())
        ]
    );
}

#[test]
fn lines_of_the_same_item_are_summed_on_both_sides() {
    // Klarna sends the cups as two lines (1 + 1); the cart holds them once (2).
    let mut case = Case::fixture("01");
    let mut cup = case.order["order_lines"][0].clone();
    cup["quantity"] = json!(1);
    cup["total_amount"] = json!(14900);
    cup["total_tax_amount"] = json!(2980);
    case.order("/order_lines/0", cup.clone())
        .order("/order_lines/-", cup);
    assert_approved(&case.decide());
    // And the cart the other way round.
    let mut case = Case::fixture("01");
    let mut line = case.store["cart"]["lines"][0].clone();
    line["quantity"] = json!(1);
    line["total"] = json!("119.20");
    line["tax"] = json!("29.80");
    case.store("/cart/lines/0", line.clone())
        .store("/cart/lines/-", line);
    assert_approved(&case.decide());
}

#[test]
fn an_unknown_reference_is_matched_to_the_cart_by_reference() {
    let mut case = Case::fixture("01");
    case.store("/options/unknown_products", json!("ignore"))
        .drop_store("/products/LINNE-150x250");
    assert_approved(&case.decide());
    // A reference neither the shop nor the cart knows is an extra item.
    case.order("/order_lines/1/reference", json!("GONE-1"));
    let v = case.decide();
    assert_eq!(reasons(&v, "cart_mismatch"), ["extra_item", "missing_item"]);
}

#[test]
fn no_cart_comparison_without_a_session() {
    let mut case = Case::fixture("01");
    case.store("/session/found", json!(false))
        .store("/cart/lines", json!([]))
        .store("/cart/total", json!("0"))
        .store("/cart/total_tax", json!("0"));
    assert_codes(&case.decide(), &["session_missing"]);
}
