//! Shared test harness: the binary with a scrubbed environment, and a
//! loopback fake Firehose (wiremock) that records what it was sent.
//!
//! Every run points at 127.0.0.1 and has `AWS_EC2_METADATA_DISABLED=true`;
//! no test may reach AWS or any other non-loopback address.
//!
//! Submodules: [`describe`] (scripted replies and DescribeDeliveryStream
//! bodies, re-exported here), [`moto`] (the moto_server emulator),
//! [`https`] (a throwaway CA and raw HTTP(S) servers), [`account`] (a
//! stateful fake Firehose and Kinesis account for fleet mode) and [`proxy`]
//! (a loopback proxy in front of moto that plays what moto cannot).

#![allow(dead_code)] // each test binary uses a different part of this module

pub mod account;
pub mod describe;
pub mod https;
pub mod moto;
pub mod proxy;

pub use describe::*;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The binary's name.
pub const BIN: &str = "start-delivery-stream-encryption";
/// Fake access key id every test signs with.
pub const ACCESS_KEY: &str = "AKIDTESTTESTTEST";
/// Fake secret key every test signs with.
pub const SECRET_KEY: &str = "testsecretkeytestsecretkey";
/// X-Amz-Target of the operation.
pub const START_TARGET: &str = "Firehose_20150804.StartDeliveryStreamEncryption";
/// X-Amz-Target of DescribeDeliveryStream.
pub const DESCRIBE_TARGET: &str = "Firehose_20150804.DescribeDeliveryStream";

/// The structure parameter's flag.
pub const ENC: &str = "--delivery-stream-encryption-configuration-input";
/// The customer managed key every test uses.
pub const KEY_ARN: &str =
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/// The shorthand for that key.
pub const CMK: &str = "KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A fixture file under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The binary with a hermetic environment: nothing inherited (this machine
/// sets AWS_CA_BUNDLE), IMDS off, fake keys, region us-east-1, config and
/// credentials files pointing at an empty fixture, no colour, no retries
/// beyond one extra attempt.
pub fn cmd() -> Command {
    cmd_of(BIN)
}

/// [`cmd`] for another binary of the package (`start-stream-encryption`).
pub fn cmd_of(bin: &str) -> Command {
    let mut c = Command::cargo_bin(bin).expect("binary is built");
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env!("CARGO_MANIFEST_DIR"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"))
        .env("NO_COLOR", "1");
    c
}

/// Run a prepared command off the async runtime (the fake server lives on it).
pub async fn run(mut c: Command) -> assert_cmd::assert::Assert {
    tokio::task::spawn_blocking(move || c.assert())
        .await
        .expect("command thread")
}

/// The stdout of a finished run.
pub fn stdout_of(a: &Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).expect("stdout is UTF-8")
}

/// The stderr of a finished run.
pub fn stderr_of(a: &Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).expect("stderr is UTF-8")
}

// ------------------------------------------------- the harness as a process

