//! The accounts of an organization-wide run (contract §12): which accounts a
//! run covers, how each is reached, and the SDK configuration that reaches
//! it. Names no service of the fleet: the engine asks [`resolve`] for the
//! accounts, then [`regions::of`] for each account's regions, and builds one
//! target per (account, region) with [`Account::sdk_in`].
//!
//! | part | module |
//! |---|---|
//! | the types, [`resolve`]: candidates → filtered → reached → confirmed | this file |
//! | how an account is reached ([`Reach`]), and its label | [`reach`] |
//! | c7n-org's `accounts.yml`: read, parse, validate | [`mod@file`] |
//! | `--organization`: every `ACTIVE` account of `ListAccounts` | [`organization`] |
//! | an account's credentials: profile, role, role chain; a region's SDK | [`credentials`] |
//! | STS `GetCallerIdentity`; a refused `AssumeRole` found in the error | [`identity`] |
//! | `--regions LIST\|all`: every region enabled for an account | [`regions`] |
//! | every page of a listing, bounded | [`pages`] |
//! | `--accounts`, `--exclude-accounts`, `--account-tags` | [`filters`] |
//!
//! Every reachable account's ID is confirmed with `GetCallerIdentity`
//! through its own credentials: a refused `AssumeRole` makes that account
//! [`Unreached`] and the others go on. A source that cannot be used at all
//! is an `Err`: an accounts file that cannot be read or is invalid (252,
//! naming the file, the entry and the rule), a profile that does not exist or
//! a caller without credentials (253), `ListAccounts` refused (254).

pub mod credentials;
pub mod file;
pub mod filters;
pub mod identity;
pub mod organization;
pub mod pages;
pub mod reach;
pub mod regions;

use std::collections::BTreeMap;

use aws_runtime::env_config::file::EnvConfigFiles;
use futures_util::StreamExt;
use futures_util::stream;

use crate::error::CliError;
use crate::sdk::Sdk;
pub use filters::Filters;
use identity::Identity;
pub use reach::Reach;

/// How many accounts are reached (credentials built, identity confirmed) at
/// once. STS answers `AssumeRole` and `GetCallerIdentity` far faster than
/// this needs; the bound only keeps a large organization from opening
/// hundreds of connections at once.
pub const REACH_CONCURRENCY: usize = 8;

/// An account that was reached: its ID confirmed through its own
/// credentials.
#[derive(Debug, Clone)]
pub struct Account {
    /// The 12-digit account ID, as `GetCallerIdentity` answered it.
    pub id: String,
    /// Its name: the accounts file's `name`, the organization's account
    /// name, or the profile's name.
    pub name: Option<String>,
    /// How it is reached.
    pub reach: Reach,
    /// The accounts file's `regions` for it, which override `--regions`.
    pub regions: Option<Vec<String>>,
    /// The accounts file's tags (`key:value`).
    pub tags: BTreeMap<String, String>,
    /// The SDK configuration with this account's credentials; its region is
    /// the caller's (see [`Account::sdk_in`]).
    pub sdk: Sdk,
}

impl Account {
    /// The name people know it by: its name, or its ID.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The SDK configuration for this account in `region` (the credentials,
    /// and their cache, shared with [`Account::sdk`]).
    pub fn sdk_in(&self, region: &str) -> Sdk {
        self.sdk.in_region(region)
    }
}

/// An account that could not be reached: its role refused, its profile's
/// credentials unusable, or its identity not what the source says.
#[derive(Debug, Clone)]
pub struct Unreached {
    /// Its ID, when the source knows it (not for a profile).
    pub id: Option<String>,
    /// Its name, when the source gives one.
    pub name: Option<String>,
    /// How it was to be reached.
    pub reach: Reach,
    /// Its own regions (accounts file), which its failure is reported in.
    pub regions: Option<Vec<String>>,
    /// Why it was not.
    pub error: CliError,
}

impl Unreached {
    /// The name people know it by: its name, its ID, or how it was reached.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.id.clone())
            .unwrap_or_else(|| self.reach.label())
    }
}

