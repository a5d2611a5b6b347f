//! Usage and validation: every malformed command line is refused with exit
//! 252 and the AWS CLI v2 message before anything is sent; and the ways of
//! giving the same parameters (shorthand, JSON, files, `--cli-input-json`)
//! all put the same request on the wire.

mod common;

use common::*;
use serde_json::{Value, json};

const KEY_ARN_PATTERN: &str =
    r"arn:.*:kms:[a-zA-Z0-9\-]+:\d{12}:(key|alias)/[a-zA-Z_0-9+=,.@\-_/]+";

/// `Parameter validation failed:` followed by one line per problem.
fn validation_failed(problems: &[&str]) -> String {
    param_error(&format!(
        "Parameter validation failed:\n{}",
        problems.join("\n")
    ))
}

/// `file://` URL of a fixture.
fn file_url(name: &str) -> String {
    format!("file://{}", fixture(name).display())
}

/// Run `args` against an accepting fake and check: exit 252, exactly
/// `stderr`, empty stdout, and no request at all.
async fn assert_refused(args: &[&str], stderr: &str) {
    let fake = accepting().await;
    let out = run(cmd_at(&fake, args)).await;
    let output = out.get_output().clone();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(err, stderr, "stderr of {args:?}");
    assert_eq!(output.status.code(), Some(252), "exit code of {args:?}");
    assert!(output.stdout.is_empty(), "stdout of {args:?}: {output:?}");
    assert!(
        fake.requests().await.is_empty(),
        "{args:?} sent a request although it was refused"
    );
}

/// Run `args` against an accepting fake, expect success with empty
/// stdout/stderr, and return the bodies sent to StartDeliveryStreamEncryption.
async fn sent_bodies(args: &[&str]) -> Vec<Value> {
    let fake = accepting().await;
    run(cmd_at(&fake, args))
        .await
        .success()
        .stdout("")
        .stderr("");
    fake.bodies(START_TARGET).await
}

/// Like [`sent_bodies`] but the raw bytes of the single request sent.
async fn sent_raw_body(args: &[&str]) -> Vec<u8> {
    let fake = accepting().await;
    run(cmd_at(&fake, args))
        .await
        .success()
        .stdout("")
        .stderr("");
    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1, "{args:?}");
    requests[0].body.clone()
}

// ---------------------------------------------------------------- clap errors

