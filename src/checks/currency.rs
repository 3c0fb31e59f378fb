//! The order must be in the cart's currency (multi-currency shops switch per session).

use super::Context;
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    if !ctx.currency_matches {
        let cart = ctx.store.currency.to_ascii_uppercase();
        out.push(
            Failure::new(
                Code::CurrencyMismatch,
                format!(
                    "The order is in {} but your cart is in {cart}.",
                    ctx.order.purchase_currency
                ),
            )
            .expected(cart.clone())
            .actual(ctx.order.purchase_currency.clone())
            .param("order_currency", ctx.order.purchase_currency.clone())
            .param("cart_currency", cart),
        );
    }
}
