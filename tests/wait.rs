//! `--wait` end to end (contract §6, issue 4): the binary against a loopback
//! fake whose DescribeDeliveryStream replies follow a script. What ends the
//! wait and with which exit code, what reaches stdout and stderr (nothing
//! while waiting off a terminal), the order of the calls, the timeout and
//! its backoff, and bad durations. One test runs against moto_server
//! (ignored by default) and one under a pseudo-terminal to show the spinner.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const ENC: &str = "--delivery-stream-encryption-configuration-input";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const CMK: &str = "KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// ---------------------------------------------------------------- helpers

/// A full, SDK-valid DescribeDeliveryStream reply for stream `s1` whose
/// encryption configuration is `enc`.
fn described(enc: Value) -> Value {
    json!({"DeliveryStreamDescription": {
        "DeliveryStreamName": "s1",
        "DeliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s1",
        "DeliveryStreamStatus": "ACTIVE",
        "DeliveryStreamType": "DirectPut",
        "VersionId": "1",
        "Destinations": [],
        "HasMoreDestinations": false,
        "DeliveryStreamEncryptionConfiguration": enc,
    }})
}

/// A reply whose customer managed key is in encryption status `status`.
fn with_status(status: &str) -> Value {
    described(json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": status}))
}

fn ok_json(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body.to_string())
}

fn error_json(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body.to_string())
}

/// Answers the i-th request with the i-th reply; the last one repeats.
struct Script {
    replies: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.replies[i.min(self.replies.len() - 1)].clone()
    }
}

/// Answer DescribeDeliveryStream with `replies`, in order.
async fn script_describe(fake: &FakeFirehose, replies: Vec<ResponseTemplate>) {
    assert!(!replies.is_empty());
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-amz-target", DESCRIBE_TARGET))
        .respond_with(Script {
            replies,
            next: AtomicUsize::new(0),
        })
        .mount(&fake.server)
        .await;
}

/// A fake that accepts the start and then describes `statuses` in order.
async fn fake_with_statuses(statuses: &[&str]) -> FakeFirehose {
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        statuses.iter().map(|s| ok_json(&with_status(s))).collect(),
    )
    .await;
    fake
}

/// The X-Amz-Target short names of every request, in the order received.
async fn calls(fake: &FakeFirehose) -> Vec<String> {
    fake.requests()
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .trim_start_matches("Firehose_20150804.")
                .to_owned()
        })
        .collect()
}

fn start_then(describes: usize) -> Vec<String> {
    std::iter::once("StartDeliveryStreamEncryption".to_owned())
        .chain(std::iter::repeat_n(
            "DescribeDeliveryStream".to_owned(),
            describes,
        ))
        .collect()
}

