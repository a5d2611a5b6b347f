//! Parameter values that name a file: `file://PATH` (UTF-8 text, used
//! verbatim including any trailing newline) and `fileb://PATH` (raw bytes),
//! as the AWS CLI v2 reads them. `~` and `$VAR` in the path are expanded.
//! `http(s)://` values are not fetched (CLI v2): they stay literal.
//!
//! Error texts mirror the AWS CLI's, including the Python `[Errno N]` forms,
//! so scripts that match on them keep working. Every file is read with the
//! bound of `bounds` (contract §14): a device or a file over it is refused in
//! the same `Unable to load paramfile …: <reason>: '<path>'` shape.

use std::io;
use std::path::{Path, PathBuf};

use crate::bounds::{self, ReadError};

/// What a parameter value turned out to be after prefix loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// No prefix, or a `file://` whose content is text.
    Text(String),
    /// A `fileb://` value.
    Bytes(Vec<u8>),
}

/// Resolve `file://` and `fileb://` prefixes; any other value is returned as text unchanged.
///
/// The error is the AWS CLI's message without the `Error parsing parameter` prefix.
pub fn load(value: &str) -> Result<Loaded, String> {
    if let Some(path) = value.strip_prefix("file://") {
        let path = expand(path);
        let bytes = read(value, &path)?;
        String::from_utf8(bytes).map(Loaded::Text).map_err(|_| {
            format!(
                "Unable to load paramfile ({}), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix.",
                path.display()
            )
        })
    } else if let Some(path) = value.strip_prefix("fileb://") {
        read(value, &expand(path)).map(Loaded::Bytes)
    } else {
        Ok(Loaded::Text(value.to_owned()))
    }
}

/// The file's bytes, read with the bound of [`bounds::MAX_FILE_BYTES`]: a
/// device such as `/dev/zero` is refused at once, a larger file by its size.
fn read(value: &str, expanded: &Path) -> Result<Vec<u8>, String> {
    bounds::read_file(expanded, bounds::MAX_FILE_BYTES).map_err(|e| {
        let reason = match &e {
            ReadError::Io(io) => errno_text(io),
            other => other.to_string(),
        };
        format!(
            "Unable to load paramfile {value}: {reason}: '{}'",
            expanded.display()
        )
    })
}

/// Python's `os.path.expandvars(os.path.expanduser(path))`: a leading `~`
/// becomes `$HOME`; `$NAME` and `${NAME}` become the variable's value when it
/// is set and stay literal otherwise.
fn expand(path: &str) -> PathBuf {
    let home_expanded = match (path.strip_prefix('~'), std::env::var("HOME")) {
        (Some(rest), Ok(home)) if rest.is_empty() || rest.starts_with('/') => {
            format!("{home}{rest}")
        }
        _ => path.to_owned(),
    };
    PathBuf::from(expand_vars(&home_expanded))
}

fn expand_vars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match std::env::var(name) {
            Ok(v) if !name.is_empty() => out.push_str(&v),
            _ => out.push_str(&rest[i..i + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// The `[Errno N] text` Python prints for common I/O failures.
fn errno_text(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "[Errno 2] No such file or directory".into(),
        io::ErrorKind::PermissionDenied => "[Errno 13] Permission denied".into(),
        io::ErrorKind::IsADirectory => "[Errno 21] Is a directory".into(),
        _ => match e.raw_os_error() {
            Some(n) => format!("[Errno {n}] {}", strip_os_suffix(&e.to_string())),
            None => e.to_string(),
        },
    }
}

/// Rust renders OS errors as `text (os error N)`; Python shows only `text`.
fn strip_os_suffix(s: &str) -> &str {
    s.rfind(" (os error").map_or(s, |i| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_and_urls_stay_literal() {
        assert_eq!(load("s1").unwrap(), Loaded::Text("s1".into()));
        assert_eq!(
            load("https://example.invalid/x").unwrap(),
            Loaded::Text("https://example.invalid/x".into())
        );
    }

    #[test]
    fn file_keeps_trailing_newline_and_fileb_gives_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("name.txt");
        std::fs::write(&p, "s1\n").unwrap();
        assert_eq!(
            load(&format!("file://{}", p.display())).unwrap(),
            Loaded::Text("s1\n".into())
        );
        assert_eq!(
            load(&format!("fileb://{}", p.display())).unwrap(),
            Loaded::Bytes(b"s1\n".to_vec())
        );
    }

    #[test]
    fn missing_file_uses_python_errno_text() {
        assert_eq!(
            load("file:///nope/x").unwrap_err(),
            "Unable to load paramfile file:///nope/x: [Errno 2] No such file or directory: '/nope/x'"
        );
    }

    #[test]
    fn directory_and_undecodable_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        assert!(
            load(&format!("file://{d}"))
                .unwrap_err()
                .contains("[Errno 21] Is a directory")
        );
        let p = dir.path().join("bin");
        std::fs::write(&p, [0xff, 0xfe, 0x00]).unwrap();
        let err = load(&format!("file://{}", p.display())).unwrap_err();
        assert!(err.contains("text contents could not be decoded"), "{err}");
    }

    #[test]
    fn a_device_or_an_oversize_file_is_refused_naming_it() {
        assert_eq!(
            load("fileb:///dev/zero").unwrap_err(),
            "Unable to load paramfile fileb:///dev/zero: it is a device, not a file: '/dev/zero'"
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::File::create(&p)
            .unwrap()
            .set_len(bounds::MAX_FILE_BYTES + 1)
            .unwrap();
        let value = format!("file://{}", p.display());
        assert_eq!(
            load(&value).unwrap_err(),
            format!(
                "Unable to load paramfile {value}: it is larger than 16 MiB: '{}'",
                p.display()
            )
        );
    }

    #[test]
    fn variables_expand_only_when_set() {
        // SAFETY-free: reads only; PATH is always set in test environments.
        let path = std::env::var("PATH").unwrap();
        assert_eq!(expand_vars("$PATH/x"), format!("{path}/x"));
        assert_eq!(expand_vars("${PATH}"), path);
        assert_eq!(
            expand_vars("$SDSE_SURELY_UNSET_VAR/x"),
            "$SDSE_SURELY_UNSET_VAR/x"
        );
        assert_eq!(expand_vars("a$"), "a$");
        assert_eq!(expand_vars("${unterminated"), "${unterminated");
    }
}
