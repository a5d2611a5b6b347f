//! `start-delivery-stream-encryption`: see the library crate for how it works.

use std::process::ExitCode;

use start_delivery_stream_encryption::app;
use start_delivery_stream_encryption::firehose::Firehose;

fn main() -> ExitCode {
    app::run::<Firehose, _, _>(std::env::args_os())
}
