//! The table of every command the console accepts: CLI service and command name, the API
//! operation it calls, and each parameter (AWS member name, type, required, one-line help).
//! Also the AWS CLI naming rule (`KmsKeyId` → `--kms-key-id`) and the EC2 waiters.
//!
//! This table mirrors `src/model/OPS.md`, the contract with the core: a parameter the core
//! does not know is not offered here. It holds data only; parsing lives in `args.rs`.

/// Parameter and member types (OPS.md: s, i, b, [s], m, {..}, [{..}]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// String.
    Str,
    /// Integer.
    Int,
    /// Boolean: a `--flag` / `--no-flag` pair on the command line.
    Bool,
    /// List of strings: several words (`--volume-ids vol-1 vol-2`).
    StrList,
    /// Map of string to string (`Key1=Value1,Key2=Value2` or JSON).
    Map,
    /// Structure with the given members (shorthand or JSON).
    Struct(&'static [Member]),
    /// List of structures (one shorthand word per element, or a JSON list).
    StructList(&'static [Member]),
}

/// A member of a structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// AWS member name (PascalCase).
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether AWS requires it.
    pub required: bool,
}

/// A top-level parameter of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// AWS member name (PascalCase); the option is `--` + [`cli_name`] of it.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether the command needs it.
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
    /// Accepted values, when AWS documents a fixed set (used for completion only).
    pub choices: &'static [&'static str],
}

/// An option of a command that is not an API member (`--count` of run-instances,
/// `--minutes` of play advance): `args.rs` translates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extra {
    /// The option, with its dashes.
    pub option: &'static str,
    /// One line of help.
    pub help: &'static str,
}

/// One command of the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command {
    /// The word after `aws` (`ec2`, `kms`, `iam`, `autoscaling`), or `play`.
    pub cli_service: &'static str,
    /// The command name (`create-volume`).
    pub name: &'static str,
    /// The service name passed to the backend (`ec2`, `kms`, …, `play`).
    pub service: &'static str,
    /// The API operation (`CreateVolume`).
    pub operation: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The parameters, in the order the AWS CLI documents them.
    pub params: &'static [Param],
    /// Options translated by the parser.
    pub extras: &'static [Extra],
}

impl Command {
    /// Whether the command takes `--dry-run` (every EC2 command does).
    pub fn takes_dry_run(&self) -> bool {
        self.service == "ec2"
    }

    /// The parameter with this AWS member name.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameter whose option is `--option` (given without the dashes).
    pub fn param_by_option(&self, option: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| cli_name(p.name) == option)
    }

    /// The full command prefix: `aws ec2 create-volume` or `play write`.
    pub fn prefix(&self) -> String {
        if self.cli_service == "play" {
            format!("play {}", self.name)
        } else {
            format!("aws {} {}", self.cli_service, self.name)
        }
    }
}

