//! `--output`: turning a response (already filtered by `--query`) into the
//! bytes the AWS CLI v2 prints on stdout.
//!
//! This module owns every output format: `json`, `text`, `table`, `yaml`,
//! `yaml-stream` and `off`. Each renderer is a port of the AWS CLI's own
//! (`awscli/formatter.py`, `awscli/text.py`, `awscli/table.py`) and returns a
//! `String`; only `app` writes stdout. Values are printed the way Python
//! prints them: `True`/`False`/`None` in text and table cells, floats in
//! Python's `repr` form (`1e+16`), integers exactly.
//!
//! The table is drawn by a port of `awscli/table.py`, not by a table crate:
//! its layout (a title row spanning every column, columns scaled to a shared
//! width with banker's rounding, headers centred off-by-one the way
//! `center_text` does, nested sections framed by extra `|` per level,
//! lines wider than the terminal left unwrapped, East Asian wide and
//! ambiguous characters counted as two columns) is not something a generic
//! table library reproduces.
//!
//! Known differences from the AWS CLI, all in YAML, which is emitted by
//! `serde-saphyr` rather than ruamel.yaml (quoting decisions included, with
//! ruamel's single quotes where they can hold the string): YAML 1.1 words
//! such as `yes`/`no`/`on`/`off` are quoted (ruamel, writing YAML 1.2, leaves
//! them bare; as mapping keys they get double quotes); long strings stay on
//! one line instead of being folded at 80 columns; multi-line strings are
//! one double-quoted scalar with `\n` escapes; floats in exponent form read
//! `1.0e+16` and `0.00001` instead of `1e+16` and `1e-05`. Each variant
//! loads back to the same data. Shapes the AWS CLI itself fails on (a table
//! of ragged rows, a list mixing dicts and scalars) are drawn as well as
//! possible instead of failing.

use std::fmt;
use std::io;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::python::{python_float, python_number, python_str};

/// The `--output` formats (flag, `AWS_DEFAULT_OUTPUT`, profile `output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// JSON, indented by four spaces (the default).
    #[default]
    Json,
    /// Tab-separated lines.
    Text,
    /// An ASCII table titled with the operation name.
    Table,
    /// One YAML document.
    Yaml,
    /// A YAML stream: each response as a one-item list.
    YamlStream,
    /// Nothing on stdout.
    Off,
}

impl OutputFormat {
    /// Every format, in the order the AWS CLI lists them.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Json,
        OutputFormat::Text,
        OutputFormat::Table,
        OutputFormat::Yaml,
        OutputFormat::YamlStream,
        OutputFormat::Off,
    ];

    /// The name as written on the command line and in config files.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
            OutputFormat::Yaml => "yaml",
            OutputFormat::YamlStream => "yaml-stream",
            OutputFormat::Off => "off",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    /// Parses a value from `AWS_DEFAULT_OUTPUT` or a profile's `output`
    /// setting. Like the AWS CLI, names are case-sensitive. The error starts
    /// with the AWS CLI's text (`Unknown output type: bogus`) and then lists
    /// the valid names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL
            .into_iter()
            .find(|format| format.as_str() == s)
            .ok_or_else(|| {
                let valid: Vec<&str> = OutputFormat::ALL
                    .iter()
                    .map(|format| format.as_str())
                    .collect();
                format!(
                    "Unknown output type: {s} (valid values: {})",
                    valid.join(", ")
                )
            })
    }
}

/// Renders `value` (already filtered by `--query`) the way the AWS CLI v2
/// prints a response, sizing tables to the terminal on stdout (80 columns
/// when stdout is not a terminal).
///
/// `title` is the operation name used as the table's title row (e.g.
/// `DescribeDeliveryStream`). `color` says whether the table may use colour
/// (the caller decides from `--color` and whether stdout is a terminal);
/// without it the output is plain ASCII.
pub fn render(value: &Value, format: OutputFormat, title: &str, color: bool) -> String {
    let width = if format == OutputFormat::Table {
        terminal_width()
    } else {
        DEFAULT_TERMINAL_WIDTH
    };
    render_with_width(value, format, title, color, width)
}

/// [`render`] with an explicit terminal width, for tests and callers that
/// know better.
pub fn render_with_width(
    value: &Value,
    format: OutputFormat,
    title: &str,
    color: bool,
    terminal_width: usize,
) -> String {
    match format {
        OutputFormat::Json => render_json(value),
        OutputFormat::Text => render_text(value),
        OutputFormat::Table => render_table(value, title, color, terminal_width),
        OutputFormat::Yaml => render_yaml(value),
        OutputFormat::YamlStream => render_yaml_stream(value),
        OutputFormat::Off => String::new(),
    }
}

/// The width the AWS CLI assumes when stdout is not a terminal.
pub const DEFAULT_TERMINAL_WIDTH: usize = 80;

/// The width of the terminal on stdout, or [`DEFAULT_TERMINAL_WIDTH`] when
/// stdout is not a terminal (as `awscli/table.py`'s
/// `determine_terminal_width` does).
pub fn terminal_width() -> usize {
    terminal_size::terminal_size_of(io::stdout())
        .map_or(DEFAULT_TERMINAL_WIDTH, |(width, _)| usize::from(width.0))
}

/// Whether the AWS CLI prints nothing at all for this response: the
/// operation had no output (`{}`).
fn is_empty_response(value: &Value) -> bool {
    matches!(value, Value::Object(map) if map.is_empty())
}

// ---------------------------------------------------------------------------
// json (formatter.py JSONFormatter: json.dump(indent=4, ensure_ascii=False))

fn render_json(value: &Value) -> String {
    if is_empty_response(value) {
        return String::new();
    }
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut out,
        PythonJson(serde_json::ser::PrettyFormatter::with_indent(b"    ")),
    );
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        // Serialising a `Value` into memory cannot fail; keep the no-panic promise anyway.
        return String::new();
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push('\n');
    text
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
fn scalar_json(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => python_number(n),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        // Not scalars; callers never pass these.
        Value::Array(_) | Value::Object(_) => serde_json::to_string(value).unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// text (awscli/text.py)

fn render_text(value: &Value) -> String {
    let mut out = String::new();
    format_text(value, &mut out, None, None);
    out
}

fn format_text(
    item: &Value,
    out: &mut String,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    match item {
        Value::Object(map) => format_text_dict(scalar_keys, map, identifier, out),
        Value::Array(items) => format_text_list(items, identifier, out),
        scalar => {
            out.push_str(&python_str(scalar));
            out.push('\n');
        }
    }
}

fn format_text_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let all_keys = all_scalar_keys(items);
        for element in items {
            format_text(element, out, identifier, Some(&all_keys));
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, non_scalars): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|item| is_scalar(item));
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for non_scalar in non_scalars {
            format_text(non_scalar, out, identifier, None);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        format_scalar_list(&scalars, identifier, out);
    }
}

fn format_scalar_list(elements: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            let identifier = identifier.to_uppercase();
            for item in elements {
                out.push_str(&identifier);
                out.push('\t');
                out.push_str(&python_str(item));
                out.push('\n');
            }
        }
        None => {
            let line: Vec<String> = elements.iter().map(|item| python_str(item)).collect();
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn format_text_dict(
    scalar_keys: Option<&[String]>,
    map: &Map<String, Value>,
    identifier: Option<&str>,
    out: &mut String,
) {
    let (mut scalars, non_scalars) = partition_dict(map, scalar_keys);
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in non_scalars {
        format_text(value, out, Some(key), None);
    }
}

/// The keys, sorted, whose values are scalars in any dict of the list.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|map| {
            map.iter()
                .filter(|(_, value)| is_scalar(value))
                .map(|(key, _)| key.clone())
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Splits a dict into its scalar values (as text, in key order) and its
/// non-scalar entries (sorted by key).
fn partition_dict<'a>(
    map: &'a Map<String, Value>,
    scalar_keys: Option<&[String]>,
) -> (Vec<String>, Vec<(&'a str, &'a Value)>) {
    let mut scalars = Vec::new();
    let mut non_scalars = Vec::new();
    match scalar_keys {
        None => {
            for (key, value) in sorted_entries(map) {
                if is_scalar(value) {
                    scalars.push(python_str(value));
                } else {
                    non_scalars.push((key, value));
                }
            }
        }
        Some(scalar_keys) => {
            for key in scalar_keys {
                scalars.push(map.get(key).map_or_else(String::new, python_str));
            }
            for (key, value) in sorted_entries(map) {
                if !scalar_keys.iter().any(|scalar_key| scalar_key == key) {
                    non_scalars.push((key, value));
                }
            }
        }
    }
    (scalars, non_scalars)
}

