//! `--accounts-file PATH`: c7n-org's `accounts.yml` (cloud-custodian's
//! `tools/c7n_org`), read within the bound of every file the user names,
//! parsed as YAML and checked entry by entry before anything is sent.
//!
//! ```yaml
//! accounts:
//!   - account_id: "111111111111"
//!     name: prod
//!     role: arn:aws:iam::111111111111:role/Encryptor   # or a list: a chain
//!     external_id: x-123                                # optional
//!     profile: sso-admin        # the role is assumed from this profile
//!     regions: [eu-west-1, us-east-1]                   # overrides --regions
//!     tags: ["env:prod", "team:data"]
//! ```
//!
//! As c7n-org: `account_id` and one of `role` or `profile` are required; a
//! `role` that is a bare name (not an ARN) means
//! `arn:aws:iam::<account_id>:role/<name>`; `regions: [all]` means every
//! region enabled for the account; c7n-org's own `display_name`, `org_id`,
//! `email` and `vars` are accepted and ignored, and so is a top-level
//! `vars`. Beyond c7n-org (which checks types only): IDs, ARNs, regions and
//! external IDs are checked for their shape, the last role of a chain must
//! belong to the entry's account, an account is listed once, and any other
//! key (a typo such as `regoins`) is refused. Every problem is reported with
//! the file, the entry and the rule; exit 252.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::Candidate;
use crate::bounds::{self, MAX_LISTED};
use crate::error::CliError;
use crate::terminal_text;

mod entry;

/// Read and check the accounts file at `path` (flag `--accounts-file`).
pub(crate) fn read(path: &str) -> Result<Vec<Candidate>, CliError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        CliError::ParamValidation(format!("Unable to read --accounts-file {path}: {e}"))
    };
    let bytes =
        bounds::read_file(Path::new(path), bounds::MAX_FILE_BYTES).map_err(|e| unreadable(&e))?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable(&"it is not UTF-8 text"))?;
    parse(path, &text)
}

/// Parse and check the text of an accounts file; `path` names it in
/// messages. Every entry is checked, and every problem reported (the first
/// [`MAX_LISTED`] shown, the rest counted).
pub(crate) fn parse(path: &str, text: &str) -> Result<Vec<Candidate>, CliError> {
    let entries = entries(path, text)?;
    let mut shown = Vec::new();
    let mut total = 0;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut first_of: BTreeMap<String, String> = BTreeMap::new();
    for (n, value) in entries.iter().enumerate() {
        let at = entry_label(n, value);
        let problems = match entry::account(value) {
            Err(problems) => problems,
            Ok(c) => {
                let id = c.id.clone().unwrap_or_default();
                match first_of.get(&id) {
                    Some(first) => vec![format!("account_id {id} is also {first}'s")],
                    None => {
                        first_of.insert(id, at.clone());
                        candidates.push(c);
                        continue;
                    }
                }
            }
        };
        for rule in problems {
            total += 1;
            if shown.len() < MAX_LISTED {
                shown.push(format!("--accounts-file {path}, {at}: {rule}"));
            }
        }
    }
    if total > 0 {
        return Err(CliError::ParamValidation(terminal_text::listed(
            &shown, total, "problems",
        )));
    }
    Ok(candidates)
}

/// The `accounts:` list of the document, checked as a whole first.
fn entries(path: &str, text: &str) -> Result<Vec<Value>, CliError> {
    let whole = |rule: String| CliError::ParamValidation(format!("--accounts-file {path}: {rule}"));
    let doc: Value = serde_saphyr::from_str(text).map_err(|e| {
        whole(format!(
            "not a YAML document: {}",
            terminal_text::value(&e.to_string())
        ))
    })?;
    let Value::Object(mut top) = doc else {
        return Err(whole(
            "the document must be a mapping with an `accounts:` list".to_owned(),
        ));
    };
    for key in top.keys() {
        match key.as_str() {
            "accounts" | "vars" => {}
            "subscriptions" | "projects" | "tenancies" => {
                return Err(whole(format!(
                    "`{key}:` is not for AWS; only `accounts:` is read"
                )));
            }
            other => {
                return Err(whole(format!(
                    "unknown top-level key `{}` (an accounts file has `accounts:` and `vars:`)",
                    terminal_text::value(other)
                )));
            }
        }
    }
    match top.remove("accounts") {
        Some(Value::Array(entries)) if !entries.is_empty() => Ok(entries),
        Some(Value::Array(_)) => Err(whole("`accounts:` lists no account".to_owned())),
        Some(_) => Err(whole("`accounts:` must be a list".to_owned())),
        None => Err(whole("there is no `accounts:` list".to_owned())),
    }
}

