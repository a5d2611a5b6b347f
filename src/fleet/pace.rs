//! Pacing (contract §11): every call of a fleet run waits for its turn at
//! the documented control-plane rate of its operation, per target (one
//! account in one region), so that a run is not throttled by itself. The
//! rates are data, one table per service ([`super::Service::RATES`]); each
//! row becomes a keyed GCRA limiter from the `governor` crate, keyed by
//! target. `--max-rate N` lowers every rate to at most N per second.
//!
//! The service's limit is a bucket of `rate` calls refilled at `rate` a
//! second. The limiter here allows a burst of one less than that, so that a
//! call arriving a little early (network jitter) still finds a call's worth
//! of room: one call's time is all it costs over a run.
//!
//! A turn is taken ([`Pacer::take`]) only by a call that is about to be
//! sent: the service's bucket counts calls when they arrive, so a turn taken
//! by a call that then waits (for room under the bound on calls in flight,
//! see the gate) is a turn spent early, and calls that waited
//! different times arrive bunched.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// One row of a service's table: an operation and its documented rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// The API operation, e.g. `DescribeDeliveryStream`.
    pub operation: &'static str,
    /// Calls per second per account and region.
    pub per_second: u32,
}

/// The limiters of a run: one per operation of the table, keyed by target.
#[derive(Debug)]
pub struct Pacer {
    limiters: Vec<(&'static str, DefaultKeyedRateLimiter<String>)>,
}

impl Pacer {
    /// Limiters for `rates`, each lowered to `max_rate` when given.
    pub fn new(rates: &[Rate], max_rate: Option<NonZeroU32>) -> Self {
        let limiters = rates
            .iter()
            .filter_map(|rate| {
                let per_second = max_rate.map_or(rate.per_second, |m| m.get().min(rate.per_second));
                let per_second = NonZeroU32::new(per_second)?;
                let burst = NonZeroU32::new(per_second.get() - 1).unwrap_or(NonZeroU32::MIN);
                let quota = Quota::per_second(per_second).allow_burst(burst);
                Some((rate.operation, RateLimiter::keyed(quota)))
            })
            .collect();
        Self { limiters }
    }

    /// Take `target`'s turn to call `operation` now, if it has come (always,
    /// for an operation the table does not name); else how long until it
    /// comes (nothing is taken then).
    pub fn take(&self, target: &str, operation: &str) -> Result<(), Duration> {
        match self.limiters.iter().find(|(op, _)| *op == operation) {
            None => Ok(()),
            Some((_, limiter)) => limiter
                .check_key(&target.to_owned())
                .map_err(|not_yet| not_yet.wait_time_from(limiter.clock().now())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const RATES: [Rate; 2] = [
        Rate {
            operation: "Slow",
            per_second: 5,
        },
        Rate {
            operation: "Fast",
            per_second: 50,
        },
    ];

    /// How long `calls` turns of `target` at `operation` take, each waited
    /// for as the gate waits for one.
    async fn time_of(pacer: &Pacer, target: &str, operation: &str, calls: usize) -> Duration {
        let started = Instant::now();
        for _ in 0..calls {
            while let Err(wait) = pacer.take(target, operation) {
                tokio::time::sleep(wait).await;
            }
        }
        started.elapsed()
    }

    #[tokio::test]
    async fn calls_after_the_burst_wait_for_the_rate() {
        let pacer = Pacer::new(&RATES, None);
        // A burst of 4, then one each 200 ms: 6 calls take 2 × 200 ms.
        let took = time_of(&pacer, "t", "Slow", 6).await;
        assert!(took >= Duration::from_millis(380), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[tokio::test]
    async fn targets_and_operations_are_paced_apart() {
        let pacer = Pacer::new(&RATES, None);
        time_of(&pacer, "a", "Slow", 4).await;
        let other_target = time_of(&pacer, "b", "Slow", 4).await;
        let other_operation = time_of(&pacer, "a", "Fast", 4).await;
        let unpaced = time_of(&pacer, "a", "NotInTheTable", 100).await;
        // Shared with `a`'s "Slow", four more calls would take 800 ms.
        for took in [other_target, other_operation, unpaced] {
            assert!(took < Duration::from_millis(300), "{took:?}");
        }
    }

    #[tokio::test]
    async fn max_rate_lowers_every_rate() {
        let pacer = Pacer::new(&RATES, NonZeroU32::new(2));
        // Rate 2, burst 1: 3 calls take 2 × 500 ms.
        let took = time_of(&pacer, "t", "Fast", 3).await;
        assert!(took >= Duration::from_millis(950), "{took:?}");
    }
}
