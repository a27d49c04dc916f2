//! The operation table: one description of every operation the playground answers (service,
//! API name, CLI command, help, each member with its type, whether it is required, its choices).
//!
//! It is read by the model's parameter reader ([`super::params::Params`] accepts exactly an
//! operation's members), by the CLI's parser, completion and help (`crate::cli::schema`
//! re-exports it), and by the generated forms. One file per service holds its rows.

pub mod aliyun;
mod aliyun_ecs;
mod aliyun_kms;
mod aliyun_ram;
mod autoscaling;
mod ec2;
mod iam;
mod kms;
mod play;
mod rds;
mod s3;
mod shapes;
mod sts;

use super::provider::Cloud;
use super::trace::Participant;

pub use aliyun_ecs::{ALI_INSTANCE_TYPES, DISK_CATEGORIES};
pub use aliyun_kms::ALI_KEY_SPECS;
pub use shapes::{LAUNCH_TEMPLATE_DATA, ZONES};

/// The services of the model, as the backend names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    /// AWS KMS.
    Kms,
    /// Amazon EC2 and EBS.
    Ec2,
    /// AWS IAM.
    Iam,
    /// AWS STS.
    Sts,
    /// Amazon EC2 Auto Scaling.
    AutoScaling,
    /// The playground's own commands (`play write`, `play advance`, …).
    Play,
    /// Amazon S3 (`aws s3api …`, and `aws s3 cp`/`ls` translated to it).
    S3,
    /// Amazon RDS.
    Rds,
    /// Alibaba Cloud ECS: instances, disks, snapshots, images (`aliyun ecs …`).
    AliEcs,
    /// Alibaba Cloud KMS (`aliyun kms …`).
    AliKms,
    /// Alibaba Cloud RAM (`aliyun ram …`).
    AliRam,
    /// The playground's own commands in an Alibaba Cloud world (`play advance`, `play write`).
    AliPlay,
}

impl Service {
    /// Every service of both clouds.
    pub const EVERY: [Service; 12] = [
        Service::Kms,
        Service::Ec2,
        Service::Iam,
        Service::Sts,
        Service::AutoScaling,
        Service::Play,
        Service::S3,
        Service::Rds,
        Service::AliEcs,
        Service::AliKms,
        Service::AliRam,
        Service::AliPlay,
    ];

    /// The services of an Alibaba Cloud world.
    pub const ALIBABA: [Service; 4] = [
        Service::AliEcs,
        Service::AliKms,
        Service::AliRam,
        Service::AliPlay,
    ];

    /// Every AWS service, in the order their tables are listed.
    pub const ALL: [Service; 8] = [
        Service::Kms,
        Service::Ec2,
        Service::Iam,
        Service::Sts,
        Service::AutoScaling,
        Service::Play,
        Service::S3,
        Service::Rds,
    ];

