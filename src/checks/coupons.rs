//! Coupons, as `WC_Discounts::is_coupon_valid()` plus `WC_Cart::check_customer_coupons()` decide them: the coupon
//! exists, has not expired, is under its global and per-user limits (emails compared case-insensitively, user ids
//! too), allows the billing email (wildcards), and the cart meets its minimum and maximum spend (D8). The coupons
//! are the ones applied in the session (server truth), not what `merchant_data` claims (D9).
//!
//! Email restrictions: `WC_Cart::check_customer_coupons()` and, since WooCommerce 8.6,
//! `WC_Discounts::validate_coupon_allowed_emails()` both check the billing email **and** the logged-in user's
//! account email (`wp_get_current_user()->user_email`), lower-cased, against the restrictions with
//! `DiscountsUtil::is_coupon_emails_allowed()`: either matching is enough (`customer.account_email`).
//!
//! Product rules, as WooCommerce's `WC_Discounts::is_coupon_valid()` and `WC_Coupon::is_valid_for_product()` decide
//! them (woocommerce/woocommerce, `plugins/woocommerce/includes/class-wc-discounts.php`, `class-wc-coupon.php`,
//! `wc-coupon-functions.php`, `wc-product-functions.php`). A cart line's ids are its product's own id (the
//! variation for a variation) and its parent's id (`get_id()`, `get_parent_id()`): `cart.lines[].variation_id` and
//! `product_id`. Its categories are `wc_get_product_cat_ids()` of the product and of its parent, merged
//! (`WC_Discounts`; `is_valid_for_product()` takes the parent's for a variation, the same set since variations have
//! no categories of their own); `wc_get_product_cat_ids()` adds every ancestor of each category (`get_ancestors()`),
//! so a coupon for "Clothing" applies to a product in "Clothing > Shirts". They come from the line's `products`
//! entry (`category_ids`, with `on_sale`: `is_on_sale()`), found by [`crate::store::Store::product_for_line`]; a
//! line without an entry has no categories and is not on sale. In the order `is_coupon_valid()` runs them:
//! - `validate_coupon_product_ids()`: a coupon with `product_ids` needs a line whose ids are in the list, else
//!   `not_applicable` (WooCommerce's error 109, "Sorry, coupon "%s" is not applicable to selected products.").
//! - `validate_coupon_product_categories()`: a coupon with `product_categories` needs a line in one of them, else
//!   `not_applicable` (109); when the coupon has `exclude_sale_items`, lines on sale do not count. Any coupon type.
//! - Product coupons (`wc_get_product_coupon_types()`: `fixed_product` and `percent` — since WooCommerce 3.0,
//!   woocommerce/woocommerce#12598, `percent` is a product type; the old `percent_product` is read as `percent` by
//!   `WC_Coupon::set_discount_type()`), `validate_coupon_excluded_items()`: at least one line must be one the
//!   coupon is valid for, else `not_applicable` (109); an empty cart passes this rule. `is_valid_for_product()`: the
//!   line is listed (its ids in `product_ids`, or its categories in `product_categories`; either list suffices, and
//!   with neither list every line is), and not excluded: not in `excluded_product_ids`, not in
//!   `excluded_product_categories`, and not on sale when the coupon has `exclude_sale_items`. Excluded lines merely
//!   go undiscounted.
//! - Every other type (`fixed_cart`, plugins' own types), `validate_coupon_eligible_items()` refuses the whole
//!   coupon for any line it excludes: `validate_coupon_sale_items()`, a line on sale with `exclude_sale_items` →
//!   `sale_items` (error 110, "Sorry, coupon "%s" is not valid for sale items."); then
//!   `validate_coupon_excluded_product_ids()` → `excluded_product` (error 113, "…is not applicable to the products:
//!   %s."); then `validate_coupon_excluded_product_categories()` → `excluded_category` (error 114, "…is not
//!   applicable to the categories: %s."). Each names the first such line's product (`name`, `reference`), not the
//!   categories: the snapshot has no category names.
//!
//! WooCommerce stops at the first failing rule; we report each rule that fails, but a coupon gets at most one
//! `not_applicable`. Left out: `limit_usage_to_x_items` and the `woocommerce_coupon_is_valid*` filters.
//!
//! Linear in the input: each coupon's id and category lists become hash sets once, and each cart line's product
//! is looked up once for all coupons. Per coupon, `used_by` is scanned once (against the shopper's few ids) and
//! the restrictions once per shopper email.

