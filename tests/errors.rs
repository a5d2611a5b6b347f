//! Outcomes and exit codes (contract §5): success, each modeled service
//! error, configuration problems and connection failures, each with its
//! exit code, its exact stderr line, an empty stdout, and what was sent.

mod common;

use common::*;
use serde_json::json;

/// A valid request: a name and an AWS-owned key.
const VALID: &[&str] = &["--delivery-stream-name", "s1", ENC, "KeyType=AWS_OWNED_CMK"];

/// Answer with the modeled error `code`/`message`, run a valid request, and
/// check exit 254, the canonical line, empty stdout and exactly one request
/// (with the default three attempts: these errors are not retried).
async fn assert_service_error(code: &str, message: &str) {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, code, message).await;
    run(cmd_at(&fake, VALID))
        .await
        .code(254)
        .stdout("")
        .stderr(canonical(code, message));
    assert_eq!(
        fake.bodies(START_TARGET).await.len(),
        1,
        "{code} must not be retried"
    );
}

// -------------------------------------------------------------------- success

#[tokio::test(flavor = "multi_thread")]
async fn success_exits_0_with_empty_stdout_and_stderr() {
    let fake = accepting().await;
    run(cmd_at(&fake, VALID))
        .await
        .code(0)
        .stdout("")
        .stderr("");
    assert_eq!(
        fake.bodies(START_TARGET).await,
        vec![json!({
            "DeliveryStreamName": "s1",
            "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}
        })]
    );
}

// ------------------------------------------------------------- service errors

#[tokio::test(flavor = "multi_thread")]
async fn resource_not_found_exits_254_with_the_canonical_line() {
    assert_service_error(
        "ResourceNotFoundException",
        "Firehose s1 under account 123456789012 not found.",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_in_use_exits_254_with_the_canonical_line() {
    assert_service_error(
        "ResourceInUseException",
        "Firehose s1 is not in the ACTIVE state.",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_argument_exits_254_with_the_canonical_line() {
    assert_service_error(
        "InvalidArgumentException",
        "This operation is not supported for a stream whose source is a Kinesis data stream.",
    )
    .await;
}

/// The canonical line, then a `Hint:` line containing `hint` (issue 6).
fn with_hint(line: String, hint: &str) -> impl predicates::Predicate<str> {
    use predicates::prelude::*;
    predicates::str::starts_with(format!("{line}\nHint: "))
        .and(predicates::str::contains(hint.to_owned()))
}

const LIMIT_MESSAGE: &str =
    "You have exceeded the limit of 25 start and stop encryption calls in 24 hours.";

#[tokio::test(flavor = "multi_thread")]
async fn limit_exceeded_exits_254_with_the_canonical_line() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "LimitExceededException", LIMIT_MESSAGE)
        .await;
    let mut c = cmd_at(&fake, VALID);
    c.env("AWS_MAX_ATTEMPTS", "1");
    run(c).await.code(254).stdout("").stderr(with_hint(
        canonical("LimitExceededException", LIMIT_MESSAGE),
        "25 calls per delivery stream in any 24 hours",
    ));
    assert_eq!(fake.bodies(START_TARGET).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn limit_exceeded_is_retried_as_throttling_up_to_max_attempts() {
    // Like botocore's standard mode, the SDK counts LimitExceededException
    // as throttling; the final line stays the canonical one (contract §5).
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "LimitExceededException", LIMIT_MESSAGE)
        .await;
    let mut c = cmd_at(&fake, VALID);
    c.env("AWS_MAX_ATTEMPTS", "2");
    run(c).await.code(254).stdout("").stderr(with_hint(
        canonical("LimitExceededException", LIMIT_MESSAGE),
        "25 calls per delivery stream in any 24 hours",
    ));
    assert_eq!(fake.bodies(START_TARGET).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_kms_resource_shows_its_error_code_not_the_kms_code_field() {
    let fake = FakeFirehose::start().await;
    let message = "Firehose could not access the KMS key.";
    fake.reply(
        START_TARGET,
        400,
        json!({
            "__type": "InvalidKMSResourceException",
            "code": "AccessDeniedException",
            "message": message,
        }),
    )
    .await;
    run(cmd_at(&fake, VALID))
        .await
        .code(254)
        .stdout("")
        .stderr(with_hint(
            canonical("InvalidKMSResourceException", message),
            "KMS refused the key (AccessDeniedException)",
        ));
    assert_eq!(fake.bodies(START_TARGET).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn namespaced_error_type_shows_the_bare_code() {
    let fake = FakeFirehose::start().await;
    let message = "Firehose s1 under account 123456789012 not found.";
    fake.reply_error(
        START_TARGET,
        "com.amazonaws.firehose#ResourceNotFoundException",
        message,
    )
    .await;
    run(cmd_at(&fake, VALID))
        .await
        .code(254)
        .stdout("")
        .stderr(canonical("ResourceNotFoundException", message));
    assert_eq!(fake.bodies(START_TARGET).await.len(), 1);
}

// --------------------------------------------------------------- configuration

#[tokio::test(flavor = "multi_thread")]
async fn no_region_exits_253_and_sends_nothing() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, VALID);
    c.env_remove("AWS_REGION");
    run(c).await.code(253).stdout("").stderr(
        "\naws: [ERROR]: An error occurred (NoRegion): You must specify a region. \
         You can also configure your region by running \"aws configure\".\n",
    );
    assert!(fake.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_exits_253_and_sends_nothing() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, VALID);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    run(c).await.code(253).stdout("").stderr(
        "\naws: [ERROR]: An error occurred (NoCredentials): Unable to locate credentials. \
         You can configure credentials by running \"aws configure\".\n",
    );
    assert!(fake.requests().await.is_empty());
}

// ------------------------------------------------------------------ transport

#[test]
fn connection_refused_exits_255_naming_the_endpoint() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut c = cmd();
    c.env("AWS_MAX_ATTEMPTS", "1")
        .arg("--endpoint-url")
        .arg(&url)
        .args(VALID);
    c.assert().code(255).stdout("").stderr(format!(
        "\naws: [ERROR]: Could not connect to the endpoint URL: \"http://127.0.0.1:{port}/\"\n"
    ));
}

/// A deliberate difference (README): where AWS CLI v2 prints the plain
/// line, a transport failure follows `--cli-error-format` too.
#[test]
fn connection_refused_follows_a_structured_error_format() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut c = cmd();
    c.env("AWS_MAX_ATTEMPTS", "1")
        .args(["--endpoint-url", &url, "--cli-error-format", "json"])
        .args(VALID);
    let out = c.assert().code(255).stdout("");
    let err: serde_json::Value = serde_json::from_slice(&out.get_output().stderr).unwrap();
    assert_eq!(
        err,
        json!({
            "Code": "EndpointConnectionError",
            "Message": format!("Could not connect to the endpoint URL: \"{url}/\"")
        })
    );
}

/// Mount a non-JSON HTML 500 page for the operation.
async fn html_500(fake: &FakeFirehose) -> &'static str {
    let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    fake.script(START_TARGET, vec![html(500, page)]).await;
    page
}

#[tokio::test(flavor = "multi_thread")]
async fn html_500_page_is_a_service_error_with_the_http_status_as_code() {
    let fake = FakeFirehose::start().await;
    let page = html_500(&fake).await;
    let mut c = cmd_at(&fake, VALID);
    c.env("AWS_MAX_ATTEMPTS", "1");
    run(c)
        .await
        .code(254)
        .stdout("")
        .stderr(canonical("500", page));
    assert_eq!(fake.requests().await.len(), 1);
}
