//! `--apply-plan` (contract §13) against the stateful loopback fake
//! account: a dry run's document, reviewed, is applied exactly: its
//! `WouldStart`/`WouldStartSource` entries with their keys, each described
//! again first; a stream changed since the plan is `ChangedSincePlan` and
//! not touched; a stream created after it is not touched; anything that is
//! not a plan is refused with 252 and nothing sent.

mod common;

use common::account::{DESCRIBE, FakeAccount, START, START_SOURCE, arn_of};
use common::*;
use serde_json::{Value, json};

fn firehose(fake: &FakeAccount, args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd();
    c.arg("--endpoint-url").arg(&fake.url).args(args);
    c
}

fn kinesis(fake: &FakeAccount, args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd_of("start-stream-encryption");
    c.arg("--endpoint-url").arg(&fake.url).args(args);
    c
}

/// Run; the exit code and the document.
async fn document(c: assert_cmd::Command) -> (i32, Value) {
    let out = run(c).await;
    let code = out.get_output().status.code().unwrap_or(-1);
    let doc = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("not a document ({e}): {}", stderr_of(&out)));
    (code, doc)
}

fn actions(doc: &Value, list: &str, name: &str) -> Vec<(String, String)> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[name].as_str().unwrap().to_owned(),
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

fn write_plan(dir: &tempfile::TempDir, plan: &Value) -> String {
    let path = dir.path().join("plan.json");
    std::fs::write(&path, serde_json::to_string_pretty(plan).unwrap()).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewed_plan_is_applied_exactly_and_what_changed_since_is_not_touched() {
    let fake = FakeAccount::start().await;
    for name in ["a", "b", "c"] {
        fake.direct_put(name, None);
    }
    fake.direct_put(
        "done",
        Some(json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"})),
    );
    let key = "KeyType=CUSTOMER_MANAGED_CMK,KeyARN=".to_owned() + KEY_ARN;
    let (code, plan) = document(firehose(
        &fake,
        &[
            "--all-delivery-streams",
            "--dry-run",
            "--delivery-stream-encryption-configuration-input",
            &key,
        ],
    ))
    .await;
    assert_eq!(code, 1, "something would change");
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(&dir, &plan);
    // Behind the plan's back: `b` gets a key, and a stream appears.
    fake.direct_put(
        "b",
        Some(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"})),
    );
    fake.direct_put("new", None);
    let (code, doc) = document(firehose(&fake, &["--apply-plan", &path])).await;
    assert_eq!(code, 0, "every planned stream ends encrypted: {doc:#}");
    assert_eq!(
        actions(&doc, "DeliveryStreams", "DeliveryStreamName"),
        pairs(&[
            ("a", "Started"),
            ("b", "ChangedSincePlan"),
            ("c", "Started")
        ]),
        "only the plan's WouldStart entries"
    );
    let reason = doc["DeliveryStreams"][1]["Reason"].as_str().unwrap();
    assert!(reason.contains("not the plan's"), "{reason}");
    let started: Vec<Value> = fake.accepted(START);
    assert_eq!(started.len(), 2);
    for body in &started {
        assert_eq!(
            body["DeliveryStreamEncryptionConfigurationInput"]["KeyARN"], KEY_ARN,
            "the plan's key"
        );
    }
    assert_eq!(fake.encryption("new"), None, "created after the plan");
    assert_eq!(
        fake.encryption("b").unwrap()["KeyType"],
        "AWS_OWNED_CMK",
        "changed since the plan"
    );
    // Applied again, nothing is as the plan saw it: no call.
    let (code, doc) = document(firehose(&fake, &["--apply-plan", &path])).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(fake.count(START), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_to_encrypt_a_kinesis_source_is_applied_once() {
    let fake = FakeAccount::start().await;
    let arn = fake.kinesis_sourced("k1", "src");
    fake.kinesis_sourced("k2", "src");
    let (_, plan) = document(firehose(
        &fake,
        &[
            "--all-delivery-streams",
            "--dry-run",
            "--encrypt-kinesis-sources",
        ],
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(&dir, &plan);
    let (code, doc) = document(firehose(&fake, &["--apply-plan", &path])).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc, "DeliveryStreams", "DeliveryStreamName"),
        pairs(&[("k1", "SourceStarted"), ("k2", "SourceStarted")])
    );
    assert_eq!(fake.count(START_SOURCE), 1, "once per source");
    assert_eq!(fake.source(&arn).unwrap()["KeyId"], "alias/aws/kinesis");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kinesis_plan_is_applied_with_its_key() {
    let fake = FakeAccount::start().await;
    for name in ["x", "y"] {
        fake.data_stream(name, json!({"EncryptionType": "NONE"}), "ACTIVE");
    }
    let (_, plan) = document(kinesis(
        &fake,
        &["--all-streams", "--dry-run", "--key-id", "alias/mine"],
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(&dir, &plan);
    fake.data_stream(
        "y",
        json!({"EncryptionType": "KMS", "KeyId": "k"}),
        "ACTIVE",
    );
    let (code, doc) = document(kinesis(&fake, &["--apply-plan", &path])).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc, "Streams", "StreamName"),
        pairs(&[("x", "Started"), ("y", "ChangedSincePlan")])
    );
    let starts = fake.accepted(START_SOURCE);
    assert_eq!(starts.len(), 1);
    assert_eq!(starts[0]["KeyId"], "alias/mine");
    assert_eq!(fake.source(&arn_of("y")).unwrap()["KeyId"], "k");
}

#[tokio::test(flavor = "multi_thread")]
async fn anything_that_is_not_a_plan_is_refused_and_nothing_is_sent() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    let (_, plan) = document(firehose(&fake, &["--all-delivery-streams", "--dry-run"])).await;
    let calls_before = fake.calls().len();
    let dir = tempfile::tempdir().unwrap();
    let mut unknown = plan.clone();
    unknown["DeliveryStreams"][0]["Action"] = json!("StartEverything");
    let mut missing = plan.clone();
    missing["DeliveryStreams"][0]
        .as_object_mut()
        .unwrap()
        .remove("EncryptionAfter");
    let mut no_targets = plan.clone();
    no_targets.as_object_mut().unwrap().remove("Targets");
    let mut bad_name = plan.clone();
    bad_name["DeliveryStreams"][0]["DeliveryStreamName"] = json!("bad name!");
    let kinesis_doc = json!({"Streams": [], "Targets": []});
    for (doc, says) in [
        (json!("not a plan"), "JSON object"),
        (unknown, "unknown Action"),
        (missing, "EncryptionAfter is missing"),
        (no_targets, "no Targets"),
        (bad_name, "bad name!"),
        (kinesis_doc, "not a plan of this command"),
    ] {
        let path = write_plan(&dir, &doc);
        let out = run(firehose(&fake, &["--apply-plan", &path]))
            .await
            .code(252)
            .stdout("");
        assert!(
            stderr_of(&out).contains(says),
            "{says}: {}",
            stderr_of(&out)
        );
    }
    let text = dir.path().join("text");
    std::fs::write(&text, "WouldStart a\n").unwrap();
    let out = run(firehose(&fake, &["--apply-plan", text.to_str().unwrap()]))
        .await
        .code(252);
    assert!(
        stderr_of(&out).contains("not a JSON document"),
        "{}",
        stderr_of(&out)
    );
    let out = run(firehose(&fake, &["--apply-plan", "/dev/zero"]))
        .await
        .code(252);
    assert!(stderr_of(&out).contains("device"), "{}", stderr_of(&out));
    for conflicting in [
        &["--all-delivery-streams"][..],
        &["--delivery-stream-name", "a"],
        &["--regions", "us-east-1"],
        &[
            "--delivery-stream-encryption-configuration-input",
            "KeyType=AWS_OWNED_CMK",
        ],
    ] {
        let path = write_plan(&dir, &plan);
        let mut args = vec!["--apply-plan", path.as_str()];
        args.extend_from_slice(conflicting);
        run(firehose(&fake, &args)).await.code(252).stdout("");
    }
    assert_eq!(fake.calls().len(), calls_before, "nothing sent");
    assert_eq!(fake.count(DESCRIBE), 1, "only the dry run's describe");
}
