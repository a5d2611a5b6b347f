use super::*;
use serde_json::json;

fn stream() -> Value {
    json!({
        "DeliveryStreamDescription": {
            "DeliveryStreamName": "s1",
            "DeliveryStreamStatus": "ACTIVE",
            "DeliveryStreamType": "DirectPut",
            "VersionId": "1",
            "HasMoreDestinations": false,
            "DeliveryStreamEncryptionConfiguration": {
                "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/abcd",
                "KeyType": "CUSTOMER_MANAGED_CMK",
                "Status": "ENABLED"
            },
            "Destinations": [{"DestinationId": "destinationId-000000000001"}]
        }
    })
}

fn run(expr: &str, input: &Value) -> Value {
    Query::compile(expr)
        .expect("compiles")
        .apply(input)
        .expect("applies")
}

#[test]
fn path_selects_the_encryption_status() {
    let status = run(
        "DeliveryStreamDescription.DeliveryStreamEncryptionConfiguration.Status",
        &stream(),
    );
    assert_eq!(status, json!("ENABLED"));
}

#[test]
fn path_that_matches_nothing_gives_null() {
    assert_eq!(
        run("DeliveryStreamDescription.Nope", &stream()),
        Value::Null
    );
    assert_eq!(run("anything", &json!({})), Value::Null);
}

#[test]
fn multi_select_hash_keeps_the_order_written() {
    let got = run(
        "DeliveryStreamDescription.{Name:DeliveryStreamName,Type:DeliveryStreamType,Enc:DeliveryStreamEncryptionConfiguration.Status}",
        &stream(),
    );
    assert_eq!(
        got,
        json!({"Enc": "ENABLED", "Name": "s1", "Type": "DirectPut"})
    );
    let keys: Vec<&String> = got.as_object().expect("object").keys().collect();
    // jmespath.py 1.1.0: {"Name": "s1", "Type": "DirectPut", "Enc": "ENABLED"}
    assert_eq!(keys, ["Name", "Type", "Enc"], "the order written");
}

#[test]
fn projections_filters_and_functions_work() {
    let input = stream();
    assert_eq!(
        run(
            "DeliveryStreamDescription.Destinations[].DestinationId",
            &input
        ),
        json!(["destinationId-000000000001"])
    );
    assert_eq!(
        run(
            "DeliveryStreamDescription.Destinations[?DestinationId=='nope']",
            &input
        ),
        json!([])
    );
    assert_eq!(
        run("length(DeliveryStreamDescription.Destinations)", &input),
        json!(1)
    );
    assert_eq!(
        run("DeliveryStreamDescription.HasMoreDestinations", &input),
        json!(false)
    );
}

#[test]
fn integers_stay_integers_and_floats_stay_floats() {
    let input = json!({"i": 3, "big": 18446744073709551615_u64, "neg": -7, "f": 1.5, "whole": 2.0});
    let got = run("@", &input);
    assert_eq!(
        serde_json::to_string(&got).expect("serialises"),
        r#"{"i":3,"big":18446744073709551615,"neg":-7,"f":1.5,"whole":2.0}"#
    );
    assert!(run("i", &input).is_i64());
    assert!(run("whole", &input).is_f64());
    assert_eq!(run("`42`", &input), json!(42));
}

#[test]
fn numeric_functions_follow_python_jmespath() {
    let input =
        json!({"ints": [1, 2, 3], "mixed": [1, 2.5], "empty": [], "n": -4, "x": -1.5, "f": 1.2});
    let text = |expr: &str| serde_json::to_string(&run(expr, &input)).expect("serialises");
    assert_eq!(text("sum(ints)"), "6");
    assert_eq!(text("sum(mixed)"), "3.5");
    assert_eq!(text("sum(empty)"), "0");
    assert_eq!(text("abs(n)"), "4");
    assert_eq!(text("abs(x)"), "1.5");
    assert_eq!(text("ceil(f)"), "2");
    assert_eq!(text("floor(x)"), "-2");
    assert_eq!(text("ceil(n)"), "-4");
    assert_eq!(text("avg(ints)"), "2.0");
    assert_eq!(text("avg(empty)"), "null");
    assert_eq!(text("max(ints)"), "3");
}

