//! Organization-wide runs (contract §12) end to end on moto_server, which
//! plays a whole organization (scripts/moto_org.py): the management account
//! and member accounts reached by assuming OrganizationAccountAccessRole,
//! streams in two regions each. End states are read back with boto3, a
//! witness independent of this tool. Each test keeps to accounts of its own
//! (`--accounts`) and regions no other test uses. Needs moto_server.

mod common;

use std::process::Command;

use common::moto::moto_endpoint;
use common::*;
use serde_json::Value;

/// The regions of the organization test; the accounts-file test has its own.
const REGIONS: &str = "ca-central-1,sa-east-1";
const FILE_REGIONS: &str = "ap-south-1,eu-north-1";

/// Run scripts/moto_org.py with a scrubbed, local-only environment.
fn moto_org(args: &[&str]) -> Value {
    let mut c = Command::new("python3");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("scripts/moto_org.py")
        .arg("--endpoint-url")
        .arg(moto_endpoint())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"));
    for var in ["HOME", "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV"] {
        if let Some(v) = std::env::var_os(var) {
            c.env(var, v);
        }
    }
    let out = c.output().expect("python3 runs scripts/moto_org.py");
    assert!(
        out.status.success(),
        "moto_org.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("moto_org.py prints JSON")
}

/// An organization of its own: the management account and `members`
/// accounts named PREFIX-N, each with 2 delivery streams and 1 data stream
/// in both regions. Its account IDs, the management's first.
fn organization(prefix: &str, regions: &str) -> Vec<String> {
    let org = moto_org(&[
        "setup",
        "--members",
        "2",
        "--prefix",
        prefix,
        "--regions",
        regions,
        "--streams",
        "2",
        "--kinesis",
        "1",
    ]);
    let mut ids = vec![org["management"].as_str().unwrap().to_owned()];
    for m in org["members"].as_array().unwrap() {
        ids.push(m["id"].as_str().unwrap().to_owned());
    }
    ids
}

async fn fleet(bin: &str, args: &[&str]) -> (i32, Value) {
    let mut c = cmd_of(bin);
    c.arg("--endpoint-url").arg(moto_endpoint()).args(args);
    let out = run(c).await;
    let code = out.get_output().status.code().unwrap_or(-1);
    let doc = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("not a document ({e}): {}", stderr_of(&out)));
    (code, doc)
}

/// The witness's unencrypted streams named PREFIX-….
fn ours(found: &Value, prefix: &str) -> usize {
    found
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["name"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{prefix}-"))
        })
        .count()
}

