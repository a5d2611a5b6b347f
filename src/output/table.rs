//! `table`: `awscli/formatter.py`'s `TableFormatter` and a port of
//! `awscli/table.py`'s `MultiTable`, which draws it.

use serde_json::{Map, Value};

use super::text::is_scalar;
use crate::python::python_str;

/// colorama's `Style.RESET_ALL`. With `--color on` the AWS CLI's colorama
/// wrapper (`autoreset=True`) writes it after every write to stdout.
const RESET: &str = "\x1b[0m";
/// `Style.BRIGHT + Fore.BLUE`: the colour of table cells.
const ROW_STYLE: &str = "\x1b[1m\x1b[34m";
/// `Style.DIM + Fore.YELLOW`: the colour of the `|` that frame nested sections.
const INDENT_STYLE: &str = "\x1b[2m\x1b[33m";

pub(super) fn render_table(
    value: &Value,
    title: &str,
    color: bool,
    terminal_width: usize,
) -> String {
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
mod tests;
