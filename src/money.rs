//! Money: the currency's minor units, and the shop's decimal strings converted to them exactly.
//!
//! Klarna sends integers in ISO 4217 minor units. WooCommerce stores decimal strings. A string becomes minor units
//! by `rust_decimal` arithmetic with the currency's exponent, rounding half away from zero (what PHP's `round()`,
//! and so KCO, does); no float is ever involved (the reference's D11).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// The ISO 4217 exponent of a currency (upper-case code). Unknown codes get 2, the exponent of every currency
/// Klarna Checkout sells in.
pub fn exponent(currency: &str) -> u32 {
    match currency {
        // Zero-decimal currencies.
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        // Three-decimal currencies.
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Parses a decimal amount as WooCommerce writes it ("1234.50", "-3", "0.1"). No exponents, no thousands
/// separators, at most 28 significant digits.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok = !digits.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        && !(int.is_empty() && frac.is_none());
    if !ok {
        return Err(format!("{text:?} is not a decimal number"));
    }
    Decimal::from_str(t).map_err(|e| format!("{text:?} is not a decimal number ({e})"))
}

/// Converts a decimal amount to minor units with the given exponent, rounding half away from zero.
pub fn to_minor(amount: Decimal, exponent: u32) -> Result<i64, String> {
    let scaled = amount
        .checked_mul(Decimal::from(10i64.pow(exponent)))
        .ok_or_else(|| format!("{amount} is too large"))?;
    scaled
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .ok_or_else(|| format!("{amount} is too large"))
}

/// Formats minor units as a decimal amount with the currency code ("1 234.50 SEK" style without grouping:
/// "1234.50 SEK"), for messages.
pub(crate) fn format(minor: i64, currency: &str) -> String {
    let exp = exponent(currency);
    let d = Decimal::new(minor, exp);
    format!("{d:.prec$} {currency}", prec = exp as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exponents() {
        assert_eq!(exponent("SEK"), 2);
        assert_eq!(exponent("JPY"), 0);
        assert_eq!(exponent("KWD"), 3);
    }

    #[test]
    fn converts_exactly() {
        let m = |s: &str, e| to_minor(parse_decimal(s).unwrap(), e).unwrap();
        assert_eq!(m("1234.50", 2), 123450);
        assert_eq!(m("0.1", 2), 10);
        assert_eq!(m("0.005", 2), 1);
        assert_eq!(m("-0.005", 2), -1);
        assert_eq!(m("0.004999", 2), 0);
        assert_eq!(m("19.99", 0), 20);
        assert_eq!(m("1.0005", 3), 1001);
        assert_eq!(m("7", 2), 700);
        // 0.1 + 0.2 style sums stay exact.
        assert_eq!(
            to_minor(
                parse_decimal("0.1").unwrap() + parse_decimal("0.2").unwrap(),
                2
            )
            .unwrap(),
            30
        );
    }

    #[test]
    fn rejects_non_decimals() {
        for bad in [
            "", "abc", "1e3", "1,5", "1.", ".", "--1", "1.2.3", "NaN", "inf", " ", "+",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad:?}");
        }
        assert!(parse_decimal(".5").is_ok());
        assert!(to_minor(parse_decimal("99999999999999999999999").unwrap(), 2).is_err());
    }

    #[test]
    fn formats_for_messages() {
        assert_eq!(format(84600, "SEK"), "846.00 SEK");
        assert_eq!(format(-5, "EUR"), "-0.05 EUR");
        assert_eq!(format(1500, "JPY"), "1500 JPY");
    }

    proptest! {
        // Any amount written with two decimals converts back to exactly the integer it was made from.
        #[test]
        fn round_trip_two_decimals(minor in -10_000_000_000_000i64..10_000_000_000_000i64) {
            let text = Decimal::new(minor, 2).to_string();
            prop_assert_eq!(to_minor(parse_decimal(&text).unwrap(), 2).unwrap(), minor);
        }

        // Rounding is half away from zero, symmetric around zero, and never off by more than half a unit.
        #[test]
        fn rounding_is_symmetric_and_close(units in 0i64..1_000_000_000, extra in 0u32..1000) {
            let d = Decimal::new(units * 1000 + extra as i64, 5); // five decimals
            let pos = to_minor(d, 2).unwrap();
            let neg = to_minor(-d, 2).unwrap();
            prop_assert_eq!(pos, -neg);
            let diff = (Decimal::from(pos) - d * Decimal::from(100)).abs();
            prop_assert!(diff <= Decimal::new(5, 1));
        }
    }
}
