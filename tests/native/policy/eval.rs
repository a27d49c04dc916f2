//! The data-driven table of evaluation cases (every rule, each seed example, the well-known
//! traps), and `kms:CreateKey` decided by identity policies alone.
use super::*;

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

pub(super) fn table() -> Vec<Case> {
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
