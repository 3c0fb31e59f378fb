//! Shipping: needed, chosen (a shipping_fee line or a selected_shipping_option), and offered (D6, D7).

mod common;

use common::{assert_approved, assert_codes, simple, Case};
use serde_json::json;

/// Sample 01 without its shipping_fee line, Klarna's and the cart's totals adjusted to match.
fn sample_01_without_shipping() -> Case {
    let mut case = Case::fixture("01");
    case.drop_order("/order_lines/2")
        .order("/order_amount", json!(79700))
        .order("/order_tax_amount", json!(15940))
        .store("/cart/total", json!("797.00"))
        .store("/cart/total_tax", json!("159.40"))
        .store("/cart/chosen_shipping", json!([]));
    case
}

/// Sample 07 without its selected_shipping_option (and the cart without the 59.00 shipping).
fn sample_07_without_shipping() -> Case {
    let mut case = Case::fixture("07");
    case.drop_order("/selected_shipping_option")
        .store("/cart/total", json!("1397.00"))
        .store("/cart/total_tax", json!("279.40"));
    case
}

#[test]
fn a_missing_shipping_line_fails() {
    let v = sample_01_without_shipping().decide();
    assert_codes(&v, &["shipping_missing"]);
    assert_eq!(v.failures[0].message, "Please choose a shipping method.");
    assert_eq!(v.flag, Some("no_shipping"));
    assert_eq!(
        v.response.location.as_deref(),
        Some("https://shop.example/checkout/?no_shipping&kco_validation=shipping_missing")
    );
}

#[test]
fn shipping_is_needed_when_woocommerce_says_so_even_for_virtual_products() {
    let mut case = sample_01_without_shipping();
    case.store("/products/KOPP-STG-01/virtual", json!(true))
        .store("/products/LINNE-150x250/virtual", json!(true));
    assert_codes(&case.decide(), &["shipping_missing"]);
    case.store("/cart/needs_shipping", json!(false));
    assert_approved(&case.decide());
}

#[test]
fn shipping_is_needed_when_a_product_needs_it_even_if_the_cart_says_not() {
    let mut case = sample_01_without_shipping();
    case.store("/cart/needs_shipping", json!(false));
    assert_codes(&case.decide(), &["shipping_missing"]);
}

#[test]
fn a_selected_shipping_option_counts_as_shipping() {
    assert_approved(&Case::fixture("07").decide());
    let v = sample_07_without_shipping().decide();
    assert_codes(&v, &["shipping_missing"]);
}

#[test]
fn a_rate_the_shop_does_not_offer_fails() {
    let mut case = Case::fixture("01");
    case.store("/cart/available_shipping", json!(["local_pickup:4"]))
        .store("/cart/chosen_shipping", json!([]));
    let v = case.decide();
    assert_codes(&v, &["shipping_unavailable"]);
    let f = &v.failures[0];
    assert_eq!(
        f.message,
        "The shipping method \"PostNord Varubrev 1:a klass\" is not available for your address."
    );
    assert_eq!(f.reference.as_deref(), Some("flat_rate:3"));
    assert_eq!(
        f.to_value()["params"]["name"],
        "PostNord Varubrev 1:a klass"
    );
    assert_eq!(v.flag, Some("no_shipping"));
}

#[test]
fn the_chosen_rate_counts_as_offered() {
    let mut case = Case::fixture("01");
    case.store("/cart/available_shipping", json!([]));
    assert_approved(&case.decide());
}

#[test]
fn a_selected_option_the_shop_does_not_offer_fails() {
    let mut case = Case::fixture("07");
    case.store("/cart/available_shipping", json!(["ksa-postnord-hem"]))
        .store("/cart/chosen_shipping", json!(["ksa-postnord-hem"]));
    let v = case.decide();
    assert_codes(&v, &["shipping_unavailable"]);
    assert_eq!(
        v.failures[0].message,
        "The shipping method \"PostNord – Ombud\" is not available for your address."
    );
    assert_eq!(
        v.failures[0].reference.as_deref(),
        Some("ksa-postnord-ombud")
    );
    // Without a name the id stands in.
    case.drop_order("/selected_shipping_option/name");
    assert_eq!(
        case.decide().failures[0].message,
        "The shipping method \"ksa-postnord-ombud\" is not available for your address."
    );
}