/// The AWS CLI rule from an API member or operation name to an option or command name
/// (botocore's `xform_name` with `-`): `KmsKeyId` → `kms-key-id`, `AWSServiceName` →
/// `aws-service-name`, `GenerateDataKeyWithoutPlaintext` → `generate-data-key-without-plaintext`.
pub fn cli_name(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    // Special case: a trailing run of capitals plus `s` (`ARNs`) becomes `-arns`.
    let n = chars.len();
    if n >= 3 && chars.last() == Some(&'s') {
        let mut k = n - 1;
        while k > 0 && chars.get(k - 1).is_some_and(|c| c.is_ascii_uppercase()) {
            k -= 1;
        }
        if n - 1 - k >= 2 && k > 0 {
            let tail: Vec<char> = chars.split_off(k);
            chars.push('-');
            chars.extend(tail.iter().map(|c| c.to_ascii_lowercase()));
        }
    }
    // `(.)([A-Z][a-z]+)` → `\1-\2`, left to right, without overlaps.
    let mut s1: Vec<char> = Vec::with_capacity(chars.len() + 8);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let upper_next = chars.get(i + 1).is_some_and(|c| c.is_ascii_uppercase());
        let lower_after = chars.get(i + 2).is_some_and(|c| c.is_ascii_lowercase());
        if upper_next && lower_after {
            s1.push(c);
            s1.push('-');
            let mut j = i + 1;
            if let Some(&u) = chars.get(j) {
                s1.push(u);
            }
            j += 1;
            while let Some(&l) = chars.get(j) {
                if !l.is_ascii_lowercase() {
                    break;
                }
                s1.push(l);
                j += 1;
            }
            i = j;
        } else {
            s1.push(c);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])` → `\1-\2`, then lower case.
    let mut out = String::with_capacity(s1.len() + 8);
    let mut i = 0;
    while let Some(&c) = s1.get(i) {
        let next = s1.get(i + 1).copied();
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_uppercase())
        {
            out.push(c);
            out.push('-');
            if let Some(n) = next {
                out.push(n.to_ascii_lowercase());
            }
            i += 2;
        } else {
            out.push(c.to_ascii_lowercase());
            i += 1;
        }
    }
    out
}

const fn m(name: &'static str, ty: Ty) -> Member {
    Member {
        name,
        ty,
        required: false,
    }
}

const fn mr(name: &'static str, ty: Ty) -> Member {
    Member {
        name,
        ty,
        required: true,
    }
}

const fn o(name: &'static str, ty: Ty, help: &'static str) -> Param {
    Param {
        name,
        ty,
        required: false,
        help,
        choices: &[],
    }
}

const fn r(name: &'static str, ty: Ty, help: &'static str) -> Param {
    Param {
        name,
        ty,
        required: true,
        help,
        choices: &[],
    }
}

impl Param {
    const fn with(self, choices: &'static [&'static str]) -> Param {
        Param {
            name: self.name,
            ty: self.ty,
            required: self.required,
            help: self.help,
            choices,
        }
    }
}

const fn cmd(
    cli_service: &'static str,
    name: &'static str,
    operation: &'static str,
    help: &'static str,
    params: &'static [Param],
) -> Command {
    Command {
        cli_service,
        name,
        service: cli_service,
        operation,
        help,
        params,
        extras: &[],
    }
}

use crate::model::kms::{GRANT_OPERATIONS, KEY_SPECS};
use Ty::*;

const EBS: &[Member] = &[
    m("SnapshotId", Str),
    m("VolumeSize", Int),
    m("VolumeType", Str),
    m("DeleteOnTermination", Bool),
    m("Encrypted", Bool),
    m("KmsKeyId", Str),
];
const BLOCK_DEVICE_MAPPING: &[Member] = &[mr("DeviceName", Str), m("Ebs", Struct(EBS))];
const LAUNCH_TEMPLATE_SPEC: &[Member] = &[
    m("LaunchTemplateName", Str),
    m("LaunchTemplateId", Str),
    m("Version", Str),
];
const LAUNCH_TEMPLATE_DATA: &[Member] = &[
    m("ImageId", Str),
    m("InstanceType", Str),
    m("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING)),
];
const PLACEMENT: &[Member] = &[m("AvailabilityZone", Str)];
const FILTER: &[Member] = &[mr("Name", Str), m("Values", StrList)];
const PERMISSION: &[Member] = &[m("UserId", Str), m("Group", Str)];
const PERMISSION_MODS: &[Member] = &[
    m("Add", StructList(PERMISSION)),
    m("Remove", StructList(PERMISSION)),
];
const GRANT_CONSTRAINTS: &[Member] = &[
    m("EncryptionContextSubset", Map),
    m("EncryptionContextEquals", Map),
];

const KEY_USAGES: &[&str] = &["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"];
const DATA_KEY_SPECS: &[&str] = &["AES_256", "AES_128"];
const VOLUME_TYPES: &[&str] = &["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"];
const ZONES: &[&str] = &["us-east-1a", "us-east-1b", "us-west-2a", "us-west-2b"];
const REGIONS: &[&str] = &["us-east-1", "us-west-2"];
const ADD_REMOVE: &[&str] = &["add", "remove"];
const INSTANCE_TYPES: &[&str] = &["t3.micro", "t3.small", "m5.large"];

const KEY_ID: Param = r(
    "KeyId",
    Str,
    "Key id, key ARN, alias name (alias/…) or alias ARN.",
);
const ENCRYPTION_CONTEXT: Param = o(
    "EncryptionContext",
    Map,
    "Encryption context pairs, bound to the ciphertext: aws:ebs:id=vol-123 (or JSON).",
);
const KEY_ONLY: &[Param] = &[KEY_ID];
const NOTHING: &[Param] = &[];

const DATA_KEY_PARAMS: &[Param] = &[
    KEY_ID,
    o(
        "NumberOfBytes",
        Int,
        "Length of the data key in bytes (EBS asks for 64).",
    ),
    o("KeySpec", Str, "AES_256 or AES_128.").with(DATA_KEY_SPECS),
    ENCRYPTION_CONTEXT,
];

const INSTANCE_IDS: &[Param] = &[r("InstanceIds", StrList, "One or more instance ids (i-…).")];

/// Every command the console accepts, by service.
pub static COMMANDS: &[Command] = &[
    // --- KMS ---
    cmd("kms", "create-key", "CreateKey", "Creates a KMS key (symmetric by default) in the caller's account and region.", &[
        o("Description", Str, "A description of the key."),
        o("KeySpec", Str, "Type of key material (SYMMETRIC_DEFAULT; EBS cannot use the others).").with(KEY_SPECS),
        o("KeyUsage", Str, "ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC.").with(KEY_USAGES),
        o("Policy", Str, "Key policy as JSON text (default: the account may use and manage the key)."),
        o("BypassPolicyLockoutSafetyCheck", Bool, "Skip the check that the caller can still manage the key."),
    ]),
    cmd("kms", "describe-key", "DescribeKey", "Shows a key's metadata: ARN, state, spec, manager, deletion date.", KEY_ONLY),
    cmd("kms", "list-keys", "ListKeys", "Lists the keys of the account in the region.", NOTHING),
    cmd("kms", "create-alias", "CreateAlias", "Creates an alias (alias/name) for a key.", &[
        r("AliasName", Str, "The alias, starting with alias/ (alias/aws/ is reserved)."),
        r("TargetKeyId", Str, "The key the alias points to."),
    ]),
    cmd("kms", "delete-alias", "DeleteAlias", "Deletes an alias (the key is unaffected).", &[
        r("AliasName", Str, "The alias to delete (alias/…)."),
    ]),
    cmd("kms", "list-aliases", "ListAliases", "Lists aliases, optionally only those of one key.", &[
        o("KeyId", Str, "Only aliases pointing to this key."),
    ]),
    cmd("kms", "enable-key", "EnableKey", "Enables a disabled key.", KEY_ONLY),
    cmd("kms", "disable-key", "DisableKey", "Disables a key: cryptographic operations fail with DisabledException.", KEY_ONLY),
    cmd("kms", "schedule-key-deletion", "ScheduleKeyDeletion", "Schedules a key for deletion after 7 to 30 days (default 30).", &[
        KEY_ID,
        o("PendingWindowInDays", Int, "Waiting period, 7 to 30 days."),
    ]),
    cmd("kms", "cancel-key-deletion", "CancelKeyDeletion", "Cancels a scheduled deletion; the key stays Disabled.", KEY_ONLY),
    cmd("kms", "enable-key-rotation", "EnableKeyRotation", "Turns on automatic rotation of the key material.", &[
        KEY_ID,
        o("RotationPeriodInDays", Int, "Days between rotations, 90 to 2560 (default 365)."),
    ]),
    cmd("kms", "disable-key-rotation", "DisableKeyRotation", "Turns off automatic rotation.", KEY_ONLY),
    cmd("kms", "get-key-rotation-status", "GetKeyRotationStatus", "Shows whether automatic rotation is on.", KEY_ONLY),
    cmd("kms", "rotate-key-on-demand", "RotateKeyOnDemand", "Rotates the key material now (old material still decrypts).", KEY_ONLY),
    cmd("kms", "generate-data-key-without-plaintext", "GenerateDataKeyWithoutPlaintext", "Returns a new data key encrypted under the KMS key only (what EBS asks for).", DATA_KEY_PARAMS),
    cmd("kms", "generate-data-key", "GenerateDataKey", "Returns a new data key in plaintext and encrypted under the KMS key.", DATA_KEY_PARAMS),
    cmd("kms", "encrypt", "Encrypt", "Encrypts a small plaintext (up to 4 KiB) under a KMS key.", &[
        KEY_ID,
        r("Plaintext", Str, "The data to encrypt (passed as given)."),
        ENCRYPTION_CONTEXT,
    ]),
    cmd("kms", "decrypt", "Decrypt", "Decrypts a ciphertext blob; the encryption context must match.", &[
        r("CiphertextBlob", Str, "The ciphertext (base64), as Encrypt or GenerateDataKey returned it."),
        o("KeyId", Str, "The key expected to have encrypted it (IncorrectKeyException otherwise)."),
        ENCRYPTION_CONTEXT,
        o("EncryptionAlgorithm", Str, "SYMMETRIC_DEFAULT for symmetric keys.").with(&["SYMMETRIC_DEFAULT"]),
    ]),
    cmd("kms", "re-encrypt", "ReEncrypt", "Decrypts and re-encrypts a ciphertext under another key, inside KMS.", &[
        r("CiphertextBlob", Str, "The ciphertext (base64)."),
        r("DestinationKeyId", Str, "The key to encrypt under."),
        o("SourceKeyId", Str, "The key expected to have encrypted it."),
        o("SourceEncryptionContext", Map, "Encryption context of the source ciphertext."),
        o("DestinationEncryptionContext", Map, "Encryption context for the new ciphertext."),
    ]),
    cmd("kms", "create-grant", "CreateGrant", "Lets a grantee principal use a key for the listed operations.", &[
        KEY_ID,
        r("GranteePrincipal", Str, "ARN of the principal that gets the permissions."),
        r("Operations", StrList, "Operations the grant allows: Decrypt Encrypt GenerateDataKey… CreateGrant RetireGrant DescribeKey.").with(GRANT_OPERATIONS),
        o("RetiringPrincipal", Str, "ARN of a principal that may retire the grant."),
        o("Constraints", Struct(GRANT_CONSTRAINTS), "EncryptionContextSubset={aws:ebs:id=vol-…} or EncryptionContextEquals={…}."),
        o("Name", Str, "A friendly name for the grant."),
    ]),
    cmd("kms", "list-grants", "ListGrants", "Lists the grants on a key.", &[
        KEY_ID,
        o("GrantId", Str, "Only this grant."),
    ]),
    cmd("kms", "retire-grant", "RetireGrant", "Retires a grant (by token, or by key and grant id).", &[
        o("GrantToken", Str, "The grant token CreateGrant returned."),
        o("KeyId", Str, "Key of the grant (with --grant-id)."),
        o("GrantId", Str, "Grant id (with --key-id)."),
    ]),
    cmd("kms", "revoke-grant", "RevokeGrant", "Revokes a grant on a key.", &[
        KEY_ID,
        r("GrantId", Str, "The grant to revoke."),
    ]),
    cmd("kms", "get-key-policy", "GetKeyPolicy", "Shows a key's policy document.", &[
        KEY_ID,
        o("PolicyName", Str, "Always default.").with(&["default"]),
    ]),
    cmd("kms", "put-key-policy", "PutKeyPolicy", "Replaces a key's policy document.", &[
        KEY_ID,
        r("Policy", Str, "The policy as JSON text (in single quotes)."),
        o("PolicyName", Str, "Always default.").with(&["default"]),
    ]),
    // --- EC2 / EBS ---
    cmd("ec2", "create-volume", "CreateVolume", "Creates an EBS volume, empty or from a snapshot, encrypted or not.", &[
        r("AvailabilityZone", Str, "Zone of the volume, such as us-east-1a.").with(ZONES),
        o("Size", Int, "Size in GiB (default: the snapshot's size)."),
        o("SnapshotId", Str, "Snapshot to restore from."),
        o("VolumeType", Str, "gp3 (default), gp2, io1, io2, st1, sc1 or standard.").with(VOLUME_TYPES),
        o("Encrypted", Bool, "Encrypt the volume (--no-encrypted leaves it to the snapshot and the account default)."),
        o("KmsKeyId", Str, "KMS key for encryption (needs --encrypted); default: the account's EBS default key."),
        o("Iops", Int, "Provisioned IOPS (io1, io2, gp3)."),
    ]),
    cmd("ec2", "describe-volumes", "DescribeVolumes", "Describes volumes: state, size, encryption, key, attachments.", &[
        o("VolumeIds", StrList, "Volume ids (vol-…); default: all volumes of the account."),
        o("Filters", StructList(FILTER), "Name=encrypted,Values=false (also status, size, volume-id, snapshot-id, volume-type, availability-zone, attachment.instance-id, …; * and ? match)."),
    ]),
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
    ]),
    cmd("ec2", "describe-snapshots", "DescribeSnapshots", "Describes snapshots you own or may restore.", &[
        o("SnapshotIds", StrList, "Snapshot ids (snap-…)."),
        o("OwnerIds", StrList, "Owners: account ids, self or amazon."),
        o("RestorableByUserIds", StrList, "Accounts that may create volumes from them."),
        o("Filters", StructList(FILTER), "Name=encrypted,Values=true (also status, owner-id, volume-id, snapshot-id, volume-size, description, …)."),
    ]),
    cmd("ec2", "copy-snapshot", "CopySnapshot", "Copies a snapshot (into --region), optionally re-encrypting under another key.", &[
        r("SourceSnapshotId", Str, "The snapshot to copy."),
        r("SourceRegion", Str, "Region of the source snapshot.").with(REGIONS),
        o("Encrypted", Bool, "Encrypt the copy."),
        o("KmsKeyId", Str, "Key for the copy (in the destination region; needs --encrypted)."),
        o("Description", Str, "A description of the copy."),
        o("DestinationRegion", Str, "Destination region (the CLI normally uses --region).").with(REGIONS),
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
        r("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING), "DeviceName=/dev/xvda,Ebs={SnapshotId=snap-…} … (or JSON)."),
        o("Description", Str, "A description."),
        o("Architecture", Str, "x86_64 or arm64.").with(&["x86_64", "arm64"]),
    ]),
    cmd("ec2", "create-image", "CreateImage", "Creates an AMI from an instance (snapshots of its volumes).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("Name", Str, "Name of the AMI."),
        o("Description", Str, "A description."),
    ]),
    cmd("ec2", "copy-image", "CopyImage", "Copies an AMI (into --region), optionally encrypting its snapshots.", &[
        r("SourceImageId", Str, "The AMI to copy."),
        r("SourceRegion", Str, "Region of the source AMI.").with(REGIONS),
        r("Name", Str, "Name of the copy."),
        o("Encrypted", Bool, "Encrypt the copy's snapshots."),
        o("KmsKeyId", Str, "Key for the copy's snapshots (needs --encrypted)."),
        o("Description", Str, "A description."),
    ]),
    cmd("ec2", "describe-images", "DescribeImages", "Describes AMIs.", &[
        o("ImageIds", StrList, "AMI ids (ami-…)."),
        o("Owners", StrList, "Owners: account ids, self or amazon."),
        o("ExecutableUsers", StrList, "Accounts that may launch them (self, all or ids)."),
        o("Filters", StructList(FILTER), "Name=block-device-mapping.encrypted,Values=true (also name, state, owner-id, is-public, image-id, …)."),
    ]),
    cmd("ec2", "modify-image-attribute", "ModifyImageAttribute", "Shares or unshares an AMI (launchPermission).", &[
        r("ImageId", Str, "The AMI (ami-…)."),
        o("Attribute", Str, "launchPermission.").with(&["launchPermission", "description"]),
        o("OperationType", Str, "add or remove.").with(ADD_REMOVE),
        o("UserIds", StrList, "Account ids to add or remove."),
        o("LaunchPermission", Struct(PERMISSION_MODS), "Add=[{UserId=…}],Remove=[{UserId=…}] (instead of the three above)."),
    ]),
    cmd("ec2", "deregister-image", "DeregisterImage", "Deregisters an AMI (its snapshots remain).", &[
        r("ImageId", Str, "The AMI (ami-…)."),
    ]),
    Command {
        extras: &[Extra {
            option: "--count",
            help: "Number of instances: N, or MIN:MAX (default 1).",
        }],
        ..cmd("ec2", "run-instances", "RunInstances", "Launches instances from an AMI or a launch template.", &[
            o("ImageId", Str, "The AMI (ami-…)."),
            o("InstanceType", Str, "Such as t3.micro.").with(INSTANCE_TYPES),
            o("MinCount", Int, "Minimum number of instances (the CLI's --count sets both)."),
            o("MaxCount", Int, "Maximum number of instances."),
            o("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING), "DeviceName=/dev/sdf,Ebs={SnapshotId=snap-…,Encrypted=true,KmsKeyId=…} (or JSON)."),
            o("Placement", Struct(PLACEMENT), "AvailabilityZone=us-east-1a."),
            o("LaunchTemplate", Struct(LAUNCH_TEMPLATE_SPEC), "LaunchTemplateName=…,Version=… (or LaunchTemplateId=…)."),
        ])
    },
    cmd("ec2", "describe-instances", "DescribeInstances", "Describes instances: state, state reason, block devices.", &[
        o("InstanceIds", StrList, "Instance ids (i-…)."),
        o("Filters", StructList(FILTER), "Name=instance-state-name,Values=running (also instance-id, image-id, instance-type, block-device-mapping.volume-id, …)."),
    ]),
    cmd("ec2", "stop-instances", "StopInstances", "Stops instances (their volumes are detached from the host).", INSTANCE_IDS),
    cmd("ec2", "start-instances", "StartInstances", "Starts stopped instances (their volumes are attached again).", INSTANCE_IDS),
    cmd("ec2", "reboot-instances", "RebootInstances", "Reboots instances.", INSTANCE_IDS),
    cmd("ec2", "terminate-instances", "TerminateInstances", "Terminates instances.", INSTANCE_IDS),
    cmd("ec2", "create-launch-template", "CreateLaunchTemplate", "Creates a launch template (for run-instances or Auto Scaling).", &[
        r("LaunchTemplateName", Str, "Name of the template."),
        r("LaunchTemplateData", Struct(LAUNCH_TEMPLATE_DATA), "JSON: {\"ImageId\":…,\"InstanceType\":…,\"BlockDeviceMappings\":[…]}."),
    ]),
    // --- IAM ---
    cmd("iam", "create-user", "CreateUser", "Creates an IAM user.", &[
        r("UserName", Str, "Name of the user."),
    ]),
    cmd("iam", "create-role", "CreateRole", "Creates an IAM role with a trust policy.", &[
        r("RoleName", Str, "Name of the role."),
        r("AssumeRolePolicyDocument", Str, "Trust policy as JSON text."),
        o("Path", Str, "Path, such as /."),
    ]),
    cmd("iam", "get-role", "GetRole", "Shows a role and its trust policy.", &[
        r("RoleName", Str, "Name of the role."),
    ]),
    cmd("iam", "update-assume-role-policy", "UpdateAssumeRolePolicy", "Replaces a role's trust policy: who may assume it.", &[
        r("RoleName", Str, "Name of the role."),
        r("PolicyDocument", Str, "The trust policy as JSON text."),
    ]),
    cmd("iam", "create-service-linked-role", "CreateServiceLinkedRole", "Creates the service-linked role of an AWS service.", &[
        r("AWSServiceName", Str, "Such as autoscaling.amazonaws.com.").with(&["autoscaling.amazonaws.com"]),
    ]),
    cmd("iam", "put-role-policy", "PutRolePolicy", "Adds or replaces an inline policy of a role.", &[
        r("RoleName", Str, "Name of the role."),
        r("PolicyName", Str, "Name of the inline policy."),
        r("PolicyDocument", Str, "The policy as JSON text."),
    ]),
    cmd("iam", "put-user-policy", "PutUserPolicy", "Adds or replaces an inline policy of a user.", &[
        r("UserName", Str, "Name of the user."),
        r("PolicyName", Str, "Name of the inline policy."),
        r("PolicyDocument", Str, "The policy as JSON text."),
    ]),
    cmd("iam", "attach-role-policy", "AttachRolePolicy", "Attaches a managed policy to a role.", &[
        r("RoleName", Str, "Name of the role."),
        r("PolicyArn", Str, "ARN of the managed policy."),
    ]),
    cmd("iam", "attach-user-policy", "AttachUserPolicy", "Attaches a managed policy to a user.", &[
        r("UserName", Str, "Name of the user."),
        r("PolicyArn", Str, "ARN of the managed policy."),
    ]),
    cmd("iam", "list-roles", "ListRoles", "Lists the account's roles.", NOTHING),
    cmd("iam", "list-users", "ListUsers", "Lists the account's users.", NOTHING),
    // --- STS ---
    cmd("sts", "get-caller-identity", "GetCallerIdentity", "Shows the account, ARN and user id of the caller.", NOTHING),
    cmd("sts", "assume-role", "AssumeRole", "Starts a role session, if the role's trust policy and your identity policies allow it (root users cannot). To act as the session: play profile add NAME --role-arn ARN --source-profile P.", &[
        r("RoleArn", Str, "ARN of the role, such as arn:aws:iam::111122223333:role/app."),
        r("RoleSessionName", Str, "Name of the session (2-64 of A-Z a-z 0-9 +=,.@_-)."),
        o("DurationSeconds", Int, "900 to 43200 (default 3600)."),
        o("ExternalId", Str, "The external id the trust policy may require."),
    ]),
    // --- Auto Scaling ---
    cmd("autoscaling", "create-auto-scaling-group", "CreateAutoScalingGroup", "Creates an Auto Scaling group that launches instances from a launch template.", &[
        r("AutoScalingGroupName", Str, "Name of the group."),
        o("LaunchTemplate", Struct(LAUNCH_TEMPLATE_SPEC), "LaunchTemplateName=…,Version=$Latest (quote it)."),
        r("MinSize", Int, "Minimum number of instances."),
        r("MaxSize", Int, "Maximum number of instances."),
        o("DesiredCapacity", Int, "Instances to launch now."),
        o("AvailabilityZones", StrList, "Zones to launch in.").with(ZONES),
    ]),
    cmd("autoscaling", "describe-auto-scaling-groups", "DescribeAutoScalingGroups", "Describes Auto Scaling groups and their instances.", &[
        o("AutoScalingGroupNames", StrList, "Group names."),
    ]),
    // --- play: the playground's own commands ---
    cmd("play", "write", "WriteData", "Writes text through an instance to an attached volume (encrypted by the host with the data key).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("Device", Str, "The device the volume is attached as, such as /dev/sdf."),
        r("Text", Str, "The text to write."),
        o("Sector", Int, "First sector (512 bytes each; default 0)."),
    ]),
    cmd("play", "read", "ReadData", "Reads what the instance sees on a device (decrypted by the host).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("Device", Str, "The device, such as /dev/sdf."),
        o("Sector", Int, "First sector (default 0)."),
        o("Length", Int, "Bytes to read (default: up to the end of the text)."),
    ]),
    cmd("play", "sector", "ShowSector", "Shows a raw sector as stored on the EBS side (ciphertext if encrypted).", &[
        o("VolumeId", Str, "A volume (vol-…)."),
        o("SnapshotId", Str, "Or a snapshot (snap-…)."),
        o("Sector", Int, "The sector (default 0)."),
    ]),
    Command {
        extras: &[
            Extra {
                option: "--minutes",
                help: "Minutes to advance.",
            },
            Extra {
                option: "--hours",
                help: "Hours to advance.",
            },
            Extra {
                option: "--days",
                help: "Days to advance (key deletion waits 7 to 30 days).",
            },
        ],
        ..cmd("play", "advance", "AdvanceTime", "Advances simulated time (pending work such as snapshots and key deletion completes).", &[
            o("Seconds", Int, "Seconds to advance."),
        ])
    },
];

/// Services reachable after `aws` that map to the backend, sorted.
pub const AWS_SERVICES: &[&str] = &["autoscaling", "ec2", "iam", "kms", "sts"];

/// Every word accepted after `aws` (backend services plus local ones), sorted.
pub const AWS_CHOICES: &[&str] = &["autoscaling", "configure", "ec2", "iam", "kms", "sts"];

/// The commands of one CLI service (`ec2`, `kms`, …, `play`).
pub fn commands_of(cli_service: &str) -> impl Iterator<Item = &'static Command> + '_ {
    COMMANDS
        .iter()
        .filter(move |c| c.cli_service == cli_service)
}

/// The command `name` of a CLI service.
pub fn find(cli_service: &str, name: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.cli_service == cli_service && c.name == name)
}

/// The command of a backend service and API operation (`ec2`, `CreateVolume`).
pub fn find_operation(service: &str, operation: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.service == service && c.operation == operation)
}

/// What a waiter acceptor looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// Every element of the JMESPath list result equals `expected` (and there is one).
    PathAll(&'static str, &'static str),
    /// At least one element of the list result equals `expected`.
    PathAny(&'static str, &'static str),
    /// The result equals the JSON literal `expected`.
    Path(&'static str, &'static str),
    /// The call failed with this error code.
    Error(&'static str),
}

/// What a matching acceptor means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitState {
    /// The waiter is done.
    Success,
    /// The condition can no longer be reached.
    Failure,
    /// Keep polling.
    Retry,
}

/// One acceptor of a waiter (botocore's waiter model).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acceptor {
    /// What matching means.
    pub state: WaitState,
    /// What is matched.
    pub matcher: Matcher,
}

/// An EC2 waiter as the AWS CLI defines it (botocore `ec2/waiters-2.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter {
    /// The CLI name (`volume-available`).
    pub name: &'static str,
    /// The botocore name used in messages (`VolumeAvailable`).
    pub waiter_name: &'static str,
    /// The describe command polled.
    pub describe: &'static str,
    /// Seconds between polls.
    pub delay: u64,
    /// Polls before giving up.
    pub max_attempts: u32,
    /// Acceptors, tried in order.
    pub acceptors: &'static [Acceptor],
    /// One line of help.
    pub help: &'static str,
}

