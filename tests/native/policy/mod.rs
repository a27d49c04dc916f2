//! KMS authorization: a data-driven table of evaluation cases (every rule, each seed example, the
//! well-known traps), policy validation and lockout tables, and property tests showing that an
//! explicit Deny or a removed Allow never turns a denial into an allow. This file holds the
//! shared principals, keys and policy building blocks.

mod eval;
mod explain;
mod props;
mod validate;

use eval::table;

use ebs_kms_playground::model::policy::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const A: &str = "111122223333";
const B: &str = "444455556666";
/// A customer managed key in account A.
const KEY_A: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/// Another key in account A.
const KEY_A2: &str = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";
/// Seed 004 example 2: the key in account 444455556666 that account 111122223333 uses.
const KEY_X: &str = "arn:aws:kms:us-west-2:444455556666:key/1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d";
const ROOT_A: &str = "arn:aws:iam::111122223333:root";
const ROOT_B: &str = "arn:aws:iam::444455556666:root";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const APP: &str = "arn:aws:iam::111122223333:role/AppRole";
const APP_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/AppRole/app-session";
const SEC: &str = "arn:aws:iam::111122223333:role/SecurityAdmin";
const SLR_A: &str = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
const SPOT_A: &str =
    "arn:aws:iam::111122223333:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot";
const INFRA: &str = "arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/i-0abc";
const BOB_B: &str = "arn:aws:iam::444455556666:user/bob";
const EC2_EAST: &str = "ec2.us-east-1.amazonaws.com";
const EC2_SERVICE: &str = "ec2.us-east-1.amazonaws.com";

const NO_IAM: &str = "because no identity-based policy allows the";
const NO_KEY_POLICY: &str = "because no resource-based policy allows the";
const DENY_KEY: &str = "with an explicit deny in a resource-based policy";
const DENY_IAM: &str = "with an explicit deny in an identity-based policy";
const BY_GRANT: &str = "Allowed by grant";

// ---------------------------------------------------------------------------------------------
// Policy building blocks
// ---------------------------------------------------------------------------------------------

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn with(base: Value, extra: Vec<Value>) -> Value {
    let mut list: Vec<Value> = base["Statement"].as_array().cloned().unwrap_or_default();
    list.extend(extra);
    policy(list)
}

fn allow(sid: &str, principal: Value, action: Value) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"})
}

fn deny(sid: &str, principal: Value, action: Value) -> Value {
    json!({"Sid": sid, "Effect": "Deny", "Principal": principal, "Action": action, "Resource": "*"})
}

fn cond(mut statement: Value, condition: Value) -> Value {
    statement["Condition"] = condition;
    statement
}

fn aws(p: &str) -> Value {
    json!({"AWS": p})
}

fn iam_allow(action: Value, resource: &str) -> Value {
    policy(vec![
        json!({"Effect": "Allow", "Action": action, "Resource": resource}),
    ])
}

fn use_actions() -> Value {
    json!([
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey"
    ])
}

/// Seed 004, example 1: the two statements for the Auto Scaling service-linked role.
fn seed004_slr_statements() -> Vec<Value> {
    vec![
        allow(
            "Allow service-linked role use of the customer managed key",
            json!({"AWS": [SLR_A]}),
            use_actions(),
        ),
        cond(
            allow(
                "Allow attachment of persistent resources",
                json!({"AWS": [SLR_A]}),
                json!(["kms:CreateGrant"]),
            ),
            json!({"Bool": {"kms:GrantIsForAWSResource": true}}),
        ),
    ]
}

/// Seed 004, example 2: the key policy of account 444455556666 with the two external statements.
fn seed004_cross_account_policy() -> Value {
    with(
        default_key_policy(B),
        vec![
            allow(
                "Allow external account 111122223333 use of the customer managed key",
                json!({"AWS": [ROOT_A]}),
                use_actions(),
            ),
            allow(
                "Allow attachment of persistent resources in external account 111122223333",
                json!({"AWS": [ROOT_A]}),
                json!(["kms:CreateGrant"]),
            ),
        ],
    )
}

/// Seed 004, example 2: the IAM policy in account 111122223333 that allows creating the grant.
fn seed004_iam() -> (String, Value) {
    let doc = policy(vec![
        json!({"Sid": "AllowCreationOfGrantForTheKMSKeyinExternalAccount444455556666",
        "Effect": "Allow", "Action": "kms:CreateGrant", "Resource": KEY_X}),
    ]);
    (
        "AllowCreationOfGrantForTheKMSKeyinExternalAccount444455556666".into(),
        doc,
    )
}

