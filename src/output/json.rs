//! `json`: a port of `awscli/formatter.py`'s `JSONFormatter`
//! (`json.dump(indent=4, ensure_ascii=False)`).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::python::{python_float, python_number};

/// Whether the AWS CLI prints nothing at all for this response: the
/// operation had no output (`{}`).
pub(super) fn is_empty_response(value: &Value) -> bool {
    matches!(value, Value::Object(map) if map.is_empty())
}

pub(super) fn render_json(value: &Value) -> String {
    if is_empty_response(value) {
        return String::new();
    }
    let mut out = Vec::new();
    if write_json(value, &mut out).is_err() {
        // Serialising a `Value` into memory cannot fail; keep the no-panic promise anyway.
        return String::new();
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Write `value` to `out` as [`render_json`] renders a non-empty response,
/// final newline included, as it is serialised: the one JSON printer, for
/// a document too large to hold twice.
pub(super) fn write_json<T: Serialize + ?Sized>(value: &T, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut *out,
        PythonJson(serde_json::ser::PrettyFormatter::with_indent(b"    ")),
    );
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// serde_json's pretty printer, with floats written the way Python's `json`
/// writes them (`repr`: `1e+16`, `1e-05`).
struct PythonJson<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for PythonJson<'_> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(python_float(value).as_bytes())
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// A scalar as compact JSON (`json.dump` without indent), for YAML's bare
/// scalars.
pub(super) fn scalar_json(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => python_number(n),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        // Not scalars; callers never pass these.
        Value::Array(_) | Value::Object(_) => serde_json::to_string(value).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests;
