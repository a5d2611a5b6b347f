//! Text safe for a terminal (contract §14): whatever this tool writes on
//! stderr for people — error messages, hints, warnings, the `--wait`
//! spinner, the fleet display and summary table — carries no raw control
//! character from the service or a file, and is bounded in length.
//!
//! - Control characters are shown escaped: C0 and DEL as `\x1b`, C1 as
//!   `\u{9b}`, and the bidirectional overrides that reorder what a terminal
//!   shows as `\u{202e}`. [`escape`] keeps `\n` and `\t`, the layout of the
//!   tool's own text; [`escape_all`] escapes them too (`\n`, `\t`), for a
//!   value from the service that must stay on its line.
//! - [`cut`] keeps the first characters of a text and says how many were
//!   left out; [`listed`] shows the first items of a list and counts the rest.
//!
//! stdout is data and is not touched here: JSON escapes controls itself, and
//! `--output text`/`table` print values as the service gave them, as the AWS
//! CLI does.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::bounds::{MAX_LISTED, MAX_MESSAGE_CHARS};

/// Whether `c` must not reach a terminal raw.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

fn escape_with(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if !is_unsafe(c) || keep(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// `text` with every control character escaped but `\n` and `\t`: text whose
/// line breaks are this tool's own layout.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| c == '\n' || c == '\t')
}

/// `text` with every control character escaped, line breaks and tabs too: a
/// value from the service or a file, kept on its line.
pub fn escape_all(text: &str) -> Cow<'_, str> {
    escape_with(text, |_| false)
}

/// A rendered JSON or YAML document (the structured error formats) with
/// what its emitter leaves raw (JSON: DEL, C1 controls; both: the
/// bidirectional overrides) escaped as `\uXXXX`, which both read inside a
/// quoted string: in JSON the same document. The emitters escape the other
/// controls themselves, and these occur only inside strings.
pub fn escape_data(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r') {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first `max` characters of `text`, then `… (N more characters)` when
/// there were more.
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => {
            let more = text[at..].chars().count();
            Cow::Owned(format!("{}… ({more} more characters)", &text[..at]))
        }
    }
}

/// Each line of `text` [`cut`] at `max` characters.
pub fn cut_lines(text: &str, max: usize) -> Cow<'_, str> {
    if !text.lines().any(|l| l.char_indices().nth(max).is_some()) {
        return Cow::Borrowed(text);
    }
    let cut: Vec<Cow<'_, str>> = text.split('\n').map(|l| cut(l, max)).collect();
    Cow::Owned(cut.join("\n"))
}

/// A value from the service or a file, for a line printed for people: cut at
/// [`MAX_MESSAGE_CHARS`], every control character escaped.
pub fn value(text: &str) -> String {
    escape_all(&cut(text, MAX_MESSAGE_CHARS)).into_owned()
}

/// Text for stderr whose line breaks are the tool's own (a table): each line
/// cut at [`MAX_MESSAGE_CHARS`], control characters escaped but `\n`, `\t`.
pub fn for_stderr(text: &str) -> String {
    escape(&cut_lines(text, MAX_MESSAGE_CHARS)).into_owned()
}

/// The first [`MAX_LISTED`] of `total` items, one a line, then `… N more
/// {what} not shown` when there were more. `shown` holds at most
/// [`MAX_LISTED`] items; the caller counts the rest without keeping them.
pub fn listed(shown: &[String], total: usize, what: &str) -> String {
    let mut text = shown[..shown.len().min(MAX_LISTED)].join("\n");
    let more = total.saturating_sub(shown.len().min(MAX_LISTED));
    if more > 0 {
        let _ = write!(text, "\n… {more} more {what} not shown");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}]0;title\u{7}\u{1b}[2J\nb\tc\r\u{7f}\u{9b}31m\u{202e}z";

    #[test]
    fn controls_are_escaped_and_the_tool_s_own_layout_kept() {
        assert_eq!(
            escape(HOSTILE),
            "a\\x1b]0;title\\x07\\x1b[2J\nb\tc\\r\\x7f\\u{9b}31m\\u{202e}z"
        );
        assert_eq!(
            escape_all(HOSTILE),
            "a\\x1b]0;title\\x07\\x1b[2J\\nb\\tc\\r\\x7f\\u{9b}31m\\u{202e}z"
        );
        assert!(matches!(escape("plain é ✓\n"), Cow::Borrowed(_)));
        assert!(!escape_all(HOSTILE).chars().any(is_unsafe));
    }

    #[test]
    fn json_keeps_its_meaning() {
        let doc = serde_json::json!({"Message": HOSTILE});
        let rendered = serde_json::to_string_pretty(&doc).unwrap();
        let safe = escape_data(&rendered);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn cutting_counts_what_was_left_out_on_a_char_boundary() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("ééééé", 2), "éé… (3 more characters)");
        assert_eq!(
            cut_lines("abc\ndefgh\n", 3),
            "abc\ndef… (2 more characters)\n"
        );
        let long = value(&"\u{1b}".repeat(5000));
        assert!(long.starts_with(&"\\x1b".repeat(4096)), "{long}");
        assert!(long.ends_with("\\x1b… (904 more characters)"), "{long}");
        assert_eq!(for_stderr("│ \u{1b}[2J │\n"), "│ \\x1b[2J │\n");
    }

    #[test]
    fn a_list_shows_its_first_items_and_counts_the_rest() {
        let items: Vec<String> = (1..=25).map(|i| format!("p{i}")).collect();
        let text = listed(&items, 200_000, "problems");
        assert_eq!(text.lines().count(), MAX_LISTED + 1);
        assert!(
            text.ends_with("\n… 199980 more problems not shown"),
            "{text}"
        );
        assert_eq!(listed(&items[..2], 2, "problems"), "p1\np2");
    }
}
