//! Firehose's part of fleet mode (contract §9): the
//! `start-delivery-stream-encryption` binary's entry, its fleet flags into a
//! [`fleet::Run`], and its declaration to the engine ([`Service`]): list with
//! ListDeliveryStreams, describe with DescribeDeliveryStream, the rules of
//! [`super::rules`], start with StartDeliveryStreamEncryption, Kinesis
//! sources with the Kinesis client, and the waiters of both.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use serde_json::{Map, Value};

use super::cli::Cli;
use super::client::FirehoseClient;
use super::request::{EncryptionInput, StartRequest};
use super::rules::{self, Facts};
use super::{Firehose, model};
use crate::error::CliError;
use crate::fleet::gate::Caller;
use crate::fleet::pace::Rate;
use crate::fleet::report::Labels;
use crate::fleet::service::{Described, Page, Plan, Service, Waited};
use crate::fleet::{self, Selection};
use crate::fleet::{plan, select};
use crate::kinesis::client::KinesisClient;
use crate::kinesis::fleet as kinesis_fleet;
use crate::kinesis::model as kinesis_model;
use crate::operation::Operation;
use crate::progress::Progress;
use crate::validate;
use crate::wait::{self, Wait, WaitOptions, Watch};
use crate::{app, input};

/// The most names ListDeliveryStreams returns a page (the API's maximum).
const PAGE: i32 = 10_000;

/// Firehose's documented rates (5 a second for each operation, a hard
/// limit), and Kinesis's for the sources.
const RATES: &[Rate] = &[
    Rate {
        operation: "ListDeliveryStreams",
        per_second: 5,
    },
    Rate {
        operation: "DescribeDeliveryStream",
        per_second: 5,
    },
    Rate {
        operation: model::OPERATION,
        per_second: 5,
    },
    kinesis_fleet::DESCRIBE_RATE,
    kinesis_fleet::START_RATE,
];

const LABELS: &Labels = &Labels {
    report: &crate::reports::FIREHOSE,
    title: model::OPERATION,
    document: "DeliveryStreams",
    name: "DeliveryStreamName",
    arn: "DeliveryStreamARN",
    kind: Some("DeliveryStreamType"),
    source: Some("KinesisSource"),
    source_flag: "--encrypt-kinesis-sources",
    source_noun: "Kinesis source",
    key_members: &["KeyType", "Status"],
};

