//! ECS disks: CreateDisk (with seed 002's key decision), DescribeDisks, AttachDisk, DetachDisk,
//! DeleteDisk, and the one way a disk is made (also for RunInstances and ReplaceSystemDisk).

use super::encryption::{decide, ecs_error, DiskRequest, KeyChoice, Rule, SnapshotKey};
use super::*;
use crate::model::context::Context;
use crate::model::ebs::Sectors;
use crate::model::trace::{KeyLocation, Participant};

/// Everything a new disk is made from.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewDisk {
    pub account: String,
    pub region: String,
    pub zone: String,
    pub name: String,
    pub description: String,
    /// `system` or `data`.
    pub disk_type: String,
    pub category: String,
    pub size: Option<u64>,
    pub performance_level: Option<String>,
    pub snapshot_id: Option<String>,
    pub image_id: Option<String>,
    pub encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub algorithm: Option<String>,
    pub delete_with_instance: bool,
}

/// A checked disk: its key (resolved), the rule that chose it, its size and source sectors.
#[derive(Clone, Debug)]
pub(crate) struct DiskPlan {
    /// `None`: unencrypted; `Some(None)`: the service key; `Some(Some(id))`: that key.
    pub key: Option<Option<String>>,
    pub rule: Rule,
    pub size: u64,
    /// The source snapshot (its id, its encryption, its sectors).
    pub source: Option<(String, Option<AliEncryption>, Sectors)>,
}

impl DiskPlan {
    /// Whether the disk will be encrypted.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }
}

/// The smallest size of a category, in GiB (CreateDisk's `Size`).
fn min_size(category: &str, level: &str) -> u64 {
    match (category, level) {
        ("cloud", _) => 5,
        ("cloud_essd", "PL0") | ("cloud_auto", _) => 1,
        ("cloud_essd", "PL2") => 461,
        ("cloud_essd", "PL3") => 1261,
        ("cloud_essd_entry", _) | ("cloud_regional_disk_auto", _) => 10,
        _ => 20,
    }
}

/// The largest size of a category, in GiB.
fn max_size(category: &str) -> u64 {
    match category {
        "cloud" => 2000,
        "cloud_efficiency" | "cloud_ssd" | "cloud_essd_entry" => 32_768,
        _ => 65_536,
    }
}

impl Sim {
    /// Checks a new disk and decides its key, without changing anything (but the service key,
    /// made on first use).
    pub(crate) fn ali_plan_disk(&mut self, nd: &NewDisk) -> AwsResult<DiskPlan> {
        if !crate::model::ops::DISK_CATEGORIES.contains(&nd.category.as_str()) {
            return Err(AwsError::new(
                AliEcsCode::DiskCategoryNotSupported,
                format!(
                    "The specified disk category is not supported: {}.",
                    nd.category
                ),
            ));
        }
        let source = match &nd.snapshot_id {
            Some(sid) => Some(self.ali_usable_snapshot(&nd.account, &nd.region, sid)?),
            None => None,
        };
        let snapshot = source.as_ref().map(|s| SnapshotKey {
            key_id: s.encryption.as_ref().map(|e| e.key_id.as_str()),
            shared: s.account != nd.account,
        });
        let defaults = self.aliyun.default_encryption(&nd.account, &nd.region);
        let request = DiskRequest {
            encrypted: nd.encrypted,
            kms_key_id: nd.kms_key_id.as_deref(),
            snapshot,
            default_enabled: defaults.enabled,
            default_key: defaults.key_id.as_deref(),
            category: &nd.category,
            region_refuses_encryption: self.provider.ali_region_refuses_encryption(&nd.region),
        };
        let (choice, rule) = decide(&request)?;
        if nd.algorithm.is_some() && choice == KeyChoice::Unencrypted {
            return Err(AwsError::new(
                AliEcsCode::EncryptedNotMatchKmsKeyId,
                "The specified parameter Encrypted must be true when EncryptAlgorithm is not empty.",
            ));
        }
        let key = match choice {
            KeyChoice::Unencrypted => None,
            KeyChoice::ServiceKey => Some(None),
            KeyChoice::Key(r) => Some(self.ali_check_cmk(&r, &nd.account, &nd.region)?),
        };
        let level = nd.performance_level.clone().unwrap_or("PL1".into());
        let source_size = source.as_ref().map(|s| s.source_size);
        let size =
            match (nd.size, source_size) {
                (Some(s), Some(from)) => s.max(from),
                (Some(s), None) => s,
                (None, Some(from)) => from,
                (None, None) => return Err(AwsError::new(
                    AliEcsCode::MissingParameter,
                    "The input parameter either \"SnapshotId\" or \"Size\" should be specified.",
                )),
            };
        let (lo, hi) = (min_size(&nd.category, &level), max_size(&nd.category));
        if !(lo..=hi).contains(&size) {
            return Err(AwsError::new(
                AliEcsCode::InvalidSize,
                format!(
                    "The specified parameter Size is not valid: {size} GiB ({} takes {lo} to {hi} GiB).",
                    nd.category
                ),
            ));
        }
        Ok(DiskPlan {
            key,
            rule,
            size,
            source: source.map(|s| (s.id, s.encryption, s.sectors)),
        })
    }

