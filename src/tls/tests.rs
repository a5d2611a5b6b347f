use super::rustls_client::HttpTimeout;
use super::verifier::bundle_config;
use super::*;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use std::io;
use std::time::Duration;

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
    let err = bundle_config(junk).unwrap_err();
    assert!(err.starts_with("its certificate 1 "), "{err}");
    let unterminated = b"-----BEGIN CERTIFICATE-----\nAAAA\n";
    let err = bundle_config(unterminated).unwrap_err();
    assert!(err.starts_with("it is not valid PEM"), "{err}");
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

// ---------------------------------------------------------------------------
// What the bundle verifier reads of a certificate itself

use super::der::{self, Certificate};
use super::verifier::{BundleProblem, SERVER_PURPOSES, bundle_problem};
use rcgen::{CertificateParams, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose};

/// A self-signed certificate with these usages, as DER.
fn cert_der(eku: Vec<ExtendedKeyUsagePurpose>, ku: Vec<KeyUsagePurpose>) -> Vec<u8> {
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params.extended_key_usages = eku;
    params.key_usages = ku;
    let key = KeyPair::generate().unwrap();
    params.self_signed(&key).unwrap().der().to_vec()
}

#[test]
fn the_parts_of_a_certificate_are_found() {
    let der = cert_der(
        vec![ExtendedKeyUsagePurpose::ClientAuth],
        vec![KeyUsagePurpose::KeyCertSign],
    );
    let cert = Certificate::parse(&der).unwrap();
    assert_eq!(cert.signature_algorithm, cert.tbs_signature_algorithm);
    assert_eq!(cert.tbs.first(), Some(&0x30));
    assert!(!cert.signature.is_empty());
    let purposes = der::object_identifiers(cert.extended_key_usage.unwrap()).unwrap();
    assert_eq!(der::arcs(purposes[0]).unwrap(), [1, 3, 6, 1, 5, 5, 7, 3, 2]);
    // keyCertSign is bit 5: 0x04 in the first byte.
    assert_eq!(cert.key_usage.unwrap().get(1).map(|b| b & 0x04), Some(0x04));

    let plain = cert_der(vec![], vec![]);
    let cert = Certificate::parse(&plain).unwrap();
    assert_eq!((cert.extended_key_usage, cert.key_usage), (None, None));
    // Anything after the certificate, or a cut, is not a certificate.
    let mut longer = plain.clone();
    longer.push(0);
    assert_eq!(Certificate::parse(&longer), None);
    assert_eq!(Certificate::parse(&plain[..plain.len() - 1]), None);
}

#[test]
fn the_server_purposes_are_the_ones_openssl_names() {
    let arcs: Vec<Vec<usize>> = SERVER_PURPOSES
        .iter()
        .map(|id| der::arcs(id).unwrap())
        .collect();
    assert_eq!(
        arcs,
        [
            vec![1, 3, 6, 1, 5, 5, 7, 3, 1],       // serverAuth
            vec![1, 3, 6, 1, 4, 1, 311, 10, 3, 3], // msSGC
            vec![2, 16, 840, 1, 113_730, 4, 1],    // nsSGC
        ]
    );
    assert_eq!(der::arcs(&[0x2b, 0x86]), None); // cut inside an arc
    assert_eq!(der::arcs(&[]), None);
}

proptest::proptest! {
    #[test]
    fn any_bytes_are_read_without_a_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = Certificate::parse(&bytes);
        let _ = der::object_identifiers(&bytes);
        let _ = der::arcs(&bytes);
    }

    #[test]
    fn a_damaged_certificate_is_read_without_a_panic(at in 0usize..4096, byte in proptest::num::u8::ANY) {
        let mut der = cert_der(vec![ExtendedKeyUsagePurpose::ServerAuth], vec![KeyUsagePurpose::DigitalSignature]);
        let at = at % der.len();
        der[at] = byte;
        let _ = Certificate::parse(&der);
        let _ = Certificate::parse(&der[..at]);
    }
}

#[test]
fn refusals_are_said_in_words() {
    let refused: rustls::Error = BundleProblem::SelfSigned.into();
    assert_eq!(bundle_problem(&refused), Some(BundleProblem::SelfSigned));
    let io = io::Error::new(io::ErrorKind::InvalidData, refused);
    assert_eq!(
        certificate_problem(&io).as_deref(),
        Some("invalid peer certificate: self-signed certificate, not in the CA bundle")
    );

    // The system store's client still gives webpki's CaUsedAsEndEntity:
    // said as what it is, not as "self-signed".
    let webpki = rustls::Error::InvalidCertificate(rustls::CertificateError::Other(
        rustls::OtherError(std::sync::Arc::new(webpki::Error::CaUsedAsEndEntity)),
    ));
    let io = io::Error::new(io::ErrorKind::InvalidData, webpki);
    let problem = certificate_problem(&io).unwrap();
    assert!(
        problem.contains("marked as a CA") && !problem.contains("self-signed"),
        "{problem}"
    );
}
