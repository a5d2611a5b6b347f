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
