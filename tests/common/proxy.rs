//! A loopback proxy in front of moto_server, for what moto cannot play:
//! an `AssumeRole` that STS refuses, the Account Management API's
//! `ListRegions` (moto does not implement it), and a call that never gets
//! its answer (to interrupt a run in the middle). Every other request is
//! forwarded to moto; what was asked and answered is recorded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::https::{read_body, read_head};

/// The account moto gives the fake keys (its default account), named in
/// the refusal of a denied role.
pub const CALLER_ACCOUNT: &str = "123456789012";

/// What the proxy does instead of forwarding.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Role ARNs whose `AssumeRole` is refused as STS refuses one
    /// (403 `AccessDenied`).
    pub denied: Vec<String>,
    /// The answer to `ListRegions` (`RegionName`, `RegionOptStatus`), one
    /// page; `None` forwards it to moto (which does not know it).
    pub regions: Option<Vec<(String, String)>>,
    /// Requests of this operation (`X-Amz-Target` suffix or query
    /// `Action`, e.g. `StartDeliveryStreamEncryption`) signed for this
    /// region are held open and never answered.
    pub hold: Option<(String, String)>,
}

/// One request the proxy saw: its operation, the region it was signed
/// for, and its form fields (STS's query protocol; empty otherwise).
#[derive(Debug, Clone)]
pub struct Seen {
    /// `ListDeliveryStreams`, `AssumeRole`, `ListRegions`, ….
    pub operation: String,
    /// The region of the request's SigV4 credential scope.
    pub region: String,
    /// The form fields of a query-protocol body.
    pub form: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
struct Log {
    seen: Vec<Seen>,
    answered: Vec<Seen>,
}

/// The running proxy: its URL and what it has seen. It lives as long as
/// the test's tokio runtime.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    log: Arc<Mutex<Log>>,
}

impl Proxy {
    /// A proxy on a free loopback port in front of `upstream`
    /// (`http://127.0.0.1:PORT`), acting on `rules`.
    pub async fn start(upstream: &str, rules: Rules) -> Proxy {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http:// emulator")
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Log::default()));
        let (shared, rules) = (Arc::clone(&log), Arc::new(rules));
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (upstream, rules, log) =
                    (upstream.clone(), Arc::clone(&rules), Arc::clone(&shared));
                tokio::spawn(async move { relay(client, &upstream, &rules, &log).await });
            }
        });
        Proxy { url, log }
    }

    /// The `AssumeRole` requests seen, as their form fields.
    pub fn assumed(&self) -> Vec<BTreeMap<String, String>> {
        let log = self.log.lock().unwrap();
        let assumed = log.seen.iter().filter(|s| s.operation == "AssumeRole");
        assumed.map(|s| s.form.clone()).collect()
    }

    /// The role ARNs of the `AssumeRole` requests seen, in order.
    pub fn roles(&self) -> Vec<String> {
        self.assumed()
            .iter()
            .map(|f| f.get("RoleArn").cloned().unwrap_or_default())
            .collect()
    }

    /// How many `operation` requests signed for `region` were seen.
    pub fn seen(&self, operation: &str, region: &str) -> usize {
        count(&self.log.lock().unwrap().seen, operation, region)
    }

    /// How many `operation` requests were seen, whatever their region.
    pub fn seen_anywhere(&self, operation: &str) -> usize {
        let log = self.log.lock().unwrap();
        log.seen.iter().filter(|s| s.operation == operation).count()
    }

    /// How many `operation` requests signed for `region` got their answer.
    pub fn answered(&self, operation: &str, region: &str) -> usize {
        count(&self.log.lock().unwrap().answered, operation, region)
    }
}

fn count(list: &[Seen], operation: &str, region: &str) -> usize {
    list.iter()
        .filter(|s| s.operation == operation && s.region == region)
        .count()
}

