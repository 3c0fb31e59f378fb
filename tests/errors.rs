//! Snapshots and bodies that cannot be read: errors that start with the key path or name the field.

mod common;

use common::{assert_approved, Case};
use kco_validation::{parse_order, Store};
use serde_json::json;

fn snapshot_error(case: &Case) -> String {
    let e = Store::from_value(case.store.clone()).expect_err("the snapshot should be refused");
    let text = e.to_string();
    assert_eq!(text, format!("{}: {}", e.path, e.problem));
    text
}

#[test]
fn a_missing_key_starts_with_its_path() {
    for (pointer, path) in [
        (
            "/products/KOPP-STG-01/stock_quantity",
            "products.KOPP-STG-01.stock_quantity",
        ),
        ("/products/KOPP-STG-01/held", "products.KOPP-STG-01.held"),
        ("/cart/lines/0/total", "cart.lines[0].total"),
        ("/cart/lines/1/reference", "cart.lines[1].reference"),
        ("/coupons/summer10/exists", "coupons.summer10.exists"),
        ("/session/found", "session.found"),
        ("/urls/checkout", "urls.checkout"),
        ("/customer", "customer"),
        ("/now", "now"),
    ] {
        let mut case = Case::fixture("02");
        case.drop_store(pointer);
        assert_eq!(
            snapshot_error(&case),
            format!("{path}: is missing"),
            "{pointer}"
        );
    }
}

#[test]
fn a_mistyped_key_starts_with_its_path() {
    for (pointer, value, start) in [
        (
            "/products/KOPP-STG-01/stock_quantity",
            json!("12"),
            "products.KOPP-STG-01.stock_quantity: invalid type: string",
        ),
        (
            "/products/KOPP-STG-01/stock_quantity",
            json!(1.5),
            "products.KOPP-STG-01.stock_quantity: invalid type: floating point",
        ),
        (
            "/cart/lines/0/total",
            json!(true),
            "cart.lines[0].total: invalid type: boolean",
        ),
        (
            "/cart/lines/0/quantity",
            json!("2"),
            "cart.lines[0].quantity: invalid type: string",
        ),
        (
            "/cart/coupons",
            json!("summer10"),
            "cart.coupons: invalid type: string",
        ),
        (
            "/session/klarna_order_id",
            json!(7),
            "session.klarna_order_id: invalid type: integer",
        ),
        (
            "/options/response_mode",
            json!("json"),
            "options.response_mode: unknown variant `json`",
        ),
        (
            "/options/unknown_products",
            json!("allow"),
            "options.unknown_products: unknown variant `allow`",
        ),
        (
            "/coupons/summer10/used_by",
            json!([17]),
            "coupons.summer10.used_by[0]: invalid type: integer",
        ),
    ] {
        let mut case = Case::fixture("02");
        case.store(pointer, value);
        let text = snapshot_error(&case);
        assert!(text.starts_with(start), "{pointer}: {text}");
    }
}

#[test]
fn null_only_where_the_contract_allows_it() {
    let mut case = Case::fixture("01");
    case.store("/products/KOPP-STG-01/stock_quantity", json!(null))
        .store("/products/KOPP-STG-01/manage_stock", json!(false));
    assert_approved(&case.decide());
    let mut case = Case::fixture("01");
    case.store("/products/KOPP-STG-01/held", json!(null));
    assert!(snapshot_error(&case).starts_with("products.KOPP-STG-01.held: invalid type: null"));
    let mut case = Case::fixture("01");
    case.store("/cart/total", json!(null));
    assert!(snapshot_error(&case).starts_with("cart.total: invalid type: null"));
}

#[test]
fn money_as_a_float_is_refused() {
    let mut case = Case::fixture("01");
    case.store("/cart/total", json!(846.0));
    assert_eq!(
        snapshot_error(&case),
        "cart.total: got the float 846; give money as a decimal string (floats are not exact)"
    );
    let mut case = Case::fixture("01");
    case.store("/cart/lines/1/tax", json!(99.8));
    assert!(snapshot_error(&case).starts_with("cart.lines[1].tax: got the float 99.8"));
    let mut case = Case::fixture("02");
    case.store("/coupons/summer10/minimum_amount", json!(0.5));
    assert!(snapshot_error(&case).starts_with("coupons.summer10.minimum_amount: got the float"));
}

#[test]
fn money_must_be_a_plain_decimal() {
    for bad in ["846,00", "1e3", "SEK 846", "", "846.", "--1", "0x10"] {
        let mut case = Case::fixture("01");
        case.store("/cart/total", json!(bad));
        let text = snapshot_error(&case);
        assert!(
            text.starts_with(&format!("cart.total: {bad:?} is not a decimal number")),
            "{text}"
        );
    }
    // Ints and negative decimals are money.
    let mut case = Case::fixture("01");
    case.store("/cart/lines/0/total", json!("-0.00"))
        .store("/cart/subtotal", json!(637));
    assert!(Store::from_value(case.store.clone()).is_ok());
}

