//! Fleet mode end to end against moto_server (`MOTO_ENDPOINT`, started by
//! scripts/test.sh; by hand: `source scripts/lib/moto.sh && scrub_aws_env &&
//! moto_start`, then `cargo test --test fleet_emulator -- --include-ignored`).
//!
//! What a run did is checked on the emulator itself, through
//! scripts/moto_stream.py (`describe`, `describe-kinesis`), not only in the
//! tool's document.
//!
//! moto_server is one server for the whole test run and every test file, so
//! each test names its streams `fleet-e2e-<test>-<pid>-<role>` and looks only
//! at its own. The run over `--all-delivery-streams` has a region of its own
//! ([`ALL_REGION`]): moto caps a region at 50 delivery streams, and other test
//! files create theirs in us-east-1; the tests in us-east-1 name their streams
//! with `--delivery-stream-names-from`. One run of this file creates 23
//! delivery streams in us-east-1 and 6 in eu-west-3 (moto has no delete in
//! scripts/moto_stream.py): scripts/test.sh starts a fresh server, but by
//! hand, restart moto_server after two runs or the cap is reached.
//!
//! Two moto facts the checks lean on: a start makes the status `ENABLED` at
//! once (Kinesis's start sets `KMS` at once), and moto stores the
//! configuration a start sends as it is, replacing the previous one. So a
//! stream given an AWS owned key with a stray `KeyARN` ([`MARKED_KEY`], which
//! only an emulator accepts) keeps that `KeyARN` exactly as long as it gets no
//! start call: the fleet run's start names `KeyType=AWS_OWNED_CMK` alone.

mod common;

use std::collections::BTreeMap;
use std::io::Write;

use common::moto::{local_client, moto_endpoint, moto_stream_in, stdout_ok};
use common::*;
use serde_json::{Value, json};

/// The region only [`all_delivery_streams_covers_its_own_region_and_a_second_run_sends_nothing`] uses.
const ALL_REGION: &str = "eu-west-3";

/// The region of the other tests.
const REGION: &str = "us-east-1";

/// The shorthand of the AWS owned key.
const OWNED: &str = "KeyType=AWS_OWNED_CMK";

/// An AWS owned key with a stray KeyARN: a probe that any start call wipes.
const MARKED_KEY: &str =
    "KeyType=AWS_OWNED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/no-start-call-marker";

/// Another customer managed key than [`KEY_ARN`].
const OTHER_ARN: &str =
    "arn:aws:kms:us-east-1:123456789012:key/9999ffff-12ab-34cd-56ef-1234567890ab";

/// The KeyId of Kinesis's AWS managed key.
const KINESIS_AWS_KEY: &str = "alias/aws/kinesis";

/// A source already encrypted with a key of the account's own.
const OWN_SOURCE_KEY: &str = "alias/own-source-key";

/// The emulator's state of a stream with the AWS owned key.
fn owned() -> Value {
    json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"})
}

/// The emulator's state after [`MARKED_KEY`].
fn marked() -> Value {
    json!({
        "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/no-start-call-marker",
        "KeyType": "AWS_OWNED_CMK",
        "Status": "ENABLED",
    })
}

/// The emulator's state of a stream with the customer managed key `arn`.
fn customer(arn: &str) -> Value {
    json!({"KeyARN": arn, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"})
}

/// A Kinesis source's summary as moto_stream.py prints it.
fn source_state(key: Option<&str>) -> Value {
    match key {
        Some(k) => json!({"StreamStatus": "ACTIVE", "EncryptionType": "KMS", "KeyId": k}),
        None => json!({"StreamStatus": "ACTIVE", "EncryptionType": "NONE"}),
    }
}

/// One test's streams: `fleet-e2e-<test>-<pid>-<role>` in one region.
struct Fleet {
    region: &'static str,
    prefix: String,
}

/// A finished fleet run.
struct Run {
    code: i32,
    doc: Value,
    stderr: String,
}

impl Fleet {
    fn new(test: &str, region: &'static str) -> Self {
        let prefix = format!("fleet-e2e-{test}-{}-", std::process::id());
        // Room for the longest role and moto_stream.py's `-source`.
        assert!(prefix.len() <= 40, "{prefix}");
        Fleet { region, prefix }
    }

    fn name(&self, role: &str) -> String {
        format!("{}{role}", self.prefix)
    }

    /// The ARN of the Kinesis source moto_stream.py made for `role`.
    fn source_arn(&self, role: &str) -> String {
        format!(
            "arn:aws:kinesis:{}:123456789012:stream/{}-source",
            self.region,
            self.name(role)
        )
    }

    /// `moto_stream.py ARGS` in this test's region.
    fn moto(&self, args: &[&str]) -> String {
        moto_stream_in(self.region, args)
    }

    /// A Direct PUT stream, not encrypted.
    fn create(&self, role: &str) {
        let name = self.name(role);
        let arn = self.moto(&["create", &name]);
        let want = format!(":{}:123456789012:deliverystream/{name}", self.region);
        assert!(arn.trim().ends_with(&want), "{arn}");
        assert_eq!(self.encryption(role), Value::Null, "{name} is new");
    }

    /// A stream sourced from the Kinesis data stream `<name>-source`.
    fn create_kinesis_sourced(&self, role: &str) {
        let name = self.name(role);
        let arn = self.moto(&["create", &name, "--type", "KinesisStreamAsSource"]);
        assert!(
            arn.trim().ends_with(&format!("deliverystream/{name}")),
            "{arn}"
        );
        assert_eq!(
            self.source(role),
            source_state(None),
            "{name}'s source is new"
        );
    }

    /// Give a stream `key` with the tool's single call, before a fleet run.
    fn encrypt(&self, role: &str, key: &str) {
        let name = self.name(role);
        self.tool(&["--delivery-stream-name", &name, ENC, key])
            .assert()
            .code(0)
            .stdout("")
            .stderr("");
    }

    /// Encrypt the Kinesis source of `role` with `key_id`, with
    /// start-stream-encryption, before a fleet run.
    fn encrypt_source(&self, role: &str, key_id: &str) {
        let source = format!("{}-source", self.name(role));
        let mut c = cmd_of("start-stream-encryption");
        c.args(["--endpoint-url", &moto_endpoint(), "--region", self.region])
            .args(["--stream-name", &source, "--encryption-type", "KMS"])
            .args(["--key-id", key_id])
            .assert()
            .code(0);
        assert_eq!(self.source(role), source_state(Some(key_id)));
    }

    /// The stream's DeliveryStreamEncryptionConfiguration on the emulator.
    fn encryption(&self, role: &str) -> Value {
        let text = self.moto(&["describe", &self.name(role)]);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("describe printed {text:?}: {e}"))
    }

    /// The summary of the stream's Kinesis source on the emulator.
    fn source(&self, role: &str) -> Value {
        let source = format!("{}-source", self.name(role));
        let text = self.moto(&["describe-kinesis", &source]);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("describe-kinesis printed {text:?}: {e}"))
    }

    /// Every stream's state on the emulator: encryption, and the source's
    /// summary for the Kinesis-sourced roles.
    fn states(&self, direct: &[&str], sourced: &[&str]) -> BTreeMap<String, Value> {
        let mut states = BTreeMap::new();
        for role in direct {
            states.insert((*role).to_owned(), self.encryption(role));
        }
        for role in sourced {
            let both = json!({"stream": self.encryption(role), "source": self.source(role)});
            states.insert((*role).to_owned(), both);
        }
        states
    }

    /// A file naming the streams of `roles`, one a line, with a comment.
    fn list(&self, roles: &[&str]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
        writeln!(file, "# streams of a finding\n").unwrap();
        for role in roles {
            writeln!(file, "  {}", self.name(role)).unwrap();
        }
        file.flush().unwrap();
        file
    }

    /// The binary at the emulator, in this test's region.
    fn tool(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = cmd();
        c.args(["--endpoint-url", &moto_endpoint(), "--region", self.region])
            .args(args);
        c
    }

    /// A fleet run; its exit code and document.
    fn run(&self, args: &[&str]) -> Run {
        finished(self.tool(args))
    }

    /// A fleet run over the names of `list` (a file).
    fn run_list(&self, list: &tempfile::NamedTempFile, args: &[&str]) -> Run {
        let path = list.path().to_str().expect("a UTF-8 temporary path");
        let mut c = self.tool(&["--delivery-stream-names-from", path]);
        c.args(args);
        finished(c)
    }

    /// `(role, Action, EncryptedAtRest)` of this test's entries, in the
    /// document's order.
    fn outcome(&self, run: &Run) -> Vec<(String, String, bool)> {
        run.entries()
            .iter()
            .filter_map(|e| {
                let name = e["DeliveryStreamName"].as_str()?;
                let role = name.strip_prefix(&self.prefix)?;
                let action = e["Action"].as_str().unwrap_or("?");
                let at_rest = e["EncryptedAtRest"].as_bool().expect("EncryptedAtRest");
                Some((role.to_owned(), action.to_owned(), at_rest))
            })
            .collect()
    }

    /// The entry of `role`.
    fn entry<'a>(&self, run: &'a Run, role: &str) -> &'a Value {
        let name = self.name(role);
        run.entries()
            .iter()
            .find(|e| e["DeliveryStreamName"] == name.as_str())
            .unwrap_or_else(|| panic!("no entry for {name}: {:#}", run.doc))
    }
}

