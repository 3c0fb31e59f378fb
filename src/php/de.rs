//! PHP values as a [`Tree`], so the store snapshot is read straight from the PHP array by the shape rules of
//! `store::shape` (the same rules as for a JSON tree): no intermediate tree (building one cost more than the whole
//! decision).
//!
//! What is PHP's here: a reference is read through (`$a = &$b`), integer keys are keys 0, 1, …, string keys and
//! strings are bytes (checked for UTF-8 by the rules), a double must be finite, and objects and resources are
//! refused.

use ext_php_rs::flags::DataType;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::store::shape::{Key, Node, Reader, Tree};

/// A PHP value, or (at the root) the array parameter itself.
#[derive(Clone, Copy)]
pub enum PhpValue<'a> {
    Zval(&'a Zval),
    Array(&'a ZendHashTable),
}

/// Reads PHP values with serde by the snapshot's shape rules.
pub type ZvalDeserializer<'a> = Reader<PhpValue<'a>>;

impl<'a> Reader<PhpValue<'a>> {
    /// Reads a PHP array (the root of the snapshot).
    pub fn array(ht: &'a ZendHashTable) -> Self {
        Reader::new(PhpValue::Array(ht))
    }
}

impl<'a> PhpValue<'a> {
    /// The PHP array this is, if it is one.
    fn table(self) -> Option<&'a ZendHashTable> {
        match self {
            PhpValue::Array(ht) => Some(ht),
            PhpValue::Zval(z) => z.array(),
        }
    }
}

/// The entries of a PHP array, values read through references.
pub struct Entries<'a>(Iter<'a>);

impl<'a> Iterator for Entries<'a> {
    type Item = (Zval, PhpValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next_zval()
            .map(|(key, value)| (key, PhpValue::Zval(value.dereference())))
    }
}

impl<'a> Tree<'a> for PhpValue<'a> {
    type Key = Zval;
    type Entries = Entries<'a>;

    fn node(self) -> Result<Node<'a>, String> {
        let zval = match self {
            PhpValue::Array(_) => return Ok(Node::Array),
            PhpValue::Zval(z) if z.array().is_some() => return Ok(Node::Array),
            PhpValue::Zval(z) => z,
        };
        Ok(match zval.get_type() {
            DataType::Null | DataType::Undef => Node::Null,
            DataType::True => Node::Bool(true),
            DataType::False => Node::Bool(false),
            DataType::Bool => Node::Bool(zval.bool().unwrap_or(false)),
            DataType::Long => Node::Int(zval.long().unwrap_or(0)),
            DataType::Double => {
                let d = zval.double().unwrap_or(f64::NAN);
                if !d.is_finite() {
                    return Err(format!("is not a finite number ({d})"));
                }
                Node::Float(d)
            }
            DataType::String => {
                let bytes = zval.zend_str().map(|s| s.as_bytes()).unwrap_or_default();
                Node::Str(std::str::from_utf8(bytes).map_err(|_| "is not valid UTF-8")?)
            }
            other => return Err(format!("must be a scalar or an array, got {other}")),
        })
    }

    fn entries(self) -> Option<Entries<'a>> {
        self.table().map(|ht| Entries(Iter::new(ht)))
    }

    fn is_null(self) -> bool {
        matches!(self, PhpValue::Zval(z) if z.is_null())
    }

    fn key(key: &Zval) -> Key<'_> {
        match key.long() {
            Some(n) => Key::Int(n),
            None => Key::Str(key.zend_str().map(|s| s.as_bytes()).unwrap_or_default()),
        }
    }
}
