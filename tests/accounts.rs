//! The accounts of an organization-wide run (contract §12), the library
//! called in-process: `accounts::resolve` against moto_server (an
//! organization with member accounts, an accounts file of roles and role
//! chains, profiles with `role_arn`/`source_profile`), a loopback proxy in
//! front of moto that refuses `AssumeRole` for chosen roles
//! (common::proxy); and, without moto, `regions::of` against a loopback
//! fake of the Account Management API (moto does not implement
//! `ListRegions`), a fake organization whose `ListAccounts` is refused, and
//! the checks made before anything is sent.
//!
//! The moto tests are ignored by default; scripts/test.sh starts
//! moto_server and runs them with `--include-ignored`. By hand:
//!
//! ```text
//! source scripts/lib/moto.sh && scrub_aws_env && moto_start
//! cargo test --test accounts -- --include-ignored; moto_stop
//! ```
//!
//! Hermetic: no test reads or sets the process environment for its
//! configuration. The caller's SDK configuration is built by hand (fake
//! keys, the emulator's loopback URL), and profiles come from a config file
//! written in a temporary directory and handed to the library explicitly.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::identity::IdentityCache;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::Credentials;
use aws_credential_types::credential_fn::provide_credentials_fn;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::provider::error::CredentialsError;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::sdk_config::SharedTimeSource;
use start_delivery_stream_encryption::accounts::regions::{self, Regions};
use start_delivery_stream_encryption::accounts::{
    self, Account, Filters, Reach, Source, Unreached,
};
use start_delivery_stream_encryption::error::CliError;
use start_delivery_stream_encryption::sdk::{RequestLog, Sdk};
use start_delivery_stream_encryption::tls::{self, TlsMode};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::moto::moto_endpoint;
use common::proxy::{CALLER_ACCOUNT, Proxy, Rules};

// ------------------------------------------------------------------ helpers

/// Static fake keys.
fn keys() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(Credentials::new("testing", "testing", None, None, "test"))
}

/// The caller's SDK configuration, built by hand: `endpoint` (loopback),
/// us-east-1, `credentials`, one attempt, short timeouts, the tool's own
/// HTTP client. Nothing comes from the environment or the config files.
fn caller_at(endpoint: &str, credentials: SharedCredentialsProvider) -> Sdk {
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .http_client(tls::http_client(TlsMode::PlainHttp).expect("the plain HTTP client"))
        .identity_cache(IdentityCache::lazy().build())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .read_timeout(Duration::from_secs(30))
                .build(),
        )
        .time_source(SharedTimeSource::default())
        .build();
    Sdk {
        config,
        no_sign_request: false,
        log: Arc::new(RequestLog::default()),
    }
}

/// A config file with `text` in a temporary directory, as the profile files.
fn config_file(text: &str) -> (tempfile::TempDir, EnvConfigFiles) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(&path, text).unwrap();
    let files = EnvConfigFiles::builder()
        .with_file(EnvConfigFileKind::Config, &path)
        .build();
    (dir, files)
}

/// Profile files that name no profile (nothing read from `~/.aws`).
fn no_profiles() -> (tempfile::TempDir, EnvConfigFiles) {
    config_file("")
}

