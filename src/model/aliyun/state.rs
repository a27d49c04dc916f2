//! The state of an Alibaba Cloud world: keys, disks, snapshots, images, instances, default
//! encryption and RAM, with the JSON shapes Alibaba's Describe operations return.
//!
//! Nothing secret serializes: key material (`AliKey::material`) and the host's plaintext data
//! keys (`Disk::host_key`) are skipped, and their types print `<redacted>`.

use super::ali_time;
use crate::json;
use crate::model::context::Context;
use crate::model::crypto::{DataKey, KeyMaterial, SECTOR_SIZE};
use crate::model::ebs::Sectors;
use crate::model::rng::to_hex;
use crate::model::Table;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The state of an Alibaba Cloud world.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Aliyun {
    /// KMS keys by key id (service keys and CMKs).
    pub(crate) keys: Table<AliKey>,
    /// Aliases: `account:region:alias/name` → key id.
    pub(crate) aliases: BTreeMap<String, String>,
    /// Disks by id.
    pub(crate) disks: Table<Disk>,
    /// Snapshots by id.
    pub(crate) snapshots: Table<AliSnapshot>,
    /// Images by id (public ones included).
    pub(crate) images: Table<AliImage>,
    /// Instances by id.
    pub(crate) instances: Table<AliInstance>,
    /// Account-level default encryption by `account:region`.
    pub(crate) defaults: Table<DefaultEncryption>,
    /// RAM: users, roles and custom policies.
    pub(crate) ram: Ram,
}

/// A KMS key's state as Alibaba names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AliKeyState {
    /// Usable.
    Enabled,
    /// Not usable until EnableKey.
    Disabled,
    /// Deleted when its window ends, unless CancelKeyDeletion.
    PendingDeletion,
}

impl AliKeyState {
    /// The state as DescribeKey spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            AliKeyState::Enabled => "Enabled",
            AliKeyState::Disabled => "Disabled",
            AliKeyState::PendingDeletion => "PendingDeletion",
        }
    }
}

/// A KMS key: the service key `alias/acs/ecs` or a customer master key.
#[derive(Clone, Debug, Serialize)]
pub struct AliKey {
    /// `key-hzz…`.
    pub id: String,
    /// `acs:kms:REGION:UID:key/ID`.
    pub arn: String,
    /// The owning account UID.
    pub account: String,
    /// The key's region.
    pub region: String,
    /// Description.
    pub description: String,
    /// `Aliyun_AES_256`, `Aliyun_SM4`, …
    pub key_spec: String,
    /// `ENCRYPT/DECRYPT`.
    pub key_usage: String,
    /// `Aliyun_KMS`.
    pub origin: String,
    /// `SOFTWARE` or `HSM`.
    pub protection_level: String,
    /// Who created it: the account UID for a CMK, `Ecs` for ECS's service key.
    pub creator: String,
    /// Its state.
    pub state: AliKeyState,
    /// When it was created.
    pub created: u64,
    /// When a scheduled deletion happens.
    pub delete_at: Option<u64>,
    /// Automatic rotation.
    pub rotation: bool,
    /// Rotation period (`365d`).
    pub rotation_interval: Option<String>,
    /// When the material last rotated.
    pub last_rotation: u64,
    /// True for the service key (cannot be disabled or deleted).
    pub service_key: bool,
    /// Key version ids, oldest first (the current one last).
    pub versions: Vec<String>,
    /// The material of each version. Never serialized; prints `<redacted>`.
    #[serde(skip)]
    pub(crate) material: Vec<KeyMaterial>,
}

impl AliKey {
    /// Whether the key can encrypt disks (a symmetric spec).
    pub fn is_symmetric(&self) -> bool {
        matches!(self.key_spec.as_str(), "Aliyun_AES_256" | "Aliyun_SM4")
    }

