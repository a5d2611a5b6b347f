//! `--query`: compiling and applying a JMESPath expression to a response.
//!
//! This module owns the whole `--query` feature: [`Query::compile`] turns the
//! flag's text into a compiled expression (pure and cheap, so the caller can
//! do it before any configuration, credentials or network are touched), and
//! [`Query::apply`] filters a [`serde_json::Value`] with it. Errors come back
//! as the AWS CLI's message text, without the `aws: [ERROR]: …` prefix.
//!
//! The engine is the `jmespath` crate (the JMESPath organisation's Rust
//! implementation, which passes the official compliance suite). A few
//! built-in functions are replaced so that numbers behave as in the AWS
//! CLI's Python `jmespath`: `abs`, `ceil`, `floor` and `sum` keep integers
//! integers (`ceil(`1.2`)` is `2`, not `2.0`), `avg([])` is `null` instead of
//! an error, and `to_number` returns `null` for anything that is not a
//! number or a numeric string. Numbers that pass through unchanged keep
//! their exact JSON form.
//!
//! Known limitation: the crate stores objects in a `BTreeMap`, so every
//! object in a query's result has its keys sorted by code point. The AWS CLI
//! keeps the response's (model) order and the order written in a
//! multi-select hash (`{Z: a, A: b}` prints `Z` first). This only shows in
//! `--output json`; text and table output sort keys anyway, and our YAML
//! output sorts them as the reference says the AWS CLI does.

use std::sync::LazyLock;

use jmespath::functions::{ArgumentType, CustomFunction, Signature};
use jmespath::{
    Context, ErrorReason, Expression, JmespathError, Rcvar, Runtime, RuntimeError, Variable,
};
use serde_json::{Number, Value};

/// The runtime every expression is compiled against: the built-in functions
/// with the Python-compatible replacements described in the module docs.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    register_python_compatible_functions(&mut runtime);
    runtime
});

/// A compiled `--query` expression.
#[derive(Clone, Debug)]
pub struct Query {
    expression: Expression<'static>,
}

impl Query {
    /// Compiles `expr`.
    ///
    /// The error is the AWS CLI's message text without any prefix, e.g.
    /// ``Bad value for --query [[[: Invalid jmespath expression: Incomplete expression:\n"[[["\n    ^``.
    /// The parser message is worded as Python's `jmespath` words it (empty
    /// and incomplete expressions, unknown tokens, unclosed quotes,
    /// unexpected tokens, a bad `.` or slice); any other syntax error keeps
    /// Python's layout (message, column, token, the expression in quotes and
    /// a caret) with this parser's own description of the problem.
    pub fn compile(expr: &str) -> Result<Query, String> {
        RUNTIME
            .compile(expr)
            .map(|expression| Query { expression })
            .map_err(|err| {
                format!(
                    "Bad value for --query {expr}: {}",
                    describe_compile_error(expr, &err)
                )
            })
    }

    /// The expression as the user wrote it.
    pub fn as_str(&self) -> &str {
        self.expression.as_str()
    }

    /// Applies the expression to `input`. A path that matches nothing gives
    /// `Value::Null`. The error is the evaluation error's message, e.g.
    /// `Unknown function: nosuch()` or
    /// `Argument 0 expects type array, given object`.
    pub fn apply(&self, input: &Value) -> Result<Value, String> {
        let result = self
            .expression
            .search(input)
            .map_err(|err| describe_runtime_error(&err))?;
        serde_json::to_value(&*result).map_err(|err| err.to_string())
    }
}

/// Words a compile error the way Python's `jmespath` (used by the AWS CLI)
/// does, as far as this parser's error allows.
fn describe_compile_error(expr: &str, err: &JmespathError) -> String {
    let reason = match &err.reason {
        ErrorReason::Parse(message) => message.clone(),
        ErrorReason::Runtime(runtime) => runtime.to_string(),
    };
    if expr.is_empty() {
        return "Invalid JMESPath expression: cannot be empty.".to_owned();
    }
    if let Some(message) = lexer_message(&reason) {
        // Python: LexerError (no quotes around the expression).
        let caret = " ".repeat(err.column);
        return format!("Bad jmespath expression: {message}:\n{expr}\n{caret}^");
    }
    let (message, token) = match reason.split_once(" -- found ") {
        Some((message, token)) => (message, python_token(token)),
        None => (reason.as_str(), None),
    };
    let message = match (message, &token) {
        ("Did not parse the complete expression", Some((value, _))) => {
            format!("Unexpected token: {value}")
        }
        ("Expected identifier, '*', '{', '[', '&', or '[?'", Some((_, kind))) => format!(
            "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}",
            kind.to_lowercase()
        ),
        ("Expected number, ':', or ']'", Some(_)) => "syntax error".to_owned(),
        (_, Some((_, "EOF"))) => {
            // Python: IncompleteExpressionError (the caret sits past the end).
            let caret = " ".repeat(expr.chars().count() + 1);
            return format!(
                "Invalid jmespath expression: Incomplete expression:\n\"{expr}\"\n{caret}^"
            );
        }
        ("Unexpected nud token", Some(_)) => "invalid token".to_owned(),
        (message, _) => message.to_owned(),
    };
    // Python: ParseError.
    let token = token.map_or_else(String::new, |(value, kind)| {
        format!(", token \"{value}\" ({kind})")
    });
    let caret = " ".repeat(err.column + 1);
    format!(
        "{message}: Parse error at column {}{token}, for expression:\n\"{expr}\"\n{caret}^",
        err.column
    )
}