/// An accounts file with `text` in `dir`.
fn accounts_file(dir: &Path, text: &str) -> String {
    let path = dir.join("accounts.yml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// A 12-digit account ID no other test (or earlier run on the same moto)
/// uses for its roles.
fn some_account() -> String {
    format!("{:012}", fastrand::u64(100_000_000_000..999_999_999_999))
}

/// The reached accounts by ID, and the unreached ones by label.
fn split(
    resolved: Vec<Result<Account, Unreached>>,
) -> (BTreeMap<String, Account>, BTreeMap<String, Unreached>) {
    let mut reached = BTreeMap::new();
    let mut unreached = BTreeMap::new();
    for r in resolved {
        match r {
            Ok(a) => assert!(
                reached.insert(a.id.clone(), a).is_none(),
                "an account twice"
            ),
            Err(u) => {
                unreached.insert(u.display_name(), u);
            }
        }
    }
    (reached, unreached)
}

fn role(arns: &[String], external_id: Option<&str>, profile: Option<&str>) -> Reach {
    Reach::Role {
        arns: arns.to_vec(),
        external_id: external_id.map(str::to_owned),
        profile: profile.map(str::to_owned),
    }
}

fn role_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

// ------------------------------------------------------------ without moto

/// A caller whose credentials cannot be loaded.
fn no_credentials() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(provide_credentials_fn(|| async {
        Err(CredentialsError::not_loaded("no credentials in this test"))
    }))
}

#[tokio::test]
async fn a_caller_without_credentials_cannot_start_a_run_that_needs_them() {
    // Nothing listens there: a request would be a connection failure (255).
    let caller = caller_at(&common::closed_url(), no_credentials());
    let (dir, files) = no_profiles();
    let path = accounts_file(
        dir.path(),
        "accounts:\n  - {account_id: '111111111111', role: Encryptor}\n",
    );
    for source in [
        Source::Organization {
            role_name: "OrganizationAccountAccessRole".into(),
            external_id: None,
        },
        Source::File(path),
    ] {
        let err = accounts::resolve(&source, &Filters::default(), &caller, &files)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "NoCredentials", "{source:?}: {err:?}");
        assert_eq!(err.exit_code(), ExitCode::from(253));
    }
}

#[tokio::test]
async fn a_run_without_signing_cannot_reach_accounts() {
    let mut caller = caller_at(&common::closed_url(), keys());
    caller.no_sign_request = true;
    let (_dir, files) = no_profiles();
    let err = accounts::resolve(
        &Source::Profiles(vec!["a".into()]),
        &Filters::default(),
        &caller,
        &files,
    )
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::from(252));
    assert_eq!(
        err.message(),
        "--profiles cannot be combined with --no-sign-request: accounts are reached with credentials"
    );
}

#[tokio::test]
async fn an_invalid_accounts_file_stops_the_run_before_anything_is_sent() {
    let caller = caller_at(&common::closed_url(), keys());
    let (dir, files) = no_profiles();
    let path = accounts_file(dir.path(), "accounts:\n  - {account_id: '1234', role: R}\n");
    let err = accounts::resolve(
        &Source::File(path.clone()),
        &Filters::default(),
        &caller,
        &files,
    )
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::from(252));
    assert_eq!(
        err.message(),
        format!("--accounts-file {path}, account 1 (1234): account_id \"1234\" must be 12 digits")
    );
    let missing = dir.path().join("missing.yml").to_str().unwrap().to_owned();
    let err = accounts::resolve(
        &Source::File(missing.clone()),
        &Filters::default(),
        &caller,
        &files,
    )
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::from(252));
    assert!(
        err.message()
            .starts_with(&format!("Unable to read --accounts-file {missing}: ")),
        "{err}"
    );
}

#[tokio::test]
async fn an_organization_the_caller_may_not_list_is_a_service_error() {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetCallerIdentity"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                 <GetCallerIdentityResult><Arn>arn:aws:iam::{CALLER_ACCOUNT}:user/test</Arn>\
                 <UserId>AIDATEST</UserId><Account>{CALLER_ACCOUNT}</Account></GetCallerIdentityResult>\
                 <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
            ),
            "text/xml",
        ))
        .mount(&fake)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header(
            "x-amz-target",
            "AWSOrganizationsV20161128.ListAccounts",
        ))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"__type":"AccessDeniedException","Message":"You don't have permissions to access this resource."}"#,
            "application/x-amz-json-1.1",
        ))
        .mount(&fake)
        .await;
    let caller = caller_at(&fake.uri(), keys());
    let (_dir, files) = no_profiles();
    let source = Source::Organization {
        role_name: "OrganizationAccountAccessRole".into(),
        external_id: None,
    };
    let err = accounts::resolve(&source, &Filters::default(), &caller, &files)
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::from(254));
    assert_eq!(
        err.to_string(),
        "An error occurred (AccessDeniedException) when calling the ListAccounts operation: \
         You don't have permissions to access this resource."
    );
}

/// An account reached with the caller's credentials at `endpoint`.
fn account_at(endpoint: &str, regions: Option<Vec<String>>) -> Account {
    Account {
        id: CALLER_ACCOUNT.into(),
        name: Some("prod".into()),
        reach: Reach::Caller,
        regions,
        tags: BTreeMap::new(),
        sdk: caller_at(endpoint, keys()),
    }
}