    /// DescribeKey's `KeyMetadata`.
    pub fn metadata(&self) -> Value {
        let mut m = json!({
            "KeyId": self.id,
            "Arn": self.arn,
            "KeyState": self.state.as_str(),
            "Creator": self.creator,
            "CreationDate": ali_time(self.created),
            "Description": self.description,
            "KeySpec": self.key_spec,
            "KeyUsage": self.key_usage,
            "Origin": self.origin,
            "ProtectionLevel": self.protection_level,
            "PrimaryKeyVersion": self.versions.last().cloned().unwrap_or_default(),
            "AutomaticRotation": if self.rotation { "Enabled" } else { "Disabled" },
            "LastRotationDate": ali_time(self.last_rotation),
            "MaterialExpireTime": "",
            "DeleteDate": self.delete_at.map(ali_time).unwrap_or_default(),
        });
        if let Some(p) = &self.rotation_interval {
            m["RotationInterval"] = Value::String(p.clone());
        }
        m
    }
}

/// How a disk or snapshot is encrypted: its key and its KMS-encrypted data key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AliEncryption {
    /// The KMS key id (`key-…`).
    pub key_id: String,
    /// `AES-256` or `SM4-128`.
    pub algorithm: String,
    /// The data key encrypted under the KMS key, as ECS stores it with the disk.
    #[serde(serialize_with = "hex_bytes")]
    pub wrapped_key: Vec<u8>,
    /// The encryption context the data key is bound to (the playground's; see encryption.rs).
    pub context: Context,
    /// A label for the plaintext data key (`dk-3`): equal labels, one data key.
    pub data_key_id: String,
}

fn hex_bytes<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_hex(b))
}

/// A disk's status as DescribeDisks spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DiskStatus {
    /// Being created.
    Creating,
    /// Not attached.
    Available,
    /// Attached to an instance.
    #[serde(rename = "In_use")]
    InUse,
}

impl DiskStatus {
    /// The status as Alibaba spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DiskStatus::Creating => "Creating",
            DiskStatus::Available => "Available",
            DiskStatus::InUse => "In_use",
        }
    }
}

/// An ECS disk (cloud disk) with its sectors.
#[derive(Clone, Debug, Serialize)]
pub struct Disk {
    /// `d-…`.
    pub id: String,
    /// Owner.
    pub account: String,
    /// Region.
    pub region: String,
    /// Zone.
    pub zone: String,
    /// DiskName.
    pub name: String,
    /// Description.
    pub description: String,
    /// `system` or `data`.
    pub disk_type: String,
    /// `cloud_essd`, …
    pub category: String,
    /// GiB.
    pub size: u64,
    /// `PL1`, … (ESSD only).
    pub performance_level: String,
    /// Status.
    pub status: DiskStatus,
    /// The instance it is attached to.
    pub instance_id: Option<String>,
    /// `/dev/xvda`, `/dev/xvdb`, …
    pub device: Option<String>,
    /// The snapshot it was created from.
    pub source_snapshot: Option<String>,
    /// The image its system disk came from.
    pub image_id: Option<String>,
    /// When it was created.
    pub created: u64,
    /// Released with its instance.
    pub delete_with_instance: bool,
    /// Its encryption, if encrypted.
    pub encryption: Option<AliEncryption>,
    /// Stored sectors (ciphertext when encrypted).
    pub sectors: Sectors,
    /// True while the host could not decrypt the data key at the last startup: I/O hangs.
    pub io_hang: bool,
    /// The plaintext data key in host memory while attached to a running instance. Never
    /// serialized; prints `<redacted>`.
    #[serde(skip)]
    pub(crate) host_key: Option<DataKey>,
}

impl Disk {
    /// Sectors of the disk.
    pub fn sector_count(&self) -> u64 {
        self.size.saturating_mul(1 << 30) / SECTOR_SIZE as u64
    }

    /// Whether the host holds the disk's plaintext data key now.
    pub fn key_in_host(&self) -> bool {
        self.host_key.is_some()
    }

