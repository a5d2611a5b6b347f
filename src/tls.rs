//! The HTTP client the SDK sends requests with, and how it checks the
//! server's certificate.
//!
//! | [`TlsMode`] | client | roots |
//! |---|---|---|
//! | [`System`](TlsMode::System) | aws-smithy-http-client (hyper 1, rustls on ring) | the system store |
//! | [`Bundle`](TlsMode::Bundle) | the same | only the bundle's certificates |
//! | [`PlainHttp`](TlsMode::PlainHttp) | the same, twice | none for `http://`; the system store, loaded on first use, for `https://` |
//! | [`NoVerify`](TlsMode::NoVerify) | our own hyper-util client + hyper-rustls | none: any certificate is accepted |
//!
//! All of them honour `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`.
//! The SDK has no hook for turning verification off (smithy-rs#4549,
//! aws-sdk-rust#1175), hence the second client for `--no-verify-ssl`. It
//! still checks the handshake signatures, so the peer must hold the key of
//! the certificate it shows; only the chain of trust and the name are
//! skipped.
//!
//! [`certificate_problem`] finds a TLS failure in an error's source chain,
//! for the "SSL validation failed" message.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use crate::chain::find_source;

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
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::ErrorKind;
use http::Uri;
use http::uri::Scheme;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector as TcpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// How the server certificate is checked.
#[derive(Clone, PartialEq, Eq)]
pub enum TlsMode {
    /// The system's trust store (native roots).
    System,
    /// Only the certificates of this PEM bundle (`--ca-bundle`,
    /// `AWS_CA_BUNDLE`, profile `ca_bundle`).
    Bundle(Vec<u8>),
    /// Accept any certificate (`--no-verify-ssl`).
    NoVerify,
    /// No trust store at all: for plain `http://` endpoints, where loading
    /// native roots only costs startup time (~5 ms). Should a request still
    /// go to an `https://` URL (STS for an assumed role, SSO), the system
    /// store is loaded then, for that request, as [`TlsMode::System`] would.
    PlainHttp,
}

impl fmt::Debug for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::System => f.write_str("System"),
            Self::Bundle(pem) => write!(f, "Bundle({} bytes)", pem.len()),
            Self::NoVerify => f.write_str("NoVerify"),
            Self::PlainHttp => f.write_str("PlainHttp"),
        }
    }
}

/// An HTTP client for the SDK (rustls on ring, proxy from
/// `HTTP(S)_PROXY`/`NO_PROXY`). Pass it to both the config loader and,
/// through it, the service client: IMDS, STS and SSO use it too.
///
/// Err: a message naming the problem, for a bundle that is not PEM, holds
/// no certificate, or holds one that cannot serve as a trust anchor.
pub fn http_client(mode: TlsMode) -> Result<SharedHttpClient, String> {
    Ok(match mode {
        TlsMode::System => smithy_client(TrustStore::default()),
        TlsMode::Bundle(pem) => smithy_client(bundle_trust_store(pem)?),
        TlsMode::PlainHttp => SharedHttpClient::new(PlainHttpClient {
            plain: smithy_client(TrustStore::empty()),
            system: smithy_client(TrustStore::default()),
        }),
        TlsMode::NoVerify => SharedHttpClient::new(NoVerifyClient {
            tls: Arc::new(no_verify_config()?),
            proxy: Arc::new(Matcher::from_env()),
            connectors: Mutex::default(),
        }),
    })
}

