//! Stock, as WooCommerce decides it (reference §3.1, D2, D3, D5).

mod common;

use common::{assert_approved, assert_codes, messages, simple, Case};
use serde_json::json;

fn product(case: &mut Case, reference: &str, fields: serde_json::Value) {
    for (k, v) in fields.as_object().unwrap() {
        case.store(&format!("/products/{reference}/{k}"), v.clone());
    }
}

#[test]
fn enough_stock_is_approved() {
    let mut case = simple(&[(5, 9900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 5, "held": 0}),
    );
    assert_approved(&case.decide());
}

#[test]
fn too_little_stock_says_how_many_are_left() {
    let mut case = simple(&[(5, 9900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 4, "name": "Blue mug"}),
    );
    let v = case.decide();
    assert_codes(&v, &["insufficient_stock"]);
    let f = &v.failures[0];
    assert_eq!(f.message, "Only 4 of \"Blue mug\" are left.");
    assert_eq!(f.reference.as_deref(), Some("GEN-0000"));
    let j = f.to_value();
    assert_eq!(j["expected"], 5);
    assert_eq!(j["actual"], 4);
    assert_eq!(
        j["params"],
        json!({"name": "Blue mug", "available": 4, "requested": 5})
    );
    assert_eq!(j["reason"], serde_json::Value::Null);
}

#[test]
fn one_left_is_singular() {
    let mut case = simple(&[(2, 9900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 1, "name": "Blue mug"}),
    );
    assert_eq!(
        messages(&case.decide(), "insufficient_stock"),
        ["Only 1 of \"Blue mug\" is left."]
    );
}

#[test]
fn held_stock_of_other_orders_is_subtracted() {
    let mut case = simple(&[(5, 9900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 9, "held": 5, "name": "Blue mug"}),
    );
    assert_eq!(
        messages(&case.decide(), "insufficient_stock"),
        ["Only 4 of \"Blue mug\" are left."]
    );
    product(&mut case, "GEN-0000", json!({"held": 4}));
    assert_approved(&case.decide());
}

#[test]
fn everything_held_is_out_of_stock() {
    let mut case = simple(&[(2, 9900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 3, "held": 3, "name": "Blue mug"}),
    );
    let v = case.decide();
    assert_codes(&v, &["out_of_stock"]);
    assert_eq!(v.failures[0].message, "\"Blue mug\" is out of stock.");
    assert_eq!(v.failures[0].to_value()["expected"], 2);
    assert_eq!(v.failures[0].to_value()["actual"], 0);
    // Held stock larger than the stock never gives a negative count.
    product(&mut case, "GEN-0000", json!({"held": 7}));
    assert_codes(&case.decide(), &["out_of_stock"]);
}

#[test]
fn quantities_are_summed_per_stock_owner() {
    // Two variations that share their parent's stock (owner 500): 3 + 2 of 4 fail, though each line alone fits.
    let mut case = simple(&[(3, 9900), (2, 9900)]);
    for r in ["GEN-0000", "GEN-0001"] {
        product(
            &mut case,
            r,
            json!({"stock_owner_id": 500, "stock_quantity": 4, "held": 0, "name": "Blue mug"}),
        );
    }
    let v = case.decide();
    assert_codes(&v, &["insufficient_stock"]);
    assert_eq!(v.failures.len(), 1, "one failure per stock owner");
    assert_eq!(v.failures[0].message, "Only 4 of \"Blue mug\" are left.");
    assert_eq!(v.failures[0].to_value()["expected"], 5);
    // With separate owners each line fits.
    product(&mut case, "GEN-0001", json!({"stock_owner_id": 1001}));
    assert_approved(&case.decide());
}

#[test]
fn the_same_product_on_two_lines_is_summed() {
    let mut case = simple(&[(3, 9900), (3, 9900)]);
    // Both lines name GEN-0000; the cart holds it once with quantity 6.
    case.order("/order_lines/1/reference", json!("GEN-0000"));
    // 297.00 incl. tax = 237.60 + 59.40, twice.
    case.drop_store("/cart/lines/1")
        .store("/cart/lines/0/quantity", json!(6))
        .store("/cart/lines/0/total", json!("475.20"))
        .store("/cart/lines/0/tax", json!("118.80"));
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 6, "held": 0}),
    );
    assert_approved(&case.decide());
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_quantity": 5, "name": "Blue mug"}),
    );
    let v = case.decide();
    assert_codes(&v, &["insufficient_stock"]);
    assert_eq!(v.failures[0].message, "Only 5 of \"Blue mug\" are left.");
}

