//! EC2 instances and launch templates: run (with the encryption of each block device),
//! describe, stop, start, reboot, terminate.

use super::*;
use crate::model::ops::{member_names, LAUNCH_TEMPLATE_DATA};

impl Sim {
    pub(crate) fn instance_owned(&self, caller: &Caller, id: &str) -> AwsResult<&Instance> {
        match self.instances.get(id) {
            Some(i) if i.account == caller.account && i.region == caller.region => Ok(i),
            _ => Err(AwsError::new(
                Ec2Code::InvalidInstanceIdNotFound,
                format!("The instance ID '{id}' does not exist"),
            )),
        }
    }

    /// RunInstances (also used by Auto Scaling, with the service-linked role as `caller`).
    pub(crate) fn launch_instances(
        &mut self,
        caller: &Caller,
        p: &Value,
        asg: Option<&str>,
    ) -> AwsResult<Value> {
        let q = Params::for_operation(Service::Ec2, "RunInstances", p)?;
        // RunInstances tags the instances and their volumes (API_RunInstances, TagSpecifications;
        // network interfaces and the rest are not modelled).
        const LAUNCH_TAGGABLE: &[&str] = &["instance", "volume"];
        let mut tag_specs = TagSpecs::read(&q, LAUNCH_TAGGABLE)?;
        let key_name = q.opt_str("KeyName")?;
        q.opt_strs("SecurityGroupIds")?;
        q.opt_str("SubnetId")?;
        q.opt_str("UserData")?;
        let mut image_id = q.opt_str("ImageId")?;
        let mut instance_type = q.opt_str("InstanceType")?;
        let min_count = q.opt_u64("MinCount")?;
        let max_count = q.opt_u64("MaxCount")?;
        let mut mappings = block_device_mappings(&q)?;
        let zone = match q.opt_struct("Placement", &["AvailabilityZone", "Tenancy"])? {
            Some(pl) => {
                pl.opt_str("Tenancy")?;
                pl.opt_str("AvailabilityZone")?
            }
            None => None,
        };
        let template = q.opt_struct(
            "LaunchTemplate",
            &["LaunchTemplateName", "LaunchTemplateId", "Version"],
        )?;
        if let Some(lt) = template {
            lt.opt_str("Version")?;
            let (lt_id, lt_name) = (
                lt.opt_str("LaunchTemplateId")?,
                lt.opt_str("LaunchTemplateName")?,
            );
            let t = self
                .launch_templates
                .values()
                .find(|t| {
                    (lt_id.as_ref() == Some(&t.id) || lt_name.as_ref() == Some(&t.name))
                        && t.is_in(caller)
                })
                .cloned();
            let Some(t) = t else {
                return Err(AwsError::new(
                    Ec2Code::InvalidLaunchTemplateNameNotFound,
                    "The specified launch template does not exist.",
                ));
            };
            let data = Params::new("ec2", &t.data, &member_names(LAUNCH_TEMPLATE_DATA))?;
            image_id = image_id.or(data.opt_str("ImageId")?);
            instance_type = instance_type.or(data.opt_str("InstanceType")?);
            if mappings.is_none() {
                mappings = block_device_mappings(&data)?;
            }
            // The template's tag specifications apply too; the request's win for a key both give.
            tag_specs = TagSpecs::read(&data, LAUNCH_TAGGABLE)?.merged(tag_specs);
        }
        let Some(image_id) = image_id else {
            return Err(AwsError::new(
                Ec2Code::MissingParameter,
                "The request must contain the parameter ImageId",
            ));
        };
        let count = max_count.or(min_count).unwrap_or(1);
        if count == 0 || count > 20 || min_count.unwrap_or(1) > count {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                "MinCount and MaxCount must be between 1 and 20, with MinCount ≤ MaxCount.",
            ));
        }
        let img = match self.images.get(&image_id) {
            Some(i)
                if i.region == caller.region
                    && (i.account == caller.account
                        || i.public
                        || i.launch_permissions.contains(&caller.account)) =>
            {
                i.clone()
            }
            _ => {
                return Err(AwsError::new(
                    Ec2Code::InvalidAmiIdNotFound,
                    format!("The image id '[{image_id}]' does not exist"),
                ))
            }
        };
        if img.state != ImageState::Available {
            return Err(AwsError::new(
                Ec2Code::InvalidAmiIdUnavailable,
                format!(
                    "Image {} is not available (state {}).",
                    img.id,
                    img.state.as_str()
                ),
            ));
        }
        let itype = instance_type.unwrap_or_else(|| "t3.micro".into());
        let Some(supports) = self.provider.instance_type_supports_encryption(&itype) else {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("Invalid value '{itype}' for InstanceType."),
            ));
        };
        let az = match zone {
            Some(z) if self.provider.zones(&caller.region).contains(&z) => z,
            Some(z) => {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!("Invalid availability zone: [{z}]"),
                ))
            }
            None => format!("{}a", caller.region),
        };
        // Merge the image's mappings with the request's per-device overrides.
        struct Plan {
            device: String,
            snapshot: Option<String>,
            size: Option<u64>,
            vtype: String,
            encrypted: Option<bool>,
            key: Option<String>,
            dot: bool,
        }
        let mut plans: Vec<Plan> = img
            .mappings
            .iter()
            .map(|m| Plan {
                device: m.device.clone(),
                snapshot: Some(m.snapshot_id.clone()),
                size: Some(m.volume_size),
                vtype: "gp3".into(),
                encrypted: None,
                key: None,
                dot: m.delete_on_termination,
            })
            .collect();
        for b in mappings.unwrap_or_default() {
            if b.no_device {
                plans.retain(|p| p.device != b.device_name);
                continue;
            }
            let Some(e) = b.ebs else { continue };
            match plans.iter_mut().find(|p| p.device == b.device_name) {
                Some(pl) => {
                    if e.snapshot_id
                        .as_ref()
                        .is_some_and(|s| Some(s) != pl.snapshot.as_ref())
                    {
                        return Err(AwsError::new(
                            Ec2Code::InvalidBlockDeviceMapping,
                            format!(
                                "The snapshot of device {} cannot be changed at launch.",
                                b.device_name
                            ),
                        ));
                    }
                    pl.size = e.volume_size.or(pl.size);
                    pl.vtype = e.volume_type.unwrap_or_else(|| pl.vtype.clone());
                    pl.encrypted = e.encrypted;
                    pl.key = e.kms_key_id;
                    pl.dot = e.delete_on_termination.unwrap_or(pl.dot);
                }
                None => plans.push(Plan {
                    device: b.device_name,
                    snapshot: e.snapshot_id,
                    size: e.volume_size,
                    vtype: e.volume_type.unwrap_or_else(|| "gp3".into()),
                    encrypted: e.encrypted,
                    key: e.kms_key_id,
                    dot: e.delete_on_termination.unwrap_or(true),
                }),
            }
        }
        // Validate every mapping before anything is created (seed 001: KmsKeyId without Encrypted is an error).
        let mut will_encrypt = false;
        for pl in &plans {
            let src = match &pl.snapshot {
                Some(s) => Some(self.source_of_snapshot(
                    &self.snapshot_visible(caller, s, &caller.region)?.clone(),
                )),
                None => None,
            };
            if pl.size.is_none() && src.is_none() {
                return Err(AwsError::new(
                    Ec2Code::InvalidBlockDeviceMapping,
                    format!("Device {} needs a snapshot or a volume size.", pl.device),
                ));
            }
            if self.decide_encryption(caller, src.as_ref(), pl.encrypted, pl.key.as_deref())?
                != EncryptionPlan::None
            {
                will_encrypt = true;
            }
        }
        if will_encrypt && !supports {
            return Err(AwsError::new(Ec2Code::UnsupportedOperation, format!("The instance type {itype} does not support EBS encryption, which this launch requires (encryption by default, an encrypted snapshot, or Encrypted=true).")));
        }
        let reservation = self
            .rng
            .resource_id(self.provider.prefix(IdKind::Reservation));
        let mut out = Vec::new();
        let client_token = crate::model::network::derived_uuid(&[&reservation]);
        for launch_index in 0..count {
            let iid = self.rng.resource_id(self.provider.prefix(IdKind::Instance));
            self.instances.insert(
                iid.clone(),
                Box::new(Instance {
                    id: iid.clone(),
                    account: caller.account.clone(),
                    region: caller.region.clone(),
                    az: az.clone(),
                    image_id: img.id.clone(),
                    instance_type: itype.clone(),
                    state: InstanceState::Pending,
                    state_reason: None,
                    launched: self.now,
                    reservation_id: reservation.clone(),
                    volumes: vec![],
                    asg: asg.map(str::to_string),
                    launch_index,
                    key_name: key_name.clone(),
                    client_token: client_token.clone(),
                    tags: tag_specs.get("instance"),
                }),
            );
            let mut failure: Option<String> = None;
            for pl in &plans {
                let (vid, outcome) = self.create_volume_inner(
                    caller,
                    &az,
                    pl.size,
                    pl.snapshot.as_deref(),
                    pl.encrypted,
                    pl.key.as_deref(),
                    &pl.vtype,
                )?;
                if let Err(c) = outcome {
                    failure.get_or_insert(c);
                }
                if let Some(v) = self.volumes.get_mut(&vid) {
                    v.tags = tag_specs.get("volume");
                    v.state = VolumeState::InUse;
                    v.attachment = Some(Attachment {
                        instance_id: iid.clone(),
                        device: pl.device.clone(),
                        attach_time: self.now,
                        grant_id: None,
                        delete_on_termination: pl.dot,
                    });
                }
                if let Some(i) = self.instances.get_mut(&iid) {
                    i.volumes.push((pl.device.clone(), vid.clone()));
                }
                if failure.is_none() {
                    if let Err(e) = self.load_key_into_host(caller, &vid, &iid) {
                        failure = Some(e.message);
                    }
                }
            }
            match failure {
                None => self.schedule(INSTANCE_SECONDS, Pending::InstanceRunning(iid.clone())),
                Some(_) => self.schedule(INSTANCE_SECONDS, Pending::InstanceFailed { instance: iid.clone(), code: "Client.InvalidKMSKey.InvalidState".into(), message: "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state".into() }),
            }
            out.push(
                self.instances
                    .get(&iid)
                    .map(|i| i.to_json(&self.volumes, &self.provider))
                    .unwrap_or(Value::Null),
            );
        }
        Ok(
            json!({"Groups": [], "Instances": out, "OwnerId": caller.account, "ReservationId": reservation}),
        )
    }

    pub(crate) fn change_instance_state(
        &mut self,
        caller: &Caller,
        op: &str,
        id: &str,
    ) -> AwsResult<Value> {
        let inst = self.instance_owned(caller, id)?.clone();
        let prev = inst.state;
        let vols: Vec<String> = inst.volumes.iter().map(|(_, v)| v.clone()).collect();
        let next = match op {
            "StopInstances" => match prev {
                InstanceState::Running | InstanceState::Pending => {
                    for v in &vols {
                        self.unload_key(caller, v, "stop");
                    }
                    self.schedule(INSTANCE_SECONDS / 2, Pending::InstanceStopped(id.into()));
                    InstanceState::Stopping
                }
                InstanceState::Stopped | InstanceState::Stopping => prev,
                _ => {
                    return Err(AwsError::new(
                        Ec2Code::IncorrectInstanceState,
                        format!(
                            "This instance '{id}' is not in a state from which it can be stopped."
                        ),
                    ))
                }
            },
            "StartInstances" => match prev {
                InstanceState::Stopped => {
                    let mut failure = None;
                    for v in &vols {
                        if let Err(e) = self.load_key_into_host(caller, v, id) {
                            failure = Some(e.message);
                            break;
                        }
                    }
                    match failure {
                        None => self.schedule(INSTANCE_SECONDS, Pending::InstanceRunning(id.into())),
                        Some(_) => self.schedule(INSTANCE_SECONDS / 2, Pending::InstanceStartFailed { instance: id.into(), code: "Client.InvalidKMSKey.InvalidState".into(), message: "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state".into() }),
                    }
                    if let Some(i) = self.instances.get_mut(id) {
                        i.state_reason = None;
                    }
                    InstanceState::Pending
                }
                InstanceState::Running | InstanceState::Pending => prev,
                _ => {
                    return Err(AwsError::new(
                        Ec2Code::IncorrectInstanceState,
                        format!(
                            "The instance '{id}' is not in a state from which it can be started."
                        ),
                    ))
                }
            },
            "RebootInstances" => {
                if prev != InstanceState::Running {
                    return Err(AwsError::new(
                        Ec2Code::IncorrectInstanceState,
                        format!("The instance '{id}' is not in the 'running' state."),
                    ));
                }
                self.record(
                    CallSpec {
                        from: Participant::Ec2,
                        to: Participant::Host,
                        operation: "RebootGuest".into(),
                        request: json!({"InstanceId": id}),
                        principal: self.provider.ec2_service(&caller.region),
                        account: caller.account.clone(),
                        region: caller.region.clone(),
                        key_location: Some(KeyLocation::HostMemory),
                        approximation: Some("A reboot stays on the same host, so the plaintext data keys stay in host memory and no KMS call is made (AWS documents this for key deletion; Alibaba ECS documents that a reboot after disabling the key hangs disk I/O).".into()),
                        ..CallSpec::default()
                    },
                    json!({}),
                    None,
                );
                prev
            }
            _ => {
                if prev == InstanceState::Terminated {
                    prev
                } else {
                    self.terminate_now(caller, id);
                    self.schedule(INSTANCE_SECONDS / 2, Pending::InstanceTerminated(id.into()));
                    InstanceState::ShuttingDown
                }
            }
        };
        if let Some(i) = self.instances.get_mut(id) {
            i.state = next;
        }
        Ok(
            json!({"InstanceId": id, "CurrentState": next.to_json(), "PreviousState": prev.to_json()}),
        )
    }

    /// Drops the instance's data keys and grants, deletes volumes marked DeleteOnTermination, detaches the rest.
    pub(crate) fn terminate_now(&mut self, caller: &Caller, id: &str) {
        let vols: Vec<String> = self
            .instances
            .get(id)
            .map(|i| i.volumes.iter().map(|(_, v)| v.clone()).collect())
            .unwrap_or_default();
        for v in &vols {
            self.unload_key(caller, v, "terminate");
            let dot = self
                .volumes
                .get(v)
                .and_then(|x| x.attachment.as_ref())
                .is_some_and(|a| a.delete_on_termination);
            if dot {
                self.volumes.remove(v);
            } else if let Some(vol) = self.volumes.get_mut(v) {
                vol.attachment = None;
                vol.state = VolumeState::Available;
            }
        }
        if let Some(i) = self.instances.get_mut(id) {
            i.volumes.clear();
        }
    }

    /// `RunInstances`.
    pub(crate) fn run_instances(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        self.launch_instances(caller, q.request_value(), None)
    }

    /// `DescribeInstances`.
    pub(crate) fn describe_instances(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let instance_ids = q.opt_strs("InstanceIds")?;
        let filters = Filters::read(q, INSTANCE_FILTERS)?;
        if let Some(ids) = &instance_ids {
            for id in ids {
                self.instance_owned(caller, id)?;
            }
        }
        let mut by_res: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for i in self.instances.values().filter(|i| {
            i.account == caller.account
                && i.region == caller.region
                && instance_ids.as_ref().is_none_or(|ids| ids.contains(&i.id))
        }) {
            let json = i.to_json(&self.volumes, &self.provider);
            if filters.pass(&json) {
                by_res
                    .entry(i.reservation_id.clone())
                    .or_default()
                    .push(json);
            }
        }
        Ok(
            json!({"Reservations": by_res.into_iter().map(|(r, is)| json!({"Groups": [], "Instances": is, "OwnerId": caller.account, "ReservationId": r})).collect::<Vec<_>>()}),
        )
    }

    /// `StopInstances` and `StartInstances` and `RebootInstances` and `TerminateInstances`.
    pub(crate) fn change_instances_state(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let op = q.operation();
        let instance_ids = q.strs("InstanceIds")?;
        q.opt_bool("Force")?;
        q.opt_bool("Hibernate")?;
        if instance_ids.is_empty() {
            return Err(AwsError::new(
                Ec2Code::MissingParameter,
                "The request must contain the parameter InstanceIds",
            ));
        }
        for id in &instance_ids {
            self.instance_owned(caller, id)?;
        }
        let mut changes = Vec::new();
        for id in &instance_ids {
            changes.push(self.change_instance_state(caller, op, id)?);
        }
        let key = match op {
            "StopInstances" => "StoppingInstances",
            "StartInstances" => "StartingInstances",
            "TerminateInstances" => "TerminatingInstances",
            _ => return Ok(json!({})),
        };
        Ok(json!({ key: changes }))
    }

    /// `CreateLaunchTemplate`.
    pub(crate) fn create_launch_template(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let launch_template_name = q.str("LaunchTemplateName")?;
        let launch_template_data =
            q.required("LaunchTemplateData", q.raw("LaunchTemplateData").cloned())?;
        q.opt_str("VersionDescription")?;
        let tags = TagSpecs::read(q, &["launch-template"])?.get("launch-template");
        if !launch_template_data.is_object() {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                "LaunchTemplateData must be a structure.",
            ));
        }
        if self
            .launch_templates
            .values()
            .any(|t| t.name == launch_template_name && t.is_in(caller))
        {
            return Err(AwsError::new(
                Ec2Code::InvalidLaunchTemplateNameAlreadyExists,
                format!(
                    "Launch template name already in use: {}",
                    launch_template_name
                ),
            ));
        }
        let id = self
            .rng
            .resource_id(self.provider.prefix(IdKind::LaunchTemplate));
        let lt = LaunchTemplate {
            id: id.clone(),
            name: launch_template_name.clone(),
            latest_version: 1,
            default_version: 1,
            create_time: crate::model::clock::iso(self.now),
            account: caller.account.clone(),
            region: caller.region.clone(),
            data: launch_template_data,
            tags,
        };
        let mut out = json!({"LaunchTemplateId": id, "LaunchTemplateName": launch_template_name, "CreateTime": lt.create_time, "CreatedBy": caller.principal, "DefaultVersionNumber": 1, "LatestVersionNumber": 1});
        if !lt.tags.is_empty() {
            out["Tags"] = crate::model::ebs::tags_json(&lt.tags);
        }
        self.launch_templates.insert(id.clone(), Box::new(lt));
        Ok(json!({ "LaunchTemplate": out }))
    }
}

/// A launch template (one version: the playground does not model versions).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct LaunchTemplate {
    /// `lt-…`
    #[serde(rename = "LaunchTemplateId")]
    pub id: String,
    /// The name, unique in its account and region.
    #[serde(rename = "LaunchTemplateName")]
    pub name: String,
    /// Always 1.
    #[serde(rename = "LatestVersionNumber")]
    pub latest_version: u32,
    /// Always 1.
    #[serde(rename = "DefaultVersionNumber")]
    pub default_version: u32,
    /// ISO 8601 creation time.
    #[serde(rename = "CreateTime")]
    pub create_time: String,
    /// Owning account.
    #[serde(rename = "Account")]
    pub account: String,
    /// Region.
    #[serde(rename = "Region")]
    pub region: String,
    /// `LaunchTemplateData` as given: read with the operation table's `TEMPLATE_DATA` members.
    #[serde(rename = "Data")]
    pub data: Value,
    /// Tags of the template itself (CreateLaunchTemplate's `launch-template` tag specification).
    #[serde(rename = "Tags", skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
}

impl LaunchTemplate {
    /// True when the template belongs to the caller's account and region.
    pub fn is_in(&self, caller: &Caller) -> bool {
        self.account == caller.account && self.region == caller.region
    }
}
