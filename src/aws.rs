//! Everything that talks to AWS: the SDK configuration (built in one
//! function from the global options), the Firehose client, and one thin
//! async function per API call. Errors leave here already classified as
//! [`CliError`]s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_firehose::Client;
use aws_sdk_firehose::config::{Intercept, RuntimeComponents};
use aws_sdk_firehose::types::{
    DeliveryStreamEncryptionConfiguration, DeliveryStreamEncryptionConfigurationInput, KeyType,
};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder as HttpClientBuilder, ConnectorBuilder, proxy::ProxyConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::{Map, Value};

use crate::cli::GlobalArgs;
use crate::error::{self, CliError};
use crate::model;
use crate::validate::StartRequest;

/// The AWS CLI's default connect and read timeouts.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A Firehose client plus the URL its last request went to (for messages).
#[derive(Debug, Clone)]
pub struct Firehose {
    client: Client,
    last_url: Arc<Mutex<Option<String>>>,
}

/// Build the client from the global options. Region, profile and endpoint
/// are overridden only when given; otherwise aws-config's environment and
/// profile chain decides. A region is never invented: none is exit 253.
pub async fn firehose(global: &GlobalArgs) -> Result<Firehose, CliError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client())
        .region(region_chain(global))
        .retry_config(retry_config()?)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(DEFAULT_TIMEOUT)
                .read_timeout(DEFAULT_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &global.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &global.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk = loader.load().await;
    if sdk.region().is_none() {
        return Err(CliError::Config {
            code: "NoRegion",
            message: error::NO_REGION.to_owned(),
        });
    }
    let last_url = Arc::new(Mutex::new(None));
    let config = aws_sdk_firehose::config::Builder::from(&sdk)
        .interceptor(RecordUrl(Arc::clone(&last_url)))
        .build();
    Ok(Firehose {
        client: Client::from_conf(config),
        last_url,
    })
}

/// `--region`, then `AWS_REGION`/`AWS_DEFAULT_REGION`, then the profile's
/// `region`. Unlike aws-config's default chain, never asks IMDS: that costs
/// seconds when it is unreachable, and the AWS CLI does not do it either.
fn region_chain(global: &GlobalArgs) -> RegionProviderChain {
    let mut profile = ProfileFileRegionProvider::builder();
    if let Some(name) = &global.profile {
        profile = profile.profile_name(name);
    }
    RegionProviderChain::first_try(global.region.clone().map(Region::new))
        .or_else(EnvironmentVariableRegionProvider::new())
        .or_else(profile.build())
}

/// `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE`, parsed here because aws-config
/// panics on values the AWS CLI accepts (`legacy`) or rejects politely.
fn retry_config() -> Result<RetryConfig, CliError> {
    let bad = |name: &str, value: &str, rule: &str| CliError::Config {
        code: "Configuration",
        message: format!("Bad value for {name}: \"{value}\": {rule}"),
    };
    let mode = std::env::var("AWS_RETRY_MODE").ok();
    let (mut config, default_attempts) = match mode.as_deref() {
        None | Some("standard") => (RetryConfig::standard(), 3),
        Some("adaptive") => (RetryConfig::adaptive(), 3),
        Some("legacy") => (RetryConfig::standard(), 5),
        Some(other) => {
            return Err(bad(
                "AWS_RETRY_MODE",
                other,
                "must be one of legacy, standard, adaptive",
            ));
        }
    };
    let attempts = match std::env::var("AWS_MAX_ATTEMPTS") {
        Ok(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(bad(
                    "AWS_MAX_ATTEMPTS",
                    &v,
                    "must be a whole number of at least 1",
                ));
            }
        },
        Err(_) => default_attempts,
    };
    config = config.with_max_attempts(attempts);
    Ok(config)
}

/// hyper with rustls on ring, honouring `HTTP(S)_PROXY`/`NO_PROXY`.
fn http_client() -> SharedHttpClient {
    HttpClientBuilder::new().build_with_connector_fn(|settings, components| {
        let mut b =
            ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::Ring));
        b.set_connector_settings(settings.cloned());
        if let Some(rc) = components {
            b.set_sleep_impl(rc.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build()
    })
}

