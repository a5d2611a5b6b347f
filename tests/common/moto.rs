//! moto_server, the local AWS emulator on 127.0.0.1 that the ignored
//! emulator tests run against (`MOTO_ENDPOINT`, set by scripts/lib/moto.sh).

use std::process::Command;

use serde_json::Value;

use super::{cmd, fixture};

/// The emulator's URL; panics when it is not set (never skip silently).
pub fn moto_endpoint() -> String {
    let url = std::env::var("MOTO_ENDPOINT").unwrap_or_default();
    assert!(
        !url.is_empty(),
        "MOTO_ENDPOINT is not set: start moto_server first \
         (source scripts/lib/moto.sh && scrub_aws_env && moto_start), \
         or run scripts/test.sh"
    );
    assert!(
        url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
        "MOTO_ENDPOINT must be a loopback URL, got {url:?}"
    );
    url
}

/// `program` with nothing inherited but what finds it (python3 may be a
/// pyenv shim, which needs HOME or its own variables) and fake, local-only
/// AWS settings: for the emulator's other clients (boto3, the AWS CLI).
pub fn local_client(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", fixture("empty-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", fixture("empty-config"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    for var in ["HOME", "PYENV_ROOT", "PYENV_VERSION", "VIRTUAL_ENV"] {
        if let Some(v) = std::env::var_os(var) {
            c.env(var, v);
        }
    }
    c
}

/// Run `c`; its stdout, or a panic with everything it printed when it fails.
pub fn stdout_ok(mut c: Command) -> String {
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run {c:?}: {e}"));
    assert!(
        out.status.success(),
        "{c:?} failed: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("it prints UTF-8")
}

/// Run `scripts/moto_stream.py ARGS` against the emulator with a scrubbed,
/// local-only environment; return its stdout.
pub fn moto_stream(args: &[&str]) -> String {
    moto_stream_in("us-east-1", args)
}

/// [`moto_stream`] in another region (fleet tests list a region of their own).
pub fn moto_stream_in(region: &str, args: &[&str]) -> String {
    let mut c = local_client("python3");
    c.arg("scripts/moto_stream.py")
        .arg("--endpoint-url")
        .arg(moto_endpoint())
        .args(args)
        .env("AWS_REGION", region);
    stdout_ok(c)
}

/// Create a DirectPut stream named `name` on the emulator.
pub fn create_stream(name: &str) {
    let arn = moto_stream(&["create", name]);
    assert!(
        arn.trim().ends_with(&format!(":deliverystream/{name}")),
        "{arn}"
    );
}

/// The stream's DeliveryStreamEncryptionConfiguration (`null` when none).
pub fn encryption_of(name: &str) -> Value {
    let text = moto_stream(&["describe", name]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("describe printed {text:?}: {e}"))
}

/// The binary pointed at the emulator.
pub fn cmd_at_moto(args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd();
    c.arg("--endpoint-url").arg(moto_endpoint()).args(args);
    c
}

/// A moto_server of a test's own on 127.0.0.1, for examples whose output
/// depends on everything the emulator holds (an organization lists every
/// account of it): nothing another test makes shows up. Stopped on drop.
/// The same installation as `MOTO_ENDPOINT`'s, which must be set (the sign
/// that the emulator tests are meant to run).
pub struct OwnMoto {
    child: std::process::Child,
    url: String,
}

impl OwnMoto {
    /// Start one and wait until it answers (at most 30 s).
    pub fn start() -> Self {
        moto_endpoint();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port on 127.0.0.1")
            .port();
        let mut c = Command::new("python3");
        c.args(["-m", "moto.server", "-H", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let child = c.spawn().expect("python3 -m moto.server starts");
        let own = OwnMoto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "moto_server did not listen on 127.0.0.1:{port} within 30 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        own
    }

    /// Its URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for OwnMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `scripts/moto_org.py ARGS` against the emulator at `endpoint` with a
/// scrubbed, local-only environment; its JSON output.
pub fn moto_org_at(endpoint: &str, args: &[&str]) -> Value {
    let mut c = local_client("python3");
    c.arg("scripts/moto_org.py")
        .arg("--endpoint-url")
        .arg(endpoint)
        .args(args);
    serde_json::from_str(&stdout_ok(c)).expect("moto_org.py prints JSON")
}

/// [`moto_org_at`] the emulator of `MOTO_ENDPOINT`.
pub fn moto_org(args: &[&str]) -> Value {
    moto_org_at(&moto_endpoint(), args)
}
