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
