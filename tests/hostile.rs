//! Hostile input (contract §14), end to end, against loopback fakes that
//! misbehave on purpose: files that never end or are too large.
//!
//! Each test names the item of §14 it covers: files read with a bound. The
//! bounds themselves are in `src/bounds.rs`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::account::FakeAccount;
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
