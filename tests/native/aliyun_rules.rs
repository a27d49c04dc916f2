//! Seed 002 (Alibaba Cloud ECS disk encryption), rule by rule: one row per rule, each with the
//! seed's sentence, run through `Sim::execute` in an Alibaba Cloud world. Error codes come from
//! Alibaba's ECS API reference (the "Error codes" tables of CreateDisk, RunInstances,
//! ModifyDiskDefaultKMSKeyId, StartInstance) and KMS's "Service error codes"; where the
//! references consulted give none, the test says the code is the playground's choice.

use ebs_kms_playground::model::provider::Cloud;
use ebs_kms_playground::model::trace::Call;
use ebs_kms_playground::model::{AwsError, Caller, Sim};
use serde_json::{json, Value};

pub const UID: &str = "1234567890123456";
pub const OTHER: &str = "9876543210987654";
pub const HZ: &str = "cn-hangzhou";
pub const ZONE: &str = "cn-hangzhou-i";
pub const IMAGE: &str = "aliyun_3_x64_20G_alibase_20240819.vhd";

/// An Alibaba Cloud session with terse calls.
pub struct A {
    pub sim: Sim,
    pub who: Caller,
}

impl A {
    pub fn new() -> Self {
        A {
            sim: Sim::new_in(Cloud::Alibaba, 7),
            who: Caller {
                account: UID.into(),
                region: HZ.into(),
                principal: format!("acs:ram::{UID}:root"),
            },
        }
    }
    pub fn as_root(&mut self, account: &str) -> &mut Self {
        self.who.account = account.into();
        self.who.principal = format!("acs:ram::{account}:root");
        self
    }
    pub fn as_user(&mut self, name: &str) -> &mut Self {
        self.who.account = UID.into();
        self.who.principal = format!("acs:ram::{UID}:user/{name}");
        self
    }
    pub fn region(&mut self, r: &str) -> &mut Self {
        self.who.region = r.into();
        self
    }
    pub fn call(&mut self, service: &str, op: &str, p: Value) -> Result<Value, AwsError> {
        let who = self.who.clone();
        self.sim.execute(&who, service, op, p)
    }
    pub fn ok(&mut self, service: &str, op: &str, p: Value) -> Value {
        match self.call(service, op, p.clone()) {
            Ok(v) => v,
            Err(e) => panic!("{op} {p} failed: {e}"),
        }
    }
    pub fn err(&mut self, service: &str, op: &str, p: Value) -> AwsError {
        match self.call(service, op, p.clone()) {
            Ok(v) => panic!("{op} {p} should fail, gave {v}"),
            Err(e) => e,
        }
    }
    pub fn advance(&mut self, secs: u64) {
        self.ok("play", "AdvanceTime", json!({"Seconds": secs}));
    }
    /// A new CMK in the caller's region.
    pub fn cmk(&mut self) -> String {
        let v = self.ok("kms", "CreateKey", json!({}));
        v["KeyMetadata"]["KeyId"].as_str().unwrap().to_string()
    }
    /// Grants ECS the role it needs to use CMKs (the console's "grant the role" step).
    pub fn grant_role(&mut self) {
        let trust = json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ecs.aliyuncs.com"]}}]});
        self.ok("ram", "CreateRole", json!({"RoleName": "AliyunECSDiskEncryptDefaultRole", "AssumeRolePolicyDocument": trust.to_string()}));
        self.ok("ram", "AttachPolicyToRole", json!({"PolicyType": "System", "PolicyName": "AliyunECSDiskEncryptRolePolicy", "RoleName": "AliyunECSDiskEncryptDefaultRole"}));
    }
    pub fn disk(&mut self, p: Value) -> Result<String, AwsError> {
        let mut req = json!({"ZoneId": ZONE, "Size": 40});
        for (k, v) in p.as_object().unwrap() {
            req[k] = v.clone();
        }
        let v = self.call("ecs", "CreateDisk", req)?;
        Ok(v["DiskId"].as_str().unwrap().to_string())
    }
    pub fn describe_disk(&mut self, id: &str) -> Value {
        let v = self.ok(
            "ecs",
            "DescribeDisks",
            json!({"DiskIds": json!([id]).to_string()}),
        );
        v["Disks"]["Disk"][0].clone()
    }
    pub fn key_of(&mut self, disk: &str) -> Option<String> {
        let d = self.describe_disk(disk);
        match d["Encrypted"].as_bool() {
            Some(true) => Some(d["KMSKeyId"].as_str().unwrap().to_string()),
            _ => None,
        }
    }
    pub fn service_key(&mut self) -> String {
        self.sim
            .aliyun()
            .keys()
            .find(|k| k.service_key && k.account == self.who.account && k.region == self.who.region)
            .map(|k| k.id.clone())
            .expect("a service key")
    }
    pub fn run(&mut self, p: Value) -> Result<String, AwsError> {
        let mut req = json!({"ImageId": IMAGE, "InstanceType": "ecs.g7.large", "ZoneId": ZONE});
        for (k, v) in p.as_object().unwrap() {
            req[k] = v.clone();
        }
        let v = self.call("ecs", "RunInstances", req)?;
        Ok(v["InstanceIdSets"]["InstanceIdSet"][0]
            .as_str()
            .unwrap()
            .to_string())
    }
    pub fn system_disk(&self, instance: &str) -> String {
        self.sim
            .aliyun()
            .instance(instance)
            .unwrap()
            .system_disk
            .clone()
            .unwrap()
    }
    /// An accomplished snapshot of an encrypted (or not) disk with some data on it.
    pub fn snapshot(&mut self, disk: &str) -> String {
        let v = self.ok("ecs", "CreateSnapshot", json!({"DiskId": disk}));
        self.advance(60);
        v["SnapshotId"].as_str().unwrap().to_string()
    }
    /// The calls of the last command.
    pub fn last_calls(&self) -> Vec<Call> {
        let t = self.sim.trace();
        let last = t.calls().last().map(|c| c.command).unwrap_or(0);
        t.for_command(last).cloned().collect()
    }
}