#[test]
fn backorders_notify_and_yes_pass() {
    let mut case = simple(&[(3, 9900)]);
    for backorders in ["notify", "yes"] {
        product(
            &mut case,
            "GEN-0000",
            json!({"stock_quantity": 0, "stock_status": "onbackorder", "backorders": backorders}),
        );
        assert_approved(&case.decide());
        product(&mut case, "GEN-0000", json!({"stock_quantity": -4}));
        assert_approved(&case.decide());
    }
    product(
        &mut case,
        "GEN-0000",
        json!({"backorders": "no", "stock_quantity": 0}),
    );
    assert_codes(&case.decide(), &["out_of_stock"]);
}

#[test]
fn unmanaged_stock_passes_unless_out_of_stock() {
    let mut case = simple(&[(300, 900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"manage_stock": false, "stock_quantity": null}),
    );
    assert_approved(&case.decide());
    product(
        &mut case,
        "GEN-0000",
        json!({"stock_status": "outofstock", "name": "Blue mug"}),
    );
    let v = case.decide();
    assert_codes(&v, &["out_of_stock"]);
    assert_eq!(v.failures[0].message, "\"Blue mug\" is out of stock.");
    assert_eq!(v.failures[0].reference.as_deref(), Some("GEN-0000"));
}

#[test]
fn outofstock_status_fails_even_with_stock_left() {
    let mut case = simple(&[(1, 9900), (1, 9900)]);
    product(
        &mut case,
        "GEN-0001",
        json!({"stock_quantity": 50, "stock_status": "outofstock"}),
    );
    let v = case.decide();
    assert_codes(&v, &["out_of_stock"]);
    assert_eq!(v.failures.len(), 1);
    assert_eq!(v.failures[0].reference.as_deref(), Some("GEN-0001"));
}

#[test]
fn not_purchasable() {
    let mut case = simple(&[(1, 9900)]);
    product(
        &mut case,
        "GEN-0000",
        json!({"purchasable": false, "name": "Blue mug"}),
    );
    let v = case.decide();
    assert_codes(&v, &["not_purchasable"]);
    assert_eq!(
        v.failures[0].message,
        "\"Blue mug\" can no longer be bought."
    );
    assert_eq!(v.failures[0].reference.as_deref(), Some("GEN-0000"));
}

#[test]
fn unknown_product_is_denied_by_default_and_ignored_on_request() {
    let mut case = Case::fixture("01");
    case.drop_store("/products/LINNE-150x250");
    let v = case.decide();
    assert_codes(&v, &["unknown_product"]);
    assert_eq!(
        v.failures[0].message,
        "\"Linneduk 150x250 cm, naturvit\" (LINNE-150x250) could not be found in this shop."
    );
    assert_eq!(v.failures[0].reference.as_deref(), Some("LINNE-150x250"));
    assert_eq!(v.response.status, 303);
    assert_eq!(
        v.response.location.as_deref(),
        Some("https://shop.example/cart/?stock_validate_failed&kco_validation=unknown_product")
    );

    case.store("/options/unknown_products", json!("deny"));
    assert_codes(&case.decide(), &["unknown_product"]);
    case.store("/options/unknown_products", json!("ignore"));
    assert_approved(&case.decide());
}

#[test]
fn an_unknown_product_still_needs_shipping_from_the_cart() {
    // D2: in 1.x a product it could not find did not count for shipping. Here the cart's needs_shipping says so.
    let mut case = Case::fixture("01");
    case.store("/options/unknown_products", json!("ignore"))
        .drop_store("/products/KOPP-STG-01")
        .drop_store("/products/LINNE-150x250");
    assert_approved(&case.decide());
    // Without the shipping line (and the totals adjusted) shipping is missing.
    case.drop_order("/order_lines/2")
        .order("/order_amount", json!(79700))
        .order("/order_tax_amount", json!(15940))
        .store("/cart/total", json!("797.00"))
        .store("/cart/total_tax", json!("159.40"));
    assert_codes(&case.decide(), &["shipping_missing"]);
}

