//! The built-in functions replaced with Python-compatible ones (numbers).

use jpx_core::functions::{ArgumentType, CustomFunction, Signature};
use jpx_core::{Context, Runtime};
use serde_json::{Number, Value};

use super::compare::python_eq;
use super::errors::python_error;
use crate::python::python_type;

/// Replaces built-in functions whose results differ from Python's
/// `jmespath` (and so the AWS CLI's).
pub(super) fn register_python_compatible_functions(runtime: &mut Runtime) {
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
