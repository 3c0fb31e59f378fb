//! Coupons, as WooCommerce validates them at checkout (D8, D9). Sample 02 has summer10 applied; the billing
//! email is sofia.lindqvist@example.se and the cart subtotal 637.60 SEK.

mod common;

use common::gen::{self, ProductRule};
use common::{assert_approved, assert_codes, reasons, Case};
use proptest::prelude::*;
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
fn uses_held_by_checkouts_in_progress_count() {
    // WooCommerce counts `_maybe_used_by_*` holds of other checkouts with the completed uses.
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"usage_limit_per_user": 1, "used_by": [], "held_by": ["sofia.lindqvist@example.se"]}),
    );
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
    coupon(&mut case, json!({"held_by": ["someone@else.se"]}));
    assert_approved(&case.decide());
}

#[test]
fn per_user_uses_are_counted_by_alias_or_by_user_id_not_summed() {
    // Logged-in user 17 whose billing email is not the order's: WooCommerce counts the uses of the aliases
    // (billing email, account email, users with that billing email) and, apart, the uses by user id 17; the
    // larger decides. One use each is one use, under a limit of 2 (a union would have counted 2 and refused).
    let mut case = summer10();
    case.store("/customer/logged_in", json!(true))
        .store("/customer/user_id", json!(17))
        .store("/customer/account_email", json!("sofia@work.se"));
    coupon(
        &mut case,
        json!({"usage_limit_per_user": 2, "used_by": ["17", "sofia.lindqvist@example.se"]}),
    );
    assert_approved(&case.decide());
    // The account email is an alias too.
    coupon(
        &mut case,
        json!({"used_by": ["sofia@work.se", "sofia.lindqvist@example.se"]}),
    );
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
    // User 17's uses by id reach the limit on their own.
    coupon(&mut case, json!({"used_by": ["17"], "held_by": ["17"]}));
    assert_eq!(only_reason(&case), ["usage_limit_per_user"]);
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
    assert_eq!(f["expected"], json!({"minor": 70000, "currency": "SEK"}));
    assert_eq!(f["actual"], json!({"minor": 63760, "currency": "SEK"}));
    assert_eq!(
        f["params"],
        json!({"coupon": "summer10", "amount": {"minor": 70000, "currency": "SEK"}})
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

// ---------------------------------------------------------------------------------------------------------------
// Product rules (WC_Discounts::validate_coupon_product_ids(), validate_coupon_excluded_items(),
// validate_coupon_excluded_product_ids()). Sample 02's cart: products 101 (KOPP-STG-01) and 102 (LINNE-150x250);
// sample 04's: variation 4742 of product 4711 (WS-4711-42), and product 4800.
// ---------------------------------------------------------------------------------------------------------------

fn schuh15(fields: serde_json::Value) -> Case {
    let mut case = Case::fixture("04");
    for (k, v) in fields.as_object().unwrap() {
        case.store(&format!("/coupons/schuh15/{k}"), v.clone());
    }
    case
}

fn only_reasons_of(case: &Case) -> Vec<&'static str> {
    let v = case.decide();
    assert_codes(&v, &["coupon_invalid"]);
    reasons(&v, "coupon_invalid")
}

#[test]
fn cart_coupon_restricted_to_a_product_in_the_cart_passes() {
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"discount_type": "fixed_cart", "product_ids": [102]}),
    );
    assert_approved(&case.decide());
    coupon(&mut case, json!({"product_ids": [999, 101]}));
    assert_approved(&case.decide());
}

#[test]
fn cart_coupon_restricted_to_products_not_in_the_cart_is_not_applicable() {
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"discount_type": "fixed_cart", "product_ids": [103, 999]}),
    );
    assert_eq!(only_reason(&case), ["not_applicable"]);
    let f = case.decide().failures[0].to_value();
    assert_eq!(
        f["message"],
        "Sorry, the coupon \"summer10\" is not applicable to the products in your cart."
    );
    assert_eq!(f["reference"], "summer10");
    assert_eq!(f["params"], json!({"coupon": "summer10"}));
    // Ids that are not positive never match (WooCommerce keeps only positive ids).
    case.store("/cart/lines/0/product_id", json!(0));
    coupon(&mut case, json!({"product_ids": [0]}));
    assert_eq!(
        reasons(&case.decide(), "coupon_invalid"),
        ["not_applicable"]
    );
}

