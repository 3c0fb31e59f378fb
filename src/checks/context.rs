//! What every check reads: the order, the snapshot, and the cart's money in the currency's minor units.

use std::cell::OnceCell;
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::klarna::{Order, OrderLine};
use crate::money;
use crate::store::{CartLine, Money, Product, SnapshotError, Store};
use crate::verdict::Value;

/// A cart line's amounts, including tax, in minor units.
pub(crate) struct LineAmounts {
    /// After discounts.
    pub total: i64,
    /// Before discounts, when the snapshot gave it.
    pub subtotal: Option<i64>,
}

pub(crate) struct Context<'a> {
    pub order: &'a Order,
    pub store: &'a Store,
    /// Whether there is a cart to compare with (session found, not expired).
    pub has_cart: bool,
    /// Whether the order is in the cart's currency (money comparisons need it).
    pub currency_matches: bool,
    pub cart_total: i64,
    pub cart_total_tax: i64,
    pub cart_subtotal: Decimal,
    /// Indexed like `store.cart.lines`.
    pub cart_lines: Vec<LineAmounts>,
    /// The goods lines with the product each names (resolved once, see [`resolve_products`]).
    pub goods: Vec<(&'a OrderLine, Option<&'a Product>)>,
    /// The cart lines by reference.
    pub lines_by_reference: LinesByReference<'a>,
}

impl<'a> Context<'a> {
    pub fn new(order: &'a Order, store: &'a Store) -> Result<Context<'a>, SnapshotError> {
        let exp = money::exponent(&order.purchase_currency);
        // Paths are built only for an error: this runs for every cart line of every callback.
        let minor = |m: Money, path: &dyn Fn() -> String| {
            money::to_minor(m.0, exp).map_err(|problem| SnapshotError {
                path: path(),
                problem,
            })
        };
        let sum = |a: Money, b: Money, path: &dyn Fn() -> String| {
            let total = a.0.checked_add(b.0).ok_or_else(|| SnapshotError {
                path: path(),
                problem: "is too large".into(),
            })?;
            minor(Money(total), path)
        };
        let mut cart_lines = Vec::with_capacity(store.cart.lines.len());
        for (i, l) in store.cart.lines.iter().enumerate() {
            let total = sum(l.total, l.tax, &|| format!("cart.lines[{i}].total"))?;
            let subtotal = match l.subtotal {
                Some(s) => Some(sum(s, l.subtotal_tax.unwrap_or_default(), &|| {
                    format!("cart.lines[{i}].subtotal")
                })?),
                None => None,
            };
            cart_lines.push(LineAmounts { total, subtotal });
        }
        let lines_by_reference = LinesByReference::new(store);
        Ok(Context {
            goods: resolve_products(order, store, &lines_by_reference),
            lines_by_reference,
            order,
            store,
            has_cart: store.session.found && !store.session.expired,
            currency_matches: store
                .currency
                .eq_ignore_ascii_case(&order.purchase_currency),
            cart_total: minor(store.cart.total, &|| "cart.total".into())?,
            cart_total_tax: minor(store.cart.total_tax, &|| "cart.total_tax".into())?,
            cart_subtotal: store.cart.subtotal.0,
            cart_lines,
        })
    }

    /// The goods lines and their products (`None`: the shop does not know the reference).
    pub fn goods(&self) -> impl Iterator<Item = (&'a OrderLine, Option<&'a Product>)> + '_ {
        self.goods.iter().copied()
    }

    /// Formats minor units of the order's currency for a message.
    pub fn amount(&self, minor: i64) -> String {
        money::format(minor, &self.order.purchase_currency)
    }

    /// An amount of the order's currency, as a failure parameter (rendered in the shop's price format).
    pub fn money(&self, minor: i64) -> Value {
        Value::money(minor, &self.order.purchase_currency)
    }

    /// A decimal amount of the cart's currency as a failure parameter (in minor units; a decimal too large for
    /// them, which the snapshot reader does not let through, is given as text).
    pub fn decimal_money(&self, d: Decimal) -> Value {
        let exp = money::exponent(&self.order.purchase_currency);
        match money::to_minor(d, exp) {
            Ok(m) => self.money(m),
            Err(_) => Value::Text(self.decimal(d)),
        }
    }

    /// Formats a decimal amount of the cart's currency for a message.
    pub fn decimal(&self, d: Decimal) -> String {
        let exp = money::exponent(&self.order.purchase_currency);
        match money::to_minor(d, exp) {
            Ok(m) => self.amount(m),
            Err(_) => format!("{d} {}", self.order.purchase_currency),
        }
    }
}

/// Finds the product each goods line names. Usually that is `products[reference]`. When the cart names its items'
/// entries itself (`cart.lines[].product_key`: variations that show their parent's SKU share one reference), the
/// n-th Klarna line with a reference is the n-th cart line with it — KCO builds its lines in cart order — and that
/// cart line's entry is used ([`Store::product_for_line`]). Linear: the cart lines are indexed by reference once.
fn resolve_products<'a>(
    order: &'a Order,
    store: &'a Store,
    by_reference: &LinesByReference<'a>,
) -> Vec<(&'a OrderLine, Option<&'a Product>)> {
    let keyed = store.cart.lines.iter().any(|l| l.product_key.is_some());
    // How many Klarna lines of each reference were matched so far.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    order
        .goods()
        .map(|line| {
            let reference = line.reference();
            if !keyed {
                return (line, store.products.get(reference));
            }
            let n = seen.entry(reference).or_insert(0);
            let cart_line = by_reference.nth(reference, *n);
            *n += 1;
            let product = match cart_line {
                Some(c) => store.product_for_line(c),
                None => store.products.get(reference),
            };
            (line, product)
        })
        .collect()
}

/// The cart lines grouped by reference, in cart order. Built on first use (a keyed cart, a reference the shop
/// does not know), once per decision.
pub(crate) struct LinesByReference<'a> {
    store: &'a Store,
    lines: OnceCell<HashMap<&'a str, Vec<&'a CartLine>>>,
}

impl<'a> LinesByReference<'a> {
    fn new(store: &'a Store) -> Self {
        LinesByReference {
            store,
            lines: OnceCell::new(),
        }
    }

    /// The n-th cart line (from 0) whose reference is `reference`.
    pub fn nth(&self, reference: &str, n: usize) -> Option<&'a CartLine> {
        let lines = self.lines.get_or_init(|| {
            let mut lines: HashMap<&str, Vec<&CartLine>> = HashMap::new();
            for line in &self.store.cart.lines {
                lines.entry(line.reference.as_str()).or_default().push(line);
            }
            lines
        });
        lines.get(reference)?.get(n).copied()
    }

    /// The first cart line whose reference is `reference`.
    pub fn first(&self, reference: &str) -> Option<&'a CartLine> {
        self.nth(reference, 0)
    }
}
