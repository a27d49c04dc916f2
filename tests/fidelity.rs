//! Fidelity fixes found by testing against the AWS documentation: each test is named after the
//! documented behaviour and cites the page it was checked against.

mod common;
use common::*;
use ebs_kms_playground::model::trace::Participant;
use ebs_kms_playground::model::ACCOUNT_A;
use serde_json::{json, Value};

fn rotation(s: &mut S, key: &str) -> Value {
    s.ok("kms", "GetKeyRotationStatus", json!({"KeyId": key}))
}

/// <https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html>:
/// "Pending deletion: While a KMS key is pending deletion, its key rotation status is false and
/// AWS KMS does not rotate the key. If you cancel the deletion, the original key rotation status
/// returns to true."
#[test]
fn key_rotation_status_is_false_while_pending_deletion_and_true_again_after_cancel() {
    let mut s = S::new();
    let k = s.key(None);
    s.ok("kms", "EnableKeyRotation", json!({"KeyId": k}));
    assert_eq!(rotation(&mut s, &k)["KeyRotationEnabled"], true);
    s.ok(
        "kms",
        "ScheduleKeyDeletion",
        json!({"KeyId": k, "PendingWindowInDays": 7}),
    );
    let pending = rotation(&mut s, &k);
    assert_eq!(pending["KeyRotationEnabled"], false, "{pending}");
    assert!(pending.get("NextRotationDate").is_none(), "{pending}");
    s.ok("kms", "CancelKeyDeletion", json!({"KeyId": k}));
    let back = rotation(&mut s, &k);
    assert_eq!(back["KeyRotationEnabled"], true, "{back}");
    assert_eq!(back["RotationPeriodInDays"], 365, "{back}");

    // A key whose rotation was never enabled stays false after the cancellation.
    let plain = s.key(None);
    s.ok(
        "kms",
        "ScheduleKeyDeletion",
        json!({"KeyId": plain, "PendingWindowInDays": 7}),
    );
    s.ok("kms", "CancelKeyDeletion", json!({"KeyId": plain}));
    assert_eq!(rotation(&mut s, &plain)["KeyRotationEnabled"], false);
}

