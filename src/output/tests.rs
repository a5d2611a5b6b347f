//! `OutputFormat`, what every format prints for nothing, and `render`.
//! Expected outputs: see `test_support`.

use serde_json::{Value, json};

use super::test_support::{TITLE, describe, out, state, table};
use super::{OutputFormat, render, terminal_width};
use crate::python::python_float;

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
        let clap_name =
            clap::ValueEnum::to_possible_value(&format).map(|value| value.get_name().to_owned());
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
