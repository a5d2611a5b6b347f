//! Fleet mode of `start-stream-encryption` (contract §11) against the
//! stateful loopback fake account (`tests/common/account.rs`): the rules,
//! dry run, names from stdin, pagination, throttling, the bound on calls in
//! flight, Ctrl-C, the terminal display and the exit codes. The moto
//! end-to-end test is in `tests/fleet_emulator.rs`.

mod common;

use std::time::Duration;

use common::account::{DESCRIBE_SOURCE, FakeAccount, LIST_STREAMS, START_SOURCE};
use common::*;
use serde_json::{Value, json};

const KBIN: &str = "start-stream-encryption";
const ALIAS: &str = "alias/aws/kinesis";
const MINE: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn none() -> Value {
    json!({"EncryptionType": "NONE"})
}

fn kms(key: &str) -> Value {
    json!({"EncryptionType": "KMS", "KeyId": key})
}

fn kfleet(fake: &FakeAccount, args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd_of(KBIN);
    c.arg("--endpoint-url").arg(&fake.url).args(args);
    c
}

async fn run_kfleet(fake: &FakeAccount, args: &[&str]) -> (i32, Value) {
    let out = run(kfleet(fake, args)).await;
    let output = out.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let doc = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {stdout:?}; stderr {:?}",
            stderr_of(&out)
        )
    });
    (output.status.code().unwrap_or(-1), doc)
}