/// `(account, region, action)` of this test's streams (named PREFIX-…).
fn outcome(doc: &Value, list: &str, name: &str, prefix: &str) -> Vec<(String, String, String)> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[name].as_str().unwrap().starts_with(prefix))
        .map(|e| {
            (
                e["AccountId"].as_str().unwrap().to_owned(),
                e["Region"].as_str().unwrap().to_owned(),
                e["Action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn an_organization_is_encrypted_in_one_run_and_a_rerun_spends_no_start_call() {
    let prefix = format!("orgrun{}", std::process::id());
    let ids = organization(&prefix, REGIONS);
    let accounts = ids.join(",");
    let base = [
        "--organization",
        "--accounts",
        accounts.as_str(),
        "--regions",
        REGIONS,
    ];
    let firehose = "start-delivery-stream-encryption";
    let mut args = vec!["--all-delivery-streams", "--dry-run"];
    args.extend_from_slice(&base);
    let (code, doc) = fleet(firehose, &args).await;
    assert_eq!(code, 1, "something would change");
    let planned = outcome(
        &doc,
        "DeliveryStreams",
        "DeliveryStreamName",
        &format!("{prefix}-"),
    );
    assert_eq!(
        planned.len(),
        12,
        "3 accounts x 2 regions x 2 streams: {doc:#}"
    );
    assert!(planned.iter().all(|(_, _, a)| a == "WouldStart"));
    let targets = doc["Targets"].as_array().unwrap();
    assert_eq!(targets.len(), 6, "{doc:#}");
    for t in targets {
        assert_eq!(t["Status"], "Done", "{t}");
        let by = t["ReachedBy"].as_str().unwrap();
        if t["AccountId"] == ids[0] {
            assert_eq!(by, "caller");
        } else {
            assert!(by.contains("role/OrganizationAccountAccessRole"), "{by}");
        }
    }
    let unencrypted = moto_org(&["unencrypted", "--accounts", &accounts, "--regions", REGIONS]);
    assert_eq!(
        unencrypted.as_array().unwrap().len(),
        18,
        "a dry run changes nothing"
    );

    let mut args = vec!["--all-delivery-streams"];
    args.extend_from_slice(&base);
    let (code, doc) = fleet(firehose, &args).await;
    assert_eq!(code, 0, "{doc:#}");
    let done = outcome(
        &doc,
        "DeliveryStreams",
        "DeliveryStreamName",
        &format!("{prefix}-"),
    );
    let mut places: Vec<(String, String)> = done
        .iter()
        .filter(|(_, _, a)| a == "Started")
        .map(|(acc, reg, _)| (acc.clone(), reg.clone()))
        .collect();
    places.dedup();
    assert_eq!(places.len(), 6, "every account and region: {done:?}");

    let kinesis = "start-stream-encryption";
    let mut args = vec!["--all-streams"];
    args.extend_from_slice(&base);
    let (code, doc) = fleet(kinesis, &args).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        outcome(&doc, "Streams", "StreamName", &format!("{prefix}-")).len(),
        6
    );

    // The witness: nothing of these accounts and regions is left unencrypted.
    let unencrypted = moto_org(&["unencrypted", "--accounts", &accounts, "--regions", REGIONS]);
    assert_eq!(ours(&unencrypted, &prefix), 0, "{unencrypted}");

    // A rerun finds everything as wanted: one describe a stream, no start.
    let mut args = vec!["--all-delivery-streams"];
    args.extend_from_slice(&base);
    let (code, doc) = fleet(firehose, &args).await;
    assert_eq!(code, 0);
    let mine = doc["DeliveryStreams"].as_array().unwrap().iter();
    for e in mine.filter(|e| {
        e["DeliveryStreamName"]
            .as_str()
            .unwrap()
            .starts_with(&prefix)
    }) {
        assert_eq!(e["Action"], "AlreadyEncrypted", "{e}");
        assert_eq!(e["Calls"]["Made"], 1, "{e}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn an_accounts_file_reaches_each_account_by_its_role_in_its_own_regions() {
    let prefix = format!("orgfile{}", std::process::id());
    let ids = organization(&prefix, FILE_REGIONS);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accounts.yml");
    std::fs::write(
        &file,
        format!(
            "accounts:\n\
             - account_id: \"{one}\"\n  name: first\n  role: arn:aws:iam::{one}:role/OrganizationAccountAccessRole\n  regions: [eu-north-1]\n  tags: [\"env:prod\"]\n\
             - account_id: \"{two}\"\n  name: second\n  role: OrganizationAccountAccessRole\n  regions: [ap-south-1]\n  tags: [\"env:dev\"]\n",
            one = ids[1],
            two = ids[2]
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let firehose = "start-delivery-stream-encryption";
    let (code, doc) = fleet(
        firehose,
        &[
            "--all-delivery-streams",
            "--dry-run",
            "--accounts-file",
            path,
        ],
    )
    .await;
    assert_eq!(code, 1);
    let mut targets: Vec<(String, String, String)> = doc["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["AccountName"].as_str().unwrap().to_owned(),
                t["Region"].as_str().unwrap().to_owned(),
                t["Status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            (
                "first".to_owned(),
                "eu-north-1".to_owned(),
                "Done".to_owned()
            ),
            (
                "second".to_owned(),
                "ap-south-1".to_owned(),
                "Done".to_owned()
            )
        ]
    );
    // Tags choose among the file's accounts: only `first` is encrypted.
    let (code, doc) = fleet(
        firehose,
        &[
            "--all-delivery-streams",
            "--accounts-file",
            path,
            "--account-tags",
            "env:prod",
        ],
    )
    .await;
    assert_eq!(code, 0, "{doc:#}");
    let left = moto_org(&[
        "unencrypted",
        "--accounts",
        &ids[1..].join(","),
        "--regions",
        FILE_REGIONS,
    ]);
    let left: Vec<(String, String, String)> = left
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "firehose")
        .map(|s| {
            (
                s["account"].as_str().unwrap().to_owned(),
                s["region"].as_str().unwrap().to_owned(),
                s["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        left.iter()
            .all(|(acc, _, _)| acc == &ids[2] || acc == &ids[1]),
        "{left:?}"
    );
    assert!(
        !left
            .iter()
            .any(|(acc, reg, _)| acc == &ids[1] && reg == "eu-north-1"),
        "first / eu-north-1 is encrypted: {left:?}"
    );
    assert!(
        left.iter()
            .any(|(acc, reg, _)| acc == &ids[2] && reg == "ap-south-1"),
        "second was left alone: {left:?}"
    );
}
