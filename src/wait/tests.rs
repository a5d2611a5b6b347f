use std::cell::Cell;

use serde_json::json;

use super::*;
use crate::firehose::model::{WAITER, wait_subject};

const OLD: &str = "arn:aws:kms:us-east-1:123456789012:key/old";
const NEW: &str = "arn:aws:kms:us-east-1:123456789012:key/new";

fn state(status: &str, key_type: &str, key_arn: Option<&str>) -> Value {
    let mut enc = json!({"KeyType": key_type, "Status": status});
    if let Some(arn) = key_arn {
        enc["KeyARN"] = json!(arn);
    }
    json!({"DeliveryStreamName": "s1", "DeliveryStreamEncryptionConfiguration": enc})
}

fn cmk(arn: &str) -> Map<String, Value> {
    json!({"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": arn})
        .as_object()
        .cloned()
        .unwrap_or_default()
}

const FAST: WaitOptions = WaitOptions {
    timeout: Duration::from_secs(5),
    interval: Duration::from_millis(1),
};

/// Run the waiter over `states` (the last repeats) and count the polls.
fn run_over(
    requested: &Map<String, Value>,
    before: Option<&Value>,
    states: &[Value],
    options: WaitOptions,
) -> (Result<Settled, CliError>, usize) {
    let subject = wait_subject("s1");
    let wait = Wait {
        waiter: &WAITER,
        subject: &subject,
        requested,
        before,
        options,
    };
    let polls = Cell::new(0usize);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let result = runtime.block_on(until_settled(
        &wait,
        || {
            let i = polls.get();
            polls.set(i + 1);
            let s = states[i.min(states.len() - 1)].clone();
            async move { Ok(s) }
        },
        &Progress::new("s1"),
        &Watch::default(),
    ));
    (result, polls.get())
}

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
fn durations_beyond_seven_days_name_the_bound() {
    assert_eq!(parse_duration("604800"), Ok(Duration::from_secs(604_800)));
    assert_eq!(parse_duration("168h"), Ok(Duration::from_secs(604_800)));
    assert_eq!(parse_duration("1e3"), Ok(Duration::from_secs(1000)));
    for huge in [
        "604801",
        "99999999999999999999s",
        "1e300",
        "1e300h",
        "inf",
        "1e400",
    ] {
        let err = parse_duration(huge).unwrap_err();
        assert!(
            err.contains("at most 604800 seconds (7 days)")
                || err.contains("expected a duration such as"),
            "{huge}: {err}"
        );
    }
    assert!(
        parse_duration("1e300")
            .unwrap_err()
            .contains("at most 604800")
    );
}

#[test]
fn jitter_stays_within_a_quarter_below() {
    let mut j = Jitter(fastrand::Rng::with_seed(12345));
    for _ in 0..1000 {
        let d = j.apply(Duration::from_secs(4));
        assert!(
            d >= Duration::from_secs(3) && d <= Duration::from_secs(4),
            "{d:?}"
        );
    }
}

#[test]
fn the_old_key_still_enabled_does_not_end_a_key_change() {
    let before = state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(OLD));
    let states = [
        before.clone(),
        state("ENABLING", "CUSTOMER_MANAGED_CMK", Some(NEW)),
        state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(NEW)),
    ];
    let (result, polls) = run_over(&cmk(NEW), Some(&before), &states, FAST);
    let settled = result.expect("settled");
    assert!(settled.failure.is_none());
    assert_eq!(settled.state, states[2]);
    assert_eq!(polls, 3);
}

#[test]
fn another_key_type_enabled_is_not_success() {
    // Asked for the AWS owned key; a customer key is still ENABLED.
    let requested = json!({"KeyType": "AWS_OWNED_CMK"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let states = [
        state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(OLD)),
        state("ENABLED", "AWS_OWNED_CMK", None),
    ];
    let (result, polls) = run_over(&requested, None, &states, FAST);
    assert_eq!(result.expect("settled").state, states[1]);
    assert_eq!(polls, 2);
}

#[test]
fn without_a_configuration_any_enabled_key_is_success() {
    let states = [state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(OLD))];
    let (result, polls) = run_over(&Map::new(), None, &states, FAST);
    assert!(result.expect("settled").failure.is_none());
    assert_eq!(polls, 1);
}

