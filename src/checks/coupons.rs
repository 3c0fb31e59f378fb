//! Coupons, as `WC_Discounts::is_coupon_valid()` plus `WC_Cart::check_customer_coupons()` decide them: the coupon
//! exists, has not expired, is under its global and per-user limits (emails compared case-insensitively, user ids
//! too), allows the billing email (wildcards), and the cart meets its minimum and maximum spend (D8). The coupons
//! are the ones applied in the session (server truth), not what `merchant_data` claims (D9).
//!
//! Product rules, as WooCommerce's `WC_Discounts::is_coupon_valid()` and `WC_Coupon::is_valid_for_product()` decide
//! them (woocommerce/woocommerce, `plugins/woocommerce/includes/class-wc-discounts.php`, `class-wc-coupon.php`,
//! `wc-coupon-functions.php`). A cart line's ids are its product's own id (the variation for a variation) and its
//! parent's id (`get_id()`, `get_parent_id()`): `cart.lines[].variation_id` and `product_id`.
//! - `validate_coupon_product_ids()`: a coupon with `product_ids` needs a line whose ids are in the list, else
//!   `not_applicable` (WooCommerce's error 109).
//! - Product coupons (`wc_get_product_coupon_types()`: `fixed_product` and `percent` — since WooCommerce 3.0,
//!   woocommerce/woocommerce#12598, `percent` is a product type; the old `percent_product` is read as `percent` by
//!   `WC_Coupon::set_discount_type()`), `validate_coupon_excluded_items()`: at least one line must be one the
//!   coupon is valid for (in `product_ids` when there are any, and not in `excluded_product_ids`), else
//!   `not_applicable`; an empty cart passes this rule. Excluded products merely go undiscounted.
//! - Every other type (`fixed_cart`, plugins' own types), `validate_coupon_eligible_items()` →
//!   `validate_coupon_excluded_product_ids()`: any line in `excluded_product_ids` refuses the whole coupon,
//!   `excluded_product` (error 113), naming the first such line's product.
//!
//! A coupon gets at most one `not_applicable`. Left out: product categories (`validate_coupon_product_categories()`,
//! `validate_coupon_excluded_product_categories()`, the category part of `is_valid_for_product()`) and sale items
//! (`validate_coupon_sale_items()`, `exclude_sale_items`): the snapshot carries neither categories nor sale prices,
//! so a coupon restricted that way is not refused for it here. `limit_usage_to_x_items` and the
//! `woocommerce_coupon_is_valid*` filters are not modelled either.

use super::Context;
use crate::store::{CartLine, Coupon};
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    if !ctx.has_cart {
        return;
    }
    let store = ctx.store;
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
                    .expected(amount.clone())
                    .actual(ctx.decimal(ctx.cart_subtotal))
                    .param("amount", amount),
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
                    .expected(amount.clone())
                    .actual(ctx.decimal(ctx.cart_subtotal))
                    .param("amount", amount),
                );
            }
        }
        if !applies_to_the_cart(ctx, c) {
            out.push(fail(
                "not_applicable",
                format!(
                    "Sorry, the coupon \"{key}\" is not applicable to the products in your cart."
                ),
            ));
        }
        if !c.is_product_type() {
            if let Some(line) = lines(ctx).find(|l| in_list(l, &c.excluded_product_ids)) {
                let name = ctx
                    .store
                    .products
                    .get(line.product_key.as_deref().unwrap_or(&line.reference))
                    .or_else(|| ctx.store.products.get(&line.reference))
                    .map(|p| p.name.clone());
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
                out.push(f.param("reference", line.reference.clone()));
            }
        }
    }
}

fn lines<'a>(ctx: &Context<'a>) -> impl Iterator<Item = &'a CartLine> {
    ctx.store.cart.lines.iter()
}

/// Whether one of the line's ids (`get_id()`: the variation for a variation, else the product; `get_parent_id()`:
/// the product of a variation) is in `ids`. WooCommerce keeps only positive ids in a coupon's lists.
fn in_list(line: &CartLine, ids: &[i64]) -> bool {
    let parent = if line.variation_id > 0 {
        line.product_id
    } else {
        0
    };
    [line.item_id(), parent]
        .into_iter()
        .any(|id| id > 0 && ids.contains(&id))
}

/// `validate_coupon_product_ids()`, and for product coupons `validate_coupon_excluded_items()` with
/// `is_valid_for_product()` (categories and sale items left out).
fn applies_to_the_cart(ctx: &Context, c: &Coupon) -> bool {
    let listed = |l: &CartLine| c.product_ids.is_empty() || in_list(l, &c.product_ids);
    if !lines(ctx).any(listed) {
        // No line at all passes too, as long as the coupon names no products.
        return c.product_ids.is_empty();
    }
    if c.is_product_type() {
        return lines(ctx).any(|l| listed(l) && !in_list(l, &c.excluded_product_ids));
    }
    true
}

/// Entries of `used_by` that are this shopper: the billing email (any case), the logged-in user id, or an account
/// whose email is the billing email.
fn uses_by_shopper(ctx: &Context, c: &Coupon) -> i64 {
    let email = ctx.order.billing_email().map(str::to_lowercase);
    let customer = &ctx.store.customer;
    let mut ids: Vec<String> = customer
        .user_ids_for_email
        .iter()
        .map(i64::to_string)
        .collect();
    if customer.logged_in && customer.user_id > 0 {
        ids.push(customer.user_id.to_string());
    }
    c.used_by
        .iter()
        .filter(|entry| {
            let entry = entry.trim();
            email.as_deref().is_some_and(|e| entry.to_lowercase() == e)
                || ids.iter().any(|id| id == entry)
        })
        .count() as i64
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

/// Glob match with `*` only (any run, including empty), over chars.
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
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