#[test]
fn virtual_only_orders_need_no_shipping() {
    assert_approved(&Case::fixture("08").decide());
    // Sample 01 with both products virtual and no shipping.
    let mut case = sample_01_without_shipping();
    case.store("/products/KOPP-STG-01/virtual", json!(true))
        .store("/products/LINNE-150x250/virtual", json!(true))
        .store("/cart/needs_shipping", json!(false));
    assert_approved(&case.decide());
    // One physical product is enough to need it.
    case.store("/products/LINNE-150x250/virtual", json!(false));
    assert_codes(&case.decide(), &["shipping_missing"]);
}

/// Two physical goods without shipping; `first` is a subscription with a free trial (needs no shipping now).
fn trial_and_physical(trial_first: bool) -> Case {
    let mut case = simple(&[(1, 9900), (1, 19900)]);
    case.drop_order("/order_lines/2")
        .order("/order_amount", json!(29800))
        .order("/order_tax_amount", json!(1980 + 3980))
        .store("/cart/total", json!("298.00"))
        .store("/cart/total_tax", json!("59.60"))
        .store("/cart/needs_shipping", json!(false))
        .store("/checkout/subscriptions_active", json!(true))
        .store("/customer/logged_in", json!(true))
        .store("/customer/user_id", json!(5));
    let trial = if trial_first { "GEN-0000" } else { "GEN-0001" };
    case.store(&format!("/products/{trial}/subscription"), json!(true))
        .store(&format!("/products/{trial}/trial_length"), json!(14));
    case
}

#[test]
fn a_subscription_trial_does_not_cancel_another_lines_need_for_shipping() {
    // D6: in 1.x a later subscription line with a trial reset the flag. Here the order of the lines is irrelevant.
    for trial_first in [true, false] {
        let v = trial_and_physical(trial_first).decide();
        assert_codes(&v, &["shipping_missing"]);
    }
}

#[test]
fn a_subscription_in_its_trial_alone_needs_no_shipping() {
    let mut case = trial_and_physical(true);
    case.store("/products/GEN-0001/virtual", json!(true));
    assert_approved(&case.decide());
    // Without a trial it ships.
    case.store("/products/GEN-0000/trial_length", json!(0));
    assert_codes(&case.decide(), &["shipping_missing"]);
}

#[test]
fn shipping_disabled_in_the_shop_skips_every_shipping_check() {
    let mut case = sample_01_without_shipping();
    case.store("/cart/shipping_enabled", json!(false));
    assert_approved(&case.decide());
    // Not even the rate is checked.
    let mut case = Case::fixture("01");
    case.store("/cart/available_shipping", json!([]))
        .store("/cart/chosen_shipping", json!([]))
        .store("/cart/shipping_enabled", json!(false));
    assert_approved(&case.decide());
}

#[test]
fn a_shipping_line_counts_once_next_to_a_selected_option() {
    // A shipping_fee line wins over a selected option: its reference is the rate checked.
    let mut case = Case::fixture("01");
    case.order(
        "/selected_shipping_option",
        json!({"id": "not-offered", "name": "Elsewhere", "price": 4900, "tax_amount": 980}),
    );
    assert_approved(&case.decide());
}

#[test]
fn the_rate_is_not_checked_without_a_cart() {
    let mut case = Case::fixture("01");
    case.store("/session/found", json!(false))
        .store("/cart/available_shipping", json!([]))
        .store("/cart/chosen_shipping", json!([]));
    assert_codes(&case.decide(), &["session_missing"]);
}
