//! `--query`: compiling and applying a JMESPath expression to a response.
//!
//! This module owns the whole `--query` feature: [`Query::compile`] turns the
//! flag's text into a compiled expression (pure and cheap, so the caller can
//! do it before any configuration, credentials or network are touched), and
//! [`Query::apply`] filters a [`serde_json::Value`] with it. Errors come back
//! as the AWS CLI's message text, without the `aws: [ERROR]: …` prefix.
//!
//! The aim is to evaluate as the AWS CLI's Python `jmespath` (1.1.0) does.
//! The engine is the `jpx-core` crate without its extension functions: it
//! passes the whole official compliance suite (`tests/query_compliance.rs`
//! runs it through this module) and its values are `serde_json` values, so
//! objects keep the response's key order and a multi-select hash keeps the
//! order written (`{Z: a, A: b}` gives `Z` first), as in the AWS CLI.
//!
//! On top of it, this module makes a few things behave as in Python:
//!
//! - Comparisons. `<`, `<=`, `>` and `>=` order two numbers or two strings
//!   (by code point); any other pair gives `null`, except a string against a
//!   number, where Python raises `TypeError` and so this is an evaluation
//!   error with Python's message (`'<' not supported between instances of
//!   'str' and 'int'`). `==` and `!=` are Python's `==` on the decoded JSON:
//!   numbers compare exactly (`1 == 1.0`), and a boolean is never equal to a
//!   number at the top, but is inside arrays and objects (`[true] == [1]`).
//!   The parsed expression's comparisons are replaced by calls to functions
//!   whose names no expression can spell.
//! - `contains` uses the same equality, and a non-string needle in a string
//!   is Python's `TypeError`.
//! - Numbers: `abs`, `ceil`, `floor` and `sum` keep integers integers
//!   (`ceil(`1.2`)` is `2`, not `2.0`), `avg([])` is `null` instead of an
//!   error, and `to_number` returns `null` for anything that is not a number
//!   or a numeric string. Numbers that pass through unchanged keep their
//!   exact JSON form.

use std::cmp::Ordering;
use std::sync::LazyLock;

use jpx_core::ast::{Ast, Comparator};
use jpx_core::functions::{ArgumentType, CustomFunction, Signature};
use jpx_core::{Context, ErrorReason, Expression, JmespathError, Runtime, RuntimeError};
use serde_json::{Number, Value};

/// The runtime every expression is compiled against: the 26 built-in
/// functions, the Python-compatible replacements and the comparison functions
/// described in the module docs. `Runtime::new` (not `strict`) leaves string
/// ordering on, as in Python.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    register_python_compatible_functions(&mut runtime);
    register_comparators(&mut runtime);
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
        let runtime: &'static Runtime = &RUNTIME;
        jpx_core::parse(expr)
            .map(|mut ast| {
                python_comparisons(&mut ast);
                Query {
                    expression: Expression::new(expr, ast, runtime),
                }
            })
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
        self.expression
            .search(input)
            .map_err(|err| describe_runtime_error(&err))
    }
}

