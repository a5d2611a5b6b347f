//! `--apply-plan PATH` (contract §13): the document a `--dry-run` printed,
//! read back and checked before anything is sent. The run then acts on
//! exactly its `WouldStart`/`WouldStartSource` entries, with the key in
//! their `EncryptionAfter`, in the accounts and regions its `Targets`
//! record; each stream is described again first, and one whose encryption
//! is no longer the plan's `EncryptionBefore` is reported
//! `ChangedSincePlan` and not touched.
//!
//! Anything that is not such a plan is refused (exit 252): not JSON, the
//! other command's document, an unknown action, a missing or mistyped
//! field, a stream name the model refuses.

use std::path::Path;

use serde_json::{Map, Value};

use super::report::{Action, Labels};
use crate::bounds::{self, MAX_PLAN_BYTES};
use crate::error::CliError;

/// A stream the plan says to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The account, as the plan names it.
    pub account_id: Option<String>,
    /// The region.
    pub region: String,
    /// The stream's name.
    pub name: String,
    /// `WouldStart` or `WouldStartSource`.
    pub action: Action,
    /// The stream's encryption when the plan was made.
    pub before: Option<Map<String, Value>>,
    /// The encryption the plan asks for (`WouldStart`).
    pub after: Option<Map<String, Value>>,
    /// The source's ARN, its encryption then, and the KeyId asked for
    /// (`WouldStartSource`).
    pub source: Option<PlannedSource>,
}

/// A source the plan says to start.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSource {
    /// Its ARN.
    pub arn: String,
    /// Its encryption when the plan was made (`EncryptionType`, `KeyId`).
    pub before: Map<String, Value>,
    /// The KeyId asked for.
    pub key_id: String,
}

/// One of the plan's targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTarget {
    /// The account's ID, if the plan knew it.
    pub account_id: Option<String>,
    /// The account's name, if any.
    pub account_name: Option<String>,
    /// The region.
    pub region: String,
    /// How the account was reached: `caller`, `profile NAME`, `role ARN`.
    pub reached_by: String,
}

/// A plan, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The streams to start, in the plan's order.
    pub streams: Vec<Planned>,
    /// The targets that have a stream to start, each once.
    pub targets: Vec<PlannedTarget>,
}

/// Read and check the plan at `path` for the command whose document
/// `labels` describe; `check_name` is the model's rule for a stream name.
pub fn read(
    path: &str,
    labels: &Labels,
    check_name: impl Fn(&str) -> Result<(), CliError>,
) -> Result<Plan, CliError> {
    let refuse = |why: String| CliError::ParamValidation(format!("--apply-plan {path}: {why}"));
    let bytes = bounds::read_file(Path::new(path), MAX_PLAN_BYTES)
        .map_err(|e| refuse(format!("Unable to read it: {e}")))?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
        refuse(format!(
            "it is not a JSON document ({e}); a plan is what --dry-run --output json prints"
        ))
    })?;
    parse(&doc, labels, &check_name).map_err(refuse)
}

/// Check a plan document; the reason it is not one.
pub fn parse(
    doc: &Value,
    labels: &Labels,
    check_name: &dyn Fn(&str) -> Result<(), CliError>,
) -> Result<Plan, String> {
    let Some(top) = doc.as_object() else {
        return Err("a plan is a JSON object, as --dry-run --output json prints it".into());
    };
    let Some(entries) = top.get(labels.document) else {
        let found: Vec<&str> = top.keys().map(String::as_str).collect();
        return Err(format!(
            "it has no {} list: it is not a plan of this command (its members: {})",
            labels.document,
            found.join(", ")
        ));
    };
    let entries = entries
        .as_array()
        .ok_or_else(|| format!("{} is not a list", labels.document))?;
    let targets = top
        .get("Targets")
        .and_then(Value::as_array)
        .ok_or("it has no Targets list: it is not a plan printed by this version")?;
    let targets = targets
        .iter()
        .enumerate()
        .map(|(i, t)| target(t).map_err(|why| format!("Targets[{i}]: {why}")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut streams = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let at = |why: String| format!("{}[{i}]: {why}", labels.document);
        if let Some(planned) = entry(e, labels, check_name).map_err(at)? {
            streams.push(planned);
        }
    }
    let mut used: Vec<PlannedTarget> = Vec::new();
    for s in &streams {
        let Some(t) = targets
            .iter()
            .find(|t| t.region == s.region && t.account_id == s.account_id)
        else {
            return Err(format!(
                "{} in {} / {} has no target in Targets",
                s.name,
                s.account_id.as_deref().unwrap_or("-"),
                s.region
            ));
        };
        if !used.contains(t) {
            used.push(t.clone());
        }
    }
    Ok(Plan {
        streams,
        targets: used,
    })
}

fn text(o: &Map<String, Value>, key: &str) -> Result<String, String> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{key} is not a string")),
        None => Err(format!("{key} is missing")),
    }
}