    /// DescribeDisks' `Disk` entry.
    pub fn to_json(&self) -> Value {
        let enc = self.encryption.as_ref();
        json!({
            "DiskId": self.id,
            "RegionId": self.region,
            "ZoneId": self.zone,
            "DiskName": self.name,
            "Description": self.description,
            "Type": self.disk_type,
            "Category": self.category,
            "Size": self.size,
            "Encrypted": enc.is_some(),
            "KMSKeyId": enc.map(|e| e.key_id.clone()).unwrap_or_default(),
            "EncryptAlgorithm": enc.map(|e| e.algorithm.clone()).unwrap_or_default(),
            "Status": self.status.as_str(),
            "InstanceId": self.instance_id.clone().unwrap_or_default(),
            "Device": self.device.clone().unwrap_or_default(),
            "SourceSnapshotId": self.source_snapshot.clone().unwrap_or_default(),
            "ImageId": self.image_id.clone().unwrap_or_default(),
            "CreationTime": ali_time(self.created),
            "DeleteWithInstance": self.delete_with_instance,
            "PerformanceLevel": self.performance_level,
            "Portable": self.disk_type == "data",
        })
    }
}

/// An ECS snapshot.
#[derive(Clone, Debug, Serialize)]
pub struct AliSnapshot {
    /// `s-…`.
    pub id: String,
    /// Owner.
    pub account: String,
    /// Region.
    pub region: String,
    /// SnapshotName.
    pub name: String,
    /// Description.
    pub description: String,
    /// The disk it was taken of.
    pub source_disk_id: String,
    /// `system` or `data`.
    pub source_disk_type: String,
    /// The disk's category.
    pub source_category: String,
    /// GiB.
    pub source_size: u64,
    /// `progressing` or `accomplished`.
    pub status: String,
    /// `0%` … `100%`.
    pub progress: String,
    /// When it was taken.
    pub created: u64,
    /// Its encryption (the disk's key and data key).
    pub encryption: Option<AliEncryption>,
    /// The sectors as stored.
    pub sectors: Sectors,
    /// Accounts it is shared with (`play share-snapshot`).
    pub shared_with: BTreeSet<String>,
    /// The snapshot it was copied from.
    pub copied_from: Option<String>,
    /// Days to keep it.
    pub retention_days: Option<u64>,
}

impl AliSnapshot {
    /// DescribeSnapshots' `Snapshot` entry.
    pub fn to_json(&self) -> Value {
        let enc = self.encryption.as_ref();
        json!({
            "SnapshotId": self.id,
            "SnapshotName": self.name,
            "Description": self.description,
            "SourceDiskId": self.source_disk_id,
            "SourceDiskType": self.source_disk_type,
            "SourceDiskSize": self.source_size.to_string(),
            "Category": "standard",
            "Status": self.status,
            "Progress": self.progress,
            "CreationTime": ali_time(self.created),
            "Encrypted": enc.is_some(),
            "KMSKeyId": enc.map(|e| e.key_id.clone()).unwrap_or_default(),
            "RegionId": self.region,
            "SourceSnapshotId": self.copied_from.clone().unwrap_or_default(),
            "RetentionDays": self.retention_days.unwrap_or(0),
        })
    }
}

/// An ECS image: public (owner alias `system`) or custom (`self`).
#[derive(Clone, Debug, Serialize)]
pub struct AliImage {
    /// `m-…` or a public image name such as `aliyun_3_x64_20G_alibase_20240819.vhd`.
    pub id: String,
    /// Owner (empty for public images).
    pub account: String,
    /// Region.
    pub region: String,
    /// ImageName.
    pub name: String,
    /// Description.
    pub description: String,
    /// `system` or `self`.
    pub owner_alias: String,
    /// `Creating`, `Available`.
    pub status: String,
    /// When it was created.
    pub created: u64,
    /// The snapshot of its system disk (custom images).
    pub snapshot_id: Option<String>,
    /// GiB of its system disk.
    pub size: u64,
    /// OS name.
    pub os_name: String,
    /// Accounts it is shared with.
    pub shared_with: BTreeSet<String>,
}

