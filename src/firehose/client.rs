//! The Firehose client: one thin async function per API call this tool
//! makes, and the parts of a description it uses. Errors leave here
//! already classified as [`CliError`]s.

use std::sync::Arc;

use aws_sdk_firehose::Client;
use aws_sdk_firehose::types::{DeliveryStreamEncryptionConfigurationInput, KeyType};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;

use super::description::Description;
use super::request::StartRequest;
use super::{hints, model};
use crate::calls::CallCount;
use crate::error::{self, CliError};
use crate::sdk::{RecordRequests, RequestLog, Sdk};

/// A Firehose client plus the URL its last request went to (for messages)
/// and, for a fleet's calls, the counter its calls report to.
#[derive(Debug, Clone)]
pub struct FirehoseClient {
    client: Client,
    log: Arc<RequestLog>,
    count: Option<CallCount>,
}

/// Send a fluent request, with the client's counter as an interceptor when
/// it has one.
macro_rules! send {
    ($self:ident, $op:expr) => {
        match &$self.count {
            Some(count) => $op.customize().interceptor(count.clone()).send().await,
            None => $op.send().await,
        }
    };
}

impl FirehoseClient {
    /// The client for `sdk`'s configuration (`AWS_ENDPOINT_URL_FIREHOSE`
    /// applies here).
    pub fn new(sdk: &Sdk) -> Self {
        let mut config = aws_sdk_firehose::config::Builder::from(&sdk.config)
            .interceptor(RecordRequests(Arc::clone(&sdk.log)));
        if sdk.no_sign_request {
            config = config.allow_no_auth();
        }
        Self {
            client: Client::from_conf(config.build()),
            log: Arc::clone(&sdk.log),
            count: None,
        }
    }

    /// The same client, its calls counted by `count`.
    pub fn counted(&self, count: CallCount) -> Self {
        Self {
            count: Some(count),
            ..self.clone()
        }
    }

    /// Wrap a client built elsewhere (tests build one with mocked responses).
    pub fn from_client(client: Client) -> Self {
        Self {
            client,
            log: Arc::default(),
            count: None,
        }
    }

    /// Call `DescribeDeliveryStream` and return the stream's encryption
    /// state as `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`.
    pub async fn describe_encryption(&self, name: &str) -> Result<Value, CliError> {
        self.describe(name).await.map(|d| d.encryption_state())
    }

    /// Call `DescribeDeliveryStream` and keep what this tool uses.
    ///
    /// If the SDK cannot parse the whole description (emulators omit members
    /// the model requires in unrelated destination shapes), the same facts
    /// are read from the raw JSON body instead.
    pub async fn describe(&self, name: &str) -> Result<Description, CliError> {
        const OPERATION: &str = "DescribeDeliveryStream";
        let op = self
            .client
            .describe_delivery_stream()
            .delivery_stream_name(name);
        match send!(self, op) {
            Ok(out) => Ok(Description::from_sdk(
                name,
                out.delivery_stream_description(),
            )),
            Err(e) => {
                if let SdkError::ResponseError(ctx) = &e
                    && let Some(d) = ctx
                        .raw()
                        .body()
                        .bytes()
                        .and_then(|b| Description::from_raw(name, b))
                {
                    return Ok(d);
                }
                Err(self.classify(OPERATION, e))
            }
        }
    }

    /// Call `ListDeliveryStreams` for one page of up to `limit` names,
    /// after `start_after` if given; the names, and whether more follow.
    pub async fn list_page(
        &self,
        start_after: Option<&str>,
        limit: i32,
    ) -> Result<(Vec<String>, bool), CliError> {
        let op = self
            .client
            .list_delivery_streams()
            .limit(limit)
            .set_exclusive_start_delivery_stream_name(start_after.map(str::to_owned));
        let out = send!(self, op).map_err(|e| self.classify("ListDeliveryStreams", e))?;
        let more = out.has_more_delivery_streams();
        Ok((out.delivery_stream_names, more))
    }

    /// The URL the last request was sent to, if any was sent.
    pub fn last_url(&self) -> Option<String> {
        self.log.last_url()
    }

    /// Classify a failed call, naming the URL it went to.
    fn classify<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> CliError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        error::from_sdk(operation, err, self.last_url().as_deref())
    }

    /// Call `StartDeliveryStreamEncryption`.
    pub async fn start_encryption(&self, req: &StartRequest) -> Result<(), CliError> {
        let input = req.encryption.as_ref().map(|enc| {
            DeliveryStreamEncryptionConfigurationInput::builder()
                .set_key_arn(enc.key_arn.clone())
                .key_type(KeyType::from(enc.key_type.as_str()))
                .build()
        });
        let input = input.transpose().map_err(|e| {
            CliError::failure(
                "RequestBuildError",
                format!("could not build the request: {e}"),
            )
        })?;
        let op = self
            .client
            .start_delivery_stream_encryption()
            .delivery_stream_name(&req.delivery_stream_name)
            .set_delivery_stream_encryption_configuration_input(input);
        send!(self, op).map(|_| ()).map_err(|e| {
            let kms_code = match &e {
                SdkError::ServiceError(se) => error::body_member(se.raw(), "code"),
                _ => None,
            };
            let mut err = self.classify(model::OPERATION, e);
            if let CliError::Service { code, hint, .. } = &mut err {
                *hint = hints::from_error(code, kms_code.as_deref());
            }
            err
        })
    }
}
