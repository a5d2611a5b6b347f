//! `--wait`: after a successful start, poll `DescribeDeliveryStream` until
//! the encryption status is `ENABLED` or `ENABLING_FAILED`, or until
//! `--wait-timeout`. The first poll comes after `--wait-interval`; later
//! delays double up to a cap, with jitter, so a long wait never hammers
//! the API and never busy-loops.
//!
//! Firehose has no waiter of its own (aws/aws-sdk#126), which is why this
//! exists.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::aws::Firehose;
use crate::error::CliError;
use crate::progress::Progress;

/// Encryption status that ends the wait successfully.
pub const ENABLED: &str = "ENABLED";
/// Encryption status that ends the wait with a failure.
pub const ENABLING_FAILED: &str = "ENABLING_FAILED";

/// Longest delay between two polls, unless `--wait-interval` is longer.
const MAX_DELAY: Duration = Duration::from_secs(15);

/// Shortest delay between two polls after the first, so that even
/// `--wait-interval 0` backs off instead of polling in a tight loop.
const MIN_DELAY: Duration = Duration::from_millis(100);

/// How to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// Delay before the first poll.
    pub interval: Duration,
}

/// Parse `500ms`, `5s`, `2m`, `1h` or plain seconds (`0.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => f64::NAN,
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| n * scale)
        .filter(|secs| secs.is_finite() && *secs >= 0.0 && *secs <= 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("expected a duration such as 500ms, 5s, 2m or 0.5 (seconds), got \"{text}\"")
        })
}

/// Poll until the encryption is `ENABLED` or `ENABLING_FAILED` and return
/// the final state `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`.
/// A describe error ends the wait with that error; the deadline ends it with
/// a timeout failure that names the last status seen.
pub async fn until_settled(
    firehose: &Firehose,
    name: &str,
    options: WaitOptions,
    progress: &Progress,
) -> Result<Value, CliError> {
    let start = Instant::now();
    let deadline = start + options.timeout;
    let mut delay = options.interval;
    let mut jitter = Jitter::seeded();
    let mut last_status = String::from("(not yet described)");
    progress.set_status("waiting for the first status");
    let timed_out = |last_status: &str| {
        CliError::failure(
            "WaiterTimeout",
            format!(
                "Waiter timed out after {}: the encryption of delivery stream \"{name}\" did not reach {ENABLED}; last status seen: {last_status}",
                human(start.elapsed())
            ),
        )
    };
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(timed_out(&last_status));
        }
        tokio::time::sleep(delay.min(deadline - now)).await;
        // The deadline bounds the whole wait, a slow describe included.
        let remaining = deadline.saturating_duration_since(Instant::now());
        let Ok(described) =
            tokio::time::timeout(remaining, firehose.describe_encryption(name)).await
        else {
            return Err(timed_out(&last_status));
        };
        let state = described?;
        let status = status_of(&state).unwrap_or("(none)").to_owned();
        progress.set_status(&status);
        if status == ENABLED || status == ENABLING_FAILED {
            return Ok(state);
        }
        last_status = status;
        let cap = MAX_DELAY.max(options.interval);
        delay = jitter
            .apply((delay * 2).max(MIN_DELAY).min(cap))
            .max(options.interval);
    }
}

/// `DeliveryStreamEncryptionConfiguration.Status` of a state.
pub fn status_of(state: &Value) -> Option<&str> {
    state
        .pointer("/DeliveryStreamEncryptionConfiguration/Status")
        .and_then(Value::as_str)
}

/// The failure to report for a state whose status is `ENABLING_FAILED`.
pub fn failure(state: &Value) -> Option<CliError> {
    if status_of(state) != Some(ENABLING_FAILED) {
        return None;
    }
    let field = |f: &str| {
        state
            .pointer(&format!(
                "/DeliveryStreamEncryptionConfiguration/FailureDescription/{f}"
            ))
            .and_then(Value::as_str)
            .unwrap_or("(not given)")
            .to_owned()
    };
    let name = state
        .get("DeliveryStreamName")
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(CliError::failure(
        "EnablingFailed",
        format!(
            "Enabling encryption failed for delivery stream \"{name}\": {}: {}",
            field("Type"),
            field("Details")
        ),
    ))
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
/// together spread out (xorshift; seeded from the clock, no crate needed).
struct Jitter(u64);

impl Jitter {
    fn seeded() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.subsec_nanos());
        Self(u64::from(nanos) | 1)
    }

    fn apply(&mut self, d: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let unit = (self.0 % 1000) as f64 / 1000.0;
        d.mul_f64(0.75 + 0.25 * unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_units_or_plain_seconds() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        for bad in ["", "abc", "5x", "-1", "1e30", "NaN", "inf", "5 m s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jitter_stays_within_a_quarter_below() {
        let mut j = Jitter(12345);
        for _ in 0..1000 {
            let d = j.apply(Duration::from_secs(4));
            assert!(
                d >= Duration::from_secs(3) && d <= Duration::from_secs(4),
                "{d:?}"
            );
        }
    }

    #[test]
    fn failure_names_type_and_details() {
        let state = serde_json::json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfiguration": {
            "KeyType": "CUSTOMER_MANAGED_CMK", "Status": "ENABLING_FAILED",
            "FailureDescription": {"Type": "KMS_ACCESS_DENIED", "Details": "Access denied to key."}}});
        assert_eq!(
            failure(&state).map(|e| e.to_string()).as_deref(),
            Some(
                "Enabling encryption failed for delivery stream \"s1\": KMS_ACCESS_DENIED: Access denied to key."
            )
        );
        assert!(
            failure(
                &serde_json::json!({"DeliveryStreamEncryptionConfiguration": {"Status": "ENABLED"}})
            )
            .is_none()
        );
    }
}