mod access;
mod keys;
mod workflows;

pub fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

pub fn code(e: AwsError) -> String {
    e.code
}

// ---------------------------------------------------------------------------------------------
// The key decision: which key a new disk gets.
// ---------------------------------------------------------------------------------------------

/// What each create-disk case should give: a named CMK, the service key, or no encryption.
#[derive(Debug)]
enum Want {
    Cmk(usize),
    Service,
    Plain,
}

#[test]
fn create_disk_key_decision_table() {
    // Each row: (seed 002's sentence, setup, CreateDisk members, expected key). `setup` gets the
    // session and the CMKs [k0, k1] and returns extra CreateDisk members.
    type Setup = fn(&mut A, &[String]) -> Value;
    let rows: Vec<(&str, Setup, Want)> = vec![
        (
            "Create a disk from an unshared encrypted snapshot: The disk uses the same key as the snapshot by default.",
            |a, k| {
                let d = a.disk(json!({"Encrypted": true, "KMSKeyId": k[0]})).unwrap();
                a.advance(10);
                let s = a.snapshot(&d);
                json!({"SnapshotId": s})
            },
            Want::Cmk(0),
        ),
        (
            "Create a disk from an unshared encrypted snapshot … You can select a different KMS key.",
            |a, k| {
                let d = a.disk(json!({"Encrypted": true, "KMSKeyId": k[0]})).unwrap();
                a.advance(10);
                let s = a.snapshot(&d);
                json!({"SnapshotId": s, "Encrypted": true, "KMSKeyId": k[1]})
            },
            Want::Cmk(1),
        ),
        (
            "Create a disk from a shared encrypted snapshot: The disk uses a service key by default.",
            |a, _| {
                a.as_root(OTHER);
                a.grant_role();
                let theirs = a.cmk();
                let d = a.disk(json!({"Encrypted": true, "KMSKeyId": theirs})).unwrap();
                a.advance(10);
                let s = a.snapshot(&d);
                a.ok("play", "ShareSnapshot", json!({"SnapshotId": s, "AccountId": UID}));
                a.as_root(UID);
                json!({"SnapshotId": s})
            },
            Want::Service,
        ),
        (
            "Create a disk from a shared encrypted snapshot … You can select a different KMS key.",
            |a, k| {
                a.as_root(OTHER);
                let d = a.disk(json!({"Encrypted": true})).unwrap();
                a.advance(10);
                let s = a.snapshot(&d);
                a.ok("play", "ShareSnapshot", json!({"SnapshotId": s, "AccountId": UID}));
                a.as_root(UID);
                json!({"SnapshotId": s, "Encrypted": true, "KMSKeyId": k[1]})
            },
            Want::Cmk(1),
        ),
        (
            "Create a disk in a region where account-level default encryption … is enabled: The disk uses the specified account-level key by default.",
            |a, k| {
                a.ok("ecs", "EnableDiskEncryptionByDefault", json!({}));
                a.ok("ecs", "ModifyDiskDefaultKMSKeyId", json!({"KMSKeyId": k[0]}));
                json!({})
            },
            Want::Cmk(0),
        ),
        (
            "… account-level default encryption … You can select a different KMS key.",
            |a, k| {
                a.ok("ecs", "EnableDiskEncryptionByDefault", json!({}));
                a.ok("ecs", "ModifyDiskDefaultKMSKeyId", json!({"KMSKeyId": k[0]}));
                json!({"KMSKeyId": k[1]})
            },
            Want::Cmk(1),
        ),
        (
            // EnableDiskEncryptionByDefault (API reference): "The first time you enable the
            // Account-level EBS Default Encryption feature in a region, the service key in the
            // region is automatically used to encrypt EBS resources."
            "Default encryption enabled, no account-level key set: the service key.",
            |a, _| {
                a.ok("ecs", "EnableDiskEncryptionByDefault", json!({}));
                json!({})
            },
            Want::Service,
        ),
        (
            // ResetDiskDefaultKMSKeyId: back to the service key.
            "ResetDiskDefaultKMSKeyId: the account-level key is the service key again.",
            |a, k| {
                a.ok("ecs", "EnableDiskEncryptionByDefault", json!({}));
                a.ok("ecs", "ModifyDiskDefaultKMSKeyId", json!({"KMSKeyId": k[0]}));
                a.ok("ecs", "ResetDiskDefaultKMSKeyId", json!({}));
                json!({})
            },
            Want::Service,
        ),
        (
            "Other scenarios: Select the Encryption checkbox and select a KMS key. A service key is used by default.",
            |_, _| json!({"Encrypted": true}),
            Want::Service,
        ),
        (
            "Other scenarios: … select a KMS key.",
            |_, k| json!({"Encrypted": true, "KMSKeyId": k[0]}),
            Want::Cmk(0),
        ),
        (
            // The alias and the ARN of a key name it too.
            "A KMS key named by its alias.",
            |a, k| {
                a.ok("kms", "CreateAlias", json!({"AliasName": "alias/finance", "KeyId": k[1]}));
                json!({"Encrypted": true, "KMSKeyId": "alias/finance"})
            },
            Want::Cmk(1),
        ),
        (
            "Without Encrypted, and no default encryption: not encrypted.",
            |_, _| json!({}),
            Want::Plain,
        ),
    ];
    for (sentence, setup, want) in rows {
        let mut a = A::new();
        a.grant_role();
        let keys = vec![a.cmk(), a.cmk()];
        let extra = setup(&mut a, &keys);
        let disk = a.disk(extra).unwrap_or_else(|e| panic!("{sentence}: {e}"));
        let got = a.key_of(&disk);
        match want {
            Want::Cmk(i) => assert_eq!(got.as_deref(), Some(keys[i].as_str()), "{sentence}"),
            Want::Service => {
                let service = a.service_key();
                assert_eq!(got, Some(service), "{sentence}")
            }
            Want::Plain => assert_eq!(got, None, "{sentence}"),
        }
    }
}

