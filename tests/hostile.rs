//! Hostile input (contract §14), end to end, against loopback fakes that
//! misbehave on purpose: files that never end or are too large, numbers
//! past any sane bound, a 20 MB service message, escape sequences in
//! service messages, stream names, statuses and hints.
//!
//! Each test names the item of §14 it covers: files read with a bound;
//! numbers range-checked before use; stderr bounded; control characters
//! never reaching a terminal raw. The bounds themselves are in
//! `src/bounds.rs`; the escaping and cutting in `src/terminal_text.rs`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::account::{FakeAccount, START};
use common::*;
use serde_json::{Value, json};

/// The bound on files, as `src/bounds.rs` says it.
const FILE_BOUND: &str = "larger than 16 MiB";

/// A sparse file of 17 MiB (no disk space used).
fn oversize_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("big");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    path
}

/// Run `c` with its address space bounded (2 GB), so that an unbounded read
/// fails instead of taking the machine's memory; returns the output and how
/// long it took.
fn run_bounded(c: &assert_cmd::Command) -> (std::process::Output, Duration) {
    let mut w = wrapped(
        c,
        "bash",
        &["-c", "ulimit -v 2000000 && exec \"$0\" \"$@\""],
    );
    let started = Instant::now();
    let out = w.output().expect("run the binary");
    (out, started.elapsed())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The raw control characters in `s` other than the tool's own layout:
/// `\n` (and the `\r` a pty adds before it), and the `\t` of text output.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

// --------------------------------------------- §14: files read with a bound

#[tokio::test(flavor = "multi_thread")]
async fn a_device_as_a_parameter_file_is_refused_at_once_naming_it() {
    let fake = accepting().await;
    for args in [
        vec!["--delivery-stream-name", "file:///dev/zero"],
        vec!["--delivery-stream-name", "s1", ENC, "fileb:///dev/zero"],
        vec!["--delivery-stream-name", "s1", ENC, "file:///dev/zero"],
        vec![
            "--delivery-stream-name",
            "s1",
            ENC,
            "KeyType@=file:///dev/zero",
        ],
    ] {
        let (out, took) = run_bounded(&cmd_at(&fake, &args));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "Unable to load paramfile file:///dev/zero: it is a device, not a file: '/dev/zero'"
            ) || stderr.contains(
                "Unable to load paramfile fileb:///dev/zero: it is a device, not a file: '/dev/zero'"
            ),
            "{args:?}: {stderr}"
        );
        assert!(took < Duration::from_secs(5), "{args:?}: {took:?}");
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_as_the_input_document_is_refused_at_once_naming_it() {
    let fake = accepting().await;
    for flag in ["--cli-input-json", "--cli-input-yaml"] {
        let (out, took) = run_bounded(&cmd_at(&fake, &[flag, "file:///dev/zero"]));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{flag}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "Error parsing parameter '{flag}': Unable to load paramfile file:///dev/zero: it is a device, not a file"
            )),
            "{flag}: {stderr}"
        );
        assert!(took < Duration::from_secs(5), "{flag}: {took:?}");
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversize_parameter_file_is_refused_naming_it_and_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let big = oversize_file(dir.path());
    let fake = accepting().await;
    for (prefix, args) in [
        ("file://", vec!["--delivery-stream-name"]),
        ("file://", vec!["--cli-input-json"]),
        ("fileb://", vec!["--delivery-stream-name", "s1", ENC]),
    ] {
        let value = format!("{prefix}{}", big.display());
        let mut all = args.clone();
        all.push(&value);
        let (out, _) = run_bounded(&cmd_at(&fake, &all));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{all:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "Unable to load paramfile {value}: it is {FILE_BOUND}: '{}'",
                big.display()
            )),
            "{all:?}: {stderr}"
        );
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_names_file_that_is_a_device_too_large_or_an_endless_stdin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = oversize_file(dir.path());
    let fake = FakeAccount::start().await;
    let big_path = big.display().to_string();
    for (path, why) in [
        ("/dev/zero", "it is a device, not a file".to_owned()),
        (big_path.as_str(), format!("it is {FILE_BOUND}")),
    ] {
        let mut c = cmd();
        c.args([
            "--endpoint-url",
            &fake.url,
            "--delivery-stream-names-from",
            path,
        ]);
        let (out, took) = run_bounded(&c);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{path}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "Unable to read --delivery-stream-names-from {path}: {why}"
            )),
            "{path}: {stderr}"
        );
        assert!(took < Duration::from_secs(5), "{path}: {took:?}");
    }
    // `-` reads stdin up to the bound: an endless stdin is cut there.
    let mut c = cmd();
    c.args([
        "--endpoint-url",
        &fake.url,
        "--delivery-stream-names-from",
        "-",
    ]);
    let mut w = wrapped(
        &c,
        "bash",
        &["-c", "ulimit -v 2000000 && exec \"$0\" \"$@\""],
    );
    w.stdin(std::fs::File::open("/dev/zero").unwrap());
    let started = Instant::now();
    let out = w.output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "Unable to read --delivery-stream-names-from -: it is {FILE_BOUND}"
        )),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(fake.calls().is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_or_an_oversize_file_as_an_aws_config_file_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = oversize_file(dir.path());
    let fake = accepting().await;
    for (variable, path, why) in [
        (
            "AWS_CONFIG_FILE",
            Path::new("/dev/zero"),
            "it is a device, not a file".to_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            big.as_path(),
            format!("it is {FILE_BOUND}"),
        ),
    ] {
        let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
        c.env(variable, path);
        let (out, took) = run_bounded(&c);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(253), "{variable}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "Unable to read the AWS config files: {} (from {variable}): {why}",
                path.display()
            )),
            "{variable}: {stderr}"
        );
        assert!(took < Duration::from_secs(5), "{variable}: {took:?}");
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