/// <https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html> and
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Snapshot.html> (`StateMessage`:
/// "Encrypted Amazon EBS snapshots are copied asynchronously. If a snapshot copy operation
/// fails (for example, if the proper KMS permissions are not obtained) this field displays error
/// state details"): a copy refused by KMS ends in `error` with "Given key ID is not accessible".
#[test]
fn copy_snapshot_without_key_permission_ends_in_error_given_key_id_is_not_accessible() {
    let mut s = S::new();
    s.as_b();
    let k = s.key(None); // default key policy: account B only
    let snap = s.data_snapshot(Some(&k));
    s.ok(
        "ec2",
        "ModifySnapshotAttribute",
        json!({"SnapshotId": snap, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": [ACCOUNT_A]}),
    );
    s.as_a();
    let c = s.ok(
        "ec2",
        "CopySnapshot",
        json!({"SourceSnapshotId": snap, "SourceRegion": "us-east-1"}),
    );
    s.advance(10);
    let d = s.ok(
        "ec2",
        "DescribeSnapshots",
        json!({"SnapshotIds": [c["SnapshotId"]]}),
    );
    let copy = &d["Snapshots"][0];
    assert_eq!(copy["State"], "error", "{copy}");
    assert_eq!(
        copy["StateMessage"], "Given key ID is not accessible",
        "{copy}"
    );
}

/// The `cause` of the failed `attachVolume` event, for the key's state.
fn attach_failure_cause(disable: bool) -> (String, String) {
    let mut s = S::new();
    let k = s.key(None);
    let inst = s.instance();
    let vol = s.volume(
        json!({"AvailabilityZone": "us-east-1a", "Size": 1, "Encrypted": true, "KmsKeyId": k}),
    );
    if disable {
        s.ok("kms", "DisableKey", json!({"KeyId": k}));
    } else {
        s.ok(
            "kms",
            "ScheduleKeyDeletion",
            json!({"KeyId": k, "PendingWindowInDays": 7}),
        );
    }
    let e = s.err(
        "ec2",
        "AttachVolume",
        json!({"VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf"}),
    );
    assert_eq!(e.code, "CustomerKeyHasBeenRevoked");
    let event = s
        .sim
        .trace()
        .calls()
        .iter()
        .rev()
        .find(|c| c.to == Participant::EventBridge && c.operation == "attachVolume")
        .expect("an attachVolume event");
    assert_eq!(event.request["result"], "failed");
    let cause = event.request["cause"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (k, cause)
}

/// <https://docs.aws.amazon.com/ebs/latest/userguide/ebs-cloud-watch-events.html> (Attach or
/// reattach volume events): the `cause` of a failed attachVolume is KMS's words for the key's
/// state, "arn:aws:kms:…:key/… is pending deletion." or "… is disabled.".
#[test]
fn attach_volume_event_cause_names_the_key_state_in_kms_words() {
    let (k, cause) = attach_failure_cause(false);
    assert_eq!(cause, format!("{k} is pending deletion."));
    let (k, cause) = attach_failure_cause(true);
    assert_eq!(cause, format!("{k} is disabled."));
}

fn description_of(s: &mut S, snapshot: &Value) -> String {
    let d = s.ok(
        "ec2",
        "DescribeSnapshots",
        json!({"SnapshotIds": [snapshot]}),
    );
    d["Snapshots"][0]["Description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html>
/// (`Description`: "A description for the EBS snapshot", optional) and
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html>: only the snapshot
/// copies CopyImage makes say "Copied for DestinationAmi …".
#[test]
fn copy_snapshot_without_description_does_not_claim_an_ami_copy() {
    let mut s = S::new();
    let snap = s.data_snapshot(None);
    let plain = s.ok(
        "ec2",
        "CopySnapshot",
        json!({"SourceSnapshotId": snap, "SourceRegion": "us-east-1"}),
    );
    s.advance(10);
    let d = description_of(&mut s, &plain["SnapshotId"]);
    assert!(!d.contains("DestinationAmi"), "{d}");
    let described = s.ok(
        "ec2",
        "CopySnapshot",
        json!({"SourceSnapshotId": snap, "SourceRegion": "us-east-1", "Description": "mine"}),
    );
    assert_eq!(description_of(&mut s, &described["SnapshotId"]), "mine");

    let ami = s.public_ami();
    let copy = s.ok(
        "ec2",
        "CopyImage",
        json!({"SourceImageId": ami, "SourceRegion": "us-east-1", "Name": "copy"}),
    );
    s.advance(10);
    let img = s.ok(
        "ec2",
        "DescribeImages",
        json!({"ImageIds": [copy["ImageId"]]}),
    );
    let sid = img["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"].clone();
    let d = description_of(&mut s, &sid);
    assert!(d.starts_with("Copied for DestinationAmi"), "{d}");
}

/// Refused requests (bad credentials, an unmodelled region, parameters that are not an object)
/// are drawn on the lifeline of the service they were sent to, as `Sim::execute` draws the
/// requests it accepts (issue 10: `refuse_request` drew autoscaling and play on EC2's).
#[test]
fn refused_requests_are_drawn_on_the_lifeline_of_the_service_they_were_sent_to() {
    use ebs_kms_playground::model::{Caller, Sim};
    let services = [
        ("ec2", Participant::Ec2),
        ("kms", Participant::Kms),
        ("iam", Participant::Iam),
        ("sts", Participant::Sts),
        ("autoscaling", Participant::AutoScaling),
        ("play", Participant::Host),
    ];
    let refusals = [
        (Caller::root("12", "us-east-1"), json!({})),
        (Caller::root(ACCOUNT_A, "mars-north-1"), json!({})),
        (Caller::root(ACCOUNT_A, "us-east-1"), json!([1, 2])),
    ];
    for (service, want) in services {
        for (who, params) in &refusals {
            let mut sim = Sim::new(1);
            let e = sim
                .execute(who, service, "Anything", params.clone())
                .expect_err("refused");
            let call = sim.trace().calls().last().cloned().expect("a drawn call");
            assert_eq!(call.to, want, "{service} {who:?}: {e}");
            assert_eq!(call.from, Participant::User);
            assert_eq!(call.error.as_ref(), Some(&e));
        }
    }
}
