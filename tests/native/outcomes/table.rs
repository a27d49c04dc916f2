//! Seed 000's "Encryption outcomes" table, all 20 rows, as data: each row is run twice,
//! once with no KmsKeyId (the "Default" column) and once with a customer managed key (the "Custom" column).

use crate::common::*;
use serde_json::json;

/// What the table says a CreateVolume produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Out {
    Unencrypted,
    SameKey,
    DefaultKey,
    SpecifiedKey,
    /// "N/A" and blank custom cells without Encrypted: KmsKeyId requires Encrypted.
    Refused,
}
use Out::*;
use Src::*;

/// (Is encryption enabled?, Is encryption by default enabled?, Source, Default column, Custom column)
const TABLE: [(bool, bool, Src, Out, Out); 20] = [
    (false, false, New, Unencrypted, Refused),
    (false, false, UnencryptedOwned, Unencrypted, Refused),
    (false, false, EncryptedOwned, SameKey, Refused),
    (false, false, UnencryptedShared, Unencrypted, Refused),
    (false, false, EncryptedShared, DefaultKey, Refused),
    (true, false, New, DefaultKey, SpecifiedKey),
    (true, false, UnencryptedOwned, DefaultKey, SpecifiedKey),
    (true, false, EncryptedOwned, SameKey, SpecifiedKey),
    (true, false, UnencryptedShared, DefaultKey, SpecifiedKey),
    (true, false, EncryptedShared, DefaultKey, SpecifiedKey),
    (false, true, New, DefaultKey, Refused),
    (false, true, UnencryptedOwned, DefaultKey, Refused),
    (false, true, EncryptedOwned, SameKey, Refused),
    (false, true, UnencryptedShared, DefaultKey, Refused),
    (false, true, EncryptedShared, DefaultKey, Refused),
    (true, true, New, DefaultKey, SpecifiedKey),
    (true, true, UnencryptedOwned, DefaultKey, SpecifiedKey),
    (true, true, EncryptedOwned, SameKey, SpecifiedKey),
    (true, true, UnencryptedShared, DefaultKey, SpecifiedKey),
    (true, true, EncryptedShared, DefaultKey, SpecifiedKey),
];

fn run(
    encrypted: bool,
    by_default: bool,
    src: Src,
    custom: bool,
    default_cmk: bool,
) -> (Out, String) {
    let mut s = S::new();
    let (snap, snap_key) = s.source(src);
    let specified = s.key(Some("alias/specified"));
    let default_key = if default_cmk {
        let k = s.key(Some("alias/ebs-default"));
        s.ok("ec2", "ModifyEbsDefaultKmsKeyId", json!({"KmsKeyId": k}));
        k
    } else {
        s.managed_key()
    };
    if by_default {
        s.ok("ec2", "EnableEbsEncryptionByDefault", json!({}));
    }
    let mut p = json!({"AvailabilityZone": "us-east-1a", "Size": 1});
    if let Some(id) = &snap {
        p["SnapshotId"] = json!(id);
    }
    if encrypted {
        p["Encrypted"] = json!(true);
    }
    if custom {
        p["KmsKeyId"] = json!("alias/specified");
    }
    let v = match s.call("ec2", "CreateVolume", p) {
        Ok(v) => v,
        Err(e) => {
            assert_eq!(e.code, "InvalidParameterDependency");
            assert_eq!(
                e.message,
                "The parameter KmsKeyId requires the parameter Encrypted to be set."
            );
            return (Refused, String::new());
        }
    };
    let id = v["VolumeId"].as_str().unwrap().to_string();
    s.advance(5);
    // The volume must really be created (not fail asynchronously), and carry the key it reported.
    let d = s.ok("ec2", "DescribeVolumes", json!({"VolumeIds": [id]}));
    assert_eq!(d["Volumes"][0]["State"], "available", "{src:?}: {d}");
    let got = d["Volumes"][0]["KmsKeyId"].as_str().map(str::to_string);
    let out = match got {
        None => Unencrypted,
        Some(k) if Some(&k) == snap_key.as_ref() => SameKey,
        Some(k) if k == default_key => DefaultKey,
        Some(k) if k == specified => SpecifiedKey,
        Some(k) => panic!("unexpected key {k}"),
    };
    (out, id)
}

#[test]
fn encryption_outcomes_default_column() {
    for (i, (enc, ebd, src, want, _)) in TABLE.iter().enumerate() {
        let (got, _) = run(*enc, *ebd, *src, false, false);
        assert_eq!(
            got,
            *want,
            "row {} (encrypted={enc}, by default={ebd}, {src:?})",
            i + 1
        );
    }
}

#[test]
fn encryption_outcomes_custom_column() {
    for (i, (enc, ebd, src, _, want)) in TABLE.iter().enumerate() {
        let (got, _) = run(*enc, *ebd, *src, true, false);
        assert_eq!(
            got,
            *want,
            "row {} (encrypted={enc}, by default={ebd}, {src:?})",
            i + 1
        );
    }
}

/// The "default customer managed key" is whatever ModifyEbsDefaultKmsKeyId set, not only alias/aws/ebs.
#[test]
fn default_key_follows_modify_ebs_default_kms_key_id() {
    for (i, (enc, ebd, src, want, _)) in TABLE.iter().enumerate() {
        let (got, _) = run(*enc, *ebd, *src, false, true);
        assert_eq!(
            got,
            *want,
            "row {} with a customer managed default key",
            i + 1
        );
    }
}

/// Restored volumes hold the snapshot's data, readable through an instance, whatever the key change.
#[test]
fn restored_data_is_readable_after_every_outcome() {
    for src in [
        UnencryptedOwned,
        EncryptedOwned,
        UnencryptedShared,
        EncryptedShared,
    ] {
        for (enc, custom) in [(false, false), (true, false), (true, true)] {
            let mut s = S::new();
            let (snap, _) = s.source(src);
            s.key(Some("alias/specified"));
            let mut p =
                json!({"AvailabilityZone": "us-east-1a", "SnapshotId": snap, "Encrypted": enc});
            if custom {
                p["KmsKeyId"] = json!("alias/specified");
            }
            let v = s.volume(p);
            let i = s.instance();
            s.ok(
                "ec2",
                "AttachVolume",
                json!({"VolumeId": v, "InstanceId": i, "Device": "/dev/sdg"}),
            );
            let r = s.ok(
                "play",
                "ReadData",
                json!({"InstanceId": i, "Device": "/dev/sdg"}),
            );
            assert_eq!(
                r["Text"], "secret text",
                "{src:?} encrypted={enc} custom={custom}"
            );
        }
    }
}