/// `program` with the scrubbed environment of the harness command `c` (only
/// its environment: not its program, arguments or working directory).
pub fn with_env_of(program: impl AsRef<OsStr>, c: &Command) -> std::process::Command {
    let mut s = std::process::Command::new(program);
    s.env_clear()
        .envs(c.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
    s
}

/// The same program, arguments and (scrubbed) environment as a harness
/// command, as a `std::process::Command` that can be spawned and signalled.
pub fn std_command(c: &Command) -> std::process::Command {
    let mut s = with_env_of(c.get_program(), c);
    s.args(c.get_args());
    s
}

/// `program prefix… <binary> <args…>` with the harness command's scrubbed
/// environment: the binary run under a wrapper (bash, GNU time).
pub fn wrapped<S: AsRef<OsStr>>(c: &Command, program: &str, prefix: &[S]) -> std::process::Command {
    let mut w = with_env_of(program, c);
    w.args(prefix).arg(c.get_program()).args(c.get_args());
    w
}

/// The harness command `c` spawned as a plain child process (so it can be
/// signalled): stdin empty, stdout and stderr piped.
pub fn spawn_piped(c: &Command) -> Child {
    std_command(c)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary")
}

/// Check `ready` every 20 ms until it holds; fail the test with `what`
/// (what never happened) once `within` has passed.
pub async fn wait_for<F, Fut>(what: &str, within: std::time::Duration, mut ready: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + within;
    while !ready().await {
        assert!(std::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Send SIGINT to `child` (Ctrl-C, with kill(1): no extra crates), then
/// wait for it off the async runtime and collect its output.
pub async fn interrupt(child: Child) -> std::process::Output {
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success(), "kill -INT failed: {killed}");
    tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("the binary exits")
}

// --------------------------------------------------------- expected stderr

/// The AWS CLI v2 stderr for a parameter error.
pub fn param_error(message: &str) -> String {
    format!("\naws: [ERROR]: An error occurred (ParamValidation): {message}\n")
}

/// The canonical stderr of a service error of `operation`.
pub fn service_error(operation: &str, code: &str, message: &str) -> String {
    format!(
        "\naws: [ERROR]: An error occurred ({code}) when calling the {operation} operation: {message}\n"
    )
}

/// The canonical stderr of a service error of StartDeliveryStreamEncryption,
/// without any hint.
pub fn canonical(code: &str, message: &str) -> String {
    service_error("StartDeliveryStreamEncryption", code, message)
}

// -------------------------------------------------------------- arguments

/// A valid `--wait` request for `s1` with a customer managed key, polling
/// every `interval`, plus `extra`.
pub fn wait_args_every<'a>(interval: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--delivery-stream-name",
        "s1",
        ENC,
        CMK,
        "--wait",
        "--wait-interval",
        interval,
    ];
    args.extend_from_slice(extra);
    args
}

/// A valid `--wait` request for `s1` with a customer managed key, polling
/// fast (every 10ms), plus `extra`.
pub fn wait_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    wait_args_every("10ms", extra)
}

// ---------------------------------------------------------------- the fake

/// A port on 127.0.0.1 where nothing listens: bind it, then release it.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// A URL on 127.0.0.1 where nothing listens.
pub fn closed_url() -> String {
    format!("http://127.0.0.1:{}", closed_port())
}

/// A loopback fake of the Firehose API.
///
/// `--wait` describes the stream once before it starts the encryption (the
/// state from before the call). Until a start request has arrived, the fake
/// answers DescribeDeliveryStream with [`FakeFirehose::before`] (by default
/// an ACTIVE Direct PUT stream without encryption), so the replies a test
/// scripts for DescribeDeliveryStream are the polls after the start.
pub struct FakeFirehose {
    /// The wiremock server; mount extra mocks on it directly if needed.
    pub server: MockServer,
    started: Arc<AtomicBool>,
    before: Arc<Mutex<Value>>,
}

/// A fake that accepts the start (`200 {}`) and has nothing else mounted.
pub async fn accepting() -> FakeFirehose {
    let fake = FakeFirehose::start().await;
    fake.reply(START_TARGET, 200, serde_json::json!({})).await;
    fake
}

/// The X-Amz-Target header of a received request.
fn target_of(r: &Request) -> Option<&str> {
    r.headers.get("x-amz-target").and_then(|v| v.to_str().ok())
}

impl FakeFirehose {
    /// A fresh server on 127.0.0.1 with no behaviour mounted.
    pub async fn start() -> Self {
        Self {
            server: MockServer::start().await,
            started: Arc::default(),
            before: Arc::new(Mutex::new(description("DirectPut", "ACTIVE"))),
        }
    }

    /// Describe the stream as `reply` (a DescribeDeliveryStream body) until
    /// the start request arrives.
    pub fn before(&self, reply: Value) {
        if let Ok(mut b) = self.before.lock() {
            *b = reply;
        }
    }