#[test]
fn a_variation_matches_through_its_own_id_or_its_parent() {
    // The variation's parent 4711 is listed.
    assert_approved(
        &schuh15(json!({"discount_type": "fixed_cart", "product_ids": [4711]})).decide(),
    );
    // The variation itself is listed.
    assert_approved(
        &schuh15(json!({"discount_type": "fixed_cart", "product_ids": [4742]})).decide(),
    );
    // Another variation of another product: not applicable.
    let case = schuh15(json!({"discount_type": "fixed_cart", "product_ids": [4743, 4712]}));
    assert_eq!(only_reasons_of(&case), ["not_applicable"]);
    // A simple product's parent is 0, never its product_id twice: product 4800 does not match 0.
    let case = schuh15(json!({"product_ids": [0]}));
    assert_eq!(only_reasons_of(&case), ["not_applicable"]);
}

#[test]
fn cart_coupon_with_an_excluded_product_in_the_cart_is_refused() {
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"discount_type": "fixed_cart", "excluded_product_ids": [999, 102]}),
    );
    assert_eq!(only_reason(&case), ["excluded_product"]);
    let f = case.decide().failures[0].to_value();
    assert_eq!(
        f["message"],
        "Sorry, the coupon \"summer10\" is not applicable to the product \"Linneduk 150x250 cm, naturvit\"."
    );
    assert_eq!(f["reference"], "summer10");
    assert_eq!(
        f["params"],
        json!({"coupon": "summer10", "name": "Linneduk 150x250 cm, naturvit", "reference": "LINNE-150x250"})
    );
    assert_eq!(case.decide().flag, Some("invalid_coupon"));
    // The first excluded line is named, once.
    coupon(&mut case, json!({"excluded_product_ids": [102, 101]}));
    let v = case.decide();
    assert_eq!(reasons(&v, "coupon_invalid"), ["excluded_product"]);
    assert_eq!(
        v.failures[0].to_value()["params"]["reference"],
        "KOPP-STG-01"
    );
    // Absent from the cart: no failure.
    coupon(&mut case, json!({"excluded_product_ids": [103]}));
    assert_approved(&case.decide());
    // A type WooCommerce does not list as a product type (a plugin's own) gets the cart rules.
    coupon(
        &mut case,
        json!({"discount_type": "recurring_fee", "excluded_product_ids": [101]}),
    );
    assert_eq!(only_reason(&case), ["excluded_product"]);
}

#[test]
fn an_excluded_variation_is_matched_by_its_parent_too_and_named_when_known() {
    let case = schuh15(json!({"discount_type": "fixed_cart", "excluded_product_ids": [4711]}));
    assert_eq!(only_reasons_of(&case), ["excluded_product"]);
    let case = schuh15(json!({"discount_type": "fixed_cart", "excluded_product_ids": [4742]}));
    let f = case.decide().failures[0].to_value();
    assert_eq!(f["params"]["name"], "Wanderschuhe „Alpin“, Gr. 42");
    // A cart line whose product the snapshot lacks: refused without a name (and the product is unknown).
    let mut case = schuh15(json!({"excluded_product_ids": [4742]}));
    case.drop_store("/products/WS-4711-42");
    let v = case.decide();
    assert_eq!(reasons(&v, "coupon_invalid"), ["excluded_product"]);
    let f = v
        .failures
        .iter()
        .find(|f| f.code.as_str() == "coupon_invalid")
        .unwrap()
        .to_value();
    assert_eq!(
        f["message"],
        "Sorry, the coupon \"schuh15\" is not applicable to one of the products in your cart."
    );
    assert_eq!(
        f["params"],
        json!({"coupon": "schuh15", "reference": "WS-4711-42"})
    );
}

#[test]
fn cart_coupon_reports_both_product_rules() {
    let mut case = summer10();
    coupon(
        &mut case,
        json!({"product_ids": [103], "excluded_product_ids": [101]}),
    );
    assert_eq!(only_reason(&case), ["not_applicable", "excluded_product"]);
}