/// A valid `--wait` request for `s1` with a customer managed key, polling fast.
fn wait_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--delivery-stream-name",
        "s1",
        ENC,
        CMK,
        "--wait",
        "--wait-interval",
        "10ms",
    ];
    args.extend_from_slice(extra);
    args
}

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).expect("stderr is UTF-8")
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
    assert_eq!(calls(&fake).await, start_then(3));
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
    assert_eq!(calls(&fake).await, start_then(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_owned_key_final_state_has_no_key_arn() {
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![
            ok_json(&described(
                json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING"}),
            )),
            ok_json(&described(
                json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"}),
            )),
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
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    let mut no_config = described(Value::Null);
    no_config["DeliveryStreamDescription"]
        .as_object_mut()
        .expect("object")
        .remove("DeliveryStreamEncryptionConfiguration");
    script_describe(
        &fake,
        vec![
            ok_json(&no_config),
            ok_json(&with_status("DISABLED")),
            ok_json(&with_status("DISABLING")),
            ok_json(&with_status("ENABLED")),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    assert_eq!(calls(&fake).await, start_then(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn enabling_failed_exits_255_with_type_and_details_and_still_prints_the_state() {
    let details = "Firehose is not allowed to use the key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.";
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![
            ok_json(&with_status("ENABLING")),
            ok_json(&described(json!({
                "KeyARN": KEY_ARN,
                "KeyType": "CUSTOMER_MANAGED_CMK",
                "Status": "ENABLING_FAILED",
                "FailureDescription": {"Type": "KMS_ACCESS_DENIED", "Details": details},
            }))),
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
    assert_eq!(calls(&fake).await, start_then(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn enabling_failed_with_json_error_format_is_parseable() {
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![ok_json(&described(json!({
            "KeyARN": KEY_ARN,
            "KeyType": "CUSTOMER_MANAGED_CMK",
            "Status": "ENABLING_FAILED",
            "FailureDescription": {"Type": "KMS_KEY_NOT_FOUND", "Details": "No such key."},
        })))],
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
        stderr.contains("last status seen: ENABLING\n"),
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
    let describes = fake.bodies(DESCRIBE_TARGET).await.len();
    assert!((2..=5).contains(&describes), "{describes} polls");
    assert_eq!(calls(&fake).await, start_then(describes));
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
    assert_eq!(calls(&fake).await, start_then(0));
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
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![
            ok_json(&with_status("ENABLING")),
            error_json(
                400,
                &json!({"__type": "ResourceNotFoundException", "message": GONE}),
            ),
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
    assert_eq!(calls(&fake).await, start_then(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_error_has_no_hint() {
    // Hints explain refusals of the start, not of the polling.
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![error_json(
            400,
            &json!({"__type": "LimitExceededException", "message": "Rate exceeded."}),
        )],
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
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![
            ok_json(&with_status("ENABLING")),
            error_json(
                400,
                &json!({"__type": "LimitExceededException", "message": "Rate exceeded."}),
            ),
            ok_json(&with_status("ENABLED")),
        ],
    )
    .await;
    let a = run(cmd_at(&fake, &wait_args(&[]))).await.code(0).stderr("");
    assert_eq!(stdout_of(&a), ENABLED_JSON);
    assert_eq!(calls(&fake).await, start_then(3));
}

// ------------------------------------------------- nothing to wait for

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_start_never_describes() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "ResourceNotFoundException", GONE)
        .await;
    script_describe(&fake, vec![ok_json(&with_status("ENABLED"))]).await;
    run(cmd_at(&fake, &wait_args(&[])))
        .await
        .code(254)
        .stdout("")
        .stderr(format!(
            "\naws: [ERROR]: An error occurred (ResourceNotFoundException) when calling the StartDeliveryStreamEncryption operation: {GONE}\n"
        ));
    assert_eq!(calls(&fake).await, start_then(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_wait_nothing_is_printed_and_nothing_is_described() {
    let fake = fake_with_statuses(&["ENABLED"]).await;
    run(cmd_at(&fake, &["--delivery-stream-name", "s1", ENC, CMK]))
        .await
        .code(0)
        .stdout("")
        .stderr("");
    assert_eq!(calls(&fake).await, start_then(0));
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
    assert_eq!(calls(&fake).await, start_then(0));
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

/// Run `scripts/moto_stream.py ARGS` against the emulator with a scrubbed,
/// local-only environment; return its stdout.
fn moto_stream(args: &[&str]) -> String {
    let mut c = std::process::Command::new("python3");
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

#[test]
#[ignore = "needs moto_server"]
fn emulator_wait_reaches_enabled_and_prints_the_state() {
    let name = format!("t4-wait-{}", std::process::id());
    let arn = moto_stream(&["create", &name]);
    assert!(
        arn.trim().ends_with(&format!(":deliverystream/{name}")),
        "{arn}"
    );
    let mut c = cmd();
    c.arg("--endpoint-url").arg(moto_endpoint()).args([
        "--delivery-stream-name",
        &name,
        ENC,
        CMK,
        "--wait",
        "--wait-interval",
        "10ms",
        "--wait-timeout",
        "30s",
    ]);
    let a = c.assert().code(0).stderr("");
    assert_eq!(
        stdout_of(&a),
        format!(
            "{{\n    \"DeliveryStreamName\": \"{name}\",\n    \"DeliveryStreamEncryptionConfiguration\": {{\n        \"KeyARN\": \"{KEY_ARN}\",\n        \"KeyType\": \"CUSTOMER_MANAGED_CMK\",\n        \"Status\": \"ENABLED\"\n    }}\n}}\n"
        )
    );
}

// ---------------------------------------------------------- pseudo-terminal

/// Quote `s` for `sh -c`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Run the binary under a pseudo-terminal (util-linux `script`, which gives
/// it a pty on stdout and stderr; both come back on script's stdout) against
/// `fake`, with `TERM=term`, the same hermetic environment as `cmd()`, and
/// `--wait --wait-interval 200ms`. Returns the exit code and the output.
async fn under_pty(fake: &FakeFirehose, term: &str) -> (Option<i32>, String) {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has_script,
        "util-linux `script` is needed for the pty tests"
    );
    let command = [
        env!("CARGO_BIN_EXE_start-delivery-stream-encryption"),
        "--endpoint-url",
        &fake.url(),
        "--delivery-stream-name",
        "s1",
        ENC,
        CMK,
        "--wait",
        "--wait-interval",
        "200ms",
    ]
    .iter()
    .map(|a| sh_quote(a))
    .collect::<Vec<_>>()
    .join(" ");
    let mut c = assert_cmd::Command::new("script");
    c.args(["-qec", &command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env!("CARGO_MANIFEST_DIR"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"))
        .env("NO_COLOR", "1")
        .env("TERM", term)
        .timeout(Duration::from_secs(30));
    let out = run(c).await.get_output().clone();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_the_spinner_shows_the_status_and_clears_itself() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLING", "ENABLED"]).await;
    let (code, out) = under_pty(&fake, "xterm").await;
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
    assert_eq!(calls(&fake).await, start_then(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dumb_terminal_gets_no_spinner() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLED"]).await;
    let (code, out) = under_pty(&fake, "dumb").await;
    assert_eq!(code, Some(0), "{out:?}");
    assert_eq!(out.replace("\r\n", "\n"), ENABLED_JSON, "only the result");
}

// ------------------------------------------------------------------- Ctrl-C

/// The binary as a plain child process (so it can be signalled), with the
/// same hermetic environment as `cmd()`.
fn hermetic_child(args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_start-delivery-stream-encryption"));
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env!("CARGO_MANIFEST_DIR"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_waiting_exits_130_with_nothing_on_stdout() {
    let fake = fake_with_statuses(&["ENABLING"]).await;
    let url = fake.url();
    let mut args = vec!["--endpoint-url", url.as_str()];
    args.extend(wait_args(&["--wait-timeout", "30s"]));
    let child = hermetic_child(&args).spawn().expect("spawn the binary");
    // Wait until it is polling, then interrupt it (only this child, by pid).
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.bodies(DESCRIBE_TARGET).await.is_empty() {
        assert!(Instant::now() < deadline, "never started polling");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("the binary exits");
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\x1b') && !stderr.contains("[ERROR]"),
        "{stderr:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_timeout_also_bounds_a_describe_that_hangs() {
    // The deadline is for the whole wait: a poll that hangs (here 4s, well
    // under the 60s read timeout) must not carry the run past it, nor turn
    // into a success after it.
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, json!({})).await;
    script_describe(
        &fake,
        vec![ok_json(&with_status("ENABLED")).set_delay(Duration::from_secs(4))],
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