/// Words a compile error the way Python's `jmespath` (used by the AWS CLI)
/// does, as far as this parser's error allows.
fn describe_compile_error(expr: &str, err: &JmespathError) -> String {
    let reason = match &err.reason {
        ErrorReason::Parse(message) => message.clone(),
        other => other.to_string(),
    };
    if expr.is_empty() {
        return "Invalid JMESPath expression: cannot be empty.".to_owned();
    }
    let column = err.column();
    if let Some(message) = lexer_message(&reason) {
        // Python: LexerError (no quotes around the expression).
        let caret = " ".repeat(column);
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
    let caret = " ".repeat(column + 1);
    format!(
        "{message}: Parse error at column {column}{token}, for expression:\n\"{expr}\"\n{caret}^"
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
/// The wording is the one this project has always printed (the Rust
/// `jmespath` crate's), not Python's.
fn describe_runtime_error(err: &JmespathError) -> String {
    match &err.reason {
        ErrorReason::Runtime(runtime) => match runtime {
            RuntimeError::UnknownFunction(name) => format!("Unknown function: {name}()"),
            RuntimeError::TooManyArguments { expected, actual } => {
                format!("Too many arguments: expected {expected}, found {actual}")
            }
            RuntimeError::NotEnoughArguments { expected, actual } => {
                format!("Not enough arguments: expected {expected}, found {actual}")
            }
            RuntimeError::InvalidType {
                expected,
                actual,
                position,
            } => format!("Argument {position} expects type {expected}, given {actual}"),
            RuntimeError::InvalidReturnType {
                expected,
                actual,
                position,
                invocation,
            } => format!(
                "Argument {position} must return {expected} but invocation {invocation} returned {actual}"
            ),
            other => other.to_string(),
        },
        // Raised by this module's own functions (see `python_error`).
        ErrorReason::Parse(message) => message.clone(),
        other => other.to_string(),
    }
}

/// An evaluation error carrying `message` as it is (Python's `TypeError` text).
fn python_error(ctx: &Context<'_>, message: String) -> JmespathError {
    JmespathError::from_ctx(ctx, ErrorReason::Parse(message))
}

/// Python's name for the type `json.loads` gives `value`.
fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

// ---------------------------------------------------------------- comparisons

/// The function that stands for `comparator` after [`python_comparisons`].
/// An operator is no identifier, so no expression can call these by name.
fn comparator_name(comparator: &Comparator) -> &'static str {
    match comparator {
        Comparator::Equal => "==",
        Comparator::NotEqual => "!=",
        Comparator::LessThan => "<",
        Comparator::LessThanEqual => "<=",
        Comparator::GreaterThan => ">",
        Comparator::GreaterThanEqual => ">=",
    }
}

/// Replaces every comparison in `root` by a call to the function named by
/// [`comparator_name`], which compares as Python's `jmespath` does. A call
/// evaluates its two arguments in order, as a comparison does. The walk uses
/// a work list, not recursion, so no nesting the parser accepts can overflow
/// the stack.
fn python_comparisons(root: &mut Ast) {
    let mut pending: Vec<&mut Ast> = vec![root];
    while let Some(node) = pending.pop() {
        if matches!(node, Ast::Comparison { .. }) {
            let placeholder = Ast::Identity { offset: 0 };
            if let Ast::Comparison {
                offset,
                comparator,
                lhs,
                rhs,
            } = std::mem::replace(node, placeholder)
            {
                *node = Ast::Function {
                    offset,
                    name: comparator_name(&comparator).to_owned(),
                    args: vec![*lhs, *rhs],
                };
            }
        }
        match node {
            Ast::Condition {
                predicate, then, ..
            } => {
                pending.push(predicate);
                pending.push(then);
            }
            Ast::Projection { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. }
            | Ast::Subexpr { lhs, rhs, .. }
            | Ast::Comparison { lhs, rhs, .. } => {
                pending.push(lhs);
                pending.push(rhs);
            }
            Ast::Expref { ast: child, .. }
            | Ast::Flatten { node: child, .. }
            | Ast::Not { node: child, .. }
            | Ast::ObjectValues { node: child, .. } => pending.push(child),
            Ast::Function { args, .. } | Ast::MultiList { elements: args, .. } => {
                pending.extend(args.iter_mut());
            }
            Ast::MultiHash { elements, .. } => {
                pending.extend(elements.iter_mut().map(|pair| &mut pair.value));
            }
            // Leaves (fields, indices, slices, literals, `@`). `let` is not
            // compiled in (Python's `jmespath` has no `let` either).
            _ => {}
        }
    }
}

/// Registers the functions that [`python_comparisons`] calls.
fn register_comparators(runtime: &mut Runtime) {
    for comparator in [
        Comparator::Equal,
        Comparator::NotEqual,
        Comparator::LessThan,
        Comparator::LessThanEqual,
        Comparator::GreaterThan,
        Comparator::GreaterThanEqual,
    ] {
        let name = comparator_name(&comparator);
        runtime.register_function(
            name,
            Box::new(move |args: &[Value], ctx: &mut Context<'_>| {
                python_compare(&comparator, args, ctx)
            }),
        );
    }
}

/// Python `jmespath`'s comparison: `==`/`!=` are [`python_equals`]; the
/// ordering operators compare two numbers or two strings, give null for any
/// other pair, and fail as Python does for a string against a number.
fn python_compare(
    comparator: &Comparator,
    args: &[Value],
    ctx: &Context<'_>,
) -> Result<Value, JmespathError> {
    let (Some(left), Some(right)) = (args.first(), args.get(1)) else {
        return Ok(Value::Null);
    };
    let holds: fn(Ordering) -> bool = match comparator {
        Comparator::Equal => return Ok(Value::Bool(python_equals(left, right))),
        Comparator::NotEqual => return Ok(Value::Bool(!python_equals(left, right))),
        Comparator::LessThan => Ordering::is_lt,
        Comparator::LessThanEqual => Ordering::is_le,
        Comparator::GreaterThan => Ordering::is_gt,
        Comparator::GreaterThanEqual => Ordering::is_ge,
    };
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => {
            Ok(compare_numbers(a, b).map_or(Value::Null, |o| Value::Bool(holds(o))))
        }
        // Rust orders strings by UTF-8 bytes, which is code point order.
        (Value::String(a), Value::String(b)) => Ok(Value::Bool(holds(a.cmp(b)))),
        (Value::String(_), Value::Number(_)) | (Value::Number(_), Value::String(_)) => {
            Err(python_error(
                ctx,
                format!(
                    "'{}' not supported between instances of '{}' and '{}'",
                    comparator_name(comparator),
                    python_type(left),
                    python_type(right)
                ),
            ))
        }
        _ => Ok(Value::Null),
    }
}

