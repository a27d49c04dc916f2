//! The policy templates: the one copy of the example key, identity and trust policies that the
//! Policies tab offers, the operation forms start with and the guided scenarios apply.
//!
//! Statements are built from a few named parts (root delegation, key use, grants for AWS
//! resources, key administration) so each document teaches one rule and they cannot drift
//! apart. The model decides whether a document is valid; the tests feed every template to it.

use crate::json;
use crate::model::policy::{console_default_policy, default_key_policy, PolicyKind};
use serde_json::Value;

/// The policy language version every template declares.
pub const VERSION: &str = "2012-10-17";

/// The actions that use a key for EBS encryption (seed 004's first statement).
pub const USE_ACTIONS: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
];

/// The actions of a key administrator, who manages keys but cannot use them (seed 003).
pub const ADMIN_ACTIONS: &[&str] = &[
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

/// The service principal EC2 instances assume roles as.
pub const EC2_SERVICE: &str = "ec2.amazonaws.com";

/// The account root's ARN: naming it delegates to the account's IAM policies.
pub fn root_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// The ARN of an IAM role.
pub fn role_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

/// The ARN of an IAM user.
pub fn user_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:user/{name}")
}

/// The Auto Scaling service-linked role of an account.
pub fn autoscaling_role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
}

/// The playground's other account: the partner of the default one, and the reverse.
pub fn other_account(account: &str) -> &'static str {
    if account == "444455556666" {
        "111122223333"
    } else {
        "444455556666"
    }
}

/// A document from its statements, with an `Id` when given.
pub fn document(id: Option<&str>, statements: Vec<Value>) -> Value {
    match id {
        Some(id) => json!({"Version": VERSION, "Id": id, "Statement": statements}),
        None => json!({"Version": VERSION, "Statement": statements}),
    }
}

/// The default key policy's statement: the account root, hence its IAM policies, may do
/// everything. Taken from the model's default key policy, so both say the same.
pub fn root_statement(account: &str) -> Value {
    default_key_policy(account)["Statement"]
        .get(0)
        .cloned()
        .unwrap_or(Value::Null)
}

/// `principals` may use the key directly (seed 004's first statement).
pub fn use_statement(sid: &str, principals: &[String]) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principals},
        "Action": USE_ACTIONS, "Resource": "*"})
}

/// `principals` may create grants, only for AWS resources when `aws_only` (seed 004's second
/// statement: EBS creates a grant when it attaches a volume).
pub fn grant_statement(sid: &str, principals: &[String], aws_only: bool) -> Value {
    let mut s = json!({"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principals},
        "Action": ["kms:CreateGrant"], "Resource": "*"});
    if aws_only {
        s["Condition"] = json!({"Bool": {"kms:GrantIsForAWSResource": true}});
    }
    s
}

/// `principals` may administer the key (create, describe, enable, disable, change policies and
/// tags, schedule deletion) but not use it: no Encrypt, Decrypt or GenerateDataKey (seed 003).
pub fn admin_statement(sid: &str, principals: &[String]) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principals},
        "Action": ADMIN_ACTIONS, "Resource": "*"})
}

/// Seed 003's compliance design, one key policy per key: root delegation (so the key stays
/// manageable), `admins` who manage the key but cannot use it, and `users` who use it, and
/// create grants only for AWS resources, but cannot manage it.
pub fn separated_duties_key_policy(account: &str, admins: &[String], users: &[String]) -> Value {
    document(
        Some("key-policy-separation-of-duties"),
        vec![
            root_statement(account),
            admin_statement("Allow key administration, not use", admins),
            use_statement("Allow use of the key, not its administration", users),
            grant_statement("Allow attachment of persistent resources", users, true),
        ],
    )
}

/// Seed 004, example 1: root delegation, and the Auto Scaling service-linked role may use the
/// key and create grants for AWS resources.
pub fn autoscaling_key_policy(account: &str) -> Value {
    let slr = vec![autoscaling_role(account)];
    document(
        Some("key-policy-with-autoscaling"),
        vec![
            root_statement(account),
            use_statement(
                "Allow service-linked role use of the customer managed key",
                &slr,
            ),
            grant_statement("Allow attachment of persistent resources", &slr, true),
        ],
    )
}