fn sorted_entries(map: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut entries: Vec<(&str, &Value)> = map
        .iter()
        .map(|(key, value)| (key.as_str(), value))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Python's truthiness, which decides whether the table shows a value.
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

// ---------------------------------------------------------------------------
// table (formatter.py TableFormatter + awscli/table.py MultiTable)

/// colorama's `Style.RESET_ALL`. With `--color on` the AWS CLI's colorama
/// wrapper (`autoreset=True`) writes it after every write to stdout.
const RESET: &str = "\x1b[0m";
/// `Style.BRIGHT + Fore.BLUE`: the colour of table cells.
const ROW_STYLE: &str = "\x1b[1m\x1b[34m";
/// `Style.DIM + Fore.YELLOW`: the colour of the `|` that frame nested sections.
const INDENT_STYLE: &str = "\x1b[2m\x1b[33m";

fn render_table(value: &Value, title: &str, color: bool, terminal_width: usize) -> String {
    let mut table = MultiTable::default();
    if !table.build(Some(title), value, 0) {
        return String::new();
    }
    table.render(color, terminal_width)
}

/// One titled block of the table: an optional header row and value rows.
#[derive(Debug, Default)]
struct Section {
    /// `None` where Python's title is `None` (it still counts as 4 columns).
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) {
        self.update_max_widths(&headers);
        self.headers = headers;
    }

    /// Python raises on a row whose length differs from the first; here the
    /// row is kept and only the columns both have are drawn.
    fn add_row(&mut self, row: Vec<String>) {
        self.update_max_widths(&row);
        self.rows.push(row);
    }

    fn update_max_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|cell| text_width(cell)).collect();
        } else {
            for (i, cell) in row.iter().enumerate() {
                let width = text_width(cell);
                match self.max_widths.get_mut(i) {
                    Some(max) => *max = (*max).max(width),
                    None => self.max_widths.push(width),
                }
            }
        }
    }

    fn title_width(&self) -> i64 {
        self.title.as_deref().map_or(4, text_width) as i64
    }

    fn has_title(&self) -> bool {
        self.title.as_deref().is_some_and(|title| !title.is_empty())
    }

    /// `calculate_column_widths(padding, max_width)`: content widths plus
    /// padding, scaled so that they add up to `max_width`.
    fn column_widths(&self, padding: i64, max_width: i64) -> Vec<i64> {
        let unscaled: Vec<i64> = self
            .max_widths
            .iter()
            .map(|&w| w as i64 + padding)
            .collect();
        let total: i64 = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let scale = max_width as f64 / total as f64;
        // Python's round() rounds half to even.
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| (scale * w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
    }

    /// `total_width(padding=4, with_border=True, outer_padding=indent_level)`.
    fn total_width(&self) -> i64 {
        let outer = 2 * self.indent_level as i64;
        let columns: i64 = self.max_widths.iter().map(|&w| w as i64 + 4).sum();
        (self.title_width() + 2 + outer).max(columns + 2 + outer)
    }
}

/// The sections of one table, built the way `TableFormatter` walks a value.
#[derive(Debug, Default)]
struct MultiTable {
    sections: Vec<Section>,
}

impl MultiTable {
    fn new_section(&mut self, title: Option<&str>, indent_level: usize) {
        self.sections.push(Section {
            title: title.map(str::to_owned),
            indent_level,
            ..Section::default()
        });
    }

    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    /// `_build_table`: false when there is nothing to draw (a falsy value).
    fn build(&mut self, title: Option<&str>, current: &Value, indent_level: usize) -> bool {
        if !is_truthy(current) {
            return false;
        }
        if title.is_some() {
            self.new_section(title, indent_level);
        }
        match current {
            Value::Array(items) => {
                if items.first().is_some_and(Value::is_object) {
                    self.build_from_list(items, indent_level, title);
                } else {
                    for item in items {
                        match item {
                            Value::Array(elements) if elements.iter().all(is_scalar) => {
                                self.current()
                                    .add_row(elements.iter().map(python_str).collect());
                            }
                            // Iterating a dict yields its keys, all scalars.
                            Value::Object(map) => {
                                self.current().add_row(map.keys().cloned().collect())
                            }
                            Value::Array(_) => {
                                self.build(None, item, 0);
                            }
                            scalar => self.current().add_row(vec![python_str(scalar)]),
                        }
                    }
                }
            }
            Value::Object(map) => self.build_from_dict(map, indent_level),
            _ => {}
        }
        true
    }

    /// `_build_sub_table_from_dict`: scalar keys become a header row and a
    /// value row (or one key/value row), other keys become sub-sections.
    fn build_from_dict(&mut self, map: &Map<String, Value>, indent_level: usize) {
        let (headers, more) = group_scalar_keys(map);
        if headers.len() == 1 {
            let value = map.get(&headers[0]).map_or_else(String::new, python_str);
            let key = headers[0].clone();
            self.current().add_row(vec![key, value]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|key| map.get(key).map_or_else(String::new, python_str))
                .collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            if let Some(value) = map.get(&key) {
                self.build(Some(&key), value, indent_level + 1);
            }
        }
    }

    /// `_build_sub_table_from_list`: one header row over one row per dict;
    /// a dict with nested values repeats the section for each element.
    fn build_from_list(&mut self, items: &[Value], indent_level: usize, title: Option<&str>) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for map in items.iter().filter_map(Value::as_object) {
            let (item_headers, item_more) = group_scalar_keys(map);
            headers.extend(item_headers);
            more.extend(item_more);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        let empty = Map::new();
        for (i, element) in items.iter().enumerate() {
            // Python fails on a non-dict element; it is drawn as an empty row here.
            let map = element.as_object().unwrap_or(&empty);
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent_level);
                self.current().add_header(headers.clone());
            }
            let row = headers
                .iter()
                .map(|key| map.get(key).map_or_else(String::new, python_str))
                .collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(value) = map.get(key) {
                    self.build(Some(key), value, indent_level + 1);
                }
            }
        }
    }

    /// `MultiTable.render`.
    fn render(mut self, color: bool, terminal_width: usize) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width as i64 {
            self.convert_to_vertical();
            max_width = self.max_width();
        }
        let mut out = Out {
            text: String::new(),
            color,
        };
        out.write(&format!("{}\n", repeat('-', max_width)));
        for section in &self.sections {
            render_section(section, max_width, &mut out);
        }
        out.text
    }

    fn max_width(&self) -> i64 {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    /// `convert_to_vertical_table`: every one-row section with headers
    /// becomes `header | value` rows.
    fn convert_to_vertical(&mut self) {
        for section in &mut self.sections {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let mut vertical = Section {
                    title: section.title.take(),
                    indent_level: section.indent_level,
                    ..Section::default()
                };
                for (header, element) in section.headers.iter().zip(&section.rows[0]) {
                    vertical.add_row(vec![header.clone(), element.clone()]);
                }
                *section = vertical;
            }
        }
    }
}