fn text_or_null(o: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Null) => Ok(None),
        Some(_) => Err(format!("{key} is not a string or null")),
        None => Err(format!("{key} is missing")),
    }
}

fn object_or_null(o: &Map<String, Value>, key: &str) -> Result<Option<Map<String, Value>>, String> {
    match o.get(key) {
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(Value::Null) => Ok(None),
        Some(_) => Err(format!("{key} is not an object or null")),
        None => Err(format!("{key} is missing")),
    }
}

fn target(t: &Value) -> Result<PlannedTarget, String> {
    let t = t.as_object().ok_or("not an object")?;
    Ok(PlannedTarget {
        account_id: text_or_null(t, "AccountId")?,
        account_name: text_or_null(t, "AccountName")?,
        region: text(t, "Region")?,
        reached_by: text(t, "ReachedBy")?,
    })
}

/// Every action a document may hold: a plan of this version names one.
const KNOWN: [Action; 13] = [
    Action::AlreadyEncrypted,
    Action::Started,
    Action::WouldStart,
    Action::SourceAlreadyEncrypted,
    Action::SourceStarted,
    Action::WouldStartSource,
    Action::NeedsSourceEncryption,
    Action::Refused,
    Action::NotApplicable,
    Action::Failed,
    Action::UnknownState,
    Action::ChangedSincePlan,
    Action::Interrupted,
];

/// One entry: the stream to start, or `None` for any other action.
fn entry(
    e: &Value,
    labels: &Labels,
    check_name: &dyn Fn(&str) -> Result<(), CliError>,
) -> Result<Option<Planned>, String> {
    let e = e.as_object().ok_or("not an object")?;
    let name = text(e, labels.name)?;
    let action_name = text(e, "Action")?;
    let action = KNOWN
        .iter()
        .copied()
        .find(|a| a.as_str() == action_name)
        .ok_or_else(|| format!("{name}: unknown Action {action_name:?}"))?;
    if !action.would_change() {
        return Ok(None);
    }
    check_name(&name).map_err(|err| format!("{name}: {}", err.message().trim()))?;
    let account_id = text_or_null(e, "AccountId")?;
    if let Some(id) = &account_id
        && !(id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("{name}: AccountId {id:?} is not 12 digits"));
    }
    let region = text(e, "Region")?;
    let before = object_or_null(e, "EncryptionBefore")?;
    let after = object_or_null(e, "EncryptionAfter")?;
    let source = if action == Action::WouldStartSource {
        let key = labels
            .source
            .ok_or_else(|| format!("{name}: this command's streams have no source"))?;
        let s = e
            .get(key)
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{name}: {key} is missing"))?;
        let arn = text(s, "StreamARN").map_err(|w| format!("{name}: {key}.{w}"))?;
        let before = object_or_null(s, "EncryptionBefore")
            .map_err(|w| format!("{name}: {key}.{w}"))?
            .unwrap_or_default();
        let after = object_or_null(s, "EncryptionAfter")
            .map_err(|w| format!("{name}: {key}.{w}"))?
            .ok_or_else(|| format!("{name}: {key}.EncryptionAfter is null"))?;
        let key_id =
            text(&after, "KeyId").map_err(|w| format!("{name}: {key}.EncryptionAfter.{w}"))?;
        Some(PlannedSource {
            arn,
            before,
            key_id,
        })
    } else {
        if after.is_none() {
            return Err(format!("{name}: EncryptionAfter is null"));
        }
        None
    };
    Ok(Some(Planned {
        account_id,
        region,
        name,
        action,
        before,
        after,
        source,
    }))
}
