//! PHP values ↔ the JSON-like tree the Rust core reads and writes.
//!
//! The snapshot is walked by hand (not through typed `Vec`/`HashMap` parameters, whose errors do not say which
//! element failed), so every problem carries its key path. Depth is bounded: a PHP array that contains itself by
//! reference must end in an error, not a stack overflow.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{Map, Number, Value};

/// Deeper than any snapshot is meant to be (it has four levels).
const MAX_DEPTH: usize = 32;

/// A value that cannot cross, with its key path (innermost segment first while unwinding).
pub struct ConvertError {
    segments: Vec<String>,
    problem: String,
}

impl ConvertError {
    fn new(problem: impl Into<String>) -> ConvertError {
        ConvertError {
            segments: Vec::new(),
            problem: problem.into(),
        }
    }

    fn within(mut self, segment: String) -> ConvertError {
        self.segments.push(segment);
        self
    }

    /// `path: problem`, with `root` as the first segment.
    pub fn message(&self, root: &str) -> String {
        let mut path = root.to_string();
        for s in self.segments.iter().rev() {
            if s.starts_with('[') {
                path.push_str(s);
            } else {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(s);
            }
        }
        format!("{path}: {}", self.problem)
    }
}

/// Converts a PHP array into a JSON-like tree. Packed lists (keys 0, 1, 2 … in order) become arrays, anything
/// else becomes an object with string keys.
pub fn array_to_value(ht: &ZendHashTable) -> Result<Value, ConvertError> {
    array(ht, 0)
}

fn array(ht: &ZendHashTable, depth: usize) -> Result<Value, ConvertError> {
    if depth >= MAX_DEPTH {
        return Err(ConvertError::new(format!(
            "is nested more than {MAX_DEPTH} levels deep"
        )));
    }
    let mut is_list = true;
    let mut expected = 0i64;
    let mut iter = Iter::new(ht);
    while let Some((key, _)) = iter.next_zval() {
        if key.long() != Some(expected) {
            is_list = false;
            break;
        }
        expected += 1;
    }
    let mut iter = Iter::new(ht);
    if is_list {
        let mut items = Vec::with_capacity(ht.len());
        let mut i = 0usize;
        while let Some((_, v)) = iter.next_zval() {
            items.push(value(v, depth + 1).map_err(|e| e.within(format!("[{i}]")))?);
            i += 1;
        }
        return Ok(Value::Array(items));
    }
    let mut map = Map::new();
    while let Some((k, v)) = iter.next_zval() {
        let key = match (k.long(), k.zend_str()) {
            (Some(n), _) => n.to_string(),
            (None, Some(s)) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
            (None, None) => {
                return Err(ConvertError::new(
                    "has a key that is neither an int nor a string",
                ))
            }
        };
        let converted = value(v, depth + 1).map_err(|e| e.within(key.clone()))?;
        map.insert(key, converted);
    }
    Ok(Value::Object(map))
}

fn value(z: &Zval, depth: usize) -> Result<Value, ConvertError> {
    let z = z.dereference();
    match z.get_type() {
        DataType::Null | DataType::Undef => Ok(Value::Null),
        DataType::True => Ok(Value::Bool(true)),
        DataType::False => Ok(Value::Bool(false)),
        DataType::Bool => Ok(Value::Bool(z.bool().unwrap_or(false))),
        DataType::Long => Ok(Value::Number(Number::from(z.long().unwrap_or(0)))),
        DataType::Double => {
            let d = z.double().unwrap_or(f64::NAN);
            Number::from_f64(d)
                .map(Value::Number)
                .ok_or_else(|| ConvertError::new(format!("is not a finite number ({d})")))
        }
        DataType::String => {
            let bytes = z.zend_str().map(|s| s.as_bytes()).unwrap_or_default();
            std::str::from_utf8(bytes)
                .map(|s| Value::String(s.to_string()))
                .map_err(|_| ConvertError::new("is not valid UTF-8"))
        }
        DataType::Array => match z.array() {
            Some(ht) => array(ht, depth),
            None => Err(ConvertError::new("is an unreadable array")),
        },
        other => Err(ConvertError::new(format!(
            "must be a scalar or an array, got {other}"
        ))),
    }
}

/// Converts a JSON object into a PHP array (the verdict's top level).
pub fn object_to_array(map: &Map<String, Value>) -> Result<ZBox<ZendHashTable>, String> {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(map.len()).unwrap_or(u32::MAX));
    for (k, item) in map {
        ht.insert(k.as_str(), value_to_zval(item)?)
            .map_err(|e| e.to_string())?;
    }
    Ok(ht)
}

/// Converts a JSON-like tree into a PHP value.
pub fn value_to_zval(v: &Value) -> Result<Zval, String> {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => z.set_long(i),
            None => z.set_double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => z.set_string(s, false).map_err(|e| e.to_string())?,
        Value::Array(items) => {
            let mut ht =
                ZendHashTable::with_capacity(u32::try_from(items.len()).unwrap_or(u32::MAX));
            for item in items {
                ht.push(value_to_zval(item)?).map_err(|e| e.to_string())?;
            }
            z.set_hashtable(ht);
        }
        Value::Object(map) => z.set_hashtable(object_to_array(map)?),
    }
    Ok(z)
}
