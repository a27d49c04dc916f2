//! Keys that become unusable over time, KMS's key states and errors, and EC2's documented refusals.

use crate::common::*;
use serde_json::json;

const DAY: u64 = 86_400;

/// An instance with an attached encrypted volume holding "payroll" under a fresh CMK.
fn setup(s: &mut S) -> (String, String, String) {
    let k = s.key(Some("alias/payroll"));
    let inst = s.instance();
    let vol = s.volume(
        json!({"AvailabilityZone": "us-east-1a", "Size": 4, "Encrypted": true, "KmsKeyId": k}),
    );
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    s.ok(
        "play",
        "WriteData",
        json!({"InstanceId": inst, "Device": "/dev/sdf", "Text": "payroll"}),
    );
    (k, inst, vol)
}

fn read(s: &mut S, inst: &str) -> String {
    s.ok(
        "play",
        "ReadData",
        json!({"InstanceId": inst, "Device": "/dev/sdf"}),
    )["Text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn disabled_key_attached_volume_keeps_working_then_reattach_fails() {
    let mut s = S::new();
    let (k, inst, vol) = setup(&mut s);
    s.ok("kms", "DisableKey", json!({"KeyId": k}));
    assert_eq!(
        read(&mut s, &inst),
        "payroll",
        "the host still holds the plaintext data key"
    );
    s.ok(
        "play",
        "WriteData",
        json!({"InstanceId": inst, "Device": "/dev/sdf", "Sector": 1, "Text": "more"}),
    );
    s.ok("ec2", "DetachVolume", json!({"VolumeId": vol}));
    let e = s.err(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(e.code, "CustomerKeyHasBeenRevoked");
    assert_eq!(e.message, format!("Volume {vol} cannot be attached. The encrypted volume was unable to access the KMS key."));
    let calls = s.last_calls();
    assert!(
        calls.contains(&"EC2→KMS:CreateGrant!".to_string()),
        "{calls:?}"
    );
    let failed = s
        .sim
        .trace()
        .calls()
        .iter()
        .rev()
        .find(|c| c.operation == "CreateGrant")
        .unwrap();
    assert_eq!(failed.error.as_ref().unwrap().code, "DisabledException");
    assert_eq!(
        failed.error.as_ref().unwrap().message,
        format!("{k} is disabled.")
    );
    s.ok("kms", "EnableKey", json!({"KeyId": k}));
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(read(&mut s, &inst), "payroll");
}

#[test]
fn stop_start_with_a_disabled_key_fails_to_start() {
    let mut s = S::new();
    let (k, inst, _) = setup(&mut s);
    s.ok("kms", "DisableKey", json!({"KeyId": k}));
    s.ok("ec2", "StopInstances", json!({"InstanceIds": [inst]}));
    s.advance(30);
    s.ok("ec2", "StartInstances", json!({"InstanceIds": [inst]}));
    s.advance(30);
    let d = s.ok("ec2", "DescribeInstances", json!({"InstanceIds": [inst]}));
    let i = &d["Reservations"][0]["Instances"][0];
    assert_eq!(i["State"]["Name"], "stopped", "{i}");
    assert_eq!(
        i["StateReason"]["Code"],
        "Client.InvalidKMSKey.InvalidState"
    );
    // A reboot, by contrast, keeps the keys: enable, start, disable, reboot, still readable.
    s.ok("kms", "EnableKey", json!({"KeyId": k}));
    s.ok("ec2", "StartInstances", json!({"InstanceIds": [inst]}));
    s.advance(30);
    s.ok("kms", "DisableKey", json!({"KeyId": k}));
    s.ok("ec2", "RebootInstances", json!({"InstanceIds": [inst]}));
    assert_eq!(read(&mut s, &inst), "payroll");
}

#[test]
fn deleted_key_data_unrecoverable_but_ciphertext_remains() {
    let mut s = S::new();
    let (k, inst, vol) = setup(&mut s);
    let r = s.ok(
        "kms",
        "ScheduleKeyDeletion",
        json!({"KeyId": k, "PendingWindowInDays": 7}),
    );
    assert_eq!(r["KeyState"], "PendingDeletion");
    assert_eq!(r["PendingWindowInDays"], 7);
    let e = s.err(
        "kms",
        "GenerateDataKeyWithoutPlaintext",
        json!({"KeyId": k, "NumberOfBytes": 64}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.clone()),
        (
            "KMSInvalidStateException",
            format!("{k} is pending deletion.")
        )
    );
    s.advance(7 * DAY);
    assert_eq!(
        read(&mut s, &inst),
        "payroll",
        "attached volume still works after deletion"
    );
    let e = s.err("kms", "DescribeKey", json!({"KeyId": k}));
    assert_eq!(e.code, "NotFoundException");
    assert!(s
        .sim
        .trace()
        .calls()
        .iter()
        .any(|c| c.operation == "DeleteKey" && c.is_event));
    s.ok("ec2", "DetachVolume", json!({"VolumeId": vol}));
    let e = s.err(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(e.code, "CustomerKeyHasBeenRevoked");
    let sec = s.ok("play", "ShowSector", json!({"VolumeId": vol, "Sector": 0}));
    assert_eq!(sec["Stored"], true);
    assert_eq!(
        sec["OnDisk"].as_str().unwrap().len(),
        1024,
        "512 bytes of ciphertext remain"
    );
    assert!(
        !sec["OnDisk"].as_str().unwrap().contains(&hex("payroll")),
        "on disk is ciphertext, not the text"
    );
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn cancel_deletion_leaves_the_key_disabled() {
    let mut s = S::new();
    let k = s.key(None);
    s.ok("kms", "ScheduleKeyDeletion", json!({"KeyId": k}));
    s.ok("kms", "CancelKeyDeletion", json!({"KeyId": k}));
    let d = s.ok("kms", "DescribeKey", json!({"KeyId": k}));
    assert_eq!(d["KeyMetadata"]["KeyState"], "Disabled");
    s.advance(31 * DAY);
    assert_eq!(
        s.ok("kms", "DescribeKey", json!({"KeyId": k}))["KeyMetadata"]["KeyState"],
        "Disabled",
        "the cancelled deletion never runs"
    );
    for days in [6, 31] {
        let e = s.err(
            "kms",
            "ScheduleKeyDeletion",
            json!({"KeyId": k, "PendingWindowInDays": days}),
        );
        assert_eq!(e.code, "ValidationException");
    }
}

#[test]
fn create_volume_with_an_unusable_key_is_creating_then_gone() {
    let mut s = S::new();
    let k = s.key(None);
    s.ok("kms", "DisableKey", json!({"KeyId": k}));
    let v = s.ok(
        "ec2",
        "CreateVolume",
        json!({"AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": true, "KmsKeyId": k}),
    );
    assert_eq!(v["State"], "creating");
    let id = v["VolumeId"].as_str().unwrap().to_string();
    assert_eq!(
        s.ok("ec2", "DescribeVolumes", json!({"VolumeIds": [id]}))["Volumes"][0]["State"],
        "creating"
    );
    s.advance(10);
    let e = s.err("ec2", "DescribeVolumes", json!({"VolumeIds": [id]}));
    assert_eq!(e.code, "InvalidVolume.NotFound");
    let ev = s
        .sim
        .trace()
        .calls()
        .iter()
        .find(|c| c.operation == "createVolume" && c.is_event)
        .unwrap();
    assert_eq!(ev.request["result"], "failed");
    assert_eq!(ev.request["cause"], format!("{k} is disabled."));
    // An alias that does not exist fails the same way (EC2 checks keys asynchronously).
    let v = s.ok("ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": true, "KmsKeyId": "alias/typo"}));
    s.advance(10);
    assert_eq!(
        s.err(
            "ec2",
            "DescribeVolumes",
            json!({"VolumeIds": [v["VolumeId"]]})
        )
        .code,
        "InvalidVolume.NotFound"
    );
}

#[test]
fn launch_with_a_disabled_default_key_terminates() {
    let mut s = S::new();
    let k = s.key(None);
    s.ok(
        "ec2",
        "ModifyEbsDefaultKmsKeyId",
        json!({"KeyId": k})
            .as_object()
            .map(|_| json!({"KmsKeyId": k}))
            .unwrap(),
    );
    s.ok("ec2", "EnableEbsEncryptionByDefault", json!({}));
    s.ok("kms", "DisableKey", json!({"KeyId": k}));
    let ami = s.public_ami();
    let r = s.ok("ec2", "RunInstances", json!({"ImageId": ami}));
    assert_eq!(r["Instances"][0]["State"]["Name"], "pending");
    let id = r["Instances"][0]["InstanceId"].clone();
    s.advance(30);
    let d = s.ok("ec2", "DescribeInstances", json!({"InstanceIds": [id]}));
    let i = &d["Reservations"][0]["Instances"][0];
    assert_eq!(i["State"]["Name"], "terminated");
    assert_eq!(
        i["StateReason"]["Code"],
        "Client.InvalidKMSKey.InvalidState"
    );
    assert_eq!(
        i["StateReason"]["Message"],
        "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state"
    );
}

#[test]
fn rotation_keeps_old_material() {
    let mut s = S::new();
    let (k, inst, vol) = setup(&mut s);
    s.ok("kms", "EnableKeyRotation", json!({"KeyId": k}));
    s.advance(366 * DAY);
    assert!(s
        .sim
        .keys()
        .any(|key| key.arn == k && key.material_versions == 2));
    s.ok("ec2", "DetachVolume", json!({"VolumeId": vol}));
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(
        read(&mut s, &inst),
        "payroll",
        "a data key wrapped before rotation still decrypts"
    );
    s.ok("kms", "RotateKeyOnDemand", json!({"KeyId": k}));
    let st = s.ok("kms", "GetKeyRotationStatus", json!({"KeyId": k}));
    assert_eq!(st["KeyRotationEnabled"], true);
}

#[test]
fn aws_managed_key_cannot_be_disabled_or_deleted() {
    let mut s = S::new();
    let m = s.managed_key();
    for (op, p) in [
        ("DisableKey", json!({"KeyId": m})),
        ("ScheduleKeyDeletion", json!({"KeyId": m})),
        ("EnableKeyRotation", json!({"KeyId": m})),
        ("PutKeyPolicy", json!({"KeyId": m, "Policy": "{}"})),
    ] {
        let e = s.err("kms", op, p);
        assert!(
            e.code == "AccessDeniedException" || e.code == "MalformedPolicyDocumentException",
            "{op}: {e}"
        );
    }
    assert_eq!(
        s.ok("kms", "DescribeKey", json!({"KeyId": "alias/aws/ebs"}))["KeyMetadata"]["KeyManager"],
        "AWS"
    );
}

#[test]
fn kms_errors_exactly() {
    let mut s = S::new();
    let k1 = s.key(None);
    let k2 = s.key(None);
    let ctx = json!({"aws:ebs:id": "vol-1"});
    let g = s.ok(
        "kms",
        "GenerateDataKey",
        json!({"KeyId": k1, "NumberOfBytes": 64, "EncryptionContext": ctx}),
    );
    let blob = g["CiphertextBlob"].as_str().unwrap().to_string();
    // The right context decrypts to the same plaintext.
    let d = s.ok(
        "kms",
        "Decrypt",
        json!({"CiphertextBlob": blob, "EncryptionContext": ctx}),
    );
    assert_eq!(d["Plaintext"], g["Plaintext"]);
    assert_eq!(d["KeyId"], json!(k1));
    let cases = [
        (
            json!({"CiphertextBlob": blob, "EncryptionContext": {"aws:ebs:id": "vol-2"}}),
            "InvalidCiphertextException",
        ),
        (
            json!({"CiphertextBlob": blob}),
            "InvalidCiphertextException",
        ),
        (
            json!({"CiphertextBlob": blob, "EncryptionContext": ctx, "KeyId": k2}),
            "IncorrectKeyException",
        ),
        (
            json!({"CiphertextBlob": "AAAA", "EncryptionContext": ctx}),
            "InvalidCiphertextException",
        ),
        (
            json!({"CiphertextBlob": "not base64 !!"}),
            "InvalidCiphertextException",
        ),
        (json!({"EncryptionContext": ctx}), "ValidationException"),
    ];
    for (p, code) in cases {
        assert_eq!(s.err("kms", "Decrypt", p.clone()).code, code, "{p}");
    }
    // A tampered blob (one bit flipped anywhere after the header) fails authentication.
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&blob)
        .unwrap();
    for i in [56, 70, raw.len() - 1] {
        let mut t = raw.clone();
        t[i] ^= 1;
        let p = json!({"CiphertextBlob": base64::engine::general_purpose::STANDARD.encode(&t), "EncryptionContext": ctx});
        assert_eq!(
            s.err("kms", "Decrypt", p).code,
            "InvalidCiphertextException",
            "byte {i}"
        );
    }
    assert_eq!(
        s.err("kms", "DescribeKey", json!({"KeyId": "alias/nothing"}))
            .code,
        "NotFoundException"
    );
    assert_eq!(
        s.err(
            "kms",
            "DescribeKey",
            json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})
        )
        .code,
        "NotFoundException"
    );
    assert_eq!(
        s.ok(
            "kms",
            "Decrypt",
            json!({"CiphertextBlob": blob, "EncryptionContext": ctx})
        )["Plaintext"],
        g["Plaintext"]
    );
    s.ok("kms", "DisableKey", json!({"KeyId": k1}));
    let e = s.err(
        "kms",
        "Decrypt",
        json!({"CiphertextBlob": blob, "EncryptionContext": ctx}),
    );
    assert_eq!(
        (e.code.as_str(), e.message),
        ("DisabledException", format!("{k1} is disabled."))
    );
}

