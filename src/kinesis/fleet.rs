//! Kinesis's part of fleet mode (contract §11): the `start-stream-encryption`
//! binary's entry, its fleet flags into a [`fleet::Run`], and its
//! declaration to the engine ([`Service`]): list with ListStreams, describe
//! with DescribeStreamSummary, the rules of [`super::rules`], start with
//! StartStreamEncryption, and its waiter.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use serde_json::{Map, Value};

use super::cli::Cli;
use super::client::KinesisClient;
use super::rules;
use super::{Kinesis, model};
use crate::error::CliError;
use crate::fleet::gate::Caller;
use crate::fleet::pace::Rate;
use crate::fleet::report::Labels;
use crate::fleet::service::{Described, Page, Plan, Service, Waited};
use crate::fleet::{self, Selection};
use crate::fleet::{plan, select};
use crate::operation::Operation;
use crate::progress::Progress;
use crate::validate;
use crate::wait::{self, Wait, WaitOptions, Watch};
use crate::{app, input};

/// The most names ListStreams returns a page (the API's maximum).
const PAGE: i32 = 10_000;

/// DescribeStreamSummary's documented rate.
pub const DESCRIBE_RATE: Rate = Rate {
    operation: "DescribeStreamSummary",
    per_second: 20,
};

/// StartStreamEncryption's documented rate.
pub const START_RATE: Rate = Rate {
    operation: model::OPERATION,
    per_second: 5,
};

/// Kinesis's documented control-plane rates, per account and region.
const RATES: &[Rate] = &[
    Rate {
        operation: "ListStreams",
        per_second: 5,
    },
    DESCRIBE_RATE,
    START_RATE,
];

const LABELS: &Labels = &Labels {
    report: &crate::reports::KINESIS,
    title: model::OPERATION,
    document: "Streams",
    name: "StreamName",
    arn: "StreamARN",
    kind: None,
    source: None,
    source_flag: "",
    source_noun: "source",
    key_members: &["EncryptionType", "KeyId"],
};

/// The summary members that describe a stream's encryption.
const ENCRYPTION_MEMBERS: [&str; 2] = ["EncryptionType", "KeyId"];

/// A stream's encryption as a start with `key_id` asks for it.
pub fn asked_for(key_id: &str) -> Value {
    let mut m = Map::new();
    m.insert("EncryptionType".into(), Value::from("KMS"));
    m.insert("KeyId".into(), Value::from(key_id));
    Value::Object(m)
}

/// The `start-stream-encryption` binary: fleet mode when a fleet flag is
/// given, the single call otherwise.
pub fn main<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return app::clap_exit(&e),
    };
    if cli.input.generate_cli_skeleton.is_some() {
        return app::run_parsed::<Kinesis>(&cli);
    }
    let common = &cli.fleet.common;
    let result = match (cli.fleet.selected(), common.fleet_only()) {
        (true, _) => prepare(&cli).and_then(|(run, wanted)| {
            fleet::run(run, |sdk| KinesisFleet {
                kinesis: KinesisClient::new(sdk),
                wanted: wanted.clone(),
            })
        }),
        (false, None) => return app::run_parsed::<Kinesis>(&cli),
        (false, Some(flag)) => Err(CliError::ParamValidation(format!(
            "{flag} applies to fleet mode only: add --all-streams, --stream-names-from or \
             --dry-run"
        ))),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            app::report(&e, &cli.global);
            e.exit_code()
        }
    }
}

