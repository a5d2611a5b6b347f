//! One entry of an accounts file, checked whole: each field against its
//! rule, every problem returned (one per field) so that the file's reader
//! reports them all at once with the file and the entry.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use crate::accounts::credentials::{check_external_id, role_arn_account};
use crate::accounts::{Candidate, Reach, regions};
use crate::terminal_text;

/// The keys of an account entry this tool uses.
const KEYS: [&str; 7] = [
    "account_id",
    "name",
    "role",
    "external_id",
    "profile",
    "regions",
    "tags",
];

/// The keys of an account entry c7n-org knows and this tool ignores.
const IGNORED_KEYS: [&str; 4] = ["display_name", "org_id", "email", "vars"];

/// A field's value, or the rule it breaks.
type Checked<T> = Result<T, String>;

/// The account an entry describes, or every rule it breaks.
pub(super) fn account(entry: &Value) -> Result<Candidate, Vec<String>> {
    let Value::Object(fields) = entry else {
        return Err(vec![
            "an account must be a mapping of account_id, role or profile, …".to_owned(),
        ]);
    };
    let mut problems = Vec::new();
    for key in fields.keys() {
        if !KEYS.contains(&key.as_str()) && !IGNORED_KEYS.contains(&key.as_str()) {
            problems.push(format!(
                "unknown key `{}` (an account has {})",
                terminal_text::value(key),
                KEYS.join(", ")
            ));
        }
    }
    let id = keep(&mut problems, account_id(fields));
    let name = keep(&mut problems, text(fields, "name")).flatten();
    let profile = keep(&mut problems, text(fields, "profile")).flatten();
    let external_id = keep(
        &mut problems,
        text(fields, "external_id").and_then(|id| {
            if let Some(id) = &id {
                check_external_id(id).map_err(|rule| format!("external_id {rule}"))?;
            }
            Ok(id)
        }),
    )
    .flatten();
    let arns = keep(&mut problems, roles(fields, id.as_deref())).flatten();
    let regions = keep(&mut problems, region_list(fields)).flatten();
    let tags = keep(&mut problems, tag_map(fields)).unwrap_or_default();
    if !fields.contains_key("role") && !fields.contains_key("profile") {
        problems.push("needs a role or a profile to be reached".to_owned());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let reach = match (arns, profile) {
        (Some(arns), profile) => Reach::Role {
            arns,
            external_id,
            profile,
        },
        (None, Some(profile)) => Reach::Profile(profile),
        (None, None) => return Err(vec!["needs a role or a profile to be reached".to_owned()]),
    };
    Ok(Candidate {
        id,
        name,
        reach,
        regions,
        tags,
    })
}

/// A field's value, its problem recorded when it has one.
fn keep<T>(problems: &mut Vec<String>, checked: Checked<T>) -> Option<T> {
    checked.map_err(|rule| problems.push(rule)).ok()
}

/// `account_id`: required, 12 digits. An unquoted number is taken when it
/// has 12 digits; one that lost its leading zeros says to quote it.
fn account_id(fields: &Map<String, Value>) -> Checked<String> {
    let id = match fields.get("account_id") {
        None => return Err("account_id is required".to_owned()),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if let Some(number) = whole_number(n) => {
            let digits = number.to_string();
            if digits.len() != 12 {
                return Err(format!(
                    "account_id {digits} must be 12 digits: quote it (\"0…\"), as an unquoted number loses its leading zeros"
                ));
            }
            digits
        }
        Some(other) => {
            return Err(format!(
                "account_id must be a string of 12 digits, not {}",
                kind(other)
            ));
        }
    };
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "account_id \"{}\" must be 12 digits",
            terminal_text::value(&id)
        ));
    }
    Ok(id)
}

/// An optional non-empty string.
fn text(fields: &Map<String, Value>, key: &str) -> Checked<Option<String>> {
    match fields.get(key) {
        None => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(format!("{key} is empty")),
        Some(other) => Err(format!("{key} must be a string, not {}", kind(other))),
    }
}