#[test]
fn product_coupon_without_an_eligible_line_is_not_applicable() {
    for ty in ["fixed_product", "percent", "percent_product"] {
        let mut case = summer10();
        // Every line excluded.
        coupon(
            &mut case,
            json!({"discount_type": ty, "excluded_product_ids": [101, 102]}),
        );
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        // The only listed product is excluded: still one not_applicable, and no excluded_product.
        coupon(
            &mut case,
            json!({"product_ids": [101], "excluded_product_ids": [101]}),
        );
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        // Listed products not in the cart.
        coupon(
            &mut case,
            json!({"product_ids": [103], "excluded_product_ids": []}),
        );
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
    }
    // A variation whose parent is excluded is not eligible; the other line is excluded itself.
    let case =
        schuh15(json!({"discount_type": "fixed_product", "excluded_product_ids": [4711, 4800]}));
    assert_eq!(only_reasons_of(&case), ["not_applicable"]);
}

#[test]
fn product_coupon_with_one_eligible_line_passes() {
    for ty in ["fixed_product", "percent", "percent_product"] {
        let mut case = summer10();
        // 101 is excluded, 102 is not: the coupon discounts 102 only, WooCommerce accepts it.
        coupon(
            &mut case,
            json!({"discount_type": ty, "excluded_product_ids": [101]}),
        );
        assert_approved(&case.decide());
        coupon(
            &mut case,
            json!({"product_ids": [102, 999], "excluded_product_ids": [101]}),
        );
        assert_approved(&case.decide());
    }
    // Eligible through the variation's parent.
    let case = schuh15(
        json!({"discount_type": "percent", "product_ids": [4711], "excluded_product_ids": [4800]}),
    );
    assert_approved(&case.decide());
}

#[test]
fn a_product_coupon_on_an_empty_cart_is_refused_only_when_it_names_products() {
    let mut case = summer10();
    case.store("/cart/lines", json!([]));
    coupon(
        &mut case,
        json!({"discount_type": "fixed_product", "excluded_product_ids": [101]}),
    );
    let v = case.decide();
    assert!(
        reasons(&v, "coupon_invalid").is_empty(),
        "{:#}",
        v.to_value()
    );
    coupon(&mut case, json!({"product_ids": [101]}));
    assert_eq!(
        reasons(&case.decide(), "coupon_invalid"),
        ["not_applicable"]
    );
}

#[test]
fn snapshots_without_the_product_rule_keys_are_unchanged() {
    // The fixtures' coupons have no discount_type, product_ids or excluded_product_ids.
    for (prefix, code) in [("02", "summer10"), ("04", "schuh15"), ("10", "foretag5")] {
        let case = Case::fixture(prefix);
        let c = &case.store["coupons"][code];
        assert!(c.is_object(), "{prefix}: {code}");
        for key in [
            "discount_type",
            "product_ids",
            "excluded_product_ids",
            "product_categories",
            "excluded_product_categories",
            "exclude_sale_items",
        ] {
            assert!(c.get(key).is_none(), "{prefix}: {code}.{key}");
        }
        for (name, p) in case.store["products"].as_object().unwrap() {
            for key in ["category_ids", "on_sale"] {
                assert!(p.get(key).is_none(), "{prefix}: {name}.{key}");
            }
        }
        assert_approved(&case.decide());
    }
    // Absent means fixed_cart with no lists; so does giving those values.
    let mut case = summer10();
    coupon(&mut case, json!({"minimum_amount": "700"}));
    let before = case.verdict();
    coupon(
        &mut case,
        json!({"discount_type": "fixed_cart", "product_ids": [], "excluded_product_ids": []}),
    );
    assert_eq!(case.verdict(), before);
    assert_eq!(only_reason(&case), ["minimum_amount"]);
}

#[test]
fn product_rule_keys_are_type_checked() {
    let mut case = summer10();
    coupon(&mut case, json!({"product_ids": ["101"]}));
    let e = case.try_decide().unwrap_err();
    assert!(e.contains("coupons.summer10.product_ids"), "{e}");
    let mut case = summer10();
    coupon(&mut case, json!({"discount_type": null}));
    let e = case.try_decide().unwrap_err();
    assert!(e.contains("coupons.summer10.discount_type"), "{e}");
}

