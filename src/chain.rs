//! Walking an error's chain of causes, including the payloads of
//! `io::Error`s that `source()` skips: what the error classification and
//! the TLS checks look through.

use std::error::Error as StdError;

/// `error`, then each error after it: an `io::Error`'s payload, or
/// `source()`. (`io::Error::source` skips the payload, and hyper-rustls
/// nests its `rustls::Error` two `io::Error`s deep.)
pub fn error_chain<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&e| match e.downcast_ref::<std::io::Error>() {
        Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
        None => e.source(),
    })
}

/// The first error of type `T` in `err`'s chain, as [`error_chain`] walks it.
pub fn find_source<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    error_chain(err).find_map(|e| e.downcast_ref::<T>())
}
