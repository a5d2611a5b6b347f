//! `yaml` and `yaml-stream`: `awscli/formatter.py`'s `YAMLFormatter` and
//! `StreamedYAMLFormatter`, dumped the way `YAMLDumper` does.

use serde_json::Value;

use super::json::{is_empty_response, render_json, scalar_json};
use super::text::{is_scalar, sorted_entries};

pub(super) fn render_yaml(value: &Value) -> String {
    if is_empty_response(value) {
        return String::new();
    }
    dump_yaml(value)
}

pub(super) fn render_yaml_stream(value: &Value) -> String {
    if is_empty_response(value) {
        return String::new();
    }
    dump_yaml(&Value::Array(vec![value.clone()]))
}

/// `YAMLDumper.dump`: bare scalars as JSON (so no `...` document end),
/// everything else as block-style YAML with sorted keys.
fn dump_yaml(value: &Value) -> String {
    if is_scalar(value) {
        return format!("{}\n", scalar_json(value));
    }
    match serde_saphyr::to_string_with_options(&SortedYaml(value), yaml_options()) {
        Ok(mut yaml) => {
            if !yaml.ends_with('\n') {
                yaml.push('\n');
            }
            yaml
        }
        // A JSON value always serialises; fall back to JSON (valid YAML) rather than panic.
        Err(_) => render_json(value),
    }
}

/// Block style throughout: long and multi-line strings stay scalars, as
/// ruamel.yaml writes them, instead of becoming `>`/`|` blocks.
fn yaml_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! { prefer_block_scalars: false }
}

/// A JSON value serialised for YAML the way ruamel.yaml's safe dumper
/// writes it: mapping keys sorted, and strings that need quoting in single
/// quotes where that style can hold them.
struct SortedYaml<'a>(&'a Value);

impl serde::Serialize for SortedYaml<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0 {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in sorted_entries(map) {
                    out.serialize_entry(key, &SortedYaml(value))?;
                }
                out.end()
            }
            Value::Array(items) => serializer.collect_seq(items.iter().map(SortedYaml)),
            Value::String(s) if wants_single_quotes(s) => {
                serde_saphyr::SingleQuoted(s.as_str()).serialize(serializer)
            }
            other => other.serialize(serializer),
        }
    }
}

/// Whether a string needs quoting and can be single-quoted (no characters
/// that only a double-quoted scalar can escape). The YAML emitter decides
/// what needs quoting; it would otherwise use double quotes.
fn wants_single_quotes(s: &str) -> bool {
    let escapable = s.chars().all(|c| {
        !c.is_control()
            && !matches!(
                c,
                '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'
            )
    });
    escapable
        && serde_saphyr::to_string_with_options(&s, yaml_options())
            .is_ok_and(|yaml| yaml.starts_with('"'))
}

#[cfg(test)]
mod tests;
