//! Counting what one API call costs: every attempt the SDK sends (retries
//! included), and how many of them the service throttled. A [`CallCount`]
//! is an SDK interceptor added to one call, so that concurrent calls are
//! counted apart; the fleet's entries and `--debug` log report the totals.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// The error codes that mean "slow down", as the SDK's retry classifier
/// knows them (aws-runtime's `THROTTLING_ERRORS`).
const THROTTLING_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Attempts sent and attempts throttled, as plain numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calls {
    /// Requests sent, retries included.
    pub made: u32,
    /// Of those, answered with a throttling error.
    pub throttled: u32,
}

impl std::ops::AddAssign for Calls {
    fn add_assign(&mut self, other: Calls) {
        self.made = self.made.saturating_add(other.made);
        self.throttled = self.throttled.saturating_add(other.throttled);
    }
}

/// The counter one call carries; clones share it.
#[derive(Debug, Clone, Default)]
pub struct CallCount(Arc<Counters>);

#[derive(Debug, Default)]
struct Counters {
    made: AtomicU32,
    throttled: AtomicU32,
}

impl CallCount {
    /// What was counted so far.
    pub fn calls(&self) -> Calls {
        Calls {
            made: self.0.made.load(Ordering::Relaxed),
            throttled: self.0.throttled.load(Ordering::Relaxed),
        }
    }
}

impl Intercept for CallCount {
    fn name(&self) -> &'static str {
        "CallCount"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.made.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if is_throttled(context.response()) {
            self.0.throttled.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Whether a response says "slow down": HTTP 429, or an error code of
/// the throttling codes in the JSON body's `__type` (after any `#`) or the
/// `x-amzn-ErrorType` header (before any `:`).
pub fn is_throttled(response: &HttpResponse) -> bool {
    let status = response.status().as_u16();
    if status == 429 {
        return true;
    }
    if status < 400 {
        return false;
    }
    let from_header = response
        .headers()
        .get("x-amzn-errortype")
        .map(|v| v.split(':').next().unwrap_or_default().to_owned());
    let from_body = || {
        let doc: serde_json::Value = serde_json::from_slice(response.body().bytes()?).ok()?;
        let code = doc.get("__type")?.as_str()?;
        Some(code.rsplit('#').next().unwrap_or(code).to_owned())
    };
    from_header
        .or_else(from_body)
        .is_some_and(|code| THROTTLING_CODES.contains(&code.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(
            StatusCode::try_from(status).unwrap(),
            SdkBody::from(body.to_owned()),
        )
    }

    #[test]
    fn throttling_is_read_from_the_status_and_the_error_code() {
        assert!(is_throttled(&response(429, "")));
        assert!(is_throttled(&response(
            400,
            r#"{"__type": "ThrottlingException", "message": "Please slow down."}"#
        )));
        assert!(is_throttled(&response(
            400,
            r#"{"__type": "com.amazonaws#LimitExceededException"}"#
        )));
        assert!(!is_throttled(&response(
            400,
            r#"{"__type": "ResourceNotFoundException"}"#
        )));
        assert!(!is_throttled(&response(200, "{}")));
        assert!(!is_throttled(&response(500, "not json")));
    }

    #[test]
    fn counts_add_without_overflow() {
        let mut total = Calls {
            made: u32::MAX,
            throttled: 1,
        };
        total += Calls {
            made: 1,
            throttled: 2,
        };
        assert_eq!(
            total,
            Calls {
                made: u32::MAX,
                throttled: 3
            }
        );
    }
}
