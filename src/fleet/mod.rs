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
//! | targets: an account in a region, and how its run ended | [`targets`] |
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
pub mod plan;
pub mod report;
pub mod run;
pub mod select;
pub mod service;
pub mod summary;
pub mod targets;

use std::cell::RefCell;
use std::io::IsTerminal;
use std::process::ExitCode;

use aws_runtime::env_config::file::EnvConfigFiles;

use crate::accounts::{self, credentials, regions, regions::Regions};
use crate::app;
use crate::config::{self, Profile, RetryDefaults};
use crate::error::CliError;
use crate::global::GlobalArgs;
use crate::query::Query;
use crate::sdk::{self, Sdk};
use crate::terminal_text;
use args::FleetOptions;
use display::Display;
use futures_util::future::join_all;
use gate::{Caller, Gate};
use pace::Pacer;
use report::{Action, Entry};
pub use service::Service;
use targets::{Outcome, Status, Target};

/// Which streams, chosen before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// Every stream of the target (listed).
    All,
    /// These names.
    Names(Vec<String>),
    /// The streams a plan says to start (`--apply-plan`).
    Plan(plan::Plan),
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

impl Run<'_> {
    /// Whether accounts were chosen (`--profiles`, `--accounts-file`,
    /// `--organization`) or more than the default region.
    fn accounts_chosen(&self) -> bool {
        self.fleet.regions.is_some()
            || self.fleet.account_source().is_some()
            || matches!(self.selection, Selection::Plan(_))
    }
}

