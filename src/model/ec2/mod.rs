//! EC2 and EBS operations: volumes, snapshots, encryption by default, images and instances,
//! and the KMS calls EC2 makes for them, in the order the EBS documentation gives.
//!
//! The encryption outcome of every create, copy and launch is decided in one place,
//! [`Sim::decide_encryption`], which implements seed 000's encryption outcomes table and
//! seed 001's launch and copy-image rules.

mod defaults;
mod encryption;
mod host;
mod images;
mod instances;
mod scheduler;
mod snapshots;
mod tags;
mod volumes;

pub(crate) use instances::LaunchTemplate;
use serde::Serialize;
use tags::TagSpecs;

use super::codes::{Ec2Code, KmsCode};
use super::crypto::{xts_decrypt_sector, xts_encrypt_sector, DataKey, SECTOR_SIZE};
use super::ebs::{
    Attachment, Encryption, Image, ImageMapping, ImageState, Instance, InstanceState, Sectors,
    Snapshot, SnapshotState, Tags, Volume, VolumeState,
};
use super::error::{AwsError, AwsResult};
use super::filters::{Filters, IMAGE_FILTERS, INSTANCE_FILTERS, SNAPSHOT_FILTERS, VOLUME_FILTERS};
use super::kms::{Context, KmsCtx};
use super::params::Params;
use super::provider::IdKind;
use super::rng::to_hex;
use super::trace::{KeyLocation, Participant};
use super::{CallSpec, Caller, Pending, Sim, AMAZON_ACCOUNT};
use crate::json;
use crate::model::ops::Service;
use crate::model::Handler;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Stored sectors of a resource: sector number → bytes as on disk.
type SectorMap = BTreeMap<u64, Vec<u8>>;
/// A sharing permission: (account id, group such as "all").
type Grantee = (Option<String>, Option<String>);

/// The grantees to add and to remove, from the `CreateVolumePermission` / `LaunchPermission`
/// structure (`Add` and `Remove` lists of `UserId` / `Group`) and from the flat
/// `OperationType` + `UserIds` + groups form. `strict`: the flat form needs a valid
/// `OperationType` (snapshots); otherwise anything but "remove" adds (images).
fn permission_changes(
    modification: Option<Params>,
    operation_type: Option<&str>,
    user_ids: Option<Vec<String>>,
    groups: Option<Vec<String>>,
    strict: bool,
) -> AwsResult<(Vec<Grantee>, Vec<Grantee>)> {
    let grantees = |m: &Params, list: &str| -> AwsResult<Vec<Grantee>> {
        m.opt_structs(list, &["UserId", "Group"])?
            .unwrap_or_default()
            .iter()
            .map(|g| Ok((g.opt_str("UserId")?, g.opt_str("Group")?)))
            .collect()
    };
    let (mut add, mut remove) = match &modification {
        Some(m) => (grantees(m, "Add")?, grantees(m, "Remove")?),
        None => (Vec::new(), Vec::new()),
    };
    let list: Vec<Grantee> = user_ids
        .unwrap_or_default()
        .into_iter()
        .map(|u| (Some(u), None))
        .chain(
            groups
                .unwrap_or_default()
                .into_iter()
                .map(|g| (None, Some(g))),
        )
        .collect();
    match operation_type {
        Some("add") => add.extend(list),
        Some("remove") => remove.extend(list),
        _ if !strict => add.extend(list),
        None if list.is_empty() => {}
        None => {
            return Err(AwsError::new(
                Ec2Code::MissingParameter,
                "The request must contain the parameter OperationType",
            ))
        }
        Some(o) => {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("Value ({o}) for parameter operationType is invalid."),
            ))
        }
    }
    Ok((add, remove))
}

/// What differs between the snapshot and the image form of a permission change.
struct PermissionForm {
    /// The member naming the resource: `SnapshotId` / `ImageId`.
    id: &'static str,
    /// The flat form's group list: `GroupNames` / `UserGroups`.
    groups: &'static str,
    /// The structure form: `CreateVolumePermission` / `LaunchPermission`.
    structure: &'static str,
    /// The only `Attribute` value the playground modifies, and the error for any other.
    attribute: &'static str,
    attribute_error: &'static str,
    /// See [`permission_changes`].
    strict: bool,
}

const SNAPSHOT_PERMISSION: PermissionForm = PermissionForm {
    id: "SnapshotId",
    groups: "GroupNames",
    structure: "CreateVolumePermission",
    attribute: "createVolumePermission",
    attribute_error: "Only the createVolumePermission attribute can be modified.",
    strict: true,
};

const IMAGE_PERMISSION: PermissionForm = PermissionForm {
    id: "ImageId",
    groups: "UserGroups",
    structure: "LaunchPermission",
    attribute: "launchPermission",
    attribute_error: "Only the launchPermission attribute can be modified in this playground.",
    strict: false,
};

