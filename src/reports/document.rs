//! The fleet document as the report writers read it: its streams (each
//! judged once, the same way for every format) and its targets.
//!
//! Streams are matched to targets by account and region; a target whose
//! account the document leaves null (a run that never asked STS) takes the
//! one account its described streams' ARNs name, so that a stream that could
//! not be described still gets an account and an ARN.

use serde_json::{Map, Value};

use super::Service;

/// The document, read.
#[derive(Debug)]
pub(super) struct Document<'a> {
    /// Every entry, in document order.
    pub streams: Vec<Stream<'a>>,
    /// The targets, in document order, then a group for streams that no
    /// target names.
    pub groups: Vec<Group<'a>>,
}

/// One target, or the streams of an account and region no target names.
#[derive(Debug)]
pub(super) struct Group<'a> {
    /// The target, when the document has one for these streams.
    pub target: Option<Target<'a>>,
    /// The account: the target's, or the one its streams name.
    pub account: Option<&'a str>,
    /// The region.
    pub region: Option<&'a str>,
}

impl Group<'_> {
    /// `<account>/<region>`; the account's name when only that is known;
    /// the region alone when neither is.
    pub fn label(&self) -> String {
        let name = self.target.as_ref().and_then(|t| t.account_name);
        let region = self.region.unwrap_or("unknown region");
        match self.account.or(name) {
            Some(account) => format!("{account}/{region}"),
            None => region.to_owned(),
        }
    }
}

/// A member of `Targets`.
#[derive(Debug)]
pub(super) struct Target<'a> {
    /// Its account ID, when known.
    pub account: Option<&'a str>,
    /// Its account's name, when known.
    pub account_name: Option<&'a str>,
    /// How it was reached (a profile, a role ARN).
    pub reached_by: Option<&'a str>,
    /// `Done`, `Failed`, `Skipped`, `Interrupted` (or a newer one).
    pub status: &'a str,
    /// Why it failed or was skipped.
    pub error: Option<Failure<'a>>,
}

/// An `Error` member.
#[derive(Debug, Clone, Copy)]
pub(super) struct Failure<'a> {
    /// The error code.
    pub code: &'a str,
    /// The message.
    pub message: &'a str,
    /// What to do about it, when known.
    pub hint: Option<&'a str>,
}

/// One entry of the document.
#[derive(Debug)]
pub(super) struct Stream<'a> {
    /// Its group in [`Document::groups`].
    pub group: usize,
    /// Its account: the entry's, its ARN's, or its target's.
    pub account: Option<&'a str>,
    /// Its account's name, from its target.
    pub account_name: Option<&'a str>,
    /// Its region: the entry's, its ARN's, or its target's.
    pub region: Option<&'a str>,
    /// Its name.
    pub name: &'a str,
    /// Its ARN, when it was described.
    pub arn: Option<&'a str>,
    /// Its type (`DeliveryStreamType`), where streams have one.
    pub kind: Option<&'a str>,
    /// What was done (or, with `--dry-run`, would be).
    pub action: &'a str,
    /// `EncryptedAtRest`.
    pub encrypted: bool,
    /// `EncryptionBefore`, when not null.
    pub before: Option<&'a Value>,
    /// `EncryptionAfter`, when not null.
    pub after: Option<&'a Value>,
    /// Its source (`KinesisSource`), where it has one.
    pub source: Option<&'a Map<String, Value>>,
    /// `Reason`.
    pub reason: Option<&'a str>,
    /// `Error`.
    pub error: Option<Failure<'a>>,
}

/// What a report says about a stream's encryption at rest, as observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Encrypted at rest (its own encryption on or accepted, or its
    /// source's).
    Pass,
    /// Described, and not encrypted at rest.
    Fail,
    /// Not this tool's to judge (`NotApplicable`): neither a pass nor a
    /// failure.
    NotApplicable,
    /// Never described (its describe failed, or the run was interrupted
    /// first): not known.
    Unknown,
}

/// The stream as an AWS resource: its ARN and where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resource {
    /// Its ARN, as described or built from account, region and name.
    pub arn: String,
    /// The partition, e.g. `aws`.
    pub partition: String,
    /// The account ID.
    pub account: String,
    /// The region.
    pub region: String,
}

/// Actions that a dry run reports for a change it would make.
const WOULD_START: [&str; 2] = ["WouldStart", "WouldStartSource"];

impl<'a> Stream<'a> {
    /// The observed state: [`Verdict`].
    pub fn verdict(&self) -> Verdict {
        if self.encrypted {
            Verdict::Pass
        } else if self.action == "NotApplicable" {
            Verdict::NotApplicable
        } else if self.arn.is_none() {
            Verdict::Unknown
        } else {
            Verdict::Fail
        }
    }

