//! Hints after a refusal (contract §6, issue 6): the canonical line and exit
//! 254 stay; a `Hint:` line says why and what to do, built from the error
//! code, the KMS code it carries, or a best-effort description of the
//! stream. Each case runs against a loopback fake scripted with the refusal
//! and the describe reply, and checks which calls were made.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

const VALID: &[&str] = &["--delivery-stream-name", "s1", ENC, "KeyType=AWS_OWNED_CMK"];
const SOURCE_ARN: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/src";
/// This tool's own Kinesis command, named first in the hint.
const OWN_KINESIS_COMMAND: &str = "start-stream-encryption --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/src --encryption-type KMS --key-id alias/aws/kinesis";

const KINESIS_COMMAND: &str = "aws kinesis start-stream-encryption --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/src --encryption-type KMS --key-id alias/aws/kinesis";

const NOT_PERMITTED: &str =
    "This operation is not permitted on KinesisStreamAsSource delivery stream type.";
const NOT_ACTIVE: &str = "Firehose s1 is not in the ACTIVE state.";
const LIMIT: &str =
    "You have exceeded the limit of 25 start and stop encryption calls in 24 hours.";
const KMS: &str = "Firehose could not access the KMS key.";

// ---------------------------------------------------------------- helpers

/// A full DescribeDeliveryStream reply for `s1` with this type and status
/// (and, for a Kinesis source, its source stream).
fn described_as(stream_type: &str, status: &str) -> Value {
    let mut d = description(stream_type, status);
    if stream_type == "KinesisStreamAsSource" {
        d["DeliveryStreamDescription"]["Source"] = json!({"KinesisStreamSourceDescription": {
            "KinesisStreamARN": SOURCE_ARN,
            "RoleARN": "arn:aws:iam::123456789012:role/r",
        }});
    }
    d
}

/// A fake that refuses the start with `code`/`message` and describes the
/// stream with `describe` (if given).
async fn refusing(code: &str, message: &str, describe: Option<Value>) -> FakeFirehose {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, code, message).await;
    if let Some(body) = describe {
        fake.reply(DESCRIBE_TARGET, 200, body).await;
    }
    fake
}

const START_ONLY: &[&str] = &["StartDeliveryStreamEncryption"];
const START_AND_DESCRIBE: &[&str] = &["StartDeliveryStreamEncryption", "DescribeDeliveryStream"];

/// Run `args` (plus `env`) against `fake`; expect exit 254 and an empty
/// stdout; return stderr.
async fn refused(fake: &FakeFirehose, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = cmd_at(fake, args);
    for (k, v) in env {
        c.env(k, v);
    }
    let a = run(c).await.code(254).stdout("");
    stderr_of(&a)
}

/// The text after `Hint: ` up to the end of stderr, checking that it comes
/// right after the canonical block and a blank line.
fn hint_after(stderr: &str, code: &str, message: &str) -> String {
    let head = canonical(code, message);
    let rest = stderr
        .strip_prefix(&head)
        .unwrap_or_else(|| panic!("the canonical line comes first: {stderr:?}"));
    let hint = rest
        .strip_prefix("\nHint: ")
        .unwrap_or_else(|| panic!("a Hint: line follows: {stderr:?}"));
    assert!(hint.ends_with('\n'), "{stderr:?}");
    hint.to_owned()
}

// ------------------------------------------------------- describe-based hints