/// What the command line asks for, checked before configuration,
/// credentials or network are touched, and the KeyId wanted.
fn prepare(cli: &Cli) -> Result<(fleet::Run<'_>, Option<String>), CliError> {
    let flags = Kinesis::flag_values(cli);
    let mut doc = input::document(model::INPUT, &flags, &cli.input)?;
    let selector = if cli.fleet.all_streams {
        Some("--all-streams")
    } else if cli.fleet.common.apply_plan.is_some() {
        Some("--apply-plan")
    } else {
        cli.fleet
            .stream_names_from
            .as_ref()
            .map(|_| "--stream-names-from")
    };
    let single = doc
        .get("StreamName")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if doc.contains_key("StreamARN") || doc.contains_key("StreamId") {
        return Err(CliError::ParamValidation(
            "fleet mode names streams by name: use --stream-name, --all-streams or \
             --stream-names-from instead of --stream-arn or --stream-id"
                .to_owned(),
        ));
    }
    if let (Some(selector), Some(_)) = (selector, &single) {
        return Err(CliError::ParamValidation(format!(
            "{selector} cannot be used with StreamName (from --cli-input-json or \
             --cli-input-yaml): choose the streams one way"
        )));
    }
    // In fleet mode the encryption type defaults to KMS and the key is
    // optional; what is given is checked against the model as in one call.
    doc.entry("EncryptionType")
        .or_insert_with(|| Value::from("KMS"));
    let wanted = doc.get("KeyId").and_then(Value::as_str).map(str::to_owned);
    doc.entry("KeyId")
        .or_insert_with(|| Value::from(rules::KINESIS_AWS_KEY));
    doc.entry("StreamName")
        .or_insert_with(|| Value::from("fleet"));
    validate::check(model::INPUT, &doc, model::extra_problems)?;
    let query = app::check_global_args(&cli.global)?;
    let selection = match (&cli.fleet.stream_names_from, single) {
        _ if cli.fleet.all_streams => Selection::All,
        _ if cli.fleet.common.apply_plan.is_some() => {
            let path = cli.fleet.common.apply_plan.as_deref().unwrap_or_default();
            Selection::Plan(plan::read(path, LABELS, check_name)?)
        }
        (Some(path), _) => {
            Selection::Names(select::names_from("--stream-names-from", path, check_name)?)
        }
        (None, Some(name)) => Selection::Names(vec![name]),
        (None, None) => Selection::Names(Vec::new()),
    };
    let run = fleet::Run {
        global: &cli.global,
        fleet: &cli.fleet.common,
        selection,
        wait: cli.wait.wait.then_some(WaitOptions {
            timeout: cli.wait.wait_timeout,
            interval: cli.wait.wait_interval,
        }),
        query,
    };
    Ok((run, wanted))
}

/// A stream name from a names file, checked against the model.
fn check_name(name: &str) -> Result<(), CliError> {
    let mut doc = Map::new();
    doc.insert("StreamName".into(), Value::from(name));
    doc.insert("EncryptionType".into(), Value::from("KMS"));
    doc.insert("KeyId".into(), Value::from(rules::KINESIS_AWS_KEY));
    validate::check(model::INPUT, &doc, model::extra_problems)
}

/// `{"StreamName": name}`, the client's request for a stream.
fn by_name(name: &str) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("StreamName".into(), Value::from(name));
    doc
}

