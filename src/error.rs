//! Every way a run can fail, and the one table that turns a failure into an
//! exit code (AWS CLI v2 return codes: 252 usage, 253 configuration, 254
//! service, 255 anything else, 130 interrupted).
//!
//! SDK errors are classified here from their typed variants and error
//! metadata (`ProvideErrorMetadata::code()` / `message()`), never by parsing
//! `Display` text.

use std::error::Error as StdError;
use std::fmt;
use std::process::ExitCode;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::bounds::{MAX_LISTED, MAX_MESSAGE_CHARS, MAX_REPORT_CHARS};
use crate::chain::find_source;
use crate::{terminal_text, tls};

/// The AWS CLI's wording when no credentials were found.
pub const NO_CREDENTIALS: &str =
    "Unable to locate credentials. You can configure credentials by running \"aws configure\".";

/// The AWS CLI's wording when no region was configured.
pub const NO_REGION: &str =
    "You must specify a region. You can also configure your region by running \"aws configure\".";

/// A failure that ends the run, sorted by the exit code it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// A command-line syntax error already rendered by clap (unknown option,
    /// missing value): printed as is. Exit 252.
    Usage(String),
    /// A parameter that is malformed or breaks a model constraint. Exit 252.
    ParamValidation(String),
    /// Configuration or environment: no region, no credentials, a bad
    /// setting. `code` is the AWS CLI's (`NoRegion`, `NoCredentials`,
    /// `Configuration`). Exit 253.
    Config {
        /// Error code, e.g. `NoRegion`.
        code: &'static str,
        /// Human-readable message.
        message: String,
    },
    /// The service answered with an error. Exit 254.
    Service {
        /// The API operation, e.g. `StartDeliveryStreamEncryption`.
        operation: &'static str,
        /// The error code from the response (HTTP status when it has none).
        code: String,
        /// The error message from the response.
        message: String,
        /// Why the service likely refused and what to do, when known.
        hint: Option<String>,
        /// The members of the error response itself (e.g. the service's
        /// `message`), in its order, without `__type`: AWS CLI v2 adds them
        /// to the structured error formats.
        members: Vec<(String, serde_json::Value)>,
    },
    /// Anything else: connection failure, timeout, unreadable response, a
    /// failed or timed-out wait. Exit 255.
    Failure {
        /// A stable name for scripts, e.g. `EndpointConnectionError`.
        code: &'static str,
        /// Human-readable message.
        message: String,
    },
    /// Interrupted by Ctrl-C. Exit 130. Carries the line to print when the
    /// service had already accepted the request (during `--wait`).
    Interrupted(Option<String>),
}

impl CliError {
    /// The process exit code for this failure: the single mapping table.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Usage(_) | CliError::ParamValidation(_) => 252,
            CliError::Config { .. } => 253,
            CliError::Service { .. } => 254,
            CliError::Failure { .. } => 255,
            CliError::Interrupted(_) => 130,
        })
    }
}

impl fmt::Display for CliError {
    /// The AWS CLI v2 "enhanced" message body (without the `aws: [ERROR]: ` prefix).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Failure { message: m, .. } => f.write_str(m),
            CliError::ParamValidation(m) => write!(f, "An error occurred (ParamValidation): {m}"),
            CliError::Config { code, message } => {
                write!(f, "An error occurred ({code}): {message}")
            }
            CliError::Service {
                operation,
                code,
                message,
                ..
            } => write!(
                f,
                "An error occurred ({code}) when calling the {operation} operation: {message}"
            ),
            CliError::Interrupted(_) => Ok(()),
        }
    }
}

impl StdError for CliError {}

impl CliError {
    /// The error code scripts can match on (`--cli-error-format json`).
    pub fn code(&self) -> &str {
        match self {
            CliError::Usage(_) | CliError::ParamValidation(_) => "ParamValidation",
            CliError::Config { code, .. } | CliError::Failure { code, .. } => code,
            CliError::Service { code, .. } => code,
            CliError::Interrupted(_) => "Interrupted",
        }
    }

    /// The bare message, without the `An error occurred (…)` frame.
    pub fn message(&self) -> &str {
        match self {
            CliError::Usage(m) | CliError::ParamValidation(m) => m,
            CliError::Config { message, .. }
            | CliError::Service { message, .. }
            | CliError::Failure { message, .. } => message,
            CliError::Interrupted(_) => "",
        }
    }

    /// The `legacy` error format's text: the bare message, except that a
    /// service error keeps its whole canonical line.
    pub fn legacy_message(&self) -> String {
        match self {
            CliError::Service { .. } => self.to_string(),
            other => other.message().to_owned(),
        }
    }

    /// The explanation attached to a service refusal, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            CliError::Service { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }

    /// Shorthand for [`CliError::Failure`].
    pub fn failure(code: &'static str, message: impl Into<String>) -> Self {
        CliError::Failure {
            code,
            message: message.into(),
        }
    }
}

