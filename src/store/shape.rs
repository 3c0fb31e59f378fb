//! The snapshot's shape rules, in one place, for both ways a snapshot arrives: a PHP array (the extension,
//! `php::de` adapts PHP values to [`Tree`]) and a JSON tree ([`Store::from_value`](super::Store::from_value): the
//! CLI, the tests, the benchmarks and the fuzzers). Which keys are structs, keyed maps and lists is declared once,
//! by the types of `model.rs`; this module decides how a tree's arrays may stand for them:
//!
//! - a **struct** must be an array with named keys: a non-empty list there is an error ("must be a map with named
//!   keys, got a list"; serde would otherwise read a list positionally), and an empty array (PHP's `[]`) is an
//!   empty struct (its required keys are then missing);
//! - a **keyed map** (`products`, `coupons`) may also be list-shaped: PHP turns keys `0`, `1`, … (numeric
//!   references) into a list, read back as a map keyed `"0"`, `"1"`, …;
//! - a **list** is an array with integer keys, its values in order (`array_filter` leaves gaps); named keys there
//!   are an error ("must be a list, got a map with named keys"); an empty array is an empty list;
//! - scalars are what serde asks for (floats reach the visitors, which refuse them as money); strings must be
//!   UTF-8, floats finite; anything else (a PHP object, a resource) is refused;
//! - nesting is bounded at [`MAX_DEPTH`] levels (a PHP array that contains itself by reference would otherwise
//!   overflow the stack, which is an abort, not a catchable panic).
//!
//! A JSON array is a list (keys 0, 1, …), a JSON object an array with named keys.

use std::fmt::Write;
use std::marker::PhantomData;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
// serde_json's error type for both trees: its messages are the ones the JSON path always gave ("invalid type:
// null", floats written shortest).
use serde_json::Error;

/// Deeper than any snapshot is meant to be (it has four levels).
pub(crate) const MAX_DEPTH: usize = 32;

/// An array key, as PHP has it: an integer, or a string (bytes, checked for UTF-8 only where it is read).
pub(crate) enum Key<'k> {
    Int(i64),
    Str(&'k [u8]),
}

/// What a node of the tree is.
pub(crate) enum Node<'a> {
    /// An array (a PHP array; a JSON array or object): see [`Tree::entries`].
    Array,
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'a str),
}

/// A tree the snapshot arrives as. Nodes are cheap handles (references), read as often as the rules need.
pub(crate) trait Tree<'a>: Copy {
    /// A key as the tree hands it out (PHP hands out keys as values of their own).
    type Key;
    /// An array's entries, in order.
    type Entries: Iterator<Item = (Self::Key, Self)>;
    /// What this node is; `Err` names a value no snapshot may hold ("is not valid UTF-8").
    fn node(self) -> Result<Node<'a>, String>;
    /// The entries of an array, from the first (`None`: not an array).
    fn entries(self) -> Option<Self::Entries>;
    /// Whether this node is null (cheaper than [`Tree::node`]: no UTF-8 check).
    fn is_null(self) -> bool;
    /// A key's value.
    fn key(key: &Self::Key) -> Key<'_>;
}

/// Reads a [`Tree`] with serde, by the rules of this module. Errors carry no path: `Store::from_deserializer`
/// reads a failing snapshot again with `serde_path_to_error` to say where.
#[derive(Clone, Copy)]
pub(crate) struct Reader<T> {
    node: T,
    depth: usize,
}

impl<'a, T: Tree<'a>> Reader<T> {
    /// Reads the snapshot's root.
    pub(crate) fn new(root: T) -> Self {
        Reader {
            node: root,
            depth: 0,
        }
    }

    fn child(&self, node: T) -> Self {
        Reader {
            node,
            depth: self.depth + 1,
        }
    }

