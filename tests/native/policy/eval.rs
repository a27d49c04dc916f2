//! KMS authorization: a data-driven table of evaluation cases (every rule, each seed example, the
//! well-known traps), policy validation and lockout tables, and property tests showing that an
//! explicit Deny or a removed Allow never turns a denial into an allow.

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
// The table
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

fn table() -> Vec<Case> {
    let default_a = default_key_policy(A);
    let no_root = policy(vec![allow("Allow use of the key", aws(APP), use_actions())]);
    let console = console_default_policy(A, &[SEC.to_string()], &[APP.to_string()]);
    let asg = with(default_key_policy(A), seed004_slr_statements());
    let managed = aws_managed_ebs_policy(A, "us-east-1");
    let cross = seed004_cross_account_policy();
    let app_if = |c: Value| policy(vec![cond(allow("Conditional", aws(APP), use_actions()), c)]);
    let anyone_if = |c: Value| policy(vec![cond(allow("Anyone", json!("*"), use_actions()), c)]);
    let grant_ops_if = |op: &str| {
        let c = json!({op: {"kms:GrantOperations": ["Decrypt", "Encrypt", "GenerateDataKeyWithoutPlaintext"]}});
        policy(vec![cond(
            allow("Grants", aws(APP), json!("kms:CreateGrant")),
            c,
        )])
    };
    let infra_grant = || attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None);
    let secret_deny = with(
        default_key_policy(A),
        vec![cond(
            deny("No secret volumes", json!("*"), json!("kms:Decrypt")),
            json!({"StringLike": {"kms:EncryptionContext:aws:ebs:id": "vol-secret*"}}),
        )],
    );
    let not_principal_deny = with(
        default_key_policy(A),
        vec![
            json!({"Sid": "Only the admin deletes", "Effect": "Deny", "NotPrincipal": {"AWS": [SEC, ROOT_A]},
            "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}),
        ],
    );
    let kms_all = || iam_allow(json!("kms:*"), "*");
    let deleting = || iam_allow(json!("kms:ScheduleKeyDeletion"), KEY_A);
    let ebs_id = "kms:EncryptionContext:aws:ebs:id";

    vec![
        // --- Root delegation in the key's own account ----------------------------------------
        case("root of the key's account: the delegation statement alone allows", default_a.clone())
            .allow("Allowed by key policy statement \"Enable IAM User Permissions\" (the account's root user needs no identity policy)"),
        case("default policy, IAM user without identity policy", default_a.clone()).by(ALICE).deny(NO_IAM),
        case("default policy + IAM allow on the key ARN", default_a.clone())
            .by(ALICE)
            .iam("AppAccess", iam_allow(json!("kms:Decrypt"), KEY_A))
            .allow("Allowed by key policy statement \"Enable IAM User Permissions\" and identity policy \"AppAccess\""),
        case("IAM allow for another key does not help", default_a.clone())
            .by(ALICE)
            .iam("AppAccess", iam_allow(json!("kms:Decrypt"), KEY_A2))
            .deny(NO_IAM),
        case("IAM allow kms:* on * with root delegation", default_a.clone()).by(ALICE).iam("Admin", kms_all()).allow("identity policy \"Admin\""),
        case("IAM allow for another action does not help", default_a.clone())
            .by(ALICE)
            .iam("EncryptOnly", iam_allow(json!("kms:Encrypt"), "*"))
            .deny(NO_IAM),
        // --- Trap: the key policy does not delegate ------------------------------------------
        case("trap: key policy without root delegation, IAM allow does not help", no_root.clone())
            .by(ALICE)
            .iam("Admin", kms_all())
            .deny(NO_KEY_POLICY),
        case("trap: key policy without root delegation refuses even the root user", no_root.clone()).deny(NO_KEY_POLICY),
        case("key policy naming the role allows it with no IAM policy", no_root.clone())
            .by(APP)
            .allow("Allowed by key policy statement \"Allow use of the key\""),
        case("a session of the named role is covered", no_root.clone())
            .by(APP_SESSION)
            .allow("Allowed by key policy statement \"Allow use of the key\""),
        case("named role, action outside the statement", no_root.clone()).by(APP).does("kms:ScheduleKeyDeletion").deny(NO_KEY_POLICY),
        // --- Explicit Deny wins ----------------------------------------------------------------
        case(
            "Deny in the key policy beats delegation + IAM allow",
            with(default_key_policy(A), vec![deny("No Alice", aws(ALICE), json!("kms:Decrypt"))]),
        )
        .by(ALICE)
        .iam("Admin", kms_all())
        .deny(DENY_KEY),
        case(
            "Deny naming the account applies to every principal in it",
            with(default_key_policy(A), vec![deny("Nobody deletes", aws(ROOT_A), json!("kms:ScheduleKeyDeletion"))]),
        )
        .by(SEC)
        .does("kms:ScheduleKeyDeletion")
        .iam("Admin", kms_all())
        .deny(DENY_KEY),
        case("Deny in an identity policy beats a key policy naming the caller", no_root.clone())
            .by(APP)
            .iam("Guardrail", policy(vec![json!({"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"})]))
            .deny(DENY_IAM),
        case("Deny beats a grant", secret_deny.clone())
            .by(INFRA)
            .grant(attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-secret1")]), None))
            .ctx("aws:ebs:id", "vol-secret1")
            .deny(DENY_KEY),
        case("a Deny whose condition does not hold denies nothing", secret_deny)
            .by(INFRA)
            .grant(infra_grant())
            .ctx("aws:ebs:id", "vol-1")
            .allow("Allowed by grant grant-attach"),
        case("NotPrincipal Deny spares the named admin", not_principal_deny.clone())
            .by(SEC)
            .does("kms:ScheduleKeyDeletion")
            .iam("Delete", deleting())
            .allow("identity policy \"Delete\""),
        case("NotPrincipal Deny: the account in NotPrincipal does not spare its users", not_principal_deny)
            .by(ALICE)
            .does("kms:ScheduleKeyDeletion")
            .iam("Delete", deleting())
            .deny(DENY_KEY),
        // --- Actions ----------------------------------------------------------------------------
        case("kms:ReEncrypt* covers kms:ReEncryptFrom", console.clone()).by(APP).does("kms:ReEncryptFrom").allow("\"Allow use of the key\""),
        case("kms:GenerateDataKey* covers GenerateDataKeyWithoutPlaintext", console.clone())
            .by(APP)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .allow("\"Allow use of the key\""),
        case("action names match case-insensitively", policy(vec![allow("Lower", aws(APP), json!("KMS:decrypt"))]))
            .by(APP)
            .allow("\"Lower\""),
        case(
            "NotAction allows everything else",
            policy(vec![json!({"Sid": "AllButDelete", "Effect": "Allow", "Principal": {"AWS": APP}, "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"})]),
        )
        .by(APP)
        .allow("\"AllButDelete\""),
        case(
            "NotAction excludes its action",
            policy(vec![json!({"Sid": "AllButDelete", "Effect": "Allow", "Principal": {"AWS": APP}, "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"})]),
        )
        .by(APP)
        .does("kms:ScheduleKeyDeletion")
        .deny(NO_KEY_POLICY),
        case("seed 000's kms:ReEncrypt does not cover kms:ReEncryptFrom", default_a.clone())
            .by(ALICE)
            .does("kms:ReEncryptFrom")
            .iam("Seed000", iam_allow(json!(["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlainText", "kms:ReEncrypt"]), KEY_A))
            .deny(NO_IAM),
        case("seed 000's GenerateDataKeyWithoutPlainText matches whatever its case", default_a.clone())
            .by(ALICE)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .iam("Seed000", iam_allow(json!(["kms:GenerateDataKeyWithoutPlainText"]), KEY_A))
            .allow("identity policy \"Seed000\""),
        // --- Resource ---------------------------------------------------------------------------
        case(
            "key policy Resource naming another key does not apply",
            policy(vec![json!({"Sid": "Other", "Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:*", "Resource": KEY_A2})]),
        )
        .by(APP)
        .deny(NO_KEY_POLICY),
        case(
            "key policy Resource with a wildcard ARN",
            policy(vec![json!({"Sid": "AnyKeyHere", "Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:*", "Resource": "arn:aws:kms:*:111122223333:key/*"})]),
        )
        .by(APP)
        .allow("\"AnyKeyHere\""),
        // --- Conditions -------------------------------------------------------------------------
        case("seed 000 least privilege: CreateGrant by EC2 for an AWS resource", default_a.clone())
            .by(ALICE)
            .does("kms:CreateGrant")
            .via(EC2_EAST)
            .for_aws_resource()
            .ops(&["Decrypt"])
            .iam("EbsLeastPrivilege", seed000_least_privilege())
            .allow("Allowed by key policy statement \"Enable IAM User Permissions\" and identity policy \"EbsLeastPrivilege\""),
        case("seed 000 least privilege: a direct CreateGrant is refused", default_a.clone())
            .by(ALICE)
            .does("kms:CreateGrant")
            .ops(&["Decrypt"])
            .iam("EbsLeastPrivilege", seed000_least_privilege())
            .deny(NO_IAM),
        case("kms:ViaService holds through EC2", app_if(json!({"StringEquals": {"kms:ViaService": EC2_EAST}})))
            .by(APP)
            .via(EC2_EAST)
            .allow("\"Conditional\""),
        case("kms:ViaService fails on a direct call", app_if(json!({"StringEquals": {"kms:ViaService": EC2_EAST}}))).by(APP).deny(NO_KEY_POLICY),
        case(
            "values of one key are alternatives (OR)",
            app_if(json!({"StringEquals": {"kms:ViaService": ["ec2.us-west-2.amazonaws.com", EC2_EAST]}})),
        )
        .by(APP)
        .via(EC2_EAST)
        .allow("\"Conditional\""),
        case(
            "several keys must all hold (AND)",
            app_if(json!({"StringEquals": {"kms:ViaService": EC2_EAST, "kms:CallerAccount": B}})),
        )
        .by(APP)
        .via(EC2_EAST)
        .deny(NO_KEY_POLICY),
        case(
            "several operators must all hold (AND)",
            app_if(json!({"StringEquals": {"kms:ViaService": EC2_EAST}, "StringLike": {ebs_id: "vol-*"}})),
        )
        .by(APP)
        .via(EC2_EAST)
        .ctx("aws:ebs:id", "snap-1")
        .deny(NO_KEY_POLICY),
        case("Principal * with kms:CallerAccount allows the account's principals", anyone_if(json!({"StringEquals": {"kms:CallerAccount": A}})))
            .by(ALICE)
            .allow("\"Anyone\""),
        case("Principal * with kms:CallerAccount refuses another account", anyone_if(json!({"StringEquals": {"kms:CallerAccount": A}})))
            .by(BOB_B)
            .iam("Admin", kms_all())
            .deny(NO_KEY_POLICY),
        case("kms:EncryptionContext:aws:ebs:id equal", app_if(json!({"StringEquals": {ebs_id: "vol-1"}})))
            .by(APP)
            .ctx("aws:ebs:id", "vol-1")
            .allow("\"Conditional\""),
        case("kms:EncryptionContext:aws:ebs:id different", app_if(json!({"StringEquals": {ebs_id: "vol-1"}})))
            .by(APP)
            .ctx("aws:ebs:id", "vol-2")
            .deny(NO_KEY_POLICY),
        case("kms:EncryptionContext key absent from the request", app_if(json!({"StringEquals": {ebs_id: "vol-1"}}))).by(APP).deny(NO_KEY_POLICY),
        case("StringLike vol-* matches a volume", app_if(json!({"StringLike": {ebs_id: "vol-*"}})))
            .by(APP)
            .ctx("aws:ebs:id", "vol-0abc")
            .allow("\"Conditional\""),
        case("StringLike vol-* does not match a snapshot", app_if(json!({"StringLike": {ebs_id: "vol-*"}})))
            .by(APP)
            .ctx("aws:ebs:id", "snap-0abc")
            .deny(NO_KEY_POLICY),
        case("StringLike ? matches exactly one character", app_if(json!({"StringLike": {ebs_id: "vol-?"}})))
            .by(APP)
            .ctx("aws:ebs:id", "vol-12")
            .deny(NO_KEY_POLICY),
        case("StringNotEquals kms:CallerAccount", anyone_if(json!({"StringNotEquals": {"kms:CallerAccount": B}})))
            .by(ALICE)
            .allow("\"Anyone\""),
        case("StringEqualsIfExists holds when the key is absent", app_if(json!({"StringEqualsIfExists": {"kms:ViaService": EC2_EAST}})))
            .by(APP)
            .allow("\"Conditional\""),
        case("aws:PrincipalArn StringLike matches the role", anyone_if(json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/App*"}})))
            .by(APP)
            .allow("\"Anyone\""),
        case("aws:PrincipalArn StringLike refuses a user", anyone_if(json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/App*"}})))
            .by(ALICE)
            .deny(NO_KEY_POLICY),
        case("aws:PrincipalAccount", anyone_if(json!({"StringEquals": {"aws:PrincipalAccount": A}}))).by(ALICE).allow("\"Anyone\""),
        case("ForAllValues kms:GrantOperations: requested operations within the list", grant_ops_if("ForAllValues:StringEquals"))
            .by(APP)
            .does("kms:CreateGrant")
            .ops(&["Decrypt"])
            .allow("\"Grants\""),
        case("ForAllValues kms:GrantOperations: one operation outside the list", grant_ops_if("ForAllValues:StringEquals"))
            .by(APP)
            .does("kms:CreateGrant")
            .ops(&["Decrypt", "CreateGrant"])
            .deny(NO_KEY_POLICY),
        case("ForAnyValue kms:GrantOperations: one operation in the list is enough", grant_ops_if("ForAnyValue:StringEquals"))
            .by(APP)
            .does("kms:CreateGrant")
            .ops(&["CreateGrant", "Encrypt"])
            .allow("\"Grants\""),
        // --- Cross-account: seed 004 example 2 ----------------------------------------------------
        case("seed 004 ex. 2: the external account's user creates the grant", cross.clone())
            .by(ALICE)
            .on(KEY_X)
            .does("kms:CreateGrant")
            .ops(&["Encrypt", "Decrypt", "CreateGrant"])
            .iam(&seed004_iam().0, seed004_iam().1)
            .allow("Allowed by key policy statement \"Allow attachment of persistent resources in external account 111122223333\" and identity policy \"AllowCreationOfGrantForTheKMSKeyinExternalAccount444455556666\""),
        case("seed 004 ex. 2: without the IAM policy the grant is refused", cross.clone())
            .by(ALICE)
            .on(KEY_X)
            .does("kms:CreateGrant")
            .ops(&["Decrypt"])
            .deny(NO_IAM),
        case("cross-account: IAM policy, but the key policy does not allow the account", default_key_policy(B))
            .by(ALICE)
            .on(KEY_X)
            .does("kms:CreateGrant")
            .ops(&["Decrypt"])
            .iam(&seed004_iam().0, seed004_iam().1)
            .deny(NO_KEY_POLICY),
        case("cross-account: the external root user needs no identity policy", cross.clone())
            .on(KEY_X)
            .allow("\"Allow external account 111122223333 use of the customer managed key\" (the account's root user"),
        case("cross-account: IAM allow on Resource * works", cross.clone())
            .by(ALICE)
            .on(KEY_X)
            .iam("Use", iam_allow(json!("kms:Decrypt"), "*"))
            .allow("\"Allow external account 111122223333 use of the customer managed key\" and identity policy \"Use\""),
        case("cross-account: IAM allow on another key does not help", cross.clone())
            .by(ALICE)
            .on(KEY_X)
            .iam("Use", iam_allow(json!("kms:Decrypt"), KEY_A))
            .deny(NO_IAM),
        case(
            "cross-account: a principal named in the key policy still needs its IAM policy",
            with(default_key_policy(B), vec![allow("Alice", aws(ALICE), json!("kms:Decrypt"))]),
        )
        .by(ALICE)
        .on(KEY_X)
        .deny(NO_IAM),
        case("cross-account: another account's user is refused by a default key policy", default_a.clone())
            .by(BOB_B)
            .iam("Admin", kms_all())
            .deny(NO_KEY_POLICY),
        case("seed 004 ex. 2: the grant lets the external service-linked role use the key", cross.clone())
            .by(SLR_A)
            .on(KEY_X)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .iam(&slr_identity().0, slr_identity().1)
            .grant(seed004_grant())
            .allow("Allowed by grant grant-asg"),
        case("seed 004 ex. 2: without the grant the service-linked role is refused", cross.clone())
            .by(SLR_A)
            .on(KEY_X)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .iam(&slr_identity().0, slr_identity().1)
            .deny(NO_IAM),
        case("a grant with CreateGrant passes on a subset of its operations", cross.clone())
            .by(SLR_A)
            .on(KEY_X)
            .does("kms:CreateGrant")
            .ops(&["Decrypt"])
            .grant(seed004_grant())
            .allow(BY_GRANT),
        case("a grant cannot pass on an operation it lacks", cross.clone())
            .by(SLR_A)
            .on(KEY_X)
            .does("kms:CreateGrant")
            .ops(&["Decrypt", "RetireGrant"])
            .grant(seed004_grant())
            .deny(NO_IAM),
        // --- Same account: seed 004 example 1 -----------------------------------------------------
        case("seed 004: key policy lacks the service-linked role, the launch fails", console.clone())
            .by(SLR_A)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .via(EC2_EAST)
            .iam(&slr_identity().0, slr_identity().1)
            .deny(NO_IAM),
        case("seed 004: first statement lets the service-linked role use the key", asg.clone())
            .by(SLR_A)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .via(EC2_EAST)
            .allow("Allowed by key policy statement \"Allow service-linked role use of the customer managed key\""),
        case("seed 004: second statement allows CreateGrant for an AWS resource", asg.clone())
            .by(SLR_A)
            .does("kms:CreateGrant")
            .via(EC2_EAST)
            .for_aws_resource()
            .ops(&["Decrypt"])
            .allow("Allowed by key policy statement \"Allow attachment of persistent resources\""),
        case("seed 004: second statement requires kms:GrantIsForAWSResource", asg.clone())
            .by(SLR_A)
            .does("kms:CreateGrant")
            .ops(&["Decrypt"])
            .deny(NO_IAM),
        case("seed 004: the Spot service-linked role is not named", asg.clone())
            .by(SPOT_A)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .via(EC2_EAST)
            .deny(NO_IAM),
        // --- AWS managed key alias/aws/ebs ------------------------------------------------------
        case("alias/aws/ebs: a principal of the account through EC2", managed.clone())
            .managed()
            .by(ALICE)
            .does("kms:GenerateDataKeyWithoutPlaintext")
            .via(EC2_EAST)
            .allow("\"Allow access through EBS for all principals in the account that are authorized to use EBS\""),
        case("alias/aws/ebs: a direct Decrypt is refused", managed.clone()).managed().by(ALICE).deny(NO_KEY_POLICY),
        case("alias/aws/ebs: DescribeKey through root delegation and IAM", managed.clone())
            .managed()
            .by(ALICE)
            .does("kms:DescribeKey")
            .iam("Describe", iam_allow(json!("kms:Describe*"), "*"))
            .allow("\"Allow direct access to key metadata to the account\" and identity policy \"Describe\""),
        case("alias/aws/ebs: a service-linked role needs no extra authorization", managed.clone())
            .managed()
            .by(SLR_A)
            .iam(&slr_identity().0, slr_identity().1)
            .allow("needs no extra authorization"),
        case("alias/aws/ebs: the service-linked role through EC2 is covered by the policy", managed.clone())
            .managed()
            .by(SLR_A)
            .via(EC2_EAST)
            .allow("\"Allow access through EBS"),
        case("alias/aws/ebs: the service-linked role cannot manage the key", managed.clone())
            .managed()
            .by(SLR_A)
            .does("kms:ScheduleKeyDeletion")
            .deny(NO_KEY_POLICY),
        case("alias/aws/ebs: another account is refused", managed.clone())
            .managed()
            .by(BOB_B)
            .via(EC2_EAST)
            .iam("Admin", kms_all())
            .deny(NO_KEY_POLICY),
        case("alias/aws/ebs: through EC2 in another Region", managed.clone())
            .managed()
            .by(ALICE)
            .via("ec2.us-west-2.amazonaws.com")
            .deny(NO_KEY_POLICY),
        case("alias/aws/ebs: nobody can change its key policy", managed.clone()).managed().does("kms:PutKeyPolicy").deny(NO_KEY_POLICY),
        // --- Grants -----------------------------------------------------------------------------
        case("attach-time grant: the infrastructure role decrypts the volume's key", default_a.clone())
            .by(INFRA)
            .grant(infra_grant())
            .ctx("aws:ebs:id", "vol-1")
            .allow("Allowed by grant grant-attach"),
        case("trap: grant with a non-matching context", default_a.clone()).by(INFRA).grant(infra_grant()).ctx("aws:ebs:id", "vol-2").deny(NO_IAM),
        case("grant constraint values are case-sensitive", default_a.clone()).by(INFRA).grant(infra_grant()).ctx("aws:ebs:id", "VOL-1").deny(NO_IAM),
        case("EncryptionContextSubset: extra pairs in the request are fine", default_a.clone())
            .by(INFRA)
            .grant(infra_grant())
            .ctx("aws:ebs:id", "vol-1")
            .ctx("purpose", "boot")
            .allow(BY_GRANT),
        case("EncryptionContextEquals: an extra pair is refused", default_a.clone())
            .by(INFRA)
            .grant(attach_grant(INFRA, None, Some(&[("aws:ebs:id", "vol-1")])))
            .ctx("aws:ebs:id", "vol-1")
            .ctx("purpose", "boot")
            .deny(NO_IAM),
        case("EncryptionContextEquals: the exact map", default_a.clone())
            .by(INFRA)
            .grant(attach_grant(INFRA, None, Some(&[("aws:ebs:id", "vol-1")])))
            .ctx("aws:ebs:id", "vol-1")
            .allow(BY_GRANT),
        case("a grant for another grantee", default_a.clone())
            .by(INFRA)
            .grant(attach_grant("arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/i-0def", Some(&[("aws:ebs:id", "vol-1")]), None))
            .ctx("aws:ebs:id", "vol-1")
            .deny(NO_IAM),
        case("a grant without the operation", default_a.clone())
            .by(INFRA)
            .does("kms:Encrypt")
            .grant(infra_grant())
            .ctx("aws:ebs:id", "vol-1")
            .deny(NO_IAM),
        case("a grant to a role covers its sessions", default_a.clone())
            .by(APP_SESSION)
            .grant(attach_grant(APP, None, None))
            .allow(BY_GRANT),
        case("a grant on another key", default_a.clone())
            .by(INFRA)
            .grant(GrantView { key_arn: KEY_A2.into(), ..infra_grant() })
            .ctx("aws:ebs:id", "vol-1")
            .deny(NO_IAM),
        case("the key policy is reported before a grant when both allow", no_root.clone())
            .by(APP)
            .grant(attach_grant(APP, None, None))
            .allow("Allowed by key policy statement \"Allow use of the key\""),
        // --- Separation of duties (seed 003) -------------------------------------------------------
        case("security admin can change the key policy", console.clone())
            .by(SEC)
            .does("kms:PutKeyPolicy")
            .allow("Allowed by key policy statement \"Allow access for Key Administrators\""),
        case("security admin can disable the key", console.clone()).by(SEC).does("kms:DisableKey").allow("\"Allow access for Key Administrators\""),
        case("security admin can schedule deletion", console.clone())
            .by(SEC)
            .does("kms:ScheduleKeyDeletion")
            .allow("\"Allow access for Key Administrators\""),
        case("security admin cannot decrypt", console.clone()).by(SEC).deny(NO_IAM),
        case("security admin cannot generate data keys", console.clone()).by(SEC).does("kms:GenerateDataKey").deny(NO_IAM),
        case("application role can decrypt", console.clone()).by(APP).allow("Allowed by key policy statement \"Allow use of the key\""),
        case("application role cannot schedule deletion", console.clone()).by(APP).does("kms:ScheduleKeyDeletion").deny(NO_IAM),
        case("application role cannot change the key policy", console.clone()).by(APP).does("kms:PutKeyPolicy").deny(NO_IAM),
        case("application role: CreateGrant for an AWS resource", console.clone())
            .by(APP)
            .does("kms:CreateGrant")
            .via(EC2_EAST)
            .for_aws_resource()
            .ops(&["Decrypt"])
            .allow("\"Allow attachment of persistent resources\""),
        case("application role: direct CreateGrant is refused", console.clone()).by(APP).does("kms:CreateGrant").ops(&["Decrypt"]).deny(NO_IAM),
        // --- Service principals -----------------------------------------------------------------
        case(
            "a Service principal covers the regional service endpoint",
            with(default_key_policy(A), vec![allow("EC2", json!({"Service": "ec2.amazonaws.com"}), json!("kms:DescribeKey"))]),
        )
        .by(EC2_SERVICE)
        .does("kms:DescribeKey")
        .allow("\"EC2\""),
        case("a service is not a principal of the account", default_a).by(EC2_SERVICE).does("kms:DescribeKey").deny(NO_KEY_POLICY),
    ]
}

#[test]
fn evaluation_table() {
    let cases = table();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let d = c.run();
        if d.allowed != c.allowed || !d.reason.contains(&c.reason) {
            failures.push(format!(
                "{}: expected {} with {:?}, got {} with {:?}\n  {}",
                c.name,
                if c.allowed { "allow" } else { "deny" },
                c.reason,
                if d.allowed { "allow" } else { "deny" },
                d.reason,
                d.steps.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_denial_is_an_access_denied_message_naming_principal_action_and_key() {
    for c in table().into_iter().filter(|c| !c.allowed) {
        let d = c.run();
        let head = format!(
            "User: {} is not authorized to perform: {} on resource: {} ",
            c.principal, c.action, c.key
        );
        assert!(d.reason.starts_with(&head), "{}: {}", c.name, d.reason);
        let tail = &d.reason[head.len()..];
        let known = [
            format!(
                "because no identity-based policy allows the {} action",
                c.action
            ),
            format!(
                "because no resource-based policy allows the {} action",
                c.action
            ),
            DENY_KEY.to_string(),
            DENY_IAM.to_string(),
        ];
        assert!(
            known.iter().any(|k| k == tail),
            "{}: unexpected tail {tail:?}",
            c.name
        );
    }
}

#[test]
fn exact_denial_message() {
    let d = case("", default_key_policy(A)).by(ALICE).run();
    assert_eq!(
        d.reason,
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the kms:Decrypt action"
    );
}

#[test]
fn steps_explain_every_statement_and_grant() {
    let c = case(
        "",
        console_default_policy(A, &[SEC.to_string()], &[APP.to_string()]),
    )
    .by(SEC)
    .iam("Unrelated", iam_allow(json!("ec2:RunInstances"), "*"))
    .grant(attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None));
    let d = c.run();
    assert!(!d.allowed);
    // Request line, 4 key policy statements, 1 identity statement, 1 grant, the delegation note, the decision.
    assert_eq!(d.steps.len(), 9, "{:#?}", d.steps);
    assert!(d.steps[0].starts_with("Request: "));
    assert!(
        d.steps[1].contains("\"Enable IAM User Permissions\" (Allow): applies"),
        "{}",
        d.steps[1]
    );
    assert!(d.steps[2].contains("\"Allow access for Key Administrators\" (Allow): does not apply; action kms:Decrypt is not in"), "{}", d.steps[2]);
    assert!(d.steps[3].contains("principal arn:aws:iam::111122223333:role/SecurityAdmin is not covered by [arn:aws:iam::111122223333:role/AppRole]"), "{}", d.steps[3]);
    assert!(
        d.steps[4].contains(
            "\"Allow attachment of persistent resources\" (Allow): does not apply; principal"
        ),
        "{}",
        d.steps[4]
    );
    assert!(
        d.steps[5].contains("Identity policy \"Unrelated\"")
            && d.steps[5].contains("does not apply"),
        "{}",
        d.steps[5]
    );
    assert!(
        d.steps[6].contains("Grant grant-attach") && d.steps[6].contains("its grantee is"),
        "{}",
        d.steps[6]
    );
    assert!(
        d.steps[8].starts_with("Decision: DENIED. User: "),
        "{}",
        d.steps[8]
    );
}

#[test]
fn steps_explain_a_failed_condition() {
    let d = case("", console_default_policy(A, &[], &[APP.to_string()]))
        .by(APP)
        .does("kms:CreateGrant")
        .ops(&["Decrypt"])
        .run();
    let line = d
        .steps
        .iter()
        .find(|s| s.contains("\"Allow attachment of persistent resources\""))
        .expect("a step for the statement");
    assert!(
        line.ends_with("does not apply; condition Bool kms:GrantIsForAWSResource [true] fails: the request has [false]."),
        "{line}"
    );
    let d = case("", console_default_policy(A, &[], &[APP.to_string()]))
        .by(APP)
        .run();
    assert!(
        d.steps
            .iter()
            .any(|s| s.contains("\"Allow use of the key\" (Allow): applies; it names the caller.")),
        "{:#?}",
        d.steps
    );
}

#[test]
fn steps_explain_a_grant_context_mismatch() {
    let d = case("", default_key_policy(A))
        .by(INFRA)
        .grant(attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None))
        .ctx("aws:ebs:id", "vol-2")
        .run();
    let line = d
        .steps
        .iter()
        .find(|s| s.starts_with("Grant grant-attach"))
        .expect("a grant step");
    assert!(
        line.contains("EncryptionContextSubset {\"aws:ebs:id\":\"vol-1\"} is not satisfied"),
        "{line}"
    );
    assert!(line.contains("has aws:ebs:id = vol-2, not vol-1"), "{line}");
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

#[test]
fn grant_allows_checks_grantee_operation_and_constraints() {
    let vol1 = context(&[("aws:ebs:id", "vol-1")]);
    let vol2 = context(&[("aws:ebs:id", "vol-2")]);
    let g = attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None);
    assert!(grant_allows(&g, &request(INFRA, "kms:Decrypt", &vol1)));
    assert!(!grant_allows(&g, &request(INFRA, "kms:Decrypt", &vol2)));
    assert!(!grant_allows(&g, &request(ALICE, "kms:Decrypt", &vol1)));
    assert!(!grant_allows(&g, &request(INFRA, "kms:Encrypt", &vol1)));
    let unconstrained = GrantView {
        constraints: None,
        ..g.clone()
    };
    assert!(grant_allows(
        &unconstrained,
        &request(INFRA, "kms:Decrypt", &vol2)
    ));
    let ops = vec!["Decrypt".to_string()];
    let create = Request {
        action: "kms:CreateGrant",
        grant_operations: &ops,
        external_id: None,
        ..request(SLR_A, "", &vol1)
    };
    let parent = GrantView {
        grantee_principal: SLR_A.into(),
        operations: vec!["CreateGrant".into(), "Decrypt".into()],
        ..unconstrained
    };
    assert!(grant_allows(&parent, &create));
    let too_much = vec!["Decrypt".to_string(), "Encrypt".to_string()];
    assert!(!grant_allows(
        &parent,
        &Request {
            grant_operations: &too_much,
            external_id: None,
            ..create
        }
    ));
}

// ---------------------------------------------------------------------------------------------
// Standard policies
// ---------------------------------------------------------------------------------------------

#[test]
fn standard_policies_are_valid_key_policies() {
    let users = [APP.to_string()];
    let admins = [SEC.to_string()];
    for (name, p) in [
        ("default", default_key_policy(A)),
        ("console", console_default_policy(A, &admins, &users)),
        (
            "console without admins or users",
            console_default_policy(A, &[], &[]),
        ),
        ("aws/ebs", aws_managed_ebs_policy(A, "us-east-1")),
    ] {
        assert!(
            validate_key_policy_syntax(&p.to_string()).is_ok(),
            "{name}: {:?}",
            validate_key_policy_syntax(&p.to_string())
        );
    }
    assert!(validate_key_policy(&default_key_policy(A).to_string(), ROOT_A, A).is_ok());
    let sids = |p: &Value| -> Vec<String> {
        p["Statement"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["Sid"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        sids(&console_default_policy(A, &admins, &users)),
        [
            "Enable IAM User Permissions",
            "Allow access for Key Administrators",
            "Allow use of the key",
            "Allow attachment of persistent resources"
        ]
    );
    assert_eq!(
        sids(&console_default_policy(A, &[], &[])),
        ["Enable IAM User Permissions"]
    );
    let ebs = aws_managed_ebs_policy(A, "eu-west-1");
    assert_eq!(
        ebs["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"],
        "ec2.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        ebs["Statement"][0]["Condition"]["StringEquals"]["kms:CallerAccount"],
        A
    );
    assert_eq!(
        default_key_policy(B)["Statement"][0]["Principal"]["AWS"],
        ROOT_B
    );
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

#[test]
fn validation_table() {
    let big = format!(
        "{{\"Statement\": [{{\"Sid\": \"{}\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}}]}}",
        "x".repeat(33_000)
    );
    let big_identity = format!(
        "{{\"Statement\": [{{\"Sid\": \"{}\", \"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}}]}}",
        "x".repeat(11_000)
    );
    let key = |s: Value| policy(vec![s]).to_string();
    let root = json!({"AWS": ROOT_A});
    let ok_stmt = json!({"Effect": "Allow", "Principal": root, "Action": "kms:*", "Resource": "*"});
    let with_field = |k: &str, v: Value| {
        let mut s = ok_stmt.clone();
        s[k] = v;
        key(s)
    };
    let without = |k: &str| {
        let mut s = ok_stmt.clone();
        s.as_object_mut().map(|m| m.remove(k));
        key(s)
    };
    // (name, kind, document, None when valid or Some(expected message prefix))
    let cases: Vec<(&str, PolicyKind, String, Option<&str>)> = vec![
        ("default key policy", PolicyKind::Key, default_key_policy(A).to_string(), None),
        ("not JSON", PolicyKind::Key, "{\"Statement\": [".into(), Some("Syntax errors in policy.")),
        ("a JSON array", PolicyKind::Key, "[]".into(), Some("Syntax errors in policy.")),
        ("no Statement", PolicyKind::Key, "{\"Version\": \"2012-10-17\"}".into(), Some("Missing required field Statement")),
        ("empty Statement list", PolicyKind::Key, "{\"Statement\": []}".into(), Some("Syntax errors in policy.")),
        ("Statement as a single object", PolicyKind::Key, json!({"Statement": ok_stmt}).to_string(), None),
        ("unknown policy element", PolicyKind::Key, json!({"Statement": [ok_stmt], "Extra": 1}).to_string(), Some("Syntax errors in policy.")),
        ("bad Version", PolicyKind::Key, json!({"Version": "2020-01-01", "Statement": [ok_stmt]}).to_string(), Some("Syntax errors in policy.")),
        ("no principal", PolicyKind::Key, without("Principal"), Some("Policy contains a statement with no principal.")),
        ("short account id", PolicyKind::Key, with_field("Principal", json!({"AWS": "arn:aws:iam::1234:root"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("group as principal", PolicyKind::Key, with_field("Principal", json!({"AWS": "arn:aws:iam::111122223333:group/admins"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("wildcard in principal ARN", PolicyKind::Key, with_field("Principal", json!({"AWS": "arn:aws:iam::111122223333:role/*"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("friendly name as principal", PolicyKind::Key, with_field("Principal", json!({"AWS": "alice"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("bad service principal", PolicyKind::Key, with_field("Principal", json!({"Service": "ec2"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("service principal", PolicyKind::Key, with_field("Principal", json!({"Service": "ec2.amazonaws.com"})), None),
        ("assumed-role session principal", PolicyKind::Key, with_field("Principal", json!({"AWS": INFRA})), None),
        ("service-linked role principal", PolicyKind::Key, with_field("Principal", json!({"AWS": [SLR_A, SPOT_A]})), None),
        ("bare account id principal", PolicyKind::Key, with_field("Principal", json!({"AWS": A})), None),
        ("lower-case effect", PolicyKind::Key, with_field("Effect", json!("allow")), Some("Invalid effect: allow")),
        ("no effect", PolicyKind::Key, without("Effect"), Some("Missing required field Effect")),
        ("unknown condition operator", PolicyKind::Key, with_field("Condition", json!({"StringEqual": {"kms:ViaService": EC2_EAST}})), Some("Invalid Condition type : StringEqual")),
        ("condition key without vendor", PolicyKind::Key, with_field("Condition", json!({"StringEquals": {"ViaService": EC2_EAST}})), Some("Actions/Conditions must be prefaced by a vendor")),
        ("condition with object value", PolicyKind::Key, with_field("Condition", json!({"StringEquals": {"kms:ViaService": {"a": 1}}})), Some("Syntax errors in policy.")),
        ("set operators and IfExists", PolicyKind::Key, with_field("Condition", json!({"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}, "StringEqualsIfExists": {"kms:ViaService": EC2_EAST}, "Bool": {"kms:GrantIsForAWSResource": true}})), None),
        ("action without vendor", PolicyKind::Key, with_field("Action", json!("Decrypt")), Some("Actions/Conditions must be prefaced by a vendor")),
        ("Action and NotAction", PolicyKind::Key, with_field("NotAction", json!("kms:Decrypt")), Some("Syntax errors in policy.")),
        ("key policy statement without Resource is accepted (no effect)", PolicyKind::Key, without("Resource"), None),
        ("key policy statement without Action is accepted (no effect)", PolicyKind::Key, without("Action"), None),
        ("Resource not an ARN", PolicyKind::Key, with_field("Resource", json!("key/1234")), Some("Resource key/1234 must be in ARN format or \"*\".")),
        ("unknown statement element", PolicyKind::Key, with_field("Actions", json!("kms:*")), Some("Syntax errors in policy.")),
        ("duplicate Sid", PolicyKind::Key, policy(vec![json!({"Sid": "S", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}), json!({"Sid": "S", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"})]).to_string(), Some("Statement IDs (SID) in a single policy must be unique.")),
        ("character outside Latin-1", PolicyKind::Key, with_field("Sid", json!("key → users")), Some("Policy contains the character")),
        ("over 32768 bytes", PolicyKind::Key, big, Some("1 validation error detected")),
        ("seed 000 least privilege", PolicyKind::Identity, seed000_least_privilege().to_string(), None),
        ("seed 004 IAM policy", PolicyKind::Identity, seed004_iam().1.to_string(), None),
        ("identity policy with a principal", PolicyKind::Identity, key(ok_stmt.clone()), Some("Policy document should not specify a principal.")),
        ("identity policy without Resource", PolicyKind::Identity, policy(vec![json!({"Effect": "Allow", "Action": "kms:*"})]).to_string(), Some("Policy statement must contain resources.")),
        ("identity policy without Action", PolicyKind::Identity, policy(vec![json!({"Effect": "Allow", "Resource": "*"})]).to_string(), Some("Policy statement must contain actions.")),
        ("identity Sid with spaces", PolicyKind::Identity, policy(vec![json!({"Sid": "Use the key", "Effect": "Allow", "Action": "kms:*", "Resource": "*"})]).to_string(), Some("Statement IDs (SID) must be alpha-numeric.")),
        ("identity policy over 10240 characters", PolicyKind::Identity, big_identity, Some("Cannot exceed quota for PolicySize: 10240")),
    ];
    let mut failures = Vec::new();
    for (name, kind, doc, expected) in &cases {
        let got = validate_document(doc, *kind);
        let ok = match (expected, &got) {
            (None, Ok(v)) => v == &serde_json::from_str::<Value>(doc).unwrap_or(Value::Null),
            (Some(msg), Err(e)) => e.starts_with(msg),
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn validate_policy_tells_key_and_identity_policies_apart() {
    assert!(validate_policy(&default_key_policy(A).to_string()).is_ok());
    assert!(validate_policy(&seed000_least_privilege().to_string()).is_ok());
    let no_resource = policy(vec![json!({"Effect": "Allow", "Action": "kms:*"})]).to_string();
    assert_eq!(
        validate_policy(&no_resource),
        Err("Policy statement must contain resources.".to_string())
    );
    let mixed = policy(vec![
        allow("A", aws(ROOT_A), json!("kms:*")),
        json!({"Effect": "Allow", "Action": "kms:*", "Resource": "*"}),
    ]);
    assert_eq!(
        validate_policy(&mixed.to_string()),
        Err("Policy contains a statement with no principal.".to_string())
    );
    assert_eq!(
        validate_identity_policy(&default_key_policy(A).to_string()),
        Err("Policy document should not specify a principal.".to_string())
    );
}

#[test]
fn lockout_check_table() {
    let only_app = policy(vec![allow("Allow use of the key", aws(APP), use_actions())]);
    let admins_only = policy(vec![allow(
        "Admins",
        aws(SEC),
        json!(["kms:Put*", "kms:Describe*"]),
    )]);
    let deny_put = with(
        default_key_policy(A),
        vec![deny("Frozen", json!("*"), json!("kms:PutKeyPolicy"))],
    );
    let specific_resource = policy(vec![
        json!({"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": ROOT_A}, "Action": "kms:*", "Resource": KEY_A}),
    ]);
    let via_only = policy(vec![cond(
        allow("Via", aws(ROOT_A), json!("kms:*")),
        json!({"StringEquals": {"kms:ViaService": EC2_EAST}}),
    )]);
    let cases: Vec<(&str, Value, &str, &str, bool)> = vec![
        (
            "default policy, root caller",
            default_key_policy(A),
            ROOT_A,
            A,
            true,
        ),
        (
            "default policy, IAM user of the account (delegation)",
            default_key_policy(A),
            ALICE,
            A,
            true,
        ),
        (
            "policy naming only the application role",
            only_app.clone(),
            ROOT_A,
            A,
            false,
        ),
        (
            "policy naming only the application role, role caller",
            only_app,
            APP,
            A,
            false,
        ),
        (
            "key administrators with kms:Put*",
            admins_only.clone(),
            SEC,
            A,
            true,
        ),
        (
            "key administrators, another caller",
            admins_only,
            ALICE,
            A,
            false,
        ),
        ("a Deny on PutKeyPolicy", deny_put, ROOT_A, A, false),
        (
            "another account's default policy",
            default_key_policy(B),
            ROOT_A,
            A,
            false,
        ),
        (
            "Resource naming a key ARN still counts",
            specific_resource,
            ROOT_A,
            A,
            true,
        ),
        (
            "a condition the caller cannot meet",
            via_only,
            ROOT_A,
            A,
            false,
        ),
    ];
    for (name, p, caller, account, ok) in cases {
        let got = validate_key_policy(&p.to_string(), caller, account);
        match (ok, &got) {
            (true, Ok(_)) => {}
            (false, Err(e)) => assert_eq!(e, LOCKOUT_MESSAGE, "{name}"),
            _ => panic!(
                "{name}: expected {}, got {got:?}",
                if ok { "accepted" } else { "lockout" }
            ),
        }
    }
    // Syntax errors come before the lockout check.
    assert_eq!(
        validate_key_policy("{", ROOT_A, A).map_err(|e| e.starts_with("Syntax errors in policy.")),
        Err(true)
    );
}

#[test]
fn wildcards() {
    let cases = [
        ("kms:*", "kms:Decrypt", true, true),
        ("kms:ReEncrypt*", "kms:ReEncryptTo", true, true),
        ("kms:ReEncrypt*", "kms:Decrypt", true, false),
        ("kms:GenerateDataKey*", "kms:GenerateDataKey", true, true),
        ("KMS:DECRYPT", "kms:Decrypt", true, true),
        ("KMS:DECRYPT", "kms:Decrypt", false, false),
        ("vol-?", "vol-1", false, true),
        ("vol-?", "vol-", false, false),
        ("*-*-*", "a-b-c", false, true),
        ("a*b*c", "aXbYbZc", false, true),
        ("a*b*c", "aXbYbZ", false, false),
        ("", "", false, true),
        ("*", "", false, true),
    ];
    for (pattern, text, ignore_case, expected) in cases {
        assert_eq!(
            wildcard_match(pattern, text, ignore_case),
            expected,
            "{pattern} vs {text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const PRINCIPALS: &[&str] = &[
    ROOT_A,
    ALICE,
    APP,
    APP_SESSION,
    SLR_A,
    INFRA,
    BOB_B,
    ROOT_B,
    EC2_SERVICE,
];
const KEY_B: &str = "arn:aws:kms:us-east-1:444455556666:key/5555aaaa-5555-aaaa-5555-aaaa5555aaaa";

fn principal_values() -> Vec<Value> {
    vec![
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": ROOT_A}),
        json!({"AWS": A}),
        json!({"AWS": ROOT_B}),
        json!({"AWS": ALICE}),
        json!({"AWS": APP}),
        json!({"AWS": [APP, SLR_A]}),
        json!({"AWS": BOB_B}),
        json!({"Service": "ec2.amazonaws.com"}),
    ]
}

fn action_values() -> Vec<Value> {
    vec![
        json!("kms:*"),
        json!("kms:Decrypt"),
        json!("kms:Encrypt"),
        json!("kms:ReEncrypt*"),
        json!("kms:GenerateDataKey*"),
        json!("kms:CreateGrant"),
        json!("kms:PutKeyPolicy"),
        json!("kms:Describe*"),
        json!(["kms:Decrypt", "kms:CreateGrant"]),
    ]
}

fn condition_values() -> Vec<Option<Value>> {
    vec![
        None,
        Some(json!({"Bool": {"kms:GrantIsForAWSResource": true}})),
        Some(json!({"StringEquals": {"kms:ViaService": EC2_EAST}})),
        Some(json!({"StringEquals": {"kms:CallerAccount": A}})),
        Some(json!({"StringLike": {"kms:EncryptionContext:aws:ebs:id": "vol-*"}})),
        Some(json!({"StringNotEquals": {"kms:CallerAccount": B}})),
        Some(json!({"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "Encrypt"]}})),
        Some(json!({"StringEqualsIfExists": {"kms:ViaService": EC2_EAST}})),
    ]
}

const RESOURCES: &[&str] = &[
    "*",
    KEY_A,
    KEY_A2,
    "arn:aws:kms:*:111122223333:key/*",
    KEY_B,
];

/// (deny, principal, action, NotAction, resource, condition) as indices into the vocabularies.
type StmtSpec = (bool, usize, usize, bool, usize, usize);

fn stmt_spec() -> impl Strategy<Value = StmtSpec> {
    (
        prop::bool::weighted(0.25),
        0..10usize,
        0..9usize,
        prop::bool::weighted(0.1),
        0..5usize,
        0..8usize,
    )
}

fn build_stmt((is_deny, p, a, not, r, c): StmtSpec, key_policy: bool) -> Value {
    let mut s = json!({"Effect": if is_deny { "Deny" } else { "Allow" }});
    if key_policy {
        s["Principal"] = principal_values()[p].clone();
    }
    s[if not { "NotAction" } else { "Action" }] = action_values()[a].clone();
    s["Resource"] = json!(RESOURCES[r]);
    if let Some(cv) = &condition_values()[c] {
        s["Condition"] = cv.clone();
    }
    s
}

#[derive(Clone, Debug)]
struct World {
    key_stmts: Vec<StmtSpec>,
    identity: Vec<Vec<StmtSpec>>,
    grants: Vec<(usize, Vec<usize>, usize)>,
    principal: usize,
    action: usize,
    key_b: bool,
    context: usize,
    for_aws: bool,
    via: bool,
    grant_ops: usize,
    managed: bool,
}

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:DescribeKey",
];
const GRANT_OPS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "CreateGrant",
    "GenerateDataKeyWithoutPlaintext",
];

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(stmt_spec(), 0..5),
        prop::collection::vec(prop::collection::vec(stmt_spec(), 0..3), 0..3),
        prop::collection::vec(
            (0..9usize, prop::collection::vec(0..4usize, 1..3), 0..3usize),
            0..3,
        ),
        (0..9usize, 0..7usize, any::<bool>(), 0..3usize),
        (
            any::<bool>(),
            any::<bool>(),
            0..3usize,
            prop::bool::weighted(0.2),
        ),
    )
        .prop_map(
            |(
                key_stmts,
                identity,
                grants,
                (principal, action, key_b, context),
                (for_aws, via, grant_ops, managed),
            )| World {
                key_stmts,
                identity,
                grants,
                principal,
                action,
                key_b,
                context,
                for_aws,
                via,
                grant_ops,
                managed,
            },
        )
}

impl World {
    fn decide(&self) -> Decision {
        let key_policy = policy(
            self.key_stmts
                .iter()
                .map(|s| build_stmt(*s, true))
                .collect(),
        );
        let identity: Vec<(String, Value)> = self
            .identity
            .iter()
            .enumerate()
            .map(|(i, stmts)| {
                (
                    format!("P{i}"),
                    policy(stmts.iter().map(|s| build_stmt(*s, false)).collect()),
                )
            })
            .collect();
        let key = if self.key_b { KEY_B } else { KEY_A };
        let grants: Vec<GrantView> = self
            .grants
            .iter()
            .enumerate()
            .map(|(i, (grantee, ops, constraint))| GrantView {
                grant_id: format!("g{i}"),
                name: None,
                key_arn: key.into(),
                grantee_principal: PRINCIPALS[*grantee].into(),
                retiring_principal: None,
                operations: ops.iter().map(|o| GRANT_OPS[*o].to_string()).collect(),
                constraints: match constraint {
                    0 => None,
                    1 => Some(GrantConstraints {
                        encryption_context_subset: Some(context(&[("aws:ebs:id", "vol-1")])),
                        encryption_context_equals: None,
                    }),
                    _ => Some(GrantConstraints {
                        encryption_context_subset: None,
                        encryption_context_equals: Some(context(&[("aws:ebs:id", "vol-1")])),
                    }),
                },
            })
            .collect();
        let ctx = match self.context {
            0 => context(&[]),
            1 => context(&[("aws:ebs:id", "vol-1")]),
            _ => context(&[("aws:ebs:id", "vol-2"), ("purpose", "boot")]),
        };
        let grant_ops: Vec<String> = match self.grant_ops {
            0 => vec![],
            1 => vec!["Decrypt".into()],
            _ => vec!["Decrypt".into(), "CreateGrant".into()],
        };
        let principal = PRINCIPALS[self.principal];
        let req = Request {
            principal_arn: principal,
            principal_account: account_of(principal),
            action: ACTIONS[self.action],
            key_arn: key,
            key_account: account_of(key),
            encryption_context: &ctx,
            grant_is_for_aws_resource: self.for_aws,
            via_service: if self.via { Some(EC2_EAST) } else { None },
            grant_operations: &grant_ops,
            external_id: None,
        };
        let p = Policies {
            key_policy: &key_policy,
            identity_policies: &identity,
            grants: &grants,
            key_is_aws_managed: self.managed,
        };
        evaluate(&req, &p)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn adding_an_explicit_deny_never_turns_a_denial_into_an_allow(
        w in world(),
        extra in stmt_spec(),
        into_identity in any::<bool>(),
        at in 0..8usize,
    ) {
        let before = w.decide();
        let mut w2 = w.clone();
        let extra = (true, extra.1, extra.2, extra.3, extra.4, extra.5);
        if into_identity {
            if w2.identity.is_empty() {
                w2.identity.push(vec![]);
            }
            let n = w2.identity.len();
            let list = &mut w2.identity[at % n];
            let pos = at % (list.len() + 1);
            list.insert(pos, extra);
        } else {
            let pos = at % (w2.key_stmts.len() + 1);
            w2.key_stmts.insert(pos, extra);
        }
        let after = w2.decide();
        if !before.allowed {
            prop_assert!(!after.allowed, "before: {}\nafter: {}\n{:#?}", before.reason, after.reason, after.steps);
        }
    }

    #[test]
    fn removing_an_allow_never_turns_a_denial_into_an_allow(w in world(), pick in 0..32usize) {
        let before = w.decide();
        // Every Allow: key policy statements, identity statements, and grants.
        let mut spots = Vec::new();
        for (i, s) in w.key_stmts.iter().enumerate() {
            if !s.0 { spots.push((0, i, 0)); }
        }
        for (p, list) in w.identity.iter().enumerate() {
            for (i, s) in list.iter().enumerate() {
                if !s.0 { spots.push((1, p, i)); }
            }
        }
        for i in 0..w.grants.len() {
            spots.push((2, i, 0));
        }
        prop_assume!(!spots.is_empty());
        let (kind, a, b) = spots[pick % spots.len()];
        let mut w2 = w.clone();
        match kind {
            0 => { w2.key_stmts.remove(a); }
            1 => { w2.identity[a].remove(b); }
            _ => { w2.grants.remove(a); }
        }
        let after = w2.decide();
        if !before.allowed {
            prop_assert!(!after.allowed, "before: {}\nafter: {}\n{:#?}", before.reason, after.reason, after.steps);
        }
    }

    #[test]
    fn every_statement_and_grant_gets_a_step(w in world()) {
        let d = w.decide();
        let statements = w.key_stmts.len().max(1) + w.identity.iter().map(|l| l.len().max(1)).sum::<usize>().max(1);
        prop_assert!(d.steps.len() >= statements + w.grants.len() + 2);
        prop_assert!(d.steps.last().is_some_and(|s| s.starts_with("Decision: ") && s.ends_with(&d.reason)));
    }

    #[test]
    fn validation_never_panics(doc in ".{0,200}") {
        let _ = validate_policy(&doc);
        let _ = validate_key_policy(&doc, ROOT_A, A);
    }

    #[test]
    fn evaluation_never_panics_on_arbitrary_documents(doc in arbitrary_json()) {
        let ctx = BTreeMap::new();
        let req = request(ALICE, "kms:Decrypt", &ctx);
        let identity = vec![("P".to_string(), doc.clone())];
        let d = evaluate(&req, &Policies { key_policy: &doc, identity_policies: &identity, grants: &[], key_is_aws_managed: false });
        prop_assert!(!d.steps.is_empty());
        let _ = validate_policy(&doc.to_string());
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "Statement",
        "Effect",
        "Allow",
        "Deny",
        "Principal",
        "AWS",
        "*",
        "Action",
        "NotAction",
        "kms:*",
        "kms:Decrypt",
        "Resource",
        "Condition",
        "StringEquals",
        "Bool",
        "kms:ViaService",
        "ForAllValues:StringLike",
        ROOT_A,
        ALICE,
        "true",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        words.clone().prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((words.clone(), inner), 0..4).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

/// `kms:CreateKey` (no key yet): only identity policies decide, the root user may, an explicit
/// Deny wins; the denial names resource `*` as KMS does.
#[test]
fn create_key_is_decided_by_identity_policies_alone() {
    let allow = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Create*", "Resource": "*"}]});
    let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:CreateKey", "Resource": "*"}]});
    let other = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]});
    let named = |docs: &[(&str, &Value)]| -> Vec<(String, Value)> {
        docs.iter()
            .map(|(n, d)| (n.to_string(), (*d).clone()))
            .collect()
    };
    type Case<'a> = (&'a str, &'a str, Vec<(String, Value)>, bool, &'a str);
    let cases: Vec<Case> = vec![
        ("root user", ROOT_A, vec![], true, "root user"),
        ("no identity policy", ALICE, vec![], false, NO_IAM),
        (
            "an unrelated allow",
            ALICE,
            named(&[("read", &other)]),
            false,
            NO_IAM,
        ),
        (
            "kms:Create* allows",
            ALICE,
            named(&[("admin", &allow)]),
            true,
            "Allowed by identity policy \"admin\"",
        ),
        (
            "role session uses its role's policies",
            APP_SESSION,
            named(&[("admin", &allow)]),
            true,
            "Allowed by identity policy",
        ),
        (
            "explicit deny wins",
            ALICE,
            named(&[("admin", &allow), ("no-keys", &deny)]),
            false,
            DENY_IAM,
        ),
    ];
    for (name, who, identity, allowed, why) in cases {
        let account = if who.contains(B) { B } else { A };
        let req = Request::new(who, account, "kms:CreateKey", "*", account);
        let d = evaluate_identity(&req, &identity);
        assert_eq!(d.allowed, allowed, "{name}: {:#?}", d.steps);
        assert!(d.reason.contains(why), "{name}: {}", d.reason);
        if !allowed {
            assert!(
                d.reason.starts_with(&format!(
                    "User: {who} is not authorized to perform: kms:CreateKey on resource: * "
                )),
                "{name}: {}",
                d.reason
            );
        }
    }
}