/// `_group_scalar_keys`: the sorted keys with scalar values, and the sorted
/// rest.
fn group_scalar_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut more): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (key, value) in map {
        if is_scalar(value) {
            headers.push(key.clone());
        } else {
            more.push(key.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// The table's output stream, with colorama's autoreset when colouring.
struct Out {
    text: String,
    color: bool,
}

impl Out {
    fn write(&mut self, text: &str) {
        self.text.push_str(text);
        if self.color {
            self.text.push_str(RESET);
        }
    }

    /// `IndentedStream.write`: frame a line with one `|` per indent level.
    fn write_indented(&mut self, indent_level: usize, text: &str) {
        let bar = if self.color {
            format!("{INDENT_STYLE}|{RESET}")
        } else {
            "|".to_owned()
        };
        let bars = bar.repeat(indent_level);
        self.write(&bars);
        match text.strip_suffix('\n') {
            Some(line) => {
                self.write(line);
                self.write(&bars);
                self.write("\n");
            }
            None => self.write(text),
        }
    }
}

/// `_render_section`: title, column titles and rows of one section.
fn render_section(section: &Section, max_width: i64, out: &mut Out) {
    let indent = section.indent_level;
    let max_width = max_width - 2 * indent as i64;
    if section.has_title() {
        let title = section.title.as_deref().unwrap_or_default();
        out.write_indented(
            indent,
            &format!("{}\n", center_text(title, max_width, "|", "|")),
        );
        if section.headers.is_empty() && section.rows.is_empty() {
            out.write_indented(indent, &format!("+{}+\n", repeat('-', max_width - 2)));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, max_width);
        let mut line = String::new();
        for (i, (&width, header)) in widths.iter().zip(&section.headers).enumerate() {
            line.push_str(&center_text(
                header,
                width,
                if i == 0 { "|" } else { "" },
                "|",
            ));
        }
        out.write_indented(indent, &line_break(&widths));
        out.write_indented(indent, &format!("{line}\n"));
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, max_width);
        if widths.is_empty() {
            return;
        }
        out.write_indented(indent, &line_break(&widths));
        for row in &section.rows {
            let mut line = String::new();
            for (i, (&width, cell)) in widths.iter().zip(row).enumerate() {
                let styled = if out.color {
                    format!("{ROW_STYLE}{cell}{RESET}")
                } else {
                    cell.clone()
                };
                line.push_str(&align_left(
                    &styled,
                    text_width(cell) as i64,
                    width,
                    if i == 0 { "|" } else { "" },
                    "|",
                ));
            }
            out.write_indented(indent, &format!("{line}\n"));
        }
        out.write_indented(indent, &line_break(&widths));
    }
}

/// `_write_line_break`: `+-----+------+`.
fn line_break(widths: &[i64]) -> String {
    let mut line = String::new();
    for (i, &width) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            line.push_str(&repeat('-', width - 2));
        } else {
            line.push_str(&repeat('-', width - 1));
        }
        line.push('+');
    }
    line.push('\n');
    line
}

/// `center_text`: Python's centring, which leans one column to the left.
fn center_text(text: &str, length: i64, left_edge: &str, right_edge: &str) -> String {
    let text_length = text_width(text) as i64;
    let char_start = length.div_euclid(2) - text_length.div_euclid(2) - 1;
    let length_so_far = left_edge.chars().count() as i64 + char_start + text_length;
    let right_spaces = length - right_edge.chars().count() as i64 - length_so_far;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        repeat(' ', char_start),
        repeat(' ', right_spaces)
    )
}

/// `align_left` with two columns of left padding when the text fits.
fn align_left(
    text: &str,
    text_length: i64,
    length: i64,
    left_edge: &str,
    right_edge: &str,
) -> String {
    let left = left_edge.chars().count() as i64;
    let right = right_edge.chars().count() as i64;
    let padding = if length - (text_length + 2 + left + right) >= 0 {
        2
    } else {
        0
    };
    let length_so_far = left + padding + text_length;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        repeat(' ', padding),
        repeat(' ', length - length_so_far - right)
    )
}

/// `c * n` in Python: empty when `n` is not positive.
fn repeat(c: char, n: i64) -> String {
    std::iter::repeat_n(c, usize::try_from(n).unwrap_or(0)).collect()
}

/// `get_text_length`: East Asian wide, fullwidth and ambiguous characters
/// count as two columns, everything else as one.
fn text_width(text: &str) -> usize {
    text.chars()
        .map(|c| if is_wide_or_ambiguous(c) { 2 } else { 1 })
        .sum()
}

fn is_wide_or_ambiguous(c: char) -> bool {
    let code = u32::from(c);
    if code < 0xA1 {
        return false;
    }
    // Index of the first range whose end is >= code.
    let ranges = WIDE_OR_AMBIGUOUS.len() / 2;
    let (mut lo, mut hi) = (0, ranges);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if WIDE_OR_AMBIGUOUS[2 * mid + 1] < code {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo < ranges && WIDE_OR_AMBIGUOUS[2 * lo] <= code
}

// ---------------------------------------------------------------------------
// yaml (formatter.py YAMLFormatter / StreamedYAMLFormatter, YAMLDumper)

fn render_yaml(value: &Value) -> String {
    if is_empty_response(value) {
        return String::new();
    }
    dump_yaml(value)
}

fn render_yaml_stream(value: &Value) -> String {
    if is_empty_response(value) {
        return String::new();
    }
    dump_yaml(&Value::Array(vec![value.clone()]))
}

/// `YAMLDumper.dump`: bare scalars as JSON (so no `...` document end),
/// everything else as block-style YAML with sorted keys.
fn dump_yaml(value: &Value) -> String {
    if is_scalar(value) {
        return format!("{}\n", scalar_json(value));
    }
    match serde_saphyr::to_string_with_options(&SortedYaml(value), yaml_options()) {
        Ok(mut yaml) => {
            if !yaml.ends_with('\n') {
                yaml.push('\n');
            }
            yaml
        }
        // A JSON value always serialises; fall back to JSON (valid YAML) rather than panic.
        Err(_) => render_json(value),
    }
}

/// Block style throughout: long and multi-line strings stay scalars, as
/// ruamel.yaml writes them, instead of becoming `>`/`|` blocks.
fn yaml_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! { prefer_block_scalars: false }
}

/// A JSON value serialised for YAML the way ruamel.yaml's safe dumper
/// writes it: mapping keys sorted, and strings that need quoting in single
/// quotes where that style can hold them.
struct SortedYaml<'a>(&'a Value);

impl serde::Serialize for SortedYaml<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0 {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in sorted_entries(map) {
                    out.serialize_entry(key, &SortedYaml(value))?;
                }
                out.end()
            }
            Value::Array(items) => serializer.collect_seq(items.iter().map(SortedYaml)),
            Value::String(s) if wants_single_quotes(s) => {
                serde_saphyr::SingleQuoted(s.as_str()).serialize(serializer)
            }
            other => other.serialize(serializer),
        }
    }
}

/// Whether a string needs quoting and can be single-quoted (no characters
/// that only a double-quoted scalar can escape). The YAML emitter decides
/// what needs quoting; it would otherwise use double quotes.
fn wants_single_quotes(s: &str) -> bool {
    let escapable = s.chars().all(|c| {
        !c.is_control()
            && !matches!(
                c,
                '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'
            )
    });
    escapable
        && serde_saphyr::to_string_with_options(&s, yaml_options())
            .is_ok_and(|yaml| yaml.starts_with('"'))
}

