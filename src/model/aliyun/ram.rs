//! RAM: users, custom and system policies, roles (AliyunECSDiskEncryptDefaultRole), and the one
//! place a caller's request is authorized (`ali_authorize`), through the policy evaluator.
//!
//! RAM policies (`Version "1"`, Effect, Action, Resource, Condition) have the shape the
//! evaluator in `policy/` reads, so `policy::evaluate_identity` decides them: an explicit Deny
//! wins, otherwise an Allow is needed. The account (its root, `acs:ram::UID:root`) may do
//! everything. The system policies' documents are the playground's reading of their names
//! (Alibaba publishes them in the RAM console, not in the API reference): labelled inferred.

use super::*;
use crate::model::codes::{AliKmsCode, AliRamCode};
use crate::model::context::Context;
use crate::model::policy;
use crate::model::trace::{AuthDecision, Participant};

/// The system policies the playground knows, with the documents it gives them (inferred from
/// their names and Alibaba's descriptions: "read-only access to KMS", …).
pub(crate) fn system_policy(name: &str) -> Option<Value> {
    let allow = |actions: &[&str]| json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    Some(match name {
        "AdministratorAccess" => allow(&["*"]),
        "AliyunECSFullAccess" => allow(&["ecs:*"]),
        "AliyunKMSFullAccess" => allow(&["kms:*"]),
        "AliyunKMSReadOnlyAccess" => allow(&["kms:Describe*", "kms:List*", "kms:Get*"]),
        "AliyunRAMFullAccess" => allow(&["ram:*"]),
        // The role policy ECS's disk-encryption role carries: what ECS needs to encrypt disks
        // with the account's CMKs (inferred: Alibaba names the policy, not its statements).
        "AliyunECSDiskEncryptRolePolicy" => allow(&[
            "kms:DescribeKey",
            "kms:ListKeys",
            "kms:ListAliases",
            "kms:GenerateDataKey",
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:TagResource",
        ]),
        _ => return None,
    })
}

/// The system policies, for views (name, description).
pub const SYSTEM_POLICIES: &[(&str, &str)] = &[
    ("AdministratorAccess", "Full access to all Alibaba Cloud resources."),
    ("AliyunECSFullAccess", "Full access to ECS."),
    ("AliyunKMSFullAccess", "Full access to KMS."),
    (
        "AliyunKMSReadOnlyAccess",
        "Read-only access to KMS: Describe, List, Get.",
    ),
    ("AliyunRAMFullAccess", "Full access to RAM."),
    (
        "AliyunECSDiskEncryptRolePolicy",
        "What ECS needs to encrypt disks with your CMKs (attached to AliyunECSDiskEncryptDefaultRole).",
    ),
];

/// The message Alibaba gives with `Forbidden.RAM`.
const FORBIDDEN: &str =
    "User not authorized to operate on the specified resource, or this API doesn't support RAM.";

