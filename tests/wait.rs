//! `--wait` end to end (contract §6, issue 4): the binary against a loopback
//! fake whose DescribeDeliveryStream replies follow a script. What ends the
//! wait and with which exit code, what reaches stdout and stderr (nothing
//! while waiting off a terminal), the order of the calls, the timeout and
//! its backoff, and bad durations. One test runs against moto_server
//! (ignored by default) and one under a pseudo-terminal to show the spinner.

mod common;

use std::time::{Duration, Instant};

use common::moto::{cmd_at_moto, create_stream};
use common::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------- helpers

/// The calls of one `--wait` run: the describe of the state before the
/// call, the start, then `describes` polls.
fn start_then(describes: usize) -> Vec<String> {
    ["DescribeDeliveryStream", "StartDeliveryStreamEncryption"]
        .into_iter()
        .map(str::to_owned)
        .chain(std::iter::repeat_n(
            "DescribeDeliveryStream".to_owned(),
            describes,
        ))
        .collect()
}

const ENABLED_JSON: &str = r#"{
    "DeliveryStreamName": "s1",
    "DeliveryStreamEncryptionConfiguration": {
        "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "KeyType": "CUSTOMER_MANAGED_CMK",
        "Status": "ENABLED"
    }
}
"#;

// ------------------------------------------------------------ settled ends

