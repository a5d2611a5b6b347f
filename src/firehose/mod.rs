//! `start-delivery-stream-encryption`: `aws firehose
//! start-delivery-stream-encryption` as an [`Operation`] of the engine.
//!
//! | part | module |
//! |---|---|
//! | the command line | [`cli`] |
//! | the input shape and the waiter, as data | [`model`] |
//! | the typed request | [`request`] |
//! | the SDK calls | [`client`] ([`description`]) |
//! | why the service refused | [`hints`] |
//! | the man page's extra sections | [`manual`] |
//! | fleet mode: the binary's entry and Firehose's part of the engine | [`fleet`] |
//! | fleet mode's rules: what to do with one stream | [`rules`] |

pub mod cli;
pub mod client;
pub mod description;
pub mod fleet;
pub mod hints;
pub mod manual;
pub mod model;
pub mod request;
pub mod rules;

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::CliError;
use crate::generate::Block;
use crate::global::{GlobalArgs, InputArgs, WaitArgs};
use crate::operation::{Operation, Request};
use crate::sdk::Sdk;
use crate::wait::{Subject, Waiter};
use client::FirehoseClient;
use request::StartRequest;

/// How long the best-effort describe behind a hint may take.
const DESCRIBE_BUDGET: Duration = Duration::from_secs(5);

/// StartDeliveryStreamEncryption.
#[derive(Debug)]
pub struct Firehose;

impl Operation for Firehose {
    const BIN: &'static str = "start-delivery-stream-encryption";
    const NAME: &'static str = model::OPERATION;
    const INPUT: &'static [crate::model::Member] = model::INPUT;
    const WAITER: &'static Waiter = &model::WAITER;
    const MANUAL: &'static [Block] = manual::MANUAL;

    type Cli = cli::Cli;
    type Client = FirehoseClient;

    fn flag_values(cli: &cli::Cli) -> Vec<Option<&str>> {
        vec![
            cli.delivery_stream_name.as_deref(),
            cli.delivery_stream_encryption_configuration_input
                .as_deref(),
        ]
    }

    fn input_args(cli: &cli::Cli) -> &InputArgs {
        &cli.input
    }

    fn wait_args(cli: &cli::Cli) -> &WaitArgs {
        &cli.wait
    }

    fn global_args(cli: &cli::Cli) -> &GlobalArgs {
        &cli.global
    }

    fn client(sdk: &Sdk) -> FirehoseClient {
        FirehoseClient::new(sdk)
    }

    async fn start(client: &FirehoseClient, request: &Request) -> Result<(), CliError> {
        let typed = request::request(request)?;
        if let Err(mut e) = client.start_encryption(&typed).await {
            explain(client, &typed.delivery_stream_name, &mut e).await;
            return Err(e);
        }
        Ok(())
    }

    async fn describe(client: &FirehoseClient, request: &Request) -> Result<Value, CliError> {
        client.describe_encryption(&name_of(request)).await
    }

    fn requested(request: &Request) -> Map<String, Value> {
        request::request(request)
            .map(|r| r.requested_key())
            .unwrap_or_default()
    }

    fn wait_subject(request: &Request) -> Subject {
        model::wait_subject(&name_of(request))
    }
}

fn name_of(request: &Request) -> String {
    request
        .get("DeliveryStreamName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The typed request of a validated document (for callers that hold one).
pub fn typed(request: &Request) -> Result<StartRequest, CliError> {
    request::request(request)
}

/// Add a hint that needs a description of the stream, for the refusals
/// whose reason is the stream's type or state (`InvalidArgumentException`,
/// `ResourceInUseException`). Best effort: if the describe fails or takes
/// too long, the error is left as it was.
async fn explain(firehose: &FirehoseClient, name: &str, error: &mut CliError) {
    let CliError::Service { code, hint, .. } = error else {
        return;
    };
    if hint.is_some()
        || !matches!(
            code.as_str(),
            "InvalidArgumentException" | "ResourceInUseException"
        )
    {
        return;
    }
    if let Ok(Ok(description)) =
        tokio::time::timeout(DESCRIBE_BUDGET, firehose.describe(name)).await
    {
        *hint = hints::from_description(&description);
    }
}