/// Code point ranges (first, last pairs) whose `unicodedata.east_asian_width`
/// is W, F or A, from Python 3.11 (Unicode 14.0). Gaps made only of
/// unassigned code points are merged into the surrounding range.
#[rustfmt::skip]
const WIDE_OR_AMBIGUOUS: [u32; 464] = [
    0xA1, 0xA1, 0xA4, 0xA4, 0xA7, 0xA8, 0xAA, 0xAA, 0xAD, 0xAE, 0xB0, 0xB4, 0xB6, 0xBA, 0xBC, 0xBF,
    0xC6, 0xC6, 0xD0, 0xD0, 0xD7, 0xD8, 0xDE, 0xE1, 0xE6, 0xE6, 0xE8, 0xEA, 0xEC, 0xED, 0xF0, 0xF0,
    0xF2, 0xF3, 0xF7, 0xFA, 0xFC, 0xFC, 0xFE, 0xFE, 0x101, 0x101, 0x111, 0x111, 0x113, 0x113,
    0x11B, 0x11B, 0x126, 0x127, 0x12B, 0x12B, 0x131, 0x133, 0x138, 0x138, 0x13F, 0x142, 0x144,
    0x144, 0x148, 0x14B, 0x14D, 0x14D, 0x152, 0x153, 0x166, 0x167, 0x16B, 0x16B, 0x1CE, 0x1CE,
    0x1D0, 0x1D0, 0x1D2, 0x1D2, 0x1D4, 0x1D4, 0x1D6, 0x1D6, 0x1D8, 0x1D8, 0x1DA, 0x1DA, 0x1DC,
    0x1DC, 0x251, 0x251, 0x261, 0x261, 0x2C4, 0x2C4, 0x2C7, 0x2C7, 0x2C9, 0x2CB, 0x2CD, 0x2CD,
    0x2D0, 0x2D0, 0x2D8, 0x2DB, 0x2DD, 0x2DD, 0x2DF, 0x2DF, 0x300, 0x36F, 0x391, 0x3A9, 0x3B1,
    0x3C1, 0x3C3, 0x3C9, 0x401, 0x401, 0x410, 0x44F, 0x451, 0x451, 0x1100, 0x115F, 0x2010, 0x2010,
    0x2013, 0x2016, 0x2018, 0x2019, 0x201C, 0x201D, 0x2020, 0x2022, 0x2024, 0x2027, 0x2030, 0x2030,
    0x2032, 0x2033, 0x2035, 0x2035, 0x203B, 0x203B, 0x203E, 0x203E, 0x2074, 0x2074, 0x207F, 0x207F,
    0x2081, 0x2084, 0x20AC, 0x20AC, 0x2103, 0x2103, 0x2105, 0x2105, 0x2109, 0x2109, 0x2113, 0x2113,
    0x2116, 0x2116, 0x2121, 0x2122, 0x2126, 0x2126, 0x212B, 0x212B, 0x2153, 0x2154, 0x215B, 0x215E,
    0x2160, 0x216B, 0x2170, 0x2179, 0x2189, 0x2189, 0x2190, 0x2199, 0x21B8, 0x21B9, 0x21D2, 0x21D2,
    0x21D4, 0x21D4, 0x21E7, 0x21E7, 0x2200, 0x2200, 0x2202, 0x2203, 0x2207, 0x2208, 0x220B, 0x220B,
    0x220F, 0x220F, 0x2211, 0x2211, 0x2215, 0x2215, 0x221A, 0x221A, 0x221D, 0x2220, 0x2223, 0x2223,
    0x2225, 0x2225, 0x2227, 0x222C, 0x222E, 0x222E, 0x2234, 0x2237, 0x223C, 0x223D, 0x2248, 0x2248,
    0x224C, 0x224C, 0x2252, 0x2252, 0x2260, 0x2261, 0x2264, 0x2267, 0x226A, 0x226B, 0x226E, 0x226F,
    0x2282, 0x2283, 0x2286, 0x2287, 0x2295, 0x2295, 0x2299, 0x2299, 0x22A5, 0x22A5, 0x22BF, 0x22BF,
    0x2312, 0x2312, 0x231A, 0x231B, 0x2329, 0x232A, 0x23E9, 0x23EC, 0x23F0, 0x23F0, 0x23F3, 0x23F3,
    0x2460, 0x24E9, 0x24EB, 0x254B, 0x2550, 0x2573, 0x2580, 0x258F, 0x2592, 0x2595, 0x25A0, 0x25A1,
    0x25A3, 0x25A9, 0x25B2, 0x25B3, 0x25B6, 0x25B7, 0x25BC, 0x25BD, 0x25C0, 0x25C1, 0x25C6, 0x25C8,
    0x25CB, 0x25CB, 0x25CE, 0x25D1, 0x25E2, 0x25E5, 0x25EF, 0x25EF, 0x25FD, 0x25FE, 0x2605, 0x2606,
    0x2609, 0x2609, 0x260E, 0x260F, 0x2614, 0x2615, 0x261C, 0x261C, 0x261E, 0x261E, 0x2640, 0x2640,
    0x2642, 0x2642, 0x2648, 0x2653, 0x2660, 0x2661, 0x2663, 0x2665, 0x2667, 0x266A, 0x266C, 0x266D,
    0x266F, 0x266F, 0x267F, 0x267F, 0x2693, 0x2693, 0x269E, 0x269F, 0x26A1, 0x26A1, 0x26AA, 0x26AB,
    0x26BD, 0x26BF, 0x26C4, 0x26E1, 0x26E3, 0x26E3, 0x26E8, 0x26FF, 0x2705, 0x2705, 0x270A, 0x270B,
    0x2728, 0x2728, 0x273D, 0x273D, 0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757,
    0x2776, 0x277F, 0x2795, 0x2797, 0x27B0, 0x27B0, 0x27BF, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50,
    0x2B55, 0x2B59, 0x2E80, 0x303E, 0x3041, 0x4DBF, 0x4E00, 0xA4C6, 0xA960, 0xA97C, 0xAC00, 0xD7A3,
    0xE000, 0xFAD9, 0xFE00, 0xFE19, 0xFE30, 0xFE6B, 0xFF01, 0xFF60, 0xFFE0, 0xFFE6, 0xFFFD, 0xFFFD,
    0x16FE0, 0x1B2FB, 0x1F004, 0x1F004, 0x1F0CF, 0x1F0CF, 0x1F100, 0x1F10A, 0x1F110, 0x1F12D,
    0x1F130, 0x1F169, 0x1F170, 0x1F1AC, 0x1F200, 0x1F320, 0x1F32D, 0x1F335, 0x1F337, 0x1F37C,
    0x1F37E, 0x1F393, 0x1F3A0, 0x1F3CA, 0x1F3CF, 0x1F3D3, 0x1F3E0, 0x1F3F0, 0x1F3F4, 0x1F3F4,
    0x1F3F8, 0x1F43E, 0x1F440, 0x1F440, 0x1F442, 0x1F4FC, 0x1F4FF, 0x1F53D, 0x1F54B, 0x1F54E,
    0x1F550, 0x1F567, 0x1F57A, 0x1F57A, 0x1F595, 0x1F596, 0x1F5A4, 0x1F5A4, 0x1F5FB, 0x1F64F,
    0x1F680, 0x1F6C5, 0x1F6CC, 0x1F6CC, 0x1F6D0, 0x1F6D2, 0x1F6D5, 0x1F6DF, 0x1F6EB, 0x1F6EC,
    0x1F6F4, 0x1F6FC, 0x1F7E0, 0x1F7F0, 0x1F90C, 0x1F93A, 0x1F93C, 0x1F945, 0x1F947, 0x1F9FF,
    0x1FA70, 0x1FAF6, 0x20000, 0x3134A, 0xE0100, 0x10FFFD,
];

#[cfg(test)]
mod tests {
    //! Expected outputs were produced by the AWS CLI's own formatters
    //! (awscli 1.45 `formatter.py`/`text.py`/`table.py`, identical to v2's,
    //! and v2's `YAMLDumper` on ruamel.yaml 0.19.1) unless a test says
    //! otherwise.

