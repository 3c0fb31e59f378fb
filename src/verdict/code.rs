//! Failure codes: stable, snake_case, documented in the README.

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
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 15] = [
        Code::CurrencyMismatch,
        Code::SessionMissing,
        Code::SessionMismatch,
        Code::UnknownProduct,
        Code::OutOfStock,
        Code::InsufficientStock,
        Code::NotPurchasable,
        Code::ShippingMissing,
        Code::ShippingUnavailable,
        Code::CouponInvalid,
        Code::LoginRequired,
        Code::EmailExists,
        Code::CartMismatch,
        Code::TotalsMismatch,
        Code::TaxMismatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::CurrencyMismatch => "currency_mismatch",
            Code::SessionMissing => "session_missing",
            Code::SessionMismatch => "session_mismatch",
            Code::UnknownProduct => "unknown_product",
            Code::OutOfStock => "out_of_stock",
            Code::InsufficientStock => "insufficient_stock",
            Code::NotPurchasable => "not_purchasable",
            Code::ShippingMissing => "shipping_missing",
            Code::ShippingUnavailable => "shipping_unavailable",
            Code::CouponInvalid => "coupon_invalid",
            Code::LoginRequired => "login_required",
            Code::EmailExists => "email_exists",
            Code::CartMismatch => "cart_mismatch",
            Code::TotalsMismatch => "totals_mismatch",
            Code::TaxMismatch => "tax_mismatch",
        }
    }

    /// Failures about a product's availability send the shopper to the cart, as KCO 1.x did.
    pub fn is_stock(self) -> bool {
        matches!(
            self,
            Code::UnknownProduct
                | Code::OutOfStock
                | Code::InsufficientStock
                | Code::NotPurchasable
        )
    }

    /// The KCO 1.x flag this code maps to on the checkout page (stock codes use `stock_validate_failed`).
    pub fn kco_flag(self) -> &'static str {
        match self {
            Code::UnknownProduct
            | Code::OutOfStock
            | Code::InsufficientStock
            | Code::NotPurchasable => "stock_validate_failed",
            Code::ShippingMissing | Code::ShippingUnavailable => "no_shipping",
            Code::CouponInvalid => "invalid_coupon",
            Code::LoginRequired => "needs_login",
            Code::EmailExists => "email_exists",
            Code::CartMismatch | Code::TotalsMismatch | Code::TaxMismatch => "totals_dont_match",
            Code::CurrencyMismatch | Code::SessionMissing | Code::SessionMismatch => {
                "unable_to_process"
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
