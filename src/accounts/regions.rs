//! `--regions LIST|all`: the regions of an account's targets. A list is used
//! as given (each name checked for its shape first); `all` is every region
//! enabled for that account, asked of the account itself with its own
//! credentials; an opt-in region it has not enabled is skipped and returned
//! apart, for the caller to report. An accounts file's `regions` override
//! `--regions` for that account.
//!
//! BACKEND

use std::sync::Arc;

use aws_sdk_account::types::RegionOptStatus;

use super::Account;
use super::pages::{self, Page, listing_error};
use crate::error::{self, CliError};
use crate::sdk::{RecordRequests, Sdk};
use crate::terminal_text;

/// Regions a `ListRegions` page holds at most (the API's largest page).
const PAGE_SIZE: i32 = 50;

/// The regions a run asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// The one region of `--region`, the environment or the profile.
    Default,
    /// These regions.
    List(Vec<String>),
    /// Every region enabled for each account.
    All,
}

impl Regions {
    /// `--regions`: `all`, or a comma-separated list of region names, each
    /// once; a usage error (252) naming the flag and the rule otherwise.
    pub fn parse(text: &str) -> Result<Regions, CliError> {
        let text = text.trim();
        if text == "all" {
            return Ok(Regions::All);
        }
        let mut names: Vec<String> = Vec::new();
        for name in text.split(',').map(str::trim) {
            if name == "all" {
                return Err(CliError::ParamValidation(
                    "--regions: `all` stands alone, not in a list".to_owned(),
                ));
            }
            check_name(name)
                .map_err(|rule| CliError::ParamValidation(format!("--regions: {rule}")))?;
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
        Ok(Regions::List(names))
    }
}

/// A region name's shape: two lowercase letters, one or more words, a number
/// (`eu-west-1`, `us-gov-west-1`, `ap-southeast-7`); the rule it breaks
/// otherwise.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut words = name.split('-');
    let shaped = words
        .next()
        .is_some_and(|w| w.len() == 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
        && {
            let rest: Vec<&str> = words.collect();
            rest.len() >= 2
                && rest.last().is_some_and(|n| {
                    (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
                })
                && rest[..rest.len() - 1]
                    .iter()
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        };
    if shaped {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not a region name (such as eu-west-1)",
            terminal_text::value(name)
        ))
    }
}

/// The regions of one account's targets, and the regions skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chosen {
    /// The regions to run in, sorted (a list: in its order).
    pub regions: Vec<String>,
    /// With `all`: the regions the account has not enabled (opt-in regions
    /// not opted in), sorted; each is reported as skipped.
    pub skipped: Vec<String>,
}

/// The regions of `account`'s targets: its own `regions` from the accounts
/// file if it has them, else `wanted`; `Default` is `default` (the run's
/// region). `all` asks the account which regions it has enabled: a refusal
/// is that account's error, not the run's.
pub async fn of(account: &Account, wanted: &Regions, default: &str) -> Result<Chosen, CliError> {
    let own = account.regions.as_ref().map(|names| {
        if names.iter().any(|n| n == "all") {
            Regions::All
        } else {
            Regions::List(names.clone())
        }
    });
    match own.as_ref().unwrap_or(wanted) {
        Regions::Default => Ok(Chosen {
            regions: vec![default.to_owned()],
            skipped: Vec::new(),
        }),
        Regions::List(names) => Ok(Chosen {
            regions: names.clone(),
            skipped: Vec::new(),
        }),
        Regions::All => enabled(account).await,
    }
}

/// The regions an account that could not be reached would have run in,
/// each reported as a failed target: its own regions (accounts file) or
/// the list asked for; with `all` (only the account could say which) and
/// by default, the run's region `default`.
pub fn unreached(own: Option<&Vec<String>>, wanted: &Regions, default: &str) -> Vec<String> {
    let listed = match own {
        Some(names) if names.iter().any(|n| n == "all") => None,
        Some(names) => Some(names),
        None => match wanted {
            Regions::List(names) => Some(names),
            Regions::All | Regions::Default => None,
        },
    };
    match listed {
        Some(names) if !names.is_empty() => names.clone(),
        _ => vec![default.to_owned()],
    }
}

/// Every region `account` has enabled (`ENABLED`, `ENABLED_BY_DEFAULT`),
/// and every other one as skipped (`DISABLED`, and `ENABLING`/`DISABLING`
/// until the change settles: nothing is run in a region on a guess).
async fn enabled(account: &Account) -> Result<Chosen, CliError> {
    let sdk = &account.sdk;
    let client = client(sdk);
    let listed =
        pages::every_page("ListRegions", "regions", |token| page(&client, sdk, token)).await?;
    Ok(split(listed))
}

/// Sorted, each once: the enabled regions and the skipped ones.
fn split(listed: Vec<(String, RegionOptStatus)>) -> Chosen {
    let mut chosen = Chosen::default();
    for (name, status) in listed {
        match status {
            RegionOptStatus::Enabled | RegionOptStatus::EnabledByDefault => {
                chosen.regions.push(name);
            }
            _ => chosen.skipped.push(name),
        }
    }
    for list in [&mut chosen.regions, &mut chosen.skipped] {
        list.sort();
        list.dedup();
    }
    chosen
}

fn client(sdk: &Sdk) -> aws_sdk_account::Client {
    let config = aws_sdk_account::config::Builder::from(&sdk.config)
        .interceptor(RecordRequests(Arc::clone(&sdk.log)))
        .build();
    aws_sdk_account::Client::from_conf(config)
}

