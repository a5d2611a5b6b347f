//! Orchestration, argv to exit code: parse → resolve input → validate →
//! client → call. This is the only module that prints an error and the only
//! one that decides when to start the async runtime, so the help, version
//! and validation paths never build one.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::cli::Cli;
use crate::error::CliError;
use crate::{aws, input, validate};

/// Run the command with `args` (program name first) and return its exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match execute(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Help and version print to stdout and succeed; every other clap error is a
/// usage error, exit 252 (never clap's own 2).
fn clap_exit(e: &clap::Error) -> ExitCode {
    // A failed write of help or of an error message has nowhere to be reported.
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        _ => CliError::Usage(String::new()).exit_code(),
    }
}

fn execute(cli: &Cli) -> Result<(), CliError> {
    let doc = input::document(cli)?;
    let request = validate::request(&doc)?;
    if let Some(url) = &cli.global.endpoint_url {
        validate::endpoint_url(url)?;
    }
    if cli.global.debug {
        init_debug_log();
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failure(format!("could not start the async runtime: {e}")))?;
    runtime.block_on(async {
        tokio::select! {
            result = async {
                let firehose = aws::firehose(&cli.global).await?;
                firehose.start_encryption(&request).await
            } => result,
            _ = tokio::signal::ctrl_c() => Err(CliError::Interrupted),
        }
    })
}

/// `--debug`: the SDK's own tracing on stderr. `RUST_LOG` narrows or widens it.
fn init_debug_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("debug"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Print a failure once, on stderr, in the AWS CLI v2 layout.
fn report(e: &CliError) {
    let mut err = std::io::stderr().lock();
    // Nothing useful can be done if stderr itself is gone.
    let _ = match e {
        CliError::Interrupted => writeln!(err),
        other => write!(err, "\naws: [ERROR]: {other}\n"),
    };
}
