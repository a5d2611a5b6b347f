//! Wire level: what the binary sends, checked on a loopback fake.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn sends_a_signed_json_request_with_the_structure() {
    let fake = accepting().await;
    let out = run(cmd_at(
        &fake,
        &[
            "--delivery-stream-name",
            "s1",
            "--delivery-stream-encryption-configuration-input",
            "KeyType=AWS_OWNED_CMK",
        ],
    ))
    .await;
    out.success().stdout("").stderr("");

    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/");
    let h = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(h("x-amz-target"), START_TARGET);
    assert_eq!(h("content-type"), "application/x-amz-json-1.1");
    let auth = h("authorization");
    assert!(
        auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/"))
            && auth.contains("/us-east-1/firehose/aws4_request")
            && auth.contains("Signature="),
        "{auth}"
    );
    assert_eq!(
        fake.bodies(START_TARGET).await,
        vec![
            json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}})
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_structure_out_sends_none() {
    let fake = accepting().await;
    run(cmd_at(&fake, &["--delivery-stream-name", "s1"]))
        .await
        .success();
    assert_eq!(
        fake.bodies(START_TARGET).await,
        vec![json!({"DeliveryStreamName": "s1"})]
    );
}