/// `role`: one ARN, a bare role name in the entry's account (c7n-org's
/// shorthand), or a list of ARNs (a chain) whose last is in the entry's
/// account.
fn roles(fields: &Map<String, Value>, id: Option<&str>) -> Checked<Option<Vec<String>>> {
    let arns: Vec<String> = match fields.get("role") {
        None => return Ok(None),
        Some(Value::String(role)) if !role.starts_with("arn") && !role.is_empty() => {
            vec![format!(
                "arn:aws:iam::{}:role/{role}",
                id.unwrap_or("000000000000")
            )]
        }
        Some(Value::String(role)) => vec![role.clone()],
        Some(Value::Array(items)) if items.is_empty() => {
            return Err("role: the chain lists no role".to_owned());
        }
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "role: each role of a chain must be an ARN string, not {}",
                    kind(other)
                )),
            })
            .collect::<Checked<_>>()?,
        Some(other) => {
            return Err(format!(
                "role must be an ARN or a list of ARNs, not {}",
                kind(other)
            ));
        }
    };
    let mut last = None;
    for arn in &arns {
        last = Some(role_arn_account(arn).ok_or_else(|| {
            format!(
                "role \"{}\" is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)",
                terminal_text::value(arn)
            )
        })?);
    }
    if let (Some(last), Some(id)) = (last, id)
        && last != id
    {
        return Err(format!(
            "role: the last role assumed is in account {last}, not in account_id {id}"
        ));
    }
    Ok(Some(arns))
}

/// `regions`: a list of region names, each once, or `[all]`; an empty list
/// is none (the run's `--regions` apply).
fn region_list(fields: &Map<String, Value>) -> Checked<Option<Vec<String>>> {
    let items = match fields.get("regions") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(format!(
                "regions must be a list of region names, not {}",
                kind(other)
            ));
        }
    };
    let mut names: Vec<String> = Vec::new();
    for item in items {
        let Value::String(name) = item else {
            return Err(format!(
                "regions: each region must be a string, not {}",
                kind(item)
            ));
        };
        if name == "all" && items.len() > 1 {
            return Err("regions: `all` stands alone".to_owned());
        }
        if name != "all" {
            regions::check_name(name).map_err(|rule| format!("regions: {rule}"))?;
        }
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    Ok((!names.is_empty()).then_some(names))
}

/// `tags`: a list of `key:value` strings (c7n-org's form), into a map. A
/// tag without `:` is a key with an empty value; a key given twice with
/// different values is refused.
fn tag_map(fields: &Map<String, Value>) -> Checked<BTreeMap<String, String>> {
    let mut tags = BTreeMap::new();
    let items = match fields.get("tags") {
        None | Some(Value::Null) => return Ok(tags),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(format!(
                "tags must be a list of \"key:value\" strings, not {}",
                kind(other)
            ));
        }
    };
    for item in items {
        let Value::String(tag) = item else {
            return Err(format!(
                "tags: each tag must be a \"key:value\" string, not {}",
                kind(item)
            ));
        };
        let (key, value) = tag.split_once(':').unwrap_or((tag.as_str(), ""));
        if key.is_empty() {
            return Err(format!(
                "tags: \"{}\" has no key",
                terminal_text::value(tag)
            ));
        }
        match tags.get(key) {
            Some(earlier) if earlier != value => {
                return Err(format!(
                    "tags: the key \"{}\" is given twice",
                    terminal_text::value(key)
                ));
            }
            _ => {
                tags.insert(key.to_owned(), value.to_owned());
            }
        }
    }
    Ok(tags)
}

/// An unquoted whole number (YAML may read `012345678901` as a float).
pub(super) fn whole_number(n: &Number) -> Option<u64> {
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..1e15).contains(f))
            // In range and whole: the conversion is exact.
            .map(|f| f as u64)
    })
}

/// What a YAML value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