/// Classify an SDK failure of `operation`. `endpoint` is the URL the request
/// went to, when known, for connection messages.
pub fn from_sdk<E>(
    operation: &'static str,
    err: SdkError<E, HttpResponse>,
    endpoint: Option<&str>,
) -> CliError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let url = endpoint.unwrap_or("<unknown>");
    if let Some(e) = find_source::<CredentialsError>(&err) {
        return credentials_error(e);
    }
    if let Some(problem) = tls::certificate_problem(&err) {
        return CliError::failure(
            "SSLError",
            format!("SSL validation failed for {url} {problem}"),
        );
    }
    match &err {
        SdkError::ServiceError(se) => {
            let raw = se.raw();
            let code = wire_error_type(raw)
                .or_else(|| se.err().code().map(str::to_owned))
                .unwrap_or_else(|| raw.status().as_u16().to_string());
            let message = se
                .err()
                .message()
                .map_or_else(|| body_text(raw), str::to_owned);
            CliError::Service {
                operation,
                code,
                message,
                hint: None,
                members: body_members(raw),
            }
        }
        // A non-JSON error page (an HTML 500 from a proxy or emulator): the
        // AWS CLI reports the HTTP status as the code and the body as message.
        SdkError::ResponseError(ctx) if !ctx.raw().status().is_success() => CliError::Service {
            operation,
            code: ctx.raw().status().as_u16().to_string(),
            message: body_text(ctx.raw()),
            hint: None,
            members: Vec::new(),
        },
        SdkError::DispatchFailure(df)
            if df.is_timeout()
                && find_source::<hyper_util::client::legacy::Error>(&err)
                    .is_some_and(|e| e.is_connect()) =>
        {
            CliError::failure(
                "ConnectTimeoutError",
                format!("Connect timeout on endpoint URL: \"{url}\""),
            )
        }
        SdkError::DispatchFailure(df) if df.is_timeout() => CliError::failure(
            "ReadTimeoutError",
            format!("Read timeout on endpoint URL: \"{url}\""),
        ),
        SdkError::DispatchFailure(df) if df.is_io() => CliError::failure(
            "EndpointConnectionError",
            format!("Could not connect to the endpoint URL: \"{url}\""),
        ),
        SdkError::TimeoutError(_) => CliError::failure(
            "ReadTimeoutError",
            format!("Read timeout on endpoint URL: \"{url}\""),
        ),
        SdkError::ResponseError(_) => CliError::failure(
            "ResponseParseError",
            format!(
                "The response from \"{url}\" to the {operation} operation could not be read: it is not the JSON the API returns"
            ),
        ),
        _ => CliError::failure("Unknown", DisplayErrorContext(&err).to_string()),
    }
}

/// The error code as botocore reads it: the body's `__type`, without any
/// `namespace#` prefix or `:suffix`. The SDK's own parser lets a `code`
/// member win over `__type` (InvalidKMSResourceException carries the KMS
/// error there), which would misname the error.
fn wire_error_type(raw: &HttpResponse) -> Option<String> {
    let t = body_member(raw, "__type")?;
    let t = t.as_str();
    let t = t.rsplit('#').next().unwrap_or(t);
    let t = t.split(':').next().unwrap_or(t);
    (!t.is_empty()).then(|| t.to_owned())
}

/// A string member of a JSON error body (e.g. the KMS `code` of
/// InvalidKMSResourceException).
pub fn body_member(raw: &HttpResponse, member: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_slice(raw.body().bytes()?).ok()?;
    doc.get(member)?.as_str().map(str::to_owned)
}

/// The members of a JSON error body but `__type`, in the body's order.
fn body_members(raw: &HttpResponse) -> Vec<(String, serde_json::Value)> {
    let doc: Option<serde_json::Value> = raw
        .body()
        .bytes()
        .and_then(|b| serde_json::from_slice(b).ok());
    match doc {
        Some(serde_json::Value::Object(map)) => {
            map.into_iter().filter(|(k, _)| k != "__type").collect()
        }
        _ => Vec::new(),
    }
}

impl CliError {
    /// The failure as it is printed for people (contract §14): what the
    /// service said (code, message, the members of its response) cut at
    /// [`MAX_MESSAGE_CHARS`] and, with `escape`, every control character in it
    /// escaped so that it stays on its line; this tool's own messages, which
    /// may echo a file, cut line by line and as a whole. The response
    /// members beyond the first [`MAX_LISTED`] are left out.
    pub fn for_report(&self, escape: bool) -> CliError {
        let foreign = |text: &str| {
            let cut = terminal_text::cut(text, MAX_MESSAGE_CHARS);
            if escape {
                terminal_text::escape_all(&cut).into_owned()
            } else {
                cut.into_owned()
            }
        };
        let own = |text: &str| {
            let lines = terminal_text::cut_lines(text, MAX_MESSAGE_CHARS);
            terminal_text::cut(&lines, MAX_REPORT_CHARS).into_owned()
        };
        match self {
            CliError::Service {
                operation,
                code,
                message,
                hint,
                members,
            } => CliError::Service {
                operation,
                code: foreign(code),
                message: foreign(message),
                hint: hint.as_deref().map(own),
                members: members
                    .iter()
                    .take(MAX_LISTED)
                    .map(|(k, v)| (foreign(k), bounded_value(v, &foreign)))
                    .collect(),
            },
            CliError::Usage(m) => CliError::Usage(own(m)),
            CliError::ParamValidation(m) => CliError::ParamValidation(own(m)),
            CliError::Config { code, message } => CliError::Config {
                code,
                message: own(message),
            },
            CliError::Failure { code, message } => CliError::Failure {
                code,
                message: own(message),
            },
            CliError::Interrupted(line) => CliError::Interrupted(line.as_deref().map(own)),
        }
    }

