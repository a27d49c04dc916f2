//! AWS STS: `GetCallerIdentity`, and `AssumeRole` authorized by the role's trust policy and the
//! caller's identity policies.
//!
//! A successful AssumeRole returns an `assumed-role` session ARN; the console makes it a profile
//! (`play profile add NAME --role-arn ARN --source-profile P`), and every later call made with
//! that profile is evaluated as the session, whose identity policies are the role's.

use super::codes::StsCode;
use super::error::{AwsError, AwsResult};
use super::iam::PrincipalKind;
use super::params::Params;
use super::policy;
use super::trace::{AuthDecision, Participant};
use super::{Caller, Sim};
use crate::json;
use crate::model::Handler;
use serde_json::Value;

/// Seconds a session lasts when `DurationSeconds` is not given.
const DEFAULT_SESSION_SECONDS: i64 = 3600;

impl Sim {
    /// The `UserId` GetCallerIdentity reports: the account for its root user, the unique id of a
    /// user or role, `ROLEID:SESSION` for a role session.
    pub(crate) fn user_id(&self, principal: &str, account: &str) -> String {
        let Some(p) = self.iam.acting_as(&self.provider, principal) else {
            return account.to_string();
        };
        match principal.rsplit_once(&format!(":assumed-role/{}/", p.name)) {
            Some((_, session)) => format!("{}:{session}", p.id),
            None => p.id.clone(),
        }
    }

    pub(crate) fn assume_role(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let role_arn = q.str("RoleArn")?;
        let session = q.str("RoleSessionName")?;
        let duration = q
            .opt_i64("DurationSeconds")?
            .unwrap_or(DEFAULT_SESSION_SECONDS);
        let external_id = q.opt_str("ExternalId")?;
        if q.raw("Policy").is_some() || q.raw("PolicyArns").is_some() {
            return Err(AwsError::new(
                StsCode::ValidationError,
                "Session policies (Policy, PolicyArns) are not modelled by this playground.",
            ));
        }
        let name_ok = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
        if !(2..=64).contains(&session.len()) || !session.chars().all(name_ok) {
            return Err(AwsError::new(StsCode::ValidationError, format!("1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and match [\\w+=,.@-]*")));
        }
        if !(900..=43_200).contains(&duration) {
            return Err(AwsError::new(StsCode::ValidationError, format!("1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200")));
        }
        let denied = |why: &str| {
            AwsError::new(
                StsCode::AccessDenied,
                format!(
                    "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}{why}",
                    caller.principal
                ),
            )
        };
        if caller.principal == self.provider.root_arn(&caller.account) {
            self.record_auth(Participant::Sts, AuthDecision {
                allowed: false,
                reason: "Roles may not be assumed by root accounts.".into(),
                steps: vec![
                    format!("Request: {} calls sts:AssumeRole on {role_arn}.", caller.principal),
                    format!("The caller is an account's root user, and STS refuses AssumeRole with root user credentials: act as an IAM user or role first (play profile add NAME --principal {}).", self.provider.iam_arn("ACCOUNT", "user/NAME")),
                    "Decision: DENIED. Roles may not be assumed by root accounts.".into(),
                ],
            });
            return Err(AwsError::new(
                StsCode::AccessDenied,
                "Roles may not be assumed by root accounts.",
            ));
        }
        // A role that does not exist is refused like one that does not trust the caller, so
        // that AssumeRole does not reveal which roles exist.
        let role = self
            .iam
            .principals
            .get(&role_arn)
            .filter(|r| r.kind == PrincipalKind::Role)
            .cloned();
        let Some(role) = role else {
            self.record_auth(Participant::Sts, AuthDecision {
                allowed: false,
                reason: format!("There is no role {role_arn}."),
                steps: vec![format!(
                    "Decision: DENIED. There is no role {role_arn}; STS answers as it does for a role whose trust policy does not name the caller."
                )],
            });
            return Err(denied(""));
        };
        let role_account = self
            .provider
            .parse_global_arn("iam", &role_arn)
            .map(|(account, _)| account)
            .unwrap_or_default()
            .to_string();
        let trust = role.trust.clone().unwrap_or(Value::Null);
        let identity = self
            .iam
            .identity_policies(&self.provider, &caller.principal);
        let req = policy::Request {
            external_id: external_id.as_deref(),
            ..policy::Request::new(
                &caller.principal,
                &caller.account,
                "sts:AssumeRole",
                &role_arn,
                &role_account,
            )
        };
        let d = policy::evaluate_trust(&req, &trust, &identity);
        let allowed = d.allowed;
        self.record_auth(
            Participant::Sts,
            AuthDecision {
                allowed,
                reason: d.reason.clone(),
                steps: d.steps,
            },
        );
        if !allowed {
            return Err(AwsError::new(StsCode::AccessDenied, d.reason));
        }
        let session_arn = self
            .provider
            .assumed_role_arn(&role_account, &role.name, &session);
        let key_id: [u8; 8] = self.rng.bytes();
        let expiration = super::clock::iso(self.now.saturating_add(duration.unsigned_abs()));
        Ok(json!({
            "Credentials": {
                "AccessKeyId": format!("ASIA{}", super::rng::to_hex(&key_id).to_ascii_uppercase()),
                "SecretAccessKey": "<secret: returned to the caller, never recorded>",
                "SessionToken": format!("playground-session-{}", self.rng.token()),
                "Expiration": expiration,
            },
            "AssumedRoleUser": {
                "AssumedRoleId": format!("{}:{session}", role.id),
                "Arn": session_arn,
            },
        }))
    }

    /// `GetCallerIdentity`.
    pub(crate) fn get_caller_identity(&mut self, caller: &Caller, _q: &Params) -> AwsResult<Value> {
        Ok(json!({
            "UserId": self.user_id(&caller.principal, &caller.account),
            "Account": caller.account,
            "Arn": caller.principal,
        }))
    }
}

/// The method that answers each STS operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("GetCallerIdentity", Sim::get_caller_identity),
    ("AssumeRole", Sim::assume_role),
];
