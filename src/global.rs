//! The options every mirrored command shares, as clap derive structs: the
//! AWS CLI's global options, `--cli-input-json/yaml` and
//! `--generate-cli-skeleton`, and `--wait` with its durations. Doc comments
//! are the `--help` text; an operation's own command line flattens these
//! (and may reword the help of `--wait` with `mut_arg`).

use std::str::FromStr;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Args, ValueEnum};

use crate::bounds::MAX_SECONDS;
use crate::wait::parse_duration;

/// `--cli-input-json`, `--cli-input-yaml` and `--generate-cli-skeleton`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Reads arguments from a JSON document (inline or `file://PATH`).
    ///
    /// The document's top-level keys are the API's member names.
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
}

/// `--wait`, `--wait-timeout`, `--wait-interval`.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// After the call, wait until the change is done, then print the final state.
    #[arg(long, help_heading = "Waiting")]
    pub wait: bool,

    /// Give up waiting after this long (500ms, 5s, 2m, or seconds such as 0.5;
    /// at most 7 days).
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

    /// Maximum socket read time in seconds, up to 604800 (7 days); 0 waits forever. Default 60.
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub cli_read_timeout: Option<u64>,

    /// Maximum socket connect time in seconds, up to 604800 (7 days); 0 waits forever. Default 60.
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
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

/// `--cli-read-timeout` / `--cli-connect-timeout`: whole seconds, 0 (no
/// timeout) to [`MAX_SECONDS`]; clap names the flag and the value.
fn parse_timeout(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| n <= MAX_SECONDS)
        .ok_or_else(|| {
            format!(
                "must be a whole number of seconds from 0 (no timeout) to {MAX_SECONDS} (7 days)"
            )
        })
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

/// How errors are printed on stderr (`--cli-error-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    /// `aws: [ERROR]: <message>` with the bare message.
    Legacy,
    /// `aws: [ERROR]: An error occurred (<Code>): <message>` (the default).
    Enhanced,
    /// `{"Code": …, "Message": …}` as JSON.
    Json,
    /// The same fields as YAML.
    Yaml,
    /// The same fields as text.
    Text,
    /// The same fields as a table.
    Table,
}

impl FromStr for ErrorFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        <Self as clap::ValueEnum>::from_str(s, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_whole_seconds_up_to_the_bound() {
        assert_eq!(parse_timeout("0"), Ok(0));
        assert_eq!(parse_timeout("604800"), Ok(MAX_SECONDS));
        for bad in [
            "604801",
            "4000000000000000000",
            "99999999999999999999999",
            "1.5",
            "-1",
            "abc",
        ] {
            let err = parse_timeout(bad).unwrap_err();
            assert!(
                err.contains("from 0 (no timeout) to 604800 (7 days)"),
                "{bad}: {err}"
            );
        }
    }
}