/// Python `jmespath`'s `==`: a boolean never equals a number, otherwise
/// Python's `==` on the decoded values ([`python_eq`]).
fn python_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(_), Value::Number(_)) | (Value::Number(_), Value::Bool(_)) => false,
        _ => python_eq(a, b),
    }
}

/// Python's `==` on two `json.loads` values: numbers compare exactly across
/// int and float, `True == 1` (inside arrays and objects, where `jmespath`
/// does not step in), objects ignore key order.
fn python_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Bool(x), Value::Number(n)) | (Value::Number(n), Value::Bool(x)) => {
            compare_numbers(&Number::from(u8::from(*x)), n) == Some(Ordering::Equal)
        }
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y) == Some(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| python_eq(v, w))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| python_eq(v, w)))
        }
        _ => false,
    }
}

/// A JSON number as Python holds it: an exact integer or a float.
#[derive(Clone, Copy)]
enum PyNumber {
    Int(i128),
    Float(f64),
}

impl PyNumber {
    fn of(n: &Number) -> Option<PyNumber> {
        if let Some(i) = n.as_i64() {
            Some(PyNumber::Int(i128::from(i)))
        } else if let Some(u) = n.as_u64() {
            Some(PyNumber::Int(i128::from(u)))
        } else {
            n.as_f64().map(PyNumber::Float)
        }
    }
}

/// Python's exact ordering of two numbers (an int against a float is not
/// rounded: `2**63 > 9.223372036854775e18` holds).
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    match (PyNumber::of(a)?, PyNumber::of(b)?) {
        (PyNumber::Int(x), PyNumber::Int(y)) => Some(x.cmp(&y)),
        (PyNumber::Float(x), PyNumber::Float(y)) => x.partial_cmp(&y),
        (PyNumber::Int(i), PyNumber::Float(f)) => compare_int_float(i, f),
        (PyNumber::Float(f), PyNumber::Int(i)) => compare_int_float(i, f).map(Ordering::reverse),
    }
}

/// `i` (an `i64` or `u64`) against `f`, exactly.
fn compare_int_float(i: i128, f: f64) -> Option<Ordering> {
    // 2^64 and -2^63 are exact floats and bound every i64/u64.
    const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
    const MINUS_TWO_POW_63: f64 = -9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return None;
    }
    if f >= TWO_POW_64 {
        return Some(Ordering::Less);
    }
    if f < MINUS_TWO_POW_63 {
        return Some(Ordering::Greater);
    }
    // In range, the whole part converts to i128 exactly.
    let whole = f.trunc();
    match i.cmp(&(whole as i128)) {
        Ordering::Equal => (0.0).partial_cmp(&(f - whole)),
        other => Some(other),
    }
}

// ------------------------------------------------------------------ functions

