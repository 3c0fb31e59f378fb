//! Field types of the snapshot that serde's defaults would read too loosely.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// An amount of money as WooCommerce stores it: a decimal string or an integer. Floats are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Money(pub Decimal);

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal string such as \"12.50\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Money, E> {
                crate::money::parse_decimal(s).map(Money).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Money, E> {
                Ok(Money(Decimal::from(n)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(n)))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Money, E> {
                Err(E::custom(format!(
                    "got the float {n}; give money as a decimal string (floats are not exact)"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl Money {
    /// Whether the amount is a real limit (WooCommerce writes "0" or "" for "none").
    pub(crate) fn is_set(&self) -> bool {
        !self.0.is_zero()
    }
}

/// A required key whose value may be `null` (serde would treat a missing `Option` as `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NullableInt(pub Option<i64>);

impl<'de> Deserialize<'de> for NullableInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NullableInt, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NullableInt;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<NullableInt, E> {
                Ok(NullableInt(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<NullableInt, E> {
                Ok(NullableInt(None))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<NullableInt, E> {
                Ok(NullableInt(Some(n)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<NullableInt, E> {
                i64::try_from(n)
                    .map(|n| NullableInt(Some(n)))
                    .map_err(|_| E::custom("integer out of range"))
            }
        }
        d.deserialize_any(V)
    }
}
