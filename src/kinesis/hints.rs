//! Explanations for refusals of StartStreamEncryption: a hint line that says
//! why the service refused and what to do. The canonical error line and the
//! exit code stay as they are; a hint only adds.

use crate::terminal_text;

/// A hint that needs nothing but the error code.
pub fn from_error(code: &str) -> Option<String> {
    let text = match code {
        "KMSAccessDeniedException" => {
            "The key policy or the caller's IAM policy does not let Kinesis use the key: allow \
             kms:GenerateDataKey and kms:Decrypt for the caller, or use alias/aws/kinesis."
        }
        "KMSDisabledException" => {
            "The key is disabled: enable it (aws kms enable-key --key-id …) and retry."
        }
        "KMSNotFoundException" => {
            "No such key in this account and region: check the key ID, ARN or alias (alias/aws/kinesis \
             is the key owned by Kinesis Data Streams)."
        }
        "KMSInvalidStateException" => {
            "The key is not in a usable state (pending deletion or pending import): use an enabled key."
        }
        "KMSOptInRequired" => {
            "This account has not subscribed to AWS KMS in this region: opt in, or use alias/aws/kinesis."
        }
        "KMSThrottlingException" => "KMS throttled the request: retry after a short wait.",
        "LimitExceededException" => {
            "A stream can take a new KMS key 25 times in a rolling 24 hours; wait for older changes to age \
             out before retrying."
        }
        _ => return None,
    };
    Some(text.to_owned())
}

/// The hint for `ResourceInUseException`: the stream is not `ACTIVE`
/// (`status`, from the service, shown as a [`terminal_text::value`]).
pub fn not_active(stream: &str, status: &str, check_command: &str) -> String {
    let status = terminal_text::value(status);
    format!(
        "Stream \"{stream}\" is {status}; encryption can only be started while it is ACTIVE. Retry once it is \
         ACTIVE ({check_command})."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kms_and_budget_errors_have_hints_and_others_do_not() {
        for code in [
            "KMSAccessDeniedException",
            "KMSDisabledException",
            "KMSNotFoundException",
            "KMSInvalidStateException",
            "KMSOptInRequired",
            "KMSThrottlingException",
            "LimitExceededException",
        ] {
            assert!(from_error(code).is_some(), "{code}");
        }
        assert!(
            from_error("LimitExceededException")
                .unwrap()
                .contains("25 times")
        );
        assert_eq!(from_error("ResourceNotFoundException"), None);
    }

    #[test]
    fn not_active_names_the_status() {
        assert_eq!(
            not_active(
                "s",
                "UPDATING",
                "aws kinesis describe-stream-summary --stream-name s"
            ),
            "Stream \"s\" is UPDATING; encryption can only be started while it is ACTIVE. Retry once it is ACTIVE (aws kinesis describe-stream-summary --stream-name s)."
        );
    }
}
