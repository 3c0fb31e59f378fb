//! The snapshot's `answer` section: what the plugin contributes to the answer besides the page URLs and the
//! response mode — the key that signs the reasons carried to the shopper's page, and the shopper texts (translated
//! templates and the shop's price format) for answers the extension writes in the shopper's language. Both are
//! optional: without them the answer carries no details and its texts are the extension's own English.

use serde::Deserialize;
use std::collections::BTreeMap;

/// `answer` (optional).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct AnswerSection {
    /// The HMAC-SHA256 key that signs `kco_validation_details` (the plugin derives it from `wp_salt()`); without
    /// it the 303 carries codes only.
    #[serde(default)]
    pub details_key: Option<String>,
    /// Shopper texts for the `error_json` body (and `KcoValidation\render_reasons()`).
    #[serde(default)]
    pub texts: Option<Texts>,
}

/// Shopper texts: templates by `code.reason` or `code`, general texts by code, and how prices are written.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Texts {
    #[serde(default)]
    pub templates: BTreeMap<String, Template>,
    #[serde(default)]
    pub general: BTreeMap<String, String>,
    #[serde(default)]
    pub price: Option<PriceFormat>,
    /// Product names in the shopper's language, by product or variation id (a translation's title): a reason
    /// about that product is told with this name instead of the snapshot's.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// A translated sentence in PHP's `sprintf` style (`%s`, `%1$s`) and the failure parameters it takes, in order.
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    pub text: String,
    #[serde(default)]
    pub params: Vec<String>,
}

/// How the shop writes prices (WooCommerce's `wc_price()` settings), for amounts of `currency`.
#[derive(Debug, Clone, Deserialize)]
pub struct PriceFormat {
    /// The currency these settings are for (`get_woocommerce_currency()`); amounts in another currency are written
    /// plainly ("310.26 SEK").
    pub currency: String,
    /// `wc_get_price_decimals()`.
    pub decimals: u32,
    /// `wc_get_price_decimal_separator()`.
    #[serde(default = "dot")]
    pub decimal_separator: String,
    /// `wc_get_price_thousand_separator()`.
    #[serde(default)]
    pub thousand_separator: String,
    /// `get_woocommerce_price_format()`: `%1$s` the symbol, `%2$s` the number.
    #[serde(default = "symbol_after")]
    pub format: String,
    /// `get_woocommerce_currency_symbol()`, entities decoded (plain text).
    pub symbol: String,
}

fn dot() -> String {
    ".".to_owned()
}

fn symbol_after() -> String {
    "%2$s\u{a0}%1$s".to_owned()
}
