//! From raw bytes to a checked [`Order`], with errors that name the field.

use std::fmt;

use super::line::OrderLine;
use super::merchant_data::MerchantData;
use super::order::{Order, RawOrder};

/// Klarna accepts at most 1000 order lines.
pub const MAX_LINES: usize = 1000;
/// Bound on any single amount (minor units). Klarna's own limit is 100 000 000 per line; this is far above it and
/// keeps every sum of up to [`MAX_LINES`] lines exact in an `i64`.
const MAX_AMOUNT: i64 = 10_000_000_000_000;
/// Bound on a line quantity.
const MAX_QUANTITY: i64 = 1_000_000_000;

/// Why a body is not a Klarna order. `field` is a path such as `order_lines[2].quantity` (`body` for the whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    pub field: String,
    pub problem: String,
}

impl PayloadError {
    fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        PayloadError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for PayloadError {}

/// Parses Klarna's raw body. A leading UTF-8 byte-order mark is tolerated.
pub fn parse_order(body: &[u8]) -> Result<Order, PayloadError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|e| {
        PayloadError::new(
            "body",
            format!("is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })?;
    match text.trim_start().as_bytes().first() {
        None => return Err(PayloadError::new("body", "is empty")),
        Some(b'{') => {}
        // serde would read a JSON array as a struct in field order: only an object is an order.
        Some(_) => {
            return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Ok(_) => PayloadError::new("body", "is not a JSON object"),
                Err(e) => PayloadError::new("body", describe_json_error(&e)),
            })
        }
    }
    // Fast path: plain serde_json. Path tracking allocates a string per key read, so it runs only to describe a
    // body that failed.
    if let Ok(raw) = serde_json::from_str::<RawOrder>(text) {
        return check(raw);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let raw: RawOrder = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // Syntax errors belong to the body, not to the field being read when they struck.
        let syntax = !matches!(inner.classify(), serde_json::error::Category::Data);
        let field = if syntax || path == "." || path == "?" || path.is_empty() {
            "body".to_string()
        } else {
            path
        };
        PayloadError::new(field, describe_json_error(&inner))
    })?;
    de.end()
        .map_err(|e| PayloadError::new("body", describe_json_error(&e)))?;
    check(raw)
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = e.to_string();
    match e.classify() {
        Category::Eof => format!("ends too early ({text})"),
        Category::Syntax => format!("is not valid JSON ({text})"),
        _ => redact(&text),
    }
}

/// serde quotes the value it could not use. From Klarna's body that may be personal data (an email in the
/// wrong field) or megabytes long, and the message goes to the shop's log: say how long a string was, and cut a
/// quoted variant name short.
fn redact(text: &str) -> String {
    const STRING: &str = "string \"";
    if let Some(start) = text.find(STRING) {
        let value_start = start + STRING.len();
        if let Some(len) = text[value_start..].rfind("\", expected") {
            let chars = text[value_start..value_start + len].chars().count();
            return format!(
                "{}string of {chars} characters{}",
                &text[..start],
                &text[value_start + len + 1..]
            );
        }
    }
    const VARIANT: &str = "unknown variant `";
    if let Some(start) = text.find(VARIANT) {
        let value_start = start + VARIANT.len();
        if let Some(len) = text[value_start..].find('`') {
            let value = &text[value_start..value_start + len];
            if value.chars().count() > 24 {
                let short: String = value.chars().take(24).collect();
                return format!(
                    "{}{short}…{}",
                    &text[..value_start],
                    &text[value_start + len..]
                );
            }
        }
    }
    text.to_string()
}

