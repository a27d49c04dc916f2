//! EBS resources: volumes, snapshots, images and instances, their sparse sector storage and AWS shapes.
//!
//! Sectors are [`SECTOR_SIZE`] bytes. A volume of up to 16 TiB is stored sparsely: only
//! sectors that were written take memory. Encrypted volumes store AES-256-XTS ciphertext
//! (tweak = sector number); the plaintext data key exists only in `host_key` while the
//! volume is attached to a running instance, and is never serialized.

use super::clock::iso;
use super::context::Context;
use super::crypto::{DataKey, SECTOR_SIZE};
use super::network::InstanceNet;
use super::provider::Provider;
use super::rng::to_hex;
use crate::json;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The tags of an EC2 resource: key → value (a key appears once per resource; the value may be
/// empty). See "Tag your Amazon EC2 resources" in the EC2 user guide.
pub type Tags = BTreeMap<String, String>;

/// Tags as EC2 returns them: `[{"Key": …, "Value": …}]`.
pub fn tags_json(tags: &Tags) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

/// Adds `Tags` to a resource's JSON when it has any: EC2 leaves the member out of its
/// describe responses for a resource without tags (the AWS CLI's describe-volumes and
/// describe-snapshots examples show untagged resources without it).
fn put_tags(v: &mut Value, tags: &Tags) {
    if !tags.is_empty() {
        v["Tags"] = tags_json(tags);
    }
}

/// Sector storage: sector number → bytes, serialized as hex.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sectors(pub BTreeMap<u64, Vec<u8>>);

impl Serialize for Sectors {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m: BTreeMap<String, String> = self
            .0
            .iter()
            .map(|(k, v)| (k.to_string(), to_hex(v)))
            .collect();
        m.serialize(s)
    }
}

/// How a volume or snapshot is encrypted: its KMS key and its wrapped data key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Encryption {
    /// ARN of the KMS key that wraps the data key.
    pub kms_key_arn: String,
    /// The data key encrypted under the KMS key (the CiphertextBlob KMS returned), as stored in metadata.
    #[serde(serialize_with = "hex_bytes")]
    pub wrapped_key: Vec<u8>,
    /// The encryption context the data key is bound to.
    pub context: Context,
    /// A label for the plaintext data key (`dk-3`): resources with the same label share one data key.
    pub data_key_id: String,
}

fn hex_bytes<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_hex(b))
}

/// Volume states as EC2 names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum VolumeState {
    /// Being created.
    #[serde(rename = "creating")]
    Creating,
    /// Ready, not attached.
    #[serde(rename = "available")]
    Available,
    /// Attached to an instance.
    #[serde(rename = "in-use")]
    InUse,
}

impl VolumeState {
    /// The state name.
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeState::Creating => "creating",
            VolumeState::Available => "available",
            VolumeState::InUse => "in-use",
        }
    }
}

/// A volume's attachment to an instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// The instance.
    pub instance_id: String,
    /// Device name (`/dev/sdf`).
    pub device: String,
    /// Simulated attach time.
    pub attach_time: u64,
    /// The KMS grant EC2 created for this attachment (retired at detach).
    pub grant_id: Option<String>,
    /// Delete the volume when the instance terminates.
    pub delete_on_termination: bool,
}

/// An EBS volume.
#[derive(Clone, Debug, Serialize)]
pub struct Volume {
    /// `vol-…`
    pub id: String,
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Availability zone.
    pub az: String,
    /// Size in GiB.
    pub size_gib: u64,
    /// gp3, gp2, io1, …
    pub volume_type: String,
    /// State.
    pub state: VolumeState,
    /// Simulated creation time.
    pub created: u64,
    /// The snapshot it was restored from.
    pub snapshot_id: Option<String>,
    /// Encryption, if encrypted.
    pub encryption: Option<Encryption>,
    /// Attachment, if attached.
    pub attachment: Option<Attachment>,
    /// Written sectors (ciphertext when encrypted).
    pub sectors: Sectors,
    /// Sectors written since the last snapshot (what the next snapshot stores).
    pub changed: BTreeSet<u64>,
    /// The latest snapshot of this volume (the parent of the next, incremental one).
    pub last_snapshot: Option<String>,
    /// Tags.
    pub tags: Tags,
    /// The plaintext data key in the host's memory while attached. Never serialized.
    #[serde(skip)]
    pub(crate) host_key: Option<DataKey>,
}

impl Volume {
    /// Whether the host holds this volume's plaintext data key now (while attached).
    pub fn key_in_host(&self) -> bool {
        self.host_key.is_some()
    }

    /// Number of sectors in the volume's logical size.
    pub fn sector_count(&self) -> u64 {
        self.size_gib.saturating_mul(1 << 30) / SECTOR_SIZE as u64
    }

