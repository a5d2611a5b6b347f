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

use std::process::Command;

use common::*;
use serde_json::{Value, json};

const ENC: &str = "--delivery-stream-encryption-configuration-input";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The emulator's URL; panics when it is not set (never skip silently).
fn moto_endpoint() -> String {
    let url = std::env::var("MOTO_ENDPOINT").unwrap_or_default();
    assert!(
        !url.is_empty(),
        "MOTO_ENDPOINT is not set: start moto_server first \
         (source scripts/lib/moto.sh && scrub_aws_env && moto_start), \
         or run scripts/test.sh"
    );
    assert!(
        url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
        "MOTO_ENDPOINT must be a loopback URL, got {url:?}"
    );
    url
}

/// A stream name no other test (or earlier run on the same moto) uses.
fn unique_name(test: &str) -> String {
    let name = format!("t2-{test}-{}", std::process::id());
    assert!(name.len() <= 64, "{name}");
    name
}

/// Run `scripts/moto_stream.py ARGS` against the emulator with a scrubbed,
/// local-only environment; return its stdout.
fn moto_stream(args: &[&str]) -> String {
    let mut c = Command::new("python3");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("scripts/moto_stream.py")
        .arg("--endpoint-url")
        .arg(moto_endpoint())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    // python3 may be a pyenv shim, which needs HOME or its own variables.
    for var in ["HOME", "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV"] {
        if let Some(v) = std::env::var_os(var) {
            c.env(var, v);
        }
    }
    let out = c.output().expect("python3 runs scripts/moto_stream.py");
    assert!(
        out.status.success(),
        "moto_stream.py {args:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("moto_stream.py prints UTF-8")
}

/// Create a DirectPut stream named `name` on the emulator.
fn create_stream(name: &str) {
    let arn = moto_stream(&["create", name]);
    assert!(
        arn.trim().ends_with(&format!(":deliverystream/{name}")),
        "{arn}"
    );
}

/// The stream's DeliveryStreamEncryptionConfiguration (`null` when none).
fn encryption_of(name: &str) -> Value {
    let text = moto_stream(&["describe", name]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("describe printed {text:?}: {e}"))
}

/// The binary pointed at the emulator.
fn cmd_at_moto(args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd();
    c.arg("--endpoint-url").arg(moto_endpoint()).args(args);
    c
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
