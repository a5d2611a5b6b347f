//! Firehose's rules in fleet mode: what to do with one delivery stream,
//! decided from its description and, for a Kinesis-sourced stream, its
//! source's summary. Pure: no calls.
//!
//! The rules (contract §9, §14):
//! - A Direct PUT stream with a wanted key converges to it, unless it
//!   already has exactly that key (`ENABLED` or `ENABLING`): the 25 start
//!   and stop calls per stream per 24 hours are not spent on it.
//! - Without a wanted key, only a stream that is not encrypted gets one (the
//!   AWS owned key); a stream encrypted with any key keeps it, and a failed
//!   attempt with a customer managed key is never retried with another key.
//! - A Kinesis-sourced stream is encrypted at rest by its source. With
//!   `--encrypt-kinesis-sources` the source gets `StartStreamEncryption`
//!   under the same rules (`alias/aws/kinesis` stands for an AWS owned key);
//!   without it, an unencrypted source is reported, not touched.
//! - Any other source type cannot be encrypted by this call.
//! - A description the rules do not cover (a key named without a status,
//!   a status or type this tool does not know) is reported, never acted on:
//!   no start call on a guess.

use serde_json::{Map, Value};

use super::model::CUSTOMER_MANAGED_CMK;
use super::request::EncryptionInput;

/// The KeyId standing for Kinesis's AWS managed key.
pub const KINESIS_AWS_KEY: &str = "alias/aws/kinesis";

/// What to do with one stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Already encrypted as wanted: no call.
    Keep,
    /// `StartDeliveryStreamEncryption` with the wanted key (none: the
    /// service's default, an AWS owned key).
    Start,
    /// The Kinesis source is already encrypted as wanted: no call.
    KeepSource,
    /// `StartStreamEncryption` on the source with this KeyId.
    StartSource(String),
    /// The source is not encrypted and `--encrypt-kinesis-sources` was not
    /// given; the KeyId it would get.
    NeedsSource(String),
    /// Encrypted at rest by its source, which always encrypts: the
    /// evidence.
    ProtectedBy(String),
    /// Its encryption at rest is its source's, which this tool cannot see.
    NotApplicable(String),
    /// Cannot be done; why.
    Refuse(String),
    /// The description is one these rules do not cover; what it says.
    Unknown(String),
}

/// Every `DeliveryStreamEncryptionConfiguration.Status` the API documents.
const STATUSES: [&str; 6] = [
    "ENABLED",
    "ENABLING",
    "ENABLING_FAILED",
    "DISABLED",
    "DISABLING",
    "DISABLING_FAILED",
];

/// Source types whose encryption at rest is the source's, which this tool
/// cannot see.
const OTHER_SOURCES: [&str; 1] = ["DatabaseAsSource"];

/// The facts about one stream that the plan is made from.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// `DeliveryStreamType`, e.g. `DirectPut`.
    pub stream_type: Option<&'a str>,
    /// `DeliveryStreamEncryptionConfiguration`, if described.
    pub encryption: Option<&'a Map<String, Value>>,
    /// The source's summary (`EncryptionType`, `KeyId`), for a
    /// Kinesis-sourced stream.
    pub source: Option<&'a Value>,
    /// The MSK cluster that is its source, for an `MSKAsSource` stream.
    pub msk_cluster: Option<&'a str>,
}

/// Decide what to do with a stream.
pub fn plan(facts: Facts<'_>, wanted: Option<&EncryptionInput>, encrypt_sources: bool) -> Plan {
    match facts.stream_type {
        Some("DirectPut") => direct_put(facts.encryption, wanted),
        Some("KinesisStreamAsSource") => kinesis_sourced(facts.source, wanted, encrypt_sources),
        Some("MSKAsSource") => Plan::ProtectedBy(format!(
            "encrypted at rest by Amazon MSK, which always encrypts data at rest: its source is \
             the MSK cluster {}",
            facts
                .msk_cluster
                .unwrap_or("(not named in the description)")
        )),
        Some(other) if OTHER_SOURCES.contains(&other) => Plan::NotApplicable(format!(
            "StartDeliveryStreamEncryption applies only to Direct PUT streams; a {other} \
             stream's encryption at rest is its source's, which this tool does not see"
        )),
        Some(other) => Plan::Unknown(format!(
            "the stream's type {other} is not one this tool knows; it does not act on it"
        )),
        None => Plan::Unknown(
            "the description does not say the stream's type; this tool does not act on it"
                .to_owned(),
        ),
    }
}

