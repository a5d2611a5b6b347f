//! Kinesis's rules in fleet mode (contract §11): what to do with one data
//! stream, decided from its summary. Pure: no calls.
//!
//! - With a wanted key, every stream converges to it; one already `KMS`
//!   with exactly that key gets no call (a stream takes 25 new keys in a
//!   rolling 24 hours).
//! - Without one, only an unencrypted stream gets `alias/aws/kinesis`; a
//!   stream encrypted with any key keeps it.
//! - A stream that is not `ACTIVE` cannot take a key: it is reported with
//!   its status.
//! - A summary the rules do not cover (no encryption type, or one or a
//!   status this tool does not know) is reported, never acted on.

use serde_json::Value;

/// The KeyId standing for the key Kinesis Data Streams owns.
pub const KINESIS_AWS_KEY: &str = "alias/aws/kinesis";

/// Every `StreamStatus` the API documents.
const STATUSES: [&str; 4] = ["CREATING", "DELETING", "ACTIVE", "UPDATING"];

/// What to do with one stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Already encrypted as wanted: no call.
    Keep,
    /// `StartStreamEncryption` with this KeyId.
    Start(String),
    /// Cannot be done now; why.
    Refuse(String),
    /// A summary these rules do not cover; what it says.
    Unknown(String),
}

/// Decide what to do with a stream from its summary (`StreamStatus`,
/// `EncryptionType`, `KeyId`) and the wanted KeyId, if any.
pub fn plan(summary: &Value, wanted: Option<&str>) -> Plan {
    let text = |key: &str| summary.get(key).and_then(Value::as_str);
    let kms = match text("EncryptionType") {
        Some("KMS") => true,
        Some("NONE") => false,
        other => {
            return Plan::Unknown(format!(
                "its encryption type {} is not one this tool knows; it does not act on it",
                other.unwrap_or("(none given)")
            ));
        }
    };
    let status = text("StreamStatus").unwrap_or("(none given)");
    if !STATUSES.contains(&status) {
        return Plan::Unknown(format!(
            "its status {status} is not one this tool knows; it does not act on it"
        ));
    }
    let key = match wanted {
        Some(k) if kms && text("KeyId") == Some(k) => return Plan::Keep,
        None if kms => return Plan::Keep,
        Some(k) => k,
        None => KINESIS_AWS_KEY,
    };
    if status != "ACTIVE" {
        return Plan::Refuse(format!(
            "the stream is {status}: it can take a key only when ACTIVE; run again once it is"
        ));
    }
    Plan::Start(key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn summary(status: &str, encryption: &str, key: Option<&str>) -> Value {
        let mut s = json!({"StreamStatus": status, "EncryptionType": encryption});
        if let Some(k) = key {
            s["KeyId"] = json!(k);
        }
        s
    }

    #[test]
    fn without_a_wanted_key_only_unencrypted_streams_get_the_kinesis_key() {
        assert_eq!(
            plan(&summary("ACTIVE", "NONE", None), None),
            Plan::Start(KINESIS_AWS_KEY.into())
        );
        assert_eq!(
            plan(&summary("ACTIVE", "KMS", Some("alias/mine")), None),
            Plan::Keep
        );
    }

    #[test]
    fn a_wanted_key_is_started_unless_already_in_place() {
        let mine = Some("alias/mine");
        assert_eq!(plan(&summary("ACTIVE", "KMS", mine), mine), Plan::Keep);
        assert_eq!(
            plan(&summary("ACTIVE", "KMS", Some(KINESIS_AWS_KEY)), mine),
            Plan::Start("alias/mine".into())
        );
        assert_eq!(
            plan(&summary("ACTIVE", "NONE", None), mine),
            Plan::Start("alias/mine".into())
        );
    }

    #[test]
    fn a_stream_that_is_not_active_is_reported_with_its_status() {
        let Plan::Refuse(why) = plan(&summary("UPDATING", "NONE", None), None) else {
            panic!("started a stream that is UPDATING");
        };
        assert!(why.contains("UPDATING"), "{why}");
        // Already as wanted needs no call, whatever the status.
        assert_eq!(
            plan(&summary("UPDATING", "KMS", Some("k")), Some("k")),
            Plan::Keep
        );
    }

    #[test]
    fn a_summary_the_rules_do_not_cover_is_never_acted_on() {
        assert!(matches!(
            plan(&json!({"StreamStatus": "ACTIVE"}), None),
            Plan::Unknown(_)
        ));
        assert!(matches!(
            plan(&summary("ACTIVE", "SOMETHING", None), None),
            Plan::Unknown(w) if w.contains("SOMETHING")
        ));
        assert!(matches!(
            plan(&summary("PAUSED", "NONE", None), Some("k")),
            Plan::Unknown(w) if w.contains("PAUSED")
        ));
    }
}
