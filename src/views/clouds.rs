//! The two clouds side by side: the same action done on AWS (EBS) and on Alibaba Cloud (ECS), in
//! two fresh sessions, with the requests each cloud's services made to each other. It owns the
//! pairs (their lines and the difference the chapter would point out) and runs them in scratch
//! sessions; the comparison draws nothing and decides nothing (each model does).

use crate::model::provider::Cloud;
use crate::session::Session;

/// One action, as each cloud's CLI writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Stable id (`default-key`).
    pub id: &'static str,
    /// The action.
    pub title: &'static str,
    /// The AWS lines.
    pub aws: &'static [&'static str],
    /// The Alibaba Cloud lines.
    pub alibaba: &'static [&'static str],
    /// What differs, in one or two sentences.
    pub difference: &'static str,
}

const ALI_ROLE: &str = r#"aliyun ram CreateRole --RoleName AliyunECSDiskEncryptDefaultRole --AssumeRolePolicyDocument '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}'"#;
const ALI_ROLE_POLICY: &str = "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName AliyunECSDiskEncryptRolePolicy --RoleName AliyunECSDiskEncryptDefaultRole";
const AWS_AMI: &str =
    "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)";
const AWS_KEY: &str =
    "KEY=$(aws kms create-key --description 'disk key' --query KeyMetadata.KeyId --output text)";
const ALI_KEY: &str =
    "KEY=$(aliyun kms CreateKey --Description 'disk key' --cli-query KeyMetadata.KeyId)";
const AWS_RUN: &str = "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true,KmsKeyId=$KEY} --query 'Instances[0].InstanceId' --output text)";
const ALI_RUN: &str = "INST=$(aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --SystemDisk.KMSKeyId $KEY --cli-query 'InstanceIdSets.InstanceIdSet[0]')";

/// The pairs, in teaching order.
pub fn pairs() -> Vec<Pair> {
    vec![
        Pair {
            id: "default-key",
            title: "An encrypted disk with no key named",
            aws: &["aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted"],
            alibaba: &["aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true"],
            difference: "Both clouds create a provider-managed key on first use (alias/aws/ebs, alias/acs/ecs). EBS asks KMS for a data key without plaintext (GenerateDataKeyWithoutPlaintext, documented); Alibaba documents only that ECS stores a KMS-encrypted data key with the disk, so its call is drawn as an inferred GenerateDataKey.",
        },
        Pair {
            id: "customer-key",
            title: "A disk under your own key",
            aws: &[
                AWS_KEY,
                "aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id $KEY",
            ],
            alibaba: &[
                ALI_KEY,
                "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true --KMSKeyId $KEY # expect-error",
                ALI_ROLE,
                ALI_ROLE_POLICY,
                "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true --KMSKeyId $KEY",
            ],
            difference: "On AWS the key policy decides, and EBS works through grants it creates on your behalf. On Alibaba Cloud ECS may use a CMK only once the account has authorized the AliyunECSDiskEncryptDefaultRole role: the first CreateDisk is refused (KMSUnauthorized).",
        },
        Pair {
            id: "startup",
            title: "Start an instance with an encrypted system disk",
            aws: &[AWS_AMI, AWS_KEY, AWS_RUN, "aws ec2 wait instance-running --instance-ids $INST"],
            alibaba: &[ALI_KEY, ALI_ROLE, ALI_ROLE_POLICY, ALI_RUN, "play advance --minutes 2"],
            difference: "In both the host (the Nitro host, the ECS hypervisor) holds the plaintext data key after KMS decrypts it at startup. EC2 first creates a grant for the instance's volume; ECS assumes its RAM role (inferred).",
        },
        Pair {
            id: "disabled-key",
            title: "Disable the key, then restart",
            aws: &[
                AWS_AMI,
                AWS_KEY,
                AWS_RUN,
                "aws ec2 wait instance-running --instance-ids $INST",
                "aws kms disable-key --key-id $KEY",
                "aws ec2 stop-instances --instance-ids $INST",
                "aws ec2 wait instance-stopped --instance-ids $INST",
                "aws ec2 start-instances --instance-ids $INST",
                "play advance --seconds 30",
            ],
            alibaba: &[
                ALI_KEY,
                ALI_ROLE,
                ALI_ROLE_POLICY,
                ALI_RUN,
                "play advance --minutes 2",
                "aliyun kms DisableKey --KeyId $KEY",
                "aliyun ecs RebootInstance --InstanceId $INST",
            ],
            difference: "EC2 cannot attach the volume again (KMS refuses the grant) and the instance goes back to stopped (Client.InvalidKMSKey.InvalidState). ECS restarts the instance but KMS refuses the Decrypt, so the system disk's I/O hangs (seed 002's own verification).",
        },
        Pair {
            id: "by-default",
            title: "Encryption by default in a region",
            aws: &[
                "aws ec2 enable-ebs-encryption-by-default",
                "aws ec2 create-volume --availability-zone us-east-1a --size 8",
            ],
            alibaba: &[
                "aliyun ecs EnableDiskEncryptionByDefault",
                "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40",
            ],
            difference: "Both encrypt every new disk of the account in that region, under the default key (ModifyEbsDefaultKmsKeyId, ModifyDiskDefaultKMSKeyId) or the provider-managed one; on Alibaba Cloud only ESSD-family disks can be encrypted at all.",
        },
    ]
}

