//! Structure-aware: takes a fixture body as a JSON tree, applies mutations the fuzzer chooses (values of every
//! type and at every bound, deleted and inserted keys, repeated lines, retyped scalars), optionally damages the
//! text (a byte-order mark, a truncation, a duplicated key), then parses and decides against the fixture's store.
#![no_main]

use arbitrary::Unstructured;
use kco_validation_fuzz::{decide_and_check, mutate, stores, trees};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(i) = u.choose_index(trees().len()) else {
        return;
    };
    let mut order = trees()[i].0.clone();
    let _ = mutate(&mut u, &mut order, 8, &[]);
    let mut body = serde_json::to_vec(&order).expect("a tree serializes");
    match u.int_in_range(0u8..=7).unwrap_or(0) {
        0 => prepend(&mut body, b"\xEF\xBB\xBF"),
        1 => {
            let at = u.choose_index(body.len().max(1)).unwrap_or(0);
            body.truncate(at);
        }
        2 => {
            body.splice(1..1, *b"\"order_amount\":0,");
        }
        3 => prepend(&mut body, b" \n\t"),
        _ => {}
    }
    if let Ok(order) = kco_validation::parse_order(&body) {
        decide_and_check(&order, &stores()[i]);
    }
});

fn prepend(body: &mut Vec<u8>, bytes: &[u8]) {
    body.splice(0..0, bytes.iter().copied());
}
