//! Orchestration, argv to exit code: parse → resolve input → validate →
//! client → call. This is the only module that prints an error and the only
//! one that decides when to start the async runtime, so the help, version
//! and validation paths never build one.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::cli::{Cli, SkeletonKind};
use crate::error::CliError;
use crate::{aws, input, skeleton, validate};

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
    let result = match cli.generate_cli_skeleton {
        Some(kind) => print_skeleton(&cli, kind),
        None => execute(&cli),
    };
    match result {
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

/// Validate everything that can be checked without configuration or network.
fn prepare(cli: &Cli) -> Result<validate::StartRequest, CliError> {
    input::require_flags(cli)?;
    let request = validate::request(&input::document(cli)?)?;
    if let Some(url) = &cli.global.endpoint_url {
        validate::endpoint_url(url)?;
    }
    Ok(request)
}

/// `--generate-cli-skeleton`: templates parse the other arguments but do not
/// validate them; `output` validates fully. Nothing is ever sent.
fn print_skeleton(cli: &Cli, kind: SkeletonKind) -> Result<(), CliError> {
    let text = match kind {
        SkeletonKind::Input | SkeletonKind::YamlInput => {
            input::document(cli)?;
            if kind == SkeletonKind::Input {
                skeleton::input_json()
            } else {
                skeleton::input_yaml()
            }
        }
        SkeletonKind::Output => {
            prepare(cli)?;
            String::new()
        }
    };
    print_stdout(&text)
}

/// Write data to stdout, the only place that does. A closed pipe (`| head`)
/// is not an error.
fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::failure(
            "StdoutError",
            format!("could not write to stdout: {e}"),
        )),
        _ => Ok(()),
    }
}

fn execute(cli: &Cli) -> Result<(), CliError> {
    let request = prepare(cli)?;
    if cli.global.debug {
        init_debug_log();
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::failure(
                "RuntimeError",
                format!("could not start the async runtime: {e}"),
            )
        })?;
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
