//! The order object and the sub-objects the checks read.

use std::collections::HashSet;

use serde::Deserialize;

use super::line::OrderLine;
use super::merchant_data::MerchantData;

/// A billing or shipping address; only what the checks and the plugin read.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Address {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
}

/// `selected_shipping_option`: shipping chosen inside Klarna's iframe. Amounts include tax.
#[derive(Debug, Clone, Deserialize)]
pub struct ShippingOption {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub price: i64,
    #[serde(default)]
    pub tax_amount: i64,
    #[serde(default)]
    pub tax_rate: Option<i64>,
}

/// The fields of the body as serde reads them; [`Order`] is the checked form.
#[derive(Debug, Deserialize)]
pub(super) struct RawOrder {
    pub order_id: String,
    pub purchase_country: String,
    pub purchase_currency: String,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "optional_object")]
    pub billing_address: Option<Address>,
    #[serde(default, deserialize_with = "optional_object")]
    pub shipping_address: Option<Address>,
    pub order_amount: i64,
    pub order_tax_amount: i64,
    #[serde(deserialize_with = "objects")]
    pub order_lines: Vec<OrderLine>,
    #[serde(default)]
    pub merchant_data: Option<String>,
    #[serde(default, deserialize_with = "optional_object")]
    pub selected_shipping_option: Option<ShippingOption>,
    /// `options.require_validate_callback_success` (read leniently: [`super::options`]).
    #[serde(
        default,
        rename = "options",
        deserialize_with = "super::options::requires_validate_success"
    )]
    pub requires_validate_success: bool,
}

/// A struct that must be a JSON object: serde would also read a JSON array into a struct, field by field in
/// declaration order (`["physical","SKU",…]` as an order line). Errors keep their paths and serde's wording.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                let name = std::any::type_name::<T>();
                write!(f, "struct {}", name.rsplit("::").next().unwrap_or(name))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Object<T>, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

fn objects<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let items: Vec<Object<T>> = Vec::deserialize(d)?;
    Ok(items.into_iter().map(|o| o.0).collect())
}

fn optional_object<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(Option::<Object<T>>::deserialize(d)?.map(|o| o.0))
}

/// A Klarna checkout order that passed [`super::parse_order`]: codes are upper case, amounts are within the
/// documented limits, and `merchant_data` has been read.
#[derive(Debug, Clone)]
pub struct Order {
    pub order_id: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub purchase_country: String,
    /// ISO 4217, upper case.
    pub purchase_currency: String,
    pub locale: String,
    pub status: Option<String>,
    pub billing_address: Address,
    pub shipping_address: Address,
    pub order_amount: i64,
    pub order_tax_amount: i64,
    pub order_lines: Vec<OrderLine>,
    pub merchant_data: MerchantData,
    pub selected_shipping_option: Option<ShippingOption>,
    /// `options.require_validate_callback_success`: Klarna waits for the answer up to 10 s and refuses the
    /// purchase without one; otherwise it completes the purchase when no answer came within 3 s.
    pub requires_validate_success: bool,
}

impl Order {
    /// Goods lines (physical and digital): the ones that name products.
    pub fn goods(&self) -> impl Iterator<Item = &OrderLine> {
        self.order_lines.iter().filter(|l| l.kind.is_goods())
    }

    /// Distinct references of goods lines, in order of appearance (empty references left out).
    pub fn references(&self) -> Vec<String> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut out: Vec<String> = Vec::new();
        for line in self.goods() {
            let r = line.reference();
            if !r.is_empty() && seen.insert(r) {
                out.push(r.to_string());
            }
        }
        out
    }

    /// The billing email, trimmed; `None` when absent or empty.
    pub fn billing_email(&self) -> Option<&str> {
        self.billing_address
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
    }

    /// Shipping as the order carries it: the references of `shipping_fee` lines, else the selected option's id.
    /// Shipping is counted once whichever way Klarna sent it.
    pub fn shipping_references(&self) -> Vec<String> {
        let lines: Vec<String> = self
            .order_lines
            .iter()
            .filter(|l| l.kind == super::LineType::ShippingFee)
            .map(|l| l.reference().to_string())
            .collect();
        if !lines.is_empty() {
            return lines;
        }
        self.selected_shipping_option
            .iter()
            .map(|o| o.id.clone())
            .collect()
    }

    /// Whether the order carries shipping in either form.
    pub fn has_shipping(&self) -> bool {
        self.order_lines
            .iter()
            .any(|l| l.kind == super::LineType::ShippingFee)
            || self.selected_shipping_option.is_some()
    }

    /// The selected shipping option when it is the only form of shipping (no `shipping_fee` line).
    pub fn iframe_shipping(&self) -> Option<&ShippingOption> {
        if self
            .order_lines
            .iter()
            .any(|l| l.kind == super::LineType::ShippingFee)
        {
            None
        } else {
            self.selected_shipping_option.as_ref()
        }
    }
}