/// Seed 004, example 2 (key side): root delegation, and account `other` may use the key and
/// create grants (only for AWS resources when `aws_only`). That account's IAM policies must
/// still allow its principals.
pub fn cross_account_key_policy(owner: &str, other: &str, aws_only: bool) -> Value {
    let them = vec![root_arn(other)];
    document(
        Some("key-policy-cross-account"),
        vec![
            root_statement(owner),
            use_statement(&format!("Allow account {other} use of the key"), &them),
            grant_statement(
                &format!("Allow attachment of persistent resources in account {other}"),
                &them,
                aws_only,
            ),
        ],
    )
}

/// A key policy that names one principal and no root: a lockout trap.
pub fn only_principal_key_policy(principal: &str) -> Value {
    document(
        None,
        vec![
            json!({"Sid": "Only the application role", "Effect": "Allow",
            "Principal": {"AWS": principal}, "Action": ["kms:*"], "Resource": "*"}),
        ],
    )
}

/// An identity statement allowing `actions` on `resource`.
pub fn allow(sid: Option<&str>, actions: &[&str], resource: &str) -> Value {
    let mut s = json!({"Effect": "Allow", "Action": actions, "Resource": resource});
    if let Some(sid) = sid {
        s["Sid"] = json!(sid);
    }
    s
}

/// Identity policy of an application: use the key, and create grants only when an AWS service
/// such as EBS creates them on the caller's behalf (seed 000, least privilege).
pub fn use_keys_policy(resource: &str) -> Value {
    let mut grants = allow(
        Some("GrantsForAwsResourcesOnly"),
        &["kms:CreateGrant"],
        resource,
    );
    grants["Condition"] = json!({"Bool": {"kms:GrantIsForAWSResource": true}});
    document(
        None,
        vec![allow(Some("UseKeys"), USE_ACTIONS, resource), grants],
    )
}

/// Identity policy of a key administrator: manage, not use (seed 003).
pub fn manage_keys_policy(resource: &str) -> Value {
    document(
        None,
        vec![allow(Some("KeyAdministration"), ADMIN_ACTIONS, resource)],
    )
}

/// Identity policy: CreateGrant only for AWS resources and only through EC2 in `region`.
pub fn create_grant_via_ec2_policy(resource: &str, region: &str) -> Value {
    let mut s = allow(None, &["kms:CreateGrant"], resource);
    s["Condition"] = json!({
        "Bool": {"kms:GrantIsForAWSResource": true},
        "StringLike": {"kms:ViaService": format!("ec2.{region}.amazonaws.com")}
    });
    document(None, vec![s])
}

/// Identity policy: the caller's side of `sts:AssumeRole` on `role` (an ARN, may end in `*`).
pub fn assume_role_policy(role: &str) -> Value {
    document(None, vec![allow(None, &["sts:AssumeRole"], role)])
}

/// Trust policy naming an AWS principal (an account root, a user, a role).
pub fn trust_policy(principal: &str) -> Value {
    document(
        None,
        vec![json!({"Effect": "Allow", "Principal": {"AWS": principal},
            "Action": "sts:AssumeRole"})],
    )
}

/// Trust policy naming a service (`ec2.amazonaws.com`).
pub fn service_trust_policy(service: &str) -> Value {
    document(
        None,
        vec![json!({"Effect": "Allow", "Principal": {"Service": service},
            "Action": "sts:AssumeRole"})],
    )
}

/// What a template is built for: the caller's account and region, and the key ARN that
/// identity policies name (`*` when there is none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateEnv {
    /// The account the document is for.
    pub account: String,
    /// The region of the caller.
    pub region: String,
    /// The key identity policies name.
    pub key_arn: String,
}

/// A template of the Policies tab: name, what it teaches, and its document.
#[derive(Clone, Copy)]
pub struct Template {
    /// Button label.
    pub name: &'static str,
    /// One sentence: what it teaches.
    pub about: &'static str,
    /// The rules it is checked against.
    pub kind: PolicyKind,
    /// The document for an environment.
    pub doc: fn(&TemplateEnv) -> Value,
}

