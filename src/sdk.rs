//! The SDK configuration, built in one function from the global options and
//! the profile, shared by every service client (cargo-lambda's
//! `sdk_config()`). Names no service.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::SdkConfig;

use crate::bounds;
use crate::config::{self, CaBundle, Profile, RetryDefaults};
use crate::error::{self, CliError};
use crate::global::GlobalArgs;
use crate::profile_credentials;
use crate::tls::{self, TlsMode};

/// The AWS CLI's default connect and read timeouts.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The shared SDK configuration every service client is built from, and
/// the log of where requests went.
#[derive(Debug, Clone)]
pub struct Sdk {
    /// aws-config's result: region, credentials, endpoint, retries,
    /// timeouts, the HTTP client.
    pub config: SdkConfig,
    /// `--no-sign-request`: clients must allow unauthenticated requests.
    pub no_sign_request: bool,
    /// Where the last request went, for connection messages.
    pub log: Arc<RequestLog>,
}

impl Sdk {
    /// The same configuration in `region` (a target of a fleet run).
    pub fn in_region(&self, region: &str) -> Sdk {
        Sdk {
            config: self
                .config
                .to_builder()
                .region(Region::new(region.to_owned()))
                .build(),
            ..self.clone()
        }
    }
}

/// Build the SDK configuration from the global options and the profile.
/// Region, profile and endpoint are overridden only when given; otherwise
/// aws-config's environment and profile chain decides (a service-specific
/// `AWS_ENDPOINT_URL_<SERVICE>` applies when the client is built). A region
/// is never invented: none is exit 253.
pub async fn load(
    global: &GlobalArgs,
    profile: &Profile,
    retries: RetryDefaults,
) -> Result<Sdk, CliError> {
    let (mode, bundle) = tls_mode(global, profile)?;
    let http = tls::http_client(mode).map_err(|e| CliError::Config {
        code: "Configuration",
        message: match bundle {
            Some(bundle) => format!("Unable to use the CA bundle {bundle}: {e}"),
            None => e,
        },
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
        .retry_config(config::retry(profile, retries)?)
        .timeout_config(timeouts(global));
    if let Some(url) = &global.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(name) = &selected {
        loader = loader.profile_name(name);
    }
    if global.no_sign_request {
        loader = loader.no_credentials();
    }
    let mut config = loader.load().await;
    if let (false, Some(name)) = (global.no_sign_request, &global.profile) {
        // As in the AWS CLI, a profile named on the command line outranks
        // credentials in the environment: only the profile's are used.
        let files = EnvConfigFiles::default();
        let provider = profile_credentials::for_profile(&config, name, &files).await;
        config = config.to_builder().credentials_provider(provider).build();
    }
    Ok(Sdk {
        config,
        no_sign_request: global.no_sign_request,
        log: Arc::new(RequestLog::default()),
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
/// store, loaded only if a request really goes to an `https://` URL. The
/// bundle is read whole, within [`MAX_FILE_BYTES`](bounds::MAX_FILE_BYTES)
/// (a device such as `/dev/zero` is refused at once), and returned with
/// where it was set, for messages.
fn tls_mode(
    global: &GlobalArgs,
    profile: &Profile,
) -> Result<(TlsMode, Option<CaBundle>), CliError> {
    if global.no_verify_ssl {
        return Ok((TlsMode::NoVerify, None));
    }
    let Some(bundle) = config::ca_bundle(global, profile) else {
        return Ok((TlsMode::PlainHttp, None));
    };
    match bounds::read_file(Path::new(&bundle.path), bounds::MAX_FILE_BYTES) {
        Ok(pem) => Ok((TlsMode::Bundle(pem), Some(bundle))),
        Err(e) => Err(CliError::Config {
            code: "Configuration",
            message: format!("Unable to read the CA bundle {bundle}: {e}"),
        }),
    }
}

/// What the interceptor saw: the URL of the last attempt, for connection
/// messages.
#[derive(Debug, Default)]
pub struct RequestLog {
    url: Mutex<Option<String>>,
}

impl RequestLog {
    /// The URL the last request was sent to, if any was sent.
    pub fn last_url(&self) -> Option<String> {
        self.url.lock().ok().and_then(|u| u.clone())
    }
}

/// Fills the [`RequestLog`]; add it to every service client.
#[derive(Debug)]
pub struct RecordRequests(pub Arc<RequestLog>);

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
