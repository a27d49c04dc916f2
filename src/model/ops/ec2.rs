//! The operations of Amazon EC2 and EBS.

use super::shapes::*;
use super::Ty::*;
use super::{Extra, Op};

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd("ec2", "create-volume", "CreateVolume", "Creates an EBS volume, empty or from a snapshot, encrypted or not.", &[
        o("AvailabilityZone", Str, "Zone of the volume, such as us-east-1a (or give --availability-zone-id).").with(ZONES),
        o("AvailabilityZoneId", Str, "Zone id instead of the name, such as use1-az1 (the playground maps az1, az2, az3 to a, b, c)."),
        o("Size", Int, "Size in GiB (default: the snapshot's size)."),
        o("SnapshotId", Str, "Snapshot to restore from."),
        o("VolumeType", Str, "gp3 (default), gp2, io1, io2, st1, sc1 or standard.").with(VOLUME_TYPES),
        o("Encrypted", Bool, "Encrypt the volume (--no-encrypted leaves it to the snapshot and the account default)."),
        o("KmsKeyId", Str, "KMS key for encryption (needs --encrypted); default: the account's EBS default key."),
        o("Iops", Int, "Provisioned IOPS (io1, io2, gp3)."),
        o("Throughput", Int, "Throughput in MiB/s (gp3)."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "describe-volumes", "DescribeVolumes", "Describes volumes: state, size, encryption, key, attachments.", &[
        o("VolumeIds", StrList, "Volume ids (vol-…); default: all volumes of the account."),
        o("Filters", StructList(FILTER), "Name=encrypted,Values=false (also status, size, volume-id, snapshot-id, volume-type, availability-zone, attachment.instance-id, …; * and ? match)."),
        EC2_PAGE[0],
        EC2_PAGE[1],
    ]).paged(ec2_pages("Volumes")),
    cmd("ec2", "delete-volume", "DeleteVolume", "Deletes a volume that is not attached.", &[
        r("VolumeId", Str, "The volume (vol-…)."),
    ]),
    cmd("ec2", "attach-volume", "AttachVolume", "Attaches a volume to an instance as a device (EBS asks KMS for the data key).", &[
        r("VolumeId", Str, "The volume (vol-…)."),
        r("InstanceId", Str, "The instance (i-…)."),
        r("Device", Str, "Device name, such as /dev/sdf."),
    ]),
    cmd("ec2", "detach-volume", "DetachVolume", "Detaches a volume (the host forgets the data key).", &[
        r("VolumeId", Str, "The volume (vol-…)."),
        o("InstanceId", Str, "The instance it is attached to."),
        o("Device", Str, "The device name."),
        o("Force", Bool, "Force the detachment."),
    ]),
    cmd("ec2", "create-snapshot", "CreateSnapshot", "Snapshots a volume; an encrypted volume gives an encrypted snapshot under the same key.", &[
        r("VolumeId", Str, "The volume (vol-…)."),
        o("Description", Str, "A description."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "describe-snapshots", "DescribeSnapshots", "Describes snapshots you own or may restore.", &[
        o("SnapshotIds", StrList, "Snapshot ids (snap-…)."),
        o("OwnerIds", StrList, "Owners: account ids, self or amazon."),
        o("RestorableByUserIds", StrList, "Accounts that may create volumes from them."),
        o("Filters", StructList(FILTER), "Name=encrypted,Values=true (also status, owner-id, volume-id, snapshot-id, volume-size, description, …)."),
        EC2_PAGE[0],
        EC2_PAGE[1],
    ]).paged(ec2_pages("Snapshots")),
    cmd("ec2", "copy-snapshot", "CopySnapshot", "Copies a snapshot (into --region), optionally re-encrypting under another key.", &[
        r("SourceSnapshotId", Str, "The snapshot to copy."),
        r("SourceRegion", Str, "Region of the source snapshot.").with(REGIONS),
        o("Encrypted", Bool, "Encrypt the copy."),
        o("KmsKeyId", Str, "Key for the copy (in the destination region; needs --encrypted)."),
        o("Description", Str, "A description of the copy."),
        o("DestinationRegion", Str, "Destination region (the CLI normally uses --region).").with(REGIONS),
        o("PresignedUrl", Str, "Pre-signed URL of the source (the CLI makes it for cross-region copies)."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "delete-snapshot", "DeleteSnapshot", "Deletes a snapshot.", &[
        r("SnapshotId", Str, "The snapshot (snap-…)."),
    ]),
    cmd("ec2", "modify-snapshot-attribute", "ModifySnapshotAttribute", "Shares or unshares a snapshot (createVolumePermission).", &[
        r("SnapshotId", Str, "The snapshot (snap-…)."),
        o("Attribute", Str, "createVolumePermission.").with(&["createVolumePermission"]),
        o("OperationType", Str, "add or remove.").with(ADD_REMOVE),
        o("UserIds", StrList, "Account ids to add or remove."),
        o("GroupNames", StrList, "all (public; refused for encrypted snapshots).").with(&["all"]),
        o("CreateVolumePermission", Struct(PERMISSION_MODS), "Add=[{UserId=…}],Remove=[{Group=all}] (instead of the three above)."),
    ]),
    cmd("ec2", "describe-snapshot-attribute", "DescribeSnapshotAttribute", "Shows who may create volumes from a snapshot.", &[
        r("SnapshotId", Str, "The snapshot (snap-…)."),
        r("Attribute", Str, "createVolumePermission.").with(&["createVolumePermission", "productCodes"]),
    ]),
    cmd("ec2", "enable-ebs-encryption-by-default", "EnableEbsEncryptionByDefault", "Encrypts every new volume of the account in this region.", NOTHING),
    cmd("ec2", "disable-ebs-encryption-by-default", "DisableEbsEncryptionByDefault", "Stops encrypting new volumes by default.", NOTHING),
    cmd("ec2", "get-ebs-encryption-by-default", "GetEbsEncryptionByDefault", "Shows whether encryption by default is on.", NOTHING),
    cmd("ec2", "get-ebs-default-kms-key-id", "GetEbsDefaultKmsKeyId", "Shows the default key for EBS encryption.", NOTHING),
    cmd("ec2", "modify-ebs-default-kms-key-id", "ModifyEbsDefaultKmsKeyId", "Sets a customer managed key as the default for EBS encryption.", &[
        r("KmsKeyId", Str, "Key id, ARN, alias or alias ARN."),
    ]),
    cmd("ec2", "reset-ebs-default-kms-key-id", "ResetEbsDefaultKmsKeyId", "Goes back to the AWS managed key alias/aws/ebs.", NOTHING),
    cmd("ec2", "register-image", "RegisterImage", "Registers an AMI from snapshots.", &[
        r("Name", Str, "Name of the AMI."),
        o("RootDeviceName", Str, "Root device, such as /dev/xvda."),
        o("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING), "DeviceName=/dev/xvda,Ebs={SnapshotId=snap-…} … (or JSON); needed, since instance store AMIs are not modelled."),
        o("ImageLocation", Str, "Manifest of an instance store-backed AMI (not modelled: refused)."),
        TAG_SPECIFICATIONS,
        o("Description", Str, "A description."),
        o("Architecture", Str, "x86_64 or arm64.").with(&["x86_64", "arm64"]),
        o("VirtualizationType", Str, "hvm (the default) or paravirtual.").with(&["hvm", "paravirtual"]),
        o("EnaSupport", Bool, "Enhanced networking with ENA."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "create-image", "CreateImage", "Creates an AMI from an instance (snapshots of its volumes).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("Name", Str, "Name of the AMI."),
        o("Description", Str, "A description."),
        o("NoReboot", Bool, "Do not reboot the instance before snapshotting its volumes."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "copy-image", "CopyImage", "Copies an AMI (into --region), optionally encrypting its snapshots.", &[
        r("SourceImageId", Str, "The AMI to copy."),
        r("SourceRegion", Str, "Region of the source AMI.").with(REGIONS),
        r("Name", Str, "Name of the copy."),
        o("Encrypted", Bool, "Encrypt the copy's snapshots."),
        o("KmsKeyId", Str, "Key for the copy's snapshots (needs --encrypted)."),
        o("Description", Str, "A description."),
        o("CopyImageTags", Bool, "Copy the AMI's tags to the copy."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "describe-images", "DescribeImages", "Describes AMIs.", &[
        o("ImageIds", StrList, "AMI ids (ami-…)."),
        o("Owners", StrList, "Owners: account ids, self or amazon."),
        o("ExecutableUsers", StrList, "Accounts that may launch them (self, all or ids)."),
        o("Filters", StructList(FILTER), "Name=block-device-mapping.encrypted,Values=true (also name, state, owner-id, is-public, image-id, …)."),
        EC2_PAGE[0],
        EC2_PAGE[1],
    ]).paged(ec2_pages("Images")),
    cmd("ec2", "modify-image-attribute", "ModifyImageAttribute", "Shares or unshares an AMI (launchPermission).", &[
        r("ImageId", Str, "The AMI (ami-…)."),
        o("Attribute", Str, "launchPermission.").with(&["launchPermission", "description"]),
        o("OperationType", Str, "add or remove.").with(ADD_REMOVE),
        o("UserIds", StrList, "Account ids to add or remove."),
        o("UserGroups", StrList, "all (public).").with(&["all"]),
        o("LaunchPermission", Struct(PERMISSION_MODS), "Add=[{UserId=…}],Remove=[{UserId=…}] (instead of the three above)."),
    ]),
    cmd("ec2", "deregister-image", "DeregisterImage", "Deregisters an AMI (its snapshots remain).", &[
        r("ImageId", Str, "The AMI (ami-…)."),
    ]),
    Op {
        hidden: &["MinCount", "MaxCount"],
        extras: &[
            Extra {
                option: "--count",
                help: "Number of instances: N, or MIN:MAX (default 1).",
            },
            Extra {
                option: "--associate-public-ip-address",
                help: "Give the instance a public IP (the CLI makes a network interface with --subnet-id and --security-group-ids; not modelled beyond that).",
            },
            Extra {
                option: "--no-associate-public-ip-address",
                help: "No public IP.",
            },
        ],
        ..cmd("ec2", "run-instances", "RunInstances", "Launches instances from an AMI or a launch template.", &[
            o("ImageId", Str, "The AMI (ami-…)."),
            o("InstanceType", Str, "Such as t3.micro.").with(INSTANCE_TYPES),
            o("MinCount", Int, "Minimum number of instances (the CLI's --count sets both)."),
            o("MaxCount", Int, "Maximum number of instances."),
            o("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING), "DeviceName=/dev/sdf,Ebs={SnapshotId=snap-…,Encrypted=true,KmsKeyId=…} (or JSON)."),
            o("Placement", Struct(PLACEMENT), "AvailabilityZone=us-east-1a."),
            o("LaunchTemplate", Struct(LAUNCH_TEMPLATE_SPEC), "LaunchTemplateName=…,Version=… (or LaunchTemplateId=…)."),
            o("KeyName", Str, "Name of the key pair for SSH (not modelled: accepted and ignored)."),
            o("SecurityGroupIds", StrList, "Security groups (not modelled: accepted and ignored)."),
            o("SubnetId", Str, "Subnet to launch in (not modelled: accepted and ignored)."),
            o("UserData", Str, "User data script (not modelled: accepted and ignored)."),
            o("NetworkInterfaces", StructList(NETWORK_INTERFACE), "Network interfaces (not modelled: accepted and ignored)."),
            o("CreditSpecification", Struct(CREDIT_SPECIFICATION), "CpuCredits=standard|unlimited (T instances; not modelled)."),
            TAG_SPECIFICATIONS,
        ])
    },
    cmd("ec2", "describe-instances", "DescribeInstances", "Describes instances: state, state reason, block devices.", &[
        o("InstanceIds", StrList, "Instance ids (i-…)."),
        o("Filters", StructList(FILTER), "Name=instance-state-name,Values=running (also instance-id, image-id, instance-type, block-device-mapping.volume-id, …)."),
        EC2_PAGE[0],
        EC2_PAGE[1],
    ]).paged(ec2_pages("Reservations")),
    cmd("ec2", "stop-instances", "StopInstances", "Stops instances (their volumes are detached from the host).", STOP_INSTANCES),
    cmd("ec2", "start-instances", "StartInstances", "Starts stopped instances (their volumes are attached again).", INSTANCE_IDS),
    cmd("ec2", "reboot-instances", "RebootInstances", "Reboots instances.", INSTANCE_IDS),
    cmd("ec2", "terminate-instances", "TerminateInstances", "Terminates instances.", INSTANCE_IDS),
    cmd("ec2", "create-launch-template", "CreateLaunchTemplate", "Creates a launch template (for run-instances or Auto Scaling).", &[
        r("LaunchTemplateName", Str, "Name of the template."),
        r("LaunchTemplateData", Struct(LAUNCH_TEMPLATE_DATA), "JSON: {\"ImageId\":…,\"InstanceType\":…,\"BlockDeviceMappings\":[…]}."),
        o("VersionDescription", Str, "A description of the first version."),
        TAG_SPECIFICATIONS,
    ]),
    cmd("ec2", "create-tags", "CreateTags", "Adds or overwrites tags on volumes, snapshots, AMIs, instances and launch templates.", &[
        r("Resources", StrList, "Resource ids (vol-…, snap-…, ami-…, i-…, lt-…)."),
        r("Tags", StructList(TAG), "Key=team,Value=finance Key=Name,Value=web (Value may be left out)."),
    ]),
    cmd("ec2", "delete-tags", "DeleteTags", "Deletes tags (all of them without --tags; Key=… alone deletes that key whatever its value).", &[
        r("Resources", StrList, "Resource ids (vol-…, snap-…, ami-…, i-…, lt-…)."),
        o("Tags", StructList(TAG), "Key=team or Key=team,Value=finance."),
    ]),
    cmd("ec2", "describe-tags", "DescribeTags", "Lists the tags of your resources in the region.", &[
        o("Filters", StructList(FILTER), "Name=resource-id,Values=vol-… (also resource-type, key, value; * and ? match)."),
    ]),
];