/// Replaces built-in functions whose results differ from Python's
/// `jmespath` (and so the AWS CLI's).
fn register_python_compatible_functions(runtime: &mut Runtime) {
    let number = || ArgumentType::Number;
    let numbers = || ArgumentType::TypedArray(Box::new(ArgumentType::Number));
    runtime.register_function(
        "abs",
        Box::new(CustomFunction::new(
            Signature::new(vec![number()], None),
            Box::new(|args: &[Value], _: &mut Context<'_>| {
                Ok(number_value(number_arg(args).and_then(abs)))
            }),
        )),
    );
    runtime.register_function(
        "ceil",
        Box::new(CustomFunction::new(
            Signature::new(vec![number()], None),
            Box::new(|args: &[Value], _: &mut Context<'_>| {
                Ok(number_value(
                    number_arg(args).and_then(|n| round_with(n, f64::ceil)),
                ))
            }),
        )),
    );
    runtime.register_function(
        "floor",
        Box::new(CustomFunction::new(
            Signature::new(vec![number()], None),
            Box::new(|args: &[Value], _: &mut Context<'_>| {
                Ok(number_value(
                    number_arg(args).and_then(|n| round_with(n, f64::floor)),
                ))
            }),
        )),
    );
    runtime.register_function(
        "sum",
        Box::new(CustomFunction::new(
            Signature::new(vec![numbers()], None),
            Box::new(|args: &[Value], _: &mut Context<'_>| {
                Ok(number_value(sum(&numbers_arg(args))))
            }),
        )),
    );
    runtime.register_function(
        "avg",
        Box::new(CustomFunction::new(
            Signature::new(vec![numbers()], None),
            Box::new(|args: &[Value], _: &mut Context<'_>| {
                let values = numbers_arg(args);
                if values.is_empty() {
                    return Ok(Value::Null);
                }
                let total = sum(&values).and_then(|n| n.as_f64()).unwrap_or(f64::NAN);
                Ok(number_value(float_or_null(total / values.len() as f64)))
            }),
        )),
    );
    runtime.register_function(
        "to_number",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any], None),
            Box::new(|args: &[Value], _: &mut Context<'_>| {
                Ok(match args.first() {
                    Some(Value::Number(n)) => Value::Number(n.clone()),
                    Some(Value::String(s)) => number_value(parse_python_number(s)),
                    _ => Value::Null,
                })
            }),
        )),
    );
    runtime.register_function(
        "contains",
        Box::new(CustomFunction::new(
            Signature::new(
                vec![
                    ArgumentType::Union(vec![ArgumentType::Array, ArgumentType::String]),
                    ArgumentType::Any,
                ],
                None,
            ),
            Box::new(
                |args: &[Value], ctx: &mut Context<'_>| match (args.first(), args.get(1)) {
                    (Some(Value::Array(items)), Some(needle)) => Ok(Value::Bool(
                        items.iter().any(|item| python_eq(item, needle)),
                    )),
                    (Some(Value::String(s)), Some(Value::String(needle))) => {
                        Ok(Value::Bool(s.contains(needle.as_str())))
                    }
                    (Some(Value::String(_)), Some(needle)) => Err(python_error(
                        ctx,
                        format!(
                            "'in <string>' requires string as left operand, not {}",
                            python_type(needle)
                        ),
                    )),
                    // The signature admits nothing else.
                    _ => Ok(Value::Null),
                },
            ),
        )),
    );
}

/// A number as a JMESPath value; `None` (a non-finite result) becomes null.
fn number_value(number: Option<Number>) -> Value {
    number.map_or(Value::Null, Value::Number)
}

/// The first argument as a number (the signature already checked its type).
fn number_arg(args: &[Value]) -> Option<Number> {
    args.first().and_then(Value::as_number).cloned()
}

/// The first argument as a list of numbers (the signature already checked it).
fn numbers_arg(args: &[Value]) -> Vec<Number> {
    args.first()
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_number).cloned().collect())
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
        let input =
            json!({"i": 3, "big": 18446744073709551615_u64, "neg": -7, "f": 1.5, "whole": 2.0});
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

    /// Expected values computed with jmespath.py 1.1.0 (the AWS CLI's engine).
    #[test]
    fn key_order_and_string_comparisons_match_jmespath_py() {
        let x = json!({"b": 1, "a": 2, "c": 3});
        assert_eq!(run("keys(@)", &x), json!(["b", "a", "c"]));
        assert_eq!(run("values(@)", &x), json!([1, 2, 3]));
        assert_eq!(run("*", &x), json!([1, 2, 3]));
        let s = json!([{"Created": "2023-12-31"}, {"Created": "2024-01-01"}, {"Created": "2024-06-01"}]);
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
}
