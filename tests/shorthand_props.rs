//! Hostile-input property tests for the structure parameter (issue 8):
//!
//! - a valid value, spelled in any legal way (unquoted with `\,`, single- or
//!   double-quoted, whitespace around `=`, `@=` and `,`, any key order),
//!   always parses to exactly that value, in the rendered order;
//! - random text never makes the shorthand parser panic: it parses, or fails
//!   with a non-empty message;
//! - a JSON object given as the parameter comes back unchanged.
//!
//! The legal spellings follow the grammar in the spec (§3.1) and are written
//! out here independently of `src/shorthand.rs`. The coverage-guided fuzz
//! targets for the same code live in `fuzz/` (`scripts/fuzz.sh`).

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};
use start_delivery_stream_encryption::python::is_py_space;
use start_delivery_stream_encryption::{input, shorthand};

const FLAG: &str = "--delivery-stream-encryption-configuration-input";

/// C0 controls, DEL and C1 controls.
fn is_control(c: char) -> bool {
    c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Whether `value` may be written unquoted (with each `,` escaped as `\,`):
/// the first character is not whitespace, a control, `"'=[{` or above U+FFFF;
/// the others are not `"']}`, a non-space control or above U+FFFF; it does not
/// end with whitespace (stripped) or a backslash (which would escape the `,`
/// after it).
fn unquoted_ok(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let (Some(&first), Some(&last)) = (chars.first(), chars.last()) else {
        return true;
    };
    let first_ok = first == ','
        || !(is_control(first)
            || is_py_space(first)
            || "\"'=[{".contains(first)
            || first > '\u{ffff}');
    let rest_ok = chars[1..].iter().all(|&c| {
        c == ',' || ((!is_control(c) || is_py_space(c)) && !"\"']}".contains(c) && c <= '\u{ffff}')
    });
    first_ok && rest_ok && !is_py_space(last) && last != '\\'
}

#[derive(Debug, Clone, Copy)]
enum Style {
    Unquoted,
    Single,
    Double,
}

/// `value` spelled in `style`. Quoted values escape the quote and the
/// backslash; a quoted value must not end with a backslash (its `\\` would
/// pair with the closing quote, as in shorthand.py's regex).
fn render(value: &str, style: Style) -> String {
    match style {
        Style::Unquoted => value.replace(',', "\\,"),
        Style::Single => format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'")),
        Style::Double => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

/// One `key=value` of a rendered parameter and the whitespace around it.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    value: String,
    style: Style,
    /// `@=` instead of `=` (the value goes through the loader, here identity).
    at: bool,
    before_eq: String,
    after_at: String,
    after_eq: String,
    /// Whitespace before the `,` that ends this entry (or at the very end).
    after_value: String,
    /// Whitespace after the `,` that precedes this entry.
    after_comma: String,
}

/// Zero to two characters of the whitespace the parser skips around `=` and `,`.
fn ws() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => vec(select(vec![' ', '\t', '\n', '\r', '\u{b}', '\u{c}']), 1..3)
            .prop_map(|chars| chars.into_iter().collect()),
    ]
}

/// A value character: printable ASCII, the characters the grammar treats
/// specially, some non-ASCII (BMP and above), or any character at all.
fn value_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('!', '~'),
        3 => select(vec![
            '\\', ',', '\'', '"', '=', '[', ']', '{', '}', '@', ' ', '\t', '\n', ':', '/', 'é',
            '中', '\u{a0}', '\u{2028}', '\u{85}', '\u{7f}', '😀',
        ]),
        1 => any::<char>(),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => select(vec![
            "AWS_OWNED_CMK",
            "CUSTOMER_MANAGED_CMK",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws-cn:kms:cn-north-1:123456789012:alias/my/key",
        ])
        .prop_map(str::to_owned),
        4 => vec(value_char(), 0..12).prop_map(|chars| {
            let mut value: String = chars.into_iter().collect();
            if value.ends_with('\\') {
                value.push('x');
            }
            value
        }),
    ]
}

fn entry_parts() -> impl Strategy<Value = (String, Style, bool, [String; 5])> {
    (
        value(),
        select(vec![Style::Unquoted, Style::Single, Style::Double]),
        prop::bool::weighted(0.2),
        [ws(), ws(), ws(), ws(), ws()],
    )
}

/// `KeyType`, `KeyARN` and up to three extra keys from the key alphabet
/// (possibly empty), each with a value and a spelling, in random order.
fn entries() -> impl Strategy<Value = Vec<Entry>> {
    (vec("[A-Za-z0-9_.#/:-]{0,8}", 0..4), vec(entry_parts(), 5))
        .prop_map(|(extra, parts)| {
            let mut keys = vec!["KeyType".to_owned(), "KeyARN".to_owned()];
            for key in extra {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            keys.into_iter()
                .zip(parts)
                .map(
                    |(
                        key,
                        (
                            value,
                            style,
                            at,
                            [before_eq, after_at, after_eq, after_value, after_comma],
                        ),
                    )| {
                        let style = match style {
                            Style::Unquoted if !unquoted_ok(&value) => Style::Single,
                            other => other,
                        };
                        Entry {
                            key,
                            value,
                            style,
                            at,
                            before_eq,
                            after_at,
                            after_eq,
                            after_value,
                            after_comma,
                        }
                    },
                )
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
}

/// The shorthand text for `entries`: no whitespace before the first key.
fn render_all(entries: &[Entry]) -> String {
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
            out.push_str(&e.after_comma);
        }
        out.push_str(&e.key);
        out.push_str(&e.before_eq);
        if e.at {
            out.push('@');
            out.push_str(&e.after_at);
        }
        out.push('=');
        out.push_str(&e.after_eq);
        out.push_str(&render(&e.value, e.style));
        out.push_str(&e.after_value);
    }
    out
}

/// An `@=` loader with no files: values come back unchanged.
fn identity(value: &str) -> Result<Value, String> {
    Ok(Value::String(value.to_owned()))
}

/// Characters that drive the grammar, to make random text reach deep states.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(vec![
            'K', 'e', 'y', '=', ',', '@', '\'', '"', '\\', '[', ']', '{', '}', ' ', '\n', '\t',
            '\r', ':', '/', '#', '.', '-', '_', '\u{a0}', '\u{85}', '\u{2028}', '😀', '\u{10ffff}',
            '\0',
        ]),
        1 => any::<char>(),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(hostile_char(), 0..48).prop_map(|chars| chars.into_iter().collect()),
        vec(any::<char>(), 0..48).prop_map(|chars| chars.into_iter().collect()),
        // A valid parameter with random text spliced in.
        (
            entries(),
            vec(hostile_char(), 1..8),
            any::<prop::sample::Index>()
        )
            .prop_map(|(entries, noise, at)| {
                let mut chars: Vec<char> = render_all(&entries).chars().collect();
                let at = at.index(chars.len() + 1);
                chars.splice(at..at, noise);
                chars.into_iter().collect()
            }),
    ]
}

