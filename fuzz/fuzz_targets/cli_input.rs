//! `--cli-input-json` / `--cli-input-yaml` documents through `input::document`
//! (read, type check, merge with the flags) and then `validate::check`.
//!
//! The first byte picks the format and which flags are given alongside the
//! document; the rest is the document. Errors are fine; a panic is a bug.
#![no_main]

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use start_delivery_stream_encryption::firehose::Firehose;
use start_delivery_stream_encryption::firehose::cli::Cli;
use start_delivery_stream_encryption::operation::Operation;
use start_delivery_stream_encryption::{input, validate};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    // `file://` / `fileb://` read the local file system: I/O, not parsing.
    if text.contains("file://") || text.contains("fileb://") {
        return;
    }
    let mut cli =
        Cli::try_parse_from(["start-delivery-stream-encryption"]).expect("bare argv parses");
    if selector & 1 == 0 {
        cli.input.cli_input_json = Some(text.into_owned());
    } else {
        cli.input.cli_input_yaml = Some(text.into_owned());
    }
    if selector & 2 != 0 {
        cli.delivery_stream_name = Some("s1".into());
    }
    if selector & 4 != 0 {
        cli.delivery_stream_encryption_configuration_input = Some("KeyType=AWS_OWNED_CMK".into());
    }
    if selector & 8 != 0 {
        // Both document flags: the "only one" error.
        cli.input.cli_input_json.get_or_insert_with(|| "{}".into());
        cli.input.cli_input_yaml.get_or_insert_with(|| "{}".into());
    }
    let values = Firehose::flag_values(&cli);
    let checked = input::require_flags(Firehose::INPUT, &values, &cli.input)
        .and_then(|()| input::document(Firehose::INPUT, &values, &cli.input))
        .and_then(|doc| validate::check(Firehose::INPUT, &doc, Firehose::extra_problems));
    if let Err(error) = checked {
        assert!(!error.to_string().is_empty());
    }
});
