//! What a service declares to the fleet engine (contract §11), as each
//! mirrored operation declares itself to the single-call engine
//! ([`crate::operation::Operation`]): how to list a target's streams, how
//! to describe one into its encryption state, the rules for what to do,
//! the start call and the wait. The engine does the rest (select, pace,
//! bound, run, report, display) and names no service.
//!
//! A stream may be protected at rest by another resource, its *source*
//! (a Firehose stream fed by a Kinesis data stream): the service says so in
//! [`Described::source_arn`], and the engine describes and starts each
//! source once, however many streams it feeds.

use std::future::Future;

use serde_json::{Map, Value};

use super::gate::Caller;
use super::pace::Rate;
use super::report::Labels;
use crate::error::CliError;
use crate::progress::Progress;
use crate::wait::WaitOptions;

/// One page of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The names on this page.
    pub names: Vec<String>,
    /// Whether the service says more follow.
    pub more: bool,
    /// Where the next page starts: the service's token, or the last name.
    pub next: Option<String>,
}

/// One stream as described, reduced to what the rules and the report need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Described {
    /// Its ARN.
    pub arn: Option<String>,
    /// Its type, e.g. `DirectPut`.
    pub kind: Option<String>,
    /// Its status, e.g. `ACTIVE`.
    pub status: Option<String>,
    /// Its encryption as the service describes it (the entry's
    /// `EncryptionBefore`).
    pub encryption: Option<Map<String, Value>>,
    /// The source this tool can describe and encrypt, when the stream's
    /// encryption at rest is its source's (a Kinesis data stream).
    pub source_arn: Option<String>,
    /// A resource that encrypts it at rest by itself, as evidence (an
    /// Amazon MSK cluster, which always encrypts data at rest).
    pub protected_by: Option<String>,
}

/// What to do with one stream: the service's rules, decided without calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan<K> {
    /// Already encrypted as wanted: no call.
    Keep,
    /// Start encryption on the stream with this key.
    Start(K),
    /// Its source is already encrypted as wanted: no call.
    KeepSource,
    /// Start encryption on its source with this key id (once per source).
    StartSource(String),
    /// Its source is not encrypted and sources are not to be touched; why,
    /// and what to run.
    NeedsSource(String),
    /// Encrypted at rest by something this tool need not touch; the
    /// evidence (e.g. the MSK cluster that is its source).
    ProtectedBy(String),
    /// Encryption at rest is not this tool's to judge or change (a source
    /// type whose encryption it cannot see); why.
    NotApplicable(String),
    /// This tool cannot encrypt it; why.
    Refuse(String),
    /// The description is one the rules do not cover; no call on a guess.
    Unknown(String),
    /// `--apply-plan`: the stream changed since the plan; no call.
    Changed(String),
}

/// A finished wait on one stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Waited {
    /// The stream's encryption at the end (the entry's `EncryptionAfter`).
    pub after: Option<Map<String, Value>>,
    /// Why it ended badly (`ENABLING_FAILED`), if it did.
    pub failure: Option<CliError>,
}

/// A service's part of fleet mode, for one target (its clients and wanted
/// key). Calls go through the [`Caller`] they are given.
pub trait Service {
    /// The key a start asks for.
    type Key: Clone + std::fmt::Debug;

    /// The names of the document and its entries.
    const LABELS: &'static Labels;
    /// The documented control-plane rates, per account and region.
    const RATES: &'static [Rate];
    /// The operation that lists streams.
    const LIST: &'static str;

    /// One page of the target's stream names, after `next` (a previous
    /// page's [`Page::next`]).
    fn list_page(
        &self,
        caller: &Caller<'_>,
        next: Option<&str>,
    ) -> impl Future<Output = Result<Page, CliError>>;

    /// Describe one stream.
    fn describe(
        &self,
        caller: &Caller<'_>,
        name: &str,
    ) -> impl Future<Output = Result<Described, CliError>>;

    /// Describe a source: its summary (`StreamStatus`, `EncryptionType`,
    /// `KeyId`). Only services whose streams have sources call anything.
    fn describe_source(
        &self,
        _caller: &Caller<'_>,
        arn: &str,
    ) -> impl Future<Output = Result<Value, CliError>> {
        let arn = arn.to_owned();
        async move {
            Err(CliError::failure(
                "NoSource",
                format!("{arn}: this service's streams have no source"),
            ))
        }
    }

    /// Whether a source's summary shows it encrypted at rest.
    fn source_encrypted(&self, _summary: &Value) -> bool {
        false
    }

    /// The rules: what to do with a stream, given its description and its
    /// source's summary (if it has a source and it could be described).
    fn plan(&self, described: &Described, source: Option<&Value>) -> Plan<Self::Key>;

    /// Whether a stream described so is encrypted at rest now.
    fn encrypted(&self, described: &Described) -> bool;

    /// The key a stream's start asks for when nothing more specific is
    /// wanted (what `--wait` then waits for).
    fn key_to_start(&self) -> Self::Key;

    /// The encryption a start with `key` asks for: the entry's
    /// `EncryptionAfter` until a wait says more (`accepted`: the service
    /// took the call; otherwise a dry run's).
    fn asked_for(&self, key: &Self::Key, accepted: bool) -> Map<String, Value>;

    /// The key an `EncryptionAfter` asks for (a plan's, or a start's), if
    /// it names one this service can start.
    fn key_of(&self, after: &Map<String, Value>) -> Option<Self::Key>;

    /// A source's summary as a start with `key_id` asks for it.
    fn source_asked_for(&self, _key_id: &str) -> Value {
        Value::Null
    }

    /// Start encryption on a stream.
    fn start(
        &self,
        caller: &Caller<'_>,
        name: &str,
        key: &Self::Key,
    ) -> impl Future<Output = Result<(), CliError>>;

    /// Start encryption on a source with `key_id`.
    fn start_source(
        &self,
        _caller: &Caller<'_>,
        arn: &str,
        _key_id: &str,
    ) -> impl Future<Output = Result<(), CliError>> {
        let arn = arn.to_owned();
        async move {
            Err(CliError::failure(
                "NoSource",
                format!("{arn}: this service's streams have no source"),
            ))
        }
    }

    /// What Ctrl-C during a stream's start leaves unknown, and how to check.
    fn in_flight(&self, name: &str) -> String;

    /// Whether a stream left as `after` is still changing (worth waiting for
    /// with `--wait` though no call was made).
    fn changing(&self, after: Option<&Map<String, Value>>) -> bool;

    /// `--wait` on a stream until its change settles.
    fn wait(
        &self,
        caller: &Caller<'_>,
        name: &str,
        before: Option<&Map<String, Value>>,
        key: &Self::Key,
        options: WaitOptions,
        line: &Progress,
    ) -> impl Future<Output = Result<Waited, CliError>>;

    /// `--wait` on a source started with `key_id`; its final summary.
    fn wait_source(
        &self,
        _caller: &Caller<'_>,
        arn: &str,
        _key_id: &str,
        _options: WaitOptions,
        _line: &Progress,
    ) -> impl Future<Output = Result<Value, CliError>> {
        let arn = arn.to_owned();
        async move {
            Err(CliError::failure(
                "NoSource",
                format!("{arn}: this service's streams have no source"),
            ))
        }
    }
}
