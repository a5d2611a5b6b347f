//! How [`RustlsClient`](super::rustls_client::RustlsClient) checks the
//! server's certificate: against a CA bundle ([`bundle_config`]), or not
//! at all ([`no_verify_config`]).

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_name};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    CertificateError, DigitallySignedStruct, ExtendedKeyPurpose, OtherError, RootCertStore,
    SignatureScheme,
};
use webpki::EndEntityCert;

use super::der::{self, Certificate};

/// rustls on ring, trusting the certificates of the PEM bundle `pem` as
/// OpenSSL does: as roots a chain may lead to, and each also as itself, when
/// the server presents exactly that certificate. `openssl req -x509` marks
/// the certificates it makes as CAs (basicConstraints CA:TRUE), which
/// webpki refuses as a server's own (`CaUsedAsEndEntity`); so does any
/// server certificate marked as a CA, which OpenSSL takes as any other
/// (see [`BundleVerifier`]).
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
        algorithms: provider.signature_verification_algorithms,
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

/// webpki's verification against the bundle's roots, and OpenSSL's
/// judgement of a server certificate marked as a CA (basicConstraints
/// CA:TRUE), which webpki refuses as such (`CaUsedAsEndEntity`) and
/// OpenSSL takes as any other server certificate. Such a certificate is
/// trusted when it is itself one of the bundle's certificates (a
/// self-signed certificate, as `openssl req -x509` makes them), or when one
/// of the bundle's certificates issued it directly and puts no name
/// constraints on it; then, as for any server certificate, its key usages
/// must allow a server (as OpenSSL's `ssl_server` purpose has it) and its
/// names must hold the host's. Its validity period has been checked by
/// webpki, which does that before it looks at basicConstraints (the tests
/// with expired certificates guard that order).
///
/// Where this stops short of OpenSSL, it refuses, saying why: a CA:TRUE
/// certificate behind intermediate certificates, or under a bundle
/// certificate with name constraints.
#[derive(Debug)]
struct BundleVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    certificates: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl BundleVerifier {
    /// The server certificate `end_entity`, marked as a CA: see
    /// [`BundleVerifier`].
    fn verify_ca_end_entity(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let leaf =
            EndEntityCert::try_from(end_entity).map_err(|_| CertificateError::BadEncoding)?;
        let fields =
            Certificate::parse(end_entity.as_ref()).ok_or(CertificateError::BadEncoding)?;
        if !self.certificates.contains(end_entity) {
            self.issued_by_the_bundle(&leaf, &fields, !intermediates.is_empty())?;
        }
        check_server_purpose(&fields)?;
        verify_server_name(&ParsedCertificate::try_from(end_entity)?, server_name)?;
        Ok(ServerCertVerified::assertion())
    }

    /// Whether one of the bundle's certificates issued `leaf` (whose parts
    /// are `fields`) and puts no name constraints on it. Err: what is
    /// wrong, as truly as can be said.
    fn issued_by_the_bundle(
        &self,
        leaf: &EndEntityCert<'_>,
        fields: &Certificate<'_>,
        sent_intermediates: bool,
    ) -> Result<(), rustls::Error> {
        let mut named = false;
        for candidate in &self.certificates {
            let Ok(issuer) = EndEntityCert::try_from(candidate) else {
                continue;
            };
            if issuer.subject() != leaf.issuer() {
                continue;
            }
            named = true;
            if !self.signed_by(&issuer, fields) {
                continue;
            }
            let constrained = webpki::anchor_from_trusted_cert(candidate)
                .map_or(true, |anchor| anchor.name_constraints.is_some());
            return if constrained {
                Err(BundleProblem::NameConstrainedIssuer.into())
            } else {
                Ok(())
            };
        }
        Err(if leaf.issuer() == leaf.subject() {
            BundleProblem::SelfSigned.into()
        } else if named {
            CertificateError::BadSignature.into()
        } else if sent_intermediates {
            BundleProblem::BehindIntermediates.into()
        } else {
            CertificateError::UnknownIssuer.into()
        })
    }