#[tokio::test(flavor = "multi_thread")]
async fn unknown_option_is_a_usage_error_and_sends_nothing() {
    assert_refused(
        &["--delivery-stream-name", "s1", "--bogus"],
        "error: unexpected argument '--bogus' found\n\n\
         Usage: start-delivery-stream-encryption --endpoint-url <URL> --delivery-stream-name <NAME>\n\n\
         For more information, try '--help'.\n",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn option_without_its_value_is_a_usage_error_and_sends_nothing() {
    assert_refused(
        &["--delivery-stream-name"],
        "error: a value is required for '--delivery-stream-name <NAME>' but none was supplied\n\n\
         For more information, try '--help'.\n",
    )
    .await;
}

// ------------------------------------------------------------ the stream name

#[tokio::test(flavor = "multi_thread")]
async fn missing_delivery_stream_name_is_refused() {
    assert_refused(
        &[ENC, "KeyType=AWS_OWNED_CMK"],
        &param_error("the following arguments are required: --delivery-stream-name"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_delivery_stream_name_breaks_min_length() {
    assert_refused(
        &["--delivery-stream-name", ""],
        &validation_failed(&[
            "Invalid length for parameter DeliveryStreamName, value: 0, valid min length: 1",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_stream_name_of_65_chars_breaks_max_length() {
    let name = "a".repeat(65);
    assert_refused(
        &["--delivery-stream-name", &name],
        &validation_failed(&[
            "Invalid length for parameter DeliveryStreamName, value: 65, valid max length: 64",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_stream_name_of_64_chars_is_sent() {
    let name = "a".repeat(64);
    assert_eq!(
        sent_bodies(&["--delivery-stream-name", &name]).await,
        vec![json!({"DeliveryStreamName": name})]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_stream_name_with_a_space_breaks_the_pattern() {
    assert_refused(
        &["--delivery-stream-name", "my stream"],
        &validation_failed(&[
            "Invalid value for parameter DeliveryStreamName, value: \"my stream\", valid pattern: [a-zA-Z0-9_.-]+",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_stream_name_from_file_keeps_its_trailing_newline_and_breaks_the_pattern() {
    let content = std::fs::read_to_string(fixture("t2-name-newline.txt")).unwrap();
    assert_eq!(content, "s1\n", "fixture t2-name-newline.txt changed");
    assert_refused(
        &["--delivery-stream-name", &file_url("t2-name-newline.txt")],
        &validation_failed(&[
            "Invalid value for parameter DeliveryStreamName, value: \"s1\\n\", valid pattern: [a-zA-Z0-9_.-]+",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_delivery_stream_name_sends_the_last_one() {
    assert_eq!(
        sent_bodies(&["--delivery-stream-name", "a", "--delivery-stream-name", "b"]).await,
        vec![json!({"DeliveryStreamName": "b"})]
    );
}

// ---------------------------------------------------- the encryption structure

#[tokio::test(flavor = "multi_thread")]
async fn unknown_key_type_is_refused_with_the_valid_values() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "KeyType=BOGUS"],
        &validation_failed(&[
            "Invalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: \"BOGUS\", valid values: AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_managed_cmk_without_key_arn_is_refused() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "KeyType=CUSTOMER_MANAGED_CMK"],
        &validation_failed(&[
            "Missing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyARN\" (required when KeyType is CUSTOMER_MANAGED_CMK)",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_arn_that_is_a_bare_alias_breaks_the_arn_pattern() {
    let expected = format!(
        "Invalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: \"alias/aws/firehose\", valid pattern: {KEY_ARN_PATTERN}"
    );
    assert_refused(
        &[
            "--delivery-stream-name",
            "s1",
            ENC,
            "KeyType=CUSTOMER_MANAGED_CMK,KeyARN=alias/aws/firehose",
        ],
        &validation_failed(&[&expected]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_member_is_reported_with_the_missing_key_type() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "Foo=x"],
        &validation_failed(&[
            "Missing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyType\"",
            "Unknown parameter in DeliveryStreamEncryptionConfigurationInput: \"Foo\", must be one of: KeyARN, KeyType",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn member_names_are_case_sensitive() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "keytype=x"],
        &validation_failed(&[
            "Missing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyType\"",
            "Unknown parameter in DeliveryStreamEncryptionConfigurationInput: \"keytype\", must be one of: KeyARN, KeyType",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shorthand_list_for_key_type_is_an_invalid_type() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "KeyType=a,b"],
        &validation_failed(&[
            "Invalid type for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: ['a', 'b'], type: <class 'list'>, valid types: <class 'str'>",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shorthand_without_equals_is_a_syntax_error_with_the_v2_location_block() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "KeyType"],
        &param_error(
            "Error parsing parameter '--delivery-stream-encryption-configuration-input': \
             Expected: '=', received: 'EOF' for input:\n KeyType\n       ^",
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shorthand_duplicate_key_is_refused() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "KeyType=a,KeyType=b"],
        &param_error(
            "Error parsing parameter '--delivery-stream-encryption-configuration-input': \
             Second instance of key \"KeyType\" encountered for input:\n\
             KeyType=a,KeyType=b\n          ^\n\
             This is often because there is a preceding \",\" instead of a space.",
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_json_structure_is_refused_and_echoed() {
    // The decoder's own words cannot match Python's; the frame around them must.
    let fake = accepting().await;
    let out = run(cmd_at(
        &fake,
        &["--delivery-stream-name", "s1", ENC, r#"{"KeyType":}"#],
    ))
    .await;
    let output = out.get_output().clone();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(252), "{err}");
    assert!(output.stdout.is_empty());
    let prefix = "\naws: [ERROR]: An error occurred (ParamValidation): Error parsing parameter \
                  '--delivery-stream-encryption-configuration-input': Invalid JSON: ";
    assert!(err.starts_with(prefix), "{err:?}");
    assert!(
        err.ends_with("\nJSON received: {\"KeyType\":}\n"),
        "{err:?}"
    );
    assert_eq!(err.lines().count(), 3, "{err:?}");
    assert!(fake.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn structure_from_a_missing_file_is_refused_with_errno_text() {
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, "file:///nonexistent"],
        &param_error(
            "Error parsing parameter '--delivery-stream-encryption-configuration-input': \
             Unable to load paramfile file:///nonexistent: [Errno 2] No such file or directory: '/nonexistent'",
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_arn_loaded_with_at_equals_keeps_the_trailing_newline_and_is_refused() {
    let content = std::fs::read_to_string(fixture("t2-key-arn-newline.txt")).unwrap();
    assert_eq!(content, format!("{KEY_ARN}\n"), "fixture changed");
    let value = format!(
        "KeyType=CUSTOMER_MANAGED_CMK,KeyARN@={}",
        file_url("t2-key-arn-newline.txt")
    );
    let expected = format!(
        "Invalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: \"{KEY_ARN}\\n\", valid pattern: {KEY_ARN_PATTERN}"
    );
    assert_refused(
        &["--delivery-stream-name", "s1", ENC, &value],
        &validation_failed(&[&expected]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_arn_loaded_with_at_equals_sends_the_file_content() {
    let content = std::fs::read_to_string(fixture("t2-key-arn.txt")).unwrap();
    assert_eq!(
        content, KEY_ARN,
        "fixture t2-key-arn.txt must have no trailing newline"
    );
    let value = format!(
        "KeyType=CUSTOMER_MANAGED_CMK,KeyARN@={}",
        file_url("t2-key-arn.txt")
    );
    assert_eq!(
        sent_bodies(&["--delivery-stream-name", "s1", ENC, &value]).await,
        vec![json!({
            "DeliveryStreamName": "s1",
            "DeliveryStreamEncryptionConfigurationInput": {
                "KeyType": "CUSTOMER_MANAGED_CMK",
                "KeyARN": KEY_ARN,
            }
        })]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn shorthand_json_file_and_cli_input_json_send_identical_bodies() {
    let shorthand = format!("KeyType=CUSTOMER_MANAGED_CMK,KeyARN={KEY_ARN}");
    let inline_json = format!(r#"{{"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": "{KEY_ARN}"}}"#);
    let json_file = file_url("t2-encryption.json");
    let input_doc = file_url("t2-cli-input.json");

    let from_shorthand = sent_raw_body(&["--delivery-stream-name", "s1", ENC, &shorthand]).await;
    let from_json = sent_raw_body(&["--delivery-stream-name", "s1", ENC, &inline_json]).await;
    let from_file = sent_raw_body(&["--delivery-stream-name", "s1", ENC, &json_file]).await;
    let from_document = sent_raw_body(&["--cli-input-json", &input_doc]).await;

    let expected = json!({
        "DeliveryStreamName": "s1",
        "DeliveryStreamEncryptionConfigurationInput": {
            "KeyType": "CUSTOMER_MANAGED_CMK",
            "KeyARN": KEY_ARN,
        }
    });
    let parsed: Value = serde_json::from_slice(&from_shorthand).expect("body is JSON");
    assert_eq!(parsed, expected);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert_eq!(text(&from_json), text(&from_shorthand), "inline JSON");
    assert_eq!(text(&from_file), text(&from_shorthand), "file:// JSON");
    assert_eq!(
        text(&from_document),
        text(&from_shorthand),
        "--cli-input-json"
    );
}

// ------------------------------------------------------------ --cli-input-json

#[tokio::test(flavor = "multi_thread")]
async fn cli_input_json_that_is_not_an_object_is_refused() {
    assert_refused(
        &["--cli-input-json", "[1]"],
        &param_error(
            "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>",
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_input_json_unknown_key_is_refused_with_the_member_list() {
    assert_refused(
        &["--cli-input-json", r#"{"DeliveryStreamName": "s1", "Bogus": 1}"#],
        &validation_failed(&[
            "Unknown parameter in input: \"Bogus\", must be one of: DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput",
        ]),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn command_line_structure_replaces_the_documents_structure_wholesale() {
    let doc = file_url("t2-cli-input-merge.json");
    assert_eq!(
        sent_bodies(&["--cli-input-json", &doc, ENC, "KeyType=AWS_OWNED_CMK"]).await,
        vec![json!({
            "DeliveryStreamName": "from-document",
            "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}
        })]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn command_line_name_replaces_the_documents_name() {
    let doc = file_url("t2-cli-input-merge.json");
    assert_eq!(
        sent_bodies(&[
            "--cli-input-json",
            &doc,
            "--delivery-stream-name",
            "from-flag"
        ])
        .await,
        vec![json!({
            "DeliveryStreamName": "from-flag",
            "DeliveryStreamEncryptionConfigurationInput": {
                "KeyType": "CUSTOMER_MANAGED_CMK",
                "KeyARN": KEY_ARN,
            }
        })]
    );
}

// ------------------------------------------------------------ global options

#[tokio::test(flavor = "multi_thread")]
async fn endpoint_url_without_a_scheme_is_refused() {
    // Not through cmd_at: the bad URL is the only endpoint given.
    let fake = accepting().await;
    let mut c = cmd();
    c.args([
        "--endpoint-url",
        "127.0.0.1:1",
        "--delivery-stream-name",
        "s1",
    ]);
    let out = run(c).await;
    out.code(252).stdout("").stderr(param_error(
        "Bad value for --endpoint-url \"127.0.0.1:1\": scheme is missing.  \
         Must be of the form http://<hostname>/ or https://<hostname>/",
    ));
    assert!(fake.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn help_prints_on_stdout_and_exits_0_without_sending() {
    let fake = accepting().await;
    let out = run(cmd_at(&fake, &["--help"])).await;
    let output = out.get_output().clone();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Usage: start-delivery-stream-encryption"),
        "{stdout}"
    );
    assert!(stdout.contains("--delivery-stream-name <NAME>"), "{stdout}");
    assert!(
        stdout.contains("--delivery-stream-encryption-configuration-input <VALUE>"),
        "{stdout}"
    );
    assert!(fake.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn version_prints_on_stdout_and_exits_0_without_sending() {
    let fake = accepting().await;
    let out = run(cmd_at(&fake, &["--version"])).await;
    let output = out.get_output().clone();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!(
            "start-delivery-stream-encryption {} (aws-sdk-firehose ",
            env!("CARGO_PKG_VERSION")
        )) && stdout.ends_with(")\n"),
        "{stdout:?}"
    );
    assert!(fake.requests().await.is_empty());
}
