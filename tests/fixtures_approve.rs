//! Every Klarna sample is approved with its store snapshot, and each sample's own arithmetic holds.

mod common;

use common::{assert_approved, gen, Case, FIXTURES};
use kco_validation::{parse_order, validate, Store};

#[test]
fn fixtures_are_copies_of_the_shared_samples_when_present() {
    // CI has ../shared beside the repository; the copies must stay byte-identical.
    let shared = common::fixtures_dir().join("../../../shared/fixtures/klarna");
    if !shared.is_dir() {
        return;
    }
    for stem in FIXTURES {
        let ours =
            std::fs::read(common::fixtures_dir().join(format!("klarna/{stem}.json"))).unwrap();
        let theirs = std::fs::read(shared.join(format!("{stem}.json"))).unwrap();
        assert!(ours == theirs, "{stem}.json differs from the shared sample");
    }
    let mut shared_names: Vec<String> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    shared_names.sort();
    let ours: Vec<String> = FIXTURES.iter().map(|s| format!("{s}.json")).collect();
    assert_eq!(shared_names, ours, "every shared sample has a store here");
}

#[test]
fn every_fixture_is_approved_with_its_store() {
    for stem in FIXTURES {
        let order =
            parse_order(&common::klarna_bytes(stem)).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let store =
            Store::from_json(&common::store_text(stem)).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let verdict = validate(&order, &store).unwrap();
        assert!(verdict.approved(), "{stem}: {:#}", verdict.to_value());
        let v = verdict.to_value();
        assert_eq!(v["response"]["status"], 200, "{stem}");
        assert_eq!(v["response"]["body"], "", "{stem}");
        assert_eq!(v["response"]["location"], serde_json::Value::Null, "{stem}");
        assert_eq!(v["codes"], serde_json::json!([]), "{stem}");
        assert_eq!(v["flag"], serde_json::Value::Null, "{stem}");
    }
}

#[test]
fn fixtures_parse_to_what_the_samples_say() {
    let o = parse_order(&common::klarna_bytes("01")).unwrap();
    assert_eq!(o.purchase_country, "SE");
    assert_eq!(o.purchase_currency, "SEK");
    assert_eq!((o.order_amount, o.order_tax_amount), (84600, 16920));
    assert_eq!(o.references(), ["KOPP-STG-01", "LINNE-150x250"]);
    assert_eq!(o.shipping_references(), ["flat_rate:3"]);
    let o = parse_order(&common::klarna_bytes("02")).unwrap();
    assert_eq!(o.merchant_data.coupons, ["summer10"]);
    assert_eq!(o.merchant_data.is_user_logged_in, Some(false));
    let o = parse_order(&common::klarna_bytes("07")).unwrap();
    assert!(o.has_shipping());
    assert_eq!(o.shipping_references(), ["ksa-postnord-ombud"]);
    assert_eq!(
        o.iframe_shipping().map(|s| (s.price, s.tax_amount)),
        Some((5900, 1180))
    );
    let o = parse_order(&common::klarna_bytes("08")).unwrap();
    assert!(!o.has_shipping());
    assert_eq!(o.goods().count(), 2);
    assert_eq!(o.billing_email(), Some("aino.virtanen@example.fi"));
}

/// Klarna's own arithmetic in each sample: lines add up, the order total is the sum of the lines (07: plus the
/// selected option under either convention), and the validator finds no totals or tax failure against a cart
/// that matches.
#[test]
fn every_fixture_arithmetic_holds() {
    for stem in FIXTURES {
        let o = parse_order(&common::klarna_bytes(stem)).unwrap();
        let mut sum = 0i64;
        let mut tax = 0i64;
        for (i, l) in o.order_lines.iter().enumerate() {
            assert_eq!(
                l.total_amount,
                l.quantity * l.unit_price - l.discount(),
                "{stem} line {i}"
            );
            assert!(
                (l.total_tax_amount - gen::tax_of(l.total_amount, l.tax_rate)).abs() <= 1,
                "{stem} line {i} tax"
            );
            sum += l.total_amount;
            tax += l.total_tax_amount;
        }
        assert_eq!(o.order_amount, sum, "{stem}");
        assert_eq!(o.order_tax_amount, tax, "{stem}");
        let v = Case::fixture(stem).decide();
        assert!(
            !v.failures
                .iter()
                .any(|f| matches!(f.code.as_str(), "totals_mismatch" | "tax_mismatch")),
            "{stem}: {:#}",
            v.to_value()
        );
    }
}

