//! End to end against moto_server (a local AWS emulator on 127.0.0.1).
//!
//! Ignored by default; scripts/test.sh starts moto_server and runs them with
//! `--include-ignored`. By hand:
//!
//! ```text
//! source scripts/lib/moto.sh && scrub_aws_env && moto_start
//! cargo test --test emulator -- --include-ignored; moto_stop
//! ```
//!
//! Every test needs `MOTO_ENDPOINT` and fails loudly without it. Tests share
//! one moto_server, so each uses its own stream name.

mod common;

use common::moto::{cmd_at_moto, create_stream, encryption_of};
use common::*;
use serde_json::{Value, json};

/// A stream name no other test (or earlier run on the same moto) uses.
fn unique_name(test: &str) -> String {
    let name = format!("t2-{test}-{}", std::process::id());
    assert!(name.len() <= 64, "{name}");
    name
}

#[test]
#[ignore = "needs moto_server"]
fn aws_owned_cmk_enables_encryption_on_a_direct_put_stream() {
    let name = unique_name("owned");
    create_stream(&name);
    assert_eq!(encryption_of(&name), Value::Null, "a new stream");

    cmd_at_moto(&[
        "--delivery-stream-name",
        &name,
        ENC,
        "KeyType=AWS_OWNED_CMK",
    ])
    .assert()
    .code(0)
    .stdout("")
    .stderr("");

    assert_eq!(
        encryption_of(&name),
        json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"})
    );
}

#[test]
#[ignore = "needs moto_server"]
fn customer_managed_cmk_records_the_key_arn() {
    let name = unique_name("cmk");
    create_stream(&name);
    assert_eq!(encryption_of(&name), Value::Null, "a new stream");

    let value = format!("KeyType=CUSTOMER_MANAGED_CMK,KeyARN={KEY_ARN}");
    cmd_at_moto(&["--delivery-stream-name", &name, ENC, &value])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");

    assert_eq!(
        encryption_of(&name),
        json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"})
    );
}

#[test]
#[ignore = "needs moto_server"]
fn cli_input_json_enables_encryption() {
    let name = unique_name("input-json");
    create_stream(&name);
    assert_eq!(encryption_of(&name), Value::Null, "a new stream");

    let doc = json!({
        "DeliveryStreamName": name,
        "DeliveryStreamEncryptionConfigurationInput": {
            "KeyType": "CUSTOMER_MANAGED_CMK",
            "KeyARN": KEY_ARN,
        }
    })
    .to_string();
    cmd_at_moto(&["--cli-input-json", &doc])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");

    assert_eq!(
        encryption_of(&name),
        json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"})
    );
}

#[test]
#[ignore = "needs moto_server"]
fn unknown_stream_is_resource_not_found_with_exit_254() {
    let name = unique_name("missing");
    cmd_at_moto(&[
        "--delivery-stream-name",
        &name,
        ENC,
        "KeyType=AWS_OWNED_CMK",
    ])
    .assert()
    .code(254)
    .stdout("")
    .stderr(format!(
        "\naws: [ERROR]: An error occurred (ResourceNotFoundException) when calling the \
         StartDeliveryStreamEncryption operation: Firehose {name} under account 123456789012 not found.\n"
    ));
}
