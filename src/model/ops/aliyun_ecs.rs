//! The operations of Alibaba Cloud ECS the playground answers: disks, instances, snapshots,
//! images and account-level default encryption (seed 002; Alibaba's ECS API reference).

use super::aliyun::{acs, REGION_ID};
use super::shapes::*;
use super::Ty::*;
use super::{Member, Op, Param};

/// Disk categories Alibaba offers (only the ESSD family can be encrypted, seed 002).
pub const DISK_CATEGORIES: &[&str] = &[
    "cloud_essd",
    "cloud_essd_entry",
    "cloud_auto",
    "cloud_regional_disk_auto",
    "cloud_efficiency",
    "cloud_ssd",
    "cloud",
];
/// ESSD performance levels.
const PERFORMANCE_LEVELS: &[&str] = &["PL0", "PL1", "PL2", "PL3"];
/// The encryption algorithms of an encrypted disk.
const ENCRYPT_ALGORITHMS: &[&str] = &["AES-256", "SM4-128"];
/// Instance types the playground offers: two that can attach encrypted disks and the seed's
/// list of types that cannot attach encrypted system disks or encrypted data disks created from
/// snapshots.
pub const ALI_INSTANCE_TYPES: &[&str] = &[
    "ecs.g7.large",
    "ecs.c7.xlarge",
    "ecs.ebmg5.24xlarge",
    "ecs.ebmgn5t.16xlarge",
    "ecs.ebmi3.24xlarge",
    "ecs.sccg5.24xlarge",
    "ecs.scch5.16xlarge",
    "ecs.ebmc4.8xlarge",
    "ecs.ebmhfg5.4xlarge",
];

const ALI_TAG: &[Member] = &[m("Key", Str), m("Value", Str)];
const SYSTEM_DISK: &[Member] = &[
    m("Category", Str),
    m("Size", Int),
    m("Encrypted", Bool),
    m("KMSKeyId", Str),
    m("EncryptAlgorithm", Str),
    m("PerformanceLevel", Str),
];
const DATA_DISK: &[Member] = &[
    m("Size", Int),
    m("Category", Str),
    m("SnapshotId", Str),
    m("Encrypted", Bool),
    m("KMSKeyId", Str),
    m("EncryptAlgorithm", Str),
    m("PerformanceLevel", Str),
    m("DeleteWithInstance", Bool),
    m("DiskName", Str),
];
const PAGE: [Param; 2] = [
    o("PageNumber", Int, "Page to return, from 1."),
    o("PageSize", Int, "Entries per page, 1 to 100 (default 10)."),
];
const DISK_ID: Param = r("DiskId", Str, "The disk (d-…).");
const INSTANCE_ID: Param = r("InstanceId", Str, "The instance (i-…).");
const REGION_ONLY: &[Param] = &[REGION_ID];

