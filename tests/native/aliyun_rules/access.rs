//! Seed 002's rules about RAM users: only encrypted disks, read-only KMS.

use super::{code, A, UID};
use serde_json::json;
// ---------------------------------------------------------------------------------------------
// RAM users.
// ---------------------------------------------------------------------------------------------

#[test]
fn ram_policy_restricts_users_to_encrypted_disks() {
    // "Restrict RAM users to create only encrypted disks … configure a custom policy for
    // Resource Access Management (RAM) users to restrict them to creating only encrypted
    // disks." The condition key is ecs:IsDiskEncrypted, documented in the RAM authorization
    // tables of CreateDisk and RunInstances (ECS API reference) and used by Alibaba's "Prevent
    // RAM users from creating unencrypted disks"
    // (https://www.alibabacloud.com/help/en/ecs/user-guide/prohibit-ram-users-from-creating-unencrypted-cloud-disks).
    // RunInstances also documents ecs:IsSystemDiskEncrypted. The playground sets
    // ecs:IsDiskEncrypted to true when every disk the request makes is encrypted (by any rule).
    let mut a = A::new();
    a.ok("ram", "CreateUser", json!({"UserName": "alice"}));
    a.ok(
        "ram",
        "AttachPolicyToUser",
        json!({"PolicyType": "System", "PolicyName": "AliyunECSFullAccess", "UserName": "alice"}),
    );
    let deny = json!({"Version": "1", "Statement": [{
        "Effect": "Deny",
        "Action": ["ecs:CreateDisk", "ecs:RunInstances"],
        "Resource": "*",
        "Condition": {"Bool": {"ecs:IsDiskEncrypted": ["false"]}}
    }]});
    a.ok(
        "ram",
        "CreatePolicy",
        json!({"PolicyName": "ecs-disk-encrypt-control", "PolicyDocument": deny.to_string()}),
    );
    a.ok("ram", "AttachPolicyToUser", json!({"PolicyType": "Custom", "PolicyName": "ecs-disk-encrypt-control", "UserName": "alice"}));
    a.as_user("alice");
    assert_eq!(a.disk(json!({})).unwrap_err().code, "Forbidden.RAM");
    assert!(a.disk(json!({"Encrypted": true})).is_ok());
    assert_eq!(a.run(json!({})).unwrap_err().code, "Forbidden.RAM");
    assert_eq!(
        a.run(json!({"SystemDisk": {"Encrypted": true}, "DataDisk": [{"Size": 40}]}))
            .unwrap_err()
            .code,
        "Forbidden.RAM"
    );
    assert!(a
        .run(json!({"SystemDisk": {"Encrypted": true}, "DataDisk": [{"Size": 40, "Encrypted": true}]}))
        .is_ok());
    // The decision is on the call, for "why was this denied?".
    let _ = a.disk(json!({}));
    let top = a.last_calls()[0].clone();
    let auth = top.auth.unwrap();
    assert!(!auth.allowed);
    assert!(auth.reason.contains("explicit deny"), "{}", auth.reason);
    // With default encryption on, a request without Encrypted makes an encrypted disk: allowed.
    a.as_root(UID);
    a.ok("ecs", "EnableDiskEncryptionByDefault", json!({}));
    a.as_user("alice");
    assert!(a.disk(json!({})).is_ok());
    // Without any policy a user may do nothing.
    a.as_root(UID);
    a.ok("ram", "CreateUser", json!({"UserName": "carol"}));
    a.as_user("carol");
    assert_eq!(
        a.disk(json!({"Encrypted": true})).unwrap_err().code,
        "Forbidden.RAM"
    );
}

#[test]
fn kms_read_only_users_cannot_disable_or_delete_keys() {
    // "To prevent accidental key deletion or disabling, grant RAM users read-only KMS
    // permissions by attaching the AliyunKMSReadOnlyAccess policy." KMS's error is
    // Forbidden.NoPermission ("This operation is forbidden by permission system.").
    let mut a = A::new();
    let k = a.cmk();
    a.ok("ram", "CreateUser", json!({"UserName": "bob"}));
    a.ok(
        "ram",
        "AttachPolicyToUser",
        json!({"PolicyType": "System", "PolicyName": "AliyunKMSReadOnlyAccess", "UserName": "bob"}),
    );
    a.as_user("bob");
    assert_eq!(
        a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"]["KeyId"],
        k
    );
    assert_eq!(a.ok("kms", "ListKeys", json!({}))["TotalCount"], 1);
    assert_eq!(
        code(a.err("kms", "DisableKey", json!({"KeyId": k}))),
        "Forbidden.NoPermission"
    );
    assert_eq!(
        code(a.err(
            "kms",
            "ScheduleKeyDeletion",
            json!({"KeyId": k, "PendingWindowInDays": 7})
        )),
        "Forbidden.NoPermission"
    );
    assert_eq!(
        code(a.err("kms", "CreateKey", json!({}))),
        "Forbidden.NoPermission"
    );
    assert_eq!(
        code(a.err("ecs", "DescribeDisks", json!({}))),
        "Forbidden.RAM"
    );
    // Nor can they change RAM.
    assert_eq!(
        code(a.err("ram", "CreateUser", json!({"UserName": "mallory"}))),
        "Forbidden.RAM"
    );
    a.as_root(UID);
    assert_eq!(
        a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"]["KeyState"],
        "Enabled"
    );
    // AliyunKMSFullAccess lets a user disable it.
    a.ok(
        "ram",
        "AttachPolicyToUser",
        json!({"PolicyType": "System", "PolicyName": "AliyunKMSFullAccess", "UserName": "bob"}),
    );
    a.as_user("bob");
    a.ok("kms", "DisableKey", json!({"KeyId": k}));
}
