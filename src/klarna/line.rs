//! One order line and its type.

use serde::Deserialize;

/// What an order line is. Klarna documents eight types; `type` itself is optional, and a line without one is a
/// physical good (the only reading under which such an order makes sense).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    Physical,
    Digital,
    Discount,
    ShippingFee,
    SalesTax,
    GiftCard,
    StoreCredit,
    Surcharge,
}

impl LineType {
    /// Goods lines name a product and take part in stock, shipping and cart checks.
    pub fn is_goods(self) -> bool {
        matches!(self, LineType::Physical | LineType::Digital)
    }
}

/// An order line, with the fields the checks use. Amounts are minor units of the purchase currency.
#[derive(Debug, Clone, Deserialize)]
pub struct OrderLine {
    #[serde(rename = "type", default = "default_type")]
    pub kind: LineType,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub name: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub tax_rate: i64,
    pub total_amount: i64,
    #[serde(default)]
    pub total_discount_amount: Option<i64>,
    pub total_tax_amount: i64,
}

fn default_type() -> LineType {
    LineType::Physical
}

impl OrderLine {
    /// `total_discount_amount`, absent meaning 0.
    pub fn discount(&self) -> i64 {
        self.total_discount_amount.unwrap_or(0)
    }

    /// The reference, empty when Klarna sent none.
    pub fn reference(&self) -> &str {
        self.reference.as_deref().unwrap_or("")
    }
}
