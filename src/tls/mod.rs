//! The HTTP client the SDK sends requests with, and how it checks the
//! server's certificate.
//!
//! | [`TlsMode`] | client | roots |
//! |---|---|---|
//! | [`System`](TlsMode::System) | aws-smithy-http-client (hyper 1, rustls on ring) | the system store |
//! | [`Bundle`](TlsMode::Bundle) | our own hyper-util client + hyper-rustls | only the bundle's certificates, each also as a server's own |
//! | [`PlainHttp`](TlsMode::PlainHttp) | aws-smithy-http-client, twice | none for `http://`; the system store, loaded on first use, for `https://` |
//! | [`NoVerify`](TlsMode::NoVerify) | our own hyper-util client + hyper-rustls | none: any certificate is accepted |
//!
//! All of them honour `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`.
//! The SDK's client takes a trust store but no verifier of our own
//! (smithy-rs#4549, aws-sdk-rust#1175), hence the second client: for
//! `--no-verify-ssl`, and for a bundle, where certificates are judged as
//! OpenSSL (the AWS CLI's) judges them: a server certificate marked as a CA
//! (basicConstraints CA:TRUE, as `openssl req -x509` marks the self-signed
//! ones it makes), which webpki refuses, is trusted when it is itself in the
//! bundle or a certificate of the bundle issued it, and its key usages must
//! allow a server. Both verifiers still check the handshake signatures, so
//! the peer must hold the key of the certificate it shows;
//! `--no-verify-ssl` skips only the chain of trust and the name.
//!
//! [`certificate_problem`] finds a TLS failure in an error's source chain,
//! for the "SSL validation failed" message.

mod der;
mod rustls_client;
mod sdk_client;
mod verifier;

use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex};

use aws_smithy_http_client::tls::TrustStore;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use hyper_util::client::proxy::matcher::Matcher;

use crate::chain::find_source;
use rustls_client::RustlsClient;
use sdk_client::{PlainHttpClient, smithy_client};
use verifier::{bundle_config, no_verify_config};

/// How the server certificate is checked.
#[derive(Clone, PartialEq, Eq)]
pub enum TlsMode {
    /// The system's trust store (native roots).
    System,
    /// Only the certificates of this PEM bundle (`--ca-bundle`,
    /// `AWS_CA_BUNDLE`, profile `ca_bundle`): as roots, and each as itself.
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
/// Err, for a bundle: why it cannot be used, said of it ("it is not valid
/// PEM: …", "it contains no PEM certificate…", "its certificate 2 cannot be
/// used as a trust anchor: …"), for the caller to name the file.
pub fn http_client(mode: TlsMode) -> Result<SharedHttpClient, String> {
    Ok(match mode {
        TlsMode::System => smithy_client(TrustStore::default()),
        TlsMode::Bundle(pem) => rustls_client(bundle_config(&pem)?),
        TlsMode::PlainHttp => SharedHttpClient::new(PlainHttpClient {
            plain: smithy_client(TrustStore::empty()),
            system: smithy_client(TrustStore::default()),
        }),
        TlsMode::NoVerify => rustls_client(no_verify_config()?),
    })
}

/// Our own client with this TLS configuration, proxy from the environment.
fn rustls_client(tls: rustls::ClientConfig) -> SharedHttpClient {
    SharedHttpClient::new(RustlsClient {
        tls: Arc::new(tls),
        proxy: Arc::new(Matcher::from_env()),
        connectors: Mutex::default(),
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
///
/// A bundle's own refusals (a self-signed certificate not in it, a key
/// usage that allows no server…) are said in words. webpki's
/// `CaUsedAsEndEntity` (printed as `Other(OtherError(…))`), which only the
/// system trust store's client still gives, is said as what it is: a server
/// certificate marked as a CA, self-signed or not, which OpenSSL would judge
/// as any other and which a CA bundle can trust.
pub fn certificate_problem(err: &(dyn StdError + 'static)) -> Option<String> {
    let problem = find_source::<rustls::Error>(err)?;
    Some(if let Some(refusal) = verifier::bundle_problem(problem) {
        format!("invalid peer certificate: {refusal}")
    } else if verifier::is_ca_used_as_end_entity(problem) {
        "invalid peer certificate: the certificate is marked as a CA \
         (basicConstraints CA:TRUE), which only a CA bundle (--ca-bundle) holding \
         it or its issuer can trust (CaUsedAsEndEntity)"
            .to_owned()
    } else {
        problem.to_string()
    })
}

#[cfg(test)]
mod tests;
