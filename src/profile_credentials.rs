//! A named profile's credentials, and a chain of assumed roles, both through
//! aws-config's own providers. No STS code of its own.
//!
//! aws-config's profile provider sends a `role_arn` profile's `AssumeRole`
//! to the STS endpoint of the profile files and environment
//! (`endpoint_url`, `AWS_ENDPOINT_URL_STS`), never to the client's
//! `--endpoint-url`. With `--endpoint-url` given, every call of the run goes
//! there (the README's deliberate differences), so a profile's roles are
//! walked here, down to the profile whose own credentials start the chain,
//! and assumed with [`AssumeRoleProvider`] configured from the caller's
//! configuration: its endpoint, HTTP client, retries and timeouts. Without
//! `--endpoint-url`, aws-config's profile provider does the whole job.

use std::borrow::Cow;
use std::collections::HashSet;

use aws_config::BehaviorVersion;
use aws_config::environment::credentials::EnvironmentVariableCredentialsProvider;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileSet};
use aws_config::provider_config::ProviderConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::SdkConfig;
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::sdk_config::SharedTimeSource;

/// The role session name of every `AssumeRole` without one of its own: the
/// tool's name, which CloudTrail records in the account that owns the role.
pub const SESSION_NAME: &str = env!("CARGO_PKG_NAME");

/// The most `source_profile` hops followed; aws-config reports a longer
/// chain, or a loop, itself.
const MAX_HOPS: usize = 32;

/// One role to assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role's ARN.
    pub arn: String,
    /// The external ID the role's trust policy asks for.
    pub external_id: Option<String>,
    /// The role session name; [`SESSION_NAME`] when `None`.
    pub session_name: Option<String>,
}

