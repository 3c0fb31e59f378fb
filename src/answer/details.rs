//! `kco_validation_details`: a denial's reasons, with their parameters, carried in the 303's URL to the shopper's
//! page, signed so that nobody can make the shop print a text of their own choosing with a crafted link.
//!
//! The value is `<payload>.<signature>`: the payload is base64url (no padding) of
//! `[[code, reason|null, {params}, product_id], …]` as JSON (amounts as `{"m": minor, "c": "SEK"}`), the
//! signature the first 16 bytes of HMAC-SHA256 over `kco-validation-details|<payload>`, in hex. Nothing is
//! stored: the page verifies and reads it (`KcoValidation\read_details()`). At most [`MAX_REASONS`] reasons and
//! [`MAX_BYTES`] bytes are carried (a URL must stay short); a longer value is not sent and the page shows the
//! codes' general texts.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Map};
use sha2::Sha256;

use super::Reason;
use crate::verdict::Value;

/// The query argument.
pub const QUERY_ARG: &str = "kco_validation_details";

/// At most this many reasons are carried.
pub const MAX_REASONS: usize = 12;

/// Largest value, in bytes.
pub const MAX_BYTES: usize = 1500;

/// Longest text parameter carried, in characters.
const MAX_TEXT_CHARS: usize = 120;

const CONTEXT: &[u8] = b"kco-validation-details|";

/// The signed value for these reasons, or `None` when none says more than its code (no sub-reason, no
/// parameters: the code in `kco_validation` says it all) or it would be too long.
pub fn encode(reasons: &[Reason], key: &str) -> Option<String> {
    let items: Vec<serde_json::Value> = reasons
        .iter()
        .filter(|r| r.reason.is_some() || !r.params.is_empty())
        .take(MAX_REASONS)
        .map(|r| {
            let params: Map<String, serde_json::Value> = r
                .params
                .iter()
                .map(|(k, v)| (k.clone(), carried(v)))
                .collect();
            json!([r.code, r.reason, params, r.product_id])
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let json = serde_json::to_vec(&items).ok()?;
    let payload = URL_SAFE_NO_PAD.encode(json);
    let value = format!("{payload}.{}", hex(&sign(&payload, key)?[..16]));
    (value.len() <= MAX_BYTES).then_some(value)
}

/// The reasons a value carries, or `None` when it is missing, too long, unsigned or altered.
pub fn decode(value: &str, key: &str) -> Option<Vec<Reason>> {
    if value.len() > MAX_BYTES {
        return None;
    }
    let (payload, signature) = value.rsplit_once('.')?;
    if payload.is_empty()
        || !payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        || signature.len() != 32
    {
        return None;
    }
    let given = unhex(signature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).ok()?;
    mac.update(CONTEXT);
    mac.update(payload.as_bytes());
    mac.verify_truncated_left(&given).ok()?;
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let items: Vec<serde_json::Value> = serde_json::from_slice(&json).ok()?;
    Some(items.iter().filter_map(reason_of).collect())
}

fn carried(v: &Value) -> serde_json::Value {
    match v {
        Value::Int(n) => json!(n),
        Value::Text(s) => json!(s.chars().take(MAX_TEXT_CHARS).collect::<String>()),
        Value::Money { minor, currency } => json!({ "m": minor, "c": currency }),
    }
}

fn reason_of(item: &serde_json::Value) -> Option<Reason> {
    let a = item.as_array()?;
    let code = a.first()?.as_str()?.to_owned();
    let reason = a.get(1).and_then(|r| r.as_str()).map(str::to_owned);
    let params = a
        .get(2)
        .and_then(|p| p.as_object())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), value_of(v)?)))
                .collect()
        })
        .unwrap_or_default();
    let product_id = a.get(3).and_then(|p| p.as_i64()).unwrap_or(0);
    Some(Reason {
        code,
        reason,
        message: String::new(),
        params,
        product_id,
    })
}

fn value_of(v: &serde_json::Value) -> Option<Value> {
    match v {
        serde_json::Value::Number(n) => n.as_i64().map(Value::Int),
        serde_json::Value::String(s) => Some(Value::Text(s.clone())),
        serde_json::Value::Object(m) => Some(Value::Money {
            minor: m.get("m")?.as_i64()?,
            currency: m.get("c")?.as_str()?.to_owned(),
        }),
        _ => None,
    }
}

fn sign(payload: &str, key: &str) -> Option<Vec<u8>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).ok()?;
    mac.update(CONTEXT);
    mac.update(payload.as_bytes());
    Some(mac.finalize().into_bytes().to_vec())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(*p.get(1)?)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason() -> Reason {
        Reason {
            code: "totals_mismatch".into(),
            reason: Some("grand_total".into()),
            message: "ignored".into(),
            params: vec![
                ("order_total".into(), Value::money(31026, "SEK")),
                ("name".into(), Value::Text("Blå mugg".into())),
                ("available".into(), Value::Int(2)),
            ],
            product_id: 12,
        }
    }

    #[test]
    fn round_trip_and_tamper() {
        let value = encode(&[reason()], "k1").unwrap();
        let back = decode(&value, "k1").unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].code, "totals_mismatch");
        assert_eq!(back[0].reason.as_deref(), Some("grand_total"));
        assert_eq!(back[0].product_id, 12);
        assert_eq!(
            back[0].param("order_total"),
            Some(&Value::money(31026, "SEK"))
        );
        assert_eq!(back[0].param("available"), Some(&Value::Int(2)));
        assert!(decode(&value, "k2").is_none(), "another key");
        let (payload, sig) = value.rsplit_once('.').unwrap();
        let flipped = if sig.starts_with('0') { "1" } else { "0" };
        assert!(decode(&format!("{payload}.{flipped}{}", &sig[1..]), "k1").is_none());
        assert!(decode(&format!("{payload}A.{sig}"), "k1").is_none());
        assert!(decode(payload, "k1").is_none());
        assert!(decode("", "k1").is_none());
    }

    #[test]
    fn too_long_is_not_carried() {
        let mut r = reason();
        r.params = (0..40)
            .map(|i| (format!("p{i}"), Value::Text("x".repeat(120))))
            .collect();
        assert!(encode(&[r.clone()], "k").is_none());
        assert!(encode(&[], "k").is_none());
        r.params.clear();
        r.reason = None;
        assert!(encode(&[r], "k").is_none(), "nothing beyond the code");
    }
}