/// A fake Account Management API answering `ListRegions` in two pages.
async fn fake_list_regions() -> MockServer {
    let fake = MockServer::start().await;
    let region = |name: &str, status: &str| serde_json::json!({"RegionName": name, "RegionOptStatus": status});
    Mock::given(method("POST"))
        .and(path("/listRegions"))
        .and(body_string_contains(r#""NextToken":"page-2""#))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Regions": [
                region("eu-west-1", "ENABLED_BY_DEFAULT"),
                region("me-south-1", "DISABLED"),
                region("ap-east-1", "ENABLING"),
            ]
        })))
        .with_priority(1)
        .mount(&fake)
        .await;
    Mock::given(method("POST"))
        .and(path("/listRegions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Regions": [
                region("us-east-1", "ENABLED_BY_DEFAULT"),
                region("af-south-1", "ENABLED"),
                region("eu-south-2", "DISABLED"),
            ],
            "NextToken": "page-2"
        })))
        .with_priority(2)
        .mount(&fake)
        .await;
    fake
}

#[tokio::test]
async fn all_regions_are_those_the_account_has_enabled_and_the_rest_are_skipped() {
    let fake = fake_list_regions().await;
    let account = account_at(&fake.uri(), None);
    let chosen = regions::of(&account, &Regions::All, "us-east-1")
        .await
        .unwrap();
    assert_eq!(chosen.regions, ["af-south-1", "eu-west-1", "us-east-1"]);
    assert_eq!(chosen.skipped, ["ap-east-1", "eu-south-2", "me-south-1"]);
    // Asked of the account's own endpoint, signed with its credentials.
    let requests = fake.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "two pages");
    let auth = requests[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(auth.contains("Credential=testing/"), "{auth}");
    assert!(auth.contains("/account/aws4_request"), "{auth}");

    // An accounts file's `regions: [all]` asks the same.
    let own = account_at(&fake.uri(), Some(vec!["all".into()]));
    let chosen = regions::of(&own, &Regions::Default, "us-east-1")
        .await
        .unwrap();
    assert_eq!(chosen.regions, ["af-south-1", "eu-west-1", "us-east-1"]);
}

#[tokio::test]
async fn a_refused_region_listing_is_that_account_s_service_error() {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/listRegions"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-amzn-errortype", "AccessDeniedException")
                .set_body_json(serde_json::json!({
                    "message": "not authorized to perform: account:ListRegions"
                })),
        )
        .mount(&fake)
        .await;
    let account = account_at(&fake.uri(), None);
    let err = regions::of(&account, &Regions::All, "us-east-1")
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::from(254));
    assert_eq!(
        err.to_string(),
        "An error occurred (AccessDeniedException) when calling the ListRegions operation: \
         not authorized to perform: account:ListRegions"
    );
}

#[tokio::test]
async fn a_region_name_that_is_not_one_is_refused() {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/listRegions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Regions": [{"RegionName": "evil.example.com/x", "RegionOptStatus": "ENABLED"}]
        })))
        .mount(&fake)
        .await;
    let account = account_at(&fake.uri(), None);
    let err = regions::of(&account, &Regions::All, "us-east-1")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ListingDidNotEnd");
    assert!(
        err.message()
            .starts_with("ListRegions: a region \"evil.example.com/x\" is not a region name"),
        "{err}"
    );
}

#[tokio::test]
async fn a_list_or_the_default_is_used_as_given_without_a_call() {
    // Nothing listens there: a call would fail.
    let account = account_at(&common::closed_url(), None);
    let list = Regions::parse("eu-west-1,us-east-1").unwrap();
    let chosen = regions::of(&account, &list, "us-east-1").await.unwrap();
    assert_eq!(chosen.regions, ["eu-west-1", "us-east-1"]);
    assert!(chosen.skipped.is_empty());
    let chosen = regions::of(&account, &Regions::Default, "ca-central-1")
        .await
        .unwrap();
    assert_eq!(chosen.regions, ["ca-central-1"]);
    // The accounts file's own regions win over --regions.
    let own = account_at(&common::closed_url(), Some(vec!["eu-central-1".into()]));
    let chosen = regions::of(&own, &Regions::All, "us-east-1").await.unwrap();
    assert_eq!(chosen.regions, ["eu-central-1"]);
    // A region's SDK configuration: the region changes, the credentials stay.
    let sdk = own.sdk_in("eu-central-1");
    assert_eq!(
        sdk.config.region().map(|r| r.as_ref()),
        Some("eu-central-1")
    );
    assert_eq!(
        own.sdk.config.region().map(|r| r.as_ref()),
        Some("us-east-1")
    );
    assert!(Arc::ptr_eq(&sdk.log, &own.sdk.log));
}

