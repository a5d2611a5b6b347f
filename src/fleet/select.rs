//! Which streams a fleet run covers: every stream of the region
//! (`ListDeliveryStreams`, all pages), or the names of a file or stdin.
//! Either way the names come back sorted, each once.

use serde_json::{Map, Value};

use crate::bounds::{self, MAX_LISTED};
use crate::error::CliError;
use crate::firehose::client::FirehoseClient;
use crate::firehose::model;
use crate::{terminal_text, validate};

/// The most names `ListDeliveryStreams` returns a page (the API's maximum).
const PAGE: i32 = 10_000;

/// The names of `--delivery-stream-names-from PATH` (`-`: stdin), checked
/// against the model before anything is sent.
pub fn names_from(path: &str) -> Result<Vec<String>, CliError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        CliError::ParamValidation(format!(
            "Unable to read --delivery-stream-names-from {path}: {e}"
        ))
    };
    let bytes = bounds::read_path_or_stdin(path).map_err(|e| unreadable(&e))?;
    let text =
        String::from_utf8(bytes).map_err(|_| unreadable(&"stream did not contain valid UTF-8"))?;
    parse_names(path, &text)
}

/// One name a line; blank lines and `#` comments skipped; duplicates once.
/// The first bad names are reported with their line numbers, the rest counted.
pub fn parse_names(path: &str, text: &str) -> Result<Vec<String>, CliError> {
    let mut names = Vec::new();
    let mut problems = Vec::new();
    let mut bad = 0;
    for (n, line) in text.lines().enumerate() {
        let name = line.trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        let mut doc = Map::new();
        doc.insert("DeliveryStreamName".into(), Value::from(name));
        match validate::check(model::INPUT, &doc, |_| Vec::new()) {
            Ok(()) => names.push(name.to_owned()),
            Err(_) if problems.len() >= MAX_LISTED => bad += 1,
            Err(e) => {
                bad += 1;
                problems.push(format!(
                    "--delivery-stream-names-from {path}, line {}: {}",
                    n + 1,
                    e.message().trim()
                ));
            }
        }
    }
    if bad > 0 {
        return Err(CliError::ParamValidation(terminal_text::listed(
            &problems,
            bad,
            "bad lines",
        )));
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// Every delivery stream of the region, all pages.
pub async fn all(firehose: &FirehoseClient) -> Result<Vec<String>, CliError> {
    let mut names: Vec<String> = Vec::new();
    loop {
        let (page, more) = firehose
            .list_page(names.last().map(String::as_str), PAGE)
            .await?;
        let empty = page.is_empty();
        names.extend(page);
        if !more || empty {
            break;
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_duplicates_are_skipped_and_names_sorted() {
        let names = parse_names("f", "# a list\n\nb\n  a  \nb\n#c\n").unwrap();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn every_bad_name_is_reported_with_its_line() {
        let long = "x".repeat(65);
        let err = parse_names("names.txt", &format!("ok\nmy stream!\n{long}\n")).unwrap_err();
        let message = err.message().to_owned();
        assert!(
            message.contains("--delivery-stream-names-from names.txt, line 2:"),
            "{message}"
        );
        assert!(message.contains("my stream!"), "{message}");
        assert!(message.contains("line 3:"), "{message}");
        assert_eq!(err.code(), "ParamValidation");
    }

    #[test]
    fn only_the_first_bad_lines_are_listed_and_the_rest_counted() {
        let text: String = (0..1000).map(|i| format!("bad {i}\n")).collect();
        let message = parse_names("f", &text).unwrap_err().message().to_owned();
        assert!(message.contains("f, line 20:"), "{message}");
        assert!(!message.contains("f, line 21:"), "{message}");
        assert!(
            message.ends_with("\n… 980 more bad lines not shown"),
            "{message}"
        );
    }

    #[test]
    fn an_empty_list_is_no_streams() {
        assert!(parse_names("f", "# nothing\n").unwrap().is_empty());
    }
}