fn check(raw: RawOrder) -> Result<Order, PayloadError> {
    if raw.order_id.trim().is_empty() {
        return Err(PayloadError::new("order_id", "is empty"));
    }
    let purchase_country = letters(&raw.purchase_country, 2, "purchase_country")?;
    let purchase_currency = letters(&raw.purchase_currency, 3, "purchase_currency")?;
    non_negative(raw.order_amount, "order_amount")?;
    non_negative(raw.order_tax_amount, "order_tax_amount")?;
    bounded(raw.order_amount, "order_amount")?;
    bounded(raw.order_tax_amount, "order_tax_amount")?;
    if raw.order_lines.len() > MAX_LINES {
        return Err(PayloadError::new(
            "order_lines",
            format!(
                "has {} lines; Klarna allows at most {MAX_LINES}",
                raw.order_lines.len()
            ),
        ));
    }
    for (i, line) in raw.order_lines.iter().enumerate() {
        check_line(i, line)?;
    }
    if let Some(opt) = &raw.selected_shipping_option {
        bounded(opt.price, "selected_shipping_option.price")?;
        bounded(opt.tax_amount, "selected_shipping_option.tax_amount")?;
    }
    let merchant_data = MerchantData::read(raw.merchant_data.as_deref());
    Ok(Order {
        order_id: raw.order_id,
        purchase_country,
        purchase_currency,
        locale: raw.locale.unwrap_or_default(),
        status: raw.status,
        billing_address: raw.billing_address.unwrap_or_default(),
        shipping_address: raw.shipping_address.unwrap_or_default(),
        order_amount: raw.order_amount,
        order_tax_amount: raw.order_tax_amount,
        order_lines: raw.order_lines,
        merchant_data,
        selected_shipping_option: raw.selected_shipping_option,
        requires_validate_success: raw.requires_validate_success,
    })
}

fn check_line(i: usize, line: &OrderLine) -> Result<(), PayloadError> {
    let at = |field: &str| format!("order_lines[{i}].{field}");
    if line.quantity < 0 {
        return Err(PayloadError::new(
            at("quantity"),
            format!("is negative ({})", line.quantity),
        ));
    }
    if line.quantity > MAX_QUANTITY {
        return Err(PayloadError::new(
            at("quantity"),
            format!("is larger than {MAX_QUANTITY}"),
        ));
    }
    if !(0..=10_000).contains(&line.tax_rate) {
        return Err(PayloadError::new(
            at("tax_rate"),
            format!("must be 0..10000 basis points, got {}", line.tax_rate),
        ));
    }
    if line.discount() < 0 {
        return Err(PayloadError::new(
            at("total_discount_amount"),
            format!("is negative ({})", line.discount()),
        ));
    }
    for (name, value) in [
        ("unit_price", line.unit_price),
        ("total_amount", line.total_amount),
        ("total_tax_amount", line.total_tax_amount),
        ("total_discount_amount", line.discount()),
    ] {
        // The field path is formatted only for an error: this runs for every line of every callback.
        if value.unsigned_abs() > MAX_AMOUNT as u64 {
            return bounded(value, &at(name));
        }
    }
    if line.kind.is_goods() && line.reference().trim().is_empty() {
        return Err(PayloadError::new(
            at("reference"),
            "is missing on a goods line",
        ));
    }
    Ok(())
}

fn letters(value: &str, len: usize, field: &str) -> Result<String, PayloadError> {
    if value.len() == len && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(PayloadError::new(
            field,
            if value.chars().count() <= 8 {
                format!("must be {len} letters, got {value:?}")
            } else {
                format!(
                    "must be {len} letters, got {} characters",
                    value.chars().count()
                )
            },
        ))
    }
}

fn non_negative(value: i64, field: &str) -> Result<(), PayloadError> {
    if value < 0 {
        Err(PayloadError::new(field, format!("is negative ({value})")))
    } else {
        Ok(())
    }
}

