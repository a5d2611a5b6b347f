//! The AWS CLI's own settings, each resolved in one place with the AWS CLI's
//! precedence: command-line flag > environment variable > the selected
//! profile in the config/credentials files > built-in default.
//!
//! | setting | flag | environment | profile key | default |
//! |---|---|---|---|---|
//! | output format | `--output` | `AWS_DEFAULT_OUTPUT` | `output` | `json` |
//! | error format | `--cli-error-format` | `AWS_CLI_ERROR_FORMAT` | `cli_error_format` | `enhanced` |
//! | CA bundle | `--ca-bundle` | `AWS_CA_BUNDLE` | `ca_bundle` | system roots |
//! | retry mode | — | `AWS_RETRY_MODE` | `retry_mode` | `standard` |
//! | max attempts | — | `AWS_MAX_ATTEMPTS` | `max_attempts` | 3 (`legacy`: 5) |
//!
//! Region, credentials and endpoint are aws-config's business (see `aws`).
//! The files are read only when a request is about to be made, or when an
//! error must be printed in a configured format: help, version, skeleton and
//! validation paths never touch them.

use std::borrow::Cow;
use std::fmt;

use aws_config::profile::ProfileSet;
use aws_config::retry::RetryConfig;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

use crate::bounds::{self, MAX_ATTEMPTS};
use crate::error::CliError;
use crate::global::{ErrorFormat, GlobalArgs};
use crate::output::OutputFormat;
use crate::terminal_text;

/// The profile to use: `--profile` > `AWS_PROFILE` > `AWS_DEFAULT_PROFILE`
/// (which the AWS CLI's botocore also reads); `None` means `default`.
pub fn selected_profile(global: &GlobalArgs) -> Option<String> {
    global
        .profile
        .clone()
        .or_else(|| env("AWS_PROFILE"))
        .or_else(|| env("AWS_DEFAULT_PROFILE"))
}

/// The profile files as the AWS CLI reads them: `AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE` (or `~/.aws/…`), with the selected profile
/// (see [`selected_profile`]).
#[derive(Debug)]
pub struct Profile {
    set: Option<ProfileSet>,
}

impl Profile {
    /// Read the files. An explicitly named profile that does not exist is an
    /// error that names it; unreadable or malformed files are errors too.
    pub async fn load(global: &GlobalArgs) -> Result<Self, CliError> {
        check_files()?;
        let named = selected_profile(global);
        let set = aws_config::profile::load(
            &Fs::real(),
            &Env::real(),
            &EnvConfigFiles::default(),
            named.clone().map(Cow::Owned),
        )
        .await
        .map_err(|e| config_error(format!("Unable to read the AWS config files: {e}")))?;
        if let Some(name) = named
            && set.get_profile(&name).is_none()
        {
            return Err(config_error(format!(
                "The config profile ({name}) could not be found"
            )));
        }
        Ok(Self { set: Some(set) })
    }

    /// The same, for the error path: never fails (a broken file just
    /// contributes nothing) and runs its own small runtime when called
    /// outside one.
    pub fn load_quietly(global: &GlobalArgs) -> Self {
        let load = async { Self::load(global).await.unwrap_or(Self { set: None }) };
        match tokio::runtime::Handle::try_current() {
            Ok(_) => Self { set: None },
            Err(_) => tokio::runtime::Builder::new_current_thread()
                .build()
                .map_or(Self { set: None }, |rt| rt.block_on(load)),
        }
    }

    /// A key of the selected profile.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.set.as_ref()?.get(key)
    }
}

