//! The gate every call of a fleet run passes: it waits for the call's turn
//! at its operation's rate for its target ([`Pacer`]), then for room under
//! the bound on calls in flight, and counts what the call cost (attempts
//! and throttled attempts) into the stream's entry and the run's totals.
//! Services make their calls through a [`Caller`]; they never pace or
//! count themselves.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;

use tokio::sync::Semaphore;

use super::pace::Pacer;
use super::report::Entry;
use crate::calls::{CallCount, Calls};

/// What all the calls of a run share.
#[derive(Debug)]
pub struct Gate {
    pacer: Pacer,
    in_flight: Semaphore,
    totals: RefCell<BTreeMap<&'static str, Calls>>,
}

impl Gate {
    /// A gate pacing with `pacer` and letting `bound` calls in flight.
    pub fn new(pacer: Pacer, bound: usize) -> Self {
        Self {
            pacer,
            in_flight: Semaphore::new(bound.max(1)),
            totals: RefCell::default(),
        }
    }

    /// The calls made so far, by operation.
    pub fn totals(&self) -> BTreeMap<&'static str, Calls> {
        self.totals.borrow().clone()
    }
}

/// Where a call's cost is counted besides the run's totals.
#[derive(Debug, Clone, Copy)]
enum CountInto<'a> {
    /// The run's totals only (a listing).
    Nowhere,
    /// Also the entry at this index of the board.
    Entry(&'a RefCell<Vec<Entry>>, usize),
}

/// One target's (or one stream's) way through the gate.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    gate: &'a Gate,
    target: &'a str,
    into: CountInto<'a>,
}

impl<'a> Caller<'a> {
    /// Calls for `target` that are not about one stream (listing).
    pub fn for_target(gate: &'a Gate, target: &'a str) -> Self {
        Self {
            gate,
            target,
            into: CountInto::Nowhere,
        }
    }

    /// Calls about the stream at `index` of `board`.
    pub fn for_entry(
        gate: &'a Gate,
        target: &'a str,
        board: &'a RefCell<Vec<Entry>>,
        index: usize,
    ) -> Self {
        Self {
            gate,
            target,
            into: CountInto::Entry(board, index),
        }
    }

    /// Make one call of `operation`: `call` gets the counter to add to the
    /// SDK call as an interceptor.
    pub async fn call<T, F, Fut>(&self, operation: &'static str, call: F) -> T
    where
        F: FnOnce(CallCount) -> Fut,
        Fut: Future<Output = T>,
    {
        self.gate.pacer.ready(self.target, operation).await;
        let count = CallCount::default();
        let result = {
            // The semaphore is never closed, so acquiring cannot fail; if it
            // somehow did, the call goes ahead unbounded rather than lost.
            let _permit = self.gate.in_flight.acquire().await.ok();
            call(count.clone()).await
        };
        let spent = count.calls();
        *self.gate.totals.borrow_mut().entry(operation).or_default() += spent;
        if let CountInto::Entry(board, index) = self.into
            && let Some(entry) = board.borrow_mut().get_mut(index)
        {
            entry.calls += spent;
        }
        if spent.throttled > 0 {
            tracing::debug!(
                target: "fleet",
                "{operation} for {}: {} attempts, {} throttled",
                self.target,
                spent.made,
                spent.throttled
            );
        }
        result
    }
}
