//! A fake account on 127.0.0.1 for fleet mode: a stateful Firehose and
//! Kinesis control plane (list, describe, start) that keeps each stream's
//! encryption, can throttle the first calls of an operation, can enforce a
//! per-operation token bucket as the real services do (answering
//! `ThrottlingException` / `LimitExceededException` beyond it), can hold a
//! start call unanswered, delays every reply, and counts the requests it is
//! serving at once. A plain HTTP/1.1 server, one request per connection.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use super::https::{header, read_body, read_head};

pub const LIST: &str = "Firehose_20150804.ListDeliveryStreams";
pub const DESCRIBE: &str = "Firehose_20150804.DescribeDeliveryStream";
pub const START: &str = "Firehose_20150804.StartDeliveryStreamEncryption";
pub const DESCRIBE_SOURCE: &str = "Kinesis_20131202.DescribeStreamSummary";
pub const START_SOURCE: &str = "Kinesis_20131202.StartStreamEncryption";
pub const LIST_STREAMS: &str = "Kinesis_20131202.ListStreams";

/// One delivery stream of the fake account.
#[derive(Debug, Clone)]
pub struct Stream {
    pub stream_type: &'static str,
    /// `DeliveryStreamEncryptionConfiguration`, if any.
    pub encryption: Option<Value>,
    /// The Kinesis source's ARN, for a Kinesis-sourced stream.
    pub source: Option<String>,
    /// The MSK cluster's ARN, for an MSK-sourced stream.
    pub msk: Option<String>,
}

/// What the fake was sent: the target, the body, and the HTTP status it
/// answered with.
#[derive(Debug, Clone)]
pub struct Call {
    pub target: String,
    /// The region the request was signed for.
    pub region: String,
    pub body: Value,
    pub status: u16,
}

#[derive(Debug, Default)]
struct State {
    streams: BTreeMap<String, Stream>,
    /// Kinesis stream ARN → `{"EncryptionType", "KeyId", "StreamStatus"?}`.
    sources: BTreeMap<String, Value>,
    /// Target → its token bucket: (capacity and refill a second, tokens,
    /// last refill).
    buckets: HashMap<String, (f64, f64, Instant)>,
    /// Target → how many more calls to throttle, and with which code.
    throttle: HashMap<String, (usize, &'static str)>,
    /// Streams whose start call is never answered.
    hang: HashSet<String>,
    delay: Duration,
    page: usize,
    /// ListDeliveryStreams answers the first name and "more" every time.
    stuck_listing: bool,
    in_flight: usize,
    max_in_flight: usize,
    calls: Vec<Call>,
}

/// The fake account; it serves until the test ends.
#[derive(Clone)]
pub struct FakeAccount {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeAccount {
    /// An empty account: no delay, pages of 10 names (the API's default).
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(Mutex::new(State {
            page: 10,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                tokio::spawn(serve(tcp, state));
            }
        });
        Self { url, state }
    }

    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    /// A Direct PUT stream with `encryption` (e.g. `None`, or
    /// `{"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"}`).
    pub fn direct_put(&self, name: &str, encryption: Option<Value>) {
        self.with(|s| {
            s.streams.insert(
                name.to_owned(),
                Stream {
                    stream_type: "DirectPut",
                    encryption,
                    source: None,
                    msk: None,
                },
            );
        });
    }

    /// A stream fed by the Kinesis stream `source` (created unencrypted if
    /// new); returns the source's ARN.
    pub fn kinesis_sourced(&self, name: &str, source: &str) -> String {
        let arn = arn_of(source);
        self.with(|s| {
            s.sources
                .entry(arn.clone())
                .or_insert_with(|| json!({"EncryptionType": "NONE"}));
            s.streams.insert(
                name.to_owned(),
                Stream {
                    stream_type: "KinesisStreamAsSource",
                    encryption: None,
                    source: Some(arn.clone()),
                    msk: None,
                },
            );
        });
        arn
    }

