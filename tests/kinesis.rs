//! `start-stream-encryption` (contract §8): the wire request, validation
//! (exit 252, nothing sent), service errors and hints (254), `--wait` on
//! DescribeStreamSummary, skeletons byte-identical to AWS CLI v2 2.36.7
//! (tests/fixtures/kinesis/), the endpoint variable, and an end-to-end run
//! against moto_server (ignored by default; scripts/test.sh runs it).

mod common;

use common::moto::{moto_endpoint, moto_stream};
use common::*;
use serde_json::{Value, json};

const KBIN: &str = "start-stream-encryption";
const START: &str = "Kinesis_20131202.StartStreamEncryption";
const DESCRIBE: &str = "Kinesis_20131202.DescribeStreamSummary";
const STREAM_ARN: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/s1";
const ALIAS: &str = "alias/aws/kinesis";

fn kcmd(fake: &FakeFirehose, args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd_of(KBIN);
    c.arg("--endpoint-url").arg(fake.url()).args(args);
    c
}

const VALID: [&str; 6] = [
    "--stream-name",
    "s1",
    "--encryption-type",
    "KMS",
    "--key-id",
    ALIAS,
];

fn summary(status: &str, encryption: &str, key: Option<&str>) -> Value {
    let mut s = json!({
        "StreamName": "s1",
        "StreamARN": STREAM_ARN,
        "StreamStatus": status,
        "RetentionPeriodHours": 24,
        "StreamCreationTimestamp": 1.7e9,
        "EnhancedMonitoring": [],
        "EncryptionType": encryption,
        "OpenShardCount": 1,
    });
    if let Some(k) = key {
        s["KeyId"] = json!(k);
    }
    json!({"StreamDescriptionSummary": s})
}

