//! How [`RustlsClient`](super::rustls_client::RustlsClient) checks the
//! server's certificate: against a CA bundle ([`bundle_config`]), or not
//! at all ([`no_verify_config`]).

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_name};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, OtherError, RootCertStore, SignatureScheme};

/// rustls on ring, trusting the certificates of the PEM bundle `pem` as
/// OpenSSL does: as roots a chain may lead to, and each also as itself, when
/// the server presents exactly that certificate. `openssl req -x509` marks
/// the certificates it makes as CAs (basicConstraints CA:TRUE), which
/// webpki refuses as a server's own (`CaUsedAsEndEntity`).
///
/// Err: why the bundle cannot be used, said of it ("it is not valid PEM:
/// …"), for the caller to name the file: it is not PEM, holds no
/// certificate, or holds one that cannot serve as a trust anchor.
pub(super) fn bundle_config(pem: &[u8]) -> Result<rustls::ClientConfig, String> {
    let mut roots = RootCertStore::empty();
    let mut certificates = Vec::new();
    for (n, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let cert = cert.map_err(|e| format!("it is not valid PEM: {e}"))?;
        roots.add(cert.clone()).map_err(|e| {
            format!(
                "its certificate {} cannot be used as a trust anchor: {e}",
                n + 1
            )
        })?;
        certificates.push(cert);
    }
    if roots.is_empty() {
        return Err("it contains no PEM certificate \
                    (no \"-----BEGIN CERTIFICATE-----\" section)"
            .to_owned());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| format!("it cannot be used: {e}"))?;
    let verifier = BundleVerifier {
        webpki,
        certificates,
    };
    config_with(provider, Arc::new(verifier))
}

/// rustls on `provider`, checking certificates with `verifier`.
fn config_with(
    provider: Arc<CryptoProvider>,
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<rustls::ClientConfig, String> {
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// webpki's verification against the bundle's roots, which also accepts a
/// server certificate that is itself one of the bundle's certificates,
/// though marked as a CA, when it is valid now and for the host name.
#[derive(Debug)]
struct BundleVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    certificates: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for BundleVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        match verdict {
            Err(e) if is_ca_used_as_end_entity(&e) && self.certificates.contains(end_entity) => {
                // webpki checks a certificate's validity period before its
                // basicConstraints, so having got this far the period holds
                // (the tests with an expired certificate guard that order).
                // The name is left: check it now.
                verify_server_name(&ParsedCertificate::try_from(end_entity)?, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            verdict => verdict,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// Whether webpki refused the certificate only for being a CA.
pub(super) fn is_ca_used_as_end_entity(err: &rustls::Error) -> bool {
    matches!(
        err,
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(e)))
            if matches!(e.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity))
    )
}

/// rustls on ring with a verifier that accepts any certificate.
pub(super) fn no_verify_config() -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = AcceptAnyCertificate {
        algorithms: provider.signature_verification_algorithms,
    };
    config_with(provider, Arc::new(verifier))
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
