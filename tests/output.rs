//! The `--wait` result through `--output` and `--query` (contract §6,
//! reference §9, issue 4): every format's exact bytes, JMESPath filtering,
//! a bad expression refused before any request, and where the format comes
//! from (flag > `AWS_DEFAULT_OUTPUT` > profile `output` > json).
//!
//! Every run starts encryption on a loopback fake whose first describe
//! already says ENABLED, so the state printed is always
//! `{"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfiguration":
//! {"KeyARN": …, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"}}`.

mod common;

use common::*;
use serde_json::{Value, json};

/// Run `--wait` with `extra` against a fresh ENABLED fake; expect exit 0 and
/// an empty stderr; return stdout.
async fn waited(extra: &[&str]) -> String {
    let fake = enabled_fake().await;
    let a = run(cmd_at(&fake, &wait_args(extra)))
        .await
        .code(0)
        .stderr("");
    stdout_of(&a)
}

/// The same, with extra environment variables.
async fn waited_env(extra: &[&str], env: &[(&str, &str)]) -> String {
    let fake = enabled_fake().await;
    let mut c = cmd_at(&fake, &wait_args(extra));
    for (k, v) in env {
        c.env(k, v);
    }
    let a = run(c).await.code(0).stderr("");
    stdout_of(&a)
}

const JSON: &str = r#"{
    "DeliveryStreamName": "s1",
    "DeliveryStreamEncryptionConfiguration": {
        "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "KeyType": "CUSTOMER_MANAGED_CMK",
        "Status": "ENABLED"
    }
}
"#;

const TEXT: &str = "s1\nDELIVERYSTREAMENCRYPTIONCONFIGURATION\tarn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\tCUSTOMER_MANAGED_CMK\tENABLED\n";

const YAML: &str = "\
DeliveryStreamEncryptionConfiguration:
  KeyARN: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
  KeyType: CUSTOMER_MANAGED_CMK
  Status: ENABLED
DeliveryStreamName: s1
";

const YAML_STREAM: &str = "\
- DeliveryStreamEncryptionConfiguration:
    KeyARN: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    KeyType: CUSTOMER_MANAGED_CMK
    Status: ENABLED
  DeliveryStreamName: s1
";

/// awscli/table.py's layout: the encryption section is wider than 80
/// columns, so it turns vertical (key | value rows) and then overflows.
const TABLE: &str = "\
----------------------------------------------------------------------------------------------
|                                StartDeliveryStreamEncryption                               |
+------------------------------------------------------------------------+-------------------+
|  DeliveryStreamName                                                    |  s1               |
+------------------------------------------------------------------------+-------------------+
||                           DeliveryStreamEncryptionConfiguration                          ||
|+---------+--------------------------------------------------------------------------------+|
||  KeyARN |  arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab   ||
||  KeyType|  CUSTOMER_MANAGED_CMK                                                          ||
||  Status |  ENABLED                                                                       ||
|+---------+--------------------------------------------------------------------------------+|
";

// ------------------------------------------------------------------ formats

#[tokio::test(flavor = "multi_thread")]
async fn json_is_the_default_with_four_space_indent() {
    assert_eq!(waited(&[]).await, JSON);
    assert_eq!(waited(&["--output", "json"]).await, JSON);
}

#[tokio::test(flavor = "multi_thread")]
async fn text_puts_sorted_scalars_on_tab_separated_lines() {
    assert_eq!(waited(&["--output", "text"]).await, TEXT);
}

