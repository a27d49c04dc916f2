//! AMIs: register, create from an instance, copy (encrypting), describe, share, deregister.

use super::*;

impl Sim {
    /// The public AMI every region starts with: an unencrypted 8 GiB root snapshot owned by Amazon.
    pub(crate) fn seed_public_image(&mut self, region: &str) {
        let snap = self.rng.resource_id(self.provider.prefix(IdKind::Snapshot));
        let ami = self.rng.resource_id(self.provider.prefix(IdKind::Image));
        let mut blocks = BTreeMap::new();
        let mut s0 = b"Amazon Linux 2023 root filesystem (playground image)".to_vec();
        s0.resize(SECTOR_SIZE, 0);
        blocks.insert(0, s0);
        self.snapshots.insert(
            snap.clone(),
            Box::new(Snapshot {
                id: snap.clone(),
                account: AMAZON_ACCOUNT.into(),
                region: region.into(),
                volume_id: "vol-ffffffff".into(),
                volume_size: 8,
                state: SnapshotState::Completed,
                state_message: None,
                created: 0,
                description: "Amazon Linux 2023 AMI root".into(),
                encryption: None,
                blocks: Sectors(blocks),
                parent: None,
                shared_with: BTreeSet::new(),
                public: true,
                copied_from: None,
                tags: Tags::new(),
            }),
        );
        self.images.insert(
            ami.clone(),
            Box::new(Image {
                id: ami,
                account: AMAZON_ACCOUNT.into(),
                region: region.into(),
                name: "al2023-ami-playground-x86_64".into(),
                description: "Amazon Linux 2023 (unencrypted root snapshot)".into(),
                root_device: "/dev/xvda".into(),
                mappings: vec![ImageMapping {
                    device: "/dev/xvda".into(),
                    snapshot_id: snap,
                    volume_size: 8,
                    delete_on_termination: true,
                }],
                state: ImageState::Available,
                public: true,
                launch_permissions: BTreeSet::new(),
                created: 0,
                architecture: "x86_64".into(),
                virtualization: "hvm".into(),
                ena_support: true,
                source: None,
                tags: Tags::new(),
            }),
        );
    }

