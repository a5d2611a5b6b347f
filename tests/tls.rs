//! `tls::http_client` and `tls::certificate_problem` through the real SDK,
//! against HTTPS servers (and a proxy) run by the test on 127.0.0.1 with a
//! throwaway CA made by rcgen. Nothing else is ever contacted.
//!
//! Environment variables (the system roots' `SSL_CERT_FILE`, the proxy
//! variables) cannot be changed inside this process, so those cases re-run
//! this binary's ignored `child_call` test in a child process.
//!
//! Certificates are judged as OpenSSL judges them for the AWS CLI (contract
//! §14): those cases also ask python3's `ssl` module (OpenSSL) about the same
//! server and bundle, and state its verdict beside ours. The CA bundle file
//! itself (its size bound, the messages naming it and where it was set) is
//! checked through the binary, with the harness's scrubbed environment.

mod common;

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use aws_sdk_firehose::config::retry::RetryConfig;
use aws_sdk_firehose::config::timeout::TimeoutConfig;
use aws_sdk_firehose::config::{BehaviorVersion, Region};
use aws_sdk_firehose::error::{DisplayErrorContext, SdkError};
use aws_sdk_firehose::operation::start_delivery_stream_encryption::StartDeliveryStreamEncryptionError;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use common::https::{Behaviour, Ca, RawServer, ServerCert, answer_one, header, read_head};
use rcgen::{BasicConstraints, ExtendedKeyUsagePurpose, IsCa, KeyUsagePurpose};
use start_delivery_stream_encryption::tls::{self, TlsMode};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

type StartError = SdkError<StartDeliveryStreamEncryptionError, HttpResponse>;

// ---------------------------------------------------------------------------
// Certificates

/// The usual server certificate: valid for 127.0.0.1 and localhost.
fn local_cert(ca: &Ca) -> ServerCert {
    ca.server(&["127.0.0.1", "localhost"])
}

// ---------------------------------------------------------------------------
// Servers

