//! The result of a fleet run: an entry per stream, the document printed on
//! stdout (`{"DeliveryStreams": [...]}`), the exit status, and the summary
//! table for people.

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Map, Value, json};

use crate::error::CliError;

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
    /// A call failed (see `Error`).
    Failed,
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
            Action::Failed => "Failed",
            Action::Interrupted => "Interrupted",
        }
    }

    /// A change that `--dry-run` found to make.
    pub fn would_change(self) -> bool {
        matches!(self, Action::WouldStart | Action::WouldStartSource)
    }
}

/// A stream's Kinesis source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// `KinesisStreamARN`.
    pub arn: String,
    /// Its summary before the run (`StreamStatus`, `EncryptionType`, `KeyId`).
    pub before: Option<Value>,
    /// After the run: what was asked for, or with `--wait` the final summary.
    pub after: Option<Value>,
}

/// One stream's line of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `DeliveryStreamName`.
    pub name: String,
    /// `DeliveryStreamType`, once described.
    pub stream_type: Option<String>,
    /// What was done.
    pub action: Action,
    /// Whether the stream ends encrypted at rest: its own encryption
    /// `ENABLED` or accepted (`ENABLING` with the key asked for), or its
    /// Kinesis source's `KMS`.
    pub encrypted: bool,
    /// `DeliveryStreamEncryptionConfiguration` before the run.
    pub before: Option<Map<String, Value>>,
    /// The same after it: what was asked for (`ENABLING`), or with `--wait`
    /// the final state.
    pub after: Option<Map<String, Value>>,
    /// Its Kinesis source, where it has one.
    pub source: Option<Source>,
    /// Why it was refused or left alone.
    pub reason: Option<String>,
    /// The failure, where a call failed.
    pub error: Option<CliError>,
}

impl Entry {
    /// An entry for a stream nothing was done for yet.
    pub fn untouched(name: &str) -> Self {
        Entry {
            name: name.to_owned(),
            stream_type: None,
            action: Action::Interrupted,
            encrypted: false,
            before: None,
            after: None,
            source: None,
            reason: None,
            error: None,
        }
    }

    /// Mark it failed with `error`.
    pub fn fail(&mut self, error: CliError) {
        self.action = Action::Failed;
        self.encrypted = false;
        self.error = Some(error);
    }

    /// The entry as a member of the document, keys in a fixed order; absent
    /// parts are left out.
    pub fn to_json(&self) -> Value {
        let mut e = Map::new();
        e.insert("DeliveryStreamName".into(), Value::from(self.name.as_str()));
        if let Some(t) = &self.stream_type {
            e.insert("DeliveryStreamType".into(), Value::from(t.as_str()));
        }
        e.insert("Action".into(), Value::from(self.action.as_str()));
        e.insert("EncryptedAtRest".into(), Value::from(self.encrypted));
        let object = |m: &Option<Map<String, Value>>| m.clone().map_or(Value::Null, Value::Object);
        if self.before.is_some() || self.action != Action::Interrupted {
            e.insert("EncryptionBefore".into(), object(&self.before));
            e.insert("EncryptionAfter".into(), object(&self.after));
        }
        if let Some(s) = &self.source {
            e.insert(
                "KinesisSource".into(),
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

/// `{"DeliveryStreams": [...]}`, entries in name order.
pub fn document(entries: &[Entry]) -> Value {
    json!({ "DeliveryStreams": entries.iter().map(Entry::to_json).collect::<Vec<_>>() })
}

/// Contract §9: success when every stream ends encrypted at rest and, with
/// `--dry-run`, nothing would change.
pub fn succeeded(entries: &[Entry], dry_run: bool) -> bool {
    entries
        .iter()
        .all(|e| e.encrypted && !(dry_run && e.action.would_change()))
}

/// The summary table for people: stream, before, action, after or error.
pub fn summary_table(entries: &[Entry]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["Stream", "Before", "Action", "After or error"]);
    for e in entries {
        let after = match (&e.error, &e.reason) {
            (Some(err), _) => shortened(&format!("{}: {}", err.code(), err.message())),
            (None, Some(_)) if e.action == Action::NeedsSourceEncryption => {
                "source not encrypted: add --encrypt-kinesis-sources".to_owned()
            }
            (None, Some(reason)) => shortened(reason),
            (None, None) => e
                .source
                .as_ref()
                .map_or_else(|| key(e.after.as_ref()), |s| source_key(s.after.as_ref())),
        };
        let before = e
            .source
            .as_ref()
            .map_or_else(|| key(e.before.as_ref()), |s| source_key(s.before.as_ref()));
        table.add_row([e.name.as_str(), &before, e.action.as_str(), &after]);
    }
    format!("{table}\n")
}

/// At most [`CELL`] characters of `text`, the rest said by `…` (the
/// document has it whole).
fn shortened(text: &str) -> String {
    match text.char_indices().nth(CELL) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The widest text of a table cell.
const CELL: usize = 72;

/// `KeyType Status` of an encryption configuration, or `none`.
fn key(enc: Option<&Map<String, Value>>) -> String {
    let text = |k: &str| enc.and_then(|e| e.get(k)).and_then(Value::as_str);
    match (text("KeyType"), text("Status")) {
        (Some(t), Some(s)) => format!("{t} {s}"),
        (None, Some(s)) => s.to_owned(),
        (Some(t), None) => t.to_owned(),
        (None, None) => "none".to_owned(),
    }
}

/// `source: KMS <KeyId>` of a source summary, or `source: NONE`.
fn source_key(summary: Option<&Value>) -> String {
    let text = |k: &str| summary.and_then(|s| s.get(k)).and_then(Value::as_str);
    match (text("EncryptionType"), text("KeyId")) {
        (Some(t), Some(k)) => format!("source: {t} {k}"),
        (Some(t), None) => format!("source: {t}"),
        _ => "source: unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(succeeded(&done, false));
        let left = [entry(Action::NeedsSourceEncryption, false)];
        assert!(!succeeded(&left, false));
        let would = [entry(Action::WouldStart, true)];
        assert!(succeeded(&would, false));
        assert!(!succeeded(&would, true));
        assert!(succeeded(&[], true));
    }

    #[test]
    fn an_entry_has_its_keys_in_order_and_its_error() {
        let mut e = entry(Action::Started, true);
        e.stream_type = Some("DirectPut".into());
        e.fail(CliError::failure("EndpointConnectionError", "no"));
        let doc = e.to_json();
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "DeliveryStreamName",
                "DeliveryStreamType",
                "Action",
                "EncryptedAtRest",
                "EncryptionBefore",
                "EncryptionAfter",
                "Error"
            ]
        );
        assert_eq!(doc["Action"], "Failed");
        assert_eq!(doc["EncryptedAtRest"], false);
        assert_eq!(doc["Error"]["Code"], "EndpointConnectionError");
    }

    #[test]
    fn the_table_has_a_row_per_stream() {
        let mut a = entry(Action::AlreadyEncrypted, true);
        a.name = "alpha".into();
        let mut before = Map::new();
        before.insert("KeyType".into(), "AWS_OWNED_CMK".into());
        before.insert("Status".into(), "ENABLED".into());
        a.before = Some(before.clone());
        a.after = Some(before);
        let table = summary_table(&[a, entry(Action::Interrupted, false)]);
        assert!(table.contains("alpha"), "{table}");
        assert!(table.contains("AWS_OWNED_CMK ENABLED"), "{table}");
        assert!(table.contains("Interrupted"), "{table}");
        assert_eq!(table.lines().count(), 6, "{table}");
    }
}