    /// Wrap `inner`, the responder for `target`: a start marks the fake as
    /// started; a describe before that gets the `before` reply.
    pub(crate) fn responder(
        &self,
        target: &str,
        inner: impl Respond + 'static,
    ) -> impl Respond + 'static {
        Staged {
            role: match target {
                START_TARGET => Role::Start,
                DESCRIBE_TARGET => Role::Describe,
                _ => Role::Other,
            },
            started: Arc::clone(&self.started),
            before: Arc::clone(&self.before),
            inner,
        }
    }

    /// Its URL, for `--endpoint-url`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// Answer every request for `target` with `status` and a JSON `body`.
    pub async fn reply(&self, target: &str, status: u16, body: Value) {
        Mock::given(method("POST"))
            .and(path("/"))
            .and(header("x-amz-target", target))
            .respond_with(self.responder(target, amz_json(status, &body)))
            .mount(&self.server)
            .await;
    }

    /// Answer `target` with a modeled service error (`__type` + `message`), HTTP 400.
    pub async fn reply_error(&self, target: &str, code: &str, message: &str) {
        self.reply(
            target,
            400,
            serde_json::json!({"__type": code, "message": message}),
        )
        .await;
    }

    /// Every request received so far.
    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The requests received so far with `target`, in order.
    async fn requests_for(&self, target: &str) -> Vec<Request> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| target_of(r) == Some(target))
            .collect()
    }

    /// The JSON bodies of the requests sent with `target`, in order.
    pub async fn bodies(&self, target: &str) -> Vec<Value> {
        self.requests_for(target)
            .await
            .iter()
            .map(|r| serde_json::from_slice(&r.body).expect("request body is JSON"))
            .collect()
    }

    /// How many requests were sent with `target`.
    pub async fn count(&self, target: &str) -> usize {
        self.requests_for(target).await.len()
    }

    /// How many DescribeDeliveryStream requests came after the first start:
    /// the polls of `--wait` (not the describe of the state before it).
    pub async fn polls(&self) -> usize {
        self.calls()
            .await
            .iter()
            .skip_while(|c| *c != "StartDeliveryStreamEncryption")
            .filter(|c| *c == "DescribeDeliveryStream")
            .count()
    }

    /// The X-Amz-Target short names of every request, in the order received.
    pub async fn calls(&self) -> Vec<String> {
        self.requests()
            .await
            .iter()
            .map(|r| {
                target_of(r)
                    .unwrap_or("?")
                    .trim_start_matches("Firehose_20150804.")
                    .to_owned()
            })
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Start,
    Describe,
    Other,
}

/// See [`FakeFirehose::responder`].
struct Staged<R> {
    role: Role,
    started: Arc<AtomicBool>,
    before: Arc<Mutex<Value>>,
    inner: R,
}

impl<R: Respond> Respond for Staged<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.role {
            Role::Start => self.started.store(true, Ordering::SeqCst),
            Role::Describe if !self.started.load(Ordering::SeqCst) => {
                let before = self.before.lock().map(|b| b.clone()).unwrap_or_default();
                return amz_json(200, before);
            }
            _ => {}
        }
        self.inner.respond(request)
    }
}

/// The binary with `--endpoint-url` pointed at `fake` and `args` appended.
pub fn cmd_at(fake: &FakeFirehose, args: &[&str]) -> Command {
    let mut c = cmd();
    c.arg("--endpoint-url").arg(fake.url()).args(args);
    c
}

// ------------------------------------------------------- pseudo-terminal

/// Quote `s` for `sh -c`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Run the binary with `args` under a pseudo-terminal (util-linux `script`,
/// which gives it a pty on stdout and stderr; both come back on script's
/// stdout), with `TERM=term` and the same hermetic environment as [`cmd`].
/// Returns the exit code and everything it drew.
pub async fn under_pty(args: &[&str], term: &str) -> (Option<i32>, String) {
    under_pty_of(
        env!("CARGO_BIN_EXE_start-delivery-stream-encryption"),
        args,
        term,
    )
    .await
}

/// [`under_pty`] for the binary at `exe`.
pub async fn under_pty_of(exe: &str, args: &[&str], term: &str) -> (Option<i32>, String) {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has_script,
        "util-linux `script` is needed for the pty tests"
    );
    let command = std::iter::once(exe)
        .chain(args.iter().copied())
        .map(sh_quote)
        .collect::<Vec<_>>()
        .join(" ");
    let mut script = with_env_of("script", &cmd());
    script
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", term);
    let mut c = Command::from_std(script);
    c.timeout(std::time::Duration::from_secs(60));
    let out = run(c).await.get_output().clone();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}