/// An HTTP proxy on 127.0.0.1: `CONNECT` tunnels (to 127.0.0.1 only) and
/// forward requests, which it answers itself. Records each request head.
struct Proxy {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&heads);
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let Some((head, rest)) = read_head(&mut client).await else {
                        return;
                    };
                    log.lock().unwrap().push(head.clone());
                    let target = head
                        .strip_prefix("CONNECT ")
                        .and_then(|r| r.split(' ').next());
                    match target {
                        Some(target) if target.starts_with("127.0.0.1:") => {
                            let Ok(mut upstream) = TcpStream::connect(target).await else {
                                return;
                            };
                            let _ = client
                                .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                                .await;
                            let _ = upstream.write_all(&rest).await;
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                        }
                        Some(_) => {
                            let _ = client
                                .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                                .await;
                        }
                        None => answer_one(&mut client, &head, rest).await,
                    }
                });
            }
        });
        Self { url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

// ---------------------------------------------------------------------------
// The SDK

fn firehose(
    endpoint: &str,
    http: SharedHttpClient,
    timeouts: Option<TimeoutConfig>,
) -> aws_sdk_firehose::Client {
    let mut config = aws_sdk_firehose::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .http_client(http);
    if let Some(timeouts) = timeouts {
        config = config.timeout_config(timeouts);
    }
    aws_sdk_firehose::Client::from_conf(config.build())
}

async fn start(endpoint: &str, mode: TlsMode) -> Result<(), StartError> {
    start_with(endpoint, mode, None).await
}

async fn start_with(
    endpoint: &str,
    mode: TlsMode,
    timeouts: Option<TimeoutConfig>,
) -> Result<(), StartError> {
    let http = tls::http_client(mode).expect("a client");
    firehose(endpoint, http, timeouts)
        .start_delivery_stream_encryption()
        .delivery_stream_name("s1")
        .send()
        .await
        .map(|_| ())
}

fn problem(err: &StartError) -> String {
    tls::certificate_problem(err).unwrap_or_else(|| {
        panic!(
            "expected a certificate problem in: {}",
            DisplayErrorContext(err)
        )
    })
}

fn ok(result: Result<(), StartError>) {
    if let Err(err) = result {
        panic!("expected success, got: {}", DisplayErrorContext(&err));
    }
}

// ---------------------------------------------------------------------------
// In-process cases

#[tokio::test]
async fn system_roots_do_not_trust_a_private_ca() {
    let ca = Ca::new("private CA");
    let server = RawServer::https(&local_cert(&ca)).await;

    let err = start(&server.url, TlsMode::System).await.unwrap_err();

    assert_eq!(problem(&err), "invalid peer certificate: UnknownIssuer");
    assert!(
        matches!(&err, SdkError::DispatchFailure(df) if df.is_io()),
        "{err:?}"
    );
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_bundle_with_the_ca_is_trusted() {
    let ca = Ca::new("bundle CA");
    let server = RawServer::https(&local_cert(&ca)).await;

    ok(start(&server.url, TlsMode::Bundle(ca.pem.clone().into_bytes())).await);
    assert_eq!(server.requests(), 1);

    // localhost is in the certificate too.
    let localhost = server.url.replace("127.0.0.1", "localhost");
    ok(start(&localhost, TlsMode::Bundle(ca.pem.into_bytes())).await);
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_bundle_of_several_certificates_trusts_each() {
    let (ours, other) = (Ca::new("ours"), Ca::new("other"));
    let server = RawServer::https(&local_cert(&ours)).await;
    let bundle = format!("# a comment\n{}\n{}", other.pem, ours.pem);

    ok(start(&server.url, TlsMode::Bundle(bundle.into_bytes())).await);
    assert_eq!(server.requests(), 1);
}

/// AWS_CA_BUNDLE often names the system's own bundle (it does on this
/// machine); every certificate in it must be accepted.
#[tokio::test]
async fn the_system_bundle_file_is_a_valid_bundle() {
    let Ok(system) = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt") else {
        return;
    };
    let ca = Ca::new("appended CA");
    let server = RawServer::https(&local_cert(&ca)).await;

    let bundle = system + &ca.pem;
    ok(start(&server.url, TlsMode::Bundle(bundle.into_bytes())).await);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_bundle_of_another_ca_is_a_certificate_problem() {
    let (ours, other) = (Ca::new("ours"), Ca::new("other"));
    let server = RawServer::https(&local_cert(&ours)).await;

    let err = start(&server.url, TlsMode::Bundle(other.pem.into_bytes()))
        .await
        .unwrap_err();

    assert_eq!(problem(&err), "invalid peer certificate: UnknownIssuer");
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_bundle_still_checks_the_name() {
    let ca = Ca::new("name CA");
    let server = RawServer::https(&ca.server(&["elsewhere.test"])).await;

    let err = start(&server.url, TlsMode::Bundle(ca.pem.into_bytes()))
        .await
        .unwrap_err();

    let problem = problem(&err);
    assert!(
        problem.contains("not valid for name \"127.0.0.1\""),
        "{problem}"
    );
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_bundle_that_is_not_pem_is_refused() {
    for junk in [
        &b"not pem"[..],
        b"",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        // Said of the bundle, for the caller to name the file.
        let err = tls::http_client(TlsMode::Bundle(junk.to_vec())).unwrap_err();
        assert!(err.starts_with("it ") || err.starts_with("its "), "{err}");
    }
    let err = tls::http_client(TlsMode::Bundle(b"not pem".to_vec())).unwrap_err();
    assert!(err.contains("no PEM certificate"), "{err}");
}

#[tokio::test]
async fn no_verify_accepts_any_certificate() {
    let ca = Ca::new("unknown CA");
    let trusted_nowhere = RawServer::https(&local_cert(&ca)).await;
    let misnamed = RawServer::https(&ca.server(&["elsewhere.test"])).await;

    ok(start(&trusted_nowhere.url, TlsMode::NoVerify).await);
    ok(start(&misnamed.url, TlsMode::NoVerify).await);

    assert_eq!((trusted_nowhere.requests(), misnamed.requests()), (1, 1));
}

#[tokio::test]
async fn one_no_verify_client_serves_many_calls() {
    let ca = Ca::new("reuse CA");
    let server = RawServer::https(&local_cert(&ca)).await;
    let client = firehose(
        &server.url,
        tls::http_client(TlsMode::NoVerify).unwrap(),
        None,
    );

    for _ in 0..3 {
        let sent = client
            .start_delivery_stream_encryption()
            .delivery_stream_name("s1")
            .send()
            .await;
        ok(sent.map(|_| ()));
    }
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn no_verify_honours_the_connect_timeout() {
    let server = RawServer::start(None, Behaviour::NeverHandshake).await;
    let https = server.url.replace("http:", "https:");
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(300))
        .read_timeout(Duration::from_secs(20))
        .build();

    let began = Instant::now();
    let err = start_with(&https, TlsMode::NoVerify, Some(timeouts))
        .await
        .unwrap_err();

    assert!(
        began.elapsed() < Duration::from_secs(5),
        "{:?}",
        began.elapsed()
    );
    assert!(
        matches!(&err, SdkError::DispatchFailure(df) if df.is_timeout()),
        "{err:?}"
    );
    let chain = DisplayErrorContext(&err).to_string();
    assert!(chain.contains("HTTP connect timeout"), "{chain}");
    assert_eq!(tls::certificate_problem(&err), None);
}

#[tokio::test]
async fn no_verify_honours_the_read_timeout() {
    let ca = Ca::new("slow CA");
    let server = RawServer::start(Some(local_cert(&ca).acceptor()), Behaviour::NeverAnswer).await;
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(20))
        .read_timeout(Duration::from_millis(300))
        .build();

    let began = Instant::now();
    let err = start_with(&server.url, TlsMode::NoVerify, Some(timeouts))
        .await
        .unwrap_err();

    assert!(
        began.elapsed() < Duration::from_secs(5),
        "{:?}",
        began.elapsed()
    );
    assert!(
        matches!(&err, SdkError::DispatchFailure(df) if df.is_timeout()),
        "{err:?}"
    );
    let chain = DisplayErrorContext(&err).to_string();
    assert!(chain.contains("HTTP read timeout"), "{chain}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_problem() {
    // wiremock answers the ClientHello with an HTTP 400, which is no TLS.
    let server = wiremock::MockServer::start().await;
    let https = server.uri().replace("http:", "https:");

    for mode in [TlsMode::System, TlsMode::NoVerify] {
        let err = start(&https, mode.clone()).await.unwrap_err();
        assert!(
            matches!(&err, SdkError::DispatchFailure(df) if df.is_io()),
            "{mode:?}: {err:?}"
        );
        let problem = problem(&err);
        assert!(problem.contains("corrupt message"), "{mode:?}: {problem}");
    }
}

#[tokio::test]
async fn plain_http_needs_no_trust_store() {
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "Firehose_20150804.StartDeliveryStreamEncryption",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string("{}"),
        )
        .expect(2)
        .mount(&server)
        .await;

    ok(start(&server.uri(), TlsMode::PlainHttp).await);
    // NoVerify speaks plain http too.
    ok(start(&server.uri(), TlsMode::NoVerify).await);
    server.verify().await;
}

#[tokio::test]
async fn plain_http_mode_checks_https_urls_against_the_system_roots() {
    let ca = Ca::new("private CA");
    let server = RawServer::https(&local_cert(&ca)).await;

    let err = start(&server.url, TlsMode::PlainHttp).await.unwrap_err();

    assert_eq!(problem(&err), "invalid peer certificate: UnknownIssuer");
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_refused_connection_is_not_a_certificate_problem() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);

    for (scheme, mode) in [
        ("https", TlsMode::System),
        ("https", TlsMode::NoVerify),
        ("http", TlsMode::PlainHttp),
        ("http", TlsMode::NoVerify),
    ] {
        let err = start(&format!("{scheme}://127.0.0.1:{port}"), mode.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, SdkError::DispatchFailure(df) if df.is_io()),
            "{mode:?}: {err:?}"
        );
        assert_eq!(tls::certificate_problem(&err), None, "{mode:?}");
    }
}

// ---------------------------------------------------------------------------
// Cases that need their own environment: a child process

const PROXY_VARS: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Runs `child_call` in a child process with `mode` against `endpoint`,
/// no proxy variables but those of `env`, and `env`; returns its verdict.
async fn child(
    mode: &str,
    endpoint: &str,
    bundle: Option<&Path>,
    env: &[(&str, OsString)],
) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child_call",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for var in PROXY_VARS {
        cmd.env_remove(var);
    }
    cmd.env("TLS_CHILD_MODE", mode)
        .env("TLS_CHILD_ENDPOINT", endpoint);
    if let Some(bundle) = bundle {
        cmd.env("TLS_CHILD_BUNDLE", bundle);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().await.unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("1 passed") || text.contains("1 failed"),
        "child did not run: {text}"
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(text)
    }
}

