//! `merchant_data`: an opaque string that KCO fills with JSON (`coupons`, `is_user_logged_in`, …).
//!
//! It is read defensively: absent, empty, not JSON, or JSON of another shape all give the empty value, because
//! another plugin may own the string. Nothing here is trusted for a decision (the shop's session is, D9); it is
//! reported so the plugin can look up the coupons it names.
//!
//! Linear in the string, whatever it holds (issue 13: a linear search per code cost seconds for 1 MiB of codes):
//! the JSON is read in one pass without building a tree (only `coupons` and `is_user_logged_in` are kept), and
//! codes are made distinct with a set.

use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
        let mut de = serde_json::Deserializer::from_str(raw);
        match de.deserialize_any(Top).and_then(|md| de.end().map(|()| md)) {
            Ok(Some(md)) => md,
            _ => MerchantData::default(),
        }
    }
}

/// The top level: an object (else `None`: not ours).
struct Top;

impl<'de> Visitor<'de> for Top {
    type Value = Option<MerchantData>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut md = MerchantData {
            was_json: true,
            ..MerchantData::default()
        };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                // A later key of the same name wins, as in a JSON object read into a map.
                "coupons" => md.coupons = map.next_value_seed(Coupons)?,
                "is_user_logged_in" => md.is_user_logged_in = map.next_value_seed(Flag)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(md))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// `coupons`: the strings of an array, trimmed, lower case, non-empty, distinct, in order; anything else: none.
struct Coupons;

impl<'de> DeserializeSeed<'de> for Coupons {
    type Value = Vec<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Coupons {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of coupon codes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut codes: Vec<String> = Vec::new();
        while let Some(item) = seq.next_element::<Item<'de>>()? {
            if let Item::Code(code) = item {
                let code = code.trim().to_lowercase();
                if !code.is_empty() {
                    codes.push(code);
                }
            }
        }
        // Distinct, first occurrence kept: one set of borrowed codes, no search of what was kept.
        let mut seen: HashSet<&str> = HashSet::with_capacity(codes.len());
        let keep: Vec<bool> = codes.iter().map(|c| seen.insert(c.as_str())).collect();
        drop(seen);
        let mut keep = keep.into_iter();
        codes.retain(|_| keep.next().unwrap_or(false));
        Ok(codes)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_str<E>(self, _: &str) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E>(self) -> Result<Vec<String>, E> {
        Ok(Vec::new())
    }
}

/// An element of `coupons`: a string (borrowed when it has no escapes), or anything else (skipped).
enum Item<'de> {
    Code(std::borrow::Cow<'de, str>),
    Other,
}

impl<'de> serde::Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a coupon code")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Item<'de>, E> {
                Ok(Item::Code(std::borrow::Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Item<'de>, E> {
                Ok(Item::Code(std::borrow::Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Item<'de>, E> {
                Ok(Item::Code(std::borrow::Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Item::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
            fn visit_unit<E>(self) -> Result<Item<'de>, E> {
                Ok(Item::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// `is_user_logged_in`: a JSON boolean, else none.
struct Flag;

impl<'de> DeserializeSeed<'de> for Flag {
    type Value = Option<bool>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Flag {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Option<bool>, E> {
        Ok(Some(b))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<bool>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<bool>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Option<bool>, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Option<bool>, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Option<bool>, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Option<bool>, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Option<bool>, E> {
        Ok(None)
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
    fn reads_as_a_json_tree_would() {
        // The last of duplicate keys wins; non-strings among the codes and escapes; other shapes of each key.
        let md = MerchantData::read(Some(
            r#"{"coupons":["a"],"x":{"coupons":["no"]},"coupons":[1,"B\u00c4",["c"],{"d":1},null,"b\u00e4"," ",true],"is_user_logged_in":"yes"}"#,
        ));
        assert_eq!(md.coupons, vec!["bä"]);
        assert_eq!(md.is_user_logged_in, None);
        assert!(md.was_json);
        let md = MerchantData::read(Some(r#"{"is_user_logged_in":false,"coupons":{"a":"b"}}"#));
        assert!(md.coupons.is_empty());
        assert_eq!(md.is_user_logged_in, Some(false));
        // Trailing text or broken JSON anywhere: not ours.
        for raw in [
            r#"{"coupons":["a"]} x"#,
            r#"{"coupons":["a"],"z":[}"#,
            r#"{"coupons":["a""#,
        ] {
            assert_eq!(
                MerchantData::read(Some(raw)),
                MerchantData::default(),
                "{raw}"
            );
        }
    }

    #[test]
    fn many_distinct_codes_keep_their_order() {
        let codes: Vec<String> = (0..50_000)
            .map(|i| format!("\"C{}\"", i % 40_000))
            .collect();
        let md = MerchantData::read(Some(&format!(r#"{{"coupons":[{}]}}"#, codes.join(","))));
        assert_eq!(md.coupons.len(), 40_000);
        assert_eq!(md.coupons[0], "c0");
        assert_eq!(md.coupons[39_999], "c39999");
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
