//! Members and value lists that several operations share (block device mappings, filters,
//! key ids, zones), and the constructors the service tables are written with.

use super::{Member, Op, Paging, Param, Service, Ty};
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
        hidden: &[],
        paging: None,
    }
}

/// The options of `play advance` besides `--seconds`: minutes, hours and days (`days` says how
/// long the cloud's key deletion waits).
pub(super) const fn time_extras(days: &'static str) -> [super::Extra; 3] {
    [
        super::Extra {
            option: "--minutes",
            help: "Minutes to advance.",
        },
        super::Extra {
            option: "--hours",
            help: "Hours to advance.",
        },
        super::Extra {
            option: "--days",
            help: days,
        },
    ]
}

pub(super) const EBS: &[Member] = &[
    m("SnapshotId", Str),
    m("VolumeSize", Int),
    m("VolumeType", Str),
    m("DeleteOnTermination", Bool),
    m("Encrypted", Bool),
    m("KmsKeyId", Str),
];
pub(super) const BLOCK_DEVICE_MAPPING: &[Member] = &[
    m("DeviceName", Str),
    m("Ebs", Struct(EBS)),
    m("NoDevice", Str),
    m("VirtualName", Str),
];
pub(super) const LAUNCH_TEMPLATE_SPEC: &[Member] = &[
    m("LaunchTemplateName", Str),
    m("LaunchTemplateId", Str),
    m("Version", Str),
];
pub(super) const NETWORK_INTERFACE: &[Member] = &[
    m("AssociatePublicIpAddress", Bool),
    m("DeleteOnTermination", Bool),
    m("Description", Str),
    m("DeviceIndex", Int),
    m("Groups", StrList),
    m("Ipv6AddressCount", Int),
    m("NetworkInterfaceId", Str),
    m("PrivateIpAddress", Str),
    m("SubnetId", Str),
];
/// What a launch template may carry (`LaunchTemplateData`); RunInstances reads the same.
pub const LAUNCH_TEMPLATE_DATA: &[Member] = &[
    m("ImageId", Str),
    m("InstanceType", Str),
    m("BlockDeviceMappings", StructList(BLOCK_DEVICE_MAPPING)),
    m("NetworkInterfaces", StructList(NETWORK_INTERFACE)),
    m("KeyName", Str),
    m("SecurityGroupIds", StrList),
    m("UserData", Str),
    m("Placement", Struct(PLACEMENT)),
    m("TagSpecifications", StructList(TAG_SPECIFICATION)),
];
pub(super) const PLACEMENT: &[Member] = &[m("AvailabilityZone", Str)];
pub(super) const FILTER: &[Member] = &[m("Name", Str), m("Values", StrList)];
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
pub(super) const IAM_TAG: &[Member] = &[mr("Key", Str), mr("Value", Str)];
pub(super) const ASG_TAG: &[Member] = &[
    m("ResourceId", Str),
    m("ResourceType", Str),
    mr("Key", Str),
    m("Value", Str),
    m("PropagateAtLaunch", Bool),
];
pub(super) const CREDIT_SPECIFICATION: &[Member] = &[mr("CpuCredits", Str)];
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
/// EC2's describes: `MaxResults` (5 to 1000) and `NextToken`.
pub(super) const fn ec2_pages(result_key: &'static str) -> Paging {
    Paging {
        input_token: "NextToken",
        output_token: "NextToken",
        limit_key: "MaxResults",
        more_results: None,
        result_key,
        limits: (5, 1000),
    }
}

/// KMS's lists: `Limit` (1 to 1000), `Marker` in, `NextMarker` and `Truncated` out.
pub(super) const fn kms_pages(result_key: &'static str) -> Paging {
    Paging {
        input_token: "Marker",
        output_token: "NextMarker",
        limit_key: "Limit",
        more_results: Some("Truncated"),
        result_key,
        limits: (1, 1000),
    }
}

/// IAM's lists: `MaxItems` (1 to 1000), `Marker` in and out, `IsTruncated`.
pub(super) const fn iam_pages(result_key: &'static str) -> Paging {
    Paging {
        input_token: "Marker",
        output_token: "Marker",
        limit_key: "MaxItems",
        more_results: Some("IsTruncated"),
        result_key,
        limits: (1, 1000),
    }
}

/// Auto Scaling's describes: `MaxRecords` (1 to 100) and `NextToken`.
pub(super) const fn autoscaling_pages(result_key: &'static str) -> Paging {
    Paging {
        input_token: "NextToken",
        output_token: "NextToken",
        limit_key: "MaxRecords",
        more_results: None,
        result_key,
        limits: (1, 100),
    }
}

pub(super) const EC2_PAGE: [Param; 2] = [
    o("MaxResults", Int, "Largest number of results in one page (5 to 1000); the response carries NextToken when more are left."),
    o("NextToken", Str, "The NextToken of the previous page."),
];
pub(super) const KMS_PAGE: [Param; 2] = [
    o("Limit", Int, "Largest number of results in one page (1 to 1000); the response says Truncated and gives NextMarker when more are left."),
    o("Marker", Str, "The NextMarker of the previous page."),
];
pub(super) const IAM_PAGE: [Param; 2] = [
    o("MaxItems", Int, "Largest number of results in one page (1 to 1000); the response says IsTruncated and gives Marker when more are left."),
    o("Marker", Str, "The Marker of the previous page."),
];
pub(super) const ASG_PAGE: [Param; 2] = [
    o(
        "MaxRecords",
        Int,
        "Largest number of groups in one page (1 to 100).",
    ),
    o("NextToken", Str, "The NextToken of the previous page."),
];

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