    /// Whether a dry run found a change to make for it.
    pub fn would_change(&self) -> bool {
        WOULD_START.contains(&self.action)
    }

    /// The stream as a resource: its ARN, or one built from its account,
    /// region and name; `None` when its account or region is not known.
    pub fn resource(&self, service: &Service) -> Option<Resource> {
        let (arn, from_arn) = match self.arn {
            Some(arn) => (arn.to_owned(), arn_parts(arn)),
            None => {
                let (account, region) = (self.account?, self.region?);
                let arn = format!(
                    "arn:{}:{}:{region}:{account}:{}/{}",
                    partition_of(region),
                    service.arn_service,
                    service.arn_resource,
                    self.name
                );
                (arn, None)
            }
        };
        let account = self.account.or(from_arn.map(|p| p.account))?;
        let region = self.region.or(from_arn.map(|p| p.region))?;
        let partition = from_arn.map_or_else(|| partition_of(region), |p| p.partition);
        Some(Resource {
            arn,
            partition: partition.to_owned(),
            account: account.to_owned(),
            region: region.to_owned(),
        })
    }
}

/// The partition of a region.
pub(super) fn partition_of(region: &str) -> &'static str {
    const PARTITIONS: [(&str, &str); 6] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
    ];
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

#[derive(Debug, Clone, Copy)]
struct ArnParts<'a> {
    partition: &'a str,
    region: &'a str,
    account: &'a str,
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:…`, when it has that shape.
fn arn_parts<'a>(arn: &'a str) -> Option<ArnParts<'a>> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(_), Some(region), Some(account), Some(_)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let some = |s: &'a str| (!s.is_empty()).then_some(s);
    Some(ArnParts {
        partition: some(partition)?,
        region: some(region)?,
        account: some(account)?,
    })
}

/// Read `document` as `service`'s fleet document.
pub(super) fn read<'a>(document: &'a Value, service: &Service) -> Result<Document<'a>, String> {
    let Some(top) = document.as_object() else {
        return Err(format!(
            "the document is not a JSON object with {} and Targets",
            service.document
        ));
    };
    let entries = array(top, service.document, "the document")?;
    let targets = array(top, "Targets", "the document")?;
    let mut groups = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        let at = format!("Targets[{i}]");
        let t = object(t, &at)?;
        let target = Target {
            account: text(t, "AccountId", &at)?,
            account_name: text(t, "AccountName", &at)?,
            reached_by: text(t, "ReachedBy", &at)?,
            status: required(t, "Status", &at)?,
            error: failure(t, &at)?,
        };
        groups.push(Group {
            account: target.account,
            region: Some(required(t, "Region", &at)?),
            target: Some(target),
        });
    }
    let mut streams = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let at = format!("{}[{i}]", service.document);
        streams.push(stream(object(e, &at)?, service, &at)?);
    }
    for s in &mut streams {
        s.group = group_of(&mut groups, s);
    }
    infer_accounts(&mut groups, &streams);
    for s in &mut streams {
        let g = &groups[s.group];
        s.account = s.account.or(g.account);
        s.region = s.region.or(g.region);
        s.account_name = g.target.as_ref().and_then(|t| t.account_name);
    }
    Ok(Document { streams, groups })
}

fn stream<'a>(
    e: &'a Map<String, Value>,
    service: &Service,
    at: &str,
) -> Result<Stream<'a>, String> {
    let arn = text(e, service.arn, at)?;
    let parts = arn.and_then(arn_parts);
    let encrypted = match e.get("EncryptedAtRest") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(format!("{at}.EncryptedAtRest is not true or false")),
        None => return Err(format!("{at}.EncryptedAtRest is missing")),
    };
    let source = match service.source.and_then(|key| e.get(key).map(|v| (key, v))) {
        None | Some((_, Value::Null)) => None,
        Some((key, v)) => Some(object(v, &format!("{at}.{key}"))?),
    };
    let kind = match service.kind {
        Some(key) => text(e, key, at)?,
        None => None,
    };
    Ok(Stream {
        group: 0,
        account: text(e, "AccountId", at)?.or(parts.map(|p| p.account)),
        account_name: None,
        region: text(e, "Region", at)?.or(parts.map(|p| p.region)),
        name: required(e, service.name, at)?,
        arn,
        kind,
        action: required(e, "Action", at)?,
        encrypted,
        before: e.get("EncryptionBefore").filter(|v| !v.is_null()),
        after: e.get("EncryptionAfter").filter(|v| !v.is_null()),
        source,
        reason: text(e, "Reason", at)?,
        error: failure(e, at)?,
    })
}

/// The group of a stream: its target by account and region; else the
/// target of its region whose account is not known; else, when it has no
/// region, the one target; else a group of its own account and region.
fn group_of<'a>(groups: &mut Vec<Group<'a>>, s: &Stream<'a>) -> usize {
    let targets = || {
        groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.target.is_some())
    };
    let found = targets()
        .find(|(_, g)| s.account.is_some() && g.account == s.account && g.region == s.region)
        .or_else(|| targets().find(|(_, g)| g.account.is_none() && g.region == s.region))
        .or_else(|| {
            let mut all = targets();
            match (s.region, all.next(), all.next()) {
                (None, Some(only), None) => Some(only),
                _ => None,
            }
        })
        .or_else(|| {
            groups
                .iter()
                .enumerate()
                .find(|(_, g)| g.target.is_none() && g.account == s.account && g.region == s.region)
        })
        .map(|(i, _)| i);
    found.unwrap_or_else(|| {
        groups.push(Group {
            target: None,
            account: s.account,
            region: s.region,
        });
        groups.len() - 1
    })
}

/// A group without an account takes the one account its streams name.
fn infer_accounts<'a>(groups: &mut [Group<'a>], streams: &[Stream<'a>]) {
    for (i, g) in groups.iter_mut().enumerate() {
        if g.account.is_some() {
            continue;
        }
        let mut accounts = streams
            .iter()
            .filter(|s| s.group == i)
            .filter_map(|s| s.account);
        if let Some(first) = accounts.next()
            && accounts.all(|a| a == first)
        {
            g.account = Some(first);
        }
    }
}

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{at} is not a JSON object"))
}

fn array<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a [Value], String> {
    match o.get(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{key} in {at} is not an array")),
        None => Err(format!("{at} has no {key} array")),
    }
}

/// An optional text member: absent or null is `None`.
fn text<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<Option<&'a str>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{at}.{key} is not a string")),
    }
}

fn required<'a>(o: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a str, String> {
    text(o, key, at)?.ok_or_else(|| format!("{at}.{key} is missing"))
}

/// The `Error` member: null or absent is `None`; an object needs `Code` and
/// `Message`.
fn failure<'a>(o: &'a Map<String, Value>, at: &str) -> Result<Option<Failure<'a>>, String> {
    let error = match o.get("Error") {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => object(v, &format!("{at}.Error"))?,
    };
    let at = format!("{at}.Error");
    Ok(Some(Failure {
        code: required(error, "Code", &at)?,
        message: required(error, "Message", &at)?,
        hint: text(error, "Hint", &at)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::{FIREHOSE, KINESIS};
    use super::*;
    use serde_json::json;

    fn entry(name: &str, account: Option<&str>, arn: bool) -> Value {
        let mut e = json!({
            "AccountId": account, "Region": "eu-west-1", "StreamName": name,
            "Action": "Failed", "EncryptedAtRest": false,
            "Error": {"Code": "AccessDeniedException", "Message": "no"},
            "Calls": {"Made": 1, "Throttled": 0}
        });
        if arn {
            e["StreamARN"] = json!(format!(
                "arn:aws:kinesis:eu-west-1:111122223333:stream/{name}"
            ));
            e["Action"] = json!("Started");
            e["EncryptedAtRest"] = json!(true);
            e["Error"] = Value::Null;
        }
        e
    }

    fn target(account: Option<&str>, region: &str) -> Value {
        json!({"AccountId": account, "AccountName": null, "Region": region,
               "ReachedBy": "default credentials", "Status": "Done", "Error": null})
    }

    #[test]
    fn a_target_without_an_account_takes_the_one_its_arns_name() {
        let doc = json!({
            "Streams": [entry("a", None, true), entry("b", None, false)],
            "Targets": [target(None, "eu-west-1")]
        });
        let d = read(&doc, &KINESIS).unwrap();
        assert_eq!(d.groups.len(), 1);
        assert_eq!(d.groups[0].account, Some("111122223333"));
        assert_eq!(d.groups[0].label(), "111122223333/eu-west-1");
        let b = &d.streams[1];
        assert_eq!(b.verdict(), Verdict::Unknown);
        assert_eq!(
            b.resource(&KINESIS).unwrap().arn,
            "arn:aws:kinesis:eu-west-1:111122223333:stream/b"
        );
    }

    #[test]
    fn without_any_account_the_stream_has_no_resource_and_the_suite_is_its_region() {
        let doc = json!({
            "Streams": [entry("b", None, false)],
            "Targets": [target(None, "eu-west-1")]
        });
        let d = read(&doc, &KINESIS).unwrap();
        assert_eq!(d.groups[0].label(), "eu-west-1");
        assert_eq!(d.streams[0].resource(&KINESIS), None);
    }

    #[test]
    fn a_stream_no_target_names_gets_a_group_of_its_own() {
        let doc = json!({
            "Streams": [entry("a", Some("444455556666"), false)],
            "Targets": [target(Some("111122223333"), "eu-west-1")]
        });
        let d = read(&doc, &KINESIS).unwrap();
        assert_eq!(d.groups.len(), 2);
        assert!(d.groups[1].target.is_none());
        assert_eq!(d.streams[0].group, 1);
        assert_eq!(d.groups[1].label(), "444455556666/eu-west-1");
    }

    #[test]
    fn a_partition_comes_from_the_arn_or_the_region() {
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition_of("us-isob-east-1"), "aws-iso-b");
        assert_eq!(partition_of("us-iso-east-1"), "aws-iso");
        assert_eq!(partition_of("eu-west-1"), "aws");
        let doc = json!({
            "DeliveryStreams": [{
                "AccountId": null, "Region": null, "DeliveryStreamName": "s",
                "DeliveryStreamARN": "arn:aws-cn:firehose:cn-north-1:111122223333:deliverystream/s",
                "Action": "AlreadyEncrypted", "EncryptedAtRest": true
            }],
            "Targets": []
        });
        let d = read(&doc, &FIREHOSE).unwrap();
        let r = d.streams[0].resource(&FIREHOSE).unwrap();
        assert_eq!(
            (r.partition.as_str(), r.region.as_str(), r.account.as_str()),
            ("aws-cn", "cn-north-1", "111122223333")
        );
    }

    #[test]
    fn an_unexpected_shape_names_what_is_missing() {
        let cases = [
            (json!(null), "not a JSON object"),
            (json!({"Targets": []}), "has no DeliveryStreams array"),
            (json!({"DeliveryStreams": []}), "has no Targets array"),
            (
                json!({"DeliveryStreams": {}, "Targets": []}),
                "is not an array",
            ),
            (
                json!({"DeliveryStreams": [1], "Targets": []}),
                "DeliveryStreams[0] is not",
            ),
            (
                json!({"DeliveryStreams": [{"DeliveryStreamName": "s", "EncryptedAtRest": true}], "Targets": []}),
                "DeliveryStreams[0].Action is missing",
            ),
            (
                json!({"DeliveryStreams": [{"DeliveryStreamName": "s", "Action": "Started"}], "Targets": []}),
                "DeliveryStreams[0].EncryptedAtRest is missing",
            ),
            (
                json!({"DeliveryStreams": [{"DeliveryStreamName": "s", "Action": "Started", "EncryptedAtRest": "yes"}], "Targets": []}),
                "EncryptedAtRest is not true or false",
            ),
            (
                json!({"DeliveryStreams": [{"DeliveryStreamName": "s", "Action": "Failed", "EncryptedAtRest": false, "Error": {"Message": "m"}}], "Targets": []}),
                "DeliveryStreams[0].Error.Code is missing",
            ),
            (
                json!({"DeliveryStreams": [{"DeliveryStreamName": 7, "Action": "Failed", "EncryptedAtRest": false}], "Targets": []}),
                "DeliveryStreamName is not a string",
            ),
            (
                json!({"DeliveryStreams": [], "Targets": [{"Region": "us-east-1"}]}),
                "Targets[0].Status is missing",
            ),
            (
                json!({"DeliveryStreams": [], "Targets": [{"Status": "Done"}]}),
                "Targets[0].Region is missing",
            ),
        ];
        for (doc, want) in cases {
            let e = read(&doc, &FIREHOSE).unwrap_err();
            assert!(e.contains(want), "{doc}: {e}");
        }
    }

    #[test]
    fn an_unknown_action_is_judged_by_encrypted_at_rest_and_described() {
        let doc = json!({
            "Streams": [
                {"StreamName": "p", "StreamARN": "arn:aws:kinesis:eu-west-1:111122223333:stream/p",
                 "Action": "SomethingNew", "EncryptedAtRest": true},
                {"StreamName": "f", "StreamARN": "arn:aws:kinesis:eu-west-1:111122223333:stream/f",
                 "Action": "SomethingNew", "EncryptedAtRest": false},
            ],
            "Targets": []
        });
        let d = read(&doc, &KINESIS).unwrap();
        assert_eq!(d.streams[0].verdict(), Verdict::Pass);
        assert_eq!(d.streams[1].verdict(), Verdict::Fail);
        assert_eq!(
            d.streams[1].summary(),
            "f is not encrypted at rest: SomethingNew"
        );
    }
}
