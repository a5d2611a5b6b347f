//! The `--wait` state machine at SDK level, with aws-smithy-mocks standing in
//! for DescribeDeliveryStream: which statuses end the wait, which keep it
//! polling, and what a describe error or the deadline turns into.

use std::time::Duration;

use aws_sdk_firehose::Client;
use aws_sdk_firehose::operation::describe_delivery_stream::{
    DescribeDeliveryStreamError, DescribeDeliveryStreamOutput,
};
use aws_sdk_firehose::types::error::ResourceNotFoundException;
use aws_sdk_firehose::types::{
    DeliveryStreamDescription, DeliveryStreamEncryptionConfiguration as Enc,
    DeliveryStreamEncryptionStatus as S, DeliveryStreamFailureType, DeliveryStreamStatus,
    DeliveryStreamType, FailureDescription, KeyType,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use serde_json::json;
use start_delivery_stream_encryption::error::CliError;
use start_delivery_stream_encryption::firehose::client::FirehoseClient;
use start_delivery_stream_encryption::firehose::model;
use start_delivery_stream_encryption::progress::Progress;
use start_delivery_stream_encryption::wait::{self, Settled, Wait, WaitOptions, Watch};

const FAST: WaitOptions = WaitOptions {
    timeout: Duration::from_secs(5),
    interval: Duration::from_millis(5),
};

fn described(
    status: Option<S>,
    failure: Option<FailureDescription>,
) -> DescribeDeliveryStreamOutput {
    let enc = status.map(|s| {
        Enc::builder()
            .key_type(KeyType::CustomerManagedCmk)
            .key_arn("arn:aws:kms:us-east-1:123456789012:key/abcd")
            .status(s)
            .set_failure_description(failure.clone())
            .build()
    });
    let description = DeliveryStreamDescription::builder()
        .delivery_stream_name("s1")
        .delivery_stream_arn("arn:aws:firehose:us-east-1:123456789012:deliverystream/s1")
        .delivery_stream_status(DeliveryStreamStatus::Active)
        .delivery_stream_type(DeliveryStreamType::DirectPut)
        .version_id("1")
        .set_destinations(Some(vec![]))
        .has_more_destinations(false)
        .set_delivery_stream_encryption_configuration(enc)
        .build()
        .expect("all required members set");
    DescribeDeliveryStreamOutput::builder()
        .delivery_stream_description(description)
        .build()
}

/// Wait for the customer managed key the mock describes, with no state
/// from before the call.
async fn settle(client: Client, options: WaitOptions) -> Result<Settled, CliError> {
    let firehose = FirehoseClient::from_client(client);
    let subject = model::wait_subject("s1");
    let requested = json!({"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/abcd"});
    let wait = Wait {
        waiter: &model::WAITER,
        subject: &subject,
        requested: requested.as_object().expect("an object"),
        before: None,
        options,
    };
    wait::until_settled(
        &wait,
        || firehose.describe_encryption("s1"),
        &Progress::new("s1"),
        &Watch::default(),
    )
    .await
}

async fn wait_with(client: Client, options: WaitOptions) -> Result<serde_json::Value, CliError> {
    settle(client, options).await.map(|s| s.state)
}

#[tokio::test]
async fn enabling_then_enabled_returns_the_final_state() {
    let rule = mock!(Client::describe_delivery_stream)
        .match_requests(|r| r.delivery_stream_name() == Some("s1"))
        .sequence()
        .output(|| described(None, None))
        .output(|| described(Some(S::Enabling), None))
        .times(2)
        .output(|| described(Some(S::Enabled), None))
        .build();
    let client = mock_client!(aws_sdk_firehose, RuleMode::Sequential, [&rule]);
    let state = wait_with(client, FAST).await.unwrap();
    assert_eq!(
        state,
        json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfiguration": {
            "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/abcd", "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLED"}})
    );
    assert_eq!(
        rule.num_calls(),
        4,
        "no configuration, ENABLING twice, then ENABLED"
    );
    assert!(
        settle(client_enabled(), FAST)
            .await
            .unwrap()
            .failure
            .is_none(),
        "ENABLED with the requested key is no failure"
    );
}