/// Where the accounts come from; the three exclude each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--profiles`: each named profile is one account.
    Profiles(Vec<String>),
    /// `--accounts-file PATH`: c7n-org's `accounts.yml`.
    File(String),
    /// `--organization`: every `ACTIVE` account of the caller's
    /// organization, each reached by `role_name`; the caller's own account
    /// with its own credentials.
    Organization {
        /// `--role-name`.
        role_name: String,
        /// `--external-id`.
        external_id: Option<String>,
    },
}

impl Source {
    /// The flag that chose this source, for messages.
    pub fn flag(&self) -> &'static str {
        match self {
            Source::Profiles(_) => "--profiles",
            Source::File(_) => "--accounts-file",
            Source::Organization { .. } => "--organization",
        }
    }
}

/// `--role-name` when not given (as c7n-org).
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

/// An account a source names, before it is reached.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Its ID, when the source knows it.
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// How to reach it.
    pub reach: Reach,
    /// Its own regions (accounts file).
    pub regions: Option<Vec<String>>,
    /// Its tags (accounts file).
    pub tags: BTreeMap<String, String>,
}

impl Candidate {
    fn unreached(self, error: CliError) -> Unreached {
        Unreached {
            id: self.id,
            name: self.name,
            reach: self.reach,
            regions: self.regions,
            error,
        }
    }
}

/// Every account of `source` that `filters` keep, each reached with its
/// own credentials (derived from `caller`'s) and its ID confirmed, in the
/// source's order (an organization's by account ID). `files` are the AWS
/// config files that profiles are read from (`EnvConfigFiles::default()`:
/// `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/…`).
///
/// An account that cannot be reached is an [`Unreached`] beside the others.
/// `Err` when the source cannot be used at all (see the module's docs), or
/// when an `--accounts` value matches no account of the source (252).
pub async fn resolve(
    source: &Source,
    filters: &Filters,
    caller: &Sdk,
    files: &EnvConfigFiles,
) -> Result<Vec<Result<Account, Unreached>>, CliError> {
    if caller.no_sign_request {
        return Err(CliError::ParamValidation(format!(
            "{} cannot be combined with --no-sign-request: accounts are reached with credentials",
            source.flag()
        )));
    }
    filters.check_source(source)?;
    let (candidates, mut caller_identity) = match source {
        Source::Profiles(names) => (profile_candidates(names)?, None),
        Source::File(path) => (file::read(path)?, None),
        Source::Organization {
            role_name,
            external_id,
        } => {
            let (candidates, identity) =
                organization::candidates(caller, role_name, external_id.as_deref()).await?;
            (candidates, Some(identity))
        }
    };
    credentials::check_profiles(source, &candidates, files).await?;
    let kept: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| filters.may_keep(c.id.as_deref(), c.name.as_deref(), &c.tags))
        .collect();
    if caller_identity.is_none() && kept.iter().any(|c| c.reach.uses_caller()) {
        // No credentials for the caller: the run cannot start (253).
        caller_identity = Some(identity::of(caller).await?);
    }
    let caller_identity = caller_identity.as_ref();
    let reached: Vec<Result<Account, Unreached>> = stream::iter(kept)
        .map(|c| reach(c, caller, files, caller_identity))
        .buffered(REACH_CONCURRENCY)
        .collect()
        .await;
    let kept: Vec<_> = reached
        .into_iter()
        .filter(|r| match r {
            Ok(a) => filters.keeps(Some(&a.id), a.name.as_deref(), Some(&a.tags)),
            // Its tags were judged before it was reached.
            Err(u) => filters.keeps(u.id.as_deref(), u.name.as_deref(), None),
        })
        .collect();
    filters.check_matched(source, &kept)?;
    Ok(without_duplicates(kept))
}

/// `--profiles`: one candidate a name, each once, in the order given.
fn profile_candidates(names: &[String]) -> Result<Vec<Candidate>, CliError> {
    let mut seen = Vec::new();
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            return Err(CliError::ParamValidation(
                "--profiles: a profile name is empty".to_owned(),
            ));
        }
        if !seen.iter().any(|s: &String| s == name) {
            seen.push(name.to_owned());
        }
    }
    if seen.is_empty() {
        return Err(CliError::ParamValidation(
            "--profiles: name at least one profile".to_owned(),
        ));
    }
    Ok(seen
        .into_iter()
        .map(|name| Candidate {
            id: None,
            name: Some(name.clone()),
            reach: Reach::Profile(name),
            regions: None,
            tags: BTreeMap::new(),
        })
        .collect())
}