/// `name → Action` of a document.
fn actions(doc: &Value) -> Vec<(String, String)> {
    doc["Streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["StreamName"].as_str().unwrap().to_owned(),
                e["Action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The streams whose start was answered 200, with the key each was given.
fn started(fake: &FakeAccount) -> Vec<(String, String)> {
    let mut s: Vec<(String, String)> = fake
        .accepted(START_SOURCE)
        .iter()
        .map(|b| {
            (
                b["StreamName"].as_str().unwrap_or_default().to_owned(),
                b["KeyId"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    s.sort();
    s
}

// ------------------------------------------------------------- the rules

#[tokio::test(flavor = "multi_thread")]
async fn without_a_key_only_unencrypted_streams_get_the_kinesis_key() {
    let fake = FakeAccount::start().await;
    fake.data_stream("plain", none(), "ACTIVE");
    fake.data_stream("mine", kms(MINE), "ACTIVE");
    fake.data_stream("busy", none(), "UPDATING");
    let (code, doc) = run_kfleet(&fake, &["--all-streams"]).await;
    assert_eq!(code, 1, "a stream left unencrypted: {doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("busy", "Refused"),
            ("mine", "AlreadyEncrypted"),
            ("plain", "Started"),
        ])
    );
    let entries = doc["Streams"].as_array().unwrap();
    assert!(entries[0]["Reason"].as_str().unwrap().contains("UPDATING"));
    assert_eq!(entries[0]["EncryptedAtRest"], false);
    assert_eq!(
        entries[2]["StreamARN"],
        "arn:aws:kinesis:us-east-1:123456789012:stream/plain"
    );
    assert_eq!(
        entries[2]["EncryptionBefore"],
        json!({"EncryptionType": "NONE"})
    );
    assert_eq!(entries[2]["EncryptionAfter"], kms(ALIAS));
    assert_eq!(entries[2]["Calls"], json!({"Made": 2, "Throttled": 0}));
    assert_eq!(started(&fake), [("plain".to_owned(), ALIAS.to_owned())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_id_converges_every_stream_to_it_once() {
    let fake = FakeAccount::start().await;
    fake.data_stream("plain", none(), "ACTIVE");
    fake.data_stream("aws", kms(ALIAS), "ACTIVE");
    fake.data_stream("done", kms(MINE), "ACTIVE");
    let (code, doc) = run_kfleet(&fake, &["--all-streams", "--key-id", MINE]).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("aws", "Started"),
            ("done", "AlreadyEncrypted"),
            ("plain", "Started"),
        ])
    );
    assert_eq!(
        started(&fake),
        [
            ("aws".to_owned(), MINE.to_owned()),
            ("plain".to_owned(), MINE.to_owned())
        ]
    );
    // A second run spends no start call.
    let (code, doc) = run_kfleet(&fake, &["--all-streams", "--key-id", MINE]).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(fake.count(START_SOURCE), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_the_rules_do_not_cover_is_reported_not_started() {
    let fake = FakeAccount::start().await;
    fake.data_stream("odd", json!({"EncryptionType": "SOMETHING"}), "ACTIVE");
    let (code, doc) = run_kfleet(&fake, &["--all-streams"]).await;
    assert_eq!(code, 1);
    assert_eq!(actions(&doc), pairs(&[("odd", "UnknownState")]));
    assert_eq!(fake.count(START_SOURCE), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_sends_no_start_call_and_exits_1_when_something_would_change() {
    let fake = FakeAccount::start().await;
    fake.data_stream("a", none(), "ACTIVE");
    fake.data_stream("b", kms(ALIAS), "ACTIVE");
    let (code, doc) = run_kfleet(&fake, &["--all-streams", "--dry-run"]).await;
    assert_eq!(code, 1);
    assert_eq!(
        actions(&doc),
        pairs(&[("a", "WouldStart"), ("b", "AlreadyEncrypted")])
    );
    assert_eq!(doc["Streams"][0]["EncryptionAfter"], kms(ALIAS));
    assert_eq!(fake.count(START_SOURCE), 0);
    fake.data_stream("a", kms(ALIAS), "ACTIVE");
    let (code, _) = run_kfleet(&fake, &["--all-streams", "--dry-run"]).await;
    assert_eq!(code, 0, "nothing would change");
}

// --------------------------------------------------------------- selection

#[tokio::test(flavor = "multi_thread")]
async fn names_can_come_from_stdin_and_a_missing_stream_is_reported() {
    let fake = FakeAccount::start().await;
    fake.data_stream("a", none(), "ACTIVE");
    fake.data_stream("not-listed", none(), "ACTIVE");
    let mut c = kfleet(&fake, &["--stream-names-from", "-"]);
    c.write_stdin("# mine\na\n\nghost\na\n");
    let out = run(c).await.code(1);
    let doc: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        actions(&doc),
        pairs(&[("a", "Started"), ("ghost", "Failed")])
    );
    assert_eq!(
        doc["Streams"][1]["Error"]["Code"],
        "ResourceNotFoundException"
    );
    assert_eq!(fake.count(LIST_STREAMS), 0);
    assert_eq!(started(&fake), [("a".to_owned(), ALIAS.to_owned())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn listing_follows_every_page() {
    let fake = FakeAccount::start().await;
    let names: Vec<String> = (0..23).map(|i| format!("s{i:02}")).collect();
    for n in &names {
        fake.data_stream(n, kms(ALIAS), "ACTIVE");
    }
    fake.page_size(7);
    let (code, doc) = run_kfleet(&fake, &["--all-streams"]).await;
    assert_eq!(code, 0);
    let listed: Vec<String> = actions(&doc).into_iter().map(|(n, _)| n).collect();
    assert_eq!(listed, names);
    let lists: Vec<Value> = fake
        .calls()
        .into_iter()
        .filter(|c| c.target == LIST_STREAMS)
        .map(|c| c.body)
        .collect();
    assert_eq!(lists.len(), 4, "{lists:?}");
    assert_eq!(lists[0]["Limit"], 10_000, "the API's largest page");
    assert_eq!(lists[1]["ExclusiveStartStreamName"], "s06");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_selections_are_252_and_send_nothing() {
    let fake = FakeAccount::start().await;
    for (args, says) in [
        (
            &["--all-streams", "--stream-name", "a"][..],
            "cannot be used",
        ),
        (&["--all-streams", "--encryption-type", "NONE"][..], "NONE"),
        (
            &[
                "--all-streams",
                "--stream-arn",
                "arn:aws:kinesis:us-east-1:123456789012:stream/a",
            ][..],
            "cannot be used",
        ),
        (
            &[
                "--stream-name",
                "a",
                "--encryption-type",
                "KMS",
                "--key-id",
                ALIAS,
                "--max-rate",
                "2",
            ][..],
            "--max-rate applies to fleet mode only",
        ),
        (&["--all-streams", "--max-rate", "0"][..], "--max-rate"),
    ] {
        let out = run(kfleet(&fake, args)).await.code(252).stdout("");
        assert!(
            stderr_of(&out).contains(says),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
    let mut c = kfleet(&fake, &["--stream-names-from", "-"]);
    c.write_stdin("ok\nbad name!\n");
    let out = run(c).await.code(252);
    assert!(
        stderr_of(&out).contains("--stream-names-from -, line 2:"),
        "{}",
        stderr_of(&out)
    );
    assert!(fake.calls().is_empty(), "nothing sent");
}

// ---------------------------------------------------------- rate and bounds

#[tokio::test(flavor = "multi_thread")]
async fn throttled_calls_are_retried_counted_and_each_stream_started_once() {
    let fake = FakeAccount::start().await;
    for n in ["a", "b", "c"] {
        fake.data_stream(n, none(), "ACTIVE");
    }
    fake.throttle(DESCRIBE_SOURCE, 2, "LimitExceededException");
    fake.throttle(START_SOURCE, 2, "LimitExceededException");
    let (code, doc) = run_kfleet(&fake, &["--all-streams"]).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[("a", "Started"), ("b", "Started"), ("c", "Started")])
    );
    assert_eq!(started(&fake).len(), 3, "each exactly once");
    assert_eq!(
        fake.count(START_SOURCE),
        5,
        "two throttled attempts, retried"
    );
    let throttled: u64 = doc["Streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Calls"]["Throttled"].as_u64().unwrap())
        .sum();
    assert_eq!(throttled, 4, "every throttled attempt is counted: {doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_more_calls_are_in_flight_than_max_concurrency() {
    let fake = FakeAccount::start().await;
    for i in 0..10 {
        fake.data_stream(&format!("s{i:02}"), none(), "ACTIVE");
    }
    fake.delay(Duration::from_millis(150));
    let (code, _) = run_kfleet(&fake, &["--all-streams", "--max-concurrency", "2"]).await;
    assert_eq!(code, 0);
    assert_eq!(fake.count(START_SOURCE), 10);
    let most = fake.max_in_flight();
    assert!(
        (1..=2).contains(&most),
        "{most} calls were in flight at once"
    );
}

// -------------------------------------------------------------------- wait

#[tokio::test(flavor = "multi_thread")]
async fn wait_polls_every_started_stream_until_it_has_the_key() {
    let fake = FakeAccount::start().await;
    fake.data_stream("a", none(), "ACTIVE");
    fake.data_stream("b", kms(ALIAS), "ACTIVE");
    let (code, doc) = run_kfleet(
        &fake,
        &["--all-streams", "--wait", "--wait-interval", "10ms"],
    )
    .await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["Streams"][0]["EncryptionAfter"], kms(ALIAS));
    // Each described once, then one poll for `a`.
    assert_eq!(fake.count(DESCRIBE_SOURCE), 3);
}

// ------------------------------------------------------------------- Ctrl-C

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_prints_the_results_so_far_and_exits_130() {
    let fake = FakeAccount::start().await;
    for n in ["a", "b", "c", "d"] {
        fake.data_stream(n, none(), "ACTIVE");
    }
    fake.hang_start("c");
    let c = kfleet(&fake, &["--all-streams", "--max-concurrency", "1"]);
    let child = spawn_piped(&c);
    wait_for(
        "never reached the held call",
        Duration::from_secs(20),
        || std::future::ready(fake.count(START_SOURCE) >= 3),
    )
    .await;
    let out = interrupt(child).await;
    assert_eq!(out.status.code(), Some(130));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the document so far");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("a", "Started"),
            ("b", "Started"),
            ("c", "Interrupted"),
            ("d", "Interrupted"),
        ])
    );
    let reason = doc["Streams"][2]["Reason"].as_str().unwrap();
    assert!(
        reason.contains("describe-stream-summary --stream-name c"),
        "{reason}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Interrupted: 2 of 4 streams"), "{stderr:?}");
}

// ---------------------------------------------------------- on a terminal

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_a_person_gets_the_summary_and_a_pipe_the_document() {
    let fake = FakeAccount::start().await;
    for i in 0..3 {
        fake.data_stream(&format!("s{i}"), none(), "ACTIVE");
    }
    fake.data_stream("kept", kms(MINE), "ACTIVE");
    fake.delay(Duration::from_millis(200));
    let args = ["--endpoint-url", fake.url.as_str(), "--all-streams"];
    let (code, out) = under_pty_of(
        env!("CARGO_BIN_EXE_start-stream-encryption"),
        &args,
        "xterm",
    )
    .await;
    assert_eq!(code, Some(0), "{out:?}");
    assert!(out.contains("/4 streams"), "the overall bar: {out:?}");
    let text = out.replace("\r\n", "\n");
    assert!(!text.contains("\"Streams\""), "no document: {text}");
    let table = &text[text.find("Stream").expect("the table header")..];
    assert!(table.contains("KMS alias/aws/kinesis"), "{table}");
    assert!(
        !table.contains("kept"),
        "as wanted: folded into the count: {table}"
    );
    assert!(
        table.contains("4 streams: 3 started, 1 already encrypted"),
        "{table}"
    );
    // Piped, the same run prints the document.
    let (code, doc) = run_kfleet(&fake, &["--all-streams"]).await;
    assert_eq!(code, 0);
    assert_eq!(actions(&doc).len(), 4);
}