#[test]
fn to_number_parses_numeric_strings_only() {
    let input = json!({"a": "12", "b": " 1.5 ", "c": "{\"k\":1}", "d": "abc", "e": true, "f": 7, "g": "[1]", "h": "1e3"});
    let text = |expr: &str| serde_json::to_string(&run(expr, &input)).expect("serialises");
    assert_eq!(text("to_number(a)"), "12");
    assert_eq!(text("to_number(b)"), "1.5");
    assert_eq!(text("to_number(c)"), "null");
    assert_eq!(text("to_number(d)"), "null");
    assert_eq!(text("to_number(e)"), "null");
    assert_eq!(text("to_number(f)"), "7");
    assert_eq!(text("to_number(g)"), "null");
    assert_eq!(text("to_number(h)"), "1000.0");
}

/// Messages printed by Python's `jmespath` 1.1.0 (the AWS CLI's parser).
const PYTHON_COMPILE_ERRORS: &[(&str, &str)] = &[
    (
        "[[[",
        "Invalid jmespath expression: Incomplete expression:\n\"[[[\"\n    ^",
    ),
    (
        "foo |",
        "Invalid jmespath expression: Incomplete expression:\n\"foo |\"\n      ^",
    ),
    (
        "foo[?",
        "Invalid jmespath expression: Incomplete expression:\n\"foo[?\"\n      ^",
    ),
    (
        "foo[",
        "Invalid jmespath expression: Incomplete expression:\n\"foo[\"\n     ^",
    ),
    (
        "a.{",
        "Invalid jmespath expression: Incomplete expression:\n\"a.{\"\n    ^",
    ),
    (
        "{a",
        "Invalid jmespath expression: Incomplete expression:\n\"{a\"\n   ^",
    ),
    (
        "foo[0",
        "Invalid jmespath expression: Incomplete expression:\n\"foo[0\"\n      ^",
    ),
    (
        "a[?b == ",
        "Invalid jmespath expression: Incomplete expression:\n\"a[?b == \"\n         ^",
    ),
    (
        "!",
        "Invalid jmespath expression: Incomplete expression:\n\"!\"\n  ^",
    ),
    (
        "foo.",
        "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: Parse error at column 4, token \"\" (EOF), for expression:\n\"foo.\"\n     ^",
    ),
    (
        "foo.]",
        "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: rbracket: Parse error at column 4, token \"]\" (RBRACKET), for expression:\n\"foo.]\"\n     ^",
    ),
    (
        "a[0:",
        "syntax error: Parse error at column 4, token \"\" (EOF), for expression:\n\"a[0:\"\n     ^",
    ),
    (
        "a b",
        "Unexpected token: b: Parse error at column 2, token \"b\" (UNQUOTED_IDENTIFIER), for expression:\n\"a b\"\n   ^",
    ),
    (
        "@@",
        "Unexpected token: @: Parse error at column 1, token \"@\" (CURRENT), for expression:\n\"@@\"\n  ^",
    ),
    (
        "foo[*].bar]",
        "Unexpected token: ]: Parse error at column 10, token \"]\" (RBRACKET), for expression:\n\"foo[*].bar]\"\n           ^",
    ),
    (
        "foo#",
        "Bad jmespath expression: Unknown token #:\nfoo#\n   ^",
    ),
    (
        "foo.\"bar",
        "Bad jmespath expression: Unclosed \" delimiter:\nfoo.\"bar\n    ^",
    ),
    (
        "'abc",
        "Bad jmespath expression: Unclosed ' delimiter:\n'abc\n^",
    ),
    (
        "`1",
        "Bad jmespath expression: Unclosed ` delimiter:\n`1\n^",
    ),
    ("", "Invalid JMESPath expression: cannot be empty."),
    // Positions count from the start of the expression, across newlines.
    (
        "a\n b c",
        "Unexpected token: b: Parse error at column 3, token \"b\" (UNQUOTED_IDENTIFIER), for expression:\n\"a\n b c\"\n    ^",
    ),
    (
        "a\n#",
        "Bad jmespath expression: Unknown token #:\na\n#\n  ^",
    ),
    (
        "a.\n]",
        "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: rbracket: Parse error at column 3, token \"]\" (RBRACKET), for expression:\n\"a.\n]\"\n    ^",
    ),
];

