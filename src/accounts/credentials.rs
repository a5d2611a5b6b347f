//! An account's SDK configuration, made from the caller's: the same
//! endpoint URL, retry and timeout settings, HTTP client (trust store,
//! `--ca-bundle`), identity cache and request log, with the account's own
//! credentials. No credentials code of its own:
//!
//! - a profile: aws-config's profile provider for that name (a profile with
//!   `role_arn` and `source_profile`, SSO or `credential_process` resolves
//!   through it);
//! - a role, or a chain of roles: aws-config's [`AssumeRoleProvider`], each
//!   role assumed with the credentials of the one before, the first with the
//!   caller's (or the account's profile's). The SDK's identity cache keeps
//!   the credentials and refreshes them before they expire, so a long run
//!   (`--wait`) never signs with stale session credentials.
//!
//! A region's configuration ([`Sdk::in_region`]) shares the credentials and
//! their cache: a role is assumed once per account, not once per region.

use std::borrow::Cow;

use aws_config::BehaviorVersion;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::sdk_config::SharedTimeSource;

use super::{Candidate, Reach, Source};
use crate::error::CliError;
use crate::sdk::Sdk;

/// The role session name of every `AssumeRole`: the tool's name, which
/// CloudTrail records in the account that owns the role.
pub const SESSION_NAME: &str = env!("CARGO_PKG_NAME");

/// The longest role ARN STS takes.
const MAX_ARN_CHARS: usize = 2048;

/// The account of a role ARN, or `None` when `arn` is not one: `arn:`, a
/// partition (`aws`, `aws-us-gov`, …), `:iam::`, a 12-digit account,
/// `:role/`, an optional path of printable characters, and a role name of
/// 1 to 64 of IAM's characters (`[A-Za-z0-9_+=,.@-]`).
pub fn role_arn_account(arn: &str) -> Option<&str> {
    if arn.len() > MAX_ARN_CHARS {
        return None;
    }
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let known = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|p| {
            p.split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        });
    let rest = rest.strip_prefix("iam::")?;
    let (account, role) = rest.split_once(":role/")?;
    let name = role.rsplit('/').next().unwrap_or(role);
    let path = &role[..role.len() - name.len()];
    let iam_char = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    (known
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && path.bytes().all(|b| (0x21..=0x7e).contains(&b))
        && (1..=64).contains(&name.len())
        && name.chars().all(iam_char))
    .then_some(account)
}

/// An external ID as STS takes it (2 to 1224 characters of
/// `[A-Za-z0-9_+=,.@:/-]`); the rule it breaks otherwise.
pub fn check_external_id(id: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c);
    if (2..=1224).contains(&id.len()) && id.chars().all(allowed) {
        Ok(())
    } else {
        Err("must be 2 to 1224 letters, digits or _+=,.@:/- characters".to_owned())
    }
}

impl Sdk {
    /// The same configuration with `provider`'s credentials.
    fn with_credentials(&self, provider: SharedCredentialsProvider) -> Sdk {
        Sdk {
            config: self
                .config
                .to_builder()
                .credentials_provider(provider)
                .build(),
            no_sign_request: self.no_sign_request,
            log: self.log.clone(),
        }
    }
}

/// The SDK configuration that reaches an account by `reach`, from the
/// caller's; profiles are read from `files`. Building sends nothing: the
/// first call made with it assumes the roles. A chain that names no role
/// is a usage error (252).
pub async fn sdk_for(reach: &Reach, caller: &Sdk, files: &EnvConfigFiles) -> Result<Sdk, CliError> {
    match reach {
        Reach::Caller => Ok(caller.clone()),
        Reach::Profile(name) => Ok(caller.with_credentials(profile(caller, name, files))),
        Reach::Role {
            arns,
            external_id,
            profile: source,
        } => {
            let mut base = match source {
                Some(name) => caller.with_credentials(profile(caller, name, files)),
                None => caller.clone(),
            };
            if base.config.time_source().is_none() {
                // aws-config's provider needs a clock (one loaded by
                // aws-config always has one; a hand-built one may not).
                base.config = base
                    .config
                    .to_builder()
                    .time_source(SharedTimeSource::default())
                    .build();
            }
            let mut chain: Option<AssumeRoleProvider> = None;
            for arn in arns {
                let mut role = AssumeRoleProvider::builder(arn)
                    .session_name(SESSION_NAME)
                    .configure(&base.config);
                if let Some(id) = external_id {
                    role = role.external_id(id);
                }
                chain = Some(match chain.take() {
                    None => role.build().await,
                    Some(before) => role.build_from_provider(before).await,
                });
            }
            let provider = chain.ok_or_else(|| {
                CliError::ParamValidation("A role chain names no role".to_owned())
            })?;
            Ok(caller.with_credentials(SharedCredentialsProvider::new(provider)))
        }
    }
}