    /// The Volume structure EC2 returns.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "AvailabilityZone": self.az,
            "CreateTime": iso(self.created),
            "Encrypted": self.encryption.is_some(),
            "Size": self.size_gib,
            "SnapshotId": self.snapshot_id.clone().unwrap_or_default(),
            "State": self.state.as_str(),
            "VolumeId": self.id,
            "Iops": if self.volume_type == "gp3" { 3000 } else { 100 },
            "VolumeType": self.volume_type,
            "MultiAttachEnabled": false,
            "Attachments": match &self.attachment {
                Some(a) => json!([{
                    "AttachTime": iso(a.attach_time),
                    "Device": a.device,
                    "InstanceId": a.instance_id,
                    "State": "attached",
                    "VolumeId": self.id,
                    "DeleteOnTermination": a.delete_on_termination,
                }]),
                None => json!([]),
            },
        });
        if let Some(e) = &self.encryption {
            v["KmsKeyId"] = json!(e.kms_key_arn);
        }
        put_tags(&mut v, &self.tags);
        v
    }
}

/// Snapshot states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SnapshotState {
    /// Being copied out.
    #[serde(rename = "pending")]
    Pending,
    /// Complete.
    #[serde(rename = "completed")]
    Completed,
    /// Failed (for example, a copy whose key could not be used).
    #[serde(rename = "error")]
    Error,
}

impl SnapshotState {
    /// The state name.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Pending => "pending",
            SnapshotState::Completed => "completed",
            SnapshotState::Error => "error",
        }
    }
}

/// An EBS snapshot. Incremental: `blocks` holds only the sectors that changed since `parent`.
#[derive(Clone, Debug, Serialize)]
pub struct Snapshot {
    /// `snap-…`
    pub id: String,
    /// Owner account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Source volume (for copies, the source snapshot's volume).
    pub volume_id: String,
    /// Size of the source volume in GiB.
    pub volume_size: u64,
    /// State.
    pub state: SnapshotState,
    /// Why it failed, when it did.
    pub state_message: Option<String>,
    /// Simulated start time.
    pub created: u64,
    /// Description.
    pub description: String,
    /// Encryption, if encrypted.
    pub encryption: Option<Encryption>,
    /// Sectors stored by this snapshot (ciphertext when encrypted).
    pub blocks: Sectors,
    /// The previous snapshot of the same volume, whose blocks this one builds on.
    pub parent: Option<String>,
    /// Accounts given createVolumePermission.
    pub shared_with: BTreeSet<String>,
    /// createVolumePermission for group `all`.
    pub public: bool,
    /// The snapshot this one was copied from.
    pub copied_from: Option<String>,
    /// Tags.
    pub tags: Tags,
}

impl Snapshot {
    /// The Snapshot structure EC2 returns.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "Description": self.description,
            "Encrypted": self.encryption.is_some(),
            "OwnerId": self.account,
            "Progress": if self.state == SnapshotState::Completed { "100%" } else { "0%" },
            "SnapshotId": self.id,
            "StartTime": iso(self.created),
            "State": self.state.as_str(),
            "VolumeId": self.volume_id,
            "VolumeSize": self.volume_size,
            "StorageTier": "standard",
        });
        if let Some(e) = &self.encryption {
            v["KmsKeyId"] = json!(e.kms_key_arn);
        }
        if let Some(m) = &self.state_message {
            v["StateMessage"] = json!(m);
        }
        put_tags(&mut v, &self.tags);
        v
    }
}

/// One block device of an image.
#[derive(Clone, Debug, Serialize)]
pub struct ImageMapping {
    /// Device name.
    pub device: String,
    /// Snapshot backing the device.
    pub snapshot_id: String,
    /// Volume size in GiB.
    pub volume_size: u64,
    /// Delete on termination.
    pub delete_on_termination: bool,
}

/// Image states as EC2 names them (the ones this model reaches of API_Image's `State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageState {
    /// Being created or copied: its snapshots are not complete yet.
    Pending,
    /// Ready to launch.
    Available,
    /// One of its snapshots failed.
    Failed,
}

impl ImageState {
    /// The state name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageState::Pending => "pending",
            ImageState::Available => "available",
            ImageState::Failed => "failed",
        }
    }
}

