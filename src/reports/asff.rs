//! `--report asff=PATH`: a JSON array of AWS Security Finding Format
//! findings (schema 2018-10-08), one per stream, for `aws securityhub
//! batch-import-findings --findings file://PATH` (which takes 100 findings
//! a call: a larger array is imported in slices of 100).
//!
//! Each finding reports the stream's state as observed, against the control
//! (`DataFirehose.1`, `Kinesis.1`):
//!
//! | stream | `Compliance.Status` | `Severity.Label` | `Workflow.Status` | `RecordState` |
//! |---|---|---|---|---|
//! | encrypted at rest | `PASSED` | `INFORMATIONAL` | `RESOLVED` | `ACTIVE` |
//! | not encrypted at rest (also a dry run's `WouldStart`) | `FAILED` | `MEDIUM` | `NEW` | `ACTIVE` |
//! | never described (its describe failed; interrupted first) | `NOT_AVAILABLE` | `INFORMATIONAL` | `NEW` | `ACTIVE` |
//! | `NotApplicable` (a source type whose encryption is not this tool's) | `NOT_AVAILABLE` | `INFORMATIONAL` | `NEW` | `ARCHIVED` |
//!
//! (`NOT_AVAILABLE` is ASFF's status for a check that could not be
//! performed or does not apply.) The finding `Id` is the stream's ARN and the
//! control, `<arn>/<control>`, so that a later run's finding updates the
//! earlier one; the `ProductArn` is the account's default product in the
//! stream's region, `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`,
//! so each finding is imported in the stream's own account and region.
//!
//! The resource is the stream's ARN; a stream never described has none in
//! the document, so it is built from account, region and name; a stream
//! whose account is not known either is left out (`super::omitted` lists
//! them). Firehose has no ASFF resource type: its `Type` is `Other`, with
//! `Details.Other.ResourceType` `AWS::KinesisFirehose::DeliveryStream`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::Service;
use super::document::{Document, Stream, Verdict};
use super::text::{clip, phrase};

/// The ASFF version every finding declares.
pub(super) const SCHEMA_VERSION: &str = "2018-10-08";

/// ASFF finding types: `namespace/category`.
const TYPES: [&str; 1] = ["Software and Configuration Checks/AWS Security Best Practices"];

/// The partitions ASFF's `Resources[].Partition` accepts.
const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];

/// Limits of ASFF members, in characters.
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const RECOMMENDATION_MAX: usize = 512;
const FIELD_MAX: usize = 1000;