impl Run {
    fn entries(&self) -> &[Value] {
        self.doc["DeliveryStreams"]
            .as_array()
            .unwrap_or_else(|| panic!("no DeliveryStreams array: {:#}", self.doc))
    }

    /// Every entry's DeliveryStreamName, in the document's order.
    fn names(&self) -> Vec<String> {
        self.entries()
            .iter()
            .map(|e| e["DeliveryStreamName"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn finished(mut c: assert_cmd::Command) -> Run {
    let out = c.output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {stdout:?}\n{stderr}"));
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        doc,
        stderr,
    };
    let names = run.names();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are in name order");
    run
}

/// Expected `(role, Action, EncryptedAtRest)`, put in name order.
fn expect(rows: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    let mut rows: Vec<(String, String, bool)> = rows
        .iter()
        .map(|(r, a, e)| ((*r).to_owned(), (*a).to_owned(), *e))
        .collect();
    rows.sort();
    rows
}

/// The document of a run that found nothing to do: every entry already
/// encrypted at rest, its configuration the same before and after.
fn assert_nothing_to_do(run: &Run) {
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    assert!(!run.entries().is_empty());
    for e in run.entries() {
        let action = e["Action"].as_str().unwrap_or("?");
        assert!(
            matches!(action, "AlreadyEncrypted" | "SourceAlreadyEncrypted"),
            "a second run has nothing to start: {e:#}"
        );
        assert_eq!(e["EncryptedAtRest"], true, "{e:#}");
        assert_eq!(e["EncryptionBefore"], e["EncryptionAfter"], "{e:#}");
        if let Some(source) = e.get("KinesisSource") {
            assert_eq!(
                source["EncryptionBefore"], source["EncryptionAfter"],
                "{e:#}"
            );
        }
        assert!(e.get("Error").is_none(), "{e:#}");
    }
}

#[test]
#[ignore = "needs moto_server"]
fn a_list_without_a_wanted_key_encrypts_only_the_unencrypted_and_a_second_run_sends_nothing() {
    let f = Fleet::new("list", REGION);
    for role in ["plain-1", "plain-2", "owned", "marked", "customer"] {
        f.create(role);
    }
    f.create_kinesis_sourced("kin");
    f.create_kinesis_sourced("kin-keyed");
    f.encrypt("owned", OWNED);
    f.encrypt("marked", MARKED_KEY);
    f.encrypt("customer", CMK);
    f.encrypt_source("kin-keyed", OWN_SOURCE_KEY);
    assert_eq!(f.encryption("owned"), owned());
    assert_eq!(f.encryption("marked"), marked());
    assert_eq!(f.encryption("customer"), customer(KEY_ARN));

    // The list names a stream twice and one that does not exist.
    let list = f.list(&[
        "plain-2",
        "customer",
        "kin",
        "plain-1",
        "owned",
        "marked",
        "kin-keyed",
        "missing",
        "plain-2",
    ]);
    let first = f.run_list(
        &list,
        &["--encrypt-kinesis-sources", "--max-concurrency", "2"],
    );
    assert_eq!(
        first.code, 1,
        "the missing name fails the run: {:#}",
        first.doc
    );
    assert_eq!(first.entries().len(), 8, "each name once: {:#}", first.doc);
    assert_eq!(
        f.outcome(&first),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "SourceStarted", true),
            ("kin-keyed", "SourceAlreadyEncrypted", true),
            ("marked", "AlreadyEncrypted", true),
            ("missing", "Failed", false),
            ("owned", "AlreadyEncrypted", true),
            ("plain-1", "Started", true),
            ("plain-2", "Started", true),
        ])
    );
    let missing = f.entry(&first, "missing");
    assert_eq!(
        missing["Error"]["Code"], "ResourceNotFoundException",
        "{missing:#}"
    );
    let message = missing["Error"]["Message"].as_str().unwrap();
    assert!(message.contains(&f.name("missing")), "{message}");
    assert!(missing.get("DeliveryStreamType").is_none(), "{missing:#}");
    let plain = f.entry(&first, "plain-1");
    assert_eq!(plain["DeliveryStreamType"], "DirectPut");
    assert_eq!(plain["EncryptionBefore"], Value::Null);
    assert_eq!(
        plain["EncryptionAfter"]["KeyType"], "AWS_OWNED_CMK",
        "{plain:#}"
    );
    let kin = f.entry(&first, "kin");
    assert_eq!(kin["DeliveryStreamType"], "KinesisStreamAsSource");
    assert_eq!(
        kin["KinesisSource"]["StreamARN"],
        f.source_arn("kin").as_str()
    );
    assert_eq!(kin["KinesisSource"]["EncryptionBefore"], source_state(None));
    assert_eq!(
        kin["KinesisSource"]["EncryptionAfter"]["KeyId"], KINESIS_AWS_KEY,
        "{kin:#}"
    );