/// The credentials of profile `name` of `files`, for calls made with
/// `config`: aws-config's profile provider, with `config`'s HTTP client,
/// region, retries and timeouts for the calls it makes itself (SSO, a
/// `role_arn` profile's `AssumeRole`). When `config` has an endpoint URL, a
/// `role_arn` profile's roles are assumed at that endpoint.
pub async fn for_profile(
    config: &SdkConfig,
    name: &str,
    files: &EnvConfigFiles,
) -> SharedCredentialsProvider {
    let whole = profile_provider(config, name, files);
    if config.endpoint_url().is_none() {
        return whole;
    }
    // A file that cannot be read: the profile provider says so at first use.
    let Ok(set) =
        aws_config::profile::load(&Fs::real(), &Env::real(), files, None::<Cow<'static, str>>)
            .await
    else {
        return whole;
    };
    let Some((start, roles)) = role_chain(&set, name) else {
        return whole;
    };
    let start = match start {
        Start::Profile(base) => profile_provider(config, &base, files),
        Start::Keys(keys) => SharedCredentialsProvider::new(keys),
        Start::Environment => {
            SharedCredentialsProvider::new(EnvironmentVariableCredentialsProvider::new())
        }
    };
    let base = config.to_builder().credentials_provider(start).build();
    match assume(&base, &roles).await {
        Some(chain) => SharedCredentialsProvider::new(chain),
        None => whole,
    }
}

/// `roles` assumed in order, the first with `base`'s credentials, each next
/// one with the credentials of the one before, every call made with `base`'s
/// configuration (endpoint, HTTP client, region, retries, timeouts). The
/// SDK's identity cache refreshes them before they expire. `None` when
/// `roles` is empty. Building sends nothing.
pub async fn assume(base: &SdkConfig, roles: &[Role]) -> Option<AssumeRoleProvider> {
    let base = if base.time_source().is_none() {
        // aws-config's provider needs a clock (one loaded by aws-config
        // always has one; a hand-built one may not).
        base.to_builder()
            .time_source(SharedTimeSource::default())
            .build()
    } else {
        base.clone()
    };
    let mut chain: Option<AssumeRoleProvider> = None;
    for role in roles {
        let mut builder = AssumeRoleProvider::builder(&role.arn)
            .session_name(role.session_name.as_deref().unwrap_or(SESSION_NAME))
            .configure(&base);
        if let Some(id) = &role.external_id {
            builder = builder.external_id(id);
        }
        chain = Some(match chain.take() {
            None => builder.build().await,
            Some(before) => builder.build_from_provider(before).await,
        });
    }
    chain
}

/// aws-config's provider for profile `name` of `files`, with `config`'s
/// HTTP client, region, retries, timeouts and sleep.
fn profile_provider(
    config: &SdkConfig,
    name: &str,
    files: &EnvConfigFiles,
) -> SharedCredentialsProvider {
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

/// What starts a chain of roles.
#[derive(Debug, PartialEq)]
enum Start {
    /// A profile without `role_arn`: its own credentials (keys, SSO,
    /// `credential_process`).
    Profile(String),
    /// The keys of a `role_arn` profile that is its own `source_profile`.
    Keys(Credentials),
    /// `credential_source = Environment`.
    Environment,
}

/// The roles profile `name` assumes, in the order they are assumed, and
/// what starts the chain; `None` when it assumes no role, or when the chain
/// is one aws-config reports as an error (a missing profile, a loop, a
/// `credential_source` other than `Environment`).
fn role_chain(set: &ProfileSet, name: &str) -> Option<(Start, Vec<Role>)> {
    let mut roles = Vec::new();
    let mut seen = HashSet::new();
    let mut current = name.to_owned();
    let start = loop {
        if roles.len() > MAX_HOPS || !seen.insert(current.clone()) {
            return None;
        }
        let profile = set.get_profile(&current)?;
        let Some(arn) = profile.get("role_arn") else {
            break Start::Profile(current);
        };
        roles.push(Role {
            arn: arn.to_owned(),
            external_id: profile.get("external_id").map(str::to_owned),
            session_name: profile.get("role_session_name").map(str::to_owned),
        });
        match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(source), None) if source == current => {
                let key = profile.get("aws_access_key_id")?;
                let secret = profile.get("aws_secret_access_key")?;
                let token = profile.get("aws_session_token").map(str::to_owned);
                break Start::Keys(Credentials::new(key, secret, token, None, "ProfileFile"));
            }
            (Some(source), None) => current = source.to_owned(),
            (None, Some("Environment")) => break Start::Environment,
            _ => return None,
        }
    };
    if roles.is_empty() {
        return None;
    }
    roles.reverse();
    Some((start, roles))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn set(text: &str) -> (tempfile::TempDir, ProfileSet) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, text).unwrap();
        let files = EnvConfigFiles::builder()
            .with_file(
                aws_runtime::env_config::file::EnvConfigFileKind::Config,
                &path,
            )
            .build();
        let set =
            aws_config::profile::load(&Fs::real(), &Env::real(), &files, None::<Cow<'static, str>>)
                .await
                .unwrap();
        (dir, set)
    }

    fn role(arn: &str) -> Role {
        Role {
            arn: arn.to_owned(),
            external_id: None,
            session_name: None,
        }
    }

    #[tokio::test]
    async fn a_chain_is_walked_down_to_the_profile_that_starts_it() {
        let (_d, set) = set("[profile base]\naws_access_key_id = k\naws_secret_access_key = s\n\
             [profile hub]\nrole_arn = arn:aws:iam::111111111111:role/Hub\nsource_profile = base\n\
             external_id = ext-1\n\
             [profile spoke]\nrole_arn = arn:aws:iam::222222222222:role/Spoke\nsource_profile = hub\n\
             role_session_name = me\n\
             [profile self]\nrole_arn = arn:aws:iam::333333333333:role/S\nsource_profile = self\n\
             aws_access_key_id = k3\naws_secret_access_key = s3\n\
             [profile env]\nrole_arn = arn:aws:iam::444444444444:role/E\ncredential_source = Environment\n\
             [profile imds]\nrole_arn = arn:aws:iam::444444444444:role/E\ncredential_source = Ec2InstanceMetadata\n\
             [profile loop1]\nrole_arn = arn:aws:iam::555555555555:role/L\nsource_profile = loop2\n\
             [profile loop2]\nrole_arn = arn:aws:iam::555555555555:role/L\nsource_profile = loop1\n\
             [profile orphan]\nrole_arn = arn:aws:iam::555555555555:role/L\nsource_profile = nowhere\n")
            .await;
        let (start, roles) = role_chain(&set, "spoke").unwrap();
        assert_eq!(start, Start::Profile("base".into()));
        assert_eq!(
            roles,
            [
                Role {
                    external_id: Some("ext-1".into()),
                    ..role("arn:aws:iam::111111111111:role/Hub")
                },
                Role {
                    session_name: Some("me".into()),
                    ..role("arn:aws:iam::222222222222:role/Spoke")
                },
            ]
        );
        let (start, roles) = role_chain(&set, "self").unwrap();
        assert!(matches!(start, Start::Keys(k) if k.access_key_id() == "k3"));
        assert_eq!(roles, [role("arn:aws:iam::333333333333:role/S")]);
        assert_eq!(role_chain(&set, "env").unwrap().0, Start::Environment);
        // No role, or a chain aws-config itself refuses or resolves another way.
        for name in ["base", "imds", "loop1", "orphan", "missing"] {
            assert_eq!(role_chain(&set, name), None, "{name}");
        }
    }
}
