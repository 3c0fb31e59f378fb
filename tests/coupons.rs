//! Coupons, as WooCommerce validates them at checkout (D8, D9). Sample 02 has summer10 applied; the billing
//! email is sofia.lindqvist@example.se and the cart subtotal 637.60 SEK.

mod common;

use common::{assert_approved, assert_codes, reasons, Case};
use serde_json::json;

fn summer10() -> Case {
    Case::fixture("02")
}

fn coupon(case: &mut Case, fields: serde_json::Value) -> &mut Case {
    for (k, v) in fields.as_object().unwrap() {
        case.store(&format!("/coupons/summer10/{k}"), v.clone());
    }
    case
}

fn only_reason(case: &Case) -> Vec<&'static str> {
    let v = case.decide();
    assert_codes(&v, &["coupon_invalid"]);
    reasons(&v, "coupon_invalid")
}

#[test]
fn a_valid_coupon_passes() {
    assert_approved(&summer10().decide());
    assert_approved(&Case::fixture("04").decide());
    assert_approved(&Case::fixture("10").decide());
}

#[test]
fn not_found() {
    let mut case = summer10();
    case.store("/cart/coupons", json!(["summer10", "nope"]));
    let v = case.decide();
    assert_codes(&v, &["coupon_invalid"]);
    assert_eq!(reasons(&v, "coupon_invalid"), ["not_found"]);
    let f = &v.failures[0];
    assert_eq!(f.message, "The coupon \"nope\" does not exist.");
    assert_eq!(f.reference.as_deref(), Some("nope"));
    assert_eq!(f.to_value()["params"], json!({"coupon": "nope"}));
    assert_eq!(v.flag, Some("invalid_coupon"));
    assert_eq!(
        v.response.location.as_deref(),
        Some("https://shop.example/checkout/?invalid_coupon&kco_validation=coupon_invalid")
    );
    // A coupon that no longer exists (trashed) is not found either.
    let mut case = summer10();
    coupon(&mut case, json!({"exists": false}));
    assert_eq!(only_reason(&case), ["not_found"]);
}

#[test]
fn codes_are_matched_case_insensitively() {
    let mut case = summer10();
    case.store("/cart/coupons", json!(["Summer10"]));
    assert_approved(&case.decide());
}

#[test]
fn expired() {
    let mut case = summer10();
    let now = case.store["now"].as_i64().unwrap();
    coupon(&mut case, json!({"expires": now - 1}));
    assert_eq!(only_reason(&case), ["expired"]);
    assert_eq!(
        case.decide().failures[0].message,
        "The coupon \"summer10\" has expired."
    );
    coupon(&mut case, json!({"expires": now}));
    assert_approved(&case.decide());
    coupon(&mut case, json!({"expires": null}));
    assert_approved(&case.decide());
}

#[test]
fn usage_limit() {
    let mut case = summer10();
    coupon(&mut case, json!({"usage_limit": 500, "usage_count": 500}));
    assert_eq!(only_reason(&case), ["usage_limit"]);
    let f = case.decide().failures[0].to_value();
    assert_eq!(
        f["message"],
        "The coupon \"summer10\" has been used the maximum number of times."
    );
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!(500), json!(500))
    );
    coupon(&mut case, json!({"usage_count": 499}));
    assert_approved(&case.decide());
    // 0 and null mean unlimited.
    coupon(&mut case, json!({"usage_limit": 0, "usage_count": 10_000}));
    assert_approved(&case.decide());
    coupon(&mut case, json!({"usage_limit": null}));
    assert_approved(&case.decide());
}

#[test]
fn usage_limit_per_user_matches_the_email_in_any_case() {
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"usage_limit_per_user": 1, "used_by": [" Sofia.Lindqvist@EXAMPLE.se "]}),
    );
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
    let f = case.decide().failures[0].to_value();
    assert_eq!(
        f["message"],
        "You have already used the coupon \"summer10\" the maximum number of times."
    );
    assert_eq!(
        (f["expected"].clone(), f["actual"].clone()),
        (json!(1), json!(1))
    );
    // Under the limit.
    coupon(&mut case, json!({"usage_limit_per_user": 2}));
    assert_approved(&case.decide());
    // Two uses reach a limit of 2.
    coupon(
        &mut case,
        json!({"used_by": ["sofia.lindqvist@example.se", "SOFIA.LINDQVIST@EXAMPLE.SE"]}),
    );
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
    // 0 and null mean unlimited.
    coupon(&mut case, json!({"usage_limit_per_user": 0}));
    assert_approved(&case.decide());
}

#[test]
fn usage_limit_per_user_matches_user_ids() {
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"usage_limit_per_user": 1, "used_by": ["17", "other@example.se"]}),
    );
    // A guest whose email has no account: "17" is someone else.
    assert_approved(&case.decide());
    // The logged-in user 17.
    case.store("/customer/logged_in", json!(true))
        .store("/customer/user_id", json!(17));
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
    // A guest whose billing email belongs to account 17.
    case.store("/customer/logged_in", json!(false))
        .store("/customer/user_id", json!(0))
        .store("/customer/user_ids_for_email", json!([17]));
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
    // User 0 of a guest matches nothing.
    coupon(&mut case, json!({"used_by": ["0"]}));
    case.store("/customer/user_ids_for_email", json!([]));
    assert_approved(&case.decide());
}

