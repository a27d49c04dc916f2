//! The provider profile: the names and rules that differ between clouds.
//!
//! The core's structure (keys, volumes, snapshots, grants, the trace) is provider-neutral;
//! everything AWS-specific that a second provider (Alibaba Cloud ECS: `alias/acs/ecs`,
//! `CreateDisk`, ESSD-only encryption) would change lives in a [`Provider`] value.

/// Names and limits of one cloud provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Display name.
    pub name: &'static str,
    /// ARN partition (`aws`).
    pub partition: &'static str,
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
    /// Id prefixes: volume, snapshot, instance, image, reservation.
    pub prefixes: [&'static str; 5],
}

/// Amazon Web Services: EC2, EBS and KMS.
pub const AWS: Provider = Provider {
    name: "AWS",
    partition: "aws",
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
    prefixes: ["vol", "snap", "i", "ami", "r"],
};

impl Provider {
    /// The service principal EC2 uses as retiring principal for attach-time grants.
    pub fn ec2_service(&self, region: &str) -> String {
        format!("ec2.{region}.amazonaws.com")
    }

    /// The role EC2's infrastructure assumes to decrypt a data key for an instance.
    pub fn infrastructure_role(&self, account: &str, instance_id: &str) -> String {
        format!(
            "arn:{}:sts::{account}:assumed-role/aws:ec2-infrastructure/{instance_id}",
            self.partition
        )
    }

    /// The role EBS assumes while it encrypts data restored into a new volume (not published; see the trace note).
    pub fn ebs_infrastructure_role(&self, account: &str, resource_id: &str) -> String {
        format!(
            "arn:{}:sts::{account}:assumed-role/aws:ebs-infrastructure/{resource_id}",
            self.partition
        )
    }

    /// Availability zones of a region.
    pub fn zones(&self, region: &str) -> Vec<String> {
        self.zones_all
            .iter()
            .filter(|z| z.strip_suffix(['a', 'b', 'c']) == Some(region))
            .map(|z| z.to_string())
            .collect()
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
        "rds.amazonaws.com".to_string()
    }

    /// RDS's regional service principal (`kms:ViaService`, grantee and retiring principal of
    /// its grants), `rds.REGION.amazonaws.com`.
    pub fn rds_service(&self, region: &str) -> String {
        format!("rds.{region}.amazonaws.com")
    }

    /// The alias of RDS's AWS managed key, `alias/aws/rds`.
    pub fn rds_managed_key_alias(&self) -> String {
        format!("alias/{}/rds", self.partition)
    }

    /// The endpoint address of a DB instance.
    pub fn rds_endpoint(&self, name: &str, region: &str) -> String {
        format!("{name}.c0ffee0example.{region}.rds.amazonaws.com")
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
}
