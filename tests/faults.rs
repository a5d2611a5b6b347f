//! Fault injection (issue 8): the binary against loopback fakes that
//! refuse, hang, fail, retry, talk garbage or vanish mid-wait; interruption
//! by SIGINT; stdout closed early; hostile `file://` paths; huge inputs.
//!
//! Every case asserts the exit code, the stderr message, stdout, and what
//! reached the fake. Everything listens on 127.0.0.1, every run goes
//! through the harness's scrubbed environment (`cmd()`/`cmd_at()`), and
//! every wait is bounded.

mod common;

use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use wiremock::ResponseTemplate;

const NAME: &str = "--delivery-stream-name";

/// A valid request: a name and an AWS-owned key.
const VALID: &[&str] = &[NAME, "s1", ENC, "KeyType=AWS_OWNED_CMK"];

/// Upper bound for any single run of the binary in this file: a hang
/// becomes a failure (assert_cmd kills the child), never a stuck suite.
const RUN_LIMIT: Duration = Duration::from_secs(30);

// ------------------------------------------------------------------ helpers

/// `c` with the suite-wide kill-after limit.
fn bounded(mut c: assert_cmd::Command) -> assert_cmd::Command {
    c.timeout(RUN_LIMIT);
    c
}

/// Run a harness command (off the async runtime) and time it.
async fn timed(c: assert_cmd::Command) -> (Output, Duration) {
    let start = Instant::now();
    let out = run(bounded(c)).await.get_output().clone();
    (out, start.elapsed())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit code, stdout and stderr of a finished run, for assertions with context.
fn outcome(out: &Output) -> (Option<i32>, String, String) {
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// A TCP server on 127.0.0.1 that accepts connections, records what it is
/// sent, and never answers. It stops (closing every connection) when
/// dropped, or after 60 s at the latest.
struct Blackhole {
    port: u16,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
}

impl Blackhole {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let port = listener.local_addr().expect("local addr").port();
        let received = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (rx, st) = (Arc::clone(&received), Arc::clone(&stop));
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut conns: Vec<TcpStream> = Vec::new();
            while !st.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((s, _)) => {
                        s.set_nonblocking(true).expect("nonblocking stream");
                        conns.push(s);
                        rx.lock().unwrap().push(Vec::new());
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(_) => break,
                }
                for (i, s) in conns.iter_mut().enumerate() {
                    let mut buf = [0u8; 4096];
                    while let Ok(n @ 1..) = s.read(&mut buf) {
                        rx.lock().unwrap()[i].extend_from_slice(&buf[..n]);
                    }
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Self {
            port,
            received,
            stop,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Connections whose bytes carry an `X-Amz-Target: target` header.
    fn requests_for(&self, target: &str) -> usize {
        let needle = format!("x-amz-target: {}", target.to_ascii_lowercase());
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|b| text(b).to_ascii_lowercase().contains(&needle))
            .count()
    }

    fn connections(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

impl Drop for Blackhole {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Send SIGINT to `child` with kill(1) (no extra crates).
fn sigint(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -INT failed: {status}");
}

/// Wait at most `limit` for `child` to exit and collect its output; a child
/// still running then is killed and the test fails. Its pipes are drained
/// meanwhile, so a child writing megabytes never blocks on a full pipe.
fn finish_within(mut child: Child, limit: Duration) -> Output {
    fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait().expect("try_wait") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    let Some(status) = status else {
        panic!(
            "the binary did not exit within {limit:?}; stderr: {:?}",
            head(&text(&stderr))
        );
    };
    Output {
        status,
        stdout,
        stderr,
    }
}

/// At most the first 300 characters of `s`, for failure messages.
fn head(s: &str) -> &str {
    s.char_indices().nth(300).map_or(s, |(i, _)| &s[..i])
}

/// Poll `ready` every 20 ms for at most 5 s.
fn wait_until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What an interrupted run must look like off a terminal: exit 130, nothing
/// on stdout, and on stderr only the newline that ends the `^C` line — no
/// carriage return or escape code of a spinner.
fn assert_interrupted(out: &Output) {
    let (code, stdout, stderr) = outcome(out);
    assert_eq!(code, Some(130), "stderr: {stderr:?}");
    assert_eq!(stdout, "");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "{stderr:?}"
    );
    assert_eq!(stderr, "\n");
}

/// An interrupted `--wait`: exit 130, nothing on stdout, and one line saying
/// the service accepted the request and goes on, the last status seen and
/// the command that checks it (contract §10).
fn assert_interrupted_while_waiting(out: &Output, last_status: &str) {
    let (code, stdout, stderr) = outcome(out);
    assert_eq!(code, Some(130), "stderr: {stderr:?}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "\nInterrupted while waiting: the service accepted StartDeliveryStreamEncryption for delivery stream \"s1\" and goes on with it; last status seen: {last_status}. Check it with: aws firehose describe-delivery-stream --delivery-stream-name s1 --query DeliveryStreamDescription.DeliveryStreamEncryptionConfiguration\n"
        )
    );
}

// ---------------------------------------------------------------- 1. refused

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_with_default_retries_exits_255_within_seconds() {
    let port = closed_port();
    let mut c = cmd();
    c.arg("--endpoint-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .args(VALID);
    let (out, took) = timed(c).await;
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, Some(255), "{stderr:?}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "\naws: [ERROR]: Could not connect to the endpoint URL: \"http://127.0.0.1:{port}/\"\n"
        )
    );
    // Three attempts with backoff, but never the 60 s connect timeout.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

// ------------------------------------------------------------ 2. read timeout

#[test]
fn a_server_that_never_answers_is_a_read_timeout_after_cli_read_timeout() {
    let hole = Blackhole::start();
    let mut c = cmd();
    c.env("AWS_MAX_ATTEMPTS", "1")
        .args(["--endpoint-url", &hole.url(), "--cli-read-timeout", "1"])
        .args(VALID);
    let start = Instant::now();
    let out = bounded(c).output().expect("run");
    let took = start.elapsed();
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, Some(255), "{stderr:?}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "\naws: [ERROR]: Read timeout on endpoint URL: \"http://127.0.0.1:{}/\"\n",
            hole.port
        )
    );
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "took {took:?}"
    );
    assert_eq!(hole.connections(), 1);
    assert_eq!(hole.requests_for(START_TARGET), 1);
}

// ---------------------------------------------------------------- 3. retried

#[tokio::test(flavor = "multi_thread")]
async fn a_503_is_retried_and_the_second_attempt_succeeds() {
    let fake = FakeFirehose::start().await;
    fake.script(
        START_TARGET,
        vec![
            ResponseTemplate::new(503).set_body_raw("Service Unavailable", "text/plain"),
            amz_json(200, "{}"),
        ],
    )
    .await;
    let (out, _) = timed(cmd_at(&fake, VALID)).await;
    assert_eq!(outcome(&out), (Some(0), String::new(), String::new()));
    assert_eq!(fake.requests().await.len(), 2);
    let bodies = fake.bodies(START_TARGET).await;
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1], "the retry resends the same request");
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_twice_is_retried_and_the_third_attempt_succeeds() {
    let fake = FakeFirehose::start().await;
    let throttled = amz_error("ThrottlingException", "Rate exceeded");
    fake.script(
        START_TARGET,
        vec![throttled.clone(), throttled, amz_json(200, "{}")],
    )
    .await;
    let (out, _) = timed(cmd_at(&fake, VALID)).await;
    assert_eq!(outcome(&out), (Some(0), String::new(), String::new()));
    assert_eq!(fake.requests().await.len(), 3);
    assert_eq!(fake.count(START_TARGET).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_beyond_max_attempts_exits_254_with_the_canonical_line() {
    let fake = FakeFirehose::start().await;
    fake.reply_error(START_TARGET, "ThrottlingException", "Rate exceeded")
        .await;
    let mut c = cmd_at(&fake, VALID);
    c.env("AWS_MAX_ATTEMPTS", "2");
    let (out, _) = timed(c).await;
    assert_eq!(
        outcome(&out),
        (
            Some(254),
            String::new(),
            service_error(
                "StartDeliveryStreamEncryption",
                "ThrottlingException",
                "Rate exceeded"
            )
        )
    );
    assert_eq!(fake.requests().await.len(), 2);
}

// ------------------------------------------------------------ 4. not retried

#[tokio::test(flavor = "multi_thread")]
async fn resource_not_found_is_not_retried_with_default_attempts() {
    let fake = FakeFirehose::start().await;
    let message = "Firehose s1 under account 123456789012 not found.";
    fake.reply_error(START_TARGET, "ResourceNotFoundException", message)
        .await;
    let (out, took) = timed(cmd_at(&fake, VALID)).await;
    assert_eq!(
        outcome(&out),
        (
            Some(254),
            String::new(),
            service_error(
                "StartDeliveryStreamEncryption",
                "ResourceNotFoundException",
                message
            )
        )
    );
    assert_eq!(fake.requests().await.len(), 1);
    // No backoff was slept either.
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

// ------------------------------------------------------------ 5. HTML 500

const HTML_500: &str = "<html><body><h1>500 Internal Server Error</h1></body></html>";

#[tokio::test(flavor = "multi_thread")]
async fn an_html_500_page_is_a_service_error_coded_500() {
    let fake = FakeFirehose::start().await;
    fake.script(START_TARGET, vec![html(500, HTML_500)]).await;
    let mut c = cmd_at(&fake, VALID);
    c.env("AWS_MAX_ATTEMPTS", "1");
    let (out, _) = timed(c).await;
    assert_eq!(
        outcome(&out),
        (
            Some(254),
            String::new(),
            service_error("StartDeliveryStreamEncryption", "500", HTML_500)
        )
    );
    assert_eq!(fake.requests().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_500_page_is_retried_as_transient_up_to_max_attempts() {
    let fake = FakeFirehose::start().await;
    fake.script(START_TARGET, vec![html(500, HTML_500)]).await;
    let (out, took) = timed(cmd_at(&fake, VALID)).await;
    assert_eq!(
        outcome(&out),
        (
            Some(254),
            String::new(),
            service_error("StartDeliveryStreamEncryption", "500", HTML_500)
        )
    );
    assert_eq!(fake.requests().await.len(), 3);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

// ------------------------------------------------- 6. garbage 200 for start

/// A 2xx whose body is not JSON. botocore would call this success: the
/// operation's output shape has no members, and `_parse_body_as_json` turns
/// an unparsable body into `{"message": body}`, from which an empty
/// structure takes nothing. This tool refuses to guess: exit 255 with a
/// message naming the endpoint and the operation (a deliberate, documented
/// difference: an HTML 200 usually means a proxy or captive portal answered,
/// not Firehose). It is not retried either, since the start may have
/// happened and each one counts against the 25-a-day budget.
async fn assert_garbage_200_is_refused(reply: ResponseTemplate) {
    let fake = FakeFirehose::start().await;
    fake.script(START_TARGET, vec![reply]).await;
    let (out, _) = timed(cmd_at(&fake, VALID)).await;
    assert_eq!(
        outcome(&out),
        (
            Some(255),
            String::new(),
            format!(
                "\naws: [ERROR]: The response from \"{}/\" to the StartDeliveryStreamEncryption operation could not be read: it is not the JSON the API returns\n",
                fake.url()
            )
        )
    );
    assert_eq!(fake.requests().await.len(), 1, "not retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_truncated_json_200_for_start_exits_255_unretried() {
    assert_garbage_200_is_refused(amz_json(200, r#"{"Delive"#)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_200_for_start_exits_255_unretried() {
    assert_garbage_200_is_refused(html(200, "<html><body>Welcome to nginx!</body></html>")).await;
}

// ------------------------------------------------ 7 & 8. trouble mid-wait

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_reply_turning_to_html_mid_wait_exits_255_naming_describe() {
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, with_status("ENABLING")),
            html(200, "<html><body>Bad Gateway</body></html>"),
        ],
    )
    .await;
    let (out, took) = timed(cmd_at(&fake, &wait_args(&[]))).await;
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, Some(255), "{stderr:?}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "\naws: [ERROR]: The response from \"{}/\" to the DescribeDeliveryStream operation could not be read: it is not the JSON the API returns\n",
            fake.url()
        )
    );
    // One start, one good describe, one unreadable one: an unreadable reply
    // is not retried, even with the default three attempts.
    assert_eq!(fake.count(START_TARGET).await, 1);
    assert_eq!(fake.polls().await, 2);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_describe_reply_truncated_mid_wait_exits_255_naming_describe() {
    let fake = accepting().await;
    let good = with_status("ENABLING").to_string();
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_json(200, &good), amz_json(200, &good[..good.len() / 2])],
    )
    .await;
    let mut c = cmd_at(&fake, &wait_args(&[]));
    c.env("AWS_MAX_ATTEMPTS", "1");
    let (out, _) = timed(c).await;
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, Some(255), "{stderr:?}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "\naws: [ERROR]: The response from \"{}/\" to the DescribeDeliveryStream operation could not be read: it is not the JSON the API returns\n",
            fake.url()
        )
    );
    assert_eq!(fake.count(START_TARGET).await, 1);
    assert_eq!(fake.polls().await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_stream_deleted_mid_wait_exits_254_with_the_describe_line() {
    let fake = accepting().await;
    let message = "Firehose s1 under account 123456789012 not found.";
    fake.script(
        DESCRIBE_TARGET,
        vec![
            amz_json(200, with_status("ENABLING")),
            amz_error("ResourceNotFoundException", message),
        ],
    )
    .await;
    let (out, _) = timed(cmd_at(&fake, &wait_args(&[]))).await;
    assert_eq!(
        outcome(&out),
        (
            Some(254),
            String::new(),
            service_error(
                "DescribeDeliveryStream",
                "ResourceNotFoundException",
                message
            )
        )
    );
    assert_eq!(fake.count(START_TARGET).await, 1);
    assert_eq!(fake.polls().await, 2, "not retried");
}

// ---------------------------------------------------------------- 9. Ctrl-C

#[test]
fn ctrl_c_during_the_call_exits_130_quietly() {
    let hole = Blackhole::start();
    let mut c = cmd();
    c.args(["--endpoint-url", &hole.url()]).args(VALID);
    let child = spawn_piped(&c);
    // The request on the wire proves the runtime, and with it the SIGINT
    // handler, is up; then let it hang a little.
    wait_until("the request", || hole.requests_for(START_TARGET) == 1);
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    sigint(&child);
    let out = finish_within(child, Duration::from_secs(5));
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
    assert_interrupted(&out);
    assert_eq!(hole.connections(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_wait_exits_130_quietly_and_stops_polling() {
    let fake = accepting().await;
    fake.script(
        DESCRIBE_TARGET,
        vec![amz_json(200, with_status("ENABLING"))],
    )
    .await;
    let c = cmd_at(&fake, &wait_args_every("100ms", &[]));
    let child = spawn_piped(&c);
    let deadline = Instant::now() + Duration::from_secs(5);
    while fake.polls().await == 0 {
        assert!(Instant::now() < deadline, "no describe within 5 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    sigint(&child);
    let out = tokio::task::spawn_blocking(move || finish_within(child, Duration::from_secs(5)))
        .await
        .expect("waiter thread");
    assert_interrupted_while_waiting(&out, "ENABLING");
    assert_eq!(fake.count(START_TARGET).await, 1);
    let polled = fake.polls().await;
    assert!(polled >= 2, "kept polling while ENABLING: {polled}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.polls().await, polled, "no poll after exit");
}

// ---------------------------------------------------- 10. stdout closed early

#[tokio::test(flavor = "multi_thread")]
async fn wait_output_into_head_c0_exits_0_without_a_panic() {
    let fake = enabled_fake().await;
    let c = cmd_at(&fake, &wait_args(&["--output", "json"]));
    // bash runs the binary ("$@") into `head -c0`, then prints the
    // binary's own exit status.
    let mut sh = wrapped(
        &c,
        "bash",
        &["-c", r#""$@" | head -c0; echo "${PIPESTATUS[0]}""#, "bash"],
    );
    sh.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = sh.spawn().expect("spawn bash");
    let out = tokio::task::spawn_blocking(move || finish_within(child, RUN_LIMIT))
        .await
        .expect("waiter thread");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, Some(0), "{stderr:?}");
    assert_eq!(stdout, "0\n", "the binary's own status; stderr: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr:?}");
    assert_eq!(stderr, "");
    assert_eq!(fake.count(START_TARGET).await, 1);
    assert_eq!(fake.polls().await, 1);
}

/// Spawn `c` with its stdout a pipe whose read end is already closed.
fn run_with_stdout_closed(c: &assert_cmd::Command) -> Output {
    let mut child = spawn_piped(c);
    drop(child.stdout.take());
    finish_within(child, RUN_LIMIT)
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_output_into_a_closed_pipe_exits_0_without_a_panic() {
    let fake = enabled_fake().await;
    let c = cmd_at(&fake, &wait_args(&["--output", "json"]));
    let out = tokio::task::spawn_blocking(move || run_with_stdout_closed(&c))
        .await
        .expect("waiter thread");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, Some(0), "{stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr:?}");
    assert_eq!(stderr, "");
    assert_eq!(fake.count(START_TARGET).await, 1);
    assert_eq!(fake.polls().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn enabling_failed_into_a_closed_pipe_still_reports_and_exits_255() {
    let fake = accepting().await;
    let failed = enabling_failed("KMS_ACCESS_DENIED", "Access denied to key.");
    fake.script(DESCRIBE_TARGET, vec![amz_json(200, failed)])
        .await;
    let c = cmd_at(&fake, &wait_args(&["--output", "json"]));
    let out = tokio::task::spawn_blocking(move || run_with_stdout_closed(&c))
        .await
        .expect("waiter thread");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, Some(255), "{stderr:?}");
    assert_eq!(
        stderr,
        "\naws: [ERROR]: Enabling encryption failed for delivery stream \"s1\": KMS_ACCESS_DENIED: Access denied to key.\n"
    );
    assert_eq!(fake.polls().await, 1);
}

// ------------------------------------------------------ 11. hostile file://

/// The three parameters that take `file://`, each given `value`, with the
/// other parameters valid: (flag, argv).
fn file_param_cases(value: &str) -> Vec<(&'static str, Vec<String>)> {
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        (NAME, own(&[NAME, value, ENC, "KeyType=AWS_OWNED_CMK"])),
        (ENC, own(&[NAME, "s1", ENC, value])),
        ("--cli-input-json", own(&["--cli-input-json", value])),
    ]
}

/// Each parameter given `value` is refused with exit 252, `message(flag)`
/// and nothing sent.
async fn assert_paramfile_refused(value: &str, message: impl Fn(&str) -> String) {
    for (flag, argv) in file_param_cases(value) {
        let fake = FakeFirehose::start().await;
        fake.reply(START_TARGET, 200, json!({})).await;
        let args: Vec<&str> = argv.iter().map(String::as_str).collect();
        let (out, _) = timed(cmd_at(&fake, &args)).await;
        assert_eq!(
            outcome(&out),
            (Some(252), String::new(), param_error(&message(flag))),
            "{flag}"
        );
        assert!(fake.requests().await.is_empty(), "{flag}: sent something");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_is_errno_21_for_every_file_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let value = format!("file://{d}");
    assert_paramfile_refused(&value, |flag| {
        format!(
            "Error parsing parameter '{flag}': Unable to load paramfile {value}: [Errno 21] Is a directory: '{d}'"
        )
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_path_through_a_file_is_errno_20_for_every_file_parameter() {
    let p = format!("{}/x", fixture("t8-not-utf8.txt").display());
    let value = format!("file://{p}");
    assert_paramfile_refused(&value, |flag| {
        format!(
            "Error parsing parameter '{flag}': Unable to load paramfile {value}: [Errno 20] Not a directory: '{p}'"
        )
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_file_is_errno_13_for_every_file_parameter() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.txt");
    std::fs::write(&p, "s1").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        // Root (or CAP_DAC_OVERRIDE) reads a mode-000 file anyway, so
        // there is no permission error to provoke: only this case is skipped.
        eprintln!("SKIPPED: running privileged, chmod 000 does not make {p:?} unreadable");
        return;
    }
    let shown = p.display().to_string();
    let value = format!("file://{shown}");
    assert_paramfile_refused(&value, |flag| {
        format!(
            "Error parsing parameter '{flag}': Unable to load paramfile {value}: [Errno 13] Permission denied: '{shown}'"
        )
    })
    .await;
}

fn undecodable(shown_path: &str) -> String {
    format!(
        "Unable to load paramfile ({shown_path}), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix."
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_utf8_file_cannot_be_decoded_for_every_file_parameter() {
    let p = fixture("t8-not-utf8.txt").display().to_string();
    let value = format!("file://{p}");
    assert_paramfile_refused(&value, |flag| {
        format!("Error parsing parameter '{flag}': {}", undecodable(&p))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_utf8_file_message_shows_the_expanded_path_like_the_aws_cli() {
    // awscli/paramfile.py get_file: `... paramfile (%s), text contents ...' % file_path`
    // where file_path = os.path.expandvars(os.path.expanduser(...)).
    // The harness sets HOME to the crate root.
    let expanded = fixture("t8-not-utf8.txt").display().to_string();
    assert_paramfile_refused("file://~/tests/fixtures/t8-not-utf8.txt", |flag| {
        format!(
            "Error parsing parameter '{flag}': {}",
            undecodable(&expanded)
        )
    })
    .await;
}

// -------------------------------------------------------- 12. huge inputs

const MB: usize = 1024 * 1024;

/// Run `c` under GNU time when it is installed, returning the output, the
/// wall time and the peak RSS in KiB (None without /usr/bin/time).
async fn measured(c: assert_cmd::Command, dir: &Path) -> (Output, Duration, Option<u64>) {
    const TIME: &str = "/usr/bin/time";
    let rss_file = dir.join("rss");
    let mut s = if Path::new(TIME).exists() {
        let rss: &std::ffi::OsStr = rss_file.as_os_str();
        wrapped(
            &c,
            TIME,
            &["-f".as_ref(), "%M".as_ref(), "-o".as_ref(), rss],
        )
    } else {
        std_command(&c)
    };
    s.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let child = s.spawn().expect("spawn");
    let out = tokio::task::spawn_blocking(move || finish_within(child, RUN_LIMIT))
        .await
        .expect("waiter thread");
    let took = start.elapsed();
    // GNU time writes "Command exited with non-zero status N" first, then %M.
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()));
    (out, took, rss)
}

/// A huge input is refused quickly, with bounded memory and a short
/// message, and nothing is sent.
async fn assert_huge_refused(args: &[&str], dir: &Path, expected_stderr: &str) {
    let fake = accepting().await;
    let (out, took, rss) = measured(cmd_at(&fake, args), dir).await;
    let (code, stdout, stderr) = outcome(&out);
    eprintln!(
        "huge input: exit {code:?}, {took:?}, stderr {} bytes, peak RSS {}",
        stderr.len(),
        rss.map_or("not measured (no /usr/bin/time)".to_owned(), |k| format!(
            "{k} KiB"
        ))
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(code, Some(252), "{}", head(&stderr));
    assert_eq!(stdout, "");
    assert!(
        stderr.len() < 4096,
        "stderr echoes the input: {} bytes, starting {:?}",
        stderr.len(),
        head(&stderr)
    );
    assert_eq!(stderr, expected_stderr);
    if let Some(kib) = rss {
        assert!(kib < 256 * 1024, "peak RSS {kib} KiB");
    }
    assert!(fake.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_10_mb_cli_input_json_with_an_unknown_key_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    let doc = json!({
        "DeliveryStreamName": "s1",
        "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"},
        "Padding": "x".repeat(10 * MB),
    });
    std::fs::write(&p, doc.to_string()).unwrap();
    let value = format!("file://{}", p.display());
    assert_huge_refused(
        &["--cli-input-json", &value],
        dir.path(),
        &param_error(
            "Parameter validation failed:\nUnknown parameter in input: \"Padding\", must be one of: DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput",
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_10_mb_name_in_cli_input_json_is_refused_by_length() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    let doc = json!({"DeliveryStreamName": "s".repeat(10 * MB)});
    std::fs::write(&p, doc.to_string()).unwrap();
    let value = format!("file://{}", p.display());
    assert_huge_refused(
        &["--cli-input-json", &value],
        dir.path(),
        &param_error(&format!(
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamName, value: {}, valid max length: 64",
            10 * MB
        )),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_10_mb_truncated_cli_input_json_is_refused_as_invalid_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    let doc = format!("{{\"DeliveryStreamName\": \"{}", "s".repeat(10 * MB));
    std::fs::write(&p, &doc).unwrap();
    let value = format!("file://{}", p.display());
    assert_huge_refused(
        &["--cli-input-json", &value],
        dir.path(),
        &param_error(&format!(
            "Error parsing parameter 'cli-input-json': Invalid JSON received: EOF while parsing a string at line 1 column {}",
            doc.len()
        )),
    )
    .await;
}

/// A 1 MB shorthand value. Linux refuses a single argv string over 128 KiB
/// (MAX_ARG_STRLEN), so the value comes through `file://`, as it would have to
/// in real use.
async fn one_mb_shorthand(member: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.txt");
    let mut value = format!("{member}=");
    if member == "KeyARN" {
        value = format!("KeyType=CUSTOMER_MANAGED_CMK,{value}");
    }
    value.push_str(&"A".repeat(MB));
    std::fs::write(&p, value).unwrap();
    let arg = format!("file://{}", p.display());
    (dir, arg)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1_mb_shorthand_key_arn_is_refused_by_length() {
    let (dir, arg) = one_mb_shorthand("KeyARN").await;
    assert_huge_refused(
        &[NAME, "s1", ENC, &arg],
        dir.path(),
        &param_error(&format!(
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: {MB}, valid max length: 512"
        )),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1_mb_shorthand_key_type_is_refused_without_echoing_it() {
    let (dir, arg) = one_mb_shorthand("KeyType").await;
    let fake = accepting().await;
    let (out, took, _) = measured(cmd_at(&fake, &[NAME, "s1", ENC, &arg]), dir.path()).await;
    let (code, stdout, stderr) = outcome(&out);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(code, Some(252));
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "Invalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyType"
        ) && stderr.contains("valid values: AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK"),
        "{}",
        head(&stderr)
    );
    assert!(fake.requests().await.is_empty());
    assert!(
        stderr.len() < 4096,
        "stderr is {} bytes: the value is echoed whole",
        stderr.len()
    );
}

/// Not the echo bug above: the enum check runs in bounded time and memory
/// and refuses the value before anything is sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_1_mb_shorthand_key_type_is_refused_quickly_and_sends_nothing() {
    let (dir, arg) = one_mb_shorthand("KeyType").await;
    let fake = accepting().await;
    let (out, took, rss) = measured(cmd_at(&fake, &[NAME, "s1", ENC, &arg]), dir.path()).await;
    let (code, stdout, stderr) = outcome(&out);
    eprintln!(
        "1 MB KeyType: exit {code:?}, {took:?}, stderr {} bytes, peak RSS {rss:?} KiB",
        stderr.len()
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(code, Some(252));
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(
            "\naws: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: \"AAAA"
        ),
        "{}",
        head(&stderr)
    );
    assert!(
        stderr.ends_with(", valid values: AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK\n"),
        "{}",
        &stderr[stderr.len().saturating_sub(300)..]
    );
    if let Some(kib) = rss {
        assert!(kib < 256 * 1024, "peak RSS {kib} KiB");
    }
    assert!(fake.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1_mb_invalid_json_structure_is_refused_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.json");
    std::fs::write(&p, format!("{{\"KeyType\": \"{}", "A".repeat(MB))).unwrap();
    let arg = format!("file://{}", p.display());
    let fake = accepting().await;
    let (out, took, _) = measured(cmd_at(&fake, &[NAME, "s1", ENC, &arg]), dir.path()).await;
    let (code, stdout, stderr) = outcome(&out);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(code, Some(252));
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(
            &param_error(&format!(
                "Error parsing parameter '{ENC}': Invalid JSON: EOF while parsing a string"
            ))[..100]
        ),
        "{}",
        head(&stderr)
    );
    assert!(fake.requests().await.is_empty());
    assert!(
        stderr.len() < 4096,
        "stderr is {} bytes: the value is echoed whole",
        stderr.len()
    );
}