/// An EBS-backed AMI.
#[derive(Clone, Debug, Serialize)]
pub struct Image {
    /// `ami-…`
    pub id: String,
    /// Owner account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Root device name.
    pub root_device: String,
    /// Block device mappings.
    pub mappings: Vec<ImageMapping>,
    /// State.
    pub state: ImageState,
    /// Launch permission for everyone.
    pub public: bool,
    /// Accounts given launch permission.
    pub launch_permissions: BTreeSet<String>,
    /// Simulated creation time.
    pub created: u64,
    /// `x86_64` or `arm64` (RegisterImage's `Architecture`; copies keep the source's).
    pub architecture: String,
    /// `hvm` or `paravirtual`.
    pub virtualization: String,
    /// Enhanced networking with ENA.
    pub ena_support: bool,
    /// The image this one was copied from: (image id, region).
    pub source: Option<(String, String)>,
    /// Tags.
    pub tags: Tags,
}

impl Image {
    /// The Image structure EC2 returns; `snapshots` gives each mapping's encryption.
    pub fn to_json(&self, encrypted: impl Fn(&str) -> Option<(bool, Option<String>)>) -> Value {
        let amazon = self.account == super::AMAZON_ACCOUNT;
        let mut v = json!({
            "ImageId": self.id,
            "Name": self.name,
            "Description": self.description,
            "OwnerId": self.account,
            "State": self.state.as_str(),
            "Public": self.public,
            "CreationDate": iso(self.created),
            "RootDeviceName": self.root_device,
            "RootDeviceType": "ebs",
            "Architecture": self.architecture,
            "BlockDeviceMappings": self.mappings.iter().map(|m| {
                let (enc, key) = encrypted(&m.snapshot_id).unwrap_or((false, None));
                let mut ebs = json!({"SnapshotId": m.snapshot_id, "VolumeSize": m.volume_size, "DeleteOnTermination": m.delete_on_termination, "VolumeType": "gp3", "Encrypted": enc});
                if let Some(k) = key { ebs["KmsKeyId"] = json!(k); }
                json!({"DeviceName": m.device, "Ebs": ebs})
            }).collect::<Vec<_>>(),
            // The members the AWS CLI's describe-images example shows for an EBS-backed Linux
            // AMI (awscli/examples/ec2/describe-images.rst; API_Image in the EC2 API reference).
            "ImageLocation": format!("{}/{}", if amazon { "amazon" } else { &self.account }, self.name),
            "ImageType": "machine",
            "PlatformDetails": "Linux/UNIX",
            "UsageOperation": "RunInstances",
            "Hypervisor": "xen",
            "VirtualizationType": self.virtualization,
            "EnaSupport": self.ena_support,
            "SriovNetSupport": "simple",
            "BootMode": "uefi-preferred",
            "ImdsSupport": "v2.0",
        });
        if amazon {
            v["ImageOwnerAlias"] = json!("amazon");
        }
        if let Some((id, region)) = &self.source {
            v["SourceImageId"] = json!(id);
            v["SourceImageRegion"] = json!(region);
        }
        put_tags(&mut v, &self.tags);
        v
    }
}

/// Instance states with their EC2 codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum InstanceState {
    /// 0
    #[serde(rename = "pending")]
    Pending,
    /// 16
    #[serde(rename = "running")]
    Running,
    /// 32
    #[serde(rename = "shutting-down")]
    ShuttingDown,
    /// 48
    #[serde(rename = "terminated")]
    Terminated,
    /// 64
    #[serde(rename = "stopping")]
    Stopping,
    /// 80
    #[serde(rename = "stopped")]
    Stopped,
}

impl InstanceState {
    /// `{"Code": 16, "Name": "running"}`
    pub fn to_json(self) -> Value {
        let (code, name) = match self {
            InstanceState::Pending => (0, "pending"),
            InstanceState::Running => (16, "running"),
            InstanceState::ShuttingDown => (32, "shutting-down"),
            InstanceState::Terminated => (48, "terminated"),
            InstanceState::Stopping => (64, "stopping"),
            InstanceState::Stopped => (80, "stopped"),
        };
        json!({"Code": code, "Name": name})
    }

    /// The state name.
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
        }
    }
}

/// An EC2 instance.
#[derive(Clone, Debug, Serialize)]
pub struct Instance {
    /// `i-…`
    pub id: String,
    /// Owner account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Availability zone.
    pub az: String,
    /// AMI it was launched from.
    pub image_id: String,
    /// Instance type.
    pub instance_type: String,
    /// State.
    pub state: InstanceState,
    /// Why it last changed state unexpectedly (`Client.InvalidKMSKey.InvalidState`).
    pub state_reason: Option<(String, String)>,
    /// Simulated launch time.
    pub launched: u64,
    /// Reservation id.
    pub reservation_id: String,
    /// Attached volumes: (device, volume id).
    pub volumes: Vec<(String, String)>,
    /// Auto Scaling group that launched it.
    pub asg: Option<String>,
    /// Its position among the instances of its launch (`AmiLaunchIndex`).
    pub launch_index: u64,
    /// The key pair named at launch.
    pub key_name: Option<String>,
    /// The idempotency token of the launch.
    pub client_token: String,
    /// Tags.
    pub tags: Tags,
}

