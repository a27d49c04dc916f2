//! The provider profile: the names and rules that differ between clouds.
//!
//! The core's structure (keys, volumes, snapshots, grants, the trace) is provider-neutral;
//! everything AWS-specific that a second provider (Alibaba Cloud ECS: `alias/acs/ecs`,
//! `CreateDisk`, ESSD-only encryption) would change lives in a [`Provider`] value.

/// The clouds the playground models. A world ([`crate::model::Sim`]) belongs to one of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cloud {
    /// Amazon Web Services: EC2, EBS, KMS, IAM, S3, RDS (seeds 000, 001, 003).
    #[default]
    Aws,
    /// Alibaba Cloud: ECS disks, KMS and RAM (seed 002).
    Alibaba,
}

impl Cloud {
    /// Both clouds, AWS first.
    pub const ALL: [Cloud; 2] = [Cloud::Aws, Cloud::Alibaba];

    /// The short name scripts and links use (`aws`, `alibaba`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Alibaba => "alibaba",
        }
    }

    /// The cloud of a short name (`aws`, `alibaba`; `aliyun` too).
    pub fn parse(s: &str) -> Option<Cloud> {
        match s {
            "aws" => Some(Cloud::Aws),
            "alibaba" | "aliyun" => Some(Cloud::Alibaba),
            _ => None,
        }
    }

    /// The provider profile of this cloud.
    pub fn provider(self) -> &'static Provider {
        match self {
            Cloud::Aws => &AWS,
            Cloud::Alibaba => &ALIBABA,
        }
    }
}

/// Names and limits of one cloud provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Which cloud this is.
    pub cloud: Cloud,
    /// Display name.
    pub name: &'static str,
    /// The first words of every ARN (`arn:aws`; Alibaba's ARNs start `acs`).
    pub arn_prefix: &'static str,
    /// Digits of an account id (12 at AWS, 16 for an Alibaba Cloud account UID).
    pub account_digits: usize,
    /// The command-line tool (`aws`, `aliyun`).
    pub cli: &'static str,
    /// The audit trail the calls are recorded in (`CloudTrail`, `ActionTrail`).
    pub trail: &'static str,
    /// ARN partition (`aws`).
    pub partition: &'static str,
    /// The service in the ARNs of users, roles and account roots (`iam` at AWS, `ram` at
    /// Alibaba Cloud: `acs:ram::UID:root`).
    pub identity_service: &'static str,
    /// The domain of service principals and endpoints (`amazonaws.com`).
    pub domain: &'static str,
    /// Alias of the service-managed key used for disk encryption.
    pub managed_key_alias: &'static str,
    /// The encryption-context key that binds a data key to its resource.
    pub context_key: &'static str,
    /// Bytes of data key the block service asks KMS for (512-bit for XTS).
    pub data_key_bytes: usize,
    /// Largest volume, in GiB.
    pub max_volume_gib: u64,
    /// Regions the playground offers.
    pub regions: &'static [&'static str],
    /// Every availability zone of those regions (three per region, `a` to `c`).
    pub zones_all: &'static [&'static str],
    /// Id prefixes: volume, snapshot, instance, image, reservation, launch template (read
    /// through [`Provider::prefix`]).
    pub prefixes: [&'static str; 6],
}

/// The kinds of resource id the provider mints, each with its prefix in [`Provider::prefixes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// `vol-…`
    Volume,
    /// `snap-…`
    Snapshot,
    /// `i-…`
    Instance,
    /// `ami-…`
    Image,
    /// `r-…`
    Reservation,
    /// `lt-…`
    LaunchTemplate,
}

/// The parts of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `kms`, `iam`, `sts`.
    pub service: &'a str,
    /// Empty for global services (IAM, STS).
    pub region: &'a str,
    /// Twelve-digit account id (or `aws` for AWS managed policies).
    pub account: &'a str,
    /// `key/ID`, `alias/NAME`, `root`, `role/PATH/NAME`, `assumed-role/NAME/SESSION`.
    pub resource: &'a str,
}