/// The findings as a pretty-printed JSON array.
pub(super) fn render(
    doc: &Document<'_>,
    service: &Service,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, String> {
    let at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    let findings: Vec<Value> = doc
        .streams
        .iter()
        .filter_map(|s| finding(s, service, &at))
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&findings)
        .map_err(|e| format!("the ASFF report could not be serialized: {e}"))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The stream's finding; `None` when its account is not known.
fn finding(s: &Stream<'_>, service: &Service, at: &str) -> Option<Value> {
    let r = s.resource(service)?;
    let verdict = s.verdict();
    let (status, severity, workflow, record) = match verdict {
        Verdict::Pass => ("PASSED", "INFORMATIONAL", "RESOLVED", "ACTIVE"),
        Verdict::Fail => ("FAILED", "MEDIUM", "NEW", "ACTIVE"),
        Verdict::Unknown => ("NOT_AVAILABLE", "INFORMATIONAL", "NEW", "ACTIVE"),
        Verdict::NotApplicable => ("NOT_AVAILABLE", "INFORMATIONAL", "NEW", "ARCHIVED"),
    };
    let product_arn = format!(
        "arn:{}:securityhub:{}:{}:product/{}/default",
        r.partition, r.region, r.account, r.account
    );
    let mut resource = Map::new();
    resource.insert("Type".into(), json!(service.resource_type));
    resource.insert("Id".into(), json!(r.arn));
    if PARTITIONS.contains(&r.partition.as_str()) {
        resource.insert("Partition".into(), json!(r.partition));
    }
    resource.insert("Region".into(), json!(r.region));
    resource.insert("Details".into(), json!({"Other": details(s, service)}));
    let reason = match (phrase(s.action), s.reason) {
        (_, Some(reason)) => reason.to_owned(),
        (Some(phrase), None) => phrase.to_owned(),
        (None, None) => format!("{} {}", service.name, s.action),
    };
    Some(json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": format!("{}/{}", r.arn, service.control),
        "ProductArn": product_arn,
        "ProductName": service.command,
        "GeneratorId": format!("{}/{}", service.command, service.control),
        "AwsAccountId": r.account,
        "Region": r.region,
        "Types": TYPES,
        "CreatedAt": at,
        "UpdatedAt": at,
        "Severity": {"Label": severity, "Original": severity},
        "Title": clip(&format!("{} {}", service.control, service.title), TITLE_MAX),
        "Description": clip(&s.summary(), DESCRIPTION_MAX),
        "Remediation": {"Recommendation": {
            "Text": clip(&format!(
                "Run {} over this account and region: it encrypts at rest each stream that needs it (see {} --help).",
                service.command, service.command
            ), RECOMMENDATION_MAX),
            "Url": service.remediation_url,
        }},
        "ProductFields": product_fields(s, service),
        "Resources": [resource],
        "Compliance": {
            "Status": status,
            "SecurityControlId": service.control,
            "RelatedRequirements": [service.control],
            "StatusReasons": [{
                "ReasonCode": s.action,
                "Description": clip(&reason, FIELD_MAX),
            }],
        },
        "Workflow": {"Status": workflow},
        "RecordState": record,
    }))
}

/// `Details.Other`: what ASFF has no member for, as strings.
fn details(s: &Stream<'_>, service: &Service) -> Map<String, Value> {
    let mut other = Map::new();
    let mut put = |key: &str, value: String| {
        other.insert(key.to_owned(), Value::from(clip(&value, FIELD_MAX)));
    };
    put("ResourceType", service.cloudformation_type.to_owned());
    put(service.name, s.name.to_owned());
    if let (Some(key), Some(kind)) = (service.kind, s.kind) {
        put(key, kind.to_owned());
    }
    if let Some(before) = s.before {
        put("EncryptionBefore", before.to_string());
    }
    if let Some(after) = s.after {
        put("EncryptionAfter", after.to_string());
    }
    if let (Some(key), Some(source)) = (service.source, s.source) {
        if let Some(arn) = source.get("StreamARN").and_then(Value::as_str) {
            put(&format!("{key}StreamARN"), arn.to_owned());
        }
        for part in ["EncryptionBefore", "EncryptionAfter"] {
            if let Some(v) = source.get(part).filter(|v| !v.is_null()) {
                put(&format!("{key}{part}"), v.to_string());
            }
        }
    }
    other
}

