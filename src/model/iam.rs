//! IAM: users, roles (including service-linked roles) and their identity policies, per account.
//!
//! The KMS authorization point asks this module for the identity policies of a principal.

use super::codes::IamCode;
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::provider::Provider;
use super::{Caller, Sim, Table};
use crate::json;
use crate::model::Handler;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What an IAM principal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrincipalKind {
    /// An IAM user.
    User,
    /// An IAM role (service-linked roles too).
    Role,
}

impl PrincipalKind {
    /// The word IAM uses in ARNs (`user/…`, `role/…`) and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
        }
    }
}

/// A user or role.
#[derive(Clone, Debug, Serialize)]
pub struct Principal {
    /// User or role.
    pub kind: PrincipalKind,
    /// Name.
    pub name: String,
    /// Path (`/`, `/aws-service-role/autoscaling.amazonaws.com/`).
    pub path: String,
    /// ARN.
    pub arn: String,
    /// Unique id.
    pub id: String,
    /// Inline policies by name.
    pub inline: BTreeMap<String, Value>,
    /// Attached managed policy ARNs.
    pub attached: Vec<String>,
    /// Trust policy (roles).
    pub trust: Option<Value>,
    /// Simulated creation time.
    pub created: u64,
    /// The role's description, if it was given one.
    pub description: Option<String>,
}

/// Seconds a role's sessions last at most unless it says otherwise (CreateRole's
/// `MaxSessionDuration` default, API_CreateRole).
const MAX_SESSION_DURATION: u64 = 3600;

impl Principal {
    /// The User or Role structure IAM returns. `detail` adds what only GetRole gives
    /// (`RoleLastUsed`). The trust policy is an object: IAM returns it URL-encoded and botocore
    /// decodes it for the AWS CLI (botocore handlers.py, `json_decode_policies`), so the CLI
    /// prints the document itself.
    pub fn to_json(&self, detail: bool) -> Value {
        let user = self.kind == PrincipalKind::User;
        let mut v = json!({"Path": self.path});
        v[if user { "UserName" } else { "RoleName" }] = json!(self.name);
        v[if user { "UserId" } else { "RoleId" }] = json!(self.id);
        v["Arn"] = json!(self.arn);
        v["CreateDate"] = json!(super::clock::iso(self.created));
        if !user {
            v["AssumeRolePolicyDocument"] = self.trust.clone().unwrap_or_else(|| json!({}));
            if let Some(d) = &self.description {
                v["Description"] = json!(d);
            }
            v["MaxSessionDuration"] = json!(MAX_SESSION_DURATION);
            if detail {
                v["RoleLastUsed"] = json!({});
            }
        }
        v
    }
}

impl Principal {
    /// True for the service-linked roles AWS services create (path `/aws-service-role/…`).
    pub fn is_service_linked(&self) -> bool {
        self.path.starts_with("/aws-service-role/")
    }

    /// Who the role's trust policy lets assume it: the principals of its `Allow` statements, as
    /// `AWS arn:…`, `Service ec2.amazonaws.com` or `*`. Empty for users.
    pub fn trusted(&self) -> Vec<String> {
        let Some(doc) = &self.trust else {
            return Vec::new();
        };
        let statements = match &doc["Statement"] {
            Value::Array(list) => list.iter().collect(),
            one @ Value::Object(_) => vec![one],
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for st in statements.into_iter().filter(|s| s["Effect"] == "Allow") {
            match &st["Principal"] {
                Value::String(any) => out.push(any.clone()),
                Value::Object(kinds) => {
                    for (kind, values) in kinds {
                        let names = match values {
                            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                            v => v.as_str().into_iter().collect::<Vec<_>>(),
                        };
                        out.extend(names.into_iter().map(|n| format!("{kind} {n}")));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// All accounts' IAM state.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Iam {
    /// ARN → principal.
    pub principals: Table<Principal>,
}

/// The managed policy of the Auto Scaling service-linked role: it covers AWS managed keys only
/// (seed 004: "they do not include access to your customer managed keys").
fn managed_policy(arn: &str) -> Option<Value> {
    match arn.rsplit('/').next()? {
        "AdministratorAccess" => Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        ),
        "AWSKeyManagementServicePowerUser" => Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"}]}),
        ),
        "AutoScalingServiceRolePolicy" | "AWSEC2SpotServiceRolePolicy" => Some(
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "EC2InstanceManagement", "Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:TerminateInstances", "ec2:CreateTags"], "Resource": "*"}]}),
        ),
        _ => None,
    }
}

