//! Explanations for refusals of StartDeliveryStreamEncryption: a hint line
//! that says why the service likely refused and what to do, built from facts
//! (the error code, the KMS error it carries, a description of the stream)
//! rather than guesses. The canonical error line and exit code stay as they
//! are; a hint only adds.

use super::description::Description;
use crate::terminal_text;

/// A hint that needs nothing but the error itself: the start/stop budget,
/// or the KMS error code carried by `InvalidKMSResourceException`.
pub fn from_error(code: &str, kms_code: Option<&str>) -> Option<String> {
    match code {
        "LimitExceededException" => Some(
            "StartDeliveryStreamEncryption and StopDeliveryStreamEncryption share a budget of 25 calls \
             per delivery stream in any 24 hours; wait for older calls to age out before retrying. \
             A customer managed KMS key can also serve at most 500 delivery streams."
                .to_owned(),
        ),
        "InvalidKMSResourceException" => Some(kms(kms_code)),
        _ => None,
    }
}

fn kms(kms_code: Option<&str>) -> String {
    let specific = match kms_code {
        Some("AccessDeniedException") => {
            "the key policy or the caller's IAM policy does not allow Firehose to use the key"
        }
        Some("DisabledException") => {
            "the key is disabled: enable it (aws kms enable-key --key-id …)"
        }
        Some("InvalidStateException") => {
            "the key is not in a usable state (pending deletion or pending import)"
        }
        Some("NotFoundException") => "no key with that ARN exists in this account and region",
        _ => "KMS refused the key",
    };
    let code = kms_code
        .map(|c| format!(" ({})", terminal_text::value(c)))
        .unwrap_or_default();
    format!(
        "KMS refused the key{code}: {specific}. Check that the key is enabled and symmetric, that its \
         policy lets the caller use kms:CreateGrant, kms:Encrypt and kms:Decrypt, and that the calling \
         session's credentials are younger than 6 hours (Firehose creates a KMS grant with them)."
    )
}

/// Why a stream like this one cannot take the call, if its description says.
/// The description's values are shown as [`terminal_text::value`]s: the
/// hint's own line breaks are the only ones it has.
pub fn from_description(d: &Description) -> Option<String> {
    let name = &d.name;
    match d.stream_type.as_deref() {
        Some("KinesisStreamAsSource") => {
            let arn = terminal_text::value(
                d.kinesis_source_arn
                    .as_deref()
                    .unwrap_or("<source stream ARN>"),
            );
            return Some(format!(
                "Delivery stream \"{name}\" reads from the Kinesis data stream {arn}. Firehose encrypts only \
                 Direct PUT streams; data from a Kinesis source is protected by the source stream's own \
                 server-side encryption. Enable it there:\n  start-stream-encryption \
                 --stream-arn {arn} --encryption-type KMS --key-id alias/aws/kinesis\nor with the AWS CLI:\n  \
                 aws kinesis start-stream-encryption --stream-arn {arn} --encryption-type KMS --key-id alias/aws/kinesis"
            ));
        }
        Some(other) if other != "DirectPut" => {
            let other = terminal_text::value(other);
            return Some(format!(
                "Delivery stream \"{name}\" has source type {other}. StartDeliveryStreamEncryption applies \
                 only to Direct PUT streams; data from this source is protected by the source's own encryption."
            ));
        }
        _ => {}
    }
    match d.status.as_deref() {
        Some(status) if status != "ACTIVE" => Some(format!(
            "Delivery stream \"{name}\" is {}, and encryption can only be changed while it is ACTIVE. \
             Retry once it is ACTIVE (aws firehose describe-delivery-stream --delivery-stream-name {name}).",
            terminal_text::value(status)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(stream_type: &str, status: &str) -> Description {
        Description {
            name: "s1".into(),
            status: Some(status.into()),
            stream_type: Some(stream_type.into()),
            ..Description::default()
        }
    }

    #[test]
    fn kinesis_source_names_the_source_arn_and_the_kinesis_command() {
        let mut d = stream("KinesisStreamAsSource", "ACTIVE");
        d.kinesis_source_arn = Some("arn:aws:kinesis:us-east-1:123456789012:stream/src".into());
        let hint = from_description(&d).unwrap();
        assert!(hint.contains("reads from the Kinesis data stream arn:aws:kinesis:us-east-1:123456789012:stream/src"), "{hint}");
        let first = hint.lines().position(|l| l.trim().starts_with("start-stream-encryption --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/src"));
        let second = hint
            .lines()
            .position(|l| l.trim().starts_with("aws kinesis start-stream-encryption"));
        assert!(
            first.is_some() && first < second,
            "this tool's command first: {hint}"
        );
        assert!(hint.ends_with(
            "aws kinesis start-stream-encryption --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/src --encryption-type KMS --key-id alias/aws/kinesis"
        ), "{hint}");
    }

    #[test]
    fn other_sources_and_inactive_streams_are_explained_and_healthy_ones_are_not() {
        assert!(
            from_description(&stream("MSKAsSource", "ACTIVE"))
                .unwrap()
                .contains("source type MSKAsSource")
        );
        let hint = from_description(&stream("DirectPut", "CREATING")).unwrap();
        assert!(
            hint.starts_with("Delivery stream \"s1\" is CREATING")
                && hint.contains("Retry once it is ACTIVE"),
            "{hint}"
        );
        assert_eq!(from_description(&stream("DirectPut", "ACTIVE")), None);
    }

    #[test]
    fn limit_and_kms_hints_need_no_describe() {
        assert!(
            from_error("LimitExceededException", None)
                .unwrap()
                .contains("25 calls")
        );
        let hint = from_error("InvalidKMSResourceException", Some("DisabledException")).unwrap();
        assert!(
            hint.starts_with("KMS refused the key (DisabledException): the key is disabled"),
            "{hint}"
        );
        assert!(
            hint.contains("kms:CreateGrant") && hint.contains("6 hours"),
            "{hint}"
        );
        assert_eq!(from_error("ResourceNotFoundException", None), None);
    }
}
