//! Fleet mode end to end against moto_server (`MOTO_ENDPOINT`, started by
//! scripts/test.sh). What was done is checked on the emulator itself, through
//! scripts/moto_stream.py, not only in the tool's document.
//!
//! moto_server is shared by every emulator test, so the region-wide run has
//! a region of its own (eu-west-3), and the others name their streams.

mod common;

use common::moto::{moto_endpoint, moto_stream, moto_stream_in};
use common::*;
use serde_json::{Value, json};

/// The region only [`a_region_is_encrypted_at_rest_in_one_run_and_a_second_run_sends_nothing`] uses.
const REGION: &str = "eu-west-3";

fn run_in(region: &str, args: &[&str]) -> (i32, Value) {
    let mut c = cmd();
    c.args(["--endpoint-url", &moto_endpoint(), "--region", region])
        .args(args);
    let out = c.output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not one document ({e}): {stdout:?}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

fn actions(doc: &Value) -> Vec<(String, String)> {
    doc["DeliveryStreams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["DeliveryStreamName"].as_str().unwrap().to_owned(),
                e["Action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

fn encryption_in(region: &str, name: &str) -> Value {
    serde_json::from_str(&moto_stream_in(region, &["describe", name])).unwrap()
}

fn source_in(region: &str, name: &str) -> Value {
    serde_json::from_str(&moto_stream_in(region, &["describe-kinesis", name])).unwrap()
}

/// The single call, to give a stream its key before the fleet run.
fn encrypt_in(region: &str, name: &str, key: &str) {
    let mut c = cmd();
    c.args(["--endpoint-url", &moto_endpoint(), "--region", region])
        .args(["--delivery-stream-name", name, ENC, key]);
    c.assert().code(0);
}

#[test]
#[ignore = "needs moto_server"]
fn a_region_is_encrypted_at_rest_in_one_run_and_a_second_run_sends_nothing() {
    for name in ["fe-owned", "fe-customer", "fe-plain-1", "fe-plain-2"] {
        moto_stream_in(REGION, &["create", name]);
    }
    moto_stream_in(
        REGION,
        &["create", "fe-kin", "--type", "KinesisStreamAsSource"],
    );
    encrypt_in(REGION, "fe-owned", "KeyType=AWS_OWNED_CMK");
    encrypt_in(REGION, "fe-customer", CMK);
    let owned = encryption_in(REGION, "fe-owned");
    let customer = encryption_in(REGION, "fe-customer");
    assert_eq!(customer["KeyType"], "CUSTOMER_MANAGED_CMK");

    // A dry run changes nothing and says what would.
    let (code, doc) = run_in(REGION, &["--all-delivery-streams", "--dry-run"]);
    assert_eq!(code, 1);
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("fe-customer", "AlreadyEncrypted"),
            ("fe-kin", "NeedsSourceEncryption"),
            ("fe-owned", "AlreadyEncrypted"),
            ("fe-plain-1", "WouldStart"),
            ("fe-plain-2", "WouldStart"),
        ])
    );
    assert_eq!(encryption_in(REGION, "fe-plain-1"), Value::Null);

    // Without --encrypt-kinesis-sources: the Direct PUT streams are done,
    // the Kinesis-sourced one is left and says why (exit 1).
    let (code, doc) = run_in(REGION, &["--all-delivery-streams"]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(actions(&doc)[3], ("fe-plain-1".into(), "Started".into()));
    assert_eq!(source_in(REGION, "fe-kin-source")["EncryptionType"], "NONE");
    for name in ["fe-plain-1", "fe-plain-2"] {
        let enc = encryption_in(REGION, name);
        assert_eq!(enc["KeyType"], "AWS_OWNED_CMK", "{name}: {enc}");
        assert_eq!(enc["Status"], "ENABLED", "{name}: {enc}");
    }
    // The others got no call: the customer key is kept.
    assert_eq!(encryption_in(REGION, "fe-customer"), customer);
    assert_eq!(encryption_in(REGION, "fe-owned"), owned);

    // With it, and --wait: the source is encrypted, everything is at rest.
    let (code, doc) = run_in(
        REGION,
        &[
            "--all-delivery-streams",
            "--encrypt-kinesis-sources",
            "--wait",
        ],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(actions(&doc)[1], ("fe-kin".into(), "SourceStarted".into()));
    let source = source_in(REGION, "fe-kin-source");
    assert_eq!(source["EncryptionType"], "KMS", "{source}");
    assert_eq!(source["KeyId"], "alias/aws/kinesis", "{source}");
    assert_eq!(
        doc["DeliveryStreams"][1]["KinesisSource"]["EncryptionAfter"],
        json!({"StreamStatus": "ACTIVE", "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"})
    );

    // A second run finds nothing to do.
    let (code, doc) = run_in(
        REGION,
        &["--all-delivery-streams", "--encrypt-kinesis-sources"],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("fe-customer", "AlreadyEncrypted"),
            ("fe-kin", "SourceAlreadyEncrypted"),
            ("fe-owned", "AlreadyEncrypted"),
            ("fe-plain-1", "AlreadyEncrypted"),
            ("fe-plain-2", "AlreadyEncrypted"),
        ])
    );
    assert_eq!(encryption_in(REGION, "fe-customer"), customer);
}

#[test]
#[ignore = "needs moto_server"]
fn a_list_with_a_wanted_key_converges_and_reports_a_name_that_does_not_exist() {
    for name in ["fl-e2e-a", "fl-e2e-b"] {
        moto_stream(&["create", name]);
    }
    encrypt_in("us-east-1", "fl-e2e-b", "KeyType=AWS_OWNED_CMK");
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("names.txt");
    std::fs::write(&list, "# findings\nfl-e2e-a\nfl-e2e-b\nfl-e2e-nosuch\n").unwrap();
    let args = [
        "--delivery-stream-names-from",
        list.to_str().unwrap(),
        ENC,
        CMK,
    ];
    let (code, doc) = run_in("us-east-1", &args);
    assert_eq!(code, 1, "the name that does not exist fails the run");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("fl-e2e-a", "Started"),
            ("fl-e2e-b", "Started"),
            ("fl-e2e-nosuch", "Failed"),
        ])
    );
    assert_eq!(
        doc["DeliveryStreams"][2]["Error"]["Code"],
        "ResourceNotFoundException"
    );
    for name in ["fl-e2e-a", "fl-e2e-b"] {
        let enc: Value = serde_json::from_str(&moto_stream(&["describe", name])).unwrap();
        assert_eq!(enc["KeyType"], "CUSTOMER_MANAGED_CMK", "{name}: {enc}");
        assert_eq!(enc["KeyARN"], KEY_ARN, "{name}: {enc}");
    }
}
