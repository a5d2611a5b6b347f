//! What a person sees at the end of a fleet run (contract §9): a table of
//! the streams that need attention (those already as wanted fold into one
//! count) and one line of counts per action, e.g. `31 streams: 28 started,
//! 2 already encrypted, 1 needs its Kinesis source encrypted
//! (--encrypt-kinesis-sources)`. Text for stderr; the document is
//! [`super::report`]'s.

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Map, Value};

use super::report::{Action, Entry, Labels};
use super::targets::{Outcome, Status};

/// The widest text of a table cell.
const CELL: usize = 72;

/// Every action, in the order the counts line names them.
const ORDER: [Action; 13] = [
    Action::Started,
    Action::SourceStarted,
    Action::WouldStart,
    Action::WouldStartSource,
    Action::AlreadyEncrypted,
    Action::SourceAlreadyEncrypted,
    Action::NeedsSourceEncryption,
    Action::Refused,
    Action::NotApplicable,
    Action::UnknownState,
    Action::ChangedSincePlan,
    Action::Failed,
    Action::Interrupted,
];

/// Whether an entry is already as wanted and folds into a count.
fn as_wanted(e: &Entry) -> bool {
    matches!(
        e.action,
        Action::AlreadyEncrypted | Action::SourceAlreadyEncrypted
    )
}

/// The table of the streams that need attention (none: empty), grouped by
/// account and region when there are several, then a line per target that
/// was not done, then the counts line (and the targets' counts).
pub fn summary(entries: &[Entry], targets: &[Outcome], labels: &Labels) -> String {
    let attention: Vec<&Entry> = entries.iter().filter(|e| !as_wanted(e)).collect();
    let grouped = targets.len() > 1;
    let mut text = String::new();
    if !attention.is_empty() {
        text.push_str(&table(&attention, labels, grouped));
        text.push('\n');
    }
    for t in targets.iter().filter(|t| t.status != Status::Done) {
        let who = t.account_name.as_deref().or(t.account_id.as_deref());
        let place = format!("{} / {}", who.unwrap_or("this account"), t.region);
        match &t.error {
            Some(e) => text.push_str(&format!(
                "{place}: {}: {}: {}\n",
                t.status.as_str(),
                e.code(),
                shortened(e.message())
            )),
            None => text.push_str(&format!("{place}: {}\n", t.status.as_str())),
        }
    }
    text.push_str(&counts_line(entries, labels));
    text.push('\n');
    if grouped {
        text.push_str(&targets_line(targets));
        text.push('\n');
    }
    text
}

/// `6 targets: 5 done, 1 failed`.
fn targets_line(targets: &[Outcome]) -> String {
    let parts: Vec<String> = [
        Status::Done,
        Status::Failed,
        Status::Skipped,
        Status::Interrupted,
    ]
    .iter()
    .filter_map(|status| {
        let n = targets.iter().filter(|t| t.status == *status).count();
        (n > 0).then(|| format!("{n} {}", status.as_str().to_lowercase()))
    })
    .collect();
    format!("{} targets: {}", targets.len(), parts.join(", "))
}

/// `N streams: a started, b already encrypted, …` (actions with no stream
/// left out).
pub fn counts_line(entries: &[Entry], labels: &Labels) -> String {
    let total = entries.len();
    let mut parts = Vec::new();
    for action in ORDER {
        let n = entries.iter().filter(|e| e.action == action).count();
        if n > 0 {
            parts.push(format!("{n} {}", phrase(action, n, labels)));
        }
    }
    let noun = if total == 1 { "stream" } else { "streams" };
    if parts.is_empty() {
        format!("{total} {noun}")
    } else {
        format!("{total} {noun}: {}", parts.join(", "))
    }
}

/// What `n` streams with `action` did, in words.
fn phrase(action: Action, n: usize, labels: &Labels) -> String {
    let (its, needs, has) = if n == 1 {
        ("its", "needs", "had")
    } else {
        ("their", "need", "had")
    };
    let source = labels.source_noun;
    match action {
        Action::Started => "started".to_owned(),
        Action::SourceStarted => format!("{has} {its} {source} started"),
        Action::WouldStart => "would be started".to_owned(),
        Action::WouldStartSource => format!("would have {its} {source} started"),
        Action::AlreadyEncrypted => "already encrypted".to_owned(),
        Action::SourceAlreadyEncrypted => format!("encrypted by {its} {source}"),
        Action::NeedsSourceEncryption => {
            format!("{needs} {its} {source} encrypted ({})", labels.source_flag)
        }
        Action::Refused => "refused".to_owned(),
        Action::NotApplicable => "not applicable".to_owned(),
        Action::UnknownState => "in a state the rules do not cover".to_owned(),
        Action::ChangedSincePlan => "changed since the plan (not touched)".to_owned(),
        Action::Failed => "failed".to_owned(),
        Action::Interrupted => "interrupted".to_owned(),
    }
}

