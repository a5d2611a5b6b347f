//! `start-delivery-stream-encryption`: see the library crate for how it works.

use std::process::ExitCode;

fn main() -> ExitCode {
    start_delivery_stream_encryption::app::run(std::env::args_os())
}