    /// Resolves a key reference for a new disk and checks it: `Some(id)` for a usable CMK,
    /// `None` when it names the service key.
    pub(crate) fn ali_check_cmk(
        &mut self,
        key_ref: &str,
        account: &str,
        region: &str,
    ) -> AwsResult<Option<String>> {
        let id = self
            .ali_resolve_key(key_ref, account, region)
            .map_err(|e| ecs_error(e, false))?;
        let Some(k) = self.aliyun.keys.get(&id) else {
            return Err(ecs_error(super::kms::key_not_found(key_ref), false));
        };
        if k.service_key {
            return Ok(None);
        }
        if self.provider.ali_region_refuses_cmks(region) {
            return Err(AwsError::new(
                AliEcsCode::RegionNotSupportByok,
                format!("The specified region does not support byok. (Seed 002: {region} is a region where you cannot use CMKs; the service key alias/acs/ecs still encrypts disks here.)"),
            ));
        }
        if k.state != AliKeyState::Enabled {
            return Err(AwsError::new(
                AliEcsCode::CmkNotEnabled,
                format!(
                    "The CMK (Customer Master Key) must be in an active state. ({id} is {}.)",
                    k.state.as_str()
                ),
            ));
        }
        if !k.is_symmetric() {
            return Err(AwsError::new(
                AliEcsCode::KmsKeyNotSymmetric,
                format!(
                    "The specified parameter KmsKeyId must be symmetric. ({id} is {}.)",
                    k.key_spec
                ),
            ));
        }
        Ok(Some(id))
    }

    /// Makes a planned disk: its data key from KMS, its sectors (re-encrypted from the
    /// snapshot), its record. Returns the disk id.
    pub(crate) fn ali_make_disk(
        &mut self,
        nd: &NewDisk,
        plan: &DiskPlan,
        status: DiskStatus,
    ) -> AwsResult<String> {
        let id = self.ali_id("d", &nd.region);
        let algorithm = nd.algorithm.clone().unwrap_or("AES-256".into());
        let restoring = plan.source.as_ref().is_some_and(|s| !s.2 .0.is_empty());
        let location = if restoring {
            KeyLocation::EbsTransient
        } else {
            KeyLocation::EncryptedAtRest
        };
        let (encryption, new_key) = match &plan.key {
            None => (None, None),
            Some(k) => {
                let key_id = match k {
                    Some(id) => id.clone(),
                    None => self.ali_service_key(&nd.account, &nd.region),
                };
                let (enc, dk) = self.ecs_new_data_key(
                    &nd.account,
                    &nd.region,
                    &key_id,
                    &id,
                    &algorithm,
                    location,
                    Some(plan.rule),
                )?;
                (Some(enc), Some(dk))
            }
        };
        let mut sectors = Sectors::default();
        if let Some((_, src_enc, src)) = &plan.source {
            let old_key = match src_enc {
                Some(e) if !src.0.is_empty() => Some(self.ecs_decrypt_data_key(
                    e,
                    &nd.region,
                    "restore",
                    KeyLocation::EbsTransient,
                )?),
                _ => None,
            };
            sectors = super::snapshots::recrypt(src, old_key.as_ref(), new_key.as_ref());
        }
        let level = match nd.category.as_str() {
            "cloud_essd" => nd.performance_level.clone().unwrap_or("PL1".into()),
            _ => String::new(),
        };
        let disk = Disk {
            id: id.clone(),
            account: nd.account.clone(),
            region: nd.region.clone(),
            zone: nd.zone.clone(),
            name: nd.name.clone(),
            description: nd.description.clone(),
            disk_type: nd.disk_type.clone(),
            category: nd.category.clone(),
            size: plan.size,
            performance_level: level,
            status,
            instance_id: None,
            device: None,
            source_snapshot: nd.snapshot_id.clone(),
            image_id: nd.image_id.clone(),
            created: self.now,
            delete_with_instance: nd.delete_with_instance,
            encryption,
            sectors,
            io_hang: false,
            host_key: None,
        };
        self.aliyun.disks.insert(id.clone(), Box::new(disk));
        if status == DiskStatus::Creating {
            self.ali_schedule(DISK_READY_SECS, AliPending::DiskReady(id.clone()));
        }
        Ok(id)
    }

