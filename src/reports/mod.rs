//! `--report FORMAT=PATH` (contract §13): the fleet document, as printed,
//! rendered for other tools and written to a file.
//!
//! | format | what | module |
//! |---|---|---|
//! | `junit` | a `<testsuite>` per target, a `<testcase>` per stream, for CI | `junit.rs` |
//! | `asff` | an AWS Security Finding Format finding per stream, for `aws securityhub batch-import-findings` | `asff.rs` |
//! | `ocsf` | an OCSF 1.6 Compliance Finding (class 2003) per stream | `ocsf.rs` |
//!
//! The writers read the document as JSON (`document.rs` turns it into
//! streams and targets and judges each stream; `text.rs` words it for
//! people), never the fleet engine's
//! types: a report is what the user saw on stdout, in another shape. A
//! document of an unexpected shape is an error naming what is missing, never
//! a panic.
//!
//! [`write_all`] renders every report and writes each file atomically (a
//! temporary file in the same directory, then a rename), so a reader never
//! sees half a report and a failed write leaves the old file in place.

mod asff;
mod document;
mod junit;
mod ocsf;
mod text;

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use crate::error::CliError;

/// A report format, the `FORMAT` of `--report FORMAT=PATH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JUnit XML: a `<testsuite>` per target, a `<testcase>` per stream.
    Junit,
    /// A JSON array of AWS Security Finding Format findings.
    Asff,
    /// A JSON array of OCSF 1.6 Compliance Findings.
    Ocsf,
}

impl Format {
    /// The name on the command line: `junit`, `asff` or `ocsf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Junit => "junit",
            Format::Asff => "asff",
            Format::Ocsf => "ocsf",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule `--report` values follow, for error messages.
const RULE: &str = "expected junit=PATH, asff=PATH or ocsf=PATH";

/// One `--report FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// What to write.
    pub format: Format,
    /// Where to write it.
    pub path: PathBuf,
}

