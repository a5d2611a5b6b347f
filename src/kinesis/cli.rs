//! The command line of `start-stream-encryption`: the model's members as
//! flags, in model order, then the shared input, wait and global options.
//! Doc comments are the `--help` text; nothing here touches files, the
//! environment or the network.

use clap::Parser;

use crate::global::{GlobalArgs, InputArgs, WaitArgs};

/// The version line: this tool's version and the SDK it sends requests with.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (aws-sdk-kinesis ",
    "1.130.0",
    ")"
);

/// Enables or updates server-side encryption with a KMS key for a Kinesis
/// data stream.
///
/// A drop-in replacement for `aws kinesis start-stream-encryption`: the
/// same flags, the same signed request, the same exit codes.
///
/// The operation is asynchronous: the stream's status becomes UPDATING,
/// then ACTIVE again with encryption on. Give the stream's name or ARN (or
/// both). A stream can take a new KMS key 25 times in a rolling 24 hours.
#[derive(Debug, Parser)]
#[command(
    name = "start-stream-encryption",
    version = VERSION,
    args_override_self = true,
    max_term_width = 100,
    after_long_help = AFTER_LONG_HELP,
    mut_arg("wait", |a| a
        .help("After the call, wait until the stream is ACTIVE and encrypted with the requested key (exit 0), then print its state")
        .long_help(WAIT_HELP)),
)]
pub struct Cli {
    /// The name of the stream for which to start encrypting records.
    ///
    /// 1–128 characters from [a-zA-Z0-9_.-]. This or --stream-arn is
    /// required.
    #[arg(long, value_name = "NAME", conflicts_with = "apply_plan")]
    pub stream_name: Option<String>,

    /// The encryption type to use: KMS (NONE is for stop-stream-encryption).
    #[arg(long, value_name = "TYPE")]
    pub encryption_type: Option<String>,

    /// The KMS key: a key ID, a key or alias ARN, or an alias name such as
    /// alias/aws/kinesis (the key owned by Kinesis Data Streams).
    ///
    /// 1–2048 characters.
    #[arg(long, value_name = "KEY", conflicts_with = "apply_plan")]
    pub key_id: Option<String>,

    /// The ARN of the stream.
    ///
    /// Matches arn:aws.*:kinesis:.*:\d{12}:stream/\S+. This or
    /// --stream-name is required.
    #[arg(long, value_name = "ARN")]
    pub stream_arn: Option<String>,

    /// Not implemented by the service; reserved for future use.
    #[arg(long, value_name = "ID")]
    pub stream_id: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub wait: WaitArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Fleet mode: many streams in one run. Any of these flags but
/// `--max-concurrency` and `--max-rate` selects it.
#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "Fleet mode")]
pub struct FleetArgs {
    /// Every data stream of the region (ListStreams, all pages)
    ///
    /// Each stream gets the key of --key-id, unless it already has it.
    /// Without --key-id only unencrypted streams are encrypted, with
    /// alias/aws/kinesis; a stream encrypted with any key keeps it. A stream
    /// that is not ACTIVE is reported, not started. --encryption-type
    /// defaults to KMS. Prints one document {"Streams": [...]} with an entry
    /// per stream, in name order.
    #[arg(long, conflicts_with_all = ["stream_names_from", "stream_name", "stream_arn", "apply_plan"])]
    pub all_streams: bool,

    /// The streams named in a file, one a line (`-`: standard input)
    ///
    /// Blank lines and lines starting with `#` are skipped; a name given twice
    /// is done once. Otherwise as --all-streams.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["stream_name", "stream_arn", "apply_plan"])]
    pub stream_names_from: Option<String>,

    /// The fleet flags every command shares.
    #[command(flatten)]
    pub common: crate::fleet::args::FleetOptions,
}

impl FleetArgs {
    /// Whether the command line asks for fleet mode rather than one call.
    pub fn selected(&self) -> bool {
        self.all_streams
            || self.stream_names_from.is_some()
            || self.common.dry_run
            || self.common.apply_plan.is_some()
    }
}

const WAIT_HELP: &str = "After the call, wait until the stream is ACTIVE and encrypted with the requested key (exit 0), then print its state.

Polls DescribeStreamSummary until StreamStatus is ACTIVE, EncryptionType is KMS and KeyId is the requested key; the stream is described once before the call, and a poll that still shows that state does not end the wait. The state is printed as {\"StreamName\", \"StreamARN\", \"StreamStatus\", \"EncryptionType\", \"KeyId\"} through --output and --query. A spinner shows the status on stderr when it is a terminal; Ctrl-C says what was last seen and how to check.";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0    success (nothing is printed: the API returns an empty response); in
       fleet mode, every stream ends encrypted at rest
  1    fleet mode: a stream failed, was refused or is left unencrypted (with
       --dry-run: something would change); the document says which
  130  interrupted (Ctrl-C); in fleet mode after printing the entries so far
  252  bad command line or parameter; nothing was sent
  253  configuration problem: no region, no credentials
  254  the service returned an error
  255  anything else (connection failure, timeout)

Example:
  start-stream-encryption --stream-name my-stream --encryption-type KMS \\
      --key-id alias/aws/kinesis

  Every stream of the region, once each:
  start-stream-encryption --all-streams";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn version_names_the_sdk_version_in_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        let sdk = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"aws-sdk-kinesis\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
            .map(|v| v.trim_end_matches('"'));
        assert_eq!(
            sdk.map(|v| VERSION.contains(&format!("aws-sdk-kinesis {v})"))),
            Some(true),
            "{VERSION}"
        );
    }
}
