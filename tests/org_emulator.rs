//! Organization-wide runs (contract §12) end to end on moto_server, which
//! plays a whole organization (scripts/moto_org.py): the management account
//! and member accounts reached by assuming OrganizationAccountAccessRole,
//! streams in two regions each. End states are read back with boto3, a
//! witness independent of this tool, and by Cloud Custodian. What moto
//! cannot play (a refused `AssumeRole`, `ListRegions`, a call left
//! unanswered) a loopback proxy in front of it plays (common::proxy). Each
//! test keeps to accounts of its own (`--accounts`) and regions no other
//! test uses. Needs moto_server.

mod common;

use common::moto::{local_client, moto_endpoint, moto_org, stdout_ok};
use common::proxy::{Proxy, Rules};
use common::*;
use serde_json::Value;

/// The regions of the organization test; the accounts-file test has its own.
const REGIONS: &str = "ca-central-1,sa-east-1";
const FILE_REGIONS: &str = "ap-south-1,eu-north-1";

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

/// The exit code and document of `bin ARGS` run against moto.
async fn fleet(bin: &str, args: &[&str]) -> (i32, Value) {
    fleet_via(&moto_endpoint(), bin, args, &[]).await
}

/// The command `bin --endpoint-url URL ARGS` with `env` on top of the
/// scrubbed environment, every proxy variable at a closed loopback port
/// (a call that escaped `--endpoint-url` would fail, not reach AWS) and
/// loopback exempted from them.
fn fleet_cmd(url: &str, bin: &str, args: &[&str], env: &[(&str, &str)]) -> assert_cmd::Command {
    let mut c = cmd_of(bin);
    let dead = closed_url();
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
    ] {
        c.env(var, &dead);
    }
    c.env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .envs(env.iter().copied())
        .arg("--endpoint-url")
        .arg(url)
        .args(args);
    c
}

/// The exit code and document of [`fleet_cmd`].
async fn fleet_via(url: &str, bin: &str, args: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
    let out = run(fleet_cmd(url, bin, args, env)).await;
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
    let planned_targets = doc["Targets"].as_array().unwrap();
    assert_eq!(planned_targets.len(), 6, "{doc:#}");
    for t in planned_targets {
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
    // One data stream in each account and region, each started there.
    let mut streams = outcome(&doc, "Streams", "StreamName", &format!("{prefix}-"));
    streams.sort();
    let mut want = Vec::new();
    for id in &ids {
        for region in REGIONS.split(',') {
            want.push((id.clone(), region.to_owned(), "Started".to_owned()));
        }
    }
    want.sort();
    assert_eq!(streams, want, "{doc:#}");
    let mut kinesis_targets = targets(&doc);
    kinesis_targets.retain(|(_, _, status)| status != "Done");
    assert_eq!(kinesis_targets, [], "every target Done: {doc:#}");

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

// ------------------------------------------- refusals, profiles, regions, Ctrl-C

const FIREHOSE: &str = "start-delivery-stream-encryption";

/// The role `--organization` assumes in `account`.
fn org_role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole")
}

/// `Targets` as `(AccountId, Region, Status)`, sorted.
fn targets(doc: &Value) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = doc["Targets"]
        .as_array()
        .unwrap_or_else(|| panic!("no Targets: {doc:#}"))
        .iter()
        .map(|t| {
            let text = |k: &str| t[k].as_str().unwrap_or_default().to_owned();
            (text("AccountId"), text("Region"), text("Status"))
        })
        .collect();
    all.sort();
    all
}

/// The target of `account` in `region`.
fn target<'a>(doc: &'a Value, account: &str, region: &str) -> &'a Value {
    doc["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["AccountId"] == account && t["Region"] == region)
        .unwrap_or_else(|| panic!("no target {account}/{region}: {doc:#}"))
}

/// `(account, region, status)` for each account in `region`, sorted.
fn expect(accounts: &[String], region: &str, status: &str) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = accounts
        .iter()
        .map(|a| (a.clone(), region.to_owned(), status.to_owned()))
        .collect();
    all.sort();
    all
}

/// The delivery stream entries of this test's streams (named PREFIX-…) as
/// `(AccountId, Region, DeliveryStreamName, Action)`, sorted.
fn entries(doc: &Value, prefix: &str) -> Vec<(String, String, String, String)> {
    let mut all: Vec<(String, String, String, String)> = doc["DeliveryStreams"]
        .as_array()
        .unwrap_or_else(|| panic!("no DeliveryStreams: {doc:#}"))
        .iter()
        .filter(|e| {
            e["DeliveryStreamName"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{prefix}-"))
        })
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (
                text("AccountId"),
                text("Region"),
                text("DeliveryStreamName"),
                text("Action"),
            )
        })
        .collect();
    all.sort();
    all
}

