//! The result of a fleet run: an entry per stream, the document printed on
//! stdout (`{"DeliveryStreams": [...]}` or `{"Streams": [...]}`, by the
//! service's [`Labels`]) and the exit status. What people see at the end is
//! [`super::summary`].

use std::cell::RefCell;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value, json};

use super::targets::{Outcome, Status};
use crate::calls::Calls;
use crate::error::CliError;

/// The names a service's document and entries use.
#[derive(Debug)]
pub struct Labels {
    /// The reports' facts about the service (`--report`): its Security Hub
    /// control and resource type.
    pub report: &'static crate::reports::Service,
    /// The operation, which titles `--output table`, e.g.
    /// `StartDeliveryStreamEncryption`.
    pub title: &'static str,
    /// The document's one member, e.g. `DeliveryStreams`.
    pub document: &'static str,
    /// An entry's name member, e.g. `DeliveryStreamName`.
    pub name: &'static str,
    /// An entry's ARN member, e.g. `DeliveryStreamARN`.
    pub arn: &'static str,
    /// An entry's type member, e.g. `DeliveryStreamType`, if streams have
    /// types.
    pub kind: Option<&'static str>,
    /// An entry's source member, e.g. `KinesisSource`, if streams can have
    /// one.
    pub source: Option<&'static str>,
    /// The flag that encrypts sources, for people, e.g.
    /// `--encrypt-kinesis-sources`.
    pub source_flag: &'static str,
    /// What a source is, for people, e.g. `Kinesis source`.
    pub source_noun: &'static str,
    /// The members of an encryption description the summary table shows,
    /// e.g. `KeyType` and `Status`.
    pub key_members: &'static [&'static str],
}

/// What was done with a stream (or, with `--dry-run`, would be).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Already encrypted as wanted: no call.
    AlreadyEncrypted,
    /// `StartDeliveryStreamEncryption` was accepted.
    Started,
    /// `--dry-run`: it would be started.
    WouldStart,
    /// Kinesis-sourced; the source is already encrypted as wanted.
    SourceAlreadyEncrypted,
    /// Kinesis-sourced; the source's `StartStreamEncryption` was accepted.
    SourceStarted,
    /// `--dry-run`: the source would be started.
    WouldStartSource,
    /// Kinesis-sourced, the source is not encrypted, and
    /// `--encrypt-kinesis-sources` was not given.
    NeedsSourceEncryption,
    /// This tool cannot encrypt it (see `Reason`).
    Refused,
    /// Its encryption at rest is not this tool's to judge: its source type
    /// is one whose encryption it cannot see (see `Reason`). Neither
    /// encrypted nor a failure.
    NotApplicable,
    /// A call failed (see `Error`).
    Failed,
    /// The description is one the rules do not cover: nothing was sent
    /// (see `Reason`).
    UnknownState,
    /// `--apply-plan`: its encryption is no longer the plan's
    /// `EncryptionBefore`, so it was not touched (see `Reason`).
    ChangedSincePlan,
    /// Ctrl-C came first: nothing was sent for it.
    Interrupted,
}

impl Action {
    /// The name in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AlreadyEncrypted => "AlreadyEncrypted",
            Action::Started => "Started",
            Action::WouldStart => "WouldStart",
            Action::SourceAlreadyEncrypted => "SourceAlreadyEncrypted",
            Action::SourceStarted => "SourceStarted",
            Action::WouldStartSource => "WouldStartSource",
            Action::NeedsSourceEncryption => "NeedsSourceEncryption",
            Action::Refused => "Refused",
            Action::NotApplicable => "NotApplicable",
            Action::Failed => "Failed",
            Action::UnknownState => "UnknownState",
            Action::ChangedSincePlan => "ChangedSincePlan",
            Action::Interrupted => "Interrupted",
        }
    }

    /// A change that `--dry-run` found to make.
    pub fn would_change(self) -> bool {
        matches!(self, Action::WouldStart | Action::WouldStartSource)
    }
}

/// A stream's source (a Firehose stream's Kinesis data stream).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The source's ARN.
    pub arn: String,
    /// Its summary before the run (`StreamStatus`, `EncryptionType`, `KeyId`).
    pub before: Option<Value>,
    /// After the run: what was asked for, or with `--wait` the final summary.
    pub after: Option<Value>,
}