/// One request of `client`: answered by `rules` or forwarded to
/// `upstream`; then the connection is closed.
async fn relay(mut client: TcpStream, upstream: &str, rules: &Rules, log: &Mutex<Log>) {
    let Some((head, rest)) = read_head(&mut client).await else {
        return;
    };
    let Some(body) = read_body(&mut client, &head, rest).await else {
        return;
    };
    let form = form_fields(&body);
    let seen = Seen {
        operation: operation_of(&head, &form),
        region: region_of(&head),
        form,
    };
    log.lock().unwrap().seen.push(seen.clone());
    let answer = if let Some(answer) = answer(&seen, rules) {
        answer.into_bytes()
    } else if rules
        .hold
        .as_ref()
        .is_some_and(|(op, region)| *op == seen.operation && *region == seen.region)
    {
        // Held: the connection stays open, unanswered, until the client
        // goes away and the test's runtime ends.
        std::future::pending::<()>().await;
        return;
    } else {
        match forward(upstream, &head, &body).await {
            Some(answer) => answer,
            None => return,
        }
    };
    let _ = client.write_all(&answer).await;
    let _ = client.shutdown().await;
    log.lock().unwrap().answered.push(seen);
}

/// The proxy's own answer to `seen` under `rules`, if it has one.
fn answer(seen: &Seen, rules: &Rules) -> Option<String> {
    if seen.operation == "AssumeRole" {
        let arn = seen.form.get("RoleArn").cloned().unwrap_or_default();
        if rules.denied.contains(&arn) {
            let xml = format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                 <Error><Type>Sender</Type><Code>AccessDenied</Code>\
                 <Message>User: arn:aws:iam::{CALLER_ACCOUNT}:user/test is not authorized to perform: \
                 sts:AssumeRole on resource: {arn}</Message></Error>\
                 <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
            );
            return Some(response("403 Forbidden", "text/xml", &xml));
        }
    }
    if seen.operation == "ListRegions"
        && let Some(regions) = &rules.regions
    {
        let regions: Vec<serde_json::Value> = regions
            .iter()
            .map(
                |(name, status)| serde_json::json!({"RegionName": name, "RegionOptStatus": status}),
            )
            .collect();
        let json = serde_json::json!({ "Regions": regions }).to_string();
        return Some(response("200 OK", "application/json", &json));
    }
    None
}

fn response(status: &str, content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Forward the request with `connection: close`; moto's whole answer.
async fn forward(upstream: &str, head: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut request: Vec<u8> = head
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .flat_map(|line| [line, "\r\n"])
        .collect::<String>()
        .into_bytes();
    request.extend_from_slice(b"connection: close\r\n\r\n");
    request.extend_from_slice(body);
    let mut moto = TcpStream::connect(upstream).await.ok()?;
    moto.write_all(&request).await.ok()?;
    let mut answer = Vec::new();
    let _ = moto.read_to_end(&mut answer).await;
    Some(answer)
}

/// A header's value (the first of that name), case-insensitively.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

/// The operation: the `X-Amz-Target` after its dot (JSON protocols), the
/// form's `Action` (query protocol), or the path's last segment with its
/// first letter raised (REST, e.g. `/listRegions` → `ListRegions`).
fn operation_of(head: &str, form: &BTreeMap<String, String>) -> String {
    if let Some(target) = header(head, "x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_owned();
    }
    if let Some(action) = form.get("Action") {
        return action.clone();
    }
    let path = head.split(' ').nth(1).unwrap_or("");
    let last = path.split('?').next().unwrap_or("").rsplit('/').next();
    let mut chars = last.unwrap_or("").chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The region of the SigV4 credential scope
/// (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`); empty if unsigned.
fn region_of(head: &str) -> String {
    header(head, "authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|scope| scope.split('/').nth(2))
        .unwrap_or("")
        .to_owned()
}

/// The fields of a `application/x-www-form-urlencoded` body (STS's query
/// protocol), percent-decoded.
pub fn form_fields(body: &[u8]) -> BTreeMap<String, String> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}