#[test]
fn a_variation_is_checked_against_its_own_entry_not_its_parent() {
    // D3: the parent MUG is in stock, its variation MUG-BLUE is not. The line names the variation.
    let mut case = simple(&[(1, 9900)]);
    case.order("/order_lines/0/reference", json!("MUG-BLUE"))
        .store("/cart/lines/0/product_id", json!(10))
        .store("/cart/lines/0/variation_id", json!(11))
        .store("/cart/lines/0/reference", json!("MUG-BLUE"));
    case.drop_store("/products/GEN-0000");
    case.store(
        "/products/MUG",
        json!({"id": 10, "stock_owner_id": 10, "purchasable": true, "virtual": false, "manage_stock": true,
               "stock_quantity": 100, "held": 0, "stock_status": "instock", "backorders": "no", "name": "Mug"}),
    );
    case.store(
        "/products/MUG-BLUE",
        json!({"id": 11, "stock_owner_id": 11, "purchasable": true, "virtual": false, "manage_stock": true,
               "stock_quantity": 0, "held": 0, "stock_status": "outofstock", "backorders": "no",
               "name": "Mug - Blue"}),
    );
    let v = case.decide();
    assert_codes(&v, &["out_of_stock"]);
    assert_eq!(v.failures[0].message, "\"Mug - Blue\" is out of stock.");
    assert_eq!(v.failures[0].reference.as_deref(), Some("MUG-BLUE"));

    // And the other way round: the variation in stock passes although the parent is out of stock.
    product(
        &mut case,
        "MUG-BLUE",
        json!({"stock_quantity": 3, "stock_status": "instock"}),
    );
    product(
        &mut case,
        "MUG",
        json!({"stock_quantity": 0, "stock_status": "outofstock"}),
    );
    assert_approved(&case.decide());
}

#[test]
fn stock_failures_are_reported_per_line_not_just_the_first() {
    let mut case = simple(&[(2, 9900), (2, 9900), (2, 9900), (2, 9900)]);
    product(&mut case, "GEN-0000", json!({"stock_quantity": 1}));
    product(&mut case, "GEN-0001", json!({"purchasable": false}));
    product(&mut case, "GEN-0002", json!({"stock_status": "outofstock"}));
    case.drop_store("/products/GEN-0003");
    let v = case.decide();
    assert_codes(
        &v,
        &[
            "not_purchasable",
            "out_of_stock",
            "unknown_product",
            "insufficient_stock",
        ],
    );
    let refs: Vec<_> = v
        .failures
        .iter()
        .map(|f| f.reference.clone().unwrap())
        .collect();
    assert_eq!(refs, ["GEN-0001", "GEN-0002", "GEN-0003", "GEN-0000"]);
}

#[test]
fn non_goods_lines_are_not_products() {
    // The shipping_fee and discount lines of sample 02 name no product and are not looked up.
    let case = Case::fixture("02");
    assert!(case.store["products"].get("flat_rate:3").is_none());
    assert!(case.store["products"].get("summer10").is_none());
    assert_approved(&case.decide());
}

#[test]
fn shared_stock_with_an_outofstock_variation_is_reported_the_same_in_any_line_order() {
    // Two variations of one parent (owner 500, nothing left); the first is marked outofstock. Found by
    // properties.rs: the owner's empty stock was reported again only when the outofstock line came first.
    for oos_first in [true, false] {
        let mut case = simple(&[(1, 100), (1, 100)]);
        for r in ["GEN-0000", "GEN-0001"] {
            product(
                &mut case,
                r,
                json!({"stock_owner_id": 500, "stock_quantity": 0}),
            );
        }
        product(&mut case, "GEN-0000", json!({"stock_status": "outofstock"}));
        if !oos_first {
            let lines = case.order["order_lines"].as_array().unwrap().clone();
            case.order("/order_lines", json!([lines[1], lines[0], lines[2]]));
        }
        let v = case.decide();
        assert_codes(&v, &["out_of_stock"]);
        assert_eq!(
            v.failures.len(),
            1,
            "oos first: {oos_first}: {:#}",
            v.to_value()
        );
        assert_eq!(v.failures[0].reference.as_deref(), Some("GEN-0000"));
    }
}