    /// A snapshot a new disk may be made from: the account's own in the region, or one shared
    /// with the account; accomplished.
    pub(crate) fn ali_usable_snapshot(
        &self,
        account: &str,
        region: &str,
        sid: &str,
    ) -> AwsResult<AliSnapshot> {
        let s = self
            .aliyun
            .snapshots
            .get(sid)
            .filter(|s| s.region == region)
            .filter(|s| {
                s.account == account
                    || s.shared_with.contains(account)
                    || self.aliyun.images.values().any(|i| {
                        i.snapshot_id.as_deref() == Some(sid) && i.shared_with.contains(account)
                    })
            })
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::InvalidSnapshotId,
                    format!("The specified SnapshotId does not exist: {sid}."),
                )
            })?;
        if s.status != "accomplished" {
            return Err(AwsError::new(
                AliEcsCode::SnapshotNotReady,
                format!("The specified snapshot has not completed yet: {sid}."),
            ));
        }
        Ok((**s).clone())
    }

    /// The caller's disk (in the caller's account).
    pub(crate) fn ali_disk_of(&self, caller: &Caller, id: &str) -> AwsResult<Disk> {
        self.aliyun
            .disks
            .get(id)
            .filter(|d| d.account == caller.account)
            .map(|b| (**b).clone())
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::InvalidDiskId,
                    format!("The specified disk does not exist: {id}."),
                )
            })
    }

    /// Authorizes an ECS request of the caller (`ecs:ACTION`), with condition keys.
    pub(crate) fn ecs_authorize(
        &mut self,
        caller: &Caller,
        action: &str,
        resource: &str,
        keys: &[(&str, bool)],
    ) -> AwsResult<()> {
        let mut ctx = Context::new();
        for (k, v) in keys {
            ctx.insert(k.to_string(), v.to_string());
        }
        let arn = self
            .provider
            .arn("ecs", &caller.region, &caller.account, resource);
        self.ali_authorize(
            &caller.principal,
            &caller.account,
            Participant::Ecs,
            &format!("ecs:{action}"),
            &arn,
            &ctx,
        )
    }

    pub(crate) fn ali_create_disk(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let caller = &Caller {
            region: region.clone(),
            ..caller.clone()
        };
        let (zone, instance) = (q.opt_str("ZoneId")?, q.opt_str("InstanceId")?);
        let (zone, attach_to) = match (zone, instance) {
            (Some(_), Some(_)) => {
                return Err(AwsError::new(
                    AliEcsCode::ZoneAndInstanceConflict,
                    "The specified parameter 'ZoneId' and 'InstanceId' are not blank at the same time.",
                ))
            }
            (None, None) => {
                return Err(AwsError::new(
                    AliEcsCode::MissingParameter,
                    "The input parameter ZoneId that is mandatory for processing this request is not supplied.",
                ))
            }
            (Some(z), None) => (z, None),
            (None, Some(i)) => {
                let inst = self.ali_instance_of(caller, &i)?;
                (inst.zone.clone(), Some(inst))
            }
        };
        if !self.provider.zones(&region).contains(&zone) {
            return Err(AwsError::new(
                AliEcsCode::InvalidZoneId,
                format!("The specified zone does not exist: {zone}."),
            ));
        }
        let nd = NewDisk {
            account: caller.account.clone(),
            region: region.clone(),
            zone,
            name: q.opt_str("DiskName")?.unwrap_or_default(),
            description: q.opt_str("Description")?.unwrap_or_default(),
            disk_type: "data".into(),
            category: q.opt_str("DiskCategory")?.unwrap_or("cloud_essd".into()),
            size: q.opt_u64("Size")?,
            performance_level: q.opt_str("PerformanceLevel")?,
            snapshot_id: q.opt_str("SnapshotId")?,
            image_id: None,
            encrypted: q.opt_bool("Encrypted")?,
            kms_key_id: q.opt_str("KMSKeyId")?,
            algorithm: q.opt_str("EncryptAlgorithm")?,
            delete_with_instance: false,
        };
        let plan = self.ali_plan_disk(&nd);
        let will_encrypt = match &plan {
            Ok(p) => p.encrypted(),
            Err(_) => nd.encrypted == Some(true),
        };
        self.ecs_authorize(
            caller,
            "CreateDisk",
            "disk/*",
            &[("ecs:IsDiskEncrypted", will_encrypt)],
        )?;
        let plan = plan?;
        if let Some(inst) = &attach_to {
            self.ali_check_type_for_disk(&inst.instance_type, &plan, &nd)?;
        }
        let status = match attach_to {
            Some(_) => DiskStatus::Available,
            None => DiskStatus::Creating,
        };
        let id = self.ali_make_disk(&nd, &plan, status)?;
        if let Some(inst) = attach_to {
            // A refused decryption at attach leaves no disk behind.
            if let Err(e) = self.ali_attach(&id, &inst.id, false) {
                self.aliyun.disks.remove(&id);
                return Err(e);
            }
        }
        self.ali_ok(json!({"DiskId": id}))
    }

    /// Seed 002's instance-type rule: the listed types cannot attach encrypted system disks or
    /// encrypted data disks created from snapshots.
    pub(crate) fn ali_check_type_for_disk(
        &self,
        instance_type: &str,
        plan: &DiskPlan,
        nd: &NewDisk,
    ) -> AwsResult<()> {
        let from_snapshot = nd.snapshot_id.is_some() || nd.image_id.is_some();
        self.ali_check_type(
            instance_type,
            plan.encrypted(),
            nd.disk_type == "system",
            from_snapshot,
        )
    }

    pub(crate) fn ali_check_type(
        &self,
        instance_type: &str,
        encrypted: bool,
        system: bool,
        from_snapshot: bool,
    ) -> AwsResult<()> {
        if encrypted
            && (system || from_snapshot)
            && !self
                .provider
                .ali_type_takes_encrypted_system_disk(instance_type)
        {
            let what = if system {
                "an encrypted system disk"
            } else {
                "an encrypted data disk created from a snapshot"
            };
            return Err(AwsError::new(
                AliEcsCode::InstanceTypeNotSupported,
                format!("The specified InstanceType is not Supported: {instance_type} cannot attach {what} (seed 002, \"Instance types\"; the code is the playground's choice)."),
            ));
        }
        Ok(())
    }

    pub(crate) fn ali_describe_disks(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        self.ecs_authorize(caller, "DescribeDisks", "disk/*", &[])?;
        let ids = id_list(q, "DiskIds")?;
        let zone = q.opt_str("ZoneId")?;
        let instance = q.opt_str("InstanceId")?;
        let disk_type = q.opt_str("DiskType")?.filter(|t| t != "all");
        let category = q.opt_str("Category")?;
        let status = q.opt_str("Status")?;
        let snapshot = q.opt_str("SnapshotId")?;
        let encrypted = q.opt_bool("Encrypted")?;
        let key = q.opt_str("KMSKeyId")?;
        let list: Vec<Value> = self
            .aliyun
            .disks
            .values()
            .filter(|d| d.account == caller.account && d.region == region)
            .filter(|d| ids.as_ref().is_none_or(|l| l.contains(&d.id)))
            .filter(|d| zone.as_ref().is_none_or(|z| *z == d.zone))
            .filter(|d| instance.is_none() || d.instance_id == instance)
            .filter(|d| disk_type.as_ref().is_none_or(|t| *t == d.disk_type))
            .filter(|d| category.as_ref().is_none_or(|c| *c == d.category))
            .filter(|d| status.as_ref().is_none_or(|s| s == d.status.as_str()))
            .filter(|d| snapshot.is_none() || d.source_snapshot == snapshot)
            .filter(|d| encrypted.is_none_or(|e| e == d.encryption.is_some()))
            .filter(|d| {
                key.as_ref()
                    .is_none_or(|k| d.encryption.as_ref().is_some_and(|e| e.key_id == *k))
            })
            .map(|d| d.to_json())
            .collect();
        let body = ecs_page(q, list, "Disks", "Disk")?;
        self.ali_ok(body)
    }

    /// Attaches a disk to an instance: device, status, and (the instance running) the data key
    /// into host memory. A refused decryption undoes the attach.
    pub(crate) fn ali_attach(
        &mut self,
        disk_id: &str,
        instance_id: &str,
        system: bool,
    ) -> AwsResult<()> {
        let used: Vec<String> = self
            .aliyun
            .disks_of(instance_id)
            .iter()
            .filter_map(|d| d.device.clone())
            .collect();
        let device = if system {
            "/dev/xvda".to_string()
        } else {
            (b'b'..=b'z')
                .map(|c| format!("/dev/xvd{}", c as char))
                .find(|d| !used.contains(d))
                .unwrap_or("/dev/xvdz".into())
        };
        let running = self
            .aliyun
            .instances
            .get(instance_id)
            .is_some_and(|i| i.status == "Running");
        if let Some(d) = self.aliyun.disks.get_mut(disk_id) {
            d.status = DiskStatus::InUse;
            d.instance_id = Some(instance_id.into());
            d.device = Some(device);
            if system {
                d.disk_type = "system".into();
            }
        }
        if running {
            if let Err(e) = self.ecs_load_disk_key(disk_id, instance_id, "attach") {
                if let Some(d) = self.aliyun.disks.get_mut(disk_id) {
                    d.status = DiskStatus::Available;
                    d.instance_id = None;
                    d.device = None;
                    d.io_hang = false;
                }
                return Err(e);
            }
        }
        Ok(())
    }

    pub(crate) fn ali_attach_disk(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_disk_of(caller, &q.str("DiskId")?)?;
        let inst = self.ali_instance_of(caller, &q.str("InstanceId")?)?;
        self.ecs_authorize(caller, "AttachDisk", &format!("disk/{}", disk.id), &[])?;
        if disk.status != DiskStatus::Available {
            return Err(AwsError::new(
                AliEcsCode::IncorrectDiskStatus,
                format!(
                    "The current disk status does not support this operation: {} is {}.",
                    disk.id,
                    disk.status.as_str()
                ),
            ));
        }
        if disk.zone != inst.zone {
            return Err(AwsError::new(
                AliEcsCode::ZoneMismatch,
                format!(
                    "The specified disk and instance are not in the same zone ({} and {}).",
                    disk.zone, inst.zone
                ),
            ));
        }
        if !matches!(inst.status.as_str(), "Running" | "Stopped") {
            return Err(AwsError::new(
                AliEcsCode::IncorrectInstanceStatus,
                format!(
                    "The current status of the instance does not support this operation: {}.",
                    inst.status
                ),
            ));
        }
        let bootable = q.opt_bool("Bootable")?.unwrap_or(false);
        if bootable && inst.system_disk.is_some() {
            return Err(AwsError::new(
                AliEcsCode::OperationDenied,
                "The instance already has a system disk.",
            ));
        }
        self.ali_check_type(
            &inst.instance_type,
            disk.encryption.is_some(),
            bootable,
            disk.source_snapshot.is_some(),
        )?;
        if let Some(d) = self.aliyun.disks.get_mut(&disk.id) {
            if let Some(w) = q.opt_bool("DeleteWithInstance")? {
                d.delete_with_instance = w;
            }
        }
        self.ali_attach(&disk.id, &inst.id, bootable)?;
        if bootable {
            if let Some(i) = self.aliyun.instances.get_mut(&inst.id) {
                i.system_disk = Some(disk.id.clone());
            }
        }
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_detach_disk(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_disk_of(caller, &q.str("DiskId")?)?;
        let inst = self.ali_instance_of(caller, &q.str("InstanceId")?)?;
        self.ecs_authorize(caller, "DetachDisk", &format!("disk/{}", disk.id), &[])?;
        if disk.instance_id.as_deref() != Some(inst.id.as_str()) {
            return Err(AwsError::new(
                AliEcsCode::IncorrectDiskStatus,
                format!("The disk {} is not attached to {}.", disk.id, inst.id),
            ));
        }
        if disk.disk_type == "system" && inst.status != "Stopped" {
            return Err(AwsError::new(
                AliEcsCode::IncorrectInstanceStatus,
                "A system disk can be detached only from a stopped instance.",
            ));
        }
        self.ecs_unload_disk_key(&disk.id, "DetachDisk");
        if let Some(d) = self.aliyun.disks.get_mut(&disk.id) {
            d.status = DiskStatus::Available;
            d.instance_id = None;
            d.device = None;
            if let Some(w) = q.opt_bool("DeleteWithInstance")? {
                d.delete_with_instance = w;
            }
        }
        if disk.disk_type == "system" {
            if let Some(i) = self.aliyun.instances.get_mut(&inst.id) {
                i.system_disk = None;
            }
        }
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_delete_disk(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_disk_of(caller, &q.str("DiskId")?)?;
        self.ecs_authorize(caller, "DeleteDisk", &format!("disk/{}", disk.id), &[])?;
        if disk.status == DiskStatus::InUse {
            return Err(AwsError::new(
                AliEcsCode::IncorrectDiskStatus,
                format!("The current disk status does not support this operation: {} is In_use (detach it first).", disk.id),
            ));
        }
        self.aliyun.disks.remove(&disk.id);
        self.ali_ok(json!({}))
    }
}