/// Amazon Web Services: EC2, EBS and KMS.
pub const AWS: Provider = Provider {
    cloud: Cloud::Aws,
    name: "AWS",
    arn_prefix: "arn:aws",
    account_digits: 12,
    cli: "aws",
    trail: "CloudTrail",
    partition: "aws",
    identity_service: "iam",
    domain: "amazonaws.com",
    managed_key_alias: "alias/aws/ebs",
    context_key: "aws:ebs:id",
    data_key_bytes: 64,
    max_volume_gib: 16_384,
    regions: &["us-east-1", "us-west-2", "eu-west-1"],
    zones_all: &[
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-west-2a",
        "us-west-2b",
        "us-west-2c",
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    ],
    prefixes: ["vol", "snap", "i", "ami", "r", "lt"],
};

/// Alibaba Cloud: ECS, its disks (Elastic Block Storage), KMS and RAM (seed 002).
///
/// Regions as Alibaba spells them. `ap-northeast-2` (Seoul) and `cn-nanjing` (the Nanjing local
/// region) cannot create encrypted disks; `cn-fuzhou` (the Fuzhou local region) and
/// `ap-southeast-7` (Bangkok) cannot use customer master keys (seed 002, "Limitations").
pub const ALIBABA: Provider = Provider {
    cloud: Cloud::Alibaba,
    name: "Alibaba Cloud",
    arn_prefix: "acs",
    account_digits: 16,
    cli: "aliyun",
    trail: "ActionTrail",
    partition: "acs",
    identity_service: "ram",
    domain: "aliyuncs.com",
    managed_key_alias: "alias/acs/ecs",
    context_key: "acs:ecs:disk-id",
    data_key_bytes: 64,
    max_volume_gib: 65_536,
    regions: &[
        "cn-hangzhou",
        "cn-shanghai",
        "ap-southeast-1",
        "ap-northeast-2",
        "cn-nanjing",
        "cn-fuzhou",
        "ap-southeast-7",
    ],
    zones_all: &[
        "cn-hangzhou-h",
        "cn-hangzhou-i",
        "cn-hangzhou-j",
        "cn-shanghai-e",
        "cn-shanghai-f",
        "cn-shanghai-g",
        "ap-southeast-1a",
        "ap-southeast-1b",
        "ap-southeast-1c",
        "ap-northeast-2a",
        "ap-northeast-2b",
        "cn-nanjing-a",
        "cn-fuzhou-a",
        "ap-southeast-7a",
    ],
    prefixes: ["d", "s", "i", "m", "r", "lt"],
};

impl Provider {
    /// Whether `account` is an account id of this provider (all digits, the right length).
    pub fn valid_account(&self, account: &str) -> bool {
        account.len() == self.account_digits && account.bytes().all(|b| b.is_ascii_digit())
    }