    /// The members of the error response (service errors only).
    pub fn response_members(&self) -> &[(String, serde_json::Value)] {
        match self {
            CliError::Service { members, .. } => members,
            _ => &[],
        }
    }
}

/// A member of an error response with `text` applied to every string in it;
/// a list or structure whose JSON is longer than [`MAX_MESSAGE_CHARS`]
/// becomes that JSON as one string, through `text`.
fn bounded_value(v: &serde_json::Value, text: &dyn Fn(&str) -> String) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(text(s)),
        Value::Array(_) | Value::Object(_) => {
            let json = v.to_string();
            if json.chars().nth(MAX_MESSAGE_CHARS).is_some() {
                return Value::String(text(&json));
            }
            match v {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|i| bounded_value(i, text)).collect())
                }
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, i)| (text(k), bounded_value(i, text)))
                        .collect(),
                ),
                other => other.clone(),
            }
        }
        other => other.clone(),
    }
}

/// A response body as text, for messages.
fn body_text(raw: &HttpResponse) -> String {
    raw.body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).trim().to_owned())
        .unwrap_or_default()
}

fn credentials_error(e: &CredentialsError) -> CliError {
    match e {
        CredentialsError::CredentialsNotLoaded(_) => CliError::Config {
            code: "NoCredentials",
            message: NO_CREDENTIALS.to_owned(),
        },
        other => CliError::Config {
            code: "NoCredentials",
            message: format!("Unable to load credentials: {}", DisplayErrorContext(other)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_aws_cli_v2_table() {
        let cases = [
            (CliError::Usage("x".into()), 252),
            (CliError::ParamValidation("x".into()), 252),
            (
                CliError::Config {
                    code: "NoRegion",
                    message: NO_REGION.into(),
                },
                253,
            ),
            (
                CliError::Service {
                    operation: "Op",
                    code: "C".into(),
                    message: "m".into(),
                    hint: None,
                    members: Vec::new(),
                },
                254,
            ),
            (CliError::failure("X", "x"), 255),
            (CliError::Interrupted(None), 130),
        ];
        for (err, code) in cases {
            assert_eq!(err.exit_code(), ExitCode::from(code), "{err:?}");
        }
    }

    #[test]
    fn for_a_report_the_service_s_text_is_cut_and_escaped_and_ours_cut() {
        let long = format!("\u{1b}[2J\n{}", "x".repeat(10_000));
        let e = CliError::Service {
            operation: "Op",
            code: "C\u{1b}".into(),
            message: long.clone(),
            hint: Some("line one\nline two".into()),
            members: (0..30)
                .map(|i| (format!("m{i}"), serde_json::json!([long.clone()])))
                .collect(),
        };
        let CliError::Service {
            code,
            message,
            hint,
            members,
            ..
        } = e.for_report(true)
        else {
            panic!("still a service error");
        };
        assert_eq!(code, "C\\x1b");
        assert!(message.starts_with("\\x1b[2J\\nxxx"), "{message:.40}");
        assert!(
            message.ends_with("x… (5909 more characters)"),
            "{message:.40}"
        );
        assert_eq!(hint.as_deref(), Some("line one\nline two"));
        assert_eq!(members.len(), MAX_LISTED);
        assert!(
            members[0]
                .1
                .as_str()
                .is_some_and(|m| m.ends_with("more characters)"))
        );
        let CliError::Service { message, .. } = e.for_report(false) else {
            panic!("still a service error");
        };
        assert!(
            message.starts_with("\u{1b}[2J\nxxx"),
            "data keeps its controls"
        );

        let ours = CliError::ParamValidation(format!("a\n{}", "y".repeat(100_000)));
        let shown = ours.for_report(true).message().to_owned();
        assert!(shown.starts_with("a\nyyy"), "{shown:.40}");
        assert!(shown.ends_with("y… (95904 more characters)"), "{shown:.40}");
    }

    #[test]
    fn service_error_renders_the_canonical_line() {
        let e = CliError::Service {
            operation: "StartDeliveryStreamEncryption",
            code: "ResourceNotFoundException".into(),
            message: "Firehose nope under account 123456789012 not found.".into(),
            hint: None,
            members: Vec::new(),
        };
        assert_eq!(
            e.to_string(),
            "An error occurred (ResourceNotFoundException) when calling the StartDeliveryStreamEncryption operation: Firehose nope under account 123456789012 not found."
        );
    }
}
