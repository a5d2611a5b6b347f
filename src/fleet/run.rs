//! The calls of a fleet run. Each stream goes through describe → (its
//! Kinesis source's summary) → [`plan`] → start, at most `concurrency`
//! streams at a time, each with at most one call in flight, so no more than
//! `concurrency` calls are ever in flight. A Kinesis source is described and
//! started once, however many streams it feeds. With `--wait`, every change
//! is then waited for by the shared waiter, the describes under the same
//! bound.
//!
//! Results go into a [`Board`] as they happen, so that Ctrl-C (which drops
//! this future) still finds every stream's state so far.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_util::StreamExt;
use futures_util::future::join_all;
use futures_util::stream;
use serde_json::{Map, Value, json};
use tokio::sync::{OnceCell, Semaphore};

use super::display::Display;
use super::plan::{Facts, Plan, plan};
use super::report::{Action, Entry, Source};
use crate::error::CliError;
use crate::firehose::client::FirehoseClient;
use crate::firehose::description::encryption_state;
use crate::firehose::model as firehose_model;
use crate::firehose::model::AWS_OWNED_CMK;
use crate::firehose::request::{EncryptionInput, StartRequest};
use crate::kinesis::client::KinesisClient;
use crate::kinesis::model as kinesis_model;
use crate::progress::Progress;
use crate::wait::{self, Wait, WaitOptions, Watch};

/// Every stream's entry, in name order, updated as the run goes.
pub type Board = RefCell<Vec<Entry>>;

