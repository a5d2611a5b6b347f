//! The command line, as clap derive structs. Doc comments are the `--help`
//! text. This module only describes and parses arguments; turning them into
//! a request happens in `input`, and nothing here touches files, the
//! environment or the network.

use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, ValueEnum};

use crate::config::ErrorFormat;
use crate::wait::parse_duration;

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
    after_long_help = AFTER_LONG_HELP
)]
pub struct Cli {
    /// The name of the Firehose stream for which you want to enable
    /// server-side encryption (SSE).
    ///
    /// 1–64 characters from [a-zA-Z0-9_.-]. Required unless it comes from
    /// --cli-input-json. `file://PATH` reads the name from a file.
    #[arg(long, value_name = "NAME")]
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
    #[arg(long, value_name = "VALUE")]
    pub delivery_stream_encryption_configuration_input: Option<String>,

    /// Reads arguments from a JSON document (inline or `file://PATH`).
    ///
    /// The document's top-level keys are the API's member names
    /// (DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput).
    /// Values given on the command line replace the document's.
    #[arg(long, value_name = "JSON", allow_hyphen_values = true)]
    pub cli_input_json: Option<String>,

    /// Reads arguments from a YAML document (inline or `file://PATH`).
    ///
    /// The same keys and merge rule as --cli-input-json; the two cannot be
    /// combined. `--generate-cli-skeleton yaml-input` prints a template.
    #[arg(long, value_name = "YAML", allow_hyphen_values = true)]
    pub cli_input_yaml: Option<String>,

    /// Prints a template and sends nothing.
    ///
    /// `input` (the default) prints a JSON request template for
    /// --cli-input-json; `yaml-input` a commented YAML one for
    /// --cli-input-yaml; `output` validates the arguments and prints the
    /// operation's output template, which is empty.
    #[arg(
        long,
        value_enum,
        value_name = "KIND",
        num_args = 0..=1,
        default_missing_value = "input"
    )]
    pub generate_cli_skeleton: Option<SkeletonKind>,

    /// After the call, wait until the encryption is ENABLED (exit 0) or
    /// ENABLING_FAILED (exit 255), then print the final state.
    ///
    /// Only the requested key counts: the KeyType and, for a customer
    /// managed key, the KeyARN. The stream is described once before the
    /// call, and a poll that still shows that state (the old key, an
    /// earlier failure) does not end the wait. Ctrl-C says what was last
    /// seen and how to check. Polls DescribeDeliveryStream; the state is printed as
    /// {"DeliveryStreamName": …, "DeliveryStreamEncryptionConfiguration": {…}}
    /// through --output and --query. A spinner shows the status on stderr
    /// when it is a terminal.
    #[arg(long, help_heading = "Waiting")]
    pub wait: bool,

    /// Give up waiting after this long (500ms, 5s, 2m, or seconds such as 0.5).
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10m",
        value_parser = parse_duration,
        help_heading = "Waiting"
    )]
    pub wait_timeout: Duration,

    /// Delay before the first status poll; later delays back off up to 15s.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "2s",
        value_parser = parse_duration,
        help_heading = "Waiting"
    )]
    pub wait_interval: Duration,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// What `--generate-cli-skeleton` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SkeletonKind {
    /// A JSON request template.
    Input,
    /// The operation's output template (empty for this operation).
    Output,
    /// A commented YAML request template.
    YamlInput,
}

/// Options shared by every AWS CLI command.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The region to use. Overrides AWS_REGION, AWS_DEFAULT_REGION and the
    /// profile's `region`.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Use a specific profile from your credential and config files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Override the service endpoint with the given URL (http:// or https://).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Turn on debug logging of the SDK's request and response on stderr.
    ///
    /// Signatures, secret keys and session tokens are never printed.
    #[arg(long)]
    pub debug: bool,

    /// The formatting style for command output (with --wait).
    ///
    /// Overrides AWS_DEFAULT_OUTPUT and the profile's `output`; default json.
    #[arg(
        long,
        value_name = "FORMAT",
        value_parser = PossibleValuesParser::new(OUTPUT_FORMATS)
    )]
    pub output: Option<String>,

    /// A JMESPath query to filter the output (with --wait).
    #[arg(long, value_name = "JMESPATH")]
    pub query: Option<String>,

    /// Turn on or off colour output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Do not sign requests: no credentials are looked up.
    #[arg(long)]
    pub no_sign_request: bool,

    /// Do not verify SSL certificates (a warning is printed). Overrides
    /// --ca-bundle.
    #[arg(long)]
    pub no_verify_ssl: bool,

    /// The CA certificate bundle (PEM) to use when verifying SSL certificates.
    ///
    /// Overrides AWS_CA_BUNDLE and the profile's `ca_bundle`.
    #[arg(long, value_name = "PATH")]
    pub ca_bundle: Option<String>,

    /// Maximum socket read time in seconds; 0 waits forever. Default 60.
    #[arg(long, value_name = "SECONDS")]
    pub cli_read_timeout: Option<u64>,

    /// Maximum socket connect time in seconds; 0 waits forever. Default 60.
    #[arg(long, value_name = "SECONDS")]
    pub cli_connect_timeout: Option<u64>,

    /// How errors are printed on stderr: json and yaml give
    /// {"Code": …, "Message": …} for scripts.
    ///
    /// Overrides AWS_CLI_ERROR_FORMAT and the profile's `cli_error_format`;
    /// default enhanced.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub cli_error_format: Option<ErrorFormat>,

    /// Accepted for compatibility; this operation has nothing to paginate.
    #[arg(long)]
    pub no_paginate: bool,

    /// Accepted for compatibility; output is never paged.
    #[arg(long)]
    pub no_cli_pager: bool,
}

/// The values `--output` takes.
pub const OUTPUT_FORMATS: [&str; 6] = ["json", "text", "table", "yaml", "yaml-stream", "off"];

/// When to use colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Always.
    On,
    /// Never.
    Off,
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
}

const AFTER_LONG_HELP: &str = "\
Exit status:
  0    success (nothing is printed: the API returns an empty response)
  130  interrupted (Ctrl-C)
  252  bad command line or parameter; nothing was sent
  253  configuration problem: no region, no credentials
  254  the service returned an error
  255  anything else (connection failure, timeout)

Example:
  start-delivery-stream-encryption --delivery-stream-name my-stream \\
      --delivery-stream-encryption-configuration-input \\
      KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

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
        let lock = include_str!("../Cargo.lock");
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
