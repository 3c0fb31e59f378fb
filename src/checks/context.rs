//! What every check reads: the order, the snapshot, and the cart's money in the currency's minor units.

use rust_decimal::Decimal;

use crate::klarna::{Order, OrderLine};
use crate::money;
use crate::store::{Money, Product, SnapshotError, Store};

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
        Ok(Context {
            goods: resolve_products(order, store),
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
/// cart line's key is used.
fn resolve_products<'a>(
    order: &'a Order,
    store: &'a Store,
) -> Vec<(&'a OrderLine, Option<&'a Product>)> {
    let keyed = store.cart.lines.iter().any(|l| l.product_key.is_some());
    let mut seen: Vec<(&str, usize)> = Vec::new();
    order
        .goods()
        .map(|line| {
            let reference = line.reference();
            if !keyed {
                return (line, store.products.get(reference));
            }
            let nth = match seen.iter_mut().find(|(r, _)| *r == reference) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((reference, 0));
                    0
                }
            };
            let key = store
                .cart
                .lines
                .iter()
                .filter(|c| c.reference == reference)
                .nth(nth)
                .and_then(|c| c.product_key.as_deref())
                .unwrap_or(reference);
            (
                line,
                store
                    .products
                    .get(key)
                    .or_else(|| store.products.get(reference)),
            )
        })
        .collect()
}