#[tokio::test(flavor = "multi_thread")]
async fn kinesis_source_hint_names_the_source_arn_and_the_kinesis_command() {
    let code = "InvalidArgumentException";
    let fake = refusing(
        code,
        NOT_PERMITTED,
        Some(described_as("KinesisStreamAsSource", "ACTIVE")),
    )
    .await;
    let stderr = refused(&fake, VALID, &[]).await;
    let hint = hint_after(&stderr, code, NOT_PERMITTED);
    let first = hint.lines().next().unwrap_or_default();
    assert!(first.contains(SOURCE_ARN), "names the source: {stderr}");
    assert!(
        hint.lines().any(|l| l.trim() == KINESIS_COMMAND),
        "the exact command, on a line of its own: {stderr}"
    );
    let own = hint.lines().position(|l| l.trim() == OWN_KINESIS_COMMAND);
    let aws = hint.lines().position(|l| l.trim() == KINESIS_COMMAND);
    assert!(
        own.is_some() && own < aws,
        "start-stream-encryption first, then the AWS CLI's: {stderr}"
    );
    assert_eq!(fake.calls().await, START_AND_DESCRIBE);
    assert_eq!(
        fake.bodies(DESCRIBE_TARGET).await,
        vec![json!({"DeliveryStreamName": "s1"})]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kinesis_source_hint_also_follows_a_resource_in_use_refusal() {
    let code = "ResourceInUseException";
    let fake = refusing(
        code,
        NOT_ACTIVE,
        Some(described_as("KinesisStreamAsSource", "ACTIVE")),
    )
    .await;
    let stderr = refused(&fake, VALID, &[]).await;
    let hint = hint_after(&stderr, code, NOT_ACTIVE);
    assert!(hint.contains(KINESIS_COMMAND), "{stderr}");
    assert_eq!(fake.calls().await, START_AND_DESCRIBE);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_wait_a_refusal_gets_its_hint_and_no_polling() {
    let code = "InvalidArgumentException";
    let fake = refusing(
        code,
        NOT_PERMITTED,
        Some(described_as("KinesisStreamAsSource", "ACTIVE")),
    )
    .await;
    let mut args = VALID.to_vec();
    args.extend(["--wait", "--wait-interval", "10ms"]);
    let stderr = refused(&fake, &args, &[]).await;
    assert!(hint_after(&stderr, code, NOT_PERMITTED).contains(KINESIS_COMMAND));
    assert_eq!(
        fake.calls().await,
        [
            "DescribeDeliveryStream",
            "StartDeliveryStreamEncryption",
            "DescribeDeliveryStream"
        ],
        "the state before the call, the refused start, one describe for the hint, no polls"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn other_source_types_are_named() {
    let code = "InvalidArgumentException";
    let message = "This operation is not permitted on MSKAsSource delivery stream type.";
    let fake = refusing(code, message, Some(described_as("MSKAsSource", "ACTIVE"))).await;
    let stderr = refused(&fake, VALID, &[]).await;
    let hint = hint_after(&stderr, code, message);
    assert!(hint.contains("MSKAsSource"), "{stderr}");
    assert!(!hint.contains("aws kinesis"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_not_yet_active_says_its_status_and_to_retry_once_active() {
    let code = "ResourceInUseException";
    let fake = refusing(
        code,
        NOT_ACTIVE,
        Some(described_as("DirectPut", "CREATING")),
    )
    .await;
    let stderr = refused(&fake, VALID, &[]).await;
    let hint = hint_after(&stderr, code, NOT_ACTIVE);
    assert!(hint.contains("CREATING"), "{stderr}");
    assert!(hint.contains("Retry once it is ACTIVE"), "{stderr}");
    assert_eq!(fake.calls().await, START_AND_DESCRIBE);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_active_direct_put_stream_gives_nothing_to_explain() {
    let code = "InvalidArgumentException";
    let message = "Something else is wrong.";
    let fake = refusing(code, message, Some(described_as("DirectPut", "ACTIVE"))).await;
    let stderr = refused(&fake, VALID, &[]).await;
    assert_eq!(stderr, canonical(code, message), "no hint from no facts");
    assert_eq!(fake.calls().await, START_AND_DESCRIBE);
}

// ------------------------------------------------------- error-based hints

#[tokio::test(flavor = "multi_thread")]
async fn limit_exceeded_hint_names_the_shared_budget_without_describing() {
    let code = "LimitExceededException";
    let fake = refusing(code, LIMIT, Some(described_as("DirectPut", "ACTIVE"))).await;
    // The SDK retries LimitExceededException as throttling: one attempt only.
    let stderr = refused(&fake, VALID, &[("AWS_MAX_ATTEMPTS", "1")]).await;
    let hint = hint_after(&stderr, code, LIMIT);
    assert!(
        hint.contains("25 calls") && hint.contains("24 hours"),
        "{stderr}"
    );
    assert!(hint.contains("StopDeliveryStreamEncryption"), "{stderr}");
    assert!(hint.contains("500"), "the per-key stream limit: {stderr}");
    assert_eq!(hint.lines().count(), 1, "{stderr}");
    assert_eq!(fake.calls().await, START_ONLY, "no describe");
}

/// Refuse with InvalidKMSResourceException carrying `kms_code`; return the hint.
async fn kms_hint(kms_code: Option<&str>) -> String {
    let fake = FakeFirehose::start().await;
    let mut body = json!({"__type": "InvalidKMSResourceException", "message": KMS});
    if let Some(c) = kms_code {
        body["code"] = json!(c);
    }
    fake.reply(START_TARGET, 400, body).await;
    fake.reply(DESCRIBE_TARGET, 200, described_as("DirectPut", "ACTIVE"))
        .await;
    let stderr = refused(&fake, VALID, &[]).await;
    assert_eq!(fake.calls().await, START_ONLY, "no describe");
    hint_after(&stderr, "InvalidKMSResourceException", KMS)
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_kms_resource_hint_names_the_kms_code_without_describing() {
    let hint = kms_hint(Some("DisabledException")).await;
    assert!(hint.contains("DisabledException"), "{hint}");
    for check in ["enabled", "symmetric", "kms:CreateGrant", "6 hours"] {
        assert!(hint.contains(check), "{check}: {hint}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_kms_code_is_named() {
    for code in [
        "AccessDeniedException",
        "InvalidStateException",
        "NotFoundException",
    ] {
        let hint = kms_hint(Some(code)).await;
        assert!(hint.contains(code), "{code}: {hint}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_kms_resource_without_a_kms_code_still_says_what_to_check() {
    let hint = kms_hint(None).await;
    assert!(hint.contains("kms:CreateGrant"), "{hint}");
    assert!(!hint.contains("()"), "{hint}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_namespaced_kms_error_type_still_gets_its_hint() {
    let fake = FakeFirehose::start().await;
    fake.reply(
        START_TARGET,
        400,
        json!({"__type": "com.amazonaws.firehose#InvalidKMSResourceException",
               "code": "NotFoundException", "message": KMS}),
    )
    .await;
    let stderr = refused(&fake, VALID, &[]).await;
    let hint = hint_after(&stderr, "InvalidKMSResourceException", KMS);
    assert!(hint.contains("NotFoundException"), "{stderr}");
    assert_eq!(fake.calls().await, START_ONLY);
}

#[tokio::test(flavor = "multi_thread")]
async fn other_refusals_have_no_hint_and_no_describe() {
    let code = "ResourceNotFoundException";
    let message = "Firehose s1 under account 123456789012 not found.";
    let fake = refusing(code, message, Some(described_as("DirectPut", "CREATING"))).await;
    let stderr = refused(&fake, VALID, &[]).await;
    assert_eq!(stderr, canonical(code, message));
    assert_eq!(fake.calls().await, START_ONLY);
}

// ------------------------------------------------- when the describe fails

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_500_leaves_the_canonical_line_alone() {
    let code = "InvalidArgumentException";
    let fake = refusing(code, NOT_PERMITTED, None).await;
    fake.reply(
        DESCRIBE_TARGET,
        500,
        json!({"__type": "ServiceUnavailableException", "message": "Try later."}),
    )
    .await;
    let stderr = refused(&fake, VALID, &[("AWS_MAX_ATTEMPTS", "1")]).await;
    assert_eq!(stderr, canonical(code, NOT_PERMITTED));
    assert_eq!(fake.calls().await, START_AND_DESCRIBE);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_not_found_leaves_the_canonical_line_alone() {
    let code = "ResourceInUseException";
    let fake = refusing(code, NOT_ACTIVE, None).await;
    fake.reply_error(
        DESCRIBE_TARGET,
        "ResourceNotFoundException",
        "Firehose s1 under account 123456789012 not found.",
    )
    .await;
    let stderr = refused(&fake, VALID, &[]).await;
    assert_eq!(stderr, canonical(code, NOT_ACTIVE));
    assert_eq!(fake.calls().await, START_AND_DESCRIBE);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_describe_leaves_the_canonical_line_alone() {
    let code = "InvalidArgumentException";
    let fake = refusing(code, NOT_PERMITTED, None).await;
    fake.script(DESCRIBE_TARGET, vec![html(200, "<html>oops</html>")])
        .await;
    let stderr = refused(&fake, VALID, &[]).await;
    assert_eq!(stderr, canonical(code, NOT_PERMITTED));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_slower_than_the_hint_budget_is_abandoned() {
    // The describe behind a hint is best effort with a short budget (5s),
    // far below the 60s read timeout.
    let code = "InvalidArgumentException";
    let fake = refusing(code, NOT_PERMITTED, None).await;
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, described_as("KinesisStreamAsSource", "ACTIVE"))
                .set_delay(Duration::from_secs(20)),
        ],
    )
    .await;
    let started = Instant::now();
    let stderr = refused(&fake, VALID, &[]).await;
    let elapsed = started.elapsed();
    assert_eq!(stderr, canonical(code, NOT_PERMITTED));
    assert!(elapsed < Duration::from_secs(12), "{elapsed:?}");
}

// ----------------------------------------------------------- happy path

#[tokio::test(flavor = "multi_thread")]
async fn a_successful_start_makes_no_describe_call() {
    let fake = accepting().await;
    fake.reply(DESCRIBE_TARGET, 200, described_as("DirectPut", "ACTIVE"))
        .await;
    run(cmd_at(&fake, VALID))
        .await
        .code(0)
        .stdout("")
        .stderr("");
    assert_eq!(fake.calls().await, START_ONLY);
}

// ------------------------------------------------------------ error formats

/// A Kinesis-source refusal rendered with `--cli-error-format FORMAT`.
async fn kinesis_refusal_in(format: &str) -> String {
    let fake = refusing(
        "InvalidArgumentException",
        NOT_PERMITTED,
        Some(described_as("KinesisStreamAsSource", "ACTIVE")),
    )
    .await;
    let mut args = VALID.to_vec();
    args.extend(["--cli-error-format", format]);
    refused(&fake, &args, &[]).await
}

/// A limit refusal (one-line hint) rendered with `--cli-error-format FORMAT`.
async fn limit_refusal_in(format: &str) -> String {
    let fake = refusing("LimitExceededException", LIMIT, None).await;
    let mut args = VALID.to_vec();
    args.extend(["--cli-error-format", format]);
    refused(&fake, &args, &[("AWS_MAX_ATTEMPTS", "1")]).await
}

/// The one-line limit hint as the enhanced format prints it.
async fn limit_hint() -> String {
    let stderr = limit_refusal_in("enhanced").await;
    hint_after(&stderr, "LimitExceededException", LIMIT)
        .trim_end()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn json_error_format_carries_the_hint_as_a_field() {
    let stderr = kinesis_refusal_in("json").await;
    let doc: Value = serde_json::from_str(&stderr).expect("stderr is one JSON document");
    assert_eq!(doc["Code"], "InvalidArgumentException");
    assert_eq!(doc["Message"], NOT_PERMITTED);
    let hint = doc["Hint"].as_str().expect("a Hint string");
    assert!(
        hint.contains(SOURCE_ARN) && hint.contains(KINESIS_COMMAND),
        "{hint}"
    );
    assert_eq!(
        doc.as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec![
            "Message".into(),
            "Code".into(),
            "message".into(),
            "Hint".into()
        ]),
        "AWS CLI v2's order (Message, Code, the response's members), then Hint"
    );
    assert!(
        !stderr.contains("Hint: "),
        "no separate hint line: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn json_error_format_from_the_environment_carries_the_hint_too() {
    let fake = refusing("LimitExceededException", LIMIT, None).await;
    let stderr = refused(
        &fake,
        VALID,
        &[("AWS_MAX_ATTEMPTS", "1"), ("AWS_CLI_ERROR_FORMAT", "json")],
    )
    .await;
    let doc: Value = serde_json::from_str(&stderr).expect("JSON");
    assert_eq!(doc["Code"], "LimitExceededException");
    assert!(doc["Hint"].as_str().is_some_and(|h| h.contains("25 calls")));
}

#[tokio::test(flavor = "multi_thread")]
async fn json_error_format_without_a_hint_has_no_hint_field() {
    let fake = refusing(
        "ResourceNotFoundException",
        "Firehose s1 under account 123456789012 not found.",
        None,
    )
    .await;
    let mut args = VALID.to_vec();
    args.extend(["--cli-error-format", "json"]);
    let doc: Value = serde_json::from_str(&refused(&fake, &args, &[]).await).expect("JSON");
    assert_eq!(
        doc,
        json!({"Message": "Firehose s1 under account 123456789012 not found.",
               "Code": "ResourceNotFoundException",
               "message": "Firehose s1 under account 123456789012 not found."})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_error_format_keeps_the_canonical_line_and_the_hint_line() {
    let stderr = kinesis_refusal_in("legacy").await;
    let hint = hint_after(&stderr, "InvalidArgumentException", NOT_PERMITTED);
    assert!(hint.contains(KINESIS_COMMAND), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn yaml_error_format_loads_with_code_message_and_hint() {
    let stderr = kinesis_refusal_in("yaml").await;
    let doc: Value = serde_saphyr::from_str(&stderr)
        .unwrap_or_else(|e| panic!("stderr is YAML ({e}): {stderr}"));
    assert_eq!(doc["Code"], "InvalidArgumentException");
    assert_eq!(doc["Message"], NOT_PERMITTED);
    assert!(
        doc["Hint"]
            .as_str()
            .is_some_and(|h| h.contains(KINESIS_COMMAND)),
        "{stderr}"
    );
    assert!(
        stderr.starts_with("Code: InvalidArgumentException\n"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn text_error_format_is_one_tab_separated_line_with_sorted_keys() {
    let hint = limit_hint().await;
    let stderr = limit_refusal_in("text").await;
    // Sorted keys: Code, Hint, Message, message.
    assert_eq!(
        stderr,
        format!("LimitExceededException\t{hint}\t{LIMIT}\t{LIMIT}\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn table_error_format_is_a_table_titled_error() {
    let stderr = limit_refusal_in("table").await;
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].chars().all(|c| c == '-'), "{stderr}");
    assert_eq!(
        lines[1].trim_matches(|c| c == '|' || c == ' '),
        "error",
        "{stderr}"
    );
    for word in [
        "Code",
        "Hint",
        "Message",
        "LimitExceededException",
        "25 calls",
    ] {
        assert!(stderr.contains(word), "{word}: {stderr}");
    }
}
