//! Shipping: needed (WooCommerce's answer), chosen (a shipping_fee line or a selected_shipping_option), and offered
//! (D6, D7): every package's chosen rate among its rates, Klarna's rate among the offered ones, KSS.

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
fn woocommerce_decides_whether_shipping_is_needed() {
    // Physical products, but WooCommerce says no shipping is needed (no shipping method set up, or a
    // woocommerce_cart_needs_shipping / woocommerce_product_needs_shipping filter): as WooCommerce's checkout.
    let mut case = sample_01_without_shipping();
    case.store("/cart/needs_shipping", json!(false));
    assert_approved(&case.decide());
    case.store("/cart/needs_shipping", json!(true));
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
fn a_chosen_rate_woocommerce_no_longer_offers_fails() {
    // The session still has flat_rate:3 chosen, but the address's rates no longer include it.
    let mut case = Case::fixture("01");
    case.store("/cart/available_shipping", json!(["local_pickup:4"]));
    let v = case.decide();
    assert_codes(&v, &["shipping_unavailable"]);
    assert_eq!(v.failures.len(), 1, "reported once");
    assert_eq!(v.failures[0].reference.as_deref(), Some("flat_rate:3"));
}

/// Sample 01 with its one shipping package: flat_rate:3 chosen among `rates`.
fn sample_01_with_package(chosen: Option<&str>, rates: &[&str]) -> Case {
    let mut case = Case::fixture("01");
    case.store(
        "/cart/packages",
        json!([{ "chosen": chosen, "rates": rates }]),
    );
    case
}

#[test]
fn every_packages_chosen_rate_must_be_one_of_its_rates() {
    assert_approved(
        &sample_01_with_package(Some("flat_rate:3"), &["flat_rate:3", "local_pickup:4"]).decide(),
    );
    // Chosen, but not among this package's rates (another package may offer it: WooCommerce checks per package).
    let v = sample_01_with_package(Some("flat_rate:3"), &["local_pickup:4"]).decide();
    assert_codes(&v, &["shipping_unavailable"]);
    assert_eq!(
        v.failures.len(),
        1,
        "Klarna's line names the same rate: reported once"
    );
    // No rate chosen for a package.
    let v = sample_01_with_package(None, &["flat_rate:3"]).decide();
    assert_codes(&v, &["shipping_missing"]);
}

/// Sample 07 (a carrier option chosen inside Klarna's checkout) on a shop whose rate is Klarna's shipping service.
fn sample_07_with_kss(chosen: &str) -> Case {
    let mut case = Case::fixture("07");
    case.store("/cart/available_shipping", json!(["klarna_kss:2"]))
        .store("/cart/chosen_shipping", json!([chosen]))
        .store(
            "/cart/packages",
            json!([{ "chosen": chosen, "rates": ["klarna_kss:2"] }]),
        );
    case
}

#[test]
fn klarnas_shipping_service_rate_accepts_the_option_chosen_in_klarna() {
    // WooCommerce's chosen rate is klarna_kss:<instance>; Klarna's selected_shipping_option carries the carrier's id.
    assert_approved(&sample_07_with_kss("klarna_kss:2").decide());
    // The same option without KSS being WooCommerce's chosen rate is a rate WooCommerce does not offer.
    let mut case = sample_07_with_kss("klarna_kss:2");
    case.store("/cart/available_shipping", json!(["flat_rate:1"]))
        .store("/cart/chosen_shipping", json!(["flat_rate:1"]))
        .store(
            "/cart/packages",
            json!([{ "chosen": "flat_rate:1", "rates": ["flat_rate:1"] }]),
        );
    assert_codes(&case.decide(), &["shipping_unavailable"]);
    // A snapshot without packages: the chosen KSS rate among the offered ones.
    let mut case = sample_07_with_kss("klarna_kss");
    case.store("/cart/available_shipping", json!(["klarna_kss"]))
        .drop_store("/cart/packages");
    assert_approved(&case.decide());
    // "klarna_kssx" is not KSS.
    let mut case = sample_07_with_kss("klarna_kssx");
    case.store(
        "/cart/packages",
        json!([{ "chosen": "klarna_kssx", "rates": ["klarna_kssx"] }]),
    )
    .store("/cart/available_shipping", json!(["klarna_kssx"]));
    assert_codes(&case.decide(), &["shipping_unavailable"]);
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
    // One physical product is enough to need it: WooCommerce says so.
    case.store("/products/LINNE-150x250/virtual", json!(false))
        .store("/cart/needs_shipping", json!(true));
    assert_codes(&case.decide(), &["shipping_missing"]);
}

/// Two physical goods without shipping; one is a subscription with a free trial.
fn trial_and_physical(trial_first: bool, needs_shipping: bool) -> Case {
    let mut case = simple(&[(1, 9900), (1, 19900)]);
    case.drop_order("/order_lines/2")
        .order("/order_amount", json!(29800))
        .order("/order_tax_amount", json!(1980 + 3980))
        .store("/cart/total", json!("298.00"))
        .store("/cart/total_tax", json!("59.60"))
        .store("/cart/needs_shipping", json!(needs_shipping))
        .store("/checkout/subscriptions_active", json!(true))
        .store("/customer/logged_in", json!(true))
        .store("/customer/user_id", json!(5));
    let trial = if trial_first { "GEN-0000" } else { "GEN-0001" };
    case.store(&format!("/products/{trial}/subscription"), json!(true))
        .store(&format!("/products/{trial}/trial_length"), json!(14));
    case
}

#[test]
fn line_order_never_decides_whether_shipping_is_needed() {
    // D6: in 1.x a later subscription line with a trial reset the flag. Here WooCommerce's answer decides, whatever
    // the order of the lines.
    for trial_first in [true, false] {
        assert_codes(
            &trial_and_physical(trial_first, true).decide(),
            &["shipping_missing"],
        );
        assert_approved(&trial_and_physical(trial_first, false).decide());
    }
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