/// The encryption members of a summary.
fn encryption_of(summary: &Value) -> Map<String, Value> {
    ENCRYPTION_MEMBERS
        .iter()
        .filter_map(|k| summary.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect()
}

/// Kinesis's part of a fleet run, for one target.
#[derive(Debug, Clone)]
pub struct KinesisFleet {
    /// The client.
    pub kinesis: KinesisClient,
    /// `--key-id`.
    pub wanted: Option<String>,
}

impl Service for KinesisFleet {
    type Key = String;

    const LABELS: &'static Labels = LABELS;
    const RATES: &'static [Rate] = RATES;
    const LIST: &'static str = "ListStreams";

    async fn list_page(&self, caller: &Caller<'_>, next: Option<&str>) -> Result<Page, CliError> {
        let (names, more) = caller
            .call(Self::LIST, |count| {
                let client = self.kinesis.counted(count);
                async move { client.list_page(next, PAGE).await }
            })
            .await?;
        let next = names.last().cloned();
        Ok(Page { names, more, next })
    }

    async fn describe(&self, caller: &Caller<'_>, name: &str) -> Result<Described, CliError> {
        let summary = caller
            .call(DESCRIBE_RATE.operation, |count| {
                let client = self.kinesis.counted(count);
                async move { client.describe_state(&by_name(name)).await }
            })
            .await?;
        let text = |k: &str| summary.get(k).and_then(Value::as_str).map(str::to_owned);
        Ok(Described {
            arn: text("StreamARN"),
            kind: None,
            status: text("StreamStatus"),
            encryption: Some(encryption_of(&summary)),
            source_arn: None,
            protected_by: None,
        })
    }

    fn plan(&self, described: &Described, _source: Option<&Value>) -> Plan<String> {
        let mut summary = described.encryption.clone().unwrap_or_default();
        if let Some(status) = &described.status {
            summary.insert("StreamStatus".into(), Value::from(status.as_str()));
        }
        match rules::plan(&Value::Object(summary), self.wanted.as_deref()) {
            rules::Plan::Keep => Plan::Keep,
            rules::Plan::Start(key) => Plan::Start(key),
            rules::Plan::Refuse(why) => Plan::Refuse(why),
            rules::Plan::Unknown(why) => Plan::Unknown(why),
        }
    }

    fn encrypted(&self, described: &Described) -> bool {
        described
            .encryption
            .as_ref()
            .and_then(|e| e.get("EncryptionType"))
            .and_then(Value::as_str)
            == Some("KMS")
    }

    fn key_to_start(&self) -> String {
        self.wanted
            .clone()
            .unwrap_or_else(|| rules::KINESIS_AWS_KEY.to_owned())
    }

    fn asked_for(&self, key: &String, _accepted: bool) -> Map<String, Value> {
        match asked_for(key) {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn key_of(&self, after: &Map<String, Value>) -> Option<String> {
        let kms = after.get("EncryptionType").and_then(Value::as_str) == Some("KMS");
        let key = after.get("KeyId").and_then(Value::as_str)?;
        kms.then(|| key.to_owned())
    }

    async fn start(&self, caller: &Caller<'_>, name: &str, key: &String) -> Result<(), CliError> {
        let mut doc = by_name(name);
        doc.insert("EncryptionType".into(), Value::from("KMS"));
        doc.insert("KeyId".into(), Value::from(key.as_str()));
        caller
            .call(START_RATE.operation, |count| {
                let client = self.kinesis.counted(count);
                async move { client.start(&doc).await }
            })
            .await
    }

    fn in_flight(&self, name: &str) -> String {
        format!(
            "interrupted while StartStreamEncryption was in flight: it may have been accepted; \
             check with aws kinesis describe-stream-summary --stream-name {name}"
        )
    }

    fn changing(&self, _after: Option<&Map<String, Value>>) -> bool {
        false
    }

    async fn wait(
        &self,
        caller: &Caller<'_>,
        name: &str,
        _before: Option<&Map<String, Value>>,
        key: &String,
        options: WaitOptions,
        line: &Progress,
    ) -> Result<Waited, CliError> {
        let doc = by_name(name);
        let mut requested = Map::new();
        requested.insert("KeyId".into(), Value::from(key.as_str()));
        let subject = model::wait_subject(&doc);
        let wait = Wait {
            waiter: &model::WAITER,
            subject: &subject,
            requested: &requested,
            before: None,
            options,
        };
        let describe = || {
            caller.call(DESCRIBE_RATE.operation, |count| {
                let client = self.kinesis.counted(count);
                let doc = &doc;
                async move { client.describe_state(doc).await }
            })
        };
        let settled = wait::until_settled(&wait, describe, line, &Watch::default()).await?;
        Ok(Waited {
            after: Some(encryption_of(&settled.state)),
            failure: settled.failure,
        })
    }
}
