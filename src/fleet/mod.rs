//! Fleet mode of `start-delivery-stream-encryption` (contract §9): every
//! selected delivery stream encrypted at rest in one run, idempotent (a
//! stream already as wanted gets no call), Kinesis sources included, within
//! a bound on calls in flight, with the SDK's adaptive retries.
//!
//! | part | module |
//! |---|---|
//! | which streams: all of the region, or a list | [`select`] |
//! | what to do with one stream (pure) | [`plan`] |
//! | the calls, bounded, and the wait | [`run`] |
//! | the document, the exit status, the summary table | [`report`] |
//! | the progress display on a terminal | [`display`] |
//!
//! The binary enters here; a command line without a fleet flag goes on to
//! the engine's single call ([`app::run_parsed`]), unchanged.

pub mod display;
pub mod plan;
pub mod report;
pub mod run;
pub mod select;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use serde_json::Value;

use crate::app;
use crate::config::{self, Profile, RetryDefaults};
use crate::error::CliError;
use crate::firehose::cli::Cli;
use crate::firehose::client::FirehoseClient;
use crate::firehose::{self, Firehose, model};
use crate::kinesis::client::KinesisClient;
use crate::operation::Operation;
use crate::progress;
use crate::query::Query;
use crate::wait::WaitOptions;
use crate::{input, sdk, terminal_text};
use display::Display;
use report::Entry;
use run::{Board, Clients, Settings};

/// `--max-concurrency` when not given.
const DEFAULT_CONCURRENCY: u16 = 4;

/// The `start-delivery-stream-encryption` binary: fleet mode when a fleet
/// flag is given, the single call otherwise.
pub fn main<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return app::clap_exit(&e),
    };
    if cli.input.generate_cli_skeleton.is_some() {
        return app::run_parsed::<Firehose>(&cli);
    }
    let result = match (cli.fleet.selected(), cli.fleet.max_concurrency) {
        (true, _) => fleet(&cli),
        (false, None) => return app::run_parsed::<Firehose>(&cli),
        (false, Some(_)) => Err(CliError::ParamValidation(
            "--max-concurrency applies to fleet mode only: add --all-delivery-streams, \
             --delivery-stream-names-from, --dry-run or --encrypt-kinesis-sources"
                .to_owned(),
        )),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            app::report(&e, &cli.global);
            e.exit_code()
        }
    }
}

/// Which streams, chosen before anything is sent.
enum Selection {
    All,
    Names(Vec<String>),
}

/// What the command line asks for, checked before configuration, credentials
/// or network are touched.
struct Prepared {
    selection: Selection,
    settings: Settings,
    query: Option<Query>,
}

fn prepare(cli: &Cli) -> Result<Prepared, CliError> {
    let fleet = &cli.fleet;
    let flags = Firehose::flag_values(cli);
    let selector = if fleet.all_delivery_streams {
        Some("--all-delivery-streams")
    } else if fleet.delivery_stream_names_from.is_some() {
        Some("--delivery-stream-names-from")
    } else {
        None
    };
    if selector.is_none() {
        input::require_flags(model::INPUT, &flags, &cli.input)?;
    }
    let mut doc = input::document(model::INPUT, &flags, &cli.input)?;
    let single = doc
        .get("DeliveryStreamName")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let (Some(selector), Some(_)) = (selector, &single) {
        return Err(CliError::ParamValidation(format!(
            "{selector} cannot be used with DeliveryStreamName (from --cli-input-json or \
             --cli-input-yaml): choose the streams one way"
        )));
    }
    // The wanted key is checked against the model as in the single call.
    doc.entry("DeliveryStreamName")
        .or_insert_with(|| Value::from("fleet"));
    let wanted = firehose::typed(&doc)?.encryption;
    let query = app::check_global_args(&cli.global)?;
    let selection = match (&fleet.delivery_stream_names_from, single) {
        _ if fleet.all_delivery_streams => Selection::All,
        (Some(path), _) => Selection::Names(select::names_from(path)?),
        (None, Some(name)) => Selection::Names(vec![name]),
        (None, None) => Selection::Names(Vec::new()),
    };
    let settings = Settings {
        wanted,
        encrypt_sources: fleet.encrypt_kinesis_sources,
        dry_run: fleet.dry_run,
        concurrency: usize::from(fleet.max_concurrency.unwrap_or(DEFAULT_CONCURRENCY)),
        wait: cli.wait.wait.then_some(WaitOptions {
            timeout: cli.wait.wait_timeout,
            interval: cli.wait.wait_interval,
        }),
    };
    Ok(Prepared {
        selection,
        settings,
        query,
    })
}

/// The whole fleet run; its exit code, or the failure that kept it from
/// starting.
fn fleet(cli: &Cli) -> Result<ExitCode, CliError> {
    let Prepared {
        selection,
        settings,
        query,
    } = prepare(cli)?;
    let global = &cli.global;
    if global.debug {
        app::init_debug_log();
    }
    let runtime = app::runtime()?;
    let (entries, interrupted, format) = runtime.block_on(async {
        let profile = Profile::load(global).await?;
        let format = config::output_format(global, &profile)?;
        app::warn_if_unverified(global);
        let sdk = sdk::load(global, &profile, RetryDefaults::Fleet).await?;
        let clients = Clients {
            firehose: FirehoseClient::new(&sdk),
            kinesis: KinesisClient::new(&sdk),
        };
        let names = match selection {
            Selection::Names(names) => names,
            Selection::All => tokio::select! {
                names = select::all(&clients.firehose) => names?,
                _ = tokio::signal::ctrl_c() => return Err(CliError::Interrupted(None)),
            },
        };
        let board: Board = Board::new(names.iter().map(|n| Entry::untouched(n)).collect());
        let display = Display::new(names.len());
        let interrupted = tokio::select! {
            () = run::run(&board, &clients, &settings, &display) => false,
            _ = tokio::signal::ctrl_c() => true,
        };
        display.clear();
        Ok::<_, CliError>((board.into_inner(), interrupted, format))
    })?;
    let document = report::document(&entries);
    app::print_result(&document, query.as_ref(), format, model::OPERATION, global)?;
    if progress::for_people() && !entries.is_empty() {
        eprint!(
            "{}",
            terminal_text::for_stderr(&report::summary_table(&entries))
        );
    }
    if interrupted {
        let done = entries
            .iter()
            .filter(|e| e.action != report::Action::Interrupted)
            .count();
        eprintln!(
            "\nInterrupted: {done} of {} streams were dealt with (the document lists each one). \
             Calls the service accepted go on; run the same command again to finish: streams \
             already as wanted get no call.",
            entries.len()
        );
        return Ok(ExitCode::from(130));
    }
    Ok(if report::succeeded(&entries, settings.dry_run) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
