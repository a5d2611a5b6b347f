//! The structure parameter path, as the CLI runs it on the value of
//! `--delivery-stream-encryption-configuration-input`: the JSON-or-shorthand
//! decision, the parse, then the typed Firehose request built from the resulting document.
//! Errors are fine; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use start_delivery_stream_encryption::input;

const FLAG: &str = "--delivery-stream-encryption-configuration-input";

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    // `file://` / `fileb://` read the local file system (even `/dev/stdin`):
    // that is I/O, not parsing, and would make runs hang or depend on the machine.
    if raw.contains("file://") || raw.contains("fileb://") {
        return;
    }
    match input::structure_param(FLAG, &raw) {
        Ok(value) => {
            let mut doc = Map::new();
            doc.insert("DeliveryStreamName".into(), Value::String("s1".into()));
            doc.insert("DeliveryStreamEncryptionConfigurationInput".into(), value);
            if let Err(error) = start_delivery_stream_encryption::firehose::typed(&doc) {
                assert!(!error.to_string().is_empty());
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