#[test]
fn the_service_key_is_made_by_the_cloud_on_first_use() {
    // "Service key: Automatically created and managed by the cloud service. The key alias is
    // alias/acs/ecs."
    let mut a = A::new();
    assert_eq!(a.sim.aliyun().keys().count(), 0);
    let d = a.disk(json!({"Encrypted": true})).unwrap();
    let key = a.key_of(&d).unwrap();
    let meta = a.ok("kms", "DescribeKey", json!({"KeyId": "alias/acs/ecs"}))["KeyMetadata"].clone();
    assert_eq!(meta["KeyId"], key);
    assert_eq!(meta["Creator"], "Ecs");
    assert_eq!(meta["KeyState"], "Enabled");
    assert!(meta["Arn"]
        .as_str()
        .unwrap()
        .starts_with(&format!("acs:kms:{HZ}:{UID}:key/key-hzz")));
    // A second disk reuses it.
    let d2 = a.disk(json!({"Encrypted": true})).unwrap();
    assert_eq!(a.key_of(&d2), Some(key.clone()));
    assert_eq!(a.sim.aliyun().keys().count(), 1);
    // "Service keys require no lifecycle management": they cannot be disabled or deleted
    // (KMS's Rejected.UnsupportedOperation).
    assert_eq!(
        code(a.err("kms", "DisableKey", json!({"KeyId": key}))),
        "Rejected.UnsupportedOperation"
    );
    assert_eq!(
        code(a.err(
            "kms",
            "ScheduleKeyDeletion",
            json!({"KeyId": key, "PendingWindowInDays": 7})
        )),
        "Rejected.UnsupportedOperation"
    );
    // The service key needs no RAM role.
    assert!(a.sim.aliyun().ram_roles().next().is_none());
}

