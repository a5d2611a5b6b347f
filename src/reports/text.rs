//! What the reports say to people about a stream: a sentence, its details,
//! and texts cut to a format's limits.

use serde_json::Value;

use super::Service;
use super::document::{Stream, Verdict};

impl Stream<'_> {
    /// One sentence for people: what was done and why, with the error.
    pub fn summary(&self) -> String {
        let state = match self.verdict() {
            Verdict::Pass => "encrypted at rest",
            Verdict::Fail => "not encrypted at rest",
            Verdict::NotApplicable => "not judged",
            Verdict::Unknown => "not known to be encrypted at rest",
        };
        let mut text = format!("{} is {state}: {}", self.name, self.action);
        if let Some(phrase) = phrase(self.action) {
            text.push_str(" (");
            text.push_str(phrase);
            text.push(')');
        }
        if let Some(reason) = self.reason {
            text.push_str(". ");
            text.push_str(reason);
        }
        if let Some(e) = &self.error {
            text.push_str(&format!(". {}: {}", e.code, e.message));
        }
        text
    }

    /// Its details, one `Member: value` line each, for people.
    pub fn details(&self, service: &Service) -> String {
        let mut lines = Vec::new();
        let mut line = |key: &str, value: Option<String>| {
            if let Some(v) = value {
                lines.push(format!("{key}: {v}"));
            }
        };
        let own = |v: Option<&str>| v.map(str::to_owned);
        line("AccountId", own(self.account));
        line("Region", own(self.region));
        line(service.arn, own(self.arn));
        line(service.kind.unwrap_or("Type"), own(self.kind));
        line("Action", Some(self.action.to_owned()));
        line("EncryptedAtRest", Some(self.encrypted.to_string()));
        line("EncryptionBefore", self.before.map(Value::to_string));
        line("EncryptionAfter", self.after.map(Value::to_string));
        if let (Some(key), Some(source)) = (service.source, self.source) {
            line(key, Some(Value::Object(source.clone()).to_string()));
        }
        line("Reason", own(self.reason));
        if let Some(e) = &self.error {
            line("Error", Some(format!("{}: {}", e.code, e.message)));
            line("Hint", own(e.hint));
        }
        lines.join("\n")
    }
}

/// How people read an action; `None` for an action this module does not know
/// (reports name it as it is).
pub(super) fn phrase(action: &str) -> Option<&'static str> {
    Some(match action {
        "AlreadyEncrypted" => "already encrypted as wanted; nothing was sent",
        "Started" => "its encryption was started",
        "WouldStart" => "dry run: its encryption would be started",
        "SourceAlreadyEncrypted" => "protected by its encrypted source stream",
        "SourceStarted" => "its source stream's encryption was started",
        "WouldStartSource" => "dry run: its source stream's encryption would be started",
        "NeedsSourceEncryption" => "its source stream is not encrypted",
        "Refused" => "this tool cannot encrypt it",
        "NotApplicable" => "its source type's encryption is not this tool's to judge",
        "UnknownState" => "its description is one the rules do not cover; nothing was sent",
        "ChangedSincePlan" => "it changed since the plan; not touched",
        "Failed" => "a call failed",
        "Interrupted" => "the run was interrupted before it was done",
        _ => return None,
    })
}

/// The first `max` characters of `text`, ending in `…` when cut.
pub(super) fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => format!("{}…", &text[..end]),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_on_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééééé", 4), "ééé…");
        assert_eq!(clip("", 1), "");
    }

    #[test]
    fn every_known_action_has_a_phrase() {
        for action in [
            "AlreadyEncrypted",
            "Started",
            "WouldStart",
            "SourceAlreadyEncrypted",
            "SourceStarted",
            "WouldStartSource",
            "NeedsSourceEncryption",
            "Refused",
            "NotApplicable",
            "UnknownState",
            "ChangedSincePlan",
            "Failed",
            "Interrupted",
        ] {
            assert!(phrase(action).is_some(), "{action}");
        }
        assert_eq!(phrase("SomethingNew"), None);
    }
}