/// Not a test on its own: the body of [`child`], driven by its variables.
#[tokio::test]
#[ignore = "run in a child process by the tests below"]
async fn child_call() {
    let var = |k| std::env::var(k).unwrap_or_else(|_| panic!("{k} is set by the parent"));
    let mode = match var("TLS_CHILD_MODE").as_str() {
        "system" => TlsMode::System,
        "plain" => TlsMode::PlainHttp,
        "noverify" => TlsMode::NoVerify,
        "bundle" => TlsMode::Bundle(std::fs::read(var("TLS_CHILD_BUNDLE")).unwrap()),
        other => panic!("mode {other}"),
    };
    ok(start(&var("TLS_CHILD_ENDPOINT"), mode).await);
}

#[tokio::test]
async fn system_roots_come_from_ssl_cert_file() {
    let ca = Ca::new("system CA");
    let server = RawServer::https(&local_cert(&ca)).await;
    let (dir, ca_file) = ca.pem_file();
    let empty = dir.path().join("certs");
    std::fs::create_dir(&empty).unwrap();
    let env = [
        ("SSL_CERT_FILE", ca_file.into_os_string()),
        ("SSL_CERT_DIR", empty.into_os_string()),
    ];

    child("system", &server.url, None, &env).await.unwrap();
    // PlainHttp falls back to the system roots for an https:// URL.
    child("plain", &server.url, None, &env).await.unwrap();
    assert_eq!(server.requests(), 2);

    // The same child without SSL_CERT_FILE fails: the CA came from there.
    let verdict = child("system", &server.url, None, &[]).await;
    assert!(verdict.unwrap_err().contains("UnknownIssuer"));
}