#[test]
fn email_restrictions_with_wildcards() {
    let mut case = summer10();
    coupon(&mut case, json!({"email_restrictions": ["*@example.se"]}));
    assert_approved(&case.decide());
    coupon(&mut case, json!({"email_restrictions": ["*@EXAMPLE.SE"]}));
    assert_approved(&case.decide());
    coupon(
        &mut case,
        json!({"email_restrictions": ["sofia.*@example.se"]}),
    );
    assert_approved(&case.decide());
    coupon(
        &mut case,
        json!({"email_restrictions": ["*@example.com", "anna@example.se"]}),
    );
    assert_eq!(only_reason(&case), ["email_restricted"]);
    assert_eq!(
        case.decide().failures[0].message,
        "The coupon \"summer10\" is not valid for your email address."
    );
    // The logged-in account's email counts too.
    case.store("/customer/account_email", json!("Anna@Example.se"));
    assert_approved(&case.decide());
}

#[test]
fn email_restriction_without_any_email_fails() {
    let mut case = summer10();
    coupon(&mut case, json!({"email_restrictions": ["*"]}));
    assert_approved(&case.decide());
    case.order("/billing_address/email", json!("  "));
    assert_eq!(only_reason(&case), ["email_restricted"]);
}

#[test]
fn minimum_amount() {
    let mut case = summer10();
    coupon(&mut case, json!({"minimum_amount": "700"}));
    assert_eq!(only_reason(&case), ["minimum_amount"]);
    let f = case.decide().failures[0].to_value();
    assert_eq!(
        f["message"],
        "The minimum spend for the coupon \"summer10\" is 700.00 SEK."
    );
    assert_eq!(f["expected"], "700.00 SEK");
    assert_eq!(f["actual"], "637.60 SEK");
    assert_eq!(
        f["params"],
        json!({"coupon": "summer10", "amount": "700.00 SEK"})
    );
    coupon(&mut case, json!({"minimum_amount": "637.60"}));
    assert_approved(&case.decide());
    coupon(&mut case, json!({"minimum_amount": "637.61"}));
    assert_eq!(only_reason(&case), ["minimum_amount"]);
    coupon(&mut case, json!({"minimum_amount": "0"}));
    assert_approved(&case.decide());
}

#[test]
fn maximum_amount() {
    let mut case = summer10();
    coupon(&mut case, json!({"maximum_amount": "600"}));
    assert_eq!(only_reason(&case), ["maximum_amount"]);
    assert_eq!(
        case.decide().failures[0].message,
        "The maximum spend for the coupon \"summer10\" is 600.00 SEK."
    );
    coupon(&mut case, json!({"maximum_amount": "637.60"}));
    assert_approved(&case.decide());
    coupon(&mut case, json!({"maximum_amount": 0}));
    assert_approved(&case.decide());
}

#[test]
fn every_reason_of_one_coupon_is_reported() {
    let mut case = summer10();
    let now = case.store["now"].as_i64().unwrap();
    coupon(
        &mut case,
        json!({"expires": now - 86400, "usage_limit": 1, "usage_count": 1, "usage_limit_per_user": 1,
               "used_by": ["sofia.lindqvist@example.se"], "email_restrictions": ["x@y.z"],
               "minimum_amount": "1000", "maximum_amount": "1"}),
    );
    assert_eq!(
        only_reason(&case),
        [
            "expired",
            "usage_limit",
            "usage_limit_per_user",
            "email_restricted",
            "minimum_amount",
            "maximum_amount"
        ]
    );
}

#[test]
fn the_session_decides_which_coupons_apply_not_merchant_data() {
    // D9: merchant_data names summer10, but the session's cart has none: nothing to validate.
    let mut case = summer10();
    case.store("/cart/coupons", json!([]));
    coupon(&mut case, json!({"exists": false}));
    assert_approved(&case.decide());
    // merchant_data names nothing, but the session has an invalid coupon.
    case.order("/merchant_data", json!("{\"is_user_logged_in\":false}"))
        .store("/cart/coupons", json!(["summer10"]));
    assert_eq!(only_reason(&case), ["not_found"]);
}

#[test]
fn coupons_are_not_checked_without_a_cart() {
    let mut case = summer10();
    coupon(&mut case, json!({"exists": false}));
    case.store("/session/expired", json!(true));
    assert_codes(&case.decide(), &["session_missing"]);
}

#[test]
fn coupons_may_be_an_empty_list() {
    // PHP's json_encode writes an empty array as [].
    let mut case = Case::fixture("01");
    case.store("/coupons", json!([]));
    assert_approved(&case.decide());
}

#[test]
fn minimum_spend_in_other_currencies() {
    // Sample 04 (EUR): subtotal 183.78, schuh15 needs 50..1000.
    let mut case = Case::fixture("04");
    case.store("/coupons/schuh15/minimum_amount", json!("183.79"));
    let v = case.decide();
    assert_eq!(reasons(&v, "coupon_invalid"), ["minimum_amount"]);
    assert_eq!(
        v.failures[0].message,
        "The minimum spend for the coupon \"schuh15\" is 183.79 EUR."
    );
}