/// The `start-delivery-stream-encryption` binary: fleet mode when a fleet
/// flag is given, the single call otherwise.
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
        return app::run_parsed::<Firehose>(&cli);
    }
    let common = &cli.fleet.common;
    let result = match (cli.fleet.selected(), common.fleet_only()) {
        (true, _) => prepare(&cli).and_then(|(run, wanted)| {
            fleet::run(run, |sdk| FirehoseFleet {
                firehose: FirehoseClient::new(sdk),
                kinesis: KinesisClient::new(sdk),
                wanted: wanted.clone(),
                encrypt_sources: cli.fleet.encrypt_kinesis_sources,
            })
        }),
        (false, None) => return app::run_parsed::<Firehose>(&cli),
        (false, Some(flag)) => Err(CliError::ParamValidation(format!(
            "{flag} applies to fleet mode only: add --all-delivery-streams, \
             --delivery-stream-names-from, --dry-run or --encrypt-kinesis-sources"
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
/// credentials or network are touched, and the key wanted.
fn prepare(cli: &Cli) -> Result<(fleet::Run<'_>, Option<EncryptionInput>), CliError> {
    let flags = Firehose::flag_values(cli);
    let selector = if cli.fleet.all_delivery_streams {
        Some("--all-delivery-streams")
    } else if cli.fleet.common.apply_plan.is_some() {
        Some("--apply-plan")
    } else if cli.fleet.delivery_stream_names_from.is_some() {
        Some("--delivery-stream-names-from")
    } else {
        None
    };
    if selector.is_none() {
        input::require_flags(model::INPUT, &flags, &cli.input)?;
    }
    let mut doc = input::document(model::INPUT, &flags, &cli.input)?;
    let single = doc
        .get("DeliveryStreamName")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let (Some(selector), Some(_)) = (selector, &single) {
        return Err(CliError::ParamValidation(format!(
            "{selector} cannot be used with DeliveryStreamName (from --cli-input-json or \
             --cli-input-yaml): choose the streams one way"
        )));
    }
    // The wanted key is checked against the model as in the single call.
    doc.entry("DeliveryStreamName")
        .or_insert_with(|| Value::from("fleet"));
    let wanted = super::typed(&doc)?.encryption;
    let query = app::check_global_args(&cli.global)?;
    let selection = match (&cli.fleet.delivery_stream_names_from, single) {
        _ if cli.fleet.all_delivery_streams => Selection::All,
        _ if cli.fleet.common.apply_plan.is_some() => {
            let path = cli.fleet.common.apply_plan.as_deref().unwrap_or_default();
            Selection::Plan(plan::read(path, LABELS, check_name)?)
        }
        (Some(path), _) => Selection::Names(select::names_from(
            "--delivery-stream-names-from",
            path,
            check_name,
        )?),
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

/// A delivery stream name from a names file, checked against the model.
fn check_name(name: &str) -> Result<(), CliError> {
    let mut doc = Map::new();
    doc.insert("DeliveryStreamName".into(), Value::from(name));
    validate::check(model::INPUT, &doc, |_| Vec::new())
}

/// Firehose's part of a fleet run, for one target.
#[derive(Debug, Clone)]
pub struct FirehoseFleet {
    /// The delivery streams' client.
    pub firehose: FirehoseClient,
    /// The sources' client.
    pub kinesis: KinesisClient,
    /// `--delivery-stream-encryption-configuration-input`.
    pub wanted: Option<EncryptionInput>,
    /// `--encrypt-kinesis-sources`.
    pub encrypt_sources: bool,
}

/// `{"StreamARN": arn}`, the Kinesis client's request for a source.
fn by_arn(arn: &str) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert("StreamARN".into(), Value::from(arn));
    doc
}

fn text<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a str> {
    map.and_then(|m| m.get(key)).and_then(Value::as_str)
}

impl Service for FirehoseFleet {
    type Key = EncryptionInput;

    const LABELS: &'static Labels = LABELS;
    const RATES: &'static [Rate] = RATES;
    const LIST: &'static str = "ListDeliveryStreams";

    async fn list_page(&self, caller: &Caller<'_>, next: Option<&str>) -> Result<Page, CliError> {
        let (names, more) = caller
            .call(Self::LIST, |count| {
                let client = self.firehose.counted(count);
                async move { client.list_page(next, PAGE).await }
            })
            .await?;
        let next = names.last().cloned();
        Ok(Page { names, more, next })
    }

    async fn describe(&self, caller: &Caller<'_>, name: &str) -> Result<Described, CliError> {
        let d = caller
            .call("DescribeDeliveryStream", |count| {
                let client = self.firehose.counted(count);
                async move { client.describe(name).await }
            })
            .await?;
        let kinesis_sourced = d.stream_type.as_deref() == Some("KinesisStreamAsSource");
        Ok(Described {
            arn: d.arn,
            kind: d.stream_type,
            status: d.status,
            encryption: d.encryption,
            source_arn: d.kinesis_source_arn.filter(|_| kinesis_sourced),
            protected_by: d.msk_cluster_arn,
        })
    }

    async fn describe_source(&self, caller: &Caller<'_>, arn: &str) -> Result<Value, CliError> {
        caller
            .call(kinesis_fleet::DESCRIBE_RATE.operation, |count| {
                let client = self.kinesis.counted(count);
                async move { client.describe_state(&by_arn(arn)).await }
            })
            .await
    }

    fn source_encrypted(&self, summary: &Value) -> bool {
        summary.get("EncryptionType").and_then(Value::as_str) == Some("KMS")
    }

    fn plan(&self, described: &Described, source: Option<&Value>) -> Plan<EncryptionInput> {
        let facts = Facts {
            stream_type: described.kind.as_deref(),
            encryption: described.encryption.as_ref(),
            source,
            msk_cluster: described.protected_by.as_deref(),
        };
        match rules::plan(facts, self.wanted.as_ref(), self.encrypt_sources) {
            rules::Plan::Keep => Plan::Keep,
            rules::Plan::Start => Plan::Start(self.key_to_start()),
            rules::Plan::KeepSource => Plan::KeepSource,
            rules::Plan::StartSource(key) => Plan::StartSource(key),
            rules::Plan::NeedsSource(key) => {
                let arn = described.source_arn.as_deref().unwrap_or_default();
                Plan::NeedsSource(format!(
                    "its source, the Kinesis data stream {arn}, is not encrypted: run again \
                     with --encrypt-kinesis-sources, or run start-stream-encryption \
                     --stream-arn {arn} --encryption-type KMS --key-id {key}"
                ))
            }
            rules::Plan::ProtectedBy(why) => Plan::ProtectedBy(why),
            rules::Plan::NotApplicable(why) => Plan::NotApplicable(why),
            rules::Plan::Refuse(why) => Plan::Refuse(why),
            rules::Plan::Unknown(why) => Plan::Unknown(why),
        }
    }

    fn encrypted(&self, described: &Described) -> bool {
        text(described.encryption.as_ref(), "Status") == Some(model::ENABLED)
    }

    /// The wanted key, else the AWS owned key (named, rather than left to
    /// the service's default, so that the request says what the report says).
    fn key_to_start(&self) -> EncryptionInput {
        self.wanted.clone().unwrap_or_else(|| EncryptionInput {
            key_arn: None,
            key_type: model::AWS_OWNED_CMK.to_owned(),
        })
    }

    fn asked_for(&self, key: &EncryptionInput, accepted: bool) -> Map<String, Value> {
        let mut enc = Map::new();
        if let Some(arn) = &key.key_arn {
            enc.insert("KeyARN".into(), Value::from(arn.as_str()));
        }
        enc.insert("KeyType".into(), Value::from(key.key_type.as_str()));
        if accepted {
            enc.insert("Status".into(), Value::from("ENABLING"));
        }
        enc
    }

    fn key_of(&self, after: &Map<String, Value>) -> Option<EncryptionInput> {
        let key_type = text(Some(after), "KeyType")?;
        model::KEY_TYPES
            .contains(&key_type)
            .then(|| EncryptionInput {
                key_arn: text(Some(after), "KeyARN").map(str::to_owned),
                key_type: key_type.to_owned(),
            })
    }

    fn source_asked_for(&self, key_id: &str) -> Value {
        kinesis_fleet::asked_for(key_id)
    }

    async fn start(
        &self,
        caller: &Caller<'_>,
        name: &str,
        key: &EncryptionInput,
    ) -> Result<(), CliError> {
        let request = StartRequest {
            delivery_stream_name: name.to_owned(),
            encryption: Some(key.clone()),
        };
        caller
            .call(model::OPERATION, |count| {
                let client = self.firehose.counted(count);
                async move { client.start_encryption(&request).await }
            })
            .await
    }

    async fn start_source(
        &self,
        caller: &Caller<'_>,
        arn: &str,
        key_id: &str,
    ) -> Result<(), CliError> {
        let mut doc = by_arn(arn);
        doc.insert("EncryptionType".into(), Value::from("KMS"));
        doc.insert("KeyId".into(), Value::from(key_id));
        caller
            .call(kinesis_fleet::START_RATE.operation, |count| {
                let client = self.kinesis.counted(count);
                async move { client.start(&doc).await }
            })
            .await
    }

    fn in_flight(&self, name: &str) -> String {
        format!(
            "interrupted while StartDeliveryStreamEncryption was in flight: it may have been \
             accepted; check with aws firehose describe-delivery-stream --delivery-stream-name \
             {name}"
        )
    }

    fn changing(&self, after: Option<&Map<String, Value>>) -> bool {
        text(after, "Status") == Some("ENABLING")
    }

    async fn wait(
        &self,
        caller: &Caller<'_>,
        name: &str,
        before: Option<&Map<String, Value>>,
        key: &EncryptionInput,
        options: WaitOptions,
        line: &Progress,
    ) -> Result<Waited, CliError> {
        let subject = model::wait_subject(name);
        let requested = StartRequest {
            delivery_stream_name: name.to_owned(),
            encryption: Some(key.clone()),
        }
        .requested_key();
        let before = before.map(|b| super::description::encryption_state(name, Some(b)));
        let wait = Wait {
            waiter: &model::WAITER,
            subject: &subject,
            requested: &requested,
            before: before.as_ref(),
            options,
        };
        let describe = || {
            caller.call("DescribeDeliveryStream", |count| {
                let client = self.firehose.counted(count);
                async move { client.describe_encryption(name).await }
            })
        };
        let settled = wait::until_settled(&wait, describe, line, &Watch::default()).await?;
        Ok(Waited {
            after: settled
                .state
                .get("DeliveryStreamEncryptionConfiguration")
                .and_then(Value::as_object)
                .cloned(),
            failure: settled.failure,
        })
    }

    async fn wait_source(
        &self,
        caller: &Caller<'_>,
        arn: &str,
        key_id: &str,
        options: WaitOptions,
        line: &Progress,
    ) -> Result<Value, CliError> {
        let doc = by_arn(arn);
        let mut requested = Map::new();
        requested.insert("KeyId".into(), Value::from(key_id));
        let subject = kinesis_model::wait_subject(&doc);
        let wait = Wait {
            waiter: &kinesis_model::WAITER,
            subject: &subject,
            requested: &requested,
            before: None,
            options,
        };
        let describe = || {
            caller.call(kinesis_fleet::DESCRIBE_RATE.operation, |count| {
                let client = self.kinesis.counted(count);
                let doc = &doc;
                async move { client.describe_state(doc).await }
            })
        };
        let settled = wait::until_settled(&wait, describe, line, &Watch::default()).await?;
        Ok(settled.state)
    }
}