#[tokio::test(flavor = "multi_thread")]
async fn enabling_twice_then_enabled_prints_the_final_state_and_nothing_else() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLING", "ENABLED"]).await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0);
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    let stderr = stderr_of(&a);
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "no spinner off a terminal: {stderr:?}"
    );
    assert_eq!(stderr, "", "nothing on stderr off a terminal");
    assert_eq!(fake.calls().await, start_then(3));
    // Every poll asks about the stream that was started.
    for body in fake.bodies(DESCRIBE_TARGET).await {
        assert_eq!(body, json!({"DeliveryStreamName": "s1"}));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn already_enabled_on_the_first_poll_needs_one_describe() {
    let fake = fake_with_statuses(&["ENABLED"]).await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    assert_eq!(fake.calls().await, start_then(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_owned_key_final_state_has_no_key_arn() {
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(
                200,
                described(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING"})),
            ),
            amz_json(
                200,
                described(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"})),
            ),
        ],
    )
    .await;
    let a = run(cmd_at(
        &fake,
        &[
            "--delivery-stream-name",
            "s1",
            ENC,
            "KeyType=AWS_OWNED_CMK",
            "--wait",
            "--wait-interval",
            "10ms",
        ],
    ))
    .await
    .code(0)
    .stderr("");
    assert_eq!(
        stdout_of(&a),
        "{\n    \"DeliveryStreamName\": \"s1\",\n    \"DeliveryStreamEncryptionConfiguration\": {\n        \"KeyType\": \"AWS_OWNED_CMK\",\n        \"Status\": \"ENABLED\"\n    }\n}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn statuses_other_than_the_two_final_ones_keep_it_polling() {
    // No configuration yet, then DISABLED and DISABLING: none of them ends the wait.
    let fake = accepting().await;
    let no_config = description("DirectPut", "ACTIVE");
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, no_config),
            amz_json(200, with_status("DISABLED")),
            amz_json(200, with_status("DISABLING")),
            amz_json(200, with_status("ENABLED")),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    assert_eq!(fake.calls().await, start_then(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn enabling_failed_exits_255_with_type_and_details_and_still_prints_the_state() {
    let details = "Firehose is not allowed to use the key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.";
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, with_status("ENABLING")),
            amz_json(200, enabling_failed("KMS_ACCESS_DENIED", details)),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(255);
    let stderr = stderr_of(&a);
    assert!(stderr.contains("KMS_ACCESS_DENIED"), "{stderr}");
    assert!(stderr.contains(details), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "\naws: [ERROR]: Enabling encryption failed for delivery stream \"s1\": KMS_ACCESS_DENIED: {details}\n"
        )
    );
    let state: Value = serde_json::from_str(&stdout_of(&a)).expect("stdout is the final state");
    assert_eq!(
        state,
        json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfiguration": {
            "KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLING_FAILED",
            "FailureDescription": {"Type": "KMS_ACCESS_DENIED", "Details": details}}})
    );
    assert!(stdout_of(&a).starts_with("{\n    \"DeliveryStreamName\""));
    assert_eq!(fake.calls().await, start_then(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn enabling_failed_with_json_error_format_is_parseable() {
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_json(
            200,
            enabling_failed("KMS_KEY_NOT_FOUND", "No such key."),
        )],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&["--cli-error-format", "json"])))
        .await
        .code(255);
    let err: Value = serde_json::from_str(&stderr_of(&a)).expect("stderr is JSON");
    assert_eq!(err["Code"], "EnablingFailed");
    let message = err["Message"].as_str().expect("Message");
    assert!(
        message.contains("KMS_KEY_NOT_FOUND") && message.contains("No such key."),
        "{message}"
    );
}

// ----------------------------------------------------------------- timeout

#[tokio::test(flavor = "multi_thread")]
async fn timeout_exits_255_naming_the_last_status_and_the_time_waited() {
    let fake = fake_with_statuses(&["ENABLING"]).await;
    let started = Instant::now();
    let a = run(cmd_at(
        &fake,
        &[
            "--delivery-stream-name",
            "s1",
            ENC,
            CMK,
            "--wait",
            "--wait-timeout",
            "300ms",
            "--wait-interval",
            "50ms",
        ],
    ))
    .await
    .code(255)
    .stdout("");
    let elapsed = started.elapsed();
    let stderr = stderr_of(&a);
    assert!(stderr.contains("timed out"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "last status seen: ENABLING; key in place: KeyType=CUSTOMER_MANAGED_CMK, KeyARN={KEY_ARN}\n"
        )),
        "names the last status: {stderr}"
    );
    // How long it waited: "after NNNms" (it is under a second).
    let after = stderr
        .split("timed out after ")
        .nth(1)
        .unwrap_or_else(|| panic!("says how long: {stderr}"));
    let ms: u64 = after
        .split("ms")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a duration in ms: {stderr}"));
    assert!((300..1000).contains(&ms), "waited {ms}ms: {stderr}");
    assert!(
        stderr.starts_with("\naws: [ERROR]: Waiter timed out after "),
        "{stderr}"
    );
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    // Backoff: 50ms, then about 100ms, 200ms… capped by the deadline, so only
    // a handful of polls (without backoff 300/50 = 6, busy-looping thousands).
    let describes = fake.polls().await;
    assert!((2..=5).contains(&describes), "{describes} polls");
    assert_eq!(fake.calls().await, start_then(describes));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zero_timeout_gives_up_before_the_first_poll() {
    let fake = fake_with_statuses(&["ENABLED"]).await;
    let a = run(cmd_at(&fake, &wait_args(&["--wait-timeout", "0"])))
        .await
        .code(255)
        .stdout("");
    let stderr = stderr_of(&a);
    assert!(
        stderr.contains("timed out") && stderr.contains("last status seen: (not yet described)"),
        "{stderr}"
    );
    assert_eq!(fake.calls().await, start_then(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_seconds_are_a_duration() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLED"]).await;
    let mut args = wait_args(&[]);
    args.extend(["--wait-interval", "0.01", "--wait-timeout", "5"]);
    let a = run(cmd_at(&fake, &args)).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
}

// ---------------------------------------------------------- describe errors

const GONE: &str = "Firehose s1 under account 123456789012 not found.";

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_error_mid_wait_exits_254_with_the_describe_operation_named() {
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, with_status("ENABLING")),
            amz_error("ResourceNotFoundException", GONE),
        ],
    )
    .await;
    run(cmd_at(&fake, &wait_args(&[])))
        .await
        .code(254)
        .stdout("")
        .stderr(format!(
            "\naws: [ERROR]: An error occurred (ResourceNotFoundException) when calling the DescribeDeliveryStream operation: {GONE}\n"
        ));
    assert_eq!(fake.calls().await, start_then(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_error_has_no_hint() {
    // Hints explain refusals of the start, not of the polling.
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_error("LimitExceededException", "Rate exceeded.")],
    )
    .await;
    let mut c = cmd_at(&fake, &wait_args(&[]));
    c.env("AWS_MAX_ATTEMPTS", "1");
    run(c).await.code(254).stdout("").stderr(
        "\naws: [ERROR]: An error occurred (LimitExceededException) when calling the DescribeDeliveryStream operation: Rate exceeded.\n",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_poll_is_retried_and_the_wait_goes_on() {
    // The SDK retries LimitExceededException as throttling (default three
    // attempts), so one throttled describe does not end the wait.
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, with_status("ENABLING")),
            amz_error("LimitExceededException", "Rate exceeded."),
            amz_json(200, with_status("ENABLED")),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    assert_eq!(fake.calls().await, start_then(3));
}

// ------------------------------------------------- nothing to wait for

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_start_is_never_polled() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "ResourceNotFoundException", GONE)
        .await;
    fake.script(DESCRIBE_TARGET, vec![amz_json(200, with_status("ENABLED"))])
        .await;
    run(cmd_at(&fake, &wait_args(&[])))
        .await
        .code(254)
        .stdout("")
        .stderr(format!(
            "\naws: [ERROR]: An error occurred (ResourceNotFoundException) when calling the StartDeliveryStreamEncryption operation: {GONE}\n"
        ));
    // Only the describe of the state before the call.
    assert_eq!(fake.calls().await, start_then(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_wait_nothing_is_printed_and_nothing_is_described() {
    let fake = fake_with_statuses(&["ENABLED"]).await;
    run(cmd_at(&fake, &["--delivery-stream-name", "s1", ENC, CMK]))
        .await
        .code(0)
        .stdout("")
        .stderr("");
    assert_eq!(fake.calls().await, ["StartDeliveryStreamEncryption"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_options_without_wait_do_nothing() {
    let fake = fake_with_statuses(&["ENABLED"]).await;
    run(cmd_at(
        &fake,
        &[
            "--delivery-stream-name",
            "s1",
            ENC,
            CMK,
            "--wait-timeout",
            "1s",
            "--wait-interval",
            "10ms",
        ],
    ))
    .await
    .code(0)
    .stdout("")
    .stderr("");
    assert_eq!(fake.calls().await, ["StartDeliveryStreamEncryption"]);
}

// ------------------------------------------------------------ bad durations

async fn assert_bad_duration(args: &[&str], stderr_has: &str) {
    let fake = fake_with_statuses(&["ENABLED"]).await;
    let mut all = vec!["--delivery-stream-name", "s1", ENC, CMK, "--wait"];
    all.extend_from_slice(args);
    let a = run(cmd_at(&fake, &all)).await.code(252).stdout("");
    let stderr = stderr_of(&a);
    assert!(stderr.contains(stderr_has), "{args:?}: {stderr}");
    assert!(fake.requests().await.is_empty(), "{args:?}: nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_wait_timeout_is_252_before_any_request() {
    assert_bad_duration(
        &["--wait-timeout", "abc"],
        "expected a duration such as 500ms, 5s, 2m or 0.5 (seconds), got \"abc\"",
    )
    .await;
    assert_bad_duration(&["--wait-timeout", "5x"], "got \"5x\"").await;
    assert_bad_duration(&["--wait-timeout", ""], "expected a duration").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_negative_wait_interval_is_252_before_any_request() {
    // As a separate word, clap sees `-1` as an unknown flag; attached, the
    // duration parser rejects it. Either way nothing is sent.
    assert_bad_duration(&["--wait-interval", "-1"], "-1").await;
    assert_bad_duration(
        &["--wait-interval=-1"],
        "expected a duration such as 500ms, 5s, 2m or 0.5 (seconds), got \"-1\"",
    )
    .await;
}

// ------------------------------------------------------------------ emulator

#[test]
#[ignore = "needs moto_server"]
fn emulator_wait_reaches_enabled_and_prints_the_state() {
    let name = format!("t4-wait-{}", std::process::id());
    create_stream(&name);
    let a = cmd_at_moto(&[
        "--delivery-stream-name",
        &name,
        ENC,
        CMK,
        "--wait",
        "--wait-interval",
        "10ms",
        "--wait-timeout",
        "30s",
    ])
    .assert()
    .code(0)
    .stderr("");
    assert_eq!(
        stdout_of(&a),
        format!(
            "{{\n    \"DeliveryStreamName\": \"{name}\",\n    \"DeliveryStreamEncryptionConfiguration\": {{\n        \"KeyARN\": \"{KEY_ARN}\",\n        \"KeyType\": \"CUSTOMER_MANAGED_CMK\",\n        \"Status\": \"ENABLED\"\n    }}\n}}\n"
        )
    );
}

// ---------------------------------------------------------- pseudo-terminal

/// The binary at `fake` with `--wait --wait-interval 200ms`, under a pty
/// with `TERM=term`.
async fn wait_under_pty(fake: &FakeFirehose, term: &str) -> (Option<i32>, String) {
    let url = fake.url();
    let args: Vec<&str> = ["--endpoint-url", url.as_str()]
        .into_iter()
        .chain(wait_args_every("200ms", &[]))
        .collect();
    under_pty(&args, term).await
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_the_spinner_shows_the_status_and_clears_itself() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLING", "ENABLED"]).await;
    let (code, out) = wait_under_pty(&fake, "xterm").await;
    assert_eq!(code, Some(0), "{out:?}");
    assert!(
        out.contains("Waiting for the encryption of s1:"),
        "the spinner names what it waits for: {out:?}"
    );
    assert!(out.contains("ENABLING"), "shows the status: {out:?}");
    assert!(
        out.contains('\r') && out.contains("\x1b[2K"),
        "redraws in place and erases the line: {out:?}"
    );
    // The final state still arrives, after the spinner is cleared (the pty
    // turns \n into \r\n).
    let json_start = out.find("{\r\n").expect("the final state is printed");
    assert!(
        out[..json_start].ends_with("\r\x1b[2K"),
        "the spinner is cleared before the result: {out:?}"
    );
    assert_eq!(
        out[json_start..].replace("\r\n", "\n"),
        ENABLED_JSON,
        "{out:?}"
    );
    assert_eq!(fake.calls().await, start_then(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dumb_terminal_gets_no_spinner() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLED"]).await;
    let (code, out) = wait_under_pty(&fake, "dumb").await;
    assert_eq!(code, Some(0), "{out:?}");
    assert_eq!(out.replace("\r\n", "\n"), ENABLED_JSON, "only the result");
}

// ------------------------------------------------------------------- Ctrl-C

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_waiting_exits_130_with_nothing_on_stdout() {
    let fake = fake_with_statuses(&["ENABLING"]).await;
    let child = spawn_piped(&cmd_at(&fake, &wait_args(&["--wait-timeout", "30s"])));
    // Wait until it is polling, then interrupt it (only this child, by pid).
    wait_for("never started polling", Duration::from_secs(10), || async {
        fake.polls().await > 0
    })
    .await;
    // Let the binary read the reply of that poll.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let out = interrupt(child).await;
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\x1b') && !stderr.contains("[ERROR]"),
        "{stderr:?}"
    );
    // One line: accepted and going on, the last status, how to check.
    assert_eq!(
        stderr.trim_start_matches('\n').lines().count(),
        1,
        "{stderr:?}"
    );
    assert!(
        stderr.contains("the service accepted StartDeliveryStreamEncryption")
            && stderr.contains("goes on with it; last status seen: ENABLING.")
            && stderr.contains(
                "Check it with: aws firehose describe-delivery-stream --delivery-stream-name s1"
            ),
        "{stderr:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_timeout_also_bounds_a_describe_that_hangs() {
    // The deadline is for the whole wait: a poll that hangs (here 4s, well
    // under the 60s read timeout) must not carry the run past it, nor turn
    // into a success after it.
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_json(200, with_status("ENABLED")).set_delay(Duration::from_secs(4))],
    )
    .await;
    let started = Instant::now();
    let a = run(cmd_at(&fake, &wait_args(&["--wait-timeout", "500ms"])))
        .await
        .stdout("");
    let elapsed = started.elapsed();
    let a = a.code(255);
    let stderr = stderr_of(&a);
    assert!(stderr.contains("timed out"), "{stderr}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zero_wait_interval_still_backs_off() {
    // Backoff doubles the delay; from 0 it must still grow, or the wait
    // polls DescribeDeliveryStream in a tight loop until the deadline.
    let fake = fake_with_statuses(&["ENABLING"]).await;
    let mut args = wait_args(&[]);
    args.extend(["--wait-interval", "0", "--wait-timeout", "500ms"]);
    let a = run(cmd_at(&fake, &args)).await.code(255).stdout("");
    assert!(stderr_of(&a).contains("timed out"));
    let describes = fake.bodies(DESCRIBE_TARGET).await.len();
    assert!(describes <= 20, "{describes} polls in 500ms");
}

// ------------------------------------- the requested key, not the old one

/// Another customer managed key: the one in place before the call.
const OLD_KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000";

fn with_key(status: &str, key_arn: &str) -> Value {
    described(json!({"KeyARN": key_arn, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": status}))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_change_is_not_done_while_the_old_key_shows_enabled() {
    let fake = accepting().await;
    fake.before(with_key("ENABLED", OLD_KEY));
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, with_key("ENABLED", OLD_KEY)),
            amz_json(200, with_key("ENABLING", KEY_ARN)),
            amz_json(200, with_key("ENABLED", KEY_ARN)),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON, "the requested key, enabled");
    assert_eq!(fake.calls().await, start_then(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_earlier_enabling_failed_does_not_end_a_new_attempt() {
    let fake = accepting().await;
    let earlier = enabling_failed("KMS_KEY_NOT_FOUND", "The key was not found.");
    fake.before(earlier.clone());
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, &earlier),
            amz_json(200, with_status("ENABLING")),
            amz_json(200, with_status("ENABLED")),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    assert_eq!(fake.calls().await, start_then(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_key_change_says_the_old_key_stays_in_use() {
    let fake = accepting().await;
    fake.before(with_key("ENABLED", OLD_KEY));
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_json(
            200,
            enabling_failed("KMS_ACCESS_DENIED", "Access denied to key."),
        )],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(255);
    assert_eq!(
        stderr_of(&a),
        format!(
            "\naws: [ERROR]: Enabling encryption failed for delivery stream \"s1\": KMS_ACCESS_DENIED: Access denied to key. Encryption stays ENABLED with the key in place before this call: KeyType=CUSTOMER_MANAGED_CMK, KeyARN={OLD_KEY}\n"
        )
    );
    assert!(stdout_of(&a).contains("\"Status\": \"ENABLING_FAILED\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_during_a_key_change_names_the_key_in_place() {
    let fake = accepting().await;
    fake.before(with_key("ENABLED", OLD_KEY));
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_json(200, with_key("ENABLED", OLD_KEY))],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&["--wait-timeout", "300ms"])))
        .await
        .code(255)
        .stdout("");
    let stderr = stderr_of(&a);
    assert!(
        stderr.ends_with(&format!(
            "did not reach ENABLED with the requested key; last status seen: ENABLED (unchanged since before the call); key in place: KeyType=CUSTOMER_MANAGED_CMK, KeyARN={OLD_KEY}\n"
        )),
        "{stderr}"
    );
}