// ---------------------------------------------------------------------------------------------------------------
// Category and sale-item rules (WC_Discounts::validate_coupon_product_categories(), validate_coupon_sale_items(),
// validate_coupon_excluded_items(), validate_coupon_eligible_items() →
// validate_coupon_excluded_product_categories(); WC_Coupon::is_valid_for_product()). The categories below are
// given as the plugin gives them, ancestors included: sample 02's cup (101) is in Kitchen (15) under Home (10), its
// tablecloth (102) in Textiles (16) under Home; sample 04's boot (variation 4742 of 4711) carries its parent's
// Boots (30) under Sport (3), the book (4800) Books (40).
// ---------------------------------------------------------------------------------------------------------------

const CUP: &str = "KOPP-STG-01";
const CLOTH: &str = "LINNE-150x250";
const CLOTH_NAME: &str = "Linneduk 150x250 cm, naturvit";
const CUP_NAME: &str = "Kaffekopp i stengods, 30 cl";

/// Sample 02 with the products' categories filled in.
fn summer10_in_categories() -> Case {
    let mut case = summer10();
    case.store(&format!("/products/{CUP}/category_ids"), json!([15, 10]))
        .store(&format!("/products/{CLOTH}/category_ids"), json!([16, 10]));
    case
}

/// Sample 04 with the products' categories filled in (the variation's are its parent's).
fn schuh15_in_categories(fields: serde_json::Value) -> Case {
    let mut case = schuh15(fields);
    case.store("/products/WS-4711-42/category_ids", json!([30, 3]))
        .store("/products/ISBN-9783446460645/category_ids", json!([40]));
    case
}

fn on_sale<'a>(case: &'a mut Case, product: &str) -> &'a mut Case {
    case.store(&format!("/products/{product}/on_sale"), json!(true))
}

const PRODUCT_TYPES: [&str; 3] = ["fixed_product", "percent", "percent_product"];
const CART_TYPES: [&str; 2] = ["fixed_cart", "recurring_fee"];

#[test]
fn without_category_or_sale_rules_the_verdict_is_unchanged() {
    // Categories and sale flags in the snapshot change nothing for a coupon without the rules.
    let mut plain = summer10();
    coupon(&mut plain, json!({"minimum_amount": "700"}));
    let mut filled = summer10_in_categories();
    on_sale(&mut filled, CLOTH);
    coupon(&mut filled, json!({"minimum_amount": "700"}));
    assert_eq!(filled.verdict(), plain.verdict());
    // Nor do the rules' empty values, for either kind of coupon.
    for ty in ["fixed_cart", "percent"] {
        coupon(
            &mut filled,
            json!({"discount_type": ty, "product_categories": [], "excluded_product_categories": [],
                   "exclude_sale_items": false}),
        );
        assert_eq!(only_reason(&filled), ["minimum_amount"], "{ty}");
    }
    let mut case = summer10_in_categories();
    on_sale(&mut case, CUP);
    assert_approved(&case.decide());
}

#[test]
fn cart_coupon_restricted_to_categories() {
    for ty in CART_TYPES {
        let mut case = summer10_in_categories();
        coupon(
            &mut case,
            json!({"discount_type": ty, "product_categories": [16]}),
        );
        assert_approved(&case.decide());
        // An ancestor category matches: wc_get_product_cat_ids() lists it.
        coupon(&mut case, json!({"product_categories": [99, 10]}));
        assert_approved(&case.decide());
        coupon(&mut case, json!({"product_categories": [99, 17]}));
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        let f = case.decide().failures[0].to_value();
        assert_eq!(
            f["message"],
            "Sorry, the coupon \"summer10\" is not applicable to the products in your cart."
        );
        assert_eq!(f["params"], json!({"coupon": "summer10"}));
    }
    // Products without categories in the snapshot are in none.
    let mut case = summer10();
    coupon(&mut case, json!({"product_categories": [10]}));
    assert_eq!(only_reason(&case), ["not_applicable"]);
}

