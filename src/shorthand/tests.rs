use super::*;
use serde_json::json;

/// A `load` that must never be called.
fn no_load(value: &str) -> Result<Value, String> {
    panic!("load called unexpectedly with {value:?}")
}

fn ok(input: &str) -> Value {
    Value::Object(parse(input, &mut no_load).unwrap_or_else(|e| panic!("{input:?}: {e}")))
}

fn err(input: &str) -> String {
    match parse(input, &mut no_load) {
        Ok(parsed) => panic!("{input:?} parsed to {parsed:?}"),
        Err(error) => error.to_string(),
    }
}

/// Fake file loader: `file://arn.txt` has content, `fileb://k.txt` gives bytes
/// (as an array of numbers), anything else without a prefix is returned unchanged.
fn fake_load(value: &str) -> Result<Value, String> {
    match value {
        "file://arn.txt" => Ok(json!("arn-from-file\n")),
        "fileb://k.txt" => Ok(json!([107, 10])),
        "file:///nope" => Err(
            "Unable to load paramfile file:///nope: [Errno 2] No such file or directory: '/nope'"
                .to_owned(),
        ),
        other if other.starts_with("file://") || other.starts_with("fileb://") => {
            Err(format!("unexpected file {other}"))
        }
        other => Ok(Value::String(other.to_owned())),
    }
}

#[test]
fn row_01_simple_key_type() {
    assert_eq!(
        ok("KeyType=AWS_OWNED_CMK"),
        json!({"KeyType": "AWS_OWNED_CMK"})
    );
}

#[test]
fn row_02_two_keys_in_user_order() {
    let arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let parsed = ok(&format!("KeyType=CUSTOMER_MANAGED_CMK,KeyARN={arn}"));
    assert_eq!(
        parsed,
        json!({"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": arn})
    );
    let keys: Vec<_> = parsed.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["KeyType", "KeyARN"]);
    let reversed = ok(&format!("KeyARN={arn},KeyType=CUSTOMER_MANAGED_CMK"));
    let keys: Vec<_> = reversed.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["KeyARN", "KeyType"]);
}

#[test]
fn row_03_spaces_around_equals() {
    assert_eq!(
        ok("KeyType = AWS_OWNED_CMK"),
        json!({"KeyType": "AWS_OWNED_CMK"})
    );
}

#[test]
fn row_04_value_whitespace_trimmed() {
    assert_eq!(ok("KeyType=   x   "), json!({"KeyType": "x"}));
}

#[test]
fn row_05_leading_space_rejected() {
    assert_eq!(
        err(" KeyType=x"),
        "Expected: '=', received: 'K' for input:\n  KeyType=x\n ^"
    );
}

#[test]
fn row_06_trailing_comma() {
    assert_eq!(
        err("KeyType=x,"),
        "Expected: '<second>', received: '<none>' for input:\n KeyType=x,\n          ^"
    );
}

#[test]
fn row_07_space_after_or_before_comma() {
    let expected = json!({"KeyType": "x", "KeyARN": "y"});
    assert_eq!(ok("KeyType=x, KeyARN=y"), expected);
    assert_eq!(ok("KeyType=x ,KeyARN=y"), expected);
}

#[test]
fn row_08_space_is_not_a_separator() {
    assert_eq!(ok("KeyType=x KeyARN=y"), json!({"KeyType": "x KeyARN=y"}));
}

#[test]
fn row_09_equals_inside_first_value() {
    assert_eq!(ok("KeyType=a=b"), json!({"KeyType": "a=b"}));
}

#[test]
fn row_10_escaped_comma() {
    assert_eq!(ok(r"KeyType=a\,b"), json!({"KeyType": "a,b"}));
}

#[test]
fn row_11_csv_list() {
    assert_eq!(ok("KeyType=a,b"), json!({"KeyType": ["a", "b"]}));
}

#[test]
fn row_12_csv_list_backs_off_before_next_key() {
    assert_eq!(
        ok("KeyType=a,b,KeyARN=c"),
        json!({"KeyType": ["a", "b"], "KeyARN": "c"})
    );
}

