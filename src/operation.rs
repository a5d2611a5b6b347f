//! What a mirrored operation declares, and all the engine needs from it:
//! its command line, its model as data, how to turn a validated document
//! into its SDK call, and its waiter as data. The engine (`app`) drives
//! every operation the same way; adding one is a module that implements
//! [`Operation`] and a `src/bin/` file that calls `app::run`.

use std::future::Future;

use clap::{CommandFactory, Parser};
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::generate::Block;
use crate::global::{GlobalArgs, InputArgs, WaitArgs};
use crate::model::Member;
use crate::sdk::Sdk;
use crate::wait::{Subject, Waiter};

/// A validated request document: top-level member name → value.
pub type Request = Map<String, Value>;

/// One mirrored AWS CLI operation.
pub trait Operation {
    /// The binary's name, e.g. `start-delivery-stream-encryption`.
    const BIN: &'static str;
    /// The API operation, e.g. `StartDeliveryStreamEncryption`.
    const NAME: &'static str;
    /// The input shape's members, in model order.
    const INPUT: &'static [Member];
    /// `--wait`'s rules.
    const WAITER: &'static Waiter;
    /// The man page's sections after OPTIONS.
    const MANUAL: &'static [Block];

    /// The command line.
    type Cli: Parser + CommandFactory;
    /// The service client.
    type Client;

    /// The raw values of the top-level member flags, aligned with [`Self::INPUT`].
    fn flag_values(cli: &Self::Cli) -> Vec<Option<&str>>;
    /// `--cli-input-json/yaml` and `--generate-cli-skeleton`.
    fn input_args(cli: &Self::Cli) -> &InputArgs;
    /// `--wait` and its durations.
    fn wait_args(cli: &Self::Cli) -> &WaitArgs;
    /// The global options.
    fn global_args(cli: &Self::Cli) -> &GlobalArgs;

    /// Problems the model cannot express (documented rules), in the
    /// `Parameter validation failed:` report's line format.
    fn extra_problems(_request: &Request) -> Vec<String> {
        Vec::new()
    }

    /// The client for the shared SDK configuration.
    fn client(sdk: &Sdk) -> Self::Client;
    /// Make the call; a refusal comes back with a hint where one is known.
    fn start(
        client: &Self::Client,
        request: &Request,
    ) -> impl Future<Output = Result<(), CliError>>;
    /// Describe the resource as the waiter's state.
    fn describe(
        client: &Self::Client,
        request: &Request,
    ) -> impl Future<Output = Result<Value, CliError>>;
    /// The values of the request that the waiter's `Requested` matchers read.
    fn requested(request: &Request) -> Map<String, Value>;
    /// What `--wait` waits for, for messages.
    fn wait_subject(request: &Request) -> Subject;
}
