//! Shipping, as WooCommerce's checkout decides it, plus Klarna's side.
//!
//! - Whether shipping is needed is WooCommerce's answer, `cart.needs_shipping` (`WC_Cart::needs_shipping()`: no
//!   shipping when it is disabled or no method is set up, else whether an item needs it, after the filters). The
//!   extension does not second-guess it (an "any physical product" rule would refuse every order of a shop that
//!   ships nothing, or whose filters say so). Line order cannot matter (D6).
//! - Klarna's order must carry shipping: a `shipping_fee` line or a `selected_shipping_option`, counted once.
//! - WooCommerce's own rule (`WC_Checkout::validate_checkout()`, 3.9 … 10.x): every package's chosen rate is one of
//!   that package's current rates ("No shipping method has been selected…"). A chosen rate is not offered merely by
//!   being chosen.
//! - Klarna's rate must be one WooCommerce offers for the address (D7). With Klarna's/Kustom's shipping service
//!   (KSS) the shopper picks a carrier option inside Klarna's checkout and WooCommerce's rate for the package is the
//!   service's own, `klarna_kss` (`klarna_kss:<instance>`); KCO 2.x (`kco_update_wc_shipping()`,
//!   `KCO_Checkout::maybe_register_shipping_error()`) leaves the carrier choice to Klarna. Then the option Klarna
//!   selected is accepted when WooCommerce's chosen rate is a `klarna_kss` rate it offers.

use std::collections::{HashMap, HashSet};

use super::Context;
use crate::verdict::{Code, Failure};

/// The rate id of Klarna's shipping service in WooCommerce (KCO 2.x).
const KSS_RATE: &str = "klarna_kss";

fn is_kss(rate: &str) -> bool {
    rate == KSS_RATE
        || rate
            .strip_prefix(KSS_RATE)
            .is_some_and(|rest| rest.starts_with(':'))
}

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    let cart = &ctx.store.cart;
    if !cart.shipping_enabled || !cart.needs_shipping {
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
    let offered: HashSet<&str> = cart.available_shipping.iter().map(String::as_str).collect();
    let mut reported: HashSet<String> = HashSet::new();
    let mut names: Option<HashMap<&str, &str>> = None;
    let mut unavailable = |out: &mut Vec<Failure>, rate: &str, reported: &mut HashSet<String>| {
        if !reported.insert(rate.to_owned()) {
            return;
        }
        let names = names.get_or_insert_with(|| line_names(ctx));
        let name = shipping_name(ctx, names, rate);
        out.push(
            Failure::new(
                Code::ShippingUnavailable,
                format!("The shipping method \"{name}\" is not available for your address."),
            )
            .reference(rate.to_owned())
            .param("name", name),
        );
    };
    // WooCommerce's own rule, package by package.
    let mut kss_chosen = false;
    for package in cart.packages.iter().flatten() {
        match package.chosen.as_deref().filter(|c| !c.is_empty()) {
            None => {
                out.push(Failure::new(
                    Code::ShippingMissing,
                    "Please choose a shipping method.",
                ));
                return;
            }
            Some(chosen) if !package.rates.iter().any(|r| r == chosen) => {
                unavailable(out, chosen, &mut reported);
            }
            Some(chosen) => kss_chosen |= is_kss(chosen),
        }
    }
    if cart.packages.is_none() {
        // Older snapshots: a chosen KSS rate among the offered ones.
        kss_chosen = cart
            .chosen_shipping
            .iter()
            .any(|c| is_kss(c) && offered.contains(c.as_str()));
    }
    // Klarna's side: its rate must be one WooCommerce offers.
    let klarna_option = ctx.order.iframe_shipping().map(|o| o.id.as_str());
    for rate in ctx.order.shipping_references() {
        let chosen_in_klarna = kss_chosen && klarna_option == Some(rate.as_str());
        if !offered.contains(rate.as_str()) && !chosen_in_klarna {
            unavailable(out, &rate, &mut reported);
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