/// What is wrong with an encryption description these rules do not cover,
/// if anything: a key named without a status, or a status not documented.
fn uncovered(encryption: Option<&Map<String, Value>>) -> Option<String> {
    let e = encryption?;
    let text = |key: &str| e.get(key).and_then(Value::as_str);
    match text("Status") {
        Some(s) if STATUSES.contains(&s) => None,
        Some(s) => Some(format!(
            "its encryption status {s} is not one this tool knows; it does not act on it"
        )),
        None if text("KeyType").is_some() || text("KeyARN").is_some() => Some(format!(
            "its encryption names {} without a Status; this tool does not act on a key it \
             cannot see the state of (describe it with aws firehose describe-delivery-stream)",
            text("KeyType").unwrap_or("a key")
        )),
        None => None,
    }
}

fn direct_put(encryption: Option<&Map<String, Value>>, wanted: Option<&EncryptionInput>) -> Plan {
    if let Some(why) = uncovered(encryption) {
        return Plan::Unknown(why);
    }
    let text = |key: &str| encryption.and_then(|e| e.get(key)).and_then(Value::as_str);
    let status = text("Status");
    let on = matches!(status, Some("ENABLED" | "ENABLING"));
    match wanted {
        Some(w) => {
            let same_key = text("KeyType") == Some(w.key_type.as_str())
                && (w.key_type != CUSTOMER_MANAGED_CMK || text("KeyARN") == w.key_arn.as_deref());
            if on && same_key {
                Plan::Keep
            } else {
                Plan::Start
            }
        }
        None if on => Plan::Keep,
        None if status == Some("ENABLING_FAILED")
            && text("KeyType") == Some(CUSTOMER_MANAGED_CMK) =>
        {
            Plan::Refuse(
                "the last start with a customer managed key failed; name the key with \
                 --delivery-stream-encryption-configuration-input to try again"
                    .to_owned(),
            )
        }
        None => Plan::Start,
    }
}

/// The KeyId a source should have for `wanted`.
pub fn source_key(wanted: Option<&EncryptionInput>) -> String {
    match wanted {
        Some(w) if w.key_type == CUSTOMER_MANAGED_CMK => w.key_arn.clone().unwrap_or_default(),
        _ => KINESIS_AWS_KEY.to_owned(),
    }
}