// ------------------------------------- §14: numbers range-checked before use

#[tokio::test(flavor = "multi_thread")]
async fn huge_socket_timeouts_are_usage_errors_naming_the_flag_value_and_rule() {
    let fake = accepting().await;
    for flag in ["--cli-connect-timeout", "--cli-read-timeout"] {
        let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
        c.args([flag, "4000000000000000000"]);
        c.timeout(Duration::from_secs(20));
        let out = run(c).await.code(252).stdout("");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(flag)
                && stderr.contains("4000000000000000000")
                && stderr.contains("from 0 (no timeout) to 604800 (7 days)"),
            "{flag}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // The bound itself is accepted.
    let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
    c.args([
        "--cli-connect-timeout",
        "604800",
        "--cli-read-timeout",
        "604800",
    ]);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(fake.count(START_TARGET).await, 1, "only the last run sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_max_attempts_is_a_configuration_error_before_anything_is_sent() {
    let fake = accepting().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, "[default]\nmax_attempts = 1000000000\n").unwrap();
    let from_env = {
        let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
        c.env("AWS_MAX_ATTEMPTS", "1000000000");
        (c, "Bad value for AWS_MAX_ATTEMPTS: \"1000000000\"")
    };
    let from_profile = {
        let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
        c.env("AWS_CONFIG_FILE", &config);
        (c, "Bad value for max_attempts: \"1000000000\"")
    };
    for (mut c, names) in [from_env, from_profile] {
        c.timeout(Duration::from_secs(5));
        let started = Instant::now();
        let out = run(c).await.code(253).stdout("");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(names) && stderr.contains("must be a whole number from 1 to 100"),
            "{stderr}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn max_concurrency_zero_or_huge_is_refused_naming_the_rule() {
    let fake = FakeAccount::start().await;
    for n in ["0", "257", "99999999999999999999"] {
        let mut c = cmd();
        c.args(["--endpoint-url", &fake.url, "--all-delivery-streams"]);
        c.args(["--max-concurrency", n]);
        let out = run(c).await.code(252).stdout("");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains("--max-concurrency") && stderr.contains(n),
            "{n}: {stderr}"
        );
        assert!(
            stderr.contains("must be a whole number from 1 to 256"),
            "{n}: {stderr}"
        );
    }
    assert!(fake.calls().is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn huge_wait_durations_are_refused_and_the_longest_accepted_one_works() {
    let fake = fake_with_statuses(&["ENABLING", "ENABLED"]).await;
    for (flag, value) in [
        ("--wait-timeout", "99999999999999999999s"),
        ("--wait-timeout", "1e300"),
        ("--wait-interval", "1e300h"),
        ("--wait-interval", "604801"),
    ] {
        let args = wait_args(&[flag, value]);
        let out = run(cmd_at(&fake, &args)).await.code(252).stdout("");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(flag)
                && stderr.contains(value)
                && stderr.contains("at most 604800 seconds (7 days)"),
            "{flag} {value}: {stderr}"
        );
    }
    assert!(fake.requests().await.is_empty(), "nothing sent");
    // The longest timeout goes through the deadline arithmetic of the wait.
    let args = wait_args(&["--wait-timeout", "604800"]);
    let out = run(cmd_at(&fake, &args)).await.code(0);
    assert!(stdout_of(&out).contains("ENABLED"), "{}", stdout_of(&out));
    // And so in fleet mode, on the fake account.
    let account = FakeAccount::start().await;
    account.direct_put("a", None);
    let mut c = cmd();
    c.args([
        "--endpoint-url",
        &account.url,
        "--all-delivery-streams",
        "--wait",
    ]);
    c.args(["--wait-timeout", "604800", "--wait-interval", "10ms"]);
    c.timeout(Duration::from_secs(60));
    run(c).await.code(0);
    assert_eq!(account.accepted(START).len(), 1);
}

// ------------------------------------------------------ §14: stderr bounded

#[tokio::test(flavor = "multi_thread")]
async fn a_names_file_of_many_bad_lines_lists_the_first_20_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("names");
    let lines: String = (0..200_000).map(|i| format!("bad name {i}!\n")).collect();
    std::fs::write(&path, lines).unwrap();
    let fake = FakeAccount::start().await;
    let mut c = cmd();
    c.args(["--endpoint-url", &fake.url, "--delivery-stream-names-from"]);
    c.arg(&path);
    c.timeout(Duration::from_secs(60));
    let out = run(c).await.code(252).stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.len() < 16 * 1024, "{} bytes", stderr.len());
    assert!(stderr.contains(", line 20: "), "{stderr}");
    assert!(!stderr.contains(", line 21: "), "{stderr}");
    assert!(
        stderr.contains("199980 more bad lines not shown"),
        "{stderr}"
    );
    assert!(fake.calls().is_empty(), "nothing sent");
}

