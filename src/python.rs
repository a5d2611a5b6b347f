//! Python's renderings of JSON values. The AWS CLI is Python: its
//! validation messages show values with `str()`/`repr()` and type names
//! like `<class 'int'>`, and its text and table output print scalars with
//! `str()`. Every module that must match those texts renders through here.

use serde_json::{Number, Value};

/// `text` for a message, cut to its first 200 characters (with the full
/// length noted) so a megabyte-long value cannot flood the terminal.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// Python's `str.isspace()` (also what `\s` matches in a `re.UNICODE`
/// pattern): the shorthand parser strips these from unquoted values.
pub fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Python's type name for the object `json.loads` would build.
pub fn python_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Python's `repr()` of `bytes` (what a `fileb://` value shows as).
pub fn python_bytes_repr(b: &[u8]) -> String {
    let mut out = String::from("b'");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push('\'');
    out
}

/// Python's `str()` of a value: strings as they are, everything else as
/// `repr()`.
pub fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => python_repr(other),
    }
}

/// Python's `repr()` of the object `json.loads` would build.
pub fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => python_number(n),
        Value::String(s) => python_string_repr(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", python_string_repr(k), python_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text has a single
/// quote and no double quote; control characters escaped.
pub fn python_string_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A JSON number as Python prints the `int` or `float` it parses to.
pub fn python_number(n: &Number) -> String {
    if n.is_f64() {
        n.as_f64().map_or_else(|| n.to_string(), python_float)
    } else {
        n.to_string()
    }
}

/// Python's `repr(float)`: the shortest round-tripping digits, in exponent
/// form (`1e+16`, `1.5e-07`) below 1e-4 and from 1e16 on.
pub fn python_float(value: f64) -> String {
    if !value.is_finite() {
        // JSON numbers are always finite; Python's spellings for completeness.
        return if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_owned();
    }
    // Rust's `Debug` uses the same digits and the same switch to exponent
    // form; only the exponent's spelling differs (`1e16` vs `1e+16`).
    let debug = format!("{value:?}");
    match debug.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => debug,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn str_and_repr_match_python() {
        assert_eq!(python_str(&json!(["a", "b"])), "['a', 'b']");
        assert_eq!(python_str(&json!({"a": "b"})), "{'a': 'b'}");
        assert_eq!(python_str(&json!(null)), "None");
        assert_eq!(python_str(&json!(true)), "True");
        assert_eq!(python_str(&json!(5)), "5");
        assert_eq!(python_str(&json!("x")), "x");
        assert_eq!(python_repr(&json!("it's")), "\"it's\"");
        assert_eq!(python_repr(&json!("a\nb")), "'a\\nb'");
    }

    #[test]
    fn excerpts_cut_long_text_on_a_char_boundary() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(300);
        assert_eq!(
            excerpt(&long),
            format!("{}… (300 characters)", "é".repeat(200))
        );
    }

    #[test]
    fn type_names_and_bytes_match_python() {
        assert_eq!(python_type(&json!(1.5)), "float");
        assert_eq!(python_type(&json!(1)), "int");
        assert_eq!(python_type(&json!([])), "list");
        assert_eq!(python_bytes_repr(b"s1\n\xff'"), "b's1\\n\\xff\\''");
    }
}
