//! The HTTP answer: 200, 303 to the cart or the checkout with the KCO 1.x flag and every code, or 400 JSON; and
//! every failure collected (D1).

mod common;

use common::{assert_approved, assert_codes, codes, Case};
use kco_validation::verdict::KCO_FLAGS;
use serde_json::{json, Value};

#[test]
fn approved_is_200_with_an_empty_body() {
    let v = Case::fixture("01").verdict();
    assert_eq!(
        v,
        json!({
            "approved": true,
            "codes": [],
            "failures": [],
            "flag": null,
            "response": {"status": 200, "location": null, "content_type": null, "body": ""},
            "claims": [{"stock_owner_id": 101, "quantity": 2}],
        })
    );
}

#[test]
fn stock_goes_to_the_cart_with_every_code() {
    let mut case = Case::fixture("01");
    case.store("/products/KOPP-STG-01/stock_quantity", json!(2))
        .store("/cart/coupons", json!(["ghost"]))
        .store("/cart/total", json!("1"));
    let v = case.verdict();
    assert_eq!(v["approved"], false);
    assert_eq!(
        v["codes"],
        json!(["insufficient_stock", "coupon_invalid", "totals_mismatch"])
    );
    assert_eq!(v["flag"], "stock_validate_failed");
    assert_eq!(
        v["response"],
        json!({
            "status": 303,
            "location": "https://shop.example/cart/?stock_validate_failed&kco_validation=insufficient_stock,coupon_invalid,totals_mismatch",
            "content_type": null,
            "body": "",
        })
    );
    let f = &v["failures"][0];
    assert_eq!(
        *f,
        json!({
            "code": "insufficient_stock",
            "message": "Only 1 of \"Kaffekopp i stengods, 30 cl\" is left.",
            "reference": "KOPP-STG-01",
            "expected": 2,
            "actual": 1,
            "reason": null,
            "params": {"name": "Kaffekopp i stengods, 30 cl", "available": 1, "requested": 2},
            "product_id": 101,
        })
    );
}

/// A checkout flag, the codes that bring it, and the change to sample 01 that causes them.
type Problem = (&'static str, Vec<&'static str>, fn(&mut Case));

/// Store changes on sample 01 that each bring one checkout flag, in KCO 1.x precedence order.
fn problems() -> Vec<Problem> {
    vec![
        ("no_shipping", vec!["shipping_unavailable"], |c| {
            c.store("/cart/available_shipping", json!([]))
                .store("/cart/chosen_shipping", json!([]));
        }),
        ("invalid_coupon", vec!["coupon_invalid"], |c| {
            c.store("/cart/coupons", json!(["ghost"]));
        }),
        ("needs_login", vec!["login_required"], |c| {
            c.store("/products/LINNE-150x250/subscription", json!(true))
                .store("/checkout/subscriptions_active", json!(true))
                .store("/checkout/registration_enabled", json!(false));
        }),
        ("email_exists", vec!["email_exists"], |c| {
            c.store("/products/LINNE-150x250/subscription", json!(true))
                .store("/checkout/subscriptions_active", json!(true))
                .store("/customer/email_exists", json!(true));
        }),
        ("totals_dont_match", vec!["totals_mismatch"], |c| {
            c.store("/cart/total", json!("846.50"));
        }),
        ("unable_to_process", vec!["session_mismatch"], |c| {
            c.store("/session/klarna_order_id", json!("another-order"));
        }),
    ]
}

