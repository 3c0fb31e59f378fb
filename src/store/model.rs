//! The snapshot's structure. Field comments give the WooCommerce source of each fact.

use serde::Deserialize;
use std::collections::BTreeMap;

use super::answer::AnswerSection;
use super::fields::{Money, NullableInt};

/// The whole snapshot.
#[derive(Debug, Clone, Deserialize)]
pub struct Store {
    /// The cart's currency for this session.
    pub currency: String,
    /// `wc_get_price_decimals()`; informational (money is compared in ISO minor units).
    pub price_decimals: i64,
    /// Unix time, for coupon expiry.
    pub now: i64,
    pub session: Session,
    pub cart: Cart,
    /// Keyed by the Klarna line reference; may arrive list-shaped (keys 0, 1, …: see `shape.rs`).
    pub products: BTreeMap<String, Product>,
    /// Keyed by coupon code, lower case; may arrive list-shaped like `products`.
    pub coupons: BTreeMap<String, Coupon>,
    pub customer: Customer,
    pub checkout: Checkout,
    /// The cart and checkout pages, for a denial's `Location`. Optional: the plugin builds them (a query or more
    /// on a real shop) only once a verdict denies in redirect mode, and then has the answer made again with them
    /// (`KcoValidation\answer()`); without them a redirect's `Location` is left out.
    #[serde(default)]
    pub urls: Option<Urls>,
    #[serde(default)]
    pub options: Options,
    /// What the plugin adds to the answer: the details key and the shopper texts (src/store/answer.rs).
    #[serde(default)]
    pub answer: AnswerSection,
}

/// The shopper's WooCommerce session, found by `kco_session_id`.
#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub found: bool,
    pub expired: bool,
    pub customer_id: String,
    #[serde(default)]
    pub own_order_id: i64,
    /// `kco_wc_order_id` stored in the session, when known.
    #[serde(default)]
    pub klarna_order_id: Option<String>,
}

/// The cart restored from the session.
#[derive(Debug, Clone, Deserialize)]
pub struct Cart {
    pub total: Money,
    pub total_tax: Money,
    pub subtotal: Money,
    /// `WC_Cart::needs_shipping()`: false when shipping is disabled or no shipping method is set up
    /// (`wc_get_shipping_method_count( true )`), else whether an item needs it
    /// (`woocommerce_product_needs_shipping`), after `woocommerce_cart_needs_shipping`. The extension takes it as
    /// WooCommerce's answer.
    pub needs_shipping: bool,
    #[serde(default = "yes")]
    pub shipping_enabled: bool,
    pub chosen_shipping: Vec<String>,
    /// Every rate WooCommerce offers for the address, over all packages.
    pub available_shipping: Vec<String>,
    /// Each shipping package as the session holds it (`shipping_for_package_<n>` and `chosen_shipping_methods[n]`),
    /// for WooCommerce's own checkout rule: every package's chosen rate is one of its rates. Absent in snapshots
    /// from before it (the rule is then not checked).
    #[serde(default)]
    pub packages: Option<Vec<ShippingPackage>>,
    pub lines: Vec<CartLine>,
    pub coupons: Vec<String>,
}