#[tokio::test]
async fn https_goes_through_the_proxy_tunnel() {
    let ca = Ca::new("proxy CA");
    let server = RawServer::https(&local_cert(&ca)).await;
    let proxy = Proxy::start().await;
    let (_dir, bundle) = ca.pem_file();
    let with_auth = proxy.url.replace("http://", "http://user:pass@");
    let env = [("HTTPS_PROXY", OsString::from(&with_auth))];

    child("bundle", &server.url, Some(&bundle), &env)
        .await
        .unwrap();
    child("noverify", &server.url, None, &env).await.unwrap();

    assert_eq!(server.requests(), 2);
    let authority = server.url.trim_start_matches("https://");
    let heads = proxy.heads();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for head in &heads {
        assert!(
            head.starts_with(&format!("CONNECT {authority} HTTP/1.1")),
            "{head}"
        );
        // "user:pass"
        assert_eq!(
            header(head, "proxy-authorization"),
            Some("Basic dXNlcjpwYXNz"),
            "{head}"
        );
    }

    // NO_PROXY bypasses it.
    let env = [
        ("HTTPS_PROXY", OsString::from(&with_auth)),
        ("NO_PROXY", OsString::from("127.0.0.1")),
    ];
    child("noverify", &server.url, None, &env).await.unwrap();
    child("bundle", &server.url, Some(&bundle), &env)
        .await
        .unwrap();
    assert_eq!((server.requests(), proxy.heads().len()), (4, 2));
}