#[test]
fn an_earlier_enabling_failed_does_not_end_the_wait() {
    let mut before = state("ENABLING_FAILED", "CUSTOMER_MANAGED_CMK", Some(OLD));
    before["DeliveryStreamEncryptionConfiguration"]["FailureDescription"] =
        json!({"Type": "KMS_KEY_NOT_FOUND", "Details": "old failure"});
    let states = [
        before.clone(),
        state("ENABLING", "CUSTOMER_MANAGED_CMK", Some(NEW)),
        state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(NEW)),
    ];
    let (result, polls) = run_over(&cmk(NEW), Some(&before), &states, FAST);
    let settled = result.expect("settled");
    assert!(settled.failure.is_none(), "{:?}", settled.failure);
    assert_eq!(polls, 3);
}

#[test]
fn an_unchanged_earlier_failure_times_out_saying_so() {
    let before = state("ENABLING_FAILED", "CUSTOMER_MANAGED_CMK", Some(OLD));
    let options = WaitOptions {
        timeout: Duration::from_millis(150),
        interval: Duration::from_millis(1),
    };
    let (result, _) = run_over(
        &cmk(NEW),
        Some(&before),
        std::slice::from_ref(&before),
        options,
    );
    let message = result.expect_err("a timeout").to_string();
    assert!(
        message.ends_with(&format!(
            "last status seen: ENABLING_FAILED (unchanged since before the call); key in place: KeyType=CUSTOMER_MANAGED_CMK, KeyARN={OLD}"
        )),
        "{message}"
    );
}

#[test]
fn a_failed_key_change_names_the_old_key_that_stays() {
    let before = state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(OLD));
    let mut failed = state("ENABLING_FAILED", "CUSTOMER_MANAGED_CMK", Some(NEW));
    failed["DeliveryStreamEncryptionConfiguration"]["FailureDescription"] =
        json!({"Type": "KMS_ACCESS_DENIED", "Details": "Access denied to key."});
    let (result, _) = run_over(&cmk(NEW), Some(&before), &[failed], FAST);
    let failure = result.expect("settled").failure.expect("a failure");
    assert_eq!(
        failure.to_string(),
        format!(
            "Enabling encryption failed for delivery stream \"s1\": KMS_ACCESS_DENIED: Access denied to key. Encryption stays ENABLED with the key in place before this call: KeyType=CUSTOMER_MANAGED_CMK, KeyARN={OLD}"
        )
    );
}

#[test]
fn a_timeout_names_the_key_in_place() {
    let options = WaitOptions {
        timeout: Duration::from_millis(150),
        interval: Duration::from_millis(1),
    };
    let states = [state("ENABLED", "CUSTOMER_MANAGED_CMK", Some(OLD))];
    let (result, _) = run_over(&cmk(NEW), None, &states, options);
    let message = result.expect_err("a timeout").to_string();
    assert!(
        message.starts_with("Waiter timed out after ")
            && message.ends_with(&format!(
                ": the encryption of delivery stream \"s1\" did not reach ENABLED with the requested key; last status seen: ENABLED; key in place: KeyType=CUSTOMER_MANAGED_CMK, KeyARN={OLD}"
            )),
        "{message}"
    );
}

#[test]
fn the_interrupted_line_says_accepted_last_status_and_how_to_check() {
    let watch = Watch::default();
    watch.record("ENABLING");
    assert_eq!(
        interrupted_message("StartDeliveryStreamEncryption", &wait_subject("s1"), &watch),
        "Interrupted while waiting: the service accepted StartDeliveryStreamEncryption for delivery stream \"s1\" and goes on with it; last status seen: ENABLING. Check it with: aws firehose describe-delivery-stream --delivery-stream-name s1 --query DeliveryStreamDescription.DeliveryStreamEncryptionConfiguration"
    );
}