/// The Policies tab's templates: key policies, then trust and identity policies (identity
/// policies come last).
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "Default key policy",
        about: "Gives the account (root) full access, so IAM policies in the account decide.",
        kind: PolicyKind::Key,
        doc: |e| default_key_policy(&e.account),
    },
    Template {
        name: "Console default: administrators and users",
        about: "Root delegation, key administrators who manage but cannot use the key, and key users who use it and create grants for AWS resources.",
        kind: PolicyKind::Key,
        doc: |e| {
            console_default_policy(
                &e.account,
                &[role_arn(&e.account, "KeyAdmin")],
                &[role_arn(&e.account, "AppRole")],
            )
        },
    },
    Template {
        name: "Security admin manages, app role uses (seed 003)",
        about: "The compliance design's key policy: the SecurityAdmin role may administer the key but not encrypt or decrypt; AppRole may use it (grants only for AWS resources) but not manage it.",
        kind: PolicyKind::Key,
        doc: |e| {
            separated_duties_key_policy(
                &e.account,
                &[role_arn(&e.account, "SecurityAdmin")],
                &[role_arn(&e.account, "AppRole")],
            )
        },
    },
    Template {
        name: "Auto Scaling service-linked role (seed 004)",
        about: "The two statements that let Auto Scaling launch instances with volumes under this key: use the key, and create grants for AWS resources.",
        kind: PolicyKind::Key,
        doc: |e| autoscaling_key_policy(&e.account),
    },
    Template {
        name: "Cross-account use (seed 004), key side",
        about: "Lets the other account use the key and create grants for AWS resources; that account's IAM policies must also allow it.",
        kind: PolicyKind::Key,
        doc: |e| cross_account_key_policy(&e.account, other_account(&e.account), false),
    },
    Template {
        name: "Key policy without root delegation (a trap)",
        about: "Only the named role may use the key; IAM policies in the account no longer help anyone else, including administrators.",
        kind: PolicyKind::Key,
        doc: |e| only_principal_key_policy(&role_arn(&e.account, "AppRole")),
    },
    Template {
        name: "Least-privilege CreateGrant (identity policy)",
        about: "Lets a principal create grants only for AWS resources (EBS attaching a volume), through EC2.",
        kind: PolicyKind::Identity,
        doc: |e| create_grant_via_ec2_policy(&e.key_arn, &e.region),
    },
    Template {
        name: "Use the key for EBS (identity policy)",
        about: "What an application role needs to create and attach encrypted volumes, and nothing to manage the key.",
        kind: PolicyKind::Identity,
        doc: |e| use_keys_policy(&e.key_arn),
    },
    Template {
        name: "Manage but not use (identity policy)",
        about: "A security administrator: manages the key's lifecycle and policy, cannot encrypt or decrypt (seed 003's separation of duties).",
        kind: PolicyKind::Identity,
        doc: |e| manage_keys_policy(&e.key_arn),
    },
    Template {
        name: "Trust a user of this account",
        about: "Only the named user may assume the role; in the role's own account the trust policy alone is enough.",
        kind: PolicyKind::Trust,
        doc: |e| trust_policy(&user_arn(&e.account, "alice")),
    },
    Template {
        name: "Trust another account",
        about: "The other account may assume the role, but only its principals whose identity policies allow sts:AssumeRole on it: across accounts both sides must allow.",
        kind: PolicyKind::Trust,
        doc: |e| trust_policy(&root_arn(other_account(&e.account))),
    },
    Template {
        name: "Allow assuming a role (identity policy)",
        about: "The caller's side of AssumeRole: needed when the trust policy names an account rather than the caller, and always across accounts.",
        kind: PolicyKind::Identity,
        doc: |e| assume_role_policy(&role_arn(other_account(&e.account), "*")),
    },
];

