//! Fixtures shared by the output tests: the state `--wait` prints, a full
//! `DescribeDeliveryStream` response, and shortcuts to render them.
//!
//! Expected outputs in the output tests were produced by the AWS CLI's own
//! formatters (awscli 1.45 `formatter.py`/`text.py`/`table.py`, identical
//! to v2's, and v2's `YAMLDumper` on ruamel.yaml 0.19.1) unless a test says
//! otherwise.

use serde_json::{Value, json};

use super::{DEFAULT_TERMINAL_WIDTH, OutputFormat, render_with_width};

pub(super) const TITLE: &str = "DescribeDeliveryStream";

pub(super) fn lines(lines: &[&str]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

pub(super) fn out(value: &Value, format: OutputFormat) -> String {
    render_with_width(value, format, TITLE, false, DEFAULT_TERMINAL_WIDTH)
}

pub(super) fn table(value: &Value, width: usize) -> String {
    render_with_width(value, OutputFormat::Table, TITLE, false, width)
}

/// The final state `--wait` prints.
pub(super) fn state() -> Value {
    json!({
        "DeliveryStreamName": "s1",
        "DeliveryStreamEncryptionConfiguration": {
            "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/abcd",
            "KeyType": "CUSTOMER_MANAGED_CMK",
            "Status": "ENABLED"
        }
    })
}

pub(super) fn encryption() -> Value {
    state()["DeliveryStreamEncryptionConfiguration"].clone()
}

pub(super) fn describe() -> Value {
    json!({"DeliveryStreamDescription": {
        "DeliveryStreamName": "s1",
        "DeliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s1",
        "DeliveryStreamStatus": "ACTIVE",
        "DeliveryStreamEncryptionConfiguration": encryption(),
        "DeliveryStreamType": "DirectPut",
        "VersionId": "1",
        "CreateTimestamp": 1795312702.726,
        "LastUpdateTimestamp": 1795312702.726,
        "Destinations": [{
            "DestinationId": "destinationId-000000000001",
            "S3DestinationDescription": {"RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::b"},
            "ExtendedS3DestinationDescription": {"RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::b"}
        }],
        "HasMoreDestinations": false
    }})
}