    // On the emulator: the unencrypted streams have the AWS owned key, named
    // in the call; the others got no call (the customer key and the marker
    // are still there); the source is encrypted with Kinesis's AWS managed
    // key; a source encrypted with another key keeps it; the
    // Kinesis-sourced streams themselves got no Firehose call.
    assert_eq!(f.encryption("plain-1"), owned());
    assert_eq!(f.encryption("plain-2"), owned());
    assert_eq!(f.encryption("owned"), owned());
    assert_eq!(f.encryption("marked"), marked());
    assert_eq!(f.encryption("customer"), customer(KEY_ARN));
    assert_eq!(f.source("kin"), source_state(Some(KINESIS_AWS_KEY)));
    assert_eq!(f.source("kin-keyed"), source_state(Some(OWN_SOURCE_KEY)));
    assert_eq!(f.encryption("kin"), Value::Null);
    assert_eq!(f.encryption("kin-keyed"), Value::Null);

    // A second run over the streams that exist sends no start call. To see
    // it on the emulator, one stream started by the first run gets the
    // marker now: a second start would wipe it.
    f.encrypt("plain-2", MARKED_KEY);
    let direct = ["plain-1", "plain-2", "owned", "marked", "customer"];
    let sourced = ["kin", "kin-keyed"];
    let before = f.states(&direct, &sourced);
    let existing = f.list(&[
        "plain-1",
        "plain-2",
        "owned",
        "marked",
        "customer",
        "kin",
        "kin-keyed",
    ]);
    let second = f.run_list(&existing, &["--encrypt-kinesis-sources"]);
    assert_nothing_to_do(&second);
    assert_eq!(
        f.outcome(&second),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "SourceAlreadyEncrypted", true),
            ("kin-keyed", "SourceAlreadyEncrypted", true),
            ("marked", "AlreadyEncrypted", true),
            ("owned", "AlreadyEncrypted", true),
            ("plain-1", "AlreadyEncrypted", true),
            ("plain-2", "AlreadyEncrypted", true),
        ])
    );
    assert_eq!(
        f.states(&direct, &sourced),
        before,
        "the second run changed nothing"
    );
    assert_eq!(f.encryption("plain-2"), marked());
}

#[test]
#[ignore = "needs moto_server"]
fn a_wanted_aws_owned_key_replaces_customer_keys_and_leaves_aws_owned_ones_alone() {
    let f = Fleet::new("owned", REGION);
    for role in ["plain", "marked", "customer"] {
        f.create(role);
    }
    f.create_kinesis_sourced("kin-keyed");
    f.encrypt("marked", MARKED_KEY);
    f.encrypt("customer", CMK);
    f.encrypt_source("kin-keyed", OWN_SOURCE_KEY);

    // The names come on standard input.
    let names: String = ["customer", "kin-keyed", "marked", "missing", "plain"]
        .iter()
        .map(|r| format!("{}\n", f.name(r)))
        .collect();
    let mut c = f.tool(&[
        "--delivery-stream-names-from",
        "-",
        ENC,
        OWNED,
        "--encrypt-kinesis-sources",
    ]);
    c.write_stdin(names);
    let run = finished(c);
    assert_eq!(run.code, 1, "{:#}", run.doc);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("customer", "Started", true),
            ("kin-keyed", "SourceStarted", true),
            ("marked", "AlreadyEncrypted", true),
            ("missing", "Failed", false),
            ("plain", "Started", true),
        ])
    );
    assert_eq!(
        f.entry(&run, "missing")["Error"]["Code"],
        "ResourceNotFoundException"
    );
    assert_eq!(
        f.entry(&run, "customer")["EncryptionBefore"],
        customer(KEY_ARN)
    );

    // The wanted key is what counts: the customer key is replaced, the source
    // with a key of its own gets Kinesis's AWS managed key, and the stream
    // already with an AWS owned key got no call (its marker is still there).
    assert_eq!(f.encryption("plain"), owned());
    assert_eq!(f.encryption("customer"), owned());
    assert_eq!(f.encryption("marked"), marked());
    assert_eq!(f.source("kin-keyed"), source_state(Some(KINESIS_AWS_KEY)));
    assert_eq!(f.encryption("kin-keyed"), Value::Null);

    let existing = f.list(&["customer", "kin-keyed", "marked", "plain"]);
    let second = f.run_list(&existing, &[ENC, OWNED, "--encrypt-kinesis-sources"]);
    assert_nothing_to_do(&second);
    assert_eq!(second.entries().len(), 4);
    assert_eq!(f.encryption("marked"), marked());
}

