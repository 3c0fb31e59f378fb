//! Totals, exactly, in the currency's minor units (D11): Klarna's own arithmetic (each line's
//! `quantity × unit_price − total_discount_amount`, the order total as the sum of its lines), then Klarna's grand
//! total and tax total against the cart's, then each goods line against its cart line.
//!
//! A `selected_shipping_option` without a `shipping_fee` line is counted once: Klarna's `order_amount` may or may
//! not include its price (klarna-order.md §5.7), so the arithmetic decides which, and the effective total always
//! includes it.

use std::collections::BTreeMap;

use super::Context;
use crate::klarna::LineType;
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    let order = ctx.order;
    // Klarna's own line arithmetic. [NET] allows ±quantity (unit prices are rounded per unit).
    for line in &order.order_lines {
        let expected =
            i128::from(line.quantity) * i128::from(line.unit_price) - i128::from(line.discount());
        if (expected - i128::from(line.total_amount)).abs() > i128::from(line.quantity.max(1)) {
            out.push(
                Failure::new(
                    Code::TotalsMismatch,
                    format!(
                        "The amounts of \"{}\" in the Klarna order do not add up.",
                        display_name(line)
                    ),
                )
                .reference(line.reference())
                .reason("line_arithmetic")
                .expected(i64::try_from(expected).unwrap_or(i64::MAX))
                .actual(line.total_amount)
                .param("name", display_name(line)),
            );
        }
    }
    let (total, tax) = effective_totals(ctx, out);
    if !ctx.has_cart || !ctx.currency_matches {
        return;
    }
    let tolerance = ctx.store.options.total_tolerance;
    if differ(total, ctx.cart_total, tolerance) {
        out.push(
            Failure::new(
                Code::TotalsMismatch,
                format!(
                    "The order total {} does not match your cart total {}.",
                    ctx.amount(total),
                    ctx.amount(ctx.cart_total)
                ),
            )
            .reason("grand_total")
            .expected(ctx.cart_total)
            .actual(total)
            .param("order_total", ctx.money(total))
            .param("cart_total", ctx.money(ctx.cart_total)),
        );
    }
    // Klarna rounds tax per line, WooCommerce per cart: allow half a unit per line on top of the tolerance.
    let tax_tolerance = tolerance.saturating_add((order.order_lines.len() as i64 + 1) / 2);
    if differ(tax, ctx.cart_total_tax, tax_tolerance) {
        out.push(
            Failure::new(
                Code::TaxMismatch,
                format!(
                    "The order tax {} does not match your cart tax {}.",
                    ctx.amount(tax),
                    ctx.amount(ctx.cart_total_tax)
                ),
            )
            .reason("tax_total")
            .expected(ctx.cart_total_tax)
            .actual(tax)
            .param("order_tax", ctx.money(tax))
            .param("cart_tax", ctx.money(ctx.cart_total_tax)),
        );
    }
    check_lines(ctx, tolerance, out);
    check_prices(ctx, out);
}

/// A product whose price changed since WooCommerce last calculated the cart: the cart's totals (and the Klarna
/// order built on them) are the old ones, and WooCommerce's checkout, which calculates the cart again, would not
/// match Klarna's order. Prices are the shop's own stored ones on both sides (`_price`, no filters): a price that
/// plugins change on the fly is the same stored price then and now.
fn check_prices(ctx: &Context, out: &mut Vec<Failure>) {
    for line in &ctx.store.cart.lines {
        let Some(then) = line.price_then else {
            continue;
        };
        let key = line.product_key.as_deref().unwrap_or(&line.reference);
        let Some(product) = ctx.store.products.get(key) else {
            continue;
        };
        let Some(now) = product.price else {
            continue;
        };
        if now.0 == then.0 {
            continue;
        }
        out.push(
            Failure::new(
                Code::TotalsMismatch,
                format!(
                    "The price of \"{}\" changed from {} to {} after your cart was calculated.",
                    product.name,
                    ctx.decimal(then.0),
                    ctx.decimal(now.0)
                ),
            )
            .reference(&line.reference)
            .reason("price_changed")
            .param("name", product.name.as_str())
            .param("price_then", ctx.decimal_money(then.0))
            .param("price_now", ctx.decimal_money(now.0)),
        );
    }
}

