//! Hostile input (contract §14), end to end, against loopback fakes that
//! misbehave on purpose: files that never end or are too large, numbers
//! past any sane bound.
//!
//! Each test names the item of §14 it covers: files read with a bound;
//! numbers range-checked before use. The bounds themselves are in
//! `src/bounds.rs`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::account::{FakeAccount, START};
use common::*;

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