    /// The prefix of an id kind (`vol`, `snap`, `i`, `ami`, `r`).
    pub fn prefix(&self, kind: IdKind) -> &'static str {
        self.prefixes[kind as usize]
    }

    /// `arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub fn arn(&self, service: &str, region: &str, account: &str, resource: &str) -> String {
        format!(
            "{}:{service}:{region}:{account}:{resource}",
            self.arn_prefix
        )
    }

    /// An IAM ARN, `arn:aws:iam::ACCOUNT:RESOURCE` (`user/alice`, `role/PATH/NAME`).
    pub fn iam_arn(&self, account: &str, resource: &str) -> String {
        self.arn(self.identity_service, "", account, resource)
    }

    /// An account's root principal, `arn:aws:iam::ACCOUNT:root`.
    pub fn root_arn(&self, account: &str) -> String {
        self.iam_arn(account, "root")
    }

    /// A role's session, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub fn assumed_role_arn(&self, account: &str, role: &str, session: &str) -> String {
        self.arn(
            "sts",
            "",
            account,
            &format!("assumed-role/{role}/{session}"),
        )
    }

    /// A KMS key or alias ARN from a key id (`key/ID`) or an alias name (`alias/NAME`).
    pub fn kms_arn(&self, region: &str, account: &str, key_ref: &str) -> String {
        if key_ref.starts_with("alias/") {
            self.arn("kms", region, account, key_ref)
        } else {
            self.arn("kms", region, account, &format!("key/{key_ref}"))
        }
    }

    /// A provider-managed IAM policy, `arn:aws:iam::aws:policy/NAME`.
    pub fn managed_policy_arn(&self, name: &str) -> String {
        self.iam_arn(self.partition, &format!("policy/{name}"))
    }

    /// The path of a service's service-linked roles, `/aws-service-role/SERVICE-PRINCIPAL/`.
    pub fn service_linked_role_path(&self, service_principal: &str) -> String {
        format!("/{}-service-role/{service_principal}/", self.partition)
    }

    /// The ARN of a service-linked role (`autoscaling` → `…:role/aws-service-role/autoscaling.amazonaws.com/NAME`).
    pub fn service_linked_role_arn(&self, account: &str, service: &str, name: &str) -> String {
        let path = self.service_linked_role_path(&self.service_principal(service));
        self.iam_arn(account, &format!("role{path}{name}"))
    }

    /// The ARN prefix every service-linked role of an account has.
    pub fn service_linked_role_prefix(&self, account: &str) -> String {
        self.iam_arn(account, &format!("role/{}-service-role/", self.partition))
    }

    /// A service principal, `SERVICE.amazonaws.com` (also the CloudTrail event source).
    pub fn service_principal(&self, service: &str) -> String {
        format!("{service}.{}", self.domain)
    }

    /// A regional service principal, `SERVICE.REGION.amazonaws.com` (`kms:ViaService`).
    pub fn regional_service_principal(&self, service: &str, region: &str) -> String {
        format!("{service}.{region}.{}", self.domain)
    }

    /// The service of a service principal: `ec2.amazonaws.com` → `ec2`,
    /// `ec2.us-east-1.amazonaws.com` → `ec2.us-east-1` (the `.cn` form too); `None` for others.
    pub fn service_of_principal<'a>(&self, s: &'a str) -> Option<&'a str> {
        let s = s.strip_suffix(".cn").unwrap_or(s);
        s.strip_suffix(self.domain)?
            .strip_suffix('.')
            .filter(|_| !s.starts_with("arn:"))
    }

    /// Splits an ARN of this provider's partition into its parts; `None` for anything else.
    pub fn parse_arn<'a>(&self, arn: &'a str) -> Option<Arn<'a>> {
        let rest = arn.strip_prefix(self.arn_prefix)?;
        let mut parts = rest.strip_prefix(':')?.splitn(4, ':');
        Some(Arn {
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }

    /// For an ARN of a global service (`iam`, `sts`: no region), its account and resource.
    pub fn parse_global_arn<'a>(&self, service: &str, arn: &'a str) -> Option<(&'a str, &'a str)> {
        self.parse_arn(arn)
            .filter(|a| a.service == service && a.region.is_empty())
            .map(|a| (a.account, a.resource))
    }

    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` → (ACCOUNT, `ROLE/SESSION`).
    pub fn parse_assumed_role<'a>(&self, arn: &'a str) -> Option<(&'a str, &'a str)> {
        let (account, resource) = self.parse_global_arn("sts", arn)?;
        Some((account, resource.strip_prefix("assumed-role/")?))
    }

    /// The alias prefix reserved for provider-managed keys (`alias/aws/`).
    pub fn reserved_alias_prefix(&self) -> String {
        format!("alias/{}/", self.partition)
    }

    /// The CloudTrail event source of a service (`kms` → `kms.amazonaws.com`).
    pub fn event_source(&self, service: &str) -> String {
        self.service_principal(service)
    }

    /// The CloudTrail `resources[].type` of a KMS key.
    pub fn key_resource_type(&self) -> &'static str {
        "AWS::KMS::Key"
    }

    /// The service principal EC2 uses as retiring principal for attach-time grants.
    pub fn ec2_service(&self, region: &str) -> String {
        self.regional_service_principal("ec2", region)
    }

    /// The role EC2's infrastructure assumes to decrypt a data key for an instance.
    pub fn infrastructure_role(&self, account: &str, instance_id: &str) -> String {
        let role = format!("{}:ec2-infrastructure", self.partition);
        self.assumed_role_arn(account, &role, instance_id)
    }

    /// The role EBS assumes while it encrypts data restored into a new volume (not published; see the trace note).
    pub fn ebs_infrastructure_role(&self, account: &str, resource_id: &str) -> String {
        let role = format!("{}:ebs-infrastructure", self.partition);
        self.assumed_role_arn(account, &role, resource_id)
    }

    /// An instance's private DNS name for its private IPv4 address: `ip-172-31-5-9.ec2.internal`
    /// in us-east-1, `ip-….REGION.compute.internal` elsewhere ("Amazon EC2 instance hostname
    /// types", EC2 user guide).
    pub fn private_dns_name(&self, region: &str, ip: &str) -> String {
        let host = format!("ip-{}", ip.replace('.', "-"));
        match region {
            "us-east-1" => format!("{host}.ec2.internal"),
            _ => format!("{host}.{region}.compute.internal"),
        }
    }

    /// An instance's public DNS name for its public IPv4 address:
    /// `ec2-3-80-1-2.compute-1.DOMAIN` in us-east-1, `ec2-….REGION.compute.DOMAIN` elsewhere.
    pub fn public_dns_name(&self, region: &str, ip: &str) -> String {
        let host = format!("ec2-{}", ip.replace('.', "-"));
        match region {
            "us-east-1" => format!("{host}.compute-1.{}", self.domain),
            _ => format!("{host}.{region}.compute.{}", self.domain),
        }
    }

    /// Alias of the AWS managed key S3 uses for SSE-KMS when no key is named.
    pub fn s3_managed_key_alias(&self) -> &'static str {
        "alias/aws/s3"
    }

    /// The ARN of a bucket (`arn:aws:s3:::bucket`): S3 ARNs carry no Region or account.
    pub fn s3_bucket_arn(&self, bucket: &str) -> String {
        self.arn("s3", "", "", bucket)
    }

    /// The ARN of an object (`arn:aws:s3:::bucket/key`).
    pub fn s3_object_arn(&self, bucket: &str, key: &str) -> String {
        self.arn("s3", "", "", &format!("{bucket}/{key}"))
    }

    /// The encryption-context key S3 binds its data keys to (`aws:s3:arn`).
    pub fn s3_context_key(&self) -> &'static str {
        "aws:s3:arn"
    }

    /// S3's service principal, as CloudTrail's `invokedBy` names it.
    pub fn s3_service_principal(&self) -> String {
        self.service_principal("s3")
    }

    /// `kms:ViaService` of requests S3 makes in a Region.
    pub fn s3_via_service(&self, region: &str) -> String {
        self.regional_service_principal("s3", region)
    }

    /// Availability zones of a region.
    pub fn zones(&self, region: &str) -> Vec<String> {
        self.zones_all
            .iter()
            .filter(|z| zone_in_region(z, region))
            .map(|z| z.to_string())
            .collect()
    }

    /// The zone of an availability zone id (`use1-az1` → `us-east-1a`). AWS maps ids to names
    /// differently in each account; the playground maps az1, az2, az3 to a, b, c everywhere
    /// (an approximation).
    pub fn zone_of_id(&self, id: &str) -> Option<String> {
        let (short, n) = id.split_once("-az")?;
        let letter = match n {
            "1" => 'a',
            "2" => 'b',
            "3" => 'c',
            _ => return None,
        };
        let region = self.regions.iter().find(|r| region_short(r) == short)?;
        Some(format!("{region}{letter}"))
    }

    /// True when `region` is one the playground models.
    pub fn has_region(&self, region: &str) -> bool {
        self.regions.contains(&region)
    }

    /// Whether an instance type supports EBS encryption: all current-generation types, and of the
    /// previous generation only A1, C3, cr1.8xlarge, G2, I2, M3 and R3 (seed 000).
    /// Returns `None` for a type the playground does not know.
    pub fn instance_type_supports_encryption(&self, instance_type: &str) -> Option<bool> {
        let family = instance_type.split('.').next().unwrap_or("");
        const PREVIOUS_UNSUPPORTED: &[&str] = &[
            "t1", "m1", "m2", "c1", "cc1", "cc2", "cg1", "hi1", "hs1", "cr1",
        ];
        const PREVIOUS_SUPPORTED: &[&str] = &["a1", "c3", "g2", "i2", "m3", "r3"];
        const CURRENT: &[&str] = &[
            "t2", "t3", "t3a", "t4g", "m4", "m5", "m5a", "m6i", "m6g", "m7i", "m7g", "c4", "c5",
            "c5a", "c6i", "c6g", "c7i", "c7g", "r4", "r5", "r6i", "r7i", "i3", "i4i", "g4dn", "g5",
            "p3", "p4d", "x1", "x2idn", "z1d", "d2", "d3", "h1", "inf1", "trn1",
        ];
        if instance_type == "cr1.8xlarge" {
            return Some(true);
        }
        if PREVIOUS_SUPPORTED.contains(&family) || CURRENT.contains(&family) {
            Some(true)
        } else if PREVIOUS_UNSUPPORTED.contains(&family) {
            Some(false)
        } else {
            None
        }
    }
}

/// Whether a zone name belongs to a region: the region plus one letter (`us-east-1a`,
/// `ap-southeast-1b`) or plus `-` and one letter (`cn-hangzhou-i`).
fn zone_in_region(zone: &str, region: &str) -> bool {
    let Some(rest) = zone.strip_prefix(region) else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    rest.len() == 1 && rest.bytes().all(|b| b.is_ascii_lowercase())
}

/// The short form of a region in zone ids: `us-east-1` → `use1`, `eu-west-1` → `euw1`.
fn region_short(region: &str) -> String {
    let mut parts = region.split('-');
    let geo = parts.next().unwrap_or("");
    let dir: String = parts.next().unwrap_or("").chars().take(1).collect();
    let n = parts.next().unwrap_or("");
    format!("{geo}{dir}{n}")
}

/// Amazon RDS's names: ARNs, service principals and its AWS managed key.
impl Provider {
    /// An RDS ARN, `arn:aws:rds:REGION:ACCOUNT:KIND:NAME` (`db`, `snapshot`).
    pub fn rds_arn(&self, region: &str, account: &str, kind: &str, name: &str) -> String {
        format!(
            "arn:{}:rds:{region}:{account}:{kind}:{name}",
            self.partition
        )
    }

    /// RDS's service principal (CloudTrail `invokedBy`, the event source), `rds.amazonaws.com`.
    pub fn rds_principal(&self) -> String {
        self.service_principal("rds")
    }

    /// RDS's regional service principal (`kms:ViaService`, grantee and retiring principal of
    /// its grants), `rds.REGION.amazonaws.com`.
    pub fn rds_service(&self, region: &str) -> String {
        self.regional_service_principal("rds", region)
    }

    /// The alias of RDS's AWS managed key, `alias/aws/rds`.
    pub fn rds_managed_key_alias(&self) -> String {
        format!("alias/{}/rds", self.partition)
    }

    /// The endpoint address of a DB instance.
    pub fn rds_endpoint(&self, name: &str, region: &str) -> String {
        format!("{name}.c0ffee0example.{region}.rds.{}", self.domain)
    }
}

/// Alibaba Cloud's names (seed 002): KMS key ARNs and ids, RAM users and roles, the service key,
/// ECS's service principal and ActionTrail's event sources.
impl Provider {
    /// A KMS key ARN, `acs:kms:REGION:UID:key/key-…`.
    pub fn ali_key_arn(&self, region: &str, account: &str, key_id: &str) -> String {
        self.arn("kms", region, account, &format!("key/{key_id}"))
    }

    /// A RAM user, `acs:ram::UID:user/NAME`.
    pub fn ram_user_arn(&self, account: &str, name: &str) -> String {
        self.arn("ram", "", account, &format!("user/{name}"))
    }

    /// A RAM role, `acs:ram::UID:role/NAME` (Alibaba writes role names in lower case in ARNs;
    /// the playground keeps the name as given).
    pub fn ram_role_arn(&self, account: &str, name: &str) -> String {
        self.arn("ram", "", account, &format!("role/{name}"))
    }

    /// A session of a RAM role as STS's AssumeRole names it (`AssumedRoleUser.Arn`),
    /// `acs:ram::UID:role/ROLE/SESSION` (ActionTrail, "Sample Event Logs for Role Assuming").
    pub fn ram_role_session_arn(&self, account: &str, role: &str, session: &str) -> String {
        self.arn("ram", "", account, &format!("role/{role}/{session}"))
    }

    /// The RAM user name of a principal ARN of this provider (`acs:ram::UID:user/alice` → alice).
    pub fn ram_user_of<'a>(&self, arn: &'a str) -> Option<(&'a str, &'a str)> {
        let (account, resource) = self.parse_global_arn("ram", arn)?;
        Some((account, resource.strip_prefix("user/")?))
    }

    /// The alias of the service key ECS encrypts disks with when no CMK is named, `alias/acs/ecs`.
    pub fn ali_service_key_alias(&self) -> &'static str {
        self.managed_key_alias
    }

    /// ECS's service principal (the trust of AliyunECSDiskEncryptDefaultRole), `ecs.aliyuncs.com`.
    pub fn ecs_service_principal(&self) -> String {
        self.service_principal("ecs")
    }

    /// ActionTrail's event source of a product (`ecs` → `ecs.aliyuncs.com`).
    pub fn actiontrail_source(&self, product: &str) -> String {
        self.service_principal(product)
    }

    /// The role ECS needs before it may use a customer master key.
    pub fn ecs_disk_encrypt_role(&self) -> &'static str {
        "AliyunECSDiskEncryptDefaultRole"
    }

    /// The system policy attached to that role.
    pub fn ecs_disk_encrypt_role_policy(&self) -> &'static str {
        "AliyunECSDiskEncryptRolePolicy"
    }

    /// The short code Alibaba puts in the ids of a region's keys (`cn-hangzhou` → `hzz`, as in
    /// `key-hzz6…`); the codes of other regions are the playground's.
    pub fn ali_region_code(&self, region: &str) -> &'static str {
        match region {
            "cn-hangzhou" => "hzz",
            "cn-shanghai" => "shh",
            "ap-southeast-1" => "sgp",
            "ap-northeast-2" => "sel",
            "cn-nanjing" => "njg",
            "cn-fuzhou" => "fzh",
            "ap-southeast-7" => "bkk",
            _ => "xxx",
        }
    }

    /// Regions where no encrypted disk can be created (seed 002: Nanjing, Seoul).
    pub fn ali_region_refuses_encryption(&self, region: &str) -> bool {
        matches!(region, "cn-nanjing" | "ap-northeast-2")
    }

    /// Regions where ECS cannot use CMKs (seed 002: Fuzhou, Bangkok); the service key still works.
    pub fn ali_region_refuses_cmks(&self, region: &str) -> bool {
        matches!(region, "cn-fuzhou" | "ap-southeast-7")
    }

    /// Whether a disk category can be encrypted: the ESSD family only (seed 002, "Disk types").
    pub fn ali_category_encryptable(&self, category: &str) -> bool {
        matches!(
            category,
            "cloud_essd" | "cloud_essd_entry" | "cloud_auto" | "cloud_regional_disk_auto"
        )
    }

    /// Whether an instance type can attach encrypted system disks and encrypted data disks
    /// created from snapshots (seed 002, "Instance types": not the ebmg5, ebmgn5t, ebmi3, sccg5,
    /// scch5, ebmc4 and ebmhfg5 families).
    pub fn ali_type_takes_encrypted_system_disk(&self, instance_type: &str) -> bool {
        let family = instance_type
            .split('.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".");
        !matches!(
            family.as_str(),
            "ecs.ebmg5"
                | "ecs.ebmgn5t"
                | "ecs.ebmi3"
                | "ecs.sccg5"
                | "ecs.scch5"
                | "ecs.ebmc4"
                | "ecs.ebmhfg5"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_000_previous_generation_list() {
        let cases = [
            ("a1.large", Some(true)),
            ("c3.large", Some(true)),
            ("cr1.8xlarge", Some(true)),
            ("g2.2xlarge", Some(true)),
            ("i2.xlarge", Some(true)),
            ("m3.medium", Some(true)),
            ("r3.large", Some(true)),
            ("m1.small", Some(false)),
            ("t1.micro", Some(false)),
            ("c1.medium", Some(false)),
            ("t3.micro", Some(true)),
            ("zz9.huge", None),
        ];
        for (t, want) in cases {
            assert_eq!(AWS.instance_type_supports_encryption(t), want, "{t}");
        }
    }

    #[test]
    fn names_are_built_and_read_back() {
        assert_eq!(
            AWS.root_arn("111122223333"),
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(
            AWS.kms_arn("us-east-1", "111122223333", "alias/aws/ebs"),
            "arn:aws:kms:us-east-1:111122223333:alias/aws/ebs"
        );
        assert_eq!(
            AWS.kms_arn("us-east-1", "111122223333", "1234"),
            "arn:aws:kms:us-east-1:111122223333:key/1234"
        );
        assert_eq!(AWS.ec2_service("eu-west-1"), "ec2.eu-west-1.amazonaws.com");
        assert_eq!(
            AWS.service_linked_role_arn("111122223333", "autoscaling", "AWSServiceRoleForAutoScaling"),
            "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
        );
        assert_eq!(
            AWS.managed_policy_arn("AdministratorAccess"),
            "arn:aws:iam::aws:policy/AdministratorAccess"
        );
        assert_eq!(
            AWS.infrastructure_role("111122223333", "i-1"),
            "arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/i-1"
        );
        let session = AWS.assumed_role_arn("111122223333", "admin", "s1");
        assert_eq!(
            AWS.parse_assumed_role(&session),
            Some(("111122223333", "admin/s1"))
        );
        assert_eq!(
            AWS.parse_global_arn("iam", "arn:aws:iam::111122223333:user/a"),
            Some(("111122223333", "user/a"))
        );
        assert_eq!(AWS.parse_global_arn("iam", "arn:aws-cn:iam::1:root"), None);
        assert_eq!(AWS.parse_global_arn("sts", "arn:aws:iam::1:root"), None);
        assert_eq!(AWS.parse_arn("not an arn"), None);
        assert_eq!(AWS.service_of_principal("ec2.amazonaws.com"), Some("ec2"));
        assert_eq!(
            AWS.service_of_principal("ec2.us-east-1.amazonaws.com"),
            Some("ec2.us-east-1")
        );
        assert_eq!(AWS.service_of_principal("amazonaws.com"), None);
        assert_eq!(AWS.service_of_principal("arn:aws:iam::1:root"), None);
        assert_eq!(AWS.prefix(IdKind::Volume), "vol");
        assert_eq!(AWS.prefix(IdKind::Reservation), "r");
        assert_eq!(AWS.prefix(IdKind::LaunchTemplate), "lt");
    }

    #[test]
    fn alibaba_names() {
        let uid = "1234567890123456";
        assert_eq!(ALIBABA.root_arn(uid), "acs:ram::1234567890123456:root");
        assert_eq!(
            ALIBABA.ram_user_arn(uid, "alice"),
            "acs:ram::1234567890123456:user/alice"
        );
        assert_eq!(
            ALIBABA.ram_user_of("acs:ram::1234567890123456:user/alice"),
            Some((uid, "alice"))
        );
        assert_eq!(
            ALIBABA.ali_key_arn("cn-hangzhou", uid, "key-hzz1"),
            "acs:kms:cn-hangzhou:1234567890123456:key/key-hzz1"
        );
        assert_eq!(ALIBABA.ecs_service_principal(), "ecs.aliyuncs.com");
        assert_eq!(ALIBABA.ali_service_key_alias(), "alias/acs/ecs");
        assert!(!ALIBABA.ali_type_takes_encrypted_system_disk("ecs.ebmg5.24xlarge"));
        assert!(ALIBABA.ali_type_takes_encrypted_system_disk("ecs.g7.large"));
        assert!(ALIBABA.ali_category_encryptable("cloud_auto"));
        assert!(!ALIBABA.ali_category_encryptable("cloud_ssd"));
    }
}