#[test]
fn product_coupon_restricted_to_categories() {
    for ty in PRODUCT_TYPES {
        let mut case = summer10_in_categories();
        coupon(
            &mut case,
            json!({"discount_type": ty, "product_categories": [16]}),
        );
        assert_approved(&case.decide());
        // No line in the categories: one not_applicable (validate_coupon_product_categories() and
        // validate_coupon_excluded_items() both fail).
        coupon(&mut case, json!({"product_categories": [99]}));
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        // Products and categories are separate requirements of the cart ...
        coupon(
            &mut case,
            json!({"product_ids": [101], "product_categories": [99]}),
        );
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        // ... but either list makes a line eligible (is_valid_for_product()).
        coupon(
            &mut case,
            json!({"product_ids": [101], "product_categories": [16]}),
        );
        assert_approved(&case.decide());
        // The listed line in the category is excluded by id; the other listed one is eligible.
        coupon(
            &mut case,
            json!({"product_ids": [], "product_categories": [10], "excluded_product_ids": [102]}),
        );
        assert_approved(&case.decide());
        coupon(&mut case, json!({"excluded_product_ids": [101, 102]}));
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
    }
}

#[test]
fn cart_coupon_with_a_line_in_an_excluded_category_is_refused() {
    for ty in CART_TYPES {
        let mut case = summer10_in_categories();
        coupon(
            &mut case,
            json!({"discount_type": ty, "excluded_product_categories": [99, 16]}),
        );
        assert_eq!(only_reason(&case), ["excluded_category"], "{ty}");
        let v = case.decide();
        let f = v.failures[0].to_value();
        assert_eq!(
            f["message"],
            format!("Sorry, the coupon \"summer10\" is not applicable to the categories of the product \"{CLOTH_NAME}\".")
        );
        assert_eq!(f["reference"], "summer10");
        assert_eq!(
            f["params"],
            json!({"coupon": "summer10", "name": CLOTH_NAME, "reference": CLOTH})
        );
        assert_eq!(v.flag, Some("invalid_coupon"));
        // Both lines are under Home: the first is named, once.
        coupon(&mut case, json!({"excluded_product_categories": [10]}));
        let v = case.decide();
        assert_eq!(reasons(&v, "coupon_invalid"), ["excluded_category"]);
        assert_eq!(v.failures[0].to_value()["params"]["name"], CUP_NAME);
        // No line in the excluded categories.
        coupon(&mut case, json!({"excluded_product_categories": [17, 99]}));
        assert_approved(&case.decide());
    }
}

#[test]
fn product_coupon_skips_lines_in_an_excluded_category() {
    for ty in PRODUCT_TYPES {
        let mut case = summer10_in_categories();
        // The tablecloth goes undiscounted; the cup is eligible.
        coupon(
            &mut case,
            json!({"discount_type": ty, "excluded_product_categories": [16]}),
        );
        assert_approved(&case.decide());
        // Every line is under Home: nothing is eligible, and no excluded_category.
        coupon(&mut case, json!({"excluded_product_categories": [10]}));
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        // Listed by category and excluded by category: not eligible.
        coupon(
            &mut case,
            json!({"product_categories": [16], "excluded_product_categories": [16]}),
        );
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
    }
}

#[test]
fn a_variation_is_in_its_parents_categories() {
    // The plugin gives the variation its parent's categories (and their ancestors).
    for ty in ["fixed_cart", "percent"] {
        assert_approved(
            &schuh15_in_categories(json!({"discount_type": ty, "product_categories": [30]}))
                .decide(),
        );
        assert_approved(
            &schuh15_in_categories(json!({"discount_type": ty, "product_categories": [3]}))
                .decide(),
        );
    }
    let case = schuh15_in_categories(
        json!({"discount_type": "fixed_cart", "excluded_product_categories": [3]}),
    );
    assert_eq!(only_reasons_of(&case), ["excluded_category"]);
    assert_eq!(
        case.decide().failures[0].to_value()["params"],
        json!({"coupon": "schuh15", "name": "Wanderschuhe „Alpin“, Gr. 42", "reference": "WS-4711-42"})
    );
    // A product coupon: the book is still eligible, unless its category is excluded too.
    let case = schuh15_in_categories(
        json!({"discount_type": "percent", "excluded_product_categories": [3]}),
    );
    assert_approved(&case.decide());
    let case = schuh15_in_categories(
        json!({"discount_type": "percent", "excluded_product_categories": [3, 40]}),
    );
    assert_eq!(only_reasons_of(&case), ["not_applicable"]);
}

