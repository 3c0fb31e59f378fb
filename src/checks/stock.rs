//! Stock, as WooCommerce's own `WC_Cart::check_cart_item_stock()` decides it: each goods line maps to the product
//! its reference names (a variation's own entry, never its parent's, D3); products the shop cannot find or sell
//! fail (D2); quantities are summed per stock owner across lines and held stock of other orders is subtracted (D5);
//! backorders pass. It also tells what an approval takes from stock ([`StockClaim`]): the plugin claims it.

use std::collections::{HashMap, HashSet};

use super::Context;
use crate::store::{Product, UnknownProducts};
use crate::verdict::{Code, Failure, StockClaim};

struct Owner<'a> {
    id: i64,
    product: &'a Product,
    reference: String,
    requested: i64,
}

/// Appends the stock failures; returns the quantity ordered of each stock owner whose stock is managed and allows
/// no backorders (the ones compared with the stock left), in order of first appearance.
pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) -> Vec<StockClaim> {
    // In order of first appearance; `owner_index` finds an owner's entry (linear in the lines).
    let mut owners: Vec<Owner> = Vec::new();
    let mut owner_index: HashMap<i64, usize> = HashMap::new();
    let mut seen_out_of_stock: HashSet<i64> = HashSet::new();
    // Stock owners of products already reported `outofstock`: their stock is not reported again, whatever the
    // order of the lines.
    let mut out_of_stock_owners: HashSet<i64> = HashSet::new();
    for (line, product) in ctx.goods() {
        let reference = line.reference();
        let Some(product) = product else {
            if ctx.store.options.unknown_products == UnknownProducts::Deny {
                out.push(
                    // The shop has no product for the reference: all there is to name it by is Klarna's line.
                    Failure::new(
                        Code::UnknownProduct,
                        format!(
                            "\"{}\" ({reference}) could not be found in this shop.",
                            line.name
                        ),
                    )
                    .reference(reference)
                    .param("name", line.name.clone())
                    .param("reference", reference),
                );
            }
            continue;
        };
        if !product.purchasable {
            out.push(
                Failure::new(
                    Code::NotPurchasable,
                    format!("\"{}\" can no longer be bought.", product.name),
                )
                .reference(reference)
                .param("name", product.name.clone()),
            );
            continue;
        }
        if product.stock_status == "outofstock" {
            if seen_out_of_stock.insert(product.id) {
                out.push(out_of_stock(product, reference));
            }
            out_of_stock_owners.insert(product.stock_owner_id);
            continue;
        }
        match owner_index.get(&product.stock_owner_id) {
            Some(&i) => owners[i].requested += line.quantity,
            None => {
                owner_index.insert(product.stock_owner_id, owners.len());
                owners.push(Owner {
                    id: product.stock_owner_id,
                    product,
                    reference: reference.to_string(),
                    requested: line.quantity,
                });
            }
        }
    }
    let mut claims = Vec::with_capacity(owners.len());
    for o in owners {
        let p = o.product;
        if !p.manage_stock || p.backorders_allowed() {
            continue;
        }
        claims.push(StockClaim {
            stock_owner_id: o.id,
            quantity: o.requested,
        });
        // Saturating: the snapshot's integers are unbounded, and an overflow must neither panic nor wrap.
        let stock = p.stock_quantity.0.unwrap_or(0);
        if stock >= p.held.saturating_add(o.requested) {
            continue;
        }
        let available = stock.saturating_sub(p.held).max(0);
        if available == 0 {
            if !out_of_stock_owners.contains(&o.id) {
                out.push(
                    out_of_stock(p, &o.reference)
                        .expected(o.requested)
                        .actual(0),
                );
            }
        } else {
            let message = format!(
                "Only {available} of \"{}\" {} left.",
                p.name,
                if available == 1 { "is" } else { "are" }
            );
            out.push(
                Failure::new(Code::InsufficientStock, message)
                    .reference(o.reference)
                    .expected(o.requested)
                    .actual(available)
                    .param("name", p.name.clone())
                    .param("available", available)
                    .param("requested", o.requested),
            );
        }
    }
    claims
}

fn out_of_stock(p: &Product, reference: &str) -> Failure {
    Failure::new(Code::OutOfStock, format!("\"{}\" is out of stock.", p.name))
        .reference(reference)
        .param("name", p.name.clone())
}
