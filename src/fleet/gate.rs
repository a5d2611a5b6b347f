//! The gate every call of a fleet run passes: it waits for room under the
//! bound on calls in flight and for the call's turn at its operation's rate
//! for its target ([`Pacer`]), and counts what the call cost (attempts and
//! throttled attempts) into the stream's entry and the run's totals.
//! Services make their calls through a [`Caller`]; they never pace or
//! count themselves.
//!
//! The turn is taken only with room in hand, right before the call is sent.
//! Taken first (and the room waited for after), a turn would be spent while
//! the call still queues behind other targets' calls; calls of one target
//! that queued for different times would then reach the service bunched,
//! more in a second than its bucket holds, and be throttled (measured: 2-5
//! throttled calls a run over 6 targets at the default bound of 4). Nor is
//! room held while waiting for a turn: a call whose turn has not come gives
//! its room back and sleeps until it comes, so that one target's wait never
//! keeps the others' calls from being sent.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;

use tokio::sync::{Semaphore, SemaphorePermit};

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

    /// Room under the bound and the target's turn at `operation`'s rate,
    /// both at once: the permit to hold while the call is in flight.
    async fn admit(&self, operation: &str) -> Option<SemaphorePermit<'a>> {
        loop {
            // The semaphore is never closed, so acquiring cannot fail; if it
            // somehow did, the call goes ahead unbounded rather than lost.
            let permit = self.gate.in_flight.acquire().await.ok();
            match self.gate.pacer.take(self.target, operation) {
                Ok(()) => return permit,
                Err(wait) => {
                    drop(permit);
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Make one call of `operation`: `call` gets the counter to add to the
    /// SDK call as an interceptor.
    pub async fn call<T, F, Fut>(&self, operation: &'static str, call: F) -> T
    where
        F: FnOnce(CallCount) -> Fut,
        Fut: Future<Output = T>,
    {
        let count = CallCount::default();
        let result = {
            let _permit = self.admit(operation).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::pace::Rate;
    use futures_util::future::join_all;
    use std::time::{Duration, Instant};

    const RATES: [Rate; 1] = [Rate {
        operation: "Start",
        per_second: 5,
    }];

    /// How many of `sent` (seconds) a service's bucket of `rate` calls,
    /// refilled at `rate` a second and full at first, refuses.
    fn refused_by_bucket(sent: &[f64], rate: f64) -> usize {
        let (mut tokens, mut last, mut refused) = (rate, 0.0, 0);
        for &t in sent {
            tokens = (tokens + (t - last) * rate).min(rate);
            last = t;
            if tokens >= 1.0 {
                tokens -= 1.0;
            } else {
                refused += 1;
            }
        }
        refused
    }

    /// Another target's slow call holds the only room for 1 s while eight
    /// calls of target `a` queue behind it. Turns taken while queueing
    /// would let all eight go out within a few ms once the room frees,
    /// three more than the service's bucket of 5 holds; taken with the
    /// room in hand, the calls leave at `a`'s pace and none is refused.
    #[tokio::test(flavor = "current_thread")]
    async fn a_turn_is_taken_only_with_room_so_queued_calls_do_not_leave_bunched() {
        let gate = Gate::new(Pacer::new(&RATES, None), 1);
        let epoch = Instant::now();
        let sent = RefCell::new(Vec::new());
        let other = Caller::for_target(&gate, "b");
        let blocker = other.call("Start", |_| async {
            tokio::time::sleep(Duration::from_secs(1)).await;
        });
        let queued = (0..8).map(|_| async {
            // Behind the blocker, which is already in flight.
            tokio::time::sleep(Duration::from_millis(20)).await;
            Caller::for_target(&gate, "a")
                .call("Start", |_| async {
                    sent.borrow_mut().push(epoch.elapsed().as_secs_f64());
                    tokio::time::sleep(Duration::from_millis(5)).await;
                })
                .await;
        });
        futures_util::join!(blocker, join_all(queued));
        let sent = sent.into_inner();
        assert_eq!(sent.len(), 8);
        assert!(sent[0] >= 0.99, "{sent:?}");
        assert_eq!(refused_by_bucket(&sent, 5.0), 0, "{sent:?}");
        // Four at once (the pacer's burst), then one each 200 ms.
        let took = sent[7] - sent[0];
        assert!((0.75..2.0).contains(&took), "{sent:?}");
    }

    /// A call waiting for its target's turn holds no room: with room for
    /// one call, `a`'s fifth call (beyond the pacer's burst of 4) waits
    /// 200 ms for its turn, and `b`'s call goes out in the meantime.
    #[tokio::test(flavor = "current_thread")]
    async fn a_call_waiting_for_its_turn_leaves_the_room_to_other_targets() {
        let gate = Gate::new(Pacer::new(&RATES, None), 1);
        let epoch = Instant::now();
        let sent = RefCell::new(Vec::new());
        let a = (0..5).map(|_| async {
            Caller::for_target(&gate, "a")
                .call("Start", |_| async {
                    sent.borrow_mut().push(("a", epoch.elapsed().as_secs_f64()));
                    tokio::time::sleep(Duration::from_millis(1)).await;
                })
                .await;
        });
        let b = async {
            tokio::time::sleep(Duration::from_millis(30)).await;
            Caller::for_target(&gate, "b")
                .call("Start", |_| async {
                    sent.borrow_mut().push(("b", epoch.elapsed().as_secs_f64()));
                })
                .await;
        };
        futures_util::join!(join_all(a), b);
        let sent = sent.into_inner();
        let order: Vec<&str> = sent.iter().map(|(t, _)| *t).collect();
        assert_eq!(order, ["a", "a", "a", "a", "b", "a"], "{sent:?}");
        assert!(sent[5].1 >= 0.19, "{sent:?}");
    }
}