    /// A Kinesis data stream `name` with `encryption` (`{"EncryptionType",
    /// "KeyId"}`) and `status`; returns its ARN.
    pub fn data_stream(&self, name: &str, encryption: Value, status: &str) -> String {
        let arn = arn_of(name);
        let mut state = encryption;
        state["StreamStatus"] = json!(status);
        self.with(|s| s.sources.insert(arn.clone(), state));
        arn
    }

    /// Enforce a token bucket of `per_second` calls (refilled at that rate)
    /// on `target`, as the services' control planes do.
    pub fn rate_limit(&self, target: &str, per_second: u32) {
        let rate = f64::from(per_second);
        self.with(|s| {
            s.buckets
                .insert(target.to_owned(), (rate, rate, Instant::now()))
        });
    }

    /// A stream of `stream_type` (`MSKAsSource`, `DatabaseAsSource`, …)
    /// whose source is `msk_cluster` (for MSK).
    pub fn other_source(&self, name: &str, stream_type: &'static str, msk_cluster: Option<&str>) {
        self.with(|s| {
            s.streams.insert(
                name.to_owned(),
                Stream {
                    stream_type,
                    encryption: None,
                    source: None,
                    msk: msk_cluster.map(str::to_owned),
                },
            );
        });
    }

    /// Answer the next `n` calls of `target` with the throttling error `code`.
    pub fn throttle(&self, target: &str, n: usize, code: &'static str) {
        self.with(|s| s.throttle.insert(target.to_owned(), (n, code)));
    }

    /// Never answer a start call for `name` (a delivery stream or, by
    /// name, a Kinesis stream).
    pub fn hang_start(&self, name: &str) {
        self.with(|s| s.hang.insert(name.to_owned()));
    }

    /// Wait this long before every reply.
    pub fn delay(&self, delay: Duration) {
        self.with(|s| s.delay = delay);
    }

    /// Return at most `n` names a ListDeliveryStreams page.
    pub fn page_size(&self, n: usize) {
        self.with(|s| s.page = n);
    }

    /// Answer every ListDeliveryStreams with the same first page and
    /// `HasMoreDeliveryStreams: true`: a listing that never advances.
    pub fn stuck_listing(&self) {
        self.with(|s| s.stuck_listing = true);
    }

    /// The most requests it was ever serving at once.
    pub fn max_in_flight(&self) -> usize {
        self.with(|s| s.max_in_flight)
    }

    /// Every request so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.with(|s| s.calls.clone())
    }

    /// The calls of `target` that were answered 200.
    pub fn accepted(&self, target: &str) -> Vec<Value> {
        self.calls()
            .into_iter()
            .filter(|c| c.target == target && c.status == 200)
            .map(|c| c.body)
            .collect()
    }

    /// How many calls of `target` it received (whatever the answer).
    pub fn count(&self, target: &str) -> usize {
        self.calls().iter().filter(|c| c.target == target).count()
    }

    /// A stream's encryption now.
    pub fn encryption(&self, name: &str) -> Option<Value> {
        self.with(|s| s.streams.get(name).and_then(|st| st.encryption.clone()))
    }

    /// A source's encryption now.
    pub fn source(&self, arn: &str) -> Option<Value> {
        self.with(|s| s.sources.get(arn).cloned())
    }
}