impl Sim {
    /// The identity policies of a principal: a RAM user's or a role session's attached
    /// policies, by name. The root account has none (it needs none).
    pub(crate) fn ram_policies_of(&self, principal: &str) -> Vec<(String, Value)> {
        let attached = match self.provider.parse_global_arn("ram", principal) {
            Some((account, resource)) => if let Some(user) = resource.strip_prefix("user/") {
                self.aliyun
                    .ram
                    .users
                    .get(&format!("{account}:{user}"))
                    .map(|u| u.policies.clone())
            } else if let Some(session) = resource.strip_prefix("role/") {
                // `role/NAME/SESSION`: a session of the role acts with the role's policies.
                let role = session.split('/').next().unwrap_or("");
                self.aliyun
                    .ram
                    .roles
                    .get(&format!("{account}:{role}"))
                    .map(|r| r.policies.clone())
            } else {
                None
            }
            .map(|list| (account.to_string(), list)),
            None => None,
        };
        let Some((account, list)) = attached else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|(kind, name)| {
                let doc = match kind.as_str() {
                    "System" => system_policy(name),
                    _ => self
                        .aliyun
                        .ram
                        .policies
                        .get(&format!("{account}:{name}"))
                        .map(|p| p.document.clone()),
                };
                doc.map(|d| (format!("{kind}:{name}"), d))
            })
            .collect()
    }

    /// Authorizes `action` on `resource` for the caller, with `ctx` holding the request's
    /// condition keys (`ecs:IsDiskEncrypted`). The account root may do everything; a RAM
    /// user or role session needs an Allow and no Deny in its policies. The decision is stored
    /// on the current call to `to`; a denial is `Forbidden.RAM` (KMS: `Forbidden.NoPermission`).
    pub(crate) fn ali_authorize(
        &mut self,
        principal: &str,
        account: &str,
        to: Participant,
        action: &str,
        resource: &str,
        ctx: &Context,
    ) -> AwsResult<()> {
        if principal == self.provider.root_arn(account) {
            self.record_auth(
                to,
                AuthDecision {
                    allowed: true,
                    reason: format!("Allowed: {principal} is the account itself (its root identity), which RAM never restricts."),
                    steps: vec![format!("Request: {principal} calls {action} on {resource}."), "Decision: ALLOWED. The account may do anything in itself.".into()],
                },
            );
            return Ok(());
        }
        let policies = self.ram_policies_of(principal);
        let req = policy::Request {
            encryption_context: ctx,
            ..policy::Request::new(principal, account, action, resource, account)
        };
        let d = policy::evaluate_identity(&req, &policies);
        let allowed = d.allowed;
        let reason = d.reason.clone();
        self.record_auth(
            to,
            AuthDecision {
                allowed,
                reason: d.reason,
                steps: d.steps,
            },
        );
        if allowed {
            return Ok(());
        }
        Err(match to {
            Participant::Kms => AwsError::new(
                AliKmsCode::NoPermission,
                format!("This operation is forbidden by permission system. ({reason})"),
            ),
            Participant::Ram => {
                AwsError::new(AliRamCode::ForbiddenRam, format!("{FORBIDDEN} ({reason})"))
            }
            _ => AwsError::new(AliEcsCode::ForbiddenRam, format!("{FORBIDDEN} ({reason})")),
        })
    }

    /// Authorizes a RAM request of the caller (`ram:ACTION` on the account).
    fn ram_authorize(&mut self, caller: &Caller, action: &str) -> AwsResult<()> {
        let resource = self.provider.arn("ram", "", &caller.account, "*");
        self.ali_authorize(
            &caller.principal,
            &caller.account,
            Participant::Ram,
            &format!("ram:{action}"),
            &resource,
            &Context::new(),
        )
    }

    fn ram_numeric_id(&mut self) -> String {
        let b: [u8; 8] = self.rng.bytes();
        let n = u64::from_be_bytes(b) % 9_000_000_000_000_000 + 1_000_000_000_000_000;
        n.to_string()
    }

    pub(crate) fn ram_create_user(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "CreateUser")?;
        let name = q.str("UserName")?;
        check_name(&name, "UserName")?;
        let k = format!("{}:{name}", caller.account);
        if self.aliyun.ram.users.contains_key(&k) {
            return Err(AwsError::new(
                AliRamCode::UserExists,
                format!("The user {name} already exists."),
            ));
        }
        let user = RamUser {
            name: name.clone(),
            account: caller.account.clone(),
            display_name: q.opt_str("DisplayName")?.unwrap_or(name.clone()),
            user_id: self.ram_numeric_id(),
            created: self.now,
            policies: Vec::new(),
        };
        let body = json!({"User": user_json(&user)});
        self.aliyun.ram.users.insert(k, Box::new(user));
        self.ali_ok(body)
    }

    pub(crate) fn ram_list_users(&mut self, caller: &Caller, _q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "ListUsers")?;
        let users: Vec<Value> = self
            .aliyun
            .ram
            .users
            .values()
            .filter(|u| u.account == caller.account)
            .map(|u| user_json(u))
            .collect();
        self.ali_ok(json!({"Users": {"User": users}, "IsTruncated": false}))
    }

    pub(crate) fn ram_create_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "CreatePolicy")?;
        let name = q.str("PolicyName")?;
        check_name(&name, "PolicyName")?;
        let doc = parse_policy(&q.str("PolicyDocument")?)?;
        let k = format!("{}:{name}", caller.account);
        if self.aliyun.ram.policies.contains_key(&k) || system_policy(&name).is_some() {
            return Err(AwsError::new(
                AliRamCode::PolicyExists,
                format!("The policy {name} already exists."),
            ));
        }
        let p = RamPolicy {
            name: name.clone(),
            account: caller.account.clone(),
            document: doc,
            description: q.opt_str("Description")?.unwrap_or_default(),
            created: self.now,
        };
        let body = json!({"Policy": {"PolicyName": name, "PolicyType": "Custom", "Description": p.description, "DefaultVersion": "v1", "CreateDate": ali_time(self.now)}});
        self.aliyun.ram.policies.insert(k, Box::new(p));
        self.ali_ok(body)
    }

    /// The document of a policy of a type (`System` or `Custom`) in the caller's account.
    fn policy_doc(&self, account: &str, kind: &str, name: &str) -> AwsResult<Value> {
        let found = match kind {
            "System" => system_policy(name),
            _ => self
                .aliyun
                .ram
                .policies
                .get(&format!("{account}:{name}"))
                .map(|p| p.document.clone()),
        };
        found.ok_or_else(|| {
            AwsError::new(
                AliRamCode::NoSuchPolicy,
                format!("The policy {name} of type {kind} does not exist."),
            )
        })
    }

    pub(crate) fn ram_get_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "GetPolicy")?;
        let (name, kind) = (q.str("PolicyName")?, q.str("PolicyType")?);
        let doc = self.policy_doc(&caller.account, &kind, &name)?;
        let text = serde_json::to_string(&doc).unwrap_or_default();
        self.ali_ok(json!({
            "Policy": {"PolicyName": name, "PolicyType": kind, "DefaultVersion": "v1"},
            "DefaultPolicyVersion": {"VersionId": "v1", "IsDefaultVersion": true, "PolicyDocument": text},
        }))
    }

    pub(crate) fn ram_attach_policy_to_user(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        self.ram_authorize(caller, "AttachPolicyToUser")?;
        let (kind, name, user) = (
            q.str("PolicyType")?,
            q.str("PolicyName")?,
            q.str("UserName")?,
        );
        self.policy_doc(&caller.account, &kind, &name)?;
        let u = self.ram_user_mut(&caller.account, &user)?;
        let entry = (kind, name.clone());
        if u.policies.contains(&entry) {
            return Err(AwsError::new(
                AliRamCode::PolicyAttached,
                format!("The policy {name} is already attached to the user {user}."),
            ));
        }
        u.policies.push(entry);
        self.ali_ok(json!({}))
    }

    pub(crate) fn ram_detach_policy_from_user(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        self.ram_authorize(caller, "DetachPolicyFromUser")?;
        let (kind, name, user) = (
            q.str("PolicyType")?,
            q.str("PolicyName")?,
            q.str("UserName")?,
        );
        let u = self.ram_user_mut(&caller.account, &user)?;
        let before = u.policies.len();
        u.policies.retain(|(k, n)| !(*k == kind && *n == name));
        if u.policies.len() == before {
            return Err(AwsError::new(
                AliRamCode::NotAttached,
                format!("The policy {name} is not attached to the user {user}."),
            ));
        }
        self.ali_ok(json!({}))
    }

    pub(crate) fn ram_list_policies_for_user(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        self.ram_authorize(caller, "ListPoliciesForUser")?;
        let user = q.str("UserName")?;
        let u = self.ram_user_mut(&caller.account, &user)?;
        let list: Vec<Value> = u
            .policies
            .iter()
            .map(|(k, n)| json!({"PolicyName": n, "PolicyType": k, "DefaultVersion": "v1"}))
            .collect();
        self.ali_ok(json!({"Policies": {"Policy": list}}))
    }

    fn ram_user_mut(&mut self, account: &str, user: &str) -> AwsResult<&mut RamUser> {
        self.aliyun
            .ram
            .users
            .get_mut(&format!("{account}:{user}"))
            .map(|b| &mut **b)
            .ok_or_else(|| {
                AwsError::new(
                    AliRamCode::NoSuchUser,
                    format!("The user {user} does not exist."),
                )
            })
    }

    pub(crate) fn ram_create_role(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "CreateRole")?;
        let name = q.str("RoleName")?;
        check_name(&name, "RoleName")?;
        let trust = parse_policy(&q.str("AssumeRolePolicyDocument")?)?;
        let k = format!("{}:{name}", caller.account);
        if self.aliyun.ram.roles.contains_key(&k) {
            return Err(AwsError::new(
                AliRamCode::RoleExists,
                format!("The role {name} already exists."),
            ));
        }
        let role = RamRole {
            arn: self.provider.ram_role_arn(&caller.account, &name),
            name,
            account: caller.account.clone(),
            trust,
            description: q.opt_str("Description")?.unwrap_or_default(),
            role_id: self.ram_numeric_id(),
            created: self.now,
            policies: Vec::new(),
        };
        let body = json!({"Role": role_json(&role)});
        self.aliyun.ram.roles.insert(k, Box::new(role));
        self.ali_ok(body)
    }

    pub(crate) fn ram_get_role(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "GetRole")?;
        let name = q.str("RoleName")?;
        let role = self
            .aliyun
            .ram
            .roles
            .get(&format!("{}:{name}", caller.account))
            .ok_or_else(|| {
                AwsError::new(
                    AliRamCode::NoSuchRole,
                    format!("The role {name} does not exist."),
                )
            })?;
        let body = json!({"Role": role_json(role)});
        self.ali_ok(body)
    }

    pub(crate) fn ram_list_roles(&mut self, caller: &Caller, _q: &Params) -> AwsResult<Value> {
        self.ram_authorize(caller, "ListRoles")?;
        let roles: Vec<Value> = self
            .aliyun
            .ram
            .roles
            .values()
            .filter(|r| r.account == caller.account)
            .map(|r| role_json(r))
            .collect();
        self.ali_ok(json!({"Roles": {"Role": roles}, "IsTruncated": false}))
    }

    pub(crate) fn ram_attach_policy_to_role(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        self.ram_authorize(caller, "AttachPolicyToRole")?;
        let (kind, name, role) = (
            q.str("PolicyType")?,
            q.str("PolicyName")?,
            q.str("RoleName")?,
        );
        self.policy_doc(&caller.account, &kind, &name)?;
        let r = self
            .aliyun
            .ram
            .roles
            .get_mut(&format!("{}:{role}", caller.account))
            .ok_or_else(|| {
                AwsError::new(
                    AliRamCode::NoSuchRole,
                    format!("The role {role} does not exist."),
                )
            })?;
        let entry = (kind, name.clone());
        if r.policies.contains(&entry) {
            return Err(AwsError::new(
                AliRamCode::PolicyAttached,
                format!("The policy {name} is already attached to the role {role}."),
            ));
        }
        r.policies.push(entry);
        self.ali_ok(json!({}))
    }

    /// Whether ECS may use the account's CMKs: the role AliyunECSDiskEncryptDefaultRole exists,
    /// trusts `ecs.aliyuncs.com`, and (checked by KMS when ECS calls it) carries a policy that
    /// allows the key operations. Returns the role's ARN.
    pub(crate) fn ecs_encrypt_role(&self, account: &str) -> Option<String> {
        let name = self.provider.ecs_disk_encrypt_role();
        let role = self.aliyun.ram.roles.get(&format!("{account}:{name}"))?;
        let service = self.provider.ecs_service_principal();
        trusts_service(&role.trust, &service).then(|| role.arn.clone())
    }
}