#[test]
fn checkout_flags_follow_kco_precedence() {
    let problems = problems();
    assert_eq!(
        problems.iter().map(|p| p.0).collect::<Vec<_>>(),
        KCO_FLAGS[1..],
        "the precedence under test is the documented one"
    );
    for first in 0..problems.len() {
        let mut case = Case::fixture("01");
        let mut expected_codes: Vec<&str> = Vec::new();
        for (_, codes, apply) in &problems[first..] {
            apply(&mut case);
            expected_codes.extend(codes);
        }
        let v = case.decide();
        let flag = problems[first].0;
        assert_eq!(v.flag, Some(flag), "{:#}", v.to_value());
        let mut got = codes(&v);
        got.sort();
        expected_codes.sort();
        assert_eq!(got, expected_codes, "{flag}");
        assert_eq!(v.response.status, 303);
        let location = v.response.location.clone().unwrap();
        let all: Vec<&str> = codes(&v);
        assert_eq!(
            location,
            format!(
                "https://shop.example/checkout/?{flag}&kco_validation={}",
                all.join(",")
            )
        );
        // Each flag alone too.
        let mut alone = Case::fixture("01");
        (problems[first].2)(&mut alone);
        let v = alone.decide();
        assert_eq!(v.flag, Some(flag));
        assert_eq!(codes(&v), problems[first].1);
    }
}

#[test]
fn stock_beats_every_checkout_flag() {
    let mut case = Case::fixture("01");
    for (_, _, apply) in problems() {
        apply(&mut case);
    }
    case.store("/products/LINNE-150x250/purchasable", json!(false));
    let v = case.decide();
    assert_eq!(v.flag, Some("stock_validate_failed"));
    assert!(v
        .response
        .location
        .as_deref()
        .unwrap()
        .starts_with("https://shop.example/cart/?stock_validate_failed&kco_validation="));
}

#[test]
fn urls_that_carry_a_query_or_a_fragment_stay_valid() {
    // Sample 05's shop uses plain permalinks.
    let mut case = Case::fixture("05");
    case.store("/products/SCARF-MER-GRY/stock_quantity", json!(0));
    assert_eq!(
        case.decide().response.location.as_deref(),
        Some("https://shop.example/?page_id=5&stock_validate_failed&kco_validation=out_of_stock")
    );
    let mut case = Case::fixture("05");
    case.store("/cart/total", json!("60"));
    assert_eq!(
        case.decide().response.location.as_deref(),
        Some("https://shop.example/?page_id=6&totals_dont_match&kco_validation=totals_mismatch")
    );
    // A language query, a fragment, and stale flags from an earlier attempt.
    case.store(
        "/urls/checkout",
        json!("https://shop.example/kasse/?lang=de&totals_dont_match&kco_validation=old#klarna"),
    );
    assert_eq!(
        case.decide().response.location.as_deref(),
        Some("https://shop.example/kasse/?lang=de&totals_dont_match&kco_validation=totals_mismatch#klarna")
    );
}

fn error_json(case: &mut Case) -> Value {
    case.store("/options/response_mode", json!("error_json"));
    let v = case.decide();
    assert_eq!(v.response.status, 400);
    assert_eq!(v.response.location, None);
    assert_eq!(
        v.response.content_type,
        Some("application/json; charset=utf-8")
    );
    serde_json::from_str(&v.response.body).unwrap()
}

#[test]
fn error_json_mode_answers_400_with_every_message() {
    let mut case = Case::fixture("01");
    case.store("/products/KOPP-STG-01/stock_quantity", json!(2))
        .store("/cart/coupons", json!(["ghost"]));
    let body = error_json(&mut case);
    assert_eq!(
        body,
        json!({
            "error_type": "approval_failed",
            "error_text": "Only 1 of \"Kaffekopp i stengods, 30 cl\" is left. The coupon \"ghost\" does not exist.",
        })
    );
    // The flag is still chosen for the plugin's notice.
    assert_eq!(case.decide().flag, Some("stock_validate_failed"));
    // The approval is still a plain 200.
    let mut case = Case::fixture("01");
    case.store("/options/response_mode", json!("error_json"));
    assert_approved(&case.decide());
}