/// The rows of this product, in the order of Alibaba's API reference.
pub(super) static OPS: &[Op] = &[
    acs("ecs", "CreateDisk", "Creates a pay-as-you-go data disk; Encrypted with KMSKeyId encrypts it (ESSD family only).", &[
        REGION_ID,
        o("ZoneId", Str, "The zone (cn-hangzhou-i, …); required unless InstanceId is given."),
        o("DiskName", Str, "A name for the disk."),
        o("Description", Str, "A description."),
        o("DiskCategory", Str, "cloud_essd (default), cloud_essd_entry, cloud_auto, cloud_regional_disk_auto, cloud_efficiency, cloud_ssd, cloud.").with(DISK_CATEGORIES),
        o("Size", Int, "Size in GiB (20 to 65,536 for ESSD); default: the snapshot's size."),
        o("SnapshotId", Str, "Create the disk from this snapshot (s-…)."),
        o("Encrypted", Bool, "Encrypt the disk (true|false). Irreversible."),
        o("KMSKeyId", Str, "The KMS key (key-…); default: the snapshot's key, the account's default key, or the service key alias/acs/ecs."),
        o("EncryptAlgorithm", Str, "AES-256 (default) or SM4-128.").with(ENCRYPT_ALGORITHMS),
        o("PerformanceLevel", Str, "ESSD performance level, PL0 to PL3 (default PL1).").with(PERFORMANCE_LEVELS),
        o("InstanceId", Str, "Create the disk in this instance's zone and attach it (i-…)."),
        o("Tag", StructList(ALI_TAG), "Tags: --Tag.1.Key project --Tag.1.Value finance."),
        o("ClientToken", Str, "Idempotency token."),
        o("DryRun", Bool, "Check the request without creating the disk."),
    ]),
    acs("ecs", "DescribeDisks", "Lists disks with their category, status, encryption and KMS key.", &[
        REGION_ID,
        o("ZoneId", Str, "Only disks in this zone."),
        o("DiskIds", Str, "A JSON array of disk ids: '[\"d-…\", \"d-…\"]'."),
        o("InstanceId", Str, "Only the disks of this instance."),
        o("DiskType", Str, "all, system or data.").with(&["all", "system", "data"]),
        o("Category", Str, "Only disks of this category.").with(DISK_CATEGORIES),
        o("Status", Str, "In_use, Available, Attaching, Detaching, Creating, ReIniting.").with(&["In_use", "Available", "Attaching", "Detaching", "Creating", "ReIniting"]),
        o("SnapshotId", Str, "Only disks created from this snapshot."),
        o("Encrypted", Bool, "Only encrypted (true) or unencrypted (false) disks."),
        o("KMSKeyId", Str, "Only disks encrypted under this key."),
        PAGE[0],
        PAGE[1],
    ]),
    acs("ecs", "AttachDisk", "Attaches a data disk to an instance in the same zone (ECS asks KMS for the disk's data key).", &[
        INSTANCE_ID,
        DISK_ID,
        o("DeleteWithInstance", Bool, "Release the disk with the instance."),
        o("Bootable", Bool, "Attach as a system disk."),
    ]),
    acs("ecs", "DetachDisk", "Detaches a data disk (the host discards its plaintext data key).", &[
        INSTANCE_ID,
        DISK_ID,
        o("DeleteWithInstance", Bool, "Change whether the disk is released with the instance."),
    ]),
    acs("ecs", "DeleteDisk", "Releases a disk that is not attached.", &[DISK_ID]),
    acs("ecs", "RunInstances", "Creates and starts instances; SystemDisk.Encrypted and DataDisk.N.Encrypted encrypt their disks.", &[
        REGION_ID,
        r("ImageId", Str, "The image (m-… or a public image such as aliyun_3_x64_20G_alibase_20240819.vhd)."),
        r("InstanceType", Str, "The instance type (ecs.g7.large, …).").with(ALI_INSTANCE_TYPES),
        o("ZoneId", Str, "The zone; default: the region's first."),
        o("InstanceName", Str, "A name for the instance."),
        o("Amount", Int, "How many instances, 1 to 100 (default 1)."),
        o("SystemDisk", Struct(SYSTEM_DISK), "--SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --SystemDisk.KMSKeyId key-…"),
        o("DataDisk", StructList(DATA_DISK), "--DataDisk.1.Size 40 --DataDisk.1.Category cloud_essd --DataDisk.1.Encrypted true"),
        o("SecurityGroupId", Str, "The security group (sg-…; not modelled)."),
        o("VSwitchId", Str, "The vSwitch (vsw-…; not modelled)."),
        o("Tag", StructList(ALI_TAG), "Tags for the instance."),
        o("DryRun", Bool, "Check the request without creating instances."),
    ]),
    acs("ecs", "DescribeInstances", "Lists instances with their status and disks.", &[
        REGION_ID,
        o("InstanceIds", Str, "A JSON array of instance ids: '[\"i-…\"]'."),
        o("ZoneId", Str, "Only instances in this zone."),
        o("Status", Str, "Pending, Running, Starting, Stopping, Stopped.").with(&["Pending", "Running", "Starting", "Stopping", "Stopped"]),
        PAGE[0],
        PAGE[1],
    ]),
    acs("ecs", "StartInstance", "Starts a stopped instance (ECS asks KMS to decrypt each encrypted disk's data key).", &[INSTANCE_ID]),
    acs("ecs", "StopInstance", "Stops an instance (the host discards the plaintext data keys).", &[
        INSTANCE_ID,
        o("ForceStop", Bool, "Stop without a clean shutdown."),
    ]),
    acs("ecs", "RebootInstance", "Restarts an instance: its encrypted disks' data keys are decrypted again at startup.", &[
        INSTANCE_ID,
        o("ForceStop", Bool, "Restart without a clean shutdown."),
    ]),
    acs("ecs", "DeleteInstance", "Releases a stopped instance (and the disks released with it).", &[
        INSTANCE_ID,
        o("Force", Bool, "Release a running instance too."),
    ]),
    acs("ecs", "ReplaceSystemDisk", "Replaces an instance's system disk with one from another image (an encrypted image gives an encrypted system disk).", &[
        INSTANCE_ID,
        r("ImageId", Str, "The new image."),
        o("SystemDisk", Struct(&[m("Size", Int)]), "--SystemDisk.Size 40"),
        o("Encrypted", Bool, "Encrypt the new system disk."),
        o("KMSKeyId", Str, "The key of the new system disk."),
    ]),
    acs("ecs", "CreateSnapshot", "Takes a snapshot of a disk (an encrypted disk gives a snapshot under the same key).", &[
        DISK_ID,
        o("SnapshotName", Str, "A name for the snapshot."),
        o("Description", Str, "A description."),
        o("RetentionDays", Int, "Days to keep the snapshot (default: forever)."),
    ]),
    acs("ecs", "DescribeSnapshots", "Lists snapshots with their source disk, encryption and key.", &[
        REGION_ID,
        o("SnapshotIds", Str, "A JSON array of snapshot ids: '[\"s-…\"]'."),
        o("DiskId", Str, "Only snapshots of this disk."),
        o("Encrypted", Bool, "Only encrypted or unencrypted snapshots."),
        o("KMSKeyId", Str, "Only snapshots under this key."),
        o("Status", Str, "progressing, accomplished, failed, all.").with(&["progressing", "accomplished", "failed", "all"]),
        PAGE[0],
        PAGE[1],
    ]),
    acs("ecs", "CopySnapshot", "Copies a snapshot to a region; Encrypted with KMSKeyId (a key in the destination region) encrypts the copy.", &[
        REGION_ID,
        r("SnapshotId", Str, "The source snapshot."),
        r("DestinationRegionId", Str, "The region of the copy."),
        o("DestinationSnapshotName", Str, "A name for the copy."),
        o("DestinationSnapshotDescription", Str, "A description for the copy."),
        o("Encrypted", Bool, "Encrypt the copy."),
        o("KMSKeyId", Str, "The key of the copy, in the destination region; default: the service key."),
        o("RetentionDays", Int, "Days to keep the copy."),
    ]),
    acs("ecs", "DeleteSnapshot", "Deletes a snapshot.", &[
        r("SnapshotId", Str, "The snapshot (s-…)."),
        o("Force", Bool, "Delete it even if disks were created from it."),
    ]),
    acs("ecs", "CreateImage", "Creates a custom image from an instance's system disk or from a system-disk snapshot.", &[
        REGION_ID,
        o("InstanceId", Str, "The instance whose system disk the image captures."),
        o("SnapshotId", Str, "Or a snapshot of a system disk."),
        o("ImageName", Str, "A name for the image."),
        o("Description", Str, "A description."),
    ]),
    acs("ecs", "CopyImage", "Copies a custom image; Encrypted with KMSKeyId gives an encrypted copy (the seed's way to encrypt a system disk).", &[
        REGION_ID,
        r("ImageId", Str, "The source image (m-…)."),
        o("DestinationRegionId", Str, "The region of the copy (default: the same region)."),
        o("DestinationImageName", Str, "A name for the copy."),
        o("DestinationDescription", Str, "A description for the copy."),
        o("Encrypted", Bool, "Encrypt the copy."),
        o("KMSKeyId", Str, "The key of the copy; default: the service key."),
    ]),
    acs("ecs", "DescribeImages", "Lists images: public (system), your own (self) and shared with you (others).", &[
        REGION_ID,
        o("ImageId", Str, "Only these images (comma-separated)."),
        o("ImageOwnerAlias", Str, "system, self, others, marketplace.").with(&["system", "self", "others", "marketplace"]),
        o("Status", Str, "Creating, Available, UnAvailable, CreateFailed.").with(&["Creating", "Available", "UnAvailable", "CreateFailed"]),
        PAGE[0],
        PAGE[1],
    ]),
    acs("ecs", "ModifyImageSharePermission", "Shares a custom image with other accounts, or stops sharing it.", &[
        REGION_ID,
        r("ImageId", Str, "The image (m-…)."),
        o("AddAccount", StrList, "Account UIDs to share with: --AddAccount.1 1234567890123456."),
        o("RemoveAccount", StrList, "Account UIDs to stop sharing with."),
    ]),
    acs("ecs", "DeleteImage", "Deletes a custom image.", &[
        REGION_ID,
        r("ImageId", Str, "The image (m-…)."),
        o("Force", Bool, "Delete it even if instances use it."),
    ]),
    acs("ecs", "EnableDiskEncryptionByDefault", "Turns on account-level default encryption in a region: new disks are encrypted.", REGION_ONLY),
    acs("ecs", "DisableDiskEncryptionByDefault", "Turns off account-level default encryption in a region.", REGION_ONLY),
    acs("ecs", "DescribeDiskEncryptionByDefaultStatus", "Shows whether account-level default encryption is on in a region.", REGION_ONLY),
    acs("ecs", "DescribeDiskDefaultKMSKeyId", "Shows the key default encryption uses in a region.", REGION_ONLY),
    acs("ecs", "ModifyDiskDefaultKMSKeyId", "Sets the key default encryption uses in a region.", &[
        REGION_ID,
        r("KMSKeyId", Str, "The key (key-…)."),
    ]),
    acs("ecs", "ResetDiskDefaultKMSKeyId", "Sets default encryption back to the service key.", REGION_ONLY),
];