#[test]
fn ranges_and_urls() {
    for (pointer, value, expected) in [
        (
            "/cart/lines/0/quantity",
            json!(-1),
            "cart.lines[0].quantity: is negative (-1)",
        ),
        (
            "/products/LINNE-150x250/held",
            json!(-2),
            "products.LINNE-150x250.held: is negative (-2)",
        ),
        (
            "/options/total_tolerance",
            json!(-1),
            "options.total_tolerance: is negative (-1)",
        ),
        (
            "/price_decimals",
            json!(9),
            "price_decimals: must be 0..8, got 9",
        ),
        (
            "/currency",
            json!("kr"),
            "currency: must be 3 letters, got \"kr\"",
        ),
        (
            "/urls/cart",
            json!("/cart/"),
            "urls.cart: must be an absolute http(s) URL, got \"/cart/\"",
        ),
    ] {
        let mut case = Case::fixture("01");
        case.store(pointer, value);
        assert_eq!(snapshot_error(&case), expected, "{pointer}");
    }
    let mut case = Case::fixture("01");
    case.store(
        "/urls/checkout",
        json!("https://shop.example/\r\nSet-Cookie: a=b"),
    );
    assert!(snapshot_error(&case).starts_with("urls.checkout: contains the character '\\r'"));
}

#[test]
fn the_snapshot_must_be_json() {
    let e = Store::from_json("{\"currency\":").unwrap_err();
    assert_eq!(e.path, "store");
    assert!(e.problem.starts_with("is not valid JSON"), "{e}");
    // An empty PHP array arrives as [] and lacks the first key.
    let e = Store::from_json("[]").unwrap_err();
    assert_eq!(e.to_string(), "currency: is missing");
    let e = Store::from_json("\"SEK\"").unwrap_err();
    assert!(
        e.to_string().starts_with("store: invalid type: string"),
        "{e}"
    );
}

#[test]
fn map_keys_given_as_a_json_list_are_accepted() {
    // PHP hands over an array with keys 0, 1, … as a list: products keyed "0" and "1".
    let mut case = Case::fixture("01");
    let kopp = case.store["products"]["KOPP-STG-01"].clone();
    let linne = case.store["products"]["LINNE-150x250"].clone();
    case.store("/products", json!([kopp, linne]))
        .order("/order_lines/0/reference", json!("0"))
        .order("/order_lines/1/reference", json!("1"))
        .store("/cart/lines/0/reference", json!("0"))
        .store("/cart/lines/1/reference", json!("1"));
    assert_approved(&case.decide());
    let store = Store::from_value(case.store.clone()).unwrap();
    assert_eq!(store.products.keys().collect::<Vec<_>>(), ["0", "1"]);
    // Their stock is checked under those keys.
    case.store("/products/0/stock_quantity", json!(2));
    assert_eq!(common::codes(&case.decide()), ["insufficient_stock"]);
    // An empty PHP array is [] in JSON.
    case.store("/coupons", json!([]));
    assert!(Store::from_value(case.store.clone()).is_ok());
}

#[test]
fn optional_keys_and_unknown_keys() {
    let mut case = Case::fixture("01");
    case.drop_store("/session/own_order_id")
        .drop_store("/customer/user_ids_for_email")
        .store("/plugin_version", json!("1.2.3"))
        .store("/products/KOPP-STG-01/sku_history", json!(["a", "b"]));
    assert_approved(&case.decide());
    let store = Store::from_value(case.store.clone()).unwrap();
    assert!(store.cart.shipping_enabled);
    assert_eq!(store.options.total_tolerance, 0);
}

#[test]
fn amounts_too_large_for_the_currency_are_an_error_not_a_panic() {
    let mut case = Case::fixture("01");
    case.store("/cart/total", json!("99999999999999999999"));
    let e = case.try_decide().unwrap_err();
    assert!(e.starts_with("validate: cart.total: "), "{e}");
    let mut case = Case::fixture("01");
    case.store("/cart/lines/1/tax", json!("92233720368547758.07"));
    let e = case.try_decide().unwrap_err();
    assert!(e.starts_with("validate: cart.lines[1].total: "), "{e}");
}

fn parse_error(case: &Case) -> String {
    let body = serde_json::to_vec(&case.order).unwrap();
    parse_order(&body)
        .expect_err("the body should be refused")
        .to_string()
}

