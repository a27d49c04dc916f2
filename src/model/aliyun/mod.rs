//! Alibaba Cloud (seed 002): ECS instances and disks, snapshots, images, account-level default
//! encryption, Alibaba Cloud KMS and RAM — a second provider of the same model, with its own
//! rules, names and error codes. Nothing here is read by the AWS services, and nothing of
//! theirs is read here.
//!
//! Its handlers are reached through [`crate::model::Sim::execute`] when the world's provider
//! is [`crate::model::provider::ALIBABA`].
//!
//! Files: `kms` (keys, aliases, rotation), `envelope` (the authorization capability, wrapping,
//! GenerateDataKey/Encrypt/Decrypt), `ram` (users, roles, policies, the caller's authorization),
//! `encryption` (the key decision and ECS's calls to KMS), `disks`, `instances`, `snapshots`,
//! `images`, `defaults` (account-level default encryption), `play` (the playground's commands),
//! `state` (the resources and their JSON shapes).

mod defaults;
mod disks;
pub mod encryption;
mod envelope;
mod images;
mod instances;
mod kms;
mod play;
mod ram;
mod snapshots;
mod state;

pub use images::PUBLIC_IMAGES;
pub use ram::SYSTEM_POLICIES;
pub use state::*;

use super::clock::iso;
use super::codes::AliEcsCode;
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::{Caller, Handler, Pending, Sim};
use crate::json;
use serde::Serialize;
use serde_json::Value;

/// Delayed work of Alibaba Cloud (disks and snapshots becoming ready, key deletion, …).
#[derive(Clone, Debug, Serialize)]
pub enum AliPending {
    /// A new disk becomes Available.
    DiskReady(String),
    /// A snapshot is accomplished.
    SnapshotDone(String),
    /// An image becomes Available.
    ImageReady(String),
    /// A key whose deletion was scheduled is deleted.
    KeyDeleted(String),
}

/// The handlers of `aliyun ecs`.
pub(crate) static ECS_HANDLERS: &[(&str, Handler)] = &[
    ("CreateDisk", Sim::ali_create_disk),
    ("DescribeDisks", Sim::ali_describe_disks),
    ("AttachDisk", Sim::ali_attach_disk),
    ("DetachDisk", Sim::ali_detach_disk),
    ("DeleteDisk", Sim::ali_delete_disk),
    ("RunInstances", Sim::ali_run_instances),
    ("DescribeInstances", Sim::ali_describe_instances),
    ("StartInstance", Sim::ali_start_instance),
    ("StopInstance", Sim::ali_stop_instance),
    ("RebootInstance", Sim::ali_reboot_instance),
    ("DeleteInstance", Sim::ali_delete_instance),
    ("ReplaceSystemDisk", Sim::ali_replace_system_disk),
    ("CreateSnapshot", Sim::ali_create_snapshot),
    ("DescribeSnapshots", Sim::ali_describe_snapshots),
    ("CopySnapshot", Sim::ali_copy_snapshot),
    ("DeleteSnapshot", Sim::ali_delete_snapshot),
    ("CreateImage", Sim::ali_create_image),
    ("CopyImage", Sim::ali_copy_image),
    ("DescribeImages", Sim::ali_describe_images),
    (
        "ModifyImageSharePermission",
        Sim::ali_modify_image_share_permission,
    ),
    ("DeleteImage", Sim::ali_delete_image),
    (
        "EnableDiskEncryptionByDefault",
        Sim::ali_enable_encryption_by_default,
    ),
    (
        "DisableDiskEncryptionByDefault",
        Sim::ali_disable_encryption_by_default,
    ),
    (
        "DescribeDiskEncryptionByDefaultStatus",
        Sim::ali_describe_encryption_by_default,
    ),
    ("DescribeDiskDefaultKMSKeyId", Sim::ali_describe_default_key),
    ("ModifyDiskDefaultKMSKeyId", Sim::ali_modify_default_key),
    ("ResetDiskDefaultKMSKeyId", Sim::ali_reset_default_key),
];
/// The handlers of `aliyun kms`.
pub(crate) static KMS_HANDLERS: &[(&str, Handler)] = &[
    ("CreateKey", Sim::ali_create_key),
    ("DescribeKey", Sim::ali_describe_key),
    ("ListKeys", Sim::ali_list_keys),
    ("CreateAlias", Sim::ali_create_alias),
    ("DeleteAlias", Sim::ali_delete_alias),
    ("ListAliases", Sim::ali_list_aliases),
    ("EnableKey", Sim::ali_enable_key),
    ("DisableKey", Sim::ali_disable_key),
    ("ScheduleKeyDeletion", Sim::ali_schedule_key_deletion),
    ("CancelKeyDeletion", Sim::ali_cancel_key_deletion),
    ("UpdateRotationPolicy", Sim::ali_update_rotation_policy),
    ("GenerateDataKey", Sim::ali_generate_data_key),
    ("Encrypt", Sim::ali_encrypt),
    ("Decrypt", Sim::ali_decrypt),
];
/// The handlers of `aliyun ram`.
pub(crate) static RAM_HANDLERS: &[(&str, Handler)] = &[
    ("CreateUser", Sim::ram_create_user),
    ("ListUsers", Sim::ram_list_users),
    ("CreatePolicy", Sim::ram_create_policy),
    ("GetPolicy", Sim::ram_get_policy),
    ("AttachPolicyToUser", Sim::ram_attach_policy_to_user),
    ("DetachPolicyFromUser", Sim::ram_detach_policy_from_user),
    ("ListPoliciesForUser", Sim::ram_list_policies_for_user),
    ("CreateRole", Sim::ram_create_role),
    ("GetRole", Sim::ram_get_role),
    ("ListRoles", Sim::ram_list_roles),
    ("AttachPolicyToRole", Sim::ram_attach_policy_to_role),
];
/// The handlers of `play` in an Alibaba Cloud world.
pub(crate) static PLAY_HANDLERS: &[(&str, Handler)] = &[
    ("WriteData", Sim::ali_play_write),
    ("ReadData", Sim::ali_play_read),
    ("ShowSector", Sim::ali_play_sector),
    ("ShareSnapshot", Sim::ali_play_share_snapshot),
    ("AdvanceTime", Sim::ali_play_advance),
];