/// Python's wording for the errors its lexer raises, if `reason` is one.
fn lexer_message(reason: &str) -> Option<String> {
    if reason.starts_with("Unclosed ") {
        // "Unclosed ' delimiter: 'abc" -> "Unclosed ' delimiter".
        reason.split(": ").next().map(str::to_owned)
    } else if let Some(c) = reason.strip_prefix("Invalid character: ") {
        Some(format!("Unknown token {c}"))
    } else if reason == "Expected valid number" || reason.starts_with("'-' must be followed") {
        Some(reason.to_owned())
    } else {
        None
    }
}

/// A token as this parser's error shows it (`Identifier("b")`, `Rbracket`),
/// as Python's `jmespath` shows it: its text and its upper-cased type.
fn python_token(debug: &str) -> Option<(String, &'static str)> {
    let inner = |prefix: &str| {
        debug
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
            .map(|quoted| {
                serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.to_owned())
            })
    };
    if let Some(name) = inner("Identifier(") {
        return Some((name, "UNQUOTED_IDENTIFIER"));
    }
    if let Some(name) = inner("QuotedIdentifier(") {
        return Some((name, "QUOTED_IDENTIFIER"));
    }
    if let Some(number) = debug
        .strip_prefix("Number(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return Some((number.to_owned(), "NUMBER"));
    }
    let (value, kind) = match debug {
        "Dot" => (".", "DOT"),
        "Star" => ("*", "STAR"),
        "Flatten" => ("[]", "FLATTEN"),
        "And" => ("&&", "AND"),
        "Or" => ("||", "OR"),
        "Pipe" => ("|", "PIPE"),
        "Filter" => ("[?", "FILTER"),
        "Lbracket" => ("[", "LBRACKET"),
        "Rbracket" => ("]", "RBRACKET"),
        "Comma" => (",", "COMMA"),
        "Colon" => (":", "COLON"),
        "Not" => ("!", "NOT"),
        "Ne" => ("!=", "NE"),
        "Eq" => ("==", "EQ"),
        "Gt" => (">", "GT"),
        "Gte" => (">=", "GTE"),
        "Lt" => ("<", "LT"),
        "Lte" => ("<=", "LTE"),
        "At" => ("@", "CURRENT"),
        "Ampersand" => ("&", "EXPREF"),
        "Lparen" => ("(", "LPAREN"),
        "Rparen" => (")", "RPAREN"),
        "Lbrace" => ("{", "LBRACE"),
        "Rbrace" => ("}", "RBRACE"),
        "Eof" => ("", "EOF"),
        _ => return None,
    };
    Some((value.to_owned(), kind))
}

/// Words an evaluation error without the parser's line/column decoration.
fn describe_runtime_error(err: &JmespathError) -> String {
    match &err.reason {
        ErrorReason::Runtime(RuntimeError::UnknownFunction(name)) => {
            format!("Unknown function: {name}()")
        }
        ErrorReason::Runtime(runtime) => runtime.to_string(),
        ErrorReason::Parse(message) => message.clone(),
    }
}

/// Replaces the crate's float-only numeric functions with ones that follow
/// Python's `jmespath` (and so the AWS CLI).
fn register_python_compatible_functions(runtime: &mut Runtime) {
    let number = || ArgumentType::Number;
    let numbers = || ArgumentType::TypedArray(Box::new(ArgumentType::Number));
    runtime.register_function(
        "abs",
        Box::new(CustomFunction::new(
            Signature::new(vec![number()], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| Ok(number_var(abs(number_arg(args)?)))),
        )),
    );
    runtime.register_function(
        "ceil",
        Box::new(CustomFunction::new(
            Signature::new(vec![number()], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                Ok(number_var(round_with(number_arg(args)?, f64::ceil)))
            }),
        )),
    );
    runtime.register_function(
        "floor",
        Box::new(CustomFunction::new(
            Signature::new(vec![number()], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                Ok(number_var(round_with(number_arg(args)?, f64::floor)))
            }),
        )),
    );
    runtime.register_function(
        "sum",
        Box::new(CustomFunction::new(
            Signature::new(vec![numbers()], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| Ok(number_var(sum(&numbers_arg(args))))),
        )),
    );
    runtime.register_function(
        "avg",
        Box::new(CustomFunction::new(
            Signature::new(vec![numbers()], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                let values = numbers_arg(args);
                if values.is_empty() {
                    return Ok(Rcvar::new(Variable::Null));
                }
                let total = sum(&values).and_then(|n| n.as_f64()).unwrap_or(f64::NAN);
                Ok(number_var(float_or_null(total / values.len() as f64)))
            }),
        )),
    );
    runtime.register_function(
        "to_number",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                Ok(match args.first().map(|arg| &**arg) {
                    Some(Variable::Number(n)) => Rcvar::new(Variable::Number(n.clone())),
                    Some(Variable::String(s)) => number_var(parse_python_number(s)),
                    _ => Rcvar::new(Variable::Null),
                })
            }),
        )),
    );
}

