//! Every ```console example in README.md runs here: `$ ` lines are commands
//! (run by bash, with the binaries on PATH and the endpoint as
//! AWS_ENDPOINT_URL), the lines after them are the expected stdout, and
//! `? N` is the expected exit status. Plain ```console blocks run against a
//! loopback fake of the Firehose and Kinesis APIs; ```console org blocks
//! (the Organization and Reports sections) against an organization on a
//! moto_server of their own, where `aws` (the AWS CLI) reaches it too. Every
//! file an example names with `--report FORMAT=PATH` must then exist and
//! parse as FORMAT.

mod common;

use common::*;
use serde_json::json;

/// One `$ command` with what it must print and exit with.
struct Example {
    command: String,
    stdout: String,
    code: i32,
}

/// The examples of the blocks fenced exactly as `fence` (```console, or
/// ```console org).
fn examples(readme: &str, fence: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == fence;
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            out.push(Example {
                command: command.to_owned(),
                stdout: String::new(),
                code: 0,
            });
        } else if let Some(code) = line.strip_prefix("? ") {
            out.last_mut().expect("a command before `? N`").code =
                code.parse().expect("`? N` is a number");
        } else {
            let ex = out.last_mut().expect("a command before its output");
            ex.stdout.push_str(line);
            ex.stdout.push('\n');
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_readme_example_runs_as_shown() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let examples = examples(&readme, "```console");
    assert!(
        examples.len() >= 6,
        "found only {} examples",
        examples.len()
    );

    let fake = accepting().await;
    fake.reply(
        DESCRIBE_TARGET,
        200,
        json!({"DeliveryStreamDescription": {
            "DeliveryStreamName": "my-stream",
            "DeliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/my-stream",
            "DeliveryStreamStatus": "ACTIVE", "DeliveryStreamType": "DirectPut", "VersionId": "2",
            "Destinations": [], "HasMoreDestinations": false,
            "DeliveryStreamEncryptionConfiguration": {
                "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"}}}),
    )
    .await;

    // The fleet examples: one stream in the region.
    fake.reply(
        "Firehose_20150804.ListDeliveryStreams",
        200,
        json!({"DeliveryStreamNames": ["my-stream"], "HasMoreDeliveryStreams": false}),
    )
    .await;

    fake.reply(
        "Kinesis_20131202.ListStreams",
        200,
        json!({"StreamNames": ["my-stream"], "HasMoreStreams": false}),
    )
    .await;
    // The Kinesis examples: the start is accepted and the stream is ACTIVE
    // with the key the examples ask for.
    fake.reply("Kinesis_20131202.StartStreamEncryption", 200, json!({}))
        .await;
    fake.reply(
        "Kinesis_20131202.DescribeStreamSummary",
        200,
        json!({"StreamDescriptionSummary": {
            "StreamName": "my-stream",
            "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/my-stream",
            "StreamStatus": "ACTIVE", "RetentionPeriodHours": 24,
            "StreamCreationTimestamp": 1.7e9, "EnhancedMonitoring": [],
            "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis", "OpenShardCount": 1}}),
    )
    .await;

    let work = tempfile::tempdir().unwrap();
    let reports = reports_named(&examples);
    run_examples(examples, &fake.url(), work.path()).await;
    check_reports(&reports, work.path());
    let bodies = fake.bodies(START_TARGET).await;
    assert_eq!(
        bodies.len(),
        5,
        "the five examples that call the API reached it: {bodies:?}"
    );
    assert_eq!(
        bodies[4],
        json!({"DeliveryStreamName": "my-stream", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}}),
        "the fleet run's one start"
    );
    assert_eq!(
        bodies[3],
        json!({"DeliveryStreamName": "my-stream", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}}),
        "the filled-in YAML template"
    );
}

