//! `--report ocsf=PATH`: a JSON array of OCSF 1.6.0 Compliance Findings
//! (class `compliance_finding`, `class_uid` 2003 in category 2, Findings),
//! one per stream, with the `cloud` profile.
//!
//! Every attribute the schema requires of the class is there (from
//! `base_event`, `finding`, `compliance_finding` and the `cloud` profile:
//! `activity_id`, `category_uid`, `class_uid`, `type_uid`, `time`,
//! `severity_id`, `metadata`, `finding_info`, `compliance`, `cloud`), and
//! every attribute required of the objects it gives (`metadata.product`,
//! `metadata.version`, `finding_info.uid`, `cloud.provider`,
//! `remediation.desc`, `analytic.type_id`, a `name` or `uid` for each entity);
//! `tests/reports.rs` checks them against the schema's own files.
//!
//! The compliance result is the stream as observed, as in the ASFF report:
//! `compliance.status_id` 1 Pass (encrypted at rest), 3 Fail (not), 2
//! Warning (never described: its describe failed, or the run was interrupted
//! first), 99 Other `NotApplicable`. A stream whose account is not known is
//! left out, as from the ASFF report.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Service;
use super::document::{Document, Stream, Verdict};
use super::text::phrase;

/// The OCSF version the findings follow.
pub(super) const VERSION: &str = "1.6.0";
/// Findings.
const CATEGORY_UID: i64 = 2;
/// Compliance Finding.
const CLASS_UID: i64 = 2003;
/// Create: a run reports what it found.
const ACTIVITY_ID: i64 = 1;
/// `account.type_id` 10: AWS Account.
const AWS_ACCOUNT: i64 = 10;
/// `analytic.type_id` 1: Rule.
const RULE: i64 = 1;

