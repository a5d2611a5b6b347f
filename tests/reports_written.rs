//! `--report` files are written at the end of every run (contract §13):
//! also when the run's only target fails (its listing refused) and after
//! Ctrl-C, with what is known; and a stream that the ASFF and OCSF reports
//! must leave out (its account unknown) is named on stderr, not dropped
//! silently. Against loopback fakes.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::account::{FakeAccount, START};
use common::*;
use serde_json::Value;

/// `--report junit=… --report asff=… --report ocsf=…` into `dir`, and the
/// three paths (junit, asff, ocsf).
fn every_report(dir: &Path) -> (Vec<String>, [PathBuf; 3]) {
    let paths = [
        dir.join("report.xml"),
        dir.join("asff.json"),
        dir.join("ocsf.json"),
    ];
    let args = ["junit", "asff", "ocsf"]
        .iter()
        .zip(&paths)
        .flat_map(|(format, path)| {
            [
                "--report".to_owned(),
                format!("{format}={}", path.display()),
            ]
        })
        .collect();
    (args, paths)
}

/// The JSON array a report file holds; panics naming the file otherwise.
fn findings(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(Value::Array(items)) => items,
        other => panic!("{} is not a JSON array: {other:?}", path.display()),
    }
}

/// The three reports of a run that failed with `message` before any stream
/// was known: the JUnit report has the error, ASFF and OCSF no finding.
fn failure_reported([junit, asff, ocsf]: [PathBuf; 3], message: &str) {
    let xml = std::fs::read_to_string(&junit).expect("the junit report is written");
    assert!(
        xml.contains("<error") && xml.contains(message),
        "the failure is in the junit report: {xml}"
    );
    assert_eq!(
        findings(&asff),
        Vec::<Value>::new(),
        "no stream, no finding"
    );
    assert_eq!(
        findings(&ocsf),
        Vec::<Value>::new(),
        "no stream, no finding"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_are_written_when_the_only_target_fails() {
    let fake = accepting().await;
    fake.reply_error(
        "Firehose_20150804.ListDeliveryStreams",
        "AccessDeniedException",
        "listing refused",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (reports, [junit, asff, ocsf]) = every_report(dir.path());
    let mut c = cmd_at(&fake, &["--all-delivery-streams"]);
    c.args(&reports);
    let out = run(c).await.code(254).stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("listing refused"), "{stderr}");
    failure_reported([junit, asff, ocsf], "listing refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_are_written_after_ctrl_c_with_what_is_known() {
    let fake = FakeAccount::start().await;
    for n in ["a", "b", "c", "d"] {
        fake.direct_put(n, None);
    }
    fake.hang_start("c");
    let dir = tempfile::tempdir().unwrap();
    let (reports, [junit, asff, ocsf]) = every_report(dir.path());
    let mut c = cmd();
    c.arg("--endpoint-url")
        .arg(&fake.url)
        .args(["--all-delivery-streams", "--max-concurrency", "1"])
        .args(&reports);
    let child = spawn_piped(&c);
    wait_for(
        "never reached the held call",
        Duration::from_secs(20),
        || std::future::ready(fake.count(START) >= 3),
    )
    .await;
    let out = interrupt(child).await;
    assert_eq!(out.status.code(), Some(130));
    let xml = std::fs::read_to_string(&junit).expect("the junit report is written");
    for n in ["a", "b", "c", "d"] {
        assert!(
            xml.contains(&format!(r#"<testcase name="{n}""#)),
            "{n}: {xml}"
        );
    }
    assert!(
        xml.contains(r#"type="Interrupted""#),
        "the target was interrupted: {xml}"
    );
    let statuses: Vec<(String, String)> = findings(&asff)
        .iter()
        .map(|f| {
            (
                f["Resources"][0]["Id"].as_str().unwrap().to_owned(),
                f["Compliance"]["Status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let arn = |n: &str| format!("arn:aws:firehose:us-east-1:123456789012:deliverystream/{n}");
    assert_eq!(
        statuses,
        [
            (arn("a"), "PASSED".to_owned()),
            (arn("b"), "PASSED".to_owned()),
            (arn("c"), "FAILED".to_owned()),
            (arn("d"), "NOT_AVAILABLE".to_owned()),
        ],
        "what is known: a and b started, c last seen unencrypted, d never described"
    );
    assert_eq!(findings(&ocsf).len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_of_no_known_account_is_named_not_dropped_silently() {
    let fake = FakeAccount::start().await;
    let dir = tempfile::tempdir().unwrap();
    let names = dir.path().join("names.txt");
    std::fs::write(&names, "ghost\n").unwrap();
    let (reports, [junit, asff, _]) = every_report(dir.path());
    let mut c = cmd();
    c.arg("--endpoint-url")
        .arg(&fake.url)
        .arg("--delivery-stream-names-from")
        .arg(&names)
        .args(&reports);
    let out = run(c).await.code(1);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("the asff and ocsf reports leave out 1 stream") && stderr.contains("ghost"),
        "{stderr}"
    );
    assert_eq!(findings(&asff), Vec::<Value>::new());
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains(r#"name="ghost""#), "junit has it: {xml}");
}

/// STS answers `GetCallerIdentity` on `fake` (moto's default account), so
/// that an `--organization` run gets as far as `ListAccounts`.
async fn caller_identity(fake: &FakeFirehose) {
    wiremock::Mock::given(wiremock::matchers::body_string_contains(
        "Action=GetCallerIdentity",
    ))
    .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/t</Arn>\
         <UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>\
         </GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>\
         </ResponseMetadata></GetCallerIdentityResponse>",
        "text/xml",
    ))
    .mount(&fake.server)
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_are_written_when_the_run_fails_before_any_target_is_known() {
    let fake = accepting().await;
    caller_identity(&fake).await;
    fake.reply_error(
        "AWSOrganizationsV20161128.ListAccounts",
        "AccessDeniedException",
        "not the management account",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (reports, [junit, asff, ocsf]) = every_report(dir.path());
    let mut c = cmd_at(&fake, &["--all-delivery-streams", "--organization"]);
    c.args(&reports);
    let out = run(c).await.code(254).stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("not the management account"), "{stderr}");
    failure_reported([junit, asff, ocsf], "not the management account");
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_are_written_after_ctrl_c_while_the_targets_are_found() {
    let fake = accepting().await;
    caller_identity(&fake).await;
    // ListAccounts never answers in time: the run is still finding targets.
    wiremock::Mock::given(wiremock::matchers::header(
        "x-amz-target",
        "AWSOrganizationsV20161128.ListAccounts",
    ))
    .respond_with(wiremock::ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
    .mount(&fake.server)
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (reports, [junit, asff, _]) = every_report(dir.path());
    let mut c = cmd_at(&fake, &["--all-delivery-streams", "--organization"]);
    c.args(&reports);
    let child = spawn_piped(&c);
    let asked = |r: &wiremock::Request| {
        r.headers.get("x-amz-target").and_then(|v| v.to_str().ok())
            == Some("AWSOrganizationsV20161128.ListAccounts")
    };
    wait_for(
        "ListAccounts was never asked",
        Duration::from_secs(20),
        || async { fake.requests().await.iter().any(asked) },
    )
    .await;
    let out = interrupt(child).await;
    assert_eq!(out.status.code(), Some(130));
    assert!(out.stdout.is_empty(), "no document: nothing was known");
    let xml = std::fs::read_to_string(&junit).expect("the junit report is written");
    assert!(
        xml.contains(r#"type="Interrupted""#),
        "the run was interrupted: {xml}"
    );
    assert_eq!(
        findings(&asff),
        Vec::<Value>::new(),
        "no stream, no finding"
    );
}
