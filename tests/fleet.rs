//! Fleet mode (contract §9) against a stateful loopback fake account
//! (`tests/common/account.rs`): selection, the rules for what gets a call,
//! Kinesis sources, throttling, the bound on calls in flight, Ctrl-C, the
//! document and the exit codes. The moto end-to-end tests are in
//! `tests/fleet_emulator.rs`.

mod common;

use std::time::{Duration, Instant};

use common::account::{DESCRIBE, DESCRIBE_SOURCE, FakeAccount, LIST, START, START_SOURCE};
use common::*;
use serde_json::{Value, json};

fn owned_enabled() -> Option<Value> {
    Some(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"}))
}

fn customer_enabled() -> Option<Value> {
    Some(json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"}))
}

/// The binary at the fake with `args`.
fn fleet_cmd(fake: &FakeAccount, args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd();
    c.arg("--endpoint-url").arg(&fake.url).args(args);
    c
}

/// Run it; the exit code and the document on stdout.
async fn run_fleet(fake: &FakeAccount, args: &[&str]) -> (i32, Value, String) {
    let out = run(fleet_cmd(fake, args)).await;
    let output = out.get_output();
    let code = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let doc = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {stdout:?}"));
    (code, doc, stderr_of(&out))
}

/// `name → Action` of a document.
fn actions(doc: &Value) -> Vec<(String, String)> {
    doc["DeliveryStreams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["DeliveryStreamName"].as_str().unwrap().to_owned(),
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

/// The names the start calls that were answered 200 named.
fn started(fake: &FakeAccount) -> Vec<String> {
    let mut names: Vec<String> = fake
        .accepted(START)
        .iter()
        .map(|b| b["DeliveryStreamName"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

// ------------------------------------------------------------- what is done

#[tokio::test(flavor = "multi_thread")]
async fn without_a_wanted_key_only_unencrypted_streams_get_the_aws_owned_key() {
    let fake = FakeAccount::start().await;
    fake.direct_put("plain", None);
    fake.direct_put("owned", owned_enabled());
    fake.direct_put("customer", customer_enabled());
    let (code, doc, stderr) = run_fleet(&fake, &["--all-delivery-streams"]).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(stderr, "", "nothing but the document off a terminal");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("customer", "AlreadyEncrypted"),
            ("owned", "AlreadyEncrypted"),
            ("plain", "Started"),
        ])
    );
    assert_eq!(started(&fake), ["plain"]);
    assert_eq!(
        fake.accepted(START)[0]["DeliveryStreamEncryptionConfigurationInput"],
        json!({"KeyType": "AWS_OWNED_CMK"})
    );
    // The customer key is never replaced.
    assert_eq!(fake.encryption("customer"), customer_enabled());
    let plain = &doc["DeliveryStreams"][2];
    assert_eq!(plain["EncryptedAtRest"], true);
    assert_eq!(plain["EncryptionBefore"], Value::Null);
    assert_eq!(
        plain["EncryptionAfter"],
        json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wanted_key_is_started_only_where_it_is_not_already_in_place() {
    let fake = FakeAccount::start().await;
    fake.direct_put("plain", None);
    fake.direct_put("owned", owned_enabled());
    fake.direct_put("customer", customer_enabled());
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams", ENC, CMK]).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("customer", "AlreadyEncrypted"),
            ("owned", "Started"),
            ("plain", "Started"),
        ])
    );
    assert_eq!(started(&fake), ["owned", "plain"]);
    assert_eq!(fake.encryption("owned"), customer_enabled());
    // A second run spends no start call.
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams", ENC, CMK]).await;
    assert_eq!(code, 0);
    assert!(
        actions(&doc).iter().all(|(_, a)| a == "AlreadyEncrypted"),
        "{doc:#}"
    );
    assert_eq!(fake.count(START), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_sends_no_start_call_and_exits_1_when_something_would_change() {
    let fake = FakeAccount::start().await;
    fake.direct_put("plain", None);
    fake.direct_put("owned", owned_enabled());
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams", "--dry-run"]).await;
    assert_eq!(code, 1);
    assert_eq!(
        actions(&doc),
        pairs(&[("owned", "AlreadyEncrypted"), ("plain", "WouldStart")])
    );
    assert_eq!(fake.count(START), 0);
    assert_eq!(fake.encryption("plain"), None);
    // Nothing would change: exit 0.
    let (code, _, _) = run_fleet(&fake, &["--delivery-stream-name", "owned", "--dry-run"]).await;
    assert_eq!(code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kinesis_source_is_started_once_however_many_streams_it_feeds() {
    let fake = FakeAccount::start().await;
    let arn = fake.kinesis_sourced("k1", "shared-source");
    fake.kinesis_sourced("k2", "shared-source");
    fake.direct_put("d", owned_enabled());
    // Without the flag: reported, not touched, exit 1.
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams"]).await;
    assert_eq!(code, 1);
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("d", "AlreadyEncrypted"),
            ("k1", "NeedsSourceEncryption"),
            ("k2", "NeedsSourceEncryption"),
        ])
    );
    let reason = doc["DeliveryStreams"][1]["Reason"].as_str().unwrap();
    assert!(reason.contains("--encrypt-kinesis-sources"), "{reason}");
    assert!(
        reason.contains(&format!("start-stream-encryption --stream-arn {arn}")),
        "{reason}"
    );
    assert_eq!(fake.count(START_SOURCE), 0);
    // With it: one StartStreamEncryption for both.
    let args = ["--all-delivery-streams", "--encrypt-kinesis-sources"];
    let (code, doc, _) = run_fleet(&fake, &args).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("d", "AlreadyEncrypted"),
            ("k1", "SourceStarted"),
            ("k2", "SourceStarted"),
        ])
    );
    assert_eq!(
        fake.accepted(START_SOURCE),
        [json!({"StreamARN": arn, "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"})]
    );
    assert_eq!(fake.count(DESCRIBE_SOURCE), 2, "one describe per run");
    assert_eq!(
        fake.source(&arn),
        Some(json!({"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"}))
    );
    assert_eq!(
        doc["DeliveryStreams"][1]["KinesisSource"],
        json!({
            "StreamARN": arn,
            "EncryptionBefore": {"StreamStatus": "ACTIVE", "EncryptionType": "NONE"},
            "EncryptionAfter": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
        })
    );
    assert_eq!(fake.count(START), 0, "Firehose cannot encrypt them");
}

#[tokio::test(flavor = "multi_thread")]
async fn encrypt_kinesis_sources_works_with_one_stream_name_and_a_customer_key() {
    let fake = FakeAccount::start().await;
    let arn = fake.kinesis_sourced("k1", "src");
    let args = [
        "--delivery-stream-name",
        "k1",
        "--encrypt-kinesis-sources",
        ENC,
        CMK,
    ];
    let (code, doc, _) = run_fleet(&fake, &args).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(actions(&doc), pairs(&[("k1", "SourceStarted")]));
    assert_eq!(
        fake.source(&arn),
        Some(json!({"EncryptionType": "KMS", "KeyId": KEY_ARN}))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn names_from_a_file_skip_comments_and_report_an_unknown_name() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    fake.direct_put("b", owned_enabled());
    fake.direct_put("not-listed", None);
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("names.txt");
    std::fs::write(&list, "# from the scanner\nb\n\na\nnosuch\na\n").unwrap();
    let path = list.to_str().unwrap();
    let (code, doc, _) = run_fleet(&fake, &["--delivery-stream-names-from", path]).await;
    assert_eq!(code, 1, "an unknown name is a failure");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("a", "Started"),
            ("b", "AlreadyEncrypted"),
            ("nosuch", "Failed")
        ])
    );
    assert_eq!(
        doc["DeliveryStreams"][2]["Error"]["Code"],
        "ResourceNotFoundException"
    );
    assert_eq!(started(&fake), ["a"]);
    assert_eq!(fake.count(LIST), 0);
    assert_eq!(fake.encryption("not-listed"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn names_can_come_from_stdin() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    let mut c = fleet_cmd(
        &fake,
        &["--delivery-stream-names-from", "-", "--output", "text"],
    );
    c.write_stdin("a\n");
    let out = run(c).await.code(0);
    assert!(stdout_of(&out).contains("Started"), "{}", stdout_of(&out));
    assert_eq!(started(&fake), ["a"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn listing_follows_every_page() {
    let fake = FakeAccount::start().await;
    let names: Vec<String> = (0..23).map(|i| format!("s{i:02}")).collect();
    for n in &names {
        fake.direct_put(n, owned_enabled());
    }
    fake.page_size(7);
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams"]).await;
    assert_eq!(code, 0);
    let listed: Vec<String> = actions(&doc).into_iter().map(|(n, _)| n).collect();
    assert_eq!(listed, names);
    let lists: Vec<Value> = fake
        .calls()
        .into_iter()
        .filter(|c| c.target == LIST)
        .map(|c| c.body)
        .collect();
    assert_eq!(lists.len(), 4, "{lists:?}");
    assert_eq!(lists[0]["Limit"], 10_000, "the API's largest page");
    assert_eq!(lists[1]["ExclusiveStartDeliveryStreamName"], "s06");
    assert_eq!(fake.count(START), 0);
}

// Contract §14: a page that does not advance is an error naming the
// operation, after one repeated page, not an endless loop.
#[tokio::test(flavor = "multi_thread")]
async fn a_listing_that_never_advances_ends_with_an_error_naming_the_operation() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    fake.stuck_listing();
    let started = Instant::now();
    let out = run(fleet_cmd(&fake, &["--all-delivery-streams"]))
        .await
        .code(255)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("ListDeliveryStreams"), "{stderr}");
    assert!(stderr.contains("did not advance"), "{stderr}");
    assert_eq!(fake.count(LIST), 2, "the repeated page is the last call");
    assert_eq!(fake.count(START), 0);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test(flavor = "multi_thread")]
async fn query_and_text_output_answer_which_streams_are_still_unencrypted() {
    let fake = FakeAccount::start().await;
    fake.direct_put("d", owned_enabled());
    fake.kinesis_sourced("k", "src");
    let args = [
        "--all-delivery-streams",
        "--query",
        "DeliveryStreams[?!EncryptedAtRest].[DeliveryStreamName, Action]",
        "--output",
        "text",
    ];
    let out = run(fleet_cmd(&fake, &args)).await.code(1);
    assert_eq!(stdout_of(&out), "k\tNeedsSourceEncryption\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backtick_literal_that_is_not_json_is_a_string_in_fleet_mode_too() {
    let fake = FakeAccount::start().await;
    fake.direct_put("d", owned_enabled());
    fake.kinesis_sourced("k", "src");
    let args = [
        "--all-delivery-streams",
        "--query",
        "DeliveryStreams[?Action==`NeedsSourceEncryption`].DeliveryStreamName",
        "--output",
        "text",
    ];
    let out = run(fleet_cmd(&fake, &args)).await.code(1);
    assert_eq!(stdout_of(&out), "k\n");
}

/// Two fakes holding the same fleet: every kind of entry the document has
/// (started, already encrypted, a Kinesis source, a source type it cannot
/// judge, a name that needs escaping).
async fn same_fleet_twice() -> [FakeAccount; 2] {
    let fleet = [FakeAccount::start().await, FakeAccount::start().await];
    for fake in &fleet {
        fake.page_size(2);
        fake.direct_put("plain", None);
        fake.direct_put("owned", owned_enabled());
        fake.direct_put("customer", customer_enabled());
        fake.direct_put("quote\"and-é", None);
        fake.kinesis_sourced("fed", "src");
        fake.other_source(
            "msk",
            "MSKAsSource",
            Some("arn:aws:kafka:us-east-1:1:cluster/c/1"),
        );
    }
    fleet
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_written_entry_by_entry_is_byte_for_byte_the_one_built_whole() {
    // Plain JSON on a pipe is written as it is built; `--query @` (the
    // document itself) makes the tool build it whole first.
    let [streamed, whole] = same_fleet_twice().await;
    let args = ["--all-delivery-streams", "--output", "json"];
    let a = run(fleet_cmd(&streamed, &args)).await;
    let b = run(fleet_cmd(&whole, &[&args[..], &["--query", "@"]].concat())).await;
    let (a, b) = (a.get_output(), b.get_output());
    assert_eq!(a.status.code(), b.status.code());
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout)
    );
    assert_eq!(a.stdout, b.stdout);
    let doc: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(doc["DeliveryStreams"].as_array().unwrap().len(), 6);
    assert!(a.stdout.ends_with(b"}\n"));

    // No stream at all: an empty list, the same way.
    let empty = [FakeAccount::start().await, FakeAccount::start().await];
    let a = run(fleet_cmd(&empty[0], &args)).await.success();
    let b = run(fleet_cmd(
        &empty[1],
        &[&args[..], &["--query", "@"]].concat(),
    ))
    .await
    .success();
    assert_eq!(a.get_output().stdout, b.get_output().stdout);
    assert!(stdout_of(&a).contains("\"DeliveryStreams\": [],"));
}

// ---------------------------------------------------------- rate and bounds

#[tokio::test(flavor = "multi_thread")]
async fn throttled_describes_and_starts_are_retried_and_each_stream_started_once() {
    let fake = FakeAccount::start().await;
    for n in ["a", "b", "c"] {
        fake.direct_put(n, None);
    }
    fake.throttle(DESCRIBE, 2, "ThrottlingException");
    fake.throttle(START, 2, "LimitExceededException");
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams"]).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[("a", "Started"), ("b", "Started"), ("c", "Started")])
    );
    assert_eq!(started(&fake), ["a", "b", "c"], "each exactly once");
    assert_eq!(fake.count(START), 5, "two throttled attempts, retried");
    assert_eq!(fake.count(DESCRIBE), 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_throttled_past_every_attempt_is_reported_not_dropped() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    fake.direct_put("b", owned_enabled());
    fake.throttle(START, 100, "LimitExceededException");
    let mut c = fleet_cmd(&fake, &["--all-delivery-streams"]);
    c.env("AWS_MAX_ATTEMPTS", "2");
    let out = run(c).await.code(1);
    let doc: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        actions(&doc),
        pairs(&[("a", "Failed"), ("b", "AlreadyEncrypted")])
    );
    assert_eq!(
        doc["DeliveryStreams"][0]["Error"]["Code"],
        "LimitExceededException"
    );
    assert_eq!(fake.count(START), 2, "AWS_MAX_ATTEMPTS is honoured");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_more_calls_are_in_flight_than_max_concurrency() {
    let fake = FakeAccount::start().await;
    for i in 0..12 {
        fake.direct_put(&format!("s{i:02}"), None);
    }
    fake.delay(Duration::from_millis(150));
    let (code, _, _) =
        run_fleet(&fake, &["--all-delivery-streams", "--max-concurrency", "3"]).await;
    assert_eq!(code, 0);
    assert_eq!(fake.count(START), 12);
    let most = fake.max_in_flight();
    assert!(most <= 3, "{most} calls were in flight at once");
    assert!(most >= 2, "the calls ran one by one ({most})");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_bound_is_four() {
    let fake = FakeAccount::start().await;
    for i in 0..10 {
        fake.direct_put(&format!("s{i:02}"), None);
    }
    fake.delay(Duration::from_millis(150));
    let (code, _, _) = run_fleet(&fake, &["--all-delivery-streams"]).await;
    assert_eq!(code, 0);
    let most = fake.max_in_flight();
    assert!(
        (3..=4).contains(&most),
        "{most} calls were in flight at once"
    );
}

// ------------------------------------------------------------------- Ctrl-C

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_prints_the_results_so_far_and_exits_130() {
    let fake = FakeAccount::start().await;
    for n in ["a", "b", "c", "d"] {
        fake.direct_put(n, None);
    }
    fake.hang_start("c");
    let c = fleet_cmd(&fake, &["--all-delivery-streams", "--max-concurrency", "1"]);
    let child = spawn_piped(&c);
    wait_for(
        "never reached the held call",
        Duration::from_secs(20),
        || std::future::ready(fake.count(START) >= 3),
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
    let reason = doc["DeliveryStreams"][2]["Reason"].as_str().unwrap();
    assert!(reason.contains("may have been accepted"), "{reason}");
    assert_eq!(doc["DeliveryStreams"][3].get("Reason"), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Interrupted: 2 of 4 streams"), "{stderr:?}");
    assert_eq!(started(&fake), ["a", "b"]);
}

// ------------------------------------------------------------- bad input

#[tokio::test(flavor = "multi_thread")]
async fn a_selector_with_a_stream_name_is_252_and_sends_nothing() {
    let fake = FakeAccount::start().await;
    for args in [
        &["--all-delivery-streams", "--delivery-stream-name", "a"][..],
        &[
            "--delivery-stream-names-from",
            "-",
            "--delivery-stream-name",
            "a",
        ],
        &[
            "--all-delivery-streams",
            "--delivery-stream-names-from",
            "-",
        ],
        &[
            "--all-delivery-streams",
            "--cli-input-json",
            r#"{"DeliveryStreamName": "a"}"#,
        ],
        &["--delivery-stream-name", "a", "--max-concurrency", "2"],
        &["--all-delivery-streams", "--max-concurrency", "0"],
        &[
            "--all-delivery-streams",
            ENC,
            "KeyType=CUSTOMER_MANAGED_CMK",
        ],
    ] {
        let out = run(fleet_cmd(&fake, args)).await.code(252).stdout("");
        assert!(!stderr_of(&out).is_empty(), "{args:?}");
    }
    assert!(fake.calls().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_name_in_the_list_is_252_naming_the_line_and_sends_nothing() {
    let fake = FakeAccount::start().await;
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("names.txt");
    std::fs::write(&list, "ok\nmy stream!\n").unwrap();
    let path = list.to_str().unwrap();
    let out = run(fleet_cmd(&fake, &["--delivery-stream-names-from", path]))
        .await
        .code(252)
        .stdout("");
    let err = stderr_of(&out);
    assert!(err.contains(&format!("{path}, line 2")), "{err}");
    assert!(err.contains("my stream!"), "{err}");
    let missing = dir.path().join("missing.txt");
    let out = run(fleet_cmd(
        &fake,
        &["--delivery-stream-names-from", missing.to_str().unwrap()],
    ))
    .await
    .code(252);
    assert!(
        stderr_of(&out).contains("Unable to read --delivery-stream-names-from"),
        "{}",
        stderr_of(&out)
    );
    assert!(fake.calls().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listing_that_fails_is_the_services_error_and_exit_254() {
    let fake = FakeAccount::start().await;
    fake.throttle(LIST, 100, "AccessDeniedException");
    let out = run(fleet_cmd(&fake, &["--all-delivery-streams"]))
        .await
        .code(254)
        .stdout("");
    assert!(
        stderr_of(&out).contains("(AccessDeniedException) when calling the ListDeliveryStreams"),
        "{}",
        stderr_of(&out)
    );
}

// Contract §14: a description the rules do not cover is reported, never
// acted on. moto describes a stream created with an encryption input as
// `KeyType` without `Status`; starting the AWS owned key on it would
// replace a customer key on a guess.
#[tokio::test(flavor = "multi_thread")]
async fn a_description_the_rules_do_not_cover_is_reported_and_not_started() {
    let fake = FakeAccount::start().await;
    fake.direct_put(
        "no-status",
        Some(json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK"})),
    );
    fake.direct_put(
        "odd-status",
        Some(json!({"KeyType": "AWS_OWNED_CMK", "Status": "SOMETHING_NEW"})),
    );
    fake.direct_put("plain", None);
    for args in [
        &["--all-delivery-streams"][..],
        &[
            "--all-delivery-streams",
            "--delivery-stream-encryption-configuration-input",
            "KeyType=AWS_OWNED_CMK",
        ][..],
    ] {
        let (code, doc, _) = run_fleet(&fake, args).await;
        assert_eq!(code, 1, "{doc}");
        let entries = doc["DeliveryStreams"].as_array().unwrap();
        for entry in &entries[..2] {
            assert_eq!(entry["Action"], "UnknownState", "{entry}");
            assert_eq!(entry["EncryptedAtRest"], false, "{entry}");
            let reason = entry["Reason"].as_str().unwrap();
            assert!(reason.contains("not act"), "{reason}");
        }
        assert!(
            entries[0]["Reason"]
                .as_str()
                .unwrap()
                .contains("without a Status")
        );
        assert!(
            entries[1]["Reason"]
                .as_str()
                .unwrap()
                .contains("SOMETHING_NEW")
        );
    }
    assert_eq!(started(&fake), ["plain"], "only the stream the rules cover");
    assert_eq!(
        fake.encryption("no-status").unwrap()["KeyType"],
        "CUSTOMER_MANAGED_CMK"
    );
}

// Contract §13: the evidence where Firehose's own encryption does not
// apply. An MSK-sourced stream is encrypted at rest by Amazon MSK (the
// cluster is named); a source type whose encryption this tool cannot see is
// not applicable, never started, and fails nothing.
#[tokio::test(flavor = "multi_thread")]
async fn an_msk_sourced_stream_counts_as_encrypted_and_a_database_source_is_not_applicable() {
    let fake = FakeAccount::start().await;
    let cluster = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/1a2b";
    fake.other_source("from-msk", "MSKAsSource", Some(cluster));
    fake.other_source("from-db", "DatabaseAsSource", None);
    let (code, doc, _) = run_fleet(&fake, &["--all-delivery-streams"]).await;
    assert_eq!(code, 0, "neither fails the run: {doc:#}");
    assert_eq!(
        actions(&doc),
        pairs(&[
            ("from-db", "NotApplicable"),
            ("from-msk", "SourceAlreadyEncrypted")
        ])
    );
    let entries = doc["DeliveryStreams"].as_array().unwrap();
    assert_eq!(entries[0]["EncryptedAtRest"], false);
    assert!(
        entries[0]["Reason"]
            .as_str()
            .unwrap()
            .contains("DatabaseAsSource")
    );
    assert_eq!(entries[1]["EncryptedAtRest"], true);
    let reason = entries[1]["Reason"].as_str().unwrap();
    assert!(
        reason.contains(cluster) && reason.contains("Amazon MSK"),
        "{reason}"
    );
    assert_eq!(fake.count(START), 0);
}

// Contract §12: each region is a target of its own, run side by side; every
// entry says its account and region, and the calls of each target are
// signed for its region.
#[tokio::test(flavor = "multi_thread")]
async fn each_region_is_a_target_with_its_own_entries_and_calls() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    let (code, doc, _) = run_fleet(
        &fake,
        &[
            "--all-delivery-streams",
            "--regions",
            "us-east-1,eu-west-1,us-east-1",
        ],
    )
    .await;
    assert_eq!(code, 0, "{doc:#}");
    let entries = doc["DeliveryStreams"].as_array().unwrap();
    let places: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["AccountId"].as_str().unwrap(),
                e["Region"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [("123456789012", "eu-west-1"), ("123456789012", "us-east-1")],
        "sorted by account and region, each region once"
    );
    let targets: Vec<(&str, &str)> = doc["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["Region"].as_str().unwrap(), t["Status"].as_str().unwrap()))
        .collect();
    assert_eq!(targets, [("eu-west-1", "Done"), ("us-east-1", "Done")]);
    let mut signed: Vec<String> = fake
        .calls()
        .into_iter()
        .filter(|c| c.target == START)
        .map(|c| c.region)
        .collect();
    signed.sort();
    assert_eq!(signed, ["eu-west-1", "us-east-1"], "one start per region");
}

// -------------------------------------------------------------------- wait

#[tokio::test(flavor = "multi_thread")]
async fn wait_describes_every_change_until_it_is_in_place() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", None);
    fake.direct_put("b", owned_enabled());
    let arn = fake.kinesis_sourced("k", "src");
    let args = [
        "--all-delivery-streams",
        "--encrypt-kinesis-sources",
        "--wait",
        "--wait-interval",
        "100ms",
    ];
    let (code, doc, _) = run_fleet(&fake, &args).await;
    assert_eq!(code, 0, "{doc:#}");
    let entries = doc["DeliveryStreams"].as_array().unwrap();
    assert_eq!(
        entries[0]["EncryptionAfter"],
        json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"}),
        "the described state, not the asked-for ENABLING"
    );
    assert_eq!(
        entries[2]["KinesisSource"]["EncryptionAfter"],
        json!({"StreamStatus": "ACTIVE", "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"})
    );
    // Each stream described once, then one poll for `a`; the source
    // described once before and polled once.
    assert_eq!(fake.count(DESCRIBE), 4);
    assert_eq!(fake.count(DESCRIBE_SOURCE), 2);
    assert_eq!(fake.source(&arn).unwrap()["EncryptionType"], "KMS");
}

// ---------------------------------------------------------- on a terminal

/// The binary at the fake with `args`, under a pty with `TERM=term`.
async fn fleet_under_pty(fake: &FakeAccount, term: &str, args: &[&str]) -> (Option<i32>, String) {
    let all: Vec<&str> = ["--endpoint-url", fake.url.as_str()]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    under_pty(&all, term).await
}

// Contract §9: on a terminal with no --output or --query, a person gets the
// table of what needs attention and a counts line, not the document.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_progress_is_drawn_then_the_summary_instead_of_the_document() {
    let fake = FakeAccount::start().await;
    for i in 0..6 {
        fake.direct_put(&format!("s{i}"), None);
    }
    fake.direct_put("kept", customer_enabled());
    fake.delay(Duration::from_millis(250));
    let (code, out) = fleet_under_pty(&fake, "xterm", &["--all-delivery-streams"]).await;
    assert_eq!(code, Some(0), "{out:?}");
    assert!(
        out.contains("/7 streams"),
        "the overall bar, counts of all: {out:?}"
    );
    assert!(
        out.contains("s0: describing") || out.contains("s0: starting"),
        "a line per stream in flight: {out:?}"
    );
    assert!(out.contains("\x1b[2K"), "redrawn in place: {out:?}");
    let text = out.replace("\r\n", "\n");
    assert!(!text.contains("\"DeliveryStreams\""), "no document: {text}");
    let table_at = text.find("Stream").expect("the table header");
    let table = &text[table_at..];
    for row in [
        "s0",
        "s5",
        "Started",
        "AWS_OWNED_CMK ENABLING",
        "After or error",
    ] {
        assert!(table.contains(row), "{row} in {table}");
    }
    assert!(
        !table.contains("kept"),
        "as wanted: folded into the count: {table}"
    );
    assert!(
        table.contains("7 streams: 6 started, 1 already encrypted"),
        "{table}"
    );
}

// The same run with --output json on a terminal prints the document.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_an_output_format_still_gets_the_document() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", owned_enabled());
    let (code, out) = fleet_under_pty(
        &fake,
        "xterm",
        &["--all-delivery-streams", "--output", "json"],
    )
    .await;
    assert_eq!(code, Some(0), "{out:?}");
    let text = out.replace("\r\n", "\n");
    assert!(text.contains("{\n    \"DeliveryStreams\""), "{text}");
    assert!(text.contains("1 stream: 1 already encrypted"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dumb_terminal_gets_only_the_document() {
    let fake = FakeAccount::start().await;
    fake.direct_put("a", owned_enabled());
    let (code, out) = fleet_under_pty(&fake, "dumb", &["--all-delivery-streams"]).await;
    assert_eq!(code, Some(0), "{out:?}");
    let doc: Value = serde_json::from_str(&out.replace("\r\n", "\n")).expect(&out);
    assert_eq!(actions(&doc), pairs(&[("a", "AlreadyEncrypted")]));
}
