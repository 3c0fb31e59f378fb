//! Every check, run in full: each appends its failures and none stops the others.
//!
//! Order: currency, session, stock, shipping, coupons, account, totals, cart. Checks that compare the order with
//! the cart need a cart: when the session is missing or expired, or the currency differs, they have nothing to
//! compare with, and `session_missing` / `currency_mismatch` says why (they are not reported as mismatches).

mod account;
mod cart;
mod context;
mod coupons;
mod currency;
mod session;
mod shipping;
mod stock;
mod totals;
mod wildcard;

use crate::answer::{Inputs, Reason};
use crate::klarna::Order;
use crate::store::{SnapshotError, Store};
use crate::verdict::Verdict;

pub(crate) use context::Context;

/// Runs every check of the order against the snapshot and builds the verdict.
pub fn validate(order: &Order, store: &Store) -> Result<Verdict, SnapshotError> {
    let ctx = Context::new(order, store)?;
    let mut failures = Vec::new();
    currency::check(&ctx, &mut failures);
    session::check(&ctx, &mut failures);
    let claims = stock::check(&ctx, &mut failures);
    shipping::check(&ctx, &mut failures);
    coupons::check(&ctx, &mut failures);
    account::check(&ctx, &mut failures);
    totals::check(&ctx, &mut failures);
    cart::check(&ctx, &mut failures);
    for f in &mut failures {
        f.product_id = f
            .reference
            .as_deref()
            .and_then(|r| store.products.get(r))
            .map_or(0, |p| p.id);
    }
    let reasons: Vec<Reason> = failures.iter().map(Reason::from_failure).collect();
    let (flag, response) = crate::answer::respond(&reasons, Inputs::of(store));
    Ok(Verdict {
        failures,
        flag,
        response,
        claims,
    })
}