#[tokio::test]
async fn enabling_failed_ends_the_wait_with_type_and_details() {
    let rule = mock!(Client::describe_delivery_stream)
        .sequence()
        .output(|| described(Some(S::Enabling), None))
        .output(|| {
            let f = FailureDescription::builder()
                .r#type(DeliveryStreamFailureType::KmsAccessDenied)
                .details("Firehose is not allowed to use the key.")
                .build()
                .unwrap();
            described(Some(S::EnablingFailed), Some(f))
        })
        .build();
    let client = mock_client!(aws_sdk_firehose, RuleMode::Sequential, [&rule]);
    let settled = settle(client, FAST).await.unwrap();
    assert_eq!(
        wait::field(&settled.state, model::WAITER.status),
        Some("ENABLING_FAILED")
    );
    let failure = settled.failure.expect("a failure");
    assert_eq!(failure.exit_code(), std::process::ExitCode::from(255));
    assert_eq!(
        failure.to_string(),
        "Enabling encryption failed for delivery stream \"s1\": KMS_ACCESS_DENIED: Firehose is not allowed to use the key."
    );
}

#[tokio::test]
async fn unexpected_statuses_keep_it_polling_until_the_deadline() {
    let rule = mock!(Client::describe_delivery_stream)
        .sequence()
        .output(|| described(Some(S::Disabled), None))
        .output(|| described(Some(S::Disabling), None))
        .output(|| described(Some(S::Enabling), None))
        .times(1000)
        .build();
    let client = mock_client!(aws_sdk_firehose, RuleMode::Sequential, [&rule]);
    let options = WaitOptions {
        timeout: Duration::from_millis(300),
        interval: Duration::from_millis(20),
    };
    let started = std::time::Instant::now();
    let err = wait_with(client, options).await.unwrap_err();
    let elapsed = started.elapsed();
    let message = err.to_string();
    assert!(
        message.starts_with("Waiter timed out after ")
            && message.ends_with("did not reach ENABLED with the requested key; last status seen: ENABLING; key in place: KeyType=CUSTOMER_MANAGED_CMK, KeyARN=arn:aws:kms:us-east-1:123456789012:key/abcd"),
        "{message}"
    );
    assert_eq!(err.exit_code(), std::process::ExitCode::from(255));
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    // Backoff: far fewer polls than 300ms / 20ms would allow without it.
    assert!(
        rule.num_calls() >= 3 && rule.num_calls() <= 10,
        "{} polls",
        rule.num_calls()
    );
}

#[tokio::test]
async fn a_describe_error_ends_the_wait_with_the_canonical_line() {
    let rule = mock!(Client::describe_delivery_stream)
        .sequence()
        .output(|| described(Some(S::Enabling), None))
        .error(|| {
            DescribeDeliveryStreamError::ResourceNotFoundException(
                ResourceNotFoundException::builder()
                    .message("Firehose s1 under account 123456789012 not found.")
                    .meta(
                        ErrorMetadata::builder()
                            .code("ResourceNotFoundException")
                            .message("Firehose s1 under account 123456789012 not found.")
                            .build(),
                    )
                    .build(),
            )
        })
        .build();
    let client = mock_client!(aws_sdk_firehose, RuleMode::Sequential, [&rule]);
    let err = wait_with(client, FAST).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "An error occurred (ResourceNotFoundException) when calling the DescribeDeliveryStream operation: Firehose s1 under account 123456789012 not found."
    );
    assert_eq!(err.exit_code(), std::process::ExitCode::from(254));
    assert_eq!(rule.num_calls(), 2);
}

fn client_enabled() -> Client {
    let rule =
        mock!(Client::describe_delivery_stream).then_output(|| described(Some(S::Enabled), None));
    mock_client!(aws_sdk_firehose, RuleMode::Sequential, [&rule])
}
