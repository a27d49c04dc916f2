//! Scenarios about who may use a key: Auto Scaling's service-linked role (seed 004), separation
//! of duties, a shared snapshot's key policy, a role in another account.

use super::*;

pub(super) fn launch_template(key_var: &str) -> Step {
    step(
        "Create a launch template whose root volume is encrypted under the customer managed key.",
        &format!("aws ec2 create-launch-template --launch-template-name web --launch-template-data ImageId=$AMI,InstanceType=t3.micro,BlockDeviceMappings=[{{DeviceName=/dev/xvda,Ebs={{Encrypted=true,KmsKeyId=${key_var}}}}}]"),
        &["User → EC2: CreateLaunchTemplate"],
    )
}

pub(super) fn create_group(name: &str, narration: &str, expect: &[&str]) -> Step {
    step(
        narration,
        &format!("aws autoscaling create-auto-scaling-group --auto-scaling-group-name {name} --launch-template LaunchTemplateName=web --min-size 1 --max-size 1 --desired-capacity 1 --availability-zones us-east-1a"),
        expect,
    )
}

pub(super) const GROUP_LAUNCH_DENIED: &[&str] = &[
    "User → AutoScaling: CreateAutoScalingGroup",
    "AutoScaling → EC2: RunInstances",
    "EC2 → KMS: CreateGrant (failed: AccessDeniedException)",
];
pub(super) const GROUP_LAUNCH_OK: &[&str] = &[
    "User → AutoScaling: CreateAutoScalingGroup",
    "AutoScaling → EC2: RunInstances",
    GRANT,
    GDK,
    STORE,
    DECRYPT,
    GRANT,
    DECRYPT,
    LOAD,
];

pub(super) fn asg_service_linked_role() -> Scenario {
    let fixed = templates::autoscaling_key_policy(ACCOUNT);
    Scenario {
        id: "asg-service-linked-role",
        title: "Auto Scaling and a key policy without its service-linked role",
        category: "Authorization",
        summary: "An Auto Scaling group launches as the service-linked role AWSServiceRoleForAutoScaling, which has no access to customer managed keys until the key policy names it (seed 004, example 1).",
        steps: vec![
            find_ami(),
            create_key("KEY", "web tier", "", "Create a customer managed key with the default key policy: only the account (through IAM policies) may use it."),
            launch_template("KEY"),
            create_group(
                "web",
                "Create a group of one instance. Auto Scaling calls RunInstances as its service-linked role, whose permissions \"do not include access to your customer managed keys\": KMS refuses the grant EC2 asks for on its behalf.",
                GROUP_LAUNCH_DENIED,
            ),
            step(
                "Let the launch play out: the instance is pending, then terminated with Client.InvalidKMSKey.InvalidState.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime", "EC2 → EventBridge: EC2 Instance State-change Notification"],
            ),
            step(
                "Add seed 004's two statements to the key policy, keeping the existing one: the service-linked role may use the key, and create grants for AWS resources.",
                &format!("aws kms put-key-policy --key-id $KEY --policy '{fixed}'"),
                &["User → KMS: PutKeyPolicy"],
            ),
            create_group(
                "web-fixed",
                "A new group with the same launch template now launches: the grants, the data key and the attach all succeed as the service-linked role.",
                GROUP_LAUNCH_OK,
            ),
            step(
                "Let the launch finish.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime"],
            ),
            step(
                "The first group's instance was terminated; the second one's is in service.",
                "aws autoscaling describe-auto-scaling-groups --query 'AutoScalingGroups[].[AutoScalingGroupName,Instances[0].LifecycleState]' --output text",
                &["User → AutoScaling: DescribeAutoScalingGroups"],
            ),
        ],
    }
}

pub(super) fn asg_cross_account_key() -> Scenario {
    let key_policy = templates::cross_account_key_policy(PARTNER, ACCOUNT, false);
    let slr = templates::autoscaling_role(ACCOUNT);
    Scenario {
        id: "asg-cross-account-key",
        title: "Auto Scaling with a key from another account",
        category: "Authorization",
        summary: "The key lives in account 444455556666, the Auto Scaling group in 111122223333: the key policy opens the key to the account, and a grant from that account delegates it to the service-linked role (seed 004, example 2).",
        steps: vec![
            create_key(
                "PKEY",
                "for account 111122223333",
                &format!(" --profile partner --policy '{key_policy}'"),
                "Step 1, in the key's account (partner): a key whose policy adds seed 004's two statements for account 111122223333. \"This does not by itself give any IAM users or roles access to the key.\"",
            ),
            find_ami(),
            launch_template("PKEY"),
            create_group(
                "web",
                "Without the grant the group cannot launch: the key policy names account 111122223333, which delegates to its IAM policies, and the service-linked role's policies cover no customer managed key.",
                GROUP_LAUNCH_DENIED,
            ),
            step(
                "Step 2, from the account of the group: a grant that delegates the key's use to its service-linked role. The account root may create it because the key policy allows account 111122223333 kms:CreateGrant.",
                &format!("aws kms create-grant --key-id $PKEY --grantee-principal {slr} --operations Encrypt Decrypt ReEncryptFrom ReEncryptTo GenerateDataKey GenerateDataKeyWithoutPlaintext DescribeKey CreateGrant"),
                &["User → KMS: CreateGrant"],
            ),
            create_group(
                "web-granted",
                "A new group now launches: each KMS call of the service-linked role is allowed by the grant.",
                GROUP_LAUNCH_OK,
            ),
            step(
                "Let the launches play out.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime"],
            ),
            step(
                "The first group's instance was terminated; the second one's is in service.",
                "aws autoscaling describe-auto-scaling-groups --query 'AutoScalingGroups[].[AutoScalingGroupName,Instances[0].LifecycleState]' --output text",
                &["User → AutoScaling: DescribeAutoScalingGroups"],
            ),
        ],
    }
}