/// `ProductFields`: the tool, and what it did.
fn product_fields(s: &Stream<'_>, service: &Service) -> Map<String, Value> {
    let mut fields = Map::new();
    let mut put = |key: &str, value: &str| {
        fields.insert(key.to_owned(), Value::from(clip(value, FIELD_MAX)));
    };
    put("ProviderName", service.command);
    put("ProviderVersion", env!("CARGO_PKG_VERSION"));
    put("Action", s.action);
    put(
        "EncryptedAtRest",
        if s.encrypted { "true" } else { "false" },
    );
    if let Some(reason) = s.reason {
        put("Reason", reason);
    }
    if let Some(e) = s.error {
        put("ErrorCode", e.code);
        put("ErrorMessage", e.message);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::super::{FIREHOSE, KINESIS, document};
    use super::*;

    fn findings(doc: &Value, service: &Service) -> Vec<Value> {
        let d = document::read(doc, service).unwrap();
        let at = DateTime::from_timestamp_millis(1_765_000_000_123).unwrap();
        serde_json::from_slice(&render(&d, service, at).unwrap()).unwrap()
    }

    fn stream(name: &str, action: &str, encrypted: bool) -> Value {
        json!({
            "AccountId": "111122223333", "Region": "eu-west-1", "StreamName": name,
            "StreamARN": format!("arn:aws:kinesis:eu-west-1:111122223333:stream/{name}"),
            "Action": action, "EncryptedAtRest": encrypted,
            "EncryptionBefore": {"EncryptionType": "NONE"},
            "EncryptionAfter": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
            "Calls": {"Made": 2, "Throttled": 0}
        })
    }

    #[test]
    fn a_finding_per_stream_with_every_required_member() {
        let doc = json!({
            "Streams": [stream("a", "Started", true), stream("b", "WouldStart", false)],
            "Targets": [{"AccountId": "111122223333", "AccountName": "prod", "Region": "eu-west-1",
                         "ReachedBy": "prod", "Status": "Done", "Error": null}]
        });
        let f = findings(&doc, &KINESIS);
        assert_eq!(f.len(), 2);
        for member in [
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources",
        ] {
            assert!(f[0].get(member).is_some(), "{member} in {}", f[0]);
        }
        assert_eq!(f[0]["SchemaVersion"], "2018-10-08");
        assert_eq!(
            f[0]["Id"],
            "arn:aws:kinesis:eu-west-1:111122223333:stream/a/Kinesis.1"
        );
        assert_eq!(
            f[0]["ProductArn"],
            "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default"
        );
        assert_eq!(f[0]["CreatedAt"], "2025-12-06T05:46:40.123Z");
        assert_eq!(f[0]["Compliance"]["Status"], "PASSED");
        assert_eq!(f[0]["Compliance"]["SecurityControlId"], "Kinesis.1");
        assert_eq!(f[0]["Workflow"]["Status"], "RESOLVED");
        assert_eq!(f[0]["Resources"][0]["Type"], "AwsKinesisStream");
        assert_eq!(f[0]["Resources"][0]["Partition"], "aws");
        assert_eq!(
            f[0]["Title"],
            "Kinesis.1 Kinesis streams should be encrypted at rest"
        );
        // A dry run's WouldStart is the stream as it is: not encrypted.
        assert_eq!(f[1]["Compliance"]["Status"], "FAILED");
        assert_eq!(f[1]["Severity"]["Label"], "MEDIUM");
        assert_eq!(
            f[1]["Compliance"]["StatusReasons"][0]["ReasonCode"],
            "WouldStart"
        );
        assert_eq!(f[1]["ProductFields"]["EncryptedAtRest"], "false");
    }

    #[test]
    fn firehose_is_other_with_its_cloudformation_type_and_source() {
        let doc = json!({
            "DeliveryStreams": [{
                "AccountId": "111122223333", "Region": "us-gov-west-1", "DeliveryStreamName": "k",
                "DeliveryStreamARN": "arn:aws-us-gov:firehose:us-gov-west-1:111122223333:deliverystream/k",
                "DeliveryStreamType": "KinesisStreamAsSource", "Action": "NeedsSourceEncryption",
                "EncryptedAtRest": false, "EncryptionBefore": null, "EncryptionAfter": null,
                "KinesisSource": {"StreamARN": "arn:aws-us-gov:kinesis:us-gov-west-1:111122223333:stream/src",
                                  "EncryptionBefore": {"EncryptionType": "NONE"}, "EncryptionAfter": null},
                "Reason": "its source is not encrypted: run again with --encrypt-kinesis-sources",
                "Calls": {"Made": 2, "Throttled": 0}
            }],
            "Targets": []
        });
        let f = findings(&doc, &FIREHOSE);
        let r = &f[0]["Resources"][0];
        assert_eq!(r["Type"], "Other");
        assert_eq!(r["Partition"], "aws-us-gov");
        assert_eq!(
            r["Details"]["Other"]["ResourceType"],
            "AWS::KinesisFirehose::DeliveryStream"
        );
        assert_eq!(
            r["Details"]["Other"]["DeliveryStreamType"],
            "KinesisStreamAsSource"
        );
        assert_eq!(
            r["Details"]["Other"]["KinesisSourceStreamARN"],
            "arn:aws-us-gov:kinesis:us-gov-west-1:111122223333:stream/src"
        );
        assert_eq!(
            r["Details"]["Other"]["KinesisSourceEncryptionBefore"],
            r#"{"EncryptionType":"NONE"}"#
        );
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert_eq!(
            f[0]["Compliance"]["StatusReasons"][0]["Description"],
            "its source is not encrypted: run again with --encrypt-kinesis-sources"
        );
        assert_eq!(
            f[0]["ProductArn"],
            "arn:aws-us-gov:securityhub:us-gov-west-1:111122223333:product/111122223333/default"
        );
    }

    #[test]
    fn an_errored_stream_never_described_gets_a_built_arn_and_not_available() {
        let doc = json!({
            "Streams": [
                {"AccountId": "111122223333", "Region": "eu-west-1", "StreamName": "gone",
                 "Action": "Failed", "EncryptedAtRest": false, "EncryptionBefore": null,
                 "EncryptionAfter": null,
                 "Error": {"Code": "ResourceNotFoundException", "Message": "Stream gone not found"},
                 "Calls": {"Made": 1, "Throttled": 0}},
                {"AccountId": null, "Region": "eu-west-1", "StreamName": "nobody",
                 "Action": "Interrupted", "EncryptedAtRest": false},
                {"AccountId": "111122223333", "Region": "eu-west-1", "StreamName": "msk",
                 "StreamARN": "arn:aws:kinesis:eu-west-1:111122223333:stream/msk",
                 "Action": "NotApplicable", "EncryptedAtRest": false, "Reason": "not ours"},
            ],
            "Targets": [{"AccountId": "111122223333", "AccountName": null, "Region": "eu-west-1",
                         "ReachedBy": "default credentials", "Status": "Done", "Error": null},
                        {"AccountId": null, "AccountName": null, "Region": "us-west-2",
                         "ReachedBy": "default credentials", "Status": "Interrupted", "Error": null}]
        });
        let f = findings(&doc, &KINESIS);
        assert_eq!(
            f.len(),
            2,
            "the stream of no known account is left out: {f:?}"
        );
        assert_eq!(
            f[0]["Resources"][0]["Id"],
            "arn:aws:kinesis:eu-west-1:111122223333:stream/gone"
        );
        assert_eq!(f[0]["Compliance"]["Status"], "NOT_AVAILABLE");
        assert_eq!(
            f[0]["ProductFields"]["ErrorCode"],
            "ResourceNotFoundException"
        );
        assert!(
            f[0]["Description"]
                .as_str()
                .unwrap()
                .contains("Stream gone not found")
        );
        assert_eq!(f[1]["Compliance"]["Status"], "NOT_AVAILABLE");
        assert_eq!(f[1]["RecordState"], "ARCHIVED");
        assert_eq!(super::super::omitted(&doc, &KINESIS).unwrap(), ["nobody"]);
    }

    #[test]
    fn long_texts_are_clipped_to_asff_limits() {
        let mut s = stream("a", "Refused", false);
        s["Reason"] = json!("x".repeat(5000));
        let doc = json!({"Streams": [s], "Targets": []});
        let f = findings(&doc, &KINESIS);
        assert_eq!(
            f[0]["Description"].as_str().unwrap().chars().count(),
            DESCRIPTION_MAX
        );
        assert_eq!(
            f[0]["ProductFields"]["Reason"]
                .as_str()
                .unwrap()
                .chars()
                .count(),
            FIELD_MAX
        );
    }
}