#[test]
fn compile_errors_match_python_jmespath() {
    for (expr, python) in PYTHON_COMPILE_ERRORS {
        let err = Query::compile(expr).expect_err(expr);
        assert_eq!(
            err,
            format!("Bad value for --query {expr}: {python}"),
            "expression {expr:?}"
        );
    }
}

#[test]
fn bad_query_error_matches_the_reference_example() {
    let err = Query::compile("[[[").expect_err("invalid");
    assert_eq!(
        err,
        "Bad value for --query [[[: Invalid jmespath expression: Incomplete expression:\n\"[[[\"\n    ^"
    );
}

#[test]
fn other_syntax_errors_keep_the_python_layout() {
    // `a ==` with a following `]`: this parser's own description, Python's layout.
    let err = Query::compile("a == ]").expect_err("invalid");
    assert!(err.starts_with("Bad value for --query a == ]: "), "{err}");
    assert!(err.contains(": Parse error at column 5, token \"]\" (RBRACKET), for expression:\n\"a == ]\"\n      ^"), "{err}");
}

#[test]
fn runtime_errors_are_returned_not_panicked() {
    let err = Query::compile("nosuch(@)")
        .expect("compiles")
        .apply(&stream())
        .expect_err("fails");
    assert_eq!(err, "Unknown function: nosuch()");
    let err = Query::compile("sort_by(@, &x)")
        .expect("compiles")
        .apply(&stream())
        .expect_err("fails");
    assert_eq!(err, "Argument 0 expects type array, given object");
}

#[test]
fn compiled_query_is_reusable_and_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Query>();
    let query = Query::compile("DeliveryStreamDescription.DeliveryStreamName").expect("compiles");
    assert_eq!(
        query.as_str(),
        "DeliveryStreamDescription.DeliveryStreamName"
    );
    assert_eq!(query.apply(&stream()).expect("applies"), json!("s1"));
    assert_eq!(query.apply(&json!({})).expect("applies"), Value::Null);
}

/// Expected values computed with jmespath.py 1.1.0 (the AWS CLI's engine).
#[test]
fn key_order_and_string_comparisons_match_jmespath_py() {
    let x = json!({"b": 1, "a": 2, "c": 3});
    assert_eq!(run("keys(@)", &x), json!(["b", "a", "c"]));
    assert_eq!(run("values(@)", &x), json!([1, 2, 3]));
    assert_eq!(run("*", &x), json!([1, 2, 3]));
    let s =
        json!([{"Created": "2023-12-31"}, {"Created": "2024-01-01"}, {"Created": "2024-06-01"}]);
    assert_eq!(
        run("[?Created >= '2024-01-01'].Created", &s),
        json!(["2024-01-01", "2024-06-01"])
    );
    assert_eq!(
        run("[?Created < '2024-01-01'].Created", &s),
        json!(["2023-12-31"])
    );
    for (expr, want) in [
        ("'a' < 'b'", true),
        ("'b' <= 'a'", false),
        ("'abc' > 'abd'", false),
        ("'b' >= 'b'", true),
    ] {
        assert_eq!(run(expr, &s), json!(want), "{expr}");
    }
}

// ------------------------------------------------ legacy backtick literals

/// One `--query` run: the expression, the document, and what jmespath.py
/// 1.1.0 gives (the result, or the AWS CLI's error text), and whether it
/// read a literal through its legacy fallback (its
/// `PendingDeprecationWarning`).
struct LegacyCase {
    expr: String,
    given: Value,
    want: Result<Value, String>,
    fallback: bool,
}

fn case(expr: &str, given: Value, want: Result<Value, &str>, fallback: bool) -> LegacyCase {
    LegacyCase {
        expr: expr.to_owned(),
        given,
        want: want.map_err(str::to_owned),
        fallback,
    }
}