/// One side of a pair, run: each line with its outcome, and the calls between services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// Each line and the error code it ended with.
    pub lines: Vec<(String, Option<String>)>,
    /// The requests the cloud's services made to each other (`ECS → KMS: Decrypt`), with
    /// ` (failed: Code)` and ` (inferred)` where they apply.
    pub calls: Vec<String>,
}

/// Runs `lines` in a fresh session of `cloud`.
pub fn run_side(cloud: Cloud, lines: &[&str]) -> Side {
    let mut s = Session::new_in(cloud, crate::session::DEFAULT_SEED);
    let mut out = Vec::new();
    for l in lines {
        let code = s
            .run(l)
            .and_then(|e| e.result.error.as_ref().map(|e| e.code.clone()));
        out.push((l.to_string(), code));
    }
    let calls = s
        .calls()
        .iter()
        .filter(|c| c.from != crate::model::trace::Participant::User && !c.is_event)
        .map(|c| {
            let mut t = c.summary();
            if c.approximation.is_some() {
                t.push_str(" (inferred)");
            }
            t
        })
        .collect();
    Side { lines: out, calls }
}

/// A pair, run on both clouds: (AWS, Alibaba Cloud).
pub fn run_pair(p: &Pair) -> (Side, Side) {
    (
        run_side(Cloud::Aws, p.aws),
        run_side(Cloud::Alibaba, p.alibaba),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(side: &Side, call: &str) -> bool {
        side.calls.iter().any(|c| c.starts_with(call))
    }

    #[test]
    fn every_pair_runs_and_shows_its_difference() {
        let all = pairs();
        assert_eq!(all.len(), 5);
        for p in &all {
            let (aws, ali) = run_pair(p);
            // Every line succeeds but the one a pair marks as meant to fail.
            for (line, code) in aws.lines.iter().chain(&ali.lines) {
                assert_eq!(
                    code.is_some(),
                    line.contains("# expect-error"),
                    "{}: {line}: {code:?}",
                    p.id
                );
            }
            assert!(!aws.calls.is_empty() && !ali.calls.is_empty(), "{}", p.id);
        }
        let get = |id: &str| run_pair(all.iter().find(|p| p.id == id).expect("pair"));
        let (aws, ali) = get("default-key");
        assert!(
            has(&aws, "EC2 → KMS: GenerateDataKeyWithoutPlaintext"),
            "{:?}",
            aws.calls
        );
        assert!(
            has(&ali, "ECS → KMS: CreateKey") && has(&ali, "ECS → KMS: GenerateDataKey"),
            "{:?}",
            ali.calls
        );
        assert!(ali.calls.iter().any(|c| c.ends_with("(inferred)")));
        let (_, ali) = get("customer-key");
        assert_eq!(
            ali.lines[1].1.as_deref(),
            Some("InvalidParameter.KMSKeyId.KMSUnauthorized")
        );
        let (aws, ali) = get("startup");
        assert!(
            has(&aws, "EC2 → KMS: CreateGrant") && has(&aws, "EC2 → KMS: Decrypt"),
            "{:?}",
            aws.calls
        );
        assert!(
            has(&ali, "ECS → RAM: AssumeRole") && has(&ali, "ECS → KMS: Decrypt"),
            "{:?}",
            ali.calls
        );
        let (aws, ali) = get("disabled-key");
        assert!(
            aws.calls
                .iter()
                .any(|c| c.starts_with("EC2 → KMS: CreateGrant")
                    && c.contains("failed: DisabledException")),
            "{:?}",
            aws.calls
        );
        assert!(
            ali.calls
                .iter()
                .any(|c| c.starts_with("ECS → KMS: Decrypt") && c.contains("failed")),
            "{:?}",
            ali.calls
        );
        assert!(
            ali.calls.iter().any(|c| c.contains("IOHang")),
            "{:?}",
            ali.calls
        );
    }
}