/// If `err`'s source chain holds a TLS failure, what rustls said about it,
/// such as `invalid peer certificate: UnknownIssuer`.
///
/// The chain is walked by [`error_chain`](crate::chain::error_chain), which
/// also looks inside `io::Error` payloads. Any `rustls::Error` counts:
/// an untrusted, expired or misnamed certificate, and also a handshake the
/// TLS layer refused (a fatal alert, a peer that does not speak TLS), which
/// the AWS CLI reports as "SSL validation failed" just the same.
pub fn certificate_problem(err: &(dyn StdError + 'static)) -> Option<String> {
    find_source::<rustls::Error>(err).map(ToString::to_string)
}

// ---------------------------------------------------------------------------
// System, Bundle, PlainHttp: the SDK's own client.

/// aws-smithy-http-client's hyper client with `trust`, built the way
/// aws-smithy-runtime builds its default one, so that the proxy
/// environment variables are honoured (`build_https` ignores them).
fn smithy_client(trust: TrustStore) -> SharedHttpClient {
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

/// A trust store holding exactly the certificates of `pem`.
///
/// aws-smithy-http-client only parses the PEM when it builds a connector,
/// and panics there on anything it cannot use, so every certificate is
/// checked here first, with the same functions it calls.
fn bundle_trust_store(pem: Vec<u8>) -> Result<TrustStore, String> {
    let mut roots = RootCertStore::empty();
    for (n, cert) in CertificateDer::pem_slice_iter(&pem).enumerate() {
        let cert = cert.map_err(|e| format!("the CA bundle is not valid PEM: {e}"))?;
        roots.add(cert).map_err(|e| {
            format!(
                "certificate {} of the CA bundle cannot be used as a trust anchor: {e}",
                n + 1
            )
        })?;
    }
    if roots.is_empty() {
        return Err("the CA bundle contains no PEM certificate \
                    (no \"-----BEGIN CERTIFICATE-----\" section)"
            .to_owned());
    }
    Ok(TrustStore::empty().with_pem_certificate(pem))
}

/// Sends `http://` requests through a client with no roots, and `https://`
/// ones through a client with the system roots, which are therefore only
/// read if such a request is made.
#[derive(Debug)]
struct PlainHttpClient {
    plain: SharedHttpClient,
    system: SharedHttpClient,
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

// ---------------------------------------------------------------------------
// NoVerify: hyper-util's legacy client over hyper-rustls.

/// rustls on ring with a verifier that accepts any certificate.
fn no_verify_config() -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = AcceptAnyCertificate {
        algorithms: provider.signature_verification_algorithms,
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// Trusts any certificate chain for any name, but still checks that the
/// handshake was signed with the key of the certificate the server sent.
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Connect and read timeouts, the key of a connector.
type Timeouts = (Option<Duration>, Option<Duration>);

/// The `--no-verify-ssl` client: one connector (with its connection pool)
/// per pair of timeouts, as aws-smithy-http-client does.
struct NoVerifyClient {
    tls: Arc<rustls::ClientConfig>,
    proxy: Arc<Matcher>,
    connectors: Mutex<HashMap<Timeouts, SharedHttpConnector>>,
}

impl fmt::Debug for NoVerifyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NoVerifyClient").finish_non_exhaustive()
    }
}

impl HttpClient for NoVerifyClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        let key = (settings.connect_timeout(), settings.read_timeout());
        let mut connectors = self
            .connectors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        connectors
            .entry(key)
            .or_insert_with(|| {
                SharedHttpConnector::new(NoVerifyConnector::new(
                    Arc::clone(&self.tls),
                    Arc::clone(&self.proxy),
                    key.0,
                    key.1,
                ))
            })
            .clone()
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        Some(ConnectorMetadata::new("hyper", Some("1.x".into())))
    }
}

/// A connect or read timeout of the `--no-verify-ssl` client.
#[derive(Debug)]
struct HttpTimeout {
    kind: &'static str,
    after: Duration,
}

impl fmt::Display for HttpTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timeout occurred after {:?}", self.kind, self.after)
    }
}

impl StdError for HttpTimeout {}

struct NoVerifyConnector {
    client: HyperClient<Dialer, SdkBody>,
    proxy: Arc<Matcher>,
    read_timeout: Option<Duration>,
}

impl fmt::Debug for NoVerifyConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NoVerifyConnector")
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl NoVerifyConnector {
    fn new(
        tls: Arc<rustls::ClientConfig>,
        proxy: Arc<Matcher>,
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
    ) -> Self {
        let mut tcp = TcpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        let https = HttpsConnectorBuilder::new()
            .with_tls_config((*tls).clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let dialer = Dialer {
            https,
            tls,
            proxy: Arc::clone(&proxy),
            connect_timeout,
        };
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(dialer);
        Self {
            client,
            proxy,
            read_timeout,
        }
    }

    /// For a plain `http://` request sent to a proxy, its credentials.
    fn add_proxy_authorization(&self, request: &mut http::Request<SdkBody>) {
        if request.uri().scheme() != Some(&Scheme::HTTP)
            || request
                .headers()
                .contains_key(http::header::PROXY_AUTHORIZATION)
        {
            return;
        }
        if let Some(auth) = self
            .proxy
            .intercept(request.uri())
            .and_then(|i| i.basic_auth().cloned())
        {
            request
                .headers_mut()
                .insert(http::header::PROXY_AUTHORIZATION, auth);
        }
    }
}

impl HttpConnector for NoVerifyConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let mut request = match request.try_into_http1x() {
            Ok(request) => request,
            Err(e) => return HttpConnectorFuture::ready(Err(ConnectorError::user(e.into()))),
        };
        self.add_proxy_authorization(&mut request);
        let response = self.client.request(request);
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let result = match read_timeout {
                Some(after) => match tokio::time::timeout(after, response).await {
                    Ok(result) => result,
                    Err(_) => {
                        let kind = "HTTP read";
                        return Err(ConnectorError::timeout(Box::new(HttpTimeout {
                            kind,
                            after,
                        })));
                    }
                },
                None => response.await,
            };
            match result {
                Ok(response) => HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                    .map_err(|e| ConnectorError::other(e.into(), None)),
                Err(e) => Err(connector_error(e)),
            }
        })
    }
}

