//! The calls of a fleet run, for any [`Service`]. Each stream goes through
//! describe → (its source's summary) → the service's plan → start, at most
//! `concurrency` streams at a time; every call passes the [`Gate`] (pace,
//! bound on calls in flight, counts). A source is described and started
//! once, however many streams it feeds. `--wait` then follows every
//! change ([`super::follow`]) with the [`Sources`] this leaves.
//!
//! Results go into a [`Board`] as they happen, so that Ctrl-C (which drops
//! this future) still finds every stream's state so far.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_util::StreamExt;
use futures_util::stream;
use serde_json::Value;
use tokio::sync::OnceCell;

use super::display::Display;
use super::gate::{Caller, Gate};
use super::plan::Planned;
use super::report::{Action, Entry, Source};
use super::service::{Described, Plan, Service};
use super::targets::account_of_arn;
use crate::error::CliError;
use crate::progress::Progress;
use crate::wait::WaitOptions;

/// Every stream's entry, in name order, updated as the run goes.
pub type Board = RefCell<Vec<Entry>>;

/// How the run goes, whatever the service.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--max-concurrency`: streams worked on at once, and calls in flight.
    pub concurrency: usize,
    /// `--wait` and its durations.
    pub wait: Option<WaitOptions>,
}

/// One result per key, computed once and shared.
type Once<T> = RefCell<HashMap<String, Rc<OnceCell<Result<T, CliError>>>>>;

/// What is known about the sources, each fetched or changed once.
#[derive(Default)]
pub struct Sources {
    /// Their summaries.
    summaries: Once<Value>,
    /// The key id each was started with.
    starts: Once<String>,
}

impl Sources {
    async fn summary<S: Service>(
        &self,
        service: &S,
        caller: &Caller<'_>,
        arn: &str,
    ) -> Result<Value, CliError> {
        let cell = Rc::clone(
            self.summaries
                .borrow_mut()
                .entry(arn.to_owned())
                .or_default(),
        );
        cell.get_or_init(|| service.describe_source(caller, arn))
            .await
            .clone()
    }

    async fn start<S: Service>(
        &self,
        service: &S,
        caller: &Caller<'_>,
        arn: &str,
        key_id: &str,
    ) -> Result<String, CliError> {
        let cell = Rc::clone(self.starts.borrow_mut().entry(arn.to_owned()).or_default());
        cell.get_or_init(|| async {
            service
                .start_source(caller, arn, key_id)
                .await
                .map(|()| key_id.to_owned())
        })
        .await
        .clone()
    }

    /// The sources started, with their key ids, in ARN order.
    pub fn started(&self) -> Vec<(String, String)> {
        let mut started: Vec<(String, String)> = self
            .starts
            .borrow()
            .iter()
            .filter_map(|(arn, cell)| match cell.get() {
                Some(Ok(key)) => Some((arn.clone(), key.clone())),
                _ => None,
            })
            .collect();
        started.sort();
        started
    }
}

/// One target's work: its service, its board, the shared gate and display.
pub struct Work<'a, S: Service> {
    /// The service's part, for this target.
    pub service: &'a S,
    /// The pacing key, e.g. the region.
    pub key: &'a str,
    /// Its entries.
    pub board: &'a Board,
    /// The shared gate.
    pub gate: &'a Gate,
    /// The shared display.
    pub display: &'a Display,
    /// The target's line of the display.
    pub line: &'a Progress,
    /// `--apply-plan`: the plan's entry for each stream of the board, in
    /// the same order (empty otherwise).
    pub planned: &'a [Planned],
}

impl<S: Service> Work<'_, S> {
    fn caller(&self, index: usize) -> Caller<'_> {
        Caller::for_entry(self.gate, self.key, self.board, index)
    }

    fn update(&self, index: usize, f: impl FnOnce(&mut Entry)) {
        if let Some(entry) = self.board.borrow_mut().get_mut(index) {
            f(entry);
        }
    }
}

/// Run over every stream of the target's board, recording what is learnt
/// of the sources in `sources`.
pub async fn run<S: Service>(target: &Work<'_, S>, settings: &Settings, sources: &Sources) {
    let names: Vec<(usize, String)> = target
        .board
        .borrow()
        .iter()
        .enumerate()
        .map(|(i, e)| (i, e.name.clone()))
        .collect();
    stream::iter(names)
        .for_each_concurrent(settings.concurrency.max(1), |(i, name)| async move {
            let line = target.display.line(&name, "describing");
            one_stream(target, i, &name, settings, sources, &line).await;
            let board = target.board.borrow();
            if let Some(e) = board.get(i) {
                target.display.done(
                    matches!(e.action, Action::Started | Action::SourceStarted),
                    e.action == Action::Failed,
                );
            }
        })
        .await;
}

/// Describe, plan and (unless `--dry-run`) act on the stream at `i`.
async fn one_stream<S: Service>(
    target: &Work<'_, S>,
    i: usize,
    name: &str,
    settings: &Settings,
    sources: &Sources,
    line: &Progress,
) {
    let service = target.service;
    let caller = target.caller(i);
    let described = match service.describe(&caller, name).await {
        Ok(d) => d,
        Err(e) => return target.update(i, |entry| entry.fail(e)),
    };
    target.update(i, |entry| {
        entry.arn.clone_from(&described.arn);
        entry.stream_type.clone_from(&described.kind);
        entry.before.clone_from(&described.encryption);
        entry.after.clone_from(&described.encryption);
    });
    let mut summary = None;
    if let Some(arn) = &described.source_arn {
        line.set_status("describing its source");
        let result = sources.summary(service, &caller, arn).await;
        target.update(i, |entry| {
            entry.source = Some(Source {
                arn: arn.clone(),
                before: result.as_ref().ok().cloned(),
                after: result.as_ref().ok().cloned(),
            });
        });
        match result {
            Ok(s) => summary = Some(s),
            Err(e) => return target.update(i, |entry| entry.fail(e)),
        }
    }
    let plan = match target.planned.get(i) {
        Some(planned) => as_planned(service, planned, &described, summary.as_ref()),
        None => service.plan(&described, summary.as_ref()),
    };
    act(
        target,
        i,
        name,
        &described,
        summary.as_ref(),
        plan,
        settings,
        sources,
        line,
    )
    .await;
}