    /// Whether `issuer`'s key signed the certificate whose parts are
    /// `leaf`, with an algorithm webpki accepts for certificates.
    fn signed_by(&self, issuer: &EndEntityCert<'_>, leaf: &Certificate<'_>) -> bool {
        leaf.signature_algorithm == leaf.tbs_signature_algorithm
            && self
                .algorithms
                .all
                .iter()
                .filter(|alg| alg.signature_alg_id().as_ref() == leaf.signature_algorithm)
                .any(|alg| {
                    issuer
                        .verify_signature(*alg, leaf.tbs, leaf.signature)
                        .is_ok()
                })
    }
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
            Err(e) if is_ca_used_as_end_entity(&e) => {
                self.verify_ca_end_entity(end_entity, intermediates, server_name)
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

/// The extended key usages OpenSSL accepts for a server
/// (`check_purpose_ssl_server`): id-kp-serverAuth, and the two Server
/// Gated Crypto purposes of old (Microsoft's and Netscape's). Not
/// anyExtendedKeyUsage: OpenSSL refuses a server certificate with only that.
pub(super) const SERVER_PURPOSES: [&[u8]; 3] = [
    // 1.3.6.1.5.5.7.3.1
    &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01],
    // 1.3.6.1.4.1.311.10.3.3
    &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x0a, 0x03, 0x03],
    // 2.16.840.1.113730.4.1
    &[0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x04, 0x01],
];

/// The key usage bits of which OpenSSL wants one in a server's certificate
/// that has the extension: digitalSignature (bit 0), keyEncipherment (bit
/// 2), keyAgreement (bit 4), all in the first byte.
const SERVER_KEY_USAGES: u8 = 0x80 | 0x20 | 0x08;

/// OpenSSL's test of a server's certificate: its extended key usage, when
/// present, must include one of [`SERVER_PURPOSES`]; its key usage, when
/// present, one of [`SERVER_KEY_USAGES`].
fn check_server_purpose(fields: &Certificate<'_>) -> Result<(), rustls::Error> {
    if let Some(extended) = fields.extended_key_usage {
        let purposes = der::object_identifiers(extended).ok_or(CertificateError::BadEncoding)?;
        if !purposes.iter().any(|p| SERVER_PURPOSES.contains(p)) {
            let presented = purposes
                .iter()
                .map(|p| der::arcs(p).map(purpose))
                .collect::<Option<Vec<_>>>()
                .ok_or(CertificateError::BadEncoding)?;
            return Err(if presented.is_empty() {
                CertificateError::InvalidPurpose
            } else {
                CertificateError::InvalidPurposeContext {
                    required: ExtendedKeyPurpose::ServerAuth,
                    presented,
                }
            }
            .into());
        }
    }
    if let Some(usage) = fields.key_usage {
        // The BIT STRING's contents: the count of unused bits, then the bits.
        let first = usage.get(1).copied().unwrap_or(0);
        if first & SERVER_KEY_USAGES == 0 {
            return Err(BundleProblem::KeyUsage.into());
        }
    }
    Ok(())
}

/// An extended key usage by its arcs, as rustls names it in its messages.
fn purpose(arcs: Vec<usize>) -> ExtendedKeyPurpose {
    match arcs.as_slice() {
        [1, 3, 6, 1, 5, 5, 7, 3, 1] => ExtendedKeyPurpose::ServerAuth,
        [1, 3, 6, 1, 5, 5, 7, 3, 2] => ExtendedKeyPurpose::ClientAuth,
        _ => ExtendedKeyPurpose::Other(arcs),
    }
}

/// Why [`BundleVerifier`] refused a server certificate marked as a CA, where
/// rustls has no word for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BundleProblem {
    /// Self-signed, and not in the bundle.
    SelfSigned,
    /// Not issued by a certificate of the bundle, and sent with
    /// intermediate certificates, which are not followed.
    BehindIntermediates,
    /// Issued by a certificate of the bundle that has name constraints.
    NameConstrainedIssuer,
    /// A key usage that allows no server.
    KeyUsage,
}

impl fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SelfSigned => "self-signed certificate, not in the CA bundle",
            Self::BehindIntermediates => {
                "the certificate is marked as a CA (basicConstraints CA:TRUE) and no \
                 certificate of the CA bundle issued it; for such a certificate the \
                 intermediate certificates the server sent are not followed"
            }
            Self::NameConstrainedIssuer => {
                "the certificate is marked as a CA (basicConstraints CA:TRUE) and its \
                 issuer in the CA bundle has name constraints, which are not checked \
                 for such a certificate"
            }
            Self::KeyUsage => {
                "certificate key usage allows none of digitalSignature, keyEncipherment \
                 and keyAgreement, one of which a server's certificate needs"
            }
        })
    }
}

impl std::error::Error for BundleProblem {}

impl From<BundleProblem> for rustls::Error {
    fn from(problem: BundleProblem) -> Self {
        CertificateError::Other(OtherError(Arc::new(problem))).into()
    }
}

/// The [`BundleProblem`] in `err`, if it is one.
pub(super) fn bundle_problem(err: &rustls::Error) -> Option<BundleProblem> {
    match err {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(e))) => {
            e.downcast_ref::<BundleProblem>().copied()
        }
        _ => None,
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