/// Seed 000: least-privilege CreateGrant, only when an AWS service creates the grant.
fn seed000_least_privilege() -> Value {
    policy(vec![
        json!({"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": [KEY_A],
        "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}}),
    ])
}

/// The managed policy of the Auto Scaling service-linked role: EC2 actions only.
fn slr_identity() -> (String, Value) {
    let doc = policy(vec![
        json!({"Sid": "EC2InstanceManagement", "Effect": "Allow",
        "Action": ["ec2:RunInstances", "ec2:TerminateInstances", "ec2:CreateTags"], "Resource": "*"}),
    ]);
    ("AutoScalingServiceRolePolicy".into(), doc)
}

/// Seed 004, example 2: the grant created from account 111122223333 for its service-linked role.
fn seed004_grant() -> GrantView {
    let ops = [
        "Encrypt",
        "Decrypt",
        "ReEncryptFrom",
        "ReEncryptTo",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "DescribeKey",
        "CreateGrant",
    ];
    GrantView {
        grant_id: "grant-asg".into(),
        name: Some("asg".into()),
        key_arn: KEY_X.into(),
        grantee_principal: SLR_A.into(),
        retiring_principal: None,
        operations: ops.iter().map(|s| s.to_string()).collect(),
        constraints: None,
    }
}

fn context(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The attach-time grant EC2 creates: Decrypt for the instance's infrastructure role, bound to the volume.
fn attach_grant(
    grantee: &str,
    subset: Option<&[(&str, &str)]>,
    equals: Option<&[(&str, &str)]>,
) -> GrantView {
    GrantView {
        grant_id: "grant-attach".into(),
        name: None,
        key_arn: KEY_A.into(),
        grantee_principal: grantee.into(),
        retiring_principal: Some(EC2_SERVICE.into()),
        operations: vec!["Decrypt".into()],
        constraints: Some(GrantConstraints {
            encryption_context_subset: subset.map(context),
            encryption_context_equals: equals.map(context),
        }),
    }
}

fn account_of(principal: &str) -> &str {
    if principal.starts_with("arn:") {
        principal.split(':').nth(4).unwrap_or("")
    } else {
        A
    }
}

// ---------------------------------------------------------------------------------------------
// A case of the table, and a bare request
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
struct Case {
    name: &'static str,
    key_policy: Value,
    identity: Vec<(String, Value)>,
    grants: Vec<GrantView>,
    principal: &'static str,
    action: &'static str,
    key: &'static str,
    context: Vec<(&'static str, &'static str)>,
    for_aws_resource: bool,
    via: Option<&'static str>,
    grant_ops: Vec<String>,
    managed: bool,
    allowed: bool,
    reason: String,
}

fn case(name: &'static str, key_policy: Value) -> Case {
    Case {
        name,
        key_policy,
        identity: vec![],
        grants: vec![],
        principal: ROOT_A,
        action: "kms:Decrypt",
        key: KEY_A,
        context: vec![],
        for_aws_resource: false,
        via: None,
        grant_ops: vec![],
        managed: false,
        allowed: false,
        reason: String::new(),
    }
}

impl Case {
    fn by(mut self, p: &'static str) -> Self {
        self.principal = p;
        self
    }
    fn does(mut self, action: &'static str) -> Self {
        self.action = action;
        self
    }
    fn on(mut self, key: &'static str) -> Self {
        self.key = key;
        self
    }
    fn iam(mut self, name: &str, doc: Value) -> Self {
        self.identity.push((name.into(), doc));
        self
    }
    fn grant(mut self, g: GrantView) -> Self {
        self.grants.push(g);
        self
    }
    fn ctx(mut self, k: &'static str, v: &'static str) -> Self {
        self.context.push((k, v));
        self
    }
    fn via(mut self, service: &'static str) -> Self {
        self.via = Some(service);
        self
    }
    fn for_aws_resource(mut self) -> Self {
        self.for_aws_resource = true;
        self
    }
    fn ops(mut self, ops: &[&str]) -> Self {
        self.grant_ops = ops.iter().map(|s| s.to_string()).collect();
        self
    }
    fn managed(mut self) -> Self {
        self.managed = true;
        self
    }
    fn allow(mut self, reason: &str) -> Self {
        self.allowed = true;
        self.reason = reason.into();
        self
    }
    fn deny(mut self, reason: &str) -> Self {
        self.allowed = false;
        self.reason = reason.into();
        self
    }
    fn run(&self) -> Decision {
        let ctx = context(&self.context);
        let req = Request {
            principal_arn: self.principal,
            principal_account: account_of(self.principal),
            action: self.action,
            key_arn: self.key,
            key_account: account_of(self.key),
            encryption_context: &ctx,
            grant_is_for_aws_resource: self.for_aws_resource,
            via_service: self.via,
            grant_operations: &self.grant_ops,
            external_id: None,
        };
        let p = Policies {
            key_policy: &self.key_policy,
            identity_policies: &self.identity,
            grants: &self.grants,
            key_is_aws_managed: self.managed,
        };
        evaluate(&req, &p)
    }
}

fn request<'a>(
    principal: &'a str,
    action: &'a str,
    ctx: &'a BTreeMap<String, String>,
) -> Request<'a> {
    Request {
        principal_arn: principal,
        principal_account: account_of(principal),
        action,
        key_arn: KEY_A,
        key_account: A,
        encryption_context: ctx,
        grant_is_for_aws_resource: false,
        via_service: None,
        grant_operations: &[],
        external_id: None,
    }
}
