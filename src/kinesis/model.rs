//! The operation's input shape, transcribed from the Kinesis service model
//! (`kinesis/2013-12-02/service-2.json`, as in AWS CLI v2 2.36.7): member
//! order, required members, constraints and one-line descriptions; the
//! documented rules the model cannot express; and the `--wait` waiter.

use serde_json::{Map, Value};

use crate::model::{Member, Shape, StringRules};
use crate::wait::{Acceptor, Expected, Matcher, Outcome, Subject, Waiter};

/// The API operation this command calls.
pub const OPERATION: &str = "StartStreamEncryption";

/// `EncryptionType` values in model order; the first is the skeleton's placeholder.
pub const ENCRYPTION_TYPES: &[&str] = &["NONE", "KMS"];

/// Members of `StartStreamEncryptionInput`, in model order.
pub const INPUT: &[Member] = &[
    Member {
        name: "StreamName",
        flag: Some("--stream-name"),
        required: false,
        required_when: None,
        doc: "The name of the stream for which to start encrypting records.",
        shape: Shape::String(StringRules {
            min: 1,
            max: Some(128),
            pattern: Some("[a-zA-Z0-9_.-]+"),
            enum_values: &[],
        }),
    },
    Member {
        name: "EncryptionType",
        flag: Some("--encryption-type"),
        required: true,
        required_when: None,
        doc: "The encryption type to use.",
        shape: Shape::String(StringRules {
            min: 0,
            max: None,
            pattern: None,
            enum_values: ENCRYPTION_TYPES,
        }),
    },
    Member {
        name: "KeyId",
        flag: Some("--key-id"),
        required: true,
        required_when: None,
        doc: "The GUID for the customer-managed Amazon Web Services KMS key to use for encryption.",
        shape: Shape::String(StringRules {
            min: 1,
            max: Some(2048),
            pattern: None,
            enum_values: &[],
        }),
    },
    Member {
        name: "StreamARN",
        flag: Some("--stream-arn"),
        required: false,
        required_when: None,
        doc: "The ARN of the stream.",
        shape: Shape::String(StringRules {
            min: 1,
            max: Some(2048),
            pattern: Some(r"arn:aws.*:kinesis:.*:\d{12}:stream/\S+"),
            enum_values: &[],
        }),
    },
    Member {
        name: "StreamId",
        flag: Some("--stream-id"),
        required: false,
        required_when: None,
        doc: "Not Implemented.",
        shape: Shape::String(StringRules {
            min: 1,
            max: Some(24),
            pattern: Some("[a-z0-9]{20}-[a-z0-9]{3}"),
            enum_values: &[],
        }),
    },
];

/// The documented rules the model cannot express (contract §8): a start
/// needs `KMS`, and the stream must be named by name or ARN.
pub fn extra_problems(doc: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    if doc.get("EncryptionType").and_then(Value::as_str) == Some("NONE") {
        problems.push(
            "Invalid value for parameter EncryptionType, value: \"NONE\", valid values for a start: KMS \
             (to turn encryption off, use aws kinesis stop-stream-encryption)"
                .to_owned(),
        );
    }
    if !doc.contains_key("StreamName") && !doc.contains_key("StreamARN") {
        problems.push(
            "Missing required parameter in input: \"StreamName\" or \"StreamARN\" (one of them names the stream)"
                .to_owned(),
        );
    }
    problems
}

/// `StreamStatus` once the change is done.
pub const ACTIVE: &str = "ACTIVE";

/// `--wait`: polls `DescribeStreamSummary`, whose state is `{"StreamName",
/// "StreamARN", "StreamStatus", "EncryptionType", "KeyId"}`. Done when the
/// stream is `ACTIVE`, encrypted with `KMS` and the requested `KeyId`.
pub const WAITER: Waiter = Waiter {
    status: "/StreamStatus",
    goal: ACTIVE,
    acceptors: &[Acceptor {
        outcome: Outcome::Success,
        all: &[
            Matcher {
                path: "/StreamStatus",
                expected: Expected::Equals(ACTIVE),
            },
            Matcher {
                path: "/EncryptionType",
                expected: Expected::Equals("KMS"),
            },
            Matcher {
                path: "/KeyId",
                expected: Expected::Requested("KeyId"),
            },
        ],
    }],
    key_fields: &[("EncryptionType", "/EncryptionType"), ("KeyId", "/KeyId")],
    failure_message: no_failure,
};

/// The waiter has no failure acceptor; this is never called.
fn no_failure(_state: &Value) -> String {
    "Starting encryption failed".to_owned()
}

/// The stream's name, else its ARN, as the request gives it.
pub fn stream_of(doc: &Map<String, Value>) -> (&'static str, String) {
    let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_owned);
    match (text("StreamName"), text("StreamARN")) {
        (Some(name), _) => ("--stream-name", name),
        (None, Some(arn)) => ("--stream-arn", arn),
        (None, None) => ("--stream-name", String::new()),
    }
}

/// What `--wait` waits for, for messages.
pub fn wait_subject(doc: &Map<String, Value>) -> Subject {
    let (flag, id) = stream_of(doc);
    Subject {
        name: id.clone(),
        label: format!("stream \"{id}\""),
        check_command: format!("aws kinesis describe-stream-summary {flag} {id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skeleton;
    use serde_json::json;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kinesis/");

    #[test]
    fn skeletons_are_byte_identical_to_aws_cli_v2() {
        let read = |f: &str| std::fs::read_to_string(format!("{FIXTURES}{f}")).unwrap();
        assert_eq!(skeleton::input_json(INPUT), read("skeleton-input.json"));
        assert_eq!(
            skeleton::input_yaml(INPUT),
            read("skeleton-yaml-input.yaml")
        );
    }

    #[test]
    fn none_and_a_missing_stream_are_refused() {
        let doc = json!({"EncryptionType": "NONE", "KeyId": "k"});
        let problems = extra_problems(doc.as_object().unwrap());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("stop-stream-encryption"));
        assert!(problems[1].contains("\"StreamName\" or \"StreamARN\""));
        let ok = json!({"StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "EncryptionType": "KMS", "KeyId": "k"});
        assert!(extra_problems(ok.as_object().unwrap()).is_empty());
    }

    #[test]
    fn the_subject_prefers_the_name_and_falls_back_to_the_arn() {
        let by_arn = json!({"StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"});
        assert_eq!(
            wait_subject(by_arn.as_object().unwrap()).check_command,
            "aws kinesis describe-stream-summary --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/s"
        );
        let by_name = json!({"StreamName": "s", "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"});
        assert_eq!(
            wait_subject(by_name.as_object().unwrap()).label,
            "stream \"s\""
        );
    }
}