    /// The backend's name of the service (`ec2`, `kms`, `autoscaling`, `play`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Service::Kms => "kms",
            Service::Ec2 => "ec2",
            Service::Iam => "iam",
            Service::Sts => "sts",
            Service::AutoScaling => "autoscaling",
            Service::Play => "play",
            Service::S3 => "s3",
            Service::Rds => "rds",
            Service::AliEcs => "ecs",
            Service::AliKms => "kms",
            Service::AliRam => "ram",
            Service::AliPlay => "play",
        }
    }

    /// The cloud the service belongs to.
    pub const fn cloud(self) -> Cloud {
        match self {
            Service::AliEcs | Service::AliKms | Service::AliRam | Service::AliPlay => {
                Cloud::Alibaba
            }
            _ => Cloud::Aws,
        }
    }

    /// The AWS service of a backend name.
    pub fn parse(name: &str) -> Option<Service> {
        Service::parse_in(Cloud::Aws, name)
    }

    /// The service of a backend name in a cloud (`kms` is AWS KMS in an AWS world, Alibaba
    /// Cloud KMS in an Alibaba Cloud world).
    pub fn parse_in(cloud: Cloud, name: &str) -> Option<Service> {
        Service::of(cloud)
            .iter()
            .copied()
            .find(|s| s.as_str() == name)
    }

    /// The services of a cloud.
    pub fn of(cloud: Cloud) -> &'static [Service] {
        match cloud {
            Cloud::Aws => &Service::ALL,
            Cloud::Alibaba => &Service::ALIBABA,
        }
    }

    /// The service of a CLI word (the table's rows; every row names a known service).
    const fn from_cli(word: &str) -> Service {
        match word.as_bytes() {
            b"kms" => Service::Kms,
            b"ec2" => Service::Ec2,
            b"iam" => Service::Iam,
            b"sts" => Service::Sts,
            b"autoscaling" => Service::AutoScaling,
            b"s3api" => Service::S3,
            b"rds" => Service::Rds,
            _ => Service::Play,
        }
    }

    /// The lifeline that answers requests to this service.
    pub fn participant(self) -> Participant {
        match self {
            Service::Kms => Participant::Kms,
            Service::Ec2 => Participant::Ec2,
            Service::Iam => Participant::Iam,
            Service::Sts => Participant::Sts,
            Service::AutoScaling => Participant::AutoScaling,
            Service::Play | Service::AliPlay => Participant::Host,
            Service::S3 => Participant::S3,
            Service::Rds => Participant::Rds,
            Service::AliEcs => Participant::Ecs,
            Service::AliKms => Participant::Kms,
            Service::AliRam => Participant::Ram,
        }
    }

    /// The output members of this service that botocore types as timestamps: the AWS CLI
    /// prints each as ISO 8601 with `+00:00`, whether the API sent epoch seconds (KMS) or an ISO
    /// string (EC2, IAM). Checked against botocore's output shapes by `tests/conformance.rs`.
    pub fn timestamp_members(self) -> &'static [&'static str] {
        match self {
            Service::Kms => &[
                "CreationDate",
                "DeletionDate",
                "NextRotationDate",
                "LastUpdatedDate",
                "OnDemandRotationStartDate",
                "ValidTo",
            ],
            Service::Ec2 => &[
                "AttachTime",
                "CompletionTime",
                "CreateTime",
                "CriticalFixAvailableSince",
                "ElasticInferenceAcceleratorAssociationTime",
                "FindingScanDate",
                "HighFixAvailableSince",
                "InformationalFixAvailableSince",
                "LaunchTime",
                "LowFixAvailableSince",
                "MediumFixAvailableSince",
                "RestoreExpiryTime",
                "SourceImageCreationTime",
                "StartTime",
                "UsageOperationUpdateTime",
                "WatermarkCreationTime",
            ],
            Service::Iam => &["CreateDate", "LastUsedDate", "PasswordLastUsed"],
            Service::Sts => &["Expiration"],
            Service::AutoScaling => &["CreatedTime", "StartTime", "EndTime"],
            Service::Play => &[],
            Service::S3 => &["CreationDate", "LastModified"],
            Service::Rds => &[
                "InstanceCreateTime",
                "LatestRestorableTime",
                "OriginalSnapshotCreateTime",
                "SnapshotCreateTime",
                "SnapshotDatabaseTime",
            ],
            // Alibaba Cloud prints its times as the API returns them (ISO 8601, `Z`).
            Service::AliEcs | Service::AliKms | Service::AliRam | Service::AliPlay => &[],
        }
    }

    /// The rows of this service.
    pub fn ops(self) -> &'static [Op] {
        match self {
            Service::Kms => kms::OPS,
            Service::Ec2 => ec2::OPS,
            Service::Iam => iam::OPS,
            Service::Sts => sts::OPS,
            Service::AutoScaling => autoscaling::OPS,
            Service::Play => play::OPS,
            Service::S3 => s3::OPS,
            Service::Rds => rds::OPS,
            Service::AliEcs => aliyun_ecs::OPS,
            Service::AliKms => aliyun_kms::OPS,
            Service::AliRam => aliyun_ram::OPS,
            Service::AliPlay => aliyun::PLAY_OPS,
        }
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// One operation: its service, API name, CLI command, help and members. The model reads its
/// members (which ones a request may carry, their types); the CLI, completion, help and the
/// forms read all of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    /// The word after `aws` (`ec2`, `kms`, `iam`, `autoscaling`), or `play`.
    pub cli_service: &'static str,
    /// The command name (`create-volume`).
    pub name: &'static str,
    /// The service that answers it.
    pub service: Service,
    /// The API operation (`CreateVolume`).
    pub operation: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The parameters, in the order the AWS CLI documents them.
    pub params: &'static [Param],
    /// Options translated by the parser.
    pub extras: &'static [Extra],
    /// Members of the API the AWS CLI does not offer as options because one of its own options
    /// sets them (run-instances' `--count` sets `MinCount` and `MaxCount`): the model accepts
    /// them, the console refuses `--min-count` as the CLI does.
    pub hidden: &'static [&'static str],
    /// How the operation pages its results, when it does (botocore's paginator).
    pub paging: Option<Paging>,
}

