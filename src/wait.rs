//! `--wait`: after a successful start, poll a describe call until the
//! described state matches one of the waiter's acceptors, or until
//! `--wait-timeout`. The first poll comes after `--wait-interval`; later
//! delays double up to a cap, with jitter, so a long wait never hammers
//! the API and never busy-loops.
//!
//! The machinery names no service. An operation declares its [`Waiter`] as
//! data, the way botocore's `waiters-2.json` does: which field is the
//! status, and which field values mean success or failure. A matcher can
//! ask for a value of the request ([`Expected::Requested`]), so a wait
//! succeeds only on the key that was asked for, never on the one from
//! before the call (contract §10). Firehose has no waiter of its own
//! (aws/aws-sdk#126), which is why this exists.

use std::cell::RefCell;
use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::bounds::MAX_SECONDS;
use crate::error::CliError;
use crate::progress::Progress;
use crate::terminal_text;

/// Longest delay between two polls, unless `--wait-interval` is longer.
const MAX_DELAY: Duration = Duration::from_secs(15);

/// Shortest delay between two polls after the first, so that even
/// `--wait-interval 0` backs off instead of polling in a tight loop.
const MIN_DELAY: Duration = Duration::from_millis(100);

/// A waiter, as data: what the status field is and which described states
/// end the wait. Every other state means "not yet".
#[derive(Debug)]
pub struct Waiter {
    /// JSON pointer of the status in a described state.
    pub status: &'static str,
    /// The status a successful wait ends on, for messages.
    pub goal: &'static str,
    /// Checked in order on each state; the first that matches decides.
    pub acceptors: &'static [Acceptor],
    /// The fields that name the key in place, as `(label, JSON pointer)`.
    pub key_fields: &'static [(&'static str, &'static str)],
    /// The message for a state that matched a failure acceptor.
    pub failure_message: fn(&Value) -> String,
}

/// One rule: when every matcher holds, the wait ends with `outcome`.
#[derive(Debug)]
pub struct Acceptor {
    /// How the wait ends.
    pub outcome: Outcome,
    /// All of these must hold.
    pub all: &'static [Matcher],
}

/// How an acceptor ends the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The change took effect.
    Success,
    /// The change failed; the state is printed and the run exits 255.
    Failure,
}

/// A field of the described state and what it must be.
#[derive(Debug)]
pub struct Matcher {
    /// JSON pointer into the described state.
    pub path: &'static str,
    /// What the field must hold.
    pub expected: Expected,
}

/// What a [`Matcher`]'s field must hold.
#[derive(Debug)]
pub enum Expected {
    /// Exactly this string.
    Equals(&'static str),
    /// The request's value of this member (a key of the `requested` map),
    /// when the request has one; anything when it has none.
    Requested(&'static str),
}

/// What is being waited for, for messages.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Its name, e.g. `s1`, for the spinner.
    pub name: String,
    /// What it is, e.g. `delivery stream "s1"`; messages say "the
    /// encryption of" it.
    pub label: String,
    /// The command that shows its state, e.g. `aws firehose describe-delivery-stream …`.
    pub check_command: String,
}

/// How to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// Delay before the first poll.
    pub interval: Duration,
}

/// What the waiter last saw, readable after the wait is cancelled (Ctrl-C).
#[derive(Debug, Default)]
pub struct Watch {
    last_status: RefCell<Option<String>>,
}

impl Watch {
    /// The status of the last described state, if any was described.
    pub fn last_status(&self) -> Option<String> {
        self.last_status.borrow().clone()
    }

    fn record(&self, status: &str) {
        *self.last_status.borrow_mut() = Some(status.to_owned());
    }
}

/// How a wait ended when it did not fail outright: the final state, and the
/// failure to report after printing it (an acceptor's [`Outcome::Failure`]).
#[derive(Debug)]
pub struct Settled {
    /// The final described state, printed through `--query`/`--output`.
    pub state: Value,
    /// Set when the state matched a failure acceptor.
    pub failure: Option<CliError>,
}

/// Everything a wait needs besides the describe call.
#[derive(Debug)]
pub struct Wait<'a> {
    /// The rules.
    pub waiter: &'static Waiter,
    /// What is waited for.
    pub subject: &'a Subject,
    /// The request's values that [`Expected::Requested`] refers to.
    pub requested: &'a Map<String, Value>,
    /// The state described just before the call, if it could be described.
    /// Until the state changes, a poll that still shows it does not end the
    /// wait: it is the state from before the call.
    pub before: Option<&'a Value>,
    /// Timeout and first interval.
    pub options: WaitOptions,
}

/// Parse `500ms`, `5s`, `2m`, `1h` or plain seconds (`0.5`, `1e3`), at most
/// [`MAX_SECONDS`] (so no deadline arithmetic can overflow).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    // The unit is the trailing letters, so that `1e3` is a number.
    let split = t
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let (number, unit) = match t.split_at(split) {
        (number, "") => (number, "s"),
        other => other,
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => f64::NAN,
    };
    let secs = number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| n * scale)
        .filter(|secs| !secs.is_nan() && *secs >= 0.0)
        .ok_or_else(|| {
            format!("expected a duration such as 500ms, 5s, 2m or 0.5 (seconds), got \"{text}\"")
        })?;
    if secs > MAX_SECONDS as f64 {
        return Err(format!(
            "expected a duration of at most {MAX_SECONDS} seconds (7 days), got \"{text}\""
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{e}, got \"{text}\""))
}

