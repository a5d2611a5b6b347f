//! Targets (contract §12): a fleet run covers one or more accounts, each in
//! one or more regions; one account in one region is a target. A target is
//! a value, made once from the flags and handed down: who the account is,
//! how it is reached (never a secret), which region, and the SDK
//! configuration its clients are built from. Its outcome goes into the
//! document's `Targets`.

use serde_json::{Map, Value};

use crate::error::CliError;
use crate::sdk::Sdk;

/// One account in one region.
#[derive(Debug, Clone)]
pub struct Target {
    /// The account's ID, when known before its streams are described (an
    /// account of `--profiles`, `--accounts-file` or `--organization`).
    pub account_id: Option<String>,
    /// The account's name, when it has one.
    pub account_name: Option<String>,
    /// How the account is reached, for people and plans: `caller`,
    /// `profile NAME`, `role ARN`.
    pub reached_by: String,
    /// The region.
    pub region: String,
    /// The SDK configuration for this account and region.
    pub sdk: Sdk,
}

impl Target {
    /// The key its calls are paced by: the limits belong to the account
    /// and region.
    pub fn pace_key(&self) -> String {
        format!(
            "{}/{}",
            self.account_id.as_deref().unwrap_or("caller"),
            self.region
        )
    }

    /// `prod / eu-west-1`: the account's name (else its ID, else the
    /// caller) and the region, for people.
    pub fn label(&self) -> String {
        let who = self
            .account_name
            .as_deref()
            .or(self.account_id.as_deref())
            .unwrap_or("this account");
        format!("{who} / {}", self.region)
    }
}

/// How a target's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Listed (or named) and every stream dealt with.
    Done,
    /// It could not be reached or listed: see its error.
    Failed,
    /// Not run: the region is not enabled for the account.
    Skipped,
    /// Ctrl-C came before it finished.
    Interrupted,
}

impl Status {
    /// The name in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "Done",
            Status::Failed => "Failed",
            Status::Skipped => "Skipped",
            Status::Interrupted => "Interrupted",
        }
    }
}

/// A target's line of the document's `Targets`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The account's ID, when known.
    pub account_id: Option<String>,
    /// The account's name, when it has one.
    pub account_name: Option<String>,
    /// How it was reached.
    pub reached_by: String,
    /// The region.
    pub region: String,
    /// How its run ended.
    pub status: Status,
    /// Why it failed or was skipped.
    pub error: Option<CliError>,
}

impl Outcome {
    /// The outcome of `target` with `status`.
    pub fn of(target: &Target, status: Status) -> Self {
        Self {
            account_id: target.account_id.clone(),
            account_name: target.account_name.clone(),
            reached_by: target.reached_by.clone(),
            region: target.region.clone(),
            status,
            error: None,
        }
    }

    /// `{"AccountId", "AccountName", "Region", "ReachedBy", "Status",
    /// "Error"}`; absent parts are null.
    pub fn to_json(&self) -> Value {
        let text = |t: &Option<String>| t.as_deref().map_or(Value::Null, Value::from);
        let mut o = Map::new();
        o.insert("AccountId".into(), text(&self.account_id));
        o.insert("AccountName".into(), text(&self.account_name));
        o.insert("Region".into(), Value::from(self.region.as_str()));
        o.insert("ReachedBy".into(), Value::from(self.reached_by.as_str()));
        o.insert("Status".into(), Value::from(self.status.as_str()));
        o.insert(
            "Error".into(),
            self.error.as_ref().map_or(Value::Null, |e| {
                let mut err = Map::new();
                err.insert("Code".into(), Value::from(e.code()));
                err.insert("Message".into(), Value::from(e.message()));
                Value::Object(err)
            }),
        );
        Value::Object(o)
    }
}

/// The account ID of an ARN (`arn:aws:firehose:us-east-1:123456789012:…`).
pub fn account_of_arn(arn: &str) -> Option<&str> {
    arn.split(':')
        .nth(4)
        .filter(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arn_names_its_account() {
        assert_eq!(
            account_of_arn("arn:aws:firehose:us-east-1:123456789012:deliverystream/s"),
            Some("123456789012")
        );
        assert_eq!(account_of_arn("arn:aws:kinesis:us-east-1::stream/s"), None);
        assert_eq!(account_of_arn("not an arn"), None);
    }

    #[test]
    fn an_outcome_has_every_member_in_order() {
        let outcome = Outcome {
            account_id: Some("111111111111".into()),
            account_name: None,
            reached_by: "caller".into(),
            region: "eu-west-1".into(),
            status: Status::Failed,
            error: Some(CliError::failure("X", "no")),
        };
        let doc = outcome.to_json();
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
                "AccountName",
                "Region",
                "ReachedBy",
                "Status",
                "Error"
            ]
        );
        assert_eq!(doc["Error"]["Code"], "X");
        assert_eq!(doc["AccountName"], Value::Null);
    }
}
