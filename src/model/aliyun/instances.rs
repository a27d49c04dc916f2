//! ECS instances: RunInstances (system and data disks, each through the key decision),
//! DescribeInstances, Start/Stop/Reboot (the data keys decrypted at startup, dropped at stop),
//! DeleteInstance and ReplaceSystemDisk.
//!
//! **Approximation:** an instance is Running as soon as RunInstances, StartInstance or
//! RebootInstance answers (Alibaba passes through Pending/Starting first); the startup's KMS
//! calls are drawn inside the request that starts it.

use super::disks::{DiskPlan, NewDisk};
use super::*;

/// The members of a nested structure of an operation, as the operation table lists them (so a
/// structure's members are described once, in `ops/aliyun_ecs.rs`).
fn nested_members(operation: &str, member: &str) -> Vec<&'static str> {
    use crate::model::ops::Ty;
    let Some(op) = crate::model::ops::aliyun::find("ecs", operation) else {
        return Vec::new();
    };
    match op.params.iter().find(|p| p.name == member).map(|p| p.ty) {
        Some(Ty::Struct(m) | Ty::StructList(m)) => m.iter().map(|m| m.name).collect(),
        _ => Vec::new(),
    }
}

impl Sim {
    /// The caller's instance.
    /// The instance a request's `InstanceId` names, once the caller may do `action` on it.
    fn ali_instance_action(
        &mut self,
        caller: &Caller,
        q: &Params,
        action: &str,
    ) -> AwsResult<AliInstance> {
        let inst = self.ali_instance_of(caller, &q.str("InstanceId")?)?;
        self.ecs_authorize(caller, action, &format!("instance/{}", inst.id), &[])?;
        Ok(inst)
    }

