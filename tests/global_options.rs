//! Global options and their environment/config-file sources (contract §7,
//! reference §7–§8, issue 5), through the binary against loopback fakes.
//!
//! Each case checks the exit code, stderr, and what the fake received: the
//! `SigV4` credential scope (`Credential=<key id>/<date>/<region>/firehose/
//! aws4_request`) tells which region and which credentials were used.
//!
//! Nothing here contacts AWS or any non-loopback address: every run has an
//! endpoint on 127.0.0.1 (profile files naming one are written at run time,
//! since the port is dynamic), `AWS_EC2_METADATA_DISABLED=true` from the
//! harness, and fake keys; runs whose endpoint comes from the environment
//! or a profile also have every proxy variable pointed at a dead loopback
//! port (only 127.0.0.1 exempt), in case that endpoint were ever dropped.
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is only
//! exercised with `--endpoint-url` still given, or with no credentials at
//! all (so nothing is sent), never in a way that would reach the real
//! service endpoint.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::https::{Ca, RawServer, ServerCert};
use common::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{header, method};
use wiremock::{Mock, Request, ResponseTemplate};

/// The one required argument; no encryption input (the service default).
const NAME: &[&str] = &["--delivery-stream-name", "s1"];

// ---------------------------------------------------------------------------
// Helpers

/// The harness command for runs whose endpoint does not come from
/// `--endpoint-url` (environment, profile): every proxy variable points at a
/// dead loopback port, with only 127.0.0.1 exempt, so that should the
/// configured endpoint ever be ignored by mistake, the request still could
/// not leave the machine.
fn cmd_no_escape() -> Command {
    let dead = closed_url();
    let mut c = cmd();
    for var in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"] {
        c.env(var, &dead);
    }
    c.env("NO_PROXY", "127.0.0.1");
    c
}

