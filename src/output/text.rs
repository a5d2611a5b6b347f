//! `text`: a port of `awscli/text.py`, tab-separated lines.

use serde_json::{Map, Value};

use crate::python::python_str;

pub(super) fn render_text(value: &Value) -> String {
    let mut out = String::new();
    format_text(value, &mut out, None, None);
    out
}

fn format_text(
    item: &Value,
    out: &mut String,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    match item {
        Value::Object(map) => format_text_dict(scalar_keys, map, identifier, out),
        Value::Array(items) => format_text_list(items, identifier, out),
        scalar => {
            out.push_str(&python_str(scalar));
            out.push('\n');
        }
    }
}

fn format_text_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let all_keys = all_scalar_keys(items);
        for element in items {
            format_text(element, out, identifier, Some(&all_keys));
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, non_scalars): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|item| is_scalar(item));
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for non_scalar in non_scalars {
            format_text(non_scalar, out, identifier, None);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        format_scalar_list(&scalars, identifier, out);
    }
}

fn format_scalar_list(elements: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            let identifier = identifier.to_uppercase();
            for item in elements {
                out.push_str(&identifier);
                out.push('\t');
                out.push_str(&python_str(item));
                out.push('\n');
            }
        }
        None => {
            let line: Vec<String> = elements.iter().map(|item| python_str(item)).collect();
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn format_text_dict(
    scalar_keys: Option<&[String]>,
    map: &Map<String, Value>,
    identifier: Option<&str>,
    out: &mut String,
) {
    let (mut scalars, non_scalars) = partition_dict(map, scalar_keys);
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in non_scalars {
        format_text(value, out, Some(key), None);
    }
}

/// The keys, sorted, whose values are scalars in any dict of the list.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|map| {
            map.iter()
                .filter(|(_, value)| is_scalar(value))
                .map(|(key, _)| key.clone())
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Splits a dict into its scalar values (as text, in key order) and its
/// non-scalar entries (sorted by key).
fn partition_dict<'a>(
    map: &'a Map<String, Value>,
    scalar_keys: Option<&[String]>,
) -> (Vec<String>, Vec<(&'a str, &'a Value)>) {
    let mut scalars = Vec::new();
    let mut non_scalars = Vec::new();
    match scalar_keys {
        None => {
            for (key, value) in sorted_entries(map) {
                if is_scalar(value) {
                    scalars.push(python_str(value));
                } else {
                    non_scalars.push((key, value));
                }
            }
        }
        Some(scalar_keys) => {
            for key in scalar_keys {
                scalars.push(map.get(key).map_or_else(String::new, python_str));
            }
            for (key, value) in sorted_entries(map) {
                if !scalar_keys.iter().any(|scalar_key| scalar_key == key) {
                    non_scalars.push((key, value));
                }
            }
        }
    }
    (scalars, non_scalars)
}

pub(super) fn sorted_entries(map: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut entries: Vec<(&str, &Value)> = map
        .iter()
        .map(|(key, value)| (key.as_str(), value))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

pub(super) fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

#[cfg(test)]
mod tests;
