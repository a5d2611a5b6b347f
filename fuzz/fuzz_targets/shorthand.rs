//! `shorthand::parse` on arbitrary text: it may fail, it must not panic.
//!
//! The `@=` loader returns the value unchanged (an error for values holding
//! `!`, to reach the load-error path), like a `paramfile::load` without files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use start_delivery_stream_encryption::shorthand;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let mut load = |value: &str| {
        if value.contains('!') {
            Err(format!("cannot load {value}"))
        } else {
            Ok(Value::String(value.to_owned()))
        }
    };
    match shorthand::parse(&input, &mut load) {
        Ok(map) => drop(Value::Object(map).to_string()),
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