/// `account 3` (1-based), with its name or ID when it has one: `account 3 (prod)`.
fn entry_label(n: usize, value: &Value) -> String {
    let known = ["name", "account_id"]
        .iter()
        .find_map(|k| match value.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Some(terminal_text::value(s)),
            Some(Value::Number(id)) => entry::whole_number(id).map(|n| n.to_string()),
            _ => None,
        });
    match known {
        Some(known) => format!("account {} ({known})", n + 1),
        None => format!("account {}", n + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Reach;

    fn ok(text: &str) -> Vec<Candidate> {
        parse("accounts.yml", text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn problem(text: &str) -> String {
        let err = parse("accounts.yml", text).expect_err(text);
        assert_eq!(err.code(), "ParamValidation", "{err}");
        err.message().to_owned()
    }

    #[test]
    fn a_full_entry_is_read_with_its_role_regions_and_tags() {
        let accounts = ok(r#"
vars: {owner: me}
accounts:
  - account_id: "111111111111"
    name: prod
    email: root@example.com
    role: arn:aws:iam::111111111111:role/Encryptor
    external_id: x-123
    regions: [eu-west-1, us-east-1, eu-west-1]
    tags: ["env:prod", "team:data:eng", "legacy"]
    vars: {a: b}
"#);
        assert_eq!(accounts.len(), 1);
        let a = &accounts[0];
        assert_eq!(a.id.as_deref(), Some("111111111111"));
        assert_eq!(a.name.as_deref(), Some("prod"));
        assert_eq!(
            a.reach,
            Reach::Role {
                arns: vec!["arn:aws:iam::111111111111:role/Encryptor".into()],
                external_id: Some("x-123".into()),
                profile: None,
            }
        );
        assert_eq!(
            a.regions.as_deref(),
            Some(&["eu-west-1".to_owned(), "us-east-1".to_owned()][..])
        );
        let tags: Vec<(&str, &str)> = a
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            tags,
            [("env", "prod"), ("legacy", ""), ("team", "data:eng")]
        );
    }

    #[test]
    fn a_chain_a_bare_role_name_and_a_profile() {
        let accounts = ok(r#"
accounts:
  - account_id: "222222222222"
    name: chained
    profile: sso-hub
    role:
      - arn:aws:iam::111111111111:role/Hub
      - arn:aws-us-gov:iam::222222222222:role/path/to/Spoke
  - account_id: 333333333333
    role: OrganizationAccountAccessRole
  - account_id: "444444444444"
    name: by-profile
    profile: dev
    regions: [all]
"#);
        assert_eq!(
            accounts[0].reach,
            Reach::Role {
                arns: vec![
                    "arn:aws:iam::111111111111:role/Hub".into(),
                    "arn:aws-us-gov:iam::222222222222:role/path/to/Spoke".into()
                ],
                external_id: None,
                profile: Some("sso-hub".into()),
            }
        );
        // An unquoted 12-digit ID is taken; a bare role name is in its account.
        assert_eq!(accounts[1].id.as_deref(), Some("333333333333"));
        assert_eq!(
            accounts[1].reach.label(),
            "role arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"
        );
        assert_eq!(accounts[1].name, None);
        assert_eq!(accounts[2].reach, Reach::Profile("dev".into()));
        assert_eq!(accounts[2].regions, Some(vec!["all".to_owned()]));
    }

    #[test]
    fn each_bad_entry_names_the_file_the_entry_and_the_rule() {
        let cases: &[(&str, &str)] = &[
            (
                "accounts:\n  - {account_id: '1234', role: R}\n",
                "--accounts-file accounts.yml, account 1 (1234): account_id \"1234\" must be 12 digits",
            ),
            (
                "accounts:\n  - {account_id: 012345678901, role: R}\n",
                "account_id 12345678901 must be 12 digits: quote it",
            ),
            (
                "accounts:\n  - {name: prod, role: R}\n",
                "--accounts-file accounts.yml, account 1 (prod): account_id is required",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', name: prod}\n",
                "account 1 (prod): needs a role or a profile to be reached",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', role: 'arn:aws:iam::1111:role/X'}\n",
                "role \"arn:aws:iam::1111:role/X\" is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', role: 'arn:aws:iam::111111111111:user/X'}\n",
                "is not a role ARN",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', role: ['arn:aws:iam::111111111111:role/A', 'arn:aws:iam::222222222222:role/B']}\n",
                "role: the last role assumed is in account 222222222222, not in account_id 111111111111",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', role: []}\n",
                "role: the chain lists no role",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', role: [3]}\n",
                "role: each role of a chain must be an ARN string, not a number",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, regions: [eu-west-1, Mars]}\n",
                "account 1 (111111111111): regions: \"Mars\" is not a region name",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, regions: [all, eu-west-1]}\n",
                "regions: `all` stands alone",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, regions: eu-west-1}\n",
                "regions must be a list of region names, not a string",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, tags: ['env:a', 'env:b']}\n",
                "tags: the key \"env\" is given twice",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, tags: [':x']}\n",
                "tags: \":x\" has no key",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, tags: env:prod}\n",
                "tags must be a list of \"key:value\" strings, not a string",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p, regoins: [eu-west-1]}\n",
                "unknown key `regoins` (an account has account_id, name, role, external_id, profile, regions, tags)",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', role: R, external_id: 'a b'}\n",
                "external_id must be 2 to 1224 letters",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: ''}\n",
                "profile is empty",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: [p]}\n",
                "profile must be a string, not a list",
            ),
            (
                "accounts:\n  - {account_id: '111111111111', profile: p}\n  - {account_id: '111111111111', name: again, profile: q}\n",
                "--accounts-file accounts.yml, account 2 (again): account_id 111111111111 is also account 1 (111111111111)'s",
            ),
            (
                "accounts:\n  - just-a-string\n",
                "account 1: an account must be a mapping",
            ),
        ];
        for (text, expected) in cases {
            let message = problem(text);
            assert!(
                message.contains(expected),
                "{text}\n{message}\nwanted: {expected}"
            );
        }
    }

    #[test]
    fn a_document_that_is_not_an_accounts_file_is_refused_whole() {
        let cases: &[(&str, &str)] = &[
            (
                "",
                "--accounts-file accounts.yml: the document must be a mapping",
            ),
            (
                "- a\n- b\n",
                "the document must be a mapping with an `accounts:` list",
            ),
            ("vars: {}\n", "there is no `accounts:` list"),
            ("accounts: []\n", "`accounts:` lists no account"),
            ("accounts: {a: 1}\n", "`accounts:` must be a list"),
            ("subscriptions: []\n", "`subscriptions:` is not for AWS"),
            (
                "accounts: []\npolicies: []\n",
                "unknown top-level key `policies`",
            ),
            (
                "accounts: [\n",
                "--accounts-file accounts.yml: not a YAML document:",
            ),
        ];
        for (text, expected) in cases {
            let message = problem(text);
            assert!(
                message.contains(expected),
                "{text:?}\n{message}\nwanted: {expected}"
            );
        }
    }

    #[test]
    fn every_problem_is_reported_and_a_long_list_is_cut() {
        let message = problem(
            "accounts:\n  - {account_id: '1', role: R}\n  - {account_id: '2', profile: p, regions: [x]}\n",
        );
        assert!(
            message.contains("account 1 (1): account_id \"1\" must be 12 digits"),
            "{message}"
        );
        assert!(
            message.contains("account 2 (2): account_id \"2\" must be 12 digits"),
            "{message}"
        );
        assert!(
            message.contains("account 2 (2): regions: \"x\" is not a region name"),
            "{message}"
        );
        let many: String = (0..MAX_LISTED + 7)
            .map(|_| "  - {account_id: '1', profile: p}\n")
            .collect();
        let message = problem(&format!("accounts:\n{many}"));
        assert_eq!(message.lines().count(), MAX_LISTED + 1, "{message}");
        assert!(
            message.ends_with("… 7 more problems not shown"),
            "{message}"
        );
    }

    #[test]
    fn a_file_is_read_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.yml");
        std::fs::write(
            &path,
            "accounts:\n  - {account_id: '111111111111', profile: p}\n",
        )
        .unwrap();
        let path = path.to_str().unwrap();
        assert_eq!(read(path).unwrap().len(), 1);
        let err = read("/dev/zero").unwrap_err();
        assert_eq!(
            err.message(),
            "Unable to read --accounts-file /dev/zero: it is a device, not a file"
        );
        let missing = dir.path().join("missing.yml");
        let err = read(missing.to_str().unwrap()).unwrap_err();
        assert!(
            err.message().starts_with("Unable to read --accounts-file "),
            "{err}"
        );
        assert!(err.message().contains("missing.yml: "), "{err}");
        std::fs::write(dir.path().join("bin.yml"), [0xff, 0xfe, 0x00]).unwrap();
        let err = read(dir.path().join("bin.yml").to_str().unwrap()).unwrap_err();
        assert!(err.message().ends_with(": it is not UTF-8 text"), "{err}");
    }
}
