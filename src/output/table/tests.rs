//! `table` output. Expected outputs were produced by the AWS CLI's own
//! formatters (see `output::test_support`).

use serde_json::json;

use super::text_width;
use crate::output::test_support::{TITLE, describe, encryption, lines, state, table};
use crate::output::{OutputFormat, render_with_width};

// --- table ------------------------------------------------------------

#[test]
fn table_too_wide_for_the_terminal_renders_vertically() {
    let expected = lines(&[
        "------------------------------------------------------------",
        "|                  DescribeDeliveryStream                  |",
        "+---------+------------------------------------------------+",
        "|  KeyARN |  arn:aws:kms:us-east-1:123456789012:key/abcd   |",
        "|  KeyType|  CUSTOMER_MANAGED_CMK                          |",
        "|  Status |  ENABLED                                       |",
        "+---------+------------------------------------------------+",
    ]);
    assert_eq!(table(&encryption(), 80), expected);
}

#[test]
fn table_narrow_enough_renders_a_header_row_and_a_value_row() {
    let value = json!({"Name": "s1", "Type": "DirectPut", "Enc": "ENABLED"});
    let expected = lines(&[
        "----------------------------------",
        "|     DescribeDeliveryStream     |",
        "+----------+-------+-------------+",
        "|    Enc   | Name  |    Type     |",
        "+----------+-------+-------------+",
        "|  ENABLED |  s1   |  DirectPut  |",
        "+----------+-------+-------------+",
    ]);
    assert_eq!(table(&value, 80), expected);
}

#[test]
fn table_nests_sub_sections_with_an_extra_bar_per_level() {
    let expected = lines(&[
        "--------------------------------------------------------------",
        "|                   DescribeDeliveryStream                   |",
        "+-----------------------------------------------+------------+",
        "|  DeliveryStreamName                           |  s1        |",
        "+-----------------------------------------------+------------+",
        "||           DeliveryStreamEncryptionConfiguration          ||",
        "|+---------+------------------------------------------------+|",
        "||  KeyARN |  arn:aws:kms:us-east-1:123456789012:key/abcd   ||",
        "||  KeyType|  CUSTOMER_MANAGED_CMK                          ||",
        "||  Status |  ENABLED                                       ||",
        "|+---------+------------------------------------------------+|",
    ]);
    assert_eq!(table(&state(), 80), expected);
}

#[test]
fn table_on_a_wide_terminal_keeps_sections_horizontal() {
    let expected = lines(&[
        "--------------------------------------------------------------------------------------",
        "|                               DescribeDeliveryStream                               |",
        "+------------------------------------------------------------------+-----------------+",
        "|  DeliveryStreamName                                              |  s1             |",
        "+------------------------------------------------------------------+-----------------+",
        "||                       DeliveryStreamEncryptionConfiguration                      ||",
        "|+----------------------------------------------+------------------------+----------+|",
        "||                    KeyARN                    |        KeyType         | Status   ||",
        "|+----------------------------------------------+------------------------+----------+|",
        "||  arn:aws:kms:us-east-1:123456789012:key/abcd |  CUSTOMER_MANAGED_CMK  |  ENABLED ||",
        "|+----------------------------------------------+------------------------+----------+|",
    ]);
    assert_eq!(table(&state(), 250), expected);
}

