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
//! | configure the SDK and call the API | [`aws`] |
//! | `--wait`: poll until the encryption settles, with a spinner | [`wait`] ([`progress`]) |
//! | classify failures, pick the exit code | [`error`] |
//! | orchestrate and print | [`app`] |

pub mod app;
pub mod aws;
pub mod cli;
pub mod error;
pub mod input;
pub mod model;
pub mod paramfile;
pub mod progress;
pub mod shorthand;
pub mod skeleton;
pub mod validate;
pub mod wait;