pub(super) fn separation_of_duties() -> Scenario {
    let trust = templates::trust_policy(&templates::root_arn(ACCOUNT));
    let manage = templates::manage_keys_policy("*");
    let use_keys = templates::use_keys_policy("*");
    Scenario {
        id: "separation-of-duties",
        title: "Separation of duties: a key administrator and an application role",
        category: "Authorization",
        summary: "\"Give a Security Admin role key administration rights but no decrypt rights. Give app roles permission to use the keys for cryptographic operations but not to manage them.\" (seed 003)",
        steps: vec![
            step(
                "Create the security administrators' role.",
                &format!("aws iam create-role --role-name KeyAdmin --assume-role-policy-document '{trust}'"),
                &["User → IAM: CreateRole"],
            ),
            step(
                "Give it the key administration actions only: create, describe, enable, disable, change policies, schedule deletion; no Encrypt, Decrypt or GenerateDataKey.",
                &format!("aws iam put-role-policy --role-name KeyAdmin --policy-name manage-keys --policy-document '{manage}'"),
                &["User → IAM: PutRolePolicy"],
            ),
            step(
                "Create the application's role.",
                &format!("aws iam create-role --role-name AppRole --assume-role-policy-document '{trust}'"),
                &["User → IAM: CreateRole"],
            ),
            step(
                "Give it the cryptographic actions EBS encryption needs, with CreateGrant only \"when the grant is created on the user's behalf by an AWS service\" (seed 000, least privilege).",
                &format!("aws iam put-role-policy --role-name AppRole --policy-name use-keys --policy-document '{use_keys}'"),
                &["User → IAM: PutRolePolicy"],
            ),
            step(
                "Act as the administrator: a console profile whose principal is a session of the KeyAdmin role (a shortcut that skips STS; the scenario \"Assume a role in another account\" goes through AssumeRole and the trust policy).",
                "play profile add keyadmin --account-id 111122223333 --principal arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice",
                &[],
            ),
            step(
                "And a profile for the application, as a session of AppRole.",
                "play profile add app --account-id 111122223333 --principal arn:aws:sts::111122223333:assumed-role/AppRole/payroll-app",
                &[],
            ),
            create_key(
                "KEY",
                "prod-finance-ebs",
                " --profile keyadmin",
                "The administrator creates the key. Its default key policy delegates to the account's IAM policies, so the roles' policies decide who may do what.",
            ),
            step(
                "The administrator cannot use the key: the volume is accepted, but KMS refuses the data key EC2 asks for on the administrator's behalf, so the volume never becomes available.",
                "aws ec2 create-volume --profile keyadmin --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY",
                &[CREATE_VOLUME, "EC2 → KMS: GenerateDataKeyWithoutPlaintext (failed: AccessDeniedException)"],
            ),
            step(
                "The application can: same command, same key, and the data key is generated.",
                "aws ec2 create-volume --profile app --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            failing(
                "But the application cannot manage the key: disabling it is denied.",
                "aws kms disable-key --profile app --key-id $KEY",
                &["User → KMS: DisableKey (failed: AccessDeniedException)"],
                "AccessDeniedException",
            ),
        ],
    }
}

