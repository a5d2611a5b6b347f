//! `--report FORMAT=PATH` files read back by other tools: the JUnit file by
//! Python's junitparser, the ASFF file imported into moto's Security Hub
//! with the AWS CLI itself (ignored without moto_server), the OCSF file
//! checked against the OCSF 1.6.0 schema's own definition files (kept under
//! tests/fixtures/ocsf).
//!
//! Every process started here gets a scrubbed environment: fake keys, IMDS
//! off, no config files, only loopback endpoints.

#[path = "reports/ocsf_schema.rs"]
mod ocsf_schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use serde_json::{Value, json};
use start_delivery_stream_encryption::reports::{
    FIREHOSE, Format, KINESIS, Report, Service, render, write_all,
};

/// The account moto_server gives the fake keys.
const MOTO_ACCOUNT: &str = "123456789012";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A command with nothing inherited but what finds python3 (a pyenv shim
/// needs HOME or its own variables), and fake, local-only AWS settings.
fn scrubbed(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    for var in ["HOME", "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV"] {
        if let Some(v) = std::env::var_os(var) {
            c.env(var, v);
        }
    }
    c
}

/// Run it; panic with everything it printed unless it succeeded.
fn run(mut c: Command) -> String {
    let out: Output = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run {c:?}: {e}"));
    assert!(
        out.status.success(),
        "{c:?} failed: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// A Firehose fleet document of three targets: streams passed, failed,
/// errored, not applicable and would-start in one, a target refused, a
/// region skipped.
fn firehose_document(account: &str, suffix: &str) -> Value {
    let stream = |name: &str, action: &str, encrypted: bool| {
        let name = format!("{name}{suffix}");
        json!({
            "AccountId": account, "Region": "us-east-1", "DeliveryStreamName": name,
            "DeliveryStreamARN": format!("arn:aws:firehose:us-east-1:{account}:deliverystream/{name}"),
            "DeliveryStreamType": "DirectPut", "Action": action, "EncryptedAtRest": encrypted,
            "EncryptionBefore": null,
            "EncryptionAfter": {"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING"},
            "Calls": {"Made": 2, "Throttled": 0}
        })
    };
    let mut errored = stream("errored", "Failed", false);
    errored["Error"] = json!({"Code": "LimitExceededException",
                              "Message": "more than 25 calls in 24 hours",
                              "Hint": "try again tomorrow"});
    let mut never = json!({
        "AccountId": account, "Region": "us-east-1",
        "DeliveryStreamName": format!("never-described{suffix}"),
        "Action": "Failed", "EncryptedAtRest": false,
        "EncryptionBefore": null, "EncryptionAfter": null,
        "Error": {"Code": "AccessDeniedException", "Message": "not authorized to describe"},
        "Calls": {"Made": 1, "Throttled": 0}
    });
    never["Reason"] = Value::Null;
    let mut database = stream("database", "NotApplicable", false);
    database["DeliveryStreamType"] = json!("DatabaseAsSource");
    database["Reason"] =
        json!("a DatabaseAsSource stream's encryption at rest is not this tool's to judge");
    json!({
        "DeliveryStreams": [
            stream("already", "AlreadyEncrypted", true),
            database,
            errored,
            never,
            stream("needs-source", "NeedsSourceEncryption", false),
            stream("started", "Started", true),
            stream("would", "WouldStart", false),
        ],
        "Targets": [
            {"AccountId": account, "AccountName": "prod", "Region": "us-east-1",
             "ReachedBy": "prod", "Status": "Done", "Error": null},
            {"AccountId": "444455556666", "AccountName": "audit", "Region": "us-east-1",
             "ReachedBy": "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole",
             "Status": "Failed",
             "Error": {"Code": "AccessDenied", "Message": "not authorized to perform sts:AssumeRole"}},
            {"AccountId": account, "AccountName": "prod", "Region": "ap-east-1",
             "ReachedBy": "prod", "Status": "Skipped",
             "Error": {"Code": "RegionNotEnabled", "Message": "ap-east-1 is not enabled"}},
        ]
    })
}

/// A Kinesis document of one target without an account (a single-account
/// run): one stream interrupted before it was described.
fn kinesis_document() -> Value {
    json!({
        "Streams": [
            {"AccountId": "111122223333", "Region": "eu-west-1", "StreamName": "orders",
             "StreamARN": "arn:aws:kinesis:eu-west-1:111122223333:stream/orders",
             "Action": "AlreadyEncrypted", "EncryptedAtRest": true,
             "EncryptionBefore": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
             "EncryptionAfter": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
             "Calls": {"Made": 1, "Throttled": 0}},
            {"AccountId": "111122223333", "Region": "eu-west-1", "StreamName": "clicks",
             "StreamARN": "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks",
             "Action": "Refused", "EncryptedAtRest": false, "Reason": "the stream is UPDATING",
             "EncryptionBefore": {"EncryptionType": "NONE"}, "EncryptionAfter": null,
             "Calls": {"Made": 1, "Throttled": 0}},
            {"AccountId": null, "Region": "eu-west-1", "StreamName": "late",
             "Action": "Interrupted", "EncryptedAtRest": false},
        ],
        "Targets": [{"AccountId": null, "AccountName": null, "Region": "eu-west-1",
                     "ReachedBy": "default credentials", "Status": "Interrupted", "Error": null}]
    })
}

fn write(format: Format, doc: &Value, service: &Service, dir: &Path, file: &str) -> PathBuf {
    let path = dir.join(file);
    let report = Report::parse(&format!("{format}={}", path.display())).expect("a valid --report");
    write_all(&[report], doc, service, SystemTime::now()).expect("the report is written");
    path
}

/// junitparser's view of a JUnit file: per suite, the counts it declares
/// and the counts of its testcases' results.
const JUNITPARSER: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Error, Skipped
suites = []
for suite in JUnitXml.fromfile(sys.argv[1]):
    cases = list(suite)
    def count(kind):
        return sum(1 for c in cases if any(isinstance(r, kind) for r in c.result))
    suites.append({
        "name": suite.name,
        "declared": [suite.tests, suite.failures, suite.errors, suite.skipped],
        "counted": [len(cases), count(Failure), count(Error), count(Skipped)],
        "classnames": sorted({c.classname for c in cases}),
        "cases": {c.name: [type(r).__name__ + ":" + (r.type or "") for r in c.result] for c in cases},
    })
print(json.dumps(suites))
"#;

fn junitparser(path: &Path) -> Vec<Value> {
    let mut probe = scrubbed("python3");
    probe.args(["-c", "import junitparser"]);
    let found = probe.output().map(|o| o.status.success()).unwrap_or(false);
    assert!(
        found,
        "Python's junitparser is missing: install the test prerequisites with \
         `source scripts/lib/moto.sh && moto_ensure_installed` (or run scripts/test.sh)"
    );
    let mut c = scrubbed("python3");
    c.arg("-c").arg(JUNITPARSER).arg(path);
    serde_json::from_str(&run(c)).expect("the script prints JSON")
}

#[test]
fn the_junit_report_reads_back_with_junitparser() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        Format::Junit,
        &firehose_document("111122223333", ""),
        &FIREHOSE,
        dir.path(),
        "firehose.xml",
    );
    let suites = junitparser(&path);
    let summary: Vec<(&str, &Value)> = suites
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), &s["declared"]))
        .collect();
    // [tests, failures, errors, skipped]
    assert_eq!(
        summary,
        [
            ("111122223333/us-east-1", &json!([7, 1, 2, 1])),
            ("444455556666/us-east-1", &json!([1, 0, 1, 0])),
            ("111122223333/ap-east-1", &json!([1, 0, 0, 1])),
        ],
        "{suites:#?}"
    );
    for s in &suites {
        assert_eq!(s["declared"], s["counted"], "{s:#}");
        assert_eq!(s["classnames"], json!(["DataFirehose"]), "{s:#}");
    }
    let cases = &suites[0]["cases"];
    assert_eq!(cases["already"], json!([]));
    assert_eq!(cases["database"], json!(["Skipped:NotApplicable"]));
    assert_eq!(
        cases["would"],
        json!([]),
        "a dry run's WouldStart would end encrypted"
    );
    assert_eq!(
        cases["needs-source"],
        json!(["Failure:NeedsSourceEncryption"])
    );
    assert_eq!(cases["errored"], json!(["Error:LimitExceededException"]));
    assert_eq!(
        cases["never-described"],
        json!(["Error:AccessDeniedException"])
    );
    assert_eq!(
        suites[1]["cases"]["(target)"],
        json!(["Error:AccessDenied"])
    );
    assert_eq!(
        suites[2]["cases"]["(target)"],
        json!(["Skipped:RegionNotEnabled"])
    );

    let path = write(
        Format::Junit,
        &kinesis_document(),
        &KINESIS,
        dir.path(),
        "kinesis.xml",
    );
    let suites = junitparser(&path);
    assert_eq!(suites.len(), 1, "{suites:#?}");
    assert_eq!(suites[0]["name"], "111122223333/eu-west-1");
    assert_eq!(suites[0]["declared"], json!([4, 2, 1, 0]));
    assert_eq!(suites[0]["declared"], suites[0]["counted"]);
    assert_eq!(suites[0]["cases"]["late"], json!(["Failure:Interrupted"]));
    assert_eq!(suites[0]["cases"]["(target)"], json!(["Error:Interrupted"]));
}