/// A header of a received request, as text.
fn header_of(r: &Request, name: &str) -> Option<String> {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The access key id and region of a request's `SigV4` credential scope.
fn signer(r: &Request) -> (String, String) {
    let auth = header_of(r, "authorization").expect("the request is signed");
    let scope = auth
        .split("Credential=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or_else(|| panic!("no credential scope in {auth}"));
    let parts: Vec<&str> = scope.split('/').collect();
    assert_eq!(parts.len(), 5, "{scope}");
    assert_eq!(parts[3..], ["firehose", "aws4_request"], "{scope}");
    (parts[0].to_owned(), parts[2].to_owned())
}

/// The hex signature of a request's `Authorization` header.
fn signature(r: &Request) -> String {
    let auth = header_of(r, "authorization").expect("the request is signed");
    auth.split("Signature=")
        .nth(1)
        .unwrap_or_else(|| panic!("no signature in {auth}"))
        .trim()
        .to_owned()
}

/// (access key id, region) of every request the fake received.
async fn signers(fake: &FakeFirehose) -> Vec<(String, String)> {
    fake.requests().await.iter().map(signer).collect()
}

fn pair(key: &str, region: &str) -> (String, String) {
    (key.to_owned(), region.to_owned())
}

/// Point the command at the t5 config and credentials fixtures.
fn with_t5_files(c: &mut Command) -> &mut Command {
    c.env("AWS_CONFIG_FILE", fixture("t5-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("t5-credentials"))
}

/// No credentials and no region from the environment (the profile decides).
fn without_env_keys_and_region(c: &mut Command) -> &mut Command {
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION")
}

/// A config file written at run time (it may name a loopback port).
struct ConfigFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn config_file(text: &str) -> ConfigFile {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config");
    std::fs::write(&path, text).expect("write config");
    ConfigFile { _dir: dir, path }
}

/// How many requests the fake received.
async fn request_count(fake: &FakeFirehose) -> usize {
    fake.requests().await.len()
}

/// An HTTPS server on 127.0.0.1 with a certificate for 127.0.0.1 from `ca`;
/// answers each request `200 {}`.
async fn https_server(ca: &Ca) -> RawServer {
    RawServer::https(&ca.server(&["127.0.0.1"])).await
}

// ---------------------------------------------------------------------------
// 1. Region precedence

#[tokio::test(flavor = "multi_thread")]
async fn region_flag_beats_aws_region_beats_aws_default_region_beats_profile() {
    let fake = accepting().await;
    // (flag, AWS_REGION, AWS_DEFAULT_REGION) with the default profile's
    // region ap-south-1 always present; the expected scope region.
    let cases = [
        (
            Some("eu-west-1"),
            Some("us-west-2"),
            Some("ca-central-1"),
            "eu-west-1",
        ),
        (None, Some("us-west-2"), Some("ca-central-1"), "us-west-2"),
        (None, None, Some("ca-central-1"), "ca-central-1"),
        (None, None, None, "ap-south-1"),
    ];
    for (i, (flag, region, default_region, expected)) in cases.into_iter().enumerate() {
        let mut c = cmd_at(&fake, NAME);
        with_t5_files(&mut c).env_remove("AWS_REGION");
        if let Some(r) = flag {
            c.args(["--region", r]);
        }
        if let Some(r) = region {
            c.env("AWS_REGION", r);
        }
        if let Some(r) = default_region {
            c.env("AWS_DEFAULT_REGION", r);
        }
        run(c).await.code(0).stdout("").stderr("");
        let sent = signers(&fake).await;
        assert_eq!(sent.len(), i + 1);
        // The harness's keys: the environment beats the default profile's.
        assert_eq!(sent[i], pair(ACCESS_KEY, expected), "case {i}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_region_anywhere_is_253_and_sends_nothing() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    c.env_remove("AWS_REGION");
    run(c).await.code(253).stdout("").stderr(
        "\naws: [ERROR]: An error occurred (NoRegion): You must specify a region. \
         You can also configure your region by running \"aws configure\".\n",
    );
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_without_a_region_is_no_region() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c)
        .env_remove("AWS_REGION")
        .args(["--profile", "errjson"]);
    // errjson also asks for JSON errors.
    let out = run(c).await.code(253).stdout("");
    let err: Value = serde_json::from_str(&stderr_of(&out)).expect("a JSON error");
    assert_eq!(err["Code"], "NoRegion");
    assert!(
        err["Message"]
            .as_str()
            .unwrap()
            .starts_with("You must specify a region.")
    );
    assert_eq!(request_count(&fake).await, 0);
}

// ---------------------------------------------------------------------------
// 2. Profiles

#[tokio::test(flavor = "multi_thread")]
async fn profile_flag_selects_the_profiles_region_and_keys() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c).args(["--profile", "p1"]);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(
        signers(&fake).await,
        vec![pair("AKIDT5PROFILEONE", "eu-north-1")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_profile_selects_the_profiles_region_and_keys() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c).env("AWS_PROFILE", "p2");
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(
        signers(&fake).await,
        vec![pair("AKIDT5PROFILETWO", "sa-east-1")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_profile_named_uses_the_default_profile() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(
        signers(&fake).await,
        vec![pair("AKIDT5DEFAULT", "ap-south-1")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_flag_beats_aws_profile() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c)
        .env("AWS_PROFILE", "p2")
        .args(["--profile", "p1"]);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(
        signers(&fake).await,
        vec![pair("AKIDT5PROFILEONE", "eu-north-1")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn region_flag_and_aws_region_beat_the_selected_profiles_region() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c)
        .env("AWS_REGION", "us-west-2")
        .args(["--profile", "p1"]);
    run(c).await.code(0);
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c)
        .env("AWS_REGION", "us-west-2")
        .args(["--profile", "p1", "--region", "eu-west-3"]);
    run(c).await.code(0);
    assert_eq!(
        signers(&fake).await,
        vec![
            pair("AKIDT5PROFILEONE", "us-west-2"),
            pair("AKIDT5PROFILEONE", "eu-west-3"),
        ]
    );
}

/// With `AWS_PROFILE`, keys in the environment still win (botocore's
/// documented edge case: the `EnvProvider` stays in the chain).
#[tokio::test(flavor = "multi_thread")]
async fn environment_keys_beat_the_keys_of_a_profile_chosen_by_aws_profile() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c)
        .env_remove("AWS_REGION")
        .env("AWS_PROFILE", "p1");
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(signers(&fake).await, vec![pair(ACCESS_KEY, "eu-north-1")]);
}

/// The AWS CLI removes the environment provider from the chain when
/// `--profile` is given explicitly (botocore `create_credential_resolver`:
/// "An explicitly provided profile will negate an `EnvProvider`"), so the
/// profile's keys are used even with `AWS_ACCESS_KEY_ID` set.
#[tokio::test(flavor = "multi_thread")]
async fn an_explicit_profile_flag_beats_environment_keys() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c)
        .env_remove("AWS_REGION")
        .args(["--profile", "p1"]);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(
        signers(&fake).await,
        vec![pair("AKIDT5PROFILEONE", "eu-north-1")]
    );
}

/// Reference §8: the AWS CLI v2's botocore also reads `AWS_DEFAULT_PROFILE`.
#[tokio::test(flavor = "multi_thread")]
async fn aws_default_profile_selects_a_profile() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c).env("AWS_DEFAULT_PROFILE", "p2");
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(
        signers(&fake).await,
        vec![pair("AKIDT5PROFILETWO", "sa-east-1")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_profile_flag_names_it_and_sends_nothing() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c).args(["--profile", "nosuch"]);
    let out = run(c).await.code(253).stdout("");
    let err = stderr_of(&out);
    assert!(
        err.starts_with("\naws: [ERROR]: ")
            && err.contains("The config profile (nosuch) could not be found\n"),
        "{err:?}"
    );
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_aws_profile_names_it_and_sends_nothing() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c).env("AWS_PROFILE", "nosuch");
    let out = run(c).await.code(253).stdout("");
    let err = stderr_of(&out);
    assert!(
        err.contains("The config profile (nosuch) could not be found"),
        "{err:?}"
    );
    assert_eq!(request_count(&fake).await, 0);
}

/// STS's `AssumeRole` reply, with session credentials whose key id is `key`.
fn assume_role_reply(key: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>\
             <Arn>arn:aws:sts::222222222222:assumed-role/Spoke/s</Arn></AssumedRoleUser>\
             <Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>\
             <SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>\
             </Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId>\
             </ResponseMetadata></AssumeRoleResponse>"
        ),
        "text/xml",
    )
}