#[test]
fn a_line_finds_its_own_products_entry_for_the_category_rules() {
    // A keyed cart line (product_key) is in the categories of its own entry, not of its reference's.
    let mut case = schuh15_in_categories(
        json!({"discount_type": "fixed_cart", "excluded_product_categories": [31]}),
    );
    let mut boot = case.store["products"]["WS-4711-42"].clone();
    boot["category_ids"] = json!([31, 3]);
    case.store("/products/#4742", boot)
        .store("/cart/lines/0/product_key", json!("#4742"));
    assert_eq!(only_reasons_of(&case), ["excluded_category"]);
    // A key the snapshot lacks falls back to the reference's entry (categories 30, 3).
    case.store("/cart/lines/0/product_key", json!("#9999"));
    assert_approved(&case.decide());
}

#[test]
fn cart_coupon_excluding_sale_items_is_refused_for_a_sale_item() {
    for ty in CART_TYPES {
        let mut case = summer10();
        coupon(
            &mut case,
            json!({"discount_type": ty, "exclude_sale_items": true}),
        );
        assert_approved(&case.decide());
        on_sale(&mut case, CLOTH);
        assert_eq!(only_reason(&case), ["sale_items"], "{ty}");
        let f = case.decide().failures[0].to_value();
        assert_eq!(
            f["message"],
            "Sorry, the coupon \"summer10\" is not valid for sale items."
        );
        assert_eq!(f["reference"], "summer10");
        assert_eq!(f["params"], json!({"coupon": "summer10"}));
        // A coupon that allows sale items does not mind.
        coupon(&mut case, json!({"exclude_sale_items": false}));
        assert_approved(&case.decide());
    }
}

#[test]
fn product_coupon_excluding_sale_items_skips_them() {
    for ty in PRODUCT_TYPES {
        let mut case = summer10();
        coupon(
            &mut case,
            json!({"discount_type": ty, "exclude_sale_items": true}),
        );
        on_sale(&mut case, CLOTH);
        // The cup is not on sale: eligible.
        assert_approved(&case.decide());
        // Everything on sale: nothing eligible, and no sale_items.
        on_sale(&mut case, CUP);
        assert_eq!(only_reason(&case), ["not_applicable"], "{ty}");
        coupon(&mut case, json!({"exclude_sale_items": false}));
        assert_approved(&case.decide());
    }
    // A variation on sale (the variation's own is_on_sale()).
    let mut case = schuh15(
        json!({"discount_type": "fixed_product", "exclude_sale_items": true,
                                   "excluded_product_ids": [4800]}),
    );
    assert_approved(&case.decide());
    on_sale(&mut case, "WS-4711-42");
    assert_eq!(only_reasons_of(&case), ["not_applicable"]);
}

#[test]
fn categories_do_not_count_sale_items_when_the_coupon_excludes_them() {
    // Only the tablecloth is in Textiles, and it is on sale.
    let mut case = summer10_in_categories();
    on_sale(&mut case, CLOTH);
    coupon(
        &mut case,
        json!({"discount_type": "fixed_cart", "product_categories": [16]}),
    );
    assert_approved(&case.decide());
    coupon(&mut case, json!({"exclude_sale_items": true}));
    assert_eq!(only_reason(&case), ["not_applicable", "sale_items"]);
    // Home holds the cup too: the category rule passes, the sale rule still refuses the cart coupon.
    coupon(&mut case, json!({"product_categories": [10]}));
    assert_eq!(only_reason(&case), ["sale_items"]);
    // A product coupon: one not_applicable for Textiles, and the cup makes Home eligible.
    coupon(
        &mut case,
        json!({"discount_type": "percent", "product_categories": [16]}),
    );
    assert_eq!(only_reason(&case), ["not_applicable"]);
    coupon(&mut case, json!({"product_categories": [10]}));
    assert_approved(&case.decide());
}

#[test]
fn category_and_sale_rules_on_an_empty_cart() {
    for ty in ["fixed_cart", "percent"] {
        let mut case = summer10_in_categories();
        case.store("/cart/lines", json!([]));
        // Exclusions have nothing to exclude.
        coupon(
            &mut case,
            json!({"discount_type": ty, "excluded_product_categories": [10], "exclude_sale_items": true}),
        );
        let v = case.decide();
        assert!(
            reasons(&v, "coupon_invalid").is_empty(),
            "{ty}: {:#}",
            v.to_value()
        );
        // A required category is missing.
        coupon(&mut case, json!({"product_categories": [10]}));
        assert_eq!(
            reasons(&case.decide(), "coupon_invalid"),
            ["not_applicable"],
            "{ty}"
        );
    }
}

