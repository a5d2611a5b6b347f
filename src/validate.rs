//! Checks a request document against the model before anything is sent, and
//! turns it into a typed [`StartRequest`].
//!
//! It reports what botocore's ParamValidator reports, with its texts
//! (missing required, unknown parameter with the `must be one of:` list in
//! model order, invalid type, invalid minimum length), plus the documented
//! constraints the AWS CLI leaves to the server: maximum length, pattern,
//! enum membership and `CUSTOMER_MANAGED_CMK` needing `KeyARN`. All problems
//! are collected into one `Parameter validation failed:` report.

use serde_json::{Map, Value};

use crate::error::CliError;
use crate::model::{self, Member, Shape, StringRules};
use crate::python::{excerpt, python_str, python_type};

/// A request that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartRequest {
    /// `DeliveryStreamName`.
    pub delivery_stream_name: String,
    /// `DeliveryStreamEncryptionConfigurationInput`; `None` sends no structure.
    pub encryption: Option<EncryptionInput>,
}

impl StartRequest {
    /// The key asked for, as the waiter's `Requested` matchers read it:
    /// `KeyType` and `KeyARN` when given, empty when no structure is sent.
    pub fn requested_key(&self) -> Map<String, Value> {
        let mut key = Map::new();
        if let Some(enc) = &self.encryption {
            key.insert("KeyType".into(), Value::from(enc.key_type.as_str()));
            if let Some(arn) = &enc.key_arn {
                key.insert("KeyARN".into(), Value::from(arn.as_str()));
            }
        }
        key
    }
}

/// `DeliveryStreamEncryptionConfigurationInput`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionInput {
    /// `KeyARN`.
    pub key_arn: Option<String>,
    /// `KeyType`: one of [`model::KEY_TYPES`].
    pub key_type: String,
}

/// Validate `doc` and build the typed request, or report every problem.
pub fn request(doc: &Map<String, Value>) -> Result<StartRequest, CliError> {
    let mut problems = Vec::new();
    check_structure("", model::INPUT, doc, &mut problems);
    if !problems.is_empty() {
        return Err(CliError::ParamValidation(format!(
            "Parameter validation failed:\n{}",
            problems.join("\n")
        )));
    }
    let text = |obj: &Map<String, Value>, key: &str| {
        obj.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let encryption = doc
        .get("DeliveryStreamEncryptionConfigurationInput")
        .and_then(Value::as_object)
        .map(|enc| EncryptionInput {
            key_arn: text(enc, "KeyARN"),
            key_type: text(enc, "KeyType").unwrap_or_default(),
        });
    Ok(StartRequest {
        delivery_stream_name: text(doc, "DeliveryStreamName").unwrap_or_default(),
        encryption,
    })
}

/// botocore's order: missing required members, then unknown keys (input
/// order), then each known member's value (input order).
fn check_structure(
    path: &str,
    members: &[Member],
    obj: &Map<String, Value>,
    problems: &mut Vec<String>,
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

fn check_value(path: &str, shape: &Shape, value: &Value, problems: &mut Vec<String>) {
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
    use serde_json::json;

    fn check(v: Value) -> Result<StartRequest, String> {
        request(v.as_object().unwrap()).map_err(|e| match e {
            CliError::ParamValidation(m) => m,
            other => panic!("unexpected {other:?}"),
        })
    }

    const ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn valid_requests_become_typed() {
        assert_eq!(
            check(json!({"DeliveryStreamName": "s1"})).unwrap(),
            StartRequest {
                delivery_stream_name: "s1".into(),
                encryption: None
            }
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "a.b_c-1", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": ARN}}))
                .unwrap()
                .encryption,
            Some(EncryptionInput { key_arn: Some(ARN.into()), key_type: "CUSTOMER_MANAGED_CMK".into() })
        );
        let alias = "arn:aws-cn:kms:cn-north-1:123456789012:alias/my/key";
        assert!(check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": alias}})).is_ok());
    }

    #[test]
    fn botocore_missing_and_unknown_messages_in_botocore_order() {
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"Foo": "x"}})).unwrap_err(),
            "Parameter validation failed:\n\
             Missing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyType\"\n\
             Unknown parameter in DeliveryStreamEncryptionConfigurationInput: \"Foo\", must be one of: KeyARN, KeyType"
        );
        assert_eq!(
            check(json!({"Bogus": 1})).unwrap_err(),
            "Parameter validation failed:\n\
             Missing required parameter in input: \"DeliveryStreamName\"\n\
             Unknown parameter in input: \"Bogus\", must be one of: DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput"
        );
    }

    #[test]
    fn botocore_type_and_min_length_messages() {
        assert_eq!(
            check(json!({"DeliveryStreamName": ""})).unwrap_err(),
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamName, value: 0, valid min length: 1"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": ["a", "b"]}})).unwrap_err(),
            "Parameter validation failed:\nInvalid type for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: ['a', 'b'], type: <class 'list'>, valid types: <class 'str'>"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": "KeyType"})).unwrap_err(),
            "Parameter validation failed:\nInvalid type for parameter DeliveryStreamEncryptionConfigurationInput, value: KeyType, type: <class 'str'>, valid types: <class 'dict'>"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK", "KeyARN": null}})).unwrap_err(),
            "Parameter validation failed:\nInvalid type for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: None, type: <class 'NoneType'>, valid types: <class 'str'>"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": ""}})).unwrap_err(),
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: 0, valid min length: 1"
        );
    }

    #[test]
    fn extra_checks_name_path_value_and_rule() {
        let long = "a".repeat(65);
        assert_eq!(
            check(json!({"DeliveryStreamName": long})).unwrap_err(),
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamName, value: 65, valid max length: 64"
        );
        assert!(check(json!({"DeliveryStreamName": "a".repeat(64)})).is_ok());
        assert_eq!(
            check(json!({"DeliveryStreamName": "bad name!"})).unwrap_err(),
            "Parameter validation failed:\nInvalid value for parameter DeliveryStreamName, value: \"bad name!\", valid pattern: [a-zA-Z0-9_.-]+"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s1\n"})).unwrap_err(),
            "Parameter validation failed:\nInvalid value for parameter DeliveryStreamName, value: \"s1\\n\", valid pattern: [a-zA-Z0-9_.-]+"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "BOGUS"}})).unwrap_err(),
            "Parameter validation failed:\nInvalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: \"BOGUS\", valid values: AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK"}})).unwrap_err(),
            "Parameter validation failed:\nMissing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyARN\" (required when KeyType is CUSTOMER_MANAGED_CMK)"
        );
        for bad in [
            "alias/aws/firehose",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:12345:key/x",
            "arn:aws:s3:us-east-1:123456789012:key/x",
        ] {
            let err = check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": bad}})).unwrap_err();
            assert!(
                err.ends_with(&format!(
                    "value: \"{bad}\", valid pattern: {}",
                    model::KEY_ARN_PATTERN
                )),
                "{err}"
            );
        }
        let long_arn = format!("arn:aws:kms:us-east-1:123456789012:key/{}", "k".repeat(500));
        let err = check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": long_arn}})).unwrap_err();
        assert!(err.ends_with("value: 539, valid max length: 512"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = check(json!({"DeliveryStreamName": "bad name", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "X", "keytype": "y"}})).unwrap_err();
        assert_eq!(err.lines().count(), 4, "{err}");
    }
}
