//! Turns the raw command-line values into one request document, the way the
//! AWS CLI v2 reads parameters:
//!
//! 1. `file://` / `fileb://` values are loaded (`paramfile`);
//! 2. the structure parameter is JSON when its left-trimmed text starts with
//!    `{` or `[`, shorthand syntax otherwise (`shorthand`);
//! 3. `--cli-input-json` supplies a base document whose top-level keys the
//!    command-line flags replace (a shallow merge: a structure given on the
//!    command line replaces the document's whole structure).
//!
//! The result is an ordered JSON object, still unvalidated: `validate` checks
//! it against the model.

use serde_json::{Map, Value};

use crate::error::CliError;
use crate::global::InputArgs;
use crate::model::{Member, Shape};
use crate::paramfile::{self, Loaded};
use crate::python::{excerpt, python_bytes_repr, python_type};
use crate::shorthand;

/// The request document: top-level member name → value, flags first, then
/// the keys only `--cli-input-json` gave.
pub type Document = Map<String, Value>;

/// The AWS CLI's check that required flags are present, which an input
/// document lifts (its own content is checked by `validate`). `values` are
/// the top-level flags' raw values, aligned with `members`.
pub fn require_flags(
    members: &[Member],
    values: &[Option<&str>],
    input: &InputArgs,
) -> Result<(), CliError> {
    if input.cli_input_json.is_some() || input.cli_input_yaml.is_some() {
        return Ok(());
    }
    let missing: Vec<&str> = members
        .iter()
        .zip(values)
        .filter(|(m, v)| m.required && v.is_none())
        .filter_map(|(m, _)| m.flag)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CliError::ParamValidation(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )))
    }
}

/// Build the request document from the parsed command line. Every value is
/// parsed (a syntax error fails here) but nothing is validated yet.
pub fn document(
    members: &[Member],
    values: &[Option<&str>],
    input: &InputArgs,
) -> Result<Document, CliError> {
    let base = match (&input.cli_input_json, &input.cli_input_yaml) {
        (Some(_), Some(_)) => {
            return Err(CliError::ParamValidation(
                "Only one --cli-input- parameter may be specified.".to_owned(),
            ));
        }
        (Some(raw), None) => Some(input_document(raw, Format::Json)?),
        (None, Some(raw)) => Some(input_document(raw, Format::Yaml)?),
        (None, None) => None,
    };
    let mut doc = Document::new();
    for (member, raw) in members.iter().zip(values) {
        let (Some(raw), Some(flag)) = (raw, member.flag) else {
            continue;
        };
        let value = match member.shape {
            Shape::String(_) => string_param(flag, member.name, raw)?,
            Shape::Structure(_) => structure_param(flag, raw)?,
        };
        doc.insert(member.name.to_owned(), value);
    }
    for (key, value) in base.into_iter().flatten() {
        doc.entry(key).or_insert(value);
    }
    Ok(doc)
}

fn parse_error(flag: &str, detail: impl std::fmt::Display) -> CliError {
    CliError::ParamValidation(format!("Error parsing parameter '{flag}': {detail}"))
}

/// A plain string parameter: `file://` gives text, anything else is literal.
fn string_param(flag: &str, member: &str, raw: &str) -> Result<Value, CliError> {
    match paramfile::load(raw).map_err(|e| parse_error(flag, e))? {
        Loaded::Text(s) => Ok(Value::String(s)),
        Loaded::Bytes(b) => Err(CliError::ParamValidation(format!(
            "Parameter validation failed:\nInvalid type for parameter {member}, value: {}, type: <class 'bytes'>, valid types: <class 'str'>",
            python_bytes_repr(&b)
        ))),
    }
}

