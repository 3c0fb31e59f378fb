//! Failure codes: the one table of codes, their sub-reasons, KCO 1.x flags and the page a denial goes to.
//!
//! Everything else derives from [`Code::TABLE`]: the README's table is checked against it by a test, the PHP
//! plugin reads it through `KcoValidation\codes()` (its notice flags, the legacy `kco_validate_checkout` stock
//! flag and the shopper texts' audit test all come from there), and the answer module picks flags and pages
//! from it.

/// Why a callback is denied. The string forms are a public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    CurrencyMismatch,
    SessionMissing,
    SessionMismatch,
    UnknownProduct,
    OutOfStock,
    InsufficientStock,
    NotPurchasable,
    ShippingMissing,
    ShippingUnavailable,
    CouponInvalid,
    LoginRequired,
    EmailExists,
    CartMismatch,
    TotalsMismatch,
    TaxMismatch,
    /// Produced by the plugin only: the decision could not be made (the internal-fault policy's deny).
    InternalError,
}

/// The page a denial sends the shopper to (redirect mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Cart,
    Checkout,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: Code,
    pub name: &'static str,
    /// The KCO 1.x flag for this code (the query argument KCO's own notices know).
    pub flag: &'static str,
    /// Sub-reasons the extension produces for this code (empty: the code has none).
    pub reasons: &'static [&'static str],
}

/// The flags KCO 1.x put on the URL, in its precedence order; `unable_to_process` is the fallback, also for codes
/// this table does not know (a shop's own, added through the `kco_validation_verdict` filter).
pub const KCO_FLAGS: [&str; 7] = [
    "stock_validate_failed",
    "no_shipping",
    "invalid_coupon",
    "needs_login",
    "email_exists",
    "totals_dont_match",
    "unable_to_process",
];

/// The flag of stock failures: the only one whose denial goes to the cart page, as KCO 1.x did.
pub const STOCK_FLAG: &str = "stock_validate_failed";

/// The flag for codes the table does not know.
pub const FALLBACK_FLAG: &str = "unable_to_process";

const fn row(
    code: Code,
    name: &'static str,
    flag: &'static str,
    reasons: &'static [&'static str],
) -> CodeInfo {
    CodeInfo {
        code,
        name,
        flag,
        reasons,
    }
}

impl Code {
    /// Every code, in documentation order, with its flag and reasons.
    pub const TABLE: [CodeInfo; 16] = [
        row(
            Code::CurrencyMismatch,
            "currency_mismatch",
            FALLBACK_FLAG,
            &[],
        ),
        row(
            Code::SessionMissing,
            "session_missing",
            FALLBACK_FLAG,
            &["not_found", "expired"],
        ),
        row(
            Code::SessionMismatch,
            "session_mismatch",
            FALLBACK_FLAG,
            &[],
        ),
        row(Code::UnknownProduct, "unknown_product", STOCK_FLAG, &[]),
        row(Code::OutOfStock, "out_of_stock", STOCK_FLAG, &[]),
        row(
            Code::InsufficientStock,
            "insufficient_stock",
            STOCK_FLAG,
            &[],
        ),
        row(Code::NotPurchasable, "not_purchasable", STOCK_FLAG, &[]),
        row(
            Code::ShippingMissing,
            "shipping_missing",
            "no_shipping",
            &[],
        ),
        row(
            Code::ShippingUnavailable,
            "shipping_unavailable",
            "no_shipping",
            &[],
        ),
        row(
            Code::CouponInvalid,
            "coupon_invalid",
            "invalid_coupon",
            &[
                "not_found",
                "expired",
                "usage_limit",
                "usage_limit_per_user",
                "email_restricted",
                "minimum_amount",
                "maximum_amount",
                "not_applicable",
                "excluded_product",
                "excluded_category",
                "sale_items",
            ],
        ),
        row(
            Code::LoginRequired,
            "login_required",
            "needs_login",
            &["account_exists", "subscription"],
        ),
        row(Code::EmailExists, "email_exists", "email_exists", &[]),
        row(
            Code::CartMismatch,
            "cart_mismatch",
            "totals_dont_match",
            &["extra_item", "missing_item", "quantity"],
        ),
        row(
            Code::TotalsMismatch,
            "totals_mismatch",
            "totals_dont_match",
            &[
                "grand_total",
                "line",
                "line_arithmetic",
                "order_sum",
                "price_changed",
            ],
        ),
        row(
            Code::TaxMismatch,
            "tax_mismatch",
            "totals_dont_match",
            &["tax_total", "order_sum"],
        ),
        row(Code::InternalError, "internal_error", FALLBACK_FLAG, &[]),
    ];

    /// Every code, in documentation order.
    pub const ALL: [Code; 16] = {
        let mut all = [Code::CurrencyMismatch; 16];
        let mut i = 0;
        while i < 16 {
            all[i] = Code::TABLE[i].code;
            i += 1;
        }
        all
    };

    /// This code's row.
    pub fn info(self) -> &'static CodeInfo {
        // TABLE is in enum order (a unit test checks it).
        &Code::TABLE[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// The code with this name, if the table has it.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::TABLE.iter().find(|r| r.name == name).map(|r| r.code)
    }

    /// Failures about a product's availability send the shopper to the cart, as KCO 1.x did.
    pub fn is_stock(self) -> bool {
        self.info().flag == STOCK_FLAG
    }

    /// The KCO 1.x flag this code maps to.
    pub fn kco_flag(self) -> &'static str {
        self.info().flag
    }

    /// The sub-reasons this code can carry.
    pub fn reasons(self) -> &'static [&'static str] {
        self.info().reasons
    }
}

/// The flag of a code given by name: the table's, else the fallback.
pub fn flag_of(name: &str) -> &'static str {
    Code::from_name(name).map_or(FALLBACK_FLAG, Code::kco_flag)
}

/// The page for a flag.
pub fn page_of(flag: &str) -> Page {
    if flag == STOCK_FLAG {
        Page::Cart
    } else {
        Page::Checkout
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order_and_flags_are_known() {
        for (i, row) in Code::TABLE.iter().enumerate() {
            assert_eq!(row.code as usize, i, "{}", row.name);
            assert!(KCO_FLAGS.contains(&row.flag), "{}", row.name);
            assert_eq!(Code::from_name(row.name), Some(row.code));
        }
        assert_eq!(flag_of("my_shop_code"), FALLBACK_FLAG);
        assert_eq!(page_of(flag_of("out_of_stock")), Page::Cart);
        assert_eq!(page_of(flag_of("coupon_invalid")), Page::Checkout);
    }
}
