//! The calls an Alibaba Cloud command makes between services, call by call: which calls,
//! between which participants, where the data key is after each, and which steps are inferred
//! (seed 002 documents that ECS stores a KMS-encrypted data key with the disk and asks KMS to
//! decrypt it at instance startup, not which KMS operations it calls: those steps carry an
//! approximation note). Also the ActionTrail records of those calls.

use super::aliyun_rules::{A, UID};
use ebs_kms_playground::model::provider::ALIBABA;
use ebs_kms_playground::model::trace::{Call, KeyLocation, Participant};
use serde_json::json;

/// (from, to, operation, inferred?) of each call.
fn shape(calls: &[Call]) -> Vec<(Participant, Participant, String, bool)> {
    calls
        .iter()
        .map(|c| (c.from, c.to, c.operation.clone(), c.approximation.is_some()))
        .collect()
}

use Participant::{Ecs, Host, Kms, Ram, User};

fn op(
    from: Participant,
    to: Participant,
    name: &str,
    inferred: bool,
) -> (Participant, Participant, String, bool) {
    (from, to, name.to_string(), inferred)
}

#[test]
fn first_encrypted_disk_makes_the_service_key_then_a_data_key() {
    let mut a = A::new();
    a.disk(json!({"Encrypted": true})).unwrap();
    let calls = a.last_calls();
    assert_eq!(
        shape(&calls),
        vec![
            op(User, Ecs, "CreateDisk", false),
            op(Ecs, Kms, "CreateKey", true),
            op(Ecs, Kms, "GenerateDataKey", true),
        ]
    );
    let gen = &calls[2];
    assert_eq!(gen.key_location, Some(KeyLocation::EncryptedAtRest));
    assert_eq!(gen.principal, "ecs.aliyuncs.com");
    assert_eq!(gen.parent, Some(calls[0].seq));
    assert!(gen
        .doc
        .as_deref()
        .unwrap()
        .contains("A service key is used by default."));
    let ec = gen.encryption_context.as_ref().unwrap();
    assert!(ec.get("acs:ecs:disk-id").is_some());
    // The recorded response never holds the plaintext.
    assert_eq!(
        gen.response["Plaintext"],
        "<plaintext: returned to the caller, never recorded>"
    );
    // A second disk: the service key exists, one call to KMS.
    a.disk(json!({"Encrypted": true})).unwrap();
    assert_eq!(
        shape(&a.last_calls()),
        vec![
            op(User, Ecs, "CreateDisk", false),
            op(Ecs, Kms, "GenerateDataKey", true)
        ]
    );
    // An unencrypted disk calls nobody.
    a.disk(json!({})).unwrap();
    assert_eq!(
        shape(&a.last_calls()),
        vec![op(User, Ecs, "CreateDisk", false)]
    );
}

#[test]
fn a_cmk_goes_through_the_role_and_is_checked_by_kms() {
    let mut a = A::new();
    a.grant_role();
    let k = a.cmk();
    a.disk(json!({"Encrypted": true, "KMSKeyId": k})).unwrap();
    let calls = a.last_calls();
    assert_eq!(
        shape(&calls),
        vec![
            op(User, Ecs, "CreateDisk", false),
            op(Ecs, Ram, "AssumeRole", true),
            op(Ecs, Kms, "GenerateDataKey", true),
        ]
    );
    let gen = &calls[2];
    assert_eq!(
        gen.principal,
        format!("acs:ram::{UID}:role/AliyunECSDiskEncryptDefaultRole/ecs")
    );
    let record = gen.cloudtrail_in(&ALIBABA);
    assert_eq!(record["userIdentity"]["type"], "assumed-role");
    assert_eq!(
        record["userIdentity"]["userName"],
        "AliyunECSDiskEncryptDefaultRole:ecs"
    );
    assert_eq!(record["eventType"], "AliyunServiceEvent");
    assert_eq!(
        calls[1].cloudtrail_in(&ALIBABA)["eventSource"],
        "sts.aliyuncs.com"
    );
    let auth = gen.auth.as_ref().unwrap();
    assert!(auth.allowed, "{auth:?}");
    assert!(
        auth.reason.contains("AliyunECSDiskEncryptRolePolicy"),
        "{}",
        auth.reason
    );
    // Without the role the AssumeRole fails and ECS stops there.
    let mut b = A::new();
    let k = b.cmk();
    let _ = b.disk(json!({"Encrypted": true, "KMSKeyId": k}));
    let calls = b.last_calls();
    assert_eq!(
        shape(&calls),
        vec![
            op(User, Ecs, "CreateDisk", false),
            op(Ecs, Ram, "AssumeRole", true)
        ]
    );
    assert!(calls.iter().all(|c| c.error.is_some()));
}

