//! A throwaway CA made by rcgen, and tiny HTTP(S) servers on 127.0.0.1
//! that answer as Firehose would (`200 {}`), or never answer, or never
//! start TLS. Nothing else is ever contacted.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

// ---------------------------------------------------------------------------
// Certificates

/// A throwaway CA and the PEM of its certificate.
pub struct Ca {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    pub fn new(name: &str) -> Self {
        Self::with(name, |_| {})
    }

    /// A throwaway CA with the parameters `customize` changes (name
    /// constraints…).
    pub fn with(name: &str, customize: impl FnOnce(&mut CertificateParams)) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        customize(&mut params);
        let key = KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        Self {
            pem,
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for `names`, signed by this CA.
    pub fn server(&self, names: &[&str]) -> ServerCert {
        self.server_with(names, |_| {})
    }

    /// A server certificate for `names`, signed by this CA, with the
    /// parameters `customize` changes (marked as a CA, expired, with a key
    /// usage…).
    pub fn server_with(
        &self,
        names: &[&str],
        customize: impl FnOnce(&mut CertificateParams),
    ) -> ServerCert {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        customize(&mut params);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        ServerCert {
            chain: vec![cert.der().clone()],
            key_der: key.serialize_der(),
        }
    }

    /// An intermediate CA signed by this one, and its certificate, which a
    /// server sends after its own ([`ServerCert::with_intermediate`]).
    pub fn intermediate(&self, name: &str) -> (Self, CertificateDer<'static>) {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        let this = Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        };
        (this, cert.der().clone())
    }

    /// The CA's PEM in a file `ca.pem` of a fresh temporary directory.
    pub fn pem_file(&self) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, &self.pem).unwrap();
        (dir, path)
    }
}

/// A server certificate chain and its private key.
pub struct ServerCert {
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
}

impl ServerCert {
    /// A self-signed certificate for `names`, marked as a CA as
    /// `openssl req -x509` marks its certificates, valid from `from` to
    /// `until` (years), and its PEM for a bundle.
    pub fn self_signed_ca(names: &[&str], from: i32, until: i32) -> (Self, String) {
        Self::self_signed_with(names, |params| {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(until, 1, 1);
        })
    }

    /// A self-signed certificate for `names`, marked as a CA, with the
    /// parameters `customize` changes (an extended key usage…), and its PEM
    /// for a bundle.
    pub fn self_signed_with(
        names: &[&str],
        customize: impl FnOnce(&mut CertificateParams),
    ) -> (Self, String) {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "self-signed");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        customize(&mut params);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let pem = cert.pem();
        let this = Self {
            chain: vec![cert.der().clone()],
            key_der: key.serialize_der(),
        };
        (this, pem)
    }

    /// The certificate and PKCS#8 key of two PEM files.
    pub fn from_pem_files(cert: &std::path::Path, key: &std::path::Path) -> Self {
        use rustls::pki_types::pem::PemObject;
        let chain = vec![CertificateDer::from_pem_file(cert).unwrap()];
        let key = PrivatePkcs8KeyDer::from_pem_file(key).unwrap();
        Self {
            chain,
            key_der: key.secret_pkcs8_der().to_vec(),
        }
    }

    /// The same certificate, sent with `intermediate` after it.
    pub fn with_intermediate(mut self, intermediate: CertificateDer<'static>) -> Self {
        self.chain.push(intermediate);
        self
    }

    /// A TLS acceptor presenting this certificate.
    pub fn acceptor(&self) -> TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), key)
            .unwrap();
        TlsAcceptor::from(Arc::new(config))
    }
}

// ---------------------------------------------------------------------------
// Servers

/// What a [`RawServer`] does with a connection.
#[derive(Clone, Copy, PartialEq)]
pub enum Behaviour {
    /// Answer each request `200 {}`.
    Answer,
    /// Complete the handshake, read the request, never answer.
    NeverAnswer,
    /// Accept the TCP connection and never start TLS.
    NeverHandshake,
}

/// A tiny server on 127.0.0.1; `requests` counts the requests it read.
pub struct RawServer {
    pub url: String,
    pub port: u16,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    /// HTTPS with `cert`; answers each request `200 {}`.
    pub async fn https(cert: &ServerCert) -> Self {
        Self::start(Some(cert.acceptor()), Behaviour::Answer).await
    }

    /// Plain HTTP; reads each request and never answers.
    pub async fn silent() -> Self {
        Self::start(None, Behaviour::NeverAnswer).await
    }

    /// HTTPS when `tls` is given, plain HTTP otherwise.
    pub async fn start(tls: Option<TlsAcceptor>, behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let requests = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (tls, count) = (tls.clone(), Arc::clone(&count));
                tokio::spawn(async move {
                    if behaviour == Behaviour::NeverHandshake {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        drop(tcp);
                        return;
                    }
                    match tls {
                        // A refused handshake (the client's verdict) just ends here.
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(tcp).await {
                                serve(stream, behaviour, &count).await;
                            }
                        }
                        None => serve(tcp, behaviour, &count).await,
                    }
                });
            }
        });
        Self {
            url: format!("{scheme}://127.0.0.1:{port}"),
            port,
            requests,
        }
    }

    /// How many requests it has read.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads a request head and returns it with whatever body bytes followed it.
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            return Some((head, buf[end + 4..].to_vec()));
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The value of the header `name` in a request head.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Reads the rest of the body (`content-length` bytes, of which `body`
/// came with the head); `None` when the connection ends first.
pub async fn read_body(
    stream: &mut (impl AsyncRead + Unpin),
    head: &str,
    body: Vec<u8>,
) -> Option<Vec<u8>> {
    let length: usize = header(head, "content-length").map_or(0, |v| v.parse().unwrap_or(0));
    let mut body = body;
    while body.len() < length {
        let mut chunk = vec![0u8; length - body.len()];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Some(body)
}

/// Answers as Firehose would: `200 {}`, then closes.
async fn respond(stream: &mut (impl AsyncWrite + Unpin)) {
    let response = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\n\
                    x-amzn-requestid: 00000000-0000-0000-0000-000000000000\r\n\
                    content-length: 2\r\nconnection: close\r\n\r\n{}";
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Reads the rest of one request (after `head` and the first `body` bytes)
/// and answers it as Firehose would.
pub async fn answer_one(
    stream: &mut (impl AsyncRead + AsyncWrite + Unpin),
    head: &str,
    body: Vec<u8>,
) {
    if read_body(stream, head, body).await.is_some() {
        respond(stream).await;
    }
}

async fn serve(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    behaviour: Behaviour,
    count: &AtomicUsize,
) {
    let Some((head, body)) = read_head(&mut stream).await else {
        return;
    };
    if read_body(&mut stream, &head, body).await.is_none() {
        return;
    }
    count.fetch_add(1, Ordering::SeqCst);
    if behaviour == Behaviour::NeverAnswer {
        tokio::time::sleep(Duration::from_secs(30)).await;
        return;
    }
    respond(&mut stream).await;
}