/// Reads a ModifySnapshotAttribute / ModifyImageAttribute request: the resource id and the
/// grantees to add and to remove.
fn permission_request(
    q: &Params,
    form: &PermissionForm,
) -> AwsResult<(String, Vec<Grantee>, Vec<Grantee>)> {
    let id = q.str(form.id)?;
    if q.opt_str("Attribute")?.is_some_and(|a| a != form.attribute) {
        return Err(AwsError::new(
            Ec2Code::InvalidParameterValue,
            form.attribute_error,
        ));
    }
    let (add, remove) = permission_changes(
        q.opt_struct(form.structure, &["Add", "Remove"])?,
        q.opt_str("OperationType")?.as_deref(),
        q.opt_strs("UserIds")?,
        q.opt_strs(form.groups)?,
        form.strict,
    )?;
    Ok((id, add, remove))
}

/// Applies permission changes: accounts join or leave `accounts`; a group (`all`) makes the
/// resource public or private.
fn apply_grantees(
    accounts: &mut BTreeSet<String>,
    public: &mut bool,
    add: Vec<Grantee>,
    remove: Vec<Grantee>,
) {
    for (user, group) in add {
        accounts.extend(user);
        *public |= group.is_some();
    }
    for (user, group) in remove {
        if let Some(u) = user {
            accounts.remove(&u);
        }
        *public &= group.is_none();
    }
}

/// `Owners` / `OwnerIds` as account ids: `self` is the caller's account, `amazon` Amazon's.
fn owner_accounts(caller: &Caller, owners: Option<Vec<String>>) -> Option<Vec<String>> {
    let account = |o: String| match o.as_str() {
        "self" => caller.account.clone(),
        "amazon" => AMAZON_ACCOUNT.to_string(),
        _ => o,
    };
    owners.map(|list| list.into_iter().map(account).collect())
}

/// Seconds a new volume spends in `creating`.
const VOLUME_CREATE_SECONDS: u64 = 2;
/// Seconds a snapshot spends in `pending`.
const SNAPSHOT_SECONDS: u64 = 5;
/// Seconds an instance spends in `pending`, `stopping` or `shutting-down`.
const INSTANCE_SECONDS: u64 = 10;

const DOC_GDK: &str = "Amazon EC2 sends a GenerateDataKeyWithoutPlaintext request to AWS KMS, specifying the KMS key that you chose for volume encryption.";
const DOC_STORE: &str = "AWS KMS generates a new data key, encrypts it under the KMS key that you chose for volume encryption, and sends the encrypted data key to Amazon EBS to be stored with the volume metadata.";
const DOC_GRANT_ATTACH: &str = "When you attach the encrypted volume to an instance, Amazon EC2 sends a CreateGrant request to AWS KMS so that it can decrypt the data key.";
const DOC_DECRYPT_ATTACH: &str =
    "AWS KMS decrypts the encrypted data key and sends the decrypted data key to Amazon EC2.";
const DOC_HOST: &str = "Amazon EC2 uses the plaintext data key in hypervisor memory to encrypt disk I/O to the volume. The plaintext data key persists in memory as long as the volume is attached to the instance.";
const DOC_GRANT_RESTORE: &str = "Amazon EC2 sends a CreateGrant request to AWS KMS, so that it can encrypt the volume that is created from the snapshot.";
const DOC_DECRYPT_RESTORE: &str = "Amazon EC2 sends a Decrypt request to AWS KMS to get the encryption key to encrypt the volume data.";
const DOC_SHARE: &str = "The same data key is shared by snapshots of the volume and any subsequent volumes created from those snapshots.";
const DOC_FULL_COPY: &str = "If you copy a snapshot and encrypt it to a new KMS key, a complete (non-incremental) copy is created.";

const NOTE_CREATE_GRANT_OPS: &str = "The operations of the grant EBS makes while creating a volume are not published; the playground grants Decrypt to the EBS infrastructure role, constrained to the new resource, and retires it when the data is written.";
const NOTE_SAME_KEY: &str = "Not settled publicly: the EBS guide's call sequence shows GenerateDataKeyWithoutPlaintext here, while its 'Data keys' paragraph says volumes restored under the same KMS key share the snapshot's data key. The playground makes the documented call and keeps the shared data key.";
const NOTE_REENCRYPT: &str = "Not settled publicly: which step calls kms:ReEncrypt (a permission the EBS guide requires). The playground uses it to bind the shared data key to the new resource's encryption context.";
const NOTE_SOURCE_DECRYPT: &str = "The guide says the source data is decrypted and re-encrypted under the new key; the exact calls for the source key are not published.";
pub(crate) const NOTE_INTERNAL: &str = "Internal step between EC2, EBS and the host; AWS does not publish it as an API call. Drawn so you can see where the data key goes.";

