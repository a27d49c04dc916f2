//! KMS authorization: evaluates key policies, IAM identity policies and grants as AWS KMS does,
//! explains each decision step by step, validates policy documents, and builds the standard
//! key policies (default, console default view, `alias/aws/ebs`).
//!
//! It owns the decision only: where keys, policies and grants are stored (kms.rs, iam.rs), the
//! RetireGrant rules and key states live elsewhere.
//!
//! **Approximations:** principals are checked for form, not for existence; the Numeric, Date,
//! IpAddress and Binary condition operators are accepted, but no key of a simulated request is
//! a number, date or address, so such conditions never hold (negated ones hold when absent).

mod bucket;
mod conditions;
mod evaluate;
mod matching;
mod statements;
mod templates;
mod validate;

pub use bucket::*;
use conditions::*;
pub use evaluate::*;
pub use matching::*;
use statements::*;
pub use templates::*;
pub use validate::*;

use super::provider::{Provider, AWS};
use crate::json;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The provider whose ARNs and service principals the policy language reads and writes: the
/// evaluator speaks AWS's IAM policy language (its `Request` and `Policies` carry no provider,
/// so that callers and tests build them as plain data). The one place to change for another.
const PROVIDER: &Provider = &AWS;

/// A grant as the evaluator sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrantView {
    /// The grant id.
    pub grant_id: String,
    /// The optional grant name.
    pub name: Option<String>,
    /// ARN of the key the grant is on.
    pub key_arn: String,
    /// The principal allowed to use the grant.
    pub grantee_principal: String,
    /// The principal allowed to retire the grant.
    pub retiring_principal: Option<String>,
    /// Operations without `kms:` (`Decrypt`, `CreateGrant`, …).
    pub operations: Vec<String>,
    /// Encryption-context constraints.
    pub constraints: Option<GrantConstraints>,
}

/// The encryption-context constraints of a grant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrantConstraints {
    /// Every pair must be in the request's context, with an exactly equal (case-sensitive) value.
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
    /// The request's context must be exactly this map.
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
}

/// Everything KMS knows about one request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The caller: an account root, user, role, assumed-role session or service principal.
    pub principal_arn: &'a str,
    /// The caller's account.
    pub principal_account: &'a str,
    /// The action, `kms:Decrypt`.
    pub action: &'a str,
    /// The key ARN (for `sts:AssumeRole` the role's ARN; for `kms:CreateKey`, `*`).
    pub key_arn: &'a str,
    /// The key's (or role's) account.
    pub key_account: &'a str,
    /// The request's encryption context (for CreateGrant: the requested constraint).
    pub encryption_context: &'a BTreeMap<String, String>,
    /// True when an AWS service (EC2) makes CreateGrant on the principal's behalf.
    pub grant_is_for_aws_resource: bool,
    /// `ec2.us-east-1.amazonaws.com` when the call comes through EC2.
    pub via_service: Option<&'a str>,
    /// For CreateGrant: the operations requested (`kms:GrantOperations`).
    pub grant_operations: &'a [String],
    /// For AssumeRole: the `ExternalId` the caller passed (`sts:ExternalId`).
    pub external_id: Option<&'a str>,
}

/// An empty encryption context, for requests that carry none.
static NO_CONTEXT: BTreeMap<String, String> = BTreeMap::new();

impl<'a> Request<'a> {
    /// A request without KMS specifics: no encryption context, not through a service, no grant.
    pub fn new(
        principal_arn: &'a str,
        principal_account: &'a str,
        action: &'a str,
        resource_arn: &'a str,
        resource_account: &'a str,
    ) -> Self {
        Request {
            principal_arn,
            principal_account,
            action,
            key_arn: resource_arn,
            key_account: resource_account,
            encryption_context: &NO_CONTEXT,
            grant_is_for_aws_resource: false,
            via_service: None,
            grant_operations: &[],
            external_id: None,
        }
    }
}

/// The inputs besides the request.
#[derive(Clone, Copy, Debug)]
pub struct Policies<'a> {
    /// The key policy document.
    pub key_policy: &'a Value,
    /// The caller's identity policies, by name.
    pub identity_policies: &'a [(String, Value)],
    /// The grants on the key.
    pub grants: &'a [GrantView],
    /// True for AWS managed keys (`alias/aws/ebs`).
    pub key_is_aws_managed: bool,
}

/// The outcome of [`evaluate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether KMS allows the request.
    pub allowed: bool,
    /// What allowed it, or the AccessDeniedException message.
    pub reason: String,
    /// The evaluation: the request, one line per policy statement or grant, the conclusion.
    pub steps: Vec<String>,
}

/// Which kind of policy document is validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// A key policy: every statement names a Principal.
    Key,
    /// An IAM identity policy: no Principal; Action and Resource required.
    Identity,
    /// An IAM role's trust policy: every statement names a Principal and `sts:` actions; no
    /// Resource (the role is the resource).
    Trust,
}

/// KMS's lockout-check message.
pub const LOCKOUT_MESSAGE: &str =
    "The new key policy will not allow you to update the key policy in the future.";
const VENDOR: &str = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
const INVALID_PRINCIPAL: &str = "Policy contains a statement with one or more invalid principals.";
