//! `--wait` in fleet mode: every stream started (or found still changing)
//! and every source started is followed by the service's waiter until it
//! settles; the waiter's describes pass the same [`super::gate::Gate`] as
//! every other call.

use futures_util::future::join_all;

use super::gate::Caller;
use super::report::Action;
use super::run::{Settings, Sources, Work};
use super::service::Service;
use crate::progress::Progress;
use crate::wait::WaitOptions;

/// Follow every change of `target` until it settles.
pub async fn changes<S: Service>(
    target: &Work<'_, S>,
    settings: &Settings,
    sources: &Sources,
    options: WaitOptions,
) {
    let service = target.service;
    let pending: Vec<(usize, String, Option<_>, Option<S::Key>)> = target
        .board
        .borrow()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.action == Action::Started
                || (e.action == Action::AlreadyEncrypted && service.changing(e.after.as_ref()))
        })
        .map(|(i, e)| {
            let before = (e.action == Action::Started).then(|| e.before.clone());
            let key = e.after.as_ref().and_then(|a| service.key_of(a));
            (i, e.name.clone(), before.flatten(), key)
        })
        .collect();
    let started_sources = sources.started();
    target.display.phase(&format!(
        "waiting for {} streams and {} sources",
        pending.len(),
        started_sources.len()
    ));
    let default_key = service.key_to_start();
    // A line each for the first few waits; a terminal has only so many rows.
    let lines = 2 * settings.concurrency;
    let line_for = |k: usize, name: &str| {
        if k < lines {
            target.display.line(name, "waiting")
        } else {
            Progress::hidden()
        }
    };
    let line_for = &line_for;
    let streams = pending
        .iter()
        .enumerate()
        .map(|(k, (i, name, before, key))| {
            let key = key.as_ref().unwrap_or(&default_key);
            async move {
                let line = line_for(k, name);
                let caller = Caller::for_entry(target.gate, target.key, target.board, *i);
                let waited = service
                    .wait(&caller, name, before.as_ref(), key, options, &line)
                    .await;
                let mut board = target.board.borrow_mut();
                let Some(entry) = board.get_mut(*i) else {
                    return;
                };
                match waited {
                    Ok(waited) => {
                        entry.after = waited.after;
                        if let Some(failure) = waited.failure {
                            entry.fail(failure);
                        }
                    }
                    Err(e) => entry.fail(e),
                }
            }
        });
    let skip = pending.len();
    let sources = started_sources
        .iter()
        .enumerate()
        .map(|(k, (arn, key_id))| {
            async move {
                let line = line_for(skip + k, arn);
                // The first stream the source feeds pays for its polls.
                let first = target
                    .board
                    .borrow()
                    .iter()
                    .position(|e| e.source.as_ref().is_some_and(|s| &s.arn == arn))
                    .unwrap_or(0);
                let caller = Caller::for_entry(target.gate, target.key, target.board, first);
                let settled = service
                    .wait_source(&caller, arn, key_id, options, &line)
                    .await;
                let mut board = target.board.borrow_mut();
                for entry in board
                    .iter_mut()
                    .filter(|e| e.source.as_ref().is_some_and(|s| &s.arn == arn))
                {
                    match &settled {
                        Ok(summary) => {
                            if let Some(s) = &mut entry.source {
                                s.after = Some(summary.clone());
                            }
                        }
                        Err(e) => entry.fail(e.clone()),
                    }
                }
            }
        });
    tokio::join!(join_all(streams), join_all(sources));
}