fn bounded(value: i64, field: &str) -> Result<(), PayloadError> {
    if value.unsigned_abs() > MAX_AMOUNT as u64 {
        Err(PayloadError::new(
            field,
            format!("is out of range ({value})"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = r#"{"order_id":"o1","purchase_country":"se","purchase_currency":"sek","order_amount":100,
        "order_tax_amount":20,"order_lines":[{"reference":"A","name":"A","quantity":1,"unit_price":100,
        "tax_rate":2500,"total_amount":100,"total_tax_amount":20}]}"#;

    fn err(body: &str) -> String {
        parse_order(body.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn parses_minimal_order_and_normalises_codes() {
        let o = parse_order(MIN.as_bytes()).unwrap();
        assert_eq!(o.purchase_country, "SE");
        assert_eq!(o.purchase_currency, "SEK");
        assert_eq!(o.order_lines[0].kind, super::super::LineType::Physical);
        assert_eq!(o.references(), vec!["A"]);
    }

    #[test]
    fn tolerates_bom() {
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend_from_slice(MIN.as_bytes());
        assert!(parse_order(&body).is_ok());
    }

    #[test]
    fn names_the_field_and_problem() {
        assert!(err(&MIN.replace(r#""quantity":1"#, r#""quantity":1.5"#))
            .starts_with("order_lines[0].quantity: invalid type: floating point"));
        assert!(err(&MIN.replace(r#""quantity":1"#, r#""quantity":-1"#))
            .starts_with("order_lines[0].quantity: is negative"));
        assert!(
            err(&MIN.replace(r#""order_amount":100"#, r#""order_amount":"100""#))
                .starts_with("order_amount: invalid type: string")
        );
        assert!(
            err(&MIN.replace(r#""order_amount":100"#, r#""order_amount":1e2"#))
                .starts_with("order_amount: invalid type: floating point")
        );
        assert!(err(&MIN.replace(
            r#""order_amount":100"#,
            r#""order_amount":99999999999999999999"#
        ))
        .starts_with("order_amount:"));
        assert!(err(&MIN.replace(
            r#""purchase_currency":"sek""#,
            r#""purchase_currency":"kronor""#
        ))
        .starts_with("purchase_currency: must be 3 letters"));
        assert!(err(&MIN.replace(r#""order_amount":100,"#, ""))
            .contains("missing field `order_amount`"));
        assert!(
            err(&MIN.replace(r#""tax_rate":2500"#, r#""tax_rate":10001"#))
                .starts_with("order_lines[0].tax_rate")
        );
        assert!(err(&MIN.replace(r#""reference":"A","#, ""))
            .starts_with("order_lines[0].reference: is missing"));
    }

    #[test]
    fn never_quotes_a_string_value_from_the_body() {
        let body = MIN.replace(
            r#""order_amount":100"#,
            r#""order_amount":"sofia@example.se""#,
        );
        assert_eq!(
            err(&body).split(" at line").next(),
            Some("order_amount: invalid type: string of 16 characters, expected i64")
        );
        let long = "x".repeat(5000);
        let body = MIN.replace(
            r#""reference":"A""#,
            &format!(r#""reference":"A","type":"{long}""#),
        );
        assert!(err(&body).len() < 400, "{}", err(&body));
    }

    #[test]
    fn rejects_non_orders() {
        assert_eq!(err(""), "body: is empty");
        assert_eq!(err("[]"), "body: is not a JSON object");
        assert_eq!(err("42"), "body: is not a JSON object");
        assert!(err("{").starts_with("body: ends too early"));
        assert!(err("{nope}").starts_with("body: is not valid JSON"));
        assert!(err(&format!("{MIN} trailing")).starts_with("body: is not valid JSON"));
        assert!(parse_order(b"{\"order_id\":\"\xff\"}")
            .unwrap_err()
            .to_string()
            .starts_with("body: is not valid UTF-8"));
        let dup = MIN.replace(
            r#""order_amount":100,"#,
            r#""order_amount":100,"order_amount":1,"#,
        );
        assert!(err(&dup).contains("duplicate field `order_amount`"));
    }

    #[test]
    fn deep_nesting_is_an_error_or_ignored_never_a_crash() {
        // Inside a field the model reads: an error (a line must be an object, SECURITY.md F1; serde_json also
        // stops at 128 levels).
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let body = MIN.replace(r#""order_lines":["#, &format!(r#""order_lines":[{deep},"#));
        assert!(
            err(&body)
                .starts_with("order_lines[0]: invalid type: sequence, expected struct OrderLine"),
            "{}",
            err(&body)
        );
        let body = MIN.replace(r#""merchant_data""#, "x").replacen(
            '{',
            &format!("{{\"merchant_data\":{{\"a\":{deep}}},"),
            1,
        );
        assert!(
            err(&body).starts_with("merchant_data: invalid type: map"),
            "{}",
            err(&body)
        );
        // Inside an unknown field: skipped without recursion.
        let body = MIN.replacen('{', &format!("{{\"extra\":{deep},"), 1);
        assert!(parse_order(body.as_bytes()).is_ok());
    }

    #[test]
    fn too_many_lines() {
        let line = r#"{"reference":"A","name":"A","quantity":1,"unit_price":0,"tax_rate":0,"total_amount":0,"total_tax_amount":0}"#;
        let lines = vec![line; MAX_LINES + 1].join(",");
        let body = format!(
            r#"{{"order_id":"o","purchase_country":"se","purchase_currency":"SEK","order_amount":0,"order_tax_amount":0,"order_lines":[{lines}]}}"#
        );
        assert!(err(&body).starts_with("order_lines: has 1001 lines"));
    }
}