/// A structure parameter: JSON, shorthand, or a file holding either.
pub fn structure_param(flag: &str, raw: &str) -> Result<Value, CliError> {
    let text = match paramfile::load(raw).map_err(|e| parse_error(flag, e))? {
        Loaded::Text(s) => s,
        Loaded::Bytes(_) => {
            return Err(parse_error(
                flag,
                "fileb:// gives raw bytes, but this parameter needs text: use file:// instead",
            ));
        }
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            parse_error(
                flag,
                format!("Invalid JSON: {e}\nJSON received: {}", excerpt(&text)),
            )
        })?;
        Ok(value)
    } else if trimmed.starts_with('[') {
        Err(parse_error(
            flag,
            format!("Invalid JSON:\n{}", excerpt(&text)),
        ))
    } else {
        let mut load_at = |value: &str| match paramfile::load(value)? {
            Loaded::Text(s) => Ok(Value::String(s)),
            Loaded::Bytes(_) => Err(format!(
                "Unable to use {value} in {flag}: fileb:// gives raw bytes, but the member needs text: use file:// instead"
            )),
        };
        match shorthand::parse(&text, &mut load_at) {
            Ok(map) => Ok(Value::Object(map)),
            Err(shorthand::ShorthandError::Load(message)) => {
                Err(CliError::ParamValidation(message))
            }
            Err(e) => Err(parse_error(flag, e)),
        }
    }
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Yaml,
}