/// One stream's line of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The account the stream belongs to, when known (from the target, or
    /// the stream's ARN).
    pub account_id: Option<String>,
    /// The region the stream is in.
    pub region: Option<String>,
    /// The stream's name.
    pub name: String,
    /// Its ARN, once described.
    pub arn: Option<String>,
    /// Its type (`DeliveryStreamType`), once described.
    pub stream_type: Option<String>,
    /// What was done.
    pub action: Action,
    /// Whether the stream ends encrypted at rest: its own encryption on or
    /// accepted, or its source's.
    pub encrypted: bool,
    /// Its encryption before the run, as described.
    pub before: Option<Map<String, Value>>,
    /// The same after it: what was asked for, or with `--wait` the final
    /// state.
    pub after: Option<Map<String, Value>>,
    /// Its source, where it has one.
    pub source: Option<Source>,
    /// Why it was refused or left alone.
    pub reason: Option<String>,
    /// The failure, where a call failed.
    pub error: Option<CliError>,
    /// The calls made for it (its source's included, when it made them).
    pub calls: Calls,
}

impl Entry {
    /// An entry for a stream nothing was done for yet.
    pub fn untouched(name: &str) -> Self {
        Entry {
            account_id: None,
            region: None,
            name: name.to_owned(),
            arn: None,
            stream_type: None,
            action: Action::Interrupted,
            encrypted: false,
            before: None,
            after: None,
            source: None,
            reason: None,
            error: None,
            calls: Calls::default(),
        }
    }

    /// Mark it failed with `error`.
    pub fn fail(&mut self, error: CliError) {
        self.action = Action::Failed;
        self.encrypted = false;
        self.error = Some(error);
    }

    /// The entry as a member of the document, with the service's names,
    /// keys in a fixed order; absent parts are left out.
    pub fn to_json(&self, labels: &Labels) -> Value {
        let mut e = Map::new();
        let text = |t: &Option<String>| t.as_deref().map_or(Value::Null, Value::from);
        e.insert("AccountId".into(), text(&self.account_id));
        e.insert("Region".into(), text(&self.region));
        e.insert(labels.name.into(), Value::from(self.name.as_str()));
        if let Some(arn) = &self.arn {
            e.insert(labels.arn.into(), Value::from(arn.as_str()));
        }
        if let (Some(key), Some(t)) = (labels.kind, &self.stream_type) {
            e.insert(key.into(), Value::from(t.as_str()));
        }
        e.insert("Action".into(), Value::from(self.action.as_str()));
        e.insert("EncryptedAtRest".into(), Value::from(self.encrypted));
        let object = |m: &Option<Map<String, Value>>| m.clone().map_or(Value::Null, Value::Object);
        if self.before.is_some() || self.action != Action::Interrupted {
            e.insert("EncryptionBefore".into(), object(&self.before));
            e.insert("EncryptionAfter".into(), object(&self.after));
        }
        if let (Some(key), Some(s)) = (labels.source, &self.source) {
            e.insert(
                key.into(),
                json!({
                    "StreamARN": s.arn,
                    "EncryptionBefore": encryption_of(s.before.as_ref()),
                    "EncryptionAfter": encryption_of(s.after.as_ref()),
                }),
            );
        }
        if let Some(r) = &self.reason {
            e.insert("Reason".into(), Value::from(r.as_str()));
        }
        if let Some(err) = &self.error {
            let mut o = Map::new();
            o.insert("Code".into(), Value::from(err.code()));
            o.insert("Message".into(), Value::from(err.message()));
            if let Some(h) = err.hint() {
                o.insert("Hint".into(), Value::from(h));
            }
            e.insert("Error".into(), Value::Object(o));
        }
        e.insert(
            "Calls".into(),
            json!({"Made": self.calls.made, "Throttled": self.calls.throttled}),
        );
        Value::Object(e)
    }
}

/// The encryption part of a source's summary: `StreamStatus`,
/// `EncryptionType`, `KeyId` (those given).
fn encryption_of(summary: Option<&Value>) -> Value {
    let Some(summary) = summary else {
        return Value::Null;
    };
    let part: Map<String, Value> = ["StreamStatus", "EncryptionType", "KeyId"]
        .iter()
        .filter_map(|k| summary.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect();
    Value::Object(part)
}

/// `{"<document>": [...], "Targets": [...]}`, entries in account, region
/// and name order.
pub fn document(entries: &[Entry], targets: &[Outcome], labels: &Labels) -> Value {
    let entries: Vec<Value> = entries.iter().map(|e| e.to_json(labels)).collect();
    let mut doc = Map::new();
    doc.insert(labels.document.into(), Value::Array(entries));
    doc.insert(
        "Targets".into(),
        Value::Array(targets.iter().map(Outcome::to_json).collect()),
    );
    Value::Object(doc)
}

/// The same document as [`document`], built one entry at a time as it is
/// serialised, each entry dropped once written: a fleet of many thousand
/// streams is never held twice (entries and document). It can be
/// serialised once; a second time it has no entries left.
pub struct Streamed<'a> {
    entries: RefCell<std::vec::IntoIter<Entry>>,
    targets: &'a [Outcome],
    labels: &'a Labels,
}