/// Whether a trust policy lets a service assume the role (`"Principal": {"Service": [...]}`).
fn trusts_service(trust: &Value, service: &str) -> bool {
    let list = match trust.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => return false,
    };
    list.iter().any(|s| {
        let allow = s.get("Effect").and_then(Value::as_str) == Some("Allow");
        let services = s.pointer("/Principal/Service");
        let named = match services {
            Some(Value::String(x)) => x == service,
            Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(service)),
            _ => false,
        };
        allow && named
    })
}

/// A RAM name: 1 to 64 letters, digits, `.`, `_` and `-`.
fn check_name(name: &str, what: &str) -> AwsResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(AwsError::new(
            AliRamCode::InvalidParameter,
            format!("The parameter {what} is invalid: 1 to 64 letters, digits, '.', '_', '-'."),
        ))
    }
}

/// Parses a RAM policy document: JSON with `Version` "1" and a `Statement` whose entries have
/// an `Effect` of Allow or Deny.
fn parse_policy(text: &str) -> AwsResult<Value> {
    let bad = |why: &str| {
        AwsError::new(
            AliRamCode::MalformedPolicy,
            format!("The policy document is malformed: {why}."),
        )
    };
    let v: Value = serde_json::from_str(text).map_err(|_| bad("it is not JSON"))?;
    if v.get("Version").and_then(Value::as_str) != Some("1") {
        return Err(bad("Version must be \"1\""));
    }
    let list = match v.get("Statement") {
        Some(Value::Array(a)) if !a.is_empty() => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => return Err(bad("it needs a Statement")),
    };
    for s in &list {
        match s.get("Effect").and_then(Value::as_str) {
            Some("Allow" | "Deny") => {}
            _ => return Err(bad("every statement's Effect must be Allow or Deny")),
        }
    }
    Ok(v)
}

fn user_json(u: &RamUser) -> Value {
    json!({"UserName": u.name, "UserId": u.user_id, "DisplayName": u.display_name, "CreateDate": ali_time(u.created)})
}

fn role_json(r: &RamRole) -> Value {
    json!({
        "RoleName": r.name,
        "RoleId": r.role_id,
        "Arn": r.arn,
        "Description": r.description,
        "AssumeRolePolicyDocument": serde_json::to_string(&r.trust).unwrap_or_default(),
        "CreateDate": ali_time(r.created),
    })
}
