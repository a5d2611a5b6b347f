//! The Kinesis client: StartStreamEncryption and DescribeStreamSummary.
//! Errors leave here already classified as [`CliError`]s.

use std::sync::Arc;

use aws_sdk_kinesis::Client;
use aws_sdk_kinesis::types::EncryptionType;
use aws_smithy_runtime_api::client::result::SdkError;
use serde_json::{Map, Value};

use super::{hints, model};
use crate::calls::CallCount;
use crate::error::{self, CliError};
use crate::sdk::{RecordRequests, RequestLog, Sdk};

/// The members of a stream's summary that `--wait` prints, in this order.
const STATE_MEMBERS: [&str; 5] = [
    "StreamName",
    "StreamARN",
    "StreamStatus",
    "EncryptionType",
    "KeyId",
];

/// A Kinesis client plus the URL its last request went to (for messages)
/// and, for a fleet's calls, the counter its calls report to.
#[derive(Debug, Clone)]
pub struct KinesisClient {
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

impl KinesisClient {
    /// The client for `sdk`'s configuration (`AWS_ENDPOINT_URL_KINESIS`
    /// applies here).
    pub fn new(sdk: &Sdk) -> Self {
        let mut config = aws_sdk_kinesis::config::Builder::from(&sdk.config)
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

    /// Call `ListStreams` for one page of up to `limit` names, after
    /// `start_after` if given (`ExclusiveStartStreamName`, which every
    /// implementation takes); the names, and whether more follow.
    pub async fn list_page(
        &self,
        start_after: Option<&str>,
        limit: i32,
    ) -> Result<(Vec<String>, bool), CliError> {
        let op = self
            .client
            .list_streams()
            .limit(limit)
            .set_exclusive_start_stream_name(start_after.map(str::to_owned));
        let out = send!(self, op)
            .map_err(|e| error::from_sdk("ListStreams", e, self.log.last_url().as_deref()))?;
        let more = out.has_more_streams();
        Ok((out.stream_names, more))
    }

    /// Call `StartStreamEncryption` with the members of a validated request.
    pub async fn start(&self, doc: &Map<String, Value>) -> Result<(), CliError> {
        let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_owned);
        let op = self
            .client
            .start_stream_encryption()
            .set_stream_name(text("StreamName"))
            .set_encryption_type(text("EncryptionType").map(|t| EncryptionType::from(t.as_str())))
            .set_key_id(text("KeyId"))
            .set_stream_arn(text("StreamARN"))
            .set_stream_id(text("StreamId"));
        send!(self, op).map(|_| ()).map_err(|e| {
            let mut err = error::from_sdk(model::OPERATION, e, self.log.last_url().as_deref());
            if let CliError::Service { code, hint, .. } = &mut err {
                *hint = hints::from_error(code);
            }
            err
        })
    }

    /// Call `DescribeStreamSummary` for the stream of `doc` and return
    /// `{"StreamName", "StreamARN", "StreamStatus", "EncryptionType", "KeyId"}`
    /// (the members the service gave). If the SDK cannot parse the whole
    /// summary (emulators omit required members), the raw JSON is read.
    pub async fn describe_state(&self, doc: &Map<String, Value>) -> Result<Value, CliError> {
        let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_owned);
        let op = self
            .client
            .describe_stream_summary()
            .set_stream_name(text("StreamName"))
            .set_stream_arn(text("StreamARN"));
        let result = send!(self, op);
        match result {
            Ok(out) => {
                let mut state = Map::new();
                if let Some(s) = out.stream_description_summary() {
                    state.insert("StreamName".into(), Value::from(s.stream_name()));
                    state.insert("StreamARN".into(), Value::from(s.stream_arn()));
                    state.insert(
                        "StreamStatus".into(),
                        Value::from(s.stream_status().as_str()),
                    );
                    if let Some(t) = s.encryption_type() {
                        state.insert("EncryptionType".into(), Value::from(t.as_str()));
                    }
                    if let Some(k) = s.key_id() {
                        state.insert("KeyId".into(), Value::from(k));
                    }
                }
                Ok(Value::Object(state))
            }
            Err(e) => {
                if let SdkError::ResponseError(ctx) = &e
                    && let Some(state) = ctx.raw().body().bytes().and_then(state_from_raw)
                {
                    return Ok(state);
                }
                Err(error::from_sdk(
                    "DescribeStreamSummary",
                    e,
                    self.log.last_url().as_deref(),
                ))
            }
        }
    }
}

fn state_from_raw(body: &[u8]) -> Option<Value> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let summary = doc.get("StreamDescriptionSummary")?.as_object()?;
    let state: Map<String, Value> = STATE_MEMBERS
        .iter()
        .filter_map(|k| {
            summary
                .get(*k)
                .filter(|v| v.is_string())
                .map(|v| ((*k).to_owned(), v.clone()))
        })
        .collect();
    Some(Value::Object(state))
}
