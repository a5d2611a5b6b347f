//! `--output`: turning a response (already filtered by `--query`) into the
//! bytes the AWS CLI v2 prints on stdout.
//!
//! This module owns every output format: `json`, `text`, `table`, `yaml`,
//! `yaml-stream` and `off`. Each renderer is a port of the AWS CLI's own
//! (`awscli/formatter.py`, `awscli/text.py`, `awscli/table.py`) and returns a
//! `String` (JSON can also be written as it is serialised, to a writer the
//! caller gives: [`write_json_to`]); only `app` writes stdout. Values are printed the way Python
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

use serde_json::Value;

mod json;
mod table;
mod text;
mod yaml;

use json::{render_json, write_json};
use table::render_table;
use text::render_text;
use yaml::{render_yaml, render_yaml_stream};

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

/// Writes `value` to `out` exactly as [`render`] renders it as JSON, as it
/// is serialised rather than held whole: for a large document whose
/// [`Serialize`](serde::Serialize) builds its parts one at a time. `value`
/// must not serialise as `{}` (which [`render`] prints as nothing).
pub fn write_json_to<T: serde::Serialize + ?Sized>(
    value: &T,
    out: &mut impl io::Write,
) -> io::Result<()> {
    write_json(value, out)
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

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