#[test]
fn error_json_mode_blames_the_address_when_only_the_rate_is_unavailable() {
    let mut case = Case::fixture("01");
    case.store("/cart/available_shipping", json!(["local_pickup:4"]))
        .store("/cart/chosen_shipping", json!([]));
    let body = error_json(&mut case);
    assert_eq!(body["error_type"], "address_error");
    assert_eq!(
        body["error_text"],
        "The shipping method \"PostNord Varubrev 1:a klass\" is not available for your address."
    );
    // Another reason with it: not only the address.
    case.store("/cart/total", json!("1"));
    assert_eq!(error_json(&mut case)["error_type"], "approval_failed");
    // A missing shipping method is not an address problem.
    let mut case = Case::fixture("07");
    case.drop_order("/selected_shipping_option");
    assert_eq!(error_json(&mut case)["error_type"], "approval_failed");
}

#[test]
fn sample_10_answers_in_error_json_mode() {
    let mut case = Case::fixture("10");
    case.store("/products/LAMPA-LED-ARM/held", json!(1));
    let v = case.decide();
    assert_codes(&v, &["insufficient_stock"]);
    assert_eq!(v.response.status, 400);
    let body: Value = serde_json::from_str(&v.response.body).unwrap();
    assert_eq!(
        body["error_text"],
        "Only 3 of \"Skrivbordslampa LED med arm\" are left."
    );
}

#[test]
fn every_failure_is_collected() {
    // D1: stock, coupon, shipping and totals problems in one order, all reported.
    let mut case = Case::fixture("02");
    let now = case.store["now"].as_i64().unwrap();
    case.store("/products/LINNE-150x250/held", json!(3))
        .store("/coupons/summer10/expires", json!(now - 60))
        .store("/cart/available_shipping", json!([]))
        .store("/cart/chosen_shipping", json!([]))
        .store("/cart/total", json!("700.00"))
        .store("/cart/lines/0/quantity", json!(1))
        .store("/checkout/registration_required", json!(true))
        .store("/customer/email_exists", json!(true));
    let v = case.decide();
    assert_codes(
        &v,
        &[
            "out_of_stock",
            "shipping_unavailable",
            "coupon_invalid",
            "login_required",
            "totals_mismatch",
            "cart_mismatch",
        ],
    );
    assert_eq!(v.failures.len(), 6);
    assert_eq!(
        v.response.location.as_deref(),
        Some(
            "https://shop.example/cart/?stock_validate_failed&kco_validation=out_of_stock,shipping_unavailable,\
             coupon_invalid,login_required,totals_mismatch,cart_mismatch"
        )
    );
}

#[test]
fn every_code_maps_to_a_documented_flag() {
    use kco_validation::Code;
    for code in Code::ALL {
        assert!(KCO_FLAGS.contains(&code.kco_flag()), "{code}");
        assert_eq!(
            code.is_stock(),
            code.kco_flag() == "stock_validate_failed",
            "{code}"
        );
        assert_eq!(code.to_string(), code.as_str());
    }
}

/// The pages are optional (the plugin builds them only for a denial): an approval needs none, and a denial in
/// redirect mode without them is a 303 whose Location is left for the plugin to fill (it asks again with them).
#[test]
fn pages_are_only_needed_to_deny() {
    let mut approve = Case::fixture("01");
    approve.drop_store("/urls");
    let v = approve.verdict();
    assert_eq!(v["approved"], true);
    assert_eq!(v["response"]["status"], 200);

    let mut deny = Case::fixture("01");
    deny.drop_store("/urls")
        .store("/products/KOPP-STG-01/stock_quantity", json!(0));
    let v = deny.verdict();
    assert_eq!(v["approved"], false);
    assert_eq!(v["codes"], json!(["out_of_stock"]));
    assert_eq!(v["flag"], "stock_validate_failed");
    assert_eq!(v["response"]["status"], 303);
    assert_eq!(v["response"]["location"], Value::Null);

    let mut with_pages = Case::fixture("01");
    with_pages.store("/products/KOPP-STG-01/stock_quantity", json!(0));
    let location = with_pages.verdict()["response"]["location"].clone();
    assert!(
        location
            .as_str()
            .is_some_and(|l| l.contains("kco_validation=out_of_stock")),
        "{location}"
    );
}
