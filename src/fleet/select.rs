//! Which streams a fleet run covers: every stream of a target (the
//! service's listing, every page, bounded: contract §14), or the names of a
//! file or stdin. Either way the names come back sorted, each once.

use super::gate::Caller;
use super::service::Service;
use crate::bounds::{self, MAX_LIST_PAGES, MAX_LISTED, MAX_LISTED_STREAMS};
use crate::error::CliError;
use crate::terminal_text;

/// The names of a names file (`flag PATH`; `-`: stdin), each checked by
/// `check` before anything is sent.
pub fn names_from(
    flag: &str,
    path: &str,
    check: impl Fn(&str) -> Result<(), CliError>,
) -> Result<Vec<String>, CliError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        CliError::ParamValidation(format!("Unable to read {flag} {path}: {e}"))
    };
    let bytes = bounds::read_path_or_stdin(path).map_err(|e| unreadable(&e))?;
    let text =
        String::from_utf8(bytes).map_err(|_| unreadable(&"stream did not contain valid UTF-8"))?;
    parse_names(flag, path, &text, check)
}

/// One name a line; blank lines and `#` comments skipped; duplicates once.
/// The first bad names are reported with their line numbers, the rest
/// counted.
pub fn parse_names(
    flag: &str,
    path: &str,
    text: &str,
    check: impl Fn(&str) -> Result<(), CliError>,
) -> Result<Vec<String>, CliError> {
    let mut names = Vec::new();
    let mut problems = Vec::new();
    let mut bad = 0;
    for (n, line) in text.lines().enumerate() {
        let name = line.trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        match check(name) {
            Ok(()) => names.push(name.to_owned()),
            Err(_) if problems.len() >= MAX_LISTED => bad += 1,
            Err(e) => {
                bad += 1;
                problems.push(format!(
                    "{flag} {path}, line {}: {}",
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

/// Every stream of the caller's target, all pages. A page that says more
/// follow but does not move on, or a listing past [`MAX_LIST_PAGES`] pages
/// or [`MAX_LISTED_STREAMS`] names, is an error naming the operation.
pub async fn all<S: Service>(service: &S, caller: &Caller<'_>) -> Result<Vec<String>, CliError> {
    let mut names: Vec<String> = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..MAX_LIST_PAGES {
        let page = service.list_page(caller, next.as_deref()).await?;
        names.extend(page.names);
        if names.len() > MAX_LISTED_STREAMS {
            return Err(listing_error(
                S::LIST,
                format!("listed more than {MAX_LISTED_STREAMS} streams"),
            ));
        }
        if !page.more {
            names.sort();
            names.dedup();
            return Ok(names);
        }
        if page.next.is_none() || page.next == next {
            return Err(listing_error(
                S::LIST,
                "a page said more streams follow but did not advance past the last one".to_owned(),
            ));
        }
        next = page.next;
    }
    Err(listing_error(
        S::LIST,
        format!("the listing went past {MAX_LIST_PAGES} pages"),
    ))
}

fn listing_error(operation: &str, what: String) -> CliError {
    CliError::failure(
        "ListingDidNotEnd",
        format!("{operation}: {what}; the endpoint is not behaving as the service does"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(name: &str) -> Result<(), CliError> {
        if name.len() <= 64 && !name.contains(' ') {
            Ok(())
        } else {
            Err(CliError::ParamValidation(format!("bad name {name}")))
        }
    }

    #[test]
    fn comments_blanks_and_duplicates_are_skipped_and_names_sorted() {
        let names = parse_names("--f", "f", "# a list\n\nb\n  a  \nb\n#c\n", short).unwrap();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn every_bad_name_is_reported_with_its_line() {
        let long = "x".repeat(65);
        let err = parse_names(
            "--delivery-stream-names-from",
            "names.txt",
            &format!("ok\nmy stream!\n{long}\n"),
            short,
        )
        .unwrap_err();
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
        let text = "bad name!\n".repeat(MAX_LISTED + 5);
        let err = parse_names("--f", "f", &text, short).unwrap_err();
        let message = err.message().to_owned();
        assert_eq!(
            message.matches("bad name!").count(),
            MAX_LISTED,
            "{message}"
        );
        assert!(message.contains("5 more bad lines"), "{message}");
    }

    #[test]
    fn an_empty_list_is_no_streams() {
        assert!(
            parse_names("--f", "f", "# nothing\n", short)
                .unwrap()
                .is_empty()
        );
    }
}