impl Instance {
    /// The Instance structure EC2 returns, in the order of the AWS CLI's run-instances example
    /// (awscli/examples/ec2/run-instances.rst). The network members are derived from the ids
    /// ([`super::network`]).
    pub fn to_json(&self, volumes: &super::Table<Volume>, provider: &Provider) -> Value {
        let launched = iso(self.launched);
        let net = InstanceNet {
            provider,
            account: &self.account,
            region: &self.region,
            az: &self.az,
            instance_id: &self.id,
            launched: &launched,
            running: self.state == InstanceState::Running,
        }
        .members();
        let mut v = json!({
            "AmiLaunchIndex": self.launch_index,
            "InstanceId": self.id,
            "ImageId": self.image_id,
            "InstanceType": self.instance_type,
        });
        if let Some(k) = &self.key_name {
            v["KeyName"] = json!(k);
        }
        v["LaunchTime"] = json!(launched);
        v["Monitoring"] = json!({"State": "disabled"});
        v["Placement"] =
            json!({"AvailabilityZone": self.az, "GroupName": "", "Tenancy": "default"});
        v["ProductCodes"] = json!([]);
        v["State"] = self.state.to_json();
        let (reason_code, reason_message) = match (&self.state_reason, self.state) {
            (Some((c, m)), _) => (c.clone(), m.clone()),
            (None, InstanceState::Pending) => ("pending".into(), "pending".into()),
            (
                None,
                InstanceState::Stopping
                | InstanceState::Stopped
                | InstanceState::ShuttingDown
                | InstanceState::Terminated,
            ) => (
                "Client.UserInitiatedShutdown".into(),
                "Client.UserInitiatedShutdown: User initiated shutdown".into(),
            ),
            (None, InstanceState::Running) => (String::new(), String::new()),
        };
        v["StateTransitionReason"] = json!(match &self.state_reason {
            Some((_, m)) => m.clone(),
            None if reason_code.starts_with("Client.") => "User initiated".to_string(),
            None => String::new(),
        });
        for (k, x) in net {
            v[k] = x;
        }
        v["Architecture"] = json!("x86_64");
        v["RootDeviceType"] = json!("ebs");
        v["RootDeviceName"] = json!(self
            .volumes
            .first()
            .map(|(d, _)| d.clone())
            .unwrap_or_else(|| "/dev/xvda".into()));
        v["BlockDeviceMappings"] = json!(self.volumes.iter().map(|(dev, vid)| {
            let vol = volumes.get(vid);
            json!({"DeviceName": dev, "Ebs": {
                "VolumeId": vid,
                "Status": if vol.is_some() { "attached" } else { "detached" },
                "AttachTime": iso(vol.and_then(|v| v.attachment.as_ref()).map(|a| a.attach_time).unwrap_or(self.launched)),
                "DeleteOnTermination": vol.and_then(|v| v.attachment.as_ref()).map(|a| a.delete_on_termination).unwrap_or(true),
            }})
        }).collect::<Vec<_>>());
        v["ClientToken"] = json!(self.client_token);
        v["EbsOptimized"] = json!(false);
        v["EnaSupport"] = json!(true);
        v["Hypervisor"] = json!("xen");
        if !reason_code.is_empty() {
            v["StateReason"] = json!({"Code": reason_code, "Message": reason_message});
        }
        put_tags(&mut v, &self.tags);
        v["VirtualizationType"] = json!("hvm");
        v["CpuOptions"] = json!({"CoreCount": 1, "ThreadsPerCore": 2});
        v["CapacityReservationSpecification"] = json!({"CapacityReservationPreference": "open"});
        v["HibernationOptions"] = json!({"Configured": false});
        v["MetadataOptions"] = json!({
            "State": if self.state == InstanceState::Pending { "pending" } else { "applied" },
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 2,
            "HttpEndpoint": "enabled",
            "HttpProtocolIpv6": "disabled",
            "InstanceMetadataTags": "disabled",
        });
        v["EnclaveOptions"] = json!({"Enabled": false});
        v["BootMode"] = json!("uefi-preferred");
        v["PlatformDetails"] = json!("Linux/UNIX");
        v["UsageOperation"] = json!("RunInstances");
        v["UsageOperationUpdateTime"] = json!(launched);
        v["PrivateDnsNameOptions"] = json!({"HostnameType": "ip-name", "EnableResourceNameDnsARecord": false, "EnableResourceNameDnsAAAARecord": false});
        v["MaintenanceOptions"] = json!({"AutoRecovery": "default"});
        v["CurrentInstanceBootMode"] = json!("legacy-bios");
        v
    }
}