impl Iam {
    /// Makes sure an account's service-linked roles exist.
    pub fn ensure_account(&mut self, provider: &Provider, account: &str) {
        for (service, name, policy) in SERVICE_LINKED_ROLES {
            let service = provider.service_principal(service);
            let path = provider.service_linked_role_path(&service);
            let arn = provider.iam_arn(account, &format!("role{path}{name}"));
            self.principals.entry(arn.clone()).or_insert_with(|| Box::new(Principal {
                kind: PrincipalKind::Role,
                name: name.into(),
                path,
                id: super::network::derived_iam_id("AROA", &arn),
                arn,
                inline: BTreeMap::new(),
                attached: vec![provider.managed_policy_arn(&format!("aws-service-role/{policy}"))],
                trust: Some(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})),
                created: 0,
                description: None,
            }));
        }
    }

    /// The user or role a principal ARN acts as: itself, or for an `assumed-role` session
    /// (`arn:aws:sts::ACCT:assumed-role/NAME/SESSION`) the role NAME of ACCT, whatever its path.
    pub fn acting_as(&self, provider: &Provider, principal: &str) -> Option<&Principal> {
        if let Some(p) = self.principals.get(principal) {
            return Some(p);
        }
        let (account, session) = provider.parse_assumed_role(principal)?;
        let name = session.split('/').next()?;
        let in_account = provider.iam_arn(account, "");
        self.principals.values().map(|p| &**p).find(|p| {
            p.kind == PrincipalKind::Role && p.name == name && p.arn.starts_with(&in_account)
        })
    }

    /// The identity policies that apply to a principal ARN (inline and attached), by name.
    /// `assumed-role` session ARNs get their role's.
    pub fn identity_policies(&self, provider: &Provider, principal: &str) -> Vec<(String, Value)> {
        let Some(p) = self.acting_as(provider, principal) else {
            return vec![];
        };
        let mut out: Vec<(String, Value)> = p
            .inline
            .iter()
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        for a in &p.attached {
            if let Some(doc) = managed_policy(a) {
                out.push((a.rsplit('/').next().unwrap_or(a).to_string(), doc));
            }
        }
        out
    }
}

/// The service-linked roles every account has: the service (as the provider names its
/// principal), the role name and its managed policy.
const SERVICE_LINKED_ROLES: [(&str, &str, &str); 2] = [
    (
        "autoscaling",
        "AWSServiceRoleForAutoScaling",
        "AutoScalingServiceRolePolicy",
    ),
    (
        "spot",
        "AWSServiceRoleForEC2Spot",
        "AWSEC2SpotServiceRolePolicy",
    ),
];

impl Sim {
    pub(crate) fn iam_find(
        &self,
        account: &str,
        kind: PrincipalKind,
        name: &str,
    ) -> AwsResult<String> {
        self.iam
            .principals
            .values()
            .find(|p| p.kind == kind && p.name == name && p.arn.contains(&format!("::{account}:")))
            .map(|p| p.arn.clone())
            .ok_or_else(|| {
                AwsError::new(
                    IamCode::NoSuchEntity,
                    format!("The {} with name {name} cannot be found.", kind.as_str()),
                )
            })
    }

    /// `CreateUser` and `CreateRole`.
    pub(crate) fn create_user_or_role(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let op = q.operation();
        let acct = caller.account.clone();
        let user_name = q.opt_str("UserName")?;
        let role_name = q.opt_str("RoleName")?;
        let assume_role_policy_document = q.opt_str("AssumeRolePolicyDocument")?;
        let path = q.opt_str("Path")?;
        let description = q.opt_str("Description")?;
        if q.opt_str("PermissionsBoundary")?.is_some() {
            return Err(AwsError::new(
                IamCode::ValidationError,
                "Permissions boundaries are not modelled by this playground: leave out --permissions-boundary.",
            ));
        }
        let (kind, name) = match (op, user_name, role_name) {
            ("CreateUser", Some(n), _) => (PrincipalKind::User, n),
            ("CreateRole", _, Some(n)) => (PrincipalKind::Role, n),
            _ => {
                return Err(AwsError::new(
                    IamCode::ValidationError,
                    "A name is required.",
                ))
            }
        };
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
        {
            return Err(AwsError::new(
                IamCode::ValidationError,
                format!("The specified value for {}Name is invalid.", kind.as_str()),
            ));
        }
        let trust = match (kind, assume_role_policy_document) {
            (PrincipalKind::Role, Some(d)) => Some(
                super::policy::validate_trust_policy(&d)
                    .map_err(|m| AwsError::new(IamCode::MalformedPolicyDocument, m))?,
            ),
            (PrincipalKind::Role, None) => {
                return Err(AwsError::new(
                    IamCode::ValidationError,
                    "AssumeRolePolicyDocument is required.",
                ))
            }
            _ => None,
        };
        let path = path.unwrap_or_else(|| "/".into());
        if !path.starts_with('/') || !path.ends_with('/') {
            return Err(AwsError::new(
                IamCode::ValidationError,
                "The path must begin and end with /.",
            ));
        }
        let arn = self
            .provider
            .iam_arn(&acct, &format!("{}{path}{name}", kind.as_str()));
        if self.iam_find(&acct, kind, &name).is_ok() {
            return Err(AwsError::new(
                IamCode::EntityAlreadyExists,
                format!(
                    "{} with name {name} already exists.",
                    if kind == PrincipalKind::User {
                        "User"
                    } else {
                        "Role"
                    }
                ),
            ));
        }
        let id = format!(
            "{}{}",
            if kind == PrincipalKind::User {
                "AIDA"
            } else {
                "AROA"
            },
            self.rng.token()[..17].to_ascii_uppercase()
        );
        self.iam.principals.insert(
            arn.clone(),
            Box::new(Principal {
                kind,
                name: name.clone(),
                path: path.clone(),
                arn: arn.clone(),
                id: id.clone(),
                inline: BTreeMap::new(),
                attached: vec![],
                trust: trust.clone(),
                created: self.now,
                description: description.filter(|_| kind == PrincipalKind::Role),
            }),
        );
        let body = self.iam.principals[&arn].to_json(false);
        Ok(if kind == PrincipalKind::User {
            json!({"User": body})
        } else {
            json!({"Role": body})
        })
    }