#[test]
#[ignore = "needs moto_server"]
fn a_wanted_customer_key_with_wait_converges_every_stream() {
    let f = Fleet::new("cmk", REGION);
    for role in ["plain", "owned", "customer", "other-key"] {
        f.create(role);
    }
    f.create_kinesis_sourced("kin");
    f.encrypt("owned", OWNED);
    f.encrypt("customer", CMK);
    let other = format!("KeyType=CUSTOMER_MANAGED_CMK,KeyARN={OTHER_ARN}");
    f.encrypt("other-key", &other);
    assert_eq!(f.encryption("other-key"), customer(OTHER_ARN));

    let list = f.list(&["plain", "owned", "customer", "other-key", "kin"]);
    let run = f.run_list(
        &list,
        &[
            ENC,
            CMK,
            "--encrypt-kinesis-sources",
            "--wait",
            "--wait-interval",
            "50ms",
            "--wait-timeout",
            "60s",
        ],
    );
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "SourceStarted", true),
            ("other-key", "Started", true),
            ("owned", "Started", true),
            ("plain", "Started", true),
        ])
    );
    // With --wait, the document has the final state the emulator reports.
    for role in ["plain", "owned", "other-key"] {
        let e = f.entry(&run, role);
        assert_eq!(e["EncryptionAfter"], customer(KEY_ARN), "{e:#}");
    }
    assert_eq!(f.entry(&run, "owned")["EncryptionBefore"], owned());
    assert_eq!(
        f.entry(&run, "other-key")["EncryptionBefore"],
        customer(OTHER_ARN)
    );
    assert_eq!(
        f.entry(&run, "kin")["KinesisSource"]["EncryptionAfter"],
        source_state(Some(KEY_ARN))
    );

    // On the emulator: every stream has the wanted key; the source has the
    // same key's ARN as its KeyId.
    for role in ["plain", "owned", "customer", "other-key"] {
        assert_eq!(f.encryption(role), customer(KEY_ARN), "{role}");
    }
    assert_eq!(f.source("kin"), source_state(Some(KEY_ARN)));
    assert_eq!(f.encryption("kin"), Value::Null);

    let second = f.run_list(&list, &[ENC, CMK, "--encrypt-kinesis-sources"]);
    assert_nothing_to_do(&second);
    assert_eq!(second.entries().len(), 5);
}

#[test]
#[ignore = "needs moto_server"]
fn a_dry_run_changes_nothing_on_the_emulator() {
    let f = Fleet::new("dry", REGION);
    for role in ["plain", "owned", "customer"] {
        f.create(role);
    }
    f.create_kinesis_sourced("kin");
    f.encrypt("owned", OWNED);
    f.encrypt("customer", CMK);
    let direct = ["plain", "owned", "customer"];
    let sourced = ["kin"];
    let before = f.states(&direct, &sourced);
    let list = f.list(&["plain", "owned", "customer", "kin"]);

    let dry = f.run_list(&list, &["--dry-run", "--encrypt-kinesis-sources"]);
    assert_eq!(dry.code, 1, "something would change: {:#}", dry.doc);
    assert_eq!(
        f.outcome(&dry),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "WouldStartSource", false),
            ("owned", "AlreadyEncrypted", true),
            ("plain", "WouldStart", false),
        ])
    );
    assert_eq!(
        f.entry(&dry, "plain")["EncryptionAfter"]["KeyType"],
        "AWS_OWNED_CMK"
    );
    assert_eq!(
        f.entry(&dry, "kin")["KinesisSource"]["EncryptionAfter"]["KeyId"],
        KINESIS_AWS_KEY
    );
    assert_eq!(
        f.states(&direct, &sourced),
        before,
        "a dry run sends no start"
    );

    // With a wanted key, the AWS owned one would be replaced; still nothing is.
    let dry = f.run_list(&list, &["--dry-run", ENC, CMK, "--encrypt-kinesis-sources"]);
    assert_eq!(dry.code, 1, "{:#}", dry.doc);
    assert_eq!(
        f.outcome(&dry),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "WouldStartSource", false),
            ("owned", "WouldStart", true),
            ("plain", "WouldStart", false),
        ])
    );
    assert_eq!(
        f.states(&direct, &sourced),
        before,
        "a dry run sends no start"
    );

    // The real run, its document cut down by --query to the streams started.
    let real = f
        .tool(&[
            "--delivery-stream-names-from",
            list.path().to_str().unwrap(),
            "--encrypt-kinesis-sources",
            "--query",
            "DeliveryStreams[?Action=='Started' || Action=='SourceStarted'].DeliveryStreamName",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(real.status.code(), Some(0), "{real:?}");
    let started: Value = serde_json::from_slice(&real.stdout).expect("the query result is JSON");
    assert_eq!(started, json!([f.name("kin"), f.name("plain")]));
    assert_eq!(f.encryption("plain"), owned());
    assert_eq!(f.source("kin"), source_state(Some(KINESIS_AWS_KEY)));

    // Now a dry run finds nothing to change, and exits 0.
    let dry = f.run_list(&list, &["--dry-run", "--encrypt-kinesis-sources"]);
    assert_nothing_to_do(&dry);
}

#[test]
#[ignore = "needs moto_server"]
fn without_encrypt_kinesis_sources_a_kinesis_sourced_stream_is_left_unencrypted() {
    let f = Fleet::new("nosrc", REGION);
    f.create("plain");
    f.create_kinesis_sourced("kin");
    let list = f.list(&["plain", "kin"]);

    let run = f.run_list(&list, &[]);
    assert_eq!(run.code, 1, "a stream is left unencrypted: {:#}", run.doc);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("kin", "NeedsSourceEncryption", false),
            ("plain", "Started", true),
        ])
    );
    let kin = f.entry(&run, "kin");
    let reason = kin["Reason"].as_str().expect("a Reason");
    assert!(reason.contains("--encrypt-kinesis-sources"), "{reason}");
    assert!(reason.contains(&f.source_arn("kin")), "{reason}");
    assert!(
        reason.contains(&format!("--key-id {KINESIS_AWS_KEY}")),
        "{reason}"
    );
    assert_eq!(
        kin["KinesisSource"]["StreamARN"],
        f.source_arn("kin").as_str()
    );
    assert_eq!(kin["KinesisSource"]["EncryptionAfter"], source_state(None));
    assert_eq!(
        f.source("kin"),
        source_state(None),
        "the source is not touched"
    );
    assert_eq!(f.encryption("kin"), Value::Null);
    assert_eq!(f.encryption("plain"), owned());

    // With a wanted key the reason names that key; still nothing is sent to
    // the source.
    let run = f.run_list(&list, &[ENC, CMK]);
    assert_eq!(run.code, 1, "{:#}", run.doc);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("kin", "NeedsSourceEncryption", false),
            ("plain", "Started", true),
        ])
    );
    let reason = f.entry(&run, "kin")["Reason"].as_str().unwrap().to_owned();
    assert!(reason.contains(&format!("--key-id {KEY_ARN}")), "{reason}");
    assert_eq!(f.source("kin"), source_state(None));
    assert_eq!(f.encryption("plain"), customer(KEY_ARN));

    // With the flag, the source gets the key and the run succeeds.
    let run = f.run_list(&list, &[ENC, CMK, "--encrypt-kinesis-sources"]);
    assert_eq!(run.code, 0, "{:#}", run.doc);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("kin", "SourceStarted", true),
            ("plain", "AlreadyEncrypted", true),
        ])
    );
    assert_eq!(f.source("kin"), source_state(Some(KEY_ARN)));
}