// ---------------------------------------------------------------------------------------------
// Disk types, instance types, regions.
// ---------------------------------------------------------------------------------------------

#[test]
fn only_essd_series_disks_can_be_encrypted() {
    // "Only ESSD-series disks support encryption: enterprise SSDs (ESSDs), ESSD Entry disks,
    // ESSD AutoPL disks, and regional ESSDs." The refusal is CreateDisk's documented
    // InvalidParameter.EncryptedNotSupported ("The current disk category does not support
    // encryption…").
    let rows = [
        ("cloud_essd", true),
        ("cloud_essd_entry", true),
        ("cloud_auto", true),
        ("cloud_regional_disk_auto", true),
        ("cloud_ssd", false),
        ("cloud_efficiency", false),
        ("cloud", false),
    ];
    for (category, ok) in rows {
        let mut a = A::new();
        let r = a.disk(json!({"DiskCategory": category, "Encrypted": true}));
        match ok {
            true => assert!(r.is_ok(), "{category}: {r:?}"),
            false => assert_eq!(
                r.unwrap_err().code,
                "InvalidParameter.EncryptedNotSupported",
                "{category}"
            ),
        }
        // Unencrypted, every category is fine.
        assert!(
            a.disk(json!({"DiskCategory": category})).is_ok(),
            "{category}"
        );
    }
}

#[test]
fn listed_instance_types_take_no_encrypted_system_disk_nor_encrypted_disks_from_snapshots() {
    // "Encrypted system disks and encrypted data disks created from snapshots cannot be
    // attached to the following instance types: ecs.ebmg5, ecs.ebmgn5t, ecs.ebmi3, ecs.sccg5,
    // ecs.scch5, ecs.ebmc4, and ecs.ebmhfg5." The code (InvalidInstanceType.NotSupported) is the
    // playground's choice: the references consulted give none for this rule.
    for t in [
        "ecs.ebmg5.24xlarge",
        "ecs.ebmgn5t.16xlarge",
        "ecs.ebmi3.24xlarge",
        "ecs.sccg5.24xlarge",
        "ecs.scch5.16xlarge",
        "ecs.ebmc4.8xlarge",
        "ecs.ebmhfg5.4xlarge",
    ] {
        let mut a = A::new();
        let e = a
            .run(json!({"InstanceType": t, "SystemDisk": {"Encrypted": true}}))
            .unwrap_err();
        assert_eq!(e.code, "InvalidInstanceType.NotSupported", "{t}");
        // An unencrypted system disk and an encrypted empty data disk are fine.
        let i = a
            .run(json!({"InstanceType": t, "DataDisk": [{"Size": 40, "Encrypted": true}]}))
            .unwrap();
        // An encrypted data disk created from a snapshot is not: at launch…
        let d = a.disk(json!({"Encrypted": true})).unwrap();
        a.advance(10);
        let s = a.snapshot(&d);
        let e = a
            .run(json!({"InstanceType": t, "DataDisk": [{"SnapshotId": s, "Encrypted": true}]}))
            .unwrap_err();
        assert_eq!(e.code, "InvalidInstanceType.NotSupported", "{t}");
        // …nor by AttachDisk.
        let from_snap = a.disk(json!({"SnapshotId": s})).unwrap();
        a.advance(10);
        let e = a.err(
            "ecs",
            "AttachDisk",
            json!({"InstanceId": i, "DiskId": from_snap}),
        );
        assert_eq!(e.code, "InvalidInstanceType.NotSupported", "{t}");
        // Other types take both.
        let ok = a.run(json!({"SystemDisk": {"Encrypted": true}})).unwrap();
        a.ok(
            "ecs",
            "AttachDisk",
            json!({"InstanceId": ok, "DiskId": from_snap}),
        );
    }
}

