//! Coupons, as `WC_Discounts::is_coupon_valid()` plus `WC_Cart::check_customer_coupons()` decide them: the coupon
//! exists, has not expired, is under its global and per-user limits (emails compared case-insensitively, user ids
//! too), allows the billing email (wildcards), and the cart meets its minimum and maximum spend (D8). The coupons
//! are the ones applied in the session (server truth), not what `merchant_data` claims (D9).

use super::Context;
use crate::store::Coupon;
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
    }
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
