//! `--organization`: every `ACTIVE` account of the caller's AWS
//! Organization (`ListAccounts`, every page, bounded as every listing is:
//! contract §14), each reached by assuming
//! `arn:<partition>:iam::<id>:role/<--role-name>` with `--external-id`; the
//! caller's own account (STS `GetCallerIdentity`) with the caller's own
//! credentials. The caller is the management account or a delegated
//! administrator; anyone else is refused by `ListAccounts` (254).

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_organizations::types::{AccountState, AccountStatus};

use super::credentials::{check_external_id, role_arn_account};
use super::identity::{self, Identity};
use super::pages::{self, Page, listing_error};
use super::{Candidate, Reach};
use crate::error::{self, CliError};
use crate::sdk::{RecordRequests, Sdk};
use crate::terminal_text;

/// An account as `ListAccounts` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    /// Its ID.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Whether it is `ACTIVE` (its `State`, or the older `Status` when the
    /// answer has no `State`).
    pub active: bool,
}

/// The organization's accounts as candidates, sorted by ID, and the
/// caller's identity. `--role-name` and `--external-id` are checked first
/// (252); the caller without credentials is 253; `ListAccounts` refused is
/// 254.
pub(crate) async fn candidates(
    caller: &Sdk,
    role_name: &str,
    external_id: Option<&str>,
) -> Result<(Vec<Candidate>, Identity), CliError> {
    check_role_name(role_name)?;
    if let Some(Err(rule)) = external_id.map(check_external_id) {
        return Err(CliError::ParamValidation(format!("--external-id {rule}")));
    }
    let me = identity::of(caller).await?;
    let client = client(caller);
    let listed = pages::every_page("ListAccounts", "accounts", |token| {
        page(&client, caller, token)
    })
    .await?;
    let mut candidates: Vec<Candidate> = listed
        .into_iter()
        .filter(|a| a.active)
        .map(|a| {
            let reach = if a.id == me.account {
                Reach::Caller
            } else {
                Reach::Role {
                    arns: vec![format!(
                        "arn:{}:iam::{}:role/{role_name}",
                        me.partition(),
                        a.id
                    )],
                    external_id: external_id.map(str::to_owned),
                    profile: None,
                }
            };
            Candidate {
                id: Some(a.id),
                name: a.name,
                reach,
                regions: None,
                tags: BTreeMap::new(),
            }
        })
        .collect();
    candidates.sort_by(|a, b| a.id.cmp(&b.id));
    candidates.dedup_by(|a, b| a.id == b.id);
    Ok((candidates, me))
}

/// `--role-name`: a role name, with an optional path (`ops/Encryptor`).
fn check_role_name(role_name: &str) -> Result<(), CliError> {
    let arn = format!("arn:aws:iam::000000000000:role/{role_name}");
    match role_arn_account(&arn) {
        Some(_) if !role_name.starts_with('/') && !role_name.starts_with("arn:") => Ok(()),
        _ => Err(CliError::ParamValidation(format!(
            "--role-name \"{}\" is not a role name (1 to 64 letters, digits or _+=,.@- characters, after an optional path)",
            terminal_text::value(role_name)
        ))),
    }
}

fn client(sdk: &Sdk) -> aws_sdk_organizations::Client {
    let config = aws_sdk_organizations::config::Builder::from(&sdk.config)
        .interceptor(RecordRequests(Arc::clone(&sdk.log)))
        .build();
    aws_sdk_organizations::Client::from_conf(config)
}

/// One `ListAccounts` page. An account ID that is not 12 digits is an
/// error naming the operation (255): never a role ARN built on a guess.
async fn page(
    client: &aws_sdk_organizations::Client,
    sdk: &Sdk,
    token: Option<String>,
) -> Result<Page<Listed>, CliError> {
    let out = client
        .list_accounts()
        .set_next_token(token)
        .send()
        .await
        .map_err(|e| error::from_sdk("ListAccounts", e, sdk.log.last_url().as_deref()))?;
    let mut accounts = Vec::new();
    for a in out.accounts() {
        let id = a.id().unwrap_or_default();
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(listing_error(
                "ListAccounts",
                format!(
                    "an account ID \"{}\" is not 12 digits",
                    terminal_text::value(id)
                ),
            ));
        }
        accounts.push(Listed {
            id: id.to_owned(),
            name: a.name().map(str::to_owned),
            active: is_active(a.state(), a.status()),
        });
    }
    Ok((accounts, out.next_token().map(str::to_owned)))
}

/// `ACTIVE` by the account's `State`, or by its older `Status` (retired in
/// September 2026) when the answer has no `State`; neither is not active.
fn is_active(state: Option<&AccountState>, status: Option<&AccountStatus>) -> bool {
    match (state, status) {
        (Some(state), _) => *state == AccountState::Active,
        (None, Some(status)) => *status == AccountStatus::Active,
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_active_by_its_state_else_by_its_status() {
        use AccountState as S;
        use AccountStatus as St;
        assert!(is_active(Some(&S::Active), None));
        assert!(is_active(Some(&S::Active), Some(&St::Suspended)));
        assert!(
            !is_active(Some(&S::Suspended), Some(&St::Active)),
            "State wins"
        );
        assert!(!is_active(Some(&S::PendingActivation), None));
        assert!(!is_active(Some(&S::Closed), None));
        assert!(is_active(None, Some(&St::Active)));
        assert!(!is_active(None, Some(&St::PendingClosure)));
        assert!(!is_active(None, None));
        assert!(!is_active(
            Some(&S::from("SOMETHING_NEW")),
            Some(&St::Active)
        ));
    }

    #[test]
    fn role_names_may_have_a_path() {
        assert!(check_role_name("OrganizationAccountAccessRole").is_ok());
        assert!(check_role_name("ops/team/Encryptor").is_ok());
        for bad in ["", "/Lead", "a b", "arn:aws:iam::111111111111:role/X", "R/"] {
            let err = check_role_name(bad).unwrap_err();
            assert!(err.message().starts_with("--role-name \""), "{bad}: {err}");
        }
    }
}