/// One shipping package of the cart.
#[derive(Debug, Clone, Deserialize)]
pub struct ShippingPackage {
    /// The rate chosen for it, when one is.
    #[serde(default)]
    pub chosen: Option<String>,
    /// The rates WooCommerce calculated for it (rate ids).
    pub rates: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One cart item.
#[derive(Debug, Clone, Deserialize)]
pub struct CartLine {
    pub product_id: i64,
    pub variation_id: i64,
    pub reference: String,
    pub quantity: i64,
    /// Line total after discounts, excluding tax.
    pub total: Money,
    pub tax: Money,
    #[serde(default)]
    pub subtotal: Option<Money>,
    #[serde(default)]
    pub subtotal_tax: Option<Money>,
    /// The product's name (`get_name()`), for a cart line whose product Klarna's order does not name (it has no
    /// `products` entry then).
    #[serde(default)]
    pub name: Option<String>,
    /// The key of this item's entry in `products`, when it is not `reference` (variations sharing a reference).
    #[serde(default)]
    pub product_key: Option<String>,
    /// The product's own price (`get_price('edit')`, the `_price` the shop stores) when WooCommerce last calculated
    /// this cart (the plugin records it then), or None when not recorded. WooCommerce's checkout calculates the
    /// cart again: a price changed since makes its totals differ from the Klarna order built on the old ones.
    #[serde(default)]
    pub price_then: Option<Money>,
}

impl CartLine {
    /// The id that names this item's product: the variation when there is one.
    pub(crate) fn item_id(&self) -> i64 {
        if self.variation_id > 0 {
            self.variation_id
        } else {
            self.product_id
        }
    }
}

impl Store {
    /// The `products` entry of a cart line: `products[product_key]` when the line names its entry and it exists,
    /// else `products[reference]`. The one place that maps a cart line to its product.
    pub(crate) fn product_for_line(&self, line: &CartLine) -> Option<&Product> {
        line.product_key
            .as_deref()
            .and_then(|key| self.products.get(key))
            .or_else(|| self.products.get(&line.reference))
    }
}

/// A product named by a Klarna line reference. Stock fields describe the stock owner.
#[derive(Debug, Clone, Deserialize)]
pub struct Product {
    pub id: i64,
    pub stock_owner_id: i64,
    pub purchasable: bool,
    #[serde(rename = "virtual")]
    pub is_virtual: bool,
    pub manage_stock: bool,
    pub stock_quantity: NullableInt,
    pub held: i64,
    pub stock_status: String,
    pub backorders: String,
    pub name: String,
    #[serde(default)]
    pub subscription: bool,
    #[serde(default)]
    pub trial_length: i64,
    /// `wc_get_product_cat_ids()` of this item (optional, `[]`): the `product_cat` term ids the product is in,
    /// **with every ancestor category** (`wc_get_product_cat_ids()` adds `get_ancestors()` of each term). For a
    /// variation, its parent's categories (`get_parent_id()`), merged with any of the variation's own (variations
    /// normally have none): `WC_Discounts` reads both, `WC_Coupon::is_valid_for_product()` the parent's. Read
    /// only by coupons with `product_categories` or `excluded_product_categories`.
    #[serde(default)]
    pub category_ids: Vec<i64>,
    /// `WC_Product::is_on_sale()` of this item (the variation itself for a variation) now (optional, `false`).
    /// Read only by coupons with `exclude_sale_items`.
    #[serde(default)]
    pub on_sale: bool,
    /// The product's own price now (`_price`), or None when it has none (or was not read).
    #[serde(default)]
    pub price: Option<Money>,
}

impl Product {
    /// `WC_Product::backorders_allowed()`: "notify" and "yes" allow backorders.
    pub(crate) fn backorders_allowed(&self) -> bool {
        self.backorders == "yes" || self.backorders == "notify"
    }
}

/// A coupon as WooCommerce stores it.
#[derive(Debug, Clone, Deserialize)]
pub struct Coupon {
    pub exists: bool,
    #[serde(default)]
    pub expires: Option<i64>,
    #[serde(default)]
    pub usage_limit: Option<i64>,
    #[serde(default)]
    pub usage_count: i64,
    #[serde(default)]
    pub usage_limit_per_user: Option<i64>,
    #[serde(default)]
    pub used_by: Vec<String>,
    /// Uses held by checkouts in progress for one user alias each (`_maybe_used_by_<expiry>_…` meta not yet
    /// expired), the shopper's own pending order's holds excluded.
    #[serde(default)]
    pub held_by: Vec<String>,
    #[serde(default)]
    pub email_restrictions: Vec<String>,
    #[serde(default)]
    pub minimum_amount: Option<Money>,
    #[serde(default)]
    pub maximum_amount: Option<Money>,
    /// `discount_type`: `fixed_cart`, `percent`, `fixed_product` or a plugin's own type. WooCommerce's default is
    /// `fixed_cart` (`WC_Coupon::$data`), and so is ours when the key is absent.
    #[serde(default = "fixed_cart")]
    pub discount_type: String,
    /// `product_ids`: the coupon applies only to carts holding one of these products or variations.
    #[serde(default)]
    pub product_ids: Vec<i64>,
    /// `exclude_product_ids`: products and variations the coupon must not discount.
    #[serde(default)]
    pub excluded_product_ids: Vec<i64>,
    /// `product_categories` (optional, `[]`): `product_cat` term ids; the coupon needs a cart line in one of them
    /// (`products[].category_ids`), else `not_applicable`.
    #[serde(default)]
    pub product_categories: Vec<i64>,
    /// `exclude_product_categories` (optional, `[]`): a cart coupon with a line in one of them is refused
    /// (`excluded_category`); for a product coupon such lines are not eligible.
    #[serde(default)]
    pub excluded_product_categories: Vec<i64>,
    /// `exclude_sale_items` (optional, `false`): a cart coupon with a line on sale (`products[].on_sale`) is
    /// refused (`sale_items`); for a product coupon sale lines are not eligible; and lines on sale do not count
    /// for `product_categories`.
    #[serde(default)]
    pub exclude_sale_items: bool,
}

fn fixed_cart() -> String {
    "fixed_cart".to_owned()
}

impl Coupon {
    /// Whether WooCommerce validates this coupon product by product (`wc_get_product_coupon_types()`: `fixed_product`
    /// and `percent`; `percent_product` is the pre-3.0 name that `WC_Coupon::set_discount_type()` reads as
    /// `percent`). Every other type, `fixed_cart` and plugins' own types included, gets the cart rules.
    pub(crate) fn is_product_type(&self) -> bool {
        matches!(
            self.discount_type.as_str(),
            "fixed_product" | "percent" | "percent_product"
        )
    }
}

/// Who the shopper is, from the server's point of view.
#[derive(Debug, Clone, Deserialize)]
pub struct Customer {
    pub logged_in: bool,
    pub user_id: i64,
    pub email_exists: bool,
    /// `get_user_ids_for_billing_email()`: users whose billing email is the order's billing email or the logged-in
    /// account's email (the plugin reads only those that the coupons' `used_by`/`held_by` name).
    #[serde(default)]
    pub user_ids_for_email: Vec<i64>,
    #[serde(default)]
    pub account_email: Option<String>,
}

/// Checkout settings, after filters.
#[derive(Debug, Clone, Deserialize)]
pub struct Checkout {
    pub registration_required: bool,
    pub registration_enabled: bool,
    pub subscriptions_active: bool,
}

/// Where a denied shopper is sent.
#[derive(Debug, Clone, Deserialize)]
pub struct Urls {
    pub cart: String,
    pub checkout: String,
}

/// How to answer a denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// `303 See Other` to the cart or checkout page (KCO 1.x compatible).
    #[default]
    Redirect,
    /// `400` with `{"error_type","error_text"}`, shown inside Klarna's checkout.
    ErrorJson,
}

/// What to do with a line whose product the shop cannot find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnknownProducts {
    #[default]
    Deny,
    Ignore,
}

/// The plugin's settings that shape the decision.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Options {
    #[serde(default)]
    pub response_mode: ResponseMode,
    #[serde(default)]
    pub total_tolerance: i64,
    #[serde(default)]
    pub unknown_products: UnknownProducts,
}