/// aws-config's provider for the profile `name` of `files`, with the
/// caller's HTTP client, region, retries and timeouts for the calls it makes
/// itself (a `role_arn` profile's `AssumeRole`, SSO).
fn profile(caller: &Sdk, name: &str, files: &EnvConfigFiles) -> SharedCredentialsProvider {
    let config = &caller.config;
    let mut provider_config = ProviderConfig::default()
        .with_region(config.region().cloned())
        .with_behavior_version(Some(BehaviorVersion::latest()));
    if let Some(http) = config.http_client() {
        provider_config = provider_config.with_http_client(http);
    }
    if let Some(retry) = config.retry_config() {
        provider_config = provider_config.with_retry_config(retry.clone());
    }
    if let Some(timeouts) = config.timeout_config() {
        provider_config = provider_config.with_timeout_config(timeouts.clone());
    }
    if let Some(sleep) = config.sleep_impl() {
        provider_config = provider_config.with_sleep_impl(sleep);
    }
    SharedCredentialsProvider::new(
        ProfileFileCredentialsProvider::builder()
            .configure(&provider_config)
            .profile_files(files.clone())
            .profile_name(name)
            .build(),
    )
}

/// Every profile the candidates name must exist in `files`, checked before
/// anything is sent: a typo is a configuration error (253) that names the
/// profiles and the flag, as the AWS CLI's `--profile` does.
pub(crate) async fn check_profiles(
    source: &Source,
    candidates: &[Candidate],
    files: &EnvConfigFiles,
) -> Result<(), CliError> {
    let mut named: Vec<&str> = candidates
        .iter()
        .filter_map(|c| c.reach.profile())
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    named.sort_unstable();
    named.dedup();
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), files, None::<Cow<'static, str>>)
            .await
            .map_err(|e| CliError::Config {
                code: "Configuration",
                message: format!("Unable to read the AWS config files: {e}"),
            })?;
    let missing: Vec<&str> = named
        .into_iter()
        .filter(|name| set.get_profile(name).is_none())
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => Err(CliError::Config {
            code: "Configuration",
            message: format!(
                "The config profile ({one}) could not be found (named by {})",
                source.flag()
            ),
        }),
        many => Err(CliError::Config {
            code: "Configuration",
            message: format!(
                "The config profiles ({}) could not be found (named by {})",
                many.join(", "),
                source.flag()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_are_recognised_with_their_account() {
        for (arn, account) in [
            ("arn:aws:iam::111111111111:role/X", "111111111111"),
            (
                "arn:aws:iam::111111111111:role/a+b=c,d.e@f_g-h",
                "111111111111",
            ),
            (
                "arn:aws-us-gov:iam::222222222222:role/path/to/Spoke",
                "222222222222",
            ),
            (
                "arn:aws-iso-b:iam::333333333333:role/service-role/R",
                "333333333333",
            ),
        ] {
            assert_eq!(role_arn_account(arn), Some(account), "{arn}");
        }
        let long = format!("arn:aws:iam::111111111111:role/{}", "x".repeat(65));
        let huge = format!("arn:aws:iam::111111111111:role/{}/X", "p".repeat(2048));
        for bad in [
            "",
            "X",
            "arn:aws:iam::1111:role/X",
            "arn:aws:iam::11111111111a:role/X",
            "arn:aws:iam::111111111111:user/X",
            "arn:aws:iam::111111111111:role/",
            "arn:aws:iam::111111111111:role/path/",
            "arn:aws:iam::111111111111:role/has space",
            "arn:aws:sts::111111111111:role/X",
            "arn:azure:iam::111111111111:role/X",
            "arn:aws-:iam::111111111111:role/X",
            "arn:aws:iam:us-east-1:111111111111:role/X",
            long.as_str(),
            huge.as_str(),
        ] {
            assert_eq!(role_arn_account(bad), None, "{bad}");
        }
    }

    #[test]
    fn external_ids_have_sts_s_shape() {
        assert!(check_external_id("x-123:a/b@c.d=e+f,g_h").is_ok());
        assert!(check_external_id(&"a".repeat(1224)).is_ok());
        for bad in ["", "a", "a b", "é1", &"a".repeat(1225)] {
            assert_eq!(
                check_external_id(bad),
                Err("must be 2 to 1224 letters, digits or _+=,.@:/- characters".to_owned()),
                "{bad}"
            );
        }
    }
}
