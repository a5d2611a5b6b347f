//! The operation's input shape, transcribed from the Firehose service model
//! (`firehose/2015-08-04/service-2.json`): member order, required members,
//! length and pattern constraints, enum values and one-line descriptions;
//! and its `--wait` waiter, as data.
//!
//! Everything that needs to know what a request may contain reads it from
//! here: validation, skeletons and help text. Nothing else spells out a
//! member name or a constraint.

use crate::model::{Member, Shape, StringRules};
use crate::terminal_text;
use crate::wait::{Acceptor, Expected, Matcher, Outcome, Subject, Waiter};

/// The API operation this tool calls.
pub const OPERATION: &str = "StartDeliveryStreamEncryption";

/// `KeyType` values in model order; the first is the skeleton's placeholder.
pub const KEY_TYPES: &[&str] = &[AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK];

/// The KeyType of an AWS owned key.
pub const AWS_OWNED_CMK: &str = "AWS_OWNED_CMK";

/// The `KeyType` that requires a `KeyARN`.
pub const CUSTOMER_MANAGED_CMK: &str = "CUSTOMER_MANAGED_CMK";

/// Pattern of `DeliveryStreamName`.
pub const NAME_PATTERN: &str = "[a-zA-Z0-9_.-]+";

/// Pattern of `AWSKMSKeyARN`.
pub const KEY_ARN_PATTERN: &str =
    r"arn:.*:kms:[a-zA-Z0-9\-]+:\d{12}:(key|alias)/[a-zA-Z_0-9+=,.@\-_/]+";

/// Members of `DeliveryStreamEncryptionConfigurationInput`, in model order.
pub const ENCRYPTION_INPUT: &[Member] = &[
    Member {
        name: "KeyARN",
        flag: None,
        required: false,
        required_when: Some(("KeyType", CUSTOMER_MANAGED_CMK)),
        doc: "If you set KeyType to CUSTOMER_MANAGED_CMK, you must specify the Amazon Resource Name (ARN) of the CMK.",
        shape: Shape::String(StringRules {
            min: 1,
            max: Some(512),
            pattern: Some(KEY_ARN_PATTERN),
            enum_values: &[],
        }),
    },
    Member {
        name: "KeyType",
        flag: None,
        required: true,
        required_when: None,
        doc: "Indicates the type of customer master key (CMK) to use for encryption.",
        shape: Shape::String(StringRules {
            min: 0,
            max: None,
            pattern: None,
            enum_values: KEY_TYPES,
        }),
    },
];

/// Members of `StartDeliveryStreamEncryptionInput`, in model order.
pub const INPUT: &[Member] = &[
    Member {
        name: "DeliveryStreamName",
        flag: Some("--delivery-stream-name"),
        required: true,
        required_when: None,
        doc: "The name of the Firehose stream for which you want to enable server-side encryption (SSE).",
        shape: Shape::String(StringRules {
            min: 1,
            max: Some(64),
            pattern: Some(NAME_PATTERN),
            enum_values: &[],
        }),
    },
    Member {
        name: "DeliveryStreamEncryptionConfigurationInput",
        flag: Some("--delivery-stream-encryption-configuration-input"),
        required: false,
        required_when: None,
        doc: "Used to specify the type and Amazon Resource Name (ARN) of the KMS key needed for Server-Side Encryption (SSE).",
        shape: Shape::Structure(ENCRYPTION_INPUT),
    },
];

/// `DeliveryStreamEncryptionConfiguration.Status` once encryption is on.
pub const ENABLED: &str = "ENABLED";
/// `DeliveryStreamEncryptionConfiguration.Status` when enabling failed.
pub const ENABLING_FAILED: &str = "ENABLING_FAILED";

/// `--wait`: polls `DescribeDeliveryStream`, whose state is
/// `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`. Done
/// when the status is `ENABLED` with the requested `KeyType` and, for a
/// customer managed key, the requested `KeyARN`; failed on
/// `ENABLING_FAILED`.
pub const WAITER: Waiter = Waiter {
    status: "/DeliveryStreamEncryptionConfiguration/Status",
    goal: ENABLED,
    acceptors: &[
        Acceptor {
            outcome: Outcome::Success,
            all: &[
                Matcher {
                    path: "/DeliveryStreamEncryptionConfiguration/Status",
                    expected: Expected::Equals(ENABLED),
                },
                Matcher {
                    path: "/DeliveryStreamEncryptionConfiguration/KeyType",
                    expected: Expected::Requested("KeyType"),
                },
                Matcher {
                    path: "/DeliveryStreamEncryptionConfiguration/KeyARN",
                    expected: Expected::Requested("KeyARN"),
                },
            ],
        },
        Acceptor {
            outcome: Outcome::Failure,
            all: &[Matcher {
                path: "/DeliveryStreamEncryptionConfiguration/Status",
                expected: Expected::Equals(ENABLING_FAILED),
            }],
        },
    ],
    key_fields: &[
        ("KeyType", "/DeliveryStreamEncryptionConfiguration/KeyType"),
        ("KeyARN", "/DeliveryStreamEncryptionConfiguration/KeyARN"),
    ],
    failure_message: enabling_failed,
};

/// "Enabling encryption failed for delivery stream "s1": TYPE: Details",
/// the service's values shown as [`terminal_text::value`]s.
fn enabling_failed(state: &serde_json::Value) -> String {
    let field = |f: &str| {
        terminal_text::value(
            state
                .pointer(&format!(
                    "/DeliveryStreamEncryptionConfiguration/FailureDescription/{f}"
                ))
                .and_then(serde_json::Value::as_str)
                .unwrap_or("(not given)"),
        )
    };
    let name = terminal_text::value(
        state
            .get("DeliveryStreamName")
            .and_then(serde_json::Value::as_str)
            .unwrap_or(""),
    );
    format!(
        "Enabling encryption failed for delivery stream \"{name}\": {}: {}",
        field("Type"),
        field("Details")
    )
}

/// What `--wait` waits for, for messages: the stream and the AWS CLI
/// command that shows its encryption.
pub fn wait_subject(name: &str) -> Subject {
    Subject {
        name: name.to_owned(),
        label: format!("delivery stream \"{name}\""),
        check_command: format!(
            "aws firehose describe-delivery-stream --delivery-stream-name {name} --query DeliveryStreamDescription.DeliveryStreamEncryptionConfiguration"
        ),
    }
}
