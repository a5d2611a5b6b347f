//! Everything that talks to AWS: the SDK configuration (built in one
//! function from the global options), the Firehose client, and one thin
//! async function per API call. Errors leave here already classified as
//! [`CliError`]s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_firehose::Client;
use aws_sdk_firehose::config::{Intercept, RuntimeComponents};
use aws_sdk_firehose::types::{
    DeliveryStreamDescription, DeliveryStreamEncryptionConfigurationInput, KeyType,
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::{Map, Value};

use crate::cli::GlobalArgs;
use crate::config::{self, Profile};
use crate::error::{self, CliError};
use crate::model;
use crate::tls::{self, TlsMode};
use crate::validate::StartRequest;

/// The AWS CLI's default connect and read timeouts.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A Firehose client plus the URL its last request went to (for messages).
#[derive(Debug, Clone)]
pub struct Firehose {
    client: Client,
    log: Arc<RequestLog>,
}

/// Build the client from the global options and the profile. Region,
/// profile and endpoint are overridden only when given; otherwise
/// aws-config's environment and profile chain decides. A region is never
/// invented: none is exit 253.
pub async fn firehose(global: &GlobalArgs, profile: &Profile) -> Result<Firehose, CliError> {
    let http = tls::http_client(tls_mode(global, profile)?).map_err(|e| CliError::Config {
        code: "Configuration",
        message: e,
    })?;
    let selected = config::selected_profile(global);
    let region = region_chain(global, selected.as_deref()).region().await;
    if region.is_none() {
        return Err(CliError::Config {
            code: "NoRegion",
            message: error::NO_REGION.to_owned(),
        });
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http.clone())
        .region(region.clone())
        .retry_config(config::retry(profile)?)
        .timeout_config(timeouts(global));
    if let Some(url) = &global.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(name) = &selected {
        loader = loader.profile_name(name);
    }
    if global.no_sign_request {
        loader = loader.no_credentials();
    } else if let Some(name) = &global.profile {
        // As in the AWS CLI, a profile named on the command line outranks
        // credentials in the environment: only the profile's are used.
        let provider_config = ProviderConfig::default()
            .with_http_client(http)
            .with_region(region.clone())
            .with_behavior_version(Some(BehaviorVersion::latest()));
        loader = loader.credentials_provider(
            ProfileFileCredentialsProvider::builder()
                .configure(&provider_config)
                .profile_name(name)
                .build(),
        );
    }
    let sdk = loader.load().await;
    let log = Arc::new(RequestLog::default());
    let mut config =
        aws_sdk_firehose::config::Builder::from(&sdk).interceptor(RecordRequests(Arc::clone(&log)));
    if global.no_sign_request {
        config = config.allow_no_auth();
    }
    Ok(Firehose {
        client: Client::from_conf(config.build()),
        log,
    })
}

/// `--cli-connect-timeout` / `--cli-read-timeout`: seconds, 0 = none,
/// default 60 each (the AWS CLI's; the SDK's own default has no read timeout).
fn timeouts(global: &GlobalArgs) -> TimeoutConfig {
    let mut b = TimeoutConfig::builder();
    match global
        .cli_connect_timeout
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs)
    {
        Duration::ZERO => b = b.disable_connect_timeout(),
        d => b = b.connect_timeout(d),
    }
    match global
        .cli_read_timeout
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs)
    {
        Duration::ZERO => b = b.disable_read_timeout(),
        d => b = b.read_timeout(d),
    }
    b.build()
}

/// `--region`, then `AWS_REGION`/`AWS_DEFAULT_REGION`, then the profile's
/// `region`. Unlike aws-config's default chain, never asks IMDS: that costs
/// seconds when it is unreachable, and the AWS CLI does not do it either.
fn region_chain(global: &GlobalArgs, profile_name: Option<&str>) -> RegionProviderChain {
    let mut profile = ProfileFileRegionProvider::builder();
    if let Some(name) = profile_name {
        profile = profile.profile_name(name);
    }
    RegionProviderChain::first_try(global.region.clone().map(Region::new))
        .or_else(EnvironmentVariableRegionProvider::new())
        .or_else(profile.build())
}

