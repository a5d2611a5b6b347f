//! The parts of a `DeliveryStreamDescription` this tool uses, read from the
//! SDK's shape or, when an emulator's reply cannot be parsed whole, from the
//! raw JSON.

use aws_sdk_firehose::types::DeliveryStreamDescription;
use serde_json::{Map, Value};

/// The parts of a `DeliveryStreamDescription` this tool uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Description {
    /// `DeliveryStreamName` (as asked for).
    pub name: String,
    /// `DeliveryStreamARN`.
    pub arn: Option<String>,
    /// `DeliveryStreamStatus`, e.g. `ACTIVE`.
    pub status: Option<String>,
    /// `DeliveryStreamType`, e.g. `DirectPut`.
    pub stream_type: Option<String>,
    /// `Source.KinesisStreamSourceDescription.KinesisStreamARN`.
    pub kinesis_source_arn: Option<String>,
    /// `Source.MSKSourceDescription.MSKClusterARN`.
    pub msk_cluster_arn: Option<String>,
    /// `DeliveryStreamEncryptionConfiguration` with only the members set,
    /// in model order (`KeyARN`, `KeyType`, `Status`, `FailureDescription`).
    pub encryption: Option<Map<String, Value>>,
}

impl Description {
    pub(super) fn from_sdk(name: &str, d: Option<&DeliveryStreamDescription>) -> Self {
        let Some(d) = d else {
            return Self {
                name: name.to_owned(),
                ..Self::default()
            };
        };
        let encryption = d.delivery_stream_encryption_configuration().map(|c| {
            let mut enc = Map::new();
            if let Some(arn) = c.key_arn() {
                enc.insert("KeyARN".into(), Value::from(arn));
            }
            if let Some(t) = c.key_type() {
                enc.insert("KeyType".into(), Value::from(t.as_str()));
            }
            if let Some(s) = c.status() {
                enc.insert("Status".into(), Value::from(s.as_str()));
            }
            if let Some(f) = c.failure_description() {
                enc.insert(
                    "FailureDescription".into(),
                    serde_json::json!({"Type": f.r#type().as_str(), "Details": f.details()}),
                );
            }
            enc
        });
        Self {
            name: name.to_owned(),
            arn: Some(d.delivery_stream_arn().to_owned()),
            status: Some(d.delivery_stream_status().as_str().to_owned()),
            stream_type: Some(d.delivery_stream_type().as_str().to_owned()),
            kinesis_source_arn: d
                .source()
                .and_then(|s| s.kinesis_stream_source_description())
                .and_then(|k| k.kinesis_stream_arn())
                .map(str::to_owned),
            msk_cluster_arn: d
                .source()
                .and_then(|s| s.msk_source_description())
                .and_then(|m| m.msk_cluster_arn())
                .map(str::to_owned),
            encryption,
        }
    }

    pub(super) fn from_raw(name: &str, body: &[u8]) -> Option<Self> {
        let doc: Value = serde_json::from_slice(body).ok()?;
        let d = doc.get("DeliveryStreamDescription")?;
        let text = |pointer: &str| {
            d.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let encryption = d
            .get("DeliveryStreamEncryptionConfiguration")
            .and_then(Value::as_object)
            .map(|c| {
                ["KeyARN", "KeyType", "Status", "FailureDescription"]
                    .iter()
                    .filter_map(|k| {
                        c.get(*k)
                            .filter(|v| !v.is_null())
                            .map(|v| ((*k).to_owned(), v.clone()))
                    })
                    .collect()
            });
        Some(Self {
            name: name.to_owned(),
            arn: text("/DeliveryStreamARN"),
            status: text("/DeliveryStreamStatus"),
            stream_type: text("/DeliveryStreamType"),
            kinesis_source_arn: text("/Source/KinesisStreamSourceDescription/KinesisStreamARN"),
            msk_cluster_arn: text("/Source/MSKSourceDescription/MSKClusterARN"),
            encryption,
        })
    }

    /// The `--wait` result: `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`.
    pub fn encryption_state(&self) -> Value {
        encryption_state(&self.name, self.encryption.as_ref())
    }
}

/// `{"DeliveryStreamName", "DeliveryStreamEncryptionConfiguration"}`, the
/// state the waiter reads, for a stream and its encryption (if any).
pub fn encryption_state(name: &str, encryption: Option<&Map<String, Value>>) -> Value {
    let mut state = Map::new();
    state.insert("DeliveryStreamName".into(), Value::from(name));
    if let Some(enc) = encryption {
        state.insert(
            "DeliveryStreamEncryptionConfiguration".into(),
            Value::Object(enc.clone()),
        );
    }
    Value::Object(state)
}
