//! The Klarna goods lines must be the WooCommerce cart: the same products in the same quantities. This catches
//! the "two tabs" case, where the cart changed in another tab after Klarna's order was last updated.

use std::collections::BTreeMap;

use super::Context;
use crate::klarna::OrderLine;
use crate::store::Product;
use crate::verdict::{Code, Failure};

/// What identifies an item on both sides: a product or variation id, or (for a reference the shop does not know)
/// the reference itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key<'a> {
    Id(i64),
    Ref(&'a str),
}

/// The key of a Klarna goods line: the id of the product it names.
pub(super) fn klarna_key<'a>(
    ctx: &Context,
    line: &'a OrderLine,
    product: Option<&Product>,
) -> Key<'a> {
    if let Some(p) = product {
        return Key::Id(p.id);
    }
    let r = line.reference();
    match ctx.lines_by_reference.first(r) {
        Some(c) => Key::Id(c.item_id()),
        None => Key::Ref(r),
    }
}

struct Side<'a> {
    name: &'a str,
    reference: &'a str,
    klarna: i64,
    cart: i64,
    first_seen: usize,
}

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    if !ctx.has_cart {
        return;
    }
    let mut items: BTreeMap<Key, Side> = BTreeMap::new();
    let mut order = 0usize;
    for (line, product) in ctx.goods() {
        let key = klarna_key(ctx, line, product);
        let name = product.map_or(line.name.as_str(), |p| p.name.as_str());
        order += 1;
        let s = items.entry(key).or_insert_with(|| Side {
            name,
            reference: line.reference(),
            klarna: 0,
            cart: 0,
            first_seen: order,
        });
        s.klarna += line.quantity;
    }
    for line in &ctx.store.cart.lines {
        order += 1;
        let s = items
            .entry(Key::Id(line.item_id()))
            .or_insert_with(|| Side {
                // The product's name: its snapshot entry's, else the cart line's own (a product only the cart has),
                // the reference only when the shop has no name at all.
                name: ctx.store.product_for_line(line).map_or_else(
                    || {
                        line.name
                            .as_deref()
                            .filter(|n| !n.is_empty())
                            .unwrap_or(&line.reference)
                    },
                    |p| p.name.as_str(),
                ),
                reference: &line.reference,
                klarna: 0,
                cart: 0,
                first_seen: order,
            });
        // Saturating: snapshot quantities are unbounded.
        s.cart = s.cart.saturating_add(line.quantity);
    }
    let mut sides: Vec<Side> = items.into_values().filter(|s| s.klarna != s.cart).collect();
    sides.sort_by_key(|s| s.first_seen);
    for s in sides {
        let (reason, message) = if s.cart == 0 {
            (
                "extra_item",
                format!("\"{}\" is in the order but not in your cart.", s.name),
            )
        } else if s.klarna == 0 {
            (
                "missing_item",
                format!("\"{}\" is in your cart but not in the order.", s.name),
            )
        } else {
            (
                "quantity",
                format!(
                    "The order has {} of \"{}\" but your cart has {}.",
                    s.klarna, s.name, s.cart
                ),
            )
        };
        out.push(
            Failure::new(Code::CartMismatch, message)
                .reference(s.reference)
                .reason(reason)
                .expected(s.cart)
                .actual(s.klarna)
                .param("name", s.name),
        );
    }
}