/// A 20 MB message, ending in a marker that must not be printed.
fn huge_message() -> String {
    let mut m = "x".repeat(20 * 1024 * 1024);
    m.push_str("END-OF-MESSAGE");
    m
}

#[tokio::test(flavor = "multi_thread")]
async fn a_20_mb_service_message_is_cut_with_the_count_left_out() {
    let fake = FakeFirehose::start().await;
    let message = huge_message();
    let total = message.chars().count();
    fake.reply_error(START_TARGET, "ResourceNotFoundException", &message)
        .await;
    let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
    c.env("AWS_MAX_ATTEMPTS", "1");
    let out = run(c).await.code(254).stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.len() < 8 * 1024, "{} bytes", stderr.len());
    assert!(
        stderr.starts_with(
            "\naws: [ERROR]: An error occurred (ResourceNotFoundException) when calling the \
             StartDeliveryStreamEncryption operation: xxxx"
        ),
        "{}",
        &stderr[..200]
    );
    assert!(
        stderr.ends_with(&format!("x… ({} more characters)\n", total - 4096)),
        "{}",
        &stderr[stderr.len() - 200..]
    );
    assert!(!stderr.contains("END-OF-MESSAGE"));
    // In a structured format the message is still data, and still cut.
    for format in ["json", "yaml", "text", "table"] {
        let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
        c.args(["--cli-error-format", format]);
        c.env("AWS_MAX_ATTEMPTS", "1");
        let out = run(c).await.code(254).stdout("");
        let stderr = stderr_of(&out);
        // A table draws its borders as wide as the cut message, twice over.
        let bound = if format == "table" { 40 } else { 16 } * 1024;
        assert!(stderr.len() < bound, "{format}: {} bytes", stderr.len());
        assert!(!stderr.contains("END-OF-MESSAGE"), "{format}");
        assert!(
            stderr.contains(&format!("({} more characters)", total - 4096)),
            "{format}"
        );
        if format == "json" {
            let doc: Value = serde_json::from_str(&stderr).expect("one JSON document");
            assert_eq!(doc["Code"], "ResourceNotFoundException");
            assert!(doc["Message"].as_str().unwrap().starts_with("xxxx"));
            assert_eq!(doc["message"], doc["Message"], "the member is cut alike");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_value_echoed_in_a_parameter_error_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enc");
    // Shorthand that fails at its end: the AWS CLI echoes the whole input.
    let value = format!("KeyType={}\n", "y,".repeat(100_000));
    std::fs::write(&path, &value).unwrap();
    let fake = accepting().await;
    let arg = format!("file://{}", path.display());
    let out = run(cmd_at(&fake, &["--delivery-stream-name", "s1", ENC, &arg]))
        .await
        .code(252)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.len() < 24 * 1024, "{} bytes", stderr.len());
    assert!(stderr.contains("more characters)"), "{stderr}");
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

// ----------------------------- §14: control characters never reach a tty raw

/// Escape sequences a hostile service might send: a window title (OSC 0
/// ended by BEL), clear screen (CSI 2J), a forged line, a C1 CSI and a
/// right-to-left override.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\nforged line\u{9b}31m\u{202e}";

/// How [`HOSTILE`] reads once escaped.
const ESCAPED: &str = r"\x1b]0;pwned\x07\x1b[2J\nforged line\u{9b}31m\u{202e}";

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_a_service_message_are_shown_escaped() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "ResourceNotFoundException", HOSTILE)
        .await;
    for format in ["enhanced", "legacy", "yaml", "text", "table", "json"] {
        let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
        c.args(["--cli-error-format", format]);
        c.env("AWS_MAX_ATTEMPTS", "1");
        let out = run(c).await.code(254).stdout("");
        let stderr = stderr_of(&out);
        assert_eq!(
            raw_controls(&stderr),
            [] as [char; 0],
            "{format}: {stderr:?}"
        );
        assert!(!stderr.contains('\u{202e}'), "{format}: {stderr:?}");
        assert!(!stderr.contains("\nforged line"), "{format}: {stderr:?}");
        match format {
            // JSON escapes by itself, losslessly.
            "json" => {
                let doc: Value = serde_json::from_str(&stderr).unwrap();
                assert_eq!(doc["Message"], HOSTILE, "{stderr}");
            }
            "yaml" => {
                let doc: Value = serde_saphyr::from_str(&stderr).expect("one YAML document");
                assert_eq!(doc["Message"], HOSTILE, "{stderr}");
            }
            _ => assert!(stderr.contains(ESCAPED), "{format}: {stderr}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_a_hint_and_a_wait_failure_are_shown_escaped() {
    // A hint built from a description whose source ARN is hostile.
    let fake = FakeFirehose::start().await;
    fake.reply_error(
        START_TARGET,
        "InvalidArgumentException",
        "This operation is not supported for this stream type.",
    )
    .await;
    let mut d = description("KinesisStreamAsSource", "ACTIVE");
    d["DeliveryStreamDescription"]["Source"] =
        json!({"KinesisStreamSourceDescription": {"KinesisStreamARN": HOSTILE}});
    fake.reply(DESCRIBE_TARGET, 200, d).await;
    let mut c = cmd_at(&fake, &["--delivery-stream-name", "s1"]);
    c.env("AWS_MAX_ATTEMPTS", "1");
    let out = run(c).await.code(254);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("Hint: "), "{stderr}");
    assert_eq!(raw_controls(&stderr), [] as [char; 0], "{stderr:?}");
    assert!(stderr.contains(ESCAPED), "{stderr}");
    assert!(!stderr.contains("\nforged line"), "{stderr:?}");

    // A wait that fails with hostile details.
    let fake = accepting().await;
    fake.reply(
        DESCRIBE_TARGET,
        200,
        enabling_failed("KMS_ACCESS_DENIED", HOSTILE),
    )
    .await;
    let out = run(cmd_at(&fake, &wait_args(&[]))).await.code(255);
    let stderr = stderr_of(&out);
    assert_eq!(raw_controls(&stderr), [] as [char; 0], "{stderr:?}");
    assert!(stderr.contains(ESCAPED), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_listed_stream_names_never_reach_the_terminal() {
    let fake = FakeAccount::start().await;
    let hostile_name = "s\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    fake.direct_put(hostile_name, None);
    fake.direct_put("plain", None);
    fake.delay(Duration::from_millis(150));
    // stdout is data (left as the service gave it, as the AWS CLI does):
    // `--output off` leaves only stderr on the terminal.
    let args = [
        "--endpoint-url",
        fake.url.as_str(),
        "--all-delivery-streams",
        "--output",
        "off",
    ];
    let (code, out) = under_pty(&args, "xterm").await;
    assert_eq!(code, Some(0), "{out:?}");
    assert!(!out.contains("\u{1b}]0;"), "no title change: {out:?}");
    assert!(!out.contains("\u{1b}[2J"), "no clear screen: {out:?}");
    assert!(!out.contains('\u{9b}'), "no C1 CSI: {out:?}");
    assert!(!out.contains('\u{7}'), "no bell: {out:?}");
    assert!(
        out.contains(r"s\x1b]0;pwned\x07\x1b[2J\u{9b}31m"),
        "the name shown escaped in the table: {out:?}"
    );
    assert_eq!(fake.accepted(START).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_a_wait_status_never_reach_the_terminal() {
    let fake = fake_with_statuses(&["ENABLING\u{1b}]0;pwned\u{7}\u{1b}[2J"]).await;
    let url = fake.url();
    let mut args = vec!["--endpoint-url", url.as_str()];
    args.extend(wait_args_every("50ms", &["--wait-timeout", "1500ms"]));
    let (code, out) = under_pty(&args, "xterm").await;
    assert_eq!(code, Some(255), "{out:?}");
    assert!(!out.contains("\u{1b}]0;"), "no title change: {out:?}");
    assert!(!out.contains("\u{1b}[2J"), "no clear screen: {out:?}");
    assert!(!out.contains('\u{7}'), "no bell: {out:?}");
    assert!(
        out.contains(r"ENABLING\x1b]0;pwned\x07\x1b[2J"),
        "the status shown escaped: {out:?}"
    );
}
