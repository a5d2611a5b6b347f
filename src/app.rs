//! Orchestration, argv to exit code: parse → resolve input → validate →
//! configure → call → (wait) → render. This is the only module that writes
//! to stdout or prints an error (bounded and escaped through
//! [`terminal_text`]), and the only one that decides when to start
//! the async runtime, so the help, version, skeleton and validation paths
//! never build one, read a config file or touch the network.

use std::cell::Cell;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use serde_json::{Value, json};

use crate::config::{self, Profile, RetryDefaults};
use crate::error::CliError;
use crate::global::{ColorWhen, ErrorFormat, GlobalArgs, SkeletonKind};
use crate::operation::{Operation, Request};
use crate::output::{self, OutputFormat};
use crate::progress::Progress;
use crate::query::Query;
use crate::wait::{self, Settled, Wait, WaitOptions, Watch};
use crate::{input, sdk, skeleton, terminal_text, validate};

/// Run operation `O` with `args` (program name first) and return its exit code.
pub fn run<O, I, T>(args: I) -> ExitCode
where
    O: Operation,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match O::Cli::try_parse_from(args) {
        Ok(cli) => run_parsed::<O>(&cli),
        Err(e) => clap_exit(&e),
    }
}

/// Run operation `O` with a parsed command line and return its exit code.
pub fn run_parsed<O: Operation>(cli: &O::Cli) -> ExitCode {
    let result = match O::input_args(cli).generate_cli_skeleton {
        Some(kind) => print_skeleton::<O>(cli, kind),
        None => execute::<O>(cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, O::global_args(cli));
            e.exit_code()
        }
    }
}

/// Help and version print to stdout and succeed; every other clap error is a
/// usage error, exit 252 (never clap's own 2).
pub fn clap_exit(e: &clap::Error) -> ExitCode {
    // A failed write of help or of an error message has nowhere to be reported.
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        _ => CliError::Usage(String::new()).exit_code(),
    }
}

/// What can be checked without configuration or network, checked.
struct Prepared {
    request: Request,
    query: Option<Query>,
}

/// The request document from the command line, parsed but not validated.
fn document<O: Operation>(cli: &O::Cli) -> Result<Request, CliError> {
    input::document(O::INPUT, &O::flag_values(cli), O::input_args(cli))
}

fn prepare<O: Operation>(cli: &O::Cli) -> Result<Prepared, CliError> {
    input::require_flags(O::INPUT, &O::flag_values(cli), O::input_args(cli))?;
    let request = document::<O>(cli)?;
    validate::check(O::INPUT, &request, O::extra_problems)?;
    let query = check_global_args(O::global_args(cli))?;
    Ok(Prepared { request, query })
}

/// The global options that can be checked before anything is sent:
/// `--endpoint-url`'s form, and `--query`, compiled.
pub fn check_global_args(global: &GlobalArgs) -> Result<Option<Query>, CliError> {
    if let Some(url) = &global.endpoint_url {
        validate::endpoint_url(url)?;
    }
    global
        .query
        .as_deref()
        .map(Query::compile)
        .transpose()
        .map_err(CliError::ParamValidation)
}

/// `--generate-cli-skeleton`: templates parse the other arguments but do not
/// validate them; `output` validates fully. Nothing is ever sent.
fn print_skeleton<O: Operation>(cli: &O::Cli, kind: SkeletonKind) -> Result<(), CliError> {
    let text = match kind {
        SkeletonKind::Input | SkeletonKind::YamlInput => {
            document::<O>(cli)?;
            if kind == SkeletonKind::Input {
                skeleton::input_json(O::INPUT)
            } else {
                skeleton::input_yaml(O::INPUT)
            }
        }
        SkeletonKind::Output => {
            prepare::<O>(cli)?;
            String::new()
        }
    };
    print_stdout(&text)
}