/// A profile with `role_arn` on a `source_profile`: with `--endpoint-url`
/// given, its `AssumeRole` goes there too, signed with the source profile's
/// keys, and the call is signed with the role's session credentials.
/// (aws-config's profile provider alone sends it to the real STS: with
/// every proxy pointed at a dead port, that run fails.)
#[tokio::test(flavor = "multi_thread")]
async fn a_role_arn_profile_assumes_its_role_at_the_endpoint_url() {
    let fake = accepting().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains(
            "Action=AssumeRole",
        ))
        .respond_with(assume_role_reply("ASIAASSUMEDSPOKE"))
        .mount(&fake.server)
        .await;
    let config = config_file(
        "[profile base]\naws_access_key_id = AKIDBASEPROFILE\naws_secret_access_key = s\n\
         [profile spoke]\nrole_arn = arn:aws:iam::222222222222:role/Spoke\n\
         source_profile = base\nregion = eu-west-1\n",
    );
    let mut c = cmd_no_escape();
    c.arg("--endpoint-url").arg(fake.url()).args(NAME);
    without_env_keys_and_region(&mut c)
        .env("AWS_CONFIG_FILE", &config.path)
        .args(["--profile", "spoke"]);
    run(c).await.code(0).stdout("").stderr("");

    let requests = fake.requests().await;
    let (sts, firehose): (Vec<&Request>, Vec<&Request>) = requests
        .iter()
        .partition(|r| String::from_utf8_lossy(&r.body).contains("Action=AssumeRole"));
    assert_eq!(sts.len(), 1, "one AssumeRole");
    let auth = header_of(sts[0], "authorization").expect("AssumeRole is signed");
    assert!(
        auth.contains("Credential=AKIDBASEPROFILE/") && auth.contains("/eu-west-1/sts/"),
        "{auth}"
    );
    let form = String::from_utf8_lossy(&sts[0].body).into_owned();
    assert!(
        form.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FSpoke"),
        "{form}"
    );
    assert!(
        form.contains("RoleSessionName=start-delivery-stream-encryption"),
        "{form}"
    );
    let signed: Vec<(String, String)> = firehose.into_iter().map(signer).collect();
    assert_eq!(signed, vec![pair("ASIAASSUMEDSPOKE", "eu-west-1")]);
}

// ---------------------------------------------------------------------------
// 3. Endpoint