    use super::*;
    use serde_json::json;

    const TITLE: &str = "DescribeDeliveryStream";

    fn lines(lines: &[&str]) -> String {
        lines.iter().map(|line| format!("{line}\n")).collect()
    }

    fn out(value: &Value, format: OutputFormat) -> String {
        render_with_width(value, format, TITLE, false, DEFAULT_TERMINAL_WIDTH)
    }

    fn table(value: &Value, width: usize) -> String {
        render_with_width(value, OutputFormat::Table, TITLE, false, width)
    }

    /// The final state `--wait` prints.
    fn state() -> Value {
        json!({
            "DeliveryStreamName": "s1",
            "DeliveryStreamEncryptionConfiguration": {
                "KeyARN": "arn:aws:kms:us-east-1:123456789012:key/abcd",
                "KeyType": "CUSTOMER_MANAGED_CMK",
                "Status": "ENABLED"
            }
        })
    }

    fn encryption() -> Value {
        state()["DeliveryStreamEncryptionConfiguration"].clone()
    }

    fn describe() -> Value {
        json!({"DeliveryStreamDescription": {
            "DeliveryStreamName": "s1",
            "DeliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s1",
            "DeliveryStreamStatus": "ACTIVE",
            "DeliveryStreamEncryptionConfiguration": encryption(),
            "DeliveryStreamType": "DirectPut",
            "VersionId": "1",
            "CreateTimestamp": 1795312702.726,
            "LastUpdateTimestamp": 1795312702.726,
            "Destinations": [{
                "DestinationId": "destinationId-000000000001",
                "S3DestinationDescription": {"RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::b"},
                "ExtendedS3DestinationDescription": {"RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::b"}
            }],
            "HasMoreDestinations": false
        }})
    }

    // --- OutputFormat ---------------------------------------------------

    #[test]
    fn output_format_parses_every_aws_cli_name() {
        for (name, format) in [
            ("json", OutputFormat::Json),
            ("text", OutputFormat::Text),
            ("table", OutputFormat::Table),
            ("yaml", OutputFormat::Yaml),
            ("yaml-stream", OutputFormat::YamlStream),
            ("off", OutputFormat::Off),
        ] {
            assert_eq!(name.parse::<OutputFormat>(), Ok(format));
            assert_eq!(format.to_string(), name);
            let clap_name = clap::ValueEnum::to_possible_value(&format)
                .map(|value| value.get_name().to_owned());
            assert_eq!(
                clap_name.as_deref(),
                Some(name),
                "clap spells {format:?} the same way"
            );
        }
        assert_eq!(OutputFormat::default(), OutputFormat::Json);
    }

    #[test]
    fn output_format_rejects_unknown_names_listing_the_valid_ones() {
        let err = "bogus".parse::<OutputFormat>().expect_err("unknown");
        assert_eq!(
            err,
            "Unknown output type: bogus (valid values: json, text, table, yaml, yaml-stream, off)"
        );
        assert!(
            "JSON".parse::<OutputFormat>().is_err(),
            "names are case-sensitive, as in the AWS CLI"
        );
        assert!("".parse::<OutputFormat>().is_err());
    }

    // --- what prints nothing ---------------------------------------------

    #[test]
    fn empty_response_prints_nothing_in_any_format() {
        for format in OutputFormat::ALL {
            assert_eq!(out(&json!({}), format), "", "{format}");
        }
    }

    #[test]
    fn null_prints_null_none_or_nothing_by_format() {
        assert_eq!(out(&Value::Null, OutputFormat::Json), "null\n");
        assert_eq!(out(&Value::Null, OutputFormat::Text), "None\n");
        assert_eq!(out(&Value::Null, OutputFormat::Table), "");
        assert_eq!(out(&Value::Null, OutputFormat::Yaml), "null\n");
        assert_eq!(out(&Value::Null, OutputFormat::YamlStream), "- null\n");
        assert_eq!(out(&Value::Null, OutputFormat::Off), "");
    }

    #[test]
    fn off_prints_nothing_ever() {
        for value in [
            state(),
            describe(),
            json!("ENABLED"),
            json!([1, 2]),
            Value::Null,
        ] {
            assert_eq!(render(&value, OutputFormat::Off, TITLE, true), "");
        }
    }

    #[test]
    fn falsy_values_print_no_table() {
        for value in [json!(false), json!(0), json!(""), json!([]), Value::Null] {
            assert_eq!(out(&value, OutputFormat::Table), "", "{value}");
        }
        assert_eq!(
            out(&json!([]), OutputFormat::Json),
            "[]\n",
            "other falsy values still print as JSON"
        );
        assert_eq!(out(&json!(false), OutputFormat::Text), "False\n");
    }

    // --- json -------------------------------------------------------------

    #[test]
    fn json_indents_four_spaces_and_keeps_key_order() {
        let expected = lines(&[
            "{",
            "    \"DeliveryStreamName\": \"s1\",",
            "    \"DeliveryStreamEncryptionConfiguration\": {",
            "        \"KeyARN\": \"arn:aws:kms:us-east-1:123456789012:key/abcd\",",
            "        \"KeyType\": \"CUSTOMER_MANAGED_CMK\",",
            "        \"Status\": \"ENABLED\"",
            "    }",
            "}",
        ]);
        assert_eq!(out(&state(), OutputFormat::Json), expected);
    }

    #[test]
    fn json_keeps_non_ascii_raw_and_escapes_controls() {
        let value = json!({"Name": "stream-é 日本", "Details": "a\"b\\c\nd\u{1}"});
        let expected = lines(&[
            "{",
            "    \"Name\": \"stream-é 日本\",",
            "    \"Details\": \"a\\\"b\\\\c\\nd\\u0001\"",
            "}",
        ]);
        assert_eq!(out(&value, OutputFormat::Json), expected);
    }

    #[test]
    fn json_writes_numbers_like_python() {
        let value = json!({"Count": 3, "Ratio": 1.5, "Big": 1e16, "Tiny": 0.00001, "Whole": 2.0, "Ts": 1795312702.726});
        let expected = lines(&[
            "{",
            "    \"Count\": 3,",
            "    \"Ratio\": 1.5,",
            "    \"Big\": 1e+16,",
            "    \"Tiny\": 1e-05,",
            "    \"Whole\": 2.0,",
            "    \"Ts\": 1795312702.726",
            "}",
        ]);
        assert_eq!(out(&value, OutputFormat::Json), expected);
    }

    #[test]
    fn json_prints_empty_containers_and_scalars() {
        let value = json!({"A": {}, "B": [], "C": "x"});
        assert_eq!(
            out(&value, OutputFormat::Json),
            lines(&[
                "{",
                "    \"A\": {},",
                "    \"B\": [],",
                "    \"C\": \"x\"",
                "}"
            ])
        );
        assert_eq!(out(&json!("ENABLED"), OutputFormat::Json), "\"ENABLED\"\n");
        assert_eq!(out(&json!(""), OutputFormat::Json), "\"\"\n");
    }

    // --- text -------------------------------------------------------------

    #[test]
    fn text_prints_a_dicts_scalars_sorted_on_one_line() {
        assert_eq!(
            out(&encryption(), OutputFormat::Text),
            "arn:aws:kms:us-east-1:123456789012:key/abcd\tCUSTOMER_MANAGED_CMK\tENABLED\n"
        );
    }

    #[test]
    fn text_multi_select_sorts_by_key() {
        let value = json!({"Name": "s1", "Type": "DirectPut", "Enc": "ENABLED"});
        assert_eq!(out(&value, OutputFormat::Text), "ENABLED\ts1\tDirectPut\n");
    }

