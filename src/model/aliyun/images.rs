//! ECS images: the public images of each region, CreateImage (a snapshot of the system disk),
//! CopyImage (Encrypted: seed 002's way to encrypt a system disk), DescribeImages,
//! ModifyImageSharePermission and DeleteImage.

use super::*;

/// The public images seeded in every region: (id, OS name, GiB).
pub const PUBLIC_IMAGES: &[(&str, &str, u64)] = &[
    (
        "aliyun_3_x64_20G_alibase_20240819.vhd",
        "Alibaba Cloud Linux 3.2104 LTS 64-bit",
        20,
    ),
    (
        "ubuntu_22_04_x64_20G_alibase_20240710.vhd",
        "Ubuntu 22.04 64-bit",
        20,
    ),
];

impl Sim {
    /// Seeds a region's public images (owner alias `system`, no snapshot: their system disks
    /// start empty in the playground).
    pub(crate) fn ali_seed_public_image(&mut self, region: &str) {
        for (id, os, size) in PUBLIC_IMAGES {
            let image = AliImage {
                id: id.to_string(),
                account: String::new(),
                region: region.into(),
                name: id.to_string(),
                description: os.to_string(),
                owner_alias: "system".into(),
                status: "Available".into(),
                created: 0,
                snapshot_id: None,
                size: *size,
                os_name: os.to_string(),
                shared_with: Default::default(),
            };
            self.aliyun
                .images
                .insert(format!("{id}@{region}"), Box::new(image));
        }
    }