/// An ECS instance.
#[derive(Clone, Debug, Serialize)]
pub struct AliInstance {
    /// `i-…`.
    pub id: String,
    /// Owner.
    pub account: String,
    /// Region.
    pub region: String,
    /// Zone.
    pub zone: String,
    /// InstanceName.
    pub name: String,
    /// `ecs.g7.large`, …
    pub instance_type: String,
    /// The image of its system disk.
    pub image_id: String,
    /// `Running`, `Stopped`.
    pub status: String,
    /// When it was created.
    pub created: u64,
    /// Its system disk.
    pub system_disk: Option<String>,
}

/// Account-level default encryption in one region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DefaultEncryption {
    /// EnableDiskEncryptionByDefault.
    pub enabled: bool,
    /// ModifyDiskDefaultKMSKeyId: a key id, or `None` for the service key.
    pub key_id: Option<String>,
}

/// RAM: users, roles and custom policies, by `account:name`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Ram {
    /// Users.
    pub(crate) users: Table<RamUser>,
    /// Roles.
    pub(crate) roles: Table<RamRole>,
    /// Custom policies.
    pub(crate) policies: Table<RamPolicy>,
}

/// A policy attached to a user or role: (`System` | `Custom`, name).
pub type Attached = (String, String);

/// A RAM user.
#[derive(Clone, Debug, Serialize)]
pub struct RamUser {
    /// UserName.
    pub name: String,
    /// Account.
    pub account: String,
    /// DisplayName.
    pub display_name: String,
    /// A numeric user id.
    pub user_id: String,
    /// When it was created.
    pub created: u64,
    /// Attached policies.
    pub policies: Vec<Attached>,
}

/// A RAM role.
#[derive(Clone, Debug, Serialize)]
pub struct RamRole {
    /// RoleName.
    pub name: String,
    /// Account.
    pub account: String,
    /// `acs:ram::UID:role/NAME`.
    pub arn: String,
    /// The trust policy.
    pub trust: Value,
    /// Description.
    pub description: String,
    /// A numeric role id.
    pub role_id: String,
    /// When it was created.
    pub created: u64,
    /// Attached policies.
    pub policies: Vec<Attached>,
}

/// A custom RAM policy.
#[derive(Clone, Debug, Serialize)]
pub struct RamPolicy {
    /// PolicyName.
    pub name: String,
    /// Account.
    pub account: String,
    /// The document.
    pub document: Value,
    /// Description.
    pub description: String,
    /// When it was created.
    pub created: u64,
}

/// A resource that depends on a key, for the warning before DisableKey (seed 002: "check for
/// resources associated with the key").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyDependent {
    /// `disk`, `snapshot` or `image`.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// What it is (the disk's instance and status, the snapshot's disk, …).
    pub detail: String,
}

impl Aliyun {
    /// The plaintext data keys the hosts hold now (for the leak audit; never leaves the model).
    pub(crate) fn host_keys(&self) -> impl Iterator<Item = &DataKey> {
        self.disks.values().filter_map(|d| d.host_key.as_ref())
    }
}

/// Read-only accessors for views.
impl Aliyun {
    /// Every disk.
    pub fn disks(&self) -> impl Iterator<Item = &Disk> {
        self.disks.values().map(|b| &**b)
    }

    /// Every snapshot.
    pub fn snapshots(&self) -> impl Iterator<Item = &AliSnapshot> {
        self.snapshots.values().map(|b| &**b)
    }

    /// Every image (public ones too).
    pub fn images(&self) -> impl Iterator<Item = &AliImage> {
        self.images.values().map(|b| &**b)
    }

    /// Every instance.
    pub fn instances(&self) -> impl Iterator<Item = &AliInstance> {
        self.instances.values().map(|b| &**b)
    }

