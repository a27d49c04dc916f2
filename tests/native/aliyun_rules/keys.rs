//! Seed 002's rules about keys: the role ECS needs for a CMK, key states, and what disabling a
//! key does to a running instance (see the parent module for the conventions).

use super::{code, hex, A, UID};
use serde_json::json;
// ---------------------------------------------------------------------------------------------
// The role ECS needs, key states.
// ---------------------------------------------------------------------------------------------

#[test]
fn ecs_needs_the_role_before_it_may_use_a_cmk() {
    // "When you use a CMK for encryption for the first time, follow the on-screen instructions
    // to grant the AliyunECSDiskEncryptDefaultRole role to ECS so that it can access KMS
    // resources." CreateDisk documents InvalidParameter.KMSKeyId.KMSUnauthorized: "ECS service
    // have no right to access your KMS."
    let mut a = A::new();
    let k = a.cmk();
    let e = a
        .disk(json!({"Encrypted": true, "KMSKeyId": k}))
        .unwrap_err();
    assert_eq!(e.code, "InvalidParameter.KMSKeyId.KMSUnauthorized");
    assert!(e
        .message
        .starts_with("ECS service have no right to access your KMS."));
    let e = a
        .run(json!({"SystemDisk": {"Encrypted": true, "KMSKeyId": k}}))
        .unwrap_err();
    assert_eq!(e.code, "InvalidParameter.KMSKeyId.KMSUnauthorized");
    assert_eq!(
        a.sim.aliyun().instances().count(),
        0,
        "nothing is left behind"
    );
    // The service key needs no role.
    assert!(a.disk(json!({"Encrypted": true})).is_ok());
    // A role that does not trust ECS is not enough.
    let trust = json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": [format!("acs:ram::{UID}:root")]}}]});
    a.ok("ram", "CreateRole", json!({"RoleName": "AliyunECSDiskEncryptDefaultRole", "AssumeRolePolicyDocument": trust.to_string()}));
    assert_eq!(
        a.disk(json!({"Encrypted": true, "KMSKeyId": k}))
            .unwrap_err()
            .code,
        "InvalidParameter.KMSKeyId.KMSUnauthorized"
    );
    // Granted (the role trusting ecs.aliyuncs.com, with its system policy), the CMK works.
    let mut b = A::new();
    let k = b.cmk();
    b.grant_role();
    let d = b.disk(json!({"Encrypted": true, "KMSKeyId": k})).unwrap();
    assert_eq!(b.key_of(&d), Some(k.clone()));
    // The role without its policy: KMS refuses ECS's session, reported the same way.
    let mut c = A::new();
    let k = c.cmk();
    let trust = json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ecs.aliyuncs.com"]}}]});
    c.ok("ram", "CreateRole", json!({"RoleName": "AliyunECSDiskEncryptDefaultRole", "AssumeRolePolicyDocument": trust.to_string()}));
    assert_eq!(
        c.disk(json!({"Encrypted": true, "KMSKeyId": k}))
            .unwrap_err()
            .code,
        "InvalidParameter.KMSKeyId.KMSUnauthorized"
    );
}

#[test]
fn disabled_pending_and_unknown_keys() {
    // CreateDisk documents InvalidParameter.KMSKeyId.CMKNotEnabled ("The CMK (Customer Master
    // Key) must be in an active state.") and InvalidParameter.KMSKeyId.NotFound ("The
    // specified KMSKeyId does not exist."); ModifyDiskDefaultKMSKeyId documents
    // InvalidOperation.KMSKeyIdNotFound ("The specified KMSKeyId not found, %s.").
    let mut a = A::new();
    a.grant_role();
    let k = a.cmk();
    a.ok("kms", "DisableKey", json!({"KeyId": k}));
    assert_eq!(
        a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"]["KeyState"],
        "Disabled"
    );
    let e = a
        .disk(json!({"Encrypted": true, "KMSKeyId": k}))
        .unwrap_err();
    assert_eq!(e.code, "InvalidParameter.KMSKeyId.CMKNotEnabled");
    a.ok("kms", "EnableKey", json!({"KeyId": k}));
    assert!(a.disk(json!({"Encrypted": true, "KMSKeyId": k})).is_ok());
    // Pending deletion (7 to 366 days) is not active either; CancelKeyDeletion makes it Enabled.
    assert_eq!(
        code(a.err(
            "kms",
            "ScheduleKeyDeletion",
            json!({"KeyId": k, "PendingWindowInDays": 6})
        )),
        "InvalidParameter"
    );
    a.ok(
        "kms",
        "ScheduleKeyDeletion",
        json!({"KeyId": k, "PendingWindowInDays": 7}),
    );
    let meta = a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"].clone();
    assert_eq!(meta["KeyState"], "PendingDeletion");
    assert_ne!(meta["DeleteDate"], "");
    assert_eq!(
        a.disk(json!({"Encrypted": true, "KMSKeyId": k}))
            .unwrap_err()
            .code,
        "InvalidParameter.KMSKeyId.CMKNotEnabled"
    );
    a.ok("kms", "CancelKeyDeletion", json!({"KeyId": k}));
    assert_eq!(
        a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"]["KeyState"],
        "Enabled"
    );
    // Deleted after its window: gone from KMS, unknown to ECS.
    let i = a
        .run(json!({"SystemDisk": {"Encrypted": true, "KMSKeyId": k}}))
        .unwrap();
    a.ok("ecs", "StopInstance", json!({"InstanceId": i}));
    a.ok(
        "kms",
        "ScheduleKeyDeletion",
        json!({"KeyId": k, "PendingWindowInDays": 7}),
    );
    a.advance(6 * 86_400);
    assert!(a.sim.aliyun().key(&k).is_some());
    a.advance(86_400);
    assert_eq!(
        code(a.err("kms", "DescribeKey", json!({"KeyId": k}))),
        "Forbidden.KeyNotFound"
    );
    assert_eq!(
        a.disk(json!({"Encrypted": true, "KMSKeyId": k}))
            .unwrap_err()
            .code,
        "InvalidParameter.KMSKeyId.NotFound"
    );
    // StartInstance documents InvalidOperation.KMSKeyIdNotFound.
    assert_eq!(
        code(a.err("ecs", "StartInstance", json!({"InstanceId": i}))),
        "InvalidOperation.KMSKeyIdNotFound"
    );
    assert_eq!(
        code(a.err(
            "ecs",
            "ModifyDiskDefaultKMSKeyId",
            json!({"KMSKeyId": "key-hzz000000000000000000"})
        )),
        "InvalidOperation.KMSKeyIdNotFound"
    );
}