#[tokio::test]
async fn http_goes_to_the_proxy_in_absolute_form() {
    let proxy = Proxy::start().await;
    // Never contacted: the proxy answers for it.
    let endpoint = "http://127.0.0.1:9";
    let with_auth = proxy.url.replace("http://", "http://user:pass@");
    let env = [("HTTP_PROXY", OsString::from(&with_auth))];

    child("noverify", endpoint, None, &env).await.unwrap();
    child("plain", endpoint, None, &env).await.unwrap();

    let heads = proxy.heads();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for head in &heads {
        assert!(
            head.starts_with("POST http://127.0.0.1:9/ HTTP/1.1"),
            "{head}"
        );
        assert_eq!(
            header(head, "proxy-authorization"),
            Some("Basic dXNlcjpwYXNz"),
            "{head}"
        );
    }
}

// ---------------------------------------------------------------------------
// Certificates judged as OpenSSL judges them (contract §14). Each case asks
// OpenSSL too, through Python's `ssl` module, as the AWS CLI does, and
// states its verdict beside ours.

/// Why a certificate was refused, or `Ok`.
type Verdict = Result<(), String>;

/// OpenSSL's verdict through Python's `ssl`: only the bundle trusted, and
/// none of the verify flags Python 3.13's `create_default_context` adds
/// (`X509_STRICT`, `PARTIAL_CHAIN`), which botocore's own context (the AWS
/// CLI's) does not set. Connects to 127.0.0.1 only.
const OPENSSL_VERDICT: &str = r#"
import socket, ssl, sys
cafile, port, host = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=cafile)
ctx.verify_flags &= ~(getattr(ssl, "VERIFY_X509_STRICT", 0) | getattr(ssl, "VERIFY_X509_PARTIAL_CHAIN", 0))
try:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        with ctx.wrap_socket(sock, server_hostname=host):
            print("ok")
except ssl.SSLCertVerificationError as e:
    print("refused:", e.verify_message)
"#;

/// What OpenSSL decides about the server on 127.0.0.1:`port`, reached as
/// `host`, with `bundle` as its only trust: `Err` holds OpenSSL's reason.
/// Without python3 the test fails: the reference is never skipped.
async fn openssl_verdict(bundle: &Path, port: u16, host: &str) -> Verdict {
    let out = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(OPENSSL_VERDICT)
        .arg(bundle)
        .arg(port.to_string())
        .arg(host)
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .output()
        .await
        .expect("python3 is needed: its ssl module (OpenSSL) is the reference");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python3 failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match stdout.trim_end() {
        "ok" => Ok(()),
        line => Err(line
            .strip_prefix("refused: ")
            .unwrap_or_else(|| panic!("unexpected output: {line:?}"))
            .to_owned()),
    }
}

/// Our verdict on the same server, with the same bundle.
async fn our_verdict(bundle: &Path, port: u16, host: &str) -> Verdict {
    let pem = std::fs::read(bundle).unwrap();
    start(&format!("https://{host}:{port}"), TlsMode::Bundle(pem))
        .await
        .map_err(|err| problem(&err))
}

/// Serves `cert` on 127.0.0.1 with `bundle_pem` as the CA bundle and
/// returns (ours, OpenSSL's) verdicts, reaching the server as `host`; also
/// how many requests the server read.
async fn verdicts(cert: &ServerCert, bundle_pem: &str, host: &str) -> (Verdict, Verdict, usize) {
    let server = RawServer::https(cert).await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle.pem");
    std::fs::write(&bundle, bundle_pem).unwrap();
    let ours = our_verdict(&bundle, server.port, host).await;
    let openssl = openssl_verdict(&bundle, server.port, host).await;
    (ours, openssl, server.requests())
}

const LOCAL_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// `openssl req -x509 … -addext extendedKeyUsage=clientAuth` makes a
/// self-signed CA:TRUE certificate for client authentication only; in the
/// bundle, OpenSSL still refuses it to a server ("unsuitable certificate
/// purpose"). The self-signed path must check the extended key usage as
/// webpki does on the ordinary one.
#[tokio::test]
async fn a_self_signed_ca_for_client_authentication_only_is_refused_as_openssl_refuses_it() {
    let (cert, pem) = ServerCert::self_signed_with(&LOCAL_NAMES, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    });

    let (ours, openssl, requests) = verdicts(&cert, &pem, "127.0.0.1").await;

    assert_eq!(openssl, Err("unsuitable certificate purpose".to_owned()));
    assert_eq!(
        ours,
        Err(
            "invalid peer certificate: certificate does not allow extended key usage \
             for server authentication, allows client authentication"
                .to_owned()
        )
    );
    assert_eq!(requests, 0);
}