/// A JSON value: scalars (floats exactly representable in short decimal, so
/// the text round trip is exact), lists and objects, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (any::<i32>(), 0..5i32).prop_map(|(m, e)| Value::from(f64::from(m) / 2f64.powi(e))),
        vec(any::<char>(), 0..12).prop_map(|c| Value::String(c.into_iter().collect())),
        value().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            json_object(inner).prop_map(Value::Object),
        ]
    })
}

fn json_object(values: impl Strategy<Value = Value>) -> impl Strategy<Value = Map<String, Value>> {
    vec(
        (
            prop_oneof![
                select(vec!["KeyType", "KeyARN", "", "file://x"]).prop_map(str::to_owned),
                vec(any::<char>(), 0..8).prop_map(|c| c.into_iter().collect()),
            ],
            values,
        ),
        0..5,
    )
    .prop_map(|members| members.into_iter().collect())
}

/// `cases` cases, unless `PROPTEST_CASES` asks for another number (for long runs).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_legal_spelling_parses_to_the_value(entries in entries()) {
        let text = render_all(&entries);
        let parsed = shorthand::parse(&text, &mut identity)
            .map_err(|e| TestCaseError::fail(format!("{text:?} failed: {e}")))?;
        let got: Vec<(String, Value)> = parsed.into_iter().collect();
        let expected: Vec<(String, Value)> = entries
            .iter()
            .map(|e| (e.key.clone(), Value::String(e.value.clone())))
            .collect();
        prop_assert_eq!(got, expected, "input {:?}", text);
    }

    #[test]
    fn random_text_never_panics(text in hostile_text()) {
        let mut load = |value: &str| {
            if value.contains('!') {
                Err(format!("cannot load {value}"))
            } else {
                identity(value)
            }
        };
        match shorthand::parse(&text, &mut load) {
            Ok(_) => {}
            Err(error @ shorthand::ShorthandError::Load(_)) => {
                prop_assert!(error.to_string().starts_with("cannot load "));
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(!message.is_empty());
                prop_assert!(message.contains(" for input:\n"), "{}", message);
            }
        }
        // The whole structure-parameter path (JSON or shorthand) as well, unless
        // the text would make it read a file.
        if !text.contains("file://")
            && !text.contains("fileb://")
            && let Err(error) = input::structure_param(FLAG, &text)
        {
            prop_assert!(!error.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn json_objects_round_trip(
        object in json_object(json_value()),
        pretty in any::<bool>(),
        lead in vec(select(vec![' ', '\t', '\n', '\r']), 0..3),
    ) {
        let value = Value::Object(object);
        let body = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let text: String = lead.into_iter().chain(body.chars()).collect();
        let parsed = input::structure_param(FLAG, &text)
            .map_err(|e| TestCaseError::fail(format!("{text:?} failed: {e}")))?;
        // Same members, values and order.
        prop_assert_eq!(serde_json::to_string(&parsed).unwrap(), serde_json::to_string(&value).unwrap());
        prop_assert_eq!(parsed, value);
    }
}

/// Nesting far past the parser's limit is a syntax error, not a stack overflow.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["[", "{a=", "[{a=", "{a=["] {
        let text = format!("KeyType={}", open.repeat(10_000));
        let error = shorthand::parse(&text, &mut identity).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("Expected: '<at most 64 nested lists/hashes>'"),
            "{open}: {error}"
        );
    }
}

/// The spellings the generator produces, checked by hand once.
#[test]
fn renderings_spot_checks() {
    assert_eq!(render(r"a,b\", Style::Unquoted), r"a\,b\");
    assert_eq!(render(r"it's \x", Style::Single), r"'it\'s \\x'");
    assert_eq!(render(r#"say "hi""#, Style::Double), r#""say \"hi\"""#);
    assert!(unquoted_ok(",x"));
    assert!(unquoted_ok("a b=c[d{"));
    assert!(!unquoted_ok(" a"));
    assert!(!unquoted_ok("a "));
    assert!(!unquoted_ok("[a"));
    assert!(!unquoted_ok("a]"));
    assert!(!unquoted_ok("a\\"));
    assert!(!unquoted_ok("😀"));
    let parsed = shorthand::parse(
        "KeyARN @ =\t'a\\'b' ,\n=x\\,y,KeyType=\"\\\\\"",
        &mut identity,
    )
    .unwrap();
    assert_eq!(
        Value::Object(parsed),
        serde_json::json!({"KeyARN": "a'b", "": "x,y", "KeyType": "\\"})
    );
}