    #[test]
    fn text_full_describe_matches_the_reference() {
        let expected = lines(&[
            "DELIVERYSTREAMDESCRIPTION\t1795312702.726\tarn:aws:firehose:us-east-1:123456789012:deliverystream/s1\ts1\tACTIVE\tDirectPut\tFalse\t1795312702.726\t1",
            "DELIVERYSTREAMENCRYPTIONCONFIGURATION\tarn:aws:kms:us-east-1:123456789012:key/abcd\tCUSTOMER_MANAGED_CMK\tENABLED",
            "DESTINATIONS\tdestinationId-000000000001",
            "EXTENDEDS3DESTINATIONDESCRIPTION\tarn:aws:s3:::b\tarn:aws:iam::123456789012:role/r",
            "S3DESTINATIONDESCRIPTION\tarn:aws:s3:::b\tarn:aws:iam::123456789012:role/r",
        ]);
        assert_eq!(out(&describe(), OutputFormat::Text), expected);
    }

    #[test]
    fn text_prefixes_nested_dicts_with_their_upper_cased_key() {
        let mut value = state();
        value["DeliveryStreamEncryptionConfiguration"]["Status"] = json!("ENABLING_FAILED");
        value["DeliveryStreamEncryptionConfiguration"]["FailureDescription"] =
            json!({"Type": "KMS_ACCESS_DENIED", "Details": "Access was denied when calling KMS."});
        let expected = lines(&[
            "s1",
            "DELIVERYSTREAMENCRYPTIONCONFIGURATION\tarn:aws:kms:us-east-1:123456789012:key/abcd\tCUSTOMER_MANAGED_CMK\tENABLING_FAILED",
            "FAILUREDESCRIPTION\tAccess was denied when calling KMS.\tKMS_ACCESS_DENIED",
        ]);
        assert_eq!(out(&value, OutputFormat::Text), expected);
    }

    #[test]
    fn text_prints_a_top_level_scalar_alone() {
        assert_eq!(out(&json!("ENABLED"), OutputFormat::Text), "ENABLED\n");
        assert_eq!(out(&json!(42), OutputFormat::Text), "42\n");
        assert_eq!(out(&json!(""), OutputFormat::Text), "\n");
    }

    #[test]
    fn text_writes_booleans_null_and_floats_like_python() {
        let value = json!({"Names": ["s1", "s2"], "Count": 3, "Ratio": 1.5, "Big": 1e16, "Tiny": 0.00001, "On": true, "Off": false, "Nothing": null});
        let expected = lines(&[
            "1e+16\t3\tNone\tFalse\tTrue\t1.5\t1e-05",
            "NAMES\ts1",
            "NAMES\ts2",
        ]);
        assert_eq!(out(&value, OutputFormat::Text), expected);
    }

    #[test]
    fn text_joins_a_top_level_list_of_scalars_with_tabs() {
        assert_eq!(
            out(&json!(["s1", "s2", 3, null, true]), OutputFormat::Text),
            "s1\ts2\t3\tNone\tTrue\n"
        );
        assert_eq!(
            out(&json!([["a", "b"], ["c", "d"]]), OutputFormat::Text),
            "a\tb\nc\td\n"
        );
        assert_eq!(out(&json!([]), OutputFormat::Text), "");
    }

    #[test]
    fn text_prints_a_list_of_dicts_one_line_each_over_all_keys() {
        let value = json!([{"Name": "s1", "Status": "ENABLED"}, {"Name": "s2", "Status": "DISABLED", "Extra": true}]);
        assert_eq!(
            out(&value, OutputFormat::Text),
            "\ts1\tENABLED\nTrue\ts2\tDISABLED\n"
        );
        let nested = json!({"Streams": [{"Name": "s1", "Enc": {"Status": "ENABLED", "KeyType": "AWS_OWNED_CMK"}}, {"Name": "s2", "Enc": {"Status": "DISABLED"}}]});
        assert_eq!(
            out(&nested, OutputFormat::Text),
            lines(&[
                "STREAMS\ts1",
                "ENC\tAWS_OWNED_CMK\tENABLED",
                "STREAMS\ts2",
                "ENC\tDISABLED"
            ])
        );
    }

    #[test]
    fn text_shows_a_non_scalar_under_a_shared_scalar_key_as_python_repr() {
        let value = json!([{"a": 1}, {"a": {"b": 2, "s": "it's"}, "c": [1, "x"]}]);
        assert_eq!(
            out(&value, OutputFormat::Text),
            lines(&["1", "{'b': 2, 's': \"it's\"}", "C\t1", "C\tx"])
        );
    }

    // --- table ------------------------------------------------------------

    #[test]
    fn table_too_wide_for_the_terminal_renders_vertically() {
        let expected = lines(&[
            "------------------------------------------------------------",
            "|                  DescribeDeliveryStream                  |",
            "+---------+------------------------------------------------+",
            "|  KeyARN |  arn:aws:kms:us-east-1:123456789012:key/abcd   |",
            "|  KeyType|  CUSTOMER_MANAGED_CMK                          |",
            "|  Status |  ENABLED                                       |",
            "+---------+------------------------------------------------+",
        ]);
        assert_eq!(table(&encryption(), 80), expected);
    }

    #[test]
    fn table_narrow_enough_renders_a_header_row_and_a_value_row() {
        let value = json!({"Name": "s1", "Type": "DirectPut", "Enc": "ENABLED"});
        let expected = lines(&[
            "----------------------------------",
            "|     DescribeDeliveryStream     |",
            "+----------+-------+-------------+",
            "|    Enc   | Name  |    Type     |",
            "+----------+-------+-------------+",
            "|  ENABLED |  s1   |  DirectPut  |",
            "+----------+-------+-------------+",
        ]);
        assert_eq!(table(&value, 80), expected);
    }

    #[test]
    fn table_nests_sub_sections_with_an_extra_bar_per_level() {
        let expected = lines(&[
            "--------------------------------------------------------------",
            "|                   DescribeDeliveryStream                   |",
            "+-----------------------------------------------+------------+",
            "|  DeliveryStreamName                           |  s1        |",
            "+-----------------------------------------------+------------+",
            "||           DeliveryStreamEncryptionConfiguration          ||",
            "|+---------+------------------------------------------------+|",
            "||  KeyARN |  arn:aws:kms:us-east-1:123456789012:key/abcd   ||",
            "||  KeyType|  CUSTOMER_MANAGED_CMK                          ||",
            "||  Status |  ENABLED                                       ||",
            "|+---------+------------------------------------------------+|",
        ]);
        assert_eq!(table(&state(), 80), expected);
    }

    #[test]
    fn table_on_a_wide_terminal_keeps_sections_horizontal() {
        let expected = lines(&[
            "--------------------------------------------------------------------------------------",
            "|                               DescribeDeliveryStream                               |",
            "+------------------------------------------------------------------+-----------------+",
            "|  DeliveryStreamName                                              |  s1             |",
            "+------------------------------------------------------------------+-----------------+",
            "||                       DeliveryStreamEncryptionConfiguration                      ||",
            "|+----------------------------------------------+------------------------+----------+|",
            "||                    KeyARN                    |        KeyType         | Status   ||",
            "|+----------------------------------------------+------------------------+----------+|",
            "||  arn:aws:kms:us-east-1:123456789012:key/abcd |  CUSTOMER_MANAGED_CMK  |  ENABLED ||",
            "|+----------------------------------------------+------------------------+----------+|",
        ]);
        assert_eq!(table(&state(), 250), expected);
    }

