//! EBS volumes: CreateVolume, DescribeVolumes, DeleteVolume, AttachVolume, DetachVolume.

use super::*;

impl Sim {
    pub(crate) fn volume_owned(&self, caller: &Caller, id: &str) -> AwsResult<&Volume> {
        match self.volumes.get(id) {
            Some(v) if v.account == caller.account && v.region == caller.region => Ok(v),
            _ => Err(AwsError::new(
                Ec2Code::InvalidVolumeNotFound,
                format!("The volume '{id}' does not exist."),
            )),
        }
    }

    /// Creates a volume (for CreateVolume and for launches). Returns its id, or a synchronous error.
    /// KMS failures do not fail the request: the volume stays `creating` and then disappears.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_volume_inner(
        &mut self,
        caller: &Caller,
        az: &str,
        size: Option<u64>,
        snapshot_id: Option<&str>,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
        volume_type: &str,
    ) -> AwsResult<(String, Result<(), String>)> {
        if !self.provider.zones(&caller.region).iter().any(|z| z == az) {
            return Err(AwsError::new(
                Ec2Code::InvalidZoneNotFound,
                format!("The zone '{az}' does not exist."),
            ));
        }
        const TYPES: &[&str] = &["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"];
        if !TYPES.contains(&volume_type) {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!(
                    "Value ({volume_type}) for parameter volumeType is invalid. Valid values: {}",
                    TYPES.join(", ")
                ),
            ));
        }
        let source = match snapshot_id {
            Some(sid) => {
                let s = self.snapshot_visible(caller, sid, &caller.region)?;
                if s.state != SnapshotState::Completed {
                    return Err(AwsError::new(
                        Ec2Code::IncorrectState,
                        format!("Snapshot is in invalid state - {}", s.state.as_str()),
                    ));
                }
                Some(self.source_of_snapshot(&s.clone()))
            }
            None => None,
        };
        let size = match (size, &source) {
            (Some(n), Some(s)) if n < s.size => {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!("Volume of {n}GiB is too small; minimum is {}GiB.", s.size),
                ))
            }
            (Some(n), _) => n,
            (None, Some(s)) => s.size,
            (None, None) => {
                return Err(AwsError::new(
                    Ec2Code::MissingParameter,
                    "The request must contain the parameter size or snapshotId",
                ))
            }
        };
        if size == 0 || size > self.provider.max_volume_gib {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!(
                    "Volume size must be between 1 and {} GiB.",
                    self.provider.max_volume_gib
                ),
            ));
        }
        let plan = self.decide_encryption(caller, source.as_ref(), encrypted, kms_key_id)?;
        let id = self.rng.resource_id(self.provider.prefix(IdKind::Volume));
        if let (Some(src), true) = (
            &source,
            source.as_ref().is_some_and(|s| s.owner != caller.account),
        ) {
            let sid = src.snapshot_id.clone().unwrap_or_default();
            let owner = src.owner.clone();
            self.event(
                Participant::Ec2,
                Participant::EventBridge,
                "SharedSnapshotVolumeCreated",
                &owner,
                &caller.region,
                json!({"snapshotId": sid, "recipientAccount": caller.account, "volumeId": id}),
                None,
            );
        }
        let result = self.encrypt_new_resource(caller, &id, &plan, source);
        let (encryption, sectors, outcome) = match result {
            Ok((e, s)) => (e, s, Ok(())),
            Err(e) => (None, BTreeMap::new(), Err(e.message)),
        };
        let vol = Volume {
            id: id.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            az: az.into(),
            size_gib: size,
            volume_type: volume_type.into(),
            state: VolumeState::Creating,
            created: self.now,
            snapshot_id: snapshot_id.map(str::to_string),
            encryption: encryption.or_else(|| match &plan {
                EncryptionPlan::Encrypt { key_arn, .. } => Some(Encryption {
                    kms_key_arn: key_arn.clone(),
                    wrapped_key: vec![],
                    context: Context::new(),
                    data_key_id: String::new(),
                }),
                EncryptionPlan::None => None,
            }),
            attachment: None,
            sectors: Sectors(sectors),
            changed: BTreeSet::new(),
            last_snapshot: None,
            tags: Tags::new(),
            host_key: None,
        };
        let mut vol = vol;
        // `extend` inserts in key order; `collect` would sort first (and add a sort to the wasm).
        vol.changed.extend(vol.sectors.0.keys().copied());
        self.volumes.insert(id.clone(), Box::new(vol));
        Ok((id, outcome))
    }

    pub(crate) fn schedule_volume(&mut self, id: &str, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.schedule(VOLUME_CREATE_SECONDS, Pending::VolumeReady(id.into())),
            Err(cause) => self.schedule(
                VOLUME_CREATE_SECONDS,
                Pending::VolumeFailed {
                    volume: id.into(),
                    cause,
                },
            ),
        }
    }

    pub(crate) fn attach_volume_to(
        &mut self,
        caller: &Caller,
        vol_id: &str,
        inst_id: &str,
        device: &str,
    ) -> AwsResult<Value> {
        let v = self.volume_owned(caller, vol_id)?.clone();
        let inst = self.instance_owned(caller, inst_id)?.clone();
        if v.state != VolumeState::Available {
            return Err(AwsError::new(
                Ec2Code::IncorrectState,
                format!("vol '{vol_id}' is not 'available'."),
            ));
        }
        if v.az != inst.az {
            return Err(AwsError::new(Ec2Code::InvalidVolumeZoneMismatch, format!("The volume '{vol_id}' is not in the same availability zone as instance '{inst_id}'")));
        }
        if !matches!(inst.state, InstanceState::Running | InstanceState::Stopped) {
            return Err(AwsError::new(
                Ec2Code::IncorrectInstanceState,
                format!("The instance '{inst_id}' is not in the 'running' or 'stopped' state."),
            ));
        }
        if !device.starts_with("/dev/") || device.len() < 7 {
            return Err(AwsError::new(Ec2Code::InvalidParameterValue, format!("Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name.")));
        }
        if inst.volumes.iter().any(|(d, _)| d == device) {
            return Err(AwsError::new(Ec2Code::InvalidParameterValue, format!("Invalid value '{device}' for unixDevice. Attachment point {device} is already in use")));
        }
        if v.encryption.is_some()
            && self
                .provider
                .instance_type_supports_encryption(&inst.instance_type)
                == Some(false)
        {
            return Err(AwsError::new(
                Ec2Code::UnsupportedOperation,
                format!(
                    "The instance type {} does not support EBS encryption.",
                    inst.instance_type
                ),
            ));
        }
        if let Some(vv) = self.volumes.get_mut(vol_id) {
            vv.attachment = Some(Attachment {
                instance_id: inst_id.into(),
                device: device.into(),
                attach_time: self.now,
                grant_id: None,
                delete_on_termination: false,
            });
            vv.state = VolumeState::InUse;
        }
        if inst.state == InstanceState::Running {
            if let Err(e) = self.load_key_into_host(caller, vol_id, inst_id) {
                if let Some(vv) = self.volumes.get_mut(vol_id) {
                    vv.attachment = None;
                    vv.state = VolumeState::Available;
                }
                // EventBridge's cause names the key's state in KMS's words ("arn:… is pending
                // deletion.", "arn:… is disabled."); other refusals keep EC2's sentence.
                let cause = if e.code == KmsCode::KmsInvalidStateException
                    || e.code == KmsCode::DisabledException
                {
                    e.message
                } else {
                    "The encrypted volume was unable to access the KMS key.".to_string()
                };
                self.event(Participant::Ec2, Participant::EventBridge, "attachVolume", &caller.account, &caller.region, json!({"event": "attachVolume", "result": "failed", "cause": cause, "volumeId": vol_id, "instanceId": inst_id}), None);
                return Err(AwsError::new(Ec2Code::CustomerKeyHasBeenRevoked, format!("Volume {vol_id} cannot be attached. The encrypted volume was unable to access the KMS key.")));
            }
        }
        if let Some(i) = self.instances.get_mut(inst_id) {
            i.volumes.push((device.into(), vol_id.into()));
        }
        Ok(
            json!({"AttachTime": crate::model::clock::iso(self.now), "Device": device, "InstanceId": inst_id, "State": "attaching", "VolumeId": vol_id}),
        )
    }

    /// `CreateVolume`.
    pub(crate) fn create_volume(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let availability_zone =
            match (
                q.opt_str("AvailabilityZone")?,
                q.opt_str("AvailabilityZoneId")?,
            ) {
                (Some(z), None) => z,
                (None, Some(id)) => self.provider.zone_of_id(&id).ok_or_else(|| {
                    AwsError::new(
                        Ec2Code::InvalidParameterValue,
                        format!("Invalid availability zone id: [{id}]"),
                    )
                })?,
                (Some(_), Some(_)) => {
                    return Err(AwsError::new(
                        Ec2Code::InvalidParameterCombination,
                        "Only one of AvailabilityZone or AvailabilityZoneId can be specified.",
                    ))
                }
                (None, None) => return Err(AwsError::new(
                    Ec2Code::MissingParameter,
                    "The request must contain the parameter AvailabilityZone or AvailabilityZoneId",
                )),
            };
        let size = q.opt_u64("Size")?;
        let snapshot_id = q.opt_str("SnapshotId")?;
        let volume_type = q.opt_str("VolumeType")?;
        let encrypted = q.opt_bool("Encrypted")?;
        let kms_key_id = q.opt_str("KmsKeyId")?;
        q.opt_u64("Iops")?;
        q.opt_u64("Throughput")?;
        let tags = TagSpecs::read(q, &["volume"])?.get("volume");
        let (id, outcome) = self.create_volume_inner(
            caller,
            &availability_zone,
            size,
            snapshot_id.as_deref(),
            encrypted,
            kms_key_id.as_deref(),
            volume_type.as_deref().unwrap_or("gp3"),
        )?;
        self.schedule_volume(&id, outcome);
        if let Some(v) = self.volumes.get_mut(&id) {
            v.tags = tags;
        }
        Ok(self
            .volumes
            .get(&id)
            .map(|v| v.to_json())
            .unwrap_or(Value::Null))
    }

    /// `DescribeVolumes`.
    pub(crate) fn describe_volumes(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let volume_ids = q.opt_strs("VolumeIds")?;
        let filters = Filters::read(q, VOLUME_FILTERS)?;
        q.opt_u64("MaxResults")?;
        if let Some(ids) = &volume_ids {
            for id in ids {
                self.volume_owned(caller, id)?;
            }
        }
        let list: Vec<Value> = self
            .volumes
            .values()
            .filter(|v| {
                v.account == caller.account
                    && v.region == caller.region
                    && volume_ids.as_ref().is_none_or(|ids| ids.contains(&v.id))
            })
            .map(|v| v.to_json())
            .filter(|v| filters.pass(v))
            .collect();
        Ok(json!({"Volumes": list}))
    }

    /// `DeleteVolume`.
    pub(crate) fn delete_volume(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let volume_id = q.str("VolumeId")?;
        let v = self.volume_owned(caller, &volume_id)?;
        if v.attachment.is_some() {
            return Err(AwsError::new(
                Ec2Code::VolumeInUse,
                format!(
                    "Volume {} is currently attached to {}",
                    v.id,
                    v.attachment
                        .as_ref()
                        .map(|x| x.instance_id.clone())
                        .unwrap_or_default()
                ),
            ));
        }
        if v.state == VolumeState::Creating {
            return Err(AwsError::new(
                Ec2Code::IncorrectState,
                format!("The volume '{}' is 'creating'", v.id),
            ));
        }
        self.volumes.remove(&volume_id);
        Ok(json!({}))
    }

    /// `AttachVolume`.
    pub(crate) fn attach_volume(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let volume_id = q.str("VolumeId")?;
        let instance_id = q.str("InstanceId")?;
        let device = q.str("Device")?;
        self.attach_volume_to(caller, &volume_id, &instance_id, &device)
    }

    /// `DetachVolume`.
    pub(crate) fn detach_volume(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let volume_id = q.str("VolumeId")?;
        let instance_id = q.opt_str("InstanceId")?;
        q.opt_str("Device")?;
        q.opt_bool("Force")?;
        let v = self.volume_owned(caller, &volume_id)?;
        let Some(att) = v.attachment.clone() else {
            return Err(AwsError::new(
                Ec2Code::IncorrectState,
                format!("Volume '{}' is in the 'available' state.", volume_id),
            ));
        };
        if instance_id.as_ref().is_some_and(|i| *i != att.instance_id) {
            return Err(AwsError::new(
                Ec2Code::InvalidAttachmentNotFound,
                format!(
                    "The volume {} is not attached to {}",
                    volume_id,
                    instance_id.unwrap_or_default()
                ),
            ));
        }
        self.unload_key(caller, &volume_id, "detach");
        if let Some(v) = self.volumes.get_mut(&volume_id) {
            v.attachment = None;
            v.state = VolumeState::Available;
        }
        if let Some(i) = self.instances.get_mut(&att.instance_id) {
            i.volumes.retain(|(_, vid)| *vid != volume_id);
        }
        Ok(
            json!({"AttachTime": crate::model::clock::iso(att.attach_time), "Device": att.device, "InstanceId": att.instance_id, "State": "detaching", "VolumeId": volume_id}),
        )
    }
}