#[test]
fn disabling_the_key_then_rebooting_hangs_disk_io_and_enabling_it_recovers() {
    // FAQ: "Disable the CMK. … run sudo reboot. Because the KMS key is disabled, the system
    // cannot decrypt data, causing an I/O hang." and "Deleting or disabling a key renders all
    // encrypted resources that use it … undecryptable". Until the restart the instance keeps
    // working: the plaintext data key is in host memory. The hang is modelled as the instance
    // Running with DiskIOHang true and play read/write failing with IOHang (the playground's
    // stand-in for the black VNC screen).
    let mut a = A::new();
    a.grant_role();
    let k = a.cmk();
    let i = a
        .run(json!({"SystemDisk": {"Encrypted": true, "KMSKeyId": k}}))
        .unwrap();
    let sys = a.system_disk(&i);
    a.ok(
        "play",
        "WriteData",
        json!({"InstanceId": i, "DiskId": sys, "Text": "ledger"}),
    );
    let raw = a.ok("play", "ShowSector", json!({"DiskId": sys}));
    assert!(
        !raw["Hex"].as_str().unwrap().contains(&hex("ledger")),
        "ciphertext on disk"
    );
    // The dependents the app warns about before DisableKey.
    let deps = a.sim.aliyun_key_dependents(&k);
    assert_eq!(deps.len(), 1);
    assert_eq!((deps[0].kind, deps[0].id.as_str()), ("disk", sys.as_str()));
    a.ok("kms", "DisableKey", json!({"KeyId": k}));
    assert_eq!(
        a.ok("play", "ReadData", json!({"InstanceId": i, "DiskId": sys}))["Text"],
        "ledger"
    );
    a.ok("ecs", "RebootInstance", json!({"InstanceId": i}));
    // The failed startup is on the trace: Decrypt refused, the host loads nothing.
    let calls = a.last_calls();
    let dec = calls.iter().find(|c| c.operation == "Decrypt").unwrap();
    assert_eq!(
        dec.error.as_ref().unwrap().code,
        "Forbidden.KeyStateConflict"
    );
    let load = calls.iter().find(|c| c.operation == "LoadDataKey").unwrap();
    assert_eq!(load.error.as_ref().unwrap().code, "IOHang");
    let inst = a.ok("ecs", "DescribeInstances", json!({}))["Instances"]["Instance"][0].clone();
    assert_eq!(inst["Status"], "Running");
    assert_eq!(inst["DiskIOHang"], true);
    assert_eq!(
        code(a.err("play", "ReadData", json!({"InstanceId": i, "DiskId": sys}))),
        "IOHang"
    );
    assert_eq!(
        code(a.err(
            "play",
            "WriteData",
            json!({"InstanceId": i, "DiskId": sys, "Text": "x"})
        )),
        "IOHang"
    );
    assert!(a.sim.aliyun_disks_with_key_in_host().is_empty());
    // "Enable the CMK": after a restart the disk reads again.
    a.ok("kms", "EnableKey", json!({"KeyId": k}));
    assert_eq!(
        code(a.err("play", "ReadData", json!({"InstanceId": i, "DiskId": sys}))),
        "IOHang"
    );
    a.ok("ecs", "RebootInstance", json!({"InstanceId": i}));
    assert_eq!(
        a.ok("play", "ReadData", json!({"InstanceId": i, "DiskId": sys}))["Text"],
        "ledger"
    );
    let inst = a.ok("ecs", "DescribeInstances", json!({}))["Instances"]["Instance"][0].clone();
    assert_eq!(inst["DiskIOHang"], false);
}