/// Carry out (or, with `--dry-run`, record) the plan for the stream at `i`.
#[allow(clippy::too_many_arguments)]
async fn act<S: Service>(
    target: &Work<'_, S>,
    i: usize,
    name: &str,
    described: &Described,
    summary: Option<&Value>,
    plan: Plan<S::Key>,
    settings: &Settings,
    sources: &Sources,
    line: &Progress,
) {
    let service = target.service;
    let source_encrypted = summary.is_some_and(|s| service.source_encrypted(s));
    let settle = |action: Action, encrypted: bool, reason: Option<String>| {
        target.update(i, |entry| {
            entry.action = action;
            entry.encrypted = encrypted;
            entry.reason = reason;
        });
    };
    match plan {
        Plan::Keep => settle(Action::AlreadyEncrypted, true, None),
        Plan::KeepSource => settle(Action::SourceAlreadyEncrypted, true, None),
        Plan::NeedsSource(why) => settle(Action::NeedsSourceEncryption, false, Some(why)),
        Plan::ProtectedBy(why) => settle(Action::SourceAlreadyEncrypted, true, Some(why)),
        Plan::NotApplicable(why) => settle(Action::NotApplicable, false, Some(why)),
        Plan::Refuse(why) => settle(Action::Refused, false, Some(why)),
        Plan::Unknown(why) => settle(Action::UnknownState, false, Some(why)),
        Plan::Changed(why) => settle(
            Action::ChangedSincePlan,
            service.encrypted(described) || source_encrypted,
            Some(why),
        ),
        Plan::Start(key) if settings.dry_run => target.update(i, |entry| {
            entry.action = Action::WouldStart;
            entry.encrypted = service.encrypted(described);
            entry.after = Some(service.asked_for(&key, false));
        }),
        Plan::StartSource(key_id) if settings.dry_run => target.update(i, |entry| {
            entry.action = Action::WouldStartSource;
            entry.encrypted = source_encrypted;
            if let Some(s) = &mut entry.source {
                s.after = Some(service.source_asked_for(&key_id));
            }
        }),
        Plan::Start(key) => {
            line.set_status("starting");
            target.update(i, |entry| entry.reason = Some(service.in_flight(name)));
            let result = service.start(&target.caller(i), name, &key).await;
            target.update(i, |entry| {
                entry.reason = None;
                match result {
                    Ok(()) => {
                        entry.action = Action::Started;
                        entry.encrypted = true;
                        entry.after = Some(service.asked_for(&key, true));
                    }
                    Err(e) => entry.fail(e),
                }
            });
        }
        Plan::StartSource(key_id) => {
            line.set_status("encrypting its source");
            let arn = described.source_arn.clone().unwrap_or_default();
            let result = sources
                .start(service, &target.caller(i), &arn, &key_id)
                .await;
            target.update(i, |entry| match result {
                Ok(key) => {
                    entry.action = Action::SourceStarted;
                    entry.encrypted = true;
                    if let Some(s) = &mut entry.source {
                        s.after = Some(service.source_asked_for(&key));
                    }
                }
                Err(e) => entry.fail(e),
            });
        }
    }
}

/// `--apply-plan`: what to do with a stream the plan says to start. It is
/// started with the plan's key only if it is still as the plan saw it: its
/// account, its encryption and, for a source, the source's encryption.
fn as_planned<S: Service>(
    service: &S,
    planned: &Planned,
    described: &Described,
    summary: Option<&Value>,
) -> Plan<S::Key> {
    let account = described.arn.as_deref().and_then(account_of_arn);
    if let (Some(now), Some(then)) = (account, planned.account_id.as_deref())
        && now != then
    {
        return Plan::Changed(format!(
            "it is in account {now}, not the plan's {then}: it was not touched"
        ));
    }
    if described.encryption != planned.before {
        return Plan::Changed(format!(
            "its encryption is {}, not the plan's {}: it was not touched",
            shown(described.encryption.as_ref()),
            shown(planned.before.as_ref())
        ));
    }
    match &planned.source {
        Some(source) => {
            let encryption = |v: Option<&Value>| -> Vec<Option<String>> {
                ["EncryptionType", "KeyId"]
                    .iter()
                    .map(|k| {
                        v.and_then(|s| s.get(*k))
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .collect()
            };
            let then = Value::Object(source.before.clone());
            if described.source_arn.as_deref() != Some(source.arn.as_str())
                || encryption(summary) != encryption(Some(&then))
            {
                return Plan::Changed(format!(
                    "its source {} is no longer as the plan saw it: it was not touched",
                    source.arn
                ));
            }
            Plan::StartSource(source.key_id.clone())
        }
        None => match planned.after.as_ref().and_then(|a| service.key_of(a)) {
            Some(key) => Plan::Start(key),
            None => Plan::Changed(
                "the plan's EncryptionAfter names no key this command can start: it was not \
                 touched"
                    .to_owned(),
            ),
        },
    }
}

/// An encryption description for a reason: its JSON, or `none`.
fn shown(encryption: Option<&serde_json::Map<String, Value>>) -> String {
    encryption.map_or_else(
        || "none".to_owned(),
        |e| Value::Object(e.clone()).to_string(),
    )
}