// --------------------------------------------------------------- with moto

#[tokio::test]
#[ignore = "needs moto_server"]
async fn an_organization_is_its_management_account_and_every_active_member() {
    let moto = moto_endpoint();
    let caller = caller_at(&moto, keys());
    let org = aws_sdk_organizations::Client::new(&caller.config);
    match org
        .create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
    {
        Ok(_) => {}
        // An earlier run on the same moto made it.
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_already_in_organization_exception()) => {}
        Err(e) => panic!("create_organization: {e:?}"),
    }
    let mut members = BTreeMap::new();
    for n in 0..2 {
        let name = format!("member-{n}-{}", fastrand::u32(..));
        let created = org
            .create_account()
            .account_name(&name)
            .email(format!("{name}@example.com"))
            .send()
            .await
            .expect("create_account");
        let id = created
            .create_account_status()
            .and_then(|s| s.account_id())
            .expect("moto creates the account at once")
            .to_owned();
        members.insert(id, name);
    }
    let (_dir, files) = no_profiles();
    let source = Source::Organization {
        role_name: "OrganizationAccountAccessRole".into(),
        external_id: Some("x-123".into()),
    };
    let resolved = accounts::resolve(&source, &Filters::default(), &caller, &files)
        .await
        .expect("the organization resolves");
    let ids: Vec<String> = resolved
        .iter()
        .map(|r| r.as_ref().map(|a| a.id.clone()).unwrap_or_default())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "sorted by account ID");
    let (reached, unreached) = split(resolved);
    assert!(unreached.is_empty(), "{unreached:?}");
    let me = &reached[CALLER_ACCOUNT];
    assert_eq!(
        me.reach,
        Reach::Caller,
        "the management account, as the caller"
    );
    for (id, name) in &members {
        let a = reached
            .get(id)
            .unwrap_or_else(|| panic!("member {id} in {reached:?}"));
        assert_eq!(a.name.as_deref(), Some(name.as_str()));
        assert_eq!(
            a.reach,
            role(
                &[role_arn(id, "OrganizationAccountAccessRole")],
                Some("x-123"),
                None
            )
        );
        assert_eq!(
            a.reach.label(),
            format!("role arn:aws:iam::{id}:role/OrganizationAccountAccessRole")
        );
        // The account's own credentials: moto answers as that account.
        let identity = accounts::identity::of(&a.sdk_in("eu-west-1"))
            .await
            .unwrap();
        assert_eq!(&identity.account, id);
        assert!(
            identity
                .arn
                .contains(":assumed-role/OrganizationAccountAccessRole/"),
            "{}",
            identity.arn
        );
    }

    // Filters: by name and by ID, before anything is assumed.
    let (first, second) = {
        let mut it = members.iter();
        (it.next().unwrap(), it.next().unwrap())
    };
    let filters = Filters::parse(&[], std::slice::from_ref(first.1), &[]).unwrap();
    let (reached, _) = split(
        accounts::resolve(&source, &filters, &caller, &files)
            .await
            .unwrap(),
    );
    assert!(!reached.contains_key(first.0));
    assert!(reached.contains_key(second.0));
    let filters = Filters::parse(std::slice::from_ref(second.0), &[], &[]).unwrap();
    let (reached, _) = split(
        accounts::resolve(&source, &filters, &caller, &files)
            .await
            .unwrap(),
    );
    assert_eq!(reached.keys().collect::<Vec<_>>(), [second.0]);
    let filters = Filters::parse(&["no-such-account".into()], &[], &[]).unwrap();
    let err = accounts::resolve(&source, &filters, &caller, &files)
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "--accounts: no-such-account matches no account of --organization that the other filters keep"
    );
}