/// The key usages of a self-signed CA:TRUE certificate in the bundle, one
/// by one: OpenSSL's verdict is stated, and ours must be the same. OpenSSL
/// takes serverAuth and the two old Server Gated Crypto purposes, not
/// anyExtendedKeyUsage; a key usage must allow digitalSignature,
/// keyEncipherment or keyAgreement.
#[tokio::test]
async fn self_signed_key_usages_are_judged_as_openssl_judges_them() {
    use ExtendedKeyUsagePurpose as Eku;
    use KeyUsagePurpose as Ku;
    let ms_sgc = || Eku::Other(vec![1, 3, 6, 1, 4, 1, 311, 10, 3, 3]);
    let ns_sgc = || Eku::Other(vec![2, 16, 840, 1, 113_730, 4, 1]);
    let cases: Vec<(&str, Vec<Eku>, Vec<Ku>, bool)> = vec![
        ("no key usage", vec![], vec![], true),
        ("serverAuth", vec![Eku::ServerAuth], vec![], true),
        ("clientAuth", vec![Eku::ClientAuth], vec![], false),
        (
            "clientAuth, serverAuth",
            vec![Eku::ClientAuth, Eku::ServerAuth],
            vec![],
            true,
        ),
        ("anyExtendedKeyUsage", vec![Eku::Any], vec![], false),
        (
            "clientAuth, anyExtendedKeyUsage",
            vec![Eku::ClientAuth, Eku::Any],
            vec![],
            false,
        ),
        ("codeSigning", vec![Eku::CodeSigning], vec![], false),
        ("msSGC", vec![ms_sgc()], vec![], true),
        ("nsSGC", vec![ns_sgc()], vec![], true),
        ("keyCertSign", vec![], vec![Ku::KeyCertSign], false),
        ("digitalSignature", vec![], vec![Ku::DigitalSignature], true),
        ("keyAgreement", vec![], vec![Ku::KeyAgreement], true),
        ("keyEncipherment", vec![], vec![Ku::KeyEncipherment], true),
    ];
    for (label, eku, ku, trusted) in cases {
        let (cert, pem) = ServerCert::self_signed_with(&LOCAL_NAMES, |p| {
            p.extended_key_usages = eku;
            p.key_usages = ku;
        });
        let (ours, openssl, _) = verdicts(&cert, &pem, "127.0.0.1").await;
        assert_eq!(
            openssl.is_ok(),
            trusted,
            "{label}: OpenSSL says {openssl:?}"
        );
        assert_eq!(ours.is_ok(), trusted, "{label}: we say {ours:?}");
        if let Err(openssl) = openssl {
            assert_eq!(openssl, "unsuitable certificate purpose", "{label}");
        }
    }
}

/// A server certificate marked CA:TRUE, issued by a root of the bundle
/// (not self-signed): OpenSSL trusts it, and so must we, by the address
/// and by the name `localhost`.
#[tokio::test]
async fn a_ca_leaf_issued_by_a_bundle_root_is_trusted_as_openssl_trusts_it() {
    let root = Ca::new("root of a CA:TRUE leaf");
    let leaf = root.server_with(&LOCAL_NAMES, |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    });

    for host in LOCAL_NAMES {
        let (ours, openssl, requests) = verdicts(&leaf, &root.pem, host).await;
        assert_eq!(openssl, Ok(()), "{host}");
        assert_eq!(ours, Ok(()), "{host}");
        assert_eq!(requests, 1, "{host}");
    }
}