/// A number as a JMESPath value; `None` (a non-finite result) becomes null.
fn number_var(number: Option<Number>) -> Rcvar {
    Rcvar::new(number.map_or(Variable::Null, Variable::Number))
}

/// The first argument as a number (the signature already checked its type).
fn number_arg(args: &[Rcvar]) -> Result<Number, JmespathError> {
    match args.first().map(|arg| &**arg) {
        Some(Variable::Number(n)) => Ok(n.clone()),
        _ => Err(JmespathError::new(
            "",
            0,
            ErrorReason::Parse("Expected args[0] to be a number".to_owned()),
        )),
    }
}

/// The first argument as a list of numbers (the signature already checked it).
fn numbers_arg(args: &[Rcvar]) -> Vec<Number> {
    args.first()
        .and_then(|arg| arg.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match &**item {
                    Variable::Number(n) => Some(n.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A float as a JSON number, or `None` when it is NaN or infinite.
fn float_or_null(value: f64) -> Option<Number> {
    Number::from_f64(value)
}

/// Python's `abs`: integers stay integers.
fn abs(n: Number) -> Option<Number> {
    if let Some(i) = n.as_i64() {
        Some(Number::from(i.unsigned_abs()))
    } else if n.is_u64() {
        Some(n)
    } else {
        float_or_null(n.as_f64()?.abs())
    }
}

/// Python's `math.ceil` / `math.floor`: the result is an integer.
fn round_with(n: Number, round: fn(f64) -> f64) -> Option<Number> {
    if !n.is_f64() {
        return Some(n);
    }
    let rounded = round(n.as_f64()?);
    // `as` saturates; the range check keeps only exact conversions.
    if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&rounded) {
        Some(Number::from(rounded as i64))
    } else {
        float_or_null(rounded)
    }
}

/// Python's `sum`: an integer while every term is one, else a float.
fn sum(values: &[Number]) -> Option<Number> {
    let mut int_total: Option<i128> = Some(0);
    let mut float_total = 0.0_f64;
    for n in values {
        float_total += n.as_f64().unwrap_or(f64::NAN);
        int_total = match (int_total, n.as_i64(), n.as_u64()) {
            (Some(total), Some(i), _) => total.checked_add(i128::from(i)),
            (Some(total), None, Some(u)) => total.checked_add(i128::from(u)),
            _ => None,
        };
    }
    match int_total {
        Some(total) => match (i64::try_from(total), u64::try_from(total)) {
            (Ok(i), _) => Some(Number::from(i)),
            (_, Ok(u)) => Some(Number::from(u)),
            _ => float_or_null(float_total),
        },
        None => float_or_null(float_total),
    }
}

/// Python's `to_number` on a string: `int(s)`, else `float(s)`, else null.
fn parse_python_number(s: &str) -> Option<Number> {
    let trimmed = s.trim();
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
        if let Ok(i) = unsigned.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = unsigned.parse::<u64>() {
            return Some(Number::from(u));
        }
    }
    let looks_numeric = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if looks_numeric {
        trimmed.parse::<f64>().ok().and_then(float_or_null)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
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
    fn multi_select_hash_builds_an_object_with_sorted_keys() {
        let got = run(
            "DeliveryStreamDescription.{Name:DeliveryStreamName,Type:DeliveryStreamType,Enc:DeliveryStreamEncryptionConfiguration.Status}",
            &stream(),
        );
        assert_eq!(
            got,
            json!({"Enc": "ENABLED", "Name": "s1", "Type": "DirectPut"})
        );
        let keys: Vec<&String> = got.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            ["Enc", "Name", "Type"],
            "known limitation: keys come out sorted"
        );
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
        let input =
            json!({"i": 3, "big": 18446744073709551615_u64, "neg": -7, "f": 1.5, "whole": 2.0});
        let got = run("@", &input);
        assert_eq!(
            serde_json::to_string(&got).expect("serialises"),
            r#"{"big":18446744073709551615,"f":1.5,"i":3,"neg":-7,"whole":2.0}"#
        );
        assert!(run("i", &input).is_i64());
        assert!(run("whole", &input).is_f64());
        assert_eq!(run("`42`", &input), json!(42));
    }

    #[test]
    fn numeric_functions_follow_python_jmespath() {
        let input = json!({"ints": [1, 2, 3], "mixed": [1, 2.5], "empty": [], "n": -4, "x": -1.5, "f": 1.2});
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
        let query =
            Query::compile("DeliveryStreamDescription.DeliveryStreamName").expect("compiles");
        assert_eq!(
            query.as_str(),
            "DeliveryStreamDescription.DeliveryStreamName"
        );
        assert_eq!(query.apply(&stream()).expect("applies"), json!("s1"));
        assert_eq!(query.apply(&json!({})).expect("applies"), Value::Null);
    }
}