#[test]
fn extreme_stock_figures_neither_panic_nor_wrap() {
    // Found by properties.rs: `held + requested` and `stock - held` overflowed (a panic in debug builds, and in
    // release a wrapped sum that approved an order against i64::MAX held units).
    let mut case = simple(&[(2, 9900)]);
    product(&mut case, "GEN-0000", json!({"held": i64::MAX}));
    assert_codes(&case.decide(), &["out_of_stock"]);
    product(
        &mut case,
        "GEN-0000",
        json!({"held": 1, "stock_quantity": i64::MIN}),
    );
    assert_codes(&case.decide(), &["out_of_stock"]);
    product(
        &mut case,
        "GEN-0000",
        json!({"held": 0, "stock_quantity": i64::MAX}),
    );
    assert_approved(&case.decide());
}

#[test]
fn variations_sharing_their_parents_sku_are_each_checked_through_product_key() {
    // D3, the hard case: Red and Blue have no SKU of their own, so KCO sends the parent's "TEE" for both lines.
    // The cart names each item's entry (`product_key`); the n-th "TEE" line is the n-th "TEE" cart line.
    let mut case = simple(&[(1, 9900), (2, 9900)]);
    let entry = |id: i64, stock: i64, name: &str| {
        json!({"id": id, "stock_owner_id": id, "purchasable": true, "virtual": false, "manage_stock": true,
               "stock_quantity": stock, "held": 0,
               "stock_status": if stock > 0 { "instock" } else { "outofstock" }, "backorders": "no", "name": name})
    };
    for i in 0..2 {
        case.order(&format!("/order_lines/{i}/reference"), json!("TEE"))
            .store(&format!("/cart/lines/{i}/product_id"), json!(20))
            .store(&format!("/cart/lines/{i}/variation_id"), json!(21 + i))
            .store(&format!("/cart/lines/{i}/reference"), json!("TEE"))
            .store(
                &format!("/cart/lines/{i}/product_key"),
                json!(format!("#{}", 21 + i)),
            );
        case.drop_store(&format!("/products/GEN-000{i}"));
    }
    case.store("/products/TEE", entry(20, 100, "T-shirt"))
        .store("/products/#21", entry(21, 5, "T-shirt - Red"))
        .store("/products/#22", entry(22, 1, "T-shirt - Blue"));
    let v = case.decide();
    assert_codes(&v, &["insufficient_stock"]);
    assert_eq!(
        v.failures[0].message,
        "Only 1 of \"T-shirt - Blue\" is left."
    );
    // Enough Blue: approved, and the cart match sees two items, not one "TEE" with quantity 3.
    case.store("/products/#22", entry(22, 2, "T-shirt - Blue"));
    assert_approved(&case.decide());
    // Without product_key both lines would be the parent (100 in stock) and Blue's shortage would pass unseen.
    case.store("/products/#22", entry(22, 1, "T-shirt - Blue"));
    for i in 0..2 {
        case.drop_store(&format!("/cart/lines/{i}/product_key"));
    }
    assert!(case
        .decide()
        .failures
        .iter()
        .all(|f| f.code.as_str() != "insufficient_stock"));
}

/// What an approval takes (`claims`, issue 13): per stock owner whose stock is managed and allows no backorders,
/// summed over its lines; unmanaged stock and backorders take nothing.
#[test]
fn claims_are_per_stock_owner_of_managed_stock_without_backorders() {
    use kco_validation::verdict::StockClaim;
    let mut case = simple(&[(2, 9900), (3, 1000), (1, 500), (4, 700)]);
    // GEN-0001 is a variation whose stock its parent (GEN-0000's owner) keeps.
    product(&mut case, "GEN-0001", json!({"stock_owner_id": 1000}));
    product(
        &mut case,
        "GEN-0002",
        json!({"manage_stock": false, "stock_quantity": null}),
    );
    product(&mut case, "GEN-0003", json!({"backorders": "notify"}));
    let v = case.decide();
    assert_approved(&v);
    assert_eq!(
        v.claims,
        [StockClaim {
            stock_owner_id: 1000,
            quantity: 5
        }]
    );
    assert_eq!(
        v.to_value()["claims"],
        json!([{"stock_owner_id": 1000, "quantity": 5}])
    );
}