/// The sample a form's policy field starts with, by member name: a trust policy for EC2, an
/// identity policy that uses keys, else the default key policy of `account`.
pub fn sample_policy(member: &str, account: &str) -> Value {
    match member {
        "AssumeRolePolicyDocument" => service_trust_policy(EC2_SERVICE),
        "PolicyDocument" => use_keys_policy("*"),
        _ => default_key_policy(account),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::validate_document;
    use crate::session::Session;

    fn env(s: &Session, key_arn: &str) -> TemplateEnv {
        let c = s.caller();
        TemplateEnv {
            account: c.account,
            region: c.region,
            key_arn: key_arn.to_string(),
        }
    }

    /// Runs a line and returns its error code, if any.
    fn run(s: &mut Session, line: &str) -> Option<String> {
        s.run(line)
            .and_then(|e| e.result.error.clone())
            .map(|e| format!("{}: {}", e.code, e.message))
    }

    /// A session with a key, the roles and the user the templates name, in both accounts.
    fn session() -> (Session, String) {
        let mut s = Session::new(7);
        for line in [
            "KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)",
            "aws iam create-user --user-name alice",
            "aws iam create-role --role-name target --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'",
            "aws iam create-role --role-name KeyAdmin --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'",
            "aws iam create-role --role-name AppRole --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'",
        ] {
            assert_eq!(run(&mut s, line), None, "{line}");
        }
        let key = s.shell().var("KEY").unwrap_or_default().to_string();
        assert!(key.starts_with("arn:aws:kms:"), "{key}");
        (s, key)
    }

    #[test]
    fn every_template_is_accepted_by_the_model_where_it_belongs() {
        let mut checked = 0;
        for t in TEMPLATES {
            // A fresh session per template: the lockout trap would lock the next one out.
            let (mut s, key) = session();
            let doc = (t.doc)(&env(&s, &key)).to_string();
            assert!(validate_document(&doc, t.kind).is_ok(), "{}", t.name);
            let params = match t.kind {
                PolicyKind::Key => ("kms", "PutKeyPolicy", json!({"KeyId": key, "Policy": doc})),
                PolicyKind::Identity => (
                    "iam",
                    "PutRolePolicy",
                    json!({"RoleName": "target", "PolicyName": "t", "PolicyDocument": doc}),
                ),
                PolicyKind::Trust => (
                    "iam",
                    "UpdateAssumeRolePolicy",
                    json!({"RoleName": "target", "PolicyDocument": doc}),
                ),
            };
            let line = crate::cli::to_cli(params.0, params.1, &params.2);
            let keeps_root = doc.contains(&root_arn(&s.caller().account));
            match (t.kind, keeps_root) {
                (PolicyKind::Key, false) => {
                    // The lockout trap: KMS refuses it from the account root unless the
                    // caller bypasses the safety check, as a new key's policy.
                    let refused = run(&mut s, &line).unwrap_or_default();
                    assert!(
                        refused.contains("will not allow you to update"),
                        "{refused}"
                    );
                    let create = crate::cli::to_cli(
                        "kms",
                        "CreateKey",
                        &json!({"Policy": doc, "BypassPolicyLockoutSafetyCheck": true}),
                    );
                    assert_eq!(run(&mut s, &create), None, "{}: {create}", t.name);
                }
                _ => assert_eq!(run(&mut s, &line), None, "{}: {line}", t.name),
            }
            checked += 1;
        }
        assert_eq!(checked, TEMPLATES.len());
    }

    #[test]
    fn templates_are_of_their_kind_and_not_of_the_others() {
        let s = Session::new(1);
        let e = env(&s, "*");
        for t in TEMPLATES {
            let doc = (t.doc)(&e).to_string();
            for kind in [PolicyKind::Key, PolicyKind::Identity, PolicyKind::Trust] {
                let ok = validate_document(&doc, kind).is_ok();
                if kind == t.kind {
                    assert!(ok, "{} should be a valid {kind:?} policy", t.name);
                } else if t.kind == PolicyKind::Identity || kind == PolicyKind::Identity {
                    // Identity documents name no principal; resource-based ones do.
                    assert!(!ok, "{} should not be a valid {kind:?} policy", t.name);
                }
            }
        }
        let last_key = TEMPLATES.iter().rposition(|t| t.kind == PolicyKind::Key);
        assert!(last_key.is_some_and(|i| i < TEMPLATES.len() - 1));
        assert_eq!(TEMPLATES.last().map(|t| t.kind), Some(PolicyKind::Identity));
    }

    #[test]
    fn form_samples_validate_as_the_member_they_fill() {
        let cases = [
            ("AssumeRolePolicyDocument", PolicyKind::Trust),
            ("PolicyDocument", PolicyKind::Identity),
            ("Policy", PolicyKind::Key),
        ];
        for (member, kind) in cases {
            let doc = sample_policy(member, "111122223333").to_string();
            assert!(validate_document(&doc, kind).is_ok(), "{member}: {doc}");
        }
        assert_eq!(
            sample_policy("Policy", "111122223333"),
            default_key_policy("111122223333")
        );
    }

    #[test]
    fn statements_say_what_they_name() {
        let g = grant_statement("g", &[root_arn("1")], true);
        assert_eq!(g["Condition"]["Bool"]["kms:GrantIsForAWSResource"], true);
        assert!(grant_statement("g", &[root_arn("1")], false)
            .get("Condition")
            .is_none());
        assert_eq!(
            root_statement("111122223333")["Principal"]["AWS"],
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(other_account("111122223333"), "444455556666");
        assert_eq!(other_account("444455556666"), "111122223333");
        let p = cross_account_key_policy("444455556666", "111122223333", false);
        assert_eq!(
            p["Statement"][1]["Principal"]["AWS"][0],
            "arn:aws:iam::111122223333:root"
        );
    }
}
