//! AWS CLI "shorthand syntax" parser for structure parameters.
//!
//! This module owns the purely syntactic step that turns a value such as
//! `KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:...` into an ordered JSON
//! object. It mirrors `awscli/shorthand.py` (`ShorthandParser`, v2 branch):
//! a hand-written recursive-descent parser that backtracks inside csv lists,
//! with the same token character classes, the same escape handling and the
//! same error texts (v2 dialect: a single space after `for input:\n` in syntax
//! errors, none in duplicate-key errors).
//!
//! Grammar (positions are counted in characters, like Python string indices):
//!
//! ```text
//! parameter     = keyval *("," keyval)          ; duplicate top-level key -> error
//! keyval        = key ["@"] "=" values          ; "@=" sends scalars through `load`
//! key           = *[A-Za-z0-9-_.#/:]
//! values        = EOF / explicit-list / hash-literal / csv-value
//! csv-value     = first-value *("," second-value)
//! explicit-list = "[" [explicit-value *("," explicit-value)] "]"
//! hash-literal  = "{" [key ["@"] "=" explicit-value *("," ...)] "}"
//! explicit-value= explicit-list / hash-literal / first-value
//! ```
//!
//! Everything parsed stays a string (or a list / object of strings); typing
//! against the service model happens elsewhere. Values written with `@=` are
//! handed to the caller's `load` callback, which resolves `file://` and
//! `fileb://` prefixes.

use std::fmt;

use serde_json::{Map, Value};

use crate::python::is_py_space;

/// Maximum nesting of `[..]` / `{..}` literals. shorthand.py has no limit of
/// its own (Python's recursion limit applies); we cap it to stay panic-free.
const MAX_DEPTH: usize = 64;

/// Parse a whole shorthand parameter value into an ordered JSON object (user's key order kept).
///
/// `load` is called for every value written with `@=` (e.g. `KeyARN@=file://arn.txt`): it receives
/// the raw parsed scalar string and returns the value to use (the caller resolves `file://` /
/// `fileb://` there, returning the string unchanged when there is no prefix). An `Err` from `load`
/// is returned as [`ShorthandError::Load`].
///
/// Like shorthand.py, `load` also sees csv candidates that are later backed off from
/// (in `KeyARN@=x,KeyType=y` it is called with `x` and with `KeyType`), and an error
/// from such a call is still returned.
///
/// # Errors
///
/// [`ShorthandError::Syntax`] for malformed input (including nesting deeper than 64
/// `[`/`{` levels), [`ShorthandError::DuplicateKey`] for a repeated top-level key and
/// [`ShorthandError::Load`] when `load` fails.
pub fn parse(
    input: &str,
    load: &mut dyn FnMut(&str) -> Result<Value, String>,
) -> Result<Map<String, Value>, ShorthandError> {
    Parser {
        input: input.chars().collect(),
        pos: 0,
        resolve_paramfiles: false,
        depth: 0,
        load,
    }
    .parameter()
}

/// Errors. Display gives the detail text WITHOUT the `Error parsing parameter '...': ` prefix
/// (the caller adds it), except [`ShorthandError::Load`] which displays the loader's message
/// unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShorthandError {
    /// Displays as `Expected: '<X>', received: '<Y>' for input:\n <location block>`.
    Syntax {
        /// What the parser wanted: a literal char (`=`, `,`, `]`, ...) or a token name
        /// in angle brackets (`<first>`, `<second>`, `<double quoted>`, `<singled quoted>`).
        expected: String,
        /// The offending character, `EOF`, or `<none>` when a token did not match.
        received: String,
        /// The location block: the input up to the first newline after the error, a line
        /// with a caret under the error column (counted in characters from the last
        /// newline before it), then the rest of the input starting with its newline.
        location: String,
    },
    /// Displays as `Second instance of key "<k>" encountered for input:\n<location block>\n`
    /// followed by `This is often because there is a preceding "," instead of a space.`
    DuplicateKey {
        /// The repeated top-level key.
        key: String,
        /// The location block (as for `Syntax`), with the caret one character past the
        /// end of the previous key/value pair.
        location: String,
    },
    /// Message from the `load` callback, passed through.
    Load(String),
}