/// A `--cli-input-json` / `--cli-input-yaml` document: a mapping, inline or
/// from a file.
fn input_document(raw: &str, format: Format) -> Result<Document, CliError> {
    let (flag, name) = match format {
        Format::Json => ("--cli-input-json", "JSON"),
        Format::Yaml => ("--cli-input-yaml", "YAML"),
    };
    let text = match paramfile::load(raw).map_err(|e| parse_error(flag, e))? {
        Loaded::Text(s) => s,
        Loaded::Bytes(b) => String::from_utf8(b).map_err(|_| {
            parse_error(
                flag,
                format!("Invalid {name} received: the file is not UTF-8 text"),
            )
        })?,
    };
    let parsed = match format {
        Format::Json => serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()),
        Format::Yaml => serde_saphyr::from_str::<Value>(&text).map_err(|e| e.to_string()),
    };
    match parsed {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(parse_error(
            flag,
            format!(
                "Invalid type: expecting map, received <class '{}'>",
                python_type(&other)
            ),
        )),
        Err(e) => Err(parse_error(
            &flag[2..],
            format!("Invalid {name} received: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::json;

    use crate::firehose::Firehose;
    use crate::firehose::cli::Cli;
    use crate::operation::Operation;

    fn doc(args: &[&str]) -> Result<Document, CliError> {
        let argv = std::iter::once("x").chain(args.iter().copied());
        let cli = Cli::try_parse_from(argv).unwrap();
        let values = Firehose::flag_values(&cli);
        require_flags(Firehose::INPUT, &values, &cli.input)?;
        document(Firehose::INPUT, &values, &cli.input)
    }

    #[test]
    fn shorthand_json_and_file_give_the_same_document() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("enc.json");
        std::fs::write(&f, r#"{"KeyType": "AWS_OWNED_CMK"}"#).unwrap();
        let file_arg = format!("file://{}", f.display());
        let expected = json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}});
        for value in [
            "KeyType=AWS_OWNED_CMK",
            r#"  {"KeyType": "AWS_OWNED_CMK"}"#,
            file_arg.as_str(),
        ] {
            let d = doc(&[
                "--delivery-stream-name",
                "s1",
                "--delivery-stream-encryption-configuration-input",
                value,
            ])
            .unwrap();
            assert_eq!(Value::Object(d), expected, "{value}");
        }
    }

    #[test]
    fn name_is_required_without_cli_input_json() {
        assert_eq!(
            doc(&[]).unwrap_err(),
            CliError::ParamValidation(
                "the following arguments are required: --delivery-stream-name".into()
            )
        );
    }

    #[test]
    fn flags_replace_cli_input_json_top_level_keys_whole() {
        let d = doc(&[
            "--cli-input-json",
            r#"{"DeliveryStreamName": "from-json", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK", "KeyARN": "x"}}"#,
            "--delivery-stream-encryption-configuration-input",
            "KeyType=CUSTOMER_MANAGED_CMK",
        ])
        .unwrap();
        assert_eq!(
            Value::Object(d),
            json!({"DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK"}, "DeliveryStreamName": "from-json"})
        );
    }

    #[test]
    fn cli_input_json_must_be_an_object() {
        let err = doc(&["--cli-input-json", "[1]"]).unwrap_err();
        assert_eq!(
            err,
            CliError::ParamValidation("Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>".into())
        );
        let err = doc(&["--cli-input-json", "{nope"]).unwrap_err().to_string();
        assert!(err.starts_with("An error occurred (ParamValidation): Error parsing parameter 'cli-input-json': Invalid JSON received: "), "{err}");
    }

    #[test]
    fn structure_json_errors_name_the_parameter() {
        let err = doc(&[
            "--delivery-stream-name",
            "s",
            "--delivery-stream-encryption-configuration-input",
            r#"[{"KeyType":"x"}]"#,
        ])
        .unwrap_err();
        assert_eq!(
            err,
            CliError::ParamValidation("Error parsing parameter '--delivery-stream-encryption-configuration-input': Invalid JSON:\n[{\"KeyType\":\"x\"}]".into())
        );
        let err = doc(&[
            "--delivery-stream-name",
            "s",
            "--delivery-stream-encryption-configuration-input",
            "{\"KeyType\":}",
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("Invalid JSON: ") && err.ends_with("JSON received: {\"KeyType\":}"),
            "{err}"
        );
    }

    #[test]
    fn shorthand_errors_are_prefixed_but_paramfile_errors_from_at_equals_are_not() {
        let err = doc(&[
            "--delivery-stream-name",
            "s",
            "--delivery-stream-encryption-configuration-input",
            "KeyType",
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("Error parsing parameter '--delivery-stream-encryption-configuration-input': Expected: '=', received: 'EOF' for input:"), "{err}");
        let err = doc(&[
            "--delivery-stream-name",
            "s",
            "--delivery-stream-encryption-configuration-input",
            "KeyType@=file:///nope",
        ])
        .unwrap_err();
        assert_eq!(
            err,
            CliError::ParamValidation("Unable to load paramfile file:///nope: [Errno 2] No such file or directory: '/nope'".into())
        );
    }

    #[test]
    fn fileb_name_is_a_type_error() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("n");
        std::fs::write(&f, "s1\n").unwrap();
        let err = doc(&[
            "--delivery-stream-name",
            &format!("fileb://{}", f.display()),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            CliError::ParamValidation("Parameter validation failed:\nInvalid type for parameter DeliveryStreamName, value: b's1\\n', type: <class 'bytes'>, valid types: <class 'str'>".into())
        );
    }

    #[test]
    fn cli_input_yaml_is_read_like_json_and_excludes_it() {
        let d = doc(&["--cli-input-yaml", "DeliveryStreamName: s1\nDeliveryStreamEncryptionConfigurationInput:\n  KeyType: AWS_OWNED_CMK\n"]).unwrap();
        assert_eq!(
            Value::Object(d),
            json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}})
        );
        assert_eq!(
            doc(&["--cli-input-yaml", "a: 1", "--cli-input-json", "{}"]).unwrap_err(),
            CliError::ParamValidation("Only one --cli-input- parameter may be specified.".into())
        );
        assert_eq!(
            doc(&["--cli-input-yaml", "- 1"]).unwrap_err(),
            CliError::ParamValidation("Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'list'>".into())
        );
        let err = doc(&["--cli-input-yaml", "a: [1"]).unwrap_err().to_string();
        assert!(
            err.contains("Error parsing parameter 'cli-input-yaml': Invalid YAML received: "),
            "{err}"
        );
    }
}