#[test]
fn regions_without_encrypted_disks_and_without_cmks() {
    // "Regions where you cannot create encrypted disks: China (Nanjing - Local Region - Closing
    // Down), South Korea (Seoul)." The code NotSupportSnapshotEncrypted.RegionId is the
    // playground's choice among CreateDisk's documented codes.
    for (region, zone) in [
        ("cn-nanjing", "cn-nanjing-a"),
        ("ap-northeast-2", "ap-northeast-2a"),
    ] {
        let mut a = A::new();
        a.region(region);
        let e = a
            .call(
                "ecs",
                "CreateDisk",
                json!({"ZoneId": zone, "Size": 40, "Encrypted": true}),
            )
            .unwrap_err();
        assert_eq!(e.code, "NotSupportSnapshotEncrypted.RegionId", "{region}");
        assert!(a
            .call("ecs", "CreateDisk", json!({"ZoneId": zone, "Size": 40}))
            .is_ok());
        let e = a.err("ecs", "EnableDiskEncryptionByDefault", json!({}));
        assert_eq!(e.code, "NotSupportSnapshotEncrypted.RegionId", "{region}");
    }
    // "Regions where you cannot use CMKs: China (Fuzhou - Local Region - Closing Down), Thailand
    // (Bangkok)." The seed forbids CMKs only, so the service key still encrypts disks there.
    // The refusal is CreateDisk's documented InvalidRegion.NotSupport ("The specified region
    // does not support byok": BYOK is Alibaba's name for disks under your own keys).
    for (region, zone) in [
        ("cn-fuzhou", "cn-fuzhou-a"),
        ("ap-southeast-7", "ap-southeast-7a"),
    ] {
        let mut a = A::new();
        a.region(region);
        a.grant_role();
        let k = a.cmk();
        let e = a
            .call(
                "ecs",
                "CreateDisk",
                json!({"ZoneId": zone, "Size": 40, "Encrypted": true, "KMSKeyId": k}),
            )
            .unwrap_err();
        assert_eq!(e.code, "InvalidRegion.NotSupport", "{region}");
        let d = a
            .call(
                "ecs",
                "CreateDisk",
                json!({"ZoneId": zone, "Size": 40, "Encrypted": true}),
            )
            .unwrap();
        let id = d["DiskId"].as_str().unwrap().to_string();
        let disk = a.sim.aliyun().disk(&id).unwrap();
        let key = disk.encryption.as_ref().unwrap().key_id.clone();
        assert!(a.sim.aliyun().key(&key).unwrap().service_key, "{region}");
        let e = a.err("ecs", "ModifyDiskDefaultKMSKeyId", json!({"KMSKeyId": k}));
        assert_eq!(e.code, "InvalidRegion.NotSupport", "{region}");
    }
}

// ---------------------------------------------------------------------------------------------
// Irreversibility, default encryption.
// ---------------------------------------------------------------------------------------------

