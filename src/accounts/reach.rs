//! How an account is reached: the caller's credentials, a profile, or a
//! role (chain); and the one-line label that records it in a run's
//! `Targets` and plans, and reads back ([`Reach::from_label`]). Never a
//! secret: the external ID is not in the label.

use std::fmt;

/// How an account is reached; recorded in the run's `Targets` (and later in
/// plans), never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// With the caller's own credentials.
    Caller,
    /// With the credentials of a named profile of the config files (which
    /// may itself assume a role: `role_arn` with `source_profile`).
    Profile(String),
    /// By assuming a role, or a chain of roles (each assumed with the
    /// credentials of the one before), starting from the caller's
    /// credentials or from `profile`'s.
    Role {
        /// The role ARNs, in the order they are assumed.
        arns: Vec<String>,
        /// The external ID passed to every `AssumeRole` of the chain.
        external_id: Option<String>,
        /// The source profile of the first `AssumeRole`, if not the caller.
        profile: Option<String>,
    },
}

impl Reach {
    /// A one-line description that [`Reach::from_label`] reads back:
    /// `caller`, `profile prod`, `role arn:aws:iam::111111111111:role/X`,
    /// `role ARN1 -> ARN2 from profile prod`. The external ID is left out.
    pub fn label(&self) -> String {
        match self {
            Reach::Caller => "caller".to_owned(),
            Reach::Profile(name) => format!("profile {name}"),
            Reach::Role { arns, profile, .. } => {
                let chain = arns.join(" -> ");
                match profile {
                    Some(name) => format!("role {chain} from profile {name}"),
                    None => format!("role {chain}"),
                }
            }
        }
    }

    /// The reach a [`Reach::label`] describes, with `external_id` for a
    /// role (a label never records it); `None` for any other text. An ARN
    /// holds no space, so the words after the chain are unambiguous.
    pub fn from_label(label: &str, external_id: Option<String>) -> Option<Reach> {
        if label == "caller" {
            return Some(Reach::Caller);
        }
        if let Some(name) = label.strip_prefix("profile ") {
            return (!name.is_empty()).then(|| Reach::Profile(name.to_owned()));
        }
        let rest = label.strip_prefix("role ")?;
        let (chain, profile) = match rest.split_once(" from profile ") {
            Some((chain, name)) if !name.is_empty() => (chain, Some(name.to_owned())),
            Some(_) => return None,
            None => (rest, None),
        };
        let arns: Vec<String> = chain.split(" -> ").map(str::to_owned).collect();
        if arns.iter().any(|a| a.is_empty() || a.contains(' ')) {
            return None;
        }
        Some(Reach::Role {
            arns,
            external_id,
            profile,
        })
    }

    /// The profile whose credentials this reach starts from, if any.
    pub fn profile(&self) -> Option<&str> {
        match self {
            Reach::Caller => None,
            Reach::Profile(name) => Some(name),
            Reach::Role { profile, .. } => profile.as_deref(),
        }
    }

    /// Whether this reach starts from the caller's own credentials.
    pub fn uses_caller(&self) -> bool {
        matches!(self, Reach::Caller | Reach::Role { profile: None, .. })
    }
}

impl fmt::Display for Reach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(arns: &[&str], profile: Option<&str>) -> Reach {
        Reach::Role {
            arns: arns.iter().map(|a| (*a).to_owned()).collect(),
            external_id: Some("secret-ish".to_owned()),
            profile: profile.map(str::to_owned),
        }
    }

    #[test]
    fn labels_name_the_way_in_and_never_the_external_id() {
        assert_eq!(Reach::Caller.label(), "caller");
        assert_eq!(Reach::Profile("prod".into()).label(), "profile prod");
        let one = role(&["arn:aws:iam::111111111111:role/X"], None);
        assert_eq!(one.label(), "role arn:aws:iam::111111111111:role/X");
        let chain = role(
            &[
                "arn:aws:iam::111111111111:role/Hub",
                "arn:aws:iam::222222222222:role/Spoke",
            ],
            Some("sso admin"),
        );
        assert_eq!(
            chain.label(),
            "role arn:aws:iam::111111111111:role/Hub -> arn:aws:iam::222222222222:role/Spoke from profile sso admin"
        );
        assert!(!chain.label().contains("secret-ish"));
        assert_eq!(chain.to_string(), chain.label());
    }

    #[test]
    fn a_label_reads_back_into_the_same_reach() {
        for reach in [
            Reach::Caller,
            Reach::Profile("prod".into()),
            Reach::Profile("with spaces and from profile x".into()),
            role(&["arn:aws:iam::111111111111:role/a,b=c@d"], None),
            role(
                &[
                    "arn:aws:iam::111111111111:role/path/Hub",
                    "arn:aws-us-gov:iam::222222222222:role/Spoke",
                ],
                Some("sso admin"),
            ),
        ] {
            let external = match &reach {
                Reach::Role { external_id, .. } => external_id.clone(),
                _ => None,
            };
            assert_eq!(
                Reach::from_label(&reach.label(), external),
                Some(reach.clone()),
                "{}",
                reach.label()
            );
        }
        for bad in [
            "",
            "Caller",
            "profile ",
            "role ",
            "role a ->  -> b",
            "role a from profile ",
            "user x",
        ] {
            assert_eq!(Reach::from_label(bad, None), None, "{bad:?}");
        }
    }

    #[test]
    fn which_reaches_start_from_the_caller() {
        assert!(Reach::Caller.uses_caller());
        assert!(role(&["arn:aws:iam::111111111111:role/X"], None).uses_caller());
        assert!(!role(&["arn:aws:iam::111111111111:role/X"], Some("p")).uses_caller());
        assert!(!Reach::Profile("p".into()).uses_caller());
        assert_eq!(Reach::Profile("p".into()).profile(), Some("p"));
    }
}
