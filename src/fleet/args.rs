//! The fleet-mode flags every service's command shares; each command adds
//! its own selectors (`--all-delivery-streams`, `--all-streams`, …) beside
//! them.

use std::num::NonZeroU32;

use crate::bounds::MAX_CONCURRENCY;

/// `--max-concurrency` when not given.
pub const DEFAULT_CONCURRENCY: u16 = 4;

/// The shared fleet flags, flattened into each command line.
#[derive(Debug, Default, Clone, clap::Args)]
#[command(next_help_heading = "Fleet mode")]
pub struct FleetOptions {
    /// Describe only: send no start call, and report what would change
    ///
    /// Exits 0 when nothing would change, 1 otherwise.
    #[arg(long)]
    pub dry_run: bool,

    /// At most N calls in flight at once, 1 to 256 (fleet mode; default 4)
    #[arg(long, value_name = "N", value_parser = parse_concurrency)]
    pub max_concurrency: Option<u16>,

    /// At most N calls a second of each operation, 1 to 1000 (fleet mode)
    ///
    /// Calls are paced per account, region and operation at the service's
    /// documented rate (Firehose: 5 a second for each of ListDeliveryStreams,
    /// DescribeDeliveryStream and StartDeliveryStreamEncryption; Kinesis:
    /// ListStreams 5, DescribeStreamSummary 20, StartStreamEncryption 5), so
    /// that a run is not throttled by itself. The limit belongs to the account
    /// and region: lower it to leave room for other clients.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_rate: Option<u32>,

    /// The regions to cover, comma-separated (fleet mode)
    ///
    /// Each account is run in each region, side by side, each paced on its
    /// own. Default: the one region of --region, the environment or the
    /// profile.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_region)]
    pub regions: Option<Vec<String>>,

    /// Start exactly what a --dry-run planned: its WouldStart and
    /// WouldStartSource entries (fleet mode)
    ///
    /// PATH holds the document a --dry-run printed with --output json, after
    /// review. Each stream is described again first; one whose encryption is
    /// no longer the plan's EncryptionBefore is reported ChangedSincePlan and
    /// not touched. Nothing outside the plan is touched. Anything that is not
    /// such a plan is refused (exit 252) and nothing is sent. Excludes the
    /// other ways of choosing streams, keys and regions.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["regions", "profiles", "accounts_file", "organization", "accounts", "exclude_accounts", "account_tags"])]
    pub apply_plan: Option<String>,

    /// Each named profile of the config files is one account (fleet mode)
    #[arg(long, value_name = "LIST", value_delimiter = ',', conflicts_with_all = ["accounts_file", "organization"])]
    pub profiles: Option<Vec<String>>,

    /// The accounts of a c7n-org accounts.yml (fleet mode)
    ///
    /// Each entry: account_id, name, role (an ARN, a bare role name, or a
    /// list of ARNs assumed in order), external_id, profile, regions, tags.
    #[arg(long, value_name = "PATH", conflicts_with = "organization")]
    pub accounts_file: Option<String>,

    /// Every ACTIVE account of your AWS Organization (fleet mode)
    ///
    /// Each is reached by assuming the role --role-name names in it
    /// (arn:aws:iam::ACCOUNT:role/NAME); your own account with your own
    /// credentials.
    #[arg(long)]
    pub organization: bool,

    /// The role --organization assumes in each account (default
    /// OrganizationAccountAccessRole)
    #[arg(long, value_name = "NAME", requires = "organization")]
    pub role_name: Option<String>,

    /// The external id passed to every AssumeRole of --organization (and of
    /// --apply-plan)
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,

    /// Keep only these accounts, by ID or name (fleet mode)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub accounts: Option<Vec<String>>,

    /// Leave out these accounts, by ID or name (fleet mode)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub exclude_accounts: Option<Vec<String>>,

