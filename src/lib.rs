//! `start-delivery-stream-encryption` mirrors
//! `aws firehose start-delivery-stream-encryption`: the same flags, the same
//! signed request through `aws-sdk-firehose`, the same exit codes.
//!
//! Data flows one way, argv to exit code:
//!
//! | step | module |
//! |---|---|
//! | parse the command line | [`cli`] |
//! | read `file://` values, JSON and shorthand, merge `--cli-input-json` | [`input`] ([`paramfile`], [`shorthand`]) |
//! | check the request against the model | [`validate`] ([`model`]) |
//! | `--generate-cli-skeleton` templates | [`skeleton`] |
//! | the AWS CLI's settings: flag > environment > profile | [`config`] |
//! | the HTTP client: trust store, `--ca-bundle`, `--no-verify-ssl`, TLS failures | [`tls`] |
//! | configure the SDK and call the API | [`aws`] |
//! | `--wait`: poll until the encryption settles, with a spinner | [`wait`] ([`progress`]) |
//! | explain why the service refused | [`hints`] |
//! | `--query`: compile and apply the JMESPath expression | [`query`] |
//! | `--output`: json, text, table, yaml, yaml-stream, off | [`output`] |
//! | classify failures, pick the exit code | [`error`] |
//! | orchestrate and print | [`app`] |
//!
//! [`python`] renders values the way the AWS CLI's Python does, for
//! messages and text output. [`generate`] renders the committed shell completions and man page.

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod error;
pub mod generate;
pub mod hints;
pub mod input;
pub mod model;
pub mod output;
pub mod paramfile;
pub mod progress;
pub mod python;
pub mod query;
pub mod shorthand;
pub mod skeleton;
pub mod tls;
pub mod validate;
pub mod wait;
