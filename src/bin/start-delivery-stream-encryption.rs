//! `start-delivery-stream-encryption`: see the library crate for how it works.

use std::process::ExitCode;

use start_delivery_stream_encryption::firehose::fleet;

fn main() -> ExitCode {
    fleet::main(std::env::args_os())
}