/// Seconds a new disk stays `Creating`.
pub(crate) const DISK_READY_SECS: u64 = 5;
/// Seconds a snapshot stays `progressing`.
pub(crate) const SNAPSHOT_SECS: u64 = 30;
/// Seconds an image stays `Creating`.
pub(crate) const IMAGE_SECS: u64 = 60;

/// A time as Alibaba's APIs write it: ISO 8601 in UTC without fractions (`2026-01-05T09:00:00Z`).
pub fn ali_time(t: u64) -> String {
    iso(t).replace(".000Z", "Z")
}

/// `account:region`, the key of per-account, per-region settings.
pub(crate) fn place(account: &str, region: &str) -> String {
    format!("{account}:{region}")
}

impl Sim {
    /// Sets up a new Alibaba Cloud world (public images in each region).
    pub(crate) fn aliyun_seed(&mut self) {
        for region in self.provider.regions {
            self.ali_seed_public_image(region);
        }
    }

    /// Runs delayed Alibaba Cloud work.
    pub(crate) fn aliyun_run_pending(&mut self, what: AliPending) {
        match what {
            AliPending::DiskReady(id) => {
                if let Some(d) = self.aliyun.disks.get_mut(&id) {
                    if d.status == DiskStatus::Creating {
                        d.status = DiskStatus::Available;
                    }
                }
            }
            AliPending::SnapshotDone(id) => {
                if let Some(s) = self.aliyun.snapshots.get_mut(&id) {
                    s.status = "accomplished".into();
                    s.progress = "100%".into();
                }
            }
            AliPending::ImageReady(id) => {
                if let Some(i) = self.aliyun.images.get_mut(&id) {
                    i.status = "Available".into();
                }
            }
            AliPending::KeyDeleted(id) => self.ali_key_deleted(&id),
        }
    }

    /// Schedules delayed Alibaba Cloud work.
    pub(crate) fn ali_schedule(&mut self, delay: u64, what: AliPending) {
        self.schedule(delay, Pending::Aliyun(what));
    }

    /// A request id as Alibaba returns it in every response: UUID-shaped, upper case,
    /// deterministic (drawn from the session's generator).
    pub(crate) fn ali_request_id(&mut self) -> String {
        self.rng.uuid().to_ascii_uppercase()
    }

    /// A response: `body` with its `RequestId`.
    pub(crate) fn ali_ok(&mut self, mut body: Value) -> AwsResult<Value> {
        let id = self.ali_request_id();
        match body.as_object_mut() {
            Some(m) => {
                m.insert("RequestId".into(), Value::String(id));
            }
            None => body = json!({ "RequestId": id }),
        }
        Ok(body)
    }

    /// A resource id as Alibaba mints them: the prefix, a dash, two letters of the region and
    /// eighteen lower-case letters and digits (`d-bp1…`).
    pub(crate) fn ali_id(&mut self, prefix: &str, region: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let b: [u8; 18] = self.rng.bytes();
        let tail: String = b
            .iter()
            .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
            .collect();
        let code = &self.provider.ali_region_code(region)[..2];
        format!("{prefix}-{code}{tail}")
    }