#[tokio::test(flavor = "multi_thread")]
async fn table_has_the_title_row_borders_and_the_values() {
    let table = waited(&["--output", "table"]).await;
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].chars().all(|c| c == '-'), "{table}");
    assert!(
        lines[1].starts_with('|')
            && lines[1].ends_with('|')
            && lines[1].trim_matches(|c| c == '|' || c == ' ') == "StartDeliveryStreamEncryption",
        "title row: {table}"
    );
    assert!(lines.iter().any(|l| l.starts_with('+') && l.ends_with('+')));
    for value in [
        "DeliveryStreamName",
        "s1",
        "DeliveryStreamEncryptionConfiguration",
        KEY_ARN,
        "CUSTOMER_MANAGED_CMK",
        "ENABLED",
    ] {
        assert!(table.contains(value), "{value} in {table}");
    }
    // Nested sections are framed by one more `|` on each side.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("||") && l.ends_with("||"))
    );
    // Every line of the table has the same width.
    assert!(lines.iter().all(|l| l.len() == lines[0].len()), "{table}");
    assert_eq!(table, TABLE);
    assert!(
        !table.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_narrow_table_stays_horizontal() {
    let table = waited(&[
        "--output",
        "table",
        "--query",
        "{Name: DeliveryStreamName, Status: DeliveryStreamEncryptionConfiguration.Status}",
    ])
    .await;
    assert_eq!(
        table,
        "\
-------------------------------
|StartDeliveryStreamEncryption|
+-----------+-----------------+
|   Name    |     Status      |
+-----------+-----------------+
|  s1       |  ENABLED        |
+-----------+-----------------+
"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn yaml_is_block_style_with_sorted_keys() {
    let yaml = waited(&["--output", "yaml"]).await;
    assert_eq!(yaml, YAML);
}

#[tokio::test(flavor = "multi_thread")]
async fn yaml_stream_wraps_the_state_in_a_one_item_list() {
    assert_eq!(waited(&["--output", "yaml-stream"]).await, YAML_STREAM);
}

#[tokio::test(flavor = "multi_thread")]
async fn off_prints_nothing_and_still_waits() {
    let fake = enabled_fake().await;
    run(cmd_at(&fake, &wait_args(&["--output", "off"])))
        .await
        .code(0)
        .stdout("")
        .stderr("");
    assert_eq!(fake.polls().await, 1, "it waited");
}

#[tokio::test(flavor = "multi_thread")]
async fn off_still_reports_a_failed_enabling_with_exit_255() {
    let fake = accepting().await;
    fake.reply(
        DESCRIBE_TARGET,
        200,
        enabling_failed("KMS_KEY_NOT_FOUND", "No such key."),
    )
    .await;
    run(cmd_at(
        &fake,
        &wait_args(&["--output", "off", "--query", "DeliveryStreamName"]),
    ))
    .await
    .code(255)
    .stdout("")
    .stderr(
        "\naws: [ERROR]: Enabling encryption failed for delivery stream \"s1\": KMS_KEY_NOT_FOUND: No such key.\n",
    );
}

// -------------------------------------------------------------------- query

#[tokio::test(flavor = "multi_thread")]
async fn query_a_scalar_in_text_prints_it_alone() {
    assert_eq!(
        waited(&[
            "--query",
            "DeliveryStreamEncryptionConfiguration.Status",
            "--output",
            "text"
        ])
        .await,
        "ENABLED\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn query_a_scalar_in_json_and_yaml_is_a_json_string() {
    let q = "DeliveryStreamEncryptionConfiguration.Status";
    assert_eq!(waited(&["--query", q]).await, "\"ENABLED\"\n");
    assert_eq!(
        waited(&["--query", q, "--output", "yaml"]).await,
        "\"ENABLED\"\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn query_a_sub_object_in_json() {
    assert_eq!(
        waited(&["--query", "DeliveryStreamEncryptionConfiguration"]).await,
        format!(
            "{{\n    \"KeyARN\": \"{KEY_ARN}\",\n    \"KeyType\": \"CUSTOMER_MANAGED_CMK\",\n    \"Status\": \"ENABLED\"\n}}\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn query_a_sub_object_in_text_is_one_line() {
    assert_eq!(
        waited(&[
            "--query",
            "DeliveryStreamEncryptionConfiguration",
            "--output",
            "text"
        ])
        .await,
        format!("{KEY_ARN}\tCUSTOMER_MANAGED_CMK\tENABLED\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_select_hash_and_list() {
    let hash = "{Name: DeliveryStreamName, Status: DeliveryStreamEncryptionConfiguration.Status}";
    let json_out = waited(&["--query", hash]).await;
    assert_eq!(
        serde_json::from_str::<Value>(&json_out).expect("JSON"),
        json!({"Name": "s1", "Status": "ENABLED"})
    );
    assert_eq!(
        json_out,
        "{\n    \"Name\": \"s1\",\n    \"Status\": \"ENABLED\"\n}\n"
    );
    // Text sorts the keys: Name, Status.
    assert_eq!(
        waited(&["--query", hash, "--output", "text"]).await,
        "s1\tENABLED\n"
    );
    let list = "[DeliveryStreamName, DeliveryStreamEncryptionConfiguration.KeyType]";
    assert_eq!(
        waited(&["--query", list]).await,
        "[\n    \"s1\",\n    \"CUSTOMER_MANAGED_CMK\"\n]\n"
    );
    assert_eq!(
        waited(&["--query", list, "--output", "text"]).await,
        "s1\tCUSTOMER_MANAGED_CMK\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_that_matches_nothing_is_null() {
    assert_eq!(waited(&["--query", "nope"]).await, "null\n");
    assert_eq!(
        waited(&["--query", "nope", "--output", "text"]).await,
        "None\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backtick_literal_that_is_not_json_is_a_string_as_in_the_aws_cli() {
    // jmespath.py (the AWS CLI's) reads `ENABLED` as the string "ENABLED".
    let q = "[DeliveryStreamEncryptionConfiguration][?Status==`ENABLED`].KeyType | [0]";
    assert_eq!(waited(&["--query", q]).await, "\"CUSTOMER_MANAGED_CMK\"\n");
    assert_eq!(
        waited(&[
            "--query",
            "[DeliveryStreamName, ` s1`, `a\\`b`]",
            "--output",
            "text"
        ])
        .await,
        "s1\ts1\ta`b\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backtick_literal_python_cannot_read_either_is_252_bad_token() {
    let fake = enabled_fake().await;
    let q = "DeliveryStreamName == `a\"b`";
    let a = run(cmd_at(&fake, &wait_args(&["--query", q])))
        .await
        .code(252)
        .stdout("");
    assert_eq!(
        stderr_of(&a),
        format!(
            "\naws: [ERROR]: An error occurred (ParamValidation): Bad value for --query {q}: Bad jmespath expression: Bad token a\"b:\n{q}\n                      ^\n"
        )
    );
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_query_is_252_and_nothing_is_sent() {
    let fake = enabled_fake().await;
    let a = run(cmd_at(&fake, &wait_args(&["--query", "[[["])))
        .await
        .code(252)
        .stdout("");
    let stderr = stderr_of(&a);
    assert!(
        stderr.starts_with(
            "\naws: [ERROR]: An error occurred (ParamValidation): Bad value for --query [[[: "
        ),
        "{stderr}"
    );
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_query_is_refused_even_without_wait() {
    let fake = enabled_fake().await;
    run(cmd_at(
        &fake,
        &["--delivery-stream-name", "s1", ENC, CMK, "--query", "[[["],
    ))
    .await
    .code(252)
    .stdout("");
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_that_fails_at_runtime_exits_255_after_the_wait() {
    // The expression compiles, but abs() of a string is a type error: only
    // the final state can tell, so the wait happens first.
    let fake = enabled_fake().await;
    let a = run(cmd_at(
        &fake,
        &wait_args(&["--query", "abs(DeliveryStreamName)"]),
    ))
    .await
    .code(255)
    .stdout("");
    let stderr = stderr_of(&a);
    assert!(stderr.starts_with("\naws: [ERROR]: "), "{stderr}");
    assert!(
        stderr.contains("Argument 0 expects type number, given string"),
        "{stderr}"
    );
    assert_eq!(fake.polls().await, 1);
}

// -------------------------------------------------- where the format comes from

#[tokio::test(flavor = "multi_thread")]
async fn aws_default_output_applies_without_the_flag() {
    assert_eq!(
        waited_env(&[], &[("AWS_DEFAULT_OUTPUT", "text")]).await,
        TEXT
    );
    assert_eq!(
        waited_env(&[], &[("AWS_DEFAULT_OUTPUT", "yaml-stream")]).await,
        YAML_STREAM
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_flag_beats_aws_default_output() {
    assert_eq!(
        waited_env(&["--output", "json"], &[("AWS_DEFAULT_OUTPUT", "text")]).await,
        JSON
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_aws_default_output_is_253_naming_it_and_nothing_is_sent() {
    let fake = enabled_fake().await;
    let mut c = cmd_at(&fake, &wait_args(&[]));
    c.env("AWS_DEFAULT_OUTPUT", "bogus");
    run(c).await.code(253).stdout("").stderr(
        "\naws: [ERROR]: An error occurred (Configuration): Bad value for AWS_DEFAULT_OUTPUT: \
         Unknown output type: bogus (valid values: json, text, table, yaml, yaml-stream, off)\n",
    );
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_output_flag_is_252() {
    let fake = enabled_fake().await;
    run(cmd_at(&fake, &wait_args(&["--output", "bogus"])))
        .await
        .code(252)
        .stdout("");
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_output_applies_when_neither_flag_nor_env_is_set() {
    let config = fixture("t4-output-yaml-config");
    let config = config.to_str().expect("UTF-8 path");
    assert_eq!(waited_env(&[], &[("AWS_CONFIG_FILE", config)]).await, YAML);
    // Both the variable and the flag beat the profile.
    assert_eq!(
        waited_env(
            &[],
            &[("AWS_CONFIG_FILE", config), ("AWS_DEFAULT_OUTPUT", "text")]
        )
        .await,
        TEXT
    );
    assert_eq!(
        waited_env(&["--output", "json"], &[("AWS_CONFIG_FILE", config)]).await,
        JSON
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_selected_profile_output_applies() {
    let config = fixture("t4-output-profiles-config");
    let config = config.to_str().expect("UTF-8 path");
    assert_eq!(
        waited_env(&["--profile", "texty"], &[("AWS_CONFIG_FILE", config)]).await,
        TEXT
    );
    assert_eq!(
        waited_env(
            &[],
            &[("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "texty")]
        )
        .await,
        TEXT
    );
    assert_eq!(waited_env(&[], &[("AWS_CONFIG_FILE", config)]).await, JSON);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_profile_output_is_253_naming_it() {
    // Names are case-sensitive, as in the AWS CLI: `Table` is not `table`.
    let fake = enabled_fake().await;
    let mut c = cmd_at(&fake, &wait_args(&[]));
    c.env("AWS_CONFIG_FILE", fixture("t4-output-bad-config"));
    let a = run(c).await.code(253).stdout("");
    let stderr = stderr_of(&a);
    assert!(
        stderr.contains("Unknown output type: Table") && stderr.contains("output"),
        "{stderr}"
    );
    assert!(fake.requests().await.is_empty(), "nothing sent");
}

// -------------------------------------------------------------------- colour

#[tokio::test(flavor = "multi_thread")]
async fn color_on_never_colours_json() {
    assert_eq!(waited(&["--color", "on"]).await, JSON);
    assert_eq!(waited(&["--color", "on", "--output", "json"]).await, JSON);
}

#[tokio::test(flavor = "multi_thread")]
async fn color_on_colours_the_table_and_nothing_else_changes() {
    let table = waited(&["--color", "on", "--output", "table"]).await;
    assert!(table.contains("\x1b["), "coloured: {table:?}");
    // Without the escape codes it is the plain table.
    let plain = strip_ansi(&table);
    assert_eq!(plain, TABLE);
    // Other formats stay plain.
    assert_eq!(waited(&["--color", "on", "--output", "text"]).await, TEXT);
    assert_eq!(waited(&["--color", "on", "--output", "yaml"]).await, YAML);
}

#[tokio::test(flavor = "multi_thread")]
async fn color_auto_and_off_do_not_colour_a_table_off_a_terminal() {
    assert_eq!(
        waited(&["--color", "auto", "--output", "table"]).await,
        TABLE
    );
    assert_eq!(
        waited(&["--color", "off", "--output", "table"]).await,
        TABLE
    );
    // Even without NO_COLOR, auto needs stdout to be a terminal.
    let fake = enabled_fake().await;
    let mut c = cmd_at(&fake, &wait_args(&["--output", "table"]));
    c.env_remove("NO_COLOR");
    run(c).await.code(0).stdout(TABLE).stderr("");
}

/// Remove `ESC [ … letter` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_multi_select_hash_keeps_the_order_written_as_in_the_aws_cli() {
    // jmespath.py 1.1.0 prints Status first, as written.
    let out = waited(&[
        "--query",
        "{Status: DeliveryStreamEncryptionConfiguration.Status, Name: DeliveryStreamName}",
    ])
    .await;
    assert_eq!(
        out,
        "{\n    \"Status\": \"ENABLED\",\n    \"Name\": \"s1\"\n}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_come_in_the_response_order_and_strings_compare() {
    let out = waited(&[
        "--query",
        "keys(DeliveryStreamEncryptionConfiguration)",
        "--output",
        "text",
    ])
    .await;
    assert_eq!(out, "KeyARN\tKeyType\tStatus\n");
    let out = waited(&[
        "--query",
        "DeliveryStreamEncryptionConfiguration.Status >= 'ENABLE'",
    ])
    .await;
    assert_eq!(out, "true\n");
}