#[tokio::test]
#[ignore = "needs moto_server"]
async fn an_accounts_file_reaches_each_account_by_its_role_and_a_refusal_spares_the_others() {
    let moto = moto_endpoint();
    let [prod, denied, hub, spoke, locked] = [(); 5].map(|()| some_account());
    let rules = Rules {
        denied: vec![role_arn(&denied, "Encryptor"), role_arn(&hub, "Locked")],
        ..Rules::default()
    };
    let proxy = Proxy::start(&moto, rules).await;
    let caller = caller_at(&proxy.url, keys());
    let dir = tempfile::tempdir().unwrap();
    let path = accounts_file(
        dir.path(),
        &format!(
            r#"
accounts:
  - account_id: "{prod}"
    name: prod
    role: arn:aws:iam::{prod}:role/Encryptor
    external_id: x-123
    regions: [eu-west-1]
    tags: ["env:prod"]
  - account_id: "{denied}"
    name: denied
    role: Encryptor
  - account_id: "{spoke}"
    name: chained
    role:
      - arn:aws:iam::{hub}:role/Hub
      - arn:aws:iam::{spoke}:role/Spoke
  - account_id: "{locked}"
    name: locked-chain
    role:
      - arn:aws:iam::{hub}:role/Locked
      - arn:aws:iam::{locked}:role/Spoke
"#
        ),
    );
    let (_profiles, files) = no_profiles();
    let resolved = accounts::resolve(
        &Source::File(path.clone()),
        &Filters::default(),
        &caller,
        &files,
    )
    .await
    .expect("the file resolves");
    let order: Vec<String> = resolved
        .iter()
        .map(|r| match r {
            Ok(a) => a.display_name().to_owned(),
            Err(u) => u.display_name(),
        })
        .collect();
    assert_eq!(
        order,
        ["prod", "denied", "chained", "locked-chain"],
        "the file's order"
    );
    let (reached, unreached) = split(resolved);

    let a = &reached[&prod];
    assert_eq!(a.name.as_deref(), Some("prod"));
    assert_eq!(a.regions, Some(vec!["eu-west-1".to_owned()]));
    assert_eq!(a.tags.get("env").map(String::as_str), Some("prod"));
    let chained = &reached[&spoke];
    assert_eq!(
        chained.reach,
        role(
            &[role_arn(&hub, "Hub"), role_arn(&spoke, "Spoke")],
            None,
            None
        )
    );

    let refused = &unreached["denied"];
    assert_eq!(refused.id.as_deref(), Some(denied.as_str()));
    assert!(
        matches!(&refused.error, CliError::Service { operation: "AssumeRole", code, .. } if code == "AccessDenied"),
        "{:?}",
        refused.error
    );
    assert!(
        refused
            .error
            .message()
            .ends_with(&role_arn(&denied, "Encryptor")),
        "{}",
        refused.error
    );
    assert_eq!(
        refused.error.to_string(),
        format!(
            "An error occurred (AccessDenied) when calling the AssumeRole operation: \
             User: arn:aws:iam::{CALLER_ACCOUNT}:user/test is not authorized to perform: \
             sts:AssumeRole on resource: {}",
            role_arn(&denied, "Encryptor")
        )
    );
    // The first role of a chain refused: the chain stops there.
    let stopped = &unreached["locked-chain"];
    assert_eq!(stopped.error.code(), "AccessDenied");
    assert!(
        stopped.error.message().ends_with(&role_arn(&hub, "Locked")),
        "{}",
        stopped.error
    );

    // What STS was asked: each role once per account, a chain in order,
    // the external ID and the tool's session name.
    let roles = proxy.roles();
    let position = |arn: &str| roles.iter().position(|r| r == arn);
    assert!(
        position(&role_arn(&hub, "Hub")) < position(&role_arn(&spoke, "Spoke")),
        "{roles:?}"
    );
    assert!(
        !roles.contains(&role_arn(&locked, "Spoke")),
        "never tried: {roles:?}"
    );
    let prod_request = proxy
        .assumed()
        .into_iter()
        .find(|f| f.get("RoleArn") == Some(&role_arn(&prod, "Encryptor")))
        .expect("prod's role was assumed");
    assert_eq!(
        prod_request.get("ExternalId").map(String::as_str),
        Some("x-123")
    );
    assert_eq!(
        prod_request.get("RoleSessionName").map(String::as_str),
        Some("start-delivery-stream-encryption")
    );

    // Tags keep accounts of the file before anything is assumed.
    let before = proxy.assumed().len();
    let filters = Filters::parse(&[], &[], &["env:prod".into()]).unwrap();
    let (reached, unreached) = split(
        accounts::resolve(&Source::File(path), &filters, &caller, &files)
            .await
            .unwrap(),
    );
    assert_eq!(reached.keys().collect::<Vec<_>>(), [&prod]);
    assert!(unreached.is_empty());
    let asked: Vec<String> = proxy.roles()[before..].to_vec();
    assert_eq!(asked, [role_arn(&prod, "Encryptor")]);
}