#[test]
fn row_13_second_item_is_a_key() {
    assert_eq!(ok("KeyType=a,b=c"), json!({"KeyType": "a", "b": "c"}));
}

#[test]
fn row_14_quoted_comma() {
    assert_eq!(ok(r#"KeyType="a,b""#), json!({"KeyType": "a,b"}));
    assert_eq!(ok("KeyType='a,b'"), json!({"KeyType": "a,b"}));
}

#[test]
fn row_15_escaped_double_quote() {
    assert_eq!(ok(r#"KeyType="a\"b""#), json!({"KeyType": "a\"b"}));
}

#[test]
fn row_16_escaped_single_quote() {
    assert_eq!(ok(r"KeyType='a\'b'"), json!({"KeyType": "a'b"}));
}

#[test]
fn row_17_double_backslash_collapses_in_quotes() {
    assert_eq!(ok(r"KeyType='a\\b'"), json!({"KeyType": "a\\b"}));
}

#[test]
fn row_18_double_backslash_kept_unquoted() {
    assert_eq!(ok(r"KeyType=a\\b"), json!({"KeyType": "a\\\\b"}));
}

#[test]
fn row_19_backslash_n_is_literal() {
    assert_eq!(ok(r"KeyType=a\nb"), json!({"KeyType": "a\\nb"}));
}

#[test]
fn row_20_empty_values() {
    for input in ["KeyType=", r#"KeyType="""#, "KeyType=''"] {
        assert_eq!(ok(input), json!({"KeyType": ""}), "{input}");
    }
    assert_eq!(
        ok("KeyType=x,KeyARN="),
        json!({"KeyType": "x", "KeyARN": ""})
    );
}

#[test]
fn row_21_empty_value_before_comma() {
    assert_eq!(
        ok("KeyType=,KeyARN=x"),
        json!({"KeyType": "", "KeyARN": "x"})
    );
}

#[test]
fn row_22_key_without_equals() {
    assert_eq!(
        err("KeyType"),
        "Expected: '=', received: 'EOF' for input:\n KeyType\n       ^"
    );
}

#[test]
fn row_23_empty_key() {
    assert_eq!(ok("=x"), json!({"": "x"}));
}

#[test]
fn row_24_keys_are_case_sensitive() {
    assert_eq!(ok("keytype=x"), json!({"keytype": "x"}));
}

#[test]
fn row_25_duplicate_key() {
    let error = parse("KeyType=a,KeyType=b", &mut no_load).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Second instance of key \"KeyType\" encountered for input:\n\
         KeyType=a,KeyType=b\n          ^\n\
         This is often because there is a preceding \",\" instead of a space."
    );
    assert!(matches!(error, ShorthandError::DuplicateKey { ref key, .. } if key == "KeyType"));
}

#[test]
fn row_26_explicit_lists() {
    assert_eq!(ok("KeyType=[a,b]"), json!({"KeyType": ["a", "b"]}));
    assert_eq!(ok("KeyType=[]"), json!({"KeyType": []}));
    assert_eq!(ok("KeyType=[a]"), json!({"KeyType": ["a"]}));
    assert_eq!(ok("KeyType=[,]"), json!({"KeyType": [""]}));
}

#[test]
fn row_27_hash_literals() {
    assert_eq!(ok("KeyType={a=b}"), json!({"KeyType": {"a": "b"}}));
    assert_eq!(ok("KeyType={}"), json!({"KeyType": {}}));
}

#[test]
fn row_28_hash_duplicate_last_wins() {
    assert_eq!(ok("KeyType={a=1,a=2}"), json!({"KeyType": {"a": "2"}}));
}

#[test]
fn row_29_hash_member_without_equals() {
    assert_eq!(
        err("KeyType={a=b,c}"),
        "Expected: '=', received: '}' for input:\n KeyType={a=b,c}\n              ^"
    );
}

#[test]
fn row_30_closing_bracket_as_first_char() {
    assert_eq!(ok("KeyType=]x"), json!({"KeyType": "]x"}));
    assert_eq!(ok("KeyType=}x"), json!({"KeyType": "}x"}));
}

#[test]
fn row_31_closing_bracket_after_value() {
    assert_eq!(
        err("KeyType=x]"),
        "Expected: ',', received: ']' for input:\n KeyType=x]\n         ^"
    );
    assert_eq!(
        err("KeyType=x}"),
        "Expected: ',', received: '}' for input:\n KeyType=x}\n         ^"
    );
}

#[test]
fn row_32_open_brace_inside_value() {
    assert_eq!(ok("KeyType=x{"), json!({"KeyType": "x{"}));
}

#[test]
fn row_33_quote_inside_unquoted_value() {
    assert_eq!(
        err(r#"KeyType=a"b"#),
        "Expected: ',', received: '\"' for input:\n KeyType=a\"b\n         ^"
    );
}

#[test]
fn row_34_unterminated_quotes() {
    assert_eq!(
        err(r#"KeyType="a"#),
        "Expected: '<double quoted>', received: '<none>' for input:\n KeyType=\"a\n        ^"
    );
    assert_eq!(
        err("KeyType='abc"),
        "Expected: '<singled quoted>', received: '<none>' for input:\n KeyType='abc\n        ^"
    );
}

#[test]
fn row_35_no_sql_style_quote_doubling() {
    assert_eq!(
        err("KeyType='it''s'"),
        "Expected: ',', received: ''' for input:\n KeyType='it''s'\n            ^"
    );
}

#[test]
fn row_36_char_above_bmp_unquoted() {
    let error = parse("KeyType=😀", &mut no_load).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Expected: ',', received: '😀' for input:\n KeyType=😀\n        ^"
    );
    assert_eq!(ok("KeyType='😀'"), json!({"KeyType": "😀"}));
}

#[test]
fn row_37_bmp_non_ascii() {
    assert_eq!(ok("KeyType=ünï"), json!({"KeyType": "ünï"}));
}

#[test]
fn row_38_space_inside_key() {
    assert_eq!(
        err("Key Type=x"),
        "Expected: '=', received: 'T' for input:\n Key Type=x\n    ^"
    );
}

#[test]
fn row_39_double_equals() {
    assert_eq!(
        err("KeyType==x"),
        "Expected: ',', received: '=' for input:\n KeyType==x\n        ^"
    );
}

#[test]
fn row_40_everything_stays_a_string() {
    for value in ["123", "true", "null"] {
        assert_eq!(ok(&format!("KeyType={value}")), json!({"KeyType": value}));
    }
}

#[test]
fn row_41_at_equals_loads_file_content() {
    let mut seen = Vec::new();
    let mut load = |value: &str| {
        seen.push(value.to_owned());
        fake_load(value)
    };
    let parsed = parse(
        "KeyARN@=file://arn.txt,KeyType=CUSTOMER_MANAGED_CMK",
        &mut load,
    );
    assert_eq!(
        Value::Object(parsed.unwrap()),
        json!({"KeyARN": "arn-from-file\n", "KeyType": "CUSTOMER_MANAGED_CMK"})
    );
    // Like shorthand.py, the backed-off csv candidate `KeyType` is also offered to load.
    assert_eq!(seen, ["file://arn.txt", "KeyType"]);
}

#[test]
fn row_42_file_prefix_without_at_is_literal() {
    assert_eq!(
        ok("KeyType=file://k.txt"),
        json!({"KeyType": "file://k.txt"})
    );
}

#[test]
fn row_43_at_equals_fileb_passes_loader_value_through() {
    let parsed = parse(
        "KeyARN@=fileb://k.txt,KeyType=CUSTOMER_MANAGED_CMK",
        &mut fake_load,
    );
    assert_eq!(
        Value::Object(parsed.unwrap()),
        json!({"KeyARN": [107, 10], "KeyType": "CUSTOMER_MANAGED_CMK"})
    );
}

#[test]
fn row_44_load_error_passed_through_unprefixed() {
    let error = parse("KeyType@=file:///nope", &mut fake_load).unwrap_err();
    let message =
        "Unable to load paramfile file:///nope: [Errno 2] No such file or directory: '/nope'";
    assert_eq!(error, ShorthandError::Load(message.to_owned()));
    assert_eq!(error.to_string(), message);
}

#[test]
fn row_45_embedded_newline_location() {
    assert_eq!(
        err("a=b,\nc==d"),
        "Expected: ',', received: '=' for input:\n a=b,\nc==d\n  ^"
    );
}

#[test]
fn syntax_error_location_stops_at_next_newline() {
    assert_eq!(
        err("a==b\nc=d"),
        "Expected: ',', received: '=' for input:\n a==b\n  ^\nc=d"
    );
}

#[test]
fn duplicate_key_caret_after_spaced_comma() {
    let error = parse("a=[x] , a=y", &mut no_load).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Second instance of key \"a\" encountered for input:\na=[x] , a=y\n      ^\n\
         This is often because there is a preceding \",\" instead of a space."
    );
}

#[test]
fn singled_quoted_typo_and_second_value_fallback() {
    assert_eq!(
        err("a=b,'c"),
        "Expected: '=', received: ''' for input:\n a=b,'c\n    ^"
    );
    assert_eq!(
        err("a=b,c,'d"),
        "Expected: '=', received: ''' for input:\n a=b,c,'d\n      ^"
    );
    assert_eq!(
        err("a=['x"),
        "Expected: '<singled quoted>', received: '<none>' for input:\n a=['x\n   ^"
    );
}

#[test]
fn quoted_value_closed_by_last_escaped_quote() {
    assert_eq!(ok(r"a='x\'"), json!({"a": "x\\"}));
    assert_eq!(
        err(r"a='x\'y\'z"),
        "Expected: ',', received: 'z' for input:\n a='x\\'y\\'z\n         ^"
    );
}

#[test]
fn at_equals_inside_lists_and_hashes() {
    let parsed = parse(
        "a@=[file://arn.txt,'x'],b@={c=file://arn.txt,d@=file://arn.txt}",
        &mut fake_load,
    );
    assert_eq!(
        Value::Object(parsed.unwrap()),
        json!({
            "a": ["arn-from-file\n", "x"],
            "b": {"c": "file://arn.txt", "d": "arn-from-file\n"}
        })
    );
    // Empty `@=` values are not loaded.
    assert_eq!(
        Value::Object(parse("a@=", &mut no_load).unwrap()),
        json!({"a": ""})
    );
}

/// Caret column of a syntax error message (its third line).
fn caret_column(message: &str) -> usize {
    let caret_line = message.lines().nth(2).expect("caret line");
    assert!(caret_line.trim_start() == "^", "{caret_line:?}");
    caret_line.len() - 1
}

#[test]
fn deep_nesting_is_capped() {
    let too_deep = [
        (format!("a={}", "[".repeat(100_000)), "[", 2 + MAX_DEPTH),
        (
            format!("a={}", "{b=".repeat(100_000)),
            "{",
            2 + 3 * MAX_DEPTH,
        ),
        (format!("a=[{}", "{b=[".repeat(100_000)), "[", 6 + 4 * 31),
    ];
    for (input, open, column) in too_deep {
        let message = err(&input);
        let head = format!(
            "Expected: '<at most {MAX_DEPTH} nested lists/hashes>', received: '{open}' for input:\n "
        );
        assert!(message.starts_with(&head), "{message:.80}");
        assert_eq!(caret_column(&message), column);
    }
    // A bare `{{{...` fails at once: `{` cannot start a top-level key.
    assert!(err(&"{".repeat(100_000)).starts_with("Expected: '=', received: '{'"));
    let deepest = format!("a={}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert_eq!(
        Value::Object(parse(&deepest, &mut no_load).unwrap())["a"]
            .pointer(&"/0".repeat(MAX_DEPTH - 1)),
        Some(&json!([]))
    );
}

#[test]
fn random_inputs_never_panic() {
    let alphabet: Vec<char> = "a=,[]{}'\"\\ @:/\n😀ü\tK@".chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..5000 {
        let len = usize::try_from(next() % 24).unwrap_or(0);
        let input: String = (0..len)
            .map(|_| alphabet[usize::try_from(next()).unwrap_or(0) % alphabet.len()])
            .collect();
        let mut load = |value: &str| {
            if value.contains('😀') {
                Err("boom".to_owned())
            } else {
                Ok(Value::String(value.to_owned()))
            }
        };
        let _ = parse(&input, &mut load);
    }
}