/// `(account, region, PREFIX-s1 and -s2, action)` for each account, sorted:
/// the entries [`organization`]'s delivery streams make.
fn expect_streams(
    accounts: &[String],
    region: &str,
    prefix: &str,
    action: &str,
) -> Vec<(String, String, String, String)> {
    let mut all = Vec::new();
    for a in accounts {
        for s in ["s1", "s2"] {
            all.push((
                a.clone(),
                region.to_owned(),
                format!("{prefix}-{s}"),
                action.to_owned(),
            ));
        }
    }
    all.sort();
    all
}

/// The witness (boto3): this test's Direct PUT delivery streams left
/// unencrypted in those accounts and regions, as `(account, region, name)`,
/// sorted.
fn left_unencrypted(
    accounts: &[String],
    regions: &str,
    prefix: &str,
) -> Vec<(String, String, String)> {
    let found = moto_org(&[
        "unencrypted",
        "--accounts",
        &accounts.join(","),
        "--regions",
        regions,
    ]);
    let mut all: Vec<(String, String, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "firehose")
        .filter(|s| {
            s["name"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{prefix}-"))
        })
        .map(|s| {
            let text = |k: &str| s[k].as_str().unwrap().to_owned();
            (text("account"), text("region"), text("name"))
        })
        .collect();
    all.sort();
    all
}

/// `(account, region, PREFIX-s1 and -s2)` for each account, sorted.
fn streams_of(accounts: &[String], region: &str, prefix: &str) -> Vec<(String, String, String)> {
    expect_streams(accounts, region, prefix, "")
        .into_iter()
        .map(|(a, r, n, _)| (a, r, n))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn an_account_whose_role_is_refused_fails_alone_and_the_others_are_encrypted() {
    let prefix = format!("orgdeny{}", std::process::id());
    let region = "eu-south-1";
    let ids = organization(&prefix, region);
    let rules = Rules {
        denied: vec![org_role(&ids[2])],
        ..Rules::default()
    };
    let proxy = Proxy::start(&moto_endpoint(), rules).await;
    let accounts = ids.join(",");
    let args = [
        "--all-delivery-streams",
        "--organization",
        "--accounts",
        &accounts,
        "--regions",
        region,
    ];
    let (code, doc) = fleet_via(&proxy.url, FIREHOSE, &args, &[]).await;
    assert_eq!(code, 1, "a target failed: {doc:#}");
    let mut want = expect(&ids[..2], region, "Done");
    want.push((ids[2].clone(), region.to_owned(), "Failed".to_owned()));
    want.sort();
    assert_eq!(targets(&doc), want, "{doc:#}");
    let failed = target(&doc, &ids[2], region);
    assert_eq!(failed["Error"]["Code"], "AccessDenied", "{failed:#}");
    let message = failed["Error"]["Message"].as_str().unwrap();
    assert!(message.ends_with(&org_role(&ids[2])), "{message}");
    assert!(proxy.roles().contains(&org_role(&ids[2])), "it was asked");
    assert_eq!(
        entries(&doc, &prefix),
        expect_streams(&ids[..2], region, &prefix, "Started"),
        "nothing of the refused account, every stream of the others"
    );
    assert_eq!(
        left_unencrypted(&ids, region, &prefix),
        streams_of(&ids[2..], region, &prefix),
        "only the refused account's streams are left unencrypted"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn profiles_with_a_role_on_a_source_profile_encrypt_their_own_accounts() {
    let prefix = format!("orgprof{}", std::process::id());
    let region = "ap-northeast-2";
    let ids = organization(&prefix, region);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    // No endpoint_url: the roles are assumed at --endpoint-url.
    std::fs::write(
        &config,
        format!(
            "[profile base]\n\
             aws_access_key_id = testing\n\
             aws_secret_access_key = testing\n\
             \n\
             [profile a]\n\
             role_arn = {}\n\
             source_profile = base\n\
             \n\
             [profile b]\n\
             role_arn = arn:aws:iam::{}:role/Admin\n\
             source_profile = base\n",
            org_role(&ids[1]),
            ids[2]
        ),
    )
    .unwrap();
    let proxy = Proxy::start(&moto_endpoint(), Rules::default()).await;
    let args = [
        "--all-delivery-streams",
        "--profiles",
        "a,b",
        "--regions",
        region,
    ];
    let env = [("AWS_CONFIG_FILE", config.to_str().unwrap())];
    let (code, doc) = fleet_via(&proxy.url, FIREHOSE, &args, &env).await;
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(targets(&doc), expect(&ids[1..], region, "Done"), "{doc:#}");
    assert_eq!(target(&doc, &ids[1], region)["AccountName"], "a");
    assert_eq!(
        entries(&doc, &prefix),
        expect_streams(&ids[1..], region, &prefix, "Started")
    );
    let mut roles = proxy.roles();
    roles.sort();
    roles.dedup();
    let mut want = vec![
        org_role(&ids[1]),
        format!("arn:aws:iam::{}:role/Admin", ids[2]),
    ];
    want.sort();
    assert_eq!(roles, want, "each profile's role, at --endpoint-url");
    assert_eq!(
        left_unencrypted(&ids, region, &prefix),
        streams_of(&ids[..1], region, &prefix),
        "the profiles' accounts are encrypted; the management's, named by no profile, not"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn regions_all_finds_a_far_region_and_skips_one_not_enabled() {
    let prefix = format!("orgall{}", std::process::id());
    let (far, near, off) = ("ap-southeast-4", "ap-northeast-3", "me-central-1");
    let ids = organization(&prefix, far);
    let members = &ids[1..];
    // moto has no ListRegions: the proxy answers it.
    let listed = [
        (near, "ENABLED_BY_DEFAULT"),
        (far, "ENABLED"),
        (off, "DISABLED"),
    ];
    let rules = Rules {
        regions: Some(
            listed
                .iter()
                .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
                .collect(),
        ),
        ..Rules::default()
    };
    let proxy = Proxy::start(&moto_endpoint(), rules).await;
    let accounts = members.join(",");
    let args = [
        "--all-delivery-streams",
        "--organization",
        "--accounts",
        &accounts,
        "--regions",
        "all",
    ];
    let (code, doc) = fleet_via(&proxy.url, FIREHOSE, &args, &[]).await;
    assert_eq!(code, 0, "a region not enabled is no failure: {doc:#}");
    let mut want = expect(members, far, "Done");
    want.extend(expect(members, near, "Done"));
    want.extend(expect(members, off, "Skipped"));
    want.sort();
    assert_eq!(targets(&doc), want, "{doc:#}");
    let skipped = target(&doc, &ids[1], off);
    assert_eq!(skipped["Error"]["Code"], "RegionNotEnabled", "{skipped:#}");
    assert_eq!(
        proxy.seen_anywhere("ListRegions"),
        2,
        "asked of each account"
    );
    assert_eq!(proxy.seen("ListDeliveryStreams", off), 0, "never run");
    assert_eq!(
        entries(&doc, &prefix),
        expect_streams(members, far, &prefix, "Started")
    );
    assert_eq!(left_unencrypted(members, far, &prefix), []);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn ctrl_c_in_the_middle_prints_each_target_s_entries_and_marks_those_in_flight() {
    let prefix = format!("orgint{}", std::process::id());
    let (quick, held) = ("ap-southeast-3", "il-central-1");
    let ids = organization(&prefix, &format!("{quick},{held}"));
    let members = &ids[1..];
    // Every start call in `held` waits for an answer that never comes.
    let rules = Rules {
        hold: Some(("StartDeliveryStreamEncryption".to_owned(), held.to_owned())),
        ..Rules::default()
    };
    let proxy = Proxy::start(&moto_endpoint(), rules).await;
    let accounts = members.join(",");
    let regions = format!("{quick},{held}");
    let args = [
        "--all-delivery-streams",
        "--organization",
        "--accounts",
        &accounts,
        "--regions",
        &regions,
        // The held calls must not take every slot from the others.
        "--max-concurrency",
        "16",
    ];
    let child = spawn_piped(&fleet_cmd(&proxy.url, FIREHOSE, &args, &[]));
    let start = "StartDeliveryStreamEncryption";
    // Both held targets listed (their entries exist) and started; every
    // start of the quick ones answered.
    let middle = || {
        std::future::ready(
            proxy.answered(start, quick) >= 4
                && proxy.answered("ListDeliveryStreams", held) >= 2
                && proxy.seen(start, held) >= 2,
        )
    };
    wait_for(
        "the run never got to the middle",
        std::time::Duration::from_secs(30),
        middle,
    )
    .await;
    // The quick targets end on their last answer, without another call:
    // a margin for a loaded machine to record them.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let out = interrupt(child).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("the document so far ({e}): {stderr}"));
    let mut want = expect(members, quick, "Done");
    want.extend(expect(members, held, "Interrupted"));
    want.sort();
    assert_eq!(targets(&doc), want, "{doc:#}");
    let mut want = expect_streams(members, quick, &prefix, "Started");
    want.extend(expect_streams(members, held, &prefix, "Interrupted"));
    want.sort();
    assert_eq!(entries(&doc, &prefix), want, "{doc:#}");
    assert!(stderr.contains("Interrupted: 4 of 8 streams"), "{stderr}");
    // The emulator never got the held calls.
    let mut want = streams_of(members, held, &prefix);
    want.sort();
    assert_eq!(left_unencrypted(members, &regions, &prefix), want);
}

// ------------------------------------------------- an independent witness

/// Cloud Custodian's policy: Direct PUT delivery streams whose encryption
/// at rest is not `ENABLED` (absent or otherwise).
const CUSTODIAN_POLICY: &str = "policies:
  - name: unencrypted-direct-put
    resource: aws.firehose
    filters:
      - DeliveryStreamType: DirectPut
      - type: value
        key: DeliveryStreamEncryptionConfiguration.Status
        op: ne
        value: ENABLED
";

/// The delivery streams Cloud Custodian (`custodian run`, offline) finds
/// unencrypted in `account` and `region` of the emulator, sorted: reached
/// with the account's own credentials `creds` (moto_org.py `credentials`) and
/// pointed at moto by `AWS_ENDPOINT_URL`, which botocore applies to every
/// client (c7n names an endpoint of its own only for a regional STS, with
/// `--assume`, which is not used). Every proxy variable points at a closed
/// loopback port: a call that escaped the endpoint would fail, not reach
/// AWS. Writes under `dir`.
fn custodian_finds(
    account: &str,
    creds: &Value,
    region: &str,
    dir: &std::path::Path,
    round: &str,
) -> Vec<String> {
    let policy = dir.join("policy.yml");
    if !policy.exists() {
        std::fs::write(&policy, CUSTODIAN_POLICY).unwrap();
    }
    let key = |k: &str| creds[k].as_str().map(str::to_owned);
    let out = dir.join(format!("{account}-{region}-{round}"));
    let mut c = local_client("custodian");
    c.args(["run", "--cache-period", "0", "-r", region, "-s"])
        .arg(&out)
        .arg(&policy)
        .env("AWS_ACCESS_KEY_ID", key("AccessKeyId").unwrap())
        .env("AWS_SECRET_ACCESS_KEY", key("SecretAccessKey").unwrap())
        .env("AWS_DEFAULT_REGION", region)
        .env("AWS_ENDPOINT_URL", moto_endpoint());
    if let Some(token) = key("SessionToken") {
        c.env("AWS_SESSION_TOKEN", token);
    }
    let dead = closed_url();
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
    ] {
        c.env(var, &dead);
    }
    stdout_ok(c);
    let found = out.join("unencrypted-direct-put/resources.json");
    let text = std::fs::read_to_string(&found)
        .unwrap_or_else(|e| panic!("custodian wrote no {}: {e}", found.display()));
    let resources: Value = serde_json::from_str(&text).expect("custodian's resources are JSON");
    let mut names: Vec<String> = resources
        .as_array()
        .expect("a list of resources")
        .iter()
        .map(|r| r["DeliveryStreamName"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// [`custodian_finds`] for each `(account, credentials)` side by side:
/// `(account, names)`.
fn custodian_sweep(
    accounts: &[(String, Value)],
    region: &str,
    dir: &std::path::Path,
    round: &str,
) -> Vec<(String, Vec<String>)> {
    std::thread::scope(|s| {
        let runs: Vec<_> = accounts
            .iter()
            .map(|(a, creds)| {
                s.spawn(move || (a.clone(), custodian_finds(a, creds, region, dir, round)))
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    })
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs moto_server"]
async fn cloud_custodian_finds_the_unencrypted_streams_before_the_run_and_none_after() {
    let prefix = format!("orgc7n{}", std::process::id());
    let region = "ap-south-2";
    let ids = organization(&prefix, region);
    let members = ids[1..].to_vec();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    // Each account's credentials, once: the witness's own way in.
    let reached: Vec<(String, Value)> = members
        .iter()
        .map(|a| (a.clone(), moto_org(&["credentials", "--account", a])))
        .collect();
    let (before_reached, before_path) = (reached.clone(), path.clone());
    let before = tokio::task::spawn_blocking(move || {
        custodian_sweep(&before_reached, region, &before_path, "before")
    })
    .await
    .unwrap();
    let ours = vec![format!("{prefix}-s1"), format!("{prefix}-s2")];
    let want: Vec<(String, Vec<String>)> =
        members.iter().map(|a| (a.clone(), ours.clone())).collect();
    assert_eq!(before, want, "custodian sees this test's streams");

    let accounts = members.join(",");
    let args = [
        "--all-delivery-streams",
        "--organization",
        "--accounts",
        &accounts,
        "--regions",
        region,
    ];
    let (code, doc) = fleet(FIREHOSE, &args).await;
    assert_eq!(code, 0, "{doc:#}");

    let after =
        tokio::task::spawn_blocking(move || custodian_sweep(&reached, region, &path, "after"))
            .await
            .unwrap();
    let want: Vec<(String, Vec<String>)> =
        members.iter().map(|a| (a.clone(), Vec::new())).collect();
    assert_eq!(after, want, "custodian finds nothing left unencrypted");
}