#[tokio::test(flavor = "multi_thread")]
async fn aws_endpoint_url_firehose_is_used_without_the_flag() {
    let fake = accepting().await;
    let mut c = cmd_no_escape();
    c.env("AWS_ENDPOINT_URL_FIREHOSE", fake.url()).args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(signers(&fake).await, vec![pair(ACCESS_KEY, "us-east-1")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_endpoint_url_is_used_without_the_flag() {
    let fake = accepting().await;
    let mut c = cmd_no_escape();
    c.env("AWS_ENDPOINT_URL", fake.url()).args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_endpoint_url_firehose_beats_aws_endpoint_url() {
    let fake = accepting().await;
    let mut c = cmd_no_escape();
    c.env("AWS_ENDPOINT_URL", closed_url())
        .env("AWS_ENDPOINT_URL_FIREHOSE", fake.url())
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoint_url_flag_beats_the_environment_and_the_profile() {
    let fake = accepting().await;
    let config = config_file(&format!("[default]\nendpoint_url = {}\n", closed_url()));
    let mut c = cmd_at(&fake, NAME);
    c.env("AWS_ENDPOINT_URL", closed_url())
        .env("AWS_ENDPOINT_URL_FIREHOSE", closed_url())
        .env("AWS_CONFIG_FILE", &config.path);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_endpoint_url_is_used() {
    let fake = accepting().await;
    let config = config_file(&format!(
        "[default]\nregion = eu-west-2\nendpoint_url = {}\n",
        fake.url()
    ));
    let mut c = cmd_no_escape();
    c.env_remove("AWS_REGION")
        .env("AWS_CONFIG_FILE", &config.path)
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(signers(&fake).await, vec![pair(ACCESS_KEY, "eu-west-2")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoint_url_of_a_profile_named_by_the_flag_is_used() {
    let fake = accepting().await;
    let config = config_file(&format!(
        "[default]\nendpoint_url = {}\n\n[profile local]\nendpoint_url = {}\naws_access_key_id = AKIDLOCAL\naws_secret_access_key = local-secret\n",
        closed_url(),
        fake.url()
    ));
    let mut c = cmd_no_escape();
    c.env("AWS_CONFIG_FILE", &config.path)
        .args(["--profile", "local"])
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn services_section_endpoint_url_is_used() {
    let fake = accepting().await;
    let config = config_file(&format!(
        "[default]\nservices = local\n\n[services local]\nfirehose =\n  endpoint_url = {}\n",
        fake.url()
    ));
    let mut c = cmd_no_escape();
    c.env("AWS_CONFIG_FILE", &config.path).args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn environment_endpoint_beats_the_profiles() {
    let fake = accepting().await;
    let config = config_file(&format!("[default]\nendpoint_url = {}\n", closed_url()));
    let mut c = cmd_no_escape();
    c.env("AWS_CONFIG_FILE", &config.path)
        .env("AWS_ENDPOINT_URL", fake.url())
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

/// The safety net of [`cmd_no_escape`] itself: a request for a host other
/// than 127.0.0.1 goes to the proxy (here a recording one on loopback; the
/// target, 127.0.0.2, is loopback too, so nothing leaves the machine even
/// if the proxy were skipped).
#[tokio::test(flavor = "multi_thread")]
async fn the_safety_net_proxy_catches_requests_for_other_hosts() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = Arc::clone(&heads);
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match tcp.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf);
            log.lock()
                .unwrap()
                .push(head.lines().next().unwrap_or("").to_owned());
            let _ = tcp
                .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    for endpoint in ["https://127.0.0.2:9", "http://127.0.0.2:9"] {
        let mut c = cmd_no_escape();
        c.env("HTTPS_PROXY", &proxy)
            .env("HTTP_PROXY", &proxy)
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("AWS_ENDPOINT_URL", endpoint)
            .args(NAME);
        let out = run(c).await;
        assert_ne!(out.get_output().status.code(), Some(0));
    }
    assert_eq!(
        *heads.lock().unwrap(),
        vec![
            "CONNECT 127.0.0.2:9 HTTP/1.1".to_owned(),
            "POST http://127.0.0.2:9/ HTTP/1.1".to_owned(),
        ]
    );
}

/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores the environment and
/// the profile, never the flag. (Without the flag the request would go to
/// the real service endpoint, which must not be contacted: see the next
/// test for the other half.)
#[tokio::test(flavor = "multi_thread")]
async fn ignore_configured_endpoint_urls_keeps_the_flag() {
    let fake = accepting().await;
    let config = config_file(&format!(
        "[default]\nendpoint_url = {}\nignore_configured_endpoint_urls = true\n",
        closed_url()
    ));
    let mut c = cmd_at(&fake, NAME);
    c.env("AWS_CONFIG_FILE", &config.path)
        .env("AWS_ENDPOINT_URL", closed_url())
        .env("AWS_ENDPOINT_URL_FIREHOSE", closed_url())
        .env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

/// The other half, without sending anything: with no credentials the run
/// stops before any request (identity is resolved before the endpoint), and
/// the SDK's trace log says whether the configured endpoint was dropped.
/// A dead loopback proxy is set too, so that even a request that escaped
/// could not leave the machine.
#[tokio::test(flavor = "multi_thread")]
async fn ignore_configured_endpoint_urls_drops_the_environments_endpoint() {
    let fake = accepting().await;
    for (ignore, dropped) in [("false", false), ("true", true)] {
        let mut c = cmd_no_escape();
        c.env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_ENDPOINT_URL", fake.url())
            .env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignore)
            .env("RUST_LOG", "aws_config=trace")
            .arg("--debug")
            .args(NAME);
        let out = run(c).await.code(253);
        let err = stderr_of(&out);
        assert!(err.contains("Unable to locate credentials"), "{err}");
        assert_eq!(
            err.contains("any endpoint URLs configured in the environment will be ignored"),
            dropped,
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS={ignore}: {err}"
        );
    }
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoint_url_without_a_scheme_is_252_and_sends_nothing() {
    let fake = accepting().await;
    let mut c = cmd_no_escape();
    c.env("AWS_ENDPOINT_URL", fake.url())
        .args(["--endpoint-url", "127.0.0.1:1"])
        .args(NAME);
    run(c).await.code(252).stdout("").stderr(
        "\naws: [ERROR]: An error occurred (ParamValidation): Bad value for --endpoint-url \
         \"127.0.0.1:1\": scheme is missing.  Must be of the form http://<hostname>/ or \
         https://<hostname>/\n",
    );
    assert_eq!(request_count(&fake).await, 0);
}

// ---------------------------------------------------------------------------
// 4. --no-sign-request

#[tokio::test(flavor = "multi_thread")]
async fn no_sign_request_sends_an_unsigned_request_without_credentials() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, &["--no-sign-request"]);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1);
    for h in ["authorization", "x-amz-date", "x-amz-security-token"] {
        assert_eq!(header_of(&requests[0], h), None, "{h}");
    }
    assert_eq!(
        header_of(&requests[0], "x-amz-target").as_deref(),
        Some(START_TARGET)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_sign_request_ignores_credentials_that_are_there() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, &["--no-sign-request"]);
    c.env("AWS_SESSION_TOKEN", "t5-session-token").args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1);
    for h in ["authorization", "x-amz-date", "x-amz-security-token"] {
        assert_eq!(header_of(&requests[0], h), None, "{h}");
    }
}

// ---------------------------------------------------------------------------
// 5. TLS

#[tokio::test(flavor = "multi_thread")]
async fn https_with_an_untrusted_certificate_is_255_ssl_validation_failed() {
    let ca = Ca::new("t5 untrusted CA");
    let server = https_server(&ca).await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(NAME);
    let out = run(c).await.code(255).stdout("");
    let err = stderr_of(&out);
    let prefix = format!(
        "\naws: [ERROR]: SSL validation failed for https://127.0.0.1:{}/ ",
        server.port
    );
    assert!(err.starts_with(&prefix), "{err:?}");
    assert!(err.contains("certificate"), "{err:?}");
    assert_eq!(server.requests(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn ca_bundle_flag_trusts_the_bundle() {
    let ca = Ca::new("t5 flag CA");
    let (_dir, pem) = ca.pem_file();
    let server = https_server(&ca).await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .arg("--ca-bundle")
        .arg(&pem)
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_ca_bundle_trusts_the_bundle() {
    let ca = Ca::new("t5 env CA");
    let (_dir, pem) = ca.pem_file();
    let server = https_server(&ca).await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .env("AWS_CA_BUNDLE", &pem)
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_ca_bundle_trusts_the_bundle() {
    let ca = Ca::new("t5 profile CA");
    let (_dir, pem) = ca.pem_file();
    let server = https_server(&ca).await;
    let config = config_file(&format!("[default]\nca_bundle = {}\n", pem.display()));
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .env("AWS_CONFIG_FILE", &config.path)
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn ca_bundle_flag_beats_aws_ca_bundle_beats_the_profile() {
    let (ours, other) = (Ca::new("t5 ours"), Ca::new("t5 other"));
    let (_d1, good) = ours.pem_file();
    let (_d2, bad) = other.pem_file();
    let server = https_server(&ours).await;
    let config = config_file(&format!("[default]\nca_bundle = {}\n", bad.display()));
    // The flag wins over a wrong environment bundle and a wrong profile one.
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .arg("--ca-bundle")
        .arg(&good)
        .env("AWS_CA_BUNDLE", &bad)
        .env("AWS_CONFIG_FILE", &config.path)
        .args(NAME);
    run(c).await.code(0);
    // The environment wins over a wrong profile bundle.
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .env("AWS_CA_BUNDLE", &good)
        .env("AWS_CONFIG_FILE", &config.path)
        .args(NAME);
    run(c).await.code(0);
    // And a wrong bundle alone is a certificate failure.
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .env("AWS_CA_BUNDLE", &bad)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(NAME);
    let out = run(c).await.code(255);
    assert!(
        stderr_of(&out).contains("SSL validation failed"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(server.requests(), 2);
}

/// The certificate of `tests/fixtures/tls`, made by `openssl req -x509`
/// (see its README), served on 127.0.0.1.
async fn openssl_self_signed_server() -> (RawServer, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls");
    let pem = dir.join("self-signed.pem");
    let cert = ServerCert::from_pem_files(&pem, &dir.join("self-signed.key"));
    (RawServer::https(&cert).await, pem)
}

#[tokio::test(flavor = "multi_thread")]
async fn ca_bundle_trusts_a_self_signed_certificate_made_by_openssl_req_x509() {
    let (server, pem) = openssl_self_signed_server().await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .arg("--ca-bundle")
        .arg(&pem)
        .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    // The same through AWS_CA_BUNDLE, and by the name `localhost`, which the
    // certificate also holds.
    let mut c = cmd();
    c.args([
        "--endpoint-url",
        &format!("https://localhost:{}", server.port),
    ])
    .env("AWS_CA_BUNDLE", &pem)
    .args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(server.requests(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_self_signed_certificate_outside_the_bundle_is_refused() {
    let (server, _) = openssl_self_signed_server().await;
    let (_dir, other) = Ca::new("t5 other").pem_file();
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .arg("--ca-bundle")
        .arg(&other)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(NAME);
    let out = run(c).await.code(255).stdout("");
    let err = stderr_of(&out);
    assert!(err.contains("SSL validation failed"), "{err:?}");
    assert!(err.contains("self-signed certificate"), "{err:?}");
    assert_eq!(server.requests(), 0);
}

/// A self-signed CA certificate in the bundle, presented by the server,
/// is still checked for the name and the validity period.
async fn refused_self_signed(names: &[&str], from: i32, until: i32) -> String {
    let (cert, pem) = ServerCert::self_signed_ca(names, from, until);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("self-signed.pem");
    std::fs::write(&path, pem).unwrap();
    let server = RawServer::https(&cert).await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url])
        .arg("--ca-bundle")
        .arg(&path)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(NAME);
    let out = run(c).await.code(255).stdout("");
    assert_eq!(server.requests(), 0);
    let err = stderr_of(&out);
    assert!(err.contains("SSL validation failed"), "{err:?}");
    err
}

#[tokio::test(flavor = "multi_thread")]
async fn a_self_signed_certificate_in_the_bundle_must_hold_the_host_name() {
    let err = refused_self_signed(&["example.test"], 2000, 2100).await;
    assert!(err.contains("not valid for name \"127.0.0.1\""), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_self_signed_certificate_in_the_bundle_must_be_in_its_validity_period() {
    let err = refused_self_signed(&["127.0.0.1"], 2000, 2001).await;
    assert!(err.contains("expired"), "{err:?}");
    let err = refused_self_signed(&["127.0.0.1"], 2099, 2100).await;
    assert!(err.contains("not valid yet"), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_verify_ssl_accepts_the_certificate_and_warns() {
    let ca = Ca::new("t5 noverify CA");
    let server = https_server(&ca).await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url, "--no-verify-ssl"])
        .args(NAME);
    let out = run(c).await.code(0).stdout("");
    let err = stderr_of(&out);
    assert!(
        err.contains("warning") && err.contains("not verified"),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_verify_ssl_overrides_a_wrong_bundle() {
    let (ours, other) = (Ca::new("t5 ours"), Ca::new("t5 other"));
    let (_dir, bad) = other.pem_file();
    let server = https_server(&ours).await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url, "--no-verify-ssl"])
        .arg("--ca-bundle")
        .arg(&bad)
        .args(NAME);
    run(c).await.code(0);
    assert_eq!(server.requests(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_ca_bundle_is_253_naming_the_path() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, &["--ca-bundle", "/nonexistent/t5-ca.pem"]);
    c.args(NAME);
    let out = run(c).await.code(253).stdout("");
    let err = stderr_of(&out);
    assert!(
        err.starts_with("\naws: [ERROR]: ") && err.contains("/nonexistent/t5-ca.pem"),
        "{err:?}"
    );
    // The same from the environment.
    let mut c = cmd_at(&fake, NAME);
    c.env("AWS_CA_BUNDLE", "/nonexistent/t5-env-ca.pem");
    let out = run(c).await.code(253);
    assert!(
        stderr_of(&out).contains("/nonexistent/t5-env-ca.pem"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(request_count(&fake).await, 0);
}

// ---------------------------------------------------------------------------
// 6. Timeouts

#[tokio::test(flavor = "multi_thread")]
async fn read_timeout_gives_up_after_the_given_seconds() {
    let server = RawServer::silent().await;
    let mut c = cmd();
    c.args(["--endpoint-url", &server.url, "--cli-read-timeout", "1"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(NAME);
    let began = Instant::now();
    let out = run(c).await.code(255).stdout("");
    let took = began.elapsed();
    assert_eq!(
        stderr_of(&out),
        format!(
            "\naws: [ERROR]: Read timeout on endpoint URL: \"http://127.0.0.1:{}/\"\n",
            server.port
        )
    );
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(server.requests(), 1);
}

/// A listener whose accept queue is full and never drained: the kernel
/// drops further SYNs, so a connect hangs until the client gives up.
async fn unconnectable() -> Option<(String, TcpListener, Vec<tokio::net::TcpStream>)> {
    let socket = tokio::net::TcpSocket::new_v4().ok()?;
    socket.bind("127.0.0.1:0".parse().unwrap()).ok()?;
    let listener = socket.listen(0).ok()?;
    let addr = listener.local_addr().ok()?;
    let mut held = Vec::new();
    for _ in 0..16 {
        match tokio::time::timeout(
            Duration::from_millis(300),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(s)) => held.push(s),
            Ok(Err(_)) => return None,
            // Timed out: the queue is full.
            Err(_) => return Some((format!("http://{addr}"), listener, held)),
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_timeout_gives_up_after_the_given_seconds() {
    let Some((url, _listener, _held)) = unconnectable().await else {
        eprintln!("skipped: this kernel accepts beyond the listen backlog");
        return;
    };
    let mut c = cmd();
    c.args(["--endpoint-url", &url, "--cli-connect-timeout", "1"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(NAME);
    let began = Instant::now();
    let out = run(c).await.code(255).stdout("");
    let took = began.elapsed();
    assert_eq!(
        stderr_of(&out),
        format!("\naws: [ERROR]: Connect timeout on endpoint URL: \"{url}/\"\n")
    );
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn timeouts_that_are_not_whole_seconds_are_usage_errors() {
    let fake = accepting().await;
    for args in [
        ["--cli-connect-timeout", "abc"],
        ["--cli-read-timeout", "abc"],
        ["--cli-read-timeout", "1.5"],
    ] {
        let out = run(cmd_at(&fake, &args)).await.code(252).stdout("");
        assert!(stderr_of(&out).contains(args[0]), "{}", stderr_of(&out));
    }
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_timeouts_mean_none_and_the_call_succeeds() {
    let fake = accepting().await;
    let mut c = cmd_at(
        &fake,
        &["--cli-read-timeout", "0", "--cli-connect-timeout", "0"],
    );
    c.args(NAME);
    run(c).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 1);
}

// ---------------------------------------------------------------------------
// 7. Retries

/// A fake that answers 503 `failures` times, then 200 (`None`: always 503).
async fn flaky(failures: Option<u64>) -> FakeFirehose {
    let fake = FakeFirehose::start().await;
    let unavailable = ResponseTemplate::new(503)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(
            json!({"__type": "ServiceUnavailableException", "message": "Slow down."}).to_string(),
        );
    let mut mock = Mock::given(method("POST"))
        .and(header("x-amz-target", START_TARGET))
        .respond_with(unavailable);
    if let Some(n) = failures {
        mock = mock.up_to_n_times(n);
    }
    mock.mount(&fake.server).await;
    fake.reply(START_TARGET, 200, json!({})).await;
    fake
}

const UNAVAILABLE: &str = "\naws: [ERROR]: An error occurred (ServiceUnavailableException) \
                           when calling the StartDeliveryStreamEncryption operation";

#[tokio::test(flavor = "multi_thread")]
async fn standard_mode_retries_a_503_twice_by_default() {
    let fake = flaky(Some(2)).await;
    run(cmd_at(&fake, NAME)).await.code(0).stdout("").stderr("");
    assert_eq!(request_count(&fake).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn standard_mode_gives_up_after_three_attempts() {
    let fake = flaky(None).await;
    let out = run(cmd_at(&fake, NAME)).await.code(254).stdout("");
    let err = stderr_of(&out);
    assert!(err.starts_with(UNAVAILABLE), "{err:?}");
    assert_eq!(request_count(&fake).await, 3);
}

/// Reference §7.2: after retries the AWS CLI v2 says
/// `… operation (reached max retries: 2): <msg>`.
#[tokio::test(flavor = "multi_thread")]
async fn an_error_after_retries_keeps_the_canonical_line() {
    // Contract §5 fixes the line as `… operation: <message>`; the AWS CLI's
    // `(reached max retries: N)` would break scripts that match on it.
    let fake = flaky(None).await;
    let out = run(cmd_at(&fake, NAME)).await.code(254);
    assert_eq!(stderr_of(&out), format!("{UNAVAILABLE}: Slow down.\n"));
    assert_eq!(request_count(&fake).await, 3, "standard mode: 3 attempts");
}

#[tokio::test(flavor = "multi_thread")]
async fn max_attempts_1_does_not_retry() {
    let fake = flaky(None).await;
    let mut c = cmd_at(&fake, NAME);
    c.env("AWS_MAX_ATTEMPTS", "1");
    let out = run(c).await.code(254).stdout("");
    assert_eq!(stderr_of(&out), format!("{UNAVAILABLE}: Slow down.\n"));
    assert_eq!(request_count(&fake).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_retry_mode_is_accepted_and_makes_five_attempts() {
    let fake = flaky(None).await;
    let mut c = cmd_at(&fake, NAME);
    c.env("AWS_RETRY_MODE", "legacy");
    let out = run(c).await.code(254).stdout("");
    let err = stderr_of(&out);
    assert!(err.starts_with(UNAVAILABLE), "{err:?}");
    assert!(!err.contains("panic"), "{err:?}");
    assert_eq!(request_count(&fake).await, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn adaptive_and_standard_retry_modes_are_accepted() {
    for mode in ["adaptive", "standard"] {
        let fake = flaky(Some(1)).await;
        let mut c = cmd_at(&fake, NAME);
        c.env("AWS_RETRY_MODE", mode);
        run(c).await.code(0).stdout("").stderr("");
        assert_eq!(request_count(&fake).await, 2, "{mode}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_retry_settings_are_253_naming_the_variable() {
    let fake = accepting().await;
    for (var, value) in [
        ("AWS_MAX_ATTEMPTS", "0"),
        ("AWS_MAX_ATTEMPTS", "abc"),
        ("AWS_RETRY_MODE", "bogus"),
    ] {
        let mut c = cmd_at(&fake, NAME);
        c.env(var, value);
        let out = run(c).await.code(253).stdout("");
        let err = stderr_of(&out);
        assert!(
            err.starts_with("\naws: [ERROR]: ") && err.contains(var) && err.contains(value),
            "{var}={value}: {err:?}"
        );
    }
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_max_attempts_is_honoured() {
    let fake = flaky(None).await;
    let mut c = cmd_at(&fake, NAME);
    // AWS_PROFILE, not --profile: an explicit --profile would drop the
    // environment keys, and this profile has none.
    with_t5_files(&mut c).env("AWS_PROFILE", "twotries");
    run(c).await.code(254).stdout("");
    assert_eq!(request_count(&fake).await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_max_attempts_beats_the_profiles_max_attempts() {
    let fake = flaky(None).await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c)
        .env("AWS_PROFILE", "twotries")
        .env("AWS_MAX_ATTEMPTS", "1");
    run(c).await.code(254);
    assert_eq!(request_count(&fake).await, 1);
}

// ---------------------------------------------------------------------------
// 8. --debug never prints secrets

const DEBUG_KEY: &str = "AKIDT5DEBUGKEYID";
const DEBUG_SECRET: &str = "t5DebugSecretKeyThatMustNeverBePrinted";
const DEBUG_TOKEN: &str = "t5DebugSessionTokenThatMustNeverBePrinted";

/// Runs `--debug` with a session token, `extra` environment, and checks the
/// whole of stderr for the secret key, the session token and the signature.
async fn assert_debug_keeps_secrets(extra: &[(&str, &str)]) {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, &["--debug"]);
    c.env("AWS_ACCESS_KEY_ID", DEBUG_KEY)
        .env("AWS_SECRET_ACCESS_KEY", DEBUG_SECRET)
        .env("AWS_SESSION_TOKEN", DEBUG_TOKEN)
        .envs(extra.iter().copied())
        .args(NAME);
    let out = run(c).await.code(0).stdout("");
    let err = stderr_of(&out);
    let requests = fake.requests().await;
    assert_eq!(requests.len(), 1);
    // The secrets really were used, so their absence from the log means something.
    assert_eq!(signer(&requests[0]).0, DEBUG_KEY);
    assert_eq!(
        header_of(&requests[0], "x-amz-security-token").as_deref(),
        Some(DEBUG_TOKEN)
    );
    let sig = signature(&requests[0]);
    assert_eq!(sig.len(), 64, "{sig}");

    assert!(
        err.contains("StartDeliveryStreamEncryption") && err.lines().count() > 5,
        "no SDK log on stderr: {err:?}"
    );
    assert!(!err.contains(DEBUG_SECRET), "secret key printed:\n{err}");
    assert!(!err.contains(DEBUG_TOKEN), "session token printed:\n{err}");
    assert!(!err.contains(&sig), "signature printed:\n{err}");
    // No signature at all, e.g. of a retried or re-signed request.
    for (i, _) in err.match_indices("Signature=") {
        let value: String = err[i + "Signature=".len()..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        assert!(value.len() < 16, "a signature is printed: {value}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_logs_the_call_without_secrets() {
    assert_debug_keeps_secrets(&[]).await;
}

/// `RUST_LOG` widens `--debug` (app.rs); the widest level must not leak either.
#[tokio::test(flavor = "multi_thread")]
async fn debug_at_trace_level_still_prints_no_secrets() {
    assert_debug_keeps_secrets(&[("RUST_LOG", "trace")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_debug_stderr_is_empty() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    c.env("RUST_LOG", "trace");
    run(c).await.code(0).stdout("").stderr("");
}

// ---------------------------------------------------------------------------
// 9. --cli-error-format

const NOT_FOUND: &str = "Firehose s1 under account 123456789012 not found.";
const NOT_FOUND_LINE: &str = "\naws: [ERROR]: An error occurred (ResourceNotFoundException) \
     when calling the StartDeliveryStreamEncryption operation: \
     Firehose s1 under account 123456789012 not found.\n";

async fn not_found() -> FakeFirehose {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "ResourceNotFoundException", NOT_FOUND)
        .await;
    fake
}

/// Runs against a `ResourceNotFoundException` with `args`/`env` and returns
/// stderr (exit 254, stdout empty, one request).
async fn not_found_stderr(
    args: &[&str],
    env: &[(&str, &str)],
    setup: impl FnOnce(&mut Command),
) -> String {
    let fake = not_found().await;
    let mut c = cmd_at(&fake, args);
    c.envs(env.iter().copied()).args(NAME);
    setup(&mut c);
    let out = run(c).await.code(254).stdout("");
    assert_eq!(request_count(&fake).await, 1);
    stderr_of(&out)
}

/// AWS CLI v2 (2.36.7, checked with aws2 against a loopback fake): a
/// service error is Message, Code, then the error response's own members.
fn assert_json_error(err: &str) {
    assert_eq!(
        err,
        format!(
            "{{\n    \"Message\": \"{NOT_FOUND}\",\n    \"Code\": \"ResourceNotFoundException\",\n    \"message\": \"{NOT_FOUND}\"\n}}\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_enhanced_and_legacy_print_the_canonical_line() {
    for format in ["enhanced", "legacy"] {
        let err = not_found_stderr(&["--cli-error-format", format], &[], |_| {}).await;
        assert_eq!(err, NOT_FOUND_LINE, "{format}");
    }
    // enhanced is the default.
    assert_eq!(not_found_stderr(&[], &[], |_| {}).await, NOT_FOUND_LINE);
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_json_is_code_and_message() {
    let err = not_found_stderr(&["--cli-error-format", "json"], &[], |_| {}).await;
    assert_json_error(&err);
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_yaml_is_code_and_message() {
    let err = not_found_stderr(&["--cli-error-format", "yaml"], &[], |_| {}).await;
    assert_eq!(
        err,
        format!("Code: ResourceNotFoundException\nMessage: {NOT_FOUND}\nmessage: {NOT_FOUND}\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_text_is_code_and_message() {
    let err = not_found_stderr(&["--cli-error-format", "text"], &[], |_| {}).await;
    assert_eq!(
        err,
        format!("ResourceNotFoundException\t{NOT_FOUND}\t{NOT_FOUND}\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_table_is_code_and_message() {
    let err = not_found_stderr(&["--cli-error-format", "table"], &[], |_| {}).await;
    // AWS CLI v2 titles the table `error` and lists the response's own
    // `message` too.
    assert!(
        err.lines().nth(1).unwrap_or("").contains(" error "),
        "{err}"
    );
    for part in [
        "|  Code   |  ResourceNotFoundException",
        "|  Message|  ",
        "|  message|  ",
        NOT_FOUND,
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
    assert!(err.lines().next().unwrap_or("").starts_with("---"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_from_aws_cli_error_format() {
    let err = not_found_stderr(&[], &[("AWS_CLI_ERROR_FORMAT", "json")], |_| {}).await;
    assert_json_error(&err);
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_from_the_profile() {
    let err = not_found_stderr(&["--profile", "errjson"], &[], |c| {
        with_t5_files(c);
    })
    .await;
    assert_json_error(&err);
    // The profile chosen by AWS_PROFILE counts too.
    let err = not_found_stderr(&[], &[("AWS_PROFILE", "errjson")], |c| {
        with_t5_files(c);
    })
    .await;
    assert_json_error(&err);
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_flag_beats_environment_beats_profile() {
    // Flag (json) over environment (yaml) over profile (yaml).
    let err = not_found_stderr(
        &["--cli-error-format", "json", "--profile", "erryaml"],
        &[("AWS_CLI_ERROR_FORMAT", "yaml")],
        |c| {
            with_t5_files(c);
        },
    )
    .await;
    assert_json_error(&err);
    // Environment (json) over profile (yaml).
    let err = not_found_stderr(
        &["--profile", "erryaml"],
        &[("AWS_CLI_ERROR_FORMAT", "json")],
        |c| {
            with_t5_files(c);
        },
    )
    .await;
    assert_json_error(&err);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_error_format_in_the_environment_falls_back_to_enhanced_with_a_warning() {
    let err = not_found_stderr(&[], &[("AWS_CLI_ERROR_FORMAT", "bogus")], |_| {}).await;
    assert!(err.ends_with(NOT_FOUND_LINE), "{err:?}");
    let warning = &err[..err.len() - NOT_FOUND_LINE.len()];
    assert!(
        warning.contains("warning") && warning.contains("bogus"),
        "{warning:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_error_format_flag_is_a_usage_error() {
    let fake = not_found().await;
    let out = run(cmd_at(&fake, &["--cli-error-format", "bogus"]))
        .await
        .code(252)
        .stdout("");
    assert!(stderr_of(&out).contains("bogus"), "{}", stderr_of(&out));
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn error_format_json_applies_to_configuration_errors() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, &["--cli-error-format", "json"]);
    c.env_remove("AWS_REGION").args(NAME);
    let out = run(c).await.code(253).stdout("");
    let doc: Value = serde_json::from_str(&stderr_of(&out)).expect("JSON");
    assert_eq!(doc["Code"], "NoRegion");
    assert_eq!(request_count(&fake).await, 0);
}

// ---------------------------------------------------------------------------
// 10. --version, --no-paginate, --no-cli-pager

/// The aws-sdk-firehose version in Cargo.lock.
fn sdk_version() -> String {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    lock.split("[[package]]")
        .find(|p| p.contains("name = \"aws-sdk-firehose\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_owned())
        .expect("aws-sdk-firehose in Cargo.lock")
}

#[tokio::test(flavor = "multi_thread")]
async fn version_names_the_tool_and_the_sdk() {
    let fake = accepting().await;
    let out = run(cmd_at(&fake, &["--version"])).await.code(0).stderr("");
    assert_eq!(
        stdout_of(&out),
        format!(
            "start-delivery-stream-encryption {} (aws-sdk-firehose {})\n",
            env!("CARGO_PKG_VERSION"),
            sdk_version()
        )
    );
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_paginate_and_no_cli_pager_are_accepted() {
    let fake = accepting().await;
    for args in [
        &["--no-paginate"][..],
        &["--no-cli-pager"],
        &["--no-paginate", "--no-cli-pager"],
    ] {
        let mut c = cmd_at(&fake, args);
        c.args(NAME);
        run(c).await.code(0).stdout("").stderr("");
    }
    assert_eq!(request_count(&fake).await, 3);
}

// ---------------------------------------------------------------------------
// 11. Fail fast with nothing configured

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_fails_fast_with_253() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let began = Instant::now();
    let out = run(c).await.code(253).stdout("");
    let took = began.elapsed();
    assert_eq!(
        stderr_of(&out),
        "\naws: [ERROR]: An error occurred (NoCredentials): Unable to locate credentials. \
         You can configure credentials by running \"aws configure\".\n"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(request_count(&fake).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_without_keys_is_no_credentials() {
    let fake = accepting().await;
    let mut c = cmd_at(&fake, NAME);
    with_t5_files(&mut c);
    without_env_keys_and_region(&mut c).args(["--profile", "twotries", "--region", "us-east-1"]);
    let out = run(c).await.code(253);
    assert!(
        stderr_of(&out).contains("(NoCredentials)"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(request_count(&fake).await, 0);
}