impl Report {
    /// Parse `FORMAT=PATH` (the format in any case; the path is everything
    /// after the first `=`, so it may contain `=`). Usable as a clap
    /// `value_parser`. `-` is refused: stdout carries the document.
    pub fn parse(arg: &str) -> Result<Report, String> {
        let Some((format, path)) = arg.split_once('=') else {
            return Err(format!("{RULE}, got {arg:?}"));
        };
        let format = match format.to_ascii_lowercase().as_str() {
            "junit" => Format::Junit,
            "asff" => Format::Asff,
            "ocsf" => Format::Ocsf,
            _ => return Err(format!("{RULE}: unknown format {format:?}")),
        };
        if path.is_empty() {
            return Err(format!("{RULE}: the PATH of {format} is empty"));
        }
        if path == "-" {
            return Err(format!(
                "{RULE}: a report cannot go to stdout (-), which carries the document"
            ));
        }
        Ok(Report {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// What a service's reports say about it: the names its document uses
/// (as the fleet engine's labels) and the Security Hub control its streams
/// are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The Security Hub control, e.g. `DataFirehose.1`.
    pub control: &'static str,
    /// The document's one array member, e.g. `DeliveryStreams`.
    pub document: &'static str,
    /// An entry's name member, e.g. `DeliveryStreamName`.
    pub name: &'static str,
    /// An entry's ARN member, e.g. `DeliveryStreamARN`.
    pub arn: &'static str,
    /// An entry's type member, e.g. `DeliveryStreamType`, if it has one.
    pub kind: Option<&'static str>,
    /// An entry's source member, e.g. `KinesisSource`, if it has one.
    pub source: Option<&'static str>,
    /// ASFF `Resources[].Type`: one of the ASFF resource types, or `Other`
    /// when the list has none for it (it has none for Firehose).
    pub resource_type: &'static str,
    /// The resource's CloudFormation type, e.g.
    /// `AWS::KinesisFirehose::DeliveryStream`: OCSF `resources[].type`, and
    /// ASFF `Details.Other.ResourceType`.
    pub cloudformation_type: &'static str,
    /// The service in the stream's ARN, e.g. `firehose`.
    pub arn_service: &'static str,
    /// The resource in the stream's ARN, before `/name`, e.g.
    /// `deliverystream`.
    pub arn_resource: &'static str,
    /// The control's title, as Security Hub words it.
    pub title: &'static str,
    /// The command that wrote the report: the product in ASFF and OCSF, the
    /// JUnit report's name.
    pub command: &'static str,
    /// Where Security Hub documents the control and its remediation.
    pub remediation_url: &'static str,
}

/// `start-delivery-stream-encryption`'s streams.
pub const FIREHOSE: Service = Service {
    control: "DataFirehose.1",
    document: "DeliveryStreams",
    name: "DeliveryStreamName",
    arn: "DeliveryStreamARN",
    kind: Some("DeliveryStreamType"),
    source: Some("KinesisSource"),
    resource_type: "Other",
    cloudformation_type: "AWS::KinesisFirehose::DeliveryStream",
    arn_service: "firehose",
    arn_resource: "deliverystream",
    title: "Firehose delivery streams should be encrypted at rest",
    command: "start-delivery-stream-encryption",
    remediation_url: "https://docs.aws.amazon.com/securityhub/latest/userguide/datafirehose-controls.html#datafirehose-1",
};

/// `start-stream-encryption`'s streams.
pub const KINESIS: Service = Service {
    control: "Kinesis.1",
    document: "Streams",
    name: "StreamName",
    arn: "StreamARN",
    kind: None,
    source: None,
    resource_type: "AwsKinesisStream",
    cloudformation_type: "AWS::Kinesis::Stream",
    arn_service: "kinesis",
    arn_resource: "stream",
    title: "Kinesis streams should be encrypted at rest",
    command: "start-stream-encryption",
    remediation_url: "https://docs.aws.amazon.com/securityhub/latest/userguide/kinesis-controls.html#kinesis-1",
};

/// Render `document` (the fleet document as printed) as `format`, dated
/// `now`. An error names what the document lacks.
pub fn render(
    format: Format,
    document: &Value,
    service: &Service,
    now: SystemTime,
) -> Result<Vec<u8>, String> {
    let doc = document::read(document, service)?;
    let at = utc(now)?;
    match format {
        Format::Junit => junit::render(&doc, service, at),
        Format::Asff => asff::render(&doc, service, at),
        Format::Ocsf => ocsf::render(&doc, service, at),
    }
}

/// `now` as a UTC date; an error, not a panic, for a clock out of range.
fn utc(now: SystemTime) -> Result<DateTime<Utc>, String> {
    let date = match now.duration_since(UNIX_EPOCH) {
        Ok(after) => TimeDelta::from_std(after)
            .ok()
            .and_then(|d| DateTime::UNIX_EPOCH.checked_add_signed(d)),
        Err(before) => TimeDelta::from_std(before.duration())
            .ok()
            .and_then(|d| DateTime::UNIX_EPOCH.checked_sub_signed(d)),
    };
    date.ok_or_else(|| format!("the time {now:?} is out of range for a report"))
}

/// The streams of `document` that the ASFF and OCSF reports leave out, by
/// name: those never described whose account the document does not know,
/// so that no ARN or account can be given for them. (The JUnit report has
/// them all.)
pub fn omitted(document: &Value, service: &Service) -> Result<Vec<String>, String> {
    let doc = document::read(document, service)?;
    Ok(doc
        .streams
        .iter()
        .filter(|s| s.resource(service).is_none())
        .map(|s| s.name.to_owned())
        .collect())
}

/// A note for people when an ASFF or OCSF report among `reports` leaves
/// streams out ([`omitted`]), naming the reports and the streams; `None`
/// when nothing is left out. The names are raw: the caller escapes them.
pub fn omitted_note(reports: &[Report], document: &Value, service: &Service) -> Option<String> {
    let formats: Vec<&str> = reports
        .iter()
        .filter(|r| matches!(r.format, Format::Asff | Format::Ocsf))
        .map(|r| r.format.as_str())
        .collect();
    if formats.is_empty() {
        return None;
    }
    let names = omitted(document, service).ok()?;
    if names.is_empty() {
        return None;
    }
    Some(format!(
        "note: the {} report{} leave{} out {} stream{} whose account is not known \
         (never described, so no ARN; the junit report has them): {}",
        formats.join(" and "),
        if formats.len() == 1 { "" } else { "s" },
        if formats.len() == 1 { "s" } else { "" },
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    ))
}

/// Check the reports before the run: no path named twice, each in an
/// existing directory and not a directory itself. A usage error (exit 252)
/// naming `--report`.
pub fn check(reports: &[Report]) -> Result<(), CliError> {
    for (i, report) in reports.iter().enumerate() {
        let shown = report.path.display();
        if reports[..i].iter().any(|r| r.path == report.path) {
            return Err(CliError::ParamValidation(format!(
                "--report: {shown} is named more than once"
            )));
        }
        if report.path.is_dir() {
            return Err(CliError::ParamValidation(format!(
                "--report: {shown} is a directory"
            )));
        }
        if !directory_of(&report.path).is_dir() {
            return Err(CliError::ParamValidation(format!(
                "--report: the directory of {shown} does not exist"
            )));
        }
    }
    Ok(())
}

/// Render and write every report. Each file is written whole or not at all;
/// all are tried, and the error (exit 255, `ReportWriteError`) names each
/// file that could not be written and why.
pub fn write_all(
    reports: &[Report],
    document: &Value,
    service: &Service,
    now: SystemTime,
) -> Result<(), CliError> {
    let mut failures = Vec::new();
    for report in reports {
        let written = render(report.format, document, service, now)
            .and_then(|bytes| write_atomically(&report.path, &bytes).map_err(|e| e.to_string()));
        if let Err(why) = written {
            failures.push(format!(
                "could not write the {} report {}: {why}",
                report.format,
                report.path.display()
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::failure("ReportWriteError", failures.join("; ")))
    }
}

/// The directory a path's file lives in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Write `bytes` to `path` through a new temporary file beside it, synced,
/// then renamed over `path`; the temporary file is removed on failure.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file",
        ));
    };
    let dir = directory_of(path);
    let mut attempts = 0;
    let (temp, mut file) = loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(
            ".{}.{}.{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => attempts += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_report_is_format_equals_path() {
        let r = Report::parse("junit=out/report.xml").unwrap();
        assert_eq!(r.format, Format::Junit);
        assert_eq!(r.path, PathBuf::from("out/report.xml"));
        assert_eq!(
            Report::parse("ASFF=a=b.json").unwrap().path,
            PathBuf::from("a=b.json")
        );
        assert_eq!(Report::parse("ocsf=x").unwrap().format, Format::Ocsf);
    }

    #[test]
    fn a_bad_report_names_the_rule() {
        for bad in ["junit", "sarif=x.json", "junit=", "asff=-", "=x"] {
            let e = Report::parse(bad).unwrap_err();
            assert!(e.starts_with(RULE), "{bad}: {e}");
        }
    }

    #[test]
    fn check_refuses_a_path_twice_and_a_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let at = |f: &str| Report {
            format: Format::Junit,
            path: dir.path().join(f),
        };
        assert_eq!(check(&[at("a.xml"), at("b.json")]), Ok(()));
        let twice = check(&[at("a.xml"), at("a.xml")]).unwrap_err();
        assert!(twice.message().contains("more than once"), "{twice}");
        let missing = check(&[at("no/such/a.xml")]).unwrap_err();
        assert!(missing.message().contains("does not exist"), "{missing}");
        let directory = check(&[Report {
            format: Format::Asff,
            path: dir.path().to_owned(),
        }])
        .unwrap_err();
        assert!(
            directory.message().contains("is a directory"),
            "{directory}"
        );
        assert_eq!(directory.exit_code(), std::process::ExitCode::from(252));
    }

