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
    pub(crate) fn is_goods(self) -> bool {
        matches!(self, LineType::Physical | LineType::Digital)
    }
}

/// An order line, with the fields the checks use. Amounts are minor units of the purchase currency.
#[derive(Debug, Clone, Deserialize)]
pub struct OrderLine {
    #[serde(
        rename = "type",
        default = "default_type",
        deserialize_with = "line_type"
    )]
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

/// `type` read as a string first: serde_json answers an enum given as `null`, a number or an array with a
/// *syntax* error ("expected value"), which would blame the whole body for a wrongly typed field.
fn line_type<'de, D: serde::Deserializer<'de>>(d: D) -> Result<LineType, D::Error> {
    use serde::de::{Error, IntoDeserializer};
    const VARIANTS: &[&str] = &[
        "physical",
        "digital",
        "discount",
        "shipping_fee",
        "sales_tax",
        "gift_card",
        "store_credit",
        "surcharge",
    ];
    let name = String::deserialize(d)?;
    if !VARIANTS.contains(&name.as_str()) {
        return Err(D::Error::unknown_variant(&name, VARIANTS));
    }
    LineType::deserialize(name.as_str().into_deserializer())
}

impl OrderLine {
    /// `total_discount_amount`, absent meaning 0.
    pub fn discount(&self) -> i64 {
        self.total_discount_amount.unwrap_or(0)
    }

    /// The reference, empty when Klarna sent none.
    pub(crate) fn reference(&self) -> &str {
        self.reference.as_deref().unwrap_or("")
    }
}