impl Firehose {
    /// Wrap a client built elsewhere (tests build one with mocked responses).
    pub fn from_client(client: Client) -> Self {
        Self {
            client,
            last_url: Arc::default(),
        }
    }

    /// Call `DescribeDeliveryStream` and return the stream's encryption
    /// state as `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`.
    ///
    /// If the SDK cannot parse the whole description (emulators omit members
    /// the model requires in unrelated destination shapes), the encryption
    /// part is read from the raw JSON body instead.
    pub async fn describe_encryption(&self, name: &str) -> Result<Value, CliError> {
        const OPERATION: &str = "DescribeDeliveryStream";
        match self
            .client
            .describe_delivery_stream()
            .delivery_stream_name(name)
            .send()
            .await
        {
            Ok(out) => Ok(encryption_state(
                name,
                out.delivery_stream_description()
                    .and_then(|d| d.delivery_stream_encryption_configuration()),
            )),
            Err(e) => {
                if let SdkError::ResponseError(ctx) = &e
                    && let Some(state) = ctx
                        .raw()
                        .body()
                        .bytes()
                        .and_then(|b| raw_encryption_state(name, b))
                {
                    return Ok(state);
                }
                Err(error::from_sdk(OPERATION, e, self.last_url().as_deref()))
            }
        }
    }

    /// The URL the last request was sent to, if any was sent.
    pub fn last_url(&self) -> Option<String> {
        self.last_url.lock().ok().and_then(|u| u.clone())
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
        self.client
            .start_delivery_stream_encryption()
            .delivery_stream_name(&req.delivery_stream_name)
            .set_delivery_stream_encryption_configuration_input(input)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| error::from_sdk(model::OPERATION, e, self.last_url().as_deref()))
    }
}

/// The wait result's shape: the name and the encryption configuration with
/// only the members the service set, in model order.
fn encryption_state(name: &str, config: Option<&DeliveryStreamEncryptionConfiguration>) -> Value {
    let mut state = Map::new();
    state.insert("DeliveryStreamName".into(), Value::from(name));
    if let Some(c) = config {
        let mut enc = Map::new();
        if let Some(arn) = c.key_arn() {
            enc.insert("KeyARN".into(), Value::from(arn));
        }
        if let Some(t) = c.key_type() {
            enc.insert("KeyType".into(), Value::from(t.as_str()));
        }
        if let Some(s) = c.status() {
            enc.insert("Status".into(), Value::from(s.as_str()));
        }
        if let Some(f) = c.failure_description() {
            enc.insert(
                "FailureDescription".into(),
                serde_json::json!({"Type": f.r#type().as_str(), "Details": f.details()}),
            );
        }
        state.insert(
            "DeliveryStreamEncryptionConfiguration".into(),
            Value::Object(enc),
        );
    }
    Value::Object(state)
}

/// [`encryption_state`] read from a raw `DescribeDeliveryStream` body.
fn raw_encryption_state(name: &str, body: &[u8]) -> Option<Value> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let description = doc.get("DeliveryStreamDescription")?;
    let mut state = Map::new();
    state.insert("DeliveryStreamName".into(), Value::from(name));
    if let Some(Value::Object(c)) = description.get("DeliveryStreamEncryptionConfiguration") {
        let enc: Map<String, Value> = ["KeyARN", "KeyType", "Status", "FailureDescription"]
            .iter()
            .filter_map(|k| {
                c.get(*k)
                    .filter(|v| !v.is_null())
                    .map(|v| ((*k).to_owned(), v.clone()))
            })
            .collect();
        state.insert(
            "DeliveryStreamEncryptionConfiguration".into(),
            Value::Object(enc),
        );
    }
    Some(Value::Object(state))
}

/// Remembers each request's URL so connection errors can name it.
#[derive(Debug)]
struct RecordUrl(Arc<Mutex<Option<String>>>);

impl Intercept for RecordUrl {
    fn name(&self) -> &'static str {
        "RecordUrl"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut url) = self.0.lock() {
            *url = Some(context.request().uri().to_owned());
        }
        Ok(())
    }
}
