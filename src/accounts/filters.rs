//! Which accounts of a source a run keeps: `--accounts` (keep by ID or
//! name), `--exclude-accounts` (drop by ID or name) and `--account-tags`
//! (keep accounts of the accounts file that carry every `key:value`), as
//! c7n-org's `-a`, `--not-accounts` and `-t` filter.
//!
//! A filter is applied before an account is reached, with what the source
//! knows (an excluded account is never reached), and again once its ID is
//! confirmed (a profile's ID is known only then).

use std::collections::BTreeMap;

use super::{Account, Source, Unreached};
use crate::error::CliError;

/// The account filters, each value once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// `--accounts`: keep only these IDs or names (empty: every account).
    pub accounts: Vec<String>,
    /// `--exclude-accounts`: drop these IDs or names.
    pub exclude: Vec<String>,
    /// `--account-tags`: keep only accounts with every one of these tags.
    pub tags: Vec<(String, String)>,
}

impl Filters {
    /// The filters from the flags' values, each a comma-separated list
    /// (a flag may also be repeated). An empty item, or a tag that is not
    /// `key:value` with a key, is a usage error (252) naming the flag.
    pub fn parse(
        accounts: &[String],
        exclude: &[String],
        tags: &[String],
    ) -> Result<Filters, CliError> {
        let tags = items("--account-tags", tags)?
            .into_iter()
            .map(|tag| match tag.split_once(':') {
                Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
                _ => Err(CliError::ParamValidation(format!(
                    "--account-tags: \"{tag}\" is not key:value"
                ))),
            })
            .collect::<Result<_, _>>()?;
        Ok(Filters {
            accounts: items("--accounts", accounts)?,
            exclude: items("--exclude-accounts", exclude)?,
            tags,
        })
    }

    /// Tags are the accounts file's: with another source they are a usage
    /// error (252).
    pub(super) fn check_source(&self, source: &Source) -> Result<(), CliError> {
        if self.tags.is_empty() || matches!(source, Source::File(_)) {
            return Ok(());
        }
        Err(CliError::ParamValidation(format!(
            "--account-tags applies to --accounts-file only, not to {}",
            source.flag()
        )))
    }

    /// Before an account is reached: whether it may be kept, judged by what
    /// the source knows. An account whose ID is not known yet is kept for
    /// now unless its name is excluded.
    pub(super) fn may_keep(
        &self,
        id: Option<&str>,
        name: Option<&str>,
        tags: &BTreeMap<String, String>,
    ) -> bool {
        match id {
            Some(_) => self.keeps(id, name, Some(tags)),
            None => !self.excluded(id, name) && self.has_tags(tags),
        }
    }

    /// Whether an account is kept: not excluded by ID or name, named by
    /// `--accounts` (when given) by ID or name, and carrying every tag (when
    /// `tags` are given to judge). An account whose ID is unknown is judged
    /// by its name alone.
    pub fn keeps(
        &self,
        id: Option<&str>,
        name: Option<&str>,
        tags: Option<&BTreeMap<String, String>>,
    ) -> bool {
        let named = |list: &[String]| {
            list.iter()
                .any(|v| Some(v.as_str()) == id || Some(v.as_str()) == name)
        };
        !self.excluded(id, name)
            && (self.accounts.is_empty() || named(&self.accounts))
            && tags.is_none_or(|tags| self.has_tags(tags))
    }

    fn excluded(&self, id: Option<&str>, name: Option<&str>) -> bool {
        self.exclude
            .iter()
            .any(|v| Some(v.as_str()) == id || Some(v.as_str()) == name)
    }

    fn has_tags(&self, tags: &BTreeMap<String, String>) -> bool {
        self.tags.iter().all(|(k, v)| tags.get(k) == Some(v))
    }

    /// Every `--accounts` value must name an account that was kept: a typo
    /// would otherwise run on nothing and succeed. A usage error (252)
    /// naming the values.
    pub(super) fn check_matched(
        &self,
        source: &Source,
        kept: &[Result<Account, Unreached>],
    ) -> Result<(), CliError> {
        let names = |r: &Result<Account, Unreached>| match r {
            Ok(a) => (Some(a.id.clone()), a.name.clone()),
            Err(u) => (u.id.clone(), u.name.clone()),
        };
        let known: Vec<(Option<String>, Option<String>)> = kept.iter().map(names).collect();
        let unmatched: Vec<&str> = self
            .accounts
            .iter()
            .filter(|v| {
                !known
                    .iter()
                    .any(|(id, name)| id.as_ref() == Some(v) || name.as_ref() == Some(v))
            })
            .map(String::as_str)
            .collect();
        if unmatched.is_empty() {
            return Ok(());
        }
        let unknown = known.iter().filter(|(id, _)| id.is_none()).count();
        let mut message = format!(
            "--accounts: {} matches no account of {} that the other filters keep",
            unmatched.join(", "),
            source.flag()
        );
        if unknown > 0 {
            message.push_str(&format!(
                " ({unknown} could not be reached, their IDs unknown)"
            ));
        }
        Err(CliError::ParamValidation(message))
    }
}

