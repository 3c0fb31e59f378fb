//! `Store::from_value` + `validate` with arbitrary snapshots: a fixture store mutated by the fuzzer (types,
//! values at every bound, missing and extra keys, products renamed to the order's references, coupons added
//! to the cart), against its fixture order (itself sometimes mutated). Now and then the whole snapshot is an
//! arbitrary JSON tree. Snapshot errors are fine; panics and broken verdict invariants are findings.
#![no_main]

use arbitrary::Unstructured;
use kco_validation::Store;
use kco_validation_fuzz::{arb_value, check_verdict, mutate, orders, trees};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(i) = u.choose_index(trees().len()) else {
        return;
    };
    let (order_tree, store_tree) = &trees()[i];

    let mutated;
    let order = if u.ratio(1u8, 16u8).unwrap_or(false) {
        let mut tree = order_tree.clone();
        let _ = mutate(&mut u, &mut tree, 3, &[]);
        let Ok(order) = kco_validation::parse_order(&serde_json::to_vec(&tree).unwrap()) else {
            return;
        };
        mutated = order;
        &mutated
    } else {
        &orders()[i]
    };

    let mut extra: Vec<String> = order.references();
    extra.extend(order.shipping_references());
    extra.extend(order.merchant_data.coupons.iter().cloned());
    extra.push(order.order_id.clone());
    extra.extend(["summer10".to_string(), "SUMMER10".to_string()]);

    let snapshot = if u.ratio(1u8, 16u8).unwrap_or(false) {
        arb_value(&mut u, 0, &extra).unwrap_or(Value::Null)
    } else {
        let mut s = store_tree.clone();
        let _ = mutate(&mut u, &mut s, 12, &extra);
        s
    };
    match Store::from_value(snapshot) {
        Ok(store) => {
            if let Ok(verdict) = kco_validation::validate(order, &store) {
                check_verdict(&verdict, &store);
            }
        }
        Err(e) => assert!(!e.path.is_empty() && !e.problem.is_empty(), "{e:?}"),
    }
});