const fn acc(state: WaitState, matcher: Matcher) -> Acceptor {
    Acceptor { state, matcher }
}

use Matcher::{Error as ErrorCode, Path, PathAll, PathAny};
use WaitState::{Failure, Retry, Success};

const INSTANCE_STATE: &str = "Reservations[].Instances[].State.Name";

/// The EC2 waiters the console supports.
pub static WAITERS: &[Waiter] = &[
    Waiter {
        name: "volume-available",
        waiter_name: "VolumeAvailable",
        describe: "describe-volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Volumes[].State", "available")),
            acc(Failure, PathAny("Volumes[].State", "deleted")),
        ],
        help: "Waits until the volumes are available.",
    },
    Waiter {
        name: "volume-in-use",
        waiter_name: "VolumeInUse",
        describe: "describe-volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Volumes[].State", "in-use")),
            acc(Failure, PathAny("Volumes[].State", "deleted")),
        ],
        help: "Waits until the volumes are attached (in-use).",
    },
    Waiter {
        name: "volume-deleted",
        waiter_name: "VolumeDeleted",
        describe: "describe-volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Volumes[].State", "deleted")),
            acc(Success, ErrorCode("InvalidVolume.NotFound")),
        ],
        help: "Waits until the volumes are deleted.",
    },
    Waiter {
        name: "snapshot-completed",
        waiter_name: "SnapshotCompleted",
        describe: "describe-snapshots",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Snapshots[].State", "completed")),
            acc(Failure, PathAny("Snapshots[].State", "error")),
        ],
        help: "Waits until the snapshots are completed.",
    },
    Waiter {
        name: "instance-exists",
        waiter_name: "InstanceExists",
        describe: "describe-instances",
        delay: 5,
        max_attempts: 40,
        acceptors: &[
            acc(Success, Path("length(Reservations[]) > `0`", "true")),
            acc(Retry, ErrorCode("InvalidInstanceID.NotFound")),
        ],
        help: "Waits until the instances exist.",
    },
    Waiter {
        name: "instance-running",
        waiter_name: "InstanceRunning",
        describe: "describe-instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll(INSTANCE_STATE, "running")),
            acc(Failure, PathAny(INSTANCE_STATE, "shutting-down")),
            acc(Failure, PathAny(INSTANCE_STATE, "terminated")),
            acc(Failure, PathAny(INSTANCE_STATE, "stopping")),
            acc(Retry, ErrorCode("InvalidInstanceID.NotFound")),
        ],
        help: "Waits until the instances are running.",
    },
    Waiter {
        name: "instance-stopped",
        waiter_name: "InstanceStopped",
        describe: "describe-instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll(INSTANCE_STATE, "stopped")),
            acc(Failure, PathAny(INSTANCE_STATE, "pending")),
            acc(Failure, PathAny(INSTANCE_STATE, "terminated")),
        ],
        help: "Waits until the instances are stopped.",
    },
    Waiter {
        name: "instance-terminated",
        waiter_name: "InstanceTerminated",
        describe: "describe-instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll(INSTANCE_STATE, "terminated")),
            acc(Failure, PathAny(INSTANCE_STATE, "pending")),
            acc(Failure, PathAny(INSTANCE_STATE, "stopping")),
        ],
        help: "Waits until the instances are terminated.",
    },
    Waiter {
        name: "image-exists",
        waiter_name: "ImageExists",
        describe: "describe-images",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, Path("length(Images[]) > `0`", "true")),
            acc(Retry, ErrorCode("InvalidAMIID.NotFound")),
        ],
        help: "Waits until the AMIs exist.",
    },
    Waiter {
        name: "image-available",
        waiter_name: "ImageAvailable",
        describe: "describe-images",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Images[].State", "available")),
            acc(Failure, PathAny("Images[].State", "failed")),
        ],
        help: "Waits until the AMIs are available.",
    },
];

/// The waiter with this CLI name.
pub fn find_waiter(name: &str) -> Option<&'static Waiter> {
    WAITERS.iter().find(|w| w.name == name)
}

/// Up to `n` names from `choices` closest to `typed` (edit distance, then prefix/substring),
/// closest first; used for "maybe you meant" lists.
pub fn closest<'a>(typed: &str, choices: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let typed_l = typed.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = choices
        .map(|c| {
            let d = edit_distance(&typed_l, c);
            let bonus = if !typed_l.is_empty() && (c.starts_with(&typed_l) || c.contains(&typed_l))
            {
                0
            } else {
                d
            };
            (bonus.min(d), c)
        })
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Levenshtein distance (the first 200 characters of `a`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(200).collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}