#[test]
fn startup_reboot_and_stop_move_the_data_key_in_and_out_of_host_memory() {
    let mut a = A::new();
    let i = a.run(json!({"SystemDisk": {"Encrypted": true}})).unwrap();
    let calls = a.last_calls();
    assert_eq!(
        shape(&calls),
        vec![
            op(User, Ecs, "RunInstances", false),
            op(Ecs, Kms, "CreateKey", true),
            op(Ecs, Kms, "GenerateDataKey", true),
            op(Ecs, Kms, "Decrypt", true),
            op(Ecs, Host, "LoadDataKey", true),
        ]
    );
    let dec = &calls[3];
    assert_eq!(dec.key_location, Some(KeyLocation::InTransitToHost));
    assert!(dec
        .doc
        .as_deref()
        .unwrap()
        .starts_with("At instance startup, ECS requests KMS to decrypt"));
    assert_eq!(calls[4].key_location, Some(KeyLocation::HostMemory));
    let sys = a.system_disk(&i);
    assert!(a.sim.aliyun_host_key_check_value(&sys).is_some());
    let before = a.sim.aliyun_host_key_check_value(&sys);
    a.ok("ecs", "RebootInstance", json!({"InstanceId": i}));
    assert_eq!(
        shape(&a.last_calls()),
        vec![
            op(User, Ecs, "RebootInstance", false),
            op(Ecs, Host, "DiscardDataKey", true),
            op(Ecs, Kms, "Decrypt", true),
            op(Ecs, Host, "LoadDataKey", true),
        ]
    );
    assert_eq!(
        a.sim.aliyun_host_key_check_value(&sys),
        before,
        "the same data key"
    );
    a.ok("ecs", "StopInstance", json!({"InstanceId": i}));
    let calls = a.last_calls();
    assert_eq!(calls[1].key_location, Some(KeyLocation::Discarded));
    assert!(a.sim.aliyun_host_key_check_value(&sys).is_none());
    // An unencrypted instance calls nobody at startup.
    a.run(json!({})).unwrap();
    assert_eq!(
        shape(&a.last_calls()),
        vec![op(User, Ecs, "RunInstances", false)]
    );
}

#[test]
fn a_disk_from_an_encrypted_snapshot_is_re_encrypted_under_a_new_data_key() {
    let mut a = A::new();
    let i = a
        .run(json!({"DataDisk": [{"Size": 40, "Encrypted": true}]}))
        .unwrap();
    let data = a.sim.aliyun().disks_of(&i)[1].id.clone();
    a.ok(
        "play",
        "WriteData",
        json!({"InstanceId": i, "DiskId": data, "Text": "x"}),
    );
    let s = a.snapshot(&data);
    a.disk(json!({"SnapshotId": s})).unwrap();
    let calls = a.last_calls();
    assert_eq!(
        shape(&calls),
        vec![
            op(User, Ecs, "CreateDisk", false),
            op(Ecs, Kms, "GenerateDataKey", true),
            op(Ecs, Kms, "Decrypt", true),
        ]
    );
    assert_eq!(calls[1].key_location, Some(KeyLocation::EbsTransient));
    assert!(calls[1]
        .doc
        .as_deref()
        .unwrap()
        .contains("unshared encrypted snapshot"));
}

#[test]
fn actiontrail_records() {
    let mut a = A::new();
    a.as_user("nobody");
    let _ = a.disk(json!({"Encrypted": true}));
    let denied = a.last_calls()[0].cloudtrail_in(&ALIBABA);
    assert_eq!(denied["userIdentity"]["type"], "ram-user");
    assert_eq!(denied["userIdentity"]["userName"], "nobody");
    assert_eq!(denied["errorCode"], "Forbidden.RAM");
    a.as_root(UID);
    a.disk(json!({"Encrypted": true})).unwrap();
    let calls = a.last_calls();
    let top = calls[0].cloudtrail_in(&ALIBABA);
    assert_eq!(top["eventSource"], "ecs.aliyuncs.com");
    assert_eq!(top["eventName"], "CreateDisk");
    assert_eq!(top["eventType"], "ApiCall");
    assert_eq!(top["acsRegion"], "cn-hangzhou");
    assert_eq!(top["userIdentity"]["type"], "root-account");
    assert_eq!(top["userIdentity"]["accountId"], UID);
    assert_eq!(top["userIdentity"]["principalId"], UID);
    assert_eq!(top["requestId"], calls[0].response["RequestId"]);
    assert!(top.get("awsRegion").is_none());
    let gen = calls.last().unwrap().cloudtrail_in(&ALIBABA);
    assert_eq!(gen["eventSource"], "kms.aliyuncs.com");
    assert_eq!(gen["eventType"], "AliyunServiceEvent");
    assert_eq!(gen["userIdentity"]["type"], "system");
    assert!(gen["requestId"].as_str().unwrap().len() == 36);
    // The AWS form of the same call is still CloudTrail's.
    assert_eq!(calls[0].cloudtrail()["eventType"], "AwsApiCall");
}

#[test]
fn request_ids_are_deterministic_uuids() {
    let mut a = A::new();
    let mut b = A::new();
    let r1 = a.ok("kms", "CreateKey", json!({}))["RequestId"].clone();
    let r2 = b.ok("kms", "CreateKey", json!({}))["RequestId"].clone();
    assert_eq!(r1, r2);
    let s = r1.as_str().unwrap();
    assert_eq!(s.len(), 36);
    assert_eq!(s, s.to_ascii_uppercase());
}

#[test]
fn dry_run_is_answered_in_alibabas_words_and_changes_nothing() {
    let mut a = A::new();
    let e = a.err(
        "ecs",
        "CreateDisk",
        json!({"ZoneId": "cn-hangzhou-i", "Size": 40, "DryRun": true}),
    );
    assert_eq!(e.code, "DryRunOperation");
    assert_eq!(
        e.message,
        "Request validation has been passed with DryRun flag set."
    );
    assert_eq!(a.sim.aliyun().disks().count(), 0);
}