#[tokio::test(flavor = "multi_thread")]
async fn the_request_is_signed_for_kinesis_and_carries_the_members() {
    let fake = FakeFirehose::start().await;
    fake.reply(START, 200, json!({})).await;
    run(kcmd(&fake, &VALID)).await.code(0).stdout("").stderr("");
    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/");
    let header = |h: &str| r.headers.get(h).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(header("x-amz-target"), START);
    assert_eq!(header("content-type"), "application/x-amz-json-1.1");
    assert!(
        header("authorization").contains(&format!("Credential={ACCESS_KEY}/"))
            && header("authorization").contains("/us-east-1/kinesis/aws4_request"),
        "{}",
        header("authorization")
    );
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        json!({"StreamName": "s1", "EncryptionType": "KMS", "KeyId": ALIAS})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_given_by_arn_sends_the_arn() {
    let fake = FakeFirehose::start().await;
    fake.reply(START, 200, json!({})).await;
    let args = [
        "--stream-arn",
        STREAM_ARN,
        "--encryption-type",
        "KMS",
        "--key-id",
        ALIAS,
    ];
    run(kcmd(&fake, &args)).await.code(0);
    assert_eq!(
        fake.bodies(START).await,
        [json!({"EncryptionType": "KMS", "KeyId": ALIAS, "StreamARN": STREAM_ARN})]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_endpoint_url_kinesis_sets_the_endpoint() {
    let fake = FakeFirehose::start().await;
    fake.reply(START, 200, json!({})).await;
    let mut c = cmd_of(KBIN);
    c.env("AWS_ENDPOINT_URL_KINESIS", fake.url()).args(VALID);
    run(c).await.code(0);
    assert_eq!(fake.count(START).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_252_with_the_rule_and_nothing_is_sent() {
    let fake = FakeFirehose::start().await;
    let cases: [(&[&str], &str); 6] = [
        (
            &[],
            "the following arguments are required: --encryption-type, --key-id",
        ),
        (
            &[
                "--stream-name",
                "s1",
                "--encryption-type",
                "NONE",
                "--key-id",
                ALIAS,
            ],
            "use aws kinesis stop-stream-encryption",
        ),
        (
            &["--encryption-type", "KMS", "--key-id", ALIAS],
            "\"StreamName\" or \"StreamARN\"",
        ),
        (
            &[
                "--stream-name",
                "s1",
                "--encryption-type",
                "KMS",
                "--key-id",
                "",
            ],
            "Invalid length for parameter KeyId, value: 0, valid min length: 1",
        ),
        (
            &[
                "--stream-arn",
                "arn:aws:s3:::b",
                "--encryption-type",
                "KMS",
                "--key-id",
                ALIAS,
            ],
            r"valid pattern: arn:aws.*:kinesis:.*:\d{12}:stream/\S+",
        ),
        (
            &[
                "--stream-name",
                "bad name",
                "--encryption-type",
                "KMS",
                "--key-id",
                ALIAS,
            ],
            "valid pattern: [a-zA-Z0-9_.-]+",
        ),
    ];
    for (args, says) in cases {
        let a = run(kcmd(&fake, args)).await.code(252).stdout("");
        let stderr = stderr_of(&a);
        assert!(
            stderr.starts_with("\naws: [ERROR]: An error occurred (ParamValidation): ")
                && stderr.contains(says),
            "{args:?}: {stderr}"
        );
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_is_254_with_the_canonical_line_and_a_hint() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START, "KMSNotFoundException", "Key not found.")
        .await;
    let a = run(kcmd(&fake, &VALID)).await.code(254).stdout("");
    let stderr = stderr_of(&a);
    assert!(
        stderr.starts_with(&service_error(
            "StartStreamEncryption",
            "KMSNotFoundException",
            "Key not found."
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("\nHint: No such key in this account and region"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_that_is_not_active_is_explained_with_its_status() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START, "ResourceInUseException", "Stream s1 is not ACTIVE.")
        .await;
    fake.reply(DESCRIBE, 200, summary("UPDATING", "NONE", None))
        .await;
    let a = run(kcmd(&fake, &VALID)).await.code(254);
    let stderr = stderr_of(&a);
    assert!(
        stderr.contains(
            "Hint: Stream \"s1\" is UPDATING; encryption can only be started while it is ACTIVE."
        ),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_polls_until_active_with_the_requested_key_and_prints_the_state() {
    let fake = FakeFirehose::start().await;
    fake.reply(START, 200, json!({})).await;
    // The state before the call, then the polls.
    fake.script(
        DESCRIBE,
        vec![
            amz_json(200, summary("ACTIVE", "NONE", None)),
            amz_json(200, summary("ACTIVE", "NONE", None)),
            amz_json(200, summary("UPDATING", "KMS", Some(ALIAS))),
            amz_json(200, summary("ACTIVE", "KMS", Some(ALIAS))),
        ],
    )
    .await;
    let mut args = VALID.to_vec();
    args.extend(["--wait", "--wait-interval", "10ms"]);
    let a = run(kcmd(&fake, &args)).await.code(0).stderr("");
    assert_eq!(
        stdout_of(&a),
        format!(
            "{{\n    \"StreamName\": \"s1\",\n    \"StreamARN\": \"{STREAM_ARN}\",\n    \"StreamStatus\": \"ACTIVE\",\n    \"EncryptionType\": \"KMS\",\n    \"KeyId\": \"{ALIAS}\"\n}}\n"
        )
    );
    assert_eq!(fake.count(DESCRIBE).await, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_timeout_names_the_key_in_place() {
    let fake = FakeFirehose::start().await;
    fake.reply(START, 200, json!({})).await;
    fake.reply(DESCRIBE, 200, summary("ACTIVE", "KMS", Some("alias/old")))
        .await;
    let mut args = VALID.to_vec();
    args.extend([
        "--wait",
        "--wait-interval",
        "10ms",
        "--wait-timeout",
        "300ms",
    ]);
    let a = run(kcmd(&fake, &args)).await.code(255).stdout("");
    let stderr = stderr_of(&a);
    assert!(
        stderr.ends_with("the encryption of stream \"s1\" did not reach ACTIVE with the requested key; last status seen: ACTIVE (unchanged since before the call); key in place: EncryptionType=KMS, KeyId=alias/old\n"),
        "{stderr}"
    );
}

#[test]
fn skeletons_are_byte_identical_to_aws_cli_v2() {
    let read = |f: &str| std::fs::read_to_string(fixture(&format!("kinesis/{f}"))).unwrap();
    for (kind, file) in [
        (None, "skeleton-input.json"),
        (Some("input"), "skeleton-input.json"),
        (Some("yaml-input"), "skeleton-yaml-input.yaml"),
    ] {
        let mut c = cmd_of(KBIN);
        c.arg("--generate-cli-skeleton").args(kind);
        c.assert().code(0).stdout(read(file)).stderr("");
    }
    let mut c = cmd_of(KBIN);
    c.args(VALID).args(["--generate-cli-skeleton", "output"]);
    c.assert()
        .code(0)
        .stdout(read("skeleton-output.txt"))
        .stderr("");
}

#[test]
fn a_filled_in_yaml_skeleton_round_trips_to_the_same_request_checks() {
    // --cli-input-yaml of the template: the empty strings fail min length
    // and NONE is refused for a start, all in one report, nothing sent.
    let yaml = std::fs::read_to_string(fixture("kinesis/skeleton-yaml-input.yaml")).unwrap();
    let mut c = cmd_of(KBIN);
    c.args(["--endpoint-url", &closed_url(), "--cli-input-yaml", &yaml]);
    let out = c.assert().code(252).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(
        stderr.contains("Invalid length for parameter StreamName, value: 0, valid min length: 1"),
        "{stderr}"
    );
    assert!(stderr.contains("stop-stream-encryption"), "{stderr}");
}

#[test]
#[ignore = "needs moto_server (MOTO_ENDPOINT)"]
fn emulator_start_then_describe_stream_summary_shows_kms_and_the_key() {
    let arn = moto_stream(&["create-kinesis", "kin-e2e"]);
    assert!(arn.trim().ends_with(":stream/kin-e2e"), "{arn}");
    let mut c = cmd_of(KBIN);
    c.args(["--endpoint-url", &moto_endpoint()])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([
            "--stream-name",
            "kin-e2e",
            "--encryption-type",
            "KMS",
            "--key-id",
            ALIAS,
        ])
        .args(["--wait", "--wait-interval", "50ms", "--wait-timeout", "20s"]);
    let out = c.assert().code(0).get_output().stdout.clone();
    let state: Value = serde_json::from_slice(&out).expect("the state is JSON");
    assert_eq!(state["EncryptionType"], "KMS");
    assert_eq!(state["KeyId"], ALIAS);
    let described: Value =
        serde_json::from_str(&moto_stream(&["describe-kinesis", "kin-e2e"])).unwrap();
    assert_eq!(
        described,
        json!({"StreamStatus": "ACTIVE", "EncryptionType": "KMS", "KeyId": ALIAS})
    );
}
