//! Our own HTTP client: hyper-util's legacy client over hyper-rustls, for
//! when the server's certificate is checked by a verifier of our own
//! ([`super::verifier`]): the SDK's client takes only a trust store.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind;
use http::Uri;
use http::uri::Scheme;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector as TcpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::chain::find_source;

/// Connect and read timeouts, the key of a connector.
type Timeouts = (Option<Duration>, Option<Duration>);

/// A client with its own TLS configuration: one connector (with its connection pool)
/// per pair of timeouts, as aws-smithy-http-client does.
pub(super) struct RustlsClient {
    pub(super) tls: Arc<rustls::ClientConfig>,
    pub(super) proxy: Arc<Matcher>,
    pub(super) connectors: Mutex<HashMap<Timeouts, SharedHttpConnector>>,
}

impl fmt::Debug for RustlsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RustlsClient").finish_non_exhaustive()
    }
}

impl HttpClient for RustlsClient {
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
                SharedHttpConnector::new(RustlsConnector::new(
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

/// A connect or read timeout of [`RustlsClient`].
#[derive(Debug)]
pub(super) struct HttpTimeout {
    pub(super) kind: &'static str,
    pub(super) after: Duration,
}

impl fmt::Display for HttpTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timeout occurred after {:?}", self.kind, self.after)
    }
}

impl StdError for HttpTimeout {}

struct RustlsConnector {
    client: HyperClient<Dialer, SdkBody>,
    proxy: Arc<Matcher>,
    read_timeout: Option<Duration>,
}

impl fmt::Debug for RustlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RustlsConnector")
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl RustlsConnector {
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

impl HttpConnector for RustlsConnector {
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

/// Opens connections for [`RustlsClient`]: directly, through
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