/// The CA:TRUE leaf of the case above is still checked for its issuer, its
/// name, its validity period and its purpose, as OpenSSL checks them, and
/// each refusal says what is true (not "self-signed").
#[tokio::test]
async fn a_ca_leaf_is_still_checked_as_openssl_checks_it() {
    let root = Ca::new("root of a CA:TRUE leaf");
    let other = Ca::new("another root");
    let ca_leaf = |p: &mut rcgen::CertificateParams| {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    };

    // Issued by a root the bundle does not hold.
    let leaf = root.server_with(&LOCAL_NAMES, ca_leaf);
    let (ours, openssl, _) = verdicts(&leaf, &other.pem, "127.0.0.1").await;
    assert_eq!(
        openssl,
        Err("unable to get local issuer certificate".to_owned())
    );
    assert_eq!(
        ours,
        Err("invalid peer certificate: UnknownIssuer".to_owned())
    );

    // Not for this name.
    let misnamed = root.server_with(&["elsewhere.test"], ca_leaf);
    let (ours, openssl, _) = verdicts(&misnamed, &root.pem, "127.0.0.1").await;
    assert!(openssl.unwrap_err().contains("mismatch"));
    assert!(
        ours.as_ref()
            .unwrap_err()
            .contains("not valid for name \"127.0.0.1\""),
        "{ours:?}"
    );

    // Expired.
    let expired = root.server_with(&LOCAL_NAMES, |p| {
        ca_leaf(p);
        p.not_before = rcgen::date_time_ymd(2000, 1, 1);
        p.not_after = rcgen::date_time_ymd(2001, 1, 1);
    });
    let (ours, openssl, _) = verdicts(&expired, &root.pem, "127.0.0.1").await;
    assert_eq!(openssl, Err("certificate has expired".to_owned()));
    assert!(ours.as_ref().unwrap_err().contains("expired"), "{ours:?}");

    // For client authentication only.
    let client = root.server_with(&LOCAL_NAMES, |p| {
        ca_leaf(p);
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    });
    let (ours, openssl, _) = verdicts(&client, &root.pem, "127.0.0.1").await;
    assert_eq!(openssl, Err("unsuitable certificate purpose".to_owned()));
    assert!(
        ours.as_ref()
            .unwrap_err()
            .contains("does not allow extended key usage for server authentication"),
        "{ours:?}"
    );

    // Signed by another key under the root's name.
    let impostor = Ca::new("root of a CA:TRUE leaf");
    let forged = impostor.server_with(&LOCAL_NAMES, ca_leaf);
    let (ours, openssl, _) = verdicts(&forged, &root.pem, "127.0.0.1").await;
    assert_eq!(openssl, Err("certificate signature failure".to_owned()));
    assert_eq!(
        ours,
        Err("invalid peer certificate: BadSignature".to_owned())
    );
}

/// Where we stop short of OpenSSL, in the safe direction and saying so: a
/// CA:TRUE leaf is trusted only when a certificate of the bundle issued it
/// directly and puts no name constraints on it. Behind an intermediate,
/// OpenSSL trusts it and we refuse it; under a name-constrained root, both
/// refuse this one (its address is excluded), and we would refuse any.
#[tokio::test]
async fn a_ca_leaf_beyond_a_direct_unconstrained_issuer_is_refused_saying_why() {
    let ca_leaf = |p: &mut rcgen::CertificateParams| {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    };

    let root = Ca::new("root");
    let (intermediate, intermediate_der) = root.intermediate("intermediate");
    let leaf = intermediate
        .server_with(&LOCAL_NAMES, ca_leaf)
        .with_intermediate(intermediate_der);
    let (ours, openssl, _) = verdicts(&leaf, &root.pem, "127.0.0.1").await;
    assert_eq!(openssl, Ok(()));
    let ours = ours.unwrap_err();
    assert!(
        ours.contains("marked as a CA") && ours.contains("intermediate"),
        "{ours}"
    );

    let constrained = Ca::with("constrained root", |p| {
        p.name_constraints = Some(rcgen::NameConstraints {
            permitted_subtrees: vec![],
            excluded_subtrees: vec![rcgen::GeneralSubtree::IpAddress(
                rcgen::CidrSubnet::from_v4_prefix([127, 0, 0, 0], 8),
            )],
        });
    });
    let leaf = constrained.server_with(&["127.0.0.1"], ca_leaf);
    let (ours, openssl, _) = verdicts(&leaf, &constrained.pem, "127.0.0.1").await;
    assert_eq!(openssl, Err("excluded subtree violation".to_owned()));
    let ours = ours.unwrap_err();
    assert!(ours.contains("name constraints"), "{ours}");
}