#[test]
fn table_full_describe_matches_the_aws_cli() {
    let expected = lines(&[
        "-----------------------------------------------------------------------------------------",
        "|                                DescribeDeliveryStream                                 |",
        "+---------------------------------------------------------------------------------------+",
        "||                              DeliveryStreamDescription                              ||",
        "|+-----------------------+-------------------------------------------------------------+|",
        "||  CreateTimestamp      |  1795312702.726                                             ||",
        "||  DeliveryStreamARN    |  arn:aws:firehose:us-east-1:123456789012:deliverystream/s1  ||",
        "||  DeliveryStreamName   |  s1                                                         ||",
        "||  DeliveryStreamStatus |  ACTIVE                                                     ||",
        "||  DeliveryStreamType   |  DirectPut                                                  ||",
        "||  HasMoreDestinations  |  False                                                      ||",
        "||  LastUpdateTimestamp  |  1795312702.726                                             ||",
        "||  VersionId            |  1                                                          ||",
        "|+-----------------------+-------------------------------------------------------------+|",
        "|||                       DeliveryStreamEncryptionConfiguration                       |||",
        "||+--------------+--------------------------------------------------------------------+||",
        "|||  KeyARN      |  arn:aws:kms:us-east-1:123456789012:key/abcd                       |||",
        "|||  KeyType     |  CUSTOMER_MANAGED_CMK                                              |||",
        "|||  Status      |  ENABLED                                                           |||",
        "||+--------------+--------------------------------------------------------------------+||",
        "|||                                   Destinations                                    |||",
        "||+-----------------------------+-----------------------------------------------------+||",
        "|||  DestinationId              |  destinationId-000000000001                         |||",
        "||+-----------------------------+-----------------------------------------------------+||",
        "||||                        ExtendedS3DestinationDescription                         ||||",
        "|||+--------------------+------------------------------------------------------------+|||",
        "||||  BucketARN         |  arn:aws:s3:::b                                            ||||",
        "||||  RoleARN           |  arn:aws:iam::123456789012:role/r                          ||||",
        "|||+--------------------+------------------------------------------------------------+|||",
        "||||                            S3DestinationDescription                             ||||",
        "|||+--------------------+------------------------------------------------------------+|||",
        "||||  BucketARN         |  arn:aws:s3:::b                                            ||||",
        "||||  RoleARN           |  arn:aws:iam::123456789012:role/r                          ||||",
        "|||+--------------------+------------------------------------------------------------+|||",
    ]);
    assert_eq!(table(&describe(), 80), expected);
}

#[test]
fn table_repeats_a_list_section_for_each_dict_with_nested_values() {
    let value = json!({"Streams": [{"Name": "s1", "Enc": {"Status": "ENABLED", "KeyType": "AWS_OWNED_CMK"}}, {"Name": "s2", "Enc": {"Status": "DISABLED"}}]});
    let expected = lines(&[
        "----------------------------------",
        "|     DescribeDeliveryStream     |",
        "+--------------------------------+",
        "||            Streams           ||",
        "|+------------------------------+|",
        "||             Name             ||",
        "|+------------------------------+|",
        "||  s1                          ||",
        "|+------------------------------+|",
        "|||             Enc            |||",
        "||+----------------+-----------+||",
        "|||     KeyType    |  Status   |||",
        "||+----------------+-----------+||",
        "|||  AWS_OWNED_CMK |  ENABLED  |||",
        "||+----------------+-----------+||",
        "||            Streams           ||",
        "|+------------------------------+|",
        "||             Name             ||",
        "|+------------------------------+|",
        "||  s2                          ||",
        "|+------------------------------+|",
        "|||             Enc            |||",
        "||+------------+---------------+||",
        "|||  Status    |  DISABLED     |||",
        "||+------------+---------------+||",
    ]);
    assert_eq!(table(&value, 80), expected);
}

#[test]
fn table_list_of_dicts_shares_one_header_and_leaves_missing_cells_empty() {
    let value = json!([{"Name": "s1", "Status": "ENABLED"}, {"Name": "s2", "Status": "DISABLED", "Extra": true}]);
    let expected = lines(&[
        "-------------------------------",
        "|   DescribeDeliveryStream    |",
        "+-------+--------+------------+",
        "| Extra | Name   |  Status    |",
        "+-------+--------+------------+",
        "|       |  s1    |  ENABLED   |",
        "|  True |  s2    |  DISABLED  |",
        "+-------+--------+------------+",
    ]);
    assert_eq!(table(&value, 80), expected);
}

#[test]
fn table_dict_with_one_scalar_is_a_two_cell_row() {
    let value = json!({"Status": "ENABLED", "Tags": [{"Key": "k", "Value": "v"}]});
    let expected = lines(&[
        "------------------------",
        "|DescribeDeliveryStream|",
        "+---------+------------+",
        "|  Status |  ENABLED   |",
        "+---------+------------+",
        "||        Tags        ||",
        "|+--------+-----------+|",
        "||   Key  |   Value   ||",
        "|+--------+-----------+|",
        "||  k     |  v        ||",
        "|+--------+-----------+|",
    ]);
    assert_eq!(table(&value, 80), expected);
}

