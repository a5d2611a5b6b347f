//! `--apply-plan` (contract §13) end to end on moto_server, through the
//! binaries: a `--dry-run --output json` plan is made over a region of the
//! test's own; behind the plan's back one stream is encrypted with boto3 and
//! a new unencrypted one is created; plans tampered with and files that are
//! not plans are refused (252) with nothing changed on the emulator; the
//! plan itself starts exactly its streams that did not change. End states
//! are read back with boto3 (scripts/moto_stream.py, scripts/moto_org.py),
//! a witness independent of this tool. Needs moto_server (`MOTO_ENDPOINT`).
//!
//! Each test has a region no other test file uses, and names its streams
//! `plan-<pid>-<role>`: a rerun on the same server finds the earlier run's
//! streams in the plan too, and the checks look only at their own. Each run
//! creates 4 delivery streams in [`FIREHOSE_REGION`] (moto caps a region at
//! 50: restart moto_server after a dozen runs by hand).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::moto::{moto_endpoint, moto_org_at, moto_stream_in};
use common::*;
use serde_json::{Value, json};

/// The region only [`a_firehose_plan_starts_exactly_its_unchanged_streams`] uses.
const FIREHOSE_REGION: &str = "us-east-2";

/// The region only [`a_kinesis_plan_starts_exactly_its_unchanged_streams`] uses.
const KINESIS_REGION: &str = "us-west-1";

/// The region only [`a_plan_across_two_accounts_is_applied_in_the_accounts_its_targets_record`]
/// uses, in this file and in the other emulator tests (org_emulator,
/// fleet_emulator, readme), which share one moto_server.
const ORG_REGION: &str = "eu-central-2";

const FIREHOSE: &str = "start-delivery-stream-encryption";
const KINESIS: &str = "start-stream-encryption";

/// The customer managed key the Firehose plan asks for.
const PLAN_KEY_ARN: &str =
    "arn:aws:kms:us-east-2:123456789012:key/0123abcd-0000-4000-8000-0000000000aa";

/// The key the Kinesis plan asks for.
const PLAN_KEY_ID: &str = "alias/plan-key";

/// The key boto3 gives a data stream behind the plan's back.
const BEHIND_KEY_ID: &str = "alias/behind-the-plan";

/// The test's name for the stream of `role`: `plan-<pid>-<role>`.
fn named(role: &str) -> String {
    format!("plan-{}-{role}", std::process::id())
}