/// Stream, before, action, after or error: a row per entry, after its
/// account and region when `grouped`.
fn table(entries: &[&Entry], labels: &Labels, grouped: bool) -> String {
    let mut table = Table::new();
    let mut header = vec!["Stream", "Before", "Action", "After or error"];
    if grouped {
        header.insert(0, "Account / Region");
    }
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for e in entries {
        let after = match (&e.error, &e.reason) {
            (Some(err), _) => shortened(&format!("{}: {}", err.code(), err.message())),
            (None, Some(_)) if e.action == Action::NeedsSourceEncryption => {
                format!("source not encrypted: add {}", labels.source_flag)
            }
            (None, Some(reason)) => shortened(reason),
            (None, None) => e.source.as_ref().map_or_else(
                || key(e.after.as_ref(), labels.key_members),
                |s| source_key(s.after.as_ref()),
            ),
        };
        let before = e.source.as_ref().map_or_else(
            || key(e.before.as_ref(), labels.key_members),
            |s| source_key(s.before.as_ref()),
        );
        let mut row = vec![e.name.clone(), before, e.action.as_str().to_owned(), after];
        if grouped {
            let account = e.account_id.as_deref().unwrap_or("-");
            let region = e.region.as_deref().unwrap_or("-");
            row.insert(0, format!("{account} / {region}"));
        }
        table.add_row(row);
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

/// The `members` of an encryption description, space-separated, or `none`.
fn key(enc: Option<&Map<String, Value>>, members: &[&str]) -> String {
    let shown: Vec<&str> = members
        .iter()
        .filter_map(|k| enc.and_then(|e| e.get(*k)).and_then(Value::as_str))
        .collect();
    if shown.is_empty() {
        "none".to_owned()
    } else {
        shown.join(" ")
    }
}

/// `source: KMS <KeyId>` of a source summary, or `source: unknown`.
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

    fn entry(name: &str, action: Action) -> Entry {
        Entry {
            action,
            ..Entry::untouched(name)
        }
    }

    #[test]
    fn the_counts_line_names_each_action_once_in_order() {
        let mut entries: Vec<Entry> = (0..28)
            .map(|i| entry(&format!("s{i}"), Action::Started))
            .collect();
        entries.push(entry("a", Action::AlreadyEncrypted));
        entries.push(entry("b", Action::AlreadyEncrypted));
        entries.push(entry("k", Action::NeedsSourceEncryption));
        assert_eq!(
            counts_line(&entries, &LABELS),
            "31 streams: 28 started, 2 already encrypted, 1 needs its Kinesis source \
             encrypted (--encrypt-kinesis-sources)"
        );
        assert_eq!(counts_line(&[], &LABELS), "0 streams");
    }

    #[test]
    fn streams_already_as_wanted_fold_into_the_count() {
        let mut kept = entry("kept", Action::AlreadyEncrypted);
        let mut enc = Map::new();
        enc.insert("KeyType".into(), "AWS_OWNED_CMK".into());
        enc.insert("Status".into(), "ENABLED".into());
        kept.before = Some(enc.clone());
        let mut started = entry("new", Action::Started);
        started.after = Some(enc);
        let text = summary(&[kept, started], &[], &LABELS);
        assert!(!text.contains("kept"), "{text}");
        assert!(text.contains("new"), "{text}");
        assert!(text.contains("AWS_OWNED_CMK ENABLED"), "{text}");
        assert!(
            text.ends_with("2 streams: 1 started, 1 already encrypted\n"),
            "{text}"
        );
    }

    #[test]
    fn nothing_to_attend_to_is_only_the_counts_line() {
        let text = summary(&[entry("a", Action::AlreadyEncrypted)], &[], &LABELS);
        assert_eq!(text, "1 stream: 1 already encrypted\n");
    }
}