/// Sort a hyper-util client failure the way aws-smithy-http-client does, so
/// that `DispatchFailure::is_timeout`/`is_io` mean the same for both clients.
fn connector_error(err: hyper_util::client::legacy::Error) -> ConnectorError {
    let timeout = find_source::<HttpTimeout>(&err).is_some();
    let hyper = find_source::<hyper::Error>(&err).map(|h| {
        (
            h.is_timeout(),
            h.is_user(),
            h.is_closed() || h.is_canceled() || find_source::<io::Error>(h).is_some(),
            h.is_incomplete_message(),
        )
    });
    let io = err.is_connect() || find_source::<io::Error>(&err).is_some();
    let err: BoxError = Box::new(err);
    match hyper {
        _ if timeout => ConnectorError::timeout(err),
        Some((true, ..)) => ConnectorError::timeout(err),
        Some((_, true, ..)) => ConnectorError::user(err),
        Some((_, _, true, _)) => ConnectorError::io(err),
        Some((.., true)) => ConnectorError::other(err, Some(ErrorKind::TransientError)),
        _ if io => ConnectorError::io(err),
        _ => ConnectorError::other(err, None),
    }
}

/// Opens connections for the `--no-verify-ssl` client: directly, through
/// an HTTP proxy (`CONNECT` tunnel for `https://`, absolute-form requests
/// for `http://`), with the whole of it (TCP, proxy, TLS) bounded by the
/// connect timeout.
#[derive(Clone)]
struct Dialer {
    https: HttpsConnector<TcpConnector>,
    tls: Arc<rustls::ClientConfig>,
    proxy: Arc<Matcher>,
    connect_timeout: Option<Duration>,
}

type Dialing = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

impl tower_service::Service<Uri> for Dialer {
    type Response = Conn;
    type Error = BoxError;
    type Future = Dialing;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let dialing: Dialing = match self.proxy.intercept(&dst) {
            None => {
                let connecting = self.https.call(dst);
                Box::pin(async move { Ok(Conn::new(connecting.await?, false)) })
            }
            Some(proxy) if dst.scheme() == Some(&Scheme::HTTPS) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.https.clone());
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let mut tls = HttpsConnectorBuilder::new()
                    .with_tls_config((*self.tls).clone())
                    .https_only()
                    .enable_http1()
                    .wrap_connector(tunnel);
                let connecting = tls.call(dst);
                Box::pin(async move { Ok(Conn::new(connecting.await?, false)) })
            }
            Some(proxy) => {
                let connecting = self.https.call(proxy.uri().clone());
                Box::pin(async move { Ok(Conn::new(connecting.await?, true)) })
            }
        };
        match self.connect_timeout {
            None => dialing,
            Some(after) => Box::pin(async move {
                match tokio::time::timeout(after, dialing).await {
                    Ok(result) => result,
                    Err(_) => Err(Box::new(HttpTimeout {
                        kind: "HTTP connect",
                        after,
                    }) as BoxError),
                }
            }),
        }
    }
}

/// A connection of any of the three kinds [`Dialer`] makes.
trait Io: hyper::rt::Read + hyper::rt::Write + Connection + Send + Unpin {}
impl<T: hyper::rt::Read + hyper::rt::Write + Connection + Send + Unpin> Io for T {}

struct Conn {
    inner: Box<dyn Io>,
    /// Requests go to a forward proxy, so hyper writes absolute URIs.
    forward_proxy: bool,
}

impl Conn {
    fn new(inner: impl Io + 'static, forward_proxy: bool) -> Self {
        Self {
            inner: Box::new(inner),
            forward_proxy,
        }
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.inner.connected().proxy(self.forward_proxy)
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.inner).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_without_certificates_is_refused() {
        let err = http_client(TlsMode::Bundle(b"not pem".to_vec())).unwrap_err();
        assert!(err.contains("no PEM certificate"), "{err}");
        let key_only = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(http_client(TlsMode::Bundle(key_only.to_vec())).is_err());
    }

    #[test]
    fn a_malformed_certificate_is_refused_not_a_panic_later() {
        let junk = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let err = bundle_trust_store(junk.to_vec()).unwrap_err();
        assert!(err.contains("certificate 1"), "{err}");
        let unterminated = b"-----BEGIN CERTIFICATE-----\nAAAA\n";
        let err = bundle_trust_store(unterminated.to_vec()).unwrap_err();
        assert!(err.contains("not valid PEM"), "{err}");
    }

    #[test]
    fn certificate_problem_sees_through_nested_io_errors() {
        use rustls::CertificateError;
        // The shape hyper-rustls produces.
        let nested = io::Error::other(io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        ));
        let boxed: BoxError = Box::new(nested);
        let outer = ConnectorError::io(boxed);
        assert_eq!(
            certificate_problem(&outer).as_deref(),
            Some("invalid peer certificate: UnknownIssuer")
        );
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(certificate_problem(&refused), None);
    }

    #[test]
    fn timeouts_are_classified_as_timeouts() {
        let boxed: BoxError = Box::new(HttpTimeout {
            kind: "HTTP connect",
            after: Duration::from_secs(1),
        });
        assert!(find_source::<HttpTimeout>(boxed.as_ref()).is_some());
        assert_eq!(boxed.to_string(), "HTTP connect timeout occurred after 1s");
    }

    #[test]
    fn mode_debug_hides_the_bundle() {
        assert_eq!(
            format!("{:?}", TlsMode::Bundle(vec![0; 3])),
            "Bundle(3 bytes)"
        );
    }
}
