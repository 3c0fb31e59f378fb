//! Shopper texts: a reason rendered through the plugin's translated templates, amounts in the shop's price format.
//!
//! The plugin owns the sentences (gettext must see them, in `php/src/ShopperPage/Reasons.php`); this module owns
//! filling them in, for the `error_json` body and, through `KcoValidation\render_reasons()`, for the notices on the
//! shopper's page — one renderer for both. A reason takes the template `code.reason`, else `code`; when the template
//! needs a parameter the reason does not carry, or there is no template, it falls back to the code's general text
//! (and says so: [`Rendered::template`] is `None`).

use rust_decimal::{Decimal, RoundingStrategy};

use super::Reason;
use crate::money;
use crate::store::{PriceFormat, Texts};
use crate::verdict::Value;

/// Longest parameter text put into a sentence, in characters.
const MAX_PARAM_CHARS: usize = 200;

/// One reason's text, and which template made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// `code.reason` or `code`; `None` when the code's general text was used.
    pub template: Option<String>,
}

/// Every reason's text (reasons without any text, a shop's code without a general text, are left out).
pub fn render(reasons: &[Reason], texts: &Texts, html: bool) -> Vec<Rendered> {
    reasons
        .iter()
        .filter_map(|r| render_one(r, texts, html))
        .collect()
}

fn render_one(r: &Reason, texts: &Texts, html: bool) -> Option<Rendered> {
    let specific = r
        .reason
        .as_deref()
        .map(|reason| format!("{}.{reason}", r.code));
    let found = specific
        .as_deref()
        .and_then(|k| texts.templates.get(k).map(|t| (k, t)))
        .or_else(|| texts.templates.get(&r.code).map(|t| (r.code.as_str(), t)));
    if let Some((key, template)) = found {
        let translated = (r.product_id > 0)
            .then(|| texts.names.get(&r.product_id.to_string()))
            .flatten()
            .map(|n| Value::Text(n.clone()));
        let args: Option<Vec<String>> = template
            .params
            .iter()
            .map(|name| {
                let v = match (name.as_str(), &translated) {
                    ("name", Some(t)) if r.param("name").is_some() => Some(t),
                    _ => r.param(name),
                };
                v.map(|v| value_text(v, texts.price.as_ref(), html))
            })
            .collect();
        if let Some(args) = args {
            return Some(Rendered {
                text: sprintf(&template.text, &args),
                template: Some(key.to_owned()),
            });
        }
    }
    texts.general.get(&r.code).map(|t| Rendered {
        text: t.clone(),
        template: None,
    })
}

/// A parameter as the shopper reads it.
fn value_text(v: &Value, price: Option<&PriceFormat>, html: bool) -> String {
    let text = match v {
        Value::Int(n) => n.to_string(),
        // Control characters (a NUL in a reference Klarna sent) never reach a sentence.
        Value::Text(s) => s
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_PARAM_CHARS)
            .collect(),
        Value::Money { minor, currency } => format_price(*minor, currency, price),
    };
    if html {
        escape_html(&text)
    } else {
        text
    }
}

/// An amount as `wc_price()` writes it, in plain text: the shop's decimals, separators and symbol position for
/// the shop's currency; "310.26 SEK" for any other currency or without a format.
pub fn format_price(minor: i64, currency: &str, price: Option<&PriceFormat>) -> String {
    let Some(p) = price.filter(|p| p.currency.eq_ignore_ascii_case(currency)) else {
        return money::format(minor, currency);
    };
    let exp = money::exponent(currency);
    let decimals = p.decimals.min(8);
    let amount = Decimal::new(minor.unsigned_abs().min(i64::MAX as u64) as i64, exp)
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let plain = format!("{amount:.prec$}", prec = decimals as usize);
    let (int, frac) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let mut number = String::with_capacity(plain.len() + 8);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            number.push_str(&p.thousand_separator);
        }
        number.push(c);
    }
    if !frac.is_empty() {
        number.push_str(&p.decimal_separator);
        number.push_str(frac);
    }
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}", sprintf(&p.format, &[p.symbol.clone(), number]))
}