use std::collections::HashSet;

use super::Context;
use crate::store::{CartLine, Coupon, Product};
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    if !ctx.has_cart {
        return;
    }
    let store = ctx.store;
    if store.cart.coupons.is_empty() {
        return;
    }
    let items: Vec<Item> = store
        .cart
        .lines
        .iter()
        .map(|line| Item {
            line,
            product: store.product_for_line(line),
        })
        .collect();
    for code in &store.cart.coupons {
        let key = code.to_lowercase();
        let coupon = store.coupons.get(&key).or_else(|| store.coupons.get(code));
        let fail = |reason: &'static str, message: String| {
            Failure::new(Code::CouponInvalid, message)
                .reference(key.clone())
                .reason(reason)
                .param("coupon", key.clone())
        };
        let Some(c) = coupon.filter(|c| c.exists) else {
            out.push(fail(
                "not_found",
                format!("The coupon \"{key}\" does not exist."),
            ));
            continue;
        };
        if c.expires.is_some_and(|t| store.now > t) {
            out.push(fail(
                "expired",
                format!("The coupon \"{key}\" has expired."),
            ));
        }
        if let Some(limit) = c.usage_limit.filter(|l| *l > 0) {
            if c.usage_count >= limit {
                out.push(
                    fail(
                        "usage_limit",
                        format!("The coupon \"{key}\" has been used the maximum number of times."),
                    )
                    .expected(limit)
                    .actual(c.usage_count),
                );
            }
        }
        if let Some(limit) = c.usage_limit_per_user.filter(|l| *l > 0) {
            let used = uses_by_shopper(ctx, c);
            if used >= limit {
                out.push(
                    fail(
                        "usage_limit_per_user",
                        format!("You have already used the coupon \"{key}\" the maximum number of times."),
                    )
                    .expected(limit)
                    .actual(used),
                );
            }
        }
        if !c.email_restrictions.is_empty() && !email_allowed(ctx, c) {
            out.push(fail(
                "email_restricted",
                format!("The coupon \"{key}\" is not valid for your email address."),
            ));
        }
        if let Some(min) = c.minimum_amount.filter(|m| m.is_set()) {
            if ctx.cart_subtotal < min.0 {
                let amount = ctx.decimal(min.0);
                out.push(
                    fail(
                        "minimum_amount",
                        format!("The minimum spend for the coupon \"{key}\" is {amount}."),
                    )
                    .expected(ctx.decimal_money(min.0))
                    .actual(ctx.decimal_money(ctx.cart_subtotal))
                    .param("amount", ctx.decimal_money(min.0)),
                );
            }
        }
        if let Some(max) = c.maximum_amount.filter(|m| m.is_set()) {
            if ctx.cart_subtotal > max.0 {
                let amount = ctx.decimal(max.0);
                out.push(
                    fail(
                        "maximum_amount",
                        format!("The maximum spend for the coupon \"{key}\" is {amount}."),
                    )
                    .expected(ctx.decimal_money(max.0))
                    .actual(ctx.decimal_money(ctx.cart_subtotal))
                    .param("amount", ctx.decimal_money(max.0)),
                );
            }
        }
        let rules = Rules::new(c);
        if !rules.applies_to_the_cart(&items) {
            out.push(fail(
                "not_applicable",
                format!(
                    "Sorry, the coupon \"{key}\" is not applicable to the products in your cart."
                ),
            ));
        }
        if !c.is_product_type() {
            // validate_coupon_eligible_items(), in WooCommerce's order.
            if c.exclude_sale_items && items.iter().any(Item::on_sale) {
                out.push(fail(
                    "sale_items",
                    format!("Sorry, the coupon \"{key}\" is not valid for sale items."),
                ));
            }
            if let Some(item) = items.iter().find(|i| rules.excluded_product(i)) {
                let name = item.product.map(|p| p.name.clone());
                let message = match &name {
                    Some(n) => format!(
                        "Sorry, the coupon \"{key}\" is not applicable to the product \"{n}\"."
                    ),
                    None => format!(
                        "Sorry, the coupon \"{key}\" is not applicable to one of the products in your cart."
                    ),
                };
                let mut f = fail("excluded_product", message);
                if let Some(n) = name {
                    f = f.param("name", n);
                }
                out.push(f.param("reference", item.line.reference.clone()));
            }
            // A line in a category has a products entry (its categories come from there), so it has a name.
            if let Some((item, p)) = items
                .iter()
                .filter(|i| rules.excluded_category(i))
                .find_map(|i| i.product.map(|p| (i, p)))
            {
                out.push(
                    fail(
                        "excluded_category",
                        format!(
                            "Sorry, the coupon \"{key}\" is not applicable to the categories of the product \"{}\".",
                            p.name
                        ),
                    )
                    .param("name", p.name.clone())
                    .param("reference", item.line.reference.clone()),
                );
            }
        }
    }
}