/// How the run goes.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--delivery-stream-encryption-configuration-input`.
    pub wanted: Option<EncryptionInput>,
    /// `--encrypt-kinesis-sources`.
    pub encrypt_sources: bool,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--max-concurrency`.
    pub concurrency: usize,
    /// `--wait` and its durations.
    pub wait: Option<WaitOptions>,
}

impl Settings {
    /// The key a start call names: the wanted one, else the AWS owned key
    /// (named, rather than left to the service's default, so that the
    /// request says what the report says).
    pub fn key_to_start(&self) -> EncryptionInput {
        self.wanted.clone().unwrap_or_else(|| EncryptionInput {
            key_arn: None,
            key_type: AWS_OWNED_CMK.to_owned(),
        })
    }
}

/// The service clients of a run.
#[derive(Debug, Clone)]
pub struct Clients {
    /// Firehose.
    pub firehose: FirehoseClient,
    /// Kinesis, for the sources.
    pub kinesis: KinesisClient,
}

/// One result per source ARN, computed once and shared.
type Once<T> = RefCell<HashMap<String, Rc<OnceCell<Result<T, CliError>>>>>;

/// What is known about the Kinesis sources, each fetched or changed once.
#[derive(Default)]
struct Sources {
    /// `DescribeStreamSummary`.
    summaries: Once<Value>,
    /// `StartStreamEncryption`: the key it was started with.
    starts: Once<String>,
}

impl Sources {
    async fn summary(&self, kinesis: &KinesisClient, arn: &str) -> Result<Value, CliError> {
        let cell = Rc::clone(
            self.summaries
                .borrow_mut()
                .entry(arn.to_owned())
                .or_default(),
        );
        cell.get_or_init(|| async { kinesis.describe_state(&by_arn(arn)).await })
            .await
            .clone()
    }

    /// Start the source's encryption with `key`, once; the key it was
    /// started with.
    async fn start(
        &self,
        kinesis: &KinesisClient,
        arn: &str,
        key: &str,
    ) -> Result<String, CliError> {
        let cell = Rc::clone(self.starts.borrow_mut().entry(arn.to_owned()).or_default());
        cell.get_or_init(|| async {
            let mut doc = by_arn(arn);
            doc.insert("EncryptionType".into(), Value::from("KMS"));
            doc.insert("KeyId".into(), Value::from(key));
            kinesis.start(&doc).await.map(|()| key.to_owned())
        })
        .await
        .clone()
    }

    /// The sources started, with their keys.
    fn started(&self) -> Vec<(String, String)> {
        let mut started: Vec<(String, String)> = self
            .starts
            .borrow()
            .iter()
            .filter_map(|(arn, cell)| match cell.get() {
                Some(Ok(key)) => Some((arn.clone(), key.clone())),
                _ => None,
            })
            .collect();
        started.sort();
        started
    }
}

fn by_arn(arn: &str) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("StreamARN".into(), Value::from(arn));
    doc
}

/// Run over every stream of `board`, then wait if asked to.
pub async fn run(board: &Board, clients: &Clients, settings: &Settings, display: &Display) {
    let names: Vec<(usize, String)> = board
        .borrow()
        .iter()
        .enumerate()
        .map(|(i, e)| (i, e.name.clone()))
        .collect();
    let sources = Sources::default();
    stream::iter(names)
        .for_each_concurrent(settings.concurrency, |(i, name)| {
            let sources = &sources;
            async move {
                let line = display.line(&name, "describing");
                one_stream(board, i, &name, clients, settings, sources, &line).await;
                let e = &board.borrow()[i];
                display.done(
                    matches!(e.action, Action::Started | Action::SourceStarted),
                    e.action == Action::Failed,
                );
            }
        })
        .await;
    if let (Some(options), false) = (settings.wait, settings.dry_run) {
        wait_for_changes(board, clients, settings, &sources, options, display).await;
    }
}

/// Describe, plan and (unless `--dry-run`) act on the stream at `i`.
async fn one_stream(
    board: &Board,
    i: usize,
    name: &str,
    clients: &Clients,
    settings: &Settings,
    sources: &Sources,
    line: &Progress,
) {
    let update = |f: &dyn Fn(&mut Entry)| f(&mut board.borrow_mut()[i]);
    let description = match clients.firehose.describe(name).await {
        Ok(d) => d,
        Err(e) => return update(&|entry| entry.fail(e.clone())),
    };
    update(&|entry| {
        entry.stream_type.clone_from(&description.stream_type);
        entry.before.clone_from(&description.encryption);
        entry.after.clone_from(&description.encryption);
    });
    let kinesis_sourced = description.stream_type.as_deref() == Some("KinesisStreamAsSource");
    let mut summary = None;
    if let (true, Some(arn)) = (kinesis_sourced, &description.kinesis_source_arn) {
        line.set_status("describing its Kinesis source");
        match sources.summary(&clients.kinesis, arn).await {
            Ok(s) => summary = Some(s),
            Err(e) => {
                return update(&|entry| {
                    entry.source = Some(Source {
                        arn: arn.clone(),
                        before: None,
                        after: None,
                    });
                    entry.fail(e.clone());
                });
            }
        }
        update(&|entry| {
            entry.source = Some(Source {
                arn: arn.clone(),
                before: summary.clone(),
                after: summary.clone(),
            });
        });
    }
    let facts = Facts {
        stream_type: description.stream_type.as_deref(),
        encryption: description.encryption.as_ref(),
        source: summary.as_ref(),
    };
    let wanted = settings.wanted.as_ref();
    let source_kms = summary
        .as_ref()
        .and_then(|s| s.get("EncryptionType"))
        .and_then(Value::as_str)
        == Some("KMS");
    match plan(facts, wanted, settings.encrypt_sources) {
        Plan::Keep => update(&|entry| {
            entry.action = Action::AlreadyEncrypted;
            entry.encrypted = true;
        }),
        Plan::KeepSource => update(&|entry| {
            entry.action = Action::SourceAlreadyEncrypted;
            entry.encrypted = true;
        }),
        Plan::NeedsSource(key) => {
            let arn = description.kinesis_source_arn.clone().unwrap_or_default();
            update(&|entry| {
                entry.action = Action::NeedsSourceEncryption;
                entry.reason = Some(format!(
                    "its source, the Kinesis data stream {arn}, is not encrypted: run again \
                     with --encrypt-kinesis-sources, or run start-stream-encryption \
                     --stream-arn {arn} --encryption-type KMS --key-id {key}"
                ));
            });
        }
        Plan::Refuse(why) => update(&|entry| {
            entry.action = Action::Refused;
            entry.reason = Some(why.clone());
        }),
        Plan::Start if settings.dry_run => update(&|entry| {
            entry.action = Action::WouldStart;
            entry.encrypted = status_of(entry.before.as_ref()) == Some("ENABLED");
            entry.after = Some(asked_for(&settings.key_to_start(), None));
        }),
        Plan::StartSource(key) if settings.dry_run => update(&|entry| {
            entry.action = Action::WouldStartSource;
            entry.encrypted = source_kms;
            if let Some(s) = &mut entry.source {
                s.after = Some(json!({"EncryptionType": "KMS", "KeyId": key}));
            }
        }),
        Plan::Start => {
            line.set_status("starting");
            update(&|entry| entry.reason = Some(in_flight(name)));
            let request = StartRequest {
                delivery_stream_name: name.to_owned(),
                encryption: Some(settings.key_to_start()),
            };
            let result = clients.firehose.start_encryption(&request).await;
            update(&|entry| {
                entry.reason = None;
                match &result {
                    Ok(()) => {
                        entry.action = Action::Started;
                        entry.encrypted = true;
                        entry.after = Some(asked_for(&settings.key_to_start(), Some("ENABLING")));
                    }
                    Err(e) => entry.fail(e.clone()),
                }
            });
        }
        Plan::StartSource(key) => {
            line.set_status("encrypting its Kinesis source");
            let arn = description.kinesis_source_arn.clone().unwrap_or_default();
            let result = sources.start(&clients.kinesis, &arn, &key).await;
            update(&|entry| match &result {
                Ok(key) => {
                    entry.action = Action::SourceStarted;
                    entry.encrypted = true;
                    if let Some(s) = &mut entry.source {
                        s.after = Some(json!({"EncryptionType": "KMS", "KeyId": key}));
                    }
                }
                Err(e) => entry.fail(e.clone()),
            });
        }
    }
}

/// What an interrupted start leaves unknown, and how to find out.
fn in_flight(name: &str) -> String {
    format!(
        "interrupted while StartDeliveryStreamEncryption was in flight: it may have been \
         accepted; check with aws firehose describe-delivery-stream --delivery-stream-name {name}"
    )
}

fn status_of(enc: Option<&Map<String, Value>>) -> Option<&str> {
    enc.and_then(|e| e.get("Status")).and_then(Value::as_str)
}

/// The encryption configuration asked for, with `status` if given.
fn asked_for(key: &EncryptionInput, status: Option<&str>) -> Map<String, Value> {
    let mut enc = Map::new();
    if let Some(arn) = &key.key_arn {
        enc.insert("KeyARN".into(), Value::from(arn.as_str()));
    }
    enc.insert("KeyType".into(), Value::from(key.key_type.as_str()));
    if let Some(s) = status {
        enc.insert("Status".into(), Value::from(s));
    }
    enc
}

/// `--wait`: every stream started (or found `ENABLING`) and every source
/// started, until the shared waiter settles it; describes under the same
/// bound on calls in flight.
async fn wait_for_changes(
    board: &Board,
    clients: &Clients,
    settings: &Settings,
    sources: &Sources,
    options: WaitOptions,
    display: &Display,
) {
    let calls = Semaphore::new(settings.concurrency);
    let pending: Vec<(usize, String, Option<Value>)> = board
        .borrow()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.action == Action::Started
                || (e.action == Action::AlreadyEncrypted
                    && status_of(e.after.as_ref()) == Some("ENABLING"))
        })
        .map(|(i, e)| {
            let before =
                (e.action == Action::Started).then(|| encryption_state(&e.name, e.before.as_ref()));
            (i, e.name.clone(), before)
        })
        .collect();
    let started_sources = sources.started();
    display.phase(&format!(
        "waiting for {} streams and {} sources",
        pending.len(),
        started_sources.len()
    ));
    let requested_key = StartRequest {
        delivery_stream_name: String::new(),
        encryption: Some(settings.key_to_start()),
    }
    .requested_key();
    // A line each for the first few waits; a terminal has only so many rows.
    let lines = 2 * settings.concurrency;
    let line_for = |k: usize, name: &str| {
        if k < lines {
            display.line(name, "waiting")
        } else {
            Progress::hidden()
        }
    };
    let line_for = &line_for;
    let streams = pending.iter().enumerate().map(|(k, (i, name, before))| {
        let (calls, requested_key) = (&calls, &requested_key);
        async move {
            let subject = firehose_model::wait_subject(name);
            let wait = Wait {
                waiter: &firehose_model::WAITER,
                subject: &subject,
                requested: requested_key,
                before: before.as_ref(),
                options,
            };
            let line = line_for(k, name);
            let describe = || async {
                let _permit = calls.acquire().await;
                clients.firehose.describe_encryption(name).await
            };
            let settled = wait::until_settled(&wait, describe, &line, &Watch::default()).await;
            let mut board = board.borrow_mut();
            let entry = &mut board[*i];
            match settled {
                Ok(settled) => {
                    entry.after = settled
                        .state
                        .get("DeliveryStreamEncryptionConfiguration")
                        .and_then(Value::as_object)
                        .cloned();
                    if let Some(failure) = settled.failure {
                        entry.fail(failure);
                    }
                }
                Err(e) => entry.fail(e),
            }
        }
    });
    let skip = pending.len();
    let sources = started_sources.iter().enumerate().map(|(k, (arn, key))| {
        let calls = &calls;
        async move {
            let doc = by_arn(arn);
            let mut requested = Map::new();
            requested.insert("KeyId".into(), Value::from(key.as_str()));
            let subject = kinesis_model::wait_subject(&doc);
            let wait = Wait {
                waiter: &kinesis_model::WAITER,
                subject: &subject,
                requested: &requested,
                before: None,
                options,
            };
            let line = line_for(skip + k, arn);
            let describe = || async {
                let _permit = calls.acquire().await;
                clients.kinesis.describe_state(&doc).await
            };
            let settled = wait::until_settled(&wait, describe, &line, &Watch::default()).await;
            let mut board = board.borrow_mut();
            for entry in board
                .iter_mut()
                .filter(|e| e.source.as_ref().is_some_and(|s| &s.arn == arn))
            {
                match &settled {
                    Ok(settled) => {
                        if let Some(s) = &mut entry.source {
                            s.after = Some(settled.state.clone());
                        }
                    }
                    Err(e) => entry.fail(e.clone()),
                }
            }
        }
    });
    tokio::join!(join_all(streams), join_all(sources));
}
