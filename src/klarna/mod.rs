//! Klarna's checkout order, as POSTed to `merchant_urls.validation`.
//!
//! The model is strict about the fields the checks use (types, signs, 64-bit minor units) and ignores every
//! other field Klarna documents or may add later. Parsing never panics: every problem becomes a
//! [`PayloadError`] naming the field (`order_lines[2].quantity: …`).

mod line;
mod merchant_data;
mod options;
mod order;
mod parse;

pub use line::{LineType, OrderLine};
pub use merchant_data::MerchantData;
pub use order::{Address, Order, ShippingOption};
pub use parse::{parse_order, PayloadError, MAX_LINES};
