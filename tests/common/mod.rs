//! Shared test harness: the binary with a scrubbed environment, and a
//! loopback fake Firehose (wiremock) that records what it was sent.
//!
//! Every run points at 127.0.0.1 and has `AWS_EC2_METADATA_DISABLED=true`;
//! no test may reach AWS or any other non-loopback address.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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
    let mut c = Command::cargo_bin(BIN).expect("binary is built");
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

/// A loopback fake of the Firehose API.
pub struct FakeFirehose {
    /// The wiremock server; mount extra mocks on it directly if needed.
    pub server: MockServer,
}

impl FakeFirehose {
    /// A fresh server on 127.0.0.1 with no behaviour mounted.
    pub async fn start() -> Self {
        Self {
            server: MockServer::start().await,
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
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("content-type", "application/x-amz-json-1.1")
                    .set_body_string(body.to_string()),
            )
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

    /// The JSON bodies of the requests sent with `target`, in order.
    pub async fn bodies(&self, target: &str) -> Vec<Value> {
        self.requests()
            .await
            .iter()
            .filter(|r| r.headers.get("x-amz-target").and_then(|v| v.to_str().ok()) == Some(target))
            .map(|r| serde_json::from_slice(&r.body).expect("request body is JSON"))
            .collect()
    }
}

/// The binary with `--endpoint-url` pointed at `fake` and `args` appended.
pub fn cmd_at(fake: &FakeFirehose, args: &[&str]) -> Command {
    let mut c = cmd();
    c.arg("--endpoint-url").arg(fake.url()).args(args);
    c
}