    #[test]
    fn table_full_describe_matches_the_aws_cli() {
        let expected = lines(&[
            "-----------------------------------------------------------------------------------------",
            "|                                DescribeDeliveryStream                                 |",
            "+---------------------------------------------------------------------------------------+",
            "||                              DeliveryStreamDescription                              ||",
            "|+-----------------------+-------------------------------------------------------------+|",
            "||  CreateTimestamp      |  1795312702.726                                             ||",
            "||  DeliveryStreamARN    |  arn:aws:firehose:us-east-1:123456789012:deliverystream/s1  ||",
            "||  DeliveryStreamName   |  s1                                                         ||",
            "||  DeliveryStreamStatus |  ACTIVE                                                     ||",
            "||  DeliveryStreamType   |  DirectPut                                                  ||",
            "||  HasMoreDestinations  |  False                                                      ||",
            "||  LastUpdateTimestamp  |  1795312702.726                                             ||",
            "||  VersionId            |  1                                                          ||",
            "|+-----------------------+-------------------------------------------------------------+|",
            "|||                       DeliveryStreamEncryptionConfiguration                       |||",
            "||+--------------+--------------------------------------------------------------------+||",
            "|||  KeyARN      |  arn:aws:kms:us-east-1:123456789012:key/abcd                       |||",
            "|||  KeyType     |  CUSTOMER_MANAGED_CMK                                              |||",
            "|||  Status      |  ENABLED                                                           |||",
            "||+--------------+--------------------------------------------------------------------+||",
            "|||                                   Destinations                                    |||",
            "||+-----------------------------+-----------------------------------------------------+||",
            "|||  DestinationId              |  destinationId-000000000001                         |||",
            "||+-----------------------------+-----------------------------------------------------+||",
            "||||                        ExtendedS3DestinationDescription                         ||||",
            "|||+--------------------+------------------------------------------------------------+|||",
            "||||  BucketARN         |  arn:aws:s3:::b                                            ||||",
            "||||  RoleARN           |  arn:aws:iam::123456789012:role/r                          ||||",
            "|||+--------------------+------------------------------------------------------------+|||",
            "||||                            S3DestinationDescription                             ||||",
            "|||+--------------------+------------------------------------------------------------+|||",
            "||||  BucketARN         |  arn:aws:s3:::b                                            ||||",
            "||||  RoleARN           |  arn:aws:iam::123456789012:role/r                          ||||",
            "|||+--------------------+------------------------------------------------------------+|||",
        ]);
        assert_eq!(table(&describe(), 80), expected);
    }

    #[test]
    fn table_repeats_a_list_section_for_each_dict_with_nested_values() {
        let value = json!({"Streams": [{"Name": "s1", "Enc": {"Status": "ENABLED", "KeyType": "AWS_OWNED_CMK"}}, {"Name": "s2", "Enc": {"Status": "DISABLED"}}]});
        let expected = lines(&[
            "----------------------------------",
            "|     DescribeDeliveryStream     |",
            "+--------------------------------+",
            "||            Streams           ||",
            "|+------------------------------+|",
            "||             Name             ||",
            "|+------------------------------+|",
            "||  s1                          ||",
            "|+------------------------------+|",
            "|||             Enc            |||",
            "||+----------------+-----------+||",
            "|||     KeyType    |  Status   |||",
            "||+----------------+-----------+||",
            "|||  AWS_OWNED_CMK |  ENABLED  |||",
            "||+----------------+-----------+||",
            "||            Streams           ||",
            "|+------------------------------+|",
            "||             Name             ||",
            "|+------------------------------+|",
            "||  s2                          ||",
            "|+------------------------------+|",
            "|||             Enc            |||",
            "||+------------+---------------+||",
            "|||  Status    |  DISABLED     |||",
            "||+------------+---------------+||",
        ]);
        assert_eq!(table(&value, 80), expected);
    }

    #[test]
    fn table_list_of_dicts_shares_one_header_and_leaves_missing_cells_empty() {
        let value = json!([{"Name": "s1", "Status": "ENABLED"}, {"Name": "s2", "Status": "DISABLED", "Extra": true}]);
        let expected = lines(&[
            "-------------------------------",
            "|   DescribeDeliveryStream    |",
            "+-------+--------+------------+",
            "| Extra | Name   |  Status    |",
            "+-------+--------+------------+",
            "|       |  s1    |  ENABLED   |",
            "|  True |  s2    |  DISABLED  |",
            "+-------+--------+------------+",
        ]);
        assert_eq!(table(&value, 80), expected);
    }

    #[test]
    fn table_dict_with_one_scalar_is_a_two_cell_row() {
        let value = json!({"Status": "ENABLED", "Tags": [{"Key": "k", "Value": "v"}]});
        let expected = lines(&[
            "------------------------",
            "|DescribeDeliveryStream|",
            "+---------+------------+",
            "|  Status |  ENABLED   |",
            "+---------+------------+",
            "||        Tags        ||",
            "|+--------+-----------+|",
            "||   Key  |   Value   ||",
            "|+--------+-----------+|",
            "||  k     |  v        ||",
            "|+--------+-----------+|",
        ]);
        assert_eq!(table(&value, 80), expected);
    }

    #[test]
    fn table_lists_of_scalars_become_rows() {
        let expected = lines(&[
            "------------------------",
            "|DescribeDeliveryStream|",
            "+----------------------+",
            "|  s1                  |",
            "|  s2                  |",
            "|  3                   |",
            "|  None                |",
            "|  True                |",
            "+----------------------+",
        ]);
        assert_eq!(table(&json!(["s1", "s2", 3, null, true]), 80), expected);
        let expected = lines(&[
            "------------------------",
            "|DescribeDeliveryStream|",
            "+----------+-----------+",
            "|  a       |  b        |",
            "|  c       |  d        |",
            "+----------+-----------+",
        ]);
        assert_eq!(table(&json!([["a", "b"], ["c", "d"]]), 80), expected);
    }

    #[test]
    fn table_of_a_top_level_scalar_is_just_the_title() {
        let expected = lines(&[
            "------------------------",
            "|DescribeDeliveryStream|",
            "+----------------------+",
        ]);
        assert_eq!(table(&json!("ENABLED"), 80), expected);
        assert_eq!(table(&json!(42), 80), expected);
    }

    #[test]
    fn table_counts_east_asian_wide_and_ambiguous_characters_as_two_columns() {
        let value = json!({"Name": "stream-é", "Note": "日本語のテキスト", "Status": "ENABLED"});
        let expected = lines(&[
            "----------------------------------------------",
            "|           DescribeDeliveryStream           |",
            "+-----------+--------------------+-----------+",
            "|   Name    |       Note         |  Status   |",
            "+-----------+--------------------+-----------+",
            "|  stream-é|  日本語のテキスト  |  ENABLED  |",
            "+-----------+--------------------+-----------+",
        ]);
        assert_eq!(table(&value, 80), expected);
        assert_eq!(text_width("aé日\u{1F600}"), 1 + 2 + 2 + 2);
    }

    #[test]
    fn table_in_colour_matches_the_aws_cli_byte_for_byte() {
        // `--color on`: cells bright blue, nesting bars dim yellow, and
        // colorama's autoreset after every write.
        let value = json!({"Status": "ENABLED", "Nested": {"KeyType": "AWS_OWNED_CMK"}});
        let expected = concat!(
            "--------------------------------\n\u{1b}[0m",
            "\u{1b}[0m|    DescribeDeliveryStream    |\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[0m+-------------+----------------+\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[0m|  \u{1b}[1m\u{1b}[34mStatus\u{1b}[0m     |  \u{1b}[1m\u{1b}[34mENABLED\u{1b}[0m       |\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[0m+-------------+----------------+\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m|           Nested           |\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m+----------+-----------------+\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m|  \u{1b}[1m\u{1b}[34mKeyType\u{1b}[0m |  \u{1b}[1m\u{1b}[34mAWS_OWNED_CMK\u{1b}[0m  |\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
            "\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m+----------+-----------------+\u{1b}[0m\u{1b}[2m\u{1b}[33m|\u{1b}[0m\u{1b}[0m\n\u{1b}[0m",
        );
        assert_eq!(
            render_with_width(&value, OutputFormat::Table, TITLE, true, 80),
            expected
        );
        assert!(
            !table(&value, 80).contains('\u{1b}'),
            "no colour unless asked"
        );
    }