/// The config and credentials files aws-config is about to read, judged
/// first with the bound of [`bounds::MAX_FILE_BYTES`]: aws-config reads them
/// whole, so `AWS_CONFIG_FILE=/dev/zero` would fill the memory.
fn check_files() -> Result<(), CliError> {
    for (variable, default) in [
        ("AWS_CONFIG_FILE", "~/.aws/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    ] {
        let (path, from) = match std::env::var(variable) {
            Ok(path) => (path, variable),
            Err(_) => (default.to_owned(), "the default path"),
        };
        let expanded = match (path.strip_prefix("~/"), std::env::var("HOME")) {
            (Some(rest), Ok(home)) => std::path::Path::new(&home).join(rest),
            _ => std::path::PathBuf::from(&path),
        };
        bounds::check_file(&expanded, bounds::MAX_FILE_BYTES).map_err(|e| {
            config_error(format!(
                "Unable to read the AWS config files: {} (from {from}): {e}",
                expanded.display()
            ))
        })?;
    }
    Ok(())
}

fn config_error(message: String) -> CliError {
    CliError::Config {
        code: "Configuration",
        message,
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether an output format was chosen at all: `--output`,
/// `AWS_DEFAULT_OUTPUT` or the profile's `output`.
pub fn output_chosen(global: &GlobalArgs, profile: &Profile) -> bool {
    global.output.is_some()
        || env("AWS_DEFAULT_OUTPUT").is_some()
        || profile.get("output").is_some()
}

/// `--output` > `AWS_DEFAULT_OUTPUT` > profile `output` > json. A bad value
/// from the environment or the file is a configuration error naming it.
pub fn output_format(global: &GlobalArgs, profile: &Profile) -> Result<OutputFormat, CliError> {
    let (value, source) = match (
        &global.output,
        env("AWS_DEFAULT_OUTPUT"),
        profile.get("output"),
    ) {
        (Some(v), _, _) => (v.clone(), "--output"),
        (None, Some(v), _) => (v, "AWS_DEFAULT_OUTPUT"),
        (None, None, Some(v)) => (v.to_owned(), "the profile's output setting"),
        (None, None, None) => return Ok(OutputFormat::Json),
    };
    value
        .parse()
        .map_err(|e: String| config_error(format!("Bad value for {source}: {e}")))
}

/// `--cli-error-format` > `AWS_CLI_ERROR_FORMAT` > profile
/// `cli_error_format` > enhanced. Unknown values fall back to enhanced with
/// a warning, as the AWS CLI does.
/// The profile is read only if neither the flag nor the variable decides.
pub fn error_format(global: &GlobalArgs, profile: impl FnOnce() -> Profile) -> ErrorFormat {
    if let Some(f) = global.cli_error_format {
        return f;
    }
    let configured = env("AWS_CLI_ERROR_FORMAT")
        .or_else(|| profile().get("cli_error_format").map(str::to_owned));
    match configured {
        None => ErrorFormat::Enhanced,
        Some(v) => v.parse().unwrap_or_else(|_| {
            eprintln!(
                "warning: unknown error format \"{}\"; using enhanced",
                terminal_text::value(&v)
            );
            ErrorFormat::Enhanced
        }),
    }
}

/// A CA bundle's path and where it was set, for messages: displayed as
/// `/path (from --ca-bundle)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    /// The path as given.
    pub path: String,
    /// Where it was given: `--ca-bundle`, `the AWS_CA_BUNDLE environment
    /// variable` or `the ca_bundle setting of profile "dev"`.
    pub source: String,
}

impl fmt::Display for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (from {})", self.path, self.source)
    }
}

/// `--ca-bundle` > `AWS_CA_BUNDLE` > profile `ca_bundle`, with where it
/// was found.
pub fn ca_bundle(global: &GlobalArgs, profile: &Profile) -> Option<CaBundle> {
    let (path, source) = if let Some(path) = &global.ca_bundle {
        (path.clone(), "--ca-bundle".to_owned())
    } else if let Some(path) = env("AWS_CA_BUNDLE") {
        (path, "the AWS_CA_BUNDLE environment variable".to_owned())
    } else {
        let path = profile.get("ca_bundle")?.to_owned();
        let name = selected_profile(global).unwrap_or_else(|| "default".to_owned());
        (path, format!("the ca_bundle setting of profile {name:?}"))
    };
    Some(CaBundle { path, source })
}

/// Retries when neither `AWS_RETRY_MODE`/`retry_mode` nor
/// `AWS_MAX_ATTEMPTS`/`max_attempts` says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDefaults {
    /// The AWS CLI's: standard mode, 3 attempts.
    Cli,
    /// Many calls against a rate-limited control plane (fleet mode): the
    /// SDK's adaptive mode, whose client-side rate limiter slows down when
    /// the service throttles, and 10 attempts.
    Fleet,
}

/// `AWS_RETRY_MODE`/`retry_mode` and `AWS_MAX_ATTEMPTS`/`max_attempts`,
/// parsed here because aws-config panics on values the AWS CLI accepts
/// (`legacy`) and on ones it rejects politely (`0`, `abc`). Attempts are
/// range-checked up to [`MAX_ATTEMPTS`]: the SDK walks every attempt before
/// each call, so a billion would spin for minutes.
pub fn retry(profile: &Profile, defaults: RetryDefaults) -> Result<RetryConfig, CliError> {
    let setting = |env_name: &'static str, key: &'static str| {
        env(env_name)
            .map(|v| (v, env_name))
            .or_else(|| profile.get(key).map(|v| (v.to_owned(), key)))
    };
    let (mut config, default_attempts) = match setting("AWS_RETRY_MODE", "retry_mode") {
        None if defaults == RetryDefaults::Fleet => (RetryConfig::adaptive(), 10),
        None => (RetryConfig::standard(), 3),
        Some((mode, source)) => match mode.as_str() {
            "standard" => (RetryConfig::standard(), 3),
            "adaptive" => (
                RetryConfig::adaptive(),
                if defaults == RetryDefaults::Fleet {
                    10
                } else {
                    3
                },
            ),
            "legacy" => (RetryConfig::standard(), 5),
            other => {
                return Err(config_error(format!(
                    "Bad value for {source}: \"{other}\": must be one of legacy, standard, adaptive"
                )));
            }
        },
    };
    let attempts = match setting("AWS_MAX_ATTEMPTS", "max_attempts") {
        None => default_attempts,
        Some((v, source)) => match v.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_ATTEMPTS).contains(&n) => n,
            _ => {
                return Err(config_error(format!(
                    "Bad value for {source}: \"{v}\": must be a whole number from 1 to {MAX_ATTEMPTS}"
                )));
            }
        },
    };
    config = config.with_max_attempts(attempts);
    Ok(config)
}