#[test]
fn sample_07_is_approved_under_both_shipping_conventions() {
    // As sent: order_amount excludes the option (139700); the other convention includes it (145600).
    let mut case = Case::fixture("07");
    assert_approved(&case.decide());
    case.order("/order_amount", 145600.into())
        .order("/order_tax_amount", (27940 + 1180).into());
    assert_approved(&case.decide());
}

#[test]
fn generated_orders_are_approved_with_their_stores() {
    for lines in [1, 2, 10, 30, 100, 1000] {
        // Seeds 0..8 include 7, the one benches/decide.rs times.
        for seed in 0..8 {
            let (order, store) = gen::build(&gen::spec_for(lines, seed));
            assert_eq!(order["order_lines"].as_array().unwrap().len(), lines);
            let v = Case::new(order, store).decide();
            assert!(
                v.approved(),
                "{lines} lines, seed {seed}: {:#}",
                v.to_value()
            );
        }
    }
}

#[test]
fn generator_helpers() {
    assert_eq!(gen::decimal(123450, 2), "1234.50");
    assert_eq!(gen::decimal(-5, 2), "-0.05");
    assert_eq!(gen::decimal(1500, 0), "1500");
    assert_eq!(gen::decimal(1, 3), "0.001");
    assert_eq!(gen::tax_of(29800, 2500), 5960);
    assert_eq!(gen::tax_of(38700, 1500), 5048);
    assert_eq!(gen::tax_of(11900, 2550), 2418);
    assert_eq!(gen::tax_of(-7970, 2500), -1594);
    assert_eq!(gen::tax_of(1, 10000), 1); // 0.5 rounds away from zero
}

/// The stores are carts WooCommerce could have: the cart total is its lines (after discounts, with tax) plus
/// shipping, the tax total likewise, and the subtotal the lines before discounts without tax. Shipping is what
/// the Klarna sample charges (a shipping_fee line or the selected option).
#[test]
fn fixture_stores_are_consistent_carts() {
    use kco_validation::money::{parse_decimal, to_minor};
    for stem in FIXTURES {
        let store: serde_json::Value = serde_json::from_str(&common::store_text(stem)).unwrap();
        let order = parse_order(&common::klarna_bytes(stem)).unwrap();
        let exp = kco_validation::money::exponent(&order.purchase_currency);
        let minor = |v: &serde_json::Value| {
            to_minor(parse_decimal(v.as_str().unwrap()).unwrap(), exp).unwrap()
        };
        let cart = &store["cart"];
        let (mut total, mut tax, mut subtotal) = (0, 0, 0);
        for line in cart["lines"].as_array().unwrap() {
            total += minor(&line["total"]) + minor(&line["tax"]);
            tax += minor(&line["tax"]);
            subtotal += match line.get("subtotal") {
                Some(s) if !s.is_null() => minor(s),
                _ => minor(&line["total"]),
            };
        }
        let (ship, ship_tax) = order
            .order_lines
            .iter()
            .filter(|l| l.kind == kco_validation::klarna::LineType::ShippingFee)
            .map(|l| (l.total_amount, l.total_tax_amount))
            .chain(
                order
                    .selected_shipping_option
                    .iter()
                    .map(|o| (o.price, o.tax_amount)),
            )
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        assert_eq!(minor(&cart["total"]), total + ship, "{stem} total");
        assert_eq!(
            minor(&cart["total_tax"]),
            tax + ship_tax,
            "{stem} total_tax"
        );
        assert_eq!(minor(&cart["subtotal"]), subtotal, "{stem} subtotal");
        assert_eq!(
            cart["coupons"].as_array().unwrap().len(),
            order.merchant_data.coupons.len(),
            "{stem}: the session's coupons are the ones merchant_data names"
        );
        for code in &order.merchant_data.coupons {
            assert_eq!(store["coupons"][code]["exists"], true, "{stem} {code}");
        }
        for r in order.references() {
            assert!(store["products"].get(&r).is_some(), "{stem} {r}");
        }
    }
}
