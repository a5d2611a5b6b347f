//! `text` output. Expected outputs were produced by the AWS CLI's own
//! formatters (see `output::test_support`).

use serde_json::json;

use crate::output::OutputFormat;
use crate::output::test_support::{describe, encryption, lines, out, state};

// --- text -------------------------------------------------------------

#[test]
fn text_prints_a_dicts_scalars_sorted_on_one_line() {
    assert_eq!(
        out(&encryption(), OutputFormat::Text),
        "arn:aws:kms:us-east-1:123456789012:key/abcd\tCUSTOMER_MANAGED_CMK\tENABLED\n"
    );
}

#[test]
fn text_multi_select_sorts_by_key() {
    let value = json!({"Name": "s1", "Type": "DirectPut", "Enc": "ENABLED"});
    assert_eq!(out(&value, OutputFormat::Text), "ENABLED\ts1\tDirectPut\n");
}

#[test]
fn text_full_describe_matches_the_reference() {
    let expected = lines(&[
        "DELIVERYSTREAMDESCRIPTION\t1795312702.726\tarn:aws:firehose:us-east-1:123456789012:deliverystream/s1\ts1\tACTIVE\tDirectPut\tFalse\t1795312702.726\t1",
        "DELIVERYSTREAMENCRYPTIONCONFIGURATION\tarn:aws:kms:us-east-1:123456789012:key/abcd\tCUSTOMER_MANAGED_CMK\tENABLED",
        "DESTINATIONS\tdestinationId-000000000001",
        "EXTENDEDS3DESTINATIONDESCRIPTION\tarn:aws:s3:::b\tarn:aws:iam::123456789012:role/r",
        "S3DESTINATIONDESCRIPTION\tarn:aws:s3:::b\tarn:aws:iam::123456789012:role/r",
    ]);
    assert_eq!(out(&describe(), OutputFormat::Text), expected);
}

#[test]
fn text_prefixes_nested_dicts_with_their_upper_cased_key() {
    let mut value = state();
    value["DeliveryStreamEncryptionConfiguration"]["Status"] = json!("ENABLING_FAILED");
    value["DeliveryStreamEncryptionConfiguration"]["FailureDescription"] =
        json!({"Type": "KMS_ACCESS_DENIED", "Details": "Access was denied when calling KMS."});
    let expected = lines(&[
        "s1",
        "DELIVERYSTREAMENCRYPTIONCONFIGURATION\tarn:aws:kms:us-east-1:123456789012:key/abcd\tCUSTOMER_MANAGED_CMK\tENABLING_FAILED",
        "FAILUREDESCRIPTION\tAccess was denied when calling KMS.\tKMS_ACCESS_DENIED",
    ]);
    assert_eq!(out(&value, OutputFormat::Text), expected);
}

#[test]
fn text_prints_a_top_level_scalar_alone() {
    assert_eq!(out(&json!("ENABLED"), OutputFormat::Text), "ENABLED\n");
    assert_eq!(out(&json!(42), OutputFormat::Text), "42\n");
    assert_eq!(out(&json!(""), OutputFormat::Text), "\n");
}

#[test]
fn text_writes_booleans_null_and_floats_like_python() {
    let value = json!({"Names": ["s1", "s2"], "Count": 3, "Ratio": 1.5, "Big": 1e16, "Tiny": 0.00001, "On": true, "Off": false, "Nothing": null});
    let expected = lines(&[
        "1e+16\t3\tNone\tFalse\tTrue\t1.5\t1e-05",
        "NAMES\ts1",
        "NAMES\ts2",
    ]);
    assert_eq!(out(&value, OutputFormat::Text), expected);
}

#[test]
fn text_joins_a_top_level_list_of_scalars_with_tabs() {
    assert_eq!(
        out(&json!(["s1", "s2", 3, null, true]), OutputFormat::Text),
        "s1\ts2\t3\tNone\tTrue\n"
    );
    assert_eq!(
        out(&json!([["a", "b"], ["c", "d"]]), OutputFormat::Text),
        "a\tb\nc\td\n"
    );
    assert_eq!(out(&json!([]), OutputFormat::Text), "");
}

#[test]
fn text_prints_a_list_of_dicts_one_line_each_over_all_keys() {
    let value = json!([{"Name": "s1", "Status": "ENABLED"}, {"Name": "s2", "Status": "DISABLED", "Extra": true}]);
    assert_eq!(
        out(&value, OutputFormat::Text),
        "\ts1\tENABLED\nTrue\ts2\tDISABLED\n"
    );
    let nested = json!({"Streams": [{"Name": "s1", "Enc": {"Status": "ENABLED", "KeyType": "AWS_OWNED_CMK"}}, {"Name": "s2", "Enc": {"Status": "DISABLED"}}]});
    assert_eq!(
        out(&nested, OutputFormat::Text),
        lines(&[
            "STREAMS\ts1",
            "ENC\tAWS_OWNED_CMK\tENABLED",
            "STREAMS\ts2",
            "ENC\tDISABLED"
        ])
    );
}

#[test]
fn text_shows_a_non_scalar_under_a_shared_scalar_key_as_python_repr() {
    let value = json!([{"a": 1}, {"a": {"b": 2, "s": "it's"}, "c": [1, "x"]}]);
    assert_eq!(
        out(&value, OutputFormat::Text),
        lines(&["1", "{'b': 2, 's': \"it's\"}", "C\t1", "C\tx"])
    );
}
