//! `yaml` and `yaml-stream` output. Expected outputs were produced by the
//! AWS CLI's own `YAMLDumper` (see `output::test_support`) unless a test says
//! otherwise.

use serde_json::json;

use crate::output::OutputFormat;
use crate::output::test_support::{describe, encryption, lines, out, state};

// --- yaml ---------------------------------------------------------------

#[test]
fn yaml_sorts_keys_in_block_style() {
    let expected = lines(&[
        "DeliveryStreamEncryptionConfiguration:",
        "  KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd",
        "  KeyType: CUSTOMER_MANAGED_CMK",
        "  Status: ENABLED",
        "DeliveryStreamName: s1",
    ]);
    assert_eq!(out(&state(), OutputFormat::Yaml), expected);
    assert_eq!(
        out(&encryption(), OutputFormat::Yaml),
        "KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd\nKeyType: CUSTOMER_MANAGED_CMK\nStatus: ENABLED\n"
    );
}

#[test]
fn yaml_full_describe_matches_the_aws_cli() {
    let expected = lines(&[
        "DeliveryStreamDescription:",
        "  CreateTimestamp: 1795312702.726",
        "  DeliveryStreamARN: arn:aws:firehose:us-east-1:123456789012:deliverystream/s1",
        "  DeliveryStreamEncryptionConfiguration:",
        "    KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd",
        "    KeyType: CUSTOMER_MANAGED_CMK",
        "    Status: ENABLED",
        "  DeliveryStreamName: s1",
        "  DeliveryStreamStatus: ACTIVE",
        "  DeliveryStreamType: DirectPut",
        "  Destinations:",
        "  - DestinationId: destinationId-000000000001",
        "    ExtendedS3DestinationDescription:",
        "      BucketARN: arn:aws:s3:::b",
        "      RoleARN: arn:aws:iam::123456789012:role/r",
        "    S3DestinationDescription:",
        "      BucketARN: arn:aws:s3:::b",
        "      RoleARN: arn:aws:iam::123456789012:role/r",
        "  HasMoreDestinations: false",
        "  LastUpdateTimestamp: 1795312702.726",
        "  VersionId: '1'",
    ]);
    assert_eq!(out(&describe(), OutputFormat::Yaml), expected);
}

#[test]
fn yaml_quotes_strings_only_when_needed_with_single_quotes() {
    let value = json!({
        "arn": "arn:aws:kms:us-east-1:123456789012:key/abcd", "num": "123", "flt": "1.5", "t": "true",
        "nul": "null", "tilde": "~", "empty": "", "date": "2026-11-22T01:58:22.726000+00:00",
        "colon": "a: b", "hash": "x #y", "lead": " sp", "trail": "x ", "star": "*x", "dash": "- x",
        "q": "it's", "qc": "it's: x", "uni": "é日本", "brace": "{a}", "at": "@x"
    });
    let expected = lines(&[
        "arn: arn:aws:kms:us-east-1:123456789012:key/abcd",
        "at: '@x'",
        "brace: '{a}'",
        "colon: 'a: b'",
        "dash: '- x'",
        "date: '2026-11-22T01:58:22.726000+00:00'",
        "empty: ''",
        "flt: '1.5'",
        "hash: 'x #y'",
        "lead: ' sp'",
        "nul: 'null'",
        "num: '123'",
        "q: it's",
        "qc: 'it''s: x'",
        "star: '*x'",
        "t: 'true'",
        "tilde: '~'",
        "trail: 'x '",
        "uni: é日本",
    ]);
    assert_eq!(out(&value, OutputFormat::Yaml), expected);
}

#[test]
fn yaml_differs_from_ruamel_only_in_documented_details() {
    // ruamel.yaml would write `ml: 'line1\n\n  line2'`, `yes: yes`, `Big: 1e+16`.
    let value = json!({"ml": "line1\nline2", "yes": "yes", "Big": 1e16});
    assert_eq!(
        out(&value, OutputFormat::Yaml),
        "Big: 1.0e+16\nml: \"line1\\nline2\"\n\"yes\": 'yes'\n"
    );
}

#[test]
fn yaml_writes_a_top_level_scalar_as_json() {
    assert_eq!(out(&json!("ENABLED"), OutputFormat::Yaml), "\"ENABLED\"\n");
    assert_eq!(out(&json!(42), OutputFormat::Yaml), "42\n");
    assert_eq!(out(&json!(false), OutputFormat::Yaml), "false\n");
    assert_eq!(out(&json!(""), OutputFormat::Yaml), "\"\"\n");
    assert_eq!(out(&json!([]), OutputFormat::Yaml), "[]\n");
}

#[test]
fn yaml_stream_wraps_the_response_in_a_one_item_list() {
    let expected = lines(&[
        "- DeliveryStreamEncryptionConfiguration:",
        "    KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd",
        "    KeyType: CUSTOMER_MANAGED_CMK",
        "    Status: ENABLED",
        "  DeliveryStreamName: s1",
    ]);
    assert_eq!(out(&state(), OutputFormat::YamlStream), expected);
    assert!(
        out(&encryption(), OutputFormat::YamlStream)
            .starts_with("- KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd\n")
    );
    assert_eq!(
        out(&json!("ENABLED"), OutputFormat::YamlStream),
        "- ENABLED\n"
    );
    assert_eq!(out(&json!(""), OutputFormat::YamlStream), "- ''\n");
    assert_eq!(out(&json!([]), OutputFormat::YamlStream), "- []\n");
}
