//! `--generate-cli-skeleton` and the template round trip through
//! `--cli-input-json` / `--cli-input-yaml`, asserted on the wire.

mod common;

use common::*;
use serde_json::json;

fn golden(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("golden file")
}

/// A skeleton run needs no region, credentials or endpoint: give it none.
fn bare() -> assert_cmd::Command {
    let mut c = cmd();
    c.env_remove("AWS_REGION")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    c
}

#[test]
fn input_skeleton_is_byte_identical_to_aws_cli_v2() {
    for args in [
        &["--generate-cli-skeleton"][..],
        &["--generate-cli-skeleton", "input"],
    ] {
        bare()
            .args(args)
            .assert()
            .success()
            .stdout(golden("skeleton-input.json"))
            .stderr("");
    }
}

#[test]
fn yaml_skeleton_matches_its_golden_file() {
    bare()
        .args(["--generate-cli-skeleton", "yaml-input"])
        .assert()
        .success()
        .stdout(golden("skeleton-yaml-input.yaml"));
}

#[test]
fn input_skeleton_ignores_invalid_values_but_not_syntax_errors() {
    bare()
        .args([
            "--generate-cli-skeleton",
            "--delivery-stream-name",
            "not valid!",
        ])
        .assert()
        .success();
    bare()
        .args([
            "--generate-cli-skeleton",
            "--delivery-stream-encryption-configuration-input",
            "KeyType",
        ])
        .assert()
        .code(252)
        .stdout("")
        .stderr(predicates::str::contains(
            "Expected: '=', received: 'EOF' for input:",
        ));
    bare()
        .args(["--generate-cli-skeleton", "--bogus"])
        .assert()
        .code(252)
        .stdout("");
    bare()
        .args(["--generate-cli-skeleton", "nonsense"])
        .assert()
        .code(252)
        .stdout("");
}

#[tokio::test(flavor = "multi_thread")]
async fn output_skeleton_validates_fully_and_sends_nothing() {
    let fake = accepting().await;
    run(cmd_at(
        &fake,
        &[
            "--generate-cli-skeleton",
            "output",
            "--delivery-stream-name",
            "s1",
        ],
    ))
    .await
    .success()
    .stdout("")
    .stderr("");
    run(cmd_at(
        &fake,
        &[
            "--generate-cli-skeleton",
            "output",
            "--delivery-stream-name",
            "bad name",
        ],
    ))
    .await
    .code(252)
    .stdout("")
    .stderr(predicates::str::contains(
        "Invalid value for parameter DeliveryStreamName",
    ));
    run(cmd_at(&fake, &["--generate-cli-skeleton", "output"]))
        .await
        .code(252)
        .stderr(predicates::str::contains(
            "the following arguments are required: --delivery-stream-name",
        ));
    assert!(
        fake.requests().await.is_empty(),
        "a skeleton must send nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn filled_in_skeletons_round_trip_to_the_wire() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("t.json");
    let yaml_path = dir.path().join("t.yaml");
    let json_template = bare()
        .arg("--generate-cli-skeleton")
        .output()
        .unwrap()
        .stdout;
    let filled = String::from_utf8(json_template)
        .unwrap()
        .replace(
            "\"DeliveryStreamName\": \"\"",
            "\"DeliveryStreamName\": \"from-json\"",
        )
        .replace("\"KeyARN\": \"\"", &format!("\"KeyARN\": \"{KEY_ARN}\""))
        .replace("AWS_OWNED_CMK", "CUSTOMER_MANAGED_CMK");
    std::fs::write(&json_path, filled).unwrap();
    let yaml_template = bare()
        .args(["--generate-cli-skeleton", "yaml-input"])
        .output()
        .unwrap()
        .stdout;
    let filled = String::from_utf8(yaml_template)
        .unwrap()
        .replace("DeliveryStreamName: ''", "DeliveryStreamName: from-yaml")
        .replace("KeyARN: ''", &format!("KeyARN: {KEY_ARN}"))
        .replace("KeyType: AWS_OWNED_CMK", "KeyType: CUSTOMER_MANAGED_CMK");
    std::fs::write(&yaml_path, filled).unwrap();

    let fake = accepting().await;
    let json_arg = format!("file://{}", json_path.display());
    let yaml_arg = format!("file://{}", yaml_path.display());
    run(cmd_at(&fake, &["--cli-input-json", &json_arg]))
        .await
        .success()
        .stdout("")
        .stderr("");
    run(cmd_at(&fake, &["--cli-input-yaml", &yaml_arg]))
        .await
        .success()
        .stdout("")
        .stderr("");
    // A flag replaces the document's top-level key.
    run(cmd_at(
        &fake,
        &[
            "--cli-input-yaml",
            &yaml_arg,
            "--delivery-stream-name",
            "from-flag",
        ],
    ))
    .await
    .success();
    let enc = json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK"});
    assert_eq!(
        fake.bodies(START_TARGET).await,
        vec![
            json!({"DeliveryStreamName": "from-json", "DeliveryStreamEncryptionConfigurationInput": enc}),
            json!({"DeliveryStreamName": "from-yaml", "DeliveryStreamEncryptionConfigurationInput": enc}),
            json!({"DeliveryStreamName": "from-flag", "DeliveryStreamEncryptionConfigurationInput": enc}),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn input_document_errors_exit_252_and_send_nothing() {
    let fake = accepting().await;
    let cases: [(&[&str], &str); 6] = [
        (
            &["--cli-input-json", "{}", "--cli-input-yaml", "a: b"],
            "Only one --cli-input- parameter may be specified.",
        ),
        (
            &["--cli-input-json", "{nope"],
            "Error parsing parameter 'cli-input-json': Invalid JSON received: ",
        ),
        (
            &["--cli-input-yaml", "a: [1"],
            "Error parsing parameter 'cli-input-yaml': Invalid YAML received: ",
        ),
        (
            &["--cli-input-yaml", "- 1"],
            "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'list'>",
        ),
        (
            &["--cli-input-json", "\"s\""],
            "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'str'>",
        ),
        (
            &["--cli-input-yaml", "DeliveryStreamName: s1\nBogus: 1"],
            "Unknown parameter in input: \"Bogus\", must be one of: DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput",
        ),
    ];
    for (args, message) in cases {
        let out = run(cmd_at(&fake, args)).await.code(252).stdout("");
        let stderr = stderr_of(&out);
        assert!(
            stderr.starts_with("\naws: [ERROR]: An error occurred (ParamValidation): ")
                && stderr.contains(message),
            "{args:?}: {stderr}"
        );
    }
    assert!(fake.requests().await.is_empty());
}