    /// The region a request names (`RegionId`), or the caller's; refused unless modelled.
    pub(crate) fn ali_region(&self, caller: &Caller, q: &Params) -> AwsResult<String> {
        let region = q.opt_str("RegionId")?.unwrap_or(caller.region.clone());
        if !self.provider.has_region(&region) {
            return Err(AwsError::new(
                AliEcsCode::InvalidRegionId,
                format!("The specified RegionId does not exist: {region}."),
            ));
        }
        Ok(region)
    }
}

/// Read-only views of an Alibaba Cloud world (also through [`Sim::aliyun`]).
impl Sim {
    /// Disks, snapshots and images under a key: what the app warns about before DisableKey
    /// or ScheduleKeyDeletion (seed 002: "check for resources associated with the key").
    pub fn aliyun_key_dependents(&self, key_id: &str) -> Vec<KeyDependent> {
        self.aliyun.key_dependents(key_id)
    }

    /// Ids of the disks whose plaintext data key is in host memory now.
    pub fn aliyun_disks_with_key_in_host(&self) -> Vec<String> {
        self.aliyun
            .disks
            .values()
            .filter(|d| d.host_key.is_some())
            .map(|d| d.id.clone())
            .collect()
    }

    /// The written sectors of a disk as the app's sector view shows them: the bytes on disk
    /// (ciphertext when encrypted) and, when its instance can read them (the plaintext data key
    /// in host memory, no I/O hang), the bytes it sees. Pure; at most `limit` sectors.
    pub fn aliyun_sector_view(&self, disk_id: &str, limit: usize) -> Vec<super::SectorView> {
        let Some(d) = self.aliyun.disks.get(disk_id) else {
            return Vec::new();
        };
        d.sectors
            .0
            .iter()
            .take(limit)
            .map(|(&n, bytes)| {
                let seen = match (&d.encryption, &d.host_key) {
                    (None, _) => Some(bytes.clone()),
                    (Some(_), Some(k)) => {
                        let mut b = bytes.clone();
                        crate::model::crypto::xts_decrypt_sector(k, n, &mut b)
                            .ok()
                            .map(|_| b)
                    }
                    (Some(_), None) => None,
                };
                super::SectorView {
                    sector: n,
                    on_disk: bytes.clone(),
                    instance_sees: seen,
                }
            })
            .collect()
    }

    /// The key check value of the data key the host holds for a disk (equal values: the same
    /// data key), or `None` when the host holds none.
    pub fn aliyun_host_key_check_value(&self, disk_id: &str) -> Option<String> {
        self.aliyun
            .disks
            .get(disk_id)?
            .host_key
            .as_ref()
            .map(|k| k.check_value())
    }
}

/// Reads a JSON array of ids given as text (`'["d-1", "d-2"]'`), as DescribeDisks' `DiskIds`.
pub(crate) fn id_list(q: &Params, name: &str) -> AwsResult<Option<Vec<String>>> {
    let Some(text) = q.opt_str(name)? else {
        return Ok(None);
    };
    let parsed: Option<Vec<String>> = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect()
    });
    match parsed {
        Some(list) => Ok(Some(list)),
        None => Err(AwsError::new(
            AliEcsCode::InvalidParameter,
            format!(
                "The specified parameter \"{name}\" is not valid: it must be a JSON array of ids."
            ),
        )),
    }
}

/// One page of a list as ECS returns it: `{LIST: {ITEM: [...]}, TotalCount, PageNumber, PageSize}`.
pub(crate) fn ecs_page(q: &Params, items: Vec<Value>, list: &str, item: &str) -> AwsResult<Value> {
    let (page, number, size, total) = page_of(q, items)?;
    Ok(json!({list: {item: page}, "TotalCount": total, "PageNumber": number, "PageSize": size}))
}

/// One page of a list as KMS returns it: `{LIST: {ITEM: [...]}, PageNumber, PageSize, TotalCount}`.
pub(crate) fn kms_page(q: &Params, items: Vec<Value>, list: &str, item: &str) -> AwsResult<Value> {
    let (page, number, size, total) = page_of(q, items)?;
    Ok(json!({list: {item: page}, "PageNumber": number, "PageSize": size, "TotalCount": total}))
}

/// One page of a list: `PageNumber` from 1, `PageSize` 1 to 100 (default 10).
fn page_of(q: &Params, items: Vec<Value>) -> AwsResult<(Vec<Value>, u64, u64, usize)> {
    let number = q.opt_u64("PageNumber")?.unwrap_or(1).max(1);
    let size = q.opt_u64("PageSize")?.unwrap_or(10);
    if !(1..=100).contains(&size) {
        return Err(AwsError::new(
            AliEcsCode::InvalidParameter,
            "The specified parameter \"PageSize\" is not valid: it must be 1 to 100.",
        ));
    }
    let total = items.len();
    let skip = (number - 1).saturating_mul(size) as usize;
    let page = items.into_iter().skip(skip).take(size as usize).collect();
    Ok((page, number, size, total))
}