#[test]
fn table_lists_of_scalars_become_rows() {
    let expected = lines(&[
        "------------------------",
        "|DescribeDeliveryStream|",
        "+----------------------+",
        "|  s1                  |",
        "|  s2                  |",
        "|  3                   |",
        "|  None                |",
        "|  True                |",
        "+----------------------+",
    ]);
    assert_eq!(table(&json!(["s1", "s2", 3, null, true]), 80), expected);
    let expected = lines(&[
        "------------------------",
        "|DescribeDeliveryStream|",
        "+----------+-----------+",
        "|  a       |  b        |",
        "|  c       |  d        |",
        "+----------+-----------+",
    ]);
    assert_eq!(table(&json!([["a", "b"], ["c", "d"]]), 80), expected);
}

#[test]
fn table_of_a_top_level_scalar_is_just_the_title() {
    let expected = lines(&[
        "------------------------",
        "|DescribeDeliveryStream|",
        "+----------------------+",
    ]);
    assert_eq!(table(&json!("ENABLED"), 80), expected);
    assert_eq!(table(&json!(42), 80), expected);
}

#[test]
fn table_counts_east_asian_wide_and_ambiguous_characters_as_two_columns() {
    let value = json!({"Name": "stream-é", "Note": "日本語のテキスト", "Status": "ENABLED"});
    let expected = lines(&[
        "----------------------------------------------",
        "|           DescribeDeliveryStream           |",
        "+-----------+--------------------+-----------+",
        "|   Name    |       Note         |  Status   |",
        "+-----------+--------------------+-----------+",
        "|  stream-é|  日本語のテキスト  |  ENABLED  |",
        "+-----------+--------------------+-----------+",
    ]);
    assert_eq!(table(&value, 80), expected);
    assert_eq!(text_width("aé日\u{1F600}"), 1 + 2 + 2 + 2);
}

#[test]
fn table_in_colour_matches_the_aws_cli_byte_for_byte() {
    // `--color on`: cells bright blue, nesting bars dim yellow, and
    // colorama's autoreset after every write.
    let value = json!({"Status": "ENABLED", "Nested": {"KeyType": "AWS_OWNED_CMK"}});
    let expected = concat!(
        "--------------------------------\n\u{1b}[0m",
        "\u{1b}[0m|    DescribeDeliveryStream    |\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[0m+-------------+----------------+\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[0m|  \u{1b}[1m\u{1b}[34mStatus\u{1b}[0m     |  \u{1b}[1m\u{1b}[34mENABLED\u{1b}[0m       |\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[0m+-------------+----------------+\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m|           Nested           |\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m+----------+-----------------+\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m|  \u{1b}[1m\u{1b}[34mKeyType\u{1b}[0m |  \u{1b}[1m\u{1b}[34mAWS_OWNED_CMK\u{1b}[0m  |\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m+----------+-----------------+\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
    );
    assert_eq!(
        render_with_width(&value, OutputFormat::Table, TITLE, true, 80),
        expected
    );
    assert!(
        !table(&value, 80).contains('\u{1b}'),
        "no colour unless asked"
    );
}

#[test]
fn table_survives_shapes_the_aws_cli_chokes_on() {
    // Python raises on these (ragged rows, non-dict list elements); we must not panic.
    let awkward = [
        json!(["a", ["b", "c"], {"k": "v"}]),
        json!([{"a": 1}, "scalar", ["x"], {"a": {"deep": [1, {"z": null}]}}]),
        json!([[{"a": 1}], [[]], [{}]]),
        json!({"": "empty key", "x": {"": {}}, "y": [[], {}, ""]}),
        json!({"Wide": "x".repeat(300), "Also": "y"}),
        json!([{}, {}]),
        json!({"a": {"b": {"c": {"d": {"e": {"f": "deep"}}}}}}),
    ];
    for value in &awkward {
        for width in [0, 1, 80, 1000] {
            for color in [false, true] {
                let rendered = render_with_width(value, OutputFormat::Table, TITLE, color, width);
                assert!(rendered.starts_with('-'), "{value} at {width}: {rendered}");
            }
        }
        for format in OutputFormat::ALL {
            let _ = render_with_width(value, format, "", false, 80);
        }
    }
}

#[test]
fn table_wider_than_the_terminal_goes_vertical_but_never_wraps() {
    let long = "x".repeat(100);
    let rendered = table(&json!({"Details": long, "Type": "T"}), 80);
    let widths: Vec<usize> = rendered.lines().map(|line| line.chars().count()).collect();
    assert_eq!(widths, [117; 6], "{rendered}");
    assert_eq!(
        rendered.lines().nth(3),
        Some(format!("|  Details|  {long}   |").as_str())
    );
}
