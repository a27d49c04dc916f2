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

    /// Alias of the AWS managed key S3 uses for SSE-KMS when no key is named.
    pub fn s3_managed_key_alias(&self) -> &'static str {
        "alias/aws/s3"
    }

    /// The ARN of a bucket (`arn:aws:s3:::bucket`): S3 ARNs carry no Region or account.
    pub fn s3_bucket_arn(&self, bucket: &str) -> String {
        format!("arn:{}:s3:::{bucket}", self.partition)
    }

    /// The ARN of an object (`arn:aws:s3:::bucket/key`).
    pub fn s3_object_arn(&self, bucket: &str, key: &str) -> String {
        format!("arn:{}:s3:::{bucket}/{key}", self.partition)
    }

    /// The encryption-context key S3 binds its data keys to (`aws:s3:arn`).
    pub fn s3_context_key(&self) -> &'static str {
        "aws:s3:arn"
    }

    /// S3's service principal, as CloudTrail's `invokedBy` names it.
    pub fn s3_service_principal(&self) -> &'static str {
        "s3.amazonaws.com"
    }

    /// `kms:ViaService` of requests S3 makes in a Region.
    pub fn s3_via_service(&self, region: &str) -> String {
        format!("s3.{region}.amazonaws.com")
    }

    /// The principal ARN of an account's root user.
    pub fn root_principal(&self, account: &str) -> String {
        format!("arn:{}:iam::{account}:root", self.partition)
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
