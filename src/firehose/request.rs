//! The typed StartDeliveryStreamEncryption request, built from a document
//! that passed validation against [`model::INPUT`].

use serde_json::{Map, Value};

use super::model;
use crate::error::CliError;
use crate::validate;

/// A request that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartRequest {
    /// `DeliveryStreamName`.
    pub delivery_stream_name: String,
    /// `DeliveryStreamEncryptionConfigurationInput`; `None` sends no structure.
    pub encryption: Option<EncryptionInput>,
}

impl StartRequest {
    /// The key asked for, as the waiter's `Requested` matchers read it:
    /// `KeyType` and `KeyARN` when given, empty when no structure is sent.
    pub fn requested_key(&self) -> Map<String, Value> {
        let mut key = Map::new();
        if let Some(enc) = &self.encryption {
            key.insert("KeyType".into(), Value::from(enc.key_type.as_str()));
            if let Some(arn) = &enc.key_arn {
                key.insert("KeyARN".into(), Value::from(arn.as_str()));
            }
        }
        key
    }
}

/// `DeliveryStreamEncryptionConfigurationInput`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionInput {
    /// `KeyARN`.
    pub key_arn: Option<String>,
    /// `KeyType`: one of [`model::KEY_TYPES`].
    pub key_type: String,
}

/// Validate `doc` and build the typed request, or report every problem.
pub fn request(doc: &Map<String, Value>) -> Result<StartRequest, CliError> {
    validate::check(model::INPUT, doc, |_| Vec::new())?;
    let text = |obj: &Map<String, Value>, key: &str| {
        obj.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let encryption = doc
        .get("DeliveryStreamEncryptionConfigurationInput")
        .and_then(Value::as_object)
        .map(|enc| EncryptionInput {
            key_arn: text(enc, "KeyARN"),
            key_type: text(enc, "KeyType").unwrap_or_default(),
        });
    Ok(StartRequest {
        delivery_stream_name: text(doc, "DeliveryStreamName").unwrap_or_default(),
        encryption,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(v: Value) -> Result<StartRequest, String> {
        request(v.as_object().unwrap()).map_err(|e| match e {
            CliError::ParamValidation(m) => m,
            other => panic!("unexpected {other:?}"),
        })
    }

    const ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn valid_requests_become_typed() {
        assert_eq!(
            check(json!({"DeliveryStreamName": "s1"})).unwrap(),
            StartRequest {
                delivery_stream_name: "s1".into(),
                encryption: None
            }
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "a.b_c-1", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": ARN}}))
                .unwrap()
                .encryption,
            Some(EncryptionInput { key_arn: Some(ARN.into()), key_type: "CUSTOMER_MANAGED_CMK".into() })
        );
        let alias = "arn:aws-cn:kms:cn-north-1:123456789012:alias/my/key";
        assert!(check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": alias}})).is_ok());
    }

    #[test]
    fn botocore_missing_and_unknown_messages_in_botocore_order() {
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"Foo": "x"}})).unwrap_err(),
            "Parameter validation failed:\n\
             Missing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyType\"\n\
             Unknown parameter in DeliveryStreamEncryptionConfigurationInput: \"Foo\", must be one of: KeyARN, KeyType"
        );
        assert_eq!(
            check(json!({"Bogus": 1})).unwrap_err(),
            "Parameter validation failed:\n\
             Missing required parameter in input: \"DeliveryStreamName\"\n\
             Unknown parameter in input: \"Bogus\", must be one of: DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput"
        );
    }

    #[test]
    fn botocore_type_and_min_length_messages() {
        assert_eq!(
            check(json!({"DeliveryStreamName": ""})).unwrap_err(),
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamName, value: 0, valid min length: 1"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": ["a", "b"]}})).unwrap_err(),
            "Parameter validation failed:\nInvalid type for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: ['a', 'b'], type: <class 'list'>, valid types: <class 'str'>"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": "KeyType"})).unwrap_err(),
            "Parameter validation failed:\nInvalid type for parameter DeliveryStreamEncryptionConfigurationInput, value: KeyType, type: <class 'str'>, valid types: <class 'dict'>"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK", "KeyARN": null}})).unwrap_err(),
            "Parameter validation failed:\nInvalid type for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: None, type: <class 'NoneType'>, valid types: <class 'str'>"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": ""}})).unwrap_err(),
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamEncryptionConfigurationInput.KeyARN, value: 0, valid min length: 1"
        );
    }

    #[test]
    fn extra_checks_name_path_value_and_rule() {
        let long = "a".repeat(65);
        assert_eq!(
            check(json!({"DeliveryStreamName": long})).unwrap_err(),
            "Parameter validation failed:\nInvalid length for parameter DeliveryStreamName, value: 65, valid max length: 64"
        );
        assert!(check(json!({"DeliveryStreamName": "a".repeat(64)})).is_ok());
        assert_eq!(
            check(json!({"DeliveryStreamName": "bad name!"})).unwrap_err(),
            "Parameter validation failed:\nInvalid value for parameter DeliveryStreamName, value: \"bad name!\", valid pattern: [a-zA-Z0-9_.-]+"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s1\n"})).unwrap_err(),
            "Parameter validation failed:\nInvalid value for parameter DeliveryStreamName, value: \"s1\\n\", valid pattern: [a-zA-Z0-9_.-]+"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "BOGUS"}})).unwrap_err(),
            "Parameter validation failed:\nInvalid value for parameter DeliveryStreamEncryptionConfigurationInput.KeyType, value: \"BOGUS\", valid values: AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK"
        );
        assert_eq!(
            check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK"}})).unwrap_err(),
            "Parameter validation failed:\nMissing required parameter in DeliveryStreamEncryptionConfigurationInput: \"KeyARN\" (required when KeyType is CUSTOMER_MANAGED_CMK)"
        );
        for bad in [
            "alias/aws/firehose",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:12345:key/x",
            "arn:aws:s3:us-east-1:123456789012:key/x",
        ] {
            let err = check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": bad}})).unwrap_err();
            assert!(
                err.ends_with(&format!(
                    "value: \"{bad}\", valid pattern: {}",
                    model::KEY_ARN_PATTERN
                )),
                "{err}"
            );
        }
        let long_arn = format!("arn:aws:kms:us-east-1:123456789012:key/{}", "k".repeat(500));
        let err = check(json!({"DeliveryStreamName": "s", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": long_arn}})).unwrap_err();
        assert!(err.ends_with("value: 539, valid max length: 512"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = check(json!({"DeliveryStreamName": "bad name", "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "X", "keytype": "y"}})).unwrap_err();
        assert_eq!(err.lines().count(), 4, "{err}");
    }
}