/// What to do about encryption for a new volume or snapshot copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EncryptionPlan {
    /// Stays unencrypted.
    None,
    /// Encrypt under `key_arn`; `reuse` is true when the source's data key is shared (same key, owned source).
    Encrypt { key_arn: String, reuse: bool },
}

/// Where the data of a new volume or copy comes from.
pub(crate) struct Source {
    pub snapshot_id: Option<String>,
    pub encryption: Option<Encryption>,
    pub owner: String,
    pub region: String,
    pub sectors: BTreeMap<u64, Vec<u8>>,
    pub size: u64,
}

/// The `Ebs` structure of one block device mapping.
struct EbsBlock {
    snapshot_id: Option<String>,
    volume_size: Option<u64>,
    volume_type: Option<String>,
    encrypted: Option<bool>,
    kms_key_id: Option<String>,
    delete_on_termination: Option<bool>,
}

/// One entry of a request's `BlockDeviceMappings`.
struct BlockDeviceMapping {
    device_name: String,
    ebs: Option<EbsBlock>,
    /// `NoDevice` was given: the image's mapping for this device is dropped.
    no_device: bool,
}

/// The request's `BlockDeviceMappings`, if it has any.
fn block_device_mappings(q: &Params) -> AwsResult<Option<Vec<BlockDeviceMapping>>> {
    let Some(items) = q.opt_structs(
        "BlockDeviceMappings",
        &["DeviceName", "Ebs", "NoDevice", "VirtualName"],
    )?
    else {
        return Ok(None);
    };
    let mapping = |m: &Params| -> AwsResult<BlockDeviceMapping> {
        m.opt_str("VirtualName")?;
        let ebs = match m.opt_struct(
            "Ebs",
            &[
                "SnapshotId",
                "VolumeSize",
                "VolumeType",
                "Encrypted",
                "KmsKeyId",
                "DeleteOnTermination",
                "Iops",
            ],
        )? {
            Some(e) => {
                e.opt_u64("Iops")?;
                Some(EbsBlock {
                    snapshot_id: e.opt_str("SnapshotId")?,
                    volume_size: e.opt_u64("VolumeSize")?,
                    volume_type: e.opt_str("VolumeType")?,
                    encrypted: e.opt_bool("Encrypted")?,
                    kms_key_id: e.opt_str("KmsKeyId")?,
                    delete_on_termination: e.opt_bool("DeleteOnTermination")?,
                })
            }
            None => None,
        };
        Ok(BlockDeviceMapping {
            device_name: m.str("DeviceName")?,
            ebs,
            no_device: m.opt_str("NoDevice")?.is_some(),
        })
    };
    items
        .iter()
        .map(mapping)
        .collect::<AwsResult<_>>()
        .map(Some)
}

/// The method that answers each EC2 operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("CreateVolume", Sim::create_volume),
    ("DescribeVolumes", Sim::describe_volumes),
    ("DeleteVolume", Sim::delete_volume),
    ("AttachVolume", Sim::attach_volume),
    ("DetachVolume", Sim::detach_volume),
    ("CreateSnapshot", Sim::create_snapshot),
    ("DescribeSnapshots", Sim::describe_snapshots),
    ("CopySnapshot", Sim::copy_snapshot),
    ("DeleteSnapshot", Sim::delete_snapshot),
    ("ModifySnapshotAttribute", Sim::modify_snapshot_attribute),
    (
        "DescribeSnapshotAttribute",
        Sim::describe_snapshot_attribute,
    ),
    (
        "EnableEbsEncryptionByDefault",
        Sim::set_ebs_encryption_by_default,
    ),
    (
        "DisableEbsEncryptionByDefault",
        Sim::set_ebs_encryption_by_default,
    ),
    (
        "GetEbsEncryptionByDefault",
        Sim::get_ebs_encryption_by_default,
    ),
    ("GetEbsDefaultKmsKeyId", Sim::get_ebs_default_kms_key_id),
    (
        "ModifyEbsDefaultKmsKeyId",
        Sim::modify_ebs_default_kms_key_id,
    ),
    ("ResetEbsDefaultKmsKeyId", Sim::reset_ebs_default_kms_key_id),
    ("RegisterImage", Sim::register_image),
    ("CreateImage", Sim::create_image),
    ("CopyImage", Sim::copy_image),
    ("DescribeImages", Sim::describe_images),
    ("ModifyImageAttribute", Sim::modify_image_attribute),
    ("DeregisterImage", Sim::deregister_image),
    ("RunInstances", Sim::run_instances),
    ("DescribeInstances", Sim::describe_instances),
    ("StopInstances", Sim::change_instances_state),
    ("StartInstances", Sim::change_instances_state),
    ("RebootInstances", Sim::change_instances_state),
    ("TerminateInstances", Sim::change_instances_state),
    ("CreateLaunchTemplate", Sim::create_launch_template),
    ("CreateTags", Sim::create_tags),
    ("DeleteTags", Sim::delete_tags),
    ("DescribeTags", Sim::describe_tags),
];