#[test]
fn documented_refusals() {
    let mut s = S::new();
    let k = s.key(None);
    let enc = s.data_snapshot(Some(&k));
    let e = s.err("ec2", "ModifySnapshotAttribute", json!({"SnapshotId": enc, "Attribute": "createVolumePermission", "OperationType": "add", "GroupNames": ["all"]}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "UnsupportedOperation",
            "Encrypted snapshots can't be shared publicly."
        )
    );
    let default_snap = {
        let v = s.volume(json!({"AvailabilityZone": "us-east-1a", "Size": 1, "Encrypted": true}));
        s.snapshot(&v)
    };
    let e = s.err("ec2", "ModifySnapshotAttribute", json!({"SnapshotId": default_snap, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": ["444455556666"]}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "OperationNotPermitted",
            "Encrypted snapshots with EBS default key cannot be shared"
        )
    );
    // A customer managed key snapshot can be shared with an account, and an unencrypted one made public.
    s.ok("ec2", "ModifySnapshotAttribute", json!({"SnapshotId": enc, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": ["444455556666"]}));
    let plain = s.data_snapshot(None);
    s.ok("ec2", "ModifySnapshotAttribute", json!({"SnapshotId": plain, "Attribute": "createVolumePermission", "OperationType": "add", "GroupNames": ["all"]}));
    let e = s.err(
        "ec2",
        "CreateVolume",
        json!({"AvailabilityZone": "us-east-1a", "Size": 1, "KmsKeyId": k}),
    );
    assert_eq!(e.code, "InvalidParameterDependency");
    let asym = s.ok(
        "kms",
        "CreateKey",
        json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}),
    )["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let e = s.err(
        "ec2",
        "CreateVolume",
        json!({"AvailabilityZone": "us-east-1a", "Size": 1, "Encrypted": true, "KmsKeyId": asym}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    assert!(e.message.contains("asymmetric"));
    let e = s.err("ec2", "ModifyEbsDefaultKmsKeyId", json!({"KmsKeyId": asym}));
    assert!(e.message.contains("asymmetric"));
}

#[test]
fn snapshots_are_incremental_and_cross_key_copies_are_full() {
    let mut s = S::new();
    let (k, inst, vol) = setup(&mut s);
    for n in 1..10u64 {
        s.ok("play", "WriteData", json!({"InstanceId": inst, "Device": "/dev/sdf", "Sector": n, "Text": format!("row {n}")}));
    }
    let first = s.snapshot(&vol);
    s.ok(
        "play",
        "WriteData",
        json!({"InstanceId": inst, "Device": "/dev/sdf", "Sector": 3, "Text": "changed"}),
    );
    let second = s.snapshot(&vol);
    let blocks = |s: &S, id: &str| {
        s.sim
            .snapshots()
            .find(|x| x.id == id)
            .unwrap()
            .blocks
            .0
            .len()
    };
    assert_eq!(blocks(&s, &first), 10);
    assert_eq!(blocks(&s, &second), 1, "only the changed sector is stored");
    // Deleting the first snapshot keeps the second restorable.
    s.ok("ec2", "DeleteSnapshot", json!({"SnapshotId": first}));
    let v2 = s.volume(json!({"AvailabilityZone": "us-east-1a", "SnapshotId": second}));
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": v2, "InstanceId": inst, "Device": "/dev/sdg"}),
    );
    assert_eq!(
        s.ok(
            "play",
            "ReadData",
            json!({"InstanceId": inst, "Device": "/dev/sdg", "Sector": 3})
        )["Text"],
        "changed"
    );
    assert_eq!(
        s.ok(
            "play",
            "ReadData",
            json!({"InstanceId": inst, "Device": "/dev/sdg", "Sector": 0})
        )["Text"],
        "payroll"
    );
    // Copy under a new key: full copy, new data key, re-encrypted ciphertext.
    let other = s.key(None);
    let c = s.ok("ec2", "CopySnapshot", json!({"SourceSnapshotId": second, "SourceRegion": "us-east-1", "Encrypted": true, "KmsKeyId": other}));
    let copy = c["SnapshotId"].as_str().unwrap().to_string();
    s.advance(10);
    let src = s.sim.snapshots().find(|x| x.id == second).unwrap().clone();
    let dst = s.sim.snapshots().find(|x| x.id == copy).unwrap().clone();
    assert_eq!(dst.blocks.0.len(), 10, "a copy to a new key is complete");
    assert_ne!(
        src.encryption.as_ref().unwrap().data_key_id,
        dst.encryption.as_ref().unwrap().data_key_id
    );
    assert_ne!(src.blocks.0.get(&3), dst.blocks.0.get(&3));
    assert_eq!(
        dst.encryption.as_ref().unwrap().context.get("aws:ebs:id"),
        Some(&copy),
        "copies use the new snapshot id as context"
    );
    let _ = k;
}

#[test]
fn cross_region_copy_uses_a_destination_key() {
    let mut s = S::new();
    let k = s.key(None);
    let snap = s.data_snapshot(Some(&k));
    s.region("us-west-2");
    let c = s.ok(
        "ec2",
        "CopySnapshot",
        json!({"SourceSnapshotId": snap, "SourceRegion": "us-east-1", "Encrypted": true}),
    );
    s.advance(10);
    let d = s.ok(
        "ec2",
        "DescribeSnapshots",
        json!({"SnapshotIds": [c["SnapshotId"]]}),
    );
    let key = d["Snapshots"][0]["KmsKeyId"].as_str().unwrap();
    assert!(
        key.starts_with("arn:aws:kms:us-west-2:111122223333:key/"),
        "{key}"
    );
    assert_eq!(d["Snapshots"][0]["State"], "completed");
    // A key from another region cannot be named.
    let c = s.ok("ec2", "CopySnapshot", json!({"SourceSnapshotId": snap, "SourceRegion": "us-east-1", "Encrypted": true, "KmsKeyId": k}));
    s.advance(10);
    let d = s.ok(
        "ec2",
        "DescribeSnapshots",
        json!({"SnapshotIds": [c["SnapshotId"]]}),
    );
    assert_eq!(d["Snapshots"][0]["State"], "error");
}
