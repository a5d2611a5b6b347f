//! Scripted replies for the fake, and DescribeDeliveryStream bodies for the
//! stream `s1`.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use super::{DESCRIBE_TARGET, FakeFirehose, KEY_ARN, accepting};

/// A reply of `status` with a JSON `body` (a `Value` or text), typed as the
/// API's JSON.
pub fn amz_json(status: u16, body: impl std::fmt::Display) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body.to_string())
}

/// A modeled service error reply (`__type` + `message`), HTTP 400.
pub fn amz_error(code: &str, message: &str) -> ResponseTemplate {
    amz_json(400, json!({"__type": code, "message": message}))
}

/// A reply of `status` with an HTML `page`.
pub fn html(status: u16, page: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(page, "text/html")
}

/// Answers the i-th request with the i-th reply; the last one repeats.
struct Script {
    replies: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.replies[i.min(self.replies.len() - 1)].clone()
    }
}

impl FakeFirehose {
    /// Answer requests for `target` with `replies`, in order; the last one
    /// repeats.
    pub async fn script(&self, target: &str, replies: Vec<ResponseTemplate>) {
        assert!(!replies.is_empty());
        Mock::given(method("POST"))
            .and(path("/"))
            .and(header("x-amz-target", target))
            .respond_with(self.responder(
                target,
                Script {
                    replies,
                    next: AtomicUsize::new(0),
                },
            ))
            .mount(&self.server)
            .await;
    }
}

/// A full, SDK-valid DescribeDeliveryStream reply for stream `s1` of type
/// `stream_type` in status `status`, with no encryption configuration.
pub fn description(stream_type: &str, status: &str) -> Value {
    json!({"DeliveryStreamDescription": {
        "DeliveryStreamName": "s1",
        "DeliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s1",
        "DeliveryStreamStatus": status,
        "DeliveryStreamType": stream_type,
        "VersionId": "1",
        "Destinations": [],
        "HasMoreDestinations": false,
    }})
}

/// A full, SDK-valid DescribeDeliveryStream reply for the ACTIVE DirectPut
/// stream `s1` whose encryption configuration is `enc`.
pub fn described(enc: Value) -> Value {
    let mut d = description("DirectPut", "ACTIVE");
    d["DeliveryStreamDescription"]["DeliveryStreamEncryptionConfiguration"] = enc;
    d
}

/// A reply whose customer managed key is in encryption status `status`.
pub fn with_status(status: &str) -> Value {
    described(json!({"KeyARN": KEY_ARN, "KeyType": "CUSTOMER_MANAGED_CMK", "Status": status}))
}

/// A reply whose customer managed key failed to enable, with a
/// FailureDescription of type `kind` and `details`.
pub fn enabling_failed(kind: &str, details: &str) -> Value {
    described(json!({
        "KeyARN": KEY_ARN,
        "KeyType": "CUSTOMER_MANAGED_CMK",
        "Status": "ENABLING_FAILED",
        "FailureDescription": {"Type": kind, "Details": details},
    }))
}

/// A fake that accepts the start and then describes `statuses` in order
/// (the last one repeats).
pub async fn fake_with_statuses(statuses: &[&str]) -> FakeFirehose {
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        statuses
            .iter()
            .map(|s| amz_json(200, with_status(s)))
            .collect(),
    )
    .await;
    fake
}

/// A fake that accepts the start and describes the stream as ENABLED.
pub async fn enabled_fake() -> FakeFirehose {
    fake_with_statuses(&["ENABLED"]).await
}