/// The emulator's URL; panics when it is not set (never skip silently).
fn moto_endpoint() -> String {
    let url = std::env::var("MOTO_ENDPOINT").unwrap_or_default();
    assert!(
        url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
        "MOTO_ENDPOINT must be moto_server's loopback URL (source scripts/lib/moto.sh && \
         scrub_aws_env && moto_start, or run scripts/test.sh), got {url:?}"
    );
    url
}

/// `aws securityhub ARGS` against moto_server, JSON out.
fn securityhub(args: &[&str]) -> Value {
    let mut c = scrubbed("aws");
    c.arg("securityhub").args(args).args([
        "--endpoint-url",
        &moto_endpoint(),
        "--region",
        "us-east-1",
        "--output",
        "json",
    ]);
    let out = run(c);
    if out.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("aws printed {out:?}: {e}"))
}

#[test]
#[ignore = "needs moto_server"]
fn the_asff_report_imports_into_security_hub_with_the_aws_cli() {
    // moto 5.2.1 imports findings whether or not Security Hub is enabled;
    // real Security Hub needs it enabled in the account and region first.
    securityhub(&["enable-security-hub"]);
    let unique = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let suffix = format!("-{}-{unique}", std::process::id());
    let doc = firehose_document(MOTO_ACCOUNT, &suffix);
    let dir = tempfile::tempdir().unwrap();
    let path = write(Format::Asff, &doc, &FIREHOSE, dir.path(), "findings.json");
    let findings: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(findings.len(), 7);
    assert!(
        findings.len() <= 100,
        "batch-import-findings takes 100 a call"
    );

    let file = format!("file://{}", path.display());
    let imported = securityhub(&["batch-import-findings", "--findings", &file]);
    assert_eq!(imported["FailedCount"], 0, "{imported:#}");
    assert_eq!(imported["SuccessCount"], 7, "{imported:#}");

    let stored = securityhub(&["get-findings"]);
    let ours: Vec<&Value> = stored["Findings"]
        .as_array()
        .expect("Findings")
        .iter()
        .filter(|f| f["Id"].as_str().is_some_and(|id| id.contains(&suffix)))
        .collect();
    assert_eq!(ours.len(), 7, "{stored:#}");
    let status = |name: &str| {
        let id = format!(
            "arn:aws:firehose:us-east-1:{MOTO_ACCOUNT}:deliverystream/{name}{suffix}/DataFirehose.1"
        );
        let f = ours
            .iter()
            .find(|f| f["Id"] == id.as_str())
            .unwrap_or_else(|| panic!("no finding {id}"));
        f["Compliance"]["Status"].as_str().unwrap().to_owned()
    };
    assert_eq!(status("already"), "PASSED");
    assert_eq!(status("started"), "PASSED");
    assert_eq!(status("needs-source"), "FAILED");
    assert_eq!(status("errored"), "FAILED");
    assert_eq!(status("would"), "FAILED");
    assert_eq!(status("never-described"), "NOT_AVAILABLE");
    assert_eq!(status("database"), "NOT_AVAILABLE");
    for f in &ours {
        assert_eq!(f["AwsAccountId"], MOTO_ACCOUNT);
        assert_eq!(f["Compliance"]["SecurityControlId"], "DataFirehose.1");
        assert_eq!(f["SchemaVersion"], "2018-10-08");
    }

    // A second import of the same report updates the findings: same Ids.
    let again = securityhub(&["batch-import-findings", "--findings", &file]);
    assert_eq!(again["FailedCount"], 0, "{again:#}");
    let stored = securityhub(&["get-findings"]);
    let count = stored["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["Id"].as_str().is_some_and(|id| id.contains(&suffix)))
        .count();
    assert_eq!(count, 7);
}

#[test]
fn every_ocsf_finding_has_every_attribute_the_schema_requires() {
    let schema = ocsf_schema::Schema::load(&fixture("ocsf"));
    let class = schema.class("compliance_finding");
    assert_eq!(class.uid, 2003);
    // The checker itself: what OCSF 1.6.0 requires of class 2003 with the
    // cloud profile, from base_event, finding, compliance_finding, cloud.
    assert_eq!(
        class.required(&["cloud"]),
        [
            "activity_id",
            "category_uid",
            "class_uid",
            "cloud",
            "compliance",
            "finding_info",
            "metadata",
            "severity_id",
            "time",
            "type_uid"
        ]
    );
    let documents = [
        (firehose_document("111122223333", ""), &FIREHOSE, 7),
        (kinesis_document(), &KINESIS, 3),
    ];
    let mut statuses = Vec::new();
    for (doc, service, count) in &documents {
        let bytes = render(Format::Ocsf, doc, service, SystemTime::now()).unwrap();
        let findings: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(findings.len(), *count);
        for f in &findings {
            let problems = schema.check_event(&class, f);
            assert!(problems.is_empty(), "{problems:#?}\nin {f:#}");
            assert_eq!(f["compliance"]["control"], service.control);
            assert_eq!(f["cloud"]["provider"], "AWS");
            statuses.push(f["compliance"]["status_id"].as_i64().unwrap());
        }
    }
    statuses.sort_unstable();
    statuses.dedup();
    assert_eq!(
        statuses,
        [1, 2, 3, 99],
        "pass, warning (never described), fail, other (not applicable)"
    );
}

#[test]
fn the_ocsf_checker_finds_what_a_finding_lacks() {
    let schema = ocsf_schema::Schema::load(&fixture("ocsf"));
    let class = schema.class("compliance_finding");
    let bytes = render(
        Format::Ocsf,
        &kinesis_document(),
        &KINESIS,
        SystemTime::now(),
    )
    .unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
    let mut f = findings[0].clone();
    let o = f.as_object_mut().unwrap();
    o.remove("cloud");
    o.insert("severity".into(), json!("High"));
    o.insert("colour".into(), json!("red"));
    f["finding_info"].as_object_mut().unwrap().remove("uid");
    f["metadata"]["product"] = json!({"version": "1"});
    f["resources"][0]["region"] = json!(7);
    f["type_uid"] = json!(200307);
    let mut problems = schema.check_event(&class, &f);
    problems.sort();
    let want = [
        "cloud: required by compliance_finding, missing",
        "colour: not an attribute of compliance_finding",
        "finding_info.uid: required by finding_info, missing",
        "metadata.product.: product needs at least one of [\"name\",\"uid\"]",
        "resources[0].region: 7 is not a string_t",
        "severity_id: 1 is \"Informational\", but severity is \"High\"",
        "type_uid: 200307 is not one of",
        "type_uid: expected class_uid * 100 + activity_id",
    ];
    assert_eq!(problems.len(), want.len(), "{problems:#?}");
    for (got, want) in problems.iter().zip(want) {
        assert!(got.starts_with(want), "{got:?} should start with {want:?}");
    }
    // Without the cloud profile, cloud attributes are not the class's.
    let mut g = findings[0].clone();
    g["metadata"]["profiles"] = json!([]);
    let problems = schema.check_event(&class, &g);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("cloud: belongs to profile")),
        "{problems:#?}"
    );
}

