//! Who a set of credentials is: STS `GetCallerIdentity`, the one STS call
//! this tool makes itself (roles are assumed by aws-config's providers).
//! It is also where a refused `AssumeRole` surfaces: the provider's STS
//! error is found in the call's chain of causes and reported as what it is,
//! `An error occurred (AccessDenied) when calling the AssumeRole operation: …`,
//! rather than as missing credentials.

use std::error::Error as StdError;
use std::sync::Arc;

use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::chain::error_chain;
use crate::error::{self, CliError};
use crate::sdk::{RecordRequests, Sdk};

/// The account and principal that a set of credentials belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The 12-digit account ID.
    pub account: String,
    /// The principal's ARN (`arn:aws:sts::111111111111:assumed-role/…`).
    pub arn: String,
}

impl Identity {
    /// The partition of the principal's ARN (`aws`, `aws-us-gov`, `aws-cn`),
    /// for the ARNs of roles in the same organization; `aws` when the ARN
    /// does not say.
    pub fn partition(&self) -> &str {
        let mut parts = self.arn.split(':');
        match (parts.next(), parts.next()) {
            (Some("arn"), Some(p)) if !p.is_empty() => p,
            _ => "aws",
        }
    }
}

/// `GetCallerIdentity` with `sdk`'s credentials (`AWS_ENDPOINT_URL_STS`
/// applies). An answer without a 12-digit account is refused: every ARN
/// this module builds holds it.
pub async fn of(sdk: &Sdk) -> Result<Identity, CliError> {
    let config = aws_sdk_sts::config::Builder::from(&sdk.config)
        .interceptor(RecordRequests(Arc::clone(&sdk.log)))
        .build();
    let client = aws_sdk_sts::Client::from_conf(config);
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| classify(e, sdk.log.last_url().as_deref()))?;
    let account = out.account().unwrap_or_default();
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CliError::failure(
            "InvalidIdentity",
            format!(
                "GetCallerIdentity answered the account \"{}\", not 12 digits",
                crate::terminal_text::value(account)
            ),
        ));
    }
    Ok(Identity {
        account: account.to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
    })
}

/// A failed `GetCallerIdentity`: a role that could not be assumed on the
/// way (the credentials provider's STS error), else the call's own failure.
fn classify<E>(err: SdkError<E, HttpResponse>, url: Option<&str>) -> CliError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    assume_role_failure(&err).unwrap_or_else(|| error::from_sdk("GetCallerIdentity", err, url))
}

/// The `AssumeRole` failure in `err`'s causes, if any: the service's refusal
/// (`AccessDenied`, `InvalidClientTokenId`, …) as a service error (254), or,
/// when STS could not be asked at all, a failure (255) saying why. In a
/// chain, the refusal found is that of the role that was refused (the roles
/// after it were never tried).
pub fn assume_role_failure(err: &(dyn StdError + 'static)) -> Option<CliError> {
    let mut first = None;
    for e in error_chain(err) {
        let Some(sts) = e.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>() else {
            continue;
        };
        if let SdkError::ServiceError(refusal) = sts {
            let raw = refusal.raw();
            return Some(CliError::Service {
                operation: "AssumeRole",
                code: sts
                    .code()
                    .map_or_else(|| raw.status().as_u16().to_string(), str::to_owned),
                message: sts.message().unwrap_or_default().to_owned(),
                hint: None,
                members: Vec::new(),
            });
        }
        first.get_or_insert(sts);
    }
    first.map(|sts| {
        CliError::failure(
            "AssumeRoleFailed",
            format!(
                "The role could not be assumed: {}",
                DisplayErrorContext(sts)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partition_comes_from_the_principal_s_arn() {
        let id = |arn: &str| Identity {
            account: "111111111111".into(),
            arn: arn.into(),
        };
        assert_eq!(id("arn:aws:iam::111111111111:user/a").partition(), "aws");
        assert_eq!(
            id("arn:aws-us-gov:sts::111111111111:assumed-role/R/s").partition(),
            "aws-us-gov"
        );
        assert_eq!(
            id("arn:aws-cn:iam::111111111111:root").partition(),
            "aws-cn"
        );
        assert_eq!(id("").partition(), "aws");
        assert_eq!(id("arn::x").partition(), "aws");
    }

    #[test]
    fn an_error_without_an_assume_role_in_it_is_not_one() {
        let io = std::io::Error::other("connection refused");
        assert_eq!(assume_role_failure(&io), None);
    }
}