async fn serve(mut tcp: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    let Some((head, body)) = read_head(&mut tcp).await else {
        return;
    };
    let Some(body) = read_body(&mut tcp, &head, body).await else {
        return;
    };
    let target = header(&head, "x-amz-target").unwrap_or_default().to_owned();
    // `Credential=KEY/DATE/REGION/SERVICE/aws4_request`.
    let region = header(&head, "authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(2))
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (delay, hang) = {
        let mut s = state.lock().unwrap();
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        let name = body["DeliveryStreamName"]
            .as_str()
            .or(body["StreamName"].as_str())
            .unwrap_or_default();
        let start = target == START || target == START_SOURCE;
        (s.delay, start && s.hang.contains(name))
    };
    tokio::time::sleep(delay).await;
    if hang {
        state.lock().unwrap().calls.push(Call {
            target,
            region,
            body,
            status: 0,
        });
        tokio::time::sleep(Duration::from_secs(60)).await;
        return;
    }
    let (status, reply) = {
        let mut s = state.lock().unwrap();
        let (status, reply) = answer(&mut s, &target, &body);
        s.calls.push(Call {
            target,
            region,
            body,
            status,
        });
        (status, reply)
    };
    let text = reply.to_string();
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\n\
         x-amzn-requestid: 00000000-0000-0000-0000-000000000000\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = tcp.write_all(response.as_bytes()).await;
    let _ = tcp.shutdown().await;
    state.lock().unwrap().in_flight -= 1;
}

/// The ARN of the Kinesis data stream `name`.
pub fn arn_of(name: &str) -> String {
    format!("arn:aws:kinesis:us-east-1:123456789012:stream/{name}")
}

/// Take a token from `target`'s bucket, if it has one; false when empty.
fn take_token(s: &mut State, target: &str) -> bool {
    let Some((rate, tokens, last)) = s.buckets.get_mut(target) else {
        return true;
    };
    let now = Instant::now();
    *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * *rate).min(*rate);
    *last = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        true
    } else {
        false
    }
}

fn error(code: &str, message: &str) -> (u16, Value) {
    (400, json!({"__type": code, "message": message}))
}

/// The stream a Kinesis request names, by ARN or by name.
fn stream_arn(body: &Value) -> String {
    match (body["StreamARN"].as_str(), body["StreamName"].as_str()) {
        (Some(arn), _) => arn.to_owned(),
        (None, Some(name)) => arn_of(name),
        (None, None) => String::new(),
    }
}