/// A cart line and its `products` entry (`None`: the snapshot has none; then no categories, not on sale).
struct Item<'a> {
    line: &'a CartLine,
    product: Option<&'a Product>,
}

impl Item<'_> {
    /// `WC_Product::is_on_sale()`.
    fn on_sale(&self) -> bool {
        self.product.is_some_and(|p| p.on_sale)
    }

    /// `wc_get_product_cat_ids()` of the item (and its parent), ancestors included.
    fn categories(&self) -> &[i64] {
        self.product.map_or(&[], |p| p.category_ids.as_slice())
    }

    /// Whether one of the line's ids (`get_id()`: the variation for a variation, else the product;
    /// `get_parent_id()`: the product of a variation) is in `ids`.
    fn has_id_in(&self, ids: &HashSet<i64>) -> bool {
        let line = self.line;
        let parent = if line.variation_id > 0 {
            line.product_id
        } else {
            0
        };
        !ids.is_empty() && [line.item_id(), parent].iter().any(|id| ids.contains(id))
    }

    /// Whether one of the item's categories is in `categories`.
    fn has_category_in(&self, categories: &HashSet<i64>) -> bool {
        !categories.is_empty() && self.categories().iter().any(|c| categories.contains(c))
    }
}

/// A coupon's product rules, its id lists as sets (WooCommerce keeps only positive ids in them, and a product or
/// category id is never 0, so ids ≤ 0 never match).
struct Rules<'a> {
    coupon: &'a Coupon,
    product_ids: HashSet<i64>,
    excluded_ids: HashSet<i64>,
    categories: HashSet<i64>,
    excluded_categories: HashSet<i64>,
}

impl<'a> Rules<'a> {
    fn new(coupon: &'a Coupon) -> Self {
        let set = |ids: &[i64]| ids.iter().copied().filter(|id| *id > 0).collect();
        Rules {
            coupon,
            product_ids: set(&coupon.product_ids),
            excluded_ids: set(&coupon.excluded_product_ids),
            categories: set(&coupon.product_categories),
            excluded_categories: set(&coupon.excluded_product_categories),
        }
    }

    /// In `excluded_product_ids`, itself or through its parent.
    fn excluded_product(&self, item: &Item) -> bool {
        item.has_id_in(&self.excluded_ids)
    }

    /// In one of `excluded_product_categories`.
    fn excluded_category(&self, item: &Item) -> bool {
        item.has_category_in(&self.excluded_categories)
    }

    /// `WC_Coupon::is_valid_for_product()` for a product coupon. Whether a list is set is read from the coupon's
    /// own list (a list holding only ids ≤ 0 is set, and matches nothing), as WooCommerce counts it.
    fn valid_for_product(&self, item: &Item) -> bool {
        let c = self.coupon;
        let no_lists = c.product_ids.is_empty() && c.product_categories.is_empty();
        let listed =
            no_lists || item.has_id_in(&self.product_ids) || item.has_category_in(&self.categories);
        let excluded = self.excluded_product(item)
            || self.excluded_category(item)
            || (c.exclude_sale_items && item.on_sale());
        listed && !excluded
    }