// ---------------------------------------------------------------------------
// The bundle file: read with a bound, named with where it came from

/// The binary, pointed at a closed port on 127.0.0.1 (never reached: the
/// bundle is refused first), with the hermetic environment of the harness.
fn bundle_cmd() -> assert_cmd::Command {
    let mut c = common::cmd();
    c.args(["--endpoint-url", &common::closed_url()])
        .args(["--delivery-stream-name", "s1"]);
    c
}

/// A bundle set by `--ca-bundle`, by `AWS_CA_BUNDLE` or by a profile's
/// `ca_bundle`, that cannot be read or cannot be used: exit 253, and the
/// message names the file and where its name came from.
#[tokio::test(flavor = "multi_thread")]
async fn a_ca_bundle_that_cannot_be_used_names_the_file_and_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate\n").unwrap();
    let missing = dir.path().join("missing.pem");
    let config = dir.path().join("config");
    let no_pem = "it contains no PEM certificate";

    for (file, reason) in [(&junk, no_pem), (&missing, "No such file or directory")] {
        let path = file.display().to_string();
        std::fs::write(
            &config,
            format!("[default]\nca_bundle = {path}\n[profile dev]\nca_bundle = {path}\n"),
        )
        .unwrap();
        for source in [
            "--ca-bundle",
            "the AWS_CA_BUNDLE environment variable",
            "the ca_bundle setting of profile \"dev\"",
            "the ca_bundle setting of profile \"default\"",
        ] {
            let mut c = bundle_cmd();
            match source {
                "--ca-bundle" => c.args(["--ca-bundle", &path]),
                s if s.contains("AWS_CA_BUNDLE") => c.env("AWS_CA_BUNDLE", &path),
                s if s.contains("dev") => {
                    c.env("AWS_CONFIG_FILE", &config).args(["--profile", "dev"])
                }
                _ => c.env("AWS_CONFIG_FILE", &config),
            };
            let out = common::run(c).await.code(253).stdout("");
            let err = common::stderr_of(&out);
            let named = format!("the CA bundle {path} (from {source}): ");
            assert!(
                err.starts_with("\naws: [ERROR]: An error occurred (Configuration): ")
                    && err.contains(&named)
                    && err.contains(reason),
                "{source}: {err:?}"
            );
        }
    }
}

/// A device such as /dev/zero is refused at once (never read), and a file
/// over 16 MiB is refused without being read: exit 253 naming the file, its
/// source and the reason. The child runs with its address space capped at
/// 2 GiB, so that reading /dev/zero cannot hurt the machine if it regresses.
#[tokio::test(flavor = "multi_thread")]
async fn a_device_or_oversize_ca_bundle_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.pem");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(16 * 1024 * 1024 + 1)
        .unwrap();
    let big = big.display().to_string();

    for (path, reason) in [
        ("/dev/zero", "it is a device, not a file"),
        (big.as_str(), "it is larger than 16 MiB"),
    ] {
        let mut c = bundle_cmd();
        c.args(["--ca-bundle", path]);
        let capped = common::wrapped(
            &c,
            "bash",
            &["-c", "ulimit -v 2097152 && exec \"$0\" \"$@\""],
        );
        let mut capped = assert_cmd::Command::from_std(capped);
        capped.timeout(Duration::from_secs(20));
        let began = Instant::now();
        let out = common::run(capped).await.code(253).stdout("");
        assert!(began.elapsed() < Duration::from_secs(10), "{path}");
        let err = common::stderr_of(&out);
        assert!(
            err.contains(&format!(
                "Unable to read the CA bundle {path} (from --ca-bundle): {reason}"
            )),
            "{err:?}"
        );
    }
}