    pub(crate) fn ali_instance_of(&self, caller: &Caller, id: &str) -> AwsResult<AliInstance> {
        self.aliyun
            .instances
            .get(id)
            .filter(|i| i.account == caller.account)
            .map(|b| (**b).clone())
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::InvalidInstanceId,
                    format!("The specified InstanceId does not exist: {id}."),
                )
            })
    }

    /// The system disk an image gives: from the image's snapshot (custom images) or empty
    /// (public images), of at least the image's size.
    pub(crate) fn ali_system_disk_from_image(
        &self,
        caller: &Caller,
        image: &AliImage,
        zone: &str,
        sys: Option<&Params>,
    ) -> AwsResult<NewDisk> {
        let get_str = |name: &str| -> AwsResult<Option<String>> {
            match sys {
                Some(p) => p.opt_str(name),
                None => Ok(None),
            }
        };
        let size = match sys {
            Some(p) => p.opt_u64("Size")?,
            None => None,
        };
        let encrypted = match sys {
            Some(p) => p.opt_bool("Encrypted")?,
            None => None,
        };
        if size.is_some_and(|s| s < image.size) {
            return Err(AwsError::new(
                AliEcsCode::InvalidSize,
                format!(
                    "The specified parameter SystemDisk.Size is not valid: the image needs at least {} GiB.",
                    image.size
                ),
            ));
        }
        Ok(NewDisk {
            account: caller.account.clone(),
            region: caller.region.clone(),
            zone: zone.into(),
            name: String::new(),
            description: String::new(),
            disk_type: "system".into(),
            category: get_str("Category")?.unwrap_or("cloud_essd".into()),
            size: Some(size.unwrap_or(image.size)),
            performance_level: get_str("PerformanceLevel")?,
            snapshot_id: image.snapshot_id.clone(),
            image_id: Some(image.id.clone()),
            encrypted,
            kms_key_id: get_str("KMSKeyId")?,
            algorithm: get_str("EncryptAlgorithm")?,
            delete_with_instance: true,
        })
    }

    /// A data disk of RunInstances (`DataDisk.N.*`).
    fn ali_data_disk(&self, caller: &Caller, zone: &str, p: &Params) -> AwsResult<NewDisk> {
        Ok(NewDisk {
            account: caller.account.clone(),
            region: caller.region.clone(),
            zone: zone.into(),
            name: p.opt_str("DiskName")?.unwrap_or_default(),
            description: String::new(),
            disk_type: "data".into(),
            category: p.opt_str("Category")?.unwrap_or("cloud_essd".into()),
            size: p.opt_u64("Size")?,
            performance_level: p.opt_str("PerformanceLevel")?,
            snapshot_id: p.opt_str("SnapshotId")?,
            image_id: None,
            encrypted: p.opt_bool("Encrypted")?,
            kms_key_id: p.opt_str("KMSKeyId")?,
            algorithm: p.opt_str("EncryptAlgorithm")?,
            delete_with_instance: p.opt_bool("DeleteWithInstance")?.unwrap_or(true),
        })
    }

    pub(crate) fn ali_run_instances(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let caller = &Caller {
            region: region.clone(),
            ..caller.clone()
        };
        let image = self.ali_image_for(caller, &q.str("ImageId")?)?;
        let instance_type = q.str("InstanceType")?;
        let zones = self.provider.zones(&region);
        let zone = match q.opt_str("ZoneId")? {
            Some(z) if zones.contains(&z) => z,
            Some(z) => {
                return Err(AwsError::new(
                    AliEcsCode::InvalidZoneId,
                    format!("The specified zone does not exist: {z}."),
                ))
            }
            None => zones.first().cloned().unwrap_or_default(),
        };
        let amount = q.opt_u64("Amount")?.unwrap_or(1);
        if !(1..=10).contains(&amount) {
            return Err(AwsError::new(
                AliEcsCode::InvalidParameter,
                "The specified parameter Amount is not valid: 1 to 10 in the playground (Alibaba allows 100).",
            ));
        }
        let sys = q.opt_struct("SystemDisk", &nested_members("RunInstances", "SystemDisk"))?;
        let sys_disk = self.ali_system_disk_from_image(caller, &image, &zone, sys.as_ref())?;
        let data: Vec<NewDisk> = q
            .opt_structs("DataDisk", &nested_members("RunInstances", "DataDisk"))?
            .unwrap_or_default()
            .iter()
            .map(|p| self.ali_data_disk(caller, &zone, p))
            .collect::<AwsResult<_>>()?;
        if data.len() > 16 {
            return Err(AwsError::new(
                AliEcsCode::InvalidParameter,
                "The specified parameter DataDisk is not valid: at most 16 data disks.",
            ));
        }
        // Every disk is checked before anything is made.
        let mut plans: Vec<Result<DiskPlan, AwsError>> = vec![self.ali_plan_disk(&sys_disk)];
        for d in &data {
            plans.push(self.ali_plan_disk(d));
        }
        let sys_encrypted =
            plans[0].as_ref().is_ok_and(DiskPlan::encrypted) || sys_disk.encrypted == Some(true);
        let all_encrypted = plans
            .iter()
            .zip(std::iter::once(&sys_disk).chain(&data))
            .all(|(p, d)| match p {
                Ok(p) => p.encrypted(),
                Err(_) => d.encrypted == Some(true),
            });
        // ecs:IsDiskEncrypted: every disk of the request encrypted (the playground's reading);
        // ecs:IsSystemDiskEncrypted: the system disk (ECS API reference, RunInstances).
        self.ecs_authorize(
            caller,
            "RunInstances",
            "instance/*",
            &[
                ("ecs:IsDiskEncrypted", all_encrypted),
                ("ecs:IsSystemDiskEncrypted", sys_encrypted),
            ],
        )?;
        let plans: Vec<DiskPlan> = plans.into_iter().collect::<AwsResult<_>>()?;
        for (plan, nd) in plans.iter().zip(std::iter::once(&sys_disk).chain(&data)) {
            self.ali_check_type_for_disk(&instance_type, plan, nd)?;
        }
        let mut ids = Vec::new();
        for _ in 0..amount {
            match self.ali_launch(
                caller,
                &image,
                &instance_type,
                &zone,
                q,
                &sys_disk,
                &data,
                &plans,
            ) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    for id in ids {
                        self.ali_release(&id);
                    }
                    return Err(e);
                }
            }
        }
        self.ali_ok(json!({"InstanceIdSets": {"InstanceIdSet": ids}}))
    }

    /// Makes one instance with its disks and starts it; on a failure nothing stays.
    #[allow(clippy::too_many_arguments)] // one instance of a RunInstances request, all of it checked
    fn ali_launch(
        &mut self,
        caller: &Caller,
        image: &AliImage,
        instance_type: &str,
        zone: &str,
        q: &Params,
        sys_disk: &NewDisk,
        data: &[NewDisk],
        plans: &[DiskPlan],
    ) -> AwsResult<String> {
        let id = self.ali_id("i", &caller.region);
        let inst = AliInstance {
            id: id.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            zone: zone.into(),
            name: q.opt_str("InstanceName")?.unwrap_or(id.clone()),
            instance_type: instance_type.into(),
            image_id: image.id.clone(),
            status: "Stopped".into(),
            created: self.now,
            system_disk: None,
        };
        self.aliyun.instances.insert(id.clone(), Box::new(inst));
        for (i, (nd, plan)) in std::iter::once(sys_disk).chain(data).zip(plans).enumerate() {
            let made = self.ali_make_disk(nd, plan, DiskStatus::Available);
            let disk = match made {
                Ok(d) => d,
                Err(e) => {
                    self.ali_release(&id);
                    return Err(e);
                }
            };
            let _ = self.ali_attach(&disk, &id, i == 0);
            if i == 0 {
                if let Some(inst) = self.aliyun.instances.get_mut(&id) {
                    inst.system_disk = Some(disk);
                }
            }
        }
        self.ali_boot(&id);
        Ok(id)
    }

    /// Starts an instance: Running, and each encrypted disk's data key decrypted and loaded into
    /// host memory (a refusal leaves that disk's I/O hanging).
    fn ali_boot(&mut self, id: &str) {
        if let Some(i) = self.aliyun.instances.get_mut(id) {
            i.status = "Running".into();
        }
        let disks: Vec<String> = self
            .aliyun
            .disks_of(id)
            .iter()
            .map(|d| d.id.clone())
            .collect();
        for d in disks {
            let _ = self.ecs_load_disk_key(&d, id, "startup");
        }
    }

    /// Stops an instance: its disks' data keys leave host memory.
    fn ali_halt(&mut self, id: &str, why: &str) {
        let disks: Vec<String> = self
            .aliyun
            .disks_of(id)
            .iter()
            .map(|d| d.id.clone())
            .collect();
        for d in disks {
            self.ecs_unload_disk_key(&d, why);
        }
        if let Some(i) = self.aliyun.instances.get_mut(id) {
            i.status = "Stopped".into();
        }
    }

    /// Releases an instance: disks released with it go, the others become Available.
    pub(crate) fn ali_release(&mut self, id: &str) {
        self.ali_halt(id, "DeleteInstance");
        let disks: Vec<(String, bool)> = self
            .aliyun
            .disks_of(id)
            .iter()
            .map(|d| (d.id.clone(), d.delete_with_instance))
            .collect();
        for (d, delete) in disks {
            if delete {
                self.aliyun.disks.remove(&d);
            } else if let Some(disk) = self.aliyun.disks.get_mut(&d) {
                disk.status = DiskStatus::Available;
                disk.instance_id = None;
                disk.device = None;
            }
        }
        self.aliyun.instances.remove(id);
    }

    pub(crate) fn ali_describe_instances(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        self.ecs_authorize(caller, "DescribeInstances", "instance/*", &[])?;
        let ids = id_list(q, "InstanceIds")?;
        let zone = q.opt_str("ZoneId")?;
        let status = q.opt_str("Status")?;
        let list: Vec<Value> = self
            .aliyun
            .instances
            .values()
            .filter(|i| i.account == caller.account && i.region == region)
            .filter(|i| ids.as_ref().is_none_or(|l| l.contains(&i.id)))
            .filter(|i| zone.as_ref().is_none_or(|z| *z == i.zone))
            .filter(|i| status.as_ref().is_none_or(|s| *s == i.status))
            .map(|i| self.ali_instance_json(i))
            .collect();
        let body = ecs_page(q, list, "Instances", "Instance")?;
        self.ali_ok(body)
    }

    /// DescribeInstances' `Instance` entry. `DiskIOHang` is the playground's own member: true
    /// when a disk's data key could not be decrypted at the last startup (seed 002's I/O hang;
    /// Alibaba's console shows it as a black VNC screen, its API not at all).
    fn ali_instance_json(&self, i: &AliInstance) -> Value {
        json!({
            "InstanceId": i.id,
            "InstanceName": i.name,
            "RegionId": i.region,
            "ZoneId": i.zone,
            "InstanceType": i.instance_type,
            "ImageId": i.image_id,
            "Status": i.status,
            "CreationTime": ali_time(i.created).replace(":00Z", "Z"),
            "OSType": "linux",
            "DiskIOHang": self.aliyun.instance_io_hangs(&i.id),
            "OperationLocks": {"LockReason": []},
        })
    }

    pub(crate) fn ali_start_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let inst = self.ali_instance_action(caller, q, "StartInstance")?;
        instance_is(&inst, "Stopped", "")?;
        // StartInstance's documented refusal: a disk whose key no longer exists.
        let gone = self
            .aliyun
            .disks_of(&inst.id)
            .iter()
            .filter_map(|d| d.encryption.as_ref())
            .find(|e| !self.aliyun.keys.contains_key(&e.key_id))
            .map(|e| e.key_id.clone());
        if let Some(k) = gone {
            return Err(AwsError::new(
                AliEcsCode::KmsKeyIdNotFoundOperation,
                format!("The specified KMSKeyId not found, {k}."),
            ));
        }
        self.ali_boot(&inst.id);
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_stop_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let inst = self.ali_instance_action(caller, q, "StopInstance")?;
        instance_is(&inst, "Running", "")?;
        self.ali_halt(&inst.id, "StopInstance");
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_reboot_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let inst = self.ali_instance_action(caller, q, "RebootInstance")?;
        instance_is(&inst, "Running", "")?;
        self.ali_halt(&inst.id, "RebootInstance");
        self.ali_boot(&inst.id);
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_delete_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let inst = self.ali_instance_action(caller, q, "DeleteInstance")?;
        let force = q.opt_bool("Force")?.unwrap_or(false);
        if !force {
            instance_is(&inst, "Stopped", " (stop it, or pass Force)")?;
        }
        self.ali_release(&inst.id);
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_replace_system_disk(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let inst = self.ali_instance_of(caller, &q.str("InstanceId")?)?;
        let caller = &Caller {
            region: inst.region.clone(),
            ..caller.clone()
        };
        let image = self.ali_image_for(caller, &q.str("ImageId")?)?;
        instance_is(&inst, "Stopped", " (stop it first)")?;
        let sys = q.opt_struct(
            "SystemDisk",
            &nested_members("ReplaceSystemDisk", "SystemDisk"),
        )?;
        let mut nd = self.ali_system_disk_from_image(caller, &image, &inst.zone, sys.as_ref())?;
        nd.encrypted = q.opt_bool("Encrypted")?;
        nd.kms_key_id = q.opt_str("KMSKeyId")?;
        if let Some(old) = inst
            .system_disk
            .as_ref()
            .and_then(|d| self.aliyun.disks.get(d))
        {
            nd.category = old.category.clone();
        }
        let plan = self.ali_plan_disk(&nd);
        let encrypted = plan.as_ref().is_ok_and(DiskPlan::encrypted);
        self.ecs_authorize(
            caller,
            "ReplaceSystemDisk",
            &format!("instance/{}", inst.id),
            &[("ecs:IsSystemDiskEncrypted", encrypted)],
        )?;
        let plan = plan?;
        self.ali_check_type_for_disk(&inst.instance_type, &plan, &nd)?;
        let disk = self.ali_make_disk(&nd, &plan, DiskStatus::Available)?;
        if let Some(old) = inst.system_disk.clone() {
            self.aliyun.disks.remove(&old);
        }
        self.ali_attach(&disk, &inst.id, true)?;
        if let Some(i) = self.aliyun.instances.get_mut(&inst.id) {
            i.system_disk = Some(disk.clone());
            i.image_id = image.id.clone();
        }
        self.ali_ok(json!({"DiskId": disk}))
    }
}

/// Refuses an operation unless the instance is in `status` (`hint` ends the message).
fn instance_is(inst: &AliInstance, status: &str, hint: &str) -> AwsResult<()> {
    if inst.status == status {
        return Ok(());
    }
    Err(AwsError::new(
        AliEcsCode::IncorrectInstanceStatus,
        format!(
            "The current status of the resource does not support this operation: {} is {}{hint}.",
            inst.id, inst.status
        ),
    ))
}