    fn document() -> Value {
        json!({
            "DeliveryStreams": [{
                "AccountId": "123456789012", "Region": "us-east-1",
                "DeliveryStreamName": "a",
                "DeliveryStreamARN": "arn:aws:firehose:us-east-1:123456789012:deliverystream/a",
                "Action": "AlreadyEncrypted", "EncryptedAtRest": true,
                "EncryptionBefore": {"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"},
                "EncryptionAfter": {"KeyType": "AWS_OWNED_CMK", "Status": "ENABLED"},
                "Calls": {"Made": 1, "Throttled": 0}
            }],
            "Targets": [{"AccountId": "123456789012", "AccountName": null, "Region": "us-east-1",
                         "ReachedBy": "default credentials", "Status": "Done", "Error": null}]
        })
    }

    #[test]
    fn write_all_writes_every_file_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let reports: Vec<Report> = [
            (Format::Junit, "r.xml"),
            (Format::Asff, "r.asff.json"),
            (Format::Ocsf, "r.ocsf.json"),
        ]
        .into_iter()
        .map(|(format, f)| Report {
            format,
            path: dir.path().join(f),
        })
        .collect();
        std::fs::write(&reports[0].path, "old").unwrap();
        write_all(&reports, &document(), &FIREHOSE, SystemTime::UNIX_EPOCH).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["r.asff.json", "r.ocsf.json", "r.xml"]);
        let xml = std::fs::read_to_string(&reports[0].path).unwrap();
        assert!(xml.starts_with("<?xml"), "{xml}");
        let asff: Value =
            serde_json::from_slice(&std::fs::read(&reports[1].path).unwrap()).unwrap();
        assert_eq!(asff[0]["Compliance"]["Status"], "PASSED");
    }

    #[test]
    fn a_failed_write_names_the_file_and_the_others_are_still_written() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("no-such-dir/r.xml");
        let good = dir.path().join("r.json");
        let reports = [
            Report {
                format: Format::Junit,
                path: bad.clone(),
            },
            Report {
                format: Format::Asff,
                path: good.clone(),
            },
        ];
        let e = write_all(&reports, &document(), &FIREHOSE, SystemTime::now()).unwrap_err();
        assert_eq!(e.code(), "ReportWriteError");
        assert_eq!(e.exit_code(), std::process::ExitCode::from(255));
        assert!(e.message().contains(&bad.display().to_string()), "{e}");
        assert!(e.message().contains("junit"), "{e}");
        assert!(good.is_file());
    }

    #[test]
    fn the_omitted_note_names_the_reports_and_streams_left_out() {
        let mut doc = document();
        doc["DeliveryStreams"][0] = json!({
            "DeliveryStreamName": "ghost", "Action": "Failed", "EncryptedAtRest": false,
            "Error": {"Code": "ResourceNotFoundException", "Message": "not found"}
        });
        doc["Targets"][0]["AccountId"] = Value::Null;
        let at = |format| Report {
            format,
            path: PathBuf::from("r"),
        };
        let note = omitted_note(&[at(Format::Asff)], &doc, &FIREHOSE).unwrap();
        assert!(
            note.contains("the asff report leaves out 1 stream whose") && note.ends_with(": ghost"),
            "{note}"
        );
        assert_eq!(omitted_note(&[at(Format::Junit)], &doc, &FIREHOSE), None);
        assert_eq!(
            omitted_note(&[at(Format::Ocsf)], &document(), &FIREHOSE),
            None
        );
    }

    #[test]
    fn a_clock_out_of_range_is_an_error_not_a_panic() {
        let far = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 62);
        let e = render(Format::Junit, &document(), &FIREHOSE, far).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        let before = SystemTime::UNIX_EPOCH - std::time::Duration::from_millis(1500);
        let ocsf = render(Format::Ocsf, &document(), &FIREHOSE, before).unwrap();
        let ocsf: Value = serde_json::from_slice(&ocsf).unwrap();
        assert_eq!(ocsf[0]["time"], -1500);
    }

    #[test]
    fn a_document_of_the_other_service_is_an_error_naming_what_is_missing() {
        let e = render(Format::Asff, &document(), &KINESIS, SystemTime::now()).unwrap_err();
        assert!(e.contains("Streams"), "{e}");
        let e = write_all(
            &[Report {
                format: Format::Ocsf,
                path: PathBuf::from("/nonexistent/x.json"),
            }],
            &json!([1, 2]),
            &FIREHOSE,
            SystemTime::now(),
        )
        .unwrap_err();
        assert!(e.message().contains("DeliveryStreams"), "{e}");
    }
}