    pub(crate) fn register_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Name")?;
        let root_device_name = q.opt_str("RootDeviceName")?;
        if q.opt_str("ImageLocation")?.is_some() {
            return Err(AwsError::new(
                Ec2Code::UnsupportedOperation,
                "Instance store-backed AMIs (ImageLocation) are not modelled in the playground: register an EBS-backed AMI from snapshots with --block-device-mappings.",
            ));
        }
        let block_device_mappings = q.required("BlockDeviceMappings", block_device_mappings(q)?)?;
        let description = q.opt_str("Description")?;
        let architecture = q.opt_str("Architecture")?;
        let virtualization = q.opt_str("VirtualizationType")?;
        let ena_support = q.opt_bool("EnaSupport")?;
        // RegisterImage tags the AMI only (API_RegisterImage: "If you specify another value
        // for ResourceType, the request fails").
        let tags = TagSpecs::read(q, &["image"])?;
        self.check_image_name(caller, &name)?;
        let mut mappings = Vec::new();
        for m in block_device_mappings {
            let Some(ebs) = m.ebs else { continue };
            if ebs.encrypted.is_some() || ebs.kms_key_id.is_some() {
                return Err(AwsError::new(Ec2Code::InvalidParameterCombination, "RegisterImage keeps the encryption of its snapshots; set Encrypted and KmsKeyId when you launch or copy the image."));
            }
            let Some(sid) = ebs.snapshot_id else {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!("A snapshot is required for {}", m.device_name),
                ));
            };
            let s = match self.snapshots.get(&sid) {
                Some(s) if s.account == caller.account && s.region == caller.region => s.clone(),
                _ => {
                    return Err(AwsError::new(
                        Ec2Code::InvalidSnapshotNotFound,
                        format!("The snapshot '{sid}' does not exist."),
                    ))
                }
            };
            mappings.push(ImageMapping {
                device: m.device_name,
                snapshot_id: sid,
                volume_size: ebs.volume_size.unwrap_or(s.volume_size).max(s.volume_size),
                delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
            });
        }
        if mappings.is_empty() {
            return Err(AwsError::new(
                Ec2Code::InvalidBlockDeviceMapping,
                "An EBS-backed image needs at least one block device mapping with a snapshot.",
            ));
        }
        let root = root_device_name.unwrap_or_else(|| mappings[0].device.clone());
        let id = self.rng.resource_id(self.provider.prefix(IdKind::Image));
        self.images.insert(
            id.clone(),
            Box::new(Image {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                name,
                description: description.unwrap_or_default(),
                root_device: root,
                mappings,
                state: ImageState::Available,
                public: false,
                launch_permissions: BTreeSet::new(),
                created: self.now,
                architecture: architecture.unwrap_or_else(|| "x86_64".into()),
                virtualization: virtualization.unwrap_or_else(|| "hvm".into()),
                ena_support: ena_support.unwrap_or(true),
                source: None,
                tags: tags.get("image"),
            }),
        );
        Ok(json!({"ImageId": id}))
    }

    pub(crate) fn check_image_name(&self, caller: &Caller, name: &str) -> AwsResult<()> {
        if name.len() < 3 || name.len() > 128 {
            return Err(AwsError::new(
                Ec2Code::InvalidAmiNameMalformed,
                "AMI names must be between 3 and 128 characters long.",
            ));
        }
        if self
            .images
            .values()
            .any(|i| i.account == caller.account && i.region == caller.region && i.name == name)
        {
            return Err(AwsError::new(
                Ec2Code::InvalidAmiNameDuplicate,
                format!("AMI name {name} is already in use by another AMI"),
            ));
        }
        Ok(())
    }

    pub(crate) fn create_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let instance_id = q.str("InstanceId")?;
        let name = q.str("Name")?;
        let description = q.opt_str("Description")?;
        q.opt_bool("NoReboot")?;
        let tags = TagSpecs::read(q, &["image", "snapshot"])?;
        self.check_image_name(caller, &name)?;
        let inst = self.instance_owned(caller, &instance_id)?.clone();
        let mut mappings = Vec::new();
        for (dev, vid) in &inst.volumes {
            let sid = self.create_snapshot_inner(
                caller,
                vid,
                format!("Created by CreateImage({}) for {}", instance_id, name),
            )?;
            if let Some(s) = self.snapshots.get_mut(&sid) {
                s.tags = tags.get("snapshot");
            }
            let size = self.volumes.get(vid).map(|v| v.size_gib).unwrap_or(8);
            mappings.push(ImageMapping {
                device: dev.clone(),
                snapshot_id: sid,
                volume_size: size,
                delete_on_termination: true,
            });
        }
        if mappings.is_empty() {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                "The instance has no volumes.",
            ));
        }
        let id = self.rng.resource_id(self.provider.prefix(IdKind::Image));
        self.images.insert(
            id.clone(),
            Box::new(Image {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                name,
                description: description.unwrap_or_default(),
                root_device: mappings[0].device.clone(),
                mappings,
                state: ImageState::Pending,
                public: false,
                launch_permissions: BTreeSet::new(),
                created: self.now,
                architecture: "x86_64".into(),
                virtualization: "hvm".into(),
                ena_support: true,
                source: None,
                tags: tags.get("image"),
            }),
        );
        self.schedule(SNAPSHOT_SECONDS, Pending::ImageAvailable(id.clone()));
        Ok(json!({"ImageId": id}))
    }

    pub(crate) fn copy_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let source_image_id = q.str("SourceImageId")?;
        let source_region = q.str("SourceRegion")?;
        let name = q.str("Name")?;
        let encrypted = q.opt_bool("Encrypted")?;
        let kms_key_id = q.opt_str("KmsKeyId")?;
        let description = q.opt_str("Description")?;
        let copy_tags = q.opt_bool("CopyImageTags")?.unwrap_or(false);
        let tags = TagSpecs::read(q, &["image", "snapshot"])?;
        if kms_key_id.is_some() && encrypted != Some(true) {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterDependency,
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        let img = match self.images.get(&source_image_id) {
            Some(i)
                if i.region == source_region
                    && (i.account == caller.account
                        || i.public
                        || i.launch_permissions.contains(&caller.account)) =>
            {
                i.clone()
            }
            _ => {
                return Err(AwsError::new(
                    Ec2Code::InvalidAmiIdNotFound,
                    format!("The image id '[{}]' does not exist", source_image_id),
                ))
            }
        };
        self.check_image_name(caller, &name)?;
        let mut mappings = Vec::new();
        for m in &img.mappings {
            let sid = self.copy_snapshot_inner(
                caller,
                &m.snapshot_id,
                &source_region,
                encrypted,
                kms_key_id.as_deref(),
                Some(format!(
                    "Copied for DestinationAmi from SourceAmi {} in {}",
                    img.id, source_region
                )),
            )?;
            if let Some(s) = self.snapshots.get_mut(&sid) {
                s.tags = tags.get("snapshot");
            }
            mappings.push(ImageMapping {
                device: m.device.clone(),
                snapshot_id: sid,
                volume_size: m.volume_size,
                delete_on_termination: m.delete_on_termination,
            });
        }
        // CopyImageTags copies the source AMI's user-defined tags; TagSpecifications' image
        // tags are added on top (API_CopyImage).
        let mut image_tags = if copy_tags {
            img.tags.clone()
        } else {
            Tags::new()
        };
        image_tags.extend(tags.get("image"));
        let id = self.rng.resource_id(self.provider.prefix(IdKind::Image));
        self.images.insert(
            id.clone(),
            Box::new(Image {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                name,
                description: description.unwrap_or_else(|| img.description.clone()),
                root_device: img.root_device.clone(),
                mappings,
                state: ImageState::Pending,
                public: false,
                launch_permissions: BTreeSet::new(),
                created: self.now,
                architecture: img.architecture.clone(),
                virtualization: img.virtualization.clone(),
                ena_support: img.ena_support,
                source: Some((img.id.clone(), source_region.clone())),
                tags: image_tags,
            }),
        );
        self.schedule(SNAPSHOT_SECONDS + 1, Pending::ImageAvailable(id.clone()));
        Ok(json!({"ImageId": id}))
    }

    pub(crate) fn modify_image_attribute(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let (image_id, add, remove) = permission_request(q, &IMAGE_PERMISSION)?;
        let img = match self.images.get(&image_id) {
            Some(i) if i.account == caller.account && i.region == caller.region => i.clone(),
            _ => {
                return Err(AwsError::new(
                    Ec2Code::InvalidAmiIdNotFound,
                    format!("The image id '[{image_id}]' does not exist"),
                ))
            }
        };
        let encs: Vec<Option<Encryption>> = img
            .mappings
            .iter()
            .map(|m| {
                self.snapshots
                    .get(&m.snapshot_id)
                    .and_then(|s| s.encryption.clone())
            })
            .collect();
        for (user, group) in &add {
            if group.is_some() && encs.iter().any(Option::is_some) {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameter,
                    "Images with encrypted snapshots can't be made public.",
                ));
            }
            if user.is_some()
                && encs.iter().flatten().any(|e| {
                    self.kms
                        .keys
                        .values()
                        .any(|k| k.arn == e.kms_key_arn && k.aws_managed)
                })
            {
                return Err(AwsError::new(Ec2Code::InvalidParameter, "Images with EBS-encrypted snapshots using the AWS managed key can't be shared."));
            }
        }
        if let Some(im) = self.images.get_mut(&image_id) {
            apply_grantees(&mut im.launch_permissions, &mut im.public, add, remove);
        }
        Ok(json!({}))
    }

    /// `DescribeImages`.
    pub(crate) fn describe_images(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let image_ids = q.opt_strs("ImageIds")?;
        let owners = q.opt_strs("Owners")?;
        q.opt_strs("ExecutableUsers")?;
        let filters = Filters::read(q, IMAGE_FILTERS)?;
        let owners = owner_accounts(caller, owners);
        let list: Vec<Value> = self
            .images
            .values()
            .filter(|i| {
                i.region == caller.region
                    && (i.account == caller.account
                        || i.public
                        || i.launch_permissions.contains(&caller.account))
            })
            .filter(|i| image_ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
            .filter(|i| owners.as_ref().is_none_or(|o| o.contains(&i.account)))
            .map(|i| {
                i.to_json(|sid| {
                    self.snapshots.get(sid).map(|s| {
                        (
                            s.encryption.is_some(),
                            s.encryption.as_ref().map(|e| e.kms_key_arn.clone()),
                        )
                    })
                })
            })
            .collect();
        if let Some(ids) = &image_ids {
            if list.len() < ids.len() {
                let missing = ids
                    .iter()
                    .find(|id| !list.iter().any(|v| v["ImageId"] == json!(id)))
                    .cloned()
                    .unwrap_or_default();
                return Err(AwsError::new(
                    Ec2Code::InvalidAmiIdNotFound,
                    format!("The image id '[{missing}]' does not exist"),
                ));
            }
        }
        let list: Vec<Value> = list.into_iter().filter(|v| filters.pass(v)).collect();
        Ok(json!({"Images": list}))
    }

    /// `DeregisterImage`.
    pub(crate) fn deregister_image(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let image_id = q.str("ImageId")?;
        match self.images.get(&image_id) {
            Some(i) if i.account == caller.account && i.region == caller.region => {
                self.images.remove(&image_id);
                // DeregisterImage's output shape: `Return` (and `DeleteSnapshotResults`, only
                // when DeleteAssociatedSnapshots is asked for; the playground keeps them).
                Ok(json!({"Return": true}))
            }
            _ => Err(AwsError::new(
                Ec2Code::InvalidAmiIdNotFound,
                format!("The image id '[{}]' does not exist", image_id),
            )),
        }
    }
}
