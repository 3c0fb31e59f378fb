//! `options.require_validate_callback_success`: whether Klarna waits for the validation callback (and gives up
//! after 10 s) or completes the purchase when it does not answer in time (3 s). The plugin's deadline is read
//! from it (`Order::requiresValidateSuccess()`).
//!
//! Read leniently, as `merchant_data` is: the rest of `options` is Klarna's and never checked, so an `options`
//! of another shape, or a flag that is not a JSON boolean, reads as `false` instead of refusing the body.

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The flag inside `options` (absent, or `options` not an object: `false`).
pub(super) fn requires_validate_success<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(OptionsVisitor)
}

struct OptionsVisitor;

impl<'de> Visitor<'de> for OptionsVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the options object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut required = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "require_validate_callback_success" {
                required = map.next_value::<serde_json::Value>()?.as_bool() == Some(true);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(required)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_none<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "super::requires_validate_success")]
        options: bool,
    }

    fn read(json: &str) -> bool {
        serde_json::from_str::<Body>(json).unwrap().options
    }

    #[test]
    fn reads_the_flag_and_tolerates_any_other_shape() {
        assert!(read(
            r#"{"options":{"allow_separate_shipping_address":true,"require_validate_callback_success":true}}"#
        ));
        assert!(!read(
            r#"{"options":{"require_validate_callback_success":false}}"#
        ));
        assert!(!read(
            r#"{"options":{"require_validate_callback_success":"true"}}"#
        ));
        assert!(!read(r#"{"options":{}}"#));
        assert!(!read(r#"{}"#));
        for other in ["null", "true", "1", "-1", "1.5", r#""x""#, "[1,{\"a\":[]}]"] {
            assert!(!read(&format!(r#"{{"options":{other}}}"#)), "{other}");
        }
    }
}
