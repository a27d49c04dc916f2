//! Members and value lists that several operations share (block device mappings, filters,
//! key ids, zones), and the constructors the service tables are written with.

use super::{Member, Op, Param, Service, Ty};
use crate::model::provider::AWS;
use Ty::*;

pub(super) const fn m(name: &'static str, ty: Ty) -> Member {
    Member {
        name,
        ty,
        required: false,
    }
}

pub(super) const fn mr(name: &'static str, ty: Ty) -> Member {
    Member {
        name,
        ty,
        required: true,
    }
}

pub(super) const fn o(name: &'static str, ty: Ty, help: &'static str) -> Param {
    Param {
        name,
        ty,
        required: false,
        help,
        choices: &[],
    }
}

pub(super) const fn r(name: &'static str, ty: Ty, help: &'static str) -> Param {
    Param {
        name,
        ty,
        required: true,
        help,
        choices: &[],
    }
}

impl Param {
    pub(super) const fn with(self, choices: &'static [&'static str]) -> Param {
        Param {
            name: self.name,
            ty: self.ty,
            required: self.required,
            help: self.help,
            choices,
        }
    }
}

pub(super) const fn cmd(
    cli_service: &'static str,
    name: &'static str,
    operation: &'static str,
    help: &'static str,
    params: &'static [Param],
) -> Op {
    Op {
        cli_service,
        name,
        service: Service::from_cli(cli_service),
        operation,
        help,
        params,
        extras: &[],
    }
}

pub(super) const EBS: &[Member] = &[
    m("SnapshotId", Str),
    m("VolumeSize", Int),
    m("VolumeType", Str),
    m("DeleteOnTermination", Bool),
    m("Encrypted", Bool),
    m("KmsKeyId", Str),
];
pub(super) const BLOCK_DEVICE_MAPPING: &[Member] = &[mr("DeviceName", Str), m("Ebs", Struct(EBS))];
pub(super) const LAUNCH_TEMPLATE_SPEC: &[Member] = &[
    m("LaunchTemplateName", Str),
    m("LaunchTemplateId", Str),
    m("Version", Str),
];
pub(super) const LAUNCH_TEMPLATE_DATA: &[Member] = &[
    m("ImageId", Str),
    m("InstanceType", Str),
    m("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING)),
    m("TagSpecifications", StructList(TAG_SPECIFICATION)),
];
pub(super) const PLACEMENT: &[Member] = &[m("AvailabilityZone", Str)];
pub(super) const FILTER: &[Member] = &[mr("Name", Str), m("Values", StrList)];
pub(super) const PERMISSION: &[Member] = &[m("UserId", Str), m("Group", Str)];
pub(super) const PERMISSION_MODS: &[Member] = &[
    m("Add", StructList(PERMISSION)),
    m("Remove", StructList(PERMISSION)),
];
pub(super) const GRANT_CONSTRAINTS: &[Member] = &[
    m("EncryptionContextSubset", Map),
    m("EncryptionContextEquals", Map),
];

pub(super) const KEY_USAGES: &[&str] = &["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"];
pub(super) const DATA_KEY_SPECS: &[&str] = &["AES_256", "AES_128"];
pub(super) const VOLUME_TYPES: &[&str] = &["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"];
/// Every availability zone the AWS provider models.
pub const ZONES: &[&str] = AWS.zones_all;
pub(super) const REGIONS: &[&str] = AWS.regions;
pub(super) const ADD_REMOVE: &[&str] = &["add", "remove"];
pub(super) const INSTANCE_TYPES: &[&str] = &["t3.micro", "t3.small", "m5.large"];

pub(super) const KEY_ID: Param = r(
    "KeyId",
    Str,
    "Key id, key ARN, alias name (alias/…) or alias ARN.",
);
pub(super) const ENCRYPTION_CONTEXT: Param = o(
    "EncryptionContext",
    Map,
    "Encryption context pairs, bound to the ciphertext: aws:ebs:id=vol-123 (or JSON).",
);
pub(super) const KEY_ONLY: &[Param] = &[KEY_ID];
pub(super) const NOTHING: &[Param] = &[];

pub(super) const KMS_TAG: &[Member] = &[mr("TagKey", Str), mr("TagValue", Str)];
pub(super) const POLICY_ARN: &[Member] = &[m("arn", Str)];
pub(super) const TAG: &[Member] = &[m("Key", Str), m("Value", Str)];
pub(super) const TAG_SPECIFICATION: &[Member] =
    &[m("ResourceType", Str), m("Tags", StructList(TAG))];
/// `--tag-specifications`, as EC2's create operations take it.
pub(super) const TAG_SPECIFICATIONS: Param = o(
    "TagSpecifications",
    StructList(TAG_SPECIFICATION),
    "Tags for the new resource: ResourceType=volume,Tags=[{Key=team,Value=finance}].",
);
/// `--grant-tokens`: accepted by KMS operations that a new grant may not yet cover.
pub(super) const GRANT_TOKENS: Param = o(
    "GrantTokens",
    StrList,
    "Grant tokens for a grant that may not have taken effect yet.",
);
pub(super) const DATA_KEY_PARAMS: &[Param] = &[
    KEY_ID,
    o(
        "NumberOfBytes",
        Int,
        "Length of the data key in bytes (EBS asks for 64).",
    ),
    o("KeySpec", Str, "AES_256 or AES_128.").with(DATA_KEY_SPECS),
    ENCRYPTION_CONTEXT,
    GRANT_TOKENS,
];

pub(super) const STOP_INSTANCES: &[Param] = &[
    r("InstanceIds", StrList, "One or more instance ids (i-…)."),
    o(
        "Hibernate",
        Bool,
        "Hibernate instead of stopping (needs hibernation configured; treated as a stop).",
    ),
    o("Force", Bool, "Force the instances to stop."),
];
pub(super) const INSTANCE_IDS: &[Param] =
    &[r("InstanceIds", StrList, "One or more instance ids (i-…).")];