fn execute<O: Operation>(cli: &O::Cli) -> Result<(), CliError> {
    let Prepared { request, query } = prepare::<O>(cli)?;
    let global = O::global_args(cli);
    if global.debug {
        init_debug_log();
    }
    let runtime = runtime()?;
    let watch = Watch::default();
    let accepted = Cell::new(false);
    let (outcome, format) = runtime.block_on(async {
        tokio::select! {
            outcome = call::<O>(cli, &request, &accepted, &watch) => outcome,
            _ = tokio::signal::ctrl_c() => Err(interrupted::<O>(&request, &accepted, &watch)),
        }
    })?;
    // Like the AWS CLI, the response goes through --query and --output even
    // when it is the API's empty `{}` (which prints nothing; a query of it
    // prints `null`).
    print_result(&outcome.state, query.as_ref(), format, O::NAME, global)?;
    outcome.failure.map_or(Ok(()), Err)
}

/// `value` through `--query` and `--output`, on stdout; `operation` titles
/// a table.
pub fn print_result(
    value: &Value,
    query: Option<&Query>,
    format: OutputFormat,
    operation: &str,
    global: &GlobalArgs,
) -> Result<(), CliError> {
    let queried;
    let shown = match query {
        Some(q) => {
            queried = q
                .apply(value)
                .map_err(|e| CliError::failure("QueryError", e))?;
            &queried
        }
        None => value,
    };
    print_stdout(&output::render(
        shown,
        format,
        operation,
        use_color(global.color),
    ))
}

/// The one warning `--no-verify-ssl` prints.
pub fn warn_if_unverified(global: &GlobalArgs) {
    if global.no_verify_ssl {
        eprintln!(
            "warning: --no-verify-ssl: SSL certificates are not verified; the connection can be intercepted."
        );
    }
}

/// The async runtime: one thread (contract: start-up time).
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::failure(
                "RuntimeError",
                format!("could not start the async runtime: {e}"),
            )
        })
}

/// Ctrl-C: once the service has accepted the request, say so, with the
/// last status seen and the command that checks it (contract §10).
fn interrupted<O: Operation>(request: &Request, accepted: &Cell<bool>, watch: &Watch) -> CliError {
    CliError::Interrupted(
        accepted
            .get()
            .then(|| wait::interrupted_message(O::NAME, &O::wait_subject(request), watch)),
    )
}

/// The network part: configure and call; return the response (`{}`), or
/// with `--wait` the final state, and the output format to print it in.
/// `accepted` is set once the service has accepted the request.
async fn call<O: Operation>(
    cli: &O::Cli,
    request: &Request,
    accepted: &Cell<bool>,
    watch: &Watch,
) -> Result<(Settled, OutputFormat), CliError> {
    let global = O::global_args(cli);
    let wait_args = O::wait_args(cli);
    let profile = Profile::load(global).await?;
    let format = config::output_format(global, &profile)?;
    warn_if_unverified(global);
    let client = O::client(&sdk::load(global, &profile, RetryDefaults::Cli).await?);
    // The state before the call, so that a poll still showing it (the old
    // key, an earlier failure) does not end the wait. Best effort.
    let before = if wait_args.wait {
        O::describe(&client, request).await.ok()
    } else {
        None
    };
    O::start(&client, request).await?;
    if !wait_args.wait {
        let done = Settled {
            state: json!({}),
            failure: None,
        };
        return Ok((done, format));
    }
    accepted.set(true);
    let subject = O::wait_subject(request);
    let progress = Progress::new(&format!("Waiting for the encryption of {}:", subject.name));
    let wait = Wait {
        waiter: O::WAITER,
        subject: &subject,
        requested: &O::requested(request),
        before: before.as_ref(),
        options: WaitOptions {
            timeout: wait_args.wait_timeout,
            interval: wait_args.wait_interval,
        },
    };
    let settled =
        wait::until_settled(&wait, || O::describe(&client, request), &progress, watch).await?;
    Ok((settled, format))
}

