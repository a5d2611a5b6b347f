//! `json` output. Expected outputs were produced by the AWS CLI's own
//! formatters (see `output::test_support`).

use serde_json::json;

use crate::output::OutputFormat;
use crate::output::test_support::{lines, out, state};

// --- json -------------------------------------------------------------

#[test]
fn json_indents_four_spaces_and_keeps_key_order() {
    let expected = lines(&[
        "{",
        "    \"DeliveryStreamName\": \"s1\",",
        "    \"DeliveryStreamEncryptionConfiguration\": {",
        "        \"KeyARN\": \"arn:aws:kms:us-east-1:123456789012:key/abcd\",",
        "        \"KeyType\": \"CUSTOMER_MANAGED_CMK\",",
        "        \"Status\": \"ENABLED\"",
        "    }",
        "}",
    ]);
    assert_eq!(out(&state(), OutputFormat::Json), expected);
}

#[test]
fn json_keeps_non_ascii_raw_and_escapes_controls() {
    let value = json!({"Name": "stream-é 日本", "Details": "a\"b\\c\nd\u{1}"});
    let expected = lines(&[
        "{",
        "    \"Name\": \"stream-é 日本\",",
        "    \"Details\": \"a\\\"b\\\\c\\nd\\u0001\"",
        "}",
    ]);
    assert_eq!(out(&value, OutputFormat::Json), expected);
}

#[test]
fn json_writes_numbers_like_python() {
    let value = json!({"Count": 3, "Ratio": 1.5, "Big": 1e16, "Tiny": 0.00001, "Whole": 2.0, "Ts": 1795312702.726});
    let expected = lines(&[
        "{",
        "    \"Count\": 3,",
        "    \"Ratio\": 1.5,",
        "    \"Big\": 1e+16,",
        "    \"Tiny\": 1e-05,",
        "    \"Whole\": 2.0,",
        "    \"Ts\": 1795312702.726",
        "}",
    ]);
    assert_eq!(out(&value, OutputFormat::Json), expected);
}

#[test]
fn json_prints_empty_containers_and_scalars() {
    let value = json!({"A": {}, "B": [], "C": "x"});
    assert_eq!(
        out(&value, OutputFormat::Json),
        lines(&[
            "{",
            "    \"A\": {},",
            "    \"B\": [],",
            "    \"C\": \"x\"",
            "}"
        ])
    );
    assert_eq!(out(&json!("ENABLED"), OutputFormat::Json), "\"ENABLED\"\n");
    assert_eq!(out(&json!(""), OutputFormat::Json), "\"\"\n");
}