    #[test]
    fn table_survives_shapes_the_aws_cli_chokes_on() {
        // Python raises on these (ragged rows, non-dict list elements); we must not panic.
        let awkward = [
            json!(["a", ["b", "c"], {"k": "v"}]),
            json!([{"a": 1}, "scalar", ["x"], {"a": {"deep": [1, {"z": null}]}}]),
            json!([[{"a": 1}], [[]], [{}]]),
            json!({"": "empty key", "x": {"": {}}, "y": [[], {}, ""]}),
            json!({"Wide": "x".repeat(300), "Also": "y"}),
            json!([{}, {}]),
            json!({"a": {"b": {"c": {"d": {"e": {"f": "deep"}}}}}}),
        ];
        for value in &awkward {
            for width in [0, 1, 80, 1000] {
                for color in [false, true] {
                    let rendered =
                        render_with_width(value, OutputFormat::Table, TITLE, color, width);
                    assert!(rendered.starts_with('-'), "{value} at {width}: {rendered}");
                }
            }
            for format in OutputFormat::ALL {
                let _ = render_with_width(value, format, "", false, 80);
            }
        }
    }

    #[test]
    fn table_wider_than_the_terminal_goes_vertical_but_never_wraps() {
        let long = "x".repeat(100);
        let rendered = table(&json!({"Details": long, "Type": "T"}), 80);
        let widths: Vec<usize> = rendered.lines().map(|line| line.chars().count()).collect();
        assert_eq!(widths, [117; 6], "{rendered}");
        assert_eq!(
            rendered.lines().nth(3),
            Some(format!("|  Details|  {long}   |").as_str())
        );
    }

    // --- yaml ---------------------------------------------------------------

    #[test]
    fn yaml_sorts_keys_in_block_style() {
        let expected = lines(&[
            "DeliveryStreamEncryptionConfiguration:",
            "  KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd",
            "  KeyType: CUSTOMER_MANAGED_CMK",
            "  Status: ENABLED",
            "DeliveryStreamName: s1",
        ]);
        assert_eq!(out(&state(), OutputFormat::Yaml), expected);
        assert_eq!(
            out(&encryption(), OutputFormat::Yaml),
            "KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd\nKeyType: CUSTOMER_MANAGED_CMK\nStatus: ENABLED\n"
        );
    }

    #[test]
    fn yaml_full_describe_matches_the_aws_cli() {
        let expected = lines(&[
            "DeliveryStreamDescription:",
            "  CreateTimestamp: 1795312702.726",
            "  DeliveryStreamARN: arn:aws:firehose:us-east-1:123456789012:deliverystream/s1",
            "  DeliveryStreamEncryptionConfiguration:",
            "    KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd",
            "    KeyType: CUSTOMER_MANAGED_CMK",
            "    Status: ENABLED",
            "  DeliveryStreamName: s1",
            "  DeliveryStreamStatus: ACTIVE",
            "  DeliveryStreamType: DirectPut",
            "  Destinations:",
            "  - DestinationId: destinationId-000000000001",
            "    ExtendedS3DestinationDescription:",
            "      BucketARN: arn:aws:s3:::b",
            "      RoleARN: arn:aws:iam::123456789012:role/r",
            "    S3DestinationDescription:",
            "      BucketARN: arn:aws:s3:::b",
            "      RoleARN: arn:aws:iam::123456789012:role/r",
            "  HasMoreDestinations: false",
            "  LastUpdateTimestamp: 1795312702.726",
            "  VersionId: '1'",
        ]);
        assert_eq!(out(&describe(), OutputFormat::Yaml), expected);
    }

    #[test]
    fn yaml_quotes_strings_only_when_needed_with_single_quotes() {
        let value = json!({
            "arn": "arn:aws:kms:us-east-1:123456789012:key/abcd", "num": "123", "flt": "1.5", "t": "true",
            "nul": "null", "tilde": "~", "empty": "", "date": "2026-11-22T01:58:22.726000+00:00",
            "colon": "a: b", "hash": "x #y", "lead": " sp", "trail": "x ", "star": "*x", "dash": "- x",
            "q": "it's", "qc": "it's: x", "uni": "é日本", "brace": "{a}", "at": "@x"
        });
        let expected = lines(&[
            "arn: arn:aws:kms:us-east-1:123456789012:key/abcd",
            "at: '@x'",
            "brace: '{a}'",
            "colon: 'a: b'",
            "dash: '- x'",
            "date: '2026-11-22T01:58:22.726000+00:00'",
            "empty: ''",
            "flt: '1.5'",
            "hash: 'x #y'",
            "lead: ' sp'",
            "nul: 'null'",
            "num: '123'",
            "q: it's",
            "qc: 'it''s: x'",
            "star: '*x'",
            "t: 'true'",
            "tilde: '~'",
            "trail: 'x '",
            "uni: é日本",
        ]);
        assert_eq!(out(&value, OutputFormat::Yaml), expected);
    }

    #[test]
    fn yaml_differs_from_ruamel_only_in_documented_details() {
        // ruamel.yaml would write `ml: 'line1\n\n  line2'`, `yes: yes`, `Big: 1e+16`.
        let value = json!({"ml": "line1\nline2", "yes": "yes", "Big": 1e16});
        assert_eq!(
            out(&value, OutputFormat::Yaml),
            "Big: 1.0e+16\nml: \"line1\\nline2\"\n\"yes\": 'yes'\n"
        );
    }

    #[test]
    fn yaml_writes_a_top_level_scalar_as_json() {
        assert_eq!(out(&json!("ENABLED"), OutputFormat::Yaml), "\"ENABLED\"\n");
        assert_eq!(out(&json!(42), OutputFormat::Yaml), "42\n");
        assert_eq!(out(&json!(false), OutputFormat::Yaml), "false\n");
        assert_eq!(out(&json!(""), OutputFormat::Yaml), "\"\"\n");
        assert_eq!(out(&json!([]), OutputFormat::Yaml), "[]\n");
    }

    #[test]
    fn yaml_stream_wraps_the_response_in_a_one_item_list() {
        let expected = lines(&[
            "- DeliveryStreamEncryptionConfiguration:",
            "    KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd",
            "    KeyType: CUSTOMER_MANAGED_CMK",
            "    Status: ENABLED",
            "  DeliveryStreamName: s1",
        ]);
        assert_eq!(out(&state(), OutputFormat::YamlStream), expected);
        assert!(
            out(&encryption(), OutputFormat::YamlStream)
                .starts_with("- KeyARN: arn:aws:kms:us-east-1:123456789012:key/abcd\n")
        );
        assert_eq!(
            out(&json!("ENABLED"), OutputFormat::YamlStream),
            "- ENABLED\n"
        );
        assert_eq!(out(&json!(""), OutputFormat::YamlStream), "- ''\n");
        assert_eq!(out(&json!([]), OutputFormat::YamlStream), "- []\n");
    }

    // --- Python spellings ---------------------------------------------------

    #[test]
    fn python_float_repr_matches_python() {
        for (value, python) in [
            (1.5, "1.5"),
            (2.0, "2.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1e100, "1e+100"),
            (1795312702.726, "1795312702.726"),
        ] {
            assert_eq!(python_float(value), python, "{value:?}");
        }
    }

    #[test]
    fn render_sizes_tables_to_the_terminal() {
        assert!(terminal_width() > 0);
        let value = json!({"Name": "s1", "Type": "DirectPut", "Enc": "ENABLED"});
        assert_eq!(
            render(&value, OutputFormat::Table, TITLE, false),
            table(&value, terminal_width())
        );
        assert_eq!(
            render(&state(), OutputFormat::Json, TITLE, true),
            out(&state(), OutputFormat::Json)
        );
    }
}