/// `--color`: `auto` means stdout is a terminal and `NO_COLOR` is unset.
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::On => true,
        ColorWhen::Off => false,
        ColorWhen::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Write data to stdout: this and [`print_json_streamed`] are the only places
/// that do. A closed pipe (`| head`)
/// is not an error.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::failure(
            "StdoutError",
            format!("could not write to stdout: {e}"),
        )),
        _ => Ok(()),
    }
}

/// Write `value` to stdout as `--output json` prints it, as it is
/// serialised (buffered, never held whole): for a document whose
/// [`serde::Serialize`] builds its parts one at a time. The same bytes as
/// [`print_result`] with no query, for any value that is not `{}`. A closed
/// pipe is not an error.
pub fn print_json_streamed(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match output::write_json_to(value, &mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::failure(
            "StdoutError",
            format!("could not write to stdout: {e}"),
        )),
        _ => Ok(()),
    }
}

/// `--debug`: the SDK's own tracing on stderr. `RUST_LOG` narrows or widens it.
pub fn init_debug_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("debug"));
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}

/// Print a failure once, on stderr, in the configured error format: the
/// one place errors are printed, bounded and with control characters
/// escaped (contract §14).
pub fn report(e: &CliError, global: &GlobalArgs) {
    let text = match e {
        CliError::Interrupted(None) => "\n".to_owned(),
        CliError::Interrupted(Some(_)) | CliError::Usage(_) => {
            let line = match e.for_report(true) {
                CliError::Interrupted(Some(line)) => format!("\n{line}\n"),
                other => other.message().to_owned(),
            };
            terminal_text::escape(&line).into_owned()
        }
        other => {
            let format = config::error_format(global, || Profile::load_quietly(global));
            render_error(other, format)
        }
    };
    // Nothing useful can be done if stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// An error in one of the AWS CLI v2 error formats, safe for a terminal:
/// what the service said is cut at a bound, and no control character is
/// left raw. In `json` and `yaml` the message stays data (each format
/// escapes it in its own way); elsewhere the service's text is escaped
/// onto its line.
pub fn render_error(e: &CliError, format: ErrorFormat) -> String {
    let data = matches!(format, ErrorFormat::Json | ErrorFormat::Yaml);
    let e = &e.for_report(!data);
    let text = render_bounded_error(e, format);
    if data {
        terminal_text::escape_data(&text).into_owned()
    } else {
        terminal_text::escape(&text).into_owned()
    }
}

fn render_bounded_error(e: &CliError, format: ErrorFormat) -> String {
    let hint = e.hint();
    let structured = |f: OutputFormat| {
        // AWS CLI v2: a service error is Message, Code, then the members of
        // the error response; a client-side error is Code, Message. Hint is
        // this tool's addition, last.
        let mut doc = serde_json::Map::new();
        if matches!(e, CliError::Service { .. }) {
            doc.insert("Message".into(), Value::from(e.message()));
            doc.insert("Code".into(), Value::from(e.code()));
            for (k, v) in e.response_members() {
                doc.entry(k.clone()).or_insert_with(|| v.clone());
            }
        } else {
            doc.insert("Code".into(), Value::from(e.code()));
            doc.insert("Message".into(), Value::from(e.message()));
        }
        if let Some(h) = hint {
            doc.insert("Hint".into(), Value::from(h));
        }
        output::render(&Value::Object(doc), f, "error", false)
    };
    let hint_line = hint.map(|h| format!("\nHint: {h}\n")).unwrap_or_default();
    match format {
        ErrorFormat::Enhanced => format!("\naws: [ERROR]: {e}\n{hint_line}"),
        ErrorFormat::Legacy => format!("\naws: [ERROR]: {}\n{hint_line}", e.legacy_message()),
        ErrorFormat::Json => structured(OutputFormat::Json),
        ErrorFormat::Yaml => structured(OutputFormat::Yaml),
        ErrorFormat::Text => structured(OutputFormat::Text),
        ErrorFormat::Table => structured(OutputFormat::Table),
    }
}