    /// An image the caller may launch from in the caller's region: public, its own, or shared
    /// with it; Available.
    pub(crate) fn ali_image_for(&self, caller: &Caller, id: &str) -> AwsResult<AliImage> {
        let found = self
            .aliyun
            .images
            .get(id)
            .or_else(|| self.aliyun.images.get(&format!("{id}@{}", caller.region)))
            .filter(|i| i.region == caller.region)
            .filter(|i| {
                i.owner_alias == "system"
                    || i.account == caller.account
                    || i.shared_with.contains(&caller.account)
            })
            .map(|b| (**b).clone())
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::InvalidImageId,
                    format!("The specified ImageId does not exist: {id}."),
                )
            })?;
        if found.status != "Available" {
            return Err(AwsError::new(
                AliEcsCode::ImageNotReady,
                format!(
                    "The specified image is not available yet: {id} is {}.",
                    found.status
                ),
            ));
        }
        Ok(found)
    }

    /// The caller's own custom image.
    fn ali_own_image(&self, caller: &Caller, id: &str) -> AwsResult<AliImage> {
        self.aliyun
            .images
            .get(id)
            .filter(|i| i.account == caller.account && i.owner_alias == "self")
            .map(|b| (**b).clone())
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::InvalidImageId,
                    format!("The specified ImageId does not exist: {id}."),
                )
            })
    }

    fn ali_new_image(
        &mut self,
        account: &str,
        region: &str,
        name: String,
        description: String,
        snapshot: &AliSnapshot,
        os: String,
    ) -> String {
        let id = self.ali_id("m", region);
        let image = AliImage {
            id: id.clone(),
            account: account.into(),
            region: region.into(),
            name: if name.is_empty() { id.clone() } else { name },
            description,
            owner_alias: "self".into(),
            status: "Creating".into(),
            created: self.now,
            snapshot_id: Some(snapshot.id.clone()),
            size: snapshot.source_size,
            os_name: os,
            shared_with: Default::default(),
        };
        self.aliyun.images.insert(id.clone(), Box::new(image));
        self.ali_schedule(IMAGE_SECS, AliPending::ImageReady(id.clone()));
        id
    }

    pub(crate) fn ali_create_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let caller = &Caller {
            region: region.clone(),
            ..caller.clone()
        };
        self.ecs_authorize(caller, "CreateImage", "image/*", &[])?;
        let name = q.opt_str("ImageName")?.unwrap_or_default();
        let description = q.opt_str("Description")?.unwrap_or_default();
        let (snapshot, os) = match (q.opt_str("InstanceId")?, q.opt_str("SnapshotId")?) {
            (Some(i), _) => {
                let inst = self.ali_instance_of(caller, &i)?;
                let disk_id = inst.system_disk.clone().ok_or_else(|| {
                    AwsError::new(
                        AliEcsCode::OperationDenied,
                        "The instance has no system disk.",
                    )
                })?;
                let disk = self.ali_disk_of(caller, &disk_id)?;
                let sid =
                    self.ali_snapshot_disk(&disk, format!("image of {i}"), String::new(), None);
                let snap = self.aliyun.snapshots.get(&sid).map(|b| (**b).clone());
                let os = self
                    .aliyun
                    .images
                    .get(&format!("{}@{region}", inst.image_id))
                    .or_else(|| self.aliyun.images.get(&inst.image_id))
                    .map(|m| m.os_name.clone())
                    .unwrap_or_default();
                (snap, os)
            }
            (None, Some(s)) => {
                let snap = self.ali_snapshot_of(caller, &s)?;
                if snap.source_disk_type != "system" {
                    return Err(AwsError::new(
                        AliEcsCode::OperationDenied,
                        format!("The specified snapshot is not a system disk snapshot: {s}."),
                    ));
                }
                (Some(snap), String::new())
            }
            (None, None) => return Err(AwsError::new(
                AliEcsCode::MissingParameter,
                "The input parameter either \"InstanceId\" or \"SnapshotId\" should be specified.",
            )),
        };
        let Some(snapshot) = snapshot else {
            return Err(AwsError::new("InternalError", "snapshot missing"));
        };
        let id = self.ali_new_image(&caller.account, &region, name, description, &snapshot, os);
        self.ali_ok(json!({"ImageId": id}))
    }

    pub(crate) fn ali_copy_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let caller = &Caller {
            region: region.clone(),
            ..caller.clone()
        };
        let image = self.ali_own_image(caller, &q.str("ImageId")?)?;
        let dest = q.opt_str("DestinationRegionId")?.unwrap_or(region.clone());
        if !self.provider.has_region(&dest) {
            return Err(AwsError::new(
                AliEcsCode::InvalidRegionId,
                format!("The specified DestinationRegionId does not exist: {dest}."),
            ));
        }
        self.ecs_authorize(caller, "CopyImage", &format!("image/{}", image.id), &[])?;
        if image.status != "Available" {
            return Err(AwsError::new(
                AliEcsCode::ImageNotReady,
                format!("The specified image is not available yet: {}.", image.id),
            ));
        }
        let src = image
            .snapshot_id
            .as_ref()
            .and_then(|s| self.aliyun.snapshots.get(s))
            .cloned()
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::OperationDenied,
                    "The image has no snapshot to copy.",
                )
            })?;
        let key = self.ali_copy_key(
            &caller.account,
            &dest,
            src.encryption.is_some(),
            q.opt_bool("Encrypted")?,
            q.opt_str("KMSKeyId")?,
        )?;
        let snap_id = self.ali_copy_snapshot_data(
            &src,
            &caller.account,
            &dest,
            key,
            format!("copy of {}", image.id),
            String::new(),
        )?;
        let snap = self.aliyun.snapshots.get(&snap_id).cloned();
        let Some(snap) = snap else {
            return Err(AwsError::new("InternalError", "snapshot missing"));
        };
        let name = q.opt_str("DestinationImageName")?.unwrap_or_default();
        let description = q.opt_str("DestinationDescription")?.unwrap_or_default();
        let id = self.ali_new_image(
            &caller.account,
            &dest,
            name,
            description,
            &snap,
            image.os_name.clone(),
        );
        self.ali_ok(json!({"ImageId": id}))
    }

    pub(crate) fn ali_describe_images(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        self.ecs_authorize(caller, "DescribeImages", "image/*", &[])?;
        let ids: Option<Vec<String>> = q
            .opt_str("ImageId")?
            .map(|s| s.split(',').map(|x| x.trim().to_string()).collect());
        let owner = q.opt_str("ImageOwnerAlias")?;
        let status = q.opt_str("Status")?;
        let account = caller.account.clone();
        let list: Vec<Value> = self
            .aliyun
            .images
            .values()
            .filter(|i| i.region == region)
            .filter_map(|i| {
                let alias = if i.owner_alias == "system" {
                    "system"
                } else if i.account == account {
                    "self"
                } else if i.shared_with.contains(&account) {
                    "others"
                } else {
                    return None;
                };
                Some((alias, i))
            })
            .filter(|(a, _)| owner.as_deref().is_none_or(|o| o == *a))
            .filter(|(_, i)| ids.as_ref().is_none_or(|l| l.contains(&i.id)))
            .filter(|(_, i)| status.as_ref().is_none_or(|s| *s == i.status))
            .map(|(alias, i)| self.ali_image_json(i, alias))
            .collect();
        let mut body = ecs_page(q, list, "Images", "Image")?;
        body["RegionId"] = Value::String(region);
        self.ali_ok(body)
    }

    fn ali_image_json(&self, i: &AliImage, alias: &str) -> Value {
        let snap = i
            .snapshot_id
            .as_ref()
            .and_then(|s| self.aliyun.snapshots.get(s));
        let enc = snap.and_then(|s| s.encryption.as_ref());
        json!({
            "ImageId": i.id,
            "ImageName": i.name,
            "Description": i.description,
            "ImageOwnerAlias": alias,
            "Status": i.status,
            "Size": i.size,
            "OSName": i.os_name,
            "CreationTime": ali_time(i.created),
            "IsSelfShared": if i.shared_with.is_empty() { "False" } else { "True" },
            "DiskDeviceMappings": {"DiskDeviceMapping": match snap {
                Some(s) => vec![json!({
                    "SnapshotId": s.id,
                    "Size": s.source_size.to_string(),
                    "Type": "system",
                    "Device": "/dev/xvda",
                    "Encrypted": if enc.is_some() { "true" } else { "false" },
                    "KMSKeyId": enc.map(|e| e.key_id.clone()).unwrap_or_default(),
                })],
                None => vec![],
            }},
        })
    }

    pub(crate) fn ali_modify_image_share_permission(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let caller = &Caller {
            region,
            ..caller.clone()
        };
        let image = self.ali_own_image(caller, &q.str("ImageId")?)?;
        self.ecs_authorize(
            caller,
            "ModifyImageSharePermission",
            &format!("image/{}", image.id),
            &[],
        )?;
        let add = q.opt_strs("AddAccount")?.unwrap_or_default();
        let remove = q.opt_strs("RemoveAccount")?.unwrap_or_default();
        if let Some(bad) = add
            .iter()
            .chain(&remove)
            .find(|a| !self.provider.valid_account(a))
        {
            return Err(AwsError::new(
                AliEcsCode::InvalidAccount,
                format!("The specified account is not valid: {bad} (a 16-digit UID)."),
            ));
        }
        if let Some(i) = self.aliyun.images.get_mut(&image.id) {
            i.shared_with.extend(add);
            for a in remove {
                i.shared_with.remove(&a);
            }
        }
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_delete_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let image = self.ali_own_image(caller, &q.str("ImageId")?)?;
        self.ecs_authorize(caller, "DeleteImage", &format!("image/{}", image.id), &[])?;
        let in_use = self
            .aliyun
            .instances
            .values()
            .any(|i| i.image_id == image.id);
        if in_use && !q.opt_bool("Force")?.unwrap_or(false) {
            return Err(AwsError::new(
                AliEcsCode::OperationDenied,
                format!(
                    "The image {} is used by instances: pass Force to delete it.",
                    image.id
                ),
            ));
        }
        self.aliyun.images.remove(&image.id);
        self.ali_ok(json!({}))
    }
}
