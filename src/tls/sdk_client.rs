//! [`TlsMode::System`](super::TlsMode::System) and `PlainHttp`:
//! aws-smithy-http-client's own client.

use aws_smithy_http_client::tls::{Provider, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_http_client::{
    Builder as SmithyClientBuilder, ConnectorBuilder, proxy::ProxyConfig,
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::config_bag::ConfigBag;

/// aws-smithy-http-client's hyper client with `trust`, built the way
/// aws-smithy-runtime builds its default one, so that the proxy
/// environment variables are honoured (`build_https` ignores them).
pub(super) fn smithy_client(trust: TrustStore) -> SharedHttpClient {
    // TlsContextBuilder::build cannot fail in this version; it returns a
    // Result for future checks. Fall back to the default context anyway.
    let ctx = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .unwrap_or_default();
    SmithyClientBuilder::new().build_with_connector_fn(move |settings, components| {
        let mut b = ConnectorBuilder::default()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .tls_context(ctx.clone());
        b.set_connector_settings(settings.cloned());
        if let Some(rc) = components {
            b.set_sleep_impl(rc.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build()
    })
}

/// Sends `http://` requests through a client with no roots, and `https://`
/// ones through a client with the system roots, which are therefore only
/// read if such a request is made.
#[derive(Debug)]
pub(super) struct PlainHttpClient {
    pub(super) plain: SharedHttpClient,
    pub(super) system: SharedHttpClient,
}

impl HttpClient for PlainHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PlainHttpConnector {
            plain: self.plain.http_connector(settings, components),
            system: self.system.clone(),
            settings: settings.clone(),
            components: components.clone(),
        })
    }

    fn validate_base_client_config(
        &self,
        components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        // Not `system`: that would load the native roots now.
        self.plain.validate_base_client_config(components, cfg)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.plain.connector_metadata()
    }
}

#[derive(Debug)]
struct PlainHttpConnector {
    plain: SharedHttpConnector,
    system: SharedHttpClient,
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
}

impl HttpConnector for PlainHttpConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let uri = request.uri();
        let is_https = uri
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case("https:"));
        if is_https {
            // aws-smithy-http-client caches the connector per settings.
            self.system
                .http_connector(&self.settings, &self.components)
                .call(request)
        } else {
            self.plain.call(request)
        }
    }
}
