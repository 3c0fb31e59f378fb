//! `merchant_data`: an opaque string that KCO fills with JSON (`coupons`, `is_user_logged_in`, …).
//!
//! It is read defensively: absent, empty, not JSON, or JSON of another shape all give the empty value, because
//! another plugin may own the string. Nothing here is trusted for a decision (the shop's session is, D9); it is
//! reported so the plugin can look up the coupons it names.

use serde_json::Value;

/// What the KCO plugin put into `merchant_data`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MerchantData {
    /// Coupon codes, lower case, distinct, in order.
    pub coupons: Vec<String>,
    /// `is_user_logged_in`, when present and boolean.
    pub is_user_logged_in: Option<bool>,
    /// Whether the string held a JSON object at all.
    pub was_json: bool,
}

impl MerchantData {
    /// Reads the string; never fails.
    pub(crate) fn read(raw: Option<&str>) -> MerchantData {
        let Some(raw) = raw else {
            return MerchantData::default();
        };
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
            return MerchantData::default();
        };
        let mut coupons: Vec<String> = Vec::new();
        if let Some(Value::Array(items)) = map.get("coupons") {
            for item in items {
                if let Value::String(code) = item {
                    let code = code.trim().to_lowercase();
                    if !code.is_empty() && !coupons.contains(&code) {
                        coupons.push(code);
                    }
                }
            }
        }
        let is_user_logged_in = map.get("is_user_logged_in").and_then(Value::as_bool);
        MerchantData {
            coupons,
            is_user_logged_in,
            was_json: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_coupons_and_login_flag() {
        let md = MerchantData::read(Some(
            r#"{"coupons":["Summer10","summer10"," x "],"is_user_logged_in":true}"#,
        ));
        assert_eq!(md.coupons, vec!["summer10", "x"]);
        assert_eq!(md.is_user_logged_in, Some(true));
        assert!(md.was_json);
    }

    #[test]
    fn tolerates_garbage() {
        for raw in [
            None,
            Some(""),
            Some("not json"),
            Some("[1,2]"),
            Some(r#"{"coupons":"x"}"#),
        ] {
            let md = MerchantData::read(raw);
            assert!(md.coupons.is_empty(), "{raw:?}");
            assert_eq!(md.is_user_logged_in, None);
        }
    }
}