#[test]
fn encryption_is_irreversible() {
    // "Encryption is irreversible. An encrypted disk cannot be converted back to an unencrypted
    // state." CreateDisk documents InvalidEncrypted.NotMatchSnapshot: "The specified parameter
    // Encrypted must be set to true when creating disks with encrypted snapshots."
    let mut a = A::new();
    let d = a.disk(json!({"Encrypted": true})).unwrap();
    a.advance(10);
    let s = a.snapshot(&d);
    let e = a
        .disk(json!({"SnapshotId": s, "Encrypted": false}))
        .unwrap_err();
    assert_eq!(e.code, "InvalidEncrypted.NotMatchSnapshot");
    // Without Encrypted, the disk from the encrypted snapshot is encrypted anyway.
    let d2 = a.disk(json!({"SnapshotId": s})).unwrap();
    assert!(a.key_of(&d2).is_some());
    // Copies too: an encrypted snapshot's copy cannot be unencrypted.
    let e = a.err(
        "ecs",
        "CopySnapshot",
        json!({"SnapshotId": s, "DestinationRegionId": "cn-shanghai", "Encrypted": false}),
    );
    assert_eq!(e.code, "InvalidEncrypted.NotMatchSnapshot");
    // A KMSKeyId without Encrypted=true is refused (InvalidEncrypted.NotMatchKmsKeyId).
    let k = a.cmk();
    assert_eq!(
        a.disk(json!({"KMSKeyId": k})).unwrap_err().code,
        "InvalidEncrypted.NotMatchKmsKeyId"
    );
}

#[test]
fn account_level_default_encryption() {
    // EnableDiskEncryptionByDefault: "After you enable the Account-level EBS Default Encryption
    // feature in a region, you can purchase only encrypted cloud disks in the region." CreateDisk
    // documents InvalidEncrypted.NotMatchDiskDefaultEncryption.
    let mut a = A::new();
    let before = a.disk(json!({})).unwrap();
    let st = a.ok("ecs", "DescribeDiskEncryptionByDefaultStatus", json!({}));
    assert_eq!(st["Encrypted"], false);
    a.ok("ecs", "EnableDiskEncryptionByDefault", json!({}));
    assert_eq!(
        a.ok("ecs", "DescribeDiskEncryptionByDefaultStatus", json!({}))["Encrypted"],
        true
    );
    let service = a.service_key();
    assert_eq!(
        a.ok("ecs", "DescribeDiskDefaultKMSKeyId", json!({}))["KMSKeyId"],
        service
    );
    let d = a.disk(json!({})).unwrap();
    assert_eq!(a.key_of(&d), Some(service.clone()));
    assert_eq!(
        a.disk(json!({"Encrypted": false})).unwrap_err().code,
        "InvalidEncrypted.NotMatchDiskDefaultEncryption"
    );
    // A category that cannot be encrypted cannot be created at all now.
    assert_eq!(
        a.disk(json!({"DiskCategory": "cloud_efficiency"}))
            .unwrap_err()
            .code,
        "InvalidParameter.EncryptedNotSupported"
    );
    // RunInstances' disks too.
    let i = a.run(json!({"DataDisk": [{"Size": 40}]})).unwrap();
    for d in a.sim.aliyun().disks_of(&i) {
        assert_eq!(
            d.encryption.as_ref().map(|e| e.key_id.clone()),
            Some(service.clone())
        );
    }
    // Other regions are not affected.
    a.region("cn-shanghai");
    let sh = a
        .call(
            "ecs",
            "CreateDisk",
            json!({"ZoneId": "cn-shanghai-e", "Size": 40}),
        )
        .unwrap();
    a.region(HZ);
    let sh = sh["DiskId"].as_str().unwrap();
    assert!(a.sim.aliyun().disk(sh).unwrap().encryption.is_none());
    // DisableDiskEncryptionByDefault: "the encryption status of existing disks … does not change".
    a.ok("ecs", "DisableDiskEncryptionByDefault", json!({}));
    assert!(a.key_of(&d).is_some());
    let after = a.disk(json!({})).unwrap();
    assert!(a.key_of(&after).is_none());
    assert!(a.key_of(&before).is_none());
}
