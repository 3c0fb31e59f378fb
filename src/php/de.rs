//! A serde `Deserializer` over PHP values, so the store snapshot is read straight from the PHP array: no
//! intermediate tree (building one cost more than the whole decision).
//!
//! Rules, the same as the JSON path of `Store::from_value`:
//! - a struct or keyed map must be a PHP array with named keys; a non-empty list there is an error (serde would
//!   otherwise read it positionally), and `[]` is an empty map;
//! - a map may be list-shaped (PHP makes keys 0, 1, … of numeric references): read as keyed by index;
//! - an array with integer keys is a sequence of its values in order (`array_filter` leaves gaps); named keys
//!   where a list belongs are an error;
//! - strings must be UTF-8; objects and resources are refused; nesting is bounded (an array that contains itself
//!   by reference would otherwise overflow the stack).

use ext_php_rs::flags::DataType;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde::de::value::Error;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

/// Deeper than any snapshot is meant to be (it has four levels).
const MAX_DEPTH: usize = 32;

/// What is being read: a PHP value, or (at the root) the array parameter itself.
#[derive(Clone, Copy)]
enum Node<'a> {
    Zval(&'a Zval),
    Array(&'a ZendHashTable),
}

/// Reads one PHP value.
#[derive(Clone, Copy)]
pub struct ZvalDeserializer<'a> {
    node: Node<'a>,
    depth: usize,
}

impl<'a> ZvalDeserializer<'a> {
    /// Reads a PHP array (the root of the snapshot).
    pub fn array(ht: &'a ZendHashTable) -> Self {
        ZvalDeserializer {
            node: Node::Array(ht),
            depth: 0,
        }
    }

    fn child(&self, zval: &'a Zval) -> Self {
        ZvalDeserializer {
            node: Node::Zval(zval.dereference()),
            depth: self.depth + 1,
        }
    }

    /// The PHP array this is, if it is one.
    fn table(&self) -> Option<&'a ZendHashTable> {
        match self.node {
            Node::Array(ht) => Some(ht),
            Node::Zval(z) => z.array(),
        }
    }

    fn zval(&self) -> Option<&'a Zval> {
        match self.node {
            Node::Zval(z) => Some(z),
            Node::Array(_) => None,
        }
    }

    fn checked_table(&self) -> Result<Option<&'a ZendHashTable>, Error> {
        let ht = self.table();
        if ht.is_some() && self.depth >= MAX_DEPTH {
            return Err(de::Error::custom(format!(
                "is nested more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(ht)
    }

    fn visit_array<V: Visitor<'a>>(
        &self,
        ht: &'a ZendHashTable,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if is_list(ht) {
            visitor.visit_seq(Values {
                iter: Iter::new(ht),
                parent: *self,
            })
        } else {
            visitor.visit_map(Entries {
                iter: Iter::new(ht),
                parent: *self,
                value: None,
                index: None,
            })
        }
    }
}

/// Whether a PHP array is a packed list: keys 0, 1, 2 … in order (an empty array is one).
fn is_list(ht: &ZendHashTable) -> bool {
    let mut iter = Iter::new(ht);
    let mut expected = 0i64;
    while let Some((key, _)) = iter.next_zval() {
        if key.long() != Some(expected) {
            return false;
        }
        expected += 1;
    }
    true
}

/// Whether a PHP array has a string key.
fn has_named_key(ht: &ZendHashTable) -> bool {
    let mut iter = Iter::new(ht);
    while let Some((key, _)) = iter.next_zval() {
        if key.long().is_none() {
            return true;
        }
    }
    false
}

impl<'de> de::Deserializer<'de> for ZvalDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Some(ht) = self.checked_table()? {
            return self.visit_array(ht, visitor);
        }
        let Some(zval) = self.zval() else {
            return visitor.visit_unit();
        };
        match zval.get_type() {
            DataType::Null | DataType::Undef => visitor.visit_unit(),
            DataType::True => visitor.visit_bool(true),
            DataType::False => visitor.visit_bool(false),
            DataType::Bool => visitor.visit_bool(zval.bool().unwrap_or(false)),
            DataType::Long => visitor.visit_i64(zval.long().unwrap_or(0)),
            DataType::Double => {
                let d = zval.double().unwrap_or(f64::NAN);
                if d.is_finite() {
                    visitor.visit_f64(d)
                } else {
                    Err(de::Error::custom(format!("is not a finite number ({d})")))
                }
            }
            DataType::String => {
                let bytes = zval.zend_str().map(|s| s.as_bytes()).unwrap_or_default();
                match std::str::from_utf8(bytes) {
                    Ok(s) => visitor.visit_borrowed_str(s),
                    Err(_) => Err(de::Error::custom("is not valid UTF-8")),
                }
            }
            other => Err(de::Error::custom(format!(
                "must be a scalar or an array, got {other}"
            ))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.zval().is_some_and(Zval::is_null) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.checked_table()? {
            // Integer keys with gaps (what array_filter leaves) are still a list; named keys are not.
            Some(ht) if has_named_key(ht) => Err(de::Error::custom(
                "must be a list, got a map with named keys",
            )),
            Some(ht) => visitor.visit_seq(Values {
                iter: Iter::new(ht),
                parent: self,
            }),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Some(ht) = self.checked_table()? else {
            return self.deserialize_any(visitor);
        };
        if !ht.is_empty() && is_list(ht) {
            return Err(de::Error::custom(
                "must be a map with named keys, got a list",
            ));
        }
        visitor.visit_map(Entries {
            iter: Iter::new(ht),
            parent: self,
            value: None,
            index: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.zval().and_then(Zval::str) {
            Some(s) => visitor.visit_enum(s.into_deserializer()),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct identifier ignored_any
    }
}

/// The values of a PHP array, in order.
struct Values<'a> {
    iter: Iter<'a>,
    parent: ZvalDeserializer<'a>,
}

impl<'de> SeqAccess<'de> for Values<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next_zval() {
            Some((_, v)) => seed.deserialize(self.parent.child(v)).map(Some),
            None => Ok(None),
        }
    }
}

/// The entries of a PHP array, keys as strings (int keys written in decimal).
struct Entries<'a> {
    iter: Iter<'a>,
    parent: ZvalDeserializer<'a>,
    value: Option<&'a Zval>,
    index: Option<String>,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next_zval() else {
            return Ok(None);
        };
        self.value = Some(value);
        if let Some(n) = key.long() {
            self.index = Some(n.to_string());
            let k = self.index.as_deref().unwrap_or_default();
            return seed.deserialize(k.into_deserializer()).map(Some);
        }
        let bytes = key.zend_str().map(|s| s.as_bytes()).unwrap_or_default();
        let k = std::str::from_utf8(bytes)
            .map_err(|_| de::Error::custom("has a key that is not valid UTF-8"))?;
        seed.deserialize(de::value::StrDeserializer::<Error>::new(k))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(self.parent.child(v)),
            None => Err(de::Error::custom("a value was read without its key")),
        }
    }
}