#[test]
fn rotation_makes_a_new_primary_version_and_old_data_keys_still_decrypt() {
    // KMS's UpdateRotationPolicy: automatic rotation every RotationInterval (7d to 730d); data
    // keys sealed under an older version stay decryptable.
    let mut a = A::new();
    a.grant_role();
    let k = a.cmk();
    let i = a
        .run(json!({"SystemDisk": {"Encrypted": true, "KMSKeyId": k}}))
        .unwrap();
    let sys = a.system_disk(&i);
    a.ok(
        "play",
        "WriteData",
        json!({"InstanceId": i, "DiskId": sys, "Text": "v1 data"}),
    );
    let v1 =
        a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"]["PrimaryKeyVersion"].clone();
    assert_eq!(
        code(a.err(
            "kms",
            "UpdateRotationPolicy",
            json!({"KeyId": k, "EnableAutomaticRotation": true, "RotationInterval": "3d"})
        )),
        "InvalidParameter"
    );
    a.ok(
        "kms",
        "UpdateRotationPolicy",
        json!({"KeyId": k, "EnableAutomaticRotation": true, "RotationInterval": "7d"}),
    );
    a.advance(8 * 86_400);
    let meta = a.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"].clone();
    assert_ne!(meta["PrimaryKeyVersion"], v1);
    assert_eq!(meta["AutomaticRotation"], "Enabled");
    a.ok("ecs", "RebootInstance", json!({"InstanceId": i}));
    assert_eq!(
        a.ok("play", "ReadData", json!({"InstanceId": i, "DiskId": sys}))["Text"],
        "v1 data"
    );
    // The service key has no rotation policy to change.
    let d = a.disk(json!({"Encrypted": true})).unwrap();
    let service = a.key_of(&d).unwrap();
    assert_eq!(
        code(a.err(
            "kms",
            "UpdateRotationPolicy",
            json!({"KeyId": service, "EnableAutomaticRotation": true})
        )),
        "Rejected.UnsupportedOperation"
    );
}

#[test]
fn envelope_calls_of_users() {
    // GenerateDataKey, Encrypt and Decrypt with an encryption context: the context must match.
    let mut a = A::new();
    let k = a.cmk();
    let ctx = json!({"purpose": "demo"}).to_string();
    let blob = a.ok(
        "kms",
        "Encrypt",
        json!({"KeyId": k, "Plaintext": "hello", "EncryptionContext": ctx}),
    )["CiphertextBlob"]
        .clone();
    let back = a.ok(
        "kms",
        "Decrypt",
        json!({"CiphertextBlob": blob, "EncryptionContext": ctx}),
    );
    assert_eq!(back["Plaintext"], "hello");
    assert_eq!(back["KeyId"], k);
    assert_eq!(
        code(a.err("kms", "Decrypt", json!({"CiphertextBlob": blob}))),
        "InvalidCiphertext"
    );
    let dk = a.ok("kms", "GenerateDataKey", json!({"KeyId": k}));
    assert_eq!(
        dk["Plaintext"].as_str().unwrap().len(),
        44,
        "32 bytes in base64"
    );
    let plain = a.ok(
        "kms",
        "Decrypt",
        json!({"CiphertextBlob": dk["CiphertextBlob"]}),
    );
    assert_eq!(plain["KeyId"], k);
    // The trace never records the plaintext.
    let trace = a.sim.export_trace().to_string();
    assert!(!trace.contains(dk["Plaintext"].as_str().unwrap()));
    // A disabled key cannot encrypt or decrypt.
    a.ok("kms", "DisableKey", json!({"KeyId": k}));
    assert_eq!(
        code(a.err(
            "kms",
            "Decrypt",
            json!({"CiphertextBlob": blob, "EncryptionContext": ctx})
        )),
        "Forbidden.KeyStateConflict"
    );
    // The service key serves ECS only (the playground's reading of "managed by the cloud service").
    a.disk(json!({"Encrypted": true})).unwrap();
    assert_eq!(
        code(a.err(
            "kms",
            "Encrypt",
            json!({"KeyId": "alias/acs/ecs", "Plaintext": "x"})
        )),
        "Forbidden.NoPermission"
    );
    // Reserved aliases.
    assert_eq!(
        code(a.err(
            "kms",
            "CreateAlias",
            json!({"AliasName": "alias/acs/mine", "KeyId": k})
        )),
        "Forbidden.ReservedAlias"
    );
    a.ok(
        "kms",
        "CreateAlias",
        json!({"AliasName": "alias/mine", "KeyId": k}),
    );
    assert_eq!(
        a.sim.aliyun().aliases_of(&k),
        vec!["alias/mine".to_string()]
    );
    assert_eq!(a.ok("kms", "ListAliases", json!({}))["TotalCount"], 2);
    a.ok("kms", "DeleteAlias", json!({"AliasName": "alias/mine"}));
    assert!(a.sim.aliyun().aliases_of(&k).is_empty());
}
