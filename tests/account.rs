//! Login and registration (reference §3.4), from the server's view of the shopper (D9).

mod common;

use common::{assert_approved, assert_codes, reasons, Case};
use serde_json::json;

const LOGIN: &str = "Please log in to your account to complete this purchase.";
const EXISTS: &str =
    "An account is already registered with your email address. Please log in to continue.";

/// Sample 01 (a guest) with the given checkout settings and whether the billing email has an account.
fn guest(registration_required: bool, email_exists: bool) -> Case {
    let mut case = Case::fixture("01");
    case.store(
        "/checkout/registration_required",
        json!(registration_required),
    )
    .store("/customer/email_exists", json!(email_exists));
    case
}

/// Sample 01 with KOPP-STG-01 a subscription and WooCommerce Subscriptions active.
fn subscription(registration_enabled: bool, email_exists: bool) -> Case {
    let mut case = guest(false, email_exists);
    case.store("/products/KOPP-STG-01/subscription", json!(true))
        .store("/checkout/subscriptions_active", json!(true))
        .store(
            "/checkout/registration_enabled",
            json!(registration_enabled),
        );
    case
}

fn log_in(case: &mut Case) {
    case.store("/customer/logged_in", json!(true))
        .store("/customer/user_id", json!(17));
}

#[test]
fn registration_required_and_the_email_has_an_account() {
    let v = guest(true, true).decide();
    assert_codes(&v, &["login_required"]);
    assert_eq!(reasons(&v, "login_required"), ["account_exists"]);
    assert_eq!(v.failures[0].message, LOGIN);
    assert_eq!(v.flag, Some("needs_login"));
    assert_eq!(
        v.response.location.as_deref(),
        Some("https://shop.example/checkout/?needs_login&kco_validation=login_required")
    );
}

#[test]
fn registration_required_with_a_new_email_passes() {
    // The account is created by the normal checkout.
    assert_approved(&guest(true, false).decide());
}

#[test]
fn an_existing_email_with_guest_checkout_allowed_passes() {
    assert_approved(&guest(false, true).decide());
}

#[test]
fn logged_in_shoppers_pass_every_account_rule() {
    let mut case = guest(true, true);
    log_in(&mut case);
    assert_approved(&case.decide());
    let mut case = subscription(false, true);
    log_in(&mut case);
    assert_approved(&case.decide());
}

#[test]
fn merchant_data_cannot_log_anyone_in() {
    // D9: is_user_logged_in comes from the browser; the session says guest.
    let mut case = guest(true, true);
    case.order("/merchant_data", json!("{\"is_user_logged_in\":true}"));
    assert_codes(&case.decide(), &["login_required"]);
}

#[test]
fn a_subscription_needs_signup_at_checkout_for_guests() {
    let v = subscription(false, false).decide();
    assert_codes(&v, &["login_required"]);
    assert_eq!(reasons(&v, "login_required"), ["subscription"]);
    assert_approved(&subscription(true, false).decide());
}

#[test]
fn a_subscription_with_an_existing_email() {
    let v = subscription(true, true).decide();
    assert_codes(&v, &["email_exists"]);
    assert_eq!(v.failures[0].message, EXISTS);
    assert_eq!(v.flag, Some("email_exists"));
    // Both rules at once: both reasons, login first.
    let v = subscription(false, true).decide();
    assert_codes(&v, &["login_required", "email_exists"]);
    assert_eq!(reasons(&v, "login_required"), ["subscription"]);
    assert_eq!(v.flag, Some("needs_login"));
    assert_eq!(
        v.response.location.as_deref(),
        Some(
            "https://shop.example/checkout/?needs_login&kco_validation=login_required,email_exists"
        )
    );
}

#[test]
fn subscription_login_is_reported_once_when_registration_is_also_required() {
    let mut case = subscription(false, true);
    case.store("/checkout/registration_required", json!(true));
    let v = case.decide();
    assert_codes(&v, &["login_required", "email_exists"]);
    assert_eq!(reasons(&v, "login_required"), ["subscription"]);
}

#[test]
fn subscriptions_rules_need_woocommerce_subscriptions_active() {
    let mut case = subscription(false, true);
    case.store("/checkout/subscriptions_active", json!(false));
    assert_approved(&case.decide());
}

#[test]
fn subscription_rules_do_not_depend_on_the_line_order() {
    // The subscription on the second line instead of the first (reference issue #156).
    let mut case = subscription(false, true);
    case.store("/products/KOPP-STG-01/subscription", json!(false))
        .store("/products/LINNE-150x250/subscription", json!(true));
    let a = case.decide();
    let lines = case.order["order_lines"].as_array().unwrap().clone();
    case.order("/order_lines", json!([lines[2], lines[1], lines[0]]));
    let b = case.decide();
    assert_codes(&a, &["login_required", "email_exists"]);
    assert_eq!(a.failures, b.failures);
}

#[test]
fn sample_08_subscriber_is_logged_in() {
    let mut case = Case::fixture("08");
    assert_approved(&case.decide());
    case.store("/customer/logged_in", json!(false))
        .store("/customer/user_id", json!(0));
    let v = case.decide();
    assert_codes(&v, &["login_required", "email_exists"]);
    assert_eq!(reasons(&v, "login_required"), ["subscription"]);
}