    /// Every KMS key (service keys too).
    pub fn keys(&self) -> impl Iterator<Item = &AliKey> {
        self.keys.values().map(|b| &**b)
    }

    /// One key by id.
    pub fn key(&self, id: &str) -> Option<&AliKey> {
        self.keys.get(id).map(|b| &**b)
    }

    /// One disk by id.
    pub fn disk(&self, id: &str) -> Option<&Disk> {
        self.disks.get(id).map(|b| &**b)
    }

    /// One instance by id.
    pub fn instance(&self, id: &str) -> Option<&AliInstance> {
        self.instances.get(id).map(|b| &**b)
    }

    /// The disks of an instance, system disk first.
    pub fn disks_of(&self, instance_id: &str) -> Vec<&Disk> {
        let mut v: Vec<&Disk> = self
            .disks
            .values()
            .filter(|d| d.instance_id.as_deref() == Some(instance_id))
            .map(|b| &**b)
            .collect();
        crate::sort::sort_by(&mut v, |a, b| {
            (a.disk_type != "system", &a.device) < (b.disk_type != "system", &b.device)
        });
        v
    }

    /// Whether the instance's disk I/O hangs (a disk whose data key could not be decrypted at
    /// the last startup).
    pub fn instance_io_hangs(&self, instance_id: &str) -> bool {
        self.disks_of(instance_id).iter().any(|d| d.io_hang)
    }

    /// The aliases of a key (`alias/…`).
    pub fn aliases_of(&self, key_id: &str) -> Vec<String> {
        self.aliases
            .iter()
            .filter(|(_, k)| *k == key_id)
            .filter_map(|(name, _)| name.splitn(3, ':').nth(2).map(str::to_string))
            .collect()
    }

    /// Account-level default encryption of an account in a region.
    pub fn default_encryption(&self, account: &str, region: &str) -> DefaultEncryption {
        self.defaults
            .get(&super::place(account, region))
            .map(|b| (**b).clone())
            .unwrap_or_default()
    }

    /// RAM users.
    pub fn ram_users(&self) -> impl Iterator<Item = &RamUser> {
        self.ram.users.values().map(|b| &**b)
    }

    /// RAM roles.
    pub fn ram_roles(&self) -> impl Iterator<Item = &RamRole> {
        self.ram.roles.values().map(|b| &**b)
    }

    /// Custom RAM policies.
    pub fn ram_policies(&self) -> impl Iterator<Item = &RamPolicy> {
        self.ram.policies.values().map(|b| &**b)
    }

    /// Disks, snapshots and images encrypted under a key: what disabling or deleting it
    /// would make undecryptable. Pure; nothing is called.
    pub fn key_dependents(&self, key_id: &str) -> Vec<KeyDependent> {
        let under = |e: &Option<AliEncryption>| e.as_ref().is_some_and(|e| e.key_id == key_id);
        let mut out = Vec::new();
        for d in self.disks.values().filter(|d| under(&d.encryption)) {
            let detail = match &d.instance_id {
                Some(i) => format!("{} disk of {i} ({})", d.disk_type, d.status.as_str()),
                None => format!("{} disk ({})", d.disk_type, d.status.as_str()),
            };
            out.push(KeyDependent {
                kind: "disk",
                id: d.id.clone(),
                detail,
            });
        }
        for s in self.snapshots.values().filter(|s| under(&s.encryption)) {
            out.push(KeyDependent {
                kind: "snapshot",
                id: s.id.clone(),
                detail: format!("snapshot of {}", s.source_disk_id),
            });
        }
        for i in self.images.values() {
            let snap = i.snapshot_id.as_ref().and_then(|s| self.snapshots.get(s));
            if snap.is_some_and(|s| under(&s.encryption)) {
                out.push(KeyDependent {
                    kind: "image",
                    id: i.id.clone(),
                    detail: format!("image {}", i.name),
                });
            }
        }
        out
    }
}