/// Everything a finished (or interrupted) run leaves.
struct Finished {
    entries: Vec<Entry>,
    targets: Vec<Outcome>,
    interrupted: bool,
    format: crate::output::OutputFormat,
    for_people: bool,
    totals: Vec<(&'static str, crate::calls::Calls)>,
    /// The run's own failure: its only target failed and no accounts were
    /// asked for, so it ends as one call would (the reports still say so).
    failure: Option<CliError>,
}

/// What one target's run leaves, filled in as it goes (so that Ctrl-C
/// finds it).
struct Slot {
    board: run::Board,
    outcome: RefCell<Outcome>,
}

/// The whole fleet run of service `S`, whose part for one target `make`
/// builds from the target's SDK configuration; its exit code, or the
/// failure that kept it from starting.
pub fn run<S: Service>(request: Run<'_>, make: impl Fn(&Sdk) -> S) -> Result<ExitCode, CliError> {
    let global = request.global;
    crate::reports::check(&request.fleet.reports)?;
    if global.debug {
        app::init_debug_log();
    }
    let settings = run::Settings {
        dry_run: request.fleet.dry_run,
        concurrency: request.fleet.concurrency(),
        wait: request.wait,
    };
    let runtime = app::runtime()?;
    let finished = runtime.block_on(async {
        let profile = Profile::load(global).await?;
        let format = config::output_format(global, &profile)?;
        let for_people = for_people(global, &profile);
        app::warn_if_unverified(global);
        let caller = sdk::load(global, &profile, RetryDefaults::Fleet).await?;
        let found = tokio::select! {
            targets = targets_of(&request, &caller) => targets,
            _ = tokio::signal::ctrl_c() => Err(CliError::Interrupted(None)),
        };
        let (mut targets, decided) = match found {
            Ok(found) => found,
            Err(e) => {
                report_unstarted::<S>(&request, &caller, &e);
                return Err(e);
            }
        };
        targets.sort_by(|a, b| (&a.account_id, &a.region).cmp(&(&b.account_id, &b.region)));
        let gate = Gate::new(
            Pacer::new(S::RATES, request.fleet.max_rate()),
            settings.concurrency,
        );
        let display = Display::new(0, targets.len() > 1);
        let slots: Vec<Slot> = targets
            .iter()
            .map(|t| Slot {
                board: run::Board::default(),
                outcome: RefCell::new(Outcome::of(t, Status::Interrupted)),
            })
            .collect();
        let work = join_all(targets.iter().zip(&slots).map(|(target, slot)| {
            let service = make(&target.sdk);
            let (gate, display, selection) = (&gate, &display, &request.selection);
            async move {
                one_target(target, slot, &service, selection, gate, display, &settings).await;
            }
        }));
        let interrupted = tokio::select! {
            _ = work => false,
            _ = tokio::signal::ctrl_c() => true,
        };
        display.clear();
        let single = targets.len() == 1 && !request.accounts_chosen();
        let mut entries = Vec::new();
        let mut outcomes = decided;
        let mut failure = None;
        for slot in slots {
            let outcome = slot.outcome.into_inner();
            if single && outcome.status == Status::Failed {
                // One target and no accounts asked for: its failure is the
                // run's, as for one call.
                failure.clone_from(&outcome.error);
            }
            entries.extend(slot.board.into_inner());
            outcomes.push(outcome);
        }
        outcomes.sort_by(|a, b| (&a.account_id, &a.region).cmp(&(&b.account_id, &b.region)));
        Ok::<_, CliError>(Finished {
            entries,
            targets: outcomes,
            interrupted,
            format,
            for_people,
            totals: gate.totals().into_iter().collect(),
            failure,
        })
    })?;
    finish::<S>(&request, finished, settings.dry_run)
}

/// The targets of a run, and the outcomes of those decided before any
/// stream is touched (an account that cannot be reached, a region it has
/// not enabled): a plan's targets, the accounts of `--profiles`,
/// `--accounts-file` or `--organization`, or the caller's own account, each
/// in every region asked for.
async fn targets_of(
    request: &Run<'_>,
    caller: &Sdk,
) -> Result<(Vec<Target>, Vec<Outcome>), CliError> {
    let files = EnvConfigFiles::default();
    if let Selection::Plan(plan) = &request.selection {
        let mut targets = Vec::new();
        for t in &plan.targets {
            let sdk =
                match accounts::Reach::from_label(&t.reached_by, request.fleet.external_id.clone())
                {
                    Some(accounts::Reach::Caller) => caller.clone(),
                    Some(reach) => credentials::sdk_for(&reach, caller, &files).await?,
                    None => {
                        return Err(CliError::ParamValidation(format!(
                            "--apply-plan: the plan reached {} / {} by {:?}, which is not a way \
                         this tool knows",
                            t.account_id.as_deref().unwrap_or("-"),
                            t.region,
                            t.reached_by
                        )));
                    }
                };
            targets.push(Target {
                account_id: t.account_id.clone(),
                account_name: t.account_name.clone(),
                reached_by: t.reached_by.clone(),
                region: t.region.clone(),
                sdk: sdk.in_region(&t.region),
            });
        }
        return Ok((targets, Vec::new()));
    }
    let default = caller
        .config
        .region()
        .map(ToString::to_string)
        .unwrap_or_default();
    let wanted = match request.fleet.regions() {
        None => Regions::Default,
        Some(list) if list.iter().any(|r| r == "all") => Regions::All,
        Some(list) => Regions::List(list),
    };
    let fleet = request.fleet;
    let Some(source) = fleet.account_source() else {
        if fleet.accounts.is_some() || fleet.exclude_accounts.is_some() {
            return Err(CliError::ParamValidation(
                "--accounts and --exclude-accounts choose among the accounts of --profiles, \
                 --accounts-file or --organization"
                    .to_owned(),
            ));
        }
        let me = accounts::Account {
            id: String::new(),
            name: None,
            reach: accounts::Reach::Caller,
            regions: None,
            tags: Default::default(),
            sdk: caller.clone(),
        };
        let chosen = regions::of(&me, &wanted, &default).await?;
        let targets = chosen
            .regions
            .iter()
            .map(|region| Target {
                account_id: None,
                account_name: None,
                reached_by: "caller".to_owned(),
                region: region.clone(),
                sdk: caller.in_region(region),
            })
            .collect();
        let skipped = chosen
            .skipped
            .iter()
            .map(|region| skipped_outcome(None, None, "caller".to_owned(), region))
            .collect();
        return Ok((targets, skipped));
    };
    let none = Vec::new();
    let filters = accounts::Filters::parse(
        fleet.accounts.as_ref().unwrap_or(&none),
        fleet.exclude_accounts.as_ref().unwrap_or(&none),
        fleet.account_tags.as_ref().unwrap_or(&none),
    )?;
    let mut targets = Vec::new();
    let mut decided = Vec::new();
    for reached in accounts::resolve(&source, &filters, caller, &files).await? {
        let account = match reached {
            Ok(account) => account,
            Err(unreached) => {
                let own = unreached.regions.as_ref();
                for region in regions::unreached(own, &wanted, &default) {
                    decided.push(Outcome {
                        account_id: unreached.id.clone(),
                        account_name: unreached.name.clone(),
                        reached_by: unreached.reach.label(),
                        region,
                        status: Status::Failed,
                        error: Some(unreached.error.clone()),
                    });
                }
                continue;
            }
        };
        let chosen = match regions::of(&account, &wanted, &default).await {
            Ok(chosen) => chosen,
            Err(e) => {
                decided.push(Outcome {
                    account_id: Some(account.id.clone()),
                    account_name: account.name.clone(),
                    reached_by: account.reach.label(),
                    region: default.clone(),
                    status: Status::Failed,
                    error: Some(e),
                });
                continue;
            }
        };
        for region in &chosen.skipped {
            decided.push(skipped_outcome(
                Some(account.id.clone()),
                account.name.clone(),
                account.reach.label(),
                region,
            ));
        }
        for region in &chosen.regions {
            targets.push(Target {
                account_id: Some(account.id.clone()),
                account_name: account.name.clone(),
                reached_by: account.reach.label(),
                region: region.clone(),
                sdk: account.sdk_in(region),
            });
        }
    }
    Ok((targets, decided))
}

/// The `--report` files of a run that ended before its targets were known
/// (finding them failed, or Ctrl-C): one target, the caller's own region,
/// `Failed` with the run's error or `Interrupted`, and no stream. A report
/// that cannot be written is said on stderr; the run's error stays the exit
/// status.
fn report_unstarted<S: Service>(request: &Run<'_>, caller: &Sdk, error: &CliError) {
    if request.fleet.reports.is_empty() {
        return;
    }
    let interrupted = matches!(error, CliError::Interrupted(_));
    let outcome = Outcome {
        account_id: None,
        account_name: None,
        reached_by: "caller".to_owned(),
        region: caller
            .config
            .region()
            .map_or_else(String::new, ToString::to_string),
        status: if interrupted {
            Status::Interrupted
        } else {
            Status::Failed
        },
        error: (!interrupted).then(|| error.clone()),
    };
    let document = report::document(&[], std::slice::from_ref(&outcome), S::LABELS);
    if let Err(e) = write_reports::<S>(request, &document) {
        eprintln!("{e}");
    }
}

/// Write the `--report` files of `document`, and say on stderr which
/// streams the ASFF and OCSF reports leave out.
fn write_reports<S: Service>(
    request: &Run<'_>,
    document: &serde_json::Value,
) -> Result<(), CliError> {
    let written = crate::reports::write_all(
        &request.fleet.reports,
        document,
        S::LABELS.report,
        std::time::SystemTime::now(),
    );
    if let Some(note) =
        crate::reports::omitted_note(&request.fleet.reports, document, S::LABELS.report)
    {
        eprintln!("{}", terminal_text::value(&note));
    }
    written
}

/// A region the account has not enabled: skipped, and said so.
fn skipped_outcome(
    account_id: Option<String>,
    account_name: Option<String>,
    reached_by: String,
    region: &str,
) -> Outcome {
    Outcome {
        account_id,
        account_name,
        reached_by,
        region: region.to_owned(),
        status: Status::Skipped,
        error: Some(CliError::failure(
            "RegionNotEnabled",
            format!("{region} is an opt-in region the account has not enabled"),
        )),
    }
}

/// List (or take the names of) one target, then describe, plan and act on
/// each of its streams, and follow the changes with `--wait`.
async fn one_target<S: Service>(
    target: &Target,
    slot: &Slot,
    service: &S,
    selection: &Selection,
    gate: &Gate,
    display: &Display,
    settings: &run::Settings,
) {
    let key = target.pace_key();
    let line = display.target_line(&target.label(), "listing");
    let mut planned: Vec<plan::Planned> = Vec::new();
    let names = match selection {
        Selection::Names(names) => names.clone(),
        Selection::Plan(plan) => {
            planned = plan
                .streams
                .iter()
                .filter(|p| p.region == target.region && p.account_id == target.account_id)
                .cloned()
                .collect();
            planned.sort_by(|a, b| a.name.cmp(&b.name));
            planned.dedup_by(|a, b| a.name == b.name);
            planned.iter().map(|p| p.name.clone()).collect()
        }
        Selection::All => match select::all(service, &Caller::for_target(gate, &key)).await {
            Ok(names) => names,
            Err(e) => {
                let mut outcome = slot.outcome.borrow_mut();
                outcome.status = Status::Failed;
                outcome.error = Some(e);
                return;
            }
        },
    };
    display.add(names.len());
    line.set_status(&format!("0/{}", names.len()));
    *slot.board.borrow_mut() = names
        .iter()
        .map(|n| Entry {
            account_id: target.account_id.clone(),
            region: Some(target.region.clone()),
            ..Entry::untouched(n)
        })
        .collect();
    let work = run::Work {
        service,
        key: &key,
        board: &slot.board,
        gate,
        display,
        line: &line,
        planned: &planned,
    };
    let sources = run::Sources::default();
    run::run(&work, settings, &sources).await;
    if let (Some(options), false) = (settings.wait, settings.dry_run) {
        follow::changes(&work, settings, &sources, options).await;
    }
    let mut board = slot.board.borrow_mut();
    let mut outcome = slot.outcome.borrow_mut();
    if outcome.account_id.is_none() {
        // The caller's own account: its ID is in its streams' ARNs.
        outcome.account_id = board
            .iter()
            .find_map(|e| e.arn.as_deref().and_then(targets::account_of_arn))
            .map(str::to_owned);
    }
    for entry in board.iter_mut() {
        entry.account_id.clone_from(&outcome.account_id);
    }
    outcome.status = Status::Done;
}

/// Print what the run found, for people or for programs, and decide the
/// exit code.
fn finish<S: Service>(
    request: &Run<'_>,
    outcome: Finished,
    dry_run: bool,
) -> Result<ExitCode, CliError> {
    let targets = &outcome.targets;
    for (operation, calls) in &outcome.totals {
        tracing::debug!(
            target: "fleet",
            "{operation}: {} calls, {} throttled",
            calls.made,
            calls.throttled
        );
    }
    // Everything the end needs of the entries, before the document may
    // take them.
    let succeeded = report::succeeded(&outcome.entries, targets, dry_run);
    let total = outcome.entries.len();
    let done = outcome
        .entries
        .iter()
        .filter(|e| e.action != Action::Interrupted)
        .count();
    // The document goes to a program, and a person watches stderr: the
    // summary goes there, after the document.
    let summary = (!outcome.for_people && crate::progress::for_people() && total > 0)
        .then(|| summary::summary(&outcome.entries, targets, S::LABELS));
    if streams_document(request, &outcome) {
        // Plain JSON for a program: written entry by entry, each entry
        // dropped once written, never held whole (the same bytes).
        app::print_json_streamed(&report::Streamed::new(outcome.entries, targets, S::LABELS))?;
    } else {
        print_document::<S>(request, &outcome)?;
    }
    if let Some(text) = summary {
        eprint!("{}", terminal_text::for_stderr(&text));
    }
    if outcome.interrupted {
        let listed = if outcome.for_people {
            "the summary above lists each one"
        } else {
            "the document lists each one"
        };
        eprintln!(
            "\nInterrupted: {done} of {total} streams were dealt with ({listed}). Calls the \
             service accepted go on; run the same command again to finish: streams already as \
             wanted get no call."
        );
        return Ok(ExitCode::from(130));
    }
    Ok(if succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Whether the document is written as it is built ([`report::Streamed`]):
/// plain `--output json` for a program (stdout not a terminal), with no
/// `--query` and no `--report`, the only readers of the whole document;
/// and a run whose failure is not the run's own (one target, no accounts
/// asked for: then stdout stays empty, as for one call).
fn streams_document(request: &Run<'_>, outcome: &Finished) -> bool {
    outcome.failure.is_none()
        && !outcome.for_people
        && outcome.format == crate::output::OutputFormat::Json
        && request.query.is_none()
        && request.fleet.reports.is_empty()
        && !std::io::stdout().is_terminal()
}

/// The document built whole: the summary for people, or the document in
/// any format, filtered by `--query`, and the `--report` files.
fn print_document<S: Service>(request: &Run<'_>, outcome: &Finished) -> Result<(), CliError> {
    let (entries, targets) = (&outcome.entries, &outcome.targets);
    let document = report::document(entries, targets, S::LABELS);
    let reported = write_reports::<S>(request, &document);
    if let Some(failure) = &outcome.failure {
        // Nothing on stdout, as for one call; the reports say what failed.
        if let Err(e) = reported {
            eprintln!("{e}");
        }
        return Err(failure.clone());
    }
    if outcome.for_people {
        // A terminal reads it: names from a listing are shown escaped.
        let text = summary::summary(entries, targets, S::LABELS);
        app::print_stdout(&terminal_text::for_stderr(&text))?;
    } else {
        app::print_result(
            &document,
            request.query.as_ref(),
            outcome.format,
            S::LABELS.title,
            request.global,
        )?;
    }
    reported
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