    /// `GetRole`.
    pub(crate) fn get_role(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let acct = caller.account.clone();
        let name = q.str("RoleName")?;
        let arn = self.iam_find(&acct, PrincipalKind::Role, &name)?;
        Ok(json!({"Role": self.iam.principals[&arn].to_json(true)}))
    }

    /// `UpdateAssumeRolePolicy`.
    pub(crate) fn update_assume_role_policy(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let acct = caller.account.clone();
        let (name, doc) = (q.str("RoleName")?, q.str("PolicyDocument")?);
        let arn = self.iam_find(&acct, PrincipalKind::Role, &name)?;
        if arn.contains(":role/aws-service-role/") {
            return Err(AwsError::new(IamCode::UnmodifiableEntity, format!("Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS")));
        }
        let doc = super::policy::validate_trust_policy(&doc)
            .map_err(|m| AwsError::new(IamCode::MalformedPolicyDocument, m))?;
        if let Some(r) = self.iam.principals.get_mut(&arn) {
            r.trust = Some(doc);
        }
        Ok(json!({}))
    }

    /// `CreateServiceLinkedRole`.
    pub(crate) fn create_service_linked_role(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let acct = caller.account.clone();
        let service = q.str("AWSServiceName")?;
        let known = SERVICE_LINKED_ROLES
            .iter()
            .find(|(s, _, _)| self.provider.service_principal(s) == service);
        let name = match known {
            Some((_, name, _)) => *name,
            None => {
                let other = &service;
                return Err(AwsError::new(
                    IamCode::InvalidInput,
                    format!("Service role name for {other} is not modelled by the playground."),
                ));
            }
        };
        let arn = self.iam_find(&acct, PrincipalKind::Role, name)?;
        Err(AwsError::new(IamCode::InvalidInput, format!("Service role name {name} has been taken in this account, please try a different suffix. ({arn})")))
    }

