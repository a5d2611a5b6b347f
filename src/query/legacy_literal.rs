//! Backtick literals that are not JSON, read as jmespath.py reads them.
//!
//! JMESPath's JEP-12 made a backtick literal hold JSON (`` `"available"` ``),
//! but jmespath.py, the AWS CLI's engine, still accepts the older form
//! during a "deprecation period" that never ended: its lexer
//! (`Lexer._consume_literal`) reads the text between the backticks (a
//! backslash keeps the character after it; `` \` `` then stands for a
//! backtick), tries `json.loads(lexeme)`, and if that fails tries
//! `json.loads('"%s"' % lexeme.lstrip())`, raising `Bad token <lexeme>` only
//! when both fail. So `` Items[?State==`available`] `` works in the AWS CLI,
//! `` ` foo` `` is `"foo"` (left whitespace is Python's `str.isspace()`),
//! `` `foo ` `` is `"foo "`, `` `a\nb` `` holds a real newline (the quoted
//! form is JSON-decoded), and `` `a"b` `` is still an error. The warning it
//! emits is a `PendingDeprecationWarning`, which Python ignores by default
//! and the AWS CLI does not turn on, so nothing is printed.
//!
//! `jpx-core` only takes JSON, so [`rewrite`] finds each literal with the
//! same scan as both lexers (`'…'`, `"…"` and `` `…` `` skipped with their
//! backslash pairs) and, when Python would take the fallback and it
//! succeeds, replaces the literal's text with the equivalent JSON string
//! before parsing. [`Rewritten::original_offset`] maps an error position in
//! the rewritten text back to the text the user wrote.
//!
//! A lexeme that Python's `json.loads` itself accepts never falls back, even
//! where `serde_json` refuses it (`NaN`, `Infinity`, `1e400`, a lone
//! surrogate `\ud800`, nesting deeper than 128): those are left as they are
//! and stay errors here. The one fallback that cannot be reproduced is a
//! string with a lone surrogate (`` `\ud800` ``), which no Rust string
//! holds: it is left as it is too, and so is an error.

use crate::python::is_py_space;

/// An expression whose legacy literals were rewritten as JSON strings.
#[derive(Debug)]
pub(super) struct Rewritten {
    /// The text to parse.
    pub(super) text: String,
    /// Each rewritten literal's content (between its backticks), in order:
    /// `(start, end)` in the original text, then in `text`.
    edits: Vec<((usize, usize), (usize, usize))>,
}

impl Rewritten {
    /// The byte offset in the original text of byte `offset` in `text`
    /// (inside a rewritten literal: the start of its content).
    pub(super) fn original_offset(&self, offset: usize) -> usize {
        let mut mapped = offset;
        for &((old_start, old_end), (new_start, new_end)) in &self.edits {
            if offset >= new_end {
                mapped = old_end + (offset - new_end);
            } else if offset >= new_start {
                return old_start;
            } else {
                break;
            }
        }
        mapped
    }
}

/// `expr` with every legacy literal rewritten, or `None` when it has none
/// (the usual case: nothing is copied).
pub(super) fn rewrite(expr: &str) -> Option<Rewritten> {
    let mut text = String::new();
    let mut edits = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(&c) = expr.as_bytes().get(i) {
        if !matches!(c, b'\'' | b'"' | b'`') {
            i += 1;
            continue;
        }
        // Unclosed: the parser reports it.
        let Some(end) = closing(expr, i + 1, c) else {
            break;
        };
        if c == b'`'
            && let Some(json) = legacy_literal(&expr[i + 1..end])
        {
            text.push_str(&expr[copied..=i]);
            let new_start = text.len();
            text.push_str(&json);
            edits.push(((i + 1, end), (new_start, text.len())));
            copied = end;
        }
        i = end + 1;
    }
    if edits.is_empty() {
        return None;
    }
    text.push_str(&expr[copied..]);
    Some(Rewritten { text, edits })
}

/// The lexeme of the literal whose opening backtick is at byte `offset`
/// of `expr`, as jmespath.py's `Bad token` message shows it.
pub(super) fn lexeme_at(expr: &str, offset: usize) -> Option<String> {
    expr.get(offset..)?.strip_prefix('`')?;
    let end = closing(expr, offset + 1, b'`')?;
    Some(expr[offset + 1..end].replace("\\`", "`"))
}

