//! Seed 000's two call sequences ("when the snapshot is encrypted", "when the snapshot is unencrypted"),
//! step for step, plus the attach-time CloudTrail shapes of the reference file.

use crate::common::*;
use ebs_kms_playground::model::trace::{KeyLocation, Participant};
use serde_json::json;

/// The KMS requests EC2 makes, in order, leaving out steps marked as approximations
/// that the seed does not list (the ReEncrypt that binds a shared data key).
fn documented_kms_steps(s: &S) -> Vec<String> {
    let n = s.sim.command_count() - 1;
    s.sim
        .trace()
        .for_command(n)
        .filter(|c| c.to == Participant::Kms && c.from == Participant::Ec2 && !c.is_event)
        .filter(|c| c.operation != "ReEncrypt" && c.operation != "RetireGrant")
        .map(|c| c.operation.clone())
        .collect()
}

#[test]
fn encrypted_snapshot_sequence() {
    let mut s = S::new();
    let k = s.key(Some("alias/app"));
    let snap = s.data_snapshot(Some(&k));
    // Steps 1–2: GenerateDataKeyWithoutPlaintext under the chosen key; the encrypted key goes to EBS.
    let v = s.ok("ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "SnapshotId": snap, "Encrypted": true, "KmsKeyId": k}));
    assert_eq!(
        documented_kms_steps(&s),
        ["GenerateDataKeyWithoutPlaintext"]
    );
    let calls = s.last_calls();
    let gdk = calls
        .iter()
        .position(|c| c == "EC2→KMS:GenerateDataKeyWithoutPlaintext")
        .unwrap();
    let store = calls
        .iter()
        .position(|c| c == "EC2→EBS:StoreEncryptedDataKey")
        .unwrap();
    assert!(gdk < store, "{calls:?}");
    let vol = v["VolumeId"].as_str().unwrap().to_string();
    s.advance(5);
    let inst = s.instance();
    // Steps 3–5: CreateGrant, Decrypt, plaintext data key in hypervisor memory.
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(documented_kms_steps(&s), ["CreateGrant", "Decrypt"]);
    assert_eq!(
        s.last_calls(),
        [
            "User→EC2:AttachVolume",
            "EC2→KMS:CreateGrant",
            "EC2→KMS:Decrypt",
            "EC2→Host:LoadDataKey"
        ]
    );
    let n = s.sim.command_count() - 1;
    let last = s.sim.trace().for_command(n).last().unwrap();
    assert_eq!(last.key_location, Some(KeyLocation::HostMemory));
}

#[test]
fn unencrypted_snapshot_sequence() {
    let mut s = S::new();
    let k = s.key(Some("alias/app"));
    let snap = s.data_snapshot(None);
    // Steps 1–4: CreateGrant, GenerateDataKeyWithoutPlaintext, (stored with the volume metadata), Decrypt.
    let v = s.ok("ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "SnapshotId": snap, "Encrypted": true, "KmsKeyId": k}));
    assert_eq!(
        documented_kms_steps(&s),
        ["CreateGrant", "GenerateDataKeyWithoutPlaintext", "Decrypt"]
    );
    let calls = s.last_calls();
    assert_eq!(
        &calls[..5],
        [
            "User→EC2:CreateVolume",
            "EC2→KMS:CreateGrant",
            "EC2→KMS:GenerateDataKeyWithoutPlaintext",
            "EC2→EBS:StoreEncryptedDataKey",
            "EC2→KMS:Decrypt"
        ]
    );
    let vol = v["VolumeId"].as_str().unwrap().to_string();
    s.advance(5);
    let inst = s.instance();
    // Steps 5–8: CreateGrant, Decrypt, plaintext data key in memory while attached.
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(documented_kms_steps(&s), ["CreateGrant", "Decrypt"]);
    assert!(s.sim.volumes_with_key_in_host().contains(&vol));
}

#[test]
fn attach_grant_and_decrypt_match_the_cloudtrail_example() {
    let mut s = S::new();
    let inst = s.instance();
    let vol = s.volume(json!({"AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": true}));
    s.ok(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    let n = s.sim.command_count() - 1;
    let calls: Vec<_> = s.sim.trace().for_command(n).cloned().collect();
    let grant = calls.iter().find(|c| c.operation == "CreateGrant").unwrap();
    assert_eq!(
        grant.request["granteePrincipal"],
        format!("arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/{inst}")
    );
    assert_eq!(
        grant.request["retiringPrincipal"],
        "ec2.us-east-1.amazonaws.com"
    );
    assert_eq!(grant.request["operations"], json!(["Decrypt"]));
    assert_eq!(
        grant.request["constraints"]["encryptionContextSubset"]["aws:ebs:id"],
        vol
    );
    assert_eq!(grant.principal, "arn:aws:iam::111122223333:root");
    assert!(grant.response["grantId"].is_string());
    let dec = calls.iter().find(|c| c.operation == "Decrypt").unwrap();
    assert_eq!(
        dec.principal,
        format!("arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/{inst}")
    );
    assert_eq!(dec.invoked_by.as_deref(), Some("AWS Internal"));
    assert_eq!(dec.request["encryptionAlgorithm"], "SYMMETRIC_DEFAULT");
    assert_eq!(dec.encryption_context, Some(json!({"aws:ebs:id": vol})));
    let ct = dec.cloudtrail();
    assert_eq!(ct["eventSource"], "kms.amazonaws.com");
    assert_eq!(ct["userIdentity"]["type"], "AssumedRole");
    assert_eq!(ct["readOnly"], true);
    // The GenerateDataKeyWithoutPlaintext of the create asked for 64 bytes with the volume id as context.
    let gdk = s
        .sim
        .trace()
        .calls()
        .iter()
        .find(|c| {
            c.operation == "GenerateDataKeyWithoutPlaintext"
                && c.encryption_context == Some(json!({"aws:ebs:id": vol}))
        })
        .unwrap();
    assert_eq!(gdk.request["numberOfBytes"], 64);
    // Detach retires the grant and discards the key.
    s.ok("ec2", "DetachVolume", json!({"VolumeId": vol}));
    assert_eq!(
        s.last_calls(),
        [
            "User→EC2:DetachVolume",
            "EC2→Host:DiscardDataKey",
            "EC2→KMS:RetireGrant"
        ]
    );
    assert!(!s.sim.volumes_with_key_in_host().contains(&vol));
}

#[test]
fn responses_follow_nested_calls() {
    let mut s = S::new();
    let vol = s.volume(json!({"AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": true}));
    let _ = vol;
    let n = s.sim.command_count() - 2;
    let calls: Vec<_> = s.sim.trace().for_command(n).cloned().collect();
    let top = &calls[0];
    assert_eq!(top.operation, "CreateVolume");
    assert_eq!(top.parent, None);
    assert_eq!(
        top.end,
        top.seq + calls.len(),
        "the User→EC2 response comes after every nested call"
    );
    assert!(calls[1..].iter().all(|c| c.parent == Some(top.seq)));
}

/// The CloudTrail record of a refused EC2 call: ISO time, "Client." error code, API call type.
#[test]
fn cloudtrail_records_of_refused_ec2_calls() {
    let mut s = S::new();
    let e = s.err(
        "ec2",
        "CreateVolume",
        json!({"AvailabilityZone": "us-east-1a", "Size": 8, "KmsKeyId": "alias/aws/ebs"}),
    );
    assert_eq!(e.code, "InvalidParameterDependency");
    let call = s
        .sim
        .trace()
        .calls()
        .iter()
        .rev()
        .find(|c| c.operation == "CreateVolume")
        .unwrap();
    let ct = call.cloudtrail();
    assert_eq!(ct["errorCode"], "Client.InvalidParameterDependency");
    assert_eq!(ct["eventType"], "AwsApiCall");
    assert_eq!(ct["eventSource"], "ec2.amazonaws.com");
    assert_eq!(ct["recipientAccountId"], "111122223333");
    let time = ct["eventTime"].as_str().unwrap();
    assert!(
        time.starts_with("2026-") && time.ends_with('Z') && !time.contains('.'),
        "{time}"
    );
}