#[tokio::test]
#[ignore = "needs moto_server"]
async fn profiles_with_role_arn_and_source_profile_reach_their_own_accounts() {
    let moto = moto_endpoint();
    let member = some_account();
    let fromfile = some_account();
    let (_dir, files) = config_file(&format!(
        "[profile base]\n\
         aws_access_key_id = testing\n\
         aws_secret_access_key = testing\n\
         \n\
         [profile member]\n\
         role_arn = arn:aws:iam::{member}:role/Admin\n\
         source_profile = base\n\
         \n\
         [profile same]\n\
         aws_access_key_id = other\n\
         aws_secret_access_key = other\n"
    ));
    // Profiles do not use the caller's credentials: it has none. The
    // profiles name no endpoint: the role is assumed at the caller's.
    let caller = caller_at(&moto, no_credentials());
    let source = Source::Profiles(vec!["member".into(), "base".into(), "same".into()]);
    let resolved = accounts::resolve(&source, &Filters::default(), &caller, &files)
        .await
        .expect("the profiles resolve");
    let (reached, unreached) = split(resolved);
    let a = &reached[&member];
    assert_eq!(a.reach, Reach::Profile("member".into()));
    assert_eq!(a.name.as_deref(), Some("member"));
    assert_eq!(reached[CALLER_ACCOUNT].reach, Reach::Profile("base".into()));
    // "same" reaches moto's default account too: one way in is enough.
    let twice = &unreached["same"];
    assert_eq!(twice.error.code(), "DuplicateAccount");
    assert_eq!(
        twice.error.message(),
        format!(
            "profile same reaches account {CALLER_ACCOUNT}, already reached through profile base"
        )
    );

    // --accounts by ID: a profile's ID is known once reached.
    let filters = Filters::parse(std::slice::from_ref(&member), &[], &[]).unwrap();
    let (reached, unreached) = split(
        accounts::resolve(&source, &filters, &caller, &files)
            .await
            .unwrap(),
    );
    assert_eq!(reached.keys().collect::<Vec<_>>(), [&member]);
    assert!(unreached.is_empty(), "{unreached:?}");

    // A role assumed from a profile (an accounts file's `profile`).
    let dir = tempfile::tempdir().unwrap();
    let path = accounts_file(
        dir.path(),
        &format!(
            "accounts:\n  - account_id: \"{fromfile}\"\n    profile: base\n    role: arn:aws:iam::{fromfile}:role/Encryptor\n"
        ),
    );
    let (reached, unreached) = split(
        accounts::resolve(&Source::File(path), &Filters::default(), &caller, &files)
            .await
            .unwrap(),
    );
    assert!(unreached.is_empty(), "{unreached:?}");
    assert_eq!(
        reached[&fromfile].reach.label(),
        format!("role arn:aws:iam::{fromfile}:role/Encryptor from profile base")
    );
}

#[tokio::test]
async fn a_profile_that_does_not_exist_stops_the_run_before_anything_is_sent() {
    let (_dir, files) =
        config_file("[profile base]\naws_access_key_id = a\naws_secret_access_key = b\n");
    // Nothing listens there: a request would fail, not this check.
    let caller = caller_at(&common::closed_url(), keys());
    let err = accounts::resolve(
        &Source::Profiles(vec!["base".into(), "nope".into(), "typo".into()]),
        &Filters::default(),
        &caller,
        &files,
    )
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), ExitCode::from(253));
    assert_eq!(
        err.message(),
        "The config profiles (nope, typo) could not be found (named by --profiles)"
    );
}
