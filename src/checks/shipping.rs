//! Shipping: goods that need shipping need a chosen method (a `shipping_fee` line or a
//! `selected_shipping_option`, counted once), and that method must be one WooCommerce offers for the address
//! (D6, D7). Whether shipping is needed is WooCommerce's own answer, or any line's product that needs it.

use std::collections::{HashMap, HashSet};

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
    // Sets, so that many shipping lines against many rates stay linear.
    let offered: HashSet<&str> = cart
        .available_shipping
        .iter()
        .chain(&cart.chosen_shipping)
        .map(String::as_str)
        .collect();
    let mut names: Option<HashMap<&str, &str>> = None;
    for rate in ctx.order.shipping_references() {
        if !offered.contains(rate.as_str()) {
            let names = names.get_or_insert_with(|| line_names(ctx));
            let name = shipping_name(ctx, names, &rate);
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

/// The name of the first `shipping_fee` line of each reference.
fn line_names<'a>(ctx: &Context<'a>) -> HashMap<&'a str, &'a str> {
    let mut names = HashMap::new();
    for l in &ctx.order.order_lines {
        if l.kind == crate::klarna::LineType::ShippingFee {
            names.entry(l.reference()).or_insert(l.name.as_str());
        }
    }
    names
}

fn shipping_name(ctx: &Context, line_names: &HashMap<&str, &str>, rate: &str) -> String {
    line_names
        .get(rate)
        .map(|n| n.to_string())
        .or_else(|| {
            ctx.order
                .selected_shipping_option
                .as_ref()
                .and_then(|o| o.name.clone())
        })
        .unwrap_or_else(|| rate.to_string())
}