impl<'a> Streamed<'a> {
    /// The document of `entries` (taken) and `targets`.
    pub fn new(entries: Vec<Entry>, targets: &'a [Outcome], labels: &'a Labels) -> Self {
        Streamed {
            entries: RefCell::new(entries.into_iter()),
            targets,
            labels,
        }
    }
}

/// The entries' array of a [`Streamed`] document.
struct StreamedEntries<'s, 'a>(&'s Streamed<'a>);

impl Serialize for StreamedEntries<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries = self.0.entries.borrow_mut();
        let mut seq = serializer.serialize_seq(Some(entries.len()))?;
        for entry in entries.by_ref() {
            seq.serialize_element(&entry.to_json(self.0.labels))?;
        }
        seq.end()
    }
}

/// The targets' array of a [`Streamed`] document.
struct StreamedTargets<'a>(&'a [Outcome]);

impl Serialize for StreamedTargets<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Outcome::to_json))
    }
}

impl Serialize for Streamed<'_> {
    /// As [`document`]'s `Value` serialises: the same members in the same
    /// order, each entry as [`Entry::to_json`] makes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(self.labels.document, &StreamedEntries(self))?;
        map.serialize_entry("Targets", &StreamedTargets(self.targets))?;
        map.end()
    }
}

/// Contract §9, §12: success when every target was reached (or skipped as
/// not enabled), every stream ends encrypted at rest and, with `--dry-run`,
/// nothing would change.
pub fn succeeded(entries: &[Entry], targets: &[Outcome], dry_run: bool) -> bool {
    targets
        .iter()
        .all(|t| matches!(t.status, Status::Done | Status::Skipped))
        && entries.iter().all(|e| {
            (e.encrypted || e.action == Action::NotApplicable)
                && !(dry_run && e.action.would_change())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: Labels = Labels {
        report: &crate::reports::FIREHOSE,
        title: "StartDeliveryStreamEncryption",
        document: "DeliveryStreams",
        name: "DeliveryStreamName",
        arn: "DeliveryStreamARN",
        kind: Some("DeliveryStreamType"),
        source: Some("KinesisSource"),
        source_flag: "--encrypt-kinesis-sources",
        source_noun: "Kinesis source",
        key_members: &["KeyType", "Status"],
    };

    fn entry(action: Action, encrypted: bool) -> Entry {
        Entry {
            action,
            encrypted,
            ..Entry::untouched("s")
        }
    }

    #[test]
    fn success_needs_every_stream_encrypted_and_for_a_dry_run_no_change() {
        let done = [
            entry(Action::AlreadyEncrypted, true),
            entry(Action::Started, true),
        ];
        assert!(succeeded(&done, &[], false));
        let left = [entry(Action::NeedsSourceEncryption, false)];
        assert!(!succeeded(&left, &[], false));
        let would = [entry(Action::WouldStart, true)];
        assert!(succeeded(&would, &[], false));
        assert!(!succeeded(&would, &[], true));
        assert!(succeeded(&[], &[], true));
    }

    #[test]
    fn an_entry_has_its_keys_in_order_and_its_error() {
        let mut e = entry(Action::Started, true);
        e.stream_type = Some("DirectPut".into());
        e.fail(CliError::failure("EndpointConnectionError", "no"));
        let doc = e.to_json(&LABELS);
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "AccountId",
                "Region",
                "DeliveryStreamName",
                "DeliveryStreamType",
                "Action",
                "EncryptedAtRest",
                "EncryptionBefore",
                "EncryptionAfter",
                "Error",
                "Calls"
            ]
        );
        assert_eq!(doc["Action"], "Failed");
        assert_eq!(doc["EncryptedAtRest"], false);
        assert_eq!(doc["Error"]["Code"], "EndpointConnectionError");
    }
}