    /// `validate_coupon_product_ids()`, `validate_coupon_product_categories()`, and for product coupons
    /// `validate_coupon_excluded_items()`.
    fn applies_to_the_cart(&self, items: &[Item]) -> bool {
        let c = self.coupon;
        if !c.product_ids.is_empty() && !items.iter().any(|i| i.has_id_in(&self.product_ids)) {
            return false;
        }
        if !c.product_categories.is_empty()
            && !items.iter().any(|i| {
                !(c.exclude_sale_items && i.on_sale()) && i.has_category_in(&self.categories)
            })
        {
            return false;
        }
        if c.is_product_type() && !items.is_empty() {
            return items.iter().any(|i| self.valid_for_product(i));
        }
        true
    }
}

/// This shopper's uses of a coupon with a per-user limit, counted as WooCommerce's checkout counts them (3.9 … 10.x),
/// completed uses (`used_by`) and uses held by checkouts in progress (`held_by`, the shopper's own excluded) alike:
/// - `WC_Abstract_Order::hold_applied_coupons()` → `WC_Coupon_Data_Store_CPT::check_and_hold_coupon_for_user()`
///   refuses the order when the uses of any of the shopper's aliases reach the limit; the aliases
///   (`get_billing_and_current_user_aliases()`) are the billing email, the logged-in user's account email, and
///   the users whose billing email is one of those (`get_user_ids_for_billing_email()`: `customer.user_ids_for_email`);
/// - `WC_Discounts::validate_coupon_user_usage_limit()`: a logged-in shopper's uses by user id
///   (`get_usage_by_user_id()`);
/// - (9.x) `WC_Cart::check_customer_coupons()` counts a guest's uses by billing email, which the aliases already do.
///
/// The larger count decides. Emails compare case-insensitively (`sanitize_email` + `strtolower`, and MySQL's
/// collation), ids as text; an account found only by its `user_email` is not an alias.
fn uses_by_shopper(ctx: &Context, c: &Coupon) -> i64 {
    let customer = &ctx.store.customer;
    let emails: Vec<String> = [ctx.order.billing_email(), customer.account_email.as_deref()]
        .into_iter()
        .flatten()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    let ids: HashSet<String> = customer
        .user_ids_for_email
        .iter()
        .map(i64::to_string)
        .collect();
    let own_id = (customer.logged_in && customer.user_id > 0).then(|| customer.user_id.to_string());
    let (mut aliases, mut by_id) = (0i64, 0i64);
    for entry in c.used_by.iter().chain(&c.held_by) {
        let entry = entry.trim();
        if ids.contains(entry) || (entry.contains('@') && emails.contains(&entry.to_lowercase())) {
            aliases += 1;
        }
        if own_id.as_deref() == Some(entry) {
            by_id += 1;
        }
    }
    aliases.max(by_id)
}

/// `WC_Cart::is_coupon_emails_allowed()`: the billing or account email matches a restriction, `*` standing for any
/// run of characters; case-insensitive.
fn email_allowed(ctx: &Context, c: &Coupon) -> bool {
    let emails: Vec<String> = [
        ctx.order.billing_email(),
        ctx.store.customer.account_email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(|e| e.trim().to_lowercase())
    .filter(|e| !e.is_empty())
    .collect();
    emails.iter().any(|e| {
        c.email_restrictions
            .iter()
            .any(|r| wildcard_match(&r.trim().to_lowercase(), e))
    })
}

/// Glob match with `*` only (any run, including empty), in linear time ([`super::wildcard`]).
fn wildcard_match(pattern: &str, text: &str) -> bool {
    super::wildcard::matches(pattern, text)
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*@b.se", "a@b.se"));
        assert!(wildcard_match("a@b.se", "a@b.se"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*c*e", "abcde"));
        assert!(!wildcard_match("*@b.se", "a@b.see"));
        assert!(!wildcard_match("*@b.se", "a@bxse"));
        assert!(!wildcard_match("a@b.se", "x@b.se"));
        assert!(wildcard_match("ö*@å.se", "öla@å.se"));
    }
}
