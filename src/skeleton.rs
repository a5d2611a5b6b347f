//! `--generate-cli-skeleton input|yaml-input`: request templates rendered
//! from the model. Pure: no configuration, credentials or network.
//!
//! The JSON template is byte-identical to AWS CLI v2's (4-space indent,
//! model member order, `""` for strings, the first enum value, trailing
//! newline). The YAML template carries a comment per member (`[REQUIRED]`,
//! the model's first sentence, the valid values of enums) and loads as is
//! with `--cli-input-yaml`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{Member, Shape};

/// The JSON input template.
pub fn input_json(members: &[Member]) -> String {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    // Serializing an in-memory Value into a Vec cannot fail.
    let _ = placeholder_struct(members).serialize(&mut ser);
    let mut text = String::from_utf8(out).unwrap_or_default();
    text.push('\n');
    text
}

fn placeholder_struct(members: &[Member]) -> Value {
    let map: Map<String, Value> = members
        .iter()
        .map(|m| (m.name.to_owned(), placeholder(&m.shape)))
        .collect();
    Value::Object(map)
}

fn placeholder(shape: &Shape) -> Value {
    match shape {
        Shape::String(rules) => {
            Value::String(rules.enum_values.first().copied().unwrap_or("").to_owned())
        }
        Shape::Structure(members) => placeholder_struct(members),
    }
}

/// The YAML input template with a comment after each member.
pub fn input_yaml(members: &[Member]) -> String {
    let mut out = String::new();
    yaml_members(members, 0, &mut out, &mut false);
    out
}

/// AWS CLI v2 (ruamel) writes `''  #` with two spaces until the document's
/// first enum line, and `'' #` with one after it (both golden files show
/// it), so `after_enum` carries that state through the document.
fn yaml_members(members: &[Member], depth: usize, out: &mut String, after_enum: &mut bool) {
    for m in members {
        let indent = "  ".repeat(depth);
        let comment = yaml_comment(m);
        match &m.shape {
            Shape::Structure(inner) => {
                out.push_str(&format!("{indent}{}: # {comment}\n", m.name));
                yaml_members(inner, depth + 1, out, after_enum);
            }
            Shape::String(rules) => match rules.enum_values.first() {
                Some(first) => {
                    out.push_str(&format!("{indent}{}: {first} # {comment}\n", m.name));
                    *after_enum = true;
                }
                None => {
                    let gap = if *after_enum { " " } else { "  " };
                    out.push_str(&format!("{indent}{}: ''{gap}# {comment}\n", m.name));
                }
            },
        }
    }
}

fn yaml_comment(m: &Member) -> String {
    let mut c = String::new();
    if m.required {
        c.push_str("[REQUIRED] ");
    }
    c.push_str(m.doc);
    if let Shape::String(rules) = &m.shape
        && !rules.enum_values.is_empty()
    {
        c.push_str(&format!(
            " Valid values are: {}.",
            rules.enum_values.join(", ")
        ));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firehose::Firehose;
    use crate::operation::Operation;

    #[test]
    fn json_template_is_byte_identical_to_aws_cli_v2() {
        assert_eq!(
            input_json(Firehose::INPUT),
            "{\n    \"DeliveryStreamName\": \"\",\n    \"DeliveryStreamEncryptionConfigurationInput\": {\n        \"KeyARN\": \"\",\n        \"KeyType\": \"AWS_OWNED_CMK\"\n    }\n}\n"
        );
    }

    #[test]
    fn yaml_template_has_a_comment_per_member_and_parses_back_to_the_json_template() {
        let yaml = input_yaml(Firehose::INPUT);
        assert_eq!(
            yaml,
            "DeliveryStreamName: ''  # [REQUIRED] The name of the Firehose stream for which you want to enable server-side encryption (SSE).\n\
             DeliveryStreamEncryptionConfigurationInput: # Used to specify the type and Amazon Resource Name (ARN) of the KMS key needed for Server-Side Encryption (SSE).\n\
             \x20 KeyARN: ''  # If you set KeyType to CUSTOMER_MANAGED_CMK, you must specify the Amazon Resource Name (ARN) of the CMK.\n\
             \x20 KeyType: AWS_OWNED_CMK # [REQUIRED] Indicates the type of customer master key (CMK) to use for encryption. Valid values are: AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK.\n"
        );
        let parsed: Value = serde_saphyr::from_str(&yaml).unwrap();
        let json: Value = serde_json::from_str(&input_json(Firehose::INPUT)).unwrap();
        assert_eq!(parsed, json);
    }
}