#[test]
fn parse_errors_name_the_field() {
    for (pointer, value, start) in [
        (
            "/order_lines/1/total_amount",
            json!("49900"),
            "order_lines[1].total_amount: invalid type: string",
        ),
        (
            "/order_lines/0/quantity",
            json!(2.0),
            "order_lines[0].quantity: invalid type: floating point",
        ),
        (
            "/order_lines/2/type",
            json!("freight"),
            "order_lines[2].type: unknown variant `freight`",
        ),
        (
            "/order_lines/0/total_discount_amount",
            json!(-1),
            "order_lines[0].total_discount_amount: is negative (-1)",
        ),
        (
            "/order_lines/0/reference",
            json!(""),
            "order_lines[0].reference: is missing on a goods line",
        ),
        ("/order_amount", json!(-1), "order_amount: is negative (-1)"),
        (
            "/order_tax_amount",
            json!(null),
            "order_tax_amount: invalid type: null",
        ),
        (
            "/billing_address/email",
            json!(42),
            "billing_address.email: invalid type: integer",
        ),
        (
            "/purchase_country",
            json!("swe"),
            "purchase_country: must be 2 letters, got \"swe\"",
        ),
        ("/order_id", json!(" "), "order_id: is empty"),
        (
            "/merchant_data",
            json!({"coupons": []}),
            "merchant_data: invalid type: map",
        ),
    ] {
        let mut case = Case::fixture("01");
        case.order(pointer, value);
        let text = parse_error(&case);
        assert!(text.starts_with(start), "{pointer}: {text}");
    }
    let mut case = Case::fixture("07");
    case.order("/selected_shipping_option/price", json!("59"));
    assert!(parse_error(&case).starts_with("selected_shipping_option.price: invalid type: string"));
    let mut case = Case::fixture("07");
    case.drop_order("/selected_shipping_option/id");
    let text = parse_error(&case);
    assert!(
        text.starts_with("selected_shipping_option: missing field `id`"),
        "{text}"
    );
    let mut case = Case::fixture("01");
    case.drop_order("/order_lines/1/total_tax_amount");
    let text = parse_error(&case);
    assert!(
        text.starts_with("order_lines[1]: missing field `total_tax_amount`"),
        "{text}"
    );
    let mut case = Case::fixture("01");
    case.drop_order("/purchase_currency");
    assert!(parse_error(&case).contains("missing field `purchase_currency`"));
}

#[test]
fn parse_accepts_what_klarna_may_send() {
    // Lines without a type are physical; optional keys null or absent; unknown keys ignored.
    let mut case = Case::fixture("01");
    case.drop_order("/order_lines/0/type")
        .order("/order_lines/1/total_discount_amount", json!(null))
        .order("/shipping_address", json!(null))
        .order("/merchant_data", json!("not json"))
        .order("/discount_lines", json!([{"anything": 1}]));
    assert_approved(&case.decide());
    // PHP-style escaping of the same body.
    let text = String::from_utf8(common::klarna_bytes("03")).unwrap();
    let escaped: String = text
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string().replace('/', "\\/")
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect();
    let a = parse_order(text.as_bytes()).unwrap();
    let b = parse_order(escaped.as_bytes()).unwrap();
    assert_eq!(a.order_lines[0].name, b.order_lines[0].name);
    assert_eq!(b.order_lines[1].name, "Kaffe, hele bønner 500 g");
}

/// ext-php-rs turns a panic into a PHP `\Error` only when it can unwind: no profile may set `panic = "abort"`.
#[test]
fn no_build_profile_aborts_on_panic() {
    let manifest = include_str!("../Cargo.toml");
    let aborting: Vec<&str> = manifest
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| l.replace(' ', "") == "panic=\"abort\"")
        .collect();
    assert!(aborting.is_empty(), "Cargo.toml sets {aborting:?}");
    assert!(
        manifest.contains("[profile.release]"),
        "the release profile is declared (and checked here)"
    );
}

#[test]
fn shape_rules_are_those_of_the_php_reader() {
    // A list where the contract has a struct (serde would read it field by field) is refused, at any level.
    for (pointer, value, expected) in [
        (
            "/session",
            json!([true, false, "17"]),
            "session: must be a map with named keys, got a list",
        ),
        (
            "/products/KOPP-STG-01",
            json!([101, 101, true]),
            "products.KOPP-STG-01: must be a map with named keys, got a list",
        ),
        (
            "/cart/lines/0",
            json!([101, 0]),
            "cart.lines[0]: must be a map with named keys, got a list",
        ),
        (
            "/cart/chosen_shipping",
            json!({"a": "flat_rate:1"}),
            "cart.chosen_shipping: must be a list, got a map with named keys",
        ),
    ] {
        let mut case = Case::fixture("01");
        case.store(pointer, value);
        assert_eq!(snapshot_error(&case), expected, "{pointer}");
    }
    let e = Store::from_value(json!([1, 2])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "store: must be a map with named keys, got a list"
    );
    // An empty array is an empty struct (its keys are missing), an empty map, or an empty list.
    let mut case = Case::fixture("01");
    case.store("/options", json!([]))
        .store("/coupons", json!({}));
    assert!(Store::from_value(case.store.clone()).is_ok());
    case.store("/session", json!([]));
    assert_eq!(snapshot_error(&case), "session.found: is missing");
    // Entries of a list-shaped map are named by their index as a key.
    let mut case = Case::fixture("01");
    let mut kopp = case.store["products"]["KOPP-STG-01"].clone();
    kopp.as_object_mut().unwrap().remove("held");
    case.store("/products", json!([kopp]));
    assert_eq!(snapshot_error(&case), "products.0.held: is missing");
    // Nesting is bounded, also under keys the snapshot does not know.
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = json!([deep]);
    }
    let mut case = Case::fixture("01");
    case.store("/options/extra", deep);
    assert!(
        snapshot_error(&case).contains("is nested more than 32 levels deep"),
        "{}",
        snapshot_error(&case)
    );
}