#[test]
#[ignore = "needs moto_server"]
fn all_delivery_streams_covers_its_own_region_and_a_second_run_sends_nothing() {
    let f = Fleet::new("all", ALL_REGION);
    for role in ["plain-1", "plain-2", "owned", "marked", "customer"] {
        f.create(role);
    }
    f.create_kinesis_sourced("kin");
    f.encrypt("owned", OWNED);
    f.encrypt("marked", MARKED_KEY);
    f.encrypt("customer", CMK);
    // A stream of the same prefix in us-east-1: not in this region's run.
    let elsewhere = Fleet {
        region: REGION,
        prefix: f.prefix.clone(),
    };
    elsewhere.create("elsewhere");
    let direct = ["plain-1", "plain-2", "owned", "marked", "customer"];
    let sourced = ["kin"];
    let before = f.states(&direct, &sourced);

    let dry = f.run(&["--all-delivery-streams", "--dry-run"]);
    assert_eq!(dry.code, 1, "{:#}", dry.doc);
    assert_eq!(
        f.outcome(&dry),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "NeedsSourceEncryption", false),
            ("marked", "AlreadyEncrypted", true),
            ("owned", "AlreadyEncrypted", true),
            ("plain-1", "WouldStart", false),
            ("plain-2", "WouldStart", false),
        ])
    );
    assert_eq!(
        f.states(&direct, &sourced),
        before,
        "a dry run sends no start"
    );

    // Without --encrypt-kinesis-sources: the Direct PUT streams are done, the
    // Kinesis-sourced one is left and says why (exit 1).
    let run = f.run(&["--all-delivery-streams"]);
    assert_eq!(run.code, 1, "{:#}", run.doc);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "NeedsSourceEncryption", false),
            ("marked", "AlreadyEncrypted", true),
            ("owned", "AlreadyEncrypted", true),
            ("plain-1", "Started", true),
            ("plain-2", "Started", true),
        ])
    );
    assert_eq!(f.encryption("plain-1"), owned());
    assert_eq!(f.encryption("plain-2"), owned());
    assert_eq!(f.encryption("owned"), owned());
    assert_eq!(f.encryption("marked"), marked(), "no call");
    assert_eq!(f.encryption("customer"), customer(KEY_ARN), "no call");
    assert_eq!(f.source("kin"), source_state(None));

    // With it, and --wait: the source is encrypted, everything is at rest.
    let run = f.run(&[
        "--all-delivery-streams",
        "--encrypt-kinesis-sources",
        "--wait",
        "--wait-interval",
        "50ms",
        "--wait-timeout",
        "60s",
    ]);
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    assert_eq!(
        f.outcome(&run),
        expect(&[
            ("customer", "AlreadyEncrypted", true),
            ("kin", "SourceStarted", true),
            ("marked", "AlreadyEncrypted", true),
            ("owned", "AlreadyEncrypted", true),
            ("plain-1", "AlreadyEncrypted", true),
            ("plain-2", "AlreadyEncrypted", true),
        ])
    );
    assert_eq!(
        f.entry(&run, "kin")["KinesisSource"]["EncryptionAfter"],
        source_state(Some(KINESIS_AWS_KEY))
    );
    assert_eq!(f.source("kin"), source_state(Some(KINESIS_AWS_KEY)));
    assert_eq!(f.encryption("kin"), Value::Null);

    // A second run sends nothing; one stream started above gets the marker
    // first, so that a start would show on the emulator.
    f.encrypt("plain-1", MARKED_KEY);
    let before = f.states(&direct, &sourced);
    let second = f.run(&["--all-delivery-streams", "--encrypt-kinesis-sources"]);
    assert_nothing_to_do(&second);
    assert_eq!(f.outcome(&second).len(), 6, "{:#}", second.doc);
    assert_eq!(
        f.states(&direct, &sourced),
        before,
        "the second run changed nothing"
    );
    assert_eq!(f.encryption("plain-1"), marked());

    // The run covered this region only: every entry is this test's (from
    // this or an earlier run on the same emulator), the us-east-1 stream is
    // not listed and not encrypted.
    for name in second.names() {
        assert!(
            name.starts_with("fleet-e2e-all-"),
            "{name} is not in {ALL_REGION}"
        );
        assert_ne!(name, elsewhere.name("elsewhere"));
    }
    assert_eq!(elsewhere.encryption("elsewhere"), Value::Null);
}

// ------------------------------------------------------- Kinesis data streams
//
// Fleet mode of `start-stream-encryption` on the same emulator. `--all-streams`
// lists every data stream of a region, and the Firehose tests above leave
// their sources in us-east-1 and eu-west-3: each Kinesis test has a region of
// its own ([`K_DRY_REGION`] ...), and looks only at the streams of its prefix
// (an earlier run of this file on the same emulator leaves its streams
// behind). The streams are created, pre-encrypted and read back with boto3
// ([`KINESIS_PY`]: CreateStream, StartStreamEncryption, DescribeStreamSummary,
// KMS CreateKey), never with the binary under test.
//
// moto's StartStreamEncryption stores the KeyId it is sent as it is, so a
// stream encrypted with a key no run would send ([`MARKER_KEY`]) keeps it
// exactly as long as it gets no start call.

/// The binary that mirrors `aws kinesis start-stream-encryption`.
const KBIN: &str = "start-stream-encryption";

/// The region only [`kinesis_dry_run_over_all_streams_reports_what_would_start_and_changes_nothing`] uses.
const K_DRY_REGION: &str = "ap-southeast-2";

/// The region only [`kinesis_all_streams_encrypts_the_unencrypted_and_a_second_run_sends_nothing`] uses.
const K_ALL_REGION: &str = "ap-northeast-1";

/// The region only [`kinesis_names_from_stdin_converge_to_a_customer_key_with_wait`] uses.
const K_KEY_REGION: &str = "eu-central-1";

/// The region only [`kinesis_all_streams_encrypts_a_firehose_source_and_leaves_firehose_alone`] uses.
const K_FIREHOSE_REGION: &str = "ap-southeast-1";

/// A key of the account's own that a stream is encrypted with before a run.
const OWN_STREAM_KEY: &str = "alias/own-stream-key";

/// A KeyId no fleet run sends: a start call on its stream would replace it.
const MARKER_KEY: &str = "alias/no-start-call-marker";

/// boto3 against the emulator: `python3 -c KINESIS_PY ENDPOINT REGION COMMAND ARGS`.
///
/// - `create NAME...`: Kinesis data streams, waited for until ACTIVE
/// - `encrypt NAME KEYID`: StartStreamEncryption (KMS, KEYID)
/// - `summaries NAME...`: `{name: {StreamStatus, EncryptionType, KeyId}}`
///   from DescribeStreamSummary
/// - `create-key DESCRIPTION`: KMS CreateKey; prints the key's ARN
/// - `delivery NAME`: the whole DescribeDeliveryStream description
const KINESIS_PY: &str = r#"
import json, sys, time
import boto3
from botocore.config import Config

