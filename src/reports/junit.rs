//! `--report junit=PATH`: JUnit XML through quick-junit, for CI systems.
//!
//! A `<testsuite>` per target, named `<account>/<region>` (the account's
//! name when only that is known, the region alone when neither is), with the
//! target's members as properties. In it a `<testcase>` per stream:
//! classname the control's service (`DataFirehose`, `Kinesis`), name the
//! stream's name, its details as `system-out`, and
//! - `<error>` when a call failed for it (the entry has an `Error`), typed by
//!   the error code;
//! - `<skipped>` when its target was skipped, or when its encryption at rest
//!   is not this tool's to judge (`NotApplicable`);
//! - `<failure>`, typed by its action, when it is not encrypted at rest at the
//!   end of the run; with `--dry-run`, when it would not be: a stream the run
//!   would start (`WouldStart`, `WouldStartSource`) passes, one it would leave
//!   unencrypted (`NeedsSourceEncryption`, `Refused`, …) fails;
//! - a pass otherwise.
//!
//! A target that was not `Done` gets a first testcase, `(target)`: an
//! `<error>` when it `Failed` (its error code and message) or was
//! `Interrupted`, `<skipped>` when it was `Skipped`, so that CI shows it.

use chrono::{DateTime, Utc};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::Service;
use super::document::{Document, Group, Stream};

/// The name of a target's own testcase.
const TARGET_CASE: &str = "(target)";

