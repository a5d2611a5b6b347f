//! `start-stream-encryption`: see the library crate for how it works.

use std::process::ExitCode;

use start_delivery_stream_encryption::app;
use start_delivery_stream_encryption::kinesis::Kinesis;

fn main() -> ExitCode {
    app::run::<Kinesis, _, _>(std::env::args_os())
}
