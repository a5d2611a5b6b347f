//! Checks a request document against an operation's model before anything
//! is sent.
//!
//! It reports what botocore's ParamValidator reports, with its texts
//! (missing required, unknown parameter with the `must be one of:` list in
//! model order, invalid type, invalid minimum length), plus the documented
//! constraints the AWS CLI leaves to the server: maximum length, pattern,
//! enum membership and `CUSTOMER_MANAGED_CMK` needing `KeyARN`. All problems
//! are collected into one `Parameter validation failed:` report, which lists
//! the first [`MAX_LISTED`] and counts the rest.

use serde_json::{Map, Value};

use crate::bounds::MAX_LISTED;
use crate::error::CliError;
use crate::model::{Member, Shape, StringRules};
use crate::python::{excerpt, python_str, python_type};
use crate::terminal_text;

/// Check `doc` against `members` (the operation's input shape), plus the
/// operation's own `extra` rules, and report every problem at once.
pub fn check(
    members: &[Member],
    doc: &Map<String, Value>,
    extra: fn(&Map<String, Value>) -> Vec<String>,
) -> Result<(), CliError> {
    let mut problems = Problems::default();
    check_structure("", members, doc, &mut problems);
    for p in extra(doc) {
        problems.push(p);
    }
    if problems.total == 0 {
        Ok(())
    } else {
        Err(CliError::ParamValidation(format!(
            "Parameter validation failed:\n{}",
            terminal_text::listed(&problems.shown, problems.total, "problems")
        )))
    }
}

/// The problems found: the first [`MAX_LISTED`] kept, the rest only counted
/// (a document from a file can hold millions of unknown keys).
#[derive(Debug, Default)]
struct Problems {
    shown: Vec<String>,
    total: usize,
}

impl Problems {
    fn push(&mut self, problem: String) {
        self.total += 1;
        if self.shown.len() < MAX_LISTED {
            self.shown.push(problem);
        }
    }
}

/// botocore's order: missing required members, then unknown keys (input
/// order), then each known member's value (input order).
fn check_structure(
    path: &str,
    members: &[Member],
    obj: &Map<String, Value>,
    problems: &mut Problems,
) {
    let label = if path.is_empty() { "input" } else { path };
    for m in members
        .iter()
        .filter(|m| m.required && !obj.contains_key(m.name))
    {
        problems.push(format!(
            "Missing required parameter in {label}: \"{}\"",
            m.name
        ));
    }
    let names: Vec<&str> = members.iter().map(|m| m.name).collect();
    for key in obj.keys().filter(|k| !names.contains(&k.as_str())) {
        problems.push(format!(
            "Unknown parameter in {label}: \"{key}\", must be one of: {}",
            names.join(", ")
        ));
    }
    for (key, value) in obj {
        if let Some(m) = members.iter().find(|m| m.name == key) {
            let member_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            check_value(&member_path, &m.shape, value, problems);
        }
    }
    for m in members {
        if let Some((sibling, when)) = m.required_when
            && !obj.contains_key(m.name)
            && obj.get(sibling).and_then(Value::as_str) == Some(when)
        {
            problems.push(format!(
                "Missing required parameter in {label}: \"{}\" (required when {sibling} is {when})",
                m.name
            ));
        }
    }
}

fn check_value(path: &str, shape: &Shape, value: &Value, problems: &mut Problems) {
    match (shape, value) {
        (Shape::String(rules), Value::String(s)) => {
            if let Some(p) = string_problem(path, rules, s) {
                problems.push(p);
            }
        }
        (Shape::Structure(members), Value::Object(obj)) => check_structure(path, members, obj, problems),
        (shape, other) => problems.push(format!(
            "Invalid type for parameter {path}, value: {}, type: <class '{}'>, valid types: <class '{}'>",
            python_str(other),
            python_type(other),
            match shape {
                Shape::String(_) => "str",
                Shape::Structure(_) => "dict",
            }
        )),
    }
}

/// The first rule `s` breaks, in the order min length, max length, enum, pattern.
fn string_problem(path: &str, rules: &StringRules, s: &str) -> Option<String> {
    let len = s.chars().count();
    if len < rules.min {
        return Some(format!(
            "Invalid length for parameter {path}, value: {len}, valid min length: {}",
            rules.min
        ));
    }
    if let Some(max) = rules.max.filter(|&max| len > max) {
        return Some(format!(
            "Invalid length for parameter {path}, value: {len}, valid max length: {max}"
        ));
    }
    let quoted = Value::String(excerpt(s)).to_string();
    if !rules.enum_values.is_empty() && !rules.enum_values.contains(&s) {
        return Some(format!(
            "Invalid value for parameter {path}, value: {quoted}, valid values: {}",
            rules.enum_values.join(", ")
        ));
    }
    match rules.pattern {
        Some(pattern) if !full_match(pattern, s) => Some(format!(
            "Invalid value for parameter {path}, value: {quoted}, valid pattern: {pattern}"
        )),
        _ => None,
    }
}

/// `--endpoint-url` must carry an http or https scheme (AWS CLI's check and text).
pub fn endpoint_url(url: &str) -> Result<(), CliError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(CliError::ParamValidation(format!(
            "Bad value for --endpoint-url \"{url}\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/"
        )))
    }
}

/// Whether the whole of `s` matches `pattern` (service patterns are anchored).
fn full_match(pattern: &str, s: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firehose::model;

    #[test]
    fn a_document_with_many_problems_lists_the_first_and_counts_the_rest() {
        let mut doc = Map::new();
        doc.insert("DeliveryStreamName".into(), Value::from("s1"));
        for i in 0..1000 {
            doc.insert(format!("Unknown{i}"), Value::from(1));
        }
        let message = check(model::INPUT, &doc, |_| Vec::new())
            .unwrap_err()
            .message()
            .to_owned();
        assert!(message.contains("\"Unknown19\""), "{message}");
        assert!(!message.contains("\"Unknown20\""), "{message}");
        assert!(
            message.ends_with("\n… 980 more problems not shown"),
            "{message}"
        );
    }
}
