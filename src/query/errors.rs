//! Error texts worded as Python's `jmespath` (the AWS CLI's) words them.

use jpx_core::{Context, ErrorReason, JmespathError, RuntimeError};

/// Words a compile error the way Python's `jmespath` (used by the AWS CLI)
/// does, as far as this parser's error allows.
pub(super) fn describe_compile_error(expr: &str, err: &JmespathError) -> String {
    let reason = match &err.reason {
        ErrorReason::Parse(message) => message.clone(),
        other => other.to_string(),
    };
    if expr.is_empty() {
        return "Invalid JMESPath expression: cannot be empty.".to_owned();
    }
    // Python's position: characters from the start of the expression, not
    // of its line (it prints the whole expression, newlines and all).
    let column = err
        .expression
        .get(..err.offset.min(err.expression.len()))
        .map_or(0, |before| before.chars().count());
    let bad_literal = reason
        .starts_with("Unable to parse literal JSON ")
        .then(|| super::legacy_literal::lexeme_at(expr, err.offset))
        .flatten()
        .map(|lexeme| format!("Bad token {lexeme}"));
    if let Some(message) = bad_literal.or_else(|| lexer_message(&reason)) {
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
pub(super) fn describe_runtime_error(err: &JmespathError) -> String {
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
pub(super) fn python_error(ctx: &Context<'_>, message: String) -> JmespathError {
    JmespathError::from_ctx(ctx, ErrorReason::Parse(message))
}