impl fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax {
                expected,
                received,
                location,
            } => write!(
                f,
                "Expected: '{expected}', received: '{received}' for input:\n {location}"
            ),
            Self::DuplicateKey { key, location } => write!(
                f,
                "Second instance of key \"{key}\" encountered for input:\n{location}\n\
                 This is often because there is a preceding \",\" instead of a space."
            ),
            Self::Load(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ShorthandError {}

/// Builds the location block shown under an error (shorthand.py `_error_location`).
///
/// The input up to the first newline at or after `index`, a newline, a caret line
/// indented by `index` minus the start of its line, then the rest of the input
/// (which, if present, begins with its newline).
fn error_location(input: &[char], index: usize) -> String {
    let index = index.min(input.len());
    let line_start = input[..index]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |newline| newline + 1);
    let split = input[index..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(input.len(), |offset| index + offset);
    let consumed: String = input[..split].iter().collect();
    let remaining: String = input[split..].iter().collect();
    let spaces = " ".repeat(index - line_start);
    format!("{consumed}\n{spaces}^{remaining}")
}

/// Python's `string.whitespace`, the set `_consume_whitespace` skips.
fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// Python's `str.rstrip()` with no argument.
fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// Characters a `<first>` or `<second>` unquoted value may start with
/// (`_START_WORD`): no ASCII space/control, `"`, `'`, `,`, `=`, `[`, `{`, nor anything above U+FFFF.
fn is_start_word(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// Characters that may follow in a `<first>` value (`_FIRST_FOLLOW_CHARS`):
/// whitespace and `=`, `[`, `{` are fine; `"`, `'`, `,`, `]`, `}` end the value.
fn is_first_follow(c: char) -> bool {
    is_py_space(c)
        || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// Characters that may follow in a `<second>` value (`_SECOND_FOLLOW_CHARS`):
/// `"`, `'`, `,` and `=` end the value; `]` and `}` do not.
fn is_second_follow(c: char) -> bool {
    is_py_space(c) || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

/// Parser state: the input as chars, the cursor, and the `@=` flag.
struct Parser<'a> {
    /// The input, one entry per character, so indices match Python's.
    input: Vec<char>,
    /// Cursor (character index).
    pos: usize,
    /// Set by `@=`; while set, scalar values go through `load`.
    resolve_paramfiles: bool,
    /// Current `[..]` / `{..}` nesting.
    depth: usize,
    /// Caller's resolver for `@=` values.
    load: &'a mut dyn FnMut(&str) -> Result<Value, String>,
}

impl Parser<'_> {
    // parameter = keyval *("," keyval)   ; a repeated key is an error
    fn parameter(&mut self) -> Result<Map<String, Value>, ShorthandError> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        let mut last_index = self.pos;
        while !self.at_eof() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.contains_key(&key) {
                let index = last_index + 1;
                return Err(ShorthandError::DuplicateKey {
                    key,
                    location: error_location(&self.input, index),
                });
            }
            params.insert(key, value);
            last_index = self.pos;
        }
        Ok(params)
    }

    // keyval = key "=" [values] / key "@=" [file-optional-values]
    fn keyval(&mut self) -> Result<(String, Value), ShorthandError> {
        let key = self.key();
        self.resolve_paramfiles = self.at_sign();
        self.expect('=', true)?;
        let value = self.values()?;
        Ok((key, value))
    }

    // key = *(ALPHA / DIGIT / "-" / "_" / "." / "#" / "/" / ":")   ; may be empty
    fn key(&mut self) -> String {
        let start = self.pos;
        while self
            .current()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "-_.#/:".contains(c))
        {
            self.pos += 1;
        }
        self.input[start..self.pos].iter().collect()
    }

    // optional "@" before "=" (whitespace around it is skipped, as `_expect('@', True)` does)
    fn at_sign(&mut self) -> bool {
        self.consume_whitespace();
        if self.current() == Some('@') {
            self.pos += 1;
            self.consume_whitespace();
            true
        } else {
            false
        }
    }

    // values = EOF -> "" / explicit-list / hash-literal / csv-value
    fn values(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    // csv-value = first-value *("," second-value)   ; one item -> scalar, more -> list.
    // A candidate that is not followed by "," or EOF (e.g. `b=c` in `a=x,b=c`) was
    // really the next key: rewind to the comma before it and stop.
    fn csv_value(&mut self) -> Result<Value, ShorthandError> {
        let first = self.first_value()?;
        self.consume_whitespace();
        if self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut items = vec![first];
        loop {
            match self.csv_item() {
                Ok((item, at_end)) => {
                    items.push(item);
                    if at_end {
                        break;
                    }
                }
                Err(error @ ShorthandError::Syntax { .. }) => {
                    if self.at_eof() {
                        return Err(error);
                    }
                    self.backtrack_to(',');
                    break;
                }
                Err(error) => return Err(error),
            }
        }
        if items.len() == 1 {
            return Ok(items.swap_remove(0));
        }
        Ok(Value::Array(items))
    }

    // one csv candidate: second-value, then EOF (-> last item) or ","
    fn csv_item(&mut self) -> Result<(Value, bool), ShorthandError> {
        let item = self.second_value()?;
        self.consume_whitespace();
        if self.at_eof() {
            return Ok((item, true));
        }
        self.expect(',', true)?;
        Ok((item, false))
    }

    // explicit-list = "[" [explicit-value *("," explicit-value)] "]"
    fn explicit_list(&mut self) -> Result<Value, ShorthandError> {
        self.enter_nesting()?;
        self.expect('[', true)?;
        let mut items = Vec::new();
        while self.current() != Some(']') {
            items.push(self.explicit_value()?);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
        }
        self.expect(']', false)?;
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    // hash-literal = "{" [key ["@"] "=" explicit-value *("," key ["@"] "=" explicit-value)] "}"
    // (a repeated key silently overwrites, keeping its first position)
    fn hash_literal(&mut self) -> Result<Value, ShorthandError> {
        self.enter_nesting()?;
        self.expect('{', true)?;
        let mut members = Map::new();
        while self.current() != Some('}') {
            let key = self.key();
            self.resolve_paramfiles = self.at_sign();
            self.expect('=', true)?;
            let value = self.explicit_value()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            members.insert(key, value);
        }
        self.expect('}', false)?;
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    // explicit-value = explicit-list / hash-literal / first-value   ; never a csv list
    fn explicit_value(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    // first-value = single-quoted / double-quoted / unquoted <first> (may be empty)
    fn first_value(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted_value('\'', "<singled quoted>"),
            Some('"') => self.quoted_value('"', "<double quoted>"),
            _ => self.unquoted_first_value(),
        }
    }

    // unquoted <first>: start-word *(follow-char / "\,"); no match gives "" (not loaded)
    fn unquoted_first_value(&mut self) -> Result<Value, ShorthandError> {
        match self.scan_unquoted(is_first_follow) {
            Some(end) => self.take_unquoted(end),
            None => Ok(Value::String(String::new())),
        }
    }

    // second-value = single-quoted / double-quoted / unquoted <second> (must match)
    fn second_value(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted_value('\'', "<singled quoted>"),
            Some('"') => self.quoted_value('"', "<double quoted>"),
            _ => match self.scan_unquoted(is_second_follow) {
                Some(end) => self.take_unquoted(end),
                None => Err(self.syntax_error("<second>", "<none>".to_owned())),
            },
        }
    }

    // single-quoted = "'" *("\'" / not-"'") "'"   (likewise for double quotes);
    // then `\<quote>` -> `<quote>` and `\\` -> `\`
    fn quoted_value(&mut self, quote: char, token_name: &str) -> Result<Value, ShorthandError> {
        let Some(end) = self.scan_quoted(quote) else {
            return Err(self.syntax_error(token_name, "<none>".to_owned()));
        };
        let body: String = self.input[self.pos + 1..end - 1].iter().collect();
        self.pos = end;
        let unescaped = body
            .replace(&format!("\\{quote}"), &quote.to_string())
            .replace("\\\\", "\\");
        self.resolve(unescaped)
    }

    /// Consumes the unquoted token ending at `end`: `\,` -> `,`, trailing whitespace stripped.
    fn take_unquoted(&mut self, end: usize) -> Result<Value, ShorthandError> {
        let raw: String = self.input[self.pos..end].iter().collect();
        self.pos = end;
        let processed = py_rstrip(&raw.replace("\\,", ",")).to_owned();
        self.resolve(processed)
    }

    /// Matches `(\\,|[start-word])(\\,|[follow])*` at the cursor; returns the end index.
    fn scan_unquoted(&self, follow: fn(char) -> bool) -> Option<usize> {
        let step = |at: usize, allowed: fn(char) -> bool| match self.input.get(at) {
            Some('\\') if self.input.get(at + 1) == Some(&',') => Some(at + 2),
            Some(&c) if allowed(c) => Some(at + 1),
            _ => None,
        };
        let mut end = step(self.pos, is_start_word)?;
        while let Some(next) = step(end, follow) {
            end = next;
        }
        Some(end)
    }

    /// Matches the quoted-string regex `Q(?:\\Q|[^Q])*Q` at the cursor (which is on `Q`);
    /// returns the index just past the closing quote.
    ///
    /// Like the backtracking regex, when no unescaped closing quote exists, the quote of
    /// the last `\Q` pair closes the string (`'a\'` matches whole, with body `a\`).
    fn scan_quoted(&self, quote: char) -> Option<usize> {
        let mut at = self.pos + 1;
        let mut last_escaped_quote = None;
        loop {
            match self.input.get(at) {
                None => return last_escaped_quote.map(|quote_at| quote_at + 1),
                Some(&c) if c == quote => return Some(at + 1),
                Some('\\') if self.input.get(at + 1) == Some(&quote) => {
                    last_escaped_quote = Some(at + 1);
                    at += 2;
                }
                Some(_) => at += 1,
            }
        }
    }

    /// Sends a parsed scalar through `load` when the current key used `@=`.
    fn resolve(&mut self, value: String) -> Result<Value, ShorthandError> {
        if self.resolve_paramfiles {
            (self.load)(&value).map_err(ShorthandError::Load)
        } else {
            Ok(Value::String(value))
        }
    }

    /// Requires `expected` at the cursor (optionally skipping whitespace around it).
    fn expect(&mut self, expected: char, consume_whitespace: bool) -> Result<(), ShorthandError> {
        if consume_whitespace {
            self.consume_whitespace();
        }
        match self.current() {
            None => return Err(self.syntax_error(&expected.to_string(), "EOF".to_owned())),
            Some(actual) if actual != expected => {
                return Err(self.syntax_error(&expected.to_string(), actual.to_string()));
            }
            Some(_) => self.pos += 1,
        }
        if consume_whitespace {
            self.consume_whitespace();
        }
        Ok(())
    }

    /// Guards against unbounded recursion on deeply nested `[`/`{`.
    fn enter_nesting(&mut self) -> Result<(), ShorthandError> {
        if self.depth >= MAX_DEPTH {
            let received = self
                .current()
                .map_or_else(|| "EOF".to_owned(), |c| c.to_string());
            return Err(self.syntax_error(
                &format!("<at most {MAX_DEPTH} nested lists/hashes>"),
                received,
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Builds a syntax error at the cursor.
    fn syntax_error(&self, expected: &str, received: String) -> ShorthandError {
        ShorthandError::Syntax {
            expected: expected.to_owned(),
            received,
            location: error_location(&self.input, self.pos),
        }
    }

    /// Moves the cursor back to the nearest `target` at or before it.
    fn backtrack_to(&mut self, target: char) {
        while self.pos > 0 && self.input.get(self.pos) != Some(&target) {
            self.pos -= 1;
        }
    }

    /// Skips ASCII whitespace (`string.whitespace`).
    fn consume_whitespace(&mut self) {
        while self.current().is_some_and(is_ascii_space) {
            self.pos += 1;
        }
    }

    /// The character at the cursor, `None` at end of input.
    fn current(&self) -> Option<char> {
        self.input.get(self.pos).copied()
    }

    /// Whether the cursor is at end of input.
    fn at_eof(&self) -> bool {
        self.pos >= self.input.len()
    }
}

#[cfg(test)]
mod tests;
