//! Pacing (contract §11) against a loopback fake that enforces the
//! services' own limits: a token bucket per operation, refilled at the
//! documented rate, answering `ThrottlingException` (Firehose) or
//! `LimitExceededException` (Kinesis) beyond it. A run of 50 streams is
//! throttled at most a handful of times, starts each stream once, and says
//! in its document how many calls it made and how many were throttled.
//! (How long a run takes is measured by `scripts/bench-fleet.sh`.)

mod common;

use common::account::{
    DESCRIBE, DESCRIBE_SOURCE, FakeAccount, LIST, LIST_STREAMS, START, START_SOURCE,
};
use common::*;
use serde_json::{Value, json};

/// Calls of `target` the fake answered with a throttling error.
fn throttled(fake: &FakeAccount, target: &str) -> usize {
    fake.calls()
        .iter()
        .filter(|c| c.target == target && c.status == 400)
        .count()
}

/// The sum of every entry's `Calls` member `key`.
fn sum_calls(doc: &Value, list: &str, key: &str) -> u64 {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Calls"][key].as_u64().unwrap())
        .sum()
}

async fn run_doc(mut c: assert_cmd::Command) -> (i32, Value) {
    c.env("AWS_MAX_ATTEMPTS", "10");
    let out = run(c).await;
    let code = out.get_output().status.code().unwrap_or(-1);
    let doc = serde_json::from_str(&stdout_of(&out)).unwrap_or_else(|e| {
        panic!("not a document ({e}): {}", stderr_of(&out));
    });
    (code, doc)
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_delivery_streams_at_five_a_second_are_barely_throttled_and_started_once() {
    let fake = FakeAccount::start().await;
    for i in 0..50 {
        fake.direct_put(&format!("s{i:02}"), None);
    }
    for target in [LIST, DESCRIBE, START] {
        fake.rate_limit(target, 5);
    }
    let mut c = cmd();
    c.args(["--endpoint-url", &fake.url, "--all-delivery-streams"]);
    let (code, doc) = run_doc(c).await;
    assert_eq!(code, 0, "{doc:#}");
    let starts = fake.accepted(START);
    assert_eq!(starts.len(), 50, "every stream started");
    let mut names: Vec<&str> = starts
        .iter()
        .map(|b| b["DeliveryStreamName"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 50, "no stream started twice");
    let refused = throttled(&fake, DESCRIBE) + throttled(&fake, START) + throttled(&fake, LIST);
    assert!(refused <= 3, "{refused} calls throttled");
    assert_eq!(
        sum_calls(&doc, "DeliveryStreams", "Throttled"),
        (throttled(&fake, DESCRIBE) + throttled(&fake, START)) as u64,
        "the document counts what the service refused"
    );
    assert_eq!(
        sum_calls(&doc, "DeliveryStreams", "Made"),
        (fake.count(DESCRIBE) + fake.count(START)) as u64
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_data_streams_at_their_own_limits_are_barely_throttled_and_started_once() {
    let fake = FakeAccount::start().await;
    for i in 0..50 {
        fake.data_stream(
            &format!("k{i:02}"),
            json!({"EncryptionType": "NONE"}),
            "ACTIVE",
        );
    }
    fake.rate_limit(LIST_STREAMS, 5);
    fake.rate_limit(DESCRIBE_SOURCE, 20);
    fake.rate_limit(START_SOURCE, 5);
    let mut c = cmd_of("start-stream-encryption");
    c.args(["--endpoint-url", &fake.url, "--all-streams"]);
    let (code, doc) = run_doc(c).await;
    assert_eq!(code, 0, "{doc:#}");
    let starts = fake.accepted(START_SOURCE);
    let mut names: Vec<&str> = starts
        .iter()
        .map(|b| b["StreamName"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!((starts.len(), names.len()), (50, 50), "each started once");
    let refused = throttled(&fake, DESCRIBE_SOURCE) + throttled(&fake, START_SOURCE);
    assert!(refused <= 3, "{refused} calls throttled");
    assert_eq!(sum_calls(&doc, "Streams", "Throttled"), refused as u64);
}

#[tokio::test(flavor = "multi_thread")]
async fn max_rate_lowers_every_rate_so_a_tighter_limit_is_not_hit() {
    let fake = FakeAccount::start().await;
    for i in 0..8 {
        fake.direct_put(&format!("s{i}"), None);
    }
    // Another client uses most of the account's limit: 2 a second are left.
    for target in [LIST, DESCRIBE, START] {
        fake.rate_limit(target, 2);
    }
    let mut c = cmd();
    c.args([
        "--endpoint-url",
        &fake.url,
        "--all-delivery-streams",
        "--max-rate",
        "2",
    ]);
    let (code, doc) = run_doc(c).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(fake.accepted(START).len(), 8);
    let refused = throttled(&fake, DESCRIBE) + throttled(&fake, START);
    assert!(refused <= 1, "{refused} calls throttled");
}
