//! `parse_order` over arbitrary bytes (seeded with the fixture bodies). Whatever parses is also decided against
//! one of the fixture stores and the verdict's invariants are checked. Errors are fine; a panic is a finding.
#![no_main]

use kco_validation::klarna::MAX_LINES;
use kco_validation_fuzz::{decide_and_check, stores};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match kco_validation::parse_order(data) {
        Ok(order) => {
            assert!(order.order_lines.len() <= MAX_LINES);
            assert_eq!(order.purchase_currency.len(), 3);
            assert_eq!(order.purchase_country.len(), 2);
            let stores = stores();
            decide_and_check(&order, &stores[data.len() % stores.len()]);
        }
        Err(e) => {
            assert!(!e.field.is_empty() && !e.problem.is_empty(), "{e:?}");
        }
    }
});