/// How an operation pages its results: which member limits a page, which carries the token in
/// and out, which says more are left, and which list is paged (botocore's paginator model).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// The request member that carries the token (`NextToken`, `Marker`).
    pub input_token: &'static str,
    /// The response member that carries the next token (`NextToken`, `NextMarker`, `Marker`).
    pub output_token: &'static str,
    /// The request member that limits a page (`MaxResults`, `Limit`, `MaxItems`, `MaxRecords`).
    pub limit_key: &'static str,
    /// The response member that says more results are left (`Truncated`, `IsTruncated`).
    pub more_results: Option<&'static str>,
    /// The paged list (`Volumes`, `Keys`, `Reservations`).
    pub result_key: &'static str,
    /// The smallest and largest page the service accepts.
    pub limits: (u64, u64),
}

impl Op {
    /// The same operation, paged as `paging` says.
    pub(super) const fn paged(self, paging: Paging) -> Op {
        Op {
            paging: Some(paging),
            ..self
        }
    }

    /// Whether the command takes `--dry-run` (every EC2 command does).
    pub fn takes_dry_run(&self) -> bool {
        self.service == Service::Ec2
    }

    /// The parameter with this AWS member name.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameter whose option is `--option` (given without the dashes).
    pub fn param_by_option(&self, option: &str) -> Option<&'static Param> {
        self.cli_params().find(|p| cli_name(p.name) == option)
    }

    /// The options `--option` could abbreviate: the AWS CLI, like argparse, takes an unambiguous
    /// prefix of a long option (`--tag-key` for `--tag-keys`). An exact name comes alone.
    pub fn params_by_prefix(&self, option: &str) -> Vec<&'static Param> {
        if let Some(p) = self.param_by_option(option) {
            return vec![p];
        }
        if option.is_empty() {
            return Vec::new();
        }
        self.cli_params()
            .filter(|p| cli_name(p.name).starts_with(option))
            .collect()
    }

    /// The members the CLI offers as options (all but [`Op::hidden`]).
    pub fn cli_params(&self) -> impl Iterator<Item = &'static Param> + '_ {
        self.params
            .iter()
            .filter(|p| !self.hidden.contains(&p.name))
    }

    /// The full command prefix: `aws ec2 create-volume`, `aliyun ecs CreateDisk` or `play write`.
    pub fn prefix(&self) -> String {
        if self.cli_service == "play" {
            format!("play {}", self.name)
        } else if self.service.cloud() == Cloud::Alibaba {
            format!("aliyun {} {}", self.cli_service, self.name)
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

/// The names of some members (for reading a structure the table describes).
pub fn member_names(members: &[Member]) -> Vec<&'static str> {
    members.iter().map(|m| m.name).collect()
}

/// Every AWS operation, service by service (the Alibaba Cloud table is [`aliyun`]'s).
pub fn all() -> impl Iterator<Item = &'static Op> {
    Service::ALL.into_iter().flat_map(|s| s.ops().iter())
}

/// The operations of one CLI service (`ec2`, `kms`, …, `play`).
pub fn commands_of(cli_service: &str) -> impl Iterator<Item = &'static Op> + '_ {
    all().filter(move |c| c.cli_service == cli_service)
}

/// The operation whose CLI command is `name` in a CLI service.
pub fn find(cli_service: &str, name: &str) -> Option<&'static Op> {
    all().find(|c| c.cli_service == cli_service && c.name == name)
}

/// The operation of a backend service and API operation name (`ec2`, `CreateVolume`).
pub fn find_operation(service: &str, operation: &str) -> Option<&'static Op> {
    Service::parse(service)?.op(operation)
}

impl Service {
    /// This service's row for an API operation name.
    pub fn op(self, operation: &str) -> Option<&'static Op> {
        self.ops().iter().find(|c| c.operation == operation)
    }
}

#[cfg(test)]
mod table_tests;