/// The findings as a pretty-printed JSON array.
pub(super) fn render(
    doc: &Document<'_>,
    service: &Service,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, String> {
    let time = now.timestamp_millis();
    let findings: Vec<Value> = doc
        .streams
        .iter()
        .filter_map(|s| finding(s, service, time))
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&findings)
        .map_err(|e| format!("the OCSF report could not be serialized: {e}"))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The stream's finding; `None` when its account is not known.
fn finding(s: &Stream<'_>, service: &Service, time: i64) -> Option<Value> {
    let r = s.resource(service)?;
    let verdict = s.verdict();
    let (compliance_id, compliance) = match verdict {
        Verdict::Pass => (1, "Pass"),
        Verdict::Fail => (3, "Fail"),
        Verdict::Unknown => (2, "Warning"),
        Verdict::NotApplicable => (99, "NotApplicable"),
    };
    let (severity_id, severity) = match verdict {
        Verdict::Fail => (3, "Medium"),
        _ => (1, "Informational"),
    };
    let (status_id, status) = match verdict {
        Verdict::Pass => (4, "Resolved"),
        Verdict::Fail | Verdict::Unknown => (1, "New"),
        Verdict::NotApplicable => (5, "Archived"),
    };
    let summary = s.summary();
    let mut details = vec![format!(
        "{}: {}",
        s.action,
        phrase(s.action).unwrap_or(s.action)
    )];
    details.extend(s.reason.map(str::to_owned));
    details.extend(s.error.map(|e| format!("{}: {}", e.code, e.message)));
    let mut account = json!({"uid": r.account, "type_id": AWS_ACCOUNT, "type": "AWS Account"});
    if let Some(name) = s.account_name {
        account["name"] = json!(name);
    }
    let mut data = serde_json::Map::new();
    data.insert("Action".into(), json!(s.action));
    data.insert("EncryptedAtRest".into(), json!(s.encrypted));
    data.insert(
        "EncryptionBefore".into(),
        s.before.cloned().unwrap_or(Value::Null),
    );
    data.insert(
        "EncryptionAfter".into(),
        s.after.cloned().unwrap_or(Value::Null),
    );
    if let Some((key, kind)) = service.kind.zip(s.kind) {
        data.insert(key.into(), json!(kind));
    }
    if let Some((key, source)) = service.source.zip(s.source) {
        data.insert(key.into(), Value::Object(source.clone()));
    }
    Some(json!({
        "activity_id": ACTIVITY_ID,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_ID,
        "type_name": "Compliance Finding: Create",
        "time": time,
        "timezone_offset": 0,
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "message": summary,
        "metadata": {
            "version": VERSION,
            "product": {
                "name": service.command,
                "version": env!("CARGO_PKG_VERSION"),
            },
            "profiles": ["cloud"],
        },
        "finding_info": {
            "uid": format!("{}/{}", r.arn, service.control),
            "title": format!("{} {}", service.control, service.title),
            "desc": summary,
            "created_time": time,
            "modified_time": time,
            "analytic": {
                "uid": service.control,
                "name": service.title,
                "type_id": RULE,
                "type": "Rule",
            },
        },
        "compliance": {
            "control": service.control,
            "desc": service.title,
            "status_id": compliance_id,
            "status": compliance,
            "status_details": details,
        },
        "remediation": {
            "desc": format!(
                "Run {} over this account and region: it encrypts at rest each stream that needs it.",
                service.command
            ),
            "references": [service.remediation_url],
        },
        "cloud": {
            "provider": "AWS",
            "account": account,
            "region": r.region,
            "cloud_partition": r.partition,
        },
        "resources": [{
            "uid": r.arn,
            "name": s.name,
            "type": service.cloudformation_type,
            "region": r.region,
            "cloud_partition": r.partition,
            "data": data,
        }],
    }))
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

    #[test]
    fn a_compliance_finding_per_stream() {
        let doc = json!({
            "DeliveryStreams": [
                {"AccountId": "111122223333", "Region": "us-east-1", "DeliveryStreamName": "a",
                 "DeliveryStreamARN": "arn:aws:firehose:us-east-1:111122223333:deliverystream/a",
                 "DeliveryStreamType": "DirectPut", "Action": "Started", "EncryptedAtRest": true,
                 "EncryptionBefore": null, "EncryptionAfter": {"KeyType": "AWS_OWNED_CMK"},
                 "Calls": {"Made": 2, "Throttled": 0}},
                {"AccountId": "111122223333", "Region": "us-east-1", "DeliveryStreamName": "b",
                 "DeliveryStreamARN": "arn:aws:firehose:us-east-1:111122223333:deliverystream/b",
                 "Action": "Refused", "EncryptedAtRest": false, "Reason": "no key"},
            ],
            "Targets": [{"AccountId": "111122223333", "AccountName": "prod", "Region": "us-east-1",
                         "ReachedBy": "prod", "Status": "Done", "Error": null}]
        });
        let f = findings(&doc, &FIREHOSE);
        assert_eq!(f.len(), 2);
        let a = &f[0];
        assert_eq!(a["class_uid"], 2003);
        assert_eq!(a["category_uid"], 2);
        assert_eq!(a["type_uid"], 200301);
        assert_eq!(a["time"], 1_765_000_000_123_i64);
        assert_eq!(a["metadata"]["version"], "1.6.0");
        assert_eq!(a["compliance"]["control"], "DataFirehose.1");
        assert_eq!(a["compliance"]["status_id"], 1);
        assert_eq!(a["cloud"]["provider"], "AWS");
        assert_eq!(a["cloud"]["account"]["uid"], "111122223333");
        assert_eq!(a["cloud"]["account"]["name"], "prod");
        assert_eq!(a["cloud"]["region"], "us-east-1");
        assert_eq!(
            a["resources"][0]["uid"],
            "arn:aws:firehose:us-east-1:111122223333:deliverystream/a"
        );
        assert_eq!(a["resources"][0]["data"]["DeliveryStreamType"], "DirectPut");
        assert_eq!(f[1]["compliance"]["status_id"], 3);
        assert_eq!(f[1]["severity_id"], 3);
        assert_eq!(f[1]["compliance"]["status_details"][1], "no key");
    }

    #[test]
    fn kinesis_unknown_and_not_applicable() {
        let doc = json!({
            "Streams": [
                {"AccountId": "111122223333", "Region": "eu-west-1", "StreamName": "x",
                 "Action": "Failed", "EncryptedAtRest": false,
                 "Error": {"Code": "AccessDeniedException", "Message": "denied"}},
                {"AccountId": "111122223333", "Region": "eu-west-1", "StreamName": "y",
                 "StreamARN": "arn:aws:kinesis:eu-west-1:111122223333:stream/y",
                 "Action": "NotApplicable", "EncryptedAtRest": false},
            ],
            "Targets": []
        });
        let f = findings(&doc, &KINESIS);
        assert_eq!(f[0]["compliance"]["status_id"], 2);
        assert_eq!(
            f[0]["resources"][0]["uid"],
            "arn:aws:kinesis:eu-west-1:111122223333:stream/x"
        );
        assert_eq!(
            f[0]["compliance"]["status_details"][1],
            "AccessDeniedException: denied"
        );
        assert_eq!(f[1]["compliance"]["status_id"], 99);
        assert_eq!(f[1]["status_id"], 5);
        assert_eq!(f[1]["resources"][0]["type"], "AWS::Kinesis::Stream");
    }
}
