//! Fleet mode (contract §9, §11): every selected stream encrypted at rest in
//! one run, idempotent (a stream already as wanted gets no call), sources
//! included, paced at the service's documented rates, within a bound on
//! calls in flight. One engine for every service: a service declares its
//! part ([`Service`]) and the engine names none.
//!
//! | part | module |
//! |---|---|
//! | the flags every fleet command shares | [`args`] |
//! | what a service declares: list, describe, rules, start, wait | [`service`] |
//! | which streams: all of a target, or a list | [`select`] |
//! | the documented rates, a limiter per target and operation | [`pace`] |
//! | the gate every call passes: pace, bound, counts | [`gate`] |
//! | describe, plan, start, each source once | [`mod@run`] |
//! | `--wait` on every change | [`follow`] |
//! | the entries, the document, the exit status | [`report`] |
//! | the table and counts line for people | [`summary`] |
//! | the progress display on a terminal | [`display`] |
//!
//! Each command parses its own line and hands a [`Run`] to [`run()`]; a
//! command line without a fleet flag goes to the single call instead.

pub mod args;
pub mod display;
pub mod follow;
pub mod gate;
pub mod pace;
pub mod report;
pub mod run;
pub mod select;
pub mod service;
pub mod summary;

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::app;
use crate::config::{self, Profile, RetryDefaults};
use crate::error::CliError;
use crate::global::GlobalArgs;
use crate::query::Query;
use crate::sdk::{self, Sdk};
use crate::terminal_text;
use args::FleetOptions;
use display::Display;
use gate::{Caller, Gate};
use pace::Pacer;
use report::{Action, Entry};
pub use service::Service;

/// Which streams, chosen before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every stream of the target (listed).
    All,
    /// These names.
    Names(Vec<String>),
}

/// A fleet run as the command line asks for it, checked before
/// configuration, credentials or network are touched.
#[derive(Debug)]
pub struct Run<'a> {
    /// The global options.
    pub global: &'a GlobalArgs,
    /// The shared fleet flags.
    pub fleet: &'a FleetOptions,
    /// Which streams.
    pub selection: Selection,
    /// `--wait` and its durations.
    pub wait: Option<crate::wait::WaitOptions>,
    /// `--query`, compiled.
    pub query: Option<Query>,
}

/// Everything a finished (or interrupted) run leaves.
struct Outcome {
    entries: Vec<Entry>,
    interrupted: bool,
    format: crate::output::OutputFormat,
    for_people: bool,
    totals: Vec<(&'static str, crate::calls::Calls)>,
}

/// The whole fleet run of service `S`, whose part `make` builds from the
/// SDK configuration; its exit code, or the failure that kept it from
/// starting.
pub fn run<S: Service>(
    request: Run<'_>,
    make: impl FnOnce(&Sdk) -> S,
) -> Result<ExitCode, CliError> {
    let global = request.global;
    if global.debug {
        app::init_debug_log();
    }
    let settings = run::Settings {
        dry_run: request.fleet.dry_run,
        concurrency: request.fleet.concurrency(),
        wait: request.wait,
    };
    let runtime = app::runtime()?;
    let outcome = runtime.block_on(async {
        let profile = Profile::load(global).await?;
        let format = config::output_format(global, &profile)?;
        let for_people = for_people(global, &profile);
        app::warn_if_unverified(global);
        let sdk = sdk::load(global, &profile, RetryDefaults::Fleet).await?;
        let target = sdk
            .config
            .region()
            .map(ToString::to_string)
            .unwrap_or_default();
        let service = make(&sdk);
        let gate = Gate::new(
            Pacer::new(S::RATES, request.fleet.max_rate()),
            settings.concurrency,
        );
        let lister = Caller::for_target(&gate, &target);
        let names = match &request.selection {
            Selection::Names(names) => names.clone(),
            Selection::All => tokio::select! {
                names = select::all(&service, &lister) => names?,
                _ = tokio::signal::ctrl_c() => return Err(CliError::Interrupted(None)),
            },
        };
        let board = run::Board::new(names.iter().map(|n| Entry::untouched(n)).collect());
        let display = Display::new(names.len());
        let one = run::Target {
            service: &service,
            key: &target,
            board: &board,
            gate: &gate,
            display: &display,
        };
        let sources = run::Sources::default();
        let work = async {
            run::run(&one, &settings, &sources).await;
            if let (Some(options), false) = (settings.wait, settings.dry_run) {
                follow::changes(&one, &settings, &sources, options).await;
            }
        };
        let interrupted = tokio::select! {
            () = work => false,
            _ = tokio::signal::ctrl_c() => true,
        };
        display.clear();
        Ok::<_, CliError>(Outcome {
            entries: board.into_inner(),
            interrupted,
            format,
            for_people,
            totals: gate.totals().into_iter().collect(),
        })
    })?;
    finish::<S>(&request, &outcome, settings.dry_run)
}

/// Print what the run found, for people or for programs, and decide the
/// exit code.
fn finish<S: Service>(
    request: &Run<'_>,
    outcome: &Outcome,
    dry_run: bool,
) -> Result<ExitCode, CliError> {
    let global = request.global;
    let entries = &outcome.entries;
    for (operation, calls) in &outcome.totals {
        tracing::debug!(
            target: "fleet",
            "{operation}: {} calls, {} throttled",
            calls.made,
            calls.throttled
        );
    }
    if outcome.for_people {
        // A terminal reads it: names from a listing are shown escaped.
        let text = summary::summary(entries, S::LABELS);
        app::print_stdout(&terminal_text::for_stderr(&text))?;
    } else {
        let document = report::document(entries, S::LABELS);
        app::print_result(
            &document,
            request.query.as_ref(),
            outcome.format,
            S::LABELS.title,
            global,
        )?;
        if crate::progress::for_people() && !entries.is_empty() {
            eprint!(
                "{}",
                terminal_text::for_stderr(&summary::summary(entries, S::LABELS))
            );
        }
    }
    if outcome.interrupted {
        let done = entries
            .iter()
            .filter(|e| e.action != Action::Interrupted)
            .count();
        let listed = if outcome.for_people {
            "the summary above lists each one"
        } else {
            "the document lists each one"
        };
        eprintln!(
            "\nInterrupted: {done} of {} streams were dealt with ({listed}). Calls the service \
             accepted go on; run the same command again to finish: streams already as wanted \
             get no call.",
            entries.len()
        );
        return Ok(ExitCode::from(130));
    }
    Ok(if report::succeeded(entries, dry_run) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Contract §9: a person reads the summary instead of the document when
/// stdout is a terminal that draws and no output format or query was
/// chosen (flag, environment or profile).
fn for_people(global: &GlobalArgs, profile: &Profile) -> bool {
    std::io::stdout().is_terminal()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
        && global.query.is_none()
        && !config::output_chosen(global, profile)
}