/// One `ListRegions` page of the caller's own account. A region name that
/// is not shaped as one is an error naming the operation (255): it would
/// become an endpoint's host name.
async fn page(
    client: &aws_sdk_account::Client,
    sdk: &Sdk,
    token: Option<String>,
) -> Result<Page<(String, RegionOptStatus)>, CliError> {
    let out = client
        .list_regions()
        .max_results(PAGE_SIZE)
        .set_next_token(token)
        .send()
        .await
        .map_err(|e| error::from_sdk("ListRegions", e, sdk.log.last_url().as_deref()))?;
    let mut regions = Vec::new();
    for region in out.regions() {
        let name = region.region_name().unwrap_or_default();
        check_name(name)
            .map_err(|rule| listing_error("ListRegions", format!("a region {rule}")))?;
        let status = region
            .region_opt_status()
            .cloned()
            .unwrap_or_else(|| RegionOptStatus::from("UNKNOWN"));
        regions.push((name.to_owned(), status));
    }
    Ok((regions, out.next_token().map(str::to_owned)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_have_their_shape() {
        for good in [
            "eu-west-1",
            "us-gov-west-1",
            "ap-southeast-7",
            "cn-north-1",
            "us-isob-east-1",
            "mx-central-1",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "eu",
            "eu-west",
            "EU-WEST-1",
            "eu-west-123",
            "eu--1",
            "europe-west-1",
            "eu-west-1a",
            "eu_west_1",
            "eu-west-1 ",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_name("Mars"),
            Err("\"Mars\" is not a region name (such as eu-west-1)".to_owned())
        );
    }

    #[test]
    fn only_enabled_regions_are_run_and_the_others_skipped() {
        let listed = [
            ("us-east-1", "ENABLED_BY_DEFAULT"),
            ("af-south-1", "DISABLED"),
            ("eu-south-2", "ENABLED"),
            ("ap-east-1", "ENABLING"),
            ("me-south-1", "DISABLING"),
            ("eu-west-1", "ENABLED_BY_DEFAULT"),
            ("il-central-1", "SOMETHING_NEW"),
            ("eu-west-1", "ENABLED_BY_DEFAULT"),
        ]
        .map(|(n, s)| (n.to_owned(), RegionOptStatus::from(s)))
        .to_vec();
        assert_eq!(
            split(listed),
            Chosen {
                regions: vec!["eu-south-2".into(), "eu-west-1".into(), "us-east-1".into()],
                skipped: vec![
                    "af-south-1".into(),
                    "ap-east-1".into(),
                    "il-central-1".into(),
                    "me-south-1".into()
                ],
            }
        );
    }

    #[tokio::test]
    async fn a_list_is_used_as_given_and_an_account_s_own_regions_win() {
        let mut account = Account {
            id: "111111111111".into(),
            name: None,
            reach: super::super::Reach::Caller,
            regions: None,
            tags: Default::default(),
            sdk: Sdk {
                config: aws_types::SdkConfig::builder().build(),
                no_sign_request: false,
                log: Arc::default(),
            },
        };
        let list = Regions::List(vec!["eu-west-1".into(), "us-east-1".into()]);
        let chosen = of(&account, &list, "ca-central-1").await.unwrap();
        assert_eq!(chosen.regions, ["eu-west-1", "us-east-1"]);
        let chosen = of(&account, &Regions::Default, "ca-central-1")
            .await
            .unwrap();
        assert_eq!(chosen.regions, ["ca-central-1"]);
        account.regions = Some(vec!["eu-central-1".into()]);
        let chosen = of(&account, &list, "ca-central-1").await.unwrap();
        assert_eq!(chosen.regions, ["eu-central-1"]);
        assert!(chosen.skipped.is_empty());
    }

    #[test]
    fn an_unreached_account_fails_in_every_region_it_would_have_run_in() {
        let list = Regions::List(vec!["eu-west-1".into(), "us-east-1".into()]);
        assert_eq!(
            unreached(None, &list, "ca-central-1"),
            ["eu-west-1", "us-east-1"]
        );
        let own = vec!["ap-south-1".to_owned()];
        assert_eq!(unreached(Some(&own), &list, "ca-central-1"), ["ap-south-1"]);
        assert_eq!(
            unreached(Some(&own), &Regions::All, "ca-central-1"),
            ["ap-south-1"]
        );
        let all = vec!["all".to_owned()];
        for wanted in [Regions::All, Regions::Default] {
            assert_eq!(unreached(None, &wanted, "ca-central-1"), ["ca-central-1"]);
            assert_eq!(
                unreached(Some(&all), &wanted, "ca-central-1"),
                ["ca-central-1"]
            );
        }
        assert_eq!(
            unreached(Some(&all), &list, "ca-central-1"),
            ["ca-central-1"],
            "the account's own `all` wins over the list"
        );
    }

    #[test]
    fn regions_parse_as_all_or_a_list() {
        assert_eq!(Regions::parse("all").unwrap(), Regions::All);
        assert_eq!(Regions::parse(" all ").unwrap(), Regions::All);
        assert_eq!(
            Regions::parse("eu-west-1, us-east-1,eu-west-1").unwrap(),
            Regions::List(vec!["eu-west-1".into(), "us-east-1".into()])
        );
        let err = Regions::parse("eu-west-1,,us-east-1").unwrap_err();
        assert_eq!(
            err.message(),
            "--regions: \"\" is not a region name (such as eu-west-1)"
        );
        assert_eq!(err.code(), "ParamValidation");
        let err = Regions::parse("all,eu-west-1").unwrap_err();
        assert_eq!(
            err.message(),
            "--regions: `all` stands alone, not in a list"
        );
        let err = Regions::parse("eu-west-1,\u{1b}[2J").unwrap_err();
        assert!(err.message().contains("\\x1b[2J"), "{err}");
    }
}
