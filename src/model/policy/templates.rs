//! The standard policies: the default key policy, the console's default view, the policy of
//! the AWS managed key `alias/aws/ebs`.

use super::*;

pub(super) fn root_arn(account: &str) -> String {
    PROVIDER.root_arn(account)
}

/// The default key policy KMS attaches to a key created without one: account root delegation.
pub fn default_key_policy(account: &str) -> Value {
    json!({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": root_arn(account)}, "Action": "kms:*", "Resource": "*"}]})
}

/// The console's default view: root delegation, key administrators, key users (use, and
/// CreateGrant/ListGrants/RevokeGrant with `kms:GrantIsForAWSResource`). Empty lists omit
/// their statements, as the console does.
pub fn console_default_policy(account: &str, admins: &[String], users: &[String]) -> Value {
    let mut statements = default_key_policy(account)["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !admins.is_empty() {
        statements.push(
            json!({"Sid": "Allow access for Key Administrators", "Effect": "Allow",
            "Principal": {"AWS": admins},
            "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"],
            "Resource": "*"}),
        );
    }
    if !users.is_empty() {
        statements.push(json!({"Sid": "Allow use of the key", "Effect": "Allow",
            "Principal": {"AWS": users},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey"],
            "Resource": "*"}));
        statements.push(json!({"Sid": "Allow attachment of persistent resources",
            "Effect": "Allow", "Principal": {"AWS": users},
            "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}));
    }
    json!({"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": statements})
}

/// The key policy of the AWS managed key `alias/aws/s3`: every principal of the account may
/// use it through S3 in its Region; the account may read its metadata.
pub fn aws_managed_s3_policy(account: &str, region: &str) -> Value {
    json!({"Version": "2012-10-17", "Id": "auto-s3-2", "Statement": [
        {"Sid": "Allow access through S3 for all principals in the account that are authorized to use S3",
         "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:DescribeKey"],
         "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": account,
             "kms:ViaService": PROVIDER.regional_service_principal("s3", region)}}},
        {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
         "Principal": {"AWS": root_arn(account)},
         "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"}]})
}

/// The policy of the AWS managed key `alias/aws/ebs`: the account's principals through EC2
/// (`kms:ViaService`, `kms:CallerAccount`), and key metadata for the account.
pub fn aws_managed_ebs_policy(account: &str, region: &str) -> Value {
    json!({"Version": "2012-10-17", "Id": "auto-ebs-2", "Statement": [
        {"Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
         "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:CreateGrant", "kms:DescribeKey"],
         "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": account,
             "kms:ViaService": PROVIDER.regional_service_principal("ec2", region)}}},
        {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
         "Principal": {"AWS": root_arn(account)},
         "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"}]})
}