fn answer(s: &mut State, target: &str, body: &Value) -> (u16, Value) {
    if let Some((n, code)) = s.throttle.get_mut(target)
        && *n > 0
    {
        *n -= 1;
        return error(code, "Rate exceeded");
    }
    if !take_token(s, target) {
        return if target.starts_with("Kinesis") {
            error("LimitExceededException", "Rate exceeded for stream")
        } else {
            error(
                "ThrottlingException",
                "Please slow down. Max limit of 5 RPS has breached",
            )
        };
    }
    let name = body["DeliveryStreamName"].as_str().unwrap_or_default();
    let not_found = || {
        error(
            "ResourceNotFoundException",
            &format!("Firehose {name} under account 123456789012 not found."),
        )
    };
    match target {
        LIST if s.stuck_listing => {
            let first: Vec<&String> = s.streams.keys().take(1).collect();
            (
                200,
                json!({"DeliveryStreamNames": first, "HasMoreDeliveryStreams": true}),
            )
        }
        LIST => {
            let after = body["ExclusiveStartDeliveryStreamName"].as_str();
            let limit = body["Limit"]
                .as_u64()
                .map_or(10, |l| l as usize)
                .min(s.page);
            let rest: Vec<&String> = s
                .streams
                .keys()
                .filter(|n| after.is_none_or(|a| n.as_str() > a))
                .collect();
            let page: Vec<&String> = rest.iter().take(limit).copied().collect();
            (
                200,
                json!({"DeliveryStreamNames": page, "HasMoreDeliveryStreams": rest.len() > page.len()}),
            )
        }
        DESCRIBE => match s.streams.get(name) {
            None => not_found(),
            Some(st) => {
                let mut d = Map::new();
                d.insert("DeliveryStreamName".into(), json!(name));
                d.insert(
                    "DeliveryStreamARN".into(),
                    json!(format!(
                        "arn:aws:firehose:us-east-1:123456789012:deliverystream/{name}"
                    )),
                );
                d.insert("DeliveryStreamStatus".into(), json!("ACTIVE"));
                d.insert("DeliveryStreamType".into(), json!(st.stream_type));
                d.insert("VersionId".into(), json!("1"));
                d.insert("Destinations".into(), json!([]));
                d.insert("HasMoreDestinations".into(), json!(false));
                if let Some(enc) = &st.encryption {
                    d.insert("DeliveryStreamEncryptionConfiguration".into(), enc.clone());
                }
                if let Some(arn) = &st.msk {
                    d.insert(
                        "Source".into(),
                        json!({"MSKSourceDescription": {"MSKClusterARN": arn, "TopicName": "t"}}),
                    );
                }
                if let Some(arn) = &st.source {
                    d.insert(
                        "Source".into(),
                        json!({"KinesisStreamSourceDescription": {"KinesisStreamARN": arn}}),
                    );
                }
                (200, json!({"DeliveryStreamDescription": d}))
            }
        },
        START => match s.streams.get_mut(name) {
            None => not_found(),
            Some(st) if st.stream_type != "DirectPut" => error(
                "InvalidArgumentException",
                "This operation is not supported for this stream type.",
            ),
            Some(st) => {
                let input = &body["DeliveryStreamEncryptionConfigurationInput"];
                let mut enc = Map::new();
                if let Some(arn) = input["KeyARN"].as_str() {
                    enc.insert("KeyARN".into(), json!(arn));
                }
                enc.insert(
                    "KeyType".into(),
                    json!(input["KeyType"].as_str().unwrap_or("AWS_OWNED_CMK")),
                );
                enc.insert("Status".into(), json!("ENABLED"));
                st.encryption = Some(Value::Object(enc));
                (200, json!({}))
            }
        },
        LIST_STREAMS => {
            let after = body["ExclusiveStartStreamName"].as_str();
            let limit = body["Limit"]
                .as_u64()
                .map_or(100, |l| l as usize)
                .min(s.page);
            let names: Vec<String> = s
                .sources
                .keys()
                .filter_map(|arn| arn.rsplit('/').next().map(str::to_owned))
                .filter(|n| after.is_none_or(|a| n.as_str() > a))
                .collect();
            let page: Vec<&String> = names.iter().take(limit).collect();
            (
                200,
                json!({"StreamNames": page, "HasMoreStreams": names.len() > page.len()}),
            )
        }
        DESCRIBE_SOURCE => {
            let arn = stream_arn(body);
            match s.sources.get(&arn) {
                None => error(
                    "ResourceNotFoundException",
                    &format!("Stream {arn} not found."),
                ),
                Some(enc) => {
                    let mut summary = json!({
                        "StreamName": arn.rsplit('/').next().unwrap_or_default(),
                        "StreamARN": arn,
                        "StreamStatus": enc.get("StreamStatus").cloned().unwrap_or(json!("ACTIVE")),
                    });
                    summary["EncryptionType"] = enc["EncryptionType"].clone();
                    if let Some(k) = enc.get("KeyId") {
                        summary["KeyId"] = k.clone();
                    }
                    (200, json!({"StreamDescriptionSummary": summary}))
                }
            }
        }
        START_SOURCE => {
            let arn = stream_arn(body);
            match s.sources.get_mut(&arn) {
                None => error(
                    "ResourceNotFoundException",
                    &format!("Stream {arn} not found."),
                ),
                Some(enc) if enc.get("StreamStatus").is_some_and(|st| st != "ACTIVE") => error(
                    "ResourceInUseException",
                    &format!("Stream {arn} is not ACTIVE."),
                ),
                Some(enc) => {
                    *enc =
                        json!({"EncryptionType": body["EncryptionType"], "KeyId": body["KeyId"]});
                    (200, json!({}))
                }
            }
        }
        _ => error("UnknownOperationException", target),
    }
}
