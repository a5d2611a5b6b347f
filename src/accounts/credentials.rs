//! An account's SDK configuration, made from the caller's: the same
//! endpoint URL, retry and timeout settings, HTTP client (trust store,
//! `--ca-bundle`), identity cache and request log, with the account's own
//! credentials. No credentials code of its own:
//!
//! - a profile: aws-config's profile provider for that name (a profile with
//!   `role_arn` and `source_profile`, SSO or `credential_process` resolves
//!   through it; its roles are assumed at the caller's endpoint, see
//!   [`crate::profile_credentials`]);
//! - a role, or a chain of roles: aws-config's `AssumeRoleProvider`, each
//!   role assumed with the credentials of the one before, the first with the
//!   caller's (or the account's profile's). The SDK's identity cache keeps
//!   the credentials and refreshes them before they expire, so a long run
//!   (`--wait`) never signs with stale session credentials.
//!
//! A region's configuration ([`Sdk::in_region`]) shares the credentials and
//! their cache: a role is assumed once per account, not once per region.

use std::borrow::Cow;

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

use super::{Candidate, Reach, Source};
use crate::error::CliError;
use crate::profile_credentials::{self, Role};
use crate::sdk::Sdk;

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
/// first call made with it assumes the roles, at the caller's endpoint. A
/// chain that names no role is a usage error (252).
pub async fn sdk_for(reach: &Reach, caller: &Sdk, files: &EnvConfigFiles) -> Result<Sdk, CliError> {
    match reach {
        Reach::Caller => Ok(caller.clone()),
        Reach::Profile(name) => Ok(caller
            .with_credentials(profile_credentials::for_profile(&caller.config, name, files).await)),
        Reach::Role {
            arns,
            external_id,
            profile: source,
        } => {
            let base = match source {
                Some(name) => caller.with_credentials(
                    profile_credentials::for_profile(&caller.config, name, files).await,
                ),
                None => caller.clone(),
            };
            let roles: Vec<Role> = arns
                .iter()
                .map(|arn| Role {
                    arn: arn.clone(),
                    external_id: external_id.clone(),
                    session_name: None,
                })
                .collect();
            let provider = profile_credentials::assume(&base.config, &roles)
                .await
                .ok_or_else(|| {
                    CliError::ParamValidation("A role chain names no role".to_owned())
                })?;
            Ok(caller.with_credentials(SharedCredentialsProvider::new(provider)))
        }
    }
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
