//! The bundled example (`examples/`) is what `make demo` runs: it must approve, and its out-of-stock twin deny.

use kco_validation::{parse_order, validate, Store};

fn decide(store_file: &str) -> serde_json::Value {
    let order = parse_order(&std::fs::read("examples/order.json").unwrap()).unwrap();
    let store = Store::from_json(&std::fs::read_to_string(store_file).unwrap()).unwrap();
    validate(&order, &store).unwrap().to_value()
}

#[test]
fn example_is_approved() {
    let v = decide("examples/store.json");
    assert_eq!(v["approved"], true, "{v:#}");
    assert_eq!(v["response"]["status"], 200);
}

#[test]
fn out_of_stock_example_is_denied_with_every_reason() {
    let v = decide("examples/store-out-of-stock.json");
    assert_eq!(v["approved"], false);
    assert_eq!(
        v["codes"],
        serde_json::json!(["insufficient_stock", "coupon_invalid"]),
        "{v:#}"
    );
    assert_eq!(
        v["failures"][0]["message"],
        "Only 1 of \"Kaffekopp i stengods, 30 cl\" is left."
    );
    assert_eq!(v["response"]["status"], 303);
    assert_eq!(
        v["response"]["location"],
        "https://shop.example/varukorg/?stock_validate_failed&kco_validation=insufficient_stock,coupon_invalid"
    );
}