/// How to check certificates: `--no-verify-ssl`, else a CA bundle
/// (`--ca-bundle` > `AWS_CA_BUNDLE` > profile `ca_bundle`), else the system
/// store, loaded only if a request really goes to an `https://` URL.
fn tls_mode(global: &GlobalArgs, profile: &Profile) -> Result<TlsMode, CliError> {
    if global.no_verify_ssl {
        return Ok(TlsMode::NoVerify);
    }
    match config::ca_bundle(global, profile) {
        Some(path) => std::fs::read(&path)
            .map(TlsMode::Bundle)
            .map_err(|e| CliError::Config {
                code: "Configuration",
                message: format!("Unable to read the CA bundle {path}: {e}"),
            }),
        None => Ok(TlsMode::PlainHttp),
    }
}

impl Firehose {
    /// Wrap a client built elsewhere (tests build one with mocked responses).
    pub fn from_client(client: Client) -> Self {
        Self {
            client,
            log: Arc::default(),
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
        match self
            .client
            .describe_delivery_stream()
            .delivery_stream_name(name)
            .send()
            .await
        {
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

    /// The URL the last request was sent to, if any was sent.
    pub fn last_url(&self) -> Option<String> {
        self.log.url.lock().ok().and_then(|u| u.clone())
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
        self.client
            .start_delivery_stream_encryption()
            .delivery_stream_name(&req.delivery_stream_name)
            .set_delivery_stream_encryption_configuration_input(input)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.classify(model::OPERATION, e))
    }
}

/// The parts of a `DeliveryStreamDescription` this tool uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Description {
    /// `DeliveryStreamName` (as asked for).
    pub name: String,
    /// `DeliveryStreamStatus`, e.g. `ACTIVE`.
    pub status: Option<String>,
    /// `DeliveryStreamType`, e.g. `DirectPut`.
    pub stream_type: Option<String>,
    /// `Source.KinesisStreamSourceDescription.KinesisStreamARN`.
    pub kinesis_source_arn: Option<String>,
    /// `DeliveryStreamEncryptionConfiguration` with only the members set,
    /// in model order (`KeyARN`, `KeyType`, `Status`, `FailureDescription`).
    pub encryption: Option<Map<String, Value>>,
}

impl Description {
    fn from_sdk(name: &str, d: Option<&DeliveryStreamDescription>) -> Self {
        let Some(d) = d else {
            return Self {
                name: name.to_owned(),
                ..Self::default()
            };
        };
        let encryption = d.delivery_stream_encryption_configuration().map(|c| {
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
            enc
        });
        Self {
            name: name.to_owned(),
            status: Some(d.delivery_stream_status().as_str().to_owned()),
            stream_type: Some(d.delivery_stream_type().as_str().to_owned()),
            kinesis_source_arn: d
                .source()
                .and_then(|s| s.kinesis_stream_source_description())
                .and_then(|k| k.kinesis_stream_arn())
                .map(str::to_owned),
            encryption,
        }
    }

    fn from_raw(name: &str, body: &[u8]) -> Option<Self> {
        let doc: Value = serde_json::from_slice(body).ok()?;
        let d = doc.get("DeliveryStreamDescription")?;
        let text = |pointer: &str| {
            d.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let encryption = d
            .get("DeliveryStreamEncryptionConfiguration")
            .and_then(Value::as_object)
            .map(|c| {
                ["KeyARN", "KeyType", "Status", "FailureDescription"]
                    .iter()
                    .filter_map(|k| {
                        c.get(*k)
                            .filter(|v| !v.is_null())
                            .map(|v| ((*k).to_owned(), v.clone()))
                    })
                    .collect()
            });
        Some(Self {
            name: name.to_owned(),
            status: text("/DeliveryStreamStatus"),
            stream_type: text("/DeliveryStreamType"),
            kinesis_source_arn: text("/Source/KinesisStreamSourceDescription/KinesisStreamARN"),
            encryption,
        })
    }

    /// The `--wait` result: `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`.
    pub fn encryption_state(&self) -> Value {
        let mut state = Map::new();
        state.insert("DeliveryStreamName".into(), Value::from(self.name.as_str()));
        if let Some(enc) = &self.encryption {
            state.insert(
                "DeliveryStreamEncryptionConfiguration".into(),
                Value::Object(enc.clone()),
            );
        }
        Value::Object(state)
    }
}

/// What the interceptor saw: the URL of the last attempt, for connection
/// messages.
#[derive(Debug, Default)]
struct RequestLog {
    url: Mutex<Option<String>>,
}

/// Fills the [`RequestLog`].
#[derive(Debug)]
struct RecordRequests(Arc<RequestLog>);

impl Intercept for RecordRequests {
    fn name(&self) -> &'static str {
        "RecordRequests"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut url) = self.0.url.lock() {
            *url = Some(context.request().uri().to_owned());
        }
        Ok(())
    }
}