endpoint, region, command, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
config = Config(retries={"max_attempts": 2, "mode": "standard"},
                connect_timeout=5, read_timeout=30)
session = boto3.session.Session(region_name=region)

def client(service):
    return session.client(service, endpoint_url=endpoint, config=config)

def summary(kinesis, name):
    s = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    return {k: s[k] for k in ("StreamStatus", "EncryptionType", "KeyId") if k in s}

if command == "create":
    kinesis = client("kinesis")
    for name in args:
        kinesis.create_stream(StreamName=name, ShardCount=1)
    deadline = time.monotonic() + 30
    for name in args:
        while summary(kinesis, name)["StreamStatus"] != "ACTIVE":
            if time.monotonic() > deadline:
                sys.exit("%s is not ACTIVE" % name)
            time.sleep(0.1)
elif command == "encrypt":
    name, key = args
    client("kinesis").start_stream_encryption(
        StreamName=name, EncryptionType="KMS", KeyId=key)
elif command == "summaries":
    kinesis = client("kinesis")
    print(json.dumps({name: summary(kinesis, name) for name in args}))
elif command == "create-key":
    print(client("kms").create_key(Description=args[0])["KeyMetadata"]["Arn"])
elif command == "delivery":
    d = client("firehose").describe_delivery_stream(DeliveryStreamName=args[0])
    print(json.dumps(d["DeliveryStreamDescription"], default=str, sort_keys=True))
else:
    sys.exit("unknown command %r" % command)
"#;

/// Run [`KINESIS_PY`] in `region` with a scrubbed, local-only environment
/// (as `moto_stream_in` does); return its stdout.
fn kinesis_py(region: &str, args: &[&str]) -> String {
    let mut c = local_client("python3");
    c.args(["-c", KINESIS_PY, &moto_endpoint(), region])
        .args(args)
        .env("AWS_REGION", region);
    stdout_ok(c)
}

/// A data stream's summary on the emulator, as [`KINESIS_PY`] prints it.
fn summary(key: Option<&str>) -> Value {
    source_state(key)
}

/// A stream's encryption as the tool's document shows it.
fn kms(key: &str) -> Value {
    json!({"EncryptionType": "KMS", "KeyId": key})
}

/// An unencrypted stream's encryption as the tool's document shows it.
fn unencrypted() -> Value {
    json!({"EncryptionType": "NONE"})
}

/// One Kinesis test's data streams: `fleet-e2e-<test>-<pid>-<role>` in a
/// region of its own.
struct Streams {
    region: &'static str,
    prefix: String,
}

impl Streams {
    fn new(test: &str, region: &'static str) -> Self {
        let prefix = format!("fleet-e2e-{test}-{}-", std::process::id());
        assert!(prefix.len() <= 40, "{prefix}");
        Streams { region, prefix }
    }

    fn name(&self, role: &str) -> String {
        format!("{}{role}", self.prefix)
    }

    fn arn(&self, role: &str) -> String {
        format!(
            "arn:aws:kinesis:{}:123456789012:stream/{}",
            self.region,
            self.name(role)
        )
    }

    /// New, unencrypted data streams.
    fn create(&self, roles: &[&str]) {
        let names: Vec<String> = roles.iter().map(|r| self.name(r)).collect();
        let mut args = vec!["create"];
        args.extend(names.iter().map(String::as_str));
        kinesis_py(self.region, &args);
        for role in roles {
            assert_eq!(self.state(role), summary(None), "{role} is new");
        }
    }

    /// Encrypt a stream with `key` through boto3, before a fleet run.
    fn encrypt(&self, role: &str, key: &str) {
        kinesis_py(self.region, &["encrypt", &self.name(role), key]);
        assert_eq!(self.state(role), summary(Some(key)));
    }

    /// A new KMS key of the emulator's, in this region; its ARN.
    fn create_key(&self, description: &str) -> String {
        let arn = kinesis_py(self.region, &["create-key", description])
            .trim()
            .to_owned();
        let want = format!("arn:aws:kms:{}:123456789012:key/", self.region);
        assert!(arn.starts_with(&want), "{arn}");
        arn
    }

    /// Every role's summary on the emulator (DescribeStreamSummary).
    fn states(&self, roles: &[&str]) -> BTreeMap<String, Value> {
        let mut args = vec!["summaries".to_owned()];
        args.extend(roles.iter().map(|r| self.name(r)));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let text = kinesis_py(self.region, &args);
        let by_name: BTreeMap<String, Value> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("summaries printed {text:?}: {e}"));
        roles
            .iter()
            .map(|r| ((*r).to_owned(), by_name[&self.name(r)].clone()))
            .collect()
    }

    fn state(&self, role: &str) -> Value {
        self.states(&[role]).remove(role).unwrap()
    }

    /// The binary at the emulator, in this test's region.
    fn tool(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = cmd_of(KBIN);
        c.args(["--endpoint-url", &moto_endpoint(), "--region", self.region])
            .args(args);
        c
    }

    /// A fleet run; its exit code and document.
    fn run(&self, args: &[&str]) -> Run {
        finished_streams(self.tool(args))
    }

    /// A fleet run over the names in `stdin` (`--stream-names-from -`).
    fn run_stdin(&self, stdin: String, args: &[&str]) -> Run {
        let mut c = self.tool(&["--stream-names-from", "-"]);
        c.args(args).write_stdin(stdin);
        finished_streams(c)
    }

    /// `(role, Action, EncryptedAtRest)` of this test's entries, in the
    /// document's order.
    fn outcome(&self, run: &Run) -> Vec<(String, String, bool)> {
        streams_of(run)
            .iter()
            .filter_map(|e| {
                let role = e["StreamName"].as_str()?.strip_prefix(&self.prefix)?;
                let action = e["Action"].as_str().unwrap_or("?");
                let at_rest = e["EncryptedAtRest"].as_bool().expect("EncryptedAtRest");
                Some((role.to_owned(), action.to_owned(), at_rest))
            })
            .collect()
    }

    /// The entry of `role`, checked to carry the stream's ARN in this region.
    fn entry<'a>(&self, run: &'a Run, role: &str) -> &'a Value {
        let name = self.name(role);
        let e = streams_of(run)
            .iter()
            .find(|e| e["StreamName"] == name.as_str())
            .unwrap_or_else(|| panic!("no entry for {name}: {:#}", run.doc));
        assert_eq!(e["StreamARN"], self.arn(role).as_str(), "{e:#}");
        e
    }
}