/// A flag's values split at commas and trimmed, each once, in order.
fn items(flag: &str, values: &[String]) -> Result<Vec<String>, CliError> {
    let mut out: Vec<String> = Vec::new();
    for item in values.iter().flat_map(|v| v.split(',')) {
        let item = item.trim();
        if item.is_empty() {
            return Err(CliError::ParamValidation(format!(
                "{flag}: an item of the list is empty"
            )));
        }
        if !out.iter().any(|o| o == item) {
            out.push(item.to_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn lists_are_split_at_commas_trimmed_and_taken_once() {
        let f = Filters::parse(
            &strings(&["111111111111, prod", "prod"]),
            &strings(&["dev"]),
            &strings(&["env:prod,team:data:eng", "empty:"]),
        )
        .unwrap();
        assert_eq!(f.accounts, ["111111111111", "prod"]);
        assert_eq!(f.exclude, ["dev"]);
        assert_eq!(
            f.tags,
            [
                ("env".to_owned(), "prod".to_owned()),
                ("team".to_owned(), "data:eng".to_owned()),
                ("empty".to_owned(), String::new())
            ]
        );
        assert_eq!(Filters::parse(&[], &[], &[]).unwrap(), Filters::default());
    }

    #[test]
    fn bad_lists_name_the_flag_and_the_rule() {
        let err = Filters::parse(&strings(&["a,,b"]), &[], &[]).unwrap_err();
        assert_eq!(err.message(), "--accounts: an item of the list is empty");
        assert_eq!(err.code(), "ParamValidation");
        let err = Filters::parse(&[], &strings(&[" "]), &[]).unwrap_err();
        assert_eq!(
            err.message(),
            "--exclude-accounts: an item of the list is empty"
        );
        for bad in ["env", ":prod"] {
            let err = Filters::parse(&[], &[], &strings(&[bad])).unwrap_err();
            assert_eq!(
                err.message(),
                format!("--account-tags: \"{bad}\" is not key:value")
            );
        }
    }

    #[test]
    fn accounts_are_kept_and_dropped_by_id_or_name() {
        let f = Filters::parse(&strings(&["111111111111", "prod"]), &[], &[]).unwrap();
        let none = BTreeMap::new();
        assert!(f.keeps(Some("111111111111"), None, Some(&none)));
        assert!(f.keeps(Some("222222222222"), Some("prod"), Some(&none)));
        assert!(!f.keeps(Some("333333333333"), Some("dev"), Some(&none)));
        let f = Filters::parse(&[], &strings(&["111111111111", "dev"]), &[]).unwrap();
        assert!(!f.keeps(Some("111111111111"), Some("prod"), None));
        assert!(!f.keeps(Some("222222222222"), Some("dev"), None));
        assert!(f.keeps(Some("222222222222"), Some("prod"), None));
        // Exclusion wins over a keep.
        let f = Filters::parse(&strings(&["prod"]), &strings(&["prod"]), &[]).unwrap();
        assert!(!f.keeps(Some("111111111111"), Some("prod"), None));
    }

    #[test]
    fn every_tag_listed_must_match() {
        let f = Filters::parse(&[], &[], &strings(&["env:prod", "team:data"])).unwrap();
        let both = tags(&[("env", "prod"), ("team", "data"), ("x", "y")]);
        let one = tags(&[("env", "prod")]);
        let other = tags(&[("env", "dev"), ("team", "data")]);
        assert!(f.keeps(Some("1"), None, Some(&both)));
        assert!(!f.keeps(Some("1"), None, Some(&one)));
        assert!(!f.keeps(Some("1"), None, Some(&other)));
        // Not judged again after reaching (no tags given).
        assert!(f.keeps(Some("1"), None, None));
    }

    #[test]
    fn an_account_whose_id_is_unknown_waits_to_be_judged() {
        let f = Filters::parse(&strings(&["111111111111"]), &strings(&["dev"]), &[]).unwrap();
        let none = BTreeMap::new();
        // A profile: its ID is known only once reached.
        assert!(f.may_keep(None, Some("prod"), &none));
        assert!(!f.may_keep(None, Some("dev"), &none));
        // With its ID known, it is judged whole.
        assert!(!f.may_keep(Some("222222222222"), Some("prod"), &none));
        assert!(f.may_keep(Some("111111111111"), Some("prod"), &none));
    }

    #[test]
    fn tags_belong_to_the_accounts_file() {
        let f = Filters::parse(&[], &[], &strings(&["env:prod"])).unwrap();
        assert!(f.check_source(&Source::File("a.yml".into())).is_ok());
        let err = f
            .check_source(&Source::Organization {
                role_name: "R".into(),
                external_id: None,
            })
            .unwrap_err();
        assert_eq!(
            err.message(),
            "--account-tags applies to --accounts-file only, not to --organization"
        );
        assert!(
            Filters::default()
                .check_source(&Source::Profiles(vec!["a".into()]))
                .is_ok()
        );
    }

    #[test]
    fn an_accounts_value_that_matches_nothing_is_an_error() {
        let f = Filters::parse(&strings(&["prod", "typo"]), &[], &[]).unwrap();
        let kept = vec![Err(Unreached {
            id: None,
            name: Some("prod".into()),
            reach: super::super::Reach::Profile("prod".into()),
            regions: None,
            error: CliError::failure("X", "y"),
        })];
        let err = f
            .check_matched(&Source::Profiles(vec!["prod".into()]), &kept)
            .unwrap_err();
        assert_eq!(
            err.message(),
            "--accounts: typo matches no account of --profiles that the other filters keep \
             (1 could not be reached, their IDs unknown)"
        );
        let f = Filters::parse(&strings(&["prod"]), &[], &[]).unwrap();
        assert!(
            f.check_matched(&Source::Profiles(vec!["prod".into()]), &kept)
                .is_ok()
        );
    }
}