/// The report as XML bytes.
pub(super) fn render(
    doc: &Document<'_>,
    service: &Service,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, String> {
    let at = now.fixed_offset();
    let classname = service
        .control
        .split_once('.')
        .map_or(service.control, |(service, _)| service);
    let mut report = Report::new(service.command);
    report.set_timestamp(at);
    for (i, group) in doc.groups.iter().enumerate() {
        let mut suite = TestSuite::new(group.label());
        suite.set_timestamp(at);
        suite.add_properties(properties(group));
        if let Some(mut case) = target_case(group) {
            case.set_classname(classname);
            suite.add_test_case(case);
        }
        let skipped = group.target.as_ref().is_some_and(|t| t.status == "Skipped");
        for stream in doc.streams.iter().filter(|s| s.group == i) {
            let mut case = TestCase::new(stream.name, stream_status(stream, skipped));
            case.set_classname(classname);
            case.set_system_out(stream.details(service));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    let mut xml = report
        .to_string()
        .map_err(|e| format!("the JUnit report could not be serialized: {e}"))?;
    if !xml.ends_with('\n') {
        xml.push('\n');
    }
    Ok(xml.into_bytes())
}

/// The target's members, those known.
fn properties(group: &Group<'_>) -> Vec<Property> {
    let Some(t) = &group.target else {
        return Vec::new();
    };
    [
        ("AccountId", t.account),
        ("AccountName", t.account_name),
        ("Region", group.region),
        ("ReachedBy", t.reached_by),
        ("Status", Some(t.status)),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| Property::new(name, v)))
    .collect()
}

/// The target's own testcase, when it was not simply done.
fn target_case(group: &Group<'_>) -> Option<TestCase> {
    let t = group.target.as_ref()?;
    let code = t.error.map(|e| e.code);
    let message = t.error.map(|e| e.message);
    let status = match t.status {
        "Done" => return None,
        "Skipped" => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(message.unwrap_or("the target was skipped"));
            if let Some(code) = code {
                s.set_type(code);
            }
            s
        }
        "Interrupted" => error(
            code.unwrap_or("Interrupted"),
            message.unwrap_or("the run was interrupted before this target was done"),
        ),
        status => match (code, message) {
            (Some(code), Some(message)) => error(code, message),
            _ if status == "Failed" => error("Failed", "the target could not be reached"),
            _ => return None,
        },
    };
    let mut case = TestCase::new(TARGET_CASE, status);
    case.set_system_out(format!("{}: {}", group.label(), t.status));
    Some(case)
}

/// A stream's testcase status (see the module's documentation).
fn stream_status(s: &Stream<'_>, target_skipped: bool) -> TestCaseStatus {
    if target_skipped {
        let mut status = TestCaseStatus::skipped();
        status.set_message("its target was skipped");
        return status;
    }
    if let Some(e) = s.error {
        let mut status = error(e.code, e.message);
        if let Some(hint) = e.hint {
            status.set_description(hint);
        }
        return status;
    }
    if s.action == "NotApplicable" {
        let mut status = TestCaseStatus::skipped();
        status.set_message(s.summary());
        status.set_type(s.action);
        return status;
    }
    if s.encrypted || s.would_change() {
        return TestCaseStatus::success();
    }
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status.set_message(s.summary());
    status.set_type(s.action);
    status
}

fn error(code: &str, message: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status.set_message(message);
    status.set_type(code);
    status
}

#[cfg(test)]
mod tests {
    use super::super::{FIREHOSE, KINESIS, document};
    use super::*;
    use serde_json::{Value, json};

    fn xml(doc: &Value, service: &Service) -> String {
        let d = document::read(doc, service).unwrap();
        String::from_utf8(render(&d, service, DateTime::UNIX_EPOCH).unwrap()).unwrap()
    }

    fn target(account: &str, region: &str, status: &str, error: Value) -> Value {
        json!({"AccountId": account, "AccountName": "prod", "Region": region,
               "ReachedBy": "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole",
               "Status": status, "Error": error})
    }

    fn firehose(name: &str, action: &str, encrypted: bool) -> Value {
        json!({
            "AccountId": "111122223333", "Region": "us-east-1", "DeliveryStreamName": name,
            "DeliveryStreamARN": format!("arn:aws:firehose:us-east-1:111122223333:deliverystream/{name}"),
            "DeliveryStreamType": "DirectPut", "Action": action, "EncryptedAtRest": encrypted,
            "EncryptionBefore": null, "EncryptionAfter": null, "Calls": {"Made": 1, "Throttled": 0}
        })
    }

    #[test]
    fn a_suite_per_target_a_case_per_stream_with_failures_and_errors() {
        let mut errored = firehose("c", "Failed", false);
        errored["Error"] = json!({"Code": "InvalidKMSResourceException", "Message": "key disabled",
                                  "Hint": "enable the key"});
        let mut refused = firehose("b", "NeedsSourceEncryption", false);
        refused["Reason"] = json!("its source is not encrypted");
        let doc = json!({
            "DeliveryStreams": [firehose("a", "Started", true), refused, errored],
            "Targets": [
                target("111122223333", "us-east-1", "Done", Value::Null),
                target("444455556666", "us-east-1", "Failed",
                       json!({"Code": "AccessDenied", "Message": "not authorized to assume"})),
                target("777788889999", "ap-east-1", "Skipped",
                       json!({"Code": "RegionNotEnabled", "Message": "ap-east-1 is not enabled"})),
            ]
        });
        let xml = xml(&doc, &FIREHOSE);
        assert!(xml.contains(r#"<testsuites name="start-delivery-stream-encryption" tests="5" skipped="1" failures="1" errors="2""#), "{xml}");
        assert!(xml.contains(r#"<testsuite name="111122223333/us-east-1" tests="3" skipped="0" errors="1" failures="1""#), "{xml}");
        assert!(
            xml.contains(r#"<testcase name="a" classname="DataFirehose""#),
            "{xml}"
        );
        assert!(xml.contains(r#"<failure message="b is not encrypted at rest: NeedsSourceEncryption (its source stream is not encrypted). its source is not encrypted" type="NeedsSourceEncryption"/>"#), "{xml}");
        assert!(xml.contains(r#"<error message="key disabled" type="InvalidKMSResourceException">enable the key</error>"#), "{xml}");
        assert!(
            xml.contains(
                r#"<testsuite name="444455556666/us-east-1" tests="1" skipped="0" errors="1""#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<error message="not authorized to assume" type="AccessDenied"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<skipped message="ap-east-1 is not enabled" type="RegionNotEnabled"/>"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<property name="ReachedBy" value="arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"/>"#), "{xml}");
        assert!(
            xml.contains("timestamp=\"1970-01-01T00:00:00.000+00:00\""),
            "{xml}"
        );
    }

    #[test]
    fn a_dry_run_fails_only_what_the_run_would_leave_unencrypted() {
        let doc = json!({
            "DeliveryStreams": [
                firehose("would", "WouldStart", false),
                firehose("source", "WouldStartSource", false),
                firehose("stuck", "NeedsSourceEncryption", false),
                firehose("done", "AlreadyEncrypted", true),
                firehose("msk", "NotApplicable", false),
            ],
            "Targets": [target("111122223333", "us-east-1", "Done", Value::Null)]
        });
        let xml = xml(&doc, &FIREHOSE);
        assert!(
            xml.contains(r#"tests="5" skipped="1" errors="0" failures="1""#),
            "{xml}"
        );
        assert!(xml.contains(r#"type="NeedsSourceEncryption""#), "{xml}");
        assert!(
            xml.contains("Action: WouldStart\nEncryptedAtRest: false"),
            "{xml}"
        );
    }

    #[test]
    fn kinesis_streams_of_an_unknown_account_are_a_suite_named_by_region() {
        let doc = json!({
            "Streams": [{
                "AccountId": null, "Region": "eu-west-1", "StreamName": "orders",
                "Action": "Interrupted", "EncryptedAtRest": false
            }],
            "Targets": [{"AccountId": null, "AccountName": null, "Region": "eu-west-1",
                         "ReachedBy": "default credentials", "Status": "Interrupted", "Error": null}]
        });
        let xml = xml(&doc, &KINESIS);
        assert!(
            xml.contains(
                r#"<testsuite name="eu-west-1" tests="2" skipped="0" errors="1" failures="1""#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase name="(target)" classname="Kinesis">"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase name="orders" classname="Kinesis">"#),
            "{xml}"
        );
        assert!(xml.contains(r#"type="Interrupted""#), "{xml}");
    }

    #[test]
    fn hostile_names_are_escaped() {
        let mut s = firehose("a<b>&\"c\u{1b}[31m", "Refused", false);
        s["Reason"] = json!("bell\u{7} and </failure>");
        let doc = json!({"DeliveryStreams": [s], "Targets": []});
        let xml = xml(&doc, &FIREHOSE);
        assert!(xml.contains(r#"name="a&lt;b&gt;&amp;&quot;c""#), "{xml}");
        assert!(!xml.contains('\u{7}') && !xml.contains('\u{1b}'), "{xml}");
        assert!(xml.contains("and &lt;/failure&gt;"), "{xml}");
    }
}