/// Run each example in `dir` with `endpoint` as AWS_ENDPOINT_URL; each must
/// print and exit as shown.
async fn run_examples(examples: Vec<Example>, endpoint: &str, dir: &std::path::Path) {
    let bin_dir = assert_cmd::cargo::cargo_bin(BIN)
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for ex in examples {
        let mut c = cmd();
        c.current_dir(dir)
            .env("PATH", &path)
            .env("AWS_ENDPOINT_URL", endpoint)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_DEFAULT_OUTPUT", "json")
            .args(["-c", &format!("set -o pipefail; {}", ex.command)]);
        // `cmd()` targets the binary; run bash instead, with the same scrubbed environment.
        let mut bash = with_env_of("bash", &c);
        bash.args(c.get_args()).current_dir(dir);
        // The AWS CLI may be a pyenv shim or live in a virtualenv.
        for var in ["PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV"] {
            if let Some(v) = std::env::var_os(var) {
                bash.env(var, v);
            }
        }
        let output = tokio::task::spawn_blocking(move || bash.output())
            .await
            .unwrap()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            (output.status.code(), stdout.as_ref()),
            (Some(ex.code), ex.stdout.as_str()),
            "README example `{}`\nstderr: {}",
            ex.command,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The Organization section's examples, in order, on an organization of
/// their own (a moto_server of their own, so that `--organization` lists
/// no other test's accounts): the management account and members demo-1
/// and demo-2, each with Direct PUT streams demo-s1 and demo-s2 and data
/// stream demo-k1 in eu-west-1 and us-east-1, as the section says. The
/// section's accounts.yml is written with the emulator's account IDs in
/// place of 111111111111 (demo-1) and 222222222222 (demo-2). The end state
/// is read back with boto3: nothing in the organization is left
/// unencrypted.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn every_readme_organization_example_runs_as_shown() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let examples = examples(&readme, "```console org");
    assert!(
        examples.len() >= 6,
        "found only {} organization examples",
        examples.len()
    );
    let moto = common::moto::OwnMoto::start();
    let regions = "eu-west-1,us-east-1";
    let org = common::moto::moto_org_at(
        moto.url(),
        &[
            "setup",
            "--members",
            "2",
            "--prefix",
            "demo",
            "--regions",
            regions,
            "--streams",
            "2",
            "--kinesis",
            "1",
        ],
    );
    let mut ids = vec![org["management"].as_str().unwrap().to_owned()];
    for member in org["members"].as_array().unwrap() {
        ids.push(member["id"].as_str().unwrap().to_owned());
    }
    let yaml = accounts_file(&readme)
        .replace("111111111111", &ids[1])
        .replace("222222222222", &ids[2]);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("accounts.yml"), yaml).unwrap();

    let reports = reports_named(&examples);
    assert!(
        reports.len() >= 3,
        "the Reports section writes every format: {reports:?}"
    );
    run_examples(examples, moto.url(), work.path()).await;
    check_reports(&reports, work.path());

    let left = common::moto::moto_org_at(
        moto.url(),
        &[
            "unencrypted",
            "--accounts",
            &ids.join(","),
            "--regions",
            regions,
        ],
    );
    assert_eq!(left, json!([]), "the organization is encrypted at rest");
}

/// The README's accounts.yml: its ```yaml block that starts with `accounts:`.
fn accounts_file(readme: &str) -> String {
    let start = readme
        .find("```yaml\naccounts:\n")
        .expect("the README shows an accounts.yml")
        + "```yaml\n".len();
    let len = readme[start..].find("```").expect("the block ends");
    readme[start..start + len].to_owned()
}

/// The `(FORMAT, PATH)` of every `--report FORMAT=PATH` the examples give.
fn reports_named(examples: &[Example]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for ex in examples {
        let words: Vec<&str> = ex.command.split_whitespace().collect();
        for pair in words.windows(2).filter(|w| w[0] == "--report") {
            let (format, path) = pair[1].split_once('=').expect("--report FORMAT=PATH");
            out.push((format.to_owned(), path.to_owned()));
        }
    }
    out
}

/// Each report in `dir` exists and parses as its format: JUnit XML with at
/// least one `<testcase>` (read by Python's ElementTree), or a JSON array
/// of ASFF findings (schema 2018-10-08) or OCSF Compliance Findings
/// (`class_uid` 2003), one at least.
fn check_reports(reports: &[(String, String)], dir: &std::path::Path) {
    for (format, path) in reports {
        let file = dir.join(path);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("README's {format} report {path} was not written: {e}"));
        if format == "junit" {
            let mut c = common::moto::local_client("python3");
            c.args([
                "-c",
                "import sys, xml.etree.ElementTree as E; \
                 print(len(list(E.parse(sys.argv[1]).getroot().iter('testcase'))))",
            ])
            .arg(&file);
            let cases: usize = common::moto::stdout_ok(c).trim().parse().unwrap();
            assert!(cases > 0, "{path} has no testcase: {text}");
            continue;
        }
        let findings: Vec<serde_json::Value> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{path} is not a JSON array ({e}): {text}"));
        assert!(!findings.is_empty(), "{path} has no finding");
        for f in &findings {
            match format.as_str() {
                "asff" => assert_eq!(f["SchemaVersion"], "2018-10-08", "{path}: {f}"),
                "ocsf" => assert_eq!(f["class_uid"], 2003, "{path}: {f}"),
                other => panic!("README names an unknown report format {other:?}"),
            }
        }
    }
}