/// Klarna's total and tax with shipping counted once; reports an order total that is not the sum of its lines.
fn effective_totals(ctx: &Context, out: &mut Vec<Failure>) -> (i64, i64) {
    let order = ctx.order;
    let lines_total: i64 = order.order_lines.iter().map(|l| l.total_amount).sum();
    let us_style = order
        .order_lines
        .iter()
        .any(|l| l.kind == LineType::SalesTax);
    let lines_tax: i64 = if us_style {
        order
            .order_lines
            .iter()
            .filter(|l| l.kind == LineType::SalesTax)
            .map(|l| l.total_amount)
            .sum()
    } else {
        order.order_lines.iter().map(|l| l.total_tax_amount).sum()
    };
    let (mut total, mut tax) = (order.order_amount, order.order_tax_amount);
    let mut expected_total = lines_total;
    let mut expected_tax = lines_tax;
    if let Some(opt) = order.iframe_shipping() {
        if order.order_amount == lines_total + opt.price {
            // Klarna's total already holds the option.
            expected_total = lines_total + opt.price;
            expected_tax = lines_tax + opt.tax_amount;
        } else {
            total += opt.price;
            tax += opt.tax_amount;
        }
    }
    if order.order_amount != expected_total {
        out.push(
            Failure::new(
                Code::TotalsMismatch,
                "The Klarna order total does not equal the sum of its lines.",
            )
            .reason("order_sum")
            .expected(expected_total)
            .actual(order.order_amount)
            .param("order_total", ctx.money(order.order_amount))
            .param("lines_total", ctx.money(expected_total)),
        );
    }
    if order.order_tax_amount != expected_tax {
        out.push(
            Failure::new(
                Code::TaxMismatch,
                "The Klarna order tax does not equal the sum of its lines.",
            )
            .reason("order_sum")
            .expected(expected_tax)
            .actual(order.order_tax_amount)
            .param("order_tax", ctx.money(order.order_tax_amount))
            .param("lines_tax", ctx.money(expected_tax)),
        );
    }
    (total, tax)
}

/// Each product's Klarna amount against its cart lines (after discounts, or before them when the discount
/// travels as a separate line). Products whose quantities differ are left to the cart check.
fn check_lines(ctx: &Context, tolerance: i64, out: &mut Vec<Failure>) {
    struct Sums<'a> {
        reference: &'a str,
        name: &'a str,
        qty: i64,
        klarna: i64,
        cart_qty: i64,
        cart_total: i64,
        cart_subtotal: Option<i64>,
    }
    let mut by_item: BTreeMap<super::cart::Key, Sums> = BTreeMap::new();
    for (line, product) in ctx.goods() {
        let key = super::cart::klarna_key(ctx, line, product);
        let s = by_item.entry(key).or_insert_with(|| Sums {
            reference: line.reference(),
            name: display_name(line),
            qty: 0,
            klarna: 0,
            cart_qty: 0,
            cart_total: 0,
            cart_subtotal: Some(0),
        });
        s.qty += line.quantity;
        s.klarna += line.total_amount;
    }
    for (i, line) in ctx.store.cart.lines.iter().enumerate() {
        if let Some(s) = by_item.get_mut(&super::cart::Key::Id(line.item_id())) {
            let amounts = &ctx.cart_lines[i];
            s.cart_qty = s.cart_qty.saturating_add(line.quantity);
            s.cart_total = s.cart_total.saturating_add(amounts.total);
            s.cart_subtotal = s
                .cart_subtotal
                .zip(amounts.subtotal)
                .map(|(a, b)| a.saturating_add(b));
        }
    }
    for s in by_item.into_values() {
        if s.cart_qty != s.qty || s.qty == 0 {
            continue;
        }
        let close = |cart: i64| !differ(s.klarna, cart, tolerance);
        if close(s.cart_total) || s.cart_subtotal.is_some_and(close) {
            continue;
        }
        out.push(
            Failure::new(
                Code::TotalsMismatch,
                format!(
                    "The price of \"{}\" in the order ({}) does not match your cart ({}).",
                    s.name,
                    ctx.amount(s.klarna),
                    ctx.amount(s.cart_total)
                ),
            )
            .reference(s.reference)
            .reason("line")
            .expected(s.cart_total)
            .actual(s.klarna)
            .param("name", s.name),
        );
    }
}

/// Whether two amounts differ by more than `tolerance`, computed wide: cart amounts from the snapshot may be
/// anywhere in `i64`.
fn differ(a: i64, b: i64, tolerance: i64) -> bool {
    (i128::from(a) - i128::from(b)).abs() > i128::from(tolerance)
}

fn display_name(line: &crate::klarna::OrderLine) -> &str {
    if line.name.is_empty() {
        line.reference()
    } else {
        &line.name
    }
}