#[test]
fn cart_coupon_reports_every_product_rule_in_woocommerces_order() {
    let mut case = summer10_in_categories();
    on_sale(&mut case, CUP);
    coupon(
        &mut case,
        json!({"product_ids": [103], "product_categories": [99], "exclude_sale_items": true,
               "excluded_product_ids": [101], "excluded_product_categories": [16]}),
    );
    assert_eq!(
        only_reason(&case),
        [
            "not_applicable",
            "sale_items",
            "excluded_product",
            "excluded_category"
        ]
    );
}

#[test]
fn category_and_sale_keys_are_type_checked() {
    for (pointer, value, path) in [
        (
            "/coupons/summer10/product_categories",
            json!(["16"]),
            "coupons.summer10.product_categories[0]",
        ),
        (
            "/coupons/summer10/excluded_product_categories",
            json!(16),
            "coupons.summer10.excluded_product_categories",
        ),
        (
            "/coupons/summer10/exclude_sale_items",
            json!("yes"),
            "coupons.summer10.exclude_sale_items",
        ),
        (
            "/products/KOPP-STG-01/category_ids",
            json!([1.5]),
            "products.KOPP-STG-01.category_ids[0]",
        ),
        (
            "/products/KOPP-STG-01/on_sale",
            json!(null),
            "products.KOPP-STG-01.on_sale",
        ),
    ] {
        let mut case = summer10();
        case.store(pointer, value);
        let e = case.try_decide().unwrap_err();
        assert!(
            e.starts_with(&format!("snapshot: {path}: ")),
            "{pointer}: {e}"
        );
    }
}

#[test]
fn an_email_restriction_is_met_by_the_account_email_alone() {
    // WC_Cart::check_customer_coupons() and WC_Discounts::validate_coupon_allowed_emails() check the billing email
    // and the logged-in user's account email.
    let mut case = summer10();
    case.store("/customer/logged_in", json!(true))
        .store("/customer/user_id", json!(5))
        .store("/customer/account_email", json!("anna@konto.example"));
    coupon(
        &mut case,
        json!({"email_restrictions": ["anna@konto.example"]}),
    );
    assert_approved(&case.decide());
    coupon(
        &mut case,
        json!({"email_restrictions": ["*@KONTO.example"]}),
    );
    assert_approved(&case.decide());
    // Neither the billing email (sofia.lindqvist@example.se) nor the account email.
    coupon(
        &mut case,
        json!({"email_restrictions": ["*@other.example", "bo@example.se"]}),
    );
    assert_eq!(only_reason(&case), ["email_restricted"]);
}

fn product_rule() -> impl Strategy<Value = ProductRule> {
    prop_oneof![
        (0usize..16, any::<bool>())
            .prop_map(|(line, via_parent)| ProductRule::Listed { line, via_parent }),
        any::<bool>().prop_map(|product_type| ProductRule::NotListed { product_type }),
        (0usize..16, any::<bool>())
            .prop_map(|(line, via_parent)| ProductRule::Excluded { line, via_parent }),
        Just(ProductRule::AllExcluded),
        (0usize..16).prop_map(|line| ProductRule::OneEligible { line }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Generated carts (variations among them) under a coupon whose product rules hold or fail by construction.
    #[test]
    fn generated_product_rules_decide_as_built(
        goods in 1usize..12,
        seed in any::<u64>(),
        rule in product_rule(),
        pick in 0usize..6,
    ) {
        // spec_for(n) gives n − 1 goods lines and a shipping line (one digital line alone for n = 1).
        let lines = if goods == 1 { 1 } else { goods + 1 };
        let (order, mut store) = gen::build(&gen::spec_for(lines, seed));
        let expected = gen::product_rule_coupon(&mut store, goods, &rule, pick);
        let v = Case::new(order, store.clone()).decide();
        let codes: Vec<&str> = if expected.is_empty() { vec![] } else { vec!["coupon_invalid"] };
        prop_assert_eq!(common::codes(&v), codes, "{:?} {:#}", rule, store["coupons"]);
        prop_assert_eq!(reasons(&v, "coupon_invalid"), expected);
    }
}