/// The entries of a `start-stream-encryption` document.
fn streams_of(run: &Run) -> &[Value] {
    run.doc["Streams"]
        .as_array()
        .unwrap_or_else(|| panic!("no Streams array: {:#}", run.doc))
}

/// A finished `start-stream-encryption` fleet run; its entries are in name
/// order and each carries its calls.
fn finished_streams(mut c: assert_cmd::Command) -> Run {
    let out = c.output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {stdout:?}\n{stderr}"));
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        doc,
        stderr,
    };
    let names: Vec<&str> = streams_of(&run)
        .iter()
        .map(|e| e["StreamName"].as_str().expect("a StreamName"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "entries are in name order");
    for e in streams_of(&run) {
        assert!(e["Calls"]["Made"].is_u64(), "{e:#}");
    }
    run
}

/// The calls of an entry that was only described (no start call).
fn described_only() -> Value {
    json!({"Made": 1, "Throttled": 0})
}

/// A run that found nothing to do: exit 0, every entry already encrypted,
/// before and after the same, one DescribeStreamSummary and no start call.
fn assert_no_stream_to_start(run: &Run) {
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    assert!(!streams_of(run).is_empty());
    for e in streams_of(run) {
        assert_eq!(e["Action"], "AlreadyEncrypted", "{e:#}");
        assert_eq!(e["EncryptedAtRest"], true, "{e:#}");
        assert_eq!(e["EncryptionBefore"]["EncryptionType"], "KMS", "{e:#}");
        assert_eq!(e["EncryptionBefore"], e["EncryptionAfter"], "{e:#}");
        assert_eq!(e["Calls"], described_only(), "{e:#}");
        assert!(e.get("Error").is_none(), "{e:#}");
    }
}

#[test]
#[ignore = "needs moto_server"]
fn kinesis_dry_run_over_all_streams_reports_what_would_start_and_changes_nothing() {
    let s = Streams::new("kdry", K_DRY_REGION);
    let roles = ["plain-1", "plain-2", "plain-3", "keyed"];
    s.create(&roles);
    s.encrypt("keyed", OWN_STREAM_KEY);
    let before = s.states(&roles);

    let dry = s.run(&["--all-streams", "--dry-run"]);
    assert_eq!(dry.code, 1, "three would change: {:#}", dry.doc);
    assert_eq!(
        s.outcome(&dry),
        expect(&[
            ("keyed", "AlreadyEncrypted", true),
            ("plain-1", "WouldStart", false),
            ("plain-2", "WouldStart", false),
            ("plain-3", "WouldStart", false),
        ])
    );
    for role in ["plain-1", "plain-2", "plain-3"] {
        let e = s.entry(&dry, role);
        assert_eq!(e["EncryptionBefore"], unencrypted(), "{e:#}");
        assert_eq!(e["EncryptionAfter"], kms(KINESIS_AWS_KEY), "{e:#}");
        assert_eq!(e["Calls"], described_only(), "{e:#}");
    }
    let keyed = s.entry(&dry, "keyed");
    assert_eq!(keyed["EncryptionBefore"], kms(OWN_STREAM_KEY), "{keyed:#}");
    assert_eq!(keyed["EncryptionAfter"], kms(OWN_STREAM_KEY), "{keyed:#}");
    assert_eq!(s.states(&roles), before, "a dry run sends no start");
    for role in ["plain-1", "plain-2", "plain-3"] {
        assert_eq!(s.state(role), summary(None), "{role}");
    }

    // With a wanted key the stream with a key of its own would be started
    // too; still nothing is.
    let key = "alias/wanted-dry-key";
    let dry = s.run(&["--all-streams", "--dry-run", "--key-id", key]);
    assert_eq!(dry.code, 1, "{:#}", dry.doc);
    assert_eq!(
        s.outcome(&dry),
        expect(&[
            ("keyed", "WouldStart", true),
            ("plain-1", "WouldStart", false),
            ("plain-2", "WouldStart", false),
            ("plain-3", "WouldStart", false),
        ])
    );
    assert_eq!(s.entry(&dry, "keyed")["EncryptionAfter"], kms(key));
    assert_eq!(s.states(&roles), before, "a dry run sends no start");
}

#[test]
#[ignore = "needs moto_server"]
fn kinesis_all_streams_encrypts_the_unencrypted_and_a_second_run_sends_nothing() {
    let s = Streams::new("kall", K_ALL_REGION);
    let roles = ["plain-1", "plain-2", "plain-3", "keyed"];
    s.create(&roles);
    s.encrypt("keyed", OWN_STREAM_KEY);
    // A stream of the same prefix in us-east-1: not in this region's run.
    let elsewhere = Streams {
        region: REGION,
        prefix: s.prefix.clone(),
    };
    elsewhere.create(&["elsewhere"]);

    let run = s.run(&["--all-streams", "--max-concurrency", "2"]);
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    assert_eq!(
        s.outcome(&run),
        expect(&[
            ("keyed", "AlreadyEncrypted", true),
            ("plain-1", "Started", true),
            ("plain-2", "Started", true),
            ("plain-3", "Started", true),
        ])
    );
    for role in ["plain-1", "plain-2", "plain-3"] {
        let e = s.entry(&run, role);
        assert_eq!(e["EncryptionBefore"], unencrypted(), "{e:#}");
        assert_eq!(e["EncryptionAfter"], kms(KINESIS_AWS_KEY), "{e:#}");
        assert_eq!(e["Calls"], json!({"Made": 2, "Throttled": 0}), "{e:#}");
        assert!(e.get("Error").is_none(), "{e:#}");
    }
    let keyed = s.entry(&run, "keyed");
    assert_eq!(keyed["EncryptionAfter"], kms(OWN_STREAM_KEY), "{keyed:#}");
    assert_eq!(keyed["Calls"], described_only(), "{keyed:#}");

    // On the emulator: the three have Kinesis's AWS managed key, the fourth
    // kept its own; the stream in another region is untouched.
    let after = s.states(&roles);
    for role in ["plain-1", "plain-2", "plain-3"] {
        assert_eq!(after[role], summary(Some(KINESIS_AWS_KEY)), "{role}");
    }
    assert_eq!(after["keyed"], summary(Some(OWN_STREAM_KEY)));
    assert_eq!(elsewhere.state("elsewhere"), summary(None));
    for e in streams_of(&run) {
        let name = e["StreamName"].as_str().unwrap();
        assert!(
            name.starts_with("fleet-e2e-kall-"),
            "{name} is not in {K_ALL_REGION}"
        );
        assert_ne!(name, elsewhere.name("elsewhere"));
    }

    // A second run spends no StartStreamEncryption. To see it on the
    // emulator too, a stream started above gets the marker first: any start
    // would replace it (with alias/aws/kinesis).
    s.encrypt("plain-2", MARKER_KEY);
    let before = s.states(&roles);
    let second = s.run(&["--all-streams"]);
    assert_no_stream_to_start(&second);
    assert_eq!(
        s.outcome(&second),
        expect(&[
            ("keyed", "AlreadyEncrypted", true),
            ("plain-1", "AlreadyEncrypted", true),
            ("plain-2", "AlreadyEncrypted", true),
            ("plain-3", "AlreadyEncrypted", true),
        ])
    );
    assert_eq!(s.states(&roles), before, "the second run changed nothing");
    assert_eq!(s.state("plain-2"), summary(Some(MARKER_KEY)));

    // And a dry run finds nothing that would change: exit 0.
    let dry = s.run(&["--all-streams", "--dry-run"]);
    assert_no_stream_to_start(&dry);
    assert_eq!(s.outcome(&dry).len(), 4, "{:#}", dry.doc);
    assert_eq!(elsewhere.state("elsewhere"), summary(None));
}

