//! The shopper's WooCommerce session must exist, be current, and belong to this Klarna order (D13).

use super::Context;
use crate::verdict::{Code, Failure};

pub(super) fn check(ctx: &Context, out: &mut Vec<Failure>) {
    let s = &ctx.store.session;
    if !s.found {
        out.push(
            Failure::new(
                Code::SessionMissing,
                "Your shopping session could not be found. Please try again.",
            )
            .reason("not_found"),
        );
    } else if s.expired {
        out.push(
            Failure::new(
                Code::SessionMissing,
                "Your shopping session has expired. Please try again.",
            )
            .reason("expired"),
        );
    }
    if let Some(stored) = s.klarna_order_id.as_deref().filter(|id| !id.is_empty()) {
        if stored != ctx.order.order_id {
            out.push(
                Failure::new(
                    Code::SessionMismatch,
                    "This payment does not belong to your current cart. Please try again.",
                )
                .expected(stored)
                .actual(ctx.order.order_id.clone()),
            );
        }
    }
}
