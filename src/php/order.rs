//! `KcoValidation\Order`: a parsed Klarna order, and `validate()` against a store snapshot.

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::convert::verdict_to_array;
use super::de::ZvalDeserializer;
use super::errors::{invalid_argument, invalid_payload};
use crate::klarna::{parse_order, Order};
use crate::store::Store;

/// A Klarna Checkout order, parsed from the raw JSON body of the validation callback.
#[php_class]
#[php(name = "KcoValidation\\Order")]
#[php(flags = ClassFlags::Final)]
pub struct PhpOrder {
    order: Order,
}

#[php_impl]
impl PhpOrder {
    /// Parses Klarna's raw JSON body (the string as it arrived). Throws InvalidPayload naming the field and problem.
    pub fn parse(json: BinarySlice<u8>) -> PhpResult<PhpOrder> {
        parse_order(&json)
            .map(|order| PhpOrder { order })
            .map_err(|e| invalid_payload(e.to_string()))
    }

    /// Klarna's order id.
    pub fn id(&self) -> String {
        self.order.order_id.clone()
    }

    /// purchase_currency, upper case.
    pub fn currency(&self) -> String {
        self.order.purchase_currency.clone()
    }

    /// purchase_country, upper case.
    pub fn country(&self) -> String {
        self.order.purchase_country.clone()
    }

    /// locale, as sent.
    pub fn locale(&self) -> String {
        self.order.locale.clone()
    }

    /// Distinct product references of the goods lines, in order.
    pub fn references(&self) -> Vec<String> {
        self.order.references()
    }

    /// Coupon codes named in merchant_data (lower case, distinct).
    pub fn coupons(&self) -> Vec<String> {
        self.order.merchant_data.coupons.clone()
    }

    /// billing_address.email, or null.
    pub fn billing_email(&self) -> Option<String> {
        self.order.billing_email().map(str::to_string)
    }

    /// Shipping rate ids the order carries (shipping_fee line references, else the selected option's id).
    pub fn shipping_references(&self) -> Vec<String> {
        self.order.shipping_references()
    }

    /// options.require_validate_callback_success: Klarna waits up to 10 s for the answer (else 3 s, then completes
    /// the purchase without one). The plugin's deadline is read from it.
    pub fn requires_validate_success(&self) -> bool {
        self.order.requires_validate_success
    }

    /// Runs every check against the store snapshot and returns the verdict array. Throws
    /// \InvalidArgumentException naming the snapshot key path that is missing or mistyped.
    pub fn validate(&self, store: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let store = Store::from_deserializer(ZvalDeserializer::array(store))
            .map_err(|e| invalid_argument(e.to_string()))?;
        let verdict = crate::checks::validate(&self.order, &store)
            .map_err(|e| invalid_argument(e.to_string()))?;
        verdict_to_array(&verdict).map_err(|e| PhpException::from_message(format!("verdict: {e}")))
    }
}