/// Members of the documents, so that random documents come near real ones.
const MEMBERS: [&str; 22] = [
    "DeliveryStreams",
    "Streams",
    "Targets",
    "AccountId",
    "AccountName",
    "Region",
    "ReachedBy",
    "Status",
    "DeliveryStreamName",
    "StreamName",
    "DeliveryStreamARN",
    "StreamARN",
    "DeliveryStreamType",
    "Action",
    "EncryptedAtRest",
    "EncryptionBefore",
    "EncryptionAfter",
    "KinesisSource",
    "Reason",
    "Error",
    "Code",
    "Message",
];

fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        proptest::sample::select(vec![
            "",
            "arn:aws:firehose:",
            "arn:::::",
            "us-east-1",
            "Done",
            "Skipped",
            "WouldStart",
            "NotApplicable",
            "\u{1b}[2J<&>\"",
            "é\u{0}"
        ])
        .prop_map(Value::from),
        ".{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                proptest::sample::select(MEMBERS.to_vec()),
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// Render every format for both services; no panic, and what is rendered
/// parses.
fn render_all(doc: &Value) {
    for service in [&FIREHOSE, &KINESIS] {
        for format in [Format::Junit, Format::Asff, Format::Ocsf] {
            if let Ok(bytes) = render(format, doc, service, SystemTime::now()) {
                if format == Format::Junit {
                    assert!(bytes.starts_with(b"<?xml"));
                } else {
                    let v: Value = serde_json::from_slice(&bytes).expect("a JSON report");
                    assert!(v.is_array());
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn no_document_makes_a_writer_panic(doc in any_json()) {
        render_all(&doc);
    }

    #[test]
    fn no_member_of_a_real_document_makes_a_writer_panic(
        changes in proptest::collection::vec(
            (0..8usize, proptest::sample::select(MEMBERS.to_vec()), any_json()),
            0..6,
        ),
    ) {
        let mut doc = firehose_document("111122223333", "");
        for (i, member, value) in changes {
            let list = if i % 2 == 0 { "DeliveryStreams" } else { "Targets" };
            if let Some(item) = doc[list].get_mut(i / 2).and_then(Value::as_object_mut) {
                item.insert(member.to_owned(), value);
            }
        }
        render_all(&doc);
    }
}
