//! The answer and the code table, for PHP: `KcoValidation\codes()`, `answer()`, `render_reasons()` and
//! `read_details()`. The plugin answers every callback through these (a filtered verdict, the internal-fault
//! policy), renders the shopper's notices with the same renderer the `error_json` body uses, and derives its own
//! lists of codes and flags from the table.

use std::collections::BTreeMap;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::convert::{fact, put, response_to_array};
use super::de::ZvalDeserializer;
use super::errors::invalid_argument;
use crate::answer::{details, respond, texts, OwnedInputs, Reason};
use crate::store::Texts;
use crate::verdict::code::{page_of, Page};
use crate::verdict::{Code, Value};

type PhpArray = ZBox<ZendHashTable>;

/// Adds this module's functions to the extension.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(codes))
        .function(wrap_function!(answer))
        .function(wrap_function!(render_reasons))
        .function(wrap_function!(read_details))
}

fn php_err(e: String) -> PhpException {
    PhpException::from_message(e)
}

/// A reason as PHP hands it in: a verdict's failure (or the plugin's own), extra keys ignored.
#[derive(Deserialize)]
struct ReasonIn {
    code: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, ParamIn>,
    #[serde(default)]
    product_id: Option<i64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ParamIn {
    Int(i64),
    Text(String),
    Money { minor: i64, currency: String },
    Other(IgnoredAny),
}

impl ReasonIn {
    fn into_reason(self) -> Reason {
        Reason {
            code: self.code,
            reason: self.reason,
            message: self.message.unwrap_or_default(),
            params: self
                .params
                .into_iter()
                .filter_map(|(k, v)| {
                    let v = match v {
                        ParamIn::Int(n) => Value::Int(n),
                        ParamIn::Text(s) => Value::Text(s),
                        ParamIn::Money { minor, currency } => Value::Money { minor, currency },
                        ParamIn::Other(_) => return None,
                    };
                    Some((k, v))
                })
                .collect(),
            product_id: self.product_id.unwrap_or(0),
        }
    }
}

fn read_reasons(reasons: &ZendHashTable) -> PhpResult<Vec<Reason>> {
    Vec::<ReasonIn>::deserialize(ZvalDeserializer::array(reasons))
        .map(|v| v.into_iter().map(ReasonIn::into_reason).collect())
        .map_err(|e| invalid_argument(format!("reasons: {e}")))
}

fn reasons_to_array(reasons: &[Reason]) -> Result<PhpArray, String> {
    let mut list = ZendHashTable::new();
    for r in reasons {
        let mut ht = ZendHashTable::new();
        put(&mut ht, "code", r.code.as_str())?;
        put(&mut ht, "reason", r.reason.as_deref())?;
        let mut params = ZendHashTable::new();
        for (k, v) in &r.params {
            put(&mut params, k, fact(v)?)?;
        }
        put(&mut ht, "params", params)?;
        put(&mut ht, "product_id", r.product_id)?;
        list.push(ht).map_err(|e| e.to_string())?;
    }
    Ok(list)
}

/// The failure codes: `[code => ['flag' => …, 'page' => 'cart'|'checkout', 'reasons' => [...]]]`, in
/// documentation order (`internal_error` last: the plugin's own).
#[php_function]
#[php(name = "KcoValidation\\codes")]
pub fn codes() -> PhpResult<PhpArray> {
    let build = || -> Result<PhpArray, String> {
        let mut table = ZendHashTable::new();
        for row in Code::TABLE {
            let mut ht = ZendHashTable::new();
            put(&mut ht, "flag", row.flag)?;
            let page = match page_of(row.flag) {
                Page::Cart => "cart",
                Page::Checkout => "checkout",
            };
            put(&mut ht, "page", page)?;
            let mut reasons = ZendHashTable::new();
            for r in row.reasons {
                reasons.push(*r).map_err(|e| e.to_string())?;
            }
            put(&mut ht, "reasons", reasons)?;
            put(&mut table, row.name, ht)?;
        }
        Ok(table)
    };
    build().map_err(php_err)
}

/// The answer for these reasons (none: approve): `['flag' => ?string, 'response' => [status, location,
/// content_type, body]]`. `$inputs` holds the snapshot's keys `currency`, `urls`, `options` and `answer`.
#[php_function]
#[php(name = "KcoValidation\\answer")]
pub fn answer(reasons: &ZendHashTable, inputs: &ZendHashTable) -> PhpResult<PhpArray> {
    let reasons = read_reasons(reasons)?;
    let inputs = OwnedInputs::deserialize(ZvalDeserializer::array(inputs))
        .map_err(|e| invalid_argument(format!("inputs: {e}")))?;
    inputs
        .check()
        .map_err(|e| invalid_argument(format!("inputs: {e}")))?;
    let (flag, response) = respond(&reasons, inputs.inputs());
    let build = || -> Result<PhpArray, String> {
        let mut ht = ZendHashTable::new();
        put(&mut ht, "flag", flag)?;
        put(&mut ht, "response", response_to_array(&response)?)?;
        Ok(ht)
    };
    build().map_err(php_err)
}

/// Each reason's shopper text through the plugin's templates: a list of `['text' => …, 'template' =>
/// 'code.reason'|'code'|null]` (null: the code's general text). `$html` escapes the parameters for HTML.
#[php_function]
#[php(name = "KcoValidation\\render_reasons")]
pub fn render_reasons(
    reasons: &ZendHashTable,
    texts: &ZendHashTable,
    html: Option<bool>,
) -> PhpResult<PhpArray> {
    let reasons = read_reasons(reasons)?;
    let t = Texts::deserialize(ZvalDeserializer::array(texts))
        .map_err(|e| invalid_argument(format!("texts: {e}")))?;
    let build = || -> Result<PhpArray, String> {
        let mut list = ZendHashTable::new();
        for r in texts::render(&reasons, &t, html.unwrap_or(false)) {
            let mut ht = ZendHashTable::new();
            put(&mut ht, "text", r.text.as_str())?;
            put(&mut ht, "template", r.template.as_deref())?;
            list.push(ht).map_err(|e| e.to_string())?;
        }
        Ok(list)
    };
    build().map_err(php_err)
}

/// The reasons a `kco_validation_details` value carries (`code`, `reason`, `params`, `product_id` each), or null
/// when it is missing, too long, unsigned or altered.
#[php_function]
#[php(name = "KcoValidation\\read_details")]
pub fn read_details(value: BinarySlice<u8>, key: &str) -> PhpResult<Option<PhpArray>> {
    let Ok(value) = std::str::from_utf8(&value) else {
        return Ok(None);
    };
    match details::decode(value, key) {
        Some(reasons) => reasons_to_array(&reasons).map(Some).map_err(php_err),
        None => Ok(None),
    }
}
