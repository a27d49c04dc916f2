//! Seed 001: launching instances from EBS-backed AMIs and copying images, every bullet, as tables.

use crate::common::*;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ami {
    OwnedUnencrypted,
    OwnedEncrypted,
    SharedEncrypted,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Params {
    None,
    EncryptedOnly,
    Both,
    KeyOnly,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Out {
    Unencrypted,
    SameKey,
    DefaultKey,
    SpecifiedKey,
    InvalidParameterDependency,
}
use Ami::*;
use Out::*;
use Params::*;

/// Both the launch and the copy-image rules of seed 001 read the same.
const RULES: [(Params, Ami, Out); 12] = [
    // "Launch with no encryption parameters" / "Copy with no encryption parameters"
    (None, OwnedUnencrypted, Unencrypted),
    (None, OwnedEncrypted, SameKey),
    (None, SharedEncrypted, DefaultKey),
    // "Encrypted set, but no KmsKeyId specified"
    (EncryptedOnly, OwnedUnencrypted, DefaultKey),
    (EncryptedOnly, OwnedEncrypted, SameKey),
    (EncryptedOnly, SharedEncrypted, DefaultKey),
    // "both Encrypted and KmsKeyId set"
    (Both, OwnedUnencrypted, SpecifiedKey),
    (Both, OwnedEncrypted, SpecifiedKey),
    (Both, SharedEncrypted, SpecifiedKey),
    // "Submitting a KmsKeyId without also setting the Encrypted parameter results in an error."
    (KeyOnly, OwnedUnencrypted, InvalidParameterDependency),
    (KeyOnly, OwnedEncrypted, InvalidParameterDependency),
    (KeyOnly, SharedEncrypted, InvalidParameterDependency),
];

/// Registers an AMI of the given kind visible to account A; returns (ami, device, snapshot key).
fn make_ami(s: &mut S, kind: Ami) -> (String, Option<String>) {
    let (snap, key) = match kind {
        OwnedUnencrypted => s.source(Src::UnencryptedOwned),
        OwnedEncrypted => s.source(Src::EncryptedOwned),
        SharedEncrypted => s.source(Src::EncryptedShared),
    };
    let me = s.who.clone();
    if kind == SharedEncrypted {
        s.as_b();
    }
    let img = s.ok("ec2", "RegisterImage", json!({"Name": "app-image", "RootDeviceName": "/dev/xvda", "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snap}}]}));
    let ami = img["ImageId"].as_str().unwrap().to_string();
    if kind == SharedEncrypted {
        s.ok("ec2", "ModifyImageAttribute", json!({"ImageId": ami, "LaunchPermission": {"Add": [{"UserId": ebs_kms_playground::model::ACCOUNT_A}]}}));
    }
    s.who = me;
    (ami, key)
}

fn ebs_params(p: Params) -> Value {
    match p {
        None => json!({}),
        EncryptedOnly => json!({"Encrypted": true}),
        Both => json!({"Encrypted": true, "KmsKeyId": "alias/chosen"}),
        KeyOnly => json!({"KmsKeyId": "alias/chosen"}),
    }
}

fn classify(s: &mut S, got: Option<&str>, snap_key: &Option<String>) -> Out {
    let default = s.managed_key();
    let chosen = s.ok("kms", "DescribeKey", json!({"KeyId": "alias/chosen"}))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    match got {
        Option::None => Unencrypted,
        Some(k) if Some(k) == snap_key.as_deref() => SameKey,
        Some(k) if k == default => DefaultKey,
        Some(k) if k == chosen => SpecifiedKey,
        Some(k) => panic!("unexpected key {k}"),
    }
}

#[test]
fn launch_rules() {
    for (params, ami_kind, want) in RULES {
        let mut s = S::new();
        let (ami, snap_key) = make_ami(&mut s, ami_kind);
        s.key(Some("alias/chosen"));
        let r = s.call(
            "ec2",
            "RunInstances",
            json!({"ImageId": ami, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1,
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": ebs_params(params)}]}),
        );
        let got = match r {
            Err(e) => {
                assert_eq!(
                    e.code, "InvalidParameterDependency",
                    "{params:?} {ami_kind:?}"
                );
                InvalidParameterDependency
            }
            Ok(v) => {
                let iid = v["Instances"][0]["InstanceId"]
                    .as_str()
                    .unwrap()
                    .to_string();
                s.advance(30);
                let d = s.ok("ec2", "DescribeInstances", json!({"InstanceIds": [iid]}));
                assert_eq!(
                    d["Reservations"][0]["Instances"][0]["State"]["Name"], "running",
                    "{params:?} {ami_kind:?}: {d}"
                );
                let vid = d["Reservations"][0]["Instances"][0]["BlockDeviceMappings"][0]["Ebs"]
                    ["VolumeId"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let vol = s.ok("ec2", "DescribeVolumes", json!({"VolumeIds": [vid]}));
                let k = vol["Volumes"][0]["KmsKeyId"].as_str().map(str::to_string);
                // The instance reads the AMI's data whatever the encryption change.
                let read = s.ok(
                    "play",
                    "ReadData",
                    json!({"InstanceId": iid, "Device": "/dev/xvda"}),
                );
                assert_eq!(read["Text"], "secret text");
                classify(&mut s, k.as_deref(), &snap_key)
            }
        };
        assert_eq!(got, want, "launch with {params:?} from {ami_kind:?}");
    }
}

#[test]
fn copy_image_rules() {
    for (params, ami_kind, want) in RULES {
        let mut s = S::new();
        let (ami, snap_key) = make_ami(&mut s, ami_kind);
        s.key(Some("alias/chosen"));
        let mut p =
            json!({"SourceImageId": ami, "SourceRegion": "us-east-1", "Name": "copied-image"});
        for (k, v) in ebs_params(params).as_object().unwrap() {
            p[k] = v.clone();
        }
        let got = match s.call("ec2", "CopyImage", p) {
            Err(e) => {
                assert_eq!(e.code, "InvalidParameterDependency");
                InvalidParameterDependency
            }
            Ok(v) => {
                let id = v["ImageId"].as_str().unwrap().to_string();
                s.advance(30);
                let d = s.ok("ec2", "DescribeImages", json!({"ImageIds": [id]}));
                assert_eq!(d["Images"][0]["State"], "available", "{d}");
                let k = d["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["KmsKeyId"]
                    .as_str()
                    .map(str::to_string);
                classify(&mut s, k.as_deref(), &snap_key)
            }
        };
        assert_eq!(got, want, "copy-image with {params:?} from {ami_kind:?}");
    }
}

/// "Change Encryption State of Multiple Volumes during Launch": one snapshot newly encrypted, one re-encrypted.
#[test]
fn several_volumes_at_once() {
    let mut s = S::new();
    let plain = s.data_snapshot(Option::None);
    let a = s.key(Some("alias/a"));
    let b = s.key(Some("alias/b"));
    let enc = s.data_snapshot(Some(&a));
    let img = s.ok("ec2", "RegisterImage", json!({"Name": "two-volumes", "BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": plain}}, {"DeviceName": "/dev/sdb", "Ebs": {"SnapshotId": enc}}]}));
    let r = s.ok(
        "ec2",
        "RunInstances",
        json!({"ImageId": img["ImageId"], "BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true, "KmsKeyId": "alias/b"}},
        {"DeviceName": "/dev/sdb", "Ebs": {"Encrypted": true, "KmsKeyId": "alias/b"}}]}),
    );
    let iid = r["Instances"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_string();
    s.advance(30);
    let vols = s.ok("ec2", "DescribeVolumes", json!({}));
    let mine: Vec<Value> = vols["Volumes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["Attachments"][0]["InstanceId"] == json!(iid))
        .cloned()
        .collect();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|v| v["KmsKeyId"] == json!(b)), "{mine:?}");
    for dev in ["/dev/xvda", "/dev/sdb"] {
        assert_eq!(
            s.ok(
                "play",
                "ReadData",
                json!({"InstanceId": iid, "Device": dev})
            )["Text"],
            "secret text"
        );
    }
    let _ = a;
}

/// "When you enable encryption by default, you can launch an instance only if the instance type supports EBS encryption."
#[test]
fn instance_types_and_encryption_by_default() {
    let cases = [
        ("m1.small", false, true),
        ("m1.small", true, false),
        ("c3.large", true, true),
        ("cr1.8xlarge", true, true),
        ("t1.micro", true, false),
        ("t3.micro", true, true),
    ];
    for (t, ebd, ok) in cases {
        let mut s = S::new();
        if ebd {
            s.ok("ec2", "EnableEbsEncryptionByDefault", json!({}));
        }
        let ami = s.public_ami();
        let r = s.call(
            "ec2",
            "RunInstances",
            json!({"ImageId": ami, "InstanceType": t}),
        );
        assert_eq!(r.is_ok(), ok, "{t} with encryption by default {ebd}: {r:?}");
        if let Err(e) = r {
            assert_eq!(e.code, "UnsupportedOperation");
        }
    }
}
