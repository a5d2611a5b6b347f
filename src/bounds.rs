//! Every bound this tool puts on hostile input (contract §14), in one
//! place, and the bounded file read that every file the user names goes
//! through. Each bound is chosen so that no real input reaches it; the
//! README's reference lists them.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest file read: a parameter value (`file://`, `fileb://`), a
/// `--cli-input-json/yaml` document, a CA bundle, a names file, the AWS
/// config and credentials files. Real ones are kilobytes (a system CA bundle is about 200 KiB; 5,000 stream names
/// are about 330 KiB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The largest plan `--apply-plan` reads: about 90,000 streams' entries, a
/// large organization's worth.
pub const MAX_PLAN_BYTES: u64 = 64 * 1024 * 1024;

/// The most pages a listing may take. The services return up to 10,000
/// names a page: this is ten million streams, far past any account's quota.
pub const MAX_LIST_PAGES: usize = 1_000;

/// The most streams a listing may name in one account and region (the
/// default quota is 5,000 delivery streams a region).
pub const MAX_LISTED_STREAMS: usize = 1_000_000;

/// The longest `--cli-connect-timeout`, `--cli-read-timeout`,
/// `--wait-timeout` and `--wait-interval`, in seconds: 7 days. A socket
/// stalled that long, or an encryption change not settled after it (they take
/// seconds to minutes), is never what anyone waits for; `0` already means "no
/// timeout". The SDK multiplies the connect timeout by the attempts (its
/// credentials deadline) and adds the read timeout to the clock (a `ttl`
/// header, which panics past the year 9999): far below this, both stay safe.
pub const MAX_SECONDS: u64 = 7 * 24 * 3600;

/// The most attempts `AWS_MAX_ATTEMPTS` / `max_attempts` may ask for. The
/// AWS CLI's defaults are 3 (5 in legacy mode) and fleet mode's 10; with the
/// SDK's backoff capped at 20 s, 100 attempts already retry one call for over
/// half an hour. The SDK walks every attempt before each call (its
/// credentials deadline), so a billion attempts would spin for minutes.
pub const MAX_ATTEMPTS: u32 = 100;

/// The most calls fleet mode keeps in flight (`--max-concurrency`). The
/// control plane allows a few calls a second per account; more than 256 in
/// flight only collects throttling errors.
pub const MAX_CONCURRENCY: u16 = 256;

/// The most characters of one message from the service (an error message, a
/// member of the error response) or one line printed for people (a hint, a
/// table row, a progress line). Real service messages are a sentence or
/// two, at most a few hundred characters.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// The most characters of this tool's own message for one failure, which may
/// echo a value from a file (shorthand input, a list of problems). A list of
/// [`MAX_LISTED`] problems is well under it.
pub const MAX_REPORT_CHARS: usize = 16 * 1024;

/// The most items of a list printed for people: bad lines of a names file,
/// problems of one parameter check, members of an error response. The rest
/// are counted, not shown.
pub const MAX_LISTED: usize = 20;

/// Why a file was refused.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system's error (missing, no permission, a directory…).
    Io(io::Error),
    /// A character or block device such as `/dev/zero`: refused at once.
    Device,
    /// Larger than the bound.
    TooLarge(u64),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Device => f.write_str("it is a device, not a file"),
            ReadError::TooLarge(limit) => {
                write!(f, "it is larger than {}", human_bytes(*limit))
            }
        }
    }
}

/// Read the file at `path` whole, refusing a device at once and anything
/// larger than `limit` bytes. A pipe (`/dev/stdin`, `<(…)`) is read up to the
/// bound.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if meta.is_dir() {
        return Err(ReadError::Io(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    if is_device(&meta) {
        return Err(ReadError::Device);
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    read_to_limit(file, limit)
}

/// Judge the file at `path` by its metadata alone, for a file another
/// library reads (the AWS config files): a device or a file over `limit`
/// is refused; a missing file passes (the reader decides what that means).
pub fn check_file(path: &Path, limit: u64) -> Result<(), ReadError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(ReadError::Io(e)),
    };
    if is_device(&meta) {
        return Err(ReadError::Device);
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(())
}

/// The file at `path`, or standard input for `-`, read with the bound of
/// [`MAX_FILE_BYTES`] (a names file).
pub fn read_path_or_stdin(path: &str) -> Result<Vec<u8>, ReadError> {
    if path == "-" {
        read_to_limit(io::stdin().lock(), MAX_FILE_BYTES)
    } else {
        read_file(Path::new(path), MAX_FILE_BYTES)
    }
}

/// Read `reader` to its end, refusing more than `limit` bytes (stdin).
pub fn read_to_limit(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn is_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    t.is_char_device() || t.is_block_device()
}

#[cfg(not(unix))]
fn is_device(_meta: &std::fs::Metadata) -> bool {
    false
}

/// `16 MiB`, `512 KiB` or `100 bytes`.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    match n {
        n if n >= MIB && n % MIB == 0 => format!("{} MiB", n / MIB),
        n if n >= 1024 && n % 1024 == 0 => format!("{} KiB", n / 1024),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_refused_at_once() {
        let err = read_file(Path::new("/dev/zero"), MAX_FILE_BYTES).unwrap_err();
        assert!(matches!(err, ReadError::Device), "{err:?}");
    }

    #[test]
    fn a_file_over_the_bound_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_file(&path, 5).unwrap(), b"12345");
        let err = read_file(&path, 4).unwrap_err();
        assert_eq!(err.to_string(), "it is larger than 4 bytes");
    }

    #[test]
    fn a_file_judged_by_its_metadata() {
        assert!(matches!(
            check_file(Path::new("/dev/zero"), MAX_FILE_BYTES),
            Err(ReadError::Device)
        ));
        assert!(check_file(Path::new("/nonexistent/x"), 1).is_ok());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert!(check_file(&path, 5).is_ok());
        assert!(matches!(check_file(&path, 4), Err(ReadError::TooLarge(4))));
    }

    #[test]
    fn a_stream_is_read_up_to_the_bound() {
        assert_eq!(read_to_limit(&b"abc"[..], 3).unwrap(), b"abc");
        let endless = io::repeat(b'x');
        assert!(matches!(
            read_to_limit(endless, 1024),
            Err(ReadError::TooLarge(1024))
        ));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(MAX_FILE_BYTES), "16 MiB");
        assert_eq!(human_bytes(2048), "2 KiB");
        assert_eq!(human_bytes(100), "100 bytes");
    }
}