/// Poll `describe` until a state matches an acceptor. A describe error ends
/// the wait with that error; the deadline ends it with a timeout failure
/// that names the last status seen and the key in place.
pub async fn until_settled<F, Fut>(
    wait: &Wait<'_>,
    mut describe: F,
    progress: &Progress,
    watch: &Watch,
) -> Result<Settled, CliError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Value, CliError>>,
{
    let options = wait.options;
    let start = Instant::now();
    let deadline = start + options.timeout;
    let mut delay = options.interval;
    let mut jitter = Jitter::seeded();
    let mut last: Option<Value> = None;
    let mut changed = false;
    progress.set_status("waiting for the first status");
    let timed_out = |last: Option<&Value>| {
        CliError::failure(
            "WaiterTimeout",
            timeout_message(wait, last, start.elapsed()),
        )
    };
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(timed_out(last.as_ref()));
        }
        tokio::time::sleep(delay.min(deadline - now)).await;
        // The deadline bounds the whole wait, a slow describe included.
        let remaining = deadline.saturating_duration_since(Instant::now());
        let Ok(described) = tokio::time::timeout(remaining, describe()).await else {
            return Err(timed_out(last.as_ref()));
        };
        let state = described?;
        let status = field(&state, wait.waiter.status).unwrap_or("(none)");
        progress.set_status(status);
        watch.record(status);
        changed |= wait.before != Some(&state);
        match outcome(wait, &state) {
            Some(Outcome::Success) => {
                return Ok(Settled {
                    state,
                    failure: None,
                });
            }
            Some(Outcome::Failure) if changed => {
                let failure = failure(wait, &state);
                return Ok(Settled {
                    state,
                    failure: Some(failure),
                });
            }
            _ => {}
        }
        last = Some(state);
        let cap = MAX_DELAY.max(options.interval);
        delay = jitter
            .apply((delay * 2).max(MIN_DELAY).min(cap))
            .max(options.interval);
    }
}

/// The first acceptor that matches `state`, if any.
pub fn outcome(wait: &Wait<'_>, state: &Value) -> Option<Outcome> {
    wait.waiter
        .acceptors
        .iter()
        .find(|a| a.all.iter().all(|m| matches(m, state, wait.requested)))
        .map(|a| a.outcome)
}

fn matches(m: &Matcher, state: &Value, requested: &Map<String, Value>) -> bool {
    let actual = field(state, m.path);
    match &m.expected {
        Expected::Equals(v) => actual == Some(*v),
        Expected::Requested(member) => match requested.get(*member).and_then(Value::as_str) {
            Some(v) => actual == Some(v),
            None => true,
        },
    }
}

/// A string field of a state, by JSON pointer.
pub fn field<'v>(state: &'v Value, pointer: &str) -> Option<&'v str> {
    state.pointer(pointer).and_then(Value::as_str)
}

/// `KeyType=…, KeyARN=…` of a state, or `none` when it names no key; the
/// values as [`terminal_text::value`]s (they come from the service).
pub fn key_in(waiter: &Waiter, state: &Value) -> String {
    let parts: Vec<String> = waiter
        .key_fields
        .iter()
        .filter_map(|(label, pointer)| {
            field(state, pointer).map(|v| format!("{label}={}", terminal_text::value(v)))
        })
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The failure for a state that matched a failure acceptor. When the state
/// before the call had the goal status with another key, the change failed
/// but that key stays in use, as the service documents: say so.
fn failure(wait: &Wait<'_>, state: &Value) -> CliError {
    let waiter = wait.waiter;
    let mut message = (waiter.failure_message)(state);
    if let Some(before) = wait.before
        && field(before, waiter.status) == Some(waiter.goal)
    {
        if !message.ends_with('.') {
            message.push('.');
        }
        message.push_str(&format!(
            " Encryption stays {} with the key in place before this call: {}",
            waiter.goal,
            key_in(waiter, before)
        ));
    }
    CliError::failure("EnablingFailed", message)
}

fn timeout_message(wait: &Wait<'_>, last: Option<&Value>, elapsed: Duration) -> String {
    let waiter = wait.waiter;
    let seen = match last {
        None => "(not yet described)".to_owned(),
        Some(state) => {
            let status = terminal_text::value(field(state, waiter.status).unwrap_or("(none)"));
            let stale = if wait.before == Some(state) {
                " (unchanged since before the call)"
            } else {
                ""
            };
            format!("{status}{stale}; key in place: {}", key_in(waiter, state))
        }
    };
    format!(
        "Waiter timed out after {}: the encryption of {} did not reach {} with the requested key; last status seen: {seen}",
        human(elapsed),
        wait.subject.label,
        waiter.goal,
    )
}

/// The line printed when Ctrl-C ends a wait: the request was accepted, the
/// service goes on with it, the last status seen and how to check it.
pub fn interrupted_message(operation: &str, subject: &Subject, watch: &Watch) -> String {
    let status = watch.last_status().map_or_else(
        || "(not yet described)".to_owned(),
        |s| terminal_text::value(&s),
    );
    format!(
        "Interrupted while waiting: the service accepted {operation} for {} and goes on with it; last status seen: {status}. Check it with: {}",
        subject.label, subject.check_command
    )
}

fn human(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0 => format!("{}ms", d.as_millis()),
        1..60 => format!("{secs}s"),
        _ => format!("{}m{}s", secs / 60, secs % 60),
    }
}

/// Multiplies delays by a factor in [0.75, 1.0] so that many waiters started
/// together spread out.
struct Jitter(fastrand::Rng);

impl Jitter {
    fn seeded() -> Self {
        Self(fastrand::Rng::new())
    }

    fn apply(&mut self, d: Duration) -> Duration {
        d.mul_f64(0.75 + 0.25 * self.0.f64())
    }
}

#[cfg(test)]
mod tests;