pub(super) fn shared_snapshot_needs_key_policy() -> Scenario {
    let opened = shared_with_partner_policy();
    Scenario {
        id: "shared-snapshot-needs-key-policy",
        title: "A shared snapshot the other account cannot use until the key policy allows it",
        category: "Authorization",
        summary: "Sharing a snapshot encrypted with a customer managed key gives the other account the snapshot, not the key: its volumes fail until the key policy lets that account use the key.",
        steps: vec![
            create_key("KEY", "team data", "", "Create a customer managed key with the default key policy: only this account may use it."),
            step(
                "Create a volume encrypted under it.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("VOL", ""),
            snapshot("SNAP", "VOL", "", "Snapshot it."),
            wait_snapshot("SNAP", ""),
            step(
                "Share the snapshot with account 444455556666. EC2 accepts: the key is not checked when sharing.",
                &format!("aws ec2 modify-snapshot-attribute --snapshot-id $SNAP {SHARE}"),
                &["User → EC2: ModifySnapshotAttribute"],
            ),
            step(
                "As the partner, restore a volume from it. The request is accepted, but reading the source needs a grant on the owner's key, which its policy does not allow the partner to create.",
                "aws ec2 create-volume --profile partner --availability-zone us-east-1a --snapshot-id $SNAP",
                &[CREATE_VOLUME, "EC2 → EventBridge: SharedSnapshotVolumeCreated", GDK, "EC2 → KMS: CreateGrant (failed: AccessDeniedException)"],
            ),
            step(
                "A few seconds later the volume is gone: EC2 checks keys asynchronously, and EventBridge carries the failed createVolume event.",
                "play advance --seconds 10",
                &["User → Host: AdvanceTime", "EC2 → EventBridge: createVolume"],
            ),
            step(
                "The owner adds statements for account 444455556666 to the key policy: use of the key, and grants for AWS resources.",
                &format!("aws kms put-key-policy --key-id $KEY --policy '{opened}'"),
                &["User → KMS: PutKeyPolicy"],
            ),
            step(
                "The same restore now works: encrypted under the partner's default key, the source read through a grant on the owner's key.",
                "aws ec2 create-volume --profile partner --availability-zone us-east-1a --snapshot-id $SNAP",
                &[CREATE_VOLUME, GDK, STORE, GRANT, DECRYPT, GRANT, DECRYPT],
            ),
        ],
    }
}

pub(super) fn cross_account_role() -> Scenario {
    let trust = templates::trust_policy(&templates::root_arn(ACCOUNT));
    let describe = templates::document(
        None,
        vec![templates::allow(
            None,
            &["kms:DescribeKey", "kms:GetKeyPolicy"],
            "*",
        )],
    );
    let role = templates::role_arn(PARTNER, "auditor");
    let may_assume = templates::assume_role_policy(&role);
    Scenario {
        id: "cross-account-role",
        title: "Assume a role in another account to inspect its key",
        category: "Authorization",
        summary: "A role in account 444455556666 trusts account 111122223333. A user there can assume it only once her own IAM policy allows it too: across accounts both sides must say yes. The session then acts in the partner account, where the key policy delegates to the role's policy.",
        steps: vec![
            create_key(
                "KEY",
                "partner audit",
                " --profile partner",
                "The partner account creates a key with the default key policy: its IAM policies decide who may use it.",
            ),
            step(
                "The partner creates a role whose trust policy names the other account (its root), not a particular user: that account's administrators decide which of its users may assume it.",
                &format!("aws iam create-role --profile partner --role-name auditor --assume-role-policy-document '{trust}'"),
                &["User → IAM: CreateRole"],
            ),
            step(
                "The role may describe keys and read their policies, nothing more.",
                &format!("aws iam put-role-policy --profile partner --role-name auditor --policy-name read-keys --policy-document '{describe}'"),
                &["User → IAM: PutRolePolicy"],
            ),
            step(
                "In account 111122223333, create the user alice.",
                "aws iam create-user --user-name alice",
                &["User → IAM: CreateUser"],
            ),
            step(
                "A console profile that signs requests as alice.",
                &format!("play profile add alice --account-id {ACCOUNT} --principal arn:aws:iam::{ACCOUNT}:user/alice"),
                &[],
            ),
            failing(
                "Alice asks STS for a session of the role. The trust policy lets her account in, but the account has not let her: no identity policy of hers allows sts:AssumeRole. Select the call to see both sides of the decision.",
                &format!("play profile add auditor --role-arn {role} --source-profile alice"),
                &["User → STS: AssumeRole (failed: AccessDenied)"],
                "AccessDenied",
            ),
            step(
                "Her account allows it: an identity policy naming the partner's role.",
                &format!("aws iam put-user-policy --user-name alice --policy-name assume-auditor --policy-document '{may_assume}'"),
                &["User → IAM: PutUserPolicy"],
            ),
            step(
                "Same request, now allowed: both the trust policy and her identity policy say yes. The profile auditor acts as the session, arn:aws:sts::444455556666:assumed-role/auditor/playground-auditor (aws sts get-caller-identity --profile auditor shows it).",
                &format!("play profile add auditor --role-arn {role} --source-profile alice"),
                &["User → STS: AssumeRole"],
            ),
            step(
                "The session describes the partner's key: the key policy delegates to the partner's IAM policies, and the role's policy allows DescribeKey.",
                "aws kms describe-key --profile auditor --key-id $KEY",
                &["User → KMS: DescribeKey"],
            ),
            failing(
                "But it cannot use the key: the role's policy has no Decrypt or GenerateDataKey.",
                "aws kms generate-data-key --profile auditor --key-id $KEY --key-spec AES_256",
                &["User → KMS: GenerateDataKey (failed: AccessDeniedException)"],
                "AccessDeniedException",
            ),
        ],
    }
}