fn kinesis_sourced(
    source: Option<&Value>,
    wanted: Option<&EncryptionInput>,
    encrypt_sources: bool,
) -> Plan {
    let Some(source) = source else {
        return Plan::Refuse("its Kinesis source could not be described".to_owned());
    };
    let text = |key: &str| source.get(key).and_then(Value::as_str);
    let key = source_key(wanted);
    let kms = match text("EncryptionType") {
        Some("KMS") => true,
        Some("NONE") => false,
        other => {
            return Plan::Unknown(format!(
                "its Kinesis source's encryption type {} is not one this tool knows; it does \
                 not act on it",
                other.unwrap_or("(none given)")
            ));
        }
    };
    if !encrypt_sources {
        return if kms {
            Plan::KeepSource
        } else {
            Plan::NeedsSource(key)
        };
    }
    let satisfied = match wanted {
        Some(_) => kms && text("KeyId") == Some(key.as_str()),
        None => kms,
    };
    if satisfied {
        Plan::KeepSource
    } else {
        Plan::StartSource(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn enc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn direct(e: Option<&Map<String, Value>>, wanted: Option<&EncryptionInput>) -> Plan {
        let facts = Facts {
            stream_type: Some("DirectPut"),
            encryption: e,
            source: None,
            msk_cluster: None,
        };
        plan(facts, wanted, false)
    }

    fn cmk(arn: &str) -> EncryptionInput {
        EncryptionInput {
            key_type: CUSTOMER_MANAGED_CMK.into(),
            key_arn: Some(arn.into()),
        }
    }

    fn owned() -> EncryptionInput {
        EncryptionInput {
            key_type: "AWS_OWNED_CMK".into(),
            key_arn: None,
        }
    }

    #[test]
    fn without_a_wanted_key_only_unencrypted_streams_are_started() {
        assert_eq!(direct(None, None), Plan::Start);
        let off = enc(json!({"Status": "DISABLED"}));
        assert_eq!(direct(Some(&off), None), Plan::Start);
        let customer =
            enc(json!({"KeyType": CUSTOMER_MANAGED_CMK, "KeyARN": ARN, "Status": "ENABLED"}));
        assert_eq!(direct(Some(&customer), None), Plan::Keep);
        let enabling = enc(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING"}));
        assert_eq!(direct(Some(&enabling), None), Plan::Keep);
    }

    #[test]
    fn a_failed_customer_key_is_not_replaced_by_an_aws_owned_one() {
        let failed = enc(
            json!({"KeyType": CUSTOMER_MANAGED_CMK, "KeyARN": ARN, "Status": "ENABLING_FAILED"}),
        );
        assert!(matches!(direct(Some(&failed), None), Plan::Refuse(_)));
        assert_eq!(direct(Some(&failed), Some(&cmk(ARN))), Plan::Start);
        let owned_failed = enc(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING_FAILED"}));
        assert_eq!(direct(Some(&owned_failed), None), Plan::Start);
    }

    #[test]
    fn a_wanted_key_is_started_unless_already_in_place() {
        let customer =
            enc(json!({"KeyType": CUSTOMER_MANAGED_CMK, "KeyARN": ARN, "Status": "ENABLED"}));
        assert_eq!(direct(Some(&customer), Some(&cmk(ARN))), Plan::Keep);
        let other = format!("{}ff", &ARN[..ARN.len() - 2]);
        assert_eq!(direct(Some(&customer), Some(&cmk(&other))), Plan::Start);
        assert_eq!(direct(Some(&customer), Some(&owned())), Plan::Start);
        let aws = enc(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"}));
        assert_eq!(direct(Some(&aws), Some(&owned())), Plan::Keep);
        assert_eq!(direct(Some(&aws), Some(&cmk(ARN))), Plan::Start);
        let failed = enc(json!({"KeyType": "AWS_OWNED_CMK", "Status": "ENABLING_FAILED"}));
        assert_eq!(direct(Some(&failed), Some(&owned())), Plan::Start);
    }

    fn sourced(source: Option<&Value>, wanted: Option<&EncryptionInput>, flag: bool) -> Plan {
        let facts = Facts {
            stream_type: Some("KinesisStreamAsSource"),
            encryption: None,
            source,
            msk_cluster: None,
        };
        plan(facts, wanted, flag)
    }

    #[test]
    fn a_kinesis_source_is_encrypted_only_with_the_flag() {
        let none = json!({"EncryptionType": "NONE"});
        assert_eq!(
            sourced(Some(&none), None, false),
            Plan::NeedsSource(KINESIS_AWS_KEY.into())
        );
        assert_eq!(
            sourced(Some(&none), None, true),
            Plan::StartSource(KINESIS_AWS_KEY.into())
        );
        assert_eq!(
            sourced(Some(&none), Some(&cmk(ARN)), true),
            Plan::StartSource(ARN.into())
        );
        let kms = json!({"EncryptionType": "KMS", "KeyId": "alias/mine"});
        assert_eq!(sourced(Some(&kms), None, false), Plan::KeepSource);
        assert_eq!(sourced(Some(&kms), None, true), Plan::KeepSource);
        assert_eq!(
            sourced(Some(&kms), Some(&owned()), true),
            Plan::StartSource(KINESIS_AWS_KEY.into())
        );
        let aws = json!({"EncryptionType": "KMS", "KeyId": KINESIS_AWS_KEY});
        assert_eq!(sourced(Some(&aws), Some(&owned()), true), Plan::KeepSource);
        assert!(matches!(sourced(None, None, true), Plan::Refuse(_)));
    }

    #[test]
    fn a_description_the_rules_do_not_cover_is_never_acted_on() {
        let no_status = enc(json!({"KeyType": CUSTOMER_MANAGED_CMK, "KeyARN": ARN}));
        for wanted in [None, Some(owned()), Some(cmk(ARN))] {
            let Plan::Unknown(why) = direct(Some(&no_status), wanted.as_ref()) else {
                panic!("acted on a key without a status");
            };
            assert!(why.contains("without a Status"), "{why}");
        }
        let odd = enc(json!({"KeyType": "AWS_OWNED_CMK", "Status": "PAUSED"}));
        assert!(matches!(direct(Some(&odd), None), Plan::Unknown(w) if w.contains("PAUSED")));
        assert_eq!(direct(Some(&Map::new()), None), Plan::Start);
        let facts = Facts {
            stream_type: Some("SomeNewSource"),
            encryption: None,
            source: None,
            msk_cluster: None,
        };
        assert!(matches!(plan(facts, None, true), Plan::Unknown(_)));
        let odd_source = json!({"EncryptionType": "SOMETHING"});
        assert!(matches!(
            sourced(Some(&odd_source), None, true),
            Plan::Unknown(_)
        ));
    }

    #[test]
    fn an_msk_sourced_stream_is_encrypted_by_its_cluster_and_others_are_not_applicable() {
        let cluster = "arn:aws:kafka:us-east-1:123456789012:cluster/c/1";
        let msk = Facts {
            stream_type: Some("MSKAsSource"),
            encryption: None,
            source: None,
            msk_cluster: Some(cluster),
        };
        let Plan::ProtectedBy(why) = plan(msk, None, true) else {
            panic!("MSK is not evidence");
        };
        assert!(why.contains(cluster), "{why}");
        let database = Facts {
            stream_type: Some("DatabaseAsSource"),
            ..msk
        };
        let Plan::NotApplicable(why) = plan(database, None, true) else {
            panic!("acted on a database source");
        };
        assert!(why.contains("DatabaseAsSource"), "{why}");
    }
}