    /// Keep the accounts of --accounts-file carrying every key:value listed
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        requires = "accounts_file"
    )]
    pub account_tags: Option<Vec<String>>,

    /// Also write the result as FORMAT to PATH: junit, asff or ocsf
    /// (repeatable; fleet mode)
    ///
    /// Written at the end of every run, also after Ctrl-C. junit: a suite
    /// per target, a case per stream, for CI. asff: AWS Security Finding
    /// Format findings for Security Hub (DataFirehose.1, Kinesis.1). ocsf:
    /// OCSF 1.6 Compliance Findings (class 2003).
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = crate::reports::Report::parse, action = clap::ArgAction::Append)]
    pub reports: Vec<crate::reports::Report>,
}

impl FleetOptions {
    /// Where the accounts come from, if not the caller alone.
    pub fn account_source(&self) -> Option<crate::accounts::Source> {
        use crate::accounts::{DEFAULT_ROLE_NAME, Source};
        if let Some(profiles) = &self.profiles {
            Some(Source::Profiles(profiles.clone()))
        } else if let Some(path) = &self.accounts_file {
            Some(Source::File(path.clone()))
        } else if self.organization {
            Some(Source::Organization {
                role_name: self
                    .role_name
                    .clone()
                    .unwrap_or_else(|| DEFAULT_ROLE_NAME.to_owned()),
                external_id: self.external_id.clone(),
            })
        } else {
            None
        }
    }

    /// Whether this run selects accounts or reports, which only fleet mode
    /// does.
    pub fn fleet_only(&self) -> Option<&'static str> {
        if self.max_concurrency.is_some() {
            Some("--max-concurrency")
        } else if self.max_rate.is_some() {
            Some("--max-rate")
        } else if self.profiles.is_some() {
            Some("--profiles")
        } else if self.accounts_file.is_some() {
            Some("--accounts-file")
        } else if self.organization {
            Some("--organization")
        } else if self.regions.is_some() {
            Some("--regions")
        } else if !self.reports.is_empty() {
            Some("--report")
        } else if self.accounts.is_some() || self.exclude_accounts.is_some() {
            Some("--accounts")
        } else {
            None
        }
    }

    /// `--regions`, each once, in the order given.
    pub fn regions(&self) -> Option<Vec<String>> {
        self.regions.as_ref().map(|list| {
            let mut once: Vec<String> = Vec::new();
            for r in list {
                if !once.contains(r) {
                    once.push(r.clone());
                }
            }
            once
        })
    }

    /// `--max-rate`, as the pacer takes it.
    pub fn max_rate(&self) -> Option<NonZeroU32> {
        self.max_rate.and_then(NonZeroU32::new)
    }

    /// `--max-concurrency` or its default.
    pub fn concurrency(&self) -> usize {
        usize::from(self.max_concurrency.unwrap_or(DEFAULT_CONCURRENCY))
    }
}

/// One region name of `--regions`.
fn parse_region(text: &str) -> Result<String, String> {
    let region = text.trim();
    let valid = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(region.to_owned())
    } else {
        Err(format!(
            "\"{region}\" is not a region name (lowercase letters, digits and -, such as \
             eu-west-1)"
        ))
    }
}

/// `--max-concurrency`: 1 to [`MAX_CONCURRENCY`]; clap names the flag and
/// the value, this the rule (also for numbers too large for any type).
fn parse_concurrency(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
        .ok_or_else(|| format!("must be a whole number from 1 to {MAX_CONCURRENCY}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_concurrency_is_1_to_the_bound() {
        assert_eq!(parse_concurrency("1"), Ok(1));
        assert_eq!(parse_concurrency("256"), Ok(MAX_CONCURRENCY));
        for bad in ["0", "257", "65536", "99999999999999999999", "-1", "x"] {
            assert_eq!(
                parse_concurrency(bad),
                Err("must be a whole number from 1 to 256".to_owned()),
                "{bad}"
            );
        }
    }
}
