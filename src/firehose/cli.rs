//! The command line of `start-delivery-stream-encryption`: the model's
//! members as flags, in model order, then the shared input, wait and global
//! options. Doc comments are the `--help` text. This module only describes
//! and parses arguments; nothing here touches files, the environment or
//! the network.

use clap::Parser;

use crate::global::{GlobalArgs, InputArgs, WaitArgs};

/// The version line: this tool's version and the SDK it sends requests with.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (aws-sdk-firehose ",
    "1.128.0",
    ")"
);

/// Enables server-side encryption (SSE) for a Firehose stream.
///
/// A drop-in replacement for `aws firehose start-delivery-stream-encryption`:
/// the same flags, the same signed request, the same exit codes.
///
/// The operation is asynchronous: it returns immediately and sets the
/// stream's encryption status to ENABLING, then ENABLED (or ENABLING_FAILED).
/// It applies only to streams whose source is Direct PUT. Start and stop
/// calls share a budget of 25 per stream per 24 hours.
#[derive(Debug, Parser)]
#[command(
    name = "start-delivery-stream-encryption",
    version = VERSION,
    args_override_self = true,
    max_term_width = 100,
    after_long_help = AFTER_LONG_HELP,
    mut_arg("cli_input_json", |a| a.long_help(CLI_INPUT_JSON_HELP)),
    mut_arg("wait", |a| a
        .help("After the call, wait until the encryption is ENABLED (exit 0) or ENABLING_FAILED (exit 255), then print the final state")
        .long_help(WAIT_HELP)),
)]
pub struct Cli {
    /// The name of the Firehose stream for which you want to enable
    /// server-side encryption (SSE).
    ///
    /// 1–64 characters from [a-zA-Z0-9_.-]. Required unless it comes from
    /// --cli-input-json. `file://PATH` reads the name from a file.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["all_delivery_streams", "delivery_stream_names_from", "apply_plan"])]
    pub delivery_stream_name: Option<String>,

    /// The type and ARN of the KMS key for server-side encryption (SSE).
    ///
    /// Shorthand: KeyARN=string,KeyType=AWS_OWNED_CMK|CUSTOMER_MANAGED_CMK
    ///
    /// JSON: {"KeyARN": "string", "KeyType": "AWS_OWNED_CMK"|"CUSTOMER_MANAGED_CMK"}
    ///
    /// Or `file://PATH` holding either. KeyType is required inside the
    /// structure; CUSTOMER_MANAGED_CMK needs KeyARN (a KMS key or alias ARN).
    /// Leave the option out to let the service use an AWS owned key.
    #[arg(long, value_name = "VALUE", conflicts_with = "apply_plan")]
    pub delivery_stream_encryption_configuration_input: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub wait: WaitArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Fleet mode: many streams in one run (`fleet`). Any of these flags but
/// `--max-concurrency` and `--max-rate` selects it.
#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "Fleet mode")]
pub struct FleetArgs {
    /// Every delivery stream of the region (ListDeliveryStreams, all pages)
    ///
    /// Each stream gets the key of --delivery-stream-encryption-configuration-input,
    /// unless it already has it. Without that option only unencrypted streams
    /// are encrypted, with an AWS owned key; a stream encrypted with any key
    /// keeps it. Prints one document {"DeliveryStreams": [...]} with an entry
    /// per stream, in name order.
    #[arg(long, conflicts_with_all = ["delivery_stream_names_from", "apply_plan"])]
    pub all_delivery_streams: bool,

    /// The streams named in a file, one a line (`-`: standard input)
    ///
    /// Blank lines and lines starting with `#` are skipped; a name given twice
    /// is done once. Otherwise as --all-delivery-streams.
    #[arg(long, value_name = "PATH", conflicts_with = "apply_plan")]
    pub delivery_stream_names_from: Option<String>,

    /// Protect a stream fed by a Kinesis data stream by encrypting that source
    ///
    /// Firehose cannot encrypt such a stream itself. The source gets
    /// StartStreamEncryption (once, however many streams it feeds) with the
    /// customer managed key's ARN, or alias/aws/kinesis for an AWS owned key.
    /// Also with one --delivery-stream-name.
    #[arg(long)]
    pub encrypt_kinesis_sources: bool,

    /// The fleet flags every command shares.
    #[command(flatten)]
    pub common: crate::fleet::args::FleetOptions,
}

impl FleetArgs {
    /// Whether the command line asks for fleet mode rather than one call.
    pub fn selected(&self) -> bool {
        self.all_delivery_streams
            || self.delivery_stream_names_from.is_some()
            || self.common.dry_run
            || self.common.apply_plan.is_some()
            || self.encrypt_kinesis_sources
    }
}

const CLI_INPUT_JSON_HELP: &str = "Reads arguments from a JSON document (inline or `file://PATH`).

The document's top-level keys are the API's member names (DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput). Values given on the command line replace the document's.";

const WAIT_HELP: &str = "After the call, wait until the encryption is ENABLED (exit 0) or ENABLING_FAILED (exit 255), then print the final state.

Only the requested key counts: the KeyType and, for a customer managed key, the KeyARN. The stream is described once before the call, and a poll that still shows that state (the old key, an earlier failure) does not end the wait. Ctrl-C says what was last seen and how to check. Polls DescribeDeliveryStream; the state is printed as {\"DeliveryStreamName\": …, \"DeliveryStreamEncryptionConfiguration\": {…}} through --output and --query. A spinner shows the status on stderr when it is a terminal.";

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
  start-delivery-stream-encryption --delivery-stream-name my-stream \\
      --delivery-stream-encryption-configuration-input \\
      KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab

  Every stream of the region, Kinesis sources included, once each:
  start-delivery-stream-encryption --all-delivery-streams --encrypt-kinesis-sources";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_repeated_flag_takes_its_last_value() {
        let cli = Cli::try_parse_from([
            "x",
            "--delivery-stream-name",
            "a",
            "--delivery-stream-name",
            "b",
        ])
        .unwrap();
        assert_eq!(cli.delivery_stream_name.as_deref(), Some("b"));
    }

    #[test]
    fn version_names_the_sdk_version_in_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        let sdk = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"aws-sdk-firehose\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
            .map(|v| v.trim_end_matches('"'))
            .unwrap();
        assert!(
            VERSION.contains(&format!("aws-sdk-firehose {sdk})")),
            "{VERSION} vs {sdk}"
        );
    }
}
