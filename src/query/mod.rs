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
//! - Literals. A backtick literal that is not JSON is read as jmespath.py
//!   reads it, as a string (`` [?State==`available`] ``): see
//!   `legacy_literal.rs`. One that still fails is Python's `Bad token`.

use std::sync::LazyLock;

use jpx_core::{Expression, Runtime};
use serde_json::Value;

mod compare;
mod errors;
mod functions;
mod legacy_literal;

use compare::{python_comparisons, register_comparators};
use errors::{describe_compile_error, describe_runtime_error};
use functions::register_python_compatible_functions;

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
    /// Compiled from the text as parsed (legacy literals rewritten), so its
    /// positions and its text agree.
    expression: Expression<'static>,
    /// The text as the user wrote it.
    written: String,
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
    /// a caret) with this parser's own description of the problem. A
    /// backtick literal that is not JSON is read as jmespath.py reads it
    /// (see `legacy_literal.rs`).
    pub fn compile(expr: &str) -> Result<Query, String> {
        let runtime: &'static Runtime = &RUNTIME;
        let rewritten = legacy_literal::rewrite(expr);
        let text = rewritten.as_ref().map_or(expr, |r| r.text.as_str());
        jpx_core::parse(text)
            .map(|mut ast| {
                python_comparisons(&mut ast);
                Query {
                    expression: Expression::new(text, ast, runtime),
                    written: expr.to_owned(),
                }
            })
            .map_err(|mut err| {
                if let Some(rewritten) = &rewritten {
                    // The position in the text the user wrote.
                    err.offset = rewritten.original_offset(err.offset);
                    err.expression = expr.to_owned();
                }
                format!(
                    "Bad value for --query {expr}: {}",
                    describe_compile_error(expr, &err)
                )
            })
    }

    /// The expression as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.written
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

#[cfg(test)]
mod tests;