/// What one run of a binary left: exit code, stdout, stderr.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// stdout as the one JSON document it must be.
    fn doc(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}): {:?}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Run `bin ARGS` at the emulator (with `--region` when `region` is given;
/// the scrubbed environment's own region is us-east-1).
fn ran(bin: &str, region: Option<&str>, args: &[&str]) -> Ran {
    let mut c = cmd_of(bin);
    c.args(["--endpoint-url", &moto_endpoint()]);
    if let Some(region) = region {
        c.args(["--region", region]);
    }
    let out = c.args(args).output().expect("the binary runs");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `(name, Action)` of the document's entries named by this test's run.
fn ours(doc: &Value, list: &str, name: &str) -> Vec<(String, String)> {
    let prefix = named("");
    doc[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} list: {doc:#}"))
        .iter()
        .filter(|e| e[name].as_str().unwrap().starts_with(&prefix))
        .map(|e| {
            (
                e[name].as_str().unwrap().to_owned(),
                e["Action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `(named(role), action)` for each row.
fn expect(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(role, action)| (named(role), (*action).to_owned()))
        .collect()
}

/// Write `doc` (JSON, or text as it is) to `dir/file`; its path.
fn write(dir: &Path, file: &str, doc: &Value) -> PathBuf {
    let path = dir.join(file);
    let text = match doc {
        Value::String(text) => text.clone(),
        doc => serde_json::to_string_pretty(doc).unwrap(),
    };
    std::fs::write(&path, text).unwrap();
    path
}

/// `plan` with `edit` applied to its entry for this test's stream `role`.
fn tampered(plan: &Value, list: &str, name: &str, role: &str, edit: impl Fn(&mut Value)) -> Value {
    let mut plan = plan.clone();
    let entry = plan[list]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e[name] == named(role))
        .expect("the plan has the stream");
    edit(entry);
    plan
}

/// Apply each of `files` with `bin`: each is refused with 252, nothing on
/// stdout, and stderr saying what `says` holds.
fn assert_refused(bin: &str, files: &[(PathBuf, &str)]) {
    for (path, says) in files {
        let out = ran(bin, None, &["--apply-plan", path.to_str().unwrap()]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (252, ""),
            "{} is refused: {}",
            path.display(),
            out.stderr
        );
        assert!(
            out.stderr.contains(says),
            "{}: {says:?} in {}",
            path.display(),
            out.stderr
        );
    }
}

/// A delivery stream's encryption on the emulator, read with boto3.
fn delivery_encryption(role: &str) -> Value {
    let text = moto_stream_in(FIREHOSE_REGION, &["describe", &named(role)]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("describe printed {text:?}: {e}"))
}

/// A data stream's `{StreamStatus, EncryptionType, KeyId}` on the emulator.
fn stream_encryption(role: &str) -> Value {
    let text = moto_stream_in(KINESIS_REGION, &["describe-kinesis", &named(role)]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("describe-kinesis printed {text:?}: {e}"))
}

/// The emulator's state of each of `roles`, by `read`.
fn states(roles: &[&str], read: fn(&str) -> Value) -> BTreeMap<String, Value> {
    roles.iter().map(|r| ((*r).to_owned(), read(r))).collect()
}

#[test]
#[ignore = "needs moto_server"]
fn a_firehose_plan_starts_exactly_its_unchanged_streams() {
    let region = Some(FIREHOSE_REGION);
    for role in ["a", "b", "c"] {
        moto_stream_in(FIREHOSE_REGION, &["create", &named(role)]);
    }
    let key = format!("KeyType=CUSTOMER_MANAGED_CMK,KeyARN={PLAN_KEY_ARN}");
    let dry = ran(
        FIREHOSE,
        region,
        &[
            "--all-delivery-streams",
            "--dry-run",
            "--output",
            "json",
            ENC,
            &key,
        ],
    );
    assert_eq!(dry.code, 1, "something would change: {}", dry.stderr);
    let plan = dry.doc();
    let (list, name) = ("DeliveryStreams", "DeliveryStreamName");
    assert_eq!(
        ours(&plan, list, name),
        expect(&[
            ("a", "WouldStart"),
            ("b", "WouldStart"),
            ("c", "WouldStart")
        ])
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plan.json", &plan);

    // Behind the plan's back: b gets the AWS owned key, and a stream appears.
    moto_stream_in(FIREHOSE_REGION, &["encrypt", &named("b")]);
    moto_stream_in(FIREHOSE_REGION, &["create", &named("new")]);
    let roles = ["a", "b", "c", "new"];
    let before = states(&roles, delivery_encryption);
    assert_eq!(before["b"]["KeyType"], "AWS_OWNED_CMK", "{before:?}");

    // Not plans: refused, and nothing changes.
    let kinesis_doc = ran(
        KINESIS,
        region,
        &["--all-streams", "--dry-run", "--output", "json"],
    );
    let text = ran(
        FIREHOSE,
        region,
        &["--all-delivery-streams", "--dry-run", "--output", "text"],
    );
    let unknown_action = tampered(&plan, list, name, "a", |e| {
        e["Action"] = json!("StartEverything")
    });
    let mistyped = tampered(&plan, list, name, "a", |e| {
        e["EncryptionAfter"] = json!("CUSTOMER_MANAGED_CMK")
    });
    assert_refused(
        FIREHOSE,
        &[
            (
                write(dir.path(), "action.json", &unknown_action),
                "unknown Action \"StartEverything\"",
            ),
            (
                write(dir.path(), "field.json", &mistyped),
                "EncryptionAfter is not an object",
            ),
            (
                write(dir.path(), "kinesis.json", &kinesis_doc.doc()),
                "not a plan of this command",
            ),
            (
                write(dir.path(), "plan.txt", &json!(text.stdout)),
                "not a JSON document",
            ),
        ],
    );
    assert_eq!(
        states(&roles, delivery_encryption),
        before,
        "a refused plan changes nothing"
    );

    // The plan, applied in the region it records (not the environment's).
    let applied = ran(
        FIREHOSE,
        None,
        &["--apply-plan", path.to_str().unwrap(), "--output", "json"],
    );
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    let doc = applied.doc();
    assert_eq!(
        ours(&doc, list, name),
        expect(&[
            ("a", "Started"),
            ("b", "ChangedSincePlan"),
            ("c", "Started")
        ]),
        "only the plan's streams; the new one is not in the document"
    );
    let after = states(&roles, delivery_encryption);
    let planned =
        json!({"KeyARN": PLAN_KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"});
    assert_eq!(after["a"], planned);
    assert_eq!(after["c"], planned);
    assert_eq!(after["b"], before["b"], "changed since the plan: untouched");
    assert_eq!(
        after["new"],
        Value::Null,
        "created after the plan: untouched"
    );
}

#[test]
#[ignore = "needs moto_server"]
fn a_kinesis_plan_starts_exactly_its_unchanged_streams() {
    let region = Some(KINESIS_REGION);
    for role in ["a", "b", "c"] {
        moto_stream_in(KINESIS_REGION, &["create-kinesis", &named(role)]);
    }
    let dry = ran(
        KINESIS,
        region,
        &[
            "--all-streams",
            "--dry-run",
            "--output",
            "json",
            "--key-id",
            PLAN_KEY_ID,
        ],
    );
    assert_eq!(dry.code, 1, "something would change: {}", dry.stderr);
    let plan = dry.doc();
    let (list, name) = ("Streams", "StreamName");
    assert_eq!(
        ours(&plan, list, name),
        expect(&[
            ("a", "WouldStart"),
            ("b", "WouldStart"),
            ("c", "WouldStart")
        ])
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plan.json", &plan);

    moto_stream_in(
        KINESIS_REGION,
        &["encrypt-kinesis", &named("b"), BEHIND_KEY_ID],
    );
    moto_stream_in(KINESIS_REGION, &["create-kinesis", &named("new")]);
    let roles = ["a", "b", "c", "new"];
    let before = states(&roles, stream_encryption);
    assert_eq!(before["b"]["KeyId"], BEHIND_KEY_ID, "{before:?}");

    let firehose_doc = ran(
        FIREHOSE,
        region,
        &["--all-delivery-streams", "--dry-run", "--output", "json"],
    );
    let yaml = ran(
        KINESIS,
        region,
        &["--all-streams", "--dry-run", "--output", "yaml"],
    );
    let unknown_action = tampered(&plan, list, name, "a", |e| e["Action"] = json!("Encrypt"));
    let mistyped = tampered(&plan, list, name, "a", |e| {
        e["EncryptionAfter"] = json!(["KMS", PLAN_KEY_ID])
    });
    assert_refused(
        KINESIS,
        &[
            (
                write(dir.path(), "action.json", &unknown_action),
                "unknown Action \"Encrypt\"",
            ),
            (
                write(dir.path(), "field.json", &mistyped),
                "EncryptionAfter is not an object",
            ),
            (
                write(dir.path(), "firehose.json", &firehose_doc.doc()),
                "not a plan of this command",
            ),
            (
                write(dir.path(), "plan.yaml", &json!(yaml.stdout)),
                "not a JSON document",
            ),
        ],
    );
    assert_eq!(
        states(&roles, stream_encryption),
        before,
        "a refused plan changes nothing"
    );

    let applied = ran(
        KINESIS,
        None,
        &["--apply-plan", path.to_str().unwrap(), "--output", "json"],
    );
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    assert_eq!(
        ours(&applied.doc(), list, name),
        expect(&[
            ("a", "Started"),
            ("b", "ChangedSincePlan"),
            ("c", "Started")
        ]),
        "only the plan's streams; the new one is not in the document"
    );
    let after = states(&roles, stream_encryption);
    let planned = json!({"StreamStatus": "ACTIVE", "EncryptionType": "KMS", "KeyId": PLAN_KEY_ID});
    assert_eq!(after["a"], planned);
    assert_eq!(after["c"], planned);
    assert_eq!(after["b"], before["b"], "changed since the plan: untouched");
    assert_eq!(
        after["new"], before["new"],
        "created after the plan: untouched"
    );
    assert_ne!(after["new"]["EncryptionType"], "KMS");
}

#[test]
#[ignore = "needs moto_server"]
fn a_plan_across_two_accounts_is_applied_in_the_accounts_its_targets_record() {
    let prefix = format!("planorg{}", std::process::id());
    let org = moto_org_at(
        &moto_endpoint(),
        &[
            "setup",
            "--members",
            "1",
            "--prefix",
            &prefix,
            "--regions",
            ORG_REGION,
            "--streams",
            "2",
        ],
    );
    let management = org["management"].as_str().unwrap().to_owned();
    let member = org["members"][0]["id"].as_str().unwrap().to_owned();
    let accounts = format!("{management},{member}");
    let dry = ran(
        FIREHOSE,
        None,
        &[
            "--organization",
            "--accounts",
            &accounts,
            "--regions",
            ORG_REGION,
            "--all-delivery-streams",
            "--dry-run",
            "--output",
            "json",
        ],
    );
    assert_eq!(dry.code, 1, "{}", dry.stderr);
    let plan = dry.doc();
    let reached: BTreeMap<String, String> = plan["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["AccountId"].as_str().unwrap().to_owned(),
                t["ReachedBy"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(reached.len(), 2, "{plan:#}");
    assert_eq!(reached[&management], "caller");
    assert!(
        reached[&member].contains(&format!("{member}:role/OrganizationAccountAccessRole")),
        "{reached:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plan.json", &plan);

    let applied = ran(
        FIREHOSE,
        None,
        &["--apply-plan", path.to_str().unwrap(), "--output", "json"],
    );
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    let mut started: Vec<(String, String)> = applied.doc()["DeliveryStreams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["AccountId"].as_str().unwrap().to_owned(),
                e["Action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    started.dedup();
    let mut want = vec![
        (management.clone(), "Started".to_owned()),
        (member.clone(), "Started".to_owned()),
    ];
    want.sort();
    assert_eq!(started, want, "both streams of both accounts");

    // The witness: nothing of the two accounts is left unencrypted.
    let left = moto_org_at(
        &moto_endpoint(),
        &[
            "unencrypted",
            "--accounts",
            &accounts,
            "--regions",
            ORG_REGION,
        ],
    );
    // Only this test's streams: whatever else is in those accounts is not.
    let ours: Vec<&Value> = left
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"].as_str().unwrap().starts_with(&prefix))
        .collect();
    assert_eq!(
        ours,
        Vec::<&Value>::new(),
        "both accounts are encrypted at rest"
    );
}