#[test]
#[ignore = "needs moto_server"]
fn kinesis_names_from_stdin_converge_to_a_customer_key_with_wait() {
    let s = Streams::new("kkey", K_KEY_REGION);
    let key = s.create_key("the key the fleet converges to");
    let other = s.create_key("a key to be replaced");
    let named = ["plain", "aws", "other", "done"];
    let left = ["left-plain", "left-aws"];
    let all = [named.as_slice(), left.as_slice()].concat();
    s.create(&all);
    s.encrypt("aws", KINESIS_AWS_KEY);
    s.encrypt("other", &other);
    s.encrypt("done", &key);
    s.encrypt("left-aws", KINESIS_AWS_KEY);

    // Standard input names four of the six, one twice, with a comment and a
    // blank line.
    let stdin = format!(
        "# streams of a finding\n{}\n\n  {}\n{}\n{}\n{}\n",
        s.name("plain"),
        s.name("aws"),
        s.name("other"),
        s.name("done"),
        s.name("plain"),
    );
    let wait = [
        "--key-id",
        &key,
        "--wait",
        "--wait-interval",
        "50ms",
        "--wait-timeout",
        "60s",
        "--max-rate",
        "20",
    ];
    let run = s.run_stdin(stdin.clone(), &wait);
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    assert_eq!(streams_of(&run).len(), 4, "each name once: {:#}", run.doc);
    assert_eq!(
        s.outcome(&run),
        expect(&[
            ("aws", "Started", true),
            ("done", "AlreadyEncrypted", true),
            ("other", "Started", true),
            ("plain", "Started", true),
        ])
    );
    // With --wait, EncryptionAfter is what the emulator reported last.
    for role in named {
        let e = s.entry(&run, role);
        assert_eq!(e["EncryptionAfter"], kms(&key), "{e:#}");
        assert!(e.get("Error").is_none(), "{e:#}");
    }
    assert_eq!(s.entry(&run, "plain")["EncryptionBefore"], unencrypted());
    assert_eq!(
        s.entry(&run, "aws")["EncryptionBefore"],
        kms(KINESIS_AWS_KEY)
    );
    assert_eq!(s.entry(&run, "other")["EncryptionBefore"], kms(&other));
    assert_eq!(s.entry(&run, "done")["Calls"], described_only());

    // On the emulator: the named streams have the customer key, the others
    // are as they were.
    let after = s.states(&all);
    for role in named {
        assert_eq!(after[role], summary(Some(&key)), "{role}");
    }
    assert_eq!(after["left-plain"], summary(None));
    assert_eq!(after["left-aws"], summary(Some(KINESIS_AWS_KEY)));

    // The same list again: nothing to start, nothing changed.
    let second = s.run_stdin(stdin, &["--key-id", &key]);
    assert_no_stream_to_start(&second);
    assert_eq!(streams_of(&second).len(), 4, "{:#}", second.doc);
    assert_eq!(s.states(&all), after, "the second run changed nothing");
}

#[test]
#[ignore = "needs moto_server"]
fn kinesis_all_streams_encrypts_a_firehose_source_and_leaves_firehose_alone() {
    let f = Fleet::new("kfh", K_FIREHOSE_REGION);
    f.create("direct");
    f.create_kinesis_sourced("kin");
    let delivery = |role: &str| -> Value {
        let text = kinesis_py(K_FIREHOSE_REGION, &["delivery", &f.name(role)]);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("delivery printed {text:?}: {e}"))
    };
    let direct_before = delivery("direct");
    let kin_before = delivery("kin");
    assert_eq!(
        kin_before["Source"]["KinesisStreamSourceDescription"]["KinesisStreamARN"],
        f.source_arn("kin").as_str()
    );

    let s = Streams {
        region: K_FIREHOSE_REGION,
        prefix: f.prefix.clone(),
    };
    let run = s.run(&["--all-streams"]);
    assert_eq!(run.code, 0, "{:#}\n{}", run.doc, run.stderr);
    // The one data stream of this test is the source; the delivery streams
    // are not data streams and are not listed.
    assert_eq!(s.outcome(&run), expect(&[("kin-source", "Started", true)]));
    let source = s.entry(&run, "kin-source");
    assert_eq!(
        source["EncryptionAfter"],
        kms(KINESIS_AWS_KEY),
        "{source:#}"
    );

    // On the emulator: the source has Kinesis's AWS managed key; both
    // delivery streams are exactly as they were (no encryption of their
    // own, same source, same version).
    assert_eq!(f.source("kin"), source_state(Some(KINESIS_AWS_KEY)));
    assert_eq!(delivery("direct"), direct_before);
    assert_eq!(delivery("kin"), kin_before);
    assert_eq!(f.encryption("kin"), Value::Null);
    assert_eq!(f.encryption("direct"), Value::Null);

    // Firehose's fleet now sees the source encrypted: nothing to do for the
    // Kinesis-sourced stream.
    let list = f.list(&["kin"]);
    let firehose = f.run_list(&list, &["--dry-run"]);
    assert_nothing_to_do(&firehose);
    assert_eq!(
        f.outcome(&firehose),
        expect(&[("kin", "SourceAlreadyEncrypted", true)])
    );
    assert_eq!(
        f.entry(&firehose, "kin")["KinesisSource"]["EncryptionAfter"],
        source_state(Some(KINESIS_AWS_KEY))
    );
}
