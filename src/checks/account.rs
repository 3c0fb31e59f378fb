//! Login and registration (reference §3.4), from the server's view of the shopper (D9):
//! - guest checkout disabled, not logged in, and the billing email already has an account → `login_required`
//!   (with a new email the account is created by the normal checkout);
//! - with WooCommerce Subscriptions and a subscription in the order, a guest needs signup at checkout enabled
//!   (else `login_required`), and an email that already has an account gives `email_exists`.
//!
//! Both reasons are reported when both hold, independent of line order (D6, reference issue #156).

use super::Context;
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    let customer = &ctx.store.customer;
    if customer.logged_in {
        return;
    }
    let checkout = &ctx.store.checkout;
    let has_subscription =
        checkout.subscriptions_active && ctx.goods().filter_map(|(_, p)| p).any(|p| p.subscription);
    let login = |reason| {
        Failure::new(
            Code::LoginRequired,
            "Please log in to your account to complete this purchase.",
        )
        .reason(reason)
    };
    let mut login_required = false;
    if has_subscription && !checkout.registration_enabled {
        out.push(login("subscription"));
        login_required = true;
    }
    if checkout.registration_required && customer.email_exists && !login_required {
        out.push(login("account_exists"));
    }
    if has_subscription && customer.email_exists {
        out.push(Failure::new(
            Code::EmailExists,
            "An account is already registered with your email address. Please log in to continue.",
        ));
    }
}