/// Reach one candidate: its credentials, then its identity through them
/// (the caller's own account was confirmed already). An identity other
/// than the one the source names makes it unreached.
async fn reach(
    candidate: Candidate,
    caller: &Sdk,
    files: &EnvConfigFiles,
    caller_identity: Option<&Identity>,
) -> Result<Account, Unreached> {
    let sdk = match credentials::sdk_for(&candidate.reach, caller, files).await {
        Ok(sdk) => sdk,
        Err(error) => return Err(candidate.unreached(error)),
    };
    let identity = match (&candidate.reach, caller_identity) {
        (Reach::Caller, Some(identity)) => identity.clone(),
        _ => match identity::of(&sdk).await {
            Ok(identity) => identity,
            Err(error) => return Err(candidate.unreached(error)),
        },
    };
    if let Some(expected) = candidate.id.as_deref()
        && expected != identity.account
    {
        let error = CliError::failure(
            "WrongAccount",
            format!(
                "{} reaches account {} ({}), not account {expected}",
                candidate.reach, identity.account, identity.arn
            ),
        );
        return Err(candidate.unreached(error));
    }
    Ok(Account {
        id: identity.account,
        name: candidate.name,
        reach: candidate.reach,
        regions: candidate.regions,
        tags: candidate.tags,
        sdk,
    })
}

/// Two ways to the same account (two profiles of one account): the first
/// is kept, each later one becomes unreached and says which came first, so
/// that no stream is worked on twice.
fn without_duplicates(reached: Vec<Result<Account, Unreached>>) -> Vec<Result<Account, Unreached>> {
    let mut first: BTreeMap<String, Reach> = BTreeMap::new();
    let mut out = Vec::with_capacity(reached.len());
    for r in reached {
        let account = match r {
            Ok(account) => account,
            unreached => {
                out.push(unreached);
                continue;
            }
        };
        if let Some(earlier) = first.get(&account.id) {
            let error = CliError::failure(
                "DuplicateAccount",
                format!(
                    "{} reaches account {}, already reached through {earlier}",
                    account.reach, account.id
                ),
            );
            out.push(Err(Unreached {
                id: Some(account.id),
                name: account.name,
                reach: account.reach,
                regions: account.regions,
                error,
            }));
        } else {
            first.insert(account.id.clone(), account.reach.clone());
            out.push(Ok(account));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_each_taken_once_in_order() {
        let names = ["b", " a ", "b"].map(str::to_owned);
        let candidates = profile_candidates(&names).unwrap();
        let reaches: Vec<_> = candidates.iter().map(|c| c.reach.label()).collect();
        assert_eq!(reaches, ["profile b", "profile a"]);
        assert!(candidates.iter().all(|c| c.id.is_none()));
        let err = profile_candidates(&["a".into(), " ".into()]).unwrap_err();
        assert_eq!(err.message(), "--profiles: a profile name is empty");
        assert_eq!(err.code(), "ParamValidation");
        assert!(profile_candidates(&[]).is_err());
    }

    fn account(id: &str, reach: Reach) -> Account {
        Account {
            id: id.to_owned(),
            name: reach.profile().map(str::to_owned),
            reach,
            regions: None,
            tags: BTreeMap::new(),
            sdk: Sdk {
                config: aws_types::SdkConfig::builder().build(),
                no_sign_request: false,
                log: std::sync::Arc::default(),
            },
        }
    }

    #[test]
    fn a_second_way_into_an_account_is_reported_not_run() {
        let kept = without_duplicates(vec![
            Ok(account("111111111111", Reach::Profile("a".into()))),
            Ok(account("222222222222", Reach::Profile("b".into()))),
            Ok(account("111111111111", Reach::Profile("c".into()))),
        ]);
        assert!(kept[0].is_ok() && kept[1].is_ok());
        let Err(twice) = &kept[2] else {
            panic!("{kept:?}")
        };
        assert_eq!(twice.id.as_deref(), Some("111111111111"));
        assert_eq!(twice.error.code(), "DuplicateAccount");
        assert_eq!(
            twice.error.message(),
            "profile c reaches account 111111111111, already reached through profile a"
        );
        assert_eq!(twice.display_name(), "c");
    }
}