    /// `PutRolePolicy` and `PutUserPolicy`.
    pub(crate) fn put_inline_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let op = q.operation();
        let acct = caller.account.clone();
        let (policy_name, policy_document) = (q.str("PolicyName")?, q.str("PolicyDocument")?);
        let arn = match (op, q.opt_str("RoleName")?, q.opt_str("UserName")?) {
            ("PutRolePolicy", Some(r), _) => self.iam_find(&acct, PrincipalKind::Role, &r)?,
            ("PutUserPolicy", _, Some(u)) => self.iam_find(&acct, PrincipalKind::User, &u)?,
            _ => {
                return Err(AwsError::new(
                    IamCode::ValidationError,
                    "RoleName or UserName is required.",
                ))
            }
        };
        let doc = super::policy::validate_policy(&policy_document)
            .map_err(|m| AwsError::new(IamCode::MalformedPolicyDocument, m))?;
        if let Some(pr) = self.iam.principals.get_mut(&arn) {
            pr.inline.insert(policy_name, doc);
        }
        Ok(json!({}))
    }

    /// `AttachRolePolicy` and `AttachUserPolicy`.
    pub(crate) fn attach_managed_policy(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let op = q.operation();
        let acct = caller.account.clone();
        let role_name = q.opt_str("RoleName")?;
        let user_name = q.opt_str("UserName")?;
        let policy_arn = q.str("PolicyArn")?;
        if managed_policy(&policy_arn).is_none() {
            return Err(AwsError::new(IamCode::NoSuchEntity, format!("Policy {} does not exist or is not attachable. The playground knows AdministratorAccess and AWSKeyManagementServicePowerUser.", policy_arn)));
        }
        let arn = match (op, role_name, user_name) {
            ("AttachRolePolicy", Some(r), _) => self.iam_find(&acct, PrincipalKind::Role, &r)?,
            ("AttachUserPolicy", _, Some(u)) => self.iam_find(&acct, PrincipalKind::User, &u)?,
            _ => {
                return Err(AwsError::new(
                    IamCode::ValidationError,
                    "RoleName or UserName is required.",
                ))
            }
        };
        if let Some(pr) = self.iam.principals.get_mut(&arn) {
            if !pr.attached.contains(&policy_arn) {
                pr.attached.push(policy_arn);
            }
        }
        Ok(json!({}))
    }

    /// `ListRoles` and `ListUsers`.
    pub(crate) fn list_roles_or_users(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let op = q.operation();
        let acct = caller.account.clone();
        let kind = if op == "ListRoles" {
            PrincipalKind::Role
        } else {
            PrincipalKind::User
        };
        let list: Vec<Value> = self
            .iam
            .principals
            .values()
            .filter(|p| p.kind == kind && p.arn.contains(&format!("::{acct}:")))
            .map(|p| p.to_json(false))
            .collect();
        Ok(if kind == PrincipalKind::Role {
            json!({"Roles": list})
        } else {
            json!({"Users": list})
        })
    }
}

/// The method that answers each IAM operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("CreateUser", Sim::create_user_or_role),
    ("CreateRole", Sim::create_user_or_role),
    ("GetRole", Sim::get_role),
    ("UpdateAssumeRolePolicy", Sim::update_assume_role_policy),
    ("CreateServiceLinkedRole", Sim::create_service_linked_role),
    ("PutRolePolicy", Sim::put_inline_policy),
    ("PutUserPolicy", Sim::put_inline_policy),
    ("AttachRolePolicy", Sim::attach_managed_policy),
    ("AttachUserPolicy", Sim::attach_managed_policy),
    ("ListRoles", Sim::list_roles_or_users),
    ("ListUsers", Sim::list_roles_or_users),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn role(trust: Value) -> Principal {
        Principal {
            kind: PrincipalKind::Role,
            name: "r".into(),
            path: "/".into(),
            arn: "arn:aws:iam::111122223333:role/r".into(),
            id: "AROAEXAMPLE".into(),
            inline: BTreeMap::new(),
            attached: vec![],
            trust: Some(trust),
            created: 0,
            description: None,
        }
    }

    /// The members and JSON types of API_Role and API_User (IAM API reference), with the trust
    /// policy as the object the AWS CLI prints.
    #[test]
    fn roles_and_users_have_iams_members() {
        let doc = json!({"Version": "2012-10-17", "Statement": []});
        let r = role(doc.clone()).to_json(true);
        assert_eq!(r["AssumeRolePolicyDocument"], doc);
        assert_eq!(r["MaxSessionDuration"], 3600);
        assert_eq!(r["RoleLastUsed"], json!({}));
        assert!(r["CreateDate"].as_str().is_some_and(|d| d.ends_with('Z')));
        for k in ["Path", "RoleName", "RoleId", "Arn"] {
            assert!(r[k].is_string(), "{k}");
        }
        assert!(role(doc.clone())
            .to_json(false)
            .get("RoleLastUsed")
            .is_none());
        let u = Principal {
            kind: PrincipalKind::User,
            trust: None,
            ..role(doc)
        }
        .to_json(false);
        let keys: Vec<&str> = u.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["Path", "UserName", "UserId", "Arn", "CreateDate"]);
    }

    #[test]
    fn trusted_lists_the_allow_statements_principals() {
        let r = role(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:user/alice"], "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "sts:AssumeRole"},
        ]}));
        assert_eq!(
            r.trusted(),
            [
                "AWS arn:aws:iam::444455556666:root",
                "AWS arn:aws:iam::111122223333:user/alice",
                "Service ec2.amazonaws.com"
            ]
        );
        let anyone = role(
            json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}}),
        );
        assert_eq!(anyone.trusted(), ["*"]);
        let user = Principal {
            trust: None,
            ..role(json!({}))
        };
        assert!(user.trusted().is_empty());
    }
}