/// PHP's `sprintf` for the placeholders translations use: `%s`, `%d`, `%1$s`, `%2$d` …, and `%%`. Anything else is
/// left as written; a placeholder without an argument becomes empty.
pub fn sprintf(template: &str, args: &[String]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(String::len).sum::<usize>());
    let mut next = 0usize;
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            out.push('%');
            rest = tail;
            continue;
        }
        if let Some(tail) = after.strip_prefix('s').or_else(|| after.strip_prefix('d')) {
            out.push_str(args.get(next).map_or("", String::as_str));
            next += 1;
            rest = tail;
            continue;
        }
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let positional = digits > 0
            && after[digits..].starts_with('$')
            && matches!(after.as_bytes().get(digits + 1), Some(b's' | b'd'));
        if positional {
            let n: usize = after[..digits].parse().unwrap_or(0);
            out.push_str(
                n.checked_sub(1)
                    .and_then(|i| args.get(i))
                    .map_or("", String::as_str),
            );
            rest = &after[digits + 2..];
            continue;
        }
        out.push('%');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `esc_html()` for a parameter: the five characters that matter in HTML text and attributes.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Template;

    fn sek(decimals: u32, dec: &str, thou: &str, format: &str) -> PriceFormat {
        PriceFormat {
            currency: "SEK".into(),
            decimals,
            decimal_separator: dec.into(),
            thousand_separator: thou.into(),
            format: format.into(),
            symbol: "kr".into(),
        }
    }

    #[test]
    fn prices_as_the_shop_writes_them() {
        let f = sek(2, ",", " ", "%2$s\u{a0}%1$s");
        assert_eq!(format_price(31026, "SEK", Some(&f)), "310,26\u{a0}kr");
        assert_eq!(
            format_price(123456789, "SEK", Some(&f)),
            "1 234 567,89\u{a0}kr"
        );
        assert_eq!(format_price(-5, "SEK", Some(&f)), "-0,05\u{a0}kr");
        let whole = sek(0, ",", ".", "%1$s%2$s");
        assert_eq!(format_price(31050, "SEK", Some(&whole)), "kr311");
        assert_eq!(format_price(100000, "SEK", Some(&whole)), "kr1.000");
        // Another currency, or no format: plain.
        assert_eq!(format_price(31026, "EUR", Some(&f)), "310.26 EUR");
        assert_eq!(format_price(1500, "JPY", None), "1500 JPY");
    }

    #[test]
    fn sprintf_like_php() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(sprintf("“%s” is out", &a(&["Mug"])), "“Mug” is out");
        assert_eq!(sprintf("%2$s before %1$s", &a(&["a", "b"])), "b before a");
        assert_eq!(sprintf("100%% of %d", &a(&["3"])), "100% of 3");
        assert_eq!(sprintf("odd %x and %", &a(&[])), "odd %x and %");
        assert_eq!(sprintf("%3$s", &a(&["a"])), "");
    }

    #[test]
    fn falls_back_to_the_general_text_when_a_parameter_is_missing() {
        let mut texts = Texts::default();
        texts.templates.insert(
            "insufficient_stock".into(),
            Template {
                text: "Not enough “%1$s”: %2$s left.".into(),
                params: vec!["name".into(), "available".into()],
            },
        );
        texts
            .general
            .insert("insufficient_stock".into(), "Not enough stock.".into());
        let mut r = Reason {
            code: "insufficient_stock".into(),
            reason: None,
            message: String::new(),
            params: vec![("name".into(), Value::Text("<b>Mug</b>".into()))],
            product_id: 0,
        };
        let out = render(std::slice::from_ref(&r), &texts, true);
        assert_eq!(out[0].template, None);
        assert_eq!(out[0].text, "Not enough stock.");
        r.params.push(("available".into(), Value::Int(2)));
        let out = render(std::slice::from_ref(&r), &texts, true);
        assert_eq!(out[0].template.as_deref(), Some("insufficient_stock"));
        assert_eq!(out[0].text, "Not enough “&lt;b&gt;Mug&lt;/b&gt;”: 2 left.");
        // Control characters are dropped.
        r.params[0].1 = Value::Text("Mug\0\r\n".into());
        let out = render(std::slice::from_ref(&r), &texts, false);
        assert_eq!(out[0].text, "Not enough “Mug”: 2 left.");
        // The name in the shopper's language, by product id.
        texts.names.insert("12".into(), "Tasse".into());
        r.product_id = 12;
        let out = render(std::slice::from_ref(&r), &texts, false);
        assert_eq!(out[0].text, "Not enough “Tasse”: 2 left.");
    }
}
