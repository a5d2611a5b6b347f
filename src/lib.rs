//! Drop-in replacements for AWS CLI v2 commands, on one engine:
//! `start-delivery-stream-encryption` (`aws firehose
//! start-delivery-stream-encryption`) and `start-stream-encryption` (`aws
//! kinesis start-stream-encryption`). Each binary under `src/bin/` picks an
//! [`operation::Operation`] and hands over to [`app::run`].
//!
//! The engine names no service. Data flows one way, argv to exit code:
//!
//! | step | module |
//! |---|---|
//! | the shared options: global, `--cli-input-*`, skeleton, `--wait` | [`global`] |
//! | what an operation declares | [`operation`] ([`model`] for its input shape) |
//! | read `file://` values, JSON and shorthand, merge `--cli-input-json` | [`input`] ([`paramfile`], [`shorthand`]) |
//! | check the request against the model | [`validate`] |
//! | `--generate-cli-skeleton` templates | [`skeleton`] |
//! | the AWS CLI's settings: flag > environment > profile | [`config`] |
//! | the HTTP client: trust store, `--ca-bundle`, `--no-verify-ssl`, TLS failures | [`tls`] |
//! | the shared SDK configuration | [`sdk`] ([`profile_credentials`]: a profile's credentials, its roles assumed at `--endpoint-url`) |
//! | the accounts and regions of an organization-wide run, each account's credentials | [`accounts`] |
//! | `--wait`: poll until the waiter's acceptors settle it, with a spinner | [`wait`] ([`progress`]) |
//! | `--query`: compile and apply the JMESPath expression | [`query`] |
//! | `--output`: json, text, table, yaml, yaml-stream, off | [`output`] |
//! | classify failures, pick the exit code | [`error`] ([`chain`]) |
//! | orchestrate and print | [`app`] |
//! | `--report FORMAT=PATH`: the fleet document as JUnit, ASFF or OCSF | [`reports`] |
//! | bounds on hostile input; bounded file reads | [`bounds`] |
//! | text safe for a terminal: escaped controls, bounded length | [`terminal_text`] |
//!
//! The operations: [`firehose`] (StartDeliveryStreamEncryption) and
//! [`kinesis`] (StartStreamEncryption, the `start-stream-encryption` binary).
//! [`fleet`] is the fleet engine both commands share: many streams in one
//! run, paced at each service's documented rates; each service declares its
//! part in its own `fleet` module ([`firehose::fleet`], [`kinesis::fleet`]).
//! [`calls`] counts what each SDK call costs (attempts, throttled attempts).
//! [`python`] renders values the way the AWS CLI's Python does, for
//! messages and text output. [`generate`] renders the committed shell
//! completions and man pages.

pub mod accounts;
pub mod app;
pub mod bounds;
pub mod calls;
pub mod chain;
pub mod config;
pub mod error;
pub mod firehose;
pub mod fleet;
pub mod generate;
pub mod global;
pub mod input;
pub mod kinesis;
pub mod model;
pub mod operation;
pub mod output;
pub mod paramfile;
pub mod profile_credentials;
pub mod progress;
pub mod python;
pub mod query;
pub mod reports;
pub mod sdk;
pub mod shorthand;
pub mod skeleton;
pub mod terminal_text;
pub mod tls;
pub mod validate;
pub mod wait;