/// The byte offset of the `delimiter` that closes a token whose content
/// starts at `from`, a backslash keeping the byte after it.
fn closing(expr: &str, from: usize, delimiter: u8) -> Option<usize> {
    let bytes = expr.as_bytes();
    let mut i = from;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 2,
            c if c == delimiter => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The JSON text to put between the backticks instead of `raw` (the text
/// between them as written), if jmespath.py reads `raw` through its
/// fallback and the fallback succeeds. Backticks in the string are written
/// `\u0060`, so the new literal holds none.
fn legacy_literal(raw: &str) -> Option<String> {
    let lexeme = raw.replace("\\`", "`");
    if python_json_accepts(&lexeme) {
        return None;
    }
    let quoted = format!("\"{}\"", lexeme.trim_start_matches(is_py_space));
    let value: String = serde_json::from_str(&quoted).ok()?;
    let json = serde_json::to_string(&value).ok()?;
    Some(json.replace('`', "\\u0060"))
}

/// Python's `str(int)` limit (`sys.get_int_max_str_digits()`, 4300 since
/// Python 3.11 and the 3.7–3.10 security releases): `json.loads` raises
/// `ValueError` for a longer integer, so jmespath.py falls back.
const PYTHON_INT_MAX_DIGITS: usize = 4300;

/// Whether Python's `json.loads` (as jmespath.py calls it) accepts `text`:
/// JSON plus `NaN`, `Infinity` and `-Infinity`, numbers of any size (but
/// integers of at most 4300 digits), lone surrogate escapes, any depth.
/// Iterative, so no input can exhaust the stack.
fn python_json_accepts(text: &str) -> bool {
    let b = text.as_bytes();
    // The open containers, innermost last: `true` for an object.
    let mut open: Vec<bool> = Vec::new();
    let mut i = skip_ws(b, 0);
    loop {
        // A value starts at `i`.
        match b.get(i) {
            Some(b'{') => {
                i = skip_ws(b, i + 1);
                if b.get(i) == Some(&b'}') {
                    i += 1;
                } else {
                    open.push(true);
                    match member_value(b, i) {
                        Some(next) => i = next,
                        None => return false,
                    }
                    continue;
                }
            }
            Some(b'[') => {
                i = skip_ws(b, i + 1);
                if b.get(i) == Some(&b']') {
                    i += 1;
                } else {
                    open.push(false);
                    continue;
                }
            }
            Some(b'"') => match string_end(b, i) {
                Some(end) => i = end,
                None => return false,
            },
            _ => match scalar_end(b, i) {
                Some(end) => i = end,
                None => return false,
            },
        }
        // After a value: close containers until another value is due.
        loop {
            i = skip_ws(b, i);
            let Some(&in_object) = open.last() else {
                return i == b.len();
            };
            match (b.get(i), in_object) {
                (Some(b','), true) => match member_value(b, skip_ws(b, i + 1)) {
                    Some(next) => {
                        i = next;
                        break;
                    }
                    None => return false,
                },
                (Some(b','), false) => {
                    i = skip_ws(b, i + 1);
                    break;
                }
                (Some(b'}'), true) | (Some(b']'), false) => {
                    open.pop();
                    i += 1;
                }
                _ => return false,
            }
        }
    }
}

/// After `"key" :` at `i` (and whitespace), where the member's value starts.
fn member_value(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let i = skip_ws(b, string_end(b, i)?);
    (b.get(i) == Some(&b':')).then(|| skip_ws(b, i + 1))
}

/// Python's JSON whitespace: space, tab, newline, carriage return.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end of the JSON string opening at `i`, in Python's strict mode: no
/// raw control character, only JSON's escapes, any `\uXXXX`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                _ => return None,
            },
            0..0x20 => return None,
            _ => i += 1,
        }
    }
}

/// The end of the constant or number at `i`, as Python's scanner reads it.
fn scalar_end(b: &[u8], i: usize) -> Option<usize> {
    let rest = &b[i.min(b.len())..];
    for word in ["null", "true", "false", "NaN", "Infinity", "-Infinity"] {
        if rest.starts_with(word.as_bytes()) {
            return Some(i + word.len());
        }
    }
    let digits = |from: usize| {
        from + rest[from.min(rest.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let sign = usize::from(rest.first() == Some(&b'-'));
    let int_end = match rest.get(sign)? {
        b'0' => sign + 1,
        b'1'..=b'9' => digits(sign + 1),
        _ => return None,
    };
    let mut end = int_end;
    if rest.get(end) == Some(&b'.') && rest.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits(end + 1);
    }
    if matches!(rest.get(end), Some(b'e' | b'E')) {
        let exponent = end + 1 + usize::from(matches!(rest.get(end + 1), Some(b'+' | b'-')));
        if rest.get(exponent).is_some_and(u8::is_ascii_digit) {
            end = digits(exponent);
        }
    }
    if end == int_end && int_end - sign > PYTHON_INT_MAX_DIGITS {
        return None;
    }
    Some(i + end)
}
