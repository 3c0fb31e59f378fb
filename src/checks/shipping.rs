//! Shipping: goods that need shipping need a chosen method (a `shipping_fee` line or a
//! `selected_shipping_option`, counted once), and that method must be one WooCommerce offers for the address
//! (D6, D7). Whether shipping is needed is WooCommerce's own answer, or any line's product that needs it.

use super::Context;
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    let cart = &ctx.store.cart;
    if !cart.shipping_enabled {
        return;
    }
    let needed = cart.needs_shipping
        || ctx
            .goods()
            .filter_map(|(_, p)| p)
            .any(|p| p.needs_shipping());
    if !needed {
        return;
    }
    if !ctx.order.has_shipping() {
        out.push(Failure::new(
            Code::ShippingMissing,
            "Please choose a shipping method.",
        ));
        return;
    }
    if !ctx.has_cart {
        return;
    }
    for rate in ctx.order.shipping_references() {
        let offered = cart
            .available_shipping
            .iter()
            .chain(&cart.chosen_shipping)
            .any(|r| *r == rate);
        if !offered {
            let name = shipping_name(ctx, &rate);
            out.push(
                Failure::new(
                    Code::ShippingUnavailable,
                    format!("The shipping method \"{name}\" is not available for your address."),
                )
                .reference(rate.clone())
                .param("name", name),
            );
        }
    }
}

fn shipping_name(ctx: &Context, rate: &str) -> String {
    ctx.order
        .order_lines
        .iter()
        .find(|l| l.kind == crate::klarna::LineType::ShippingFee && l.reference() == rate)
        .map(|l| l.name.clone())
        .or_else(|| {
            ctx.order
                .selected_shipping_option
                .as_ref()
                .and_then(|o| o.name.clone())
        })
        .unwrap_or_else(|| rate.to_string())
}
