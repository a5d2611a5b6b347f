//! Comparisons as Python evaluates them: `<` and friends on numbers and
//! strings, `==` as Python's `==` on decoded JSON.

use std::cmp::Ordering;

use jpx_core::ast::{Ast, Comparator};
use jpx_core::{Context, JmespathError, Runtime};
use serde_json::{Number, Value};

use super::errors::python_error;
use crate::python::python_type;

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
pub(super) fn python_comparisons(root: &mut Ast) {
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
pub(super) fn register_comparators(runtime: &mut Runtime) {
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
pub(super) fn python_eq(a: &Value, b: &Value) -> bool {
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
