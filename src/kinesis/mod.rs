//! `start-stream-encryption`: `aws kinesis start-stream-encryption` as an
//! [`Operation`] of the engine.
//!
//! | part | module |
//! |---|---|
//! | the command line | [`cli`] |
//! | the input shape, its extra rules and the waiter, as data | [`model`] |
//! | the SDK calls | [`client`] |
//! | why the service refused | [`hints`] |
//! | the man page's extra sections | [`manual`] |
//! | fleet mode: the binary's entry and Kinesis's part of the engine | [`fleet`] |
//! | fleet mode's rules: what to do with one stream | [`rules`] |

pub mod cli;
pub mod client;
pub mod fleet;
pub mod hints;
pub mod manual;
pub mod model;
pub mod rules;

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::CliError;
use crate::generate::Block;
use crate::global::{GlobalArgs, InputArgs, WaitArgs};
use crate::operation::{Operation, Request};
use crate::sdk::Sdk;
use crate::wait::{self, Subject, Waiter};
use client::KinesisClient;

/// How long the best-effort describe behind a hint may take.
const DESCRIBE_BUDGET: Duration = Duration::from_secs(5);

/// StartStreamEncryption.
#[derive(Debug)]
pub struct Kinesis;

impl Operation for Kinesis {
    const BIN: &'static str = "start-stream-encryption";
    const NAME: &'static str = model::OPERATION;
    const INPUT: &'static [crate::model::Member] = model::INPUT;
    const WAITER: &'static Waiter = &model::WAITER;
    const MANUAL: &'static [Block] = manual::MANUAL;

    type Cli = cli::Cli;
    type Client = KinesisClient;

    fn flag_values(cli: &cli::Cli) -> Vec<Option<&str>> {
        vec![
            cli.stream_name.as_deref(),
            cli.encryption_type.as_deref(),
            cli.key_id.as_deref(),
            cli.stream_arn.as_deref(),
            cli.stream_id.as_deref(),
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

    fn extra_problems(request: &Request) -> Vec<String> {
        model::extra_problems(request)
    }

    fn client(sdk: &Sdk) -> KinesisClient {
        KinesisClient::new(sdk)
    }

    async fn start(client: &KinesisClient, request: &Request) -> Result<(), CliError> {
        let Err(mut e) = client.start(request).await else {
            return Ok(());
        };
        // The stream is not ACTIVE: say what it is.
        if let CliError::Service { code, hint, .. } = &mut e
            && code == "ResourceInUseException"
            && let Ok(Ok(state)) =
                tokio::time::timeout(DESCRIBE_BUDGET, client.describe_state(request)).await
            && let Some(status) = wait::field(&state, model::WAITER.status)
        {
            let subject = model::wait_subject(request);
            *hint = Some(hints::not_active(
                &subject.name,
                status,
                &subject.check_command,
            ));
        }
        Err(e)
    }

    async fn describe(client: &KinesisClient, request: &Request) -> Result<Value, CliError> {
        client.describe_state(request).await
    }

    fn requested(request: &Request) -> Map<String, Value> {
        request
            .iter()
            .filter(|(k, _)| *k == "KeyId")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn wait_subject(request: &Request) -> Subject {
        model::wait_subject(request)
    }
}