/// Backtick literals as jmespath.py 1.1.0 reads them: every expected value
/// and message here was printed by jmespath.py (`jmespath.compile(expr)
/// .search(given)`, errors as the AWS CLI's `Bad value for --query EXPR: …`),
/// and `legacy_literals_are_what_jmespath_py_gives` runs it again on this
/// very table.
fn legacy_literal_cases() -> Vec<LegacyCase> {
    let items = json!({"Items": [{"State": "available", "Id": 1}, {"State": "pending", "Id": 2}]});
    let digits = "1".repeat(4301);
    vec![
        // Not JSON: a string.
        case("`available`", json!({}), Ok(json!("available")), true),
        case("`foo bar`", json!({}), Ok(json!("foo bar")), true),
        // Python's lstrip: left whitespace (str.isspace) only.
        case("` foo`", json!({}), Ok(json!("foo")), true),
        case("`foo `", json!({}), Ok(json!("foo ")), true),
        case(
            "`\t\u{3000}\u{1c}\u{85}foo`",
            json!({}),
            Ok(json!("foo")),
            true,
        ),
        case("``", json!({}), Ok(json!("")), true),
        case("` `", json!({}), Ok(json!("")), true),
        // An escaped backtick is a backtick.
        case(r"`a\`b`", json!({}), Ok(json!("a`b")), true),
        // The quoted form is JSON-decoded: escapes are read.
        case(r"`a\nb`", json!({}), Ok(json!("a\nb")), true),
        case(r"`\u00e9t\u00e9`", json!({}), Ok(json!("été")), true),
        case(r"`C:\\dir`", json!({}), Ok(json!(r"C:\dir")), true),
        case(r"`\\`", json!({}), Ok(json!("\\")), true),
        // Almost JSON is still a string.
        case("`tru`", json!({}), Ok(json!("tru")), true),
        case("`01`", json!({}), Ok(json!("01")), true),
        case("`1.`", json!({}), Ok(json!("1.")), true),
        case("`-`", json!({}), Ok(json!("-")), true),
        case("`[1,]`", json!({}), Ok(json!("[1,]")), true),
        // An integer too long for Python's int() is a string too.
        case(&format!("`{digits}`"), json!({}), Ok(json!(digits)), true),
        // JSON is JSON, as before.
        case("`1`", json!({}), Ok(json!(1)), false),
        case("` 1 `", json!({}), Ok(json!(1)), false),
        case("`\"x\"`", json!({}), Ok(json!("x")), false),
        case("`[1,2]`", json!({}), Ok(json!([1, 2])), false),
        case(
            "`{\"a\": [true, null]}`",
            json!({}),
            Ok(json!({"a": [true, null]})),
            false,
        ),
        case(r#"`"a\`b"`"#, json!({}), Ok(json!("a`b")), false),
        // In filters, next to JSON literals.
        case(
            "Items[?State==`available`].Id",
            items.clone(),
            Ok(json!([1])),
            true,
        ),
        case(
            "Items[?State==`available` && Id==`1`].Id",
            items,
            Ok(json!([1])),
            true,
        ),
        case("`é` == 'é'", json!({}), Ok(json!(true)), true),
        // Backticks inside '…' and "…" are not literals.
        case("'`x`'", json!({}), Ok(json!("`x`")), false),
        case("\"`a`\"", json!({"`a`": 5}), Ok(json!(5)), false),
        case(
            r"[?Name=='O\'Br`ien' || Name==`x y`].Name",
            json!([{"Name": "O'Br`ien"}, {"Name": "x y"}, {"Name": "z"}]),
            Ok(json!(["O'Br`ien", "x y"])),
            true,
        ),
        // Still errors: Python's `Bad token`.
        case(
            "`a\"b`",
            json!({}),
            Err(
                "Bad value for --query `a\"b`: Bad jmespath expression: Bad token a\"b:\n`a\"b`\n^",
            ),
            false,
        ),
        case(
            "`\"a`",
            json!({}),
            Err("Bad value for --query `\"a`: Bad jmespath expression: Bad token \"a:\n`\"a`\n^"),
            false,
        ),
        case(
            r"`a\x`",
            json!({}),
            Err(
                "Bad value for --query `a\\x`: Bad jmespath expression: Bad token a\\x:\n`a\\x`\n^",
            ),
            false,
        ),
        case(
            "`{\"a\":1,}`",
            json!({}),
            Err(
                "Bad value for --query `{\"a\":1,}`: Bad jmespath expression: Bad token {\"a\":1,}:\n`{\"a\":1,}`\n^",
            ),
            false,
        ),
        case(
            "`a\u{1}b`",
            json!({}),
            Err(
                "Bad value for --query `a\u{1}b`: Bad jmespath expression: Bad token a\u{1}b:\n`a\u{1}b`\n^",
            ),
            false,
        ),
        case(
            "`foo` == `a\"b`",
            json!({}),
            Err(
                "Bad value for --query `foo` == `a\"b`: Bad jmespath expression: Bad token a\"b:\n`foo` == `a\"b`\n         ^",
            ),
            true,
        ),
        case(
            "a\n`x\"`",
            json!({}),
            Err(
                "Bad value for --query a\n`x\"`: Bad jmespath expression: Bad token x\":\na\n`x\"`\n  ^",
            ),
            false,
        ),
        // Other errors keep their place in the text as written.
        case(
            "`foo` | [",
            json!({}),
            Err(
                "Bad value for --query `foo` | [: Invalid jmespath expression: Incomplete expression:\n\"`foo` | [\"\n          ^",
            ),
            true,
        ),
        case(
            "`foo` == `bar` #",
            json!({}),
            Err(
                "Bad value for --query `foo` == `bar` #: Bad jmespath expression: Unknown token #:\n`foo` == `bar` #\n               ^",
            ),
            true,
        ),
        case(
            "`foo` b",
            json!({}),
            Err(
                "Bad value for --query `foo` b: Unexpected token: b: Parse error at column 6, token \"b\" (UNQUOTED_IDENTIFIER), for expression:\n\"`foo` b\"\n       ^",
            ),
            true,
        ),
        case(
            "`foo` `",
            json!({}),
            Err(
                "Bad value for --query `foo` `: Bad jmespath expression: Unclosed ` delimiter:\n`foo` `\n      ^",
            ),
            true,
        ),
        case(
            "`é` é",
            json!({}),
            Err(
                "Bad value for --query `é` é: Bad jmespath expression: Unknown token é:\n`é` é\n    ^",
            ),
            true,
        ),
        case(
            "# `foo`",
            json!({}),
            Err(
                "Bad value for --query # `foo`: Bad jmespath expression: Unknown token #:\n# `foo`\n^",
            ),
            false,
        ),
    ]
}

/// Literals Python's `json.loads` takes but no `serde_json` value holds
/// (NaN, infinity, a lone surrogate, an integer beyond f64): jmespath.py
/// does not fall back for them, and neither does this tool, which refuses
/// them (`Bad token`) rather than read them as strings.
/// With whether jmespath.py reads it through its fallback: only the lone
/// surrogate outside quotes, a string no Rust string can hold.
fn literals_python_reads_and_this_tool_refuses() -> Vec<(String, bool)> {
    let mut exprs: Vec<(String, bool)> = [
        ("`NaN`", false),
        ("`-Infinity`", false),
        ("`[NaN]`", false),
        ("`1e400`", false),
        (r#"`"\ud800"`"#, false),
        (r"`\ud800`", true),
    ]
    .map(|(expr, fallback)| (expr.to_owned(), fallback))
    .into();
    exprs.push((format!("`{}`", "1".repeat(4300)), false));
    exprs
}

fn outcome(expr: &str, given: &Value) -> Result<Value, String> {
    Query::compile(expr).and_then(|q| q.apply(given))
}

#[test]
fn legacy_literals_are_read_as_jmespath_py_reads_them() {
    for c in legacy_literal_cases() {
        assert_eq!(
            outcome(&c.expr, &c.given),
            c.want,
            "expression {:?}",
            c.expr
        );
        // Rewritten where Python falls back (and, where Python stops at an
        // earlier error, `# `foo``, perhaps where it would have).
        let rewritten = legacy_literal::rewrite(&c.expr).is_some();
        if c.fallback || c.want.is_ok() {
            assert_eq!(rewritten, c.fallback, "expression {:?} rewritten", c.expr);
        }
    }
    for (expr, _) in literals_python_reads_and_this_tool_refuses() {
        let err = outcome(&expr, &json!({})).expect_err(&expr);
        let lexeme = &expr[1..expr.len() - 1];
        assert_eq!(
            err,
            format!(
                "Bad value for --query {expr}: Bad jmespath expression: Bad token {lexeme}:\n{expr}\n^"
            )
        );
        assert!(legacy_literal::rewrite(&expr).is_none(), "{expr}");
    }
}

/// The reference, stated in the test: runs jmespath.py (the `jmespath` pip
/// package, 1.1.0; `scripts/lib/moto.sh` installs it) on the table above.
/// Fails, not skips, without python3 and jmespath.
#[test]
fn legacy_literals_are_what_jmespath_py_gives() {
    const SCRIPT: &str = r#"
import json, sys, warnings
import jmespath
assert jmespath.__version__ == "1.1.0", jmespath.__version__
out = []
for expr, given in json.load(sys.stdin):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = {"result": json.dumps(jmespath.compile(expr).search(given))}
        except Exception as e:
            # As the AWS CLI words it (awscli/customizations/globalargs.py).
            r = {"error": "Bad value for --query %s: %s" % (expr, e)}
    r["fallback"] = any(w.category is PendingDeprecationWarning for w in caught)
    out.append(r)
json.dump(out, sys.stdout)
"#;
    let cases = legacy_literal_cases();
    let refused = literals_python_reads_and_this_tool_refuses();
    let input: Vec<(&str, &Value)> = cases
        .iter()
        .map(|c| (c.expr.as_str(), &c.given))
        .chain(refused.iter().map(|(e, _)| (e.as_str(), &Value::Null)))
        .collect();
    let answers = python_jmespath(&["-c", SCRIPT], &serde_json::to_string(&input).unwrap());
    let answers: Vec<Value> = serde_json::from_str(&answers).expect("the script prints JSON");
    assert_eq!(answers.len(), input.len());
    for (c, answer) in cases.iter().zip(&answers) {
        let python = match (&answer["result"], &answer["error"]) {
            (Value::String(result), _) => {
                Ok(serde_json::from_str::<Value>(result).expect("JSON result"))
            }
            (_, Value::String(error)) => Err(error.clone()),
            _ => panic!("unexpected answer {answer}"),
        };
        assert_eq!(python, c.want, "jmespath.py on {:?}", c.expr);
        assert_eq!(
            answer["fallback"],
            json!(c.fallback),
            "fallback for {:?}",
            c.expr
        );
    }
    for ((expr, fallback), answer) in refused.iter().zip(&answers[cases.len()..]) {
        assert!(
            answer["result"].is_string(),
            "jmespath.py reads {expr}: {answer}"
        );
        assert_eq!(answer["fallback"], json!(fallback), "{expr}");
    }
}

/// jmespath.py's warning is a `PendingDeprecationWarning`, which Python's
/// default filters ignore; the AWS CLI installs no filter that shows it, so
/// it prints nothing, and neither does this tool.
#[test]
fn jmespath_py_prints_no_warning_by_default() {
    let script = "import jmespath; print(jmespath.search('`foo`', {}))";
    let quiet = python_jmespath_output(&["-c", script]);
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "foo\n");
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    // Shown only when asked for: the check above would see it.
    let shown = python_jmespath_output(&["-W", "default", "-c", script]);
    assert!(
        String::from_utf8_lossy(&shown.stderr).contains("deprecated string literal syntax"),
        "{shown:?}"
    );
}

fn python_jmespath_output(args: &[&str]) -> std::process::Output {
    std::process::Command::new("python3")
        .args(args)
        .env_remove("PYTHONWARNINGS")
        .output()
        .expect("python3 runs (needed to check against jmespath.py)")
}

/// Runs `python3 ARGS` with `stdin`; its stdout. Panics, with how to get
/// jmespath, if it fails.
fn python_jmespath(args: &[&str], stdin: &str) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args(args)
        .env_remove("PYTHONWARNINGS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (needed to check against jmespath.py)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("python3 reads the table");
    let out = child.wait_with_output().expect("python3 finishes");
    assert!(
        out.status.success(),
        "python3 with jmespath 1.1.0 failed (python3 -m pip install jmespath==1.1.0): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn rewritten_expressions_keep_the_text_as_written() {
    let query = Query::compile("Items[?State==`available`]").expect("compiles");
    assert_eq!(query.as_str(), "Items[?State==`available`]");
}

mod literal_soup {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Quotes, backticks, backslashes and multibyte text in any order:
        /// compiling and applying never panic, and a compile error names
        /// the text as written.
        #[test]
        fn any_literal_soup_compiles_or_fails_cleanly(
            expr in proptest::collection::vec(
                proptest::sample::select(vec![
                    "`", "`", "'", "\"", "\\", " ", "\u{3000}", "é", "a", "1", "-", "N",
                    "==", "[?", "]", "|", "{", "}", ":", ",", ".", "#", "\\u00e9",
                    "\\ud800", "null",
                ]),
                0..24,
            ).prop_map(|parts| parts.concat())
        ) {
            match Query::compile(&expr) {
                Ok(query) => {
                    let _ = query.apply(&json!({"a": [1, "x"], "é": "`"}));
                }
                Err(err) => {
                    let prefix = format!("Bad value for --query {expr}: ");
                    prop_assert!(err.starts_with(&prefix), "{}", err);
                }
            }
        }
    }
}

/// Random literal contents (JSON pieces, whitespace Python strips or keeps,
/// quotes, escapes, escaped backticks), alone and compared with each
/// other: this tool's answer is jmespath.py's, result or error text, for
/// every one jmespath.py can answer in JSON.
#[test]
fn random_literals_agree_with_jmespath_py() {
    const PIECES: &[&str] = &[
        " ",
        " ",
        "\t",
        "\n",
        "\u{1c}",
        "\u{3000}",
        "\u{a0}",
        "a",
        "x",
        "1",
        "0",
        "-",
        ".",
        "e",
        "+",
        "N",
        "aN",
        "Infinity",
        "true",
        "null",
        "\"",
        "\"",
        "\\\"",
        "\\",
        "\\\\",
        "\\`",
        "\\n",
        "\\u00e9",
        "\\u0060",
        "\\ud83d\\ude00",
        "\\ud800",
        "\\x",
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        "'",
        "é",
        "\u{1}",
    ];
    const SCRIPT: &str = r#"
import json, math, sys, jmespath
from jmespath.lexer import Lexer

def unrepresentable(v):
    if isinstance(v, float):
        return not math.isfinite(v)
    if isinstance(v, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if isinstance(v, list):
        return any(map(unrepresentable, v))
    if isinstance(v, dict):
        return any(map(unrepresentable, list(v) + list(v.values())))
    return False

out = []
for expr in json.load(sys.stdin):
    try:
        if any(unrepresentable(t["value"]) for t in Lexer().tokenize(expr)):
            out.append({"unrepresentable": True})
            continue
    except Exception:
        pass
    try:
        r = {"result": json.dumps(jmespath.compile(expr).search({}))}
    except Exception as e:
        r = {"error": "Bad value for --query %s: %s" % (expr, e)}
    out.append(r)
json.dump(out, sys.stdout)
"#;
    let mut rng = fastrand::Rng::with_seed(20240612);
    let literal = |rng: &mut fastrand::Rng| {
        let len = rng.usize(0..6);
        let body: String = (0..len)
            .map(|_| PIECES[rng.usize(..PIECES.len())])
            .collect();
        format!("`{body}`")
    };
    let exprs: Vec<String> = (0..3000)
        .map(|i| {
            let a = literal(&mut rng);
            if i % 3 == 0 {
                format!("{a} == {}", literal(&mut rng))
            } else {
                a
            }
        })
        .collect();
    let answers = python_jmespath(&["-c", SCRIPT], &serde_json::to_string(&exprs).unwrap());
    let answers: Vec<Value> = serde_json::from_str(&answers).expect("the script prints JSON");
    let mut compared = 0;
    for (expr, answer) in exprs.iter().zip(&answers) {
        let python = match (&answer["result"], &answer["error"]) {
            (Value::String(result), _) => {
                Ok(serde_json::from_str::<Value>(result).expect("JSON result"))
            }
            (_, Value::String(error)) => Err(error.clone()),
            // NaN, infinity or a lone surrogate (module docs of legacy_literal).
            _ => continue,
        };
        if python
            .as_ref()
            .is_ok_and(|v| !v.is_string() && !v.is_boolean())
        {
            // JSON literals (numbers, arrays, objects) are jpx-core's own reading.
            continue;
        }
        assert_eq!(outcome(expr, &json!({})), python, "expression {expr:?}");
        compared += 1;
    }
    assert!(compared > 2000, "only {compared} compared");
}