    /// The node, refusing arrays nested too deep.
    fn checked(&self) -> Result<Node<'a>, Error> {
        let node = self.node.node().map_err(de::Error::custom)?;
        if matches!(node, Node::Array) && self.depth >= MAX_DEPTH {
            return Err(de::Error::custom(format!(
                "is nested more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(node)
    }

    /// The entries, when the node is an array (not nested too deep).
    fn array_entries(&self) -> Result<Option<T::Entries>, Error> {
        Ok(match self.checked()? {
            Node::Array => self.node.entries(),
            _ => None,
        })
    }

    /// A packed list: keys 0, 1, 2 … in order (an empty array is one).
    fn is_list(&self) -> bool {
        let mut expected = 0i64;
        for (key, _) in self.node.entries().into_iter().flatten() {
            match T::key(&key) {
                Key::Int(n) if n == expected => expected += 1,
                _ => return false,
            }
        }
        true
    }

    /// An array with at least one string key.
    fn has_named_key(&self) -> bool {
        self.node
            .entries()
            .into_iter()
            .flatten()
            .any(|(key, _)| matches!(T::key(&key), Key::Str(_)))
    }

    fn is_empty(&self) -> bool {
        self.node.entries().into_iter().flatten().next().is_none()
    }

    fn seq(&self, entries: T::Entries) -> Values<'a, T> {
        Values {
            entries,
            parent: *self,
            _tree: PhantomData,
        }
    }

    fn map(&self, entries: T::Entries) -> Entries<'a, T> {
        Entries {
            entries,
            parent: *self,
            value: None,
            index: String::new(),
            _tree: PhantomData,
        }
    }
}

impl<'de, T: Tree<'de>> de::Deserializer<'de> for Reader<T> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.checked()? {
            Node::Array => match self.node.entries() {
                Some(entries) if self.is_list() => visitor.visit_seq(self.seq(entries)),
                Some(entries) => visitor.visit_map(self.map(entries)),
                None => visitor.visit_unit(),
            },
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Int(n) => visitor.visit_i64(n),
            Node::UInt(n) => visitor.visit_u64(n),
            Node::Float(f) => visitor.visit_f64(f),
            Node::Str(s) => visitor.visit_borrowed_str(s),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    /// A list: integer keys (gaps allowed), values in order.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.array_entries()? {
            Some(_) if self.has_named_key() => Err(de::Error::custom(
                "must be a list, got a map with named keys",
            )),
            Some(entries) => visitor.visit_seq(self.seq(entries)),
            None => self.deserialize_any(visitor),
        }
    }

    /// A keyed map: named keys, or a list read as keyed by index.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.array_entries()? {
            Some(entries) => visitor.visit_map(self.map(entries)),
            None => self.deserialize_any(visitor),
        }
    }

    /// A struct: named keys; a non-empty list is refused, an empty array is an empty struct.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.array_entries()? {
            Some(_) if !self.is_empty() && self.is_list() => Err(de::Error::custom(
                "must be a map with named keys, got a list",
            )),
            Some(entries) => visitor.visit_map(self.map(entries)),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.checked()? {
            Node::Str(s) => visitor.visit_enum(s.into_deserializer()),
            _ => self.deserialize_any(visitor),
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

/// The values of an array, in order.
struct Values<'a, T: Tree<'a>> {
    entries: T::Entries,
    parent: Reader<T>,
    _tree: PhantomData<&'a ()>,
}

impl<'de, T: Tree<'de>> SeqAccess<'de> for Values<'de, T> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.entries.next() {
            Some((_, v)) => seed.deserialize(self.parent.child(v)).map(Some),
            None => Ok(None),
        }
    }
}

/// The entries of an array, keys as strings (integer keys written in decimal).
struct Entries<'a, T: Tree<'a>> {
    entries: T::Entries,
    parent: Reader<T>,
    value: Option<T>,
    index: String,
    _tree: PhantomData<&'a ()>,
}

impl<'de, T: Tree<'de>> MapAccess<'de> for Entries<'de, T> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        match T::key(&key) {
            Key::Int(n) => {
                self.index.clear();
                write!(self.index, "{n}").map_err(de::Error::custom)?;
                seed.deserialize(StrDeserializer::<Error>::new(&self.index))
                    .map(Some)
            }
            Key::Str(bytes) => {
                let k = std::str::from_utf8(bytes)
                    .map_err(|_| de::Error::custom("has a key that is not valid UTF-8"))?;
                seed.deserialize(StrDeserializer::<Error>::new(k)).map(Some)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(self.parent.child(v)),
            None => Err(de::Error::custom("a value was read without its key")),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON trees.

/// A key of a JSON array (its index) or object (its name).
pub(crate) enum JsonKey<'a> {
    Index(i64),
    Name(&'a str),
}

/// The entries of a JSON array or object.
pub(crate) enum JsonEntries<'a> {
    Array(std::iter::Enumerate<std::slice::Iter<'a, serde_json::Value>>),
    Object(serde_json::map::Iter<'a>),
}

impl<'a> Iterator for JsonEntries<'a> {
    type Item = (JsonKey<'a>, &'a serde_json::Value);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            JsonEntries::Array(items) => items
                .next()
                .map(|(i, v)| (JsonKey::Index(i64::try_from(i).unwrap_or(i64::MAX)), v)),
            JsonEntries::Object(entries) => entries.next().map(|(k, v)| (JsonKey::Name(k), v)),
        }
    }
}

impl<'a> Tree<'a> for &'a serde_json::Value {
    type Key = JsonKey<'a>;
    type Entries = JsonEntries<'a>;

    fn node(self) -> Result<Node<'a>, String> {
        use serde_json::Value;
        Ok(match self {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            // As serde_json reads a number: unsigned, else signed, else a float.
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Node::UInt(u),
                (None, Some(i)) => Node::Int(i),
                (None, None) => Node::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Node::Str(s),
            Value::Array(_) | Value::Object(_) => Node::Array,
        })
    }

    fn entries(self) -> Option<JsonEntries<'a>> {
        match self {
            serde_json::Value::Array(items) => Some(JsonEntries::Array(items.iter().enumerate())),
            serde_json::Value::Object(map) => Some(JsonEntries::Object(map.iter())),
            _ => None,
        }
    }

    fn is_null(self) -> bool {
        serde_json::Value::is_null(self)
    }

    fn key<'k>(key: &'k JsonKey<'a>) -> Key<'k> {
        match key {
            JsonKey::Index(i) => Key::Int(*i),
            JsonKey::Name(name) => Key::Str(name.as_bytes()),
        }
    }
}
